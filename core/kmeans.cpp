#include "kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace hfrec {

namespace {

double sq_norm_row(const CsrMatrix& m, size_t r) {
  double s = 0;
  for (uint64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) s += double(m.value(k)) * m.value(k);
  return s;
}

// ||x - c||^2 = ||x||^2 - 2 x·c + ||c||^2
double sq_dist(const CsrMatrix& m, size_t r, double xnorm, const double* c, double cnorm) {
  double dot = 0;
  for (uint64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) dot += m.value(k) * c[m.indices[k]];
  return std::max(0.0, xnorm - 2 * dot + cnorm);
}

KMeansResult run_once(const CsrMatrix& m, const std::vector<double>& w, const std::vector<double>& xnorm,
                      const KMeansParams& p, std::mt19937_64& rng) {
  const size_t n = m.rows(), d = m.n_cols;
  const int k = static_cast<int>(std::min<size_t>(static_cast<size_t>(p.k), n));
  KMeansResult res;
  res.k = k;
  res.centroids.assign(size_t(k) * d, 0.0);
  std::vector<double> cnorm(k, 0.0);
  auto set_centroid = [&](int c, size_t r) {
    double* cc = &res.centroids[size_t(c) * d];
    std::fill(cc, cc + d, 0.0);
    for (uint64_t q = m.indptr[r]; q < m.indptr[r + 1]; ++q) cc[m.indices[q]] = m.value(q);
    cnorm[c] = xnorm[r];
  };
  // k-means++ with 2 + log(k) local trials, as scikit-learn.
  std::uniform_real_distribution<double> U(0.0, 1.0);
  double wsum = 0;
  for (double x : w) wsum += x;
  auto sample = [&](const std::vector<double>& prob, double total) {
    double t = U(rng) * total, acc = 0;
    for (size_t i = 0; i < n; ++i) {
      acc += prob[i];
      if (acc >= t && prob[i] > 0) return i;
    }
    for (size_t i = n; i-- > 0;)
      if (prob[i] > 0) return i;
    return size_t(0);
  };
  size_t first = sample(w, wsum);
  set_centroid(0, first);
  std::vector<double> closest(n);
  for (size_t i = 0; i < n; ++i) closest[i] = sq_dist(m, i, xnorm[i], &res.centroids[0], cnorm[0]);
  const int trials = 2 + static_cast<int>(std::log(k));
  std::vector<double> pot(n), best_closest(n), tmp(n);
  for (int c = 1; c < k; ++c) {
    for (size_t i = 0; i < n; ++i) pot[i] = w[i] * closest[i];
    double total = 0;
    for (double x : pot) total += x;
    double best_pot = std::numeric_limits<double>::infinity();
    size_t best = 0;
    for (int t = 0; t < trials; ++t) {
      size_t cand = total > 0 ? sample(pot, total) : static_cast<size_t>(U(rng) * n) % n;
      std::vector<double> cvec(d, 0.0);
      for (uint64_t q = m.indptr[cand]; q < m.indptr[cand + 1]; ++q) cvec[m.indices[q]] = m.value(q);
      double s = 0;
      for (size_t i = 0; i < n; ++i) {
        tmp[i] = std::min(closest[i], sq_dist(m, i, xnorm[i], cvec.data(), xnorm[cand]));
        s += w[i] * tmp[i];
      }
      if (s < best_pot) {
        best_pot = s;
        best = cand;
        best_closest = tmp;
      }
    }
    set_centroid(c, best);
    closest = best_closest;
  }
  // Lloyd iterations.
  res.labels.assign(n, 0);
  double mean_var = 0;
  {
    std::vector<double> mean(d, 0.0), sq(d, 0.0);
    for (size_t i = 0; i < n; ++i)
      for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) {
        mean[m.indices[q]] += w[i] * m.value(q);
        sq[m.indices[q]] += w[i] * double(m.value(q)) * m.value(q);
      }
    for (size_t j = 0; j < d; ++j) {
      double mu = mean[j] / wsum;
      mean_var += sq[j] / wsum - mu * mu;
    }
    mean_var /= double(d);
  }
  const double tol = p.tol * mean_var;
  std::vector<double> next(size_t(k) * d), cw(k);
  for (int it = 0; it < p.max_iter; ++it) {
    for (size_t i = 0; i < n; ++i) {
      double best = std::numeric_limits<double>::infinity();
      uint32_t bl = 0;
      for (int c = 0; c < k; ++c) {
        double dd = sq_dist(m, i, xnorm[i], &res.centroids[size_t(c) * d], cnorm[c]);
        if (dd < best) { best = dd; bl = static_cast<uint32_t>(c); }
      }
      res.labels[i] = bl;
    }
    std::fill(next.begin(), next.end(), 0.0);
    std::fill(cw.begin(), cw.end(), 0.0);
    for (size_t i = 0; i < n; ++i) {
      uint32_t c = res.labels[i];
      cw[c] += w[i];
      for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) next[size_t(c) * d + m.indices[q]] += w[i] * m.value(q);
    }
    double shift = 0;
    for (int c = 0; c < k; ++c) {
      double* nc = &next[size_t(c) * d];
      const double* oc = &res.centroids[size_t(c) * d];
      if (cw[c] > 0) for (size_t j = 0; j < d; ++j) nc[j] /= cw[c];
      else std::copy(oc, oc + d, nc);
      double cn = 0;
      for (size_t j = 0; j < d; ++j) { shift += (nc[j] - oc[j]) * (nc[j] - oc[j]); cn += nc[j] * nc[j]; }
      cnorm[c] = cn;
    }
    res.centroids.swap(next);
    res.iterations = it + 1;
    if (shift <= tol) break;
  }
  res.inertia = 0;
  for (size_t i = 0; i < n; ++i) {
    double best = std::numeric_limits<double>::infinity();
    uint32_t bl = 0;
    for (int c = 0; c < k; ++c) {
      double dd = sq_dist(m, i, xnorm[i], &res.centroids[size_t(c) * d], cnorm[c]);
      if (dd < best) { best = dd; bl = static_cast<uint32_t>(c); }
    }
    res.labels[i] = bl;
    res.inertia += w[i] * best;
  }
  return res;
}

}  // namespace

KMeansResult kmeans(const CsrMatrix& points, const std::vector<double>& weights, const KMeansParams& params) {
  const size_t n = points.rows();
  std::vector<double> w = weights.empty() ? std::vector<double>(n, 1.0) : weights;
  std::vector<double> xnorm(n);
  for (size_t i = 0; i < n; ++i) xnorm[i] = sq_norm_row(points, i);
  KMeansResult best;
  best.inertia = std::numeric_limits<double>::infinity();
  if (n == 0) return best;
  std::mt19937_64 rng(params.seed);
  for (int r = 0; r < std::max(1, params.restarts); ++r) {
    KMeansResult res = run_once(points, w, xnorm, params, rng);
    if (res.inertia < best.inertia) best = std::move(res);
  }
  return best;
}

}  // namespace hfrec
