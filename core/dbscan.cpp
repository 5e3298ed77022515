// DBSCAN over collapsed rows: neighbourhoods through the inverted index with exact eps tests
// (integer arithmetic at the boundary), resumable in slices (dbscan.h).
#include "dbscan.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

namespace hfrec {

namespace {

// Unsigned big integer, 32-bit limbs, least significant first: just enough for exact ties.
struct Big {
  std::vector<uint32_t> limb;
  explicit Big(uint64_t x = 0) {
    while (x) {
      limb.push_back(static_cast<uint32_t>(x));
      x >>= 32;
    }
  }
  Big& mul(uint64_t f) {
    Big r;
    const uint32_t parts[2] = {static_cast<uint32_t>(f), static_cast<uint32_t>(f >> 32)};
    r.limb.assign(limb.size() + 2, 0);
    for (int p = 0; p < 2; ++p) {
      uint64_t carry = 0;
      for (size_t i = 0; i < limb.size(); ++i) {
        uint64_t cur = uint64_t(limb[i]) * parts[p] + r.limb[i + p] + carry;
        r.limb[i + p] = static_cast<uint32_t>(cur);
        carry = cur >> 32;
      }
      for (size_t i = limb.size() + p; carry; ++i) {
        uint64_t cur = uint64_t(r.limb[i]) + carry;
        r.limb[i] = static_cast<uint32_t>(cur);
        carry = cur >> 32;
      }
    }
    limb.swap(r.limb);
    trim();
    return *this;
  }
  Big& shl(uint64_t bits) {
    if (limb.empty()) return *this;
    const size_t whole = bits / 32, part = bits % 32;
    std::vector<uint32_t> r(whole, 0);
    uint32_t carry = 0;
    for (uint32_t x : limb) {
      r.push_back(part ? (x << part) | carry : x);
      carry = part ? x >> (32 - part) : 0;
    }
    if (carry) r.push_back(carry);
    limb.swap(r);
    return *this;
  }
  void trim() {
    while (!limb.empty() && limb.back() == 0) limb.pop_back();
  }
  friend int cmp(const Big& x, const Big& y) {
    if (x.limb.size() != y.limb.size()) return x.limb.size() < y.limb.size() ? -1 : 1;
    for (size_t i = x.limb.size(); i-- > 0;)
      if (x.limb[i] != y.limb[i]) return x.limb[i] < y.limb[i] ? -1 : 1;
    return 0;
  }
};

// eps = M · 2^-E exactly, M < 2^53 (eps > 0, finite, < 2^53).
void split_double(double eps, uint64_t& M, int& E) {
  int exp = 0;
  const double mant = std::frexp(eps, &exp);  // eps = mant · 2^exp, mant in [0.5, 1)
  M = static_cast<uint64_t>(std::ldexp(mant, 53));
  E = 53 - exp;
  while (E > 0 && (M & 1) == 0) {
    M >>= 1;
    --E;
  }
}

}  // namespace

bool cosine_within_exact(uint64_t i, uint64_t a, uint64_t b, double eps) {
  if (eps >= 1.0) return true;         // non-negative rows: cosine distance is at most 1
  if (a == 0 || b == 0) return false;  // scikit-learn: a zero row is at distance 1
  if (eps < 0) return false;
  if (i == 0) return false;
  // Fast path: far from a tie in double precision.
  const double t = 1.0 - eps, lhs = double(i) * double(i), rhs = t * t * double(a) * double(b);
  if (std::abs(lhs - rhs) > 1e-9 * std::max(lhs, rhs)) return lhs >= rhs;
  // Exact: t = (2^E - M) / 2^E, so the test is i² · 4^E >= (2^E - M)² · a · b.
  if (eps == 0) return i * i == a * b;  // identical direction
  uint64_t M;
  int E;
  split_double(eps, M, E);
  if (E <= 0) return true;                       // eps >= 1, handled above
  Big T = Big(1).shl(static_cast<uint64_t>(E));  // 2^E - M, E may exceed 64
  {
    Big m(M);
    // Subtract M from 2^E.
    int64_t borrow = 0;
    for (size_t k = 0; k < T.limb.size(); ++k) {
      int64_t cur = int64_t(T.limb[k]) - (k < m.limb.size() ? int64_t(m.limb[k]) : 0) - borrow;
      borrow = cur < 0;
      T.limb[k] = static_cast<uint32_t>(cur + (borrow ? (int64_t(1) << 32) : 0));
    }
    T.trim();
  }
  Big rhs_big = T;
  // (2^E - M)² a b: multiply by T limb-wise via repeated mul of its 64-bit chunks is awkward;
  // square by schoolbook on limbs instead.
  Big sq;
  sq.limb.assign(T.limb.size() * 2 + 1, 0);
  for (size_t x = 0; x < T.limb.size(); ++x) {
    uint64_t carry = 0;
    for (size_t y = 0; y < T.limb.size(); ++y) {
      uint64_t cur = uint64_t(T.limb[x]) * T.limb[y] + sq.limb[x + y] + carry;
      sq.limb[x + y] = static_cast<uint32_t>(cur);
      carry = cur >> 32;
    }
    for (size_t z = x + T.limb.size(); carry; ++z) {
      uint64_t cur = uint64_t(sq.limb[z]) + carry;
      sq.limb[z] = static_cast<uint32_t>(cur);
      carry = cur >> 32;
    }
  }
  sq.trim();
  rhs_big = sq;
  rhs_big.mul(a).mul(b);
  Big lhs_big(i);
  lhs_big.mul(i).shl(2 * static_cast<uint64_t>(E));
  return cmp(lhs_big, rhs_big) >= 0;
}

bool euclidean_within_exact(uint64_t d2, double eps) {
  if (eps < 0) return false;
  if (d2 == 0) return true;
  const double e2 = eps * eps;
  if (std::abs(double(d2) - e2) > 1e-9 * std::max(double(d2), e2)) return double(d2) <= e2;
  // Exact: d2 · 4^E <= M².
  uint64_t M;
  int E;
  split_double(eps, M, E);
  Big lhs(d2), rhs(M);
  rhs.mul(M);
  if (E >= 0) lhs.shl(2 * static_cast<uint64_t>(E));
  else rhs.shl(2 * static_cast<uint64_t>(-E));
  return cmp(lhs, rhs) <= 0;
}

DbscanRun::DbscanRun(const CsrMatrix& points, const std::vector<double>& weights, const DbscanParams& params)
    : m_(points), p_(params) {
  const size_t n = m_.rows();
  w_ = weights.empty() ? std::vector<double>(n, 1.0) : weights;
  exact_ = true;
  for (float v : m_.values)
    if (v != std::floor(v) || v < 0 || v > 1e6f) exact_ = false;
  everyone_ = p_.metric == DbscanMetric::cosine && p_.eps >= 1.0;
  norm_.assign(n, 0.0);
  tptr_.assign(size_t(m_.n_cols) + 1, 0);
  for (size_t i = 0; i < n; ++i)
    for (uint64_t q = m_.indptr[i]; q < m_.indptr[i + 1]; ++q) {
      norm_[i] += double(m_.value(q)) * m_.value(q);
      ++tptr_[m_.indices[q] + 1];
    }
  for (size_t j = 0; j < m_.n_cols; ++j) tptr_[j + 1] += tptr_[j];
  tidx_.resize(m_.nnz());
  tval_.resize(m_.nnz());
  std::vector<uint64_t> fill(tptr_.begin(), tptr_.end() - 1);
  for (size_t i = 0; i < n; ++i)
    for (uint64_t q = m_.indptr[i]; q < m_.indptr[i + 1]; ++q) {
      const uint64_t at = fill[m_.indices[q]]++;
      tidx_[at] = static_cast<uint32_t>(i);
      tval_[at] = m_.value(q);
    }
  by_norm_.resize(n);
  std::iota(by_norm_.begin(), by_norm_.end(), 0u);
  std::stable_sort(by_norm_.begin(), by_norm_.end(), [&](uint32_t a, uint32_t b) { return norm_[a] < norm_[b]; });
  inter_.assign(n, 0.0);
  touched_mark_.assign(n, 0);
  count_.assign(n, 0.0);
  core_.assign(n, 0);
  parent_.resize(n);
  std::iota(parent_.begin(), parent_.end(), 0u);
  labels_.assign(n, kNoise);
  if (n == 0) pass_ = 3;
}

bool DbscanRun::within(uint32_t g, uint32_t h, double inter) const {
  if (p_.metric == DbscanMetric::cosine) {
    if (everyone_) return true;
    if (exact_)
      return cosine_within_exact(static_cast<uint64_t>(inter), static_cast<uint64_t>(norm_[g]),
                                 static_cast<uint64_t>(norm_[h]), p_.eps);
    if (norm_[g] == 0 || norm_[h] == 0) return 1.0 <= p_.eps;
    return 1.0 - inter / std::sqrt(norm_[g] * norm_[h]) <= p_.eps;
  }
  const double d2 = std::max(0.0, norm_[g] + norm_[h] - 2 * inter);
  if (exact_) return euclidean_within_exact(static_cast<uint64_t>(d2 + 0.5), p_.eps);
  return std::sqrt(d2) <= p_.eps;
}

template <class F>
void DbscanRun::neighbours(uint32_t g, F&& f) {
  const size_t n = m_.rows();
  if (everyone_) {
    examined_ += n;
    for (uint32_t h = 0; h < n; ++h)
      if (h != g) f(h);
    return;
  }
  // Intersections with every point sharing a column, through the inverted index.
  for (uint64_t q = m_.indptr[g]; q < m_.indptr[g + 1]; ++q) {
    const double v = m_.value(q);
    const uint32_t j = m_.indices[q];
    for (uint64_t t = tptr_[j]; t < tptr_[j + 1]; ++t) {
      const uint32_t h = tidx_[t];
      if (!touched_mark_[h]) {
        touched_mark_[h] = 1;
        touched_.push_back(h);
      }
      inter_[h] += v * tval_[t];
    }
  }
  examined_ += touched_.size();
  for (uint32_t h : touched_)
    if (h != g && within(g, h, inter_[h])) f(h);
  // Euclidean: points sharing no column are at sqrt(|g|² + |h|²), in order of |h|².
  if (p_.metric == DbscanMetric::euclidean)
    for (uint32_t h : by_norm_) {
      ++examined_;
      if (!within(g, h, 0.0)) break;
      if (h != g && !touched_mark_[h]) f(h);
    }
  for (uint32_t h : touched_) {
    touched_mark_[h] = 0;
    inter_[h] = 0;
  }
  touched_.clear();
}

bool DbscanRun::step(const SliceTimer& timer) {
  const uint32_t n = static_cast<uint32_t>(m_.rows());
  auto find = [&](uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  };
  while (pass_ < 3) {
    if (next_ >= n) {  // between passes: a piece of its own, one unit per point
      timer.charge(n);
      if (pass_ == 0)
        for (uint32_t g = 0; g < n; ++g) core_[g] = count_[g] >= p_.min_samples;
      ++pass_;
      next_ = 0;
      if (pass_ == 2) finish();
      if (timer.expired()) break;
      continue;
    }
    const uint32_t g = next_++;
    if (pass_ == 0) {
      // Pass 1: neighbourhood weight, the point's own identical rows included (a zero row under
      // cosine is at distance 1 from its copies, as in scikit-learn, so it counts only itself).
      const bool zero_cos = p_.metric == DbscanMetric::cosine && norm_[g] == 0 && !everyone_;
      double c = zero_cos ? 1.0 : w_[g];
      neighbours(g, [&](uint32_t h) { c += w_[h]; });
      count_[g] = c;
    } else if (pass_ == 1) {
      // Pass 2: core points reachable from each other form one cluster.
      if (core_[g])
        neighbours(g, [&](uint32_t h) {
          if (core_[h]) {
            uint32_t a = find(g), b = find(h);
            if (a != b) parent_[std::max(a, b)] = std::min(a, b);  // root = lowest point
          }
        });
    } else {
      // Pass 3: a border point joins the earliest-started cluster among its core neighbours.
      if (!core_[g]) {
        int32_t best = kNoise;
        neighbours(g, [&](uint32_t h) {
          if (core_[h] && (best == kNoise || labels_[h] < best)) best = labels_[h];
        });
        labels_[g] = best;
      }
    }
    timer.charge(std::max<uint64_t>(1, examined_));
    examined_ = 0;
    if (timer.expired()) break;
  }
  return pass_ >= 3;
}

void DbscanRun::finish() {
  // Clusters numbered by their lowest core point, which is their first core row because points
  // are in order of first row: the order in which scikit-learn's dbscan_inner starts them.
  const uint32_t n = static_cast<uint32_t>(m_.rows());
  std::vector<int32_t> id(n, kNoise);
  int32_t next = 0;
  for (uint32_t g = 0; g < n; ++g) {
    if (!core_[g]) continue;
    uint32_t r = g;
    while (parent_[r] != r) r = parent_[r];
    if (id[r] == kNoise) id[r] = next++;
    labels_[g] = id[r];
  }
}

double DbscanRun::progress() const {
  const size_t n = m_.rows();
  if (pass_ >= 3 || n == 0) return 1.0;
  return (pass_ + double(next_) / double(n)) / 3.0;
}

std::vector<int32_t> dbscan(const CsrMatrix& points, const std::vector<double>& weights, const DbscanParams& params) {
  DbscanRun run(points, weights, params);
  run_to_end(run);
  return run.labels();
}

}  // namespace hfrec
