// IndexBuilder: the sliced build equals the one-shot build bit for bit, cancels, reports monotone
// progress, and keeps each step within its work budget.
#include "core/index_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>

#include "bench/catalogue_gen.h"
#include "core/text.h"
#include "test_util.h"

namespace hfrec {
namespace {

// The one-shot feature code as it was before the builders (commit 439c9bb), copied unchanged as the
// reference the resumable code must reproduce exactly.
namespace legacy {

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

void build_postings(Groups& g) {
  const CsrMatrix& m = g.rows;
  g.postings_ptr.assign(m.n_cols + 1, 0);
  for (uint32_t c : m.indices) ++g.postings_ptr[c + 1];
  for (size_t c = 0; c < m.n_cols; ++c) g.postings_ptr[c + 1] += g.postings_ptr[c];
  g.postings.resize(m.nnz());
  if (!m.values.empty()) g.posting_values.resize(m.nnz());
  std::vector<uint64_t> fill(g.postings_ptr.begin(), g.postings_ptr.end() - 1);
  for (uint32_t r = 0; r < m.rows(); ++r)
    for (uint64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) {
      uint64_t at = fill[m.indices[k]]++;
      g.postings[at] = r;
      if (!m.values.empty()) g.posting_values[at] = m.values[k];
    }
}

std::vector<uint32_t> tie_order(const Catalogue& cat) {
  std::vector<uint32_t> order(cat.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (cat.downloads[a] != cat.downloads[b]) return cat.downloads[a] > cat.downloads[b];
    return cat.id(a) < cat.id(b);
  });
  return order;
}

Groups collapse_rows(const CsrMatrix& m, const Catalogue& cat, const std::vector<uint32_t>* order_in) {
  Groups g;
  const auto n = static_cast<uint32_t>(m.rows());
  // Open addressing over row hashes (a node-based map costs an allocation per distinct row).
  const RowHash hasher{&m};
  const RowEq equal{&m};
  size_t cap = 1024;
  while (cap < size_t(n) * 2) cap *= 2;
  std::vector<uint32_t> slots(cap, kMissing);  // group id
  std::vector<uint64_t> group_hash;
  g.group_of.resize(n);
  std::vector<uint32_t> first;
  for (uint32_t r = 0; r < n; ++r) {
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
    g.group_of[r] = slots[i];
  }
  const size_t G = first.size();
  g.member_ptr.assign(G + 1, 0);
  for (uint32_t r = 0; r < n; ++r) ++g.member_ptr[g.group_of[r] + 1];
  for (size_t k = 0; k < G; ++k) g.member_ptr[k + 1] += g.member_ptr[k];
  g.members.resize(n);
  std::vector<uint32_t> fill(g.member_ptr.begin(), g.member_ptr.end() - 1);
  // Rows in tie order: downloads desc, then modelId asc.
  std::vector<uint32_t> own;
  if (!order_in) own = legacy::tie_order(cat);
  const std::vector<uint32_t>& order = order_in ? *order_in : own;
  for (uint32_t r : order) g.members[fill[g.group_of[r]]++] = r;
  g.rows.n_cols = m.n_cols;
  g.rows.indptr.assign(1, 0);
  for (uint32_t r : first) {
    for (uint64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) {
      g.rows.indices.push_back(m.indices[k]);
      if (!m.values.empty()) g.rows.values.push_back(m.values[k]);
    }
    g.rows.indptr.push_back(g.rows.indices.size());
  }
  build_postings(g);
  return g;
}

// per_row: when given, receives the one-hot with one row per catalogue row.
AttributeSpace build_attributes(const Catalogue& cat, const std::vector<uint32_t>* order,
                                CsrMatrix* per_row = nullptr) {
  AttributeSpace a;
  const uint32_t n = static_cast<uint32_t>(cat.size());
  const std::vector<uint32_t>* cols[4] = {&cat.pipeline_tag, &cat.architectures_category, &cat.model_type,
                                          &cat.library_name};
  // Column per (field, pool id), ordered by field then value text.
  std::vector<std::vector<uint32_t>> col_of(4);
  bool present[4];
  for (int f = 0; f < 4; ++f) present[f] = cat.has_column(kAttributeFields[f]);
  for (int f = 0; f < 4; ++f) {
    col_of[f].assign(cat.pool.size(), kMissing);
    if (!present[f]) continue;
    std::vector<uint32_t> vals;
    std::vector<uint8_t> present(cat.pool.size(), 0);
    for (uint32_t r = 0; r < n; ++r) {
      uint32_t v = (*cols[f])[r];
      if (v != kMissing && !present[v]) {
        present[v] = 1;
        vals.push_back(v);
      }
    }
    std::sort(vals.begin(), vals.end(), [&](uint32_t x, uint32_t y) { return cat.pool.str(x) < cat.pool.str(y); });
    for (uint32_t v : vals) {
      auto c = static_cast<uint32_t>(a.names.size());
      col_of[f][v] = c;
      a.names.push_back(std::string(kAttributeFields[f]) + "_" + std::string(cat.pool.str(v)));
      a.values.emplace_back(cat.pool.str(v));
      a.field.push_back(static_cast<uint8_t>(f));
      a.index.emplace(a.names.back(), c);
    }
  }
  CsrMatrix matrix;
  matrix.n_cols = static_cast<uint32_t>(a.names.size());
  matrix.indptr.reserve(n + 1);
  matrix.indices.reserve(size_t(n) * 4);
  for (uint32_t r = 0; r < n; ++r) {
    for (int f = 0; f < 4; ++f) {
      uint32_t v = (*cols[f])[r];
      if (v != kMissing && present[f]) matrix.indices.push_back(col_of[f][v]);
    }
    matrix.indptr.push_back(matrix.indices.size());
  }
  a.groups = legacy::collapse_rows(matrix, cat, order);
  if (per_row) *per_row = std::move(matrix);
  return a;
}

// per_row: when given, receives the counts with one row per catalogue row.
SoupSpace build_soup(const Catalogue& cat, const std::vector<uint32_t>* row_order, CsrMatrix* per_row = nullptr) {
  SoupSpace s;
  const uint32_t n = static_cast<uint32_t>(cat.size());
  // First pass: provisional term ids in order of appearance. Values repeat across rows (tags,
  // libraries), so each pool string is tokenized once per mode and the token ids are cached.
  std::unordered_map<std::string, uint32_t> prov;
  std::vector<std::string> prov_terms;
  std::vector<uint64_t> indptr{0};
  std::vector<uint32_t> toks;
  const uint32_t nan_term = 0;
  prov.emplace("nan", 0);
  prov_terms.push_back("nan");
  // cache[mode][pool id] -> range in cache_toks; mode 0: list item (punctuation deleted), 1: value.
  std::vector<uint32_t> cache_begin[2], cache_end[2];
  for (int mode = 0; mode < 2; ++mode) {
    cache_begin[mode].assign(cat.pool.size(), kMissing);
    cache_end[mode].assign(cat.pool.size(), 0);
  }
  std::vector<uint32_t> cache_toks;
  auto tokens_of = [&](uint32_t v, int mode) {
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
  };
  auto add_list = [&](const ListColumn& col, uint32_t r) {
    if (col.missing[r]) {
      toks.push_back(nan_term);
      return;
    }
    for (const uint32_t* p = col.begin(r); p != col.end(r); ++p) tokens_of(*p, 0);
  };
  auto add_value = [&](uint32_t v) {
    if (v == kMissing) toks.push_back(nan_term);
    else tokens_of(v, 1);
  };
  toks.reserve(size_t(n) * 24);
  const bool has_tags = cat.has_column("tags"), has_task = cat.has_column("pipeline_tag"),
             has_author = cat.has_column("author"), has_arch = cat.has_column("architectures"),
             has_type = cat.has_column("model_type"), has_lib = cat.has_column("library_name");
  for (uint32_t r = 0; r < n; ++r) {  // the same fields, in the same order, as soup_tokens()
    if (has_tags) add_list(cat.tags, r);
    if (has_task) add_value(cat.pipeline_tag[r]);
    if (has_author) add_value(cat.author[r]);
    if (has_arch) add_list(cat.architectures, r);
    if (has_type) add_value(cat.model_type[r]);
    if (has_lib) add_value(cat.library_name[r]);
    indptr.push_back(toks.size());
  }
  bool nan_used = false;
  for (uint32_t t : toks) nan_used |= t == nan_term;
  if (!nan_used) {  // "nan" is only a term when some cell was missing
    for (uint32_t& t : toks) --t;
    prov_terms.erase(prov_terms.begin());
  }
  // Sorted vocabulary, as CountVectorizer orders it.
  std::vector<uint32_t> order(prov_terms.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return prov_terms[a] < prov_terms[b]; });
  std::vector<uint32_t> remap(prov_terms.size());
  s.terms.resize(prov_terms.size());
  for (uint32_t k = 0; k < order.size(); ++k) {
    remap[order[k]] = k;
    s.terms[k] = std::move(prov_terms[order[k]]);
  }
  // Counts per row.
  CsrMatrix counts;
  counts.n_cols = static_cast<uint32_t>(s.terms.size());
  counts.indptr.reserve(n + 1);
  std::vector<uint32_t> row;
  std::vector<uint32_t> df(s.terms.size(), 0);
  for (uint32_t r = 0; r < n; ++r) {
    row.clear();
    for (uint64_t k = indptr[r]; k < indptr[r + 1]; ++k) row.push_back(remap[toks[k]]);
    std::sort(row.begin(), row.end());
    for (size_t k = 0; k < row.size();) {
      size_t e = k;
      while (e < row.size() && row[e] == row[k]) ++e;
      counts.indices.push_back(row[k]);
      counts.values.push_back(static_cast<float>(e - k));
      ++df[row[k]];
      k = e;
    }
    counts.indptr.push_back(counts.indices.size());
  }
  s.idf.resize(s.terms.size());
  for (size_t t = 0; t < s.terms.size(); ++t) s.idf[t] = std::log((1.0 + n) / (1.0 + df[t])) + 1.0;
  s.groups = legacy::collapse_rows(counts, cat, row_order);
  if (per_row) *per_row = counts;
  const size_t G = s.groups.size();
  s.group_count_sq.assign(G, 0.0);
  s.group_tfidf_sq.assign(G, 0.0);
  for (size_t g = 0; g < G; ++g)
    for (uint64_t k = s.groups.rows.indptr[g]; k < s.groups.rows.indptr[g + 1]; ++k) {
      double c = s.groups.rows.values[k];
      double w = c * s.idf[s.groups.rows.indices[k]];
      s.group_count_sq[g] += c * c;
      s.group_tfidf_sq[g] += w * w;
    }
  return s;
}

}  // namespace legacy

// --- catalogues --------------------------------------------------------------------------------

// Random records over vocabularies of the given size: skewed downloads (many ties broken by id),
// missing cells, empty lists, repeated rows.
std::vector<ModelRecord> random_records(uint32_t n, uint64_t seed, uint32_t vocab) {
  std::mt19937_64 rng(seed);
  auto word = [&](const char* prefix, uint32_t size) {
    // Zipf-like: small ids far more often.
    uint64_t x = rng() % (uint64_t(size) * size);
    auto id = static_cast<uint32_t>(std::sqrt(static_cast<double>(x)));
    return std::string(prefix) + std::to_string(size - 1 - std::min(id, size - 1));
  };
  std::vector<ModelRecord> rs;
  rs.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    ModelRecord r;
    r.author = rng() % 7 == 0 ? "" : word("org", vocab / 4 + 2);
    r.id = (r.author.empty() ? std::string("solo") : r.author) + "/model-" + std::to_string(i) + "-" +
           std::to_string(rng() % 1000);
    r.pipeline_tag = rng() % 5 == 0 ? "" : word("task-", 12);
    r.model_type = rng() % 4 == 0 ? "" : word("Type_", 20);
    r.library_name = rng() % 3 == 0 ? "" : word("lib.", 6);
    r.architectures_missing = rng() % 4 == 0;
    if (!r.architectures_missing) {
      int na = static_cast<int>(rng() % 3);
      for (int k = 0; k < na; ++k) r.architectures.push_back(word("ArchFor", 30));
    }
    r.tags_missing = rng() % 20 == 0;
    if (!r.tags_missing) {
      int nt = static_cast<int>(rng() % 9);
      for (int k = 0; k < nt; ++k) {
        std::string t = word("tag", vocab);
        if (k % 3 == 1) t = "dataset:" + t;
        if (k % 4 == 2) t += "-x NaN";
        r.tags.push_back(t);
      }
    }
    r.downloads = rng() % 3 == 0 ? 0 : static_cast<int64_t>(rng() % 50) * static_cast<int64_t>(rng() % 50);
    rs.push_back(std::move(r));
  }
  return rs;
}

Catalogue random_catalogue(uint32_t n, uint64_t seed, uint32_t vocab = 40, std::vector<std::string> columns = {}) {
  return make_catalogue(random_records(n, seed, vocab), "random", std::move(columns));
}

// --- comparisons -------------------------------------------------------------------------------

template <class T>
::testing::AssertionResult same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return ::testing::AssertionFailure() << "sizes " << a.size() << " and " << b.size();
  if (!a.empty() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) != 0)
    return ::testing::AssertionFailure() << "contents differ";
  return ::testing::AssertionSuccess();
}

void expect_same(const CsrMatrix& a, const CsrMatrix& b) {
  EXPECT_EQ(a.n_cols, b.n_cols);
  EXPECT_TRUE(same_bits(a.indptr, b.indptr));
  EXPECT_TRUE(same_bits(a.indices, b.indices));
  // The values as read: the legacy soup keeps floats where the builder keeps counts.
  ASSERT_EQ(a.nnz(), b.nnz());
  size_t differ = 0;
  for (size_t k = 0; k < a.nnz(); ++k)
    differ += std::bit_cast<uint32_t>(a.value(k)) != std::bit_cast<uint32_t>(b.value(k));
  EXPECT_EQ(differ, 0u);
}

void expect_same(const Groups& a, const Groups& b) {
  EXPECT_TRUE(same_bits(a.group_of, b.group_of));
  EXPECT_TRUE(same_bits(a.member_ptr, b.member_ptr));
  EXPECT_TRUE(same_bits(a.members, b.members));
  expect_same(a.rows, b.rows);
  EXPECT_TRUE(same_bits(a.postings_ptr, b.postings_ptr));
  EXPECT_TRUE(same_bits(a.postings, b.postings));
  ASSERT_EQ(a.postings.size(), b.postings.size());
  size_t differ = 0;
  for (size_t k = 0; k < a.postings.size(); ++k) differ += a.posting_value(k) != b.posting_value(k);
  EXPECT_EQ(differ, 0u);
}

void expect_same(const AttributeSpace& a, const AttributeSpace& b) {
  EXPECT_EQ(a.names, b.names);
  EXPECT_EQ(a.field, b.field);
  EXPECT_EQ(a.values, b.values);
  EXPECT_EQ(a.index, b.index);
  expect_same(a.groups, b.groups);
}

void expect_same(const SoupSpace& a, const SoupSpace& b) {
  EXPECT_EQ(a.terms, b.terms);
  EXPECT_TRUE(same_bits(a.idf, b.idf));
  expect_same(a.groups, b.groups);
  EXPECT_TRUE(same_bits(a.group_count_sq, b.group_count_sq));
  EXPECT_TRUE(same_bits(a.group_tfidf_sq, b.group_tfidf_sq));
}

// The index against the pre-builder one-shot functions.
void expect_matches_legacy(const Index& idx) {
  const Catalogue& c = idx.catalogue();
  const std::vector<uint32_t> order = legacy::tie_order(c);
  EXPECT_EQ(idx.tie_order(), order);
  {
    SCOPED_TRACE("attributes");
    expect_same(idx.attributes(), legacy::build_attributes(c, &order));
  }
  {
    SCOPED_TRACE("soup");
    expect_same(idx.soup(), legacy::build_soup(c, &order));
  }
}

// The most work one piece of an index build may be (index_builder.h): a batch of 1024 rows, of
// 16384 flat array elements or of 2^18 zero-filled elements.
constexpr uint64_t kPieceBound = 1024;

// Runs a builder in steps of `budget` work units (SliceTimer), checking progress on the way.
struct BuildRun {
  size_t steps = 0;
  uint64_t total = 0, max_step = 0, max_piece = 0;  // work units
  std::string largest_piece_stage;                  // the stage the largest piece started in
  std::unique_ptr<Index> index;
};
BuildRun build(Catalogue cat, uint64_t budget) {
  BuildRun run;
  IndexBuilder b(std::move(cat));
  EXPECT_LT(b.progress(), 1.0);  // 0 unless the catalogue is empty
  double last = b.progress();
  for (;;) {
    const std::string stage = b.stage();
    const SliceTimer t = SliceTimer::work(budget);
    const bool done = b.step(t);
    if (t.largest_piece() > run.max_piece) {
      run.max_piece = t.largest_piece();
      run.largest_piece_stage = stage;
    }
    run.max_step = std::max(run.max_step, t.charged());
    run.total += t.charged();
    ++run.steps;
    const double p = b.progress();
    EXPECT_GE(p, last) << "progress went back at step " << run.steps << " (" << b.stage() << ")";
    EXPECT_LE(p, 1.0);
    last = p;
    EXPECT_FALSE(b.stage().empty());
    if (done) break;
  }
  EXPECT_EQ(b.progress(), 1.0);
  auto r = b.take();
  EXPECT_TRUE(r.ok());
  if (r.ok()) run.index = std::move(r).value();
  return run;
}

// The work a whole build does: every step under one timer that never expires.
uint64_t total_work(Catalogue cat) {
  IndexBuilder b(std::move(cat));
  const SliceTimer t = SliceTimer::work(std::numeric_limits<uint64_t>::max());
  while (!b.step(t)) {}
  return t.charged();
}

// The slicing of a run: no piece over kPieceBound, no step past its budget by more than a piece.
void expect_within_budget(const BuildRun& run, uint64_t budget) {
  EXPECT_LE(run.max_piece, kPieceBound) << "a piece of work between two deadline checks is too large (in '"
                                        << run.largest_piece_stage << "')";
  // A step ends at its first deadline check at or past the budget.
  EXPECT_LE(run.max_step, run.max_piece + (budget ? budget - 1 : 0)) << "a step went on past its budget";
}

void expect_same_recommendations(const Index& a, const Index& b, size_t queries, uint64_t seed) {
  const uint32_t n = static_cast<uint32_t>(a.catalogue().size());
  ASSERT_EQ(n, b.catalogue().size());
  if (n == 0) return;
  std::mt19937_64 rng(seed);
  for (size_t q = 0; q < queries; ++q) {
    const uint32_t row = static_cast<uint32_t>(rng() % n);
    for (Method m : {Method::jaccard, Method::cosine, Method::tfidf, Method::knn, Method::kmeans}) {
      RecommendParams p;
      p.method = m;
      p.k = 1 + rng() % 20;
      p.kmeans_k = 4;
      auto ra = a.recommend_row(row, p), rb = b.recommend_row(row, p);
      ASSERT_EQ(ra.ok(), rb.ok());
      if (!ra.ok()) continue;
      ASSERT_EQ(ra.value().size(), rb.value().size());
      for (size_t i = 0; i < ra.value().size(); ++i) {
        const Recommendation &x = ra.value()[i], &y = rb.value()[i];
        EXPECT_EQ(x.row, y.row) << method_name(m) << " query row " << row << " rank " << i;
        EXPECT_EQ(x.score, y.score);
        EXPECT_EQ(x.distance, y.distance);
        EXPECT_EQ(x.shared, y.shared);
      }
    }
  }
  AdhocQuery q;
  q.pipeline_tag = "task-3";
  q.library_name = "lib.1";
  q.text = "tag1 tag2 nan";
  for (Method m : {Method::jaccard, Method::cosine, Method::tfidf, Method::knn}) {
    RecommendParams p;
    p.method = m;
    auto ra = a.recommend_adhoc(q, p), rb = b.recommend_adhoc(q, p);
    ASSERT_EQ(ra.ok(), rb.ok());
    if (!ra.ok()) continue;
    ASSERT_EQ(ra.value().size(), rb.value().size());
    for (size_t i = 0; i < ra.value().size(); ++i) EXPECT_EQ(ra.value()[i].row, rb.value()[i].row);
  }
}

// --- tests -------------------------------------------------------------------------------------

TEST(IndexBuilder, SlicedBuildEqualsOneShotAndLegacyOnRandomCatalogues) {
  const std::vector<std::string> no_tags = {"modelId",    "pipeline_tag", "author",      "architectures",
                                            "model_type", "downloads",    "library_name"};
  struct Case {
    uint32_t n;
    uint32_t vocab;
    std::vector<std::string> columns;
  };
  const std::vector<Case> cases = {{0, 10, {}},    {1, 10, {}},     {37, 5, {}},         {300, 40, {}},
                                   {1500, 15, {}}, {4000, 400, {}}, {2500, 60, no_tags}, {5000, 2000, {}}};
  uint64_t seed = 11;
  for (const Case& cs : cases) {
    SCOPED_TRACE("n=" + std::to_string(cs.n) + " vocab=" + std::to_string(cs.vocab));
    // Budget 0: every step does one piece, so every stage stops and resumes many times.
    for (uint64_t budget : {0u, 3000u}) {
      BuildRun sliced = build(random_catalogue(cs.n, seed, cs.vocab, cs.columns), budget);
      ASSERT_TRUE(sliced.index);
      expect_within_budget(sliced, budget);
      Index whole(random_catalogue(cs.n, seed, cs.vocab, cs.columns));
      expect_matches_legacy(*sliced.index);
      expect_same(sliced.index->attributes(), whole.attributes());
      expect_same(sliced.index->soup(), whole.soup());
      EXPECT_EQ(sliced.index->tie_order(), whole.tie_order());
      expect_same_recommendations(*sliced.index, whole, 40, seed);
    }
    ++seed;
  }
}

// With the soup left for later (the app's load): the attribute methods answer without building
// it; cosine, tfidf or soup() build it on first use, or Index::step_soup in slices; either way the
// soup and every method's lists equal the index built at once.
TEST(IndexBuilder, ASoupLeftForLaterIsTheSameBuiltOnFirstUseOrInSlices) {
  const uint64_t seed = 29;
  const Index whole(random_catalogue(3000, seed, 300));
  for (bool in_slices : {false, true}) {
    SCOPED_TRACE(in_slices ? "in slices" : "on first use");
    IndexBuilder b(random_catalogue(3000, seed, 300), IndexBuilder::SoupWhen::later);
    run_to_end(b);
    EXPECT_EQ(b.progress(), 1.0);
    auto taken = b.take();
    ASSERT_TRUE(taken.ok()) << taken.error();
    Index& idx = *taken.value();
    EXPECT_FALSE(idx.has_soup());
    for (Method m : {Method::jaccard, Method::knn, Method::kmeans}) {
      RecommendParams p;
      p.method = m;
      p.kmeans_k = 4;
      auto got = idx.recommend_row(7, p), want = whole.recommend_row(7, p);
      ASSERT_TRUE(got.ok() && want.ok());
      ASSERT_EQ(got.value().size(), want.value().size()) << method_name(m);
      for (size_t i = 0; i < got.value().size(); ++i) EXPECT_EQ(got.value()[i].row, want.value()[i].row);
    }
    EXPECT_FALSE(idx.has_soup()) << "the attribute methods do not build it";
    if (in_slices) {
      int steps = 0;
      double last = 0;
      while (!idx.step_soup(SliceTimer::work(0))) {
        ++steps;
        EXPECT_GE(idx.soup_progress(), last);
        last = idx.soup_progress();
        EXPECT_NE(idx.soup_stage(), "ready");
      }
      EXPECT_GT(steps, 10);
      EXPECT_TRUE(idx.has_soup());
    }
    expect_same_recommendations(idx, whole, 40, seed);  // on first use: its first cosine query builds it
    EXPECT_TRUE(idx.has_soup());
    expect_same(idx.soup(), whole.soup());
  }
}

TEST(IndexBuilder, OneShotWrappersEqualLegacy) {
  Catalogue c = random_catalogue(3000, 5, 300);
  EXPECT_EQ(tie_order(c), legacy::tie_order(c));
  expect_same(build_attributes(c), legacy::build_attributes(c, nullptr));
  expect_same(build_soup(c), legacy::build_soup(c, nullptr));
  // The groups are all an index keeps: written out per row they are the per-row matrices the
  // notebook's way builds, and grouping those again gives the same groups.
  CsrMatrix legacy_onehot, legacy_counts;
  legacy::build_attributes(c, nullptr, &legacy_onehot);
  legacy::build_soup(c, nullptr, &legacy_counts);
  AttributeSpace a = build_attributes(c);
  SoupSpace s = build_soup(c);
  expect_same(expand_rows(a.groups), legacy_onehot);
  expect_same(expand_rows(s.groups), legacy_counts);
  EXPECT_EQ(a.groups.expanded_nnz(), legacy_onehot.nnz());
  EXPECT_EQ(s.groups.expanded_nnz(), legacy_counts.nnz());
  expect_same(collapse_rows(legacy_counts, c), legacy::collapse_rows(legacy_counts, c, nullptr));
  expect_same(collapse_rows(expand_rows(s.groups), c), s.groups);
}

TEST(IndexBuilder, SlicedBuildEqualsOneShotOnTheRealCatalogue) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto loaded = load_catalogue_file(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  auto again = load_catalogue_file(path);
  ASSERT_TRUE(again.ok());
  BuildRun sliced = build(std::move(loaded).value(), 3000);
  ASSERT_TRUE(sliced.index);
  expect_within_budget(sliced, 3000);
  EXPECT_GT(sliced.steps, 10u);
  Index whole(std::move(again).value());
  expect_matches_legacy(*sliced.index);
  expect_same(sliced.index->attributes(), whole.attributes());
  expect_same(sliced.index->soup(), whole.soup());
  expect_same_recommendations(*sliced.index, whole, 150, 3);
}

TEST(IndexBuilder, CancelStopsAndTakeSaysSo) {
  IndexBuilder b(random_catalogue(20000, 2, 200));
  EXPECT_FALSE(b.step(SliceTimer::work(0)));
  EXPECT_FALSE(b.step(SliceTimer::work(0)));
  b.cancel();
  EXPECT_TRUE(b.cancelled());
  const SliceTimer after = SliceTimer::work(100000);
  EXPECT_TRUE(b.step(after));
  EXPECT_EQ(after.charged(), 0u) << "the step after cancel() does no work";
  EXPECT_TRUE(b.step(SliceTimer::work(100000)));
  auto r = b.take();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "indexing was cancelled");
  EXPECT_EQ(b.stage(), "cancelled");

  IndexBuilder before(random_catalogue(100, 2));
  before.cancel();
  EXPECT_TRUE(before.step(SliceTimer::work(100000)));
  EXPECT_FALSE(before.take().ok());
}

TEST(IndexBuilder, TakeOnlyOnceAndOnlyWhenFinished) {
  IndexBuilder b(random_catalogue(20000, 4, 200));
  EXPECT_FALSE(b.step(SliceTimer::work(0)));
  auto early = b.take();
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error(), "indexing is not finished: call step() until it returns true");
  run_to_end(b);
  EXPECT_EQ(b.progress(), 1.0);
  auto r = b.take();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()->catalogue().size(), 20000u);
  auto twice = b.take();
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error(), "the index was already taken");
}

TEST(IndexBuilder, ProgressIsMonotoneAndStagesAreNamed) {
  IndexBuilder b(random_catalogue(30000, 8, 500));
  double last = b.progress();
  std::vector<std::string> stages;
  while (!b.step(SliceTimer::work(0))) {
    EXPECT_GE(b.progress(), last);
    last = b.progress();
    if (stages.empty() || stages.back() != b.stage()) stages.push_back(b.stage());
  }
  EXPECT_EQ(b.progress(), 1.0);
  EXPECT_EQ(stages.front(), "sorting models by downloads");
  EXPECT_NE(std::find(stages.begin(), stages.end(), "soup: tokenizing"), stages.end());
  EXPECT_NE(std::find(stages.begin(), stages.end(), "attributes: one-hot"), stages.end());
}

// A large catalogue: the build takes many steps, none past its budget by more than a piece, every
// piece within kPieceBound, and slicing neither adds nor skips work (the machine-independent form of
// "each step stays within a frame"; the times are in tests/bench, slices/index/<size>).
TEST(IndexBuilder, StepsStayWithinTheirWorkBudgetOn200kRows) {
  Catalogue c = random_catalogue(200000, 77, 20000);
  ASSERT_EQ(c.size(), 200000u);
  const uint64_t whole = total_work(random_catalogue(200000, 77, 20000));
  constexpr uint64_t kBudget = 8192;
  BuildRun run = build(std::move(c), kBudget);
  ASSERT_TRUE(run.index);
  expect_within_budget(run, kBudget);
  EXPECT_EQ(run.total, whole) << "slicing adds or skips work";
  EXPECT_GE(run.total, 3 * 200000u) << "every row is handled by the tie order, attributes and soup";
  EXPECT_GE(run.steps, run.total / (kBudget + kPieceBound));
  EXPECT_GT(run.steps, 100u);
}

// A catalogue generated the way the benchmarks make theirs (tests/bench/catalogue_gen.h, scaled from
// the committed web/catalogue.csv so it runs everywhere): the sliced build equals the legacy one-shot
// code, within its work budget.
TEST(IndexBuilder, LargeGeneratedCatalogueEqualsLegacy) {
  bench::SourceCatalogue src;
  std::string error;
  ASSERT_TRUE(bench::read_source_csv(std::string(HFREC_SOURCE_DIR) + "/web/catalogue.csv", src, error)) << error;
  bench::GenParams gp;
  gp.rows = 60000;
  gp.seed = 3;
  std::ostringstream csv;
  bench::generate(src, gp, bench::GenFormat::csv, csv);
  auto loaded = load_catalogue(csv.str(), "generated-60k.csv");
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  ASSERT_EQ(loaded.value().size(), 60000u);
  BuildRun run = build(std::move(loaded).value(), 8192);
  ASSERT_TRUE(run.index);
  expect_within_budget(run, 8192);
  EXPECT_GT(run.steps, 50u);
  const Catalogue& c = run.index->catalogue();
  const std::vector<uint32_t> order = legacy::tie_order(c);
  EXPECT_EQ(tie_order(c), order);
  EXPECT_EQ(run.index->tie_order(), order);
  AttributeSpace la = legacy::build_attributes(c, &order);
  expect_same(build_attributes(c, &order), la);
  expect_same(run.index->attributes(), la);
  SoupSpace ls = legacy::build_soup(c, &order);
  expect_same(build_soup(c, &order), ls);
  expect_same(run.index->soup(), ls);
}

}  // namespace
}  // namespace hfrec
