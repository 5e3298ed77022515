// DBSCAN (Ester, Kriegel, Sander & Xu 1996) with scikit-learn's semantics (sklearn.cluster.DBSCAN):
// a point is core when at least min_samples points (itself included, identical rows counted)
// lie at distance <= eps; clusters are numbered in the order scikit-learn starts them (by their
// first core row), and a border point joins the first such cluster that reaches it.
// - No n×n matrix: identical rows are collapsed into weighted points, and neighbourhoods are
//   found through an inverted index (column -> points), one point at a time, three passes.
// - On integer-valued rows (one-hot, counts) "distance <= eps" is decided exactly: cosine
//   1 - i/sqrt(ab) <= eps  <=>  i² >= (1 - eps)² a b, Euclidean a + b - 2i <= eps², with eps taken
//   as the exact binary value of the double (big-integer comparison near ties).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cluster_metrics.h"
#include "features.h"
#include "job.h"

namespace hfrec {

enum class DbscanMetric { cosine, euclidean };

struct DbscanParams {
  double eps = 0.5;
  int min_samples = 5;
  DbscanMetric metric = DbscanMetric::cosine;
};

// Resumable DBSCAN over weighted points; each step() handles whole neighbourhood queries. Work
// units (SliceTimer): one per candidate neighbour a query examines, the point itself included (at
// least 1 and at most points per query, 2 × points under the Euclidean metric), and one per point
// between two passes.
class DbscanRun {
 public:
  // points and weights (integer counts of identical rows) must outlive the run. Points must be
  // distinct rows in order of their first catalogue row (as collapse_rows makes them).
  DbscanRun(const CsrMatrix& points, const std::vector<double>& weights, const DbscanParams& params);
  bool step(const SliceTimer& timer);
  bool done() const { return pass_ >= 3; }
  double progress() const;
  // Label per point: kNoise or 0, 1, ... in scikit-learn's order; valid once done().
  const std::vector<int32_t>& labels() const { return labels_; }
  // Whether each point is a core point; valid once done().
  const std::vector<uint8_t>& core() const { return core_; }

 private:
  template <class F>
  void neighbours(uint32_t g, F&& f);  // f(h) for every other point h within eps
  bool within(uint32_t g, uint32_t h, double inter) const;
  void finish();

  const CsrMatrix& m_;
  std::vector<double> w_;
  DbscanParams p_;
  bool exact_ = false;     // integer-valued rows
  bool everyone_ = false;  // cosine with eps >= 1: every pair is a neighbour
  std::vector<double> norm_;
  std::vector<uint32_t> by_norm_;  // points by squared norm (Euclidean: pairs sharing no column)
  std::vector<uint64_t> tptr_;
  std::vector<uint32_t> tidx_;
  std::vector<float> tval_;
  std::vector<double> inter_;
  std::vector<uint8_t> touched_mark_;
  std::vector<uint32_t> touched_;
  uint64_t examined_ = 0;  // candidates neighbours() looked at, for SliceTimer::charge
  int pass_ = 0;
  uint32_t next_ = 0;
  std::vector<double> count_;
  std::vector<uint8_t> core_;
  std::vector<uint32_t> parent_;
  std::vector<int32_t> labels_;
};

// Exact decision for integer rows: is 1 - i / sqrt(a b) <= eps (cosine distance)?
bool cosine_within_exact(uint64_t i, uint64_t a, uint64_t b, double eps);
// Exact decision for integer rows: is sqrt(d2) <= eps (d2 = squared Euclidean distance)?
bool euclidean_within_exact(uint64_t d2, double eps);

// DBSCAN labels per point, run to the end.
std::vector<int32_t> dbscan(const CsrMatrix& points, const std::vector<double>& weights, const DbscanParams& params);

}  // namespace hfrec
