// A deterministic 2-D map of a feature space: PCA by randomized SVD (Halko, Martinsson & Tropp
// 2011, as sklearn's randomized_svd) on the implicitly centred sparse matrix, with fixed seed,
// Rademacher test vectors and fixed signs (each component's largest loading positive), then
// identical rows laid out as a sunflower disc (Vogel 1979) around their shared point.
// - Weighted: a group of w identical rows counts w times, so this is the PCA of all rows.
// - Linear in rows and non-zeros; memory O(columns × (2 + oversampling)).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "features.h"
#include "job.h"

namespace hfrec {

struct ProjectionParams {
  int oversample = 10;  // extra random vectors beyond the 2 components
  int power_iters = 7;  // subspace iterations (sklearn's default for few components)
  uint64_t seed = 0;
  double ring_step = 0.004;  // spacing of identical rows, as a fraction of the map's extent
};

struct Projection {
  std::vector<float> group_xy;  // 2 per group: the shared point
  std::vector<float> xy;        // 2 per catalogue row: placed around its group's point
  double variance[2] = {0, 0};  // variance explained by each axis (weighted, per row)
  double total_variance = 0;
};

// Resumable projection; each step() does one pass over the matrix. Work units (SliceTimer): one per
// catalogue row per pass.
class ProjectionRun {
 public:
  // groups must outlive the run; `rows` is the group feature matrix (groups.rows or a reweighting).
  ProjectionRun(const Groups& groups, const CsrMatrix& rows, const ProjectionParams& params);
  ~ProjectionRun();
  bool step(const SliceTimer& timer);
  bool done() const;
  double progress() const;
  Projection take();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The projection, run to the end.
Projection project(const Groups& groups, const CsrMatrix& rows, const ProjectionParams& params = {});

}  // namespace hfrec
