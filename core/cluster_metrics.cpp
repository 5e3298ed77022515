// Clustering quality metrics (silhouette in slices, Davies-Bouldin, Calinski-Harabasz, inertia) on
// weighted points, with scikit-learn's definitions (cluster_metrics.h).
#include "cluster_metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <span>
#include <unordered_map>

#include "kmeans.h"

namespace hfrec {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Dense labels 0..k-1 in order of first appearance, and the weight per label.
int densify(const LabelledPoints& p, std::vector<int>& dense, std::vector<double>& cw) {
  std::unordered_map<int32_t, int> ren;
  dense.resize(p.size());
  cw.clear();
  for (size_t i = 0; i < p.size(); ++i) {
    auto [it, inserted] = ren.emplace(p.labels[i], static_cast<int>(ren.size()));
    if (inserted) cw.push_back(0.0);
    dense[i] = it->second;
    cw[it->second] += p.weights[i];
  }
  return static_cast<int>(cw.size());
}

// Visits the clusters in label order with each one's centroid in a dense scratch vector, so memory
// is O(d + points) and never k × d: fn(c, members, centroid, columns, cnorm) gets the cluster's
// points (ascending), its centroid (dense, zero outside `columns`), the columns where it is not zero
// (ascending) and its squared norm. Each entry is summed over the members in point order and then
// divided by the cluster's weight, as a dense k × d mean would be.
template <class Fn>
void each_centroid(const LabelledPoints& p, const std::vector<int>& dense, const std::vector<double>& cw, int k,
                   Fn&& fn) {
  const size_t d = p.rows.n_cols, n = p.size();
  std::vector<size_t> start(size_t(k) + 1, 0), members(n);
  for (size_t i = 0; i < n; ++i) ++start[size_t(dense[i]) + 1];
  for (int c = 0; c < k; ++c) start[c + 1] += start[c];
  {
    std::vector<size_t> at(start.begin(), start.end() - 1);
    for (size_t i = 0; i < n; ++i) members[at[dense[i]]++] = i;
  }
  std::vector<double> scratch(d, 0.0);
  std::vector<uint32_t> touched, columns;
  std::vector<char> seen(d, 0);
  for (int c = 0; c < k; ++c) {
    touched.clear();
    columns.clear();
    for (size_t m = start[c]; m < start[c + 1]; ++m) {
      const size_t i = members[m];
      for (uint64_t q = p.rows.indptr[i]; q < p.rows.indptr[i + 1]; ++q) {
        const uint32_t j = p.rows.indices[q];
        if (!seen[j]) {
          seen[j] = 1;
          touched.push_back(j);
        }
        scratch[j] += p.weights[i] * p.rows.value(q);
      }
    }
    std::sort(touched.begin(), touched.end());
    double cnorm = 0;
    for (uint32_t j : touched) {
      scratch[j] /= cw[c];
      if (scratch[j] != 0) {
        columns.push_back(j);
        cnorm += scratch[j] * scratch[j];
      }
    }
    fn(c, std::span<const size_t>(members.data() + start[c], start[c + 1] - start[c]),
       static_cast<const double*>(scratch.data()), static_cast<const std::vector<uint32_t>&>(columns), cnorm);
    for (uint32_t j : touched) {
      scratch[j] = 0;
      seen[j] = 0;
    }
  }
}

// ||x_i - c||^2 for a sparse point and a dense centre with squared norm cnorm.
double sq_dist_to(const CsrMatrix& m, size_t i, const double* c, double cnorm) {
  double s = cnorm;
  for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) {
    const double x = m.value(q), cj = c[m.indices[q]];
    s += (x - cj) * (x - cj) - cj * cj;
  }
  return std::max(0.0, s);
}

double total_weight(const LabelledPoints& p) { return std::accumulate(p.weights.begin(), p.weights.end(), 0.0); }

}  // namespace

LabelledPoints labelled_points(const Groups& groups, const CsrMatrix& group_rows,
                               const std::vector<int32_t>& row_labels, const std::vector<uint32_t>* subset) {
  LabelledPoints out;
  out.rows.n_cols = group_rows.n_cols;
  std::map<std::pair<uint32_t, int32_t>, size_t> at;  // (group, label) -> point
  std::vector<std::pair<uint32_t, int32_t>> keys;
  auto add = [&](uint32_t r) {
    if (row_labels[r] == kNoise) return;
    auto key = std::make_pair(groups.group_of[r], row_labels[r]);
    auto [it, inserted] = at.emplace(key, keys.size());
    if (inserted) {
      keys.push_back(key);
      out.weights.push_back(0.0);
    }
    out.weights[it->second] += 1.0;
  };
  if (subset)
    for (uint32_t r : *subset) add(r);
  else
    for (uint32_t r = 0; r < row_labels.size(); ++r) add(r);
  for (const auto& [g, l] : keys) {
    for (uint64_t q = group_rows.indptr[g]; q < group_rows.indptr[g + 1]; ++q) {
      out.rows.indices.push_back(group_rows.indices[q]);
      if (!group_rows.values.empty()) out.rows.values.push_back(group_rows.values[q]);
      if (!group_rows.counts.empty()) out.rows.counts.push_back(group_rows.counts[q]);
    }
    out.rows.indptr.push_back(out.rows.indices.size());
    out.labels.push_back(l);
  }
  return out;
}

std::vector<uint32_t> sample_rows(size_t n, size_t count, uint64_t seed) {
  std::vector<uint32_t> all(n);
  std::iota(all.begin(), all.end(), 0u);
  if (count >= n) return all;
  ClusterRng rng(seed);
  for (size_t i = 0; i < count; ++i) std::swap(all[i], all[i + rng.below(n - i)]);  // partial Fisher-Yates
  all.resize(count);
  std::sort(all.begin(), all.end());
  return all;
}

namespace {

// Each point's weighted squared distance to its centroid, in point order.
std::vector<double> weighted_sq_dists(const LabelledPoints& p, const std::vector<int>& dense,
                                      const std::vector<double>& cw, int k) {
  std::vector<double> out(p.size(), 0.0);
  each_centroid(
      p, dense, cw, k,
      [&](int, std::span<const size_t> members, const double* centroid, const std::vector<uint32_t>&, double cnorm) {
        for (size_t i : members) out[i] = p.weights[i] * sq_dist_to(p.rows, i, centroid, cnorm);
      });
  return out;
}

}  // namespace

double within_ss(const LabelledPoints& p) {
  if (p.size() == 0) return 0.0;
  std::vector<int> dense;
  std::vector<double> cw;
  const int k = densify(p, dense, cw);
  double s = 0;
  for (double x : weighted_sq_dists(p, dense, cw, k)) s += x;
  return s;
}

// Davies-Bouldin in O(nnz + k) memory: sparse centroids (the centroids of sparse rows are sparse),
// then one row of centroid distances at a time from an inverted index of the centroids' columns,
// so no k × k and no k × d matrix. The sums run in the same order as a dense k × k Gram matrix
// built column by column would, so the value is the same to the last bit.
DaviesBouldinRun::DaviesBouldinRun(const LabelledPoints& p) {
  std::vector<int> dense;
  std::vector<double> cw;
  k_ = densify(p, dense, cw);
  if (k_ < 2 || double(k_) > total_weight(p) - 1) {
    result_ = kNaN;
    return;
  }
  const int k = k_;
  const size_t d = p.rows.n_cols;
  // Sparse centroids (columns ascending), their squared norms and the clusters' mean distances.
  cptr_.assign(size_t(k) + 1, 0);
  cnorm_.assign(k, 0.0);
  intra_.assign(k, 0.0);
  each_centroid(p, dense, cw, k,
                [&](int c, std::span<const size_t> members, const double* centroid,
                    const std::vector<uint32_t>& columns, double cnorm) {
                  for (uint32_t j : columns) {
                    ccol_.push_back(j);
                    cval_.push_back(centroid[j]);
                  }
                  cnorm_[c] = cnorm;
                  cptr_[c + 1] = ccol_.size();
                  for (size_t i : members)
                    intra_[c] += p.weights[i] * std::sqrt(sq_dist_to(p.rows, i, centroid, cnorm));
                  intra_[c] /= cw[c];
                });
  // Inverted index: for each column, the clusters whose centroid has it, in cluster order.
  iptr_.assign(d + 1, 0);
  for (uint32_t j : ccol_) ++iptr_[size_t(j) + 1];
  for (size_t j = 0; j < d; ++j) iptr_[j + 1] += iptr_[j];
  icl_.resize(ccol_.size());
  ival_.resize(ccol_.size());
  {
    std::vector<size_t> at(iptr_.begin(), iptr_.end() - 1);
    for (int c = 0; c < k; ++c)
      for (size_t q = cptr_[c]; q < cptr_[c + 1]; ++q) {
        icl_[at[ccol_[q]]] = c;
        ival_[at[ccol_[q]]++] = cval_[q];
      }
  }
  for (int c = 0; c < k; ++c) all_intra_zero_ = all_intra_zero_ && std::abs(intra_[c]) <= 1e-8;  // np.allclose(., 0)
  dot_.assign(k, 0.0);
  worst_.assign(k, 0.0);
}

bool DaviesBouldinRun::step(const SliceTimer& timer) {
  const int k = k_;
  uint64_t piece = 0;
  while (!done()) {
    // Row a of the Gram matrix, dot[b] = centroid a · centroid b, a column of centroid a at a time
    // (a row can span steps: a large centroid meets many others through its columns).
    const int a = next_;
    if (!in_row_) {
      q_ = cptr_[a];
      in_row_ = true;
    }
    while (q_ < cptr_[a + 1]) {
      const uint32_t j = ccol_[q_];
      const double v = cval_[q_];
      for (size_t r = iptr_[j]; r < iptr_[size_t(j) + 1]; ++r) dot_[icl_[r]] += v * ival_[r];
      piece += iptr_[size_t(j) + 1] - iptr_[j];
      ++q_;
      if (piece >= kPieceUnits) {
        timer.charge(piece);
        piece = 0;
        if (timer.expired()) return false;
      }
    }
    for (int b = 0; b < k; ++b) {
      const double sq = a == b ? 0.0 : cnorm_[a] + cnorm_[b] - 2 * dot_[b];
      const double dist = std::sqrt(std::max(0.0, sq));
      dot_[b] = 0;
      all_cd_zero_ = all_cd_zero_ && dist <= 1e-8;
      if (dist == 0) continue;  // scikit-learn sets zero centroid distances to inf
      worst_[a] = std::max(worst_[a], (intra_[a] + intra_[b]) / dist);
    }
    in_row_ = false;
    ++next_;
    timer.charge(piece + static_cast<uint64_t>(k));
    piece = 0;
    if (timer.expired()) break;
  }
  return done();
}

double DaviesBouldinRun::value() const {
  if (std::isnan(result_) || !done()) return kNaN;
  if (all_intra_zero_ || all_cd_zero_) return 0.0;
  double total = 0;
  for (int a = 0; a < k_; ++a) total += worst_[a];
  return total / k_;
}

double davies_bouldin(const LabelledPoints& p) {
  DaviesBouldinRun run(p);
  run_to_end(run);
  return run.value();
}

double calinski_harabasz(const LabelledPoints& p) {
  std::vector<int> dense;
  std::vector<double> cw;
  const int k = densify(p, dense, cw);
  const double n = total_weight(p);
  if (k < 2 || double(k) > n - 1) return kNaN;
  // The overall mean (dense, d) and its squared norm.
  const size_t d = p.rows.n_cols;
  std::vector<double> overall(d, 0.0);
  for (size_t i = 0; i < p.size(); ++i)
    for (uint64_t q = p.rows.indptr[i]; q < p.rows.indptr[i + 1]; ++q)
      overall[p.rows.indices[q]] += p.weights[i] * p.rows.value(q);
  double onorm = 0;
  for (auto& x : overall) {
    x /= n;
    onorm += x * x;
  }
  // Between clusters: ||c - overall||² = ||overall||² + the centroid's columns' corrections.
  double extra = 0, intra = 0;
  each_centroid(
      p, dense, cw, k,
      [&](int c, std::span<const size_t>, const double* centroid, const std::vector<uint32_t>& columns, double) {
        double s = onorm;
        for (uint32_t j : columns) {
          const double t = centroid[j] - overall[j];
          s += t * t - overall[j] * overall[j];
        }
        extra += cw[c] * std::max(0.0, s);
      });
  for (double x : weighted_sq_dists(p, dense, cw, k)) intra += x;
  if (intra == 0.0) return 1.0;
  return extra * (n - k) / (intra * (k - 1.0));
}

SilhouetteRun::SilhouetteRun(const LabelledPoints& p) : p_(p), n_(p.size()) {
  k_ = densify(p, dense_, cw_);
  valid_ = k_ >= 2 && double(k_) <= total_weight(p) - 1;
  if (!valid_) {
    next_ = n_;
    return;
  }
  const CsrMatrix& m = p.rows;
  norms_.assign(n_, 0.0);
  tptr_.assign(size_t(m.n_cols) + 1, 0);
  for (size_t i = 0; i < n_; ++i)
    for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) {
      norms_[i] += double(m.value(q)) * m.value(q);
      ++tptr_[m.indices[q] + 1];
    }
  for (size_t j = 0; j < m.n_cols; ++j) tptr_[j + 1] += tptr_[j];
  tidx_.resize(m.nnz());
  tval_.resize(m.nnz());
  std::vector<uint64_t> fill(tptr_.begin(), tptr_.end() - 1);
  for (size_t i = 0; i < n_; ++i)
    for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) {
      const uint64_t at = fill[m.indices[q]]++;
      tidx_[at] = static_cast<uint32_t>(i);
      tval_[at] = m.value(q);
    }
  dots_.assign(n_, 0.0);
  sums_.assign(k_, 0.0);
}

bool SilhouetteRun::step(const SliceTimer& timer) {
  const CsrMatrix& m = p_.rows;
  while (next_ < n_) {
    const size_t i = next_++;
    // Dot products with every point through the transposed index, then distances by
    // ||x||² + ||y||² - 2 x·y (exact for integer features, as scikit-learn's euclidean_distances).
    std::fill(dots_.begin(), dots_.end(), 0.0);
    for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) {
      const double v = m.value(q);
      const uint32_t j = m.indices[q];
      for (uint64_t t = tptr_[j]; t < tptr_[j + 1]; ++t) dots_[tidx_[t]] += v * tval_[t];
    }
    std::fill(sums_.begin(), sums_.end(), 0.0);
    timer.charge(n_);  // one distance per point
    for (size_t o = 0; o < n_; ++o) {
      if (o == i) continue;
      sums_[dense_[o]] += p_.weights[o] * std::sqrt(std::max(0.0, norms_[i] + norms_[o] - 2 * dots_[o]));
    }
    const int own = dense_[i];
    double s = 0;
    if (cw_[own] > 1) {
      const double a = sums_[own] / (cw_[own] - 1);
      double b = std::numeric_limits<double>::infinity();
      for (int c = 0; c < k_; ++c)
        if (c != own) b = std::min(b, sums_[c] / cw_[c]);
      const double mx = std::max(a, b);
      s = mx > 0 ? (b - a) / mx : 0.0;
    }
    total_ += p_.weights[i] * s;
    if (timer.expired()) break;
  }
  return next_ >= n_;
}

double SilhouetteRun::value() const {
  if (!valid_) return kNaN;
  return total_ / total_weight(p_);
}

double silhouette(const LabelledPoints& p) {
  SilhouetteRun run(p);
  run_to_end(run);
  return run.value();
}

}  // namespace hfrec
