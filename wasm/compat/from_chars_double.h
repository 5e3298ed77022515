// Emscripten 3.1.6's libc++ has no floating-point std::from_chars (a call binds to the deleted bool
// overload). Force-included into hfrec_core for the WASM build only, until core parses doubles
// without it. Accepts what strtod accepts, in the "C" locale (which is the only one in WASM).
#pragma once
#include <charconv>
#include <cstdlib>
#include <cerrno>
#include <string>

namespace std {
inline from_chars_result from_chars(const char* first, const char* last, double& value) {
  std::string s(first, last);
  if (s.empty() || s[0] == ' ' || s[0] == '+' || s[0] == '\t' || s[0] == '\n') return {first, errc::invalid_argument};
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return {first, errc::invalid_argument};
  if (errno == ERANGE) return {first + (end - s.c_str()), errc::result_out_of_range};
  value = v;
  return {first + (end - s.c_str()), errc{}};
}
}  // namespace std
