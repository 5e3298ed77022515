// hfrec cluster / hfrec elbow: clustering of a catalogue as JSON (core/clustering.h).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "../catalogue.h"
#include "../clustering.h"
#include "../recommender.h"
#include "args.h"

namespace hfrec::cli {

namespace {

bool report_errors(const Args& a, const char* cmd) {
  if (a.errors.empty()) return true;
  for (const auto& e : a.errors) std::fprintf(stderr, "hfrec %s: %s\n", cmd, printable(e).c_str());
  std::fprintf(stderr, "run 'hfrec --help' for usage\n");
  return false;
}

// NaN (an undefined metric) becomes null. Keys are printed in the documented order.
nlohmann::ordered_json num(double x) {
  return std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(nullptr);
}

void parse_features(Args& a, FeatureSpace& f) {
  if (a.has("--features") && !parse_feature_space(a.get("--features"), f))
    a.errors.push_back("--features must be attributes, soup or tfidf, got '" + a.get("--features") + "'");
}

}  // namespace

int cmd_cluster(const Args& in) {
  Args a = in;
  ClusterRequest r;
  r.projection = false;
  if (!a.has("--catalogue")) a.errors.push_back("--catalogue FILE is required");
  if (!a.has("--algo")) a.errors.push_back("--algo is required (kmeans, ward, dbscan)");
  else if (!parse_algo(a.get("--algo"), r.algo))
    a.errors.push_back("--algo must be kmeans, ward or dbscan, got '" + a.get("--algo") + "'");
  parse_features(a, r.features);
  long long k = r.k, ms = r.min_samples, seed = 0, restarts = r.restarts, sample = 0;
  a.get_int("--k", k, 1, cli_max(Param::cluster_k));
  a.get_int("--min-samples", ms, 1, cli_max(Param::min_samples));
  a.get_int("--seed", seed, 0, cli_max(Param::seed));
  a.get_int("--restarts", restarts, 1, 1000);
  a.get_int("--silhouette-sample", sample, 0, 100'000'000);
  if (a.get_double("--eps", r.eps) && !(r.eps > 0 && std::isfinite(r.eps)))
    a.errors.push_back("--eps must be a positive number, got '" + a.get("--eps") + "'");
  if (a.has("--height") && a.get_double("--height", r.ward_height) && !(r.ward_height >= 0))
    a.errors.push_back("--height must be a non-negative number, got '" + a.get("--height") + "'");
  if (a.has("--metric") && !parse_dbscan_metric(a.get("--metric"), r.metric))
    a.errors.push_back("--metric must be cosine or euclidean, got '" + a.get("--metric") + "'");
  if (!report_errors(a, "cluster")) return kExitUsage;
  r.k = static_cast<int>(k);
  r.min_samples = static_cast<int>(ms);
  r.seed = static_cast<uint64_t>(seed);
  r.restarts = static_cast<int>(restarts);
  r.silhouette_sample = static_cast<size_t>(sample);

  auto loaded = load_catalogue_file(a.get("--catalogue"));
  if (!loaded.ok()) {
    std::fprintf(stderr, "hfrec cluster: %s\n", loaded.error().c_str());
    return kExitUsage;
  }
  Index idx(std::move(loaded).value());
  auto res = cluster(idx, r);
  if (!res.ok()) {
    std::fprintf(stderr, "hfrec cluster: %s\n", res.error().c_str());
    return kExitUsage;
  }
  const ClusterResult& c = res.value();
  const Catalogue& cat = idx.catalogue();
  nlohmann::ordered_json o;
  o["algo"] = algo_name(r.algo);
  o["features"] = feature_space_name(r.features);
  if (r.algo == ClusterAlgo::dbscan) {
    o["eps"] = r.eps;
    o["min_samples"] = r.min_samples;
    o["metric"] = dbscan_metric_name(r.metric);
  } else if (r.algo == ClusterAlgo::ward && r.ward_height >= 0) {
    o["height"] = r.ward_height;
  } else {
    o["k"] = r.k;
  }
  if (r.algo == ClusterAlgo::kmeans) o["seed"] = r.seed;
  o["clusters"] = c.sizes.size();
  o["labels"] = c.labels;
  o["sizes"] = c.sizes;
  nlohmann::ordered_json names = nlohmann::ordered_json::array(), details = nlohmann::ordered_json::array();
  for (const ClusterSummary& s : c.clusters) {
    names.push_back(s.name);
    nlohmann::ordered_json d;
    d["label"] = s.label;
    d["size"] = s.size;
    d["name"] = s.name;
    nlohmann::ordered_json feats = nlohmann::ordered_json::array();
    for (const FeatureShare& f : s.features)
      feats.push_back({{"feature", f.feature}, {"share", f.share}, {"overall", f.overall}});
    d["features"] = feats;
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    for (uint32_t row : s.top_members) top.push_back({{"modelId", cat.id(row)}, {"downloads", cat.downloads[row]}});
    d["top_members"] = top;
    details.push_back(std::move(d));
  }
  o["names"] = names;
  o["cluster_details"] = details;
  o["metrics"] = {{"inertia", num(c.metrics.inertia)},
                  {"silhouette", num(c.metrics.silhouette)},
                  {"davies_bouldin", num(c.metrics.davies_bouldin)},
                  {"calinski_harabasz", num(c.metrics.calinski_harabasz)},
                  {"silhouette_rows", c.metrics.silhouette_rows},
                  {"noise", c.metrics.noise}};
  o["seconds"] = c.seconds;
  std::cout << json_line(o) << "\n";
  return 0;
}

int cmd_elbow(const Args& in) {
  Args a = in;
  ElbowRequest r;
  if (!a.has("--catalogue")) a.errors.push_back("--catalogue FILE is required");
  if (!a.has("--k-min")) a.errors.push_back("--k-min A is required");
  if (!a.has("--k-max")) a.errors.push_back("--k-max B is required");
  parse_features(a, r.features);
  long long kmin = r.k_min, kmax = r.k_max, seed = 0, restarts = r.restarts, sample = 0;
  a.get_int("--k-min", kmin, 1, 100'000'000);
  a.get_int("--k-max", kmax, 1, 100'000'000);
  a.get_int("--seed", seed, 0, cli_max(Param::seed));
  a.get_int("--restarts", restarts, 1, 1000);
  a.get_int("--silhouette-sample", sample, 0, 100'000'000);
  if (a.errors.empty() && kmax < kmin)
    a.errors.push_back("--k-max must be at least --k-min, got " + std::to_string(kmin) + ".." + std::to_string(kmax));
  if (!report_errors(a, "elbow")) return kExitUsage;
  r.k_min = static_cast<int>(kmin);
  r.k_max = static_cast<int>(kmax);
  r.seed = static_cast<uint64_t>(seed);
  r.restarts = static_cast<int>(restarts);
  r.silhouette_sample = static_cast<size_t>(sample);
  auto loaded = load_catalogue_file(a.get("--catalogue"));
  if (!loaded.ok()) {
    std::fprintf(stderr, "hfrec elbow: %s\n", loaded.error().c_str());
    return kExitUsage;
  }
  Index idx(std::move(loaded).value());
  auto job = start_elbow(idx, r);
  if (!job.ok()) {
    std::fprintf(stderr, "hfrec elbow: %s\n", job.error().c_str());
    return kExitUsage;
  }
  // Rows printed as they finish, one JSON object per line.
  size_t printed = 0;
  bool done = false;
  while (!done) {
    done = job.value()->step(1e9);
    const auto& rows = job.value()->rows();
    for (; printed < rows.size(); ++printed) {
      const ElbowRow& e = rows[printed];
      nlohmann::ordered_json o = {{"k", e.k},
                                  {"inertia", num(e.inertia)},
                                  {"silhouette", num(e.silhouette)},
                                  {"davies_bouldin", num(e.davies_bouldin)},
                                  {"calinski_harabasz", num(e.calinski_harabasz)}};
      std::cout << json_line(o) << "\n" << std::flush;
    }
  }
  return 0;
}

}  // namespace hfrec::cli
