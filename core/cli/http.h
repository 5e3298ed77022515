// The one HTTP request hfrec fetch makes (GET a URL), behind an interface: core/hub_api decides,
// a client carries the request, so the paging logic stays free of the network library.
#pragma once
#include <memory>
#include <string>

#include "../hub_api.h"

namespace hfrec::cli {

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // GETs `url` (following redirects); status 0 and network_error set when no answer came.
  virtual hub::Reply get(const std::string& url) = 0;
};

// libcurl (loaded on first use), one connection kept open between requests; nullptr, with the
// reason in *why, if libcurl cannot be loaded or started.
std::unique_ptr<HttpClient> make_curl_client(std::string* why = nullptr);

}  // namespace hfrec::cli
