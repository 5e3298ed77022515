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
  uint64_t i = m.indptr[a], j = m.indptr[b];
  const uint64_t ie = m.indptr[a + 1], je = m.indptr[b + 1];
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

struct KnnGraphRun::Impl {
  const SimilaritySpace& s;
  int k;
  size_t G;
  uint32_t next = 0;
  std::vector<double> acc;  // zero between queries; a touched group's is > 0 (positive values)
  std::vector<uint32_t> touched;
  std::vector<uint32_t> by_bias;  // groups by bias desc, then id: the order of untouched groups
  std::vector<double> inv_norm;   // 1 / sqrt(norm_sq): the approximate scores' scale
  std::vector<double> best;       // the k best approximate scores (a min-heap)
  std::vector<std::pair<double, uint32_t>> cand;
  KnnGraph out;

  Impl(const SimilaritySpace& space, int kk) : s(space), k(std::max(1, kk)), G(space.size()) {
    acc.assign(G, 0.0);
    by_bias.resize(G);
    for (uint32_t g = 0; g < G; ++g) by_bias[g] = g;
    if (!s.bias.empty())
      std::stable_sort(by_bias.begin(), by_bias.end(), [&](uint32_t a, uint32_t b) { return s.bias[a] > s.bias[b]; });
    inv_norm.resize(G);
    for (uint32_t g = 0; g < G; ++g) inv_norm[g] = s.norm_sq[g] > 0 ? 1.0 / std::sqrt(s.norm_sq[g]) : 0.0;
    out.k = k;
    out.ptr.reserve(G + 1);
    out.neighbour.reserve(G * size_t(k));  // address space: pages are touched as the lists are written
    out.dist.reserve(G * size_t(k));
  }

  // One group's neighbours; returns the postings walked plus the groups scored.
  uint64_t query(uint32_t q) {
    const CsrMatrix& m = s.matrix();
    touched.clear();
    uint64_t walked = 0;
    for (uint64_t e = m.indptr[q]; e < m.indptr[q + 1]; ++e)
      if (double(m.value(e)) * s.weight_of_column(m.indices[e]) != 0)
        walked += s.col_ptr[m.indices[e] + 1] - s.col_ptr[m.indices[e]];
    // Terms most rows share touch most groups: then a branch-free accumulation and one scan for
    // the touched groups (as the recommenders do). Either way acc[x] sums the terms in ascending
    // order, so it has the bits SimilaritySpace::similarity computes.
    const bool dense = walked > G / 4;
    for (uint64_t e = m.indptr[q]; e < m.indptr[q + 1]; ++e) {
      const uint32_t t = m.indices[e];
      const double w = double(m.value(e)) * s.weight_of_column(t);
      if (w == 0) continue;
      const uint32_t* x = s.col_groups.data() + s.col_ptr[t];
      const uint32_t* const xe = s.col_groups.data() + s.col_ptr[t + 1];
      const float* v = s.col_values.data() + s.col_ptr[t];
      double* a = acc.data();
      if (dense) {
        for (; x != xe; ++x, ++v) a[*x] += w * double(*v);
      } else {
        size_t c = touched.size();
        touched.resize(c + size_t(xe - x));
        uint32_t* o = touched.data();
        for (; x != xe; ++x, ++v) {
          o[c] = *x;
          c += a[*x] == 0;
          a[*x] += w * double(*v);
        }
        touched.resize(c);
      }
    }
    if (dense)
      for (uint32_t x = 0; x < G; ++x)
        if (acc[x] != 0) touched.push_back(x);
    // The k best approximate scores (dot · inv norms, within a few ulps of the exact ones) bound
    // which touched groups can be among the k nearest; only those are scored exactly.
    const double qs = (s.query_scale.empty() ? 1.0 : s.query_scale[q]) * inv_norm[q];
    auto approx = [&](uint32_t x) { return acc[x] * qs * inv_norm[x] + (s.bias.empty() ? 0.0 : s.bias[x]); };
    best.clear();
    for (uint32_t x : touched) {
      if (x == q) continue;
      const double a = approx(x);
      if (best.size() < size_t(k)) {
        best.push_back(a);
        std::push_heap(best.begin(), best.end(), std::greater<>());
      } else if (a > best.front()) {
        std::pop_heap(best.begin(), best.end(), std::greater<>());
        best.back() = a;
        std::push_heap(best.begin(), best.end(), std::greater<>());
      }
    }
    const double floor = best.size() < size_t(k) ? -1e300 : best.front() - 1e-9 * (1 + std::abs(best.front()));
    cand.clear();
    for (uint32_t x : touched)
      if (x != q && approx(x) >= floor) cand.emplace_back(1.0 - s.from_dot(q, x, acc[x]), x);
    // Untouched groups score their dot part 0: the first of them in bias order, up to k rows.
    uint64_t rows = 0;
    for (uint32_t i = 0; i < G && rows < uint64_t(k); ++i) {
      const uint32_t x = by_bias[i];
      if (x == q || acc[x] != 0) continue;
      cand.emplace_back(1.0 - s.from_dot(q, x, 0.0), x);
      rows += s.groups->weight(x);
    }
    const uint64_t scored = touched.size();
    if (dense) std::fill(acc.begin(), acc.end(), 0.0);
    else
      for (uint32_t x : touched) acc[x] = 0;
    // Closest first (ties by id); at most k groups are needed, each holding at least one row.
    const size_t keep = std::min(cand.size(), size_t(k));
    std::nth_element(cand.begin(), cand.begin() + static_cast<long>(keep), cand.end());
    std::sort(cand.begin(), cand.begin() + static_cast<long>(keep));
    rows = 0;
    for (size_t i = 0; i < keep && rows < uint64_t(k); ++i) {
      out.neighbour.push_back(cand[i].second);
      out.dist.push_back(cand[i].first);
      rows += s.groups->weight(cand[i].second);
    }
    out.ptr.push_back(out.neighbour.size());
    return walked + scored;
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
  if (exact_graph_work(space) > options.exact_max_work) {
    NnDescentParams p;
    p.seed = options.seed;
    approx_ = std::make_unique<NnDescentRun>(space, k, p);
  } else {
    impl_ = std::make_unique<Impl>(space, k);
  }
}
KnnGraphRun::~KnnGraphRun() = default;

bool KnnGraphRun::step(const SliceTimer& timer) {
  if (approx_) return approx_->step(timer);
  Impl& im = *impl_;
  while (im.next < im.G) {
    const uint64_t work = im.query(im.next++);
    timer.charge(1 + units(work, kFlatBatch.per_unit));
    if (timer.expired()) break;
  }
  return im.next >= im.G;
}
bool KnnGraphRun::done() const { return approx_ ? approx_->done() : impl_->next >= impl_->G; }
double KnnGraphRun::progress() const { return approx_ ? approx_->progress() : frac(impl_->next, impl_->G); }
KnnGraph KnnGraphRun::take() {
  if (approx_) return approx_->take();
  release(impl_->acc);
  return std::move(impl_->out);
}

KnnGraph knn_graph(const SimilaritySpace& space, int k) {
  KnnGraphRun run(space, k, KnnGraphOptions{.exact_max_work = ~uint64_t(0)});
  finish(run);
  return run.take();
}

}  // namespace hfrec
