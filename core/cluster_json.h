// A clustering's result, and an elbow row, as JSON: one writer for the two interfaces that print
// them, `hfrec cluster` / `hfrec elbow` (snake_case keys, in the documented order) and the npm
// package's cluster() / elbow() (camelCase keys, JavaScript's idiom). The keys and what each holds
// are the interfaces' contracts (README, wasm/pkg/index.d.ts): extend them, never rename.
// An undefined metric (NaN) is null.
#pragma once
#include <nlohmann/json.hpp>

#include "catalogue.h"
#include "clustering.h"

namespace hfrec {

enum class JsonKeys {
  snake,  // the CLI: min_samples, cluster_details (+ names, seconds), top_members, davies_bouldin, …
  camel,  // the package: minSamples, details, topMembers, daviesBouldin, …
};

// {algo, features, eps/min_samples/metric | height | k, seed (k-means), clusters, labels, sizes,
//  [names], details, metrics, [seconds]}; `cat` is the catalogue the result labels.
// Json: nlohmann::json or nlohmann::ordered_json (instantiated for both).
template <class Json>
Json cluster_result_json(const Catalogue& cat, const ClusterResult& c, JsonKeys keys);
// {k, inertia, silhouette, davies_bouldin, calinski_harabasz}
template <class Json>
Json elbow_row_json(const ElbowRow& e, JsonKeys keys);

}  // namespace hfrec
