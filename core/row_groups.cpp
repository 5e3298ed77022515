// Row groups: identical rows collapsed (hashing, then members in tie order, group rows and an
// inverted index), and the tie order itself, each resumable in slices (row_groups.h).
#include "row_groups.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "sliced.h"
#include "text.h"

namespace hfrec {

namespace {

struct RowHash {
  const CsrMatrix* m;
  size_t operator()(uint32_t r) const {
    uint64_t h = 1469598103934665603ull;
    for (uint64_t k = m->indptr[r]; k < m->indptr[r + 1]; ++k) {
      h = (h ^ m->indices[k]) * 1099511628211ull;
      if (!m->binary()) {
        const float v = m->value(k);
        uint32_t bits;
        std::memcpy(&bits, &v, 4);
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
    if (m->binary()) return true;
    for (uint64_t i = 0; i < na; ++i)
      if (m->value(m->indptr[a] + i) != m->value(m->indptr[b] + i)) return false;
    return true;
  }
};

// A row's tie-order key: sorting these keys (not row numbers) keeps the merges sequential in memory
// and the comparisons free of string reads (ids tied in their 8 bytes are refined: SlicedRefine).
struct TieKey {
  int64_t downloads = 0;
  uint64_t part = 0;  // the id's 8 bytes at the key's depth, big-endian, zero-padded
  uint32_t row = 0;
  uint32_t len = 0;  // the id's
};
TieKey tie_key(const Catalogue& cat, uint32_t row) {
  const std::string_view id = cat.id(row);
  return {cat.downloads[row], load_be64(id, 0), row, static_cast<uint32_t>(id.size())};
}
// Downloads desc, then modelId asc (bytes unsigned, as std::string compares them): the 8 bytes,
// then the length (the shorter of two ids equal to its end comes first), then the row (ids are
// unique); and the refinement's operations.
struct TieOps {
  static constexpr uint32_t kPart = 8;
  const Catalogue* cat;
  bool operator()(const TieKey& a, const TieKey& b) const {
    if (a.downloads != b.downloads) return a.downloads > b.downloads;
    if (a.part != b.part) return a.part < b.part;
    if (a.len != b.len) return a.len < b.len;
    return a.row < b.row;
  }
  static bool tied(const TieKey& a, const TieKey& b) { return a.downloads == b.downloads && a.part == b.part; }
  static uint32_t length(const TieKey& k) { return k.len; }
  std::string_view text(const TieKey& k) const { return cat->id(k.row); }
  void rekey(TieKey& k, uint32_t depth) const { k.part = load_be64(text(k), depth); }
};

}  // namespace

// --- tie order ---------------------------------------------------------------------------------

// TieOrderBuilder's state: the keys, their sort, then the rows in order.
struct detail::TieOrderState {
  enum Phase { kKeys, kSort, kRefine, kRows, kDone };
  static constexpr uint64_t kRun = 512;
  const Catalogue& cat;
  int phase = kKeys;
  uint64_t pos = 0;
  std::vector<TieKey> keys;
  std::unique_ptr<SlicedSort<TieOps, TieKey, kRun>> sort;
  std::unique_ptr<SlicedRefine<TieKey, TieOps, kRun>> refine;
  std::vector<uint32_t> order;

  explicit TieOrderState(const Catalogue& c) : cat(c) {}

  bool step(const SliceTimer& timer) {
    const uint64_t n = cat.size();
    if (phase == kKeys) {
      keys.reserve(n);
      const bool done = batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
        for (auto r = static_cast<uint32_t>(b); r < e; ++r) keys.push_back(tie_key(cat, r));
      });
      if (!done) return false;
      sort = std::make_unique<SlicedSort<TieOps, TieKey, kRun>>(std::move(keys), TieOps{&cat});
      phase = kSort;
      pos = 0;
      if (timer.expired()) return false;
    }
    if (phase == kSort) {
      if (!sort->step(timer)) return false;
      keys = sort->take();
      sort.reset();
      refine = std::make_unique<SlicedRefine<TieKey, TieOps, kRun>>(keys, TieOps{&cat});
      phase = kRefine;
      if (timer.expired()) return false;
    }
    if (phase == kRefine) {
      if (!refine->step(timer)) return false;
      refine.reset();
      phase = kRows;
      order.reserve(n);
      if (timer.expired()) return false;
    }
    if (phase == kRows) {
      const bool done = batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
        for (uint64_t k = b; k < e; ++k) order.push_back(keys[k].row);
      });
      if (!done) return false;
      release(keys);
      phase = kDone;
    }
    return true;
  }

  double progress() const {
    static constexpr double w[4] = {0.1, 0.8, 0.05, 0.05};
    const double f = phase == kSort ? sort->progress() : phase == kRefine ? refine->progress() : frac(pos, cat.size());
    return phased_progress(w, 4, phase, f);
  }

  const char* stage() const { return "sorting models by downloads"; }

  std::vector<uint32_t> take() { return std::move(order); }
};

// --- collapse ----------------------------------------------------------------------------------

// CollapseBuilder's state: the phases of collapse_rows().
struct detail::CollapseState {
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
  const CsrMatrix& m;  // the rows to group; empty when they came grouped (`pregrouped`)
  const std::vector<uint32_t>& order;
  Groups g;
  const bool pregrouped = false;
  uint64_t n_groups = 0;
  int phase = kHash;
  uint64_t pos = 0;
  bool entered = false;
  // Open addressing over row hashes (a node-based map costs an allocation per distinct row).
  size_t cap = 1024;
  std::vector<uint32_t> slots;  // group id
  std::vector<uint64_t> group_hash;
  std::vector<uint32_t> first;  // each group's first row
  std::vector<uint32_t> fill;
  std::vector<uint64_t> fill64;
  uint64_t rows_nnz = 0;

  CollapseState(const CsrMatrix& mat, const std::vector<uint32_t>& ord) : m(mat), order(ord) {}
  // Rows already grouped (group_of and rows filled): the members and postings are left to build.
  CollapseState(Groups grouped, const std::vector<uint32_t>& ord)
      : m(kNoRows), order(ord), g(std::move(grouped)), pregrouped(true), n_groups(g.rows.rows()), phase(kMemberCount) {}
  static inline const CsrMatrix kNoRows{};

  uint64_t length() const {
    switch (phase) {
      case kHash: return m.rows();
      case kMemberCount:
      case kMemberFill: return g.group_of.size();
      case kMemberPrefix:
      case kRowsSize:
      case kRows:
      case kPostFill: return n_groups;
      case kPostCount: return g.rows.nnz();
      case kPostPrefix: return g.rows.n_cols;
      default: return 0;
    }
  }

  void enter() {
    switch (phase) {
      case kHash:
        while (cap < m.rows() * 2) cap *= 2;
        g.group_of.reserve(m.rows());
        break;
      case kMemberCount:
        release(slots);
        release(group_hash);
        if (!pregrouped) n_groups = first.size();
        g.member_ptr.assign(n_groups + 1, 0);
        break;
      case kMemberFill: fill.assign(g.member_ptr.begin(), g.member_ptr.end() - 1); break;
      case kRowsSize: release(fill); break;
      case kRows:
        if (pregrouped) break;
        g.rows.n_cols = m.n_cols;
        g.rows.indptr.assign(1, 0);
        g.rows.indptr.reserve(first.size() + 1);
        g.rows.indices.reserve(rows_nnz);
        if (!m.values.empty()) g.rows.values.reserve(rows_nnz);
        if (!m.counts.empty()) g.rows.counts.reserve(rows_nnz);
        break;
      case kPostCount:
        release(first);
        g.postings_ptr.assign(g.rows.n_cols + 1, 0);
        break;
      case kPostFill: fill64.assign(g.postings_ptr.begin(), g.postings_ptr.end() - 1); break;
      case kDone: release(fill64); break;
      default: break;
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
          for (uint64_t r = b; r < e; ++r) ++g.member_ptr[g.group_of[r] + 1];
        });
      case kMemberPrefix:
        return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t k = b; k < e; ++k) g.member_ptr[k + 1] += g.member_ptr[k];
        });
      case kMemberFill:  // rows in tie order: downloads desc, then modelId asc
        if (!grow(g.members, n, 0u, timer)) return false;
        return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t k = b; k < e; ++k) {
            const uint32_t r = order[k];
            g.members[fill[g.group_of[r]]++] = r;
          }
        });
      case kRowsSize:
        if (pregrouped) return true;
        return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t k = b; k < e; ++k) rows_nnz += m.row_nnz(first[k]);
        });
      case kRows:
        if (pregrouped) return true;
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t x = b; x < e; ++x) {
            const uint32_t r = first[x];
            for (uint64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) {
              g.rows.indices.push_back(m.indices[k]);
              if (!m.values.empty()) g.rows.values.push_back(m.values[k]);
              if (!m.counts.empty()) g.rows.counts.push_back(m.counts[k]);
            }
            g.rows.indptr.push_back(g.rows.indices.size());
          }
        });
      case kPostCount:
        return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t k = b; k < e; ++k) ++g.postings_ptr[g.rows.indices[k] + 1];
        });
      case kPostPrefix:
        return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t c = b; c < e; ++c) g.postings_ptr[c + 1] += g.postings_ptr[c];
        });
      case kPostFill:
        if (!grow(g.postings, g.rows.nnz(), 0u, timer)) return false;
        if (!g.rows.values.empty() && !grow(g.posting_values, g.rows.nnz(), 0.0f, timer)) return false;
        if (!g.rows.counts.empty() && !grow(g.posting_counts, g.rows.nnz(), uint8_t{0}, timer)) return false;
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          const CsrMatrix& gm = g.rows;
          for (auto r = static_cast<uint32_t>(b); r < e; ++r)
            for (uint64_t k = gm.indptr[r]; k < gm.indptr[r + 1]; ++k) {
              const uint64_t at = fill64[gm.indices[k]]++;
              g.postings[at] = r;
              if (!gm.values.empty()) g.posting_values[at] = gm.values[k];
              if (!gm.counts.empty()) g.posting_counts[at] = gm.counts[k];
            }
        });
      default: return true;
    }
  }

  bool step(const SliceTimer& timer) { return run_phases(*this, timer); }

  double progress() const {
    // Relative costs measured on a million rows.
    static constexpr double w[kPhases] = {10, 1, 0.2, 2, 0.3, 3, 1, 0.2, 4};
    return phased_progress(w, kPhases, phase, frac(pos, length()));
  }

  const char* stage() const { return "grouping identical rows"; }

  Groups take() { return std::move(g); }
};

template class SlicedBuilder<detail::TieOrderState, std::vector<uint32_t>>;
template class SlicedBuilder<detail::CollapseState, Groups>;

TieOrderBuilder::TieOrderBuilder(const Catalogue& cat) : SlicedBuilder(std::make_unique<detail::TieOrderState>(cat)) {}

std::vector<uint32_t> tie_order(const Catalogue& cat) {
  TieOrderBuilder b(cat);
  finish(b);
  return b.take();
}

CollapseBuilder::CollapseBuilder(const CsrMatrix& m, const std::vector<uint32_t>& order)
    : SlicedBuilder(std::make_unique<detail::CollapseState>(m, order)) {}

CollapseBuilder::CollapseBuilder(Groups grouped, const std::vector<uint32_t>& order)
    : SlicedBuilder(std::make_unique<detail::CollapseState>(std::move(grouped), order)) {}

bool CsrCompactor::step(const SliceTimer& timer) {
  CsrMatrix& m = m_;
  switch (part_) {
    case 0:
      if (!batches(checked_, m.values.size(), kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
            for (uint64_t k = b; k < e; ++k) {
              const float v = m.values[k];
              if (!(v >= 1 && v <= 255 && v == std::floor(v))) whole_ = false;
            }
          }))
        return false;
      whole_ = whole_ && !m.values.empty();
      part_ = 1;
      [[fallthrough]];
    case 1:
      if (whole_) {
        if (!extend_in_pieces(m.counts, m.values.size(), timer, [&](std::vector<uint8_t>& c, uint64_t to) {
              c.insert(c.end(), m.values.begin() + static_cast<std::ptrdiff_t>(c.size()),
                       m.values.begin() + static_cast<std::ptrdiff_t>(to));
            }))
          return false;
        release(m.values);
      } else if (!trim(m.values, values_, timer)) {
        return false;
      }
      part_ = 2;
      [[fallthrough]];
    case 2:
      if (!trim(m.indices, indices_, timer)) return false;
      part_ = 3;
      [[fallthrough]];
    case 3:
      if (!trim(m.indptr, indptr_, timer)) return false;
      part_ = 4;
      [[fallthrough]];
    default: return true;
  }
}

double CsrCompactor::progress() const {
  const double parts = 4;
  const double within = part_ == 0   ? frac(checked_, m_.values.size())
                        : part_ == 1 ? frac(whole_ ? m_.counts.size() : values_.size(), m_.values.size())
                        : part_ == 2 ? frac(indices_.size(), m_.indices.size())
                        : part_ == 3 ? frac(indptr_.size(), m_.indptr.size())
                                     : 0.0;
  return std::min(1.0, (part_ + within) / parts);
}

bool compact_counts(CsrMatrix& m) {
  CsrCompactor c(m);
  finish(c);
  return c.moved();
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
      if (!g.rows.counts.empty()) m.counts.push_back(g.rows.counts[k]);
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

}  // namespace hfrec
