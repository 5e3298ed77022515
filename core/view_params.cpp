// The table of the view's parameters and the range checks links, set() and the CLI share
// (view_params.h).
#include "view_params.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "map_lasso.h"  // kMaxLassoBytes
#include "text.h"

namespace hfrec {

namespace {

constexpr double kUnbounded = std::numeric_limits<double>::infinity();
constexpr double kU64Max = 18446744073709551615.0;

// Link key, set() path, CLI option, type, lo, hi, lo_open, cli_hi, max_bytes, noun.
constexpr ParamSpec kParams[] = {
    {Param::model, "model", "query", "--model", ParamType::text, 0, 0, false, 0, 1024},
    {Param::method, "method", "method", "--method", ParamType::name},
    {Param::compare, "compare", "compare", "", ParamType::name},
    {Param::k, "k", "k", "--k", ParamType::integer, 1, 100, false, 100000},
    {Param::task, "task", "filters.tasks", "--task", ParamType::text, 0, 0, false, 0, 256},
    {Param::library, "library", "filters.libraries", "--library", ParamType::text, 0, 0, false, 0, 256},
    {Param::model_type, "type", "filters.model_types", "--model-type", ParamType::text, 0, 0, false, 0, 256},
    {Param::view, "view", "view", "", ParamType::name},
    {Param::algo, "algo", "cluster.algo", "--algo", ParamType::name},
    {Param::features, "features", "cluster.features", "--features", ParamType::name},
    {Param::cluster_k, "ck", "cluster.k", "--k", ParamType::integer, 1, 100000, false, 100'000'000},
    {Param::eps, "eps", "cluster.eps", "--eps", ParamType::number, 0, 1000, true, kUnbounded},
    {Param::min_samples, "min_samples", "cluster.min_samples", "--min-samples", ParamType::integer, 1, 100000, false,
     100'000'000},
    {Param::seed, "seed", "cluster.seed", "--seed", ParamType::integer, 0, kU64Max, false, 9007199254740992.0},
    {Param::cut, "cut", "cluster.cut", "--height", ParamType::number, 0, 1e12, false, kUnbounded},
    {Param::focus, "focus", "cluster.focus", "", ParamType::integer, -1, 100000, false, 0, 0, "cluster"},
    {Param::zoom, "zoom", "map.zoom", "", ParamType::number, 0.25, 100000},
    {Param::cx, "cx", "map.cx", "", ParamType::number, -10, 11},
    {Param::cy, "cy", "map.cy", "", ParamType::number, -10, 11},
    {Param::size_by_downloads, "", "map.sizeByDownloads", "", ParamType::flag},
    {Param::layout, "layout", "layout", "", ParamType::name},
    {Param::map_features, "map", "map.features", "", ParamType::name},
    {Param::lasso, "lasso", "", "", ParamType::text, 0, 0, false, 0, kMaxLassoBytes},
    {Param::source, "src", "", "--catalogue", ParamType::text, 0, 0, false, 0, 8192},
    {Param::catalogue, "cat", "", "", ParamType::text, 0, 0, false, 0, 256},
    {Param::rows, "rows", "", "", ParamType::integer, 0, kU64Max, false, 0, 0, "row count"},
};

static_assert(sizeof(kParams) / sizeof(kParams[0]) == static_cast<size_t>(Param::rows) + 1,
              "kParams has one row per Param, in order");

std::string number_text(double d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  return buf;
}

double upper(const ParamSpec& s, bool cli) { return cli && s.cli_hi != 0 ? s.cli_hi : s.hi; }

}  // namespace

const ParamSpec& param_spec(Param p) { return kParams[static_cast<size_t>(p)]; }

const ParamSpec* find_link_param(std::string_view key) {
  if (key.empty()) return nullptr;
  for (const auto& s : kParams)
    if (s.link == key) return &s;
  return nullptr;
}

std::string describe_range(const ParamSpec& s, bool cli) {
  const double hi = upper(s, cli);
  if (s.type == ParamType::integer) {
    if (hi >= kU64Max) return s.lo == 0 ? "a non-negative integer" : "an integer >= " + number_text(s.lo);
    std::string noun = s.noun.empty() ? "integer" : std::string(s.noun);
    std::string article = noun[0] == 'i' ? "an " : "a ";
    return article + noun + " from " + number_text(s.lo) + " to " + number_text(hi);
  }
  if (s.type == ParamType::number) {
    if (s.lo_open) return "a number in (" + number_text(s.lo) + ", " + number_text(hi) + "]";
    if (hi >= 1e12) return "a number >= " + number_text(s.lo);
    return "a number from " + number_text(s.lo) + " to " + number_text(hi);
  }
  if (s.type == ParamType::flag) return "true or false";
  if (s.type == ParamType::text && s.max_bytes) return "at most " + std::to_string(s.max_bytes) + " bytes";
  return "a name";
}

bool in_range(const ParamSpec& s, double v, bool cli) {
  if (!std::isfinite(v)) return false;
  if (s.type == ParamType::integer && v != std::floor(v)) return false;
  const bool above_lo = s.lo_open ? v > s.lo : v >= s.lo;
  return above_lo && v <= upper(s, cli);
}

bool in_range(const ParamSpec& s, int64_t v, bool cli) {
  if (static_cast<double>(v) < s.lo || (s.lo_open && static_cast<double>(v) <= s.lo)) return false;
  const double hi = upper(s, cli);
  return hi >= kU64Max || static_cast<double>(v) <= hi;
}

bool in_range_unsigned(const ParamSpec& s, uint64_t v, bool cli) {
  if (s.lo > 0 && static_cast<double>(v) < s.lo) return false;
  const double hi = upper(s, cli);
  return hi >= kU64Max || static_cast<double>(v) <= hi;
}

std::optional<int64_t> parse_int_param(const ParamSpec& s, std::string_view text) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !in_range(s, n)) return std::nullopt;
  return n;
}

std::optional<uint64_t> parse_uint_param(const ParamSpec& s, std::string_view text) {
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !in_range_unsigned(s, n))
    return std::nullopt;
  return n;
}

std::optional<double> parse_number_param(const ParamSpec& s, std::string_view text) {
  double d = 0;
  if (!parse_decimal(text, d) || !in_range(s, d)) return std::nullopt;
  return d;
}

}  // namespace hfrec
