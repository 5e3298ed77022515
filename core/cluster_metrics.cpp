// Clustering quality metrics (silhouette in slices, Davies-Bouldin, Calinski-Harabasz, inertia) on
// weighted points, with scikit-learn's definitions (cluster_metrics.h).
#include "cluster_metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
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

// Label means (k × d, row-major) and the overall mean.
void means(const LabelledPoints& p, const std::vector<int>& dense, const std::vector<double>& cw, int k,
           std::vector<double>& cent, std::vector<double>& overall) {
  const size_t d = p.rows.n_cols;
  cent.assign(size_t(k) * d, 0.0);
  overall.assign(d, 0.0);
  double wsum = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    wsum += p.weights[i];
    for (uint64_t q = p.rows.indptr[i]; q < p.rows.indptr[i + 1]; ++q) {
      cent[size_t(dense[i]) * d + p.rows.indices[q]] += p.weights[i] * p.rows.value(q);
      overall[p.rows.indices[q]] += p.weights[i] * p.rows.value(q);
    }
  }
  for (int c = 0; c < k; ++c)
    for (size_t j = 0; j < d; ++j) cent[size_t(c) * d + j] /= cw[c];
  for (auto& x : overall) x /= wsum;
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

double within_ss(const LabelledPoints& p) {
  if (p.size() == 0) return 0.0;
  std::vector<int> dense;
  std::vector<double> cw, cent, overall;
  const int k = densify(p, dense, cw);
  means(p, dense, cw, k, cent, overall);
  const size_t d = p.rows.n_cols;
  std::vector<double> cnorm(k, 0.0);
  for (int c = 0; c < k; ++c)
    for (size_t j = 0; j < d; ++j) cnorm[c] += cent[size_t(c) * d + j] * cent[size_t(c) * d + j];
  double s = 0;
  for (size_t i = 0; i < p.size(); ++i)
    s += p.weights[i] * sq_dist_to(p.rows, i, &cent[size_t(dense[i]) * d], cnorm[dense[i]]);
  return s;
}

// Davies-Bouldin in O(nnz + k) memory: sparse centroids (the centroids of sparse rows are sparse),
// then one row of centroid distances at a time from an inverted index of the centroids' columns,
// so no k × k and no k × d matrix. The sums run in the same order as a dense k × k Gram matrix
// built column by column would, so the value is the same to the last bit.
double davies_bouldin(const LabelledPoints& p) {
  std::vector<int> dense;
  std::vector<double> cw;
  const int k = densify(p, dense, cw);
  if (k < 2 || double(k) > total_weight(p) - 1) return kNaN;
  const size_t d = p.rows.n_cols, n = p.size();
  // Members of each cluster in point order (a stable counting sort).
  std::vector<size_t> start(size_t(k) + 1, 0), members(n);
  for (size_t i = 0; i < n; ++i) ++start[size_t(dense[i]) + 1];
  for (int c = 0; c < k; ++c) start[c + 1] += start[c];
  {
    std::vector<size_t> at(start.begin(), start.end() - 1);
    for (size_t i = 0; i < n; ++i) members[at[dense[i]]++] = i;
  }
  // Sparse centroids (columns ascending), their squared norms and the clusters' mean distances.
  std::vector<size_t> cptr(size_t(k) + 1, 0);
  std::vector<uint32_t> ccol;
  std::vector<double> cval, cnorm(k, 0.0), intra(k, 0.0), scratch(d, 0.0);
  std::vector<uint32_t> touched;
  std::vector<char> seen(d, 0);
  for (int c = 0; c < k; ++c) {
    touched.clear();
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
    for (uint32_t j : touched) {
      scratch[j] /= cw[c];
      if (scratch[j] != 0) {
        ccol.push_back(j);
        cval.push_back(scratch[j]);
        cnorm[c] += scratch[j] * scratch[j];
      }
    }
    cptr[c + 1] = ccol.size();
    for (size_t m = start[c]; m < start[c + 1]; ++m) {
      const size_t i = members[m];
      intra[c] += p.weights[i] * std::sqrt(sq_dist_to(p.rows, i, scratch.data(), cnorm[c]));
    }
    intra[c] /= cw[c];
    for (uint32_t j : touched) {
      scratch[j] = 0;
      seen[j] = 0;
    }
  }
  // Inverted index: for each column, the clusters whose centroid has it, in cluster order.
  std::vector<size_t> iptr(d + 1, 0);
  for (uint32_t j : ccol) ++iptr[size_t(j) + 1];
  for (size_t j = 0; j < d; ++j) iptr[j + 1] += iptr[j];
  std::vector<int> icl(ccol.size());
  std::vector<double> ival(ccol.size());
  {
    std::vector<size_t> at(iptr.begin(), iptr.end() - 1);
    for (int c = 0; c < k; ++c)
      for (size_t q = cptr[c]; q < cptr[c + 1]; ++q) {
        icl[at[ccol[q]]] = c;
        ival[at[ccol[q]]++] = cval[q];
      }
  }
  bool all_intra_zero = true;
  for (int c = 0; c < k; ++c) all_intra_zero = all_intra_zero && std::abs(intra[c]) <= 1e-8;  // np.allclose(., 0)
  // One row of the Gram matrix at a time: dot[b] = centroid a · centroid b.
  std::vector<double> dot(k, 0.0);
  std::vector<double> worst(k, 0.0);
  bool all_cd_zero = true;
  for (int a = 0; a < k; ++a) {
    for (size_t q = cptr[a]; q < cptr[a + 1]; ++q) {
      const uint32_t j = ccol[q];
      for (size_t r = iptr[j]; r < iptr[size_t(j) + 1]; ++r) dot[icl[r]] += cval[q] * ival[r];
    }
    for (int b = 0; b < k; ++b) {
      const double sq = a == b ? 0.0 : cnorm[a] + cnorm[b] - 2 * dot[b];
      const double dist = std::sqrt(std::max(0.0, sq));
      dot[b] = 0;
      all_cd_zero = all_cd_zero && dist <= 1e-8;
      if (dist == 0) continue;  // scikit-learn sets zero centroid distances to inf
      worst[a] = std::max(worst[a], (intra[a] + intra[b]) / dist);
    }
  }
  if (all_intra_zero || all_cd_zero) return 0.0;
  double total = 0;
  for (int a = 0; a < k; ++a) total += worst[a];
  return total / k;
}

double calinski_harabasz(const LabelledPoints& p) {
  std::vector<int> dense;
  std::vector<double> cw, cent, overall;
  const int k = densify(p, dense, cw);
  const double n = total_weight(p);
  if (k < 2 || double(k) > n - 1) return kNaN;
  means(p, dense, cw, k, cent, overall);
  const size_t d = p.rows.n_cols;
  double extra = 0, intra = 0;
  std::vector<double> cnorm(k, 0.0);
  for (int c = 0; c < k; ++c) {
    double s = 0;
    for (size_t j = 0; j < d; ++j) {
      const double t = cent[size_t(c) * d + j] - overall[j];
      s += t * t;
      cnorm[c] += cent[size_t(c) * d + j] * cent[size_t(c) * d + j];
    }
    extra += cw[c] * s;
  }
  for (size_t i = 0; i < p.size(); ++i)
    intra += p.weights[i] * sq_dist_to(p.rows, i, &cent[size_t(dense[i]) * d], cnorm[dense[i]]);
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
  while (!run.step(SliceTimer(1e9))) {}
  return run.value();
}

}  // namespace hfrec
