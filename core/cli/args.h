// Minimal argument parsing for the hfrec command line: --name value, --flag, -k N.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "../text.h"  // excerpt
#include "../view_params.h"

namespace hfrec::cli {

struct Args {
  std::string command;
  std::multimap<std::string, std::string> opts;  // "--model" -> "bert-base-uncased"
  std::vector<std::string> errors;

  bool has(const std::string& k) const { return opts.count(k) > 0; }
  std::string get(const std::string& k, const std::string& def = "") const {
    auto it = opts.find(k);
    return it == opts.end() ? def : it->second;
  }
  std::vector<std::string> all(const std::string& k) const {
    std::vector<std::string> v;
    for (auto [a, b] = opts.equal_range(k); a != b; ++a) v.push_back(a->second);
    return v;
  }
  // Parses an integer option into out; records an error naming the option when it is not one.
  bool get_int(const std::string& k, long long& out, long long lo, long long hi);
  bool get_double(const std::string& k, double& out);
};

// The largest value the CLI takes for a parameter of view_params.h's table.
inline long long cli_max(Param p) {
  const ParamSpec& s = param_spec(p);
  return static_cast<long long>(s.cli_hi != 0 ? s.cli_hi : s.hi);
}

// Options that take no value.
Args parse_args(int argc, char** argv, const std::vector<std::string>& flags);

// Exit codes: 0 ok, 2 unusable input or arguments, 3 some queries failed, 4 a fetch failed
// (network or server, after retries).
inline constexpr int kExitUsage = 2;
inline constexpr int kExitQueryFailed = 3;
inline constexpr int kExitFetchFailed = 4;

// Adds an error for each option not in `known` ("unknown option --fromat (did you mean --format?)").
void check_options(Args& a, const std::vector<std::string>& known);

// Text for a terminal: control characters (ESC, BEL, CR, ...) as \x1b etc., so ids and arguments
// cannot move the cursor, retitle the window or write the clipboard.
std::string printable(std::string_view text);
// A JSON value as one line (indent -1) or indented; invalid UTF-8 in strings becomes U+FFFD
// instead of an exception.
std::string json_line(const nlohmann::json& j, int indent = -1);

// Peak resident memory of this process in bytes (0 when unknown).
size_t peak_rss_bytes();

int cmd_recommend(const Args& a);
int cmd_stats(const Args& a);
int cmd_cluster(const Args& a);
int cmd_elbow(const Args& a);
int cmd_eval(const Args& a);
int cmd_fetch(const Args& a);
int cmd_layout(const Args& a);

}  // namespace hfrec::cli
