// Share links: the app's view in the URL hash ("#model=gpt2&method=cosine&k=10"), parsed as
// untrusted input, and the URLs the app builds from catalogue data.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "map_lasso.h"
#include "result.h"
#include "view_params.h"

namespace hfrec {

// Everything a link restores. Empty strings / nullopt mean "not in the link". The keys, their
// types and ranges are view_params.h's table.
struct ShareLink {
  std::string source;                                      // catalogue URL (https: or same-origin) when it came by URL
  std::string catalogue;                                   // catalogue name, to report a mismatch
  std::optional<uint64_t> rows;                            // catalogue row count, to report a mismatch
  std::string model;                                       // the query's modelId
  std::string method;                                      // a method_name(); validated by parse
  std::optional<int> k;                                    // 1..100
  std::vector<std::string> tasks, libraries, model_types;  // filters
  std::string compare;                                     // a second method, shown side by side
  std::string view;                                        // the tab: "results" or "clusters"
  // The cluster view (keys algo, features, ck, eps, min_samples, seed, cut, focus, zoom, cx, cy, layout,
  // map, lasso).
  std::string algo;                // "kmeans", "ward" or "dbscan"
  std::string features;            // "attributes", "soup" or "tfidf"
  std::optional<int> cluster_k;    // ck: k-means k or Ward cut, 1..100000
  std::optional<double> eps;       // DBSCAN radius, (0, 1000]
  std::optional<int> min_samples;  // DBSCAN, 1..100000
  std::optional<uint64_t> seed;    // k-means seeding and the map
  std::optional<double> cut;       // Ward: cut height (instead of ck), >= 0
  std::optional<int> focus;        // the cluster shown alone (-1: noise), -1..100000
  std::optional<double> zoom;      // map zoom, [0.25, 100000]
  std::optional<double> cx, cy;    // map centre in the map's unit square, [-10, 11]
  std::string layout;              // the map's layout: "umap" or "pca" (kLayouts); "" not in the link
  std::string map_features;        // key map: what a UMAP map is laid out from (kMapSpaces); "" not in the link
  // The map's lasso in map units ("lasso=x0,y0,x1,y1,..."), as normalize_lasso keeps it
  // (core/map_lasso.h: 3 to 64 vertices, 6 decimals); empty: not in the link.
  MapPolygon lasso;
  // Keys this version does not know, kept in order so newer links survive a round trip.
  std::vector<std::pair<std::string, std::string>> extra;
};

struct ShareLinkLimits {
  size_t max_bytes = kMaxLinkBytes;    // the whole hash
  size_t max_values = kMaxLinkValues;  // key=value pairs
};

// Views a link may name.
inline constexpr const char* kViews[] = {"results", "clusters"};
// Map layouts a link (and set()) may name: UMAP over the kNN graph (core/layout.h), the default,
// and the clustering's PCA map (core/projection.h).
inline constexpr const char* kLayouts[] = {"umap", "pca"};
// What a UMAP map may be laid out from (a link's map=, set()'s map.features): the clustering's
// feature space (the default), or any of the spaces core/knn_graph.h's MapSpace names, hybrid
// included, which no clustering uses.
inline constexpr const char* kMapSpaces[] = {"clusters", "attributes", "soup", "tfidf", "hybrid"};
// "clusters, attributes, soup, tfidf, hybrid", for messages.
inline constexpr const char* kMapSpaceList = "clusters, attributes, soup, tfidf, hybrid";
bool is_map_space(std::string_view name);

// One parameter a link carried that parse_share_link_parts left out, and why.
struct LinkProblem {
  std::string key;     // the parameter name (percent-decoded when it could be)
  std::string value;   // its value as written (percent-decoded when it could be)
  std::string reason;  // why it was left out: "is above the limit 100"
  std::string error;   // the message parse_share_link fails with: "parameter 'k': ..."
};

// A link with the parameters that could be used, and the ones left out.
struct ShareLinkParts {
  ShareLink link;                     // every valid parameter
  std::vector<LinkProblem> problems;  // every rejected one, in the link's order
};

// Parses a URL hash (with or without the leading '#'). Every value is percent-decoded and checked:
// methods by name, k in 1..100, the catalogue source by is_allowed_catalogue_url (page_origin is
// the page's "https://host[:port]"). Errors name the parameter: "parameter 'k': ...". Strict: one
// bad parameter rejects the whole link (parse_share_link_parts keeps the rest).
Result<ShareLink> parse_share_link(std::string_view hash, std::string_view page_origin,
                                   const ShareLinkLimits& limits = {});

// The same checks, lenient: a bad parameter is left out and reported in `problems`, the rest kept.
// Only whole-link limits (too long, too many parameters) fail. With no problems, `link` equals
// what parse_share_link returns; else parse_share_link fails with problems[0].error.
Result<ShareLinkParts> parse_share_link_parts(std::string_view hash, std::string_view page_origin,
                                              const ShareLinkLimits& limits = {});

// "k=5000 is above the limit 100": a problem for people, the value shortened to 60 bytes and its
// control characters escaped.
std::string describe_link_problem(const LinkProblem& p);

// The hash for a view, starting with '#', keys in a fixed order, values percent-encoded. The writer
// agrees with the reader: it writes only values parse_share_link_parts accepts (model ids up to
// 1,024 bytes, filter values and catalogue names up to 256, no control characters) and keeps the
// whole link within ShareLinkLimits, leaving out unknown keys, then the lasso, then the last filter
// values first.
// Each key left out is appended to *left_out (in the order met) when given.
std::string format_share_link(const ShareLink& link, std::vector<std::string>* left_out = nullptr);

// True for an absolute https: URL, or an URL of the page's own origin (an absolute URL with that
// origin, or a path starting with a single '/' or with a relative name such as "data/x.csv").
// Rejects every other scheme (http:, javascript:, data:, file:, blob:), credentials in the URL,
// control characters, backslashes and protocol-relative "//host" paths.
bool is_allowed_catalogue_url(std::string_view url, std::string_view page_origin);

// Percent-encodes every byte outside A-Z a-z 0-9 - . _ ~ (and '/' when keep_slash).
std::string percent_encode(std::string_view s, bool keep_slash = false);
// Decodes %XX escapes; fails on a truncated or non-hex escape. '+' stays '+'.
Result<std::string> percent_decode(std::string_view s);

// https://huggingface.co/<id> with each '/'-separated segment percent-encoded; "" for an id with
// an empty segment or a "." / ".." segment (it would leave the model page).
std::string huggingface_url(std::string_view model_id);

}  // namespace hfrec
