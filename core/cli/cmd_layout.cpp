// hfrec layout: a 2-D map of a catalogue (UMAP over the kNN graph, or PCA) with its neighbourhood
// preservation and which kNN graph it used (exact or NN-descent), as one JSON object (core/layout.h).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "../catalogue.h"
#include "../layout.h"
#include "../recommender.h"
#include "../text.h"
#include "args.h"

namespace hfrec::cli {

int cmd_layout(const Args& in) {
  Args a = in;
  MapSpace space = MapSpace::attributes;
  bool umap = true;
  if (!a.has("--catalogue")) a.errors.push_back("--catalogue FILE is required");
  if (!a.has("--features")) a.errors.push_back("--features is required (attributes, soup, tfidf, hybrid)");
  else if (!parse_map_space(a.get("--features"), space))
    a.errors.push_back("--features must be attributes, soup, tfidf or hybrid, got '" + excerpt(a.get("--features")) +
                       "'");
  if (a.has("--method")) {
    const std::string m = a.get("--method");
    if (m == "pca") umap = false;
    else if (m != "umap") a.errors.push_back("--method must be umap or pca, got '" + excerpt(m) + "'");
  }
  long long seed = 0;
  a.get_int("--seed", seed, 0, cli_max(Param::seed));
  if (!a.errors.empty()) {
    for (const auto& e : a.errors) std::fprintf(stderr, "hfrec layout: %s\n", printable(e).c_str());
    std::fprintf(stderr, "run 'hfrec --help' for usage\n");
    return kExitUsage;
  }
  auto loaded = load_catalogue_file(a.get("--catalogue"));
  if (!loaded.ok()) {
    std::fprintf(stderr, "hfrec layout: %s\n", printable(loaded.error()).c_str());
    return kExitUsage;
  }
  Index idx(std::move(loaded).value());
  const SimilaritySpace s = make_similarity_space(idx, space);
  Projection map;
  KnnGraph graph;
  if (umap) {
    LayoutParams p;
    p.seed = static_cast<uint64_t>(seed);
    LayoutRun run(s, p);
    run_to_end(run);
    map = run.take();
    graph = run.graph();
  } else {
    ProjectionParams p;
    p.seed = static_cast<uint64_t>(seed);
    const bool raw = space == MapSpace::attributes || space == MapSpace::soup;  // as the cluster map
    const CsrMatrix unit = raw ? CsrMatrix{} : unit_rows(s);
    map = project(*s.groups, raw ? s.matrix() : unit, p);
    KnnGraphRun run(s, 10);  // exact unless too large (core/knn_graph.h), as the UMAP map's
    run_to_end(run);
    graph = run.take();
  }
  const size_t n = idx.catalogue().size();
  nlohmann::ordered_json o;
  o["rows"] = n;
  o["method"] = umap ? "umap" : "pca";
  o["features"] = map_space_name(space);
  o["graph"] = graph.approximate ? "nn-descent" : "exact";
  o["preservation"] = preservation(s, graph, map.xy, 10);
  nlohmann::ordered_json pts = nlohmann::ordered_json::array();
  for (size_t r = 0; r < n && 2 * r + 1 < map.xy.size(); ++r)
    pts.push_back({shortest_decimal(map.xy[2 * r]), shortest_decimal(map.xy[2 * r + 1])});
  o["points"] = std::move(pts);
  // In the documented key order (json_line would sort them).
  std::cout << o.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return 0;
}

}  // namespace hfrec::cli
