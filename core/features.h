// Sparse feature spaces of a catalogue: the notebook's one-hot "attributes" and bag-of-words "soup".
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalogue.h"
#include "job.h"

namespace hfrec {

// Compressed sparse rows; column indices ascending within a row.
struct CsrMatrix {
  uint32_t n_cols = 0;
  std::vector<uint64_t> indptr{0};
  std::vector<uint32_t> indices;
  std::vector<float> values; // empty for a binary matrix (every stored entry is 1)
  size_t rows() const { return indptr.size() - 1; }
  size_t nnz() const { return indices.size(); }
  size_t row_nnz(size_t r) const { return indptr[r + 1] - indptr[r]; }
  float value(size_t k) const { return values.empty() ? 1.0f : values[k]; }
};

// Identical rows collapsed into groups, so work scales with distinct rows.
struct Groups {
  std::vector<uint32_t> group_of;      // row -> group
  std::vector<uint32_t> member_ptr{0}; // group g's rows: members[member_ptr[g] .. member_ptr[g+1])
  std::vector<uint32_t> members;       // sorted by downloads desc, then modelId asc
  CsrMatrix rows;                      // one row per group (the shared feature row)
  // Column -> groups holding it (the inverted index).
  std::vector<uint64_t> postings_ptr;
  std::vector<uint32_t> postings;
  std::vector<float> posting_values; // empty when binary
  size_t size() const { return member_ptr.size() - 1; }
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
// `order` is tie_order(cat) when the caller has it (else it is computed). Runs CollapseBuilder.
Groups collapse_rows(const CsrMatrix& m, const Catalogue& cat, const std::vector<uint32_t>* order = nullptr);

// One-hot of pipeline_tag, architectures (raw cell, brackets stripped), model_type, library_name.
struct AttributeSpace {
  // Category names as pandas get_dummies prints them ("pipeline_tag_fill-mask"); ordered by
  // column, then value.
  std::vector<std::string> names;
  std::vector<uint8_t> field;                      // 0 pipeline_tag, 1 architectures, 2 model_type, 3 library_name
  std::vector<std::string> values;                 // the value part of each name
  std::unordered_map<std::string, uint32_t> index; // name -> column
  Groups groups;                                   // binary rows; a catalogue row's is its group's
  // Column of a field's value, or kMissing.
  uint32_t column(int field_no, std::string_view value) const;
};

// The notebook's soup under CountVectorizer (counts) and TfidfVectorizer (smooth idf, l2).
struct SoupSpace {
  std::vector<std::string> terms; // sorted, as CountVectorizer's vocabulary
  std::unordered_map<std::string, uint32_t> index;
  std::vector<double> idf; // ln((1 + n) / (1 + df)) + 1
  Groups groups;           // term counts; a catalogue row's are its group's
  std::vector<double> group_count_sq; // sum of squared counts per group
  std::vector<double> group_tfidf_sq; // sum of squared (count * idf) per group
  uint32_t term(std::string_view t) const {
    auto it = index.find(std::string(t));
    return it == index.end() ? kMissing : it->second;
  }
};

// Field names for attribute categories (index by AttributeSpace::field).
inline constexpr const char* kAttributeFields[4] = {"pipeline_tag", "architectures", "model_type", "library_name"};

// The attribute space in one call (runs AttributeBuilder to the end).
AttributeSpace build_attributes(const Catalogue& cat, const std::vector<uint32_t>* order = nullptr);
// Appends the soup tokens of one row (lower-cased, as CountVectorizer would see them).
void soup_tokens(const Catalogue& cat, uint32_t row, std::vector<std::string>& out);
// The soup space in one call (runs SoupBuilder to the end).
SoupSpace build_soup(const Catalogue& cat, const std::vector<uint32_t>* order = nullptr);

// --- Resumable builders: the functions above in slices (IndexBuilder runs them in a browser tab) ---
// Each step(timer) works in small batches until the timer expires and returns true when finished;
// take() is valid once. The results are identical to the one-shot functions (which run these).
// - The catalogue, matrix and order passed in must outlive the builder and stay in place.

// tie_order() as a merge sort: sorted runs, then bottom-up merges that resume mid-merge.
class TieOrderBuilder {
public:
  explicit TieOrderBuilder(const Catalogue& cat);
  ~TieOrderBuilder();
  // Works until the timer expires; true when the order is complete.
  bool step(const SliceTimer& timer);
  // Fraction done in [0, 1], monotone.
  double progress() const;
  // The rows in tie order (once, after step() returned true).
  std::vector<uint32_t> take();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// collapse_rows() in phases: hashing (rows), members (rows), group rows, postings, each resumable.
class CollapseBuilder {
public:
  CollapseBuilder(const CsrMatrix& m, const std::vector<uint32_t>& order);
  ~CollapseBuilder();
  // Works until the timer expires; true when the groups are complete.
  bool step(const SliceTimer& timer);
  // Fraction done in [0, 1], monotone.
  double progress() const;
  // The groups (once, after step() returned true).
  Groups take();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// build_attributes() in phases: value scan (rows), value sort, one-hot (rows), collapse.
class AttributeBuilder {
public:
  AttributeBuilder(const Catalogue& cat, const std::vector<uint32_t>& order);
  ~AttributeBuilder();
  // Works until the timer expires; true when the space is complete.
  bool step(const SliceTimer& timer);
  // Fraction done in [0, 1], monotone.
  double progress() const;
  // What it is doing now ("attributes: one-hot").
  const char* stage() const;
  // The attribute space (once, after step() returned true).
  AttributeSpace take();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// build_soup() in phases: tokenizing (rows), vocabulary sort, counts (rows), idf, collapse, norms.
class SoupBuilder {
public:
  SoupBuilder(const Catalogue& cat, const std::vector<uint32_t>& order);
  ~SoupBuilder();
  // Works until the timer expires; true when the space is complete.
  bool step(const SliceTimer& timer);
  // Fraction done in [0, 1], monotone.
  double progress() const;
  // What it is doing now ("soup: tokenizing").
  const char* stage() const;
  // The soup space (once, after step() returned true).
  SoupSpace take();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace hfrec
