// k-means on sparse weighted points: k-means++ seeding (Arthur & Vassilvitskii 2007), Lloyd
// iterations, several seeded restarts keeping the lowest inertia (as scikit-learn's KMeans).
#pragma once
#include <cstdint>
#include <vector>

#include "features.h"

namespace hfrec {

struct KMeansParams {
  int k = 10;
  int restarts = 10;
  uint64_t seed = 0;
  int max_iter = 300;
  double tol = 1e-4;  // relative to the mean feature variance, as scikit-learn
};

struct KMeansResult {
  std::vector<uint32_t> labels;   // per point (row of the input matrix)
  std::vector<double> centroids;  // k × n_cols, row-major
  double inertia = 0;             // weighted sum of squared distances to the nearest centroid
  int iterations = 0;
  int k = 0;
};

// Clusters the rows of `points`, each counted `weights[i]` times (empty weights: all 1).
KMeansResult kmeans(const CsrMatrix& points, const std::vector<double>& weights, const KMeansParams& params);

}  // namespace hfrec
