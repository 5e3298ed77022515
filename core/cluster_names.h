// Cluster descriptions: each cluster's most distinctive features (attribute values or soup
// tokens) ranked by their contribution to the Kullback-Leibler divergence between the cluster and
// the catalogue, share · ln(share / overall share) (a lift weighted by coverage), its size, and
// its most downloaded members.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "catalogue.h"
#include "features.h"

namespace hfrec {

// A feature of a cluster: the fraction of the cluster's rows that have it, and of all rows.
struct FeatureShare {
  std::string feature;
  double share = 0;
  double overall = 0;
};

// One cluster, described.
struct ClusterSummary {
  int32_t label = 0;
  uint32_t size = 0;
  std::string name;                    // top features joined by " · " ("fill-mask · bert · transformers")
  std::vector<FeatureShare> features;  // most distinctive first
  std::vector<uint32_t> top_members;   // catalogue rows, most downloaded first (then modelId)
};

struct NameParams {
  int name_features = 3;  // features in the name
  int list_features = 8;  // features listed
  int top_members = 5;
};

// Describes clusters 0..n_clusters-1 of `row_labels` (kNoise rows ignored). `feature_names` names
// the columns of `group_rows` as they should be shown.
std::vector<ClusterSummary> describe_clusters(const Catalogue& cat, const Groups& groups, const CsrMatrix& group_rows,
                                              const std::vector<std::string>& feature_names,
                                              const std::vector<int32_t>& row_labels, int n_clusters,
                                              const NameParams& params = {});

}  // namespace hfrec
