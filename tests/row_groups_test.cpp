// Row groups: tie order and the collapse of identical rows against obviously-correct oracles
// (std::sort with the tie rule; rows grouped through a std::map of their contents; a brute-force
// inverted index), whole and in the smallest slices (core/row_groups.h).
#include "core/row_groups.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/attributes.h"

#include "test_util.h"

namespace hfrec {
namespace {

ModelRecord bert() {
  ModelRecord r;
  r.id = "bert-base-uncased";
  r.tags = {"pytorch", "bert", "fill-mask", "en", "dataset:bookcorpus", "arxiv:1810.04805", "license:apache-2.0"};
  r.pipeline_tag = "fill-mask";
  r.architectures = {"BertForMaskedLM"};
  r.architectures_missing = false;
  r.model_type = "bert";
  r.library_name = "transformers";
  r.downloads = 100;
  return r;  // author missing
}

TEST(Groups, CollapseIdenticalRowsOrderedByDownloadsThenId) {
  std::vector<ModelRecord> rs;
  for (int i = 0; i < 4; ++i) {
    ModelRecord r = bert();
    r.id = "m" + std::to_string(3 - i);
    r.downloads = i < 2 ? 5 : 9;
    rs.push_back(r);
  }
  Catalogue c = make_catalogue(rs);
  AttributeSpace s = build_attributes(c);
  ASSERT_EQ(s.groups.size(), 1u);
  std::vector<std::string> order;
  for (uint32_t r : s.groups.members) order.emplace_back(c.id(r));
  EXPECT_EQ(order, (std::vector<std::string>{"m0", "m1", "m2", "m3"}));
}

// Catalogue rows with few download values and ids that share their first 8 bytes, so the tie rule
// is exercised on both keys (the fast path compares 8-byte prefixes first).
Catalogue tie_heavy_catalogue(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<ModelRecord> rs;
  for (size_t i = 0; i < n; ++i) {
    ModelRecord r;
    const char* prefixes[] = {"org/mode", "org/model-", "a", "org/", "zzzzzzzzzzzz"};
    r.id = std::string(prefixes[rng() % 5]) + std::to_string(rng() % 100000) + "-" + std::to_string(i);
    r.downloads = static_cast<int64_t>(rng() % 7);
    rs.push_back(r);
  }
  return make_catalogue(rs);
}

// Steps a builder with timers that expire at once (the smallest slices); the number of steps.
template <class B>
int step_in_tiny_slices(B& b) {
  int steps = 1;
  double last = 0;
  while (!b.step(SliceTimer::work(0))) {
    EXPECT_GE(b.progress(), last);
    last = b.progress();
    ++steps;
  }
  return steps;
}

// 40,000 rows: runs of more than 1,024 keys tied in downloads and 8 bytes (SlicedRefine's long runs).
TEST(TieOrder, MatchesStdSortByDownloadsThenId) {
  for (size_t n : {0, 1, 2, 700, 3000, 40000}) {
    const Catalogue c = tie_heavy_catalogue(n, static_cast<uint32_t>(n));
    std::vector<uint32_t> want(c.size());
    for (uint32_t r = 0; r < c.size(); ++r) want[r] = r;
    std::sort(want.begin(), want.end(), [&](uint32_t a, uint32_t b) {
      if (c.downloads[a] != c.downloads[b]) return c.downloads[a] > c.downloads[b];
      return c.id(a) < c.id(b);
    });
    EXPECT_EQ(tie_order(c), want) << n << " rows";
    TieOrderBuilder b(c);
    const int steps = step_in_tiny_slices(b);
    EXPECT_EQ(b.take(), want) << n << " rows in " << steps << " slices";
  }
}

// How a matrix stores its values: none (every entry 1), floats, or whole numbers in a byte each.
enum class Kind { binary, valued, counts };
const char* kind_name(Kind k) { return k == Kind::binary ? "binary" : k == Kind::valued ? "valued" : "counts"; }

// A random sparse matrix whose rows repeat: each row is one of `distinct` random rows.
CsrMatrix repeating_matrix(size_t rows, size_t distinct, Kind kind, uint32_t seed) {
  const bool binary = kind == Kind::binary;
  std::mt19937 rng(seed);
  CsrMatrix m;
  m.n_cols = 40;
  std::vector<std::vector<std::pair<uint32_t, float>>> protos(distinct);
  for (auto& p : protos) {
    for (uint32_t col = 0; col < m.n_cols; ++col)
      if (rng() % 8 == 0) p.emplace_back(col, binary ? 1.0f : static_cast<float>(1 + rng() % 3));
  }
  for (size_t r = 0; r < rows; ++r) {
    for (auto [col, v] : protos[rng() % distinct]) {
      m.indices.push_back(col);
      if (!binary) m.values.push_back(v);
    }
    m.indptr.push_back(m.indices.size());
  }
  if (kind == Kind::counts) {
    const bool any = !m.values.empty();
    EXPECT_EQ(compact_counts(m), any);
  }
  return m;
}

// The oracle: rows grouped by their contents through a std::map.
using RowContents = std::vector<std::pair<uint32_t, float>>;
RowContents contents(const CsrMatrix& m, size_t r) {
  RowContents out;
  for (uint64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) out.emplace_back(m.indices[k], m.value(k));
  return out;
}

void expect_groups_match_oracle(const Groups& g, const CsrMatrix& m, const Catalogue& c) {
  const size_t n = m.rows();
  ASSERT_EQ(g.group_of.size(), n);
  std::map<RowContents, std::vector<uint32_t>> oracle;
  std::vector<RowContents> first_seen;  // groups in order of their first row
  for (uint32_t r = 0; r < n; ++r) {
    auto [it, added] = oracle.try_emplace(contents(m, r));
    if (added) first_seen.push_back(it->first);
    it->second.push_back(r);
  }
  ASSERT_EQ(g.size(), oracle.size());
  for (uint32_t x = 0; x < g.size(); ++x) {
    // Group x holds the x-th distinct row, its contents, and its members in tie order.
    EXPECT_EQ(contents(g.rows, x), first_seen[x]) << "group " << x;
    std::vector<uint32_t> want = oracle[first_seen[x]];
    std::sort(want.begin(), want.end(), [&](uint32_t a, uint32_t b) {
      if (c.downloads[a] != c.downloads[b]) return c.downloads[a] > c.downloads[b];
      return c.id(a) < c.id(b);
    });
    const std::vector<uint32_t> got(g.members.begin() + g.member_ptr[x], g.members.begin() + g.member_ptr[x + 1]);
    EXPECT_EQ(got, want) << "group " << x;
    EXPECT_EQ(g.weight(x), want.size());
    for (uint32_t r : want) EXPECT_EQ(g.group_of[r], x);
  }
  // The inverted index, brute force: column -> (group, value) in group order.
  ASSERT_EQ(g.postings_ptr.size(), m.n_cols + 1u);
  for (uint32_t col = 0; col < m.n_cols; ++col) {
    RowContents want, got;
    for (uint32_t x = 0; x < g.size(); ++x)
      for (auto [k, v] : contents(g.rows, x))
        if (k == col) want.emplace_back(x, v);
    for (uint64_t p = g.postings_ptr[col]; p < g.postings_ptr[col + 1]; ++p)
      got.emplace_back(g.postings[p], g.posting_value(p));
    EXPECT_EQ(got, want) << "column " << col;
  }
  // Written out again, the groups give the matrix back.
  const CsrMatrix back = expand_rows(g);
  EXPECT_EQ(back.indptr, m.indptr);
  EXPECT_EQ(back.indices, m.indices);
  EXPECT_EQ(back.values, m.values);
  EXPECT_EQ(back.counts, m.counts);
  EXPECT_EQ(g.expanded_nnz(), m.nnz());
}

TEST(CollapseRows, MatchesGroupingByContents) {
  for (Kind kind : {Kind::binary, Kind::valued, Kind::counts})
    for (size_t n : {1, 50, 2500}) {
      SCOPED_TRACE(std::string(kind_name(kind)) + ", " + std::to_string(n) + " rows");
      const Catalogue c = tie_heavy_catalogue(n, 7);
      const CsrMatrix m = repeating_matrix(n, std::max<size_t>(1, n / 10), kind, static_cast<uint32_t>(n));
      const Groups whole = collapse_rows(m, c);
      expect_groups_match_oracle(whole, m, c);
      const std::vector<uint32_t> order = tie_order(c);
      CollapseBuilder b(m, order);
      step_in_tiny_slices(b);
      expect_groups_match_oracle(b.take(), m, c);
    }
}

// The soup groups its rows as it makes them and hands CollapseBuilder the groups: the members and
// postings it builds from them must be those of grouping the per-row matrix.
TEST(CollapseRows, PregroupedRowsGetTheSameMembersAndPostings) {
  for (Kind kind : {Kind::binary, Kind::valued, Kind::counts})
    for (size_t n : {1, 50, 2500}) {
      SCOPED_TRACE(std::string(kind_name(kind)) + ", " + std::to_string(n) + " rows");
      const Catalogue c = tie_heavy_catalogue(n, 11);
      const CsrMatrix m = repeating_matrix(n, std::max<size_t>(1, n / 10), kind, static_cast<uint32_t>(n));
      const Groups whole = collapse_rows(m, c);
      Groups pre;
      pre.group_of = whole.group_of;
      pre.rows = whole.rows;
      const std::vector<uint32_t> order = tie_order(c);
      CollapseBuilder b(std::move(pre), order);
      step_in_tiny_slices(b);
      const Groups got = b.take();
      expect_groups_match_oracle(got, m, c);
      EXPECT_EQ(got.member_ptr, whole.member_ptr);
      EXPECT_EQ(got.members, whole.members);
      EXPECT_EQ(got.postings_ptr, whole.postings_ptr);
      EXPECT_EQ(got.postings, whole.postings);
      EXPECT_EQ(got.posting_values, whole.posting_values);
      EXPECT_EQ(got.posting_counts, whole.posting_counts);
    }
}

// Whole values 1..255 take a byte each; anything else keeps the floats, unchanged.
TEST(CompactCounts, MovesWholeValuesUpTo255IntoBytes) {
  CsrMatrix m;
  m.indptr = {0, 3};
  m.indices = {0, 1, 2};
  m.values = {1.0f, 7.0f, 255.0f};
  EXPECT_TRUE(compact_counts(m));
  EXPECT_TRUE(m.values.empty());
  EXPECT_EQ(m.counts, (std::vector<uint8_t>{1, 7, 255}));
  EXPECT_EQ(m.value(2), 255.0f);
  for (float odd : {256.0f, 2.5f, 0.0f, -0.0f, -1.0f, std::numeric_limits<float>::quiet_NaN()}) {
    CsrMatrix f;
    f.indptr = {0, 2};
    f.indices = {0, 1};
    f.values = {3.0f, odd};
    EXPECT_FALSE(compact_counts(f)) << odd;
    EXPECT_TRUE(f.counts.empty());
    ASSERT_EQ(f.values.size(), 2u);
    EXPECT_EQ(std::bit_cast<uint32_t>(f.values[1]), std::bit_cast<uint32_t>(odd));
  }
  CsrMatrix binary;
  binary.indptr = {0, 1};
  binary.indices = {4};
  EXPECT_FALSE(compact_counts(binary));
  EXPECT_TRUE(binary.binary());
}

// In slices (a unit of work per step), the compactor keeps the matrix (the counts as bytes), leaves
// what compact_counts does at once, takes many steps on a large matrix and trims every array to its
// size; with a value that is not a count the floats stay, trimmed.
TEST(CsrCompactor, InSlicesAsAtOnceAndTrimmed) {
  for (bool counts : {true, false}) {
    CsrMatrix m;
    m.indptr.reserve(40000);
    m.indices.reserve(700000);
    m.values.reserve(700000);
    for (uint32_t r = 0; r < 30000; ++r) {
      for (uint32_t k = 0; k < 1 + r % 37; ++k) {
        m.indices.push_back((r * 7 + k * 13) % 5000);
        m.values.push_back(static_cast<float>(1 + (r + k) % 200));
      }
      m.indptr.push_back(m.indices.size());
    }
    if (!counts) m.values[12345] = 0.5f;
    const CsrMatrix before = m;
    CsrMatrix once = m;
    EXPECT_EQ(compact_counts(once), counts);
    CsrCompactor c(m);
    const int steps = testing::step_to_end(c);
    EXPECT_GT(steps, 10);
    EXPECT_EQ(c.moved(), counts);
    EXPECT_EQ(m.indptr, once.indptr);
    EXPECT_EQ(m.indices, once.indices);
    EXPECT_EQ(m.values, once.values);
    EXPECT_EQ(m.counts, once.counts);
    EXPECT_EQ(m.indptr, before.indptr);
    EXPECT_EQ(m.indices, before.indices);
    if (counts) {
      EXPECT_TRUE(m.values.empty());
      EXPECT_EQ(m.counts, std::vector<uint8_t>(before.values.begin(), before.values.end()));
    } else {
      EXPECT_TRUE(m.counts.empty());
      EXPECT_EQ(m.values, before.values);
    }
    EXPECT_EQ(m.indices.capacity(), m.indices.size());
    EXPECT_EQ(m.indptr.capacity(), m.indptr.size());
    EXPECT_EQ(m.values.capacity(), m.values.size());
  }
}

TEST(CollapseRows, EmptyRowsFormOneGroup) {
  const Catalogue c = tie_heavy_catalogue(3, 1);
  CsrMatrix m;
  m.n_cols = 2;
  m.indptr = {0, 0, 0, 0};
  const Groups g = collapse_rows(m, c);
  EXPECT_EQ(g.size(), 1u);
  EXPECT_EQ(g.weight(0), 3u);
  EXPECT_EQ(g.postings_ptr, (std::vector<uint64_t>{0, 0, 0}));
}

}  // namespace
}  // namespace hfrec
