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

// libcurl, one connection kept open between requests; nullptr if libcurl cannot start.
std::unique_ptr<HttpClient> make_curl_client();

}  // namespace hfrec::cli
