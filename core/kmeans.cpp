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
  // The buffers of the previous restart are reused: seeding writes every centre's whole row.
  cur_.k = k_;
  cur_.iterations = 0;
  cur_.moves = 0;
  cur_.inertia = 0;
  cur_.centroids.resize(size_t(k_) * d);
  cur_.labels.assign(n, 0);
  cnorm_.assign(k_, 0.0);
  closest_.assign(n, 0.0);
  pot_cum_.assign(n, 0.0);
  tmp_.assign(n, 0.0);
  dist_.assign(n, 0.0);
  if (sum_.size() != size_t(k_) * d) sum_.assign(size_t(k_) * d, 0.0);
  cw_.assign(k_, 0.0);
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
  double within = 0.5 * center_ / std::max(1, k_);
  if (phase_ == Phase::assign || phase_ == Phase::accumulate || phase_ == Phase::update)
    within = 0.5 + 0.4 * std::min(1.0, cur_.iterations / 20.0);
  else if (phase_ != Phase::first && phase_ != Phase::candidates) within = 0.9 + 0.1 * std::min(1.0, passes_ / 10.0);
  return (restart_ + within) / p_.restarts;
}

std::string KMeansRun::stage() const {
  if (phase_ == Phase::done) return "k-means done";
  std::string what = ", seeding";
  if (phase_ == Phase::assign && final_) what = ", final assignment";
  else if (phase_ == Phase::assign || phase_ == Phase::accumulate || phase_ == Phase::update)
    what = ", iteration " + std::to_string(cur_.iterations + 1);
  else if (phase_ != Phase::first && phase_ != Phase::candidates)
    what = ", refining (pass " + std::to_string(passes_ + 1) + ")";
  return "k-means restart " + std::to_string(restart_ + 1) + "/" + std::to_string(p_.restarts) + what;
}

size_t KMeansRun::points_piece() const {
  return std::min<size_t>(m_.rows() - cursor_, std::max<uint64_t>(1, kPieceUnits / uint64_t(k_)));
}

size_t KMeansRun::centres_piece() const {
  const uint64_t d = std::max<uint64_t>(1, m_.n_cols);
  return std::min<size_t>(size_t(k_) - cursor_, std::max<uint64_t>(1, kPieceUnits * kCoordsPerUnit / d));
}

void KMeansRun::unit(const SliceTimer& timer) {
  const size_t n = m_.rows(), d = m_.n_cols;
  auto set_centroid = [&](int c, size_t r) {
    double* cc = cur_.centroids.data() + size_t(c) * d;
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
  auto start_lloyd = [&]() {
    prev_labels_.assign(n, std::numeric_limits<uint32_t>::max());
    start_assign(false);
  };
  switch (phase_) {
    case Phase::first: {
      // First centre: a uniformly random catalogue row, i.e. a point with probability w_i / sum(w).
      double acc = 0;
      for (size_t i = 0; i < n; ++i) pot_cum_[i] = acc += w_[i];
      size_t first = search_cum(pot_cum_, rng_.uniform() * acc);
      set_centroid(0, first);
      timer.charge(n);
      for (size_t i = 0; i < n; ++i) closest_[i] = sq_dist(i, cur_.centroids.data(), cnorm_[0]);
      center_ = 1;
      if (k_ == 1) {
        start_lloyd();
      } else {
        phase_ = Phase::candidates;
        draw_candidates();
      }
      return;
    }
    case Phase::candidates: {
      const size_t cand = candidates_[trial_];
      // Distances to the candidate via a dense scatter of its row into the next centroid slot.
      double* cc = cur_.centroids.data() + size_t(center_) * d;
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
      if (++center_ < k_) draw_candidates();
      else start_lloyd();
      return;
    }
    case Phase::assign: assign_piece(timer); return;
    case Phase::accumulate:
      timer.charge(n);
      accumulate();
      return;
    case Phase::update: update_piece(timer); return;
    case Phase::refine_sums: {
      timer.charge(n);
      std::fill(cw_.begin(), cw_.end(), 0.0);
      for (size_t i = 0; i < n; ++i) {
        const uint32_t c = cur_.labels[i];
        cw_[c] += w_[i];
        for (uint64_t q = m_.indptr[i]; q < m_.indptr[i + 1]; ++q)
          sum_[size_t(c) * d + m_.indices[q]] += w_[i] * m_.value(q);
      }
      passes_ = 0;
      snorm_.assign(k_, 0.0);
      phase_ = Phase::refine_norms;
      cursor_ = 0;
      return;
    }
    case Phase::refine_norms: {
      // Squared norms of the sums, exact at the start of each pass (moves update them incrementally).
      const size_t m = centres_piece();
      timer.charge((m * d + kCoordsPerUnit - 1) / kCoordsPerUnit);
      for (size_t c = cursor_; c < cursor_ + m; ++c) {
        const double* s = sum_.data() + c * d;
        double sn = 0;
        for (size_t j = 0; j < d; ++j) sn += s[j] * s[j];
        snorm_[c] = sn;
      }
      cursor_ += m;
      if (cursor_ == size_t(k_)) {
        phase_ = Phase::refine;
        cursor_ = 0;
        moved_ = false;
      }
      return;
    }
    case Phase::refine: refine_piece(timer); return;
    case Phase::refine_centres: refine_centres_piece(timer); return;
    case Phase::done: return;
  }
}

// Lloyd's assignment (or the restart's final one): each point of the piece to its nearest centre.
void KMeansRun::start_assign(bool final) {
  phase_ = Phase::assign;
  final_ = final;
  cursor_ = 0;
  if (final) cur_.inertia = 0;
}

void KMeansRun::assign_piece(const SliceTimer& timer) {
  const size_t n = m_.rows(), d = m_.n_cols;
  const size_t m = points_piece();
  timer.charge(m * size_t(k_));
  auto& labels = cur_.labels;
  for (size_t i = cursor_; i < cursor_ + m; ++i) {
    double best = std::numeric_limits<double>::infinity();
    uint32_t bl = 0;
    for (int c = 0; c < k_; ++c) {
      double dd = sq_dist(i, cur_.centroids.data() + size_t(c) * d, cnorm_[c]);
      if (dd < best) {
        best = dd;
        bl = static_cast<uint32_t>(c);
      }
    }
    if (!final_) {
      labels[i] = bl;
      dist_[i] = best;
    } else {
      // scikit-learn reruns the E-step against the final centres unless strictly converged (it
      // is harmless when it did); then the inertia.
      if (!strict_converged_) labels[i] = bl;
      const uint32_t l = labels[i];
      cur_.inertia += w_[i] * sq_dist(i, cur_.centroids.data() + size_t(l) * d, cnorm_[l]);
    }
  }
  cursor_ += m;
  if (cursor_ < n) return;
  if (!final_) {
    phase_ = Phase::accumulate;
  } else if (p_.refine && k_ > 1) {
    phase_ = Phase::refine_sums;
  } else {
    finish_restart();
  }
}

// The clusters' weighted sums, then empty clusters take the points farthest from their centres
// (scikit-learn's _relocate_empty_clusters; labels are left as they are, only the centres move).
void KMeansRun::accumulate() {
  const size_t n = m_.rows(), d = m_.n_cols;
  const auto& labels = cur_.labels;
  std::fill(cw_.begin(), cw_.end(), 0.0);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t c = labels[i];
    cw_[c] += w_[i];
    for (uint64_t q = m_.indptr[i]; q < m_.indptr[i + 1]; ++q)
      sum_[size_t(c) * d + m_.indices[q]] += w_[i] * m_.value(q);
  }
  std::vector<int> empty;
  for (int c = 0; c < k_; ++c)
    if (cw_[c] == 0) empty.push_back(c);
  if (!empty.empty()) {
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return dist_[a] > dist_[b]; });
    for (size_t e = 0; e < empty.size() && e < n; ++e) {
      const size_t far = order[e];
      const uint32_t old = labels[far];
      const int nc = empty[e];
      for (uint64_t q = m_.indptr[far]; q < m_.indptr[far + 1]; ++q) {
        sum_[size_t(old) * d + m_.indices[q]] -= w_[far] * m_.value(q);
        sum_[size_t(nc) * d + m_.indices[q]] = w_[far] * m_.value(q);
      }
      cw_[nc] = w_[far];
      cw_[old] -= w_[far];
    }
  }
  phase_ = Phase::update;
  cursor_ = 0;
  shift_ = 0;
}

// Each centre of the piece moves to its cluster's mean (an empty one stays), its sum row cleared.
void KMeansRun::update_piece(const SliceTimer& timer) {
  const size_t d = m_.n_cols;
  const size_t m = centres_piece();
  timer.charge((m * d + kCoordsPerUnit - 1) / kCoordsPerUnit);
  for (size_t c = cursor_; c < cursor_ + m; ++c) {
    double* s = sum_.data() + c * d;
    double* oc = cur_.centroids.data() + c * d;
    double cn = 0;
    if (cw_[c] > 0) {
      for (size_t j = 0; j < d; ++j) {
        const double nc = s[j] / cw_[c];
        shift_ += (nc - oc[j]) * (nc - oc[j]);
        oc[j] = nc;
        cn += nc * nc;
      }
    } else {
      for (size_t j = 0; j < d; ++j) cn += oc[j] * oc[j];
    }
    std::fill(s, s + d, 0.0);
    cnorm_[c] = cn;
  }
  cursor_ += m;
  if (cursor_ < size_t(k_)) return;
  ++cur_.iterations;
  if (cur_.labels == prev_labels_) {
    strict_converged_ = true;
    start_assign(true);
    return;
  }
  prev_labels_ = cur_.labels;
  if (shift_ <= tol_ || cur_.iterations >= p_.max_iter) start_assign(true);
  else start_assign(false);
}

// Hartigan's refinement. Centres are the weighted means of the current labels, kept as sums so a
// move costs O(nnz of the point). Moving point x (weight w) from A to B changes the inertia by
//   w·W_B/(W_B + w)·|x − c_B|² − w·W_A/(W_A − w)·|x − c_A|²   (W: a cluster's weight),
// and a pass moves each point, in order, to the cluster that lowers it most, if any. A cluster
// never gives up its last point.
void KMeansRun::refine_piece(const SliceTimer& timer) {
  const size_t n = m_.rows(), d = m_.n_cols;
  const size_t m = points_piece();
  timer.charge(m * size_t(k_));
  std::vector<double>& dots = tmp_;  // free outside seeding
  if (dots.size() < size_t(k_)) dots.resize(k_);
  for (size_t i = cursor_; i < cursor_ + m; ++i) {
    const uint32_t a = cur_.labels[i];
    const double w = w_[i];
    if (cw_[a] <= w) continue;
    for (int c = 0; c < k_; ++c) {
      const double* s = sum_.data() + size_t(c) * d;
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
    moved_ = true;
  }
  cursor_ += m;
  if (cursor_ < n) return;
  cursor_ = 0;
  if (moved_ && ++passes_ < p_.max_refine_passes) {
    phase_ = Phase::refine_norms;
  } else {
    if (!moved_) ++passes_;
    phase_ = Phase::refine_centres;
  }
}

// Centres are the means of the refined labels (sum rows cleared); then the inertia against them.
void KMeansRun::refine_centres_piece(const SliceTimer& timer) {
  const size_t n = m_.rows(), d = m_.n_cols;
  if (cursor_ < size_t(k_)) {
    const size_t m = centres_piece();
    timer.charge((m * d + kCoordsPerUnit - 1) / kCoordsPerUnit);
    for (size_t c = cursor_; c < cursor_ + m; ++c) {
      double* cc = cur_.centroids.data() + c * d;
      double* s = sum_.data() + c * d;
      double cn = 0;
      for (size_t j = 0; j < d; ++j) {
        cc[j] = cw_[c] > 0 ? s[j] / cw_[c] : cc[j];
        cn += cc[j] * cc[j];
      }
      std::fill(s, s + d, 0.0);
      cnorm_[c] = cn;
    }
    cursor_ += m;
    return;
  }
  timer.charge(n);
  cur_.inertia = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t l = cur_.labels[i];
    cur_.inertia += w_[i] * sq_dist(i, cur_.centroids.data() + size_t(l) * d, cnorm_[l]);
  }
  finish_restart();
}

void KMeansRun::finish_restart() {
  // The better restart is kept; the other's buffers serve the next restart.
  if (cur_.inertia < best_.inertia) std::swap(best_, cur_);
  if (++restart_ < p_.restarts) start_restart();
  else phase_ = Phase::done;
}

KMeansResult kmeans(const CsrMatrix& points, const std::vector<double>& weights, const KMeansParams& params) {
  KMeansRun run(points, weights, params);
  run_to_end(run);
  return run.take();
}

}  // namespace hfrec
