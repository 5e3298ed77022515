// Share links: the URL hash parsed as untrusted input (percent-decoding, limits, allowed catalogue
// URLs) and written back, and the Hub URLs built from model ids (share_link.h).
#include "share_link.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "clustering.h"
#include "recommender.h"
#include "text.h"
#include "view_params.h"

namespace hfrec {

namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string lower_ascii(std::string_view s) {
  std::string o(s);
  for (char& c : o)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return o;
}

Error param_error(std::string_view key, const std::string& what) {
  return Error{"parameter '" + std::string(key) + "': " + what};
}

// A value quoted for an error message: at most 60 bytes, control characters escaped.
std::string quoted(std::string_view v) {
  std::string o = "'";
  size_t n = 0;
  for (unsigned char c : v) {
    if (++n > 60) {
      o += "...";
      break;
    }
    if (c < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789ABCDEF";
      o += "\\x";
      o += hex[c >> 4];
      o += hex[c & 15];
    } else {
      o += static_cast<char>(c);
    }
  }
  return o + "'";
}

// A bound for messages: "100", "0.25".
std::string number_text(double d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  return buf;
}

// Shortest text that reads back as the same double.
std::string format_number(double d) {
  char buf[40];
  for (int prec = 6; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  return buf;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

std::string percent_encode(std::string_view s, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string o;
  o.reserve(s.size());
  for (unsigned char c : s) {
    if (unreserved(c) || (keep_slash && c == '/')) {
      o += static_cast<char>(c);
    } else {
      o += '%';
      o += hex[c >> 4];
      o += hex[c & 15];
    }
  }
  return o;
}

Result<std::string> percent_decode(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      o += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return Error{"truncated escape '%' at byte " + std::to_string(i)};
    int h = hex_value(s[i + 1]), l = hex_value(s[i + 2]);
    if (h < 0 || l < 0) return Error{"bad escape " + quoted(s.substr(i, 3)) + " at byte " + std::to_string(i)};
    o += static_cast<char>(h * 16 + l);
    i += 2;
  }
  return o;
}

bool is_allowed_catalogue_url(std::string_view url, std::string_view page_origin) {
  if (url.empty() || url.size() > 4096 || has_control(url)) return false;
  if (url.find('\\') != std::string_view::npos) return false;
  if (url.find(' ') != std::string_view::npos) return false;
  // Scheme: letters, digits, + - . before the first ':' that comes before any '/', '?' or '#'.
  size_t colon = url.find(':');
  size_t stop = url.find_first_of("/?#");
  bool has_scheme = colon != std::string_view::npos && (stop == std::string_view::npos || colon < stop);
  if (!has_scheme) {
    // Same-origin path: "/x", "x", "./x"; never "//host" (protocol-relative).
    if (url.size() >= 2 && url[0] == '/' && url[1] == '/') return false;
    return true;
  }
  std::string scheme = lower_ascii(url.substr(0, colon));
  std::string_view rest = url.substr(colon + 1);
  if (rest.substr(0, 2) != "//") return false;
  std::string_view after = rest.substr(2);
  std::string_view authority = after.substr(0, after.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  if (scheme == "https") return true;
  // Any other scheme only for the page's own origin (e.g. http://localhost:8000 in development).
  std::string origin = lower_ascii(page_origin);
  std::string mine = scheme + "://" + lower_ascii(authority);
  return !origin.empty() && mine == origin;
}

std::string huggingface_url(std::string_view model_id) {
  if (model_id.empty()) return {};
  std::string path;
  size_t start = 0;
  while (true) {
    size_t slash = model_id.find('/', start);
    std::string_view seg =
        model_id.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg.empty() || seg == "." || seg == "..") return {};
    if (!path.empty()) path += '/';
    path += percent_encode(seg);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return "https://huggingface.co/" + path;
}

Result<ShareLinkParts> parse_share_link_parts(std::string_view hash, std::string_view page_origin,
                                              const ShareLinkLimits& limits) {
  ShareLinkParts parts;
  ShareLink& link = parts.link;
  if (!hash.empty() && hash[0] == '#') hash.remove_prefix(1);
  if (hash.size() > limits.max_bytes)
    return Error{"link too long: " + std::to_string(hash.size()) + " bytes (at most " +
                 std::to_string(limits.max_bytes) + ")"};
  // Leaves a parameter out: `reason` for people, `what` as parse_share_link's error says it.
  auto reject = [&](std::string key, std::string value, std::string reason, const std::string& what) {
    std::string error = param_error(key, what).message;
    parts.problems.push_back({std::move(key), std::move(value), std::move(reason), std::move(error)});
  };
  size_t pairs = 0;
  size_t start = 0;
  while (start <= hash.size()) {
    size_t amp = hash.find('&', start);
    std::string_view item = hash.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    start = amp == std::string_view::npos ? hash.size() + 1 : amp + 1;
    if (item.empty()) continue;
    if (++pairs > limits.max_values)
      return Error{"link has more than " + std::to_string(limits.max_values) + " parameters"};
    size_t eq = item.find('=');
    const std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    auto rk = percent_decode(item.substr(0, eq));
    if (!rk.ok()) {
      std::string key(item.substr(0, eq));
      parts.problems.push_back({key, std::string(raw_value),
                                "has a name that is not percent-encoded correctly (" + rk.error() + ")",
                                "parameter name " + quoted(key) + ": " + rk.error()});
      continue;
    }
    std::string key = rk.value();
    auto rv = percent_decode(raw_value);
    if (!rv.ok()) {
      reject(key, std::string(raw_value), "is not percent-encoded correctly (" + rv.error() + ")", rv.error());
      continue;
    }
    std::string v = std::move(rv).value();
    if (!utf8_valid(v)) {
      reject(key, std::string(raw_value), "is not valid UTF-8", "not valid UTF-8");
      continue;
    }
    if (key != "src" && has_control(v)) {
      reject(key, v, "contains control characters", "contains control characters");
      continue;
    }

    // A value checked against its row of the table (view_params.h).
    auto too_long = [&](const ParamSpec& spec, const char* what) {
      if (v.size() <= spec.max_bytes) return false;
      const std::string n = std::to_string(spec.max_bytes);
      reject(key, v, "is longer than " + n + " bytes", std::string(what) + " longer than " + n + " bytes");
      return true;
    };
    auto integer = [&](Param p) -> std::optional<int64_t> {
      const ParamSpec& spec = param_spec(p);
      if (auto n = parse_int_param(spec, v)) return n;
      // Say which side of the range a whole number fell on.
      int64_t n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      const bool whole = !v.empty() && end == v.data() + v.size() && ec != std::errc::invalid_argument;
      const bool high = whole && (ec == std::errc::result_out_of_range ? v[0] != '-' : n > spec.hi);
      const std::string range = describe_range(spec);
      reject(key, v,
             high    ? "is above the limit " + number_text(spec.hi)
             : whole ? "is below the minimum " + number_text(spec.lo)
                     : "is not " + range,
             "must be " + range + ", got " + quoted(v));
      return std::nullopt;
    };
    auto number = [&](Param p) -> std::optional<double> {
      const ParamSpec& spec = param_spec(p);
      auto d = parse_number_param(spec, v);
      if (!d)
        reject(key, v, "is not " + describe_range(spec), "must be " + describe_range(spec) + ", got " + quoted(v));
      return d;
    };

    if (key == "model" || key == "m") {
      if (v.empty()) reject(key, v, "is empty", "empty model id");
      else if (!too_long(param_spec(Param::model), "model id")) link.model = v;
    } else if (key == "method" || key == "compare") {
      Method m;
      if (!v.empty() && !parse_method(v, m)) {
        std::string names;
        for (Method x : kAllMethods) names += std::string(names.empty() ? "" : ", ") + method_name(x);
        reject(key, v, "is not a method (one of " + names + ")",
               "unknown method " + quoted(v) + " (one of " + names + ")");
      } else {
        (key == "method" ? link.method : link.compare) = v;
      }
    } else if (key == "k") {
      if (auto n = integer(Param::k)) link.k = static_cast<int>(*n);
    } else if (key == "task" || key == "library" || key == "type") {
      const Param p = key == "task" ? Param::task : key == "library" ? Param::library : Param::model_type;
      if (v.empty()) {
        reject(key, v, "is empty", "empty filter value");
      } else if (!too_long(param_spec(p), "filter value")) {
        auto& list = key == "task" ? link.tasks : key == "library" ? link.libraries : link.model_types;
        list.push_back(v);
      }
    } else if (key == "view") {
      bool known = false;
      for (const char* name : kViews) known = known || v == name;
      if (!known)
        reject(key, v, "is not a view (results, clusters)", "unknown view " + quoted(v) + " (results, clusters)");
      else link.view = v;
    } else if (key == "layout") {
      bool known = false;
      for (const char* name : kLayouts) known = known || v == name;
      if (!known) reject(key, v, "is not a map layout (umap, pca)", "unknown map layout " + quoted(v) + " (umap, pca)");
      else link.layout = v;
    } else if (key == "map") {
      if (!is_map_space(v))
        reject(key, v, std::string("is not a map space (") + kMapSpaceList + ")",
               "unknown map space " + quoted(v) + " (" + kMapSpaceList + ")");
      else link.map_features = v;
    } else if (key == "lasso") {
      if (!too_long(param_spec(Param::lasso), "lasso")) {
        auto poly = parse_lasso(v);
        MapPolygon kept = poly.ok() ? normalize_lasso(poly.value()) : MapPolygon{};
        if (!poly.ok()) reject(key, v, "is not a lasso (" + poly.error() + ")", "not a lasso: " + poly.error());
        else if (kept.x.empty())
          reject(key, v, "is not a lasso (fewer than 3 distinct points)", "not a lasso: fewer than 3 distinct points");
        else link.lasso = std::move(kept);
      }
    } else if (key == "algo") {
      ClusterAlgo a;
      if (!parse_algo(v, a))
        reject(key, v, "is not an algorithm (kmeans, ward, dbscan)",
               "unknown algorithm " + quoted(v) + " (kmeans, ward, dbscan)");
      else link.algo = v;
    } else if (key == "features") {
      FeatureSpace f;
      if (!parse_feature_space(v, f))
        reject(key, v, "is not a feature space (attributes, soup, tfidf)",
               "unknown feature space " + quoted(v) + " (attributes, soup, tfidf)");
      else link.features = v;
    } else if (key == "ck") {
      if (auto n = integer(Param::cluster_k)) link.cluster_k = static_cast<int>(*n);
    } else if (key == "min_samples") {
      if (auto n = integer(Param::min_samples)) link.min_samples = static_cast<int>(*n);
    } else if (key == "focus") {
      if (auto n = integer(Param::focus)) link.focus = static_cast<int>(*n);
    } else if (key == "seed") {
      if (auto n = parse_uint_param(param_spec(Param::seed), v)) link.seed = *n;
      else reject(key, v, "is not a non-negative integer", "must be a non-negative integer, got " + quoted(v));
    } else if (key == "eps" || key == "cut" || key == "zoom" || key == "cx" || key == "cy") {
      const Param p = find_link_param(key)->param;
      if (auto d = number(p))
        (key == "eps"    ? link.eps
         : key == "cut"  ? link.cut
         : key == "zoom" ? link.zoom
         : key == "cx"   ? link.cx
                         : link.cy) = *d;
    } else if (key == "src") {
      if (!is_allowed_catalogue_url(v, page_origin))
        reject(key, v, "is not an https: URL or this site's own",
               "catalogue URL " + quoted(v) + " is not https: or this site's own");
      else link.source = v;
    } else if (key == "cat") {
      if (!too_long(param_spec(Param::catalogue), "catalogue name")) link.catalogue = v;
    } else if (key == "rows") {
      uint64_t n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || p != v.data() + v.size())
        reject(key, v, "is not a row count", "must be a row count, got " + quoted(v));
      else link.rows = n;
    } else {
      if (key.size() > 64) {
        parts.problems.push_back(
            {key, v, "has a name longer than 64 bytes", "parameter name " + quoted(key) + " is too long"});
      } else {
        link.extra.emplace_back(key, v);
      }
    }
  }
  return parts;
}

Result<ShareLink> parse_share_link(std::string_view hash, std::string_view page_origin, const ShareLinkLimits& limits) {
  auto r = parse_share_link_parts(hash, page_origin, limits);
  if (!r.ok()) return Error{r.error()};
  if (!r.value().problems.empty()) return Error{r.value().problems.front().error};
  return std::move(r).value().link;
}

bool is_map_space(std::string_view name) {
  for (const char* m : kMapSpaces)
    if (name == m) return true;
  return false;
}

std::string describe_link_problem(const LinkProblem& p) {
  // quoted() without its quotes: at most 60 bytes, control characters escaped.
  auto shown = [](std::string_view s) {
    std::string q = quoted(s);
    return q.substr(1, q.size() - 2);
  };
  return shown(p.key) + "=" + shown(p.value) + " " + p.reason;
}

std::string format_share_link(const ShareLink& l, std::vector<std::string>* left_out) {
  // Only what parse_share_link_parts takes back: a value it would refuse (too long, control
  // characters, not UTF-8) is left out, and when the whole link would pass its limits (bytes,
  // parameters) the last filter values and unknown keys go first. Each one left out is named.
  struct Piece {
    std::string text;  // "key=value", percent-encoded
    bool droppable;    // a filter value or an unknown key
  };
  std::vector<Piece> pieces;
  auto omit = [&](std::string_view key) {
    if (left_out) left_out->emplace_back(key);
  };
  auto add = [&](std::string_view key, std::string_view v, bool keep_slash = false, bool droppable = false) {
    pieces.push_back({std::string(key) + '=' + percent_encode(v, keep_slash), droppable});
  };
  auto text_ok = [](Param p, std::string_view v) {
    return utf8_valid(v) && !has_control(v) && v.size() <= param_spec(p).max_bytes;
  };
  auto add_text = [&](Param p, std::string_view v, bool keep_slash = false, bool droppable = false) {
    const std::string_view key = param_spec(p).link;
    if (text_ok(p, v)) add(key, v, keep_slash, droppable);
    else omit(key);
  };
  if (!l.model.empty()) add_text(Param::model, l.model, true);
  if (!l.method.empty()) add("method", l.method);
  if (l.k) add("k", std::to_string(*l.k));
  for (const auto& t : l.tasks) add_text(Param::task, t, false, true);
  for (const auto& t : l.libraries) add_text(Param::library, t, false, true);
  for (const auto& t : l.model_types) add_text(Param::model_type, t, false, true);
  if (!l.compare.empty()) add("compare", l.compare);
  if (!l.view.empty()) add("view", l.view);
  if (!l.algo.empty()) add("algo", l.algo);
  if (!l.features.empty()) add("features", l.features);
  if (l.cluster_k) add("ck", std::to_string(*l.cluster_k));
  if (l.eps) add("eps", format_number(*l.eps));
  if (l.min_samples) add("min_samples", std::to_string(*l.min_samples));
  if (l.seed) add("seed", std::to_string(*l.seed));
  if (l.cut) add("cut", format_number(*l.cut));
  if (l.focus) add("focus", std::to_string(*l.focus));
  if (l.zoom) add("zoom", format_number(*l.zoom));
  if (l.cx) add("cx", format_number(*l.cx));
  if (l.cy) add("cy", format_number(*l.cy));
  if (!l.layout.empty()) add("layout", l.layout);
  if (!l.map_features.empty()) add("map", l.map_features);
  if (!l.lasso.x.empty()) {
    // Digits, '.', '-' and ',' only: written as they are (a fragment may hold commas). Left out
    // before the filter values when the link would be too long.
    const std::string text = format_lasso(l.lasso);
    if (!text.empty()) pieces.push_back({"lasso=" + text, true});
    else omit("lasso");
  }
  if (!l.source.empty()) {
    if (l.source.size() <= 4096 && !has_control(l.source)) add("src", l.source, true);
    else omit("src");
  }
  if (!l.catalogue.empty()) add_text(Param::catalogue, l.catalogue);
  if (l.rows) add("rows", std::to_string(*l.rows));
  for (const auto& [k, v] : l.extra) {
    if (k.size() > 64 || !utf8_valid(v) || has_control(v)) {  // as the reader keeps unknown keys
      omit(k.substr(0, 64));
      continue;
    }
    pieces.push_back({percent_encode(k) + '=' + percent_encode(v), true});
  }
  // The whole link within the reader's limits: drop droppable pieces from the end.
  size_t bytes = 0;
  for (const auto& p : pieces) bytes += p.text.size() + 1;
  for (size_t i = pieces.size(); i-- > 0 && (pieces.size() > kMaxLinkValues || bytes > kMaxLinkBytes);) {
    if (!pieces[i].droppable) continue;
    bytes -= pieces[i].text.size() + 1;
    omit(std::string_view(pieces[i].text).substr(0, pieces[i].text.find('=')));
    pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(i));
  }
  std::string o;
  for (const auto& p : pieces) (o += o.empty() ? "#" : "&") += p.text;
  return o.empty() ? "#" : o;
}

}  // namespace hfrec
