// k-means on sparse weighted points: greedy k-means++ seeding with 2 + ln(k) local trials
// (Arthur & Vassilvitskii 2007; scikit-learn's _kmeans_plusplus), Lloyd iterations with
// scikit-learn 1.2's convergence rule, then (by default) Hartigan's single-point moves from
// Lloyd's result (Hartigan & Wong 1979; Telgarsky & Vattani 2010), several seeded restarts
// keeping the lowest inertia.
// - The refinement only ever lowers a restart's inertia: each move it makes lowers it, and Lloyd's
//   fixed points are not always Hartigan's. On the 10k catalogue it takes hfrec to or below
//   scikit-learn's inertia at every k = 2..12 (tests/kmeans_test.cpp).
// - Points are distinct feature rows weighted by how many catalogue rows share them: a group of w
//   identical rows counts w times everywhere (seeding, centroids, inertia, tolerance).
// - Resumable (KMeansRun::step), so a browser can run it in slices.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "features.h"
#include "job.h"

namespace hfrec {

// Deterministic random numbers for clustering: xoshiro256** seeded by splitmix64 (Blackman &
// Vigna 2018), with our own conversions, so native and WASM builds draw the same numbers.
class ClusterRng {
 public:
  explicit ClusterRng(uint64_t seed);
  uint64_t next() {  // xoshiro256** (inline: the layout's epochs draw one a negative sample)
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1).
  double uniform();
  // Uniform integer in [0, n).
  uint64_t below(uint64_t n);

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

struct KMeansParams {
  int k = 10;
  int restarts = 10;
  uint64_t seed = 0;
  int max_iter = 300;
  double tol = 1e-4;   // times the mean per-feature variance, as scikit-learn (_tolerance)
  bool refine = true;  // Hartigan moves after Lloyd (false: scikit-learn's Lloyd alone)
  int max_refine_passes = 100;
};

struct KMeansResult {
  std::vector<uint32_t> labels;   // per point (row of the input matrix)
  std::vector<double> centroids;  // k × n_cols, row-major
  double inertia = 0;             // weighted sum of squared distances to the nearest centroid
  int iterations = 0;             // Lloyd iterations of the kept restart
  int moves = 0;                  // Hartigan moves of the kept restart
  int k = 0;
};

// A resumable k-means in bounded pieces, so no step of a browser's job runs long whatever k is.
// Work units (SliceTimer): one per point-to-centre distance, and one per kCoordsPerUnit centre
// coordinates written. A piece (the work between two deadline checks) is one of: a seeding
// candidate (points units), a run of points against every centre (at most max(k, kPieceUnits)),
// a run of centres updated (about kPieceUnits), or one pass over the points (summing them into
// their clusters, or the inertia).
class KMeansRun {
 public:
  // points and weights must outlive the run; empty weights mean all 1.
  KMeansRun(const CsrMatrix& points, const std::vector<double>& weights, const KMeansParams& params);
  // Works until `timer` expires; true when finished.
  bool step(const SliceTimer& timer);
  bool done() const { return phase_ == Phase::done; }
  double progress() const;
  std::string stage() const;
  // The best restart; valid once done().
  const KMeansResult& result() const { return best_; }
  KMeansResult take() { return std::move(best_); }

  static constexpr uint64_t kPieceUnits = 1 << 16;
  static constexpr uint64_t kCoordsPerUnit = 32;

 private:
  // A restart: first -> candidates (k-means++) -> Lloyd iterations (assign -> accumulate ->
  // update) -> the final assignment (assign) -> refinement passes (refine_sums once, then
  // refine_norms -> refine per pass) -> refine_centres -> the next restart or done.
  enum class Phase {
    first,
    candidates,
    assign,
    accumulate,
    update,
    refine_sums,
    refine_norms,
    refine,
    refine_centres,
    done
  };
  void unit(const SliceTimer& timer);
  void start_restart();
  void start_assign(bool final);
  void assign_piece(const SliceTimer& timer);
  void accumulate();
  void update_piece(const SliceTimer& timer);
  void refine_piece(const SliceTimer& timer);
  void refine_centres_piece(const SliceTimer& timer);
  void finish_restart();
  double sq_dist(size_t i, const double* c, double cnorm) const;
  // The half-open range of points (or centres) the next piece covers from cursor_.
  size_t points_piece() const;
  size_t centres_piece() const;

  const CsrMatrix& m_;
  std::vector<double> w_;
  KMeansParams p_;
  int k_ = 0;
  ClusterRng rng_;
  std::vector<double> xnorm_;
  double tol_ = 0;
  double wsum_ = 0;
  // Current restart.
  Phase phase_ = Phase::first;
  int restart_ = 0;
  int center_ = 0;  // next centre to seed
  KMeansResult cur_;
  std::vector<double> cnorm_, closest_, pot_cum_;
  std::vector<size_t> candidates_;
  size_t trial_ = 0;
  double best_trial_pot_ = 0;
  size_t best_trial_ = 0;
  std::vector<double> best_trial_closest_, tmp_;
  std::vector<uint32_t> prev_labels_;
  bool strict_converged_ = false;
  // Lloyd: each point's distance to its centre, the clusters' weighted sums (k × n_cols, all zero
  // between uses: a centre's update clears its row) and weights, the centres' squared shift.
  size_t cursor_ = 0;   // the next point or centre of the phase
  bool final_ = false;  // the assignment is the restart's final one (then the inertia)
  std::vector<double> dist_, sum_, cw_;
  double shift_ = 0;
  // Refinement: the squared norms of the sums, the passes made, whether this pass moved a point.
  std::vector<double> snorm_;
  int passes_ = 0;
  bool moved_ = false;
  KMeansResult best_;
};

// Clusters the rows of `points`, each counted `weights[i]` times (empty weights: all 1).
KMeansResult kmeans(const CsrMatrix& points, const std::vector<double>& weights, const KMeansParams& params);

}  // namespace hfrec
