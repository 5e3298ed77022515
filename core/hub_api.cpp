// Hub list-models paging: URLs, Link headers, Retry-After, backoff, resume state and the Pager.
// [SECTION] Helpers (trim, percent-encoding, civil dates)
// [SECTION] URLs and Link headers
// [SECTION] Retry-After and backoff
// [SECTION] Resume state, pages, base model
// [SECTION] Pager
#include "hub_api.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace hfrec::hub {

// [SECTION] Helpers (trim, percent-encoding, civil dates) ------------------------------------------

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

constexpr const char* kSorts[] = {"downloads", "likes", "lastModified", "createdAt"};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level
// Date Algorithms", days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool digits(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

// [SECTION] URLs and Link headers -------------------------------------------------------------------

const std::vector<std::string>& default_fields() {
  static const std::vector<std::string> f = {"author",       "cardData",     "config", "downloads", "lastModified",
                                             "library_name", "pipeline_tag", "tags",   "likes",     "createdAt"};
  return f;
}

std::string origin_of(std::string_view url) {
  size_t colon = url.find("://");
  if (colon == std::string_view::npos) return "";
  std::string scheme = lower(url.substr(0, colon));
  if (scheme != "http" && scheme != "https") return "";
  size_t end = url.find_first_of("/?#", colon + 3);
  if (end == std::string_view::npos) end = url.size();
  std::string_view host = url.substr(colon + 3, end - colon - 3);
  if (host.empty() || host.find('@') != std::string_view::npos) return "";
  return scheme + "://" + lower(host);
}

Result<std::string> first_page_url(const ListParams& p) {
  std::string host = p.host;
  while (!host.empty() && host.back() == '/') host.pop_back();
  if (origin_of(host).empty() || host.find_first_of("?#") != std::string::npos)
    return Error{"hub: expected http://HOST[:PORT] or https://HOST[:PORT], got '" + p.host + "'"};
  if (std::find(std::begin(kSorts), std::end(kSorts), p.sort) == std::end(kSorts))
    return Error{"sort: expected downloads, likes, lastModified or createdAt, got '" + p.sort + "'"};
  if (p.page_size < 1 || p.page_size > 1000)
    return Error{"page size: expected 1 to 1000, got " + std::to_string(p.page_size)};
  if (p.fields.empty()) return Error{"fields: expected at least one field to expand"};
  const size_t limit = p.n == 0 ? p.page_size : std::min(p.n, p.page_size);
  std::string url = host + "/api/models?sort=" + p.sort + "&direction=-1&limit=" + std::to_string(limit);
  for (const auto& f : p.fields) {
    if (f.empty()) return Error{"fields: an empty field name"};
    url += "&expand%5B%5D=" + url_encode(f);
  }
  return url;
}

Result<std::string> link_next(std::string_view h) {
  size_t i = 0;
  auto ws = [&] {
    while (i < h.size() && is_space(h[i])) ++i;
  };
  auto at = [&](size_t k) { return " at byte " + std::to_string(k + 1); };
  while (true) {
    ws();
    while (i < h.size() && (h[i] == ',' || is_space(h[i]))) ++i;
    if (i >= h.size()) return std::string();
    if (h[i] != '<') return Error{"Link header: expected '<'" + at(i)};
    size_t close = h.find('>', i + 1);
    if (close == std::string_view::npos) return Error{"Link header: no '>' after the '<'" + at(i)};
    std::string target(trim(h.substr(i + 1, close - i - 1)));
    i = close + 1;
    bool next = false;
    // Parameters: ; name [= token | "quoted"]
    while (true) {
      ws();
      if (i >= h.size() || h[i] == ',') break;
      if (h[i] != ';') return Error{"Link header: expected ';' or ','" + at(i)};
      ++i;
      ws();
      size_t b = i;
      while (i < h.size() && !is_space(h[i]) && h[i] != '=' && h[i] != ';' && h[i] != ',') ++i;
      std::string_view name = h.substr(b, i - b);
      if (name.empty()) return Error{"Link header: expected a parameter name" + at(b)};
      ws();
      std::string value;
      if (i < h.size() && h[i] == '=') {
        ++i;
        ws();
        if (i < h.size() && h[i] == '"') {
          size_t q = i++;
          while (i < h.size() && h[i] != '"') {
            if (h[i] == '\\' && i + 1 < h.size()) ++i;
            value += h[i++];
          }
          if (i >= h.size()) return Error{"Link header: unterminated quoted value" + at(q)};
          ++i;
        } else {
          size_t v = i;
          while (i < h.size() && !is_space(h[i]) && h[i] != ';' && h[i] != ',') ++i;
          value = std::string(h.substr(v, i - v));
        }
      }
      if (iequals(name, "rel")) {
        // rel may list several relation types: rel="next last".
        size_t k = 0;
        while (k < value.size()) {
          size_t e = value.find(' ', k);
          if (e == std::string::npos) e = value.size();
          if (iequals(std::string_view(value).substr(k, e - k), "next")) next = true;
          k = e + 1;
        }
      }
    }
    if (next) {
      if (target.empty()) return Error{"Link header: the next link is empty"};
      return target;
    }
  }
}

// [SECTION] Retry-After and backoff -----------------------------------------------------------------

Result<int64_t> parse_http_date(std::string_view s) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  s = trim(s);
  auto bad = [&] {
    return Error{"HTTP date: expected the form 'Sun, 06 Nov 1994 08:49:37 GMT', got '" + std::string(s.substr(0, 40)) +
                 "'"};
  };
  // "Sun, 06 Nov 1994 08:49:37 GMT" is 29 bytes.
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
      s[22] != ':' || s.substr(25) != " GMT")
    return bad();
  if (std::find(std::begin(kDays), std::end(kDays), s.substr(0, 3)) == std::end(kDays)) return bad();
  auto month = std::find(std::begin(kMonths), std::end(kMonths), s.substr(8, 3));
  if (month == std::end(kMonths)) return bad();
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
  if (!digits(s, 5, 2, day) || !digits(s, 12, 4, year) || !digits(s, 17, 2, hh) || !digits(s, 20, 2, mm) ||
      !digits(s, 23, 2, ss))
    return bad();
  const unsigned m = static_cast<unsigned>(month - std::begin(kMonths)) + 1;
  static constexpr int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day < 1 || day > kMonthDays[m - 1] || hh > 23 || mm > 59 || ss > 60) return bad();
  return days_from_civil(year, m, static_cast<unsigned>(day)) * 86400 + hh * 3600 + mm * 60 + ss;
}

Result<int64_t> retry_after_seconds(std::string_view value, int64_t now) {
  std::string_view v = trim(value);
  auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  if (!v.empty() && std::all_of(v.begin(), v.end(), digit)) {
    if (v.size() > 9) return int64_t{999'999'999};  // clamped by the caller's policy anyway
    return static_cast<int64_t>(std::stoll(std::string(v)));
  }
  auto date = parse_http_date(v);
  if (!date.ok())
    return Error{"Retry-After: expected seconds or an HTTP date, got '" + std::string(v.substr(0, 40)) + "'"};
  return std::max<int64_t>(0, date.value() - now);
}

int64_t backoff_ms(const RetryPolicy& p, int attempt) {
  int64_t w = std::max<int64_t>(0, p.base_ms);
  for (int k = 1; k < attempt && w < p.cap_ms; ++k) w *= 2;
  return std::min(w, p.cap_ms);
}

// [SECTION] Resume state, pages, base model ----------------------------------------------------------

std::string resume_state_json(const ResumeState& s) {
  nlohmann::json o;
  o["hfrec_fetch_state"] = 1;
  o["host"] = s.host;
  o["sort"] = s.sort;
  o["n"] = s.n;
  o["next"] = s.next_url;
  o["rows"] = s.rows;
  o["pages"] = s.pages;
  return o.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<ResumeState> parse_resume_state(std::string_view text) {
  auto o = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (o.is_discarded() || !o.is_object()) return Error{"resume state: not a JSON object"};
  if (!o.contains("hfrec_fetch_state"))
    return Error{"resume state: not written by hfrec fetch (no 'hfrec_fetch_state')"};
  ResumeState s;
  auto str = [&](const char* k, std::string& out) -> bool {
    auto it = o.find(k);
    if (it == o.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  auto num = [&](const char* k, size_t& out) -> bool {
    auto it = o.find(k);
    if (it == o.end() || !it->is_number_unsigned()) return false;
    out = it->get<size_t>();
    return true;
  };
  for (const char* k : {"host", "sort", "next"}) {
    std::string v;
    if (!str(k, v)) return Error{std::string("resume state: '") + k + "' must be a string"};
  }
  for (const char* k : {"n", "rows", "pages"}) {
    size_t v;
    if (!num(k, v)) return Error{std::string("resume state: '") + k + "' must be a non-negative integer"};
  }
  str("host", s.host);
  str("sort", s.sort);
  str("next", s.next_url);
  num("n", s.n);
  num("rows", s.rows);
  num("pages", s.pages);
  return s;
}

Result<std::vector<ModelRecord>> parse_page(std::string_view body) {
  std::string_view t = trim(body);
  if (t.size() >= 2 && t.front() == '[' && t.back() == ']' && trim(t.substr(1, t.size() - 2)).empty())
    return std::vector<ModelRecord>{};
  auto cat = load_hub_json(body, "page");
  if (!cat.ok()) return Error{cat.error()};
  std::vector<ModelRecord> rows;
  rows.reserve(cat.value().size());
  for (uint32_t r = 0; r < cat.value().size(); ++r) rows.push_back(record_of(cat.value(), r));
  return rows;
}

std::string base_model_of(const ModelRecord& r) {
  std::string with_relation;
  for (const auto& t : r.tags) {
    if (t.rfind("base_model:", 0) != 0) continue;
    std::string_view rest = std::string_view(t).substr(11);
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) {
      if (!rest.empty()) return std::string(rest);
    } else if (with_relation.empty() && colon + 1 < rest.size()) {
      with_relation = std::string(rest.substr(colon + 1));
    }
  }
  return with_relation;
}

// [SECTION] Pager -----------------------------------------------------------------------------------

Result<Pager> Pager::start(const ListParams& p, const RetryPolicy& r) {
  auto url = first_page_url(p);
  if (!url.ok()) return Error{url.error()};
  Pager g;
  g.params_ = p;
  g.policy_ = r;
  g.url_ = url.value();
  g.origin_ = origin_of(g.url_);
  g.followed_.insert(g.url_);
  return g;
}

Result<Pager> Pager::resume(const ListParams& p, const ResumeState& s, const std::vector<std::string>& known_ids,
                            const RetryPolicy& r) {
  auto g = start(p, r);
  if (!g.ok()) return g;
  Pager& pg = g.value();
  if (!s.next_url.empty() && origin_of(s.next_url) != pg.origin_)
    return Error{"resume state: its next page '" + s.next_url + "' is not on " + pg.origin_};
  pg.url_ = s.next_url;
  pg.followed_.insert(pg.url_);
  pg.pages_ = s.pages;
  for (const auto& id : known_ids) pg.seen_ids_.insert(id);
  pg.rows_ = known_ids.empty() ? s.rows : pg.seen_ids_.size();
  if (pg.params_.n && pg.rows_ >= pg.params_.n) pg.url_.clear();
  return g;
}

ResumeState Pager::state() const {
  ResumeState s;
  s.host = params_.host;
  s.sort = params_.sort;
  s.n = params_.n;
  s.next_url = url_;
  s.rows = rows_;
  s.pages = pages_;
  return s;
}

Step Pager::fail(std::string why) {
  Step s;
  s.kind = Step::failed;
  s.message = "page " + std::to_string(pages_ + 1) + ": " + why;
  return s;
}

Step Pager::retry(std::string why) {
  if (++retries_ > policy_.max_retries)
    return fail(why + "; gave up after " + std::to_string(policy_.max_retries) + " retries");
  ++total_retries_;
  Step s;
  s.kind = Step::wait;
  s.wait_ms = backoff_ms(policy_, retries_);
  s.message = "page " + std::to_string(pages_ + 1) + ": " + why + "; retry " + std::to_string(retries_) + " of " +
              std::to_string(policy_.max_retries) + " in " + std::to_string(s.wait_ms) + " ms";
  return s;
}

Step Pager::feed(const Reply& reply, int64_t now) {
  if (url_.empty()) return fail("the listing is already finished");
  if (reply.status == 0) return retry("network error: " + reply.network_error);
  if (reply.status == 429) {
    if (++rate_limited_ > policy_.max_rate_limited)
      return fail("HTTP 429 (rate limited) " + std::to_string(policy_.max_rate_limited) + " times in a row; gave up");
    ++total_rate_limited_;
    Step s;
    s.kind = Step::wait;
    std::string how;
    if (!reply.retry_after.empty()) {
      int64_t ref = now;
      if (auto d = parse_http_date(reply.date); d.ok()) ref = d.value();
      if (auto secs = retry_after_seconds(reply.retry_after, ref); secs.ok()) {
        const int64_t sec = secs.value();
        s.wait_ms = sec > policy_.max_retry_after_ms / std::max<int64_t>(1, policy_.second_ms)
                        ? policy_.max_retry_after_ms
                        : std::min(policy_.max_retry_after_ms, sec * policy_.second_ms);
        how = "Retry-After " + std::to_string(sec) + " s";
      } else {
        how = secs.error() + ", backing off";
        s.wait_ms = backoff_ms(policy_, rate_limited_);
      }
    } else {
      how = "no Retry-After, backing off";
      s.wait_ms = backoff_ms(policy_, rate_limited_);
    }
    s.message = "page " + std::to_string(pages_ + 1) + ": HTTP 429 (rate limited), " + how + ": waiting " +
                std::to_string(s.wait_ms) + " ms";
    return s;
  }
  if (reply.status >= 500) return retry("HTTP " + std::to_string(reply.status));
  if (reply.status < 200 || reply.status >= 300) {
    std::string body = reply.body.substr(0, 200);
    for (char& c : body)
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return fail("HTTP " + std::to_string(reply.status) + (body.empty() ? "" : ": " + body));
  }
  auto rows = parse_page(reply.body);
  if (!rows.ok()) return retry("unreadable page: " + rows.error());
  auto link = link_next(reply.link);
  if (!link.ok()) return retry(link.error());
  std::string next = link.value();
  if (!next.empty() && next[0] == '/') next = origin_ + next;  // a path relative to the origin
  if (!next.empty() && origin_of(next) != origin_)
    return fail("the next link leaves " + origin_ + ": '" + next.substr(0, 1000) + "'");

  // The page is good: take its new models.
  retries_ = 0;
  rate_limited_ = 0;
  Step s;
  s.kind = Step::page;
  for (auto& r : rows.value()) {
    if (params_.n && rows_ >= params_.n) break;
    if (!seen_ids_.insert(r.id).second) continue;
    ++rows_;
    s.rows.push_back(std::move(r));
  }
  ++pages_;
  stalled_ = s.rows.empty() ? stalled_ + 1 : 0;
  if (params_.n && rows_ >= params_.n) {
    url_.clear();
    s.message = "reached " + std::to_string(params_.n) + " models";
    return s;
  }
  if (next.empty()) {
    url_.clear();
    s.message = "the Hub lists no more models";
    return s;
  }
  url_ = next;
  // A loop fails after the page's models are taken: they are good, and written.
  std::string loop;
  if (!followed_.insert(next).second)
    loop = "cursor loop: its next link was already followed: '" + next.substr(0, 1000) + "'";
  else if (stalled_ >= 3) loop = "cursor loop: " + std::to_string(stalled_) + " pages in a row brought no new model";
  if (!loop.empty()) {
    s.kind = Step::failed;
    s.message = "page " + std::to_string(pages_) + ": " + loop;
  }
  return s;
}

}  // namespace hfrec::hub
