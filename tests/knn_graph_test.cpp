// kNN graph: the exact neighbours of every group against a brute-force oracle over dense rows
// (written here, not the code under test), sliced equal to run-to-end, and the feature spaces of a
// real index scoring as their recommenders do.
#include "core/knn_graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/catalogue.h"
#include "core/kmeans.h"
#include "core/recommender.h"
#include "test_util.h"

namespace hfrec {
namespace {

struct Case {
  Catalogue cat;
  CsrMatrix m;
  Groups groups;
};

// n rows over d columns, small integer values, a quarter of the later rows copies of earlier ones
// (identical rows: groups of several rows), some rows empty. The first `common` columns are held by
// about three rows in four (the rest by one in four); with a `period`, every period-th of them is
// not (a rare column between runs of common ones).
Case make_case(uint64_t seed, size_t n, size_t d, bool binary, size_t common = 0, size_t period = 0) {
  Case c;
  ClusterRng rng(seed);
  std::vector<ModelRecord> recs(n);
  std::vector<std::vector<double>> dense(n, std::vector<double>(d, 0.0));
  for (size_t i = 0; i < n; ++i) {
    recs[i].id = "m" + std::to_string(i);
    recs[i].downloads = static_cast<int64_t>(rng.below(1000));
    if (i >= n / 2 && rng.below(4) == 0) {
      dense[i] = dense[rng.below(n / 2)];
      continue;
    }
    if (rng.below(20) == 0) continue;  // an empty row
    for (size_t j = 0; j < d; ++j)
      dense[i][j] = ((j < common && (period == 0 || j % period != period - 1)) ? rng.below(4) != 0 : rng.below(4) == 0)
                        ? (binary ? 1.0 : double(1 + rng.below(3)))
                        : 0.0;
  }
  c.cat = make_catalogue(recs);
  c.m.n_cols = static_cast<uint32_t>(d);
  for (const auto& r : dense) {
    for (uint32_t j = 0; j < d; ++j)
      if (r[j] != 0) {
        c.m.indices.push_back(j);
        if (!binary) c.m.values.push_back(static_cast<float>(r[j]));
      }
    c.m.indptr.push_back(c.m.indices.size());
  }
  c.groups = collapse_rows(c.m, c.cat);
  return c;
}

// The oracle: the documented similarity over dense group rows, every pair, sorted.
struct Oracle {
  std::vector<std::vector<double>> rows;  // per group, dense
  std::vector<double> colw, scale, bias;
  double sim(size_t a, size_t b) const {
    double dot = 0, na = 0, nb = 0;
    for (size_t t = 0; t < colw.size(); ++t) {
      na += rows[a][t] * rows[a][t] * colw[t];
      nb += rows[b][t] * rows[b][t] * colw[t];
      // The dot's terms: the lower id's value · weight, times the higher id's (symmetric bits).
      const size_t lo = std::min(a, b), hi = std::max(a, b);
      const double w = rows[lo][t] * colw[t];
      if (rows[a][t] != 0 && rows[b][t] != 0 && w != 0) dot += w * rows[hi][t];
    }
    double s = na * nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
    if (!scale.empty()) s *= scale[a];
    if (!bias.empty()) s += bias[b];
    return s;
  }
};

Oracle oracle_of(const Groups& g, const std::vector<double>& colw) {
  Oracle o;
  o.colw = colw;
  o.rows.assign(g.size(), std::vector<double>(colw.size(), 0.0));
  for (size_t x = 0; x < g.size(); ++x)
    for (uint64_t q = g.rows.indptr[x]; q < g.rows.indptr[x + 1]; ++q) o.rows[x][g.rows.indices[q]] = g.rows.value(q);
  return o;
}

void expect_graph_equals_oracle(const KnnGraph& got, const Groups& g, const Oracle& o, int k) {
  const size_t G = g.size();
  ASSERT_EQ(got.groups(), G);
  for (uint32_t a = 0; a < G; ++a) {
    std::vector<std::pair<double, uint32_t>> all;
    for (uint32_t b = 0; b < G; ++b)
      if (b != a) all.emplace_back(1.0 - o.sim(a, b), b);
    std::sort(all.begin(), all.end());
    std::vector<std::pair<double, uint32_t>> want;
    uint64_t rows = 0;
    for (size_t i = 0; i < all.size() && rows < uint64_t(k); ++i) {
      want.push_back(all[i]);
      rows += g.weight(all[i].second);
    }
    std::vector<std::pair<double, uint32_t>> have;
    for (uint64_t q = got.ptr[a]; q < got.ptr[a + 1]; ++q) have.emplace_back(got.dist[q], got.neighbour[q]);
    ASSERT_EQ(have, want) << "group " << a << " of " << G << ", k " << k;
  }
}

// The hybrid's form on a test space and its oracle: a per-query scale and a per-candidate prior
// (a third of the groups without one).
void give_scale_and_prior(SimilaritySpace& s, Oracle& o, ClusterRng& rng) {
  const size_t G = s.size();
  s.query_scale.resize(G);
  s.bias.resize(G);
  for (size_t g = 0; g < G; ++g) {
    s.query_scale[g] = 0.2 + rng.uniform();
    s.bias[g] = rng.below(3) == 0 ? 0.0 : 0.05 * rng.uniform();
  }
  o.scale = s.query_scale;
  o.bias = s.bias;
}

TEST(KnnGraph, ExactAgainstBruteForceOracle) {
  for (uint64_t seed : {1, 2, 3})
    for (bool binary : {true, false}) {
      Case c = make_case(seed, 300, 24, binary);
      ClusterRng rng(seed + 100);
      std::vector<double> colw(24);
      for (double& w : colw) w = binary ? 1.0 : 0.5 + rng.uniform() * 2;
      if (!binary) colw[3] = 0;  // a zero weight (the hybrid's model type)
      const SimilaritySpace s = cosine_space(c.groups, c.groups.rows, binary ? std::vector<double>{} : colw);
      const Oracle o = oracle_of(c.groups, colw);
      for (int k : {1, 5, 15}) expect_graph_equals_oracle(knn_graph(s, k), c.groups, o, k);
    }
}

TEST(KnnGraph, QueryScaleAndBiasAsTheHybrid) {
  // The hybrid's form: a per-query scale and a per-candidate prior, so untouched groups are ranked
  // by prior too.
  Case c = make_case(7, 250, 16, false);
  ClusterRng rng(8);
  std::vector<double> colw(16, 1.0);
  SimilaritySpace s = cosine_space(c.groups, c.groups.rows);
  Oracle o = oracle_of(c.groups, colw);
  give_scale_and_prior(s, o, rng);
  for (int k : {3, 10}) expect_graph_equals_oracle(knn_graph(s, k), c.groups, o, k);
}

// A case with d columns of which the first `common` (but every period-th) most groups hold, column
// weights, then a query scale and a prior: the graph's lists and bits against the oracle's.
void expect_common_columns_case(uint64_t seed, size_t d, size_t common, size_t period, size_t at_least) {
  for (bool binary : {true, false}) {
    Case c = make_case(seed, 300, d, binary, common, period);
    ClusterRng rng(seed + 50);
    std::vector<double> colw(d);
    for (double& w : colw) w = 0.5 + rng.uniform() * 2;
    SimilaritySpace s = cosine_space(c.groups, c.groups.rows, colw);
    size_t held = 0;
    for (size_t t = 0; t + 1 < s.col_ptr.size(); ++t) held += 2 * (s.col_ptr[t + 1] - s.col_ptr[t]) >= s.size();
    ASSERT_GE(held, at_least) << "the case must have columns most groups hold";
    Oracle o = oracle_of(c.groups, colw);
    expect_graph_equals_oracle(knn_graph(s, 10), c.groups, o, 10);
    give_scale_and_prior(s, o, rng);
    expect_graph_equals_oracle(knn_graph(s, 15), c.groups, o, 15);
  }
}

// Columns half the groups or more hold are added over all later groups from a dense copy, not
// through their postings: the same lists and bits as the oracle.
TEST(KnnGraph, CommonColumnsAddedDenseGiveTheOraclesLists) {
  for (uint64_t seed : {21, 22}) expect_common_columns_case(seed, 20, 5, 0, 3);
}

// A row's dense columns are added in runs, up to four a pass (knn_graph.cpp, add_columns): runs of
// one to five common columns with rare ones between them keep the oracle's order of additions.
TEST(KnnGraph, RunsOfCommonColumnsBetweenRareOnesGiveTheOraclesLists) {
  for (uint64_t seed : {31, 32}) expect_common_columns_case(seed, 26, 18, 6, 12);
}

TEST(KnnGraph, PairwiseSimilarityHasTheGraphsBits) {
  Case c = make_case(5, 200, 20, false);
  std::vector<double> colw(20, 1.7);
  const SimilaritySpace s = cosine_space(c.groups, c.groups.rows, colw);
  const KnnGraph g = knn_graph(s, 10);
  for (uint32_t a = 0; a < g.groups(); ++a)
    for (uint64_t q = g.ptr[a]; q < g.ptr[a + 1]; ++q) ASSERT_EQ(g.dist[q], s.distance(a, g.neighbour[q]));
}

TEST(KnnGraph, SlicedEqualsRunToEndAndPiecesAreBounded) {
  Case c = make_case(11, 400, 30, false);
  const SimilaritySpace s = cosine_space(c.groups, c.groups.rows);
  const KnnGraph whole = knn_graph(s, 10);
  KnnGraphRun run(s, 10);
  int steps = 0;
  uint64_t largest = 0;
  double last = 0;
  for (;;) {
    const SliceTimer t = SliceTimer::work(20);
    const bool done = run.step(t);
    largest = std::max(largest, t.largest_piece());
    EXPECT_GE(run.progress(), last);
    last = run.progress();
    ++steps;
    if (done) break;
  }
  EXPECT_GT(steps, 10);
  // One query at most: its postings (a column half the groups hold or more, added over all later
  // groups, at most twice its postings) and the groups it scores.
  EXPECT_LE(largest, 1 + (2 * s.col_groups.size() + c.groups.size() + 15) / 16);
  EXPECT_EQ(run.progress(), 1.0);
  const KnnGraph sliced = run.take();
  EXPECT_EQ(sliced.ptr, whole.ptr);
  EXPECT_EQ(sliced.neighbour, whole.neighbour);
  EXPECT_EQ(sliced.dist, whole.dist);
}

TEST(KnnGraph, SpacesScoreAsTheirRecommenders) {
  // For each row, its neighbours expanded to rows (identical rows first, at the self-distance) give
  // the distances of the recommender's ranked list: soup ~ cosine, tfidf ~ tfidf, hybrid ~ hybrid.
  auto loaded = load_catalogue_file(std::string(HFREC_SOURCE_DIR) + "/web/catalogue.csv");
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  Index idx(std::move(loaded).value());
  const std::pair<MapSpace, Method> cases[] = {
      {MapSpace::soup, Method::cosine}, {MapSpace::tfidf, Method::tfidf}, {MapSpace::hybrid, Method::hybrid}};
  for (auto [space, method] : cases) {
    const SimilaritySpace s = make_similarity_space(idx, space);
    const KnnGraph g = knn_graph(s, 5);
    for (uint32_t r = 0; r < idx.catalogue().size(); ++r) {
      const uint32_t x = s.groups->group_of[r];
      std::vector<double> dists(s.groups->weight(x) - 1, s.distance(x, x));
      for (uint64_t q = g.ptr[x]; q < g.ptr[x + 1]; ++q)
        dists.insert(dists.end(), s.groups->weight(g.neighbour[q]), g.dist[q]);
      std::sort(dists.begin(), dists.end());
      RecommendParams p;
      p.method = method;
      p.k = 5;
      auto rec = idx.recommend_row(r, p);
      ASSERT_TRUE(rec.ok());
      ASSERT_GE(dists.size(), rec.value().size());
      for (size_t i = 0; i < rec.value().size(); ++i)
        EXPECT_NEAR(dists[i], 1.0 - rec.value()[i].score, 1e-9) << map_space_name(space) << " row " << r << " #" << i;
    }
  }
}

// The spaces built in the smallest slices against the rule written out here: each group's norm
// (Σ value² · column weight; hybrid: 1), hybrid's rows from HybridModel::row_csr and row_weights,
// and the postings as per-column lists of (group, value) in group order, gathered by a map.
void expect_space_as_the_rule(const SimilaritySpace& s, const Groups& groups, const CsrMatrix& rows) {
  ASSERT_EQ(s.groups, &groups);
  const CsrMatrix& m = s.matrix();
  ASSERT_EQ(m.indptr, rows.indptr);
  ASSERT_EQ(m.indices, rows.indices);
  for (uint64_t q = 0; q < rows.nnz(); ++q) ASSERT_EQ(m.value(q), rows.value(q)) << q;
  std::map<uint32_t, std::vector<std::pair<uint32_t, float>>> by_column;
  for (uint32_t g = 0; g < rows.rows(); ++g) {
    double norm = 0;
    for (uint64_t q = rows.indptr[g]; q < rows.indptr[g + 1]; ++q) {
      const double w = s.column_weight.empty() ? 1.0 : s.column_weight[rows.indices[q]];
      norm += double(rows.value(q)) * rows.value(q) * w;
      by_column[rows.indices[q]].emplace_back(g, rows.value(q));
    }
    if (s.query_scale.empty()) {
      EXPECT_EQ(s.norm_sq[g], norm) << g;
    }
  }
  ASSERT_EQ(s.col_ptr.size(), size_t(m.n_cols) + 1);
  for (uint32_t c = 0; c < m.n_cols; ++c) {
    const auto it = by_column.find(c);
    const size_t n = it == by_column.end() ? 0 : it->second.size();
    ASSERT_EQ(s.col_ptr[c + 1] - s.col_ptr[c], n) << "column " << c;
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(s.col_groups[s.col_ptr[c] + i], it->second[i].first);
      EXPECT_EQ(s.col_values[s.col_ptr[c] + i], it->second[i].second);
    }
  }
}

TEST(SimilaritySpace, BuiltInSlicesAsTheRule) {
  std::vector<std::string> files = {std::string(HFREC_SOURCE_DIR) + "/web/catalogue.csv"};
  if (const std::string real = testing::shared_catalogue_path(); !real.empty()) files.push_back(real);
  for (const std::string& file : files) {
    auto loaded = load_catalogue_file(file);
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    Index idx(std::move(loaded).value());
    for (MapSpace space : {MapSpace::attributes, MapSpace::soup, MapSpace::tfidf, MapSpace::hybrid}) {
      SCOPED_TRACE(file + " " + map_space_name(space));
      SimilaritySpaceBuilder b(idx, space);
      EXPECT_GT(testing::step_to_end(b), 3);
      EXPECT_EQ(b.progress(), 1.0);
      const SimilaritySpace s = b.take();
      if (space != MapSpace::hybrid) {
        const Groups& g = space == MapSpace::attributes ? idx.attributes().groups : idx.soup().groups;
        EXPECT_EQ(s.rows, &g.rows);
        EXPECT_EQ(s.column_weight.size(), space == MapSpace::tfidf ? idx.soup().idf.size() : 0u);
        expect_space_as_the_rule(s, g, g.rows);
        continue;
      }
      const HybridModel& h = idx.hybrid();
      CsrMatrix rows;
      rows.n_cols = static_cast<uint32_t>(h.terms());
      h.row_csr(rows.indptr, rows.indices);
      rows.values = h.row_weights();
      expect_space_as_the_rule(s, h.groups(), rows);
      ASSERT_EQ(s.norm_sq.size(), idx.catalogue().size());
      for (uint32_t r = 0; r < idx.catalogue().size(); ++r) {
        EXPECT_EQ(s.norm_sq[r], 1.0);
        EXPECT_EQ(s.query_scale[r], h.row_query(r).scale);
        EXPECT_EQ(s.bias[r], h.prior(r));
      }
      for (uint32_t t = 0; t < h.terms(); ++t) EXPECT_EQ(s.column_weight[t], h.term_weight(t));
    }
  }
}

TEST(KnnGraph, SpaceNames) {
  for (MapSpace m : {MapSpace::attributes, MapSpace::soup, MapSpace::tfidf, MapSpace::hybrid}) {
    MapSpace back = MapSpace::attributes;
    EXPECT_TRUE(parse_map_space(map_space_name(m), back));
    EXPECT_EQ(back, m);
  }
  MapSpace x;
  EXPECT_FALSE(parse_map_space("tf-idf", x));
}

}  // namespace
}  // namespace hfrec
