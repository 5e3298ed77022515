// k-means on sparse weighted points: the seeded generator, k-means++ seeding and Lloyd iterations,
// restart by restart in slices (kmeans.h).
#include "kmeans.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace hfrec {

ClusterRng::ClusterRng(uint64_t seed) {
  uint64_t z = seed;
  for (auto& s : s_) {  // splitmix64
    z += 0x9E3779B97F4A7C15ull;
    uint64_t x = z;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    s = x ^ (x >> 31);
  }
}

uint64_t ClusterRng::next() {
  auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
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

double ClusterRng::uniform() { return double(next() >> 11) * 0x1.0p-53; }

uint64_t ClusterRng::below(uint64_t n) {
  assert(n > 0);
  const uint64_t limit = ~uint64_t(0) - (~uint64_t(0) % n);  // rejection: no modulo bias
  uint64_t x;
  do x = next();
  while (x >= limit);
  return x % n;
}

namespace {

double sq_norm_row(const CsrMatrix& m, size_t r) {
  double s = 0;
  for (uint64_t q = m.indptr[r]; q < m.indptr[r + 1]; ++q) s += double(m.value(q)) * m.value(q);
  return s;
}

// Index of the first entry of the cumulative sums `cum` that is >= t (numpy searchsorted 'left').
size_t search_cum(const std::vector<double>& cum, double t) {
  size_t i = static_cast<size_t>(std::lower_bound(cum.begin(), cum.end(), t) - cum.begin());
  return std::min(i, cum.size() - 1);
}

}  // namespace

KMeansRun::KMeansRun(const CsrMatrix& points, const std::vector<double>& weights, const KMeansParams& params)
    : m_(points), p_(params), rng_(params.seed) {
  const size_t n = m_.rows(), d = m_.n_cols;
  w_ = weights.empty() ? std::vector<double>(n, 1.0) : weights;
  assert(w_.size() == n);
  p_.restarts = std::max(1, p_.restarts);
  p_.max_iter = std::max(1, p_.max_iter);
  k_ = static_cast<int>(std::min<size_t>(static_cast<size_t>(std::max(1, p_.k)), n));
  best_.inertia = std::numeric_limits<double>::infinity();
  if (n == 0) {
    phase_ = Phase::done;
    best_.inertia = 0;
    return;
  }
  xnorm_.resize(n);
  for (size_t i = 0; i < n; ++i) xnorm_[i] = sq_norm_row(m_, i);
  // scikit-learn's _tolerance: tol times the mean of the per-feature variances (over all rows).
  std::vector<double> mean(d, 0.0), sq(d, 0.0);
  for (size_t i = 0; i < n; ++i) {
    wsum_ += w_[i];
    for (uint64_t q = m_.indptr[i]; q < m_.indptr[i + 1]; ++q) {
      mean[m_.indices[q]] += w_[i] * m_.value(q);
      sq[m_.indices[q]] += w_[i] * double(m_.value(q)) * m_.value(q);
    }
  }
  double mean_var = 0;
  for (size_t j = 0; j < d; ++j) {
    double mu = mean[j] / wsum_;
    mean_var += std::max(0.0, sq[j] / wsum_ - mu * mu);
  }
  tol_ = d ? p_.tol * mean_var / double(d) : 0.0;
  start_restart();
}

double KMeansRun::sq_dist(size_t i, const double* c, double cnorm) const {
  double dot = 0;
  for (uint64_t q = m_.indptr[i]; q < m_.indptr[i + 1]; ++q) dot += m_.value(q) * c[m_.indices[q]];
  return std::max(0.0, xnorm_[i] - 2 * dot + cnorm);
}

void KMeansRun::start_restart() {
  const size_t n = m_.rows(), d = m_.n_cols;
  cur_ = KMeansResult{};
  cur_.k = k_;
  cur_.centroids.assign(size_t(k_) * d, 0.0);
  cnorm_.assign(k_, 0.0);
  closest_.assign(n, 0.0);
  pot_cum_.assign(n, 0.0);
  tmp_.assign(n, 0.0);
  phase_ = Phase::first;
  center_ = 0;
  strict_converged_ = false;
}

bool KMeansRun::step(const SliceTimer& timer) {
  while (phase_ != Phase::done) {
    unit(timer);
    if (timer.expired()) break;
  }
  return phase_ == Phase::done;
}

double KMeansRun::progress() const {
  if (phase_ == Phase::done) return 1.0;
  double within = phase_ == Phase::refine  ? 0.9 + 0.1 * std::min(1.0, passes_ / 10.0)
                  : phase_ == Phase::lloyd ? 0.5 + 0.4 * std::min(1.0, cur_.iterations / 20.0)
                                           : 0.5 * center_ / std::max(1, k_);
  return (restart_ + within) / p_.restarts;
}

std::string KMeansRun::stage() const {
  if (phase_ == Phase::done) return "k-means done";
  return "k-means restart " + std::to_string(restart_ + 1) + "/" + std::to_string(p_.restarts) +
         (phase_ == Phase::refine  ? ", refining (pass " + std::to_string(passes_ + 1) + ")"
          : phase_ == Phase::lloyd ? ", iteration " + std::to_string(cur_.iterations + 1)
                                   : ", seeding");
}

void KMeansRun::unit(const SliceTimer& timer) {
  const size_t n = m_.rows(), d = m_.n_cols;
  auto set_centroid = [&](int c, size_t r) {
    double* cc = &cur_.centroids[size_t(c) * d];
    std::fill(cc, cc + d, 0.0);
    for (uint64_t q = m_.indptr[r]; q < m_.indptr[r + 1]; ++q) cc[m_.indices[q]] = m_.value(q);
    cnorm_[c] = xnorm_[r];
  };
  auto draw_candidates = [&]() {
    // Candidates drawn with probability w_i * D(x_i)^2 (scikit-learn: searchsorted on the cumsum).
    double acc = 0;
    for (size_t i = 0; i < n; ++i) pot_cum_[i] = acc += w_[i] * closest_[i];
    const int trials = 2 + static_cast<int>(std::log(double(k_)));
    candidates_.clear();
    for (int t = 0; t < trials; ++t)
      candidates_.push_back(acc > 0 ? search_cum(pot_cum_, rng_.uniform() * acc) : rng_.below(n));
    trial_ = 0;
    best_trial_pot_ = std::numeric_limits<double>::infinity();
  };
  switch (phase_) {
    case Phase::first: {
      // First centre: a uniformly random catalogue row, i.e. a point with probability w_i / sum(w).
      double acc = 0;
      for (size_t i = 0; i < n; ++i) pot_cum_[i] = acc += w_[i];
      size_t first = search_cum(pot_cum_, rng_.uniform() * acc);
      set_centroid(0, first);
      timer.charge(n);
      for (size_t i = 0; i < n; ++i) closest_[i] = sq_dist(i, &cur_.centroids[0], cnorm_[0]);
      center_ = 1;
      if (k_ == 1) {
        phase_ = Phase::lloyd;
        prev_labels_.assign(n, std::numeric_limits<uint32_t>::max());
      } else {
        phase_ = Phase::candidates;
        draw_candidates();
      }
      return;
    }
    case Phase::candidates: {
      const size_t cand = candidates_[trial_];
      // Distances to the candidate via a dense scatter of its row into the next centroid slot.
      double* cc = &cur_.centroids[size_t(center_) * d];
      std::fill(cc, cc + d, 0.0);
      for (uint64_t q = m_.indptr[cand]; q < m_.indptr[cand + 1]; ++q) cc[m_.indices[q]] = m_.value(q);
      double pot = 0;
      timer.charge(n);
      for (size_t i = 0; i < n; ++i) {
        tmp_[i] = std::min(closest_[i], sq_dist(i, cc, xnorm_[cand]));
        pot += w_[i] * tmp_[i];
      }
      if (pot < best_trial_pot_) {  // argmin: the first of equal potentials wins
        best_trial_pot_ = pot;
        best_trial_ = cand;
        best_trial_closest_.swap(tmp_);
        tmp_.resize(n);
      }
      if (++trial_ < candidates_.size()) return;
      set_centroid(center_, best_trial_);
      closest_.swap(best_trial_closest_);
      if (++center_ < k_) {
        draw_candidates();
      } else {
        phase_ = Phase::lloyd;
        prev_labels_.assign(n, std::numeric_limits<uint32_t>::max());
      }
      return;
    }
    case Phase::lloyd: {
      timer.charge(n * size_t(k_));
      const int restart = restart_;
      assign_and_update();
      if (restart_ != restart || phase_ != Phase::lloyd) timer.charge(n * size_t(k_));  // the final assignment
      return;
    }
    case Phase::refine: {
      timer.charge(n * size_t(k_));
      if (!refine_pass() || ++passes_ >= p_.max_refine_passes) finish_restart();
      return;
    }
    case Phase::done: return;
  }
}

void KMeansRun::assign_and_update() {
  const size_t n = m_.rows(), d = m_.n_cols;
  auto& labels = cur_.labels;
  labels.resize(n);
  std::vector<double> dist(n);
  for (size_t i = 0; i < n; ++i) {
    double best = std::numeric_limits<double>::infinity();
    uint32_t bl = 0;
    for (int c = 0; c < k_; ++c) {
      double dd = sq_dist(i, &cur_.centroids[size_t(c) * d], cnorm_[c]);
      if (dd < best) {
        best = dd;
        bl = static_cast<uint32_t>(c);
      }
    }
    labels[i] = bl;
    dist[i] = best;
  }
  std::vector<double> next(size_t(k_) * d, 0.0), cw(k_, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t c = labels[i];
    cw[c] += w_[i];
    for (uint64_t q = m_.indptr[i]; q < m_.indptr[i + 1]; ++q)
      next[size_t(c) * d + m_.indices[q]] += w_[i] * m_.value(q);
  }
  // Empty clusters take the points farthest from their centres (scikit-learn's
  // _relocate_empty_clusters); labels are left as they are, only the centres move.
  std::vector<int> empty;
  for (int c = 0; c < k_; ++c)
    if (cw[c] == 0) empty.push_back(c);
  if (!empty.empty()) {
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return dist[a] > dist[b]; });
    for (size_t e = 0; e < empty.size() && e < n; ++e) {
      const size_t far = order[e];
      const uint32_t old = labels[far];
      const int nc = empty[e];
      for (uint64_t q = m_.indptr[far]; q < m_.indptr[far + 1]; ++q) {
        next[size_t(old) * d + m_.indices[q]] -= w_[far] * m_.value(q);
        next[size_t(nc) * d + m_.indices[q]] = w_[far] * m_.value(q);
      }
      cw[nc] = w_[far];
      cw[old] -= w_[far];
    }
  }
  double shift = 0;
  for (int c = 0; c < k_; ++c) {
    double* nc = &next[size_t(c) * d];
    const double* oc = &cur_.centroids[size_t(c) * d];
    if (cw[c] > 0)
      for (size_t j = 0; j < d; ++j) nc[j] /= cw[c];
    else std::copy(oc, oc + d, nc);
    double cn = 0;
    for (size_t j = 0; j < d; ++j) {
      shift += (nc[j] - oc[j]) * (nc[j] - oc[j]);
      cn += nc[j] * nc[j];
    }
    cnorm_[c] = cn;
  }
  cur_.centroids.swap(next);
  ++cur_.iterations;
  if (labels == prev_labels_) {
    strict_converged_ = true;
    finish_lloyd();
    return;
  }
  prev_labels_ = labels;
  if (shift <= tol_ || cur_.iterations >= p_.max_iter) finish_lloyd();
}

void KMeansRun::finish_lloyd() {
  const size_t n = m_.rows(), d = m_.n_cols;
  // Final E-step against the final centres (scikit-learn reruns it unless strictly converged;
  // it is harmless when it did), then the inertia.
  cur_.inertia = 0;
  for (size_t i = 0; i < n; ++i) {
    double best = std::numeric_limits<double>::infinity();
    uint32_t bl = 0;
    for (int c = 0; c < k_; ++c) {
      double dd = sq_dist(i, &cur_.centroids[size_t(c) * d], cnorm_[c]);
      if (dd < best) {
        best = dd;
        bl = static_cast<uint32_t>(c);
      }
    }
    if (!strict_converged_) cur_.labels[i] = bl;
    const uint32_t l = cur_.labels[i];
    cur_.inertia += w_[i] * sq_dist(i, &cur_.centroids[size_t(l) * d], cnorm_[l]);
  }
  if (p_.refine && k_ > 1) start_refine();
  else finish_restart();
}

// Hartigan's refinement. Centres are the weighted means of the current labels, kept as sums so a
// move costs O(nnz of the point). Moving point x (weight w) from A to B changes the inertia by
//   w·W_B/(W_B + w)·|x − c_B|² − w·W_A/(W_A − w)·|x − c_A|²   (W: a cluster's weight),
// and a pass moves each point, in order, to the cluster that lowers it most, if any. A cluster
// never gives up its last point.
void KMeansRun::start_refine() {
  const size_t n = m_.rows(), d = m_.n_cols;
  sum_.assign(size_t(k_) * d, 0.0);
  cw_.assign(k_, 0.0);
  snorm_.assign(k_, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t c = cur_.labels[i];
    cw_[c] += w_[i];
    for (uint64_t q = m_.indptr[i]; q < m_.indptr[i + 1]; ++q)
      sum_[size_t(c) * d + m_.indices[q]] += w_[i] * m_.value(q);
  }
  passes_ = 0;
  phase_ = Phase::refine;
}

bool KMeansRun::refine_pass() {
  const size_t n = m_.rows(), d = m_.n_cols;
  // Squared norms of the sums, exact at the start of each pass (moves update them incrementally).
  for (int c = 0; c < k_; ++c) {
    const double* s = &sum_[size_t(c) * d];
    double sn = 0;
    for (size_t j = 0; j < d; ++j) sn += s[j] * s[j];
    snorm_[c] = sn;
  }
  std::vector<double> dots(k_);
  bool moved = false;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t a = cur_.labels[i];
    const double w = w_[i];
    if (cw_[a] <= w) continue;
    for (int c = 0; c < k_; ++c) {
      const double* s = &sum_[size_t(c) * d];
      double dot = 0;
      for (uint64_t q = m_.indptr[i]; q < m_.indptr[i + 1]; ++q) dot += m_.value(q) * s[m_.indices[q]];
      dots[c] = dot;
    }
    // |x − S/W|² = |x|² − 2 x·S/W + |S|²/W², for a cluster with weight W > 0.
    auto dist = [&](int c) {
      if (cw_[c] <= 0) return 0.0;
      return std::max(0.0, xnorm_[i] - 2 * dots[c] / cw_[c] + snorm_[c] / (cw_[c] * cw_[c]));
    };
    const double leave = w * cw_[a] / (cw_[a] - w) * dist(int(a));
    double best = leave;
    int to = -1;
    for (int c = 0; c < k_; ++c) {
      if (c == int(a)) continue;
      const double join = w * cw_[c] / (cw_[c] + w) * dist(c);
      if (join < best) {
        best = join;
        to = c;
      }
    }
    // A move must gain more than rounding could fake, or passes could cycle.
    if (to < 0 || best >= leave - 1e-9 * std::max(1.0, leave)) continue;
    const double xn = xnorm_[i];
    snorm_[a] += -2 * w * dots[a] + w * w * xn;
    snorm_[to] += 2 * w * dots[to] + w * w * xn;
    for (uint64_t q = m_.indptr[i]; q < m_.indptr[i + 1]; ++q) {
      sum_[size_t(a) * d + m_.indices[q]] -= w * m_.value(q);
      sum_[size_t(to) * d + m_.indices[q]] += w * m_.value(q);
    }
    cw_[a] -= w;
    cw_[to] += w;
    cur_.labels[i] = static_cast<uint32_t>(to);
    ++cur_.moves;
    moved = true;
  }
  return moved;
}

void KMeansRun::finish_restart() {
  const size_t n = m_.rows(), d = m_.n_cols;
  if (phase_ == Phase::refine) {
    // Centres are the means of the refined labels; the inertia is measured against them.
    for (int c = 0; c < k_; ++c) {
      double* cc = &cur_.centroids[size_t(c) * d];
      const double* s = &sum_[size_t(c) * d];
      double cn = 0;
      for (size_t j = 0; j < d; ++j) {
        cc[j] = cw_[c] > 0 ? s[j] / cw_[c] : cc[j];
        cn += cc[j] * cc[j];
      }
      cnorm_[c] = cn;
    }
    cur_.inertia = 0;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t l = cur_.labels[i];
      cur_.inertia += w_[i] * sq_dist(i, &cur_.centroids[size_t(l) * d], cnorm_[l]);
    }
  }
  if (cur_.inertia < best_.inertia) best_ = std::move(cur_);
  if (++restart_ < p_.restarts) start_restart();
  else phase_ = Phase::done;
}

KMeansResult kmeans(const CsrMatrix& points, const std::vector<double>& weights, const KMeansParams& params) {
  KMeansRun run(points, weights, params);
  while (!run.step(SliceTimer(1e9))) {}
  return run.take();
}

}  // namespace hfrec
