// Clustering quality metrics with scikit-learn's definitions (sklearn.metrics: silhouette_score,
// davies_bouldin_score, calinski_harabasz_score; Euclidean distance), on weighted points.
// - Points are distinct feature rows weighted by how many catalogue rows share both the row and
//   the label, so results equal scikit-learn's on the uncollapsed rows.
// - The exact silhouette is the one computation in the clustering engine that is not linear in
//   rows: O(points²) over distinct (row, label) points. SilhouetteRun is resumable; a seeded
//   sample (as silhouette_score's sample_size) bounds it on large catalogues.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "features.h"
#include "job.h"

namespace hfrec {

// Label of a row that belongs to no cluster (DBSCAN noise), as scikit-learn's -1.
inline constexpr int32_t kNoise = -1;

// Weighted points with a cluster label each (labels are any non-negative ints).
struct LabelledPoints {
  CsrMatrix rows;
  std::vector<double> weights;
  std::vector<int32_t> labels;
  size_t size() const { return weights.size(); }
};

// Collapses catalogue rows into (group, label) points; rows labelled kNoise are left out, and so
// are rows not in `subset` when it is given (row indices).
LabelledPoints labelled_points(const Groups& groups, const CsrMatrix& group_rows,
                               const std::vector<int32_t>& row_labels, const std::vector<uint32_t>* subset = nullptr);

// `count` distinct row indices of [0, n) drawn without replacement by seed (all rows if count >= n).
std::vector<uint32_t> sample_rows(size_t n, size_t count, uint64_t seed);

// Within-cluster sum of squares around each label's own mean (k-means inertia of the labels).
double within_ss(const LabelledPoints& p);
// Davies-Bouldin index (lower is better); NaN unless 2 <= labels <= points - 1.
double davies_bouldin(const LabelledPoints& p);

// Davies-Bouldin, resumable: the constructor builds the sparse centroids and their inverted index
// (linear in the points' non-zeros); step() then computes rows of centroid distances. Work units
// (SliceTimer): k per row, plus one per centroid overlap visited; a piece between two deadline
// checks is at most kPieceUnits + 2k units. So a cut with k in the thousands takes O(k²) time in
// bounded pieces and O(non-zeros + k) memory.
class DaviesBouldinRun {
 public:
  static constexpr uint64_t kPieceUnits = 1024;
  explicit DaviesBouldinRun(const LabelledPoints& p);  // p may go once constructed
  bool step(const SliceTimer& timer);
  bool done() const { return next_ >= k_ || std::isnan(result_); }
  double progress() const { return k_ > 0 && !std::isnan(result_) ? double(next_) / double(k_) : 1.0; }
  double value() const;

 private:
  int k_ = 0, next_ = 0;  // next_: the row of centroid distances under way
  size_t q_ = 0;          // its next centroid entry, while in_row_
  bool in_row_ = false;
  double result_ = 0;  // NaN when the index is undefined
  std::vector<size_t> cptr_, iptr_;
  std::vector<uint32_t> ccol_;
  std::vector<double> cval_, ival_, cnorm_, intra_, dot_, worst_;
  std::vector<int> icl_;
  bool all_intra_zero_ = true, all_cd_zero_ = true;
};
// Calinski-Harabasz index (higher is better); NaN unless 2 <= labels <= points - 1.
double calinski_harabasz(const LabelledPoints& p);

// Mean silhouette coefficient (Rousseeuw 1987), resumable: each step handles whole points until
// the timer expires (work units, SliceTimer: one per distance, so points per point). NaN unless 2 <= labels <= points -
// 1 (counting weights).
class SilhouetteRun {
 public:
  explicit SilhouetteRun(const LabelledPoints& p);  // p must outlive the run
  bool step(const SliceTimer& timer);
  double progress() const { return n_ ? double(next_) / double(n_) : 1.0; }
  bool done() const { return next_ >= n_; }
  double value() const;

 private:
  const LabelledPoints& p_;
  size_t n_ = 0;
  size_t next_ = 0;
  int k_ = 0;
  bool valid_ = false;
  std::vector<int> dense_;      // point -> dense label
  std::vector<double> cw_;      // weight per dense label
  std::vector<double> norms_;   // squared norm per point
  std::vector<uint64_t> tptr_;  // columns -> points (transpose)
  std::vector<uint32_t> tidx_;
  std::vector<float> tval_;
  std::vector<double> dots_, sums_;
  double total_ = 0;  // weighted sum of silhouettes so far
};

// Mean silhouette coefficient, run to the end.
double silhouette(const LabelledPoints& p);

}  // namespace hfrec
