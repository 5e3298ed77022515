// Layout: UMAP over the exact kNN graph of a feature space's distinct rows, in slices, with plain
// arithmetic only so WebAssembly gives the same bits (layout.h). The preservation measure is in
// preservation.cpp; the map's nearest rows (the placement's, and the measure's) in map_neighbours.h.
//
// Index of this file:
// [SECTION] Deterministic exp
// [SECTION] LayoutRun: neighbours, initialisation, fuzzy set, union, epochs, placement
#include "layout.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "index.h"   // estimate_layout_seconds
#include "kmeans.h"  // ClusterRng
#include "map_neighbours.h"
#include "sliced.h"

namespace hfrec {

//-----------------------------------------------------------------------------
// [SECTION] Deterministic exp
//-----------------------------------------------------------------------------

double det_exp(double x) {
  if (!(x > -700.0)) return 0.0;
  x = std::min(x, 700.0);
  // x = k ln 2 + r, |r| <= ln 2 / 2; ln 2 split as fdlibm's (k ln2_hi is exact).
  const double k = std::floor(x * 1.4426950408889634 + 0.5);
  const double r = (x - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
  double p = 1.0 / 6227020800.0;  // 1/13!
  const double inv[13] = {
      1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0,
      1.0 / 120.0,       1.0 / 24.0,       1.0 / 6.0,       1.0 / 2.0,      1.0,           1.0};
  for (double c : inv) p = p * r + c;
  // Times 2^k built from its bits (k is within +-1010, so 2^k and the result are normal and the
  // product exact: ldexp's bits, without the library call).
  const uint64_t bits = static_cast<uint64_t>(static_cast<int64_t>(k) + 1023) << 52;
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

//-----------------------------------------------------------------------------
// [SECTION] LayoutRun: neighbours, initialisation, fuzzy set, union, epochs, placement
//-----------------------------------------------------------------------------

namespace {

inline double clip4(double v) { return std::max(-4.0, std::min(4.0, v)); }

// A directed membership of the fuzzy union, keyed by its undirected pair.
struct UnionEntry {
  uint32_t a, b;  // a < b
  uint8_t dir;    // 0: a -> b, 1: b -> a
  double m;
};
struct UnionLess {
  bool operator()(const UnionEntry& x, const UnionEntry& y) const {
    return x.a != y.a ? x.a < y.a : x.b != y.b ? x.b < y.b : x.dir < y.dir;
  }
};

}  // namespace

struct LayoutRun::Impl {
  enum Phase { kNeighbours, kInit, kFuzzy, kUnion, kEpochs, kPlace, kDone };
  const SimilaritySpace& s;
  LayoutParams p;
  size_t G, n;
  int phase = kNeighbours;
  std::unique_ptr<KnnGraphRun> knn;
  KnnGraph graph;
  // Initialisation: the PCA plane of the unit rows.
  std::vector<double> colscale;  // sqrt(column weight)
  std::vector<double> rowscale;  // 1 / sqrt(norm_sq)
  // Column mean; the plane, d × 2, a column's two values side by side (V[2t + c]: a row's entry
  // reads one line of it, not two; the same sums in the same order as column-major).
  std::vector<double> mu, V;
  int init_iter = -1;
  // Fuzzy set: memberships parallel to graph.neighbour.
  std::vector<double> member;
  uint32_t fuzzy_next = 0;
  // Fuzzy union, in slices (fuzzy_union's stages).
  int union_stage = 0;
  uint64_t union_pos = 0;
  std::vector<UnionEntry> all;
  std::unique_ptr<SlicedSort<UnionLess, UnionEntry>> sorter;
  std::vector<double> w;
  double wmax = 0;
  size_t kept = 0;
  // Epochs.
  std::vector<uint32_t> head, tail;
  std::vector<double> eps, next, eps_neg, next_neg;
  std::vector<double> Y;  // 2 per group
  int n_epochs = 0, epoch = 0;
  size_t edge = 0;
  ClusterRng rng;
  // Placing the rows (place()'s stages).
  int place_stage = 0;
  uint64_t place_pos = 0;
  double extent = 0;
  std::vector<double> gap;  // per group: the distance to its nearest other group's point
  std::unique_ptr<MapNeighbours> near;
  Projection out;

  Impl(const SimilaritySpace& space, const LayoutParams& params)
      : s(space), p(params), G(space.size()), n(space.groups->group_of.size()), rng(params.seed) {
    knn = std::make_unique<KnnGraphRun>(s, p.n_neighbors);
    n_epochs = p.epochs > 0 ? p.epochs : 200;
    // log2 k by Newton's method on det_exp (libm's log2 may differ in its last bit between targets).
    const double kk = std::max(1, p.n_neighbors);
    double y = 1;
    for (int it = 0; it < 60; ++it) y += 2 * (kk - det_exp(y)) / (kk + det_exp(y));
    log_k2 = y / 6.93147180559945309417e-01;
  }
  double log_k2 = 0;

  // Unit-row value of entry q of group g.
  double unit(uint32_t g, uint64_t q) const {
    return double(s.matrix().value(q)) * colscale[s.matrix().indices[q]] * rowscale[g];
  }

  // The initialisation in pieces over the groups (init_iter: -1 the column mean, 0 .. init_iters - 1
  // the subspace iterations, init_iters the coordinates), each summing over the groups in order in
  // batches (the same sums, so the same bits, however it is sliced): at 100k hybrid groups each
  // piece walked 8 million entries, 30 ms, in one step.
  double wsum = 0;
  double mv_piece[2] = {0, 0}, zs[2] = {0, 0};
  std::vector<double> W;  // the subspace iteration's product, d × 2, as V
  uint64_t init_pos = 0;
  bool init_begun = false;
  bool signs_fixed = false;  // the last pass's: V's signs fixed, once

  // Before a pass: its arrays, grown in pieces (at 1M groups the coordinates are 16 MB of fresh
  // pages, about 64 ms at once); true when done with time left, as batches().
  bool init_begin(const SliceTimer& timer) {
    const CsrMatrix& m = s.matrix();
    const size_t d = m.n_cols;
    if (init_iter < 0) {
      if (!extend_in_pieces(colscale, d, timer, [&](std::vector<double>& v, uint64_t to) {
            for (uint64_t t = v.size(); t < to; ++t) v.push_back(std::sqrt(s.weight_of_column(uint32_t(t))));
          }))
        return false;
      if (!extend_in_pieces(rowscale, G, timer, [&](std::vector<double>& v, uint64_t to) {
            for (uint64_t g = v.size(); g < to; ++g)
              v.push_back(s.norm_sq[g] > 0 ? 1.0 / std::sqrt(s.norm_sq[g]) : 0.0);
          }))
        return false;
      if (!grow(mu, d, 0.0, timer)) return false;
      wsum = 0;
    } else if (init_iter < p.init_iters) {
      if (W.size() != 2 * d) {  // the first iteration's: later ones clear it in place
        if (!grow(W, 2 * d, 0.0, timer)) return false;
      } else {
        std::fill(W.begin(), W.end(), 0.0);
      }
      mu_v(mv_piece);
      zs[0] = zs[1] = 0;
    } else {
      if (!signs_fixed) {
        // Fixed signs: each column's largest entry positive.
        for (int c = 0; c < 2; ++c) {
          size_t arg = 0;
          for (size_t t = 1; t < d; ++t)
            if (std::abs(V[2 * t + c]) > std::abs(V[2 * arg + c])) arg = t;
          if (d > 0 && V[2 * arg + c] < 0)
            for (size_t t = 0; t < d; ++t) V[2 * t + c] = -V[2 * t + c];
        }
        mu_v(mv_piece);
        signs_fixed = true;
      }
      if (!grow(Y, 2 * G, 0.0, timer)) return false;
    }
    return true;
  }
  void init_group(uint32_t g) {
    const CsrMatrix& m = s.matrix();
    if (init_iter < 0) {
      const double w = s.groups->weight(g);
      wsum += w;
      for (uint64_t q = m.indptr[g]; q < m.indptr[g + 1]; ++q) mu[m.indices[q]] += w * unit(g, q);
    } else if (init_iter < p.init_iters) {
      double z[2];
      project(g, mv_piece, z);
      const double w = s.groups->weight(g);
      z[0] *= w;
      z[1] *= w;
      zs[0] += z[0];
      zs[1] += z[1];
      for (uint64_t q = m.indptr[g]; q < m.indptr[g + 1]; ++q) {
        const double x = unit(g, q);
        double* out = &W[2 * size_t(m.indices[q])];
        out[0] += z[0] * x;
        out[1] += z[1] * x;
      }
    } else {
      project(g, mv_piece, &Y[2 * g]);
    }
  }
  void init_end() {
    const size_t d = s.matrix().n_cols;
    if (init_iter < 0) {
      // The mean, then a random start (signs) made orthonormal.
      if (wsum > 0)
        for (double& v : mu) v /= wsum;
      V.resize(2 * d);
      for (int c = 0; c < 2; ++c)  // the draws in column-major order
        for (size_t t = 0; t < d; ++t) V[2 * t + c] = (rng.next() >> 63) ? 1.0 : -1.0;
      orthonormalise();
    } else if (init_iter < p.init_iters) {
      // One subspace iteration: V <- orth(Aᵀ A V), A the weighted centred unit rows.
      for (size_t t = 0; t < d; ++t) {
        W[2 * t] -= mu[t] * zs[0];
        W[2 * t + 1] -= mu[t] * zs[1];
      }
      V.swap(W);
      orthonormalise();
    } else {
      // Coordinates from the plane: each axis scaled to [0, 10], a 1e-4 jitter.
      for (int c = 0; c < 2; ++c) {
        double lo = 0, hi = 0;
        for (uint32_t g = 0; g < G; ++g) {
          lo = g ? std::min(lo, Y[2 * g + c]) : Y[2 * g + c];
          hi = g ? std::max(hi, Y[2 * g + c]) : Y[2 * g + c];
        }
        const double scale = hi > lo ? 10.0 / (hi - lo) : 0.0;
        for (uint32_t g = 0; g < G; ++g) Y[2 * g + c] = (Y[2 * g + c] - lo) * scale + 1e-4 * (rng.uniform() - 0.5);
      }
      release(colscale, rowscale, mu, V, W);
    }
    ++init_iter;
  }
  void orthonormalise() {
    const size_t d = s.matrix().n_cols;
    double* v0 = V.data();  // column c's value t at v[2 * t + c]
    double* v1 = V.data() + 1;
    auto normalise = [d](double* v) {
      double sq = 0;
      for (size_t t = 0; t < d; ++t) sq += v[2 * t] * v[2 * t];
      if (sq > 0) {
        const double inv = 1.0 / std::sqrt(sq);
        for (size_t t = 0; t < d; ++t) v[2 * t] *= inv;
      }
    };
    normalise(v0);
    double dot = 0;
    for (size_t t = 0; t < d; ++t) dot += v0[2 * t] * v1[2 * t];
    for (size_t t = 0; t < d; ++t) v1[2 * t] -= dot * v0[2 * t];
    normalise(v1);
  }
  // (x_g - mu) · V for both columns.
  void project(uint32_t g, const double* mv, double z[2]) const {
    const CsrMatrix& m = s.matrix();
    z[0] = -mv[0];
    z[1] = -mv[1];
    for (uint64_t q = m.indptr[g]; q < m.indptr[g + 1]; ++q) {
      const double x = unit(g, q);
      const double* v = &V[2 * size_t(m.indices[q])];
      z[0] += x * v[0];
      z[1] += x * v[1];
    }
  }
  void mu_v(double mv[2]) const {
    const size_t d = s.matrix().n_cols;
    mv[0] = mv[1] = 0;
    for (size_t t = 0; t < d; ++t) {
      mv[0] += mu[t] * V[2 * t];
      mv[1] += mu[t] * V[2 * t + 1];
    }
  }
  // ρ, σ and the memberships of group i's neighbours; returns the neighbours visited.
  std::vector<double> fuzzy_cnt;  // fuzzy(): a group's neighbours' counts
  uint64_t fuzzy(uint32_t i) {
    const uint64_t b = graph.ptr[i], e = graph.ptr[i + 1];
    const int k = graph.k;
    std::vector<double>& cnt = fuzzy_cnt;  // reused: one per group
    cnt.resize(e - b);
    double cum = 0, mean = 0, rho = 0;
    for (uint64_t q = b; q < e; ++q) {
      cnt[q - b] = std::min<double>(s.groups->weight(graph.neighbour[q]), k - cum);
      cum += cnt[q - b];
      mean += graph.dist[q];
      if (rho == 0 && graph.dist[q] > 0) rho = graph.dist[q];
    }
    if (e > b) mean /= double(e - b);
    const double target = log_k2;
    double lo = 0, hi = 1e300, mid = 1;
    for (int it = 0; it < 64; ++it) {
      double psum = 0;
      for (uint64_t q = b; q < e; ++q) {
        const double dd = graph.dist[q] - rho;
        psum += cnt[q - b] * (dd > 0 ? det_exp(-dd / mid) : 1.0);
      }
      if (std::abs(psum - target) < 1e-5) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi == 1e300 ? mid * 2 : (lo + hi) / 2;
      }
    }
    if (rho > 0) mid = std::max(mid, 1e-3 * mean);  // umap-learn's MIN_K_DIST_SCALE
    for (uint64_t q = b; q < e; ++q) {
      const double dd = graph.dist[q] - rho;
      member[q] = dd > 0 ? det_exp(-dd / mid) : 1.0;
    }
    return 64 * (e - b);
  }

  // Fuzzy union a + b - ab of the directed memberships; each undirected pair becomes two directed
  // edges, each moving its head, weighted by the membership alone. (Weighting an edge by its tail's
  // rows as well sampled the many single-row edges up to k times less often: preservation on the
  // real 10k fell from 0.62 to 0.55 on soup and from 0.47 to 0.38 on tf-idf, for half the time.)
  // In slices: the directed memberships gathered by group, sorted by pair (SlicedSort: the pairs
  // and directions are unique, so the order is std::sort's), merged pair by pair, pruned.
  bool fuzzy_union(const SliceTimer& timer) {
    switch (union_stage) {
      case 0:
        if (union_pos == 0) all.reserve(graph.neighbour.size());
        if (!batches(union_pos, G, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
              for (auto i = static_cast<uint32_t>(b); i < e; ++i)
                for (uint64_t q = graph.ptr[i]; q < graph.ptr[i + 1]; ++q) {
                  const uint32_t j = graph.neighbour[q];
                  all.push_back(i < j ? UnionEntry{i, j, 0, member[q]} : UnionEntry{j, i, 1, member[q]});
                }
            }))
          return false;
        sorter = std::make_unique<SlicedSort<UnionLess, UnionEntry>>(std::move(all), UnionLess{});
        union_stage = 1;
        union_pos = 0;
        if (timer.expired()) return false;
        [[fallthrough]];
      case 1:
        if (!sorter->step(timer)) return false;
        all = sorter->take();
        sorter.reset();
        release(member);
        union_stage = 2;
        if (timer.expired()) return false;
        [[fallthrough]];
      case 2:
        // At most two directed edges a membership: reserved (untouched pages cost nothing until
        // written), so no step copies the arrays as they grow.
        if (union_pos == 0 && head.capacity() < 2 * all.size()) {
          head.reserve(2 * all.size());
          tail.reserve(2 * all.size());
          w.reserve(2 * all.size());
        }
        while (union_pos < all.size()) {
          const size_t end = std::min<size_t>(all.size(), union_pos + kFlatBatch.size);
          size_t x = union_pos;
          while (x < end) {  // a pair's one or two directions, which may run past `end`
            double mab = 0, mba = 0;
            size_t y = x;
            for (; y < all.size() && all[y].a == all[x].a && all[y].b == all[x].b; ++y)
              (all[y].dir ? mba : mab) = all[y].m;
            const double pu = mab + mba - mab * mba;
            head.push_back(all[x].a);
            tail.push_back(all[x].b);
            w.push_back(pu);
            head.push_back(all[x].b);
            tail.push_back(all[x].a);
            w.push_back(pu);
            wmax = std::max(wmax, pu);
            x = y;
          }
          timer.charge(units(x - union_pos, kFlatBatch.per_unit));
          union_pos = x;
          if (timer.expired()) return false;
        }
        release(all);
        union_stage = 3;
        union_pos = 0;
        [[fallthrough]];
      case 3:
        // Epochs per sample; edges too weak to be sampled once are dropped (umap-learn's pruning).
        // The schedules start at them (next, next_neg), written in the same batches.
        if (union_pos == 0 && eps.capacity() < w.size())
          for (auto* v : {&eps, &next, &eps_neg, &next_neg}) v->reserve(w.size());
        if (!batches(union_pos, w.size(), kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
              for (uint64_t x = b; x < e; ++x) {
                if (!(w[x] > 0) || w[x] < wmax / n_epochs) continue;
                head[kept] = head[x];
                tail[kept] = tail[x];
                const double every = wmax / w[x];
                eps.push_back(every);
                next.push_back(every);
                eps_neg.push_back(every / p.negative_samples);
                next_neg.push_back(every / p.negative_samples);
                ++kept;
              }
            }))
          return false;
        head.resize(kept);
        tail.resize(kept);
        release(w);
        return true;
      default: return true;
    }
  }

  // Edges [edge, end) of the current epoch; returns the gradient steps taken. An edge due in this
  // epoch moves its head: attracted to its tail, then repelled from its negative samples (rows
  // drawn uniformly, then their groups), each repulsion computed from the head's point after the
  // attraction and added to it. (umap-learn moves the point after each sample, so each division
  // waited for the one before; independent, they overlap. Since 2026-12-04: the real 10k's hybrid
  // map outside its graph 1,307 -> 1,076 ms natively, medians of nine; preservation within its
  // spread over seeds, README.)
  static constexpr size_t kEpochChunk = 256;  // edges an epoch_edges call looks at, at most
  // The next chunk of the epoch's edges (from `edge`, at most kEpochChunk); the steps taken.
  uint64_t epoch_edges() {
    const size_t end = std::min(head.size(), edge + kEpochChunk);
    const double a = p.a, gamma = p.repulsion;
    const double alpha = p.learning_rate * (1.0 - double(epoch) / double(n_epochs));
    const double ep = epoch;
    const uint32_t* group_of = s.groups->group_of.data();
    double* y = Y.data();
    uint64_t steps = 0;
    // The chunk's due edges listed first, without a branch (whether an edge is due follows its
    // weight, which a branch predictor cannot learn), then each run in order: the same steps. The
    // generated 100k hybrid's epochs took about a ninth less so, natively and as WebAssembly.
    uint32_t due[kEpochChunk];
    uint32_t n_due = 0;
    for (size_t e = edge; e < end; ++e) {
      due[n_due] = uint32_t(e - edge);
      n_due += next[e] <= ep;
    }
    const size_t first = edge;
    edge = end;
    for (uint32_t u = 0; u < n_due; ++u) {
      const size_t e = first + due[u];
      next[e] += eps[e];
      const int negs = static_cast<int>((ep - next_neg[e]) / eps_neg[e]);
      next_neg[e] += negs * eps_neg[e];
      steps += 1 + uint64_t(std::max(0, negs));
      const uint32_t i = head[e], j = tail[e];
      double y0 = y[2 * size_t(i)], y1 = y[2 * size_t(i) + 1];
      {
        const double dx = y0 - y[2 * size_t(j)], dy = y1 - y[2 * size_t(j) + 1];
        const double d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const double g = -2.0 * a / (1.0 + a * d2);
          y0 += clip4(g * dx) * alpha;
          y1 += clip4(g * dy) * alpha;
        }
      }
      const double s0 = y0, s1 = y1;
      for (int q = 0; q < negs; ++q) {
        // A row by Lemire's multiply-shift (no division; rows < 2^32), then its group (the row
        // itself when every row is its own group, as hybrid's: group_of is the identity then).
        const auto r = static_cast<uint32_t>(((rng.next() >> 32) * uint64_t(n)) >> 32);
        const uint32_t kk = G == n ? r : group_of[r];
        if (kk == i) continue;
        const double dx = s0 - y[2 * size_t(kk)], dy = s1 - y[2 * size_t(kk) + 1];
        const double d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const double g = 2.0 * gamma / ((0.001 + d2) * (1.0 + a * d2));
          y0 += clip4(g * dx) * alpha;
          y1 += clip4(g * dy) * alpha;
        } else {
          y0 += 4.0 * alpha;
          y1 += 4.0 * alpha;
        }
      }
      y[2 * size_t(i)] = y0;
      y[2 * size_t(i) + 1] = y1;
    }
    return steps;
  }
  // epoch_edges, called through this pointer so that it stays a function of its own, as the exact
  // graph's loops (knn_graph.cpp): inlined into the slice, V8 kept its operands on the stack.
  static uint64_t run_epoch_edges(Impl& impl) { return impl.epoch_edges(); }
  static inline uint64_t (*volatile epoch_edges_fn)(Impl&) = run_epoch_edges;

  // Group points, then identical rows as a sunflower disc around theirs (Vogel 1979), the angle
  // turned by a fixed rotation (no cos/sin: their last bit differs between C libraries). In slices:
  // the points and their extent, each group's gap to its nearest other group (batches of groups: at
  // 100k rows the whole of it was one 106 ms step natively), then each group's rows.
  bool place(const SliceTimer& timer) {
    switch (place_stage) {
      case 0: {
        out.group_xy.assign(2 * G, 0.0f);
        double lo[2] = {0, 0}, hi[2] = {0, 0};
        for (uint32_t g = 0; g < G; ++g)
          for (int c = 0; c < 2; ++c) {
            out.group_xy[2 * g + c] = static_cast<float>(Y[2 * g + c]);
            lo[c] = g ? std::min(lo[c], Y[2 * g + c]) : Y[2 * g + c];
            hi[c] = g ? std::max(hi[c], Y[2 * g + c]) : Y[2 * g + c];
          }
        extent = std::max({hi[0] - lo[0], hi[1] - lo[1], 1e-9});
        // A disc stays within 0.4 of the way to the nearest other group's point, so it never reaches
        // into a neighbour's (UMAP packs groups closer than a PCA map's spacing assumes).
        gap.assign(G, extent);
        if (G > 1) near = std::make_unique<MapNeighbours>(out.group_xy, G);
        out.xy.assign(2 * n, 0.0f);
        timer.charge(units(4 * G, kFlatBatch.per_unit));
        place_stage = 1;
        place_pos = 0;
        if (timer.expired()) return false;
        [[fallthrough]];
      }
      case 1:
        if (near && !batches(place_pos, G, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
              std::vector<uint32_t> nb;
              for (auto g = static_cast<uint32_t>(b); g < e; ++g) {
                near->query(g, 1, nb);
                const double dx = Y[2 * g] - Y[2 * nb[0]], dy = Y[2 * g + 1] - Y[2 * nb[0] + 1];
                gap[g] = std::sqrt(dx * dx + dy * dy);
              }
            }))
          return false;
        near.reset();
        place_stage = 2;
        place_pos = 0;
        [[fallthrough]];
      case 2: {
        const double cg = -0.7373688780783197, sg = 0.6754902942615238;  // cos, sin of pi (3 - sqrt 5)
        const Groups& gr = *s.groups;
        if (!batches(place_pos, G, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
              for (auto g = static_cast<uint32_t>(b); g < e; ++g) {
                double c = 1, sn = 0;
                const double step =
                    std::min(p.ring_step * extent, 0.4 * gap[g] / std::sqrt(std::max(1.0, gr.weight(g) - 1.0)));
                for (uint32_t j = 0; j < gr.weight(g); ++j) {
                  const uint32_t r = gr.members[gr.member_ptr[g] + j];
                  const double rad = step * std::sqrt(double(j));
                  out.xy[2 * r] = static_cast<float>(Y[2 * g] + rad * c);
                  out.xy[2 * r + 1] = static_cast<float>(Y[2 * g + 1] + rad * sn);
                  const double c2 = c * cg - sn * sg;
                  sn = sn * cg + c * sg;
                  c = c2;
                }
                timer.charge(units(gr.weight(g), kFlatBatch.per_unit));
              }
            }))
          return false;
        release(gap);
        return true;
      }
      default: return true;
    }
  }

  bool step(const SliceTimer& timer) {
    while (phase != kDone) {
      switch (phase) {
        case kNeighbours:
          if (!knn->step(timer)) return false;
          graph = knn->take();
          knn.reset();
          phase = kInit;
          break;
        case kInit:
          if (!init_begun) {
            if (!init_begin(timer)) return false;
            init_begun = true;
            init_pos = 0;
          }
          if (!batches(init_pos, G, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
                for (uint64_t g = b; g < e; ++g) init_group(static_cast<uint32_t>(g));
              }))
            return false;
          init_end();
          init_begun = false;
          timer.charge(1);
          if (init_iter > p.init_iters) phase = kFuzzy;
          break;
        case kFuzzy:
          // The memberships (12 MB at 100k hybrid groups) grown in pieces.
          if (!grow(member, graph.neighbour.size(), 0.0, timer)) return false;
          while (fuzzy_next < G) {
            timer.charge(1 + units(fuzzy(fuzzy_next++), kFlatBatch.per_unit));
            if (timer.expired()) return false;
          }
          phase = kUnion;
          break;
        case kUnion:
          if (!fuzzy_union(timer)) return false;
          phase = kEpochs;
          break;
        case kEpochs:
          while (epoch < n_epochs) {
            const size_t from = edge;
            const uint64_t steps = epoch_edges_fn(*this);
            timer.charge(edge - from + steps);
            if (edge >= head.size()) {
              edge = 0;
              ++epoch;
            }
            if (timer.expired()) return false;
          }
          phase = kPlace;
          break;
        case kPlace:
          if (!place(timer)) return false;
          phase = kDone;
          break;
        default: phase = kDone;
      }
      if (timer.expired()) return phase == kDone;
    }
    return true;
  }

  double progress() const {
    static const double kWeights[] = {0.35, 0.03, 0.04, 0.03, 0.54, 0.01};
    double f = 0;
    switch (phase) {
      case kNeighbours: f = knn->progress(); break;
      case kInit: f = frac(uint64_t(std::max(0, init_iter)), uint64_t(p.init_iters) + 1); break;
      case kFuzzy: f = frac(fuzzy_next, G); break;
      case kEpochs:
        f = (double(epoch) + (head.empty() ? 0.0 : double(edge) / double(head.size()))) / std::max(1, n_epochs);
        break;
      default: break;
    }
    return phased_progress(kWeights, 6, phase, f);
  }
};

LayoutRun::LayoutRun(const SimilaritySpace& space, const LayoutParams& params)
    : impl_(std::make_unique<Impl>(space, params)) {}
LayoutRun::~LayoutRun() = default;
bool LayoutRun::step(const SliceTimer& timer) { return impl_->step(timer); }
bool LayoutRun::done() const { return impl_->phase == Impl::kDone; }
double LayoutRun::progress() const { return impl_->progress(); }
std::string LayoutRun::stage() const {
  switch (impl_->phase) {
    case Impl::kNeighbours: return "layout: neighbours";
    case Impl::kInit: return "layout: initialisation";
    case Impl::kFuzzy:
    case Impl::kUnion: return "layout: fuzzy set";
    case Impl::kEpochs:
      return "layout: epoch " + std::to_string(impl_->epoch + 1) + "/" + std::to_string(impl_->n_epochs);
    default: return "layout: done";
  }
}
Projection LayoutRun::take() { return std::move(impl_->out); }
const KnnGraph& LayoutRun::graph() const { return impl_->graph; }

CsrMatrix unit_rows(const SimilaritySpace& space) {
  CsrMatrix out = space.matrix();
  out.values.resize(out.nnz());
  for (uint32_t g = 0; g < out.rows(); ++g) {
    const double inv = space.norm_sq[g] > 0 ? 1.0 / std::sqrt(space.norm_sq[g]) : 0.0;
    for (uint64_t q = out.indptr[g]; q < out.indptr[g + 1]; ++q)
      out.values[q] =
          static_cast<float>(double(space.matrix().value(q)) * std::sqrt(space.weight_of_column(out.indices[q])) * inv);
  }
  return out;
}

double estimate_layout_seconds(const Index& index, MapSpace space) {
  switch (space) {
    case MapSpace::attributes: return 0.08e-3 * static_cast<double>(index.attributes().groups.size());
    case MapSpace::soup:
    case MapSpace::tfidf: return 0.25e-3 * static_cast<double>(index.soup().groups.size());
    case MapSpace::hybrid: break;
  }
  return 0.25e-3 * static_cast<double>(index.catalogue().size());
}

Projection umap_layout(const SimilaritySpace& space, const LayoutParams& params) {
  LayoutRun run(space, params);
  finish(run);
  return run.take();
}

}  // namespace hfrec
