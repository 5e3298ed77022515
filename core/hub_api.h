// Hub list-models paging, pure: the first page's URL, Link headers, the retry policy, the resume
// state and a Pager that decides each next step. The transport (libcurl in the CLI, fetch() in a
// browser, a fake in tests) is the caller's: nothing here touches the network or a clock.
// Reference: the Hub's GET /api/models (sort, direction, limit, expand[], cursor paging through
// `Link: <...>; rel="next"`), RFC 8288 (Link), RFC 9110 §10.2.3 (Retry-After) and §5.6.7 (HTTP-date).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "catalogue.h"
#include "result.h"

namespace hfrec::hub {

// The fields hfrec reads, asked for with expand[] (the Hub then returns only these, with id).
const std::vector<std::string>& default_fields();

// What to list. Defaults list the 10,000 most downloaded models, 1,000 a page.
struct ListParams {
  std::string host = "https://huggingface.co";  // http(s)://host[:port][/prefix], no query
  std::string sort = "downloads";               // downloads, likes, lastModified or createdAt
  size_t n = 10000;                             // models wanted; 0 = every model the Hub lists
  size_t page_size = 1000;                      // models per request, 1..1000 (the Hub caps it)
  std::vector<std::string> fields = default_fields();
};

// The first page's URL: HOST/api/models?sort=S&direction=-1&limit=L&expand%5B%5D=F... with
// L = min(n, page_size). The error names the parameter that is wrong.
Result<std::string> first_page_url(const ListParams& p);

// The rel="next" target of a Link header value, "" when it names none. The error says where the
// header stops making sense.
Result<std::string> link_next(std::string_view header);

// "scheme://host[:port]" of an http(s) URL, scheme and host lower-cased; "" for anything else.
std::string origin_of(std::string_view url);

// When and how often to ask again.
// - Counts are per page: a page that succeeds resets them.
// - A 429 waits what its Retry-After says (clamped to max_retry_after_ms), else backs off.
struct RetryPolicy {
  int max_retries = 5;                   // 5xx, network errors and unreadable pages, per page
  int max_rate_limited = 30;             // 429 answers, per page
  int64_t base_ms = 1000;                // the first backoff; it doubles with each retry
  int64_t cap_ms = 60'000;               // the backoff never exceeds this
  int64_t max_retry_after_ms = 600'000;  // a longer Retry-After is clamped to this
  int64_t second_ms = 1000;              // how long one Retry-After second is (tests shrink it)
};

// Unix seconds of an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", the form servers send).
Result<int64_t> parse_http_date(std::string_view s);
// Seconds a Retry-After value asks to wait: delta-seconds, or an HTTP-date less `now` (Unix
// seconds, the reply's Date when it has one); never negative.
Result<int64_t> retry_after_seconds(std::string_view value, int64_t now);
// The wait before retry number `attempt` (1-based): min(cap_ms, base_ms * 2^(attempt-1)).
int64_t backoff_ms(const RetryPolicy& p, int attempt);

// One answer from the transport.
struct Reply {
  int status = 0;  // HTTP status; 0 when no answer came (see network_error)
  std::string body;
  std::string link, retry_after, date;  // those headers' values, "" when absent
  std::string network_error;            // the transport's message when status is 0
};

// Where an interrupted fetch stands, saved as a small JSON file so `hfrec fetch --resume` goes on.
struct ResumeState {
  std::string host, sort;
  size_t n = 0;          // models wanted (0 = all)
  std::string next_url;  // the page to ask for next; "" when the fetch finished
  size_t rows = 0;       // models written so far
  size_t pages = 0;      // pages read so far
};
std::string resume_state_json(const ResumeState& s);
// The error names the field that is missing or of the wrong type.
Result<ResumeState> parse_resume_state(std::string_view json);

// The models of one list-models page, read by core's Hub JSON reader (load_hub_json); "[]" is an
// empty page.
Result<std::vector<ModelRecord>> parse_page(std::string_view body);

// The model a model was made from, from its "base_model:ORG/NAME" or
// "base_model:RELATION:ORG/NAME" tag (the Hub derives both from the card); "" when none.
std::string base_model_of(const ModelRecord& r);

// What the caller does next.
struct Step {
  enum Kind { page, wait, failed } kind = page;
  // The new models, in Hub order (repeats and any past n dropped): on a page, and on the failed
  // step of a cursor loop (the page itself was good), to be written before stopping.
  std::vector<ModelRecord> rows;
  int64_t wait_ms = 0;  // wait: sleep this long, then ask for url() again
  std::string message;  // wait: why; failed: what went wrong; page: why it ended, if it did
};

// Pages through the listing: ask for url(), feed() the reply, do what the Step says, until
// finished() or a failed Step. After a failed Step, state() is where `--resume` picks up.
// - A next link already followed, or three pages in a row with no new model, is a cursor loop.
// - A next link must stay on the first URL's origin.
// - An empty page with a next link is followed; one without ends the listing.
class Pager {
 public:
  static Result<Pager> start(const ListParams& p, const RetryPolicy& r = {});
  // Goes on from a saved state; `known_ids` are the models already written (they are not written twice).
  static Result<Pager> resume(const ListParams& p, const ResumeState& s, const std::vector<std::string>& known_ids,
                              const RetryPolicy& r = {});

  const std::string& url() const { return url_; }  // "" once finished
  bool finished() const { return url_.empty(); }
  // The reply to url(); `now` is the caller's clock in Unix seconds (for an HTTP-date Retry-After
  // when the reply has no Date).
  Step feed(const Reply& reply, int64_t now);
  ResumeState state() const;

  size_t rows() const { return rows_; }
  size_t pages() const { return pages_; }
  size_t retries() const { return total_retries_; }            // 5xx, network, unreadable page
  size_t rate_limited() const { return total_rate_limited_; }  // 429 answers waited out

 private:
  Pager() = default;
  Step fail(std::string why);
  Step retry(std::string why);

  ListParams params_;
  RetryPolicy policy_;
  std::string origin_;
  std::string url_;
  std::unordered_set<std::string> seen_ids_;
  std::unordered_set<std::string> followed_;  // every URL asked for, to find a cursor loop
  size_t rows_ = 0, pages_ = 0, stalled_ = 0;
  int retries_ = 0, rate_limited_ = 0;  // for the current page
  size_t total_retries_ = 0, total_rate_limited_ = 0;
};

}  // namespace hfrec::hub
