// HttpClient over libcurl: GET with redirects, gzip, the Link/Retry-After/Date headers kept.
#include <curl/curl.h>

#include <cctype>
#include <string>

#include "http.h"

namespace hfrec::cli {

namespace {

constexpr size_t kMaxBody = size_t(512) << 20;  // a list-models page is a few MB

struct Exchange {
  hub::Reply reply;
  bool too_big = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* x = static_cast<Exchange*>(user);
  if (x->reply.body.size() + size * n > kMaxBody) {
    x->too_big = true;
    return 0;  // aborts the transfer
  }
  x->reply.body.append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* x = static_cast<Exchange*>(user);
  std::string line(data, size * n);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {  // a new response (after a redirect or 100 Continue)
    x->reply.link.clear();
    x->reply.retry_after.clear();
    x->reply.date.clear();
    return size * n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = line.substr(0, colon);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t b = line.find_first_not_of(" \t", colon + 1);
  std::string value = b == std::string::npos ? "" : line.substr(b);
  if (name == "link") x->reply.link += (x->reply.link.empty() ? "" : ", ") + value;
  else if (name == "retry-after") x->reply.retry_after = value;
  else if (name == "date") x->reply.date = value;
  return size * n;
}

class CurlClient : public HttpClient {
 public:
  CurlClient() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    curl_ = curl_easy_init();
    headers_ = curl_slist_append(nullptr, "Accept: application/json");
  }
  ~CurlClient() override {
    curl_slist_free_all(headers_);
    if (curl_) curl_easy_cleanup(curl_);
    curl_global_cleanup();
  }
  bool ok() const { return curl_ != nullptr; }

  hub::Reply get(const std::string& url) override {
    Exchange x;
    char err[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_USERAGENT, "hfrec-fetch/0.1");
    curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl_, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85: the string forms
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(curl_, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1L);  // stalled for 2 minutes: a network error
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, 120L);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &x);
    const CURLcode rc = curl_easy_perform(curl_);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, nullptr);
    if (rc != CURLE_OK) {
      hub::Reply r;
      r.network_error = x.too_big ? "the answer is over " + std::to_string(kMaxBody >> 20) + " MiB"
                                  : std::string(curl_easy_strerror(rc)) + (err[0] ? std::string(" (") + err + ")" : "");
      return r;
    }
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    x.reply.status = static_cast<int>(status);
    return std::move(x.reply);
  }

 private:
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client() {
  auto c = std::make_unique<CurlClient>();
  if (!c->ok()) return nullptr;
  return c;
}

}  // namespace hfrec::cli
