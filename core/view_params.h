// The view's parameters as one table: every key a share link, window.hfrec.set() / cluster() and
// the CLI name, with its type and range, and the checks all three use. Adding a URL parameter is a
// row here and a field in ShareLink (share_link.h); see CONTRIBUTING.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hfrec {

enum class ParamType {
  integer,  // a whole number in [lo, hi]
  number,   // a finite decimal number in [lo, hi] (or (lo, hi] when lo_open)
  text,     // a string of at most max_bytes bytes (UTF-8, no control characters in links)
  name,     // one of a fixed set of names (a method, a view, an algorithm, a feature space)
  flag,     // true or false
};

enum class Param {
  model,
  method,
  compare,
  k,
  task,
  library,
  model_type,
  view,  // the ranked list
  algo,
  features,
  cluster_k,
  eps,
  min_samples,
  seed,
  cut,
  focus,  // the clustering
  zoom,
  cx,
  cy,
  size_by_downloads,
  layout,
  map_features,
  lasso,  // the map
  source,
  catalogue,
  rows,  // the catalogue
};

struct ParamSpec {
  Param param;
  std::string_view link;  // share-link key ("ck"); "" when links do not carry it
  std::string_view api;   // its path in set()'s JSON ("cluster.k")
  std::string_view cli;   // the CLI's option ("--k"); "" when the CLI has none
  ParamType type;
  double lo = 0, hi = 0;       // integer / number: the range the app and links accept
  bool lo_open = false;        // number: (lo, hi] instead of [lo, hi]
  double cli_hi = 0;           // the CLI's upper bound where batch work allows more; 0: hi
  size_t max_bytes = 0;        // text: longest value
  std::string_view noun = "";  // integer: what the number counts, for messages ("cluster")
};

// The table, one row per Param, in Param's order.
const ParamSpec& param_spec(Param p);
// The row for a share-link key (nullptr for a key links do not define).
const ParamSpec* find_link_param(std::string_view key);

// Most values a share link (or set()) may carry for the three filters together, and the most
// key=value pairs in one link: a link the app writes never exceeds them.
inline constexpr size_t kMaxFilterValues = 180;
inline constexpr size_t kMaxLinkValues = 200;
inline constexpr size_t kMaxLinkBytes = 16 * 1024;

// What a value must be, for messages: "an integer from 1 to 100", "a number in (0, 1000]",
// "a number >= 0", "a non-negative integer", "a cluster from -1 to 100000". `cli` uses cli_hi.
std::string describe_range(const ParamSpec& s, bool cli = false);
// True when v is within the spec's range (integers: also whole).
bool in_range(const ParamSpec& s, double v, bool cli = false);
bool in_range(const ParamSpec& s, int64_t v, bool cli = false);
bool in_range_unsigned(const ParamSpec& s, uint64_t v, bool cli = false);

// Parses an integer / number written in a link (decimal, no sign for unsigned, no hex, inf or
// nan) and checks its range. nullopt when it is not one or out of range.
std::optional<int64_t> parse_int_param(const ParamSpec& s, std::string_view text);
std::optional<uint64_t> parse_uint_param(const ParamSpec& s, std::string_view text);
std::optional<double> parse_number_param(const ParamSpec& s, std::string_view text);

}  // namespace hfrec
