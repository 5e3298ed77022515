// Tests of core/hub_api: URLs, Link headers, Retry-After, backoff, resume state and the Pager,
// driven by canned replies (no network, no clock).
#include "core/hub_api.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hfrec::hub {
namespace {

const std::string kHost = "http://127.0.0.1:9";

// A list-models page holding models with these ids (author from the id, some downloads).
std::string page_of(const std::vector<std::string>& ids) {
  std::string s = "[";
  for (size_t k = 0; k < ids.size(); ++k)
    s += (k ? "," : "") + std::string("{\"id\":\"") + ids[k] + "\",\"downloads\":" + std::to_string(100 - k) +
         ",\"tags\":[\"pytorch\"],\"pipeline_tag\":\"fill-mask\"}";
  return s + "]";
}

Reply ok(const std::vector<std::string>& ids, const std::string& next = "") {
  Reply r;
  r.status = 200;
  r.body = page_of(ids);
  if (!next.empty()) r.link = "<" + next + ">; rel=\"next\"";
  return r;
}

Reply status(int code, const std::string& retry_after = "", const std::string& date = "") {
  Reply r;
  r.status = code;
  r.body = "{\"error\":\"nope\"}";
  r.retry_after = retry_after;
  r.date = date;
  return r;
}

ListParams params(size_t n, size_t page_size) {
  ListParams p;
  p.host = kHost;
  p.n = n;
  p.page_size = page_size;
  p.fields = {"author", "tags"};
  return p;
}

RetryPolicy fast_policy() {
  RetryPolicy r;
  r.max_retries = 2;
  r.max_rate_limited = 3;
  r.base_ms = 1000;
  r.cap_ms = 60000;
  return r;
}

std::vector<std::string> ids_of(const std::vector<ModelRecord>& rows) {
  std::vector<std::string> v;
  for (const auto& r : rows) v.push_back(r.id);
  return v;
}

// --- URLs ------------------------------------------------------------------------------------------

TEST(HubApi, FirstPageUrlAsksForEveryFieldHfrecReads) {
  auto url = first_page_url(ListParams{});
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(url.value(),
            "https://huggingface.co/api/models?sort=downloads&direction=-1&limit=1000"
            "&expand%5B%5D=author&expand%5B%5D=cardData&expand%5B%5D=config&expand%5B%5D=downloads"
            "&expand%5B%5D=lastModified&expand%5B%5D=library_name&expand%5B%5D=pipeline_tag&expand%5B%5D=tags"
            "&expand%5B%5D=likes&expand%5B%5D=createdAt");
}

TEST(HubApi, FirstPageUrlLimitIsTheSmallerOfNAndThePageSize) {
  ListParams p = params(50, 1000);
  p.host = "http://127.0.0.1:8123/";
  p.sort = "likes";
  EXPECT_EQ(first_page_url(p).value(),
            "http://127.0.0.1:8123/api/models?sort=likes&direction=-1&limit=50&expand%5B%5D=author&expand%5B%5D=tags");
  p.n = 0;  // all: a full page at a time
  p.page_size = 300;
  EXPECT_EQ(first_page_url(p).value(),
            "http://127.0.0.1:8123/api/models?sort=likes&direction=-1&limit=300&expand%5B%5D=author&expand%5B%5D=tags");
}

TEST(HubApi, FirstPageUrlErrorsNameTheParameter) {
  ListParams p = params(10, 10);
  p.sort = "trending";
  EXPECT_EQ(first_page_url(p).error(), "sort: expected downloads, likes, lastModified or createdAt, got 'trending'");
  p = params(10, 10);
  p.host = "huggingface.co";
  EXPECT_EQ(first_page_url(p).error(), "hub: expected http://HOST[:PORT] or https://HOST[:PORT], got 'huggingface.co'");
  p.host = "ftp://example.org";
  EXPECT_EQ(first_page_url(p).error(),
            "hub: expected http://HOST[:PORT] or https://HOST[:PORT], got 'ftp://example.org'");
  p = params(10, 1001);
  EXPECT_EQ(first_page_url(p).error(), "page size: expected 1 to 1000, got 1001");
  p = params(10, 10);
  p.fields.clear();
  EXPECT_EQ(first_page_url(p).error(), "fields: expected at least one field to expand");
}

TEST(HubApi, OriginOf) {
  EXPECT_EQ(origin_of("https://HuggingFace.co/api/models?x=1"), "https://huggingface.co");
  EXPECT_EQ(origin_of("http://127.0.0.1:8123"), "http://127.0.0.1:8123");
  EXPECT_EQ(origin_of("file:///etc/passwd"), "");
  EXPECT_EQ(origin_of("http://user@evil.example/"), "");
  EXPECT_EQ(origin_of("/api/models"), "");
}

// --- Link ------------------------------------------------------------------------------------------

TEST(HubApi, LinkNextFindsTheNextRelation) {
  EXPECT_EQ(link_next("<https://huggingface.co/api/models?cursor=abc>; rel=\"next\"").value(),
            "https://huggingface.co/api/models?cursor=abc");
  EXPECT_EQ(link_next("<https://h/p?a=1,2>; rel=\"prev\", <https://h/n>; rel=next").value(), "https://h/n");
  EXPECT_EQ(link_next("<https://h/n>; title=\"a; b, c\"; REL=\"last Next\"").value(), "https://h/n");
  EXPECT_EQ(link_next("<https://h/p>; rel=\"prev\"").value(), "");
  EXPECT_EQ(link_next("").value(), "");
  EXPECT_EQ(link_next("  ").value(), "");
}

TEST(HubApi, LinkNextErrorsSayWhere) {
  EXPECT_EQ(link_next("https://h/n; rel=next").error(), "Link header: expected '<' at byte 1");
  EXPECT_EQ(link_next("<https://h/n; rel=next").error(), "Link header: no '>' after the '<' at byte 1");
  EXPECT_EQ(link_next("<https://h/n>; rel=\"next").error(), "Link header: unterminated quoted value at byte 20");
  EXPECT_EQ(link_next("<https://h/n> rel=next").error(), "Link header: expected ';' or ',' at byte 15");
  EXPECT_EQ(link_next("<>; rel=next").error(), "Link header: the next link is empty");
}

// --- Retry-After and backoff -------------------------------------------------------------------------

TEST(HubApi, HttpDate) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").value(), 784111777);  // RFC 9110's example
  EXPECT_EQ(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT").value(), 0);
  EXPECT_EQ(parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT").value(), 1835481599);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT").error(),
            "HTTP date: expected the form 'Sun, 06 Nov 1994 08:49:37 GMT', got 'Sunday, 06-Nov-94 08:49:37 GMT'");
  EXPECT_EQ(parse_http_date("Sun, 32 Nov 1994 08:49:37 GMT").error(),
            "HTTP date: expected the form 'Sun, 06 Nov 1994 08:49:37 GMT', got 'Sun, 32 Nov 1994 08:49:37 GMT'");
}

TEST(HubApi, RetryAfterSecondsOrDate) {
  EXPECT_EQ(retry_after_seconds("120", 0).value(), 120);
  EXPECT_EQ(retry_after_seconds(" 0 ", 0).value(), 0);
  EXPECT_EQ(retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 5).value(), 5);
  EXPECT_EQ(retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 + 5).value(), 0);  // past: now
  EXPECT_EQ(retry_after_seconds("99999999999999", 0).value(), 999999999);                     // no overflow
  EXPECT_EQ(retry_after_seconds("soon", 0).error(), "Retry-After: expected seconds or an HTTP date, got 'soon'");
  EXPECT_EQ(retry_after_seconds("-3", 0).error(), "Retry-After: expected seconds or an HTTP date, got '-3'");
}

TEST(HubApi, BackoffDoublesUpToTheCap) {
  RetryPolicy p;
  p.base_ms = 1000;
  p.cap_ms = 60000;
  EXPECT_EQ(backoff_ms(p, 1), 1000);
  EXPECT_EQ(backoff_ms(p, 2), 2000);
  EXPECT_EQ(backoff_ms(p, 3), 4000);
  EXPECT_EQ(backoff_ms(p, 6), 32000);
  EXPECT_EQ(backoff_ms(p, 7), 60000);
  EXPECT_EQ(backoff_ms(p, 1000), 60000);  // no overflow
  p.base_ms = 0;
  EXPECT_EQ(backoff_ms(p, 5), 0);
}

// --- Resume state ----------------------------------------------------------------------------------

TEST(HubApi, ResumeStateRoundTrips) {
  ResumeState s{kHost, "likes", 5000, kHost + "/api/models?cursor=x\"y", 2000, 2};
  auto back = parse_resume_state(resume_state_json(s));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back.value().host, s.host);
  EXPECT_EQ(back.value().sort, "likes");
  EXPECT_EQ(back.value().n, 5000u);
  EXPECT_EQ(back.value().next_url, s.next_url);
  EXPECT_EQ(back.value().rows, 2000u);
  EXPECT_EQ(back.value().pages, 2u);
}

TEST(HubApi, ResumeStateErrorsNameTheField) {
  EXPECT_EQ(parse_resume_state("[1]").error(), "resume state: not a JSON object");
  EXPECT_EQ(parse_resume_state("{oops").error(), "resume state: not a JSON object");
  EXPECT_EQ(parse_resume_state("{\"host\": \"x\"}").error(),
            "resume state: not written by hfrec fetch (no 'hfrec_fetch_state')");
  EXPECT_EQ(
      parse_resume_state(R"({"hfrec_fetch_state":1,"host":"h","sort":"downloads","next":"","n":1,"rows":-1,"pages":0})")
          .error(),
      "resume state: 'rows' must be a non-negative integer");
  EXPECT_EQ(
      parse_resume_state(R"({"hfrec_fetch_state":1,"host":"h","sort":"downloads","n":1,"rows":1,"pages":0})").error(),
      "resume state: 'next' must be a string");
}

// --- Pages -----------------------------------------------------------------------------------------

TEST(HubApi, ParsePageReadsWithCoresJsonReader) {
  auto rows = parse_page(
      R"([{"id":"org/a","downloads":5,"tags":["pytorch","base_model:org/base"],"config":{"architectures":["X"],"model_type":"bert"},"cardData":{"datasets":"wiki"}},{"id":"b","author":null}])");
  ASSERT_TRUE(rows.ok()) << rows.error();
  ASSERT_EQ(rows.value().size(), 2u);
  const ModelRecord& a = rows.value()[0];
  EXPECT_EQ(a.id, "org/a");
  EXPECT_EQ(a.author, "org");  // from the id, as the reader does
  EXPECT_EQ(a.downloads, 5);
  EXPECT_EQ(a.model_type, "bert");
  EXPECT_EQ(a.architectures, std::vector<std::string>{"X"});
  EXPECT_EQ(a.datasets, std::vector<std::string>{"wiki"});
  EXPECT_EQ(base_model_of(a), "org/base");
  EXPECT_TRUE(rows.value()[1].tags_missing);
  EXPECT_TRUE(parse_page(" [ \n ] ").value().empty());
  EXPECT_EQ(parse_page("[1]").error(), "[0]: expected an object, found number");
  EXPECT_EQ(parse_page(R"([{"downloads":1}])").error(), "[0]: no 'id' or 'modelId'");
  EXPECT_FALSE(parse_page(R"([{"id":"a"},{"id":"b","tags":["x")").ok());  // a truncated page
}

TEST(HubApi, BaseModelFromTags) {
  ModelRecord r;
  EXPECT_EQ(base_model_of(r), "");
  r.tags = {"base_model:finetune:meta/llama", "pytorch"};
  EXPECT_EQ(base_model_of(r), "meta/llama");
  r.tags = {"base_model:quantized:org/q", "base_model:org/plain"};
  EXPECT_EQ(base_model_of(r), "org/plain");  // the plain form wins
  r.tags = {"base_model:", "base_model:x:"};
  EXPECT_EQ(base_model_of(r), "");
}

// --- Pager -----------------------------------------------------------------------------------------

TEST(HubApi, PagerFollowsLinksUntilN) {
  auto made = Pager::start(params(5, 2), fast_policy());
  ASSERT_TRUE(made.ok()) << made.error();
  Pager& p = made.value();
  const std::string first = p.url();
  EXPECT_EQ(first, kHost + "/api/models?sort=downloads&direction=-1&limit=2&expand%5B%5D=author&expand%5B%5D=tags");
  Step s = p.feed(ok({"a", "b"}, kHost + "/api/models?cursor=2"), 0);
  EXPECT_EQ(s.kind, Step::page);
  EXPECT_EQ(ids_of(s.rows), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(p.url(), kHost + "/api/models?cursor=2");
  s = p.feed(ok({"b", "c", "d"}, "/api/models?cursor=4"), 0);  // a repeat is dropped; a relative link
  EXPECT_EQ(ids_of(s.rows), (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(p.url(), kHost + "/api/models?cursor=4");
  s = p.feed(ok({"e", "f"}, kHost + "/api/models?cursor=6"), 0);
  EXPECT_EQ(ids_of(s.rows), (std::vector<std::string>{"e"}));  // n reached
  EXPECT_EQ(s.message, "reached 5 models");
  EXPECT_TRUE(p.finished());
  EXPECT_EQ(p.rows(), 5u);
  EXPECT_EQ(p.pages(), 3u);
  EXPECT_EQ(p.state().next_url, "");
}

TEST(HubApi, PagerStopsWhenTheHubHasNoMorePages) {
  Pager p = Pager::start(params(0, 2), fast_policy()).value();
  Step s = p.feed(ok({"a", "b"}, kHost + "/api/models?cursor=2"), 0);
  s = p.feed(ok({"c"}), 0);
  EXPECT_EQ(s.kind, Step::page);
  EXPECT_EQ(s.message, "the Hub lists no more models");
  EXPECT_TRUE(p.finished());
}

TEST(HubApi, PagerFollowsAnEmptyPageWithANextLinkAndStopsAtOneWithout) {
  Pager p = Pager::start(params(0, 2), fast_policy()).value();
  Step s = p.feed(ok({}, kHost + "/api/models?cursor=0b"), 0);
  EXPECT_EQ(s.kind, Step::page);
  EXPECT_FALSE(p.finished());
  s = p.feed(ok({"a", "b"}, kHost + "/api/models?cursor=2"), 0);
  EXPECT_EQ(s.rows.size(), 2u);
  s = p.feed(ok({}), 0);
  EXPECT_EQ(s.message, "the Hub lists no more models");
  EXPECT_TRUE(p.finished());
}

TEST(HubApi, PagerHonoursRetryAfterSecondsAndDatesAndBacksOffWithout) {
  RetryPolicy r = fast_policy();
  r.second_ms = 1000;
  Pager p = Pager::start(params(0, 2), r).value();
  Step s = p.feed(status(429, "2"), 0);
  EXPECT_EQ(s.kind, Step::wait);
  EXPECT_EQ(s.wait_ms, 2000);
  EXPECT_EQ(s.message, "page 1: HTTP 429 (rate limited), Retry-After 2 s: waiting 2000 ms");
  // An HTTP date counts from the reply's Date, not the caller's clock.
  s = p.feed(status(429, "Sun, 06 Nov 1994 08:49:40 GMT", "Sun, 06 Nov 1994 08:49:37 GMT"), 999);
  EXPECT_EQ(s.wait_ms, 3000);
  s = p.feed(status(429), 0);
  EXPECT_EQ(s.wait_ms, 4000);  // the third 429 of this page: backoff 1000 * 2^2
  EXPECT_EQ(s.message, "page 1: HTTP 429 (rate limited), no Retry-After, backing off: waiting 4000 ms");
  s = p.feed(status(429), 0);
  EXPECT_EQ(s.kind, Step::failed);
  EXPECT_EQ(s.message, "page 1: HTTP 429 (rate limited) 3 times in a row; gave up");
  EXPECT_EQ(p.rate_limited(), 3u);
}

TEST(HubApi, PagerScalesAndClampsRetryAfter) {
  RetryPolicy r = fast_policy();
  r.second_ms = 1;  // a test's second
  r.max_retry_after_ms = 50;
  Pager p = Pager::start(params(0, 2), r).value();
  EXPECT_EQ(p.feed(status(429, "7"), 0).wait_ms, 7);
  EXPECT_EQ(p.feed(status(429, "3600"), 0).wait_ms, 50);
  Step s = p.feed(status(429, "later"), 0);
  EXPECT_EQ(s.wait_ms, 4000);
  EXPECT_EQ(s.message,
            "page 1: HTTP 429 (rate limited), Retry-After: expected seconds or an HTTP date, got 'later', backing off: "
            "waiting 4000 ms");
}

TEST(HubApi, PagerRetriesServerAndNetworkErrorsABoundedNumberOfTimes) {
  Pager p = Pager::start(params(0, 2), fast_policy()).value();
  Step s = p.feed(status(500), 0);
  EXPECT_EQ(s.kind, Step::wait);
  EXPECT_EQ(s.wait_ms, 1000);
  EXPECT_EQ(s.message, "page 1: HTTP 500; retry 1 of 2 in 1000 ms");
  Reply down;
  down.network_error = "Couldn't connect to server";
  s = p.feed(down, 0);
  EXPECT_EQ(s.message, "page 1: network error: Couldn't connect to server; retry 2 of 2 in 2000 ms");
  s = p.feed(status(503), 0);
  EXPECT_EQ(s.kind, Step::failed);
  EXPECT_EQ(s.message, "page 1: HTTP 503; gave up after 2 retries");
  EXPECT_EQ(p.state().next_url, p.url());  // resume asks for the same page again
}

TEST(HubApi, PagerCountsRetriesPerPage) {
  Pager p = Pager::start(params(0, 2), fast_policy()).value();
  EXPECT_EQ(p.feed(status(500), 0).kind, Step::wait);
  EXPECT_EQ(p.feed(status(500), 0).kind, Step::wait);
  EXPECT_EQ(p.feed(ok({"a", "b"}, kHost + "/api/models?cursor=2"), 0).kind, Step::page);
  EXPECT_EQ(p.feed(status(500), 0).kind, Step::wait);  // a new page: two retries again
  EXPECT_EQ(p.feed(status(500), 0).kind, Step::wait);
  EXPECT_EQ(p.feed(status(500), 0).message, "page 2: HTTP 500; gave up after 2 retries");
  EXPECT_EQ(p.retries(), 4u);
}

TEST(HubApi, PagerRetriesAnUnreadablePage) {
  Pager p = Pager::start(params(0, 2), fast_policy()).value();
  Reply cut = ok({"a", "b"});
  cut.body.resize(cut.body.size() / 2);
  Step s = p.feed(cut, 0);
  EXPECT_EQ(s.kind, Step::wait);
  EXPECT_EQ(s.message.rfind("page 1: unreadable page: JSON byte ", 0), 0u) << s.message;
  Reply bad_link = ok({"a"});
  bad_link.link = "https://h/next";
  EXPECT_EQ(p.feed(bad_link, 0).message, "page 1: Link header: expected '<' at byte 1; retry 2 of 2 in 2000 ms");
}

TEST(HubApi, PagerFailsAtOnceOnAClientError) {
  Pager p = Pager::start(params(0, 2), fast_policy()).value();
  Reply r = status(400);
  r.body = "{\"error\":\"Invalid sort\"}\n";
  Step s = p.feed(r, 0);
  EXPECT_EQ(s.kind, Step::failed);
  EXPECT_EQ(s.message, "page 1: HTTP 400: {\"error\":\"Invalid sort\"} ");
}

TEST(HubApi, PagerFindsACursorLoopAndKeepsThePage) {
  Pager p = Pager::start(params(0, 2), fast_policy()).value();
  const std::string first = p.url();
  p.feed(ok({"a", "b"}, kHost + "/api/models?cursor=2"), 0);
  Step s = p.feed(ok({"c", "d"}, first), 0);
  EXPECT_EQ(s.kind, Step::failed);
  EXPECT_EQ(ids_of(s.rows), (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(s.message, "page 2: cursor loop: its next link was already followed: '" + first + "'");
  EXPECT_EQ(p.rows(), 4u);
}

TEST(HubApi, PagerFindsALoopOfFreshCursors) {
  Pager p = Pager::start(params(0, 2), fast_policy()).value();
  p.feed(ok({"a", "b"}, kHost + "/api/models?cursor=1"), 0);
  EXPECT_EQ(p.feed(ok({"a", "b"}, kHost + "/api/models?cursor=2"), 0).kind, Step::page);
  EXPECT_EQ(p.feed(ok({"a", "b"}, kHost + "/api/models?cursor=3"), 0).kind, Step::page);
  Step s = p.feed(ok({"b", "a"}, kHost + "/api/models?cursor=4"), 0);
  EXPECT_EQ(s.kind, Step::failed);
  EXPECT_EQ(s.message, "page 4: cursor loop: 3 pages in a row brought no new model");
}

TEST(HubApi, PagerRefusesALinkToAnotherOrigin) {
  Pager p = Pager::start(params(0, 2), fast_policy()).value();
  Step s = p.feed(ok({"a", "b"}, "https://elsewhere.example/api/models?cursor=2"), 0);
  EXPECT_EQ(s.kind, Step::failed);
  EXPECT_EQ(s.message,
            "page 1: the next link leaves http://127.0.0.1:9: 'https://elsewhere.example/api/models?cursor=2'");
  EXPECT_EQ(p.rows(), 0u);  // nothing taken from a page that fails
}

TEST(HubApi, PagerResumesWhereTheStateSays) {
  Pager p = Pager::start(params(5, 2), fast_policy()).value();
  p.feed(ok({"a", "b"}, kHost + "/api/models?cursor=2"), 0);
  p.feed(status(500), 0);
  ResumeState st = p.state();
  EXPECT_EQ(st.next_url, kHost + "/api/models?cursor=2");
  EXPECT_EQ(st.rows, 2u);
  EXPECT_EQ(st.pages, 1u);
  auto back = parse_resume_state(resume_state_json(st));
  Pager q = Pager::resume(params(5, 2), back.value(), {"a", "b"}, fast_policy()).value();
  EXPECT_EQ(q.url(), kHost + "/api/models?cursor=2");
  Step s = q.feed(ok({"b", "c"}, kHost + "/api/models?cursor=4"), 0);
  EXPECT_EQ(ids_of(s.rows), std::vector<std::string>{"c"});
  EXPECT_EQ(q.rows(), 3u);
  EXPECT_EQ(q.pages(), 2u);
  st.next_url = "https://elsewhere.example/api/models?cursor=2";
  EXPECT_EQ(Pager::resume(params(5, 2), st, {}, fast_policy()).error(),
            "resume state: its next page 'https://elsewhere.example/api/models?cursor=2' is not on http://127.0.0.1:9");
}

}  // namespace
}  // namespace hfrec::hub
