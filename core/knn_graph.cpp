// kNN graph: the feature spaces' similarities over distinct rows and the exact k nearest other
// groups of each group by inverted-index queries, in slices (knn_graph.h).
#include "knn_graph.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <limits>

#include "nn_descent.h"
#include "recommender.h"
#include "simd.h"
#include "sliced.h"

namespace hfrec {

const char* map_space_name(MapSpace s) {
  switch (s) {
    case MapSpace::attributes: return "attributes";
    case MapSpace::soup: return "soup";
    case MapSpace::tfidf: return "tfidf";
    case MapSpace::hybrid: return "hybrid";
  }
  return "?";
}

bool parse_map_space(std::string_view s, MapSpace& out) {
  for (MapSpace m : {MapSpace::attributes, MapSpace::soup, MapSpace::tfidf, MapSpace::hybrid})
    if (s == map_space_name(m)) return out = m, true;
  return false;
}

double SimilaritySpace::similarity(uint32_t a, uint32_t b) const {
  const CsrMatrix& m = matrix();
  const uint32_t lo = std::min(a, b), hi = std::max(a, b);  // the dot's terms: (value_lo · weight) · value_hi
  uint64_t i = m.indptr[lo], j = m.indptr[hi];
  const uint64_t ie = m.indptr[lo + 1], je = m.indptr[hi + 1];
  double dot = 0;
  while (i < ie && j < je) {
    if (m.indices[i] < m.indices[j]) {
      ++i;
    } else if (m.indices[j] < m.indices[i]) {
      ++j;
    } else {
      const double w = double(m.value(i)) * weight_of_column(m.indices[i]);
      if (w != 0) dot += w * double(m.value(j));  // the graph skips zero weights too
      ++i;
      ++j;
    }
  }
  return from_dot(a, b, dot);
}

namespace {}  // namespace

// Phases: the arrays grown (in pieces), each group's norm (hybrid: each row's terms, weights,
// query scale and prior, from HybridModel::row_query), the postings' column counts, their offsets
// (one pass over the columns), their entries (by group, so each column's groups ascend).
struct SimilaritySpaceBuilder::Impl {
  enum Phase { kGrow, kRows, kCount, kOffsets, kFill, kDone } phase = kGrow;
  const HybridModel* hybrid = nullptr;
  SimilaritySpace s;
  uint64_t pos = 0;
  uint64_t nnz = 0;
  std::vector<uint64_t> fill;  // each column's next entry while filling

  explicit Impl(const HybridModel& h) : hybrid(&h) {
    s.groups = &h.groups();
    s.own.n_cols = static_cast<uint32_t>(h.terms());
    s.column_weight.resize(h.terms());
    for (uint32_t t = 0; t < h.terms(); ++t) s.column_weight[t] = h.term_weight(t);
    nnz = h.entries();
  }
  Impl(const Groups& groups, const CsrMatrix& rows, std::vector<double> column_weight) {
    s.groups = &groups;
    s.rows = &rows;
    s.column_weight = std::move(column_weight);
    nnz = rows.nnz();
  }

  size_t groups() const { return hybrid ? s.groups->size() : s.rows->rows(); }

  bool grow_arrays(const SliceTimer& t) {
    const uint64_t n = groups();
    if (!grow(s.norm_sq, n, hybrid ? 1.0 : 0.0, t)) return false;  // hybrid: each field l2-normalised
    if (hybrid) {
      if (!grow(s.own.indptr, n + 1, uint64_t(0), t) || !grow(s.own.indices, nnz, 0u, t) ||
          !grow(s.own.values, nnz, 0.0f, t) || !grow(s.query_scale, n, 0.0, t) || !grow(s.bias, n, 0.0, t))
        return false;
    }
    return grow(s.col_ptr, uint64_t(s.matrix().n_cols) + 1, uint64_t(0), t) && grow(s.col_groups, nnz, 0u, t) &&
           grow(s.col_values, nnz, 0.0f, t);
  }

  void rows(uint64_t from, uint64_t to) {
    if (!hybrid) {
      const CsrMatrix& m = *s.rows;
      for (uint64_t g = from; g < to; ++g)
        for (uint64_t q = m.indptr[g]; q < m.indptr[g + 1]; ++q)
          s.norm_sq[g] += double(m.value(q)) * m.value(q) * s.weight_of_column(m.indices[q]);
      return;
    }
    CsrMatrix& m = s.own;
    for (uint64_t r = from; r < to; ++r) {
      const HybridQuery q = hybrid->row_query(static_cast<uint32_t>(r));
      uint64_t at = m.indptr[r];
      for (const auto& [t, w] : q.terms) {
        m.indices[at] = t;
        m.values[at++] = static_cast<float>(w);  // row_weights_of's float, as it was
      }
      m.indptr[r + 1] = at;
      s.query_scale[r] = q.scale;
      s.bias[r] = hybrid->prior(static_cast<uint32_t>(r));
    }
  }

  bool step(const SliceTimer& t) {
    const CsrMatrix& m = s.matrix();
    switch (phase) {
      case kGrow:
        if (!grow_arrays(t)) return false;
        phase = kRows;
        pos = 0;
        [[fallthrough]];
      case kRows:
        if (!batches(pos, groups(), kRowBatch, t, [&](uint64_t a, uint64_t b) { rows(a, b); })) return false;
        phase = kCount;
        pos = 0;
        [[fallthrough]];
      case kCount:
        if (!batches(pos, nnz, kFlatBatch, t, [&](uint64_t a, uint64_t b) {
              for (uint64_t q = a; q < b; ++q) ++s.col_ptr[m.indices[q] + 1];
            }))
          return false;
        phase = kOffsets;
        pos = 0;
        [[fallthrough]];
      case kOffsets:
        if (!batches(pos, m.n_cols, kFlatBatch, t, [&](uint64_t a, uint64_t b) {
              for (uint64_t c = a; c < b; ++c) s.col_ptr[c + 1] += s.col_ptr[c];
            }))
          return false;
        fill.assign(s.col_ptr.begin(), s.col_ptr.end() - 1);
        phase = kFill;
        pos = 0;
        [[fallthrough]];
      case kFill:
        if (!batches(pos, groups(), kRowBatch, t, [&](uint64_t a, uint64_t b) {
              for (uint64_t g = a; g < b; ++g)
                for (uint64_t q = m.indptr[g]; q < m.indptr[g + 1]; ++q) {
                  const uint64_t at = fill[m.indices[q]]++;
                  s.col_groups[at] = static_cast<uint32_t>(g);
                  s.col_values[at] = m.value(q);
                }
            }))
          return false;
        release(fill);
        phase = kDone;
        [[fallthrough]];
      case kDone: return true;
    }
    return true;
  }

  double progress() const {
    const double n = std::max<double>(1, static_cast<double>(groups()));
    switch (phase) {
      case kGrow: return 0;
      case kRows: return 0.1 + 0.5 * static_cast<double>(pos) / n;
      case kCount: return 0.6 + 0.1 * static_cast<double>(pos) / std::max<double>(1, static_cast<double>(nnz));
      case kOffsets: return 0.7;
      case kFill: return 0.7 + 0.3 * static_cast<double>(pos) / n;
      case kDone: return 1;
    }
    return 1;
  }
};

namespace {
std::vector<double> tfidf_weights(const SoupSpace& sp) {
  std::vector<double> w(sp.idf.size());
  for (size_t t = 0; t < w.size(); ++t) w[t] = sp.idf[t] * sp.idf[t];
  return w;
}
}  // namespace

SimilaritySpaceBuilder::SimilaritySpaceBuilder(const Index& index, MapSpace space) {
  switch (space) {
    case MapSpace::attributes:
      impl_ = std::make_unique<Impl>(index.attributes().groups, index.attributes().groups.rows, std::vector<double>{});
      break;
    case MapSpace::soup:
      impl_ = std::make_unique<Impl>(index.soup().groups, index.soup().groups.rows, std::vector<double>{});
      break;
    case MapSpace::tfidf:
      impl_ = std::make_unique<Impl>(index.soup().groups, index.soup().groups.rows, tfidf_weights(index.soup()));
      break;
    case MapSpace::hybrid: impl_ = std::make_unique<Impl>(index.hybrid()); break;
  }
}
SimilaritySpaceBuilder::SimilaritySpaceBuilder(const Groups& groups, const CsrMatrix& rows,
                                               std::vector<double> column_weight)
    : impl_(std::make_unique<Impl>(groups, rows, std::move(column_weight))) {}
SimilaritySpaceBuilder::~SimilaritySpaceBuilder() = default;
bool SimilaritySpaceBuilder::step(const SliceTimer& timer) { return impl_->step(timer); }
double SimilaritySpaceBuilder::progress() const { return impl_->progress(); }
std::string SimilaritySpaceBuilder::stage() const { return "layout: feature space"; }
SimilaritySpace SimilaritySpaceBuilder::take() { return std::move(impl_->s); }

namespace {
SimilaritySpace run_to_end(SimilaritySpaceBuilder& b) {
  while (!b.step(SliceTimer::work(std::numeric_limits<uint64_t>::max()))) {}
  return b.take();
}
}  // namespace

SimilaritySpace cosine_space(const Groups& groups, const CsrMatrix& rows, std::vector<double> column_weight) {
  SimilaritySpaceBuilder b(groups, rows, std::move(column_weight));
  return run_to_end(b);
}

SimilaritySpace make_similarity_space(const Index& index, MapSpace space) {
  SimilaritySpaceBuilder b(index, space);
  return run_to_end(b);
}

namespace {

// The query's inner loops, each a function of its own, called through the pointers below: inlined
// into the slice that runs them, V8 compiled them as part of one huge function, and its register
// allocator then kept their pointers and counters on the stack (reloaded at every element).
// a[x] += w[j] · d[j][x] for x < n and j = 0 .. m - 1 in order: a run of the query's dense
// columns over the later groups. Up to four columns a pass, each a[x] read and written once per
// pass instead of once per column; every a[x] receives the same additions in the same order as
// one column at a time, so the same bits.
void add_columns(double* a, const float* const* d, const double* w, size_t m, size_t n) {
  size_t j = 0;
  for (; j + 4 <= m; j += 4) {
    const float *d0 = d[j], *d1 = d[j + 1], *d2 = d[j + 2], *d3 = d[j + 3];
    const double w0 = w[j], w1 = w[j + 1], w2 = w[j + 2], w3 = w[j + 3];
    for (size_t x = 0; x < n; ++x)
      a[x] = (((a[x] + w0 * double(d0[x])) + w1 * double(d1[x])) + w2 * double(d2[x])) + w3 * double(d3[x]);
  }
  if (j + 2 <= m) {
    const float *d0 = d[j], *d1 = d[j + 1];
    const double w0 = w[j], w1 = w[j + 1];
    for (size_t x = 0; x < n; ++x) a[x] = (a[x] + w0 * double(d0[x])) + w1 * double(d1[x]);
    j += 2;
  }
  if (j < m) {
    const float* d0 = d[j];
    const double w0 = w[j];
    for (size_t x = 0; x < n; ++x) a[x] += w0 * double(d0[x]);
  }
}
// a[x] += w · v for one column's postings.
void scatter(double* a, const uint32_t* x, const uint32_t* xe, const float* v, double w) {
  for (; x != xe; ++x, ++v) a[*x] += w * double(*v);
}
// The same, appending each group touched for the first time (a[x] was 0) to o from o[c]; returns
// the new count.
size_t scatter_touched(double* a, const uint32_t* x, const uint32_t* xe, const float* v, double w, uint32_t* o,
                       size_t c) {
  for (; x != xe; ++x, ++v) {
    o[c] = *x;
    c += a[*x] == 0;
    a[*x] += w * double(*v);
  }
  return c;
}
// Pointers, not noinline: Binaryen (Emscripten's optimiser) inlines a function with one caller
// whatever the C++ says. (LayoutRun's epochs are called the same way.)
void (*volatile add_columns_fn)(double*, const float* const*, const double*, size_t, size_t) = add_columns;
void (*volatile scatter_fn)(double*, const uint32_t*, const uint32_t*, const float*, double) = scatter;
size_t (*volatile scatter_touched_fn)(double*, const uint32_t*, const uint32_t*, const float*, double, uint32_t*,
                                      size_t) = scatter_touched;

}  // namespace

struct KnnGraphRun::Impl {
  const SimilaritySpace& s;
  int k;
  size_t G;
  uint32_t next = 0;
  std::vector<double> acc;  // zero between queries; a touched group's is > 0 (positive values)
  std::vector<uint32_t> touched;
  std::vector<uint64_t> cur;  // per column: the entry of the group being answered (groups ascend)
  // Columns half the groups or more hold, dense: their values by group (0 where a group lacks
  // one), so a query adds them over the later groups in one contiguous (vectorised) pass instead of
  // through the postings. Adding a zero term leaves a sum's bits as they are. (A quarter was slower
  // natively: 0.90 against 0.76 s for the real 10k's hybrid graph.)
  std::vector<int32_t> block_of;       // per column: its row in block, else -1
  std::vector<float> block;            // G values per dense column
  std::vector<const float*> run_cols;  // query(): a run of dense columns, from the later groups
  std::vector<double> run_w;           // and their weights
  std::vector<uint32_t> by_bias;       // groups by bias desc, then id: the order of untouched groups
  std::vector<double> inv_norm;        // 1 / sqrt(norm_sq): the approximate scores' scale
  std::vector<double> scale;           // query_scale · inv_norm, per group as the query
  // Per group: the k best approximate scores offered so far (a min-heap, k per group) and the
  // groups offered with a score that reached the heap's floor then (the floor only rises), with
  // their dot parts.
  std::vector<double> heap;
  std::vector<uint32_t> heap_n;
  std::vector<double> floor;  // per group: floor_of(its heap's least) once it holds k, else -inf
  struct Offer {
    double dot;
    uint32_t x;
  };
  std::vector<std::vector<Offer>> offers;
  std::vector<std::pair<double, uint32_t>> cand;
  uint64_t walked_total = 0, walked_done = 0;
  KnnGraph out;

  // work: exact_graph_work(space), which KnnGraphRun chose the exact graph by.
  Impl(const SimilaritySpace& space, int kk, uint64_t work) : s(space), k(std::max(1, kk)), G(space.size()) {
    acc.assign(G, 0.0);
    by_bias.resize(G);
    for (uint32_t g = 0; g < G; ++g) by_bias[g] = g;
    if (!s.bias.empty())
      std::sort(by_bias.begin(), by_bias.end(), [&](uint32_t a, uint32_t b) { return s.bias_before(a, b); });
    inv_norm.resize(G);
    scale.resize(G);
    for (uint32_t g = 0; g < G; ++g) {
      inv_norm[g] = s.norm_sq[g] > 0 ? 1.0 / std::sqrt(s.norm_sq[g]) : 0.0;
      scale[g] = (s.query_scale.empty() ? 1.0 : s.query_scale[g]) * inv_norm[g];
    }
    cur.assign(s.col_ptr.begin(), s.col_ptr.end() - 1);
    const size_t cols = s.col_ptr.size() - 1;
    block_of.assign(cols, -1);
    int32_t dense_cols = 0;
    for (size_t t = 0; t < cols; ++t)
      if (G >= 64 && 2 * (s.col_ptr[t + 1] - s.col_ptr[t]) >= G && s.weight_of_column(uint32_t(t)) != 0)
        block_of[t] = dense_cols++;
    block.assign(size_t(dense_cols) * G, 0.0f);  // at most 2 floats per non-zero of the space
    for (size_t t = 0; t < cols; ++t)
      if (block_of[t] >= 0) {
        float* d = block.data() + size_t(block_of[t]) * G;
        for (uint64_t e = s.col_ptr[t]; e < s.col_ptr[t + 1]; ++e) d[s.col_groups[e]] = s.col_values[e];
      }
    heap.assign(G * size_t(k), 0.0);
    heap_n.assign(G, 0);
    floor.assign(G, -std::numeric_limits<double>::infinity());
    offers.resize(G);
    walked_total = std::max<uint64_t>(1, work / 2);  // each pair's postings are walked once
    out.k = k;
    out.ptr.reserve(G + 1);
    out.neighbour.reserve(G * size_t(k));  // address space: pages are touched as the lists are written
    out.dist.reserve(G * size_t(k));
  }

  double approx(uint32_t q, uint32_t x, double dot) const {
    return dot * scale[q] * inv_norm[x] + (s.bias.empty() ? 0.0 : s.bias[x]);
  }
  static double floor_of(double front) { return front - 1e-9 * (1 + std::abs(front)); }

  // Offers x to g's candidates at approximate score a: most offers fall below g's floor.
  void offer(uint32_t g, uint32_t x, double a, double dot) {
    if (a >= floor[g]) take_offer(g, x, a, dot);
  }
  void take_offer(uint32_t g, uint32_t x, double a, double dot) {
    double* h = heap.data() + size_t(g) * k;
    uint32_t& n = heap_n[g];
    if (n < uint32_t(k)) {
      h[n++] = a;
      std::push_heap(h, h + n, std::greater<>());
      if (n == uint32_t(k)) floor[g] = floor_of(h[0]);
    } else if (a > h[0]) {
      std::pop_heap(h, h + k, std::greater<>());
      h[k - 1] = a;
      std::push_heap(h, h + k, std::greater<>());
      floor[g] = floor_of(h[0]);
    }
    std::vector<Offer>& o = offers[g];
    o.push_back({dot, x});
    if (o.size() >= 8 * size_t(k) + 64) compact(g);
  }
  // Drops g's offers below the floor (they cannot be among the k best; ties with it stay).
  void compact(uint32_t g) {
    const double fl = floor[g];
    std::vector<Offer>& o = offers[g];
    o.erase(std::remove_if(o.begin(), o.end(), [&](const Offer& f) { return approx(g, f.x, f.dot) < fl; }), o.end());
  }

  // Group q's pairs with every later group sharing a column: their dot parts, whose terms are
  // (value_q · weight) · value_x summed in ascending column order (SimilaritySpace::similarity's
  // bits, lower id first), offered both ways. Then q's list, complete: the earlier groups offered
  // theirs when they were answered. Returns the postings walked plus the pairs offered.
  uint64_t query(uint32_t q) {
    const CsrMatrix& m = s.matrix();
    touched.clear();
    uint64_t walked = 0;
    const size_t later = G - q - 1;
    bool blocked = false;
    for (uint64_t e = m.indptr[q]; e < m.indptr[q + 1]; ++e) {
      const uint32_t t = m.indices[e];
      ++cur[t];  // past q: the later groups holding t
      if (double(m.value(e)) * s.weight_of_column(t) == 0) continue;
      blocked |= block_of[t] >= 0;
      walked += block_of[t] >= 0 ? later : s.col_ptr[t + 1] - cur[t];
    }
    // Terms most rows share touch most groups: then a branch-free accumulation and one scan for
    // the touched groups (as the recommenders do). Either way acc[x] sums the terms in ascending
    // order.
    const bool dense = blocked || walked > later / 4;
    // The dense columns in a run (no sparse column between them in the row) are added together.
    run_cols.clear();
    run_w.clear();
    auto add_run = [&] {
      if (run_cols.empty()) return;
      add_columns_fn(acc.data() + q + 1, run_cols.data(), run_w.data(), run_cols.size(), G - q - 1);
      run_cols.clear();
      run_w.clear();
    };
    for (uint64_t e = m.indptr[q]; e < m.indptr[q + 1]; ++e) {
      const uint32_t t = m.indices[e];
      const double w = double(m.value(e)) * s.weight_of_column(t);
      if (w == 0) continue;
      if (block_of[t] >= 0) {
        run_cols.push_back(block.data() + size_t(block_of[t]) * G + q + 1);
        run_w.push_back(w);
        continue;
      }
      add_run();
      const uint32_t* x = s.col_groups.data() + cur[t];
      const uint32_t* const xe = s.col_groups.data() + s.col_ptr[t + 1];
      const float* v = s.col_values.data() + cur[t];
      if (dense) {
        scatter_fn(acc.data(), x, xe, v, w);
      } else {
        size_t c = touched.size();
        touched.resize(c + size_t(xe - x));
        touched.resize(scatter_touched_fn(acc.data(), x, xe, v, w, touched.data(), c));
      }
    }
    add_run();
    uint64_t offered = 0;
    if (dense) offered = offer_later(q);
    else {
      for (uint32_t x : touched) {
        const double dot = acc[x];
        acc[x] = 0;
        offer(q, x, approx(q, x, dot), dot);
        offer(x, q, approx(x, q, dot), dot);
      }
      offered = touched.size();
    }
    finish(q);
    return walked + offered;
  }

  // After a dense query: every later group with a dot part (acc > 0) offered both ways, in order,
  // and acc cleared; returns how many. Two groups at a time where the target has 128-bit vectors:
  // both approximate scores are formed as approx() forms them (the same operations, so the same
  // bits) and compared with the floors as they are then (a floor only rises, and offer() checks
  // again), so only a pair that reaches a floor goes through offer(); on the real 10k's hybrid
  // graph almost none do.
  uint64_t offer_later(uint32_t q) {
    uint64_t n_touched = 0;
    double* a = acc.data();
    auto one = [&](uint32_t x) {
      const double dot = a[x];
      if (dot == 0) return;
      a[x] = 0;
      ++n_touched;
      offer(q, x, approx(q, x, dot), dot);
      offer(x, q, approx(x, q, dot), dot);
    };
    uint32_t x = q + 1;
#if HFREC_SIMD128
    {
      using namespace simd;
      const bool biased = !s.bias.empty();  // approx() adds 0.0 without a prior
      const Doubles zero = splat2(0.0), scale_q = splat2(scale[q]), inv_q = splat2(inv_norm[q]);
      const Doubles bias_q = splat2(biased ? s.bias[q] : 0.0);
      for (; x + 2 <= G; x += 2) {
        const Doubles dot = load2(a + x);
        const uint32_t some = mask2(ne(dot, zero));
        if (!some) continue;
        const Doubles to_q =
            add(mul(mul(dot, scale_q), load2(inv_norm.data() + x)), biased ? load2(s.bias.data() + x) : zero);
        const Doubles to_x = add(mul(mul(dot, load2(scale.data() + x)), inv_q), bias_q);
        const uint32_t near = mask2(either2(ge(to_q, splat2(floor[q])), ge(to_x, load2(floor.data() + x)))) & some;
        if (near) {
          one(x);
          one(x + 1);
          continue;
        }
        store2(a + x, zero);
        n_touched += (some & 1) + (some >> 1);
      }
    }
#endif
    for (; x < G; ++x) one(x);
    return n_touched;
  }

  // q's list: its offers at or above the final floor, scored exactly, and the first groups in bias
  // order up to k rows (untouched ones score their dot part 0: touched or not, they are scored
  // exactly); closest first, ties by id, until k rows.
  void finish(uint32_t q) {
    cand.clear();
    std::vector<Offer>& o = offers[q];
    const double fl = floor[q];
    for (const Offer& f : o)
      if (approx(q, f.x, f.dot) >= fl) cand.emplace_back(1.0 - s.from_dot(q, f.x, f.dot), f.x);
    std::vector<Offer>().swap(o);
    uint64_t rows = 0;
    for (uint32_t i = 0; i < G && rows < uint64_t(k); ++i) {
      const uint32_t x = by_bias[i];
      if (x == q) continue;
      cand.emplace_back(1.0 - s.similarity(q, x), x);
      rows += s.groups->weight(x);
    }
    std::sort(cand.begin(), cand.end());
    cand.erase(std::unique(cand.begin(), cand.end()), cand.end());  // a group offered and first by bias
    rows = 0;
    for (size_t i = 0; i < cand.size() && rows < uint64_t(k); ++i) {
      out.neighbour.push_back(cand[i].second);
      out.dist.push_back(cand[i].first);
      rows += s.groups->weight(cand[i].second);
    }
    out.ptr.push_back(out.neighbour.size());
  }
};

uint64_t exact_graph_work(const SimilaritySpace& space) {
  uint64_t work = 0;
  for (size_t t = 0; t + 1 < space.col_ptr.size(); ++t) {
    const uint64_t df = space.col_ptr[t + 1] - space.col_ptr[t];
    if (space.weight_of_column(uint32_t(t)) != 0) work += df * df;
  }
  return work;
}

KnnGraphRun::KnnGraphRun(const SimilaritySpace& space, int k, const KnnGraphOptions& options) {
  const uint64_t work = exact_graph_work(space);
  if (work > options.exact_max_work) {
    NnDescentParams p;
    p.seed = options.seed;
    approx_ = std::make_unique<NnDescentRun>(space, k, p);
  } else {
    impl_ = std::make_unique<Impl>(space, k, work);
  }
}
KnnGraphRun::~KnnGraphRun() = default;

bool KnnGraphRun::step(const SliceTimer& timer) {
  if (approx_) return approx_->step(timer);
  Impl& im = *impl_;
  while (im.next < im.G) {
    const uint64_t work = im.query(im.next++);
    im.walked_done += work;
    timer.charge(1 + units(work, kFlatBatch.per_unit));
    if (timer.expired()) break;
  }
  return im.next >= im.G;
}
bool KnnGraphRun::done() const { return approx_ ? approx_->done() : impl_->next >= impl_->G; }
double KnnGraphRun::progress() const {
  if (approx_) return approx_->progress();
  // By the postings walked (the first groups walk the most: each walks the later groups only).
  return done() ? 1.0 : std::min(0.999, frac(impl_->walked_done, impl_->walked_total));
}
KnnGraph KnnGraphRun::take() {
  if (approx_) return approx_->take();
  release(impl_->acc);
  release(impl_->heap, impl_->floor, impl_->block);
  return std::move(impl_->out);
}

KnnGraph knn_graph(const SimilaritySpace& space, int k) {
  KnnGraphRun run(space, k, KnnGraphOptions{.exact_max_work = ~uint64_t(0)});
  finish(run);
  return run.take();
}

}  // namespace hfrec
