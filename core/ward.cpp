// Ward clustering by the nearest-neighbour chain, its linkage (scipy's order) and cuts by k or by
// height (ward.h).
#include "ward.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

namespace hfrec {

namespace {

struct UnionFind {
  std::vector<uint32_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  uint32_t find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
};

// Applies the first `count` merges and numbers the flat clusters by their first leaf.
std::vector<int32_t> cut_first(const Dendrogram& d, size_t count) {
  const size_t n = d.n_leaves;
  UnionFind uf(2 * n);
  for (size_t i = 0; i < count && i < d.merges.size(); ++i) {
    uf.parent[d.merges[i].a] = static_cast<uint32_t>(n + i);
    uf.parent[d.merges[i].b] = static_cast<uint32_t>(n + i);
  }
  std::vector<int32_t> labels(n), ren(2 * n, -1);
  int32_t next = 0;
  for (size_t leaf = 0; leaf < n; ++leaf) {
    const uint32_t r = uf.find(static_cast<uint32_t>(leaf));
    if (ren[r] < 0) ren[r] = next++;
    labels[leaf] = ren[r];
  }
  return labels;
}

// Sorts raw merges (between representative leaves) by height and relabels them as scipy's
// linkage matrix (scipy.cluster.hierarchy._hierarchy.label).
std::vector<Merge> to_linkage(std::vector<Merge> raw, size_t n, const std::vector<double>& leaf_size) {
  std::stable_sort(raw.begin(), raw.end(), [](const Merge& x, const Merge& y) { return x.height < y.height; });
  UnionFind uf(n);
  std::vector<uint32_t> id(n);
  std::vector<double> sz(leaf_size);
  std::iota(id.begin(), id.end(), 0u);
  for (size_t i = 0; i < raw.size(); ++i) {
    const uint32_t ra = uf.find(raw[i].a), rb = uf.find(raw[i].b);
    const uint32_t ia = id[ra], ib = id[rb];
    raw[i].a = std::min(ia, ib);
    raw[i].b = std::max(ia, ib);
    raw[i].size = sz[ra] + sz[rb];
    uf.parent[rb] = ra;
    id[ra] = static_cast<uint32_t>(n + i);
    sz[ra] = raw[i].size;
  }
  return raw;
}

}  // namespace

WardRun::WardRun(const CsrMatrix& points, const std::vector<double>& weights) : n_(points.rows()) {
  cent_.resize(n_);
  size_.resize(n_);
  norm_.assign(n_, 0.0);
  height_.assign(n_, 0.0);
  for (size_t i = 0; i < n_; ++i) {
    for (uint64_t q = points.indptr[i]; q < points.indptr[i + 1]; ++q) {
      const double v = points.value(q);
      cent_[i].emplace_back(points.indices[q], v);
      norm_[i] += v * v;
    }
    size_[i] = weights.empty() ? 1.0 : weights[i];
    leaf_size_.push_back(size_[i]);
    active_.push_back(static_cast<uint32_t>(i));
  }
  dense_.assign(points.n_cols, 0.0);
  done_ = n_ <= 1;
}

void WardRun::scatter(uint32_t x) {
  for (const auto& [j, v] : cent_[x]) dense_[j] = v;
}
void WardRun::unscatter(uint32_t x) {
  for (const auto& [j, v] : cent_[x]) dense_[j] = 0.0;
}

double WardRun::dist2(uint32_t x, uint32_t z) const {
  // Symmetric bit for bit: the non-zero products of the intersection are summed in ascending
  // column order whichever side is scattered, so the chain sees d(x, z) == d(z, x).
  double dot = 0;
  for (const auto& [j, v] : cent_[z]) dot += dense_[j] * v;
  const double sq = std::max(0.0, norm_[x] + norm_[z] - 2 * dot);
  return 2 * size_[x] * size_[z] / (size_[x] + size_[z]) * sq;
}

void WardRun::merge(uint32_t x, uint32_t y, double d2) {
  if (x > y) std::swap(x, y);                                          // the merged cluster lives in the lower slot
  const double h = std::max({std::sqrt(d2), height_[x], height_[y]});  // no inversions from rounding
  raw_.push_back(Merge{x, y, h, 0});
  const double sx = size_[x], sy = size_[y], s = sx + sy;
  Sparse out;
  out.reserve(cent_[x].size() + cent_[y].size());
  size_t i = 0, k = 0;
  const Sparse &a = cent_[x], &b = cent_[y];
  while (i < a.size() || k < b.size()) {
    if (k == b.size() || (i < a.size() && a[i].first < b[k].first)) {
      out.emplace_back(a[i].first, a[i].second * sx / s);
      ++i;
    } else if (i == a.size() || b[k].first < a[i].first) {
      out.emplace_back(b[k].first, b[k].second * sy / s);
      ++k;
    } else {
      out.emplace_back(a[i].first, (a[i].second * sx + b[k].second * sy) / s);
      ++i, ++k;
    }
  }
  double nn = 0;
  for (const auto& [j, v] : out) nn += v * v;
  cent_[x] = std::move(out);
  Sparse().swap(cent_[y]);
  norm_[x] = nn;
  size_[x] = s;
  height_[x] = h;
  active_.erase(std::find(active_.begin(), active_.end(), y));
}

bool WardRun::step(const SliceTimer& timer) {
  while (!done_) {
    if (chain_.empty()) chain_.push_back(active_.front());
    const uint32_t x = chain_.back();
    const bool has_prev = chain_.size() > 1;
    uint32_t y = has_prev ? chain_[chain_.size() - 2] : x;
    scatter(x);
    timer.charge(active_.size());  // one distance per active cluster
    double best = has_prev ? dist2(x, y) : std::numeric_limits<double>::infinity();
    for (uint32_t z : active_) {
      if (z == x) continue;
      const double dz = dist2(x, z);
      if (dz < best) {  // strict: the previous chain element wins ties, so the chain terminates
        best = dz;
        y = z;
      }
    }
    unscatter(x);
    if (has_prev && y == chain_[chain_.size() - 2]) {
      chain_.pop_back();
      chain_.pop_back();
      merge(x, y, best);
      done_ = active_.size() <= 1;
    } else {
      chain_.push_back(y);
    }
    if (timer.expired()) break;
  }
  return done_;
}

double WardRun::progress() const {
  if (done_ || n_ <= 1) return 1.0;
  return double(raw_.size()) / double(n_ - 1);
}

Dendrogram WardRun::take() {
  assert(done_);
  Dendrogram d;
  d.n_leaves = n_;
  d.leaf_size = leaf_size_;
  d.merges = to_linkage(std::move(raw_), n_, leaf_size_);
  return d;
}

Dendrogram ward(const CsrMatrix& points, const std::vector<double>& weights) {
  WardRun run(points, weights);
  run_to_end(run);
  return run.take();
}

Dendrogram expand_groups(const Dendrogram& over_groups, const Groups& groups) {
  const size_t n = groups.group_of.size(), G = groups.size();
  assert(over_groups.n_leaves == G);
  std::vector<Merge> raw;
  raw.reserve(n ? n - 1 : 0);
  std::vector<uint32_t> rep(G);  // a row standing for each group
  for (uint32_t g = 0; g < G; ++g) {
    const uint32_t* m = groups.members.data() + groups.member_ptr[g];
    rep[g] = m[0];
    for (uint32_t j = 1; j < groups.weight(g); ++j) raw.push_back(Merge{m[0], m[j], 0.0, 0});
  }
  // Group merges in their order, each between the representatives of the groups below it.
  std::vector<uint32_t> first_leaf(G + over_groups.merges.size());
  for (uint32_t g = 0; g < G; ++g) first_leaf[g] = rep[g];
  for (size_t i = 0; i < over_groups.merges.size(); ++i) {
    const Merge& mg = over_groups.merges[i];
    raw.push_back(Merge{first_leaf[mg.a], first_leaf[mg.b], mg.height, 0});
    first_leaf[G + i] = first_leaf[mg.a];
  }
  Dendrogram d;
  d.n_leaves = n;
  d.leaf_size.assign(n, 1.0);
  d.merges = to_linkage(std::move(raw), n, d.leaf_size);
  return d;
}

std::vector<int32_t> cut_by_k(const Dendrogram& d, size_t k) {
  const size_t n = d.n_leaves;
  k = std::clamp<size_t>(k, 1, std::max<size_t>(n, 1));
  return cut_first(d, n - k);
}

std::vector<int32_t> cut_by_height(const Dendrogram& d, double h) {
  size_t count = 0;
  while (count < d.merges.size() && d.merges[count].height <= h) ++count;
  return cut_first(d, count);
}

}  // namespace hfrec
