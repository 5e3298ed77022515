// NN-descent: recall@10 against the exact graph (knn_graph.h) on the real 10k catalogue and on a
// generated one, lists well formed and scored with the similarity's bits, deterministic for a
// seed, sliced equal to run-to-end, and KnnGraphRun's choice between exact and approximate.
#include "core/nn_descent.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <sstream>

#include "bench/catalogue_gen.h"
#include "core/catalogue.h"
#include "core/recommender.h"
#include "graph_hash.h"
#include "test_util.h"

namespace hfrec {
namespace {

// Recall at k of `approx` against `exact`, averaged over groups: per group, the rows of its
// approximate neighbours at a distance no greater than the exact list's last (ties with the exact
// k-th count, whichever of them was picked), capped at the rows the exact list covers (≤ k).
double recall(const KnnGraph& exact, const KnnGraph& approx, const Groups& groups, int k) {
  double got = 0, want = 0;
  for (uint32_t g = 0; g < exact.groups(); ++g) {
    if (exact.ptr[g] == exact.ptr[g + 1]) continue;
    const double last = exact.dist[exact.ptr[g + 1] - 1];
    uint64_t w = 0, h = 0;
    for (uint64_t q = exact.ptr[g]; q < exact.ptr[g + 1]; ++q) w += groups.weight(exact.neighbour[q]);
    for (uint64_t q = approx.ptr[g]; q < approx.ptr[g + 1]; ++q)
      if (approx.dist[q] <= last) h += groups.weight(approx.neighbour[q]);
    w = std::min<uint64_t>(w, uint64_t(k));
    want += double(w);
    got += double(std::min(h, w));
  }
  return want > 0 ? got / want : 1.0;
}

// Lists closest first (ties by id), no self and no repeat, each distance the pairwise one's bits,
// and rows adding up to k (or every other row), the last group the one that reaches k.
void expect_well_formed(const SimilaritySpace& s, const KnnGraph& g, int k) {
  const Groups& gr = *s.groups;
  ASSERT_EQ(g.groups(), s.size());
  const uint64_t all = gr.group_of.size();
  for (uint32_t a = 0; a < g.groups(); ++a) {
    uint64_t rows = 0;
    std::vector<uint32_t> seen;
    for (uint64_t q = g.ptr[a]; q < g.ptr[a + 1]; ++q) {
      const uint32_t x = g.neighbour[q];
      ASSERT_NE(x, a) << "group " << a << " is its own neighbour";
      seen.push_back(x);
      ASSERT_EQ(g.dist[q], s.distance(a, x)) << "group " << a << " -> " << x;
      if (q > g.ptr[a]) {
        ASSERT_TRUE(g.dist[q - 1] < g.dist[q] || (g.dist[q - 1] == g.dist[q] && g.neighbour[q - 1] < x))
            << "group " << a << " not sorted at " << q - g.ptr[a];
      }
      ASSERT_LT(rows, uint64_t(k)) << "group " << a << ": a neighbour past k rows";
      rows += gr.weight(x);
    }
    std::sort(seen.begin(), seen.end());
    ASSERT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end()) << "group " << a << " repeats a neighbour";
    EXPECT_GE(rows, std::min<uint64_t>(uint64_t(k), all - gr.weight(a))) << "group " << a;
  }
}

KnnGraph approximate_graph(const SimilaritySpace& s, int k, uint64_t seed = 0) {
  KnnGraphRun run(s, k, KnnGraphOptions{.exact_max_work = 0, .seed = seed});
  EXPECT_TRUE(run.approximate());
  while (!run.step(SliceTimer(1e9))) {}
  return run.take();
}

void expect_recall(const Index& idx, const char* what) {
  for (MapSpace sp : {MapSpace::soup, MapSpace::tfidf, MapSpace::hybrid}) {
    const SimilaritySpace s = make_similarity_space(idx, sp);
    const KnnGraph exact = knn_graph(s, 10);
    const KnnGraph approx = approximate_graph(s, 10);
    EXPECT_FALSE(exact.approximate);
    EXPECT_TRUE(approx.approximate);
    expect_well_formed(s, approx, 10);
    const double r = recall(exact, approx, *s.groups, 10);
    std::printf("[ recall@10 ] %s %s: %.4f over %zu groups\n", what, map_space_name(sp), r, s.size());
    EXPECT_GE(r, 0.95) << what << " " << map_space_name(sp);
  }
}

TEST(NnDescent, RecallOnTheReal10k) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto loaded = load_catalogue_file(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  Index idx(std::move(loaded).value());
  expect_recall(idx, "real 10k");
}

// Generated the way the benchmarks make theirs (tests/bench/catalogue_gen.h), scaled from the
// committed web/catalogue.csv so it runs everywhere.
Index generated(size_t rows, uint64_t seed) {
  bench::SourceCatalogue src;
  std::string error;
  EXPECT_TRUE(bench::read_source_csv(std::string(HFREC_SOURCE_DIR) + "/web/catalogue.csv", src, error)) << error;
  bench::GenParams gp;
  gp.rows = rows;
  gp.seed = seed;
  std::ostringstream csv;
  bench::generate(src, gp, bench::GenFormat::csv, csv);
  auto loaded = load_catalogue(csv.str(), "generated.csv");
  EXPECT_TRUE(loaded.ok()) << loaded.error();
  return Index(std::move(loaded).value());
}

TEST(NnDescent, RecallOnAGeneratedCatalogue) { expect_recall(generated(5000, 4), "generated 5k"); }

TEST(NnDescent, DeterministicForASeed) {
  const Index idx = generated(2000, 5);
  for (MapSpace sp : {MapSpace::soup, MapSpace::hybrid}) {
    const SimilaritySpace s = make_similarity_space(idx, sp);
    const KnnGraph a = approximate_graph(s, 15, 7), b = approximate_graph(s, 15, 7);
    EXPECT_EQ(a.ptr, b.ptr);
    EXPECT_EQ(a.neighbour, b.neighbour);
    EXPECT_EQ(a.dist, b.dist);
  }
}

// The local joins score two pairs at once and skip pairs already in both lists (nn_descent.cpp):
// the graphs keep the bits of scoring and offering every pair one at a time, pinned from that code
// (commit e5ec3d8's nn_descent with pool 15, the default at k = 15 since the pool was capped).
TEST(NnDescent, KeepsTheBitsOfOnePairAtATime) {
  const Index idx = generated(2000, 5);
  const std::pair<MapSpace, uint64_t> pins[] = {{MapSpace::soup, 0x1625c5f0db887265ull},
                                                {MapSpace::tfidf, 0xb8e159bc3e263e01ull},
                                                {MapSpace::hybrid, 0x989a08598493b9e9ull}};
  for (const auto& [sp, want] : pins) {
    const SimilaritySpace s = make_similarity_space(idx, sp);
    const uint64_t got = graph_hash(approximate_graph(s, 15, 7));
    EXPECT_EQ(got, want) << std::hex << "0x" << got << " on " << map_space_name(sp);
  }
}

TEST(NnDescent, SlicedEqualsRunToEnd) {
  const Index idx = generated(2000, 6);
  const SimilaritySpace s = make_similarity_space(idx, MapSpace::tfidf);
  const KnnGraph whole = nn_descent(s, 15, NnDescentParams{.seed = 3});
  NnDescentRun run(s, 15, NnDescentParams{.seed = 3});
  int steps = 0;
  double last = 0;
  for (;;) {
    const SliceTimer t = SliceTimer::work(200);
    const bool done = run.step(t);
    EXPECT_GE(run.progress(), last);
    last = run.progress();
    ++steps;
    if (done) break;
  }
  EXPECT_GT(steps, 50);
  EXPECT_EQ(run.progress(), 1.0);
  EXPECT_GE(run.iterations(), 2);
  const KnnGraph sliced = run.take();
  EXPECT_EQ(sliced.ptr, whole.ptr);
  EXPECT_EQ(sliced.neighbour, whole.neighbour);
  EXPECT_EQ(sliced.dist, whole.dist);
}

// Values and column weights that are not small integers: the two forms of a pair's dot terms,
// (value_a · weight) · value_b and (value_b · weight) · value_a, then differ in their last bits
// (with the catalogues' values, 1 to 3, they rarely do), so every listed distance having
// SimilaritySpace::distance's bits checks that each pair is scored in its lower id's form.
TEST(NnDescent, ScoresEachPairInItsLowerIdsForm) {
  ClusterRng rng(21);
  const size_t n = 600, d = 40;
  std::vector<ModelRecord> recs(n);
  CsrMatrix m;
  m.n_cols = uint32_t(d);
  for (size_t i = 0; i < n; ++i) {
    recs[i].id = "m" + std::to_string(i);
    for (uint32_t j = 0; j < d; ++j)
      if (rng.below(j < 6 ? 2 : 5) == 0) {
        m.indices.push_back(j);
        m.values.push_back(float(0.1 + 6.9 * rng.uniform()));
      }
    m.indptr.push_back(m.indices.size());
  }
  const Catalogue cat = make_catalogue(recs);
  const Groups groups = collapse_rows(m, cat);
  std::vector<double> colw(d);
  for (double& w : colw) w = 0.05 + 3.0 * rng.uniform();
  const SimilaritySpace s = cosine_space(groups, groups.rows, colw);
  // The two forms differ for some pair of this space (else the check below could not fail).
  uint64_t differ = 0;
  for (uint64_t e = 0; e + 1 < m.indices.size(); ++e) {
    const double w = colw[m.indices[e]], va = double(m.values[e]), vb = double(m.values[e + 1]);
    differ += (va * w) * vb != (vb * w) * va;
  }
  EXPECT_GT(differ, 100u);
  for (int k : {5, 15}) expect_well_formed(s, approximate_graph(s, k, 4), k);
}

TEST(NnDescent, SmallAndDegenerateSpaces) {
  // Fewer groups than the pool, one group, none: lists still well formed and cover k rows.
  const Index idx = generated(40, 8);
  for (MapSpace sp : {MapSpace::attributes, MapSpace::soup, MapSpace::hybrid}) {
    const SimilaritySpace s = make_similarity_space(idx, sp);
    for (int k : {1, 10, 60}) expect_well_formed(s, nn_descent(s, k), k);
  }
}

TEST(NnDescent, KnnGraphRunChoosesByWork) {
  const Index idx = generated(1500, 9);
  const SimilaritySpace s = make_similarity_space(idx, MapSpace::soup);
  const uint64_t work = exact_graph_work(s);
  EXPECT_GT(work, s.size());
  KnnGraphRun exact(s, 10, KnnGraphOptions{.exact_max_work = work});
  EXPECT_FALSE(exact.approximate());
  KnnGraphRun approx(s, 10, KnnGraphOptions{.exact_max_work = work - 1});
  EXPECT_TRUE(approx.approximate());
  KnnGraphRun by_default(s, 10);
  EXPECT_FALSE(by_default.approximate()) << "a small catalogue takes the exact graph";
  while (!exact.step(SliceTimer(1e9))) {}
  const KnnGraph e = exact.take(), want = knn_graph(s, 10);
  EXPECT_FALSE(e.approximate);
  EXPECT_EQ(e.neighbour, want.neighbour);
  EXPECT_EQ(e.dist, want.dist);
}

}  // namespace
}  // namespace hfrec
