// JSON for clustering results (cluster_json.h).
#include "cluster_json.h"

#include <cmath>
#include <string>

namespace hfrec {

namespace {

template <class Json>
Json num(double x) {
  return std::isfinite(x) ? Json(x) : Json(nullptr);
}

// The key for an interface: the CLI's snake_case or the package's camelCase.
const char* key(JsonKeys keys, const char* snake, const char* camel) { return keys == JsonKeys::snake ? snake : camel; }

}  // namespace

template <class Json>
Json cluster_result_json(const Catalogue& cat, const ClusterResult& c, JsonKeys keys) {
  const ClusterRequest& r = c.request;
  const bool cli = keys == JsonKeys::snake;
  Json o;
  o["algo"] = algo_name(r.algo);
  o["features"] = feature_space_name(r.features);
  if (r.algo == ClusterAlgo::dbscan) {
    o["eps"] = r.eps;
    o[key(keys, "min_samples", "minSamples")] = r.min_samples;
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
  Json names = Json::array(), details = Json::array();
  for (const ClusterSummary& s : c.clusters) {
    if (cli) names.push_back(s.name);
    Json d;
    d["label"] = s.label;
    d["size"] = s.size;
    d["name"] = s.name;
    Json feats = Json::array();
    for (const FeatureShare& f : s.features)
      feats.push_back({{"feature", f.feature}, {"share", f.share}, {"overall", f.overall}});
    d["features"] = std::move(feats);
    Json top = Json::array();
    for (uint32_t row : s.top_members)
      top.push_back({{"modelId", std::string(cat.id(row))}, {"downloads", cat.downloads[row]}});
    d[key(keys, "top_members", "topMembers")] = std::move(top);
    details.push_back(std::move(d));
  }
  if (cli) o["names"] = std::move(names);
  o[key(keys, "cluster_details", "details")] = std::move(details);
  o["metrics"] = {{"inertia", num<Json>(c.metrics.inertia)},
                  {"silhouette", num<Json>(c.metrics.silhouette)},
                  {key(keys, "davies_bouldin", "daviesBouldin"), num<Json>(c.metrics.davies_bouldin)},
                  {key(keys, "calinski_harabasz", "calinskiHarabasz"), num<Json>(c.metrics.calinski_harabasz)},
                  {key(keys, "silhouette_rows", "silhouetteRows"), c.metrics.silhouette_rows},
                  {"noise", c.metrics.noise}};
  if (cli) o["seconds"] = c.seconds;
  return o;
}

template <class Json>
Json elbow_row_json(const ElbowRow& e, JsonKeys keys) {
  return {{"k", e.k},
          {"inertia", num<Json>(e.inertia)},
          {"silhouette", num<Json>(e.silhouette)},
          {key(keys, "davies_bouldin", "daviesBouldin"), num<Json>(e.davies_bouldin)},
          {key(keys, "calinski_harabasz", "calinskiHarabasz"), num<Json>(e.calinski_harabasz)}};
}

template nlohmann::json cluster_result_json<nlohmann::json>(const Catalogue&, const ClusterResult&, JsonKeys);
template nlohmann::ordered_json cluster_result_json<nlohmann::ordered_json>(const Catalogue&, const ClusterResult&,
                                                                            JsonKeys);
template nlohmann::json elbow_row_json<nlohmann::json>(const ElbowRow&, JsonKeys);
template nlohmann::ordered_json elbow_row_json<nlohmann::ordered_json>(const ElbowRow&, JsonKeys);

}  // namespace hfrec
