#include "features.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "text.h"

namespace hfrec {

namespace {

struct RowHash {
  const CsrMatrix* m;
  size_t operator()(uint32_t r) const {
    uint64_t h = 1469598103934665603ull;
    for (uint64_t k = m->indptr[r]; k < m->indptr[r + 1]; ++k) {
      h = (h ^ m->indices[k]) * 1099511628211ull;
      if (!m->values.empty()) {
        uint32_t bits;
        std::memcpy(&bits, &m->values[k], 4);
        h = (h ^ bits) * 1099511628211ull;
      }
    }
    return static_cast<size_t>(h);
  }
};
struct RowEq {
  const CsrMatrix* m;
  bool operator()(uint32_t a, uint32_t b) const {
    size_t na = m->row_nnz(a);
    if (na != m->row_nnz(b)) return false;
    auto ia = m->indices.begin() + static_cast<long>(m->indptr[a]);
    auto ib = m->indices.begin() + static_cast<long>(m->indptr[b]);
    if (!std::equal(ia, ia + static_cast<long>(na), ib)) return false;
    if (m->values.empty()) return true;
    auto va = m->values.begin() + static_cast<long>(m->indptr[a]);
    auto vb = m->values.begin() + static_cast<long>(m->indptr[b]);
    return std::equal(va, va + static_cast<long>(na), vb);
  }
};

// Work between two looks at the clock: small enough for a slice well under a frame (a million
// rows take a few hundred batches), large enough that reading the clock costs nothing. Work units
// (SliceTimer): a row is one, a flat array element a 16th, so a batch of either is 1024 units.
struct Batch {
  uint64_t size;     // elements per batch
  uint64_t per_unit; // elements per work unit
};
constexpr Batch kRowBatch{1024, 1};    // catalogue rows, groups or terms
constexpr Batch kFlatBatch{16384, 16}; // flat array elements

uint64_t units(uint64_t elements, uint64_t per_unit) {
  return (elements + per_unit - 1) / per_unit;
}

// Runs body(begin, end) over [pos, n) in batches until done or the timer expires; true when done
// with time left (a last batch that ran the timer out reports done at the next call, so the caller
// does no more work in this step).
template <class F> bool batches(uint64_t& pos, uint64_t n, Batch batch, const SliceTimer& timer, F&& body) {
  while (pos < n) {
    const uint64_t end = std::min(n, pos + batch.size);
    body(pos, end);
    timer.charge(units(end - pos, batch.per_unit));
    pos = end;
    if (timer.expired()) return false;
  }
  return true;
}

// Frees a vector's memory now (clear() keeps the capacity).
template <class T> void release(std::vector<T>& v) {
  std::vector<T>().swap(v);
}
void release(CsrMatrix& m) {
  release(m.indptr);
  release(m.indices);
  release(m.values);
}

// Grows v to n elements of `value` in slices (a large value-initialisation touches many fresh
// pages and would be one long step); true when done with time left, as batches(). An element is a
// 256th of a work unit.
template <class T> bool grow(std::vector<T>& v, uint64_t n, const T& value, const SliceTimer& timer) {
  constexpr uint64_t kGrowBatch = uint64_t(1) << 18;
  if (v.capacity() < n) v.reserve(n);
  while (v.size() < n) {
    const uint64_t from = v.size();
    v.resize(std::min<uint64_t>(n, v.size() + kGrowBatch), value);
    timer.charge(units(v.size() - from, 256));
    if (timer.expired()) return false;
  }
  return true;
}

// Bottom-up merge sort in slices: runs of kRun sorted with std::sort, then passes of stable
// merges that stop and resume anywhere inside a merge. With a strict total order (unique keys)
// the result equals std::sort's.
template <class Less, class T = uint32_t> class SlicedSort {
public:
  SlicedSort(std::vector<T> items, Less less) : a_(std::move(items)), less_(less), n_(a_.size()) {
    for (uint64_t w = kRun; w < n_; w *= 2)
      ++passes_;
  }
  bool step(const SliceTimer& timer) {
    while (run_lo_ < n_) {
      const uint64_t hi = std::min(n_, run_lo_ + kRun);
      std::sort(a_.begin() + static_cast<long>(run_lo_), a_.begin() + static_cast<long>(hi), less_);
      timer.charge(units((hi - run_lo_) * 9, kFlatBatch.per_unit)); // log2(kRun) compares per element
      run_lo_ = hi;
      if (timer.expired()) return done();
    }
    while (width_ < n_) {
      if (!grow(b_, n_, T{}, timer)) return false;
      const uint64_t mid = std::min(n_, lo_ + width_), hi = std::min(n_, lo_ + 2 * width_);
      if (!in_merge_) {
        i_ = lo_;
        j_ = mid;
        out_ = lo_;
        in_merge_ = true;
      }
      const uint64_t limit = std::min(hi, out_ + kFlatBatch.size);
      uint64_t i = i_, j = j_, out = out_;
      while (out < limit) {
        if (i < mid && (j >= hi || !less_(a_[j], a_[i])))
          b_[out++] = a_[i++];
        else
          b_[out++] = a_[j++];
      }
      timer.charge(units(out - out_, kFlatBatch.per_unit));
      i_ = i;
      j_ = j;
      out_ = out;
      if (out == hi) {
        in_merge_ = false;
        lo_ = hi;
        if (lo_ >= n_) { // pass complete
          a_.swap(b_);
          width_ *= 2;
          lo_ = out_ = 0;
          ++passes_done_;
        }
      }
      if (timer.expired()) return done();
    }
    return done();
  }
  double progress() const {
    if (n_ == 0 || done()) return 1.0;
    const double sorted = static_cast<double>(run_lo_) / static_cast<double>(n_);
    if (passes_ == 0) return sorted;
    const double merged = (static_cast<double>(passes_done_) + static_cast<double>(out_) / static_cast<double>(n_)) /
                          static_cast<double>(passes_);
    return 0.4 * sorted + 0.6 * merged; // sorting runs of 512 costs about 9 of ~20 merge levels
  }
  std::vector<T> take() {
    release(b_);
    return std::move(a_);
  }

private:
  static constexpr uint64_t kRun = 512;
  bool done() const { return run_lo_ >= n_ && width_ >= n_; }
  std::vector<T> a_, b_;
  Less less_;
  uint64_t n_;
  uint64_t passes_ = 0, passes_done_ = 0;
  uint64_t run_lo_ = 0; // runs before this are sorted
  uint64_t width_ = kRun, lo_ = 0, i_ = 0, j_ = 0, out_ = 0;
  bool in_merge_ = false;
};

// A row's tie-order key: sorting these keys (not row numbers) keeps the merges sequential in memory
// and most comparisons free of string reads.
struct TieKey {
  int64_t downloads = 0;
  uint64_t prefix = 0; // the id's first 8 bytes, big-endian, zero-padded
  uint32_t row = 0;
};
TieKey tie_key(const Catalogue& cat, uint32_t row) {
  const std::string_view id = cat.id(row);
  uint64_t p = 0;
  for (size_t i = 0; i < 8; ++i)
    p = (p << 8) | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0u);
  return {cat.downloads[row], p, row};
}
// Downloads desc, then modelId asc. Different prefixes order as the ids do (bytes compare
// unsigned, as std::string does; a shorter id pads with 0); equal prefixes compare the ids.
struct TieLess {
  const Catalogue* cat;
  bool operator()(const TieKey& a, const TieKey& b) const {
    if (a.downloads != b.downloads) return a.downloads > b.downloads;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return cat->id(a.row) < cat->id(b.row);
  }
};
// Pool strings by text.
struct PoolLess {
  const StringPool* pool;
  bool operator()(uint32_t x, uint32_t y) const { return pool->str(x) < pool->str(y); }
};
// Terms by text.
struct TermLess {
  const std::vector<std::string>* terms;
  bool operator()(uint32_t a, uint32_t b) const { return (*terms)[a] < (*terms)[b]; }
};

// Runs a builder with step(timer) to the end.
template <class B> void finish(B& b) {
  const SliceTimer forever(1e9);
  while (!b.step(forever)) {
  }
}

// A space builder run to the end over cat in tie order (the one given, or computed here).
template <class B> auto build_in_tie_order(const Catalogue& cat, const std::vector<uint32_t>* order) {
  std::vector<uint32_t> own;
  if (!order) own = tie_order(cat);
  B b(cat, order ? *order : own);
  finish(b);
  return b.take();
}

// The phase loop the resumable builders share: enter() once as each phase starts (it may allocate
// or free what the phase needs), run(timer) until that phase is done, then the next phase; stops
// when the timer expires. enter() runs once more for kDone, to free what only the build needed.
// True when every phase is done.
template <class Impl> bool run_phases(Impl& im, const SliceTimer& timer) {
  while (im.phase != Impl::kDone) {
    if (!im.entered) {
      im.enter();
      im.entered = true;
    }
    if (!im.run(timer)) return false;
    ++im.phase;
    im.pos = 0;
    im.entered = false;
    if (im.phase == Impl::kDone) im.enter();
    if (timer.expired()) break;
  }
  return im.phase == Impl::kDone;
}

// Phase bookkeeping shared by the builders: progress = (done weight + weight * fraction) / total.
double phased_progress(const double* weights, int phases, int phase, double fraction) {
  double total = 0, done = 0;
  for (int p = 0; p < phases; ++p) {
    total += weights[p];
    if (p < phase) done += weights[p];
  }
  if (phase >= phases) return 1.0;
  return std::min(1.0, (done + weights[phase] * std::clamp(fraction, 0.0, 1.0)) / total);
}

double frac(uint64_t pos, uint64_t n) {
  return n == 0 ? 1.0 : static_cast<double>(pos) / static_cast<double>(n);
}

} // namespace

// --- tie order ---------------------------------------------------------------------------------

struct TieOrderBuilder::Impl {
  enum Phase { kKeys, kSort, kRows, kDone };
  const Catalogue& cat;
  int phase = kKeys;
  uint64_t pos = 0;
  std::vector<TieKey> keys;
  std::unique_ptr<SlicedSort<TieLess, TieKey>> sort;
  std::vector<uint32_t> order;

  explicit Impl(const Catalogue& c) : cat(c) {}

  bool step(const SliceTimer& timer) {
    const uint64_t n = cat.size();
    if (phase == kKeys) {
      keys.reserve(n);
      const bool done = batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
        for (auto r = static_cast<uint32_t>(b); r < e; ++r)
          keys.push_back(tie_key(cat, r));
      });
      if (!done) return false;
      sort = std::make_unique<SlicedSort<TieLess, TieKey>>(std::move(keys), TieLess{&cat});
      phase = kSort;
      pos = 0;
      if (timer.expired()) return false;
    }
    if (phase == kSort) {
      if (!sort->step(timer)) return false;
      keys = sort->take();
      sort.reset();
      phase = kRows;
      order.reserve(n);
      if (timer.expired()) return false;
    }
    if (phase == kRows) {
      const bool done = batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t k = b; k < e; ++k)
          order.push_back(keys[k].row);
      });
      if (!done) return false;
      release(keys);
      phase = kDone;
    }
    return true;
  }

  double progress() const {
    static constexpr double w[3] = {0.1, 0.85, 0.05};
    const double f = phase == kSort ? sort->progress() : frac(pos, cat.size());
    return phased_progress(w, 3, phase, f);
  }
};

TieOrderBuilder::TieOrderBuilder(const Catalogue& cat) : impl_(std::make_unique<Impl>(cat)) {}
TieOrderBuilder::~TieOrderBuilder() = default;
bool TieOrderBuilder::step(const SliceTimer& timer) {
  return impl_->step(timer);
}
double TieOrderBuilder::progress() const {
  return impl_->progress();
}
std::vector<uint32_t> TieOrderBuilder::take() {
  return std::move(impl_->order);
}

std::vector<uint32_t> tie_order(const Catalogue& cat) {
  TieOrderBuilder b(cat);
  finish(b);
  return b.take();
}

// --- collapse ----------------------------------------------------------------------------------

struct CollapseBuilder::Impl {
  enum Phase {
    kHash,
    kMemberCount,
    kMemberPrefix,
    kMemberFill,
    kRowsSize,
    kRows,
    kPostCount,
    kPostPrefix,
    kPostFill,
    kDone
  };
  static constexpr int kPhases = kDone;
  const CsrMatrix& m;
  const std::vector<uint32_t>& order;
  Groups g;
  int phase = kHash;
  uint64_t pos = 0;
  bool entered = false;
  // Open addressing over row hashes (a node-based map costs an allocation per distinct row).
  size_t cap = 1024;
  std::vector<uint32_t> slots; // group id
  std::vector<uint64_t> group_hash;
  std::vector<uint32_t> first; // each group's first row
  std::vector<uint32_t> fill;
  std::vector<uint64_t> fill64;
  uint64_t rows_nnz = 0;

  Impl(const CsrMatrix& mat, const std::vector<uint32_t>& ord) : m(mat), order(ord) {}

  uint64_t length() const {
    switch (phase) {
    case kHash:
    case kMemberCount:
    case kMemberFill:
      return m.rows();
    case kMemberPrefix:
    case kRowsSize:
    case kRows:
    case kPostFill:
      return first.size() ? first.size() : g.size();
    case kPostCount:
      return g.rows.nnz();
    case kPostPrefix:
      return m.n_cols;
    default:
      return 0;
    }
  }

  void enter() {
    switch (phase) {
    case kHash:
      while (cap < m.rows() * 2)
        cap *= 2;
      g.group_of.reserve(m.rows());
      break;
    case kMemberCount:
      release(slots);
      release(group_hash);
      g.member_ptr.assign(first.size() + 1, 0);
      break;
    case kMemberFill:
      fill.assign(g.member_ptr.begin(), g.member_ptr.end() - 1);
      break;
    case kRowsSize:
      release(fill);
      break;
    case kRows:
      g.rows.n_cols = m.n_cols;
      g.rows.indptr.assign(1, 0);
      g.rows.indptr.reserve(first.size() + 1);
      g.rows.indices.reserve(rows_nnz);
      if (!m.values.empty()) g.rows.values.reserve(rows_nnz);
      break;
    case kPostCount:
      release(first);
      g.postings_ptr.assign(g.rows.n_cols + 1, 0);
      break;
    case kPostFill:
      fill64.assign(g.postings_ptr.begin(), g.postings_ptr.end() - 1);
      break;
    case kDone:
      release(fill64);
      break;
    default:
      break;
    }
  }

  bool run(const SliceTimer& timer) {
    const RowHash hasher{&m};
    const RowEq equal{&m};
    const uint64_t n = length();
    switch (phase) {
    case kHash:
      if (!grow(slots, cap, kMissing, timer)) return false;
      return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
        for (auto r = static_cast<uint32_t>(b); r < e; ++r) {
          const uint64_t h = hasher(r);
          size_t i = (h ^ (h >> 31)) & (cap - 1);
          for (; slots[i] != kMissing; i = (i + 1) & (cap - 1)) {
            const uint32_t x = slots[i];
            if (group_hash[x] == h && equal(first[x], r)) break;
          }
          if (slots[i] == kMissing) {
            slots[i] = static_cast<uint32_t>(first.size());
            first.push_back(r);
            group_hash.push_back(h);
          }
          g.group_of.push_back(slots[i]);
        }
      });
    case kMemberCount:
      return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t r = b; r < e; ++r)
          ++g.member_ptr[g.group_of[r] + 1];
      });
    case kMemberPrefix:
      return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t k = b; k < e; ++k)
          g.member_ptr[k + 1] += g.member_ptr[k];
      });
    case kMemberFill: // rows in tie order: downloads desc, then modelId asc
      if (!grow(g.members, n, 0u, timer)) return false;
      return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t k = b; k < e; ++k) {
          const uint32_t r = order[k];
          g.members[fill[g.group_of[r]]++] = r;
        }
      });
    case kRowsSize:
      return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t k = b; k < e; ++k)
          rows_nnz += m.row_nnz(first[k]);
      });
    case kRows:
      return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t x = b; x < e; ++x) {
          const uint32_t r = first[x];
          for (uint64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) {
            g.rows.indices.push_back(m.indices[k]);
            if (!m.values.empty()) g.rows.values.push_back(m.values[k]);
          }
          g.rows.indptr.push_back(g.rows.indices.size());
        }
      });
    case kPostCount:
      return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t k = b; k < e; ++k)
          ++g.postings_ptr[g.rows.indices[k] + 1];
      });
    case kPostPrefix:
      return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t c = b; c < e; ++c)
          g.postings_ptr[c + 1] += g.postings_ptr[c];
      });
    case kPostFill:
      if (!grow(g.postings, g.rows.nnz(), 0u, timer)) return false;
      if (!g.rows.values.empty() && !grow(g.posting_values, g.rows.nnz(), 0.0f, timer)) return false;
      return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
        const CsrMatrix& gm = g.rows;
        for (auto r = static_cast<uint32_t>(b); r < e; ++r)
          for (uint64_t k = gm.indptr[r]; k < gm.indptr[r + 1]; ++k) {
            const uint64_t at = fill64[gm.indices[k]]++;
            g.postings[at] = r;
            if (!gm.values.empty()) g.posting_values[at] = gm.values[k];
          }
      });
    default:
      return true;
    }
  }

  bool step(const SliceTimer& timer) { return run_phases(*this, timer); }

  double progress() const {
    // Relative costs measured on a million rows.
    static constexpr double w[kPhases] = {10, 1, 0.2, 2, 0.3, 3, 1, 0.2, 4};
    return phased_progress(w, kPhases, phase, frac(pos, length()));
  }
};

CollapseBuilder::CollapseBuilder(const CsrMatrix& m, const std::vector<uint32_t>& order)
    : impl_(std::make_unique<Impl>(m, order)) {}
CollapseBuilder::~CollapseBuilder() = default;
bool CollapseBuilder::step(const SliceTimer& timer) {
  return impl_->step(timer);
}
double CollapseBuilder::progress() const {
  return impl_->progress();
}
Groups CollapseBuilder::take() {
  return std::move(impl_->g);
}

uint64_t Groups::expanded_nnz() const {
  uint64_t total = 0;
  for (uint32_t g = 0; g < size(); ++g) total += uint64_t{weight(g)} * rows.row_nnz(g);
  return total;
}

CsrMatrix expand_rows(const Groups& g) {
  CsrMatrix m;
  m.n_cols = g.rows.n_cols;
  const size_t n = g.group_of.size();
  m.indptr.reserve(n + 1);
  for (uint32_t r = 0; r < n; ++r) {
    for (uint64_t k = g.row_begin(r); k < g.row_end(r); ++k) {
      m.indices.push_back(g.rows.indices[k]);
      if (!g.rows.values.empty()) m.values.push_back(g.rows.values[k]);
    }
    m.indptr.push_back(m.indices.size());
  }
  return m;
}

Groups collapse_rows(const CsrMatrix& m, const Catalogue& cat, const std::vector<uint32_t>* order_in) {
  std::vector<uint32_t> own;
  if (!order_in) own = tie_order(cat);
  CollapseBuilder b(m, order_in ? *order_in : own);
  finish(b);
  return b.take();
}

// --- attributes --------------------------------------------------------------------------------

uint32_t AttributeSpace::column(int field_no, std::string_view value) const {
  auto it = index.find(std::string(kAttributeFields[field_no]) + "_" + std::string(value));
  return it == index.end() ? kMissing : it->second;
}

struct AttributeBuilder::Impl {
  enum Phase { kScan, kSort, kColumns, kOneHot, kCollapse, kDone };
  static constexpr int kPhases = kDone;
  const Catalogue& cat;
  const std::vector<uint32_t>& order;
  AttributeSpace a;
  CsrMatrix matrix;  // one row per catalogue row, until the rows are grouped
  int phase = kScan;
  uint64_t pos = 0;
  bool entered = false;
  const std::vector<uint32_t>* cols[4];
  bool present[4];
  // Column per (field, pool id), ordered by field then value text.
  std::vector<uint32_t> col_of[4];
  std::vector<uint8_t> seen[4];
  std::vector<uint32_t> vals[4];
  uint64_t nnz = 0;
  int sort_field = 0;
  std::unique_ptr<SlicedSort<PoolLess>> sorter;
  int col_field = 0;
  std::unique_ptr<CollapseBuilder> collapse;

  Impl(const Catalogue& c, const std::vector<uint32_t>& o)
      : cat(c), order(o), cols{&c.pipeline_tag, &c.architectures_category, &c.model_type, &c.library_name} {
    for (int f = 0; f < 4; ++f)
      present[f] = cat.has_column(kAttributeFields[f]);
  }

  uint64_t length() const {
    switch (phase) {
    case kScan:
    case kOneHot:
      return cat.size();
    case kColumns:
      return col_field < 4 ? vals[col_field].size() : 0;
    default:
      return 0;
    }
  }

  void enter() {
    switch (phase) {
    case kScan:
      break;
    case kSort:
      for (auto& s : seen)
        release(s);
      break;
    case kOneHot:
      matrix.n_cols = static_cast<uint32_t>(a.names.size());
      matrix.indptr.reserve(cat.size() + 1);
      matrix.indices.reserve(nnz);
      break;
    case kCollapse:
      collapse = std::make_unique<CollapseBuilder>(matrix, order);
      break;
    case kDone:
      for (auto& c : col_of)
        release(c);
      break;
    default:
      break;
    }
  }

  bool run(const SliceTimer& timer) {
    const uint64_t n = length();
    switch (phase) {
    case kScan:
      for (int f = 0; f < 4; ++f) {
        if (!grow(col_of[f], cat.pool.size(), kMissing, timer)) return false;
        if (present[f] && !grow(seen[f], cat.pool.size(), uint8_t{0}, timer)) return false;
      }
      return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t r = b; r < e; ++r)
          for (int f = 0; f < 4; ++f) {
            if (!present[f]) continue;
            const uint32_t v = (*cols[f])[r];
            if (v == kMissing) continue;
            ++nnz;
            if (!seen[f][v]) {
              seen[f][v] = 1;
              vals[f].push_back(v);
            }
          }
      });
    case kSort:
      while (sort_field < 4) {
        if (!sorter) sorter = std::make_unique<SlicedSort<PoolLess>>(std::move(vals[sort_field]), PoolLess{&cat.pool});
        if (!sorter->step(timer)) return false;
        vals[sort_field] = sorter->take();
        sorter.reset();
        ++sort_field;
        if (timer.expired()) return sort_field == 4;
      }
      return true;
    case kColumns:
      while (col_field < 4) {
        const int f = col_field;
        const bool done = batches(pos, length(), kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t k = b; k < e; ++k) {
            const uint32_t v = vals[f][k];
            auto c = static_cast<uint32_t>(a.names.size());
            col_of[f][v] = c;
            a.names.push_back(std::string(kAttributeFields[f]) + "_" + std::string(cat.pool.str(v)));
            a.values.emplace_back(cat.pool.str(v));
            a.field.push_back(static_cast<uint8_t>(f));
            a.index.emplace(a.names.back(), c);
          }
        });
        if (!done) return false;
        release(vals[f]);
        ++col_field;
        pos = 0;
        if (timer.expired()) return col_field == 4;
      }
      return true;
    case kOneHot:
      return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t r = b; r < e; ++r) {
          for (int f = 0; f < 4; ++f) {
            const uint32_t v = (*cols[f])[r];
            if (v != kMissing && present[f]) matrix.indices.push_back(col_of[f][v]);
          }
          matrix.indptr.push_back(matrix.indices.size());
        }
      });
    case kCollapse:
      if (!collapse->step(timer)) return false;
      a.groups = collapse->take();
      collapse.reset();
      release(matrix);  // the groups hold every row's one-hot now
      return true;
    default:
      return true;
    }
  }

  bool step(const SliceTimer& timer) { return run_phases(*this, timer); }

  double progress() const {
    static constexpr double w[kPhases] = {4, 1, 0.5, 4, 8};
    double f = 0;
    switch (phase) {
    case kSort:
      f = (sort_field + (sorter ? sorter->progress() : 0.0)) / 4.0;
      break;
    case kColumns:
      f = (col_field + frac(pos, length())) / 4.0;
      break;
    case kCollapse:
      f = collapse ? collapse->progress() : 0.0;
      break;
    default:
      f = frac(pos, length());
    }
    return phased_progress(w, kPhases, phase, f);
  }

  const char* stage() const {
    switch (phase) {
    case kScan:
      return "attributes: finding values";
    case kSort:
      return "attributes: sorting values";
    case kColumns:
      return "attributes: naming columns";
    case kOneHot:
      return "attributes: one-hot";
    case kCollapse:
      return "attributes: grouping identical rows";
    default:
      return "attributes: done";
    }
  }
};

AttributeBuilder::AttributeBuilder(const Catalogue& cat, const std::vector<uint32_t>& order)
    : impl_(std::make_unique<Impl>(cat, order)) {}
AttributeBuilder::~AttributeBuilder() = default;
bool AttributeBuilder::step(const SliceTimer& timer) {
  return impl_->step(timer);
}
double AttributeBuilder::progress() const {
  return impl_->progress();
}
const char* AttributeBuilder::stage() const {
  return impl_->stage();
}
AttributeSpace AttributeBuilder::take() {
  return std::move(impl_->a);
}

AttributeSpace build_attributes(const Catalogue& cat, const std::vector<uint32_t>* order) {
  return build_in_tie_order<AttributeBuilder>(cat, order);
}

// --- soup --------------------------------------------------------------------------------------

void soup_tokens(const Catalogue& cat, uint32_t row, std::vector<std::string>& out) {
  auto add_text = [&](std::string_view text) {
    std::string low = lower(text);
    for_each_token(low, [&](std::string_view t) { out.emplace_back(t); });
  };
  auto add_list = [&](const ListColumn& col) {
    if (col.missing[row]) {
      out.emplace_back("nan");
      return;
    }
    for (const uint32_t* p = col.begin(row); p != col.end(row); ++p)
      add_text(delete_ascii_punctuation(cat.pool.str(*p)));
  };
  auto add_value = [&](uint32_t v) {
    if (v == kMissing)
      out.emplace_back("nan");
    else
      add_text(cat.pool.str(v));
  };
  if (cat.has_column("tags")) add_list(cat.tags);
  if (cat.has_column("pipeline_tag")) add_value(cat.pipeline_tag[row]);
  if (cat.has_column("author")) add_value(cat.author[row]);
  if (cat.has_column("architectures")) add_list(cat.architectures);
  if (cat.has_column("model_type")) add_value(cat.model_type[row]);
  if (cat.has_column("library_name")) add_value(cat.library_name[row]);
}

struct SoupBuilder::Impl {
  enum Phase { kTokenize, kFreeMap, kVocabSort, kTerms, kCounts, kIdf, kCollapse, kNorms, kDone };
  static constexpr int kPhases = kDone;
  const Catalogue& cat;
  const std::vector<uint32_t>& order;
  SoupSpace s;
  CsrMatrix counts;  // one row per catalogue row, until the rows are grouped
  int phase = kTokenize;
  uint64_t pos = 0;
  bool entered = false;
  const bool has_tags, has_task, has_author, has_arch, has_type, has_lib;

  // Tokenizing: provisional term ids in order of appearance. Values repeat across rows (tags,
  // libraries), so each pool string is tokenized once per mode and the token ids are cached.
  static constexpr uint32_t kNanTerm = 0;
  std::unordered_map<std::string, uint32_t> prov;
  std::vector<std::string> prov_terms;
  std::vector<uint64_t> indptr{0};
  std::vector<uint32_t> toks;
  // cache[mode][pool id] -> range in cache_toks; mode 0: list item (punctuation deleted), 1: value.
  std::vector<uint32_t> cache_begin[2], cache_end[2];
  std::vector<uint32_t> cache_toks;
  std::vector<uint32_t> last_row; // per provisional term: the last row holding it (distinct count)
  uint64_t nnz = 0;               // distinct terms summed over rows (the counts' nnz)
  bool nan_used = false;
  uint64_t map_size = 0;
  // Vocabulary.
  std::unique_ptr<SlicedSort<TermLess>> sorter;
  std::vector<uint32_t> sorted; // provisional ids in vocabulary order
  std::vector<uint32_t> remap;  // provisional id -> term
  // Counts.
  std::vector<uint32_t> row, df;
  std::unique_ptr<CollapseBuilder> collapse;

  Impl(const Catalogue& c, const std::vector<uint32_t>& o)
      : cat(c), order(o), has_tags(c.has_column("tags")), has_task(c.has_column("pipeline_tag")),
        has_author(c.has_column("author")), has_arch(c.has_column("architectures")),
        has_type(c.has_column("model_type")), has_lib(c.has_column("library_name")) {}

  void tokens_of(uint32_t v, int mode) {
    if (cache_begin[mode][v] == kMissing) {
      cache_begin[mode][v] = static_cast<uint32_t>(cache_toks.size());
      const std::string_view text = cat.pool.str(v);
      std::string low = mode == 0 ? lower(delete_ascii_punctuation(text)) : lower(text);
      for_each_token(low, [&](std::string_view t) {
        auto [it, ins] = prov.emplace(std::string(t), static_cast<uint32_t>(prov_terms.size()));
        if (ins) prov_terms.emplace_back(t);
        cache_toks.push_back(it->second);
      });
      cache_end[mode][v] = static_cast<uint32_t>(cache_toks.size());
    }
    toks.insert(toks.end(), cache_toks.begin() + cache_begin[mode][v], cache_toks.begin() + cache_end[mode][v]);
  }
  void add_list(const ListColumn& col, uint32_t r) {
    if (col.missing[r]) {
      toks.push_back(kNanTerm);
      return;
    }
    for (const uint32_t* p = col.begin(r); p != col.end(r); ++p)
      tokens_of(*p, 0);
  }
  void add_value(uint32_t v) {
    if (v == kMissing)
      toks.push_back(kNanTerm);
    else
      tokens_of(v, 1);
  }

  uint64_t length() const {
    switch (phase) {
    case kTokenize:
    case kCounts:
      return cat.size();
    case kFreeMap:
      return map_size;
    case kTerms:
      return sorted.size();
    case kIdf:
      return s.terms.size();
    case kNorms:
      return s.groups.size();
    default:
      return 0;
    }
  }

  void enter() {
    switch (phase) {
    case kTokenize:
      prov.emplace("nan", kNanTerm);
      prov_terms.push_back("nan");
      indptr.reserve(cat.size() + 1);
      toks.reserve(cat.size() * 24); // address space only; pages are touched as tokens arrive
      break;
    case kFreeMap:
      for (int mode = 0; mode < 2; ++mode) {
        release(cache_begin[mode]);
        release(cache_end[mode]);
      }
      release(cache_toks);
      release(last_row);
      map_size = prov.size();
      break;
    case kVocabSort: {
      // "nan" is only a term when some cell was missing.
      std::vector<uint32_t> ids(prov_terms.size() - (nan_used ? 0 : 1));
      std::iota(ids.begin(), ids.end(), nan_used ? 0u : 1u);
      sorter = std::make_unique<SlicedSort<TermLess>>(std::move(ids), TermLess{&prov_terms});
      break;
    }
    case kTerms:
      remap.assign(prov_terms.size(), kMissing);
      s.terms.resize(sorted.size());
      s.index.reserve(sorted.size());
      break;
    case kCounts:
      release(prov_terms);
      release(sorted);
      counts.n_cols = static_cast<uint32_t>(s.terms.size());
      counts.indptr.reserve(cat.size() + 1);
      counts.indices.reserve(nnz);
      counts.values.reserve(nnz);
      df.assign(s.terms.size(), 0);
      break;
    case kIdf:
      release(toks);
      release(indptr);
      release(remap);
      release(row);
      s.idf.resize(s.terms.size());
      break;
    case kCollapse:
      release(df);
      collapse = std::make_unique<CollapseBuilder>(counts, order);
      break;
    case kNorms:
      s.group_count_sq.assign(s.groups.size(), 0.0);
      s.group_tfidf_sq.assign(s.groups.size(), 0.0);
      break;
    default:
      break;
    }
  }

  bool run(const SliceTimer& timer) {
    const uint64_t n = length();
    switch (phase) {
    case kTokenize:
      for (int mode = 0; mode < 2; ++mode) {
        if (!grow(cache_begin[mode], cat.pool.size(), kMissing, timer)) return false;
        if (!grow(cache_end[mode], cat.pool.size(), 0u, timer)) return false;
      }
      return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
        for (auto r = static_cast<uint32_t>(b); r < e; ++r) { // the same fields, in the same order, as soup_tokens()
          const size_t begin = toks.size();
          if (has_tags) add_list(cat.tags, r);
          if (has_task) add_value(cat.pipeline_tag[r]);
          if (has_author) add_value(cat.author[r]);
          if (has_arch) add_list(cat.architectures, r);
          if (has_type) add_value(cat.model_type[r]);
          if (has_lib) add_value(cat.library_name[r]);
          indptr.push_back(toks.size());
          if (last_row.size() < prov_terms.size()) last_row.resize(prov_terms.size(), kMissing);
          for (size_t k = begin; k < toks.size(); ++k) {
            const uint32_t t = toks[k];
            nan_used |= t == kNanTerm;
            if (last_row[t] != r) {
              last_row[t] = r;
              ++nnz;
            }
          }
        }
      });
    case kFreeMap: // a map of a million terms takes a while to free: erase in batches
      return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t k = b; k < e && !prov.empty(); ++k)
          prov.erase(prov.begin());
        if (e >= n) prov = {};
      });
    case kVocabSort: // sorted vocabulary, as CountVectorizer orders it
      if (!sorter->step(timer)) return false;
      sorted = sorter->take();
      sorter.reset();
      return true;
    case kTerms:
      return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t k = b; k < e; ++k) {
          remap[sorted[k]] = static_cast<uint32_t>(k);
          s.terms[k] = std::move(prov_terms[sorted[k]]);
          s.index.emplace(s.terms[k], static_cast<uint32_t>(k));
        }
      });
    case kCounts:
      return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t r = b; r < e; ++r) {
          row.clear();
          for (uint64_t k = indptr[r]; k < indptr[r + 1]; ++k)
            row.push_back(remap[toks[k]]);
          std::sort(row.begin(), row.end());
          for (size_t k = 0; k < row.size();) {
            size_t end = k;
            while (end < row.size() && row[end] == row[k])
              ++end;
            counts.indices.push_back(row[k]);
            counts.values.push_back(static_cast<float>(end - k));
            ++df[row[k]];
            k = end;
          }
          counts.indptr.push_back(counts.indices.size());
        }
      });
    case kIdf: {
      const double rows = static_cast<double>(cat.size());
      return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t t = b; t < e; ++t)
          s.idf[t] = std::log((1.0 + rows) / (1.0 + df[t])) + 1.0;
      });
    }
    case kCollapse:
      if (!collapse->step(timer)) return false;
      s.groups = collapse->take();
      collapse.reset();
      release(counts);  // the groups hold every row's counts now
      return true;
    case kNorms:
      return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
        const CsrMatrix& gm = s.groups.rows;
        for (uint64_t g = b; g < e; ++g)
          for (uint64_t k = gm.indptr[g]; k < gm.indptr[g + 1]; ++k) {
            double c = gm.values[k];
            double w = c * s.idf[gm.indices[k]];
            s.group_count_sq[g] += c * c;
            s.group_tfidf_sq[g] += w * w;
          }
      });
    default:
      return true;
    }
  }

  bool step(const SliceTimer& timer) { return run_phases(*this, timer); }

  double progress() const {
    static constexpr double w[kPhases] = {12, 0.3, 1, 0.5, 8, 0.1, 12, 1};
    double f = 0;
    switch (phase) {
    case kVocabSort:
      f = sorter ? sorter->progress() : 0.0;
      break;
    case kCollapse:
      f = collapse ? collapse->progress() : 0.0;
      break;
    default:
      f = frac(pos, length());
    }
    return phased_progress(w, kPhases, phase, f);
  }

  const char* stage() const {
    switch (phase) {
    case kTokenize:
      return "soup: tokenizing";
    case kFreeMap:
    case kVocabSort:
    case kTerms:
      return "soup: sorting the vocabulary";
    case kCounts:
      return "soup: counting terms";
    case kIdf:
      return "soup: idf";
    case kCollapse:
      return "soup: grouping identical rows";
    case kNorms:
      return "soup: norms";
    default:
      return "soup: done";
    }
  }
};

SoupBuilder::SoupBuilder(const Catalogue& cat, const std::vector<uint32_t>& order)
    : impl_(std::make_unique<Impl>(cat, order)) {}
SoupBuilder::~SoupBuilder() = default;
bool SoupBuilder::step(const SliceTimer& timer) {
  return impl_->step(timer);
}
double SoupBuilder::progress() const {
  return impl_->progress();
}
const char* SoupBuilder::stage() const {
  return impl_->stage();
}
SoupSpace SoupBuilder::take() {
  return std::move(impl_->s);
}

SoupSpace build_soup(const Catalogue& cat, const std::vector<uint32_t>* row_order) {
  return build_in_tie_order<SoupBuilder>(cat, row_order);
}

} // namespace hfrec
