// hfrec cluster / hfrec elbow: clustering of a catalogue as JSON (core/clustering.h).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "../catalogue.h"
#include "../cluster_json.h"
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
  const nlohmann::ordered_json o =
      cluster_result_json<nlohmann::ordered_json>(idx.catalogue(), res.value(), JsonKeys::snake);
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
      const auto o = elbow_row_json<nlohmann::ordered_json>(rows[printed], JsonKeys::snake);
      std::cout << json_line(o) << "\n" << std::flush;
    }
  }
  return 0;
}

}  // namespace hfrec::cli
