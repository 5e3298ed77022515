// Exact Ward hierarchical clustering (Ward 1963) by the nearest-neighbour chain algorithm
// (Murtagh 1983; Müllner 2011, "Modern hierarchical, agglomerative clustering algorithms"), on
// weighted points: a group of w identical rows is one point of size w, which is exact because
// Ward's merge cost depends only on cluster sizes and centroids (Lance-Williams), and identical
// rows merge among themselves at height 0 first.
// - Heights follow scipy.cluster.hierarchy.linkage(method='ward') (and sklearn's
//   AgglomerativeClustering distances): d(A, B) = sqrt(2 |A||B| / (|A|+|B|)) · ||c_A - c_B||.
// - Memory linear in points (sparse centroids, no distance matrix); time O(points² × nnz).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "features.h"
#include "job.h"

namespace hfrec {

// One merge, as a row of scipy's linkage matrix: clusters a < b (leaves 0..n-1, merge i makes
// cluster n + i), the height, and the number of catalogue rows below it.
struct Merge {
  uint32_t a = 0, b = 0;
  double height = 0;
  double size = 0;
};

// A full dendrogram: n_leaves - 1 merges sorted by height (stable).
struct Dendrogram {
  size_t n_leaves = 0;
  std::vector<double> leaf_size;  // weight of each leaf
  std::vector<Merge> merges;
};

// Resumable Ward clustering of weighted points; each step() does whole chain steps (one scan
// over the active clusters each) until the timer expires. Work units (SliceTimer): one per
// distance, so at most points per chain step.
class WardRun {
 public:
  // points and weights must outlive the run; empty weights mean all 1.
  WardRun(const CsrMatrix& points, const std::vector<double>& weights);
  bool step(const SliceTimer& timer);
  bool done() const { return done_; }
  double progress() const;
  // The dendrogram over the points; valid once done().
  Dendrogram take();

 private:
  using Sparse = std::vector<std::pair<uint32_t, double>>;
  double dist2(uint32_t x, uint32_t z) const;  // Ward d² with x scattered in dense_
  void scatter(uint32_t x);
  void unscatter(uint32_t x);
  void merge(uint32_t x, uint32_t y, double d2);

  size_t n_ = 0;
  std::vector<Sparse> cent_;
  std::vector<double> size_, norm_, height_, leaf_size_;
  std::vector<uint32_t> active_, chain_;
  std::vector<double> dense_;
  std::vector<Merge> raw_;  // (representative a, representative b, height, size)
  bool done_ = false;
};

// Ward dendrogram of weighted points, run to the end.
Dendrogram ward(const CsrMatrix& points, const std::vector<double>& weights);

// The dendrogram over catalogue rows from one over groups: each group's identical rows merged at
// height 0 first (in member order), then the group merges. Same shape as scipy's linkage.
Dendrogram expand_groups(const Dendrogram& over_groups, const Groups& groups);

// Flat clusters from the first n - k merges (scipy fcluster 'maxclust' when heights are distinct),
// labels 0..k-1 numbered by their first leaf.
std::vector<int32_t> cut_by_k(const Dendrogram& d, size_t k);
// Flat clusters from the merges of height <= h (scipy fcluster 'distance').
std::vector<int32_t> cut_by_height(const Dendrogram& d, double h);

}  // namespace hfrec
