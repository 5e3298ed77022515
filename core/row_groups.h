// Row groups: a sparse matrix's identical rows collapsed into one group each (members in tie order:
// downloads desc, then modelId asc) with an inverted index, so work scales with distinct rows.
#pragma once
#include <cstdint>
#include <type_traits>
#include <vector>

#include "catalogue.h"
#include "job.h"

namespace hfrec {

// Compressed sparse rows; column indices ascending within a row.
struct CsrMatrix {
  uint32_t n_cols = 0;
  std::vector<uint64_t> indptr{0};
  std::vector<uint32_t> indices;
  std::vector<float> values;  // empty for a binary matrix (every stored entry is 1) or one with counts
  // Whole values 1..255 (the soup's term counts) in a byte each, instead of `values`: at two million
  // rows that is 57 MB less per copy (compact_counts). At most one of values and counts is non-empty.
  std::vector<uint8_t> counts;
  size_t rows() const { return indptr.size() - 1; }
  size_t nnz() const { return indices.size(); }
  size_t row_nnz(size_t r) const { return indptr[r + 1] - indptr[r]; }
  bool binary() const { return values.empty() && counts.empty(); }
  float value(size_t k) const { return !values.empty() ? values[k] : !counts.empty() ? counts[k] : 1.0f; }
};

// m's stored values as V: float reads values, uint8_t counts (for loops compiled for each).
template <class V>
const V* values_of(const CsrMatrix& m) {
  if constexpr (std::is_same_v<V, uint8_t>) return m.counts.data();
  else return m.values.data();
}

// Moves m's values into counts when every one is a whole number from 1 to 255 (else only trims
// values' spare capacity), and trims the indices' and row pointers' spare capacity, in slices: at
// 1M rows the soup's group rows, done at once, took one 200-280 ms step.
class CsrCompactor {
 public:
  explicit CsrCompactor(CsrMatrix& m) : m_(m) {}
  // Works until done (true, with time left) or the timer expires.
  bool step(const SliceTimer& timer);
  // The share done, in [0, 1].
  double progress() const;
  // True when the values went into counts (once step() returned true).
  bool moved() const { return whole_; }

 private:
  CsrMatrix& m_;
  int part_ = 0;          // checking the values, moving or trimming them, the indices, the row pointers
  uint64_t checked_ = 0;  // values checked
  bool whole_ = true;     // every value checked is whole, 1..255
  std::vector<float> values_;
  std::vector<uint32_t> indices_;
  std::vector<uint64_t> indptr_;
};

// CsrCompactor at once. Returns true when it moved the values into counts.
bool compact_counts(CsrMatrix& m);

// Identical rows collapsed into groups, so work scales with distinct rows.
struct Groups {
  std::vector<uint32_t> group_of;       // row -> group
  std::vector<uint32_t> member_ptr{0};  // group g's rows: members[member_ptr[g] .. member_ptr[g+1])
  std::vector<uint32_t> members;        // sorted by downloads desc, then modelId asc
  CsrMatrix rows;                       // one row per group (the shared feature row)
  // Column -> groups holding it (the inverted index).
  std::vector<uint64_t> postings_ptr;
  std::vector<uint32_t> postings;
  std::vector<float> posting_values;    // empty when binary or when the rows have counts
  std::vector<uint8_t> posting_counts;  // the rows' counts, when they have them
  size_t size() const { return member_ptr.size() - 1; }
  float posting_value(uint64_t k) const {
    return !posting_values.empty() ? posting_values[k] : !posting_counts.empty() ? posting_counts[k] : 1.0f;
  }
  uint32_t weight(uint32_t g) const { return member_ptr[g + 1] - member_ptr[g]; }
  // Catalogue row r's feature row is its group's: entries [row_begin(r), row_end(r)) of `rows`.
  // (No per-row matrix is kept once rows are grouped: at a million rows it would double the soup.)
  uint64_t row_begin(uint32_t r) const { return rows.indptr[group_of[r]]; }
  uint64_t row_end(uint32_t r) const { return rows.indptr[group_of[r] + 1]; }
  // Stored entries over all catalogue rows (what the per-row matrix would hold).
  uint64_t expanded_nnz() const;
};

// The per-row matrix, every catalogue row's group row written out: n × nnz memory, for tests and
// tools, never kept by an index.
CsrMatrix expand_rows(const Groups& g);

// All rows in tie order: downloads desc, then modelId asc (compute once, share between spaces).
// Runs TieOrderBuilder to the end.
std::vector<uint32_t> tie_order(const Catalogue& cat);

// Collapses identical rows of m (rows ordered by downloads desc, modelId asc within a group).
// Groups are numbered in order of their first row. `order` is tie_order(cat) when the caller has
// it (else it is computed). Runs CollapseBuilder.
Groups collapse_rows(const CsrMatrix& m, const Catalogue& cat, const std::vector<uint32_t>* order = nullptr);

// --- Resumable builders: the functions above in slices (IndexBuilder runs them in a browser tab) ---
// Each step(timer) works in small batches until the timer expires and returns true when finished;
// take() is valid once. The results are identical to the one-shot functions (which run these).
// - The catalogue, matrix and order passed in must outlive the builder and stay in place.

namespace detail {
struct TieOrderState;
struct CollapseState;
}  // namespace detail
extern template class SlicedBuilder<detail::TieOrderState, std::vector<uint32_t>>;
extern template class SlicedBuilder<detail::CollapseState, Groups>;

// tie_order() as a merge sort: sorted runs, then bottom-up merges that resume mid-merge.
class TieOrderBuilder : public SlicedBuilder<detail::TieOrderState, std::vector<uint32_t>> {
 public:
  explicit TieOrderBuilder(const Catalogue& cat);
};

// collapse_rows() in phases: hashing (rows), members (rows), group rows, postings, each resumable.
class CollapseBuilder : public SlicedBuilder<detail::CollapseState, Groups> {
 public:
  CollapseBuilder(const CsrMatrix& m, const std::vector<uint32_t>& order);
  // Rows grouped as they were made (group_of, and rows with n_cols, filled; groups numbered in order
  // of their first row, as collapse_rows numbers them): only the members and postings are built.
  CollapseBuilder(Groups grouped, const std::vector<uint32_t>& order);
};

}  // namespace hfrec
