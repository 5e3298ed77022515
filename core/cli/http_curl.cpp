// HttpClient over libcurl: GET with redirects, gzip, the Link/Retry-After/Date headers kept.
// libcurl is loaded when `fetch` first needs it (dlopen), not linked: linked, it and the 34 shared
// libraries it pulls in took 15 ms and 7.8 MB of every hfrec process's start, fetch or not (a
// 10k `recommend` is 70 ms). Its header still gives the types and constants.
#include <curl/curl.h>
#include <dlfcn.h>

#include <cctype>
#include <string>
#include <type_traits>

#include "http.h"

namespace hfrec::cli {

namespace {

// The libcurl functions the client calls, from the shared library.
struct Curl {
  CURLcode (*global_init)(long) = nullptr;
  void (*global_cleanup)() = nullptr;
  CURL* (*easy_init)() = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  const char* (*easy_strerror)(CURLcode) = nullptr;
  curl_slist* (*slist_append)(curl_slist*, const char*) = nullptr;
  void (*slist_free_all)(curl_slist*) = nullptr;
  std::string error;  // why it could not be loaded; empty when every function was found
};

// Loads libcurl once; the library stays loaded for the process.
const Curl& curl() {
  static const Curl c = [] {
    Curl k;
    void* lib = nullptr;
    for (const char* name : {"libcurl.so.4", "libcurl.so", "libcurl-gnutls.so.4"})
      if ((lib = dlopen(name, RTLD_NOW | RTLD_LOCAL))) break;
    if (!lib) {
      const char* e = dlerror();
      k.error = std::string("cannot load libcurl (libcurl.so.4; Debian: apt-get install libcurl4)") +
                (e ? ": " + std::string(e) : "");
      return k;
    }
    bool all = true;
    const auto get = [&](auto& fn, const char* symbol) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, symbol));
      if (!fn && all) {
        all = false;
        k.error = std::string("libcurl has no ") + symbol;
      }
    };
    get(k.global_init, "curl_global_init");
    get(k.global_cleanup, "curl_global_cleanup");
    get(k.easy_init, "curl_easy_init");
    get(k.easy_cleanup, "curl_easy_cleanup");
    get(k.easy_setopt, "curl_easy_setopt");
    get(k.easy_perform, "curl_easy_perform");
    get(k.easy_getinfo, "curl_easy_getinfo");
    get(k.easy_strerror, "curl_easy_strerror");
    get(k.slist_append, "curl_slist_append");
    get(k.slist_free_all, "curl_slist_free_all");
    return k;
  }();
  return c;
}

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
  // `c` has every function (its error is empty).
  explicit CurlClient(const Curl& c) : c_(c) {
    c_.global_init(CURL_GLOBAL_DEFAULT);
    curl_ = c_.easy_init();
    headers_ = c_.slist_append(nullptr, "Accept: application/json");
  }
  ~CurlClient() override {
    c_.slist_free_all(headers_);
    if (curl_) c_.easy_cleanup(curl_);
    c_.global_cleanup();
  }
  bool ok() const { return curl_ != nullptr; }

  hub::Reply get(const std::string& url) override {
    Exchange x;
    char err[CURL_ERROR_SIZE] = {0};
    c_.easy_setopt(curl_, CURLOPT_URL, url.c_str());
    c_.easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    c_.easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    c_.easy_setopt(curl_, CURLOPT_USERAGENT, "hfrec-fetch/0.1");
    c_.easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 1L);
    c_.easy_setopt(curl_, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85: the string forms
    c_.easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
    c_.easy_setopt(curl_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
    c_.easy_setopt(curl_, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
    c_.easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, 30L);
    c_.easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1L);  // stalled for 2 minutes: a network error
    c_.easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, 120L);
    c_.easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    c_.easy_setopt(curl_, CURLOPT_ERRORBUFFER, err);
    c_.easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_body);
    c_.easy_setopt(curl_, CURLOPT_WRITEDATA, &x);
    c_.easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
    c_.easy_setopt(curl_, CURLOPT_HEADERDATA, &x);
    const CURLcode rc = c_.easy_perform(curl_);
    c_.easy_setopt(curl_, CURLOPT_ERRORBUFFER, nullptr);
    if (rc != CURLE_OK) {
      hub::Reply r;
      r.network_error = x.too_big ? "the answer is over " + std::to_string(kMaxBody >> 20) + " MiB"
                                  : std::string(c_.easy_strerror(rc)) + (err[0] ? std::string(" (") + err + ")" : "");
      return r;
    }
    long status = 0;
    c_.easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    x.reply.status = static_cast<int>(status);
    return std::move(x.reply);
  }

 private:
  const Curl& c_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client(std::string* why) {
  const Curl& lib = curl();
  if (!lib.error.empty()) {
    if (why) *why = lib.error;
    return nullptr;
  }
  auto c = std::make_unique<CurlClient>(lib);
  if (!c->ok()) {
    if (why) *why = "curl_easy_init failed";
    return nullptr;
  }
  return c;
}

}  // namespace hfrec::cli
