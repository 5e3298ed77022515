// Index: its parts (tie order, spaces) against the one-shot builders, candidate filters against a
// brute-force check of each row's strings, the k-means cache (core/index.h).
#include "core/index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/index_builder.h"

namespace hfrec {
namespace {

Catalogue random_catalogue(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  const char* tasks[] = {"", "fill-mask", "text-generation", "translation"};
  const char* libs[] = {"", "transformers", "timm"};
  const char* types[] = {"", "bert", "gpt2", "t5"};
  std::vector<ModelRecord> rs;
  for (size_t i = 0; i < n; ++i) {
    ModelRecord r;
    r.id = "org" + std::to_string(rng() % 5) + "/m" + std::to_string(i);
    r.pipeline_tag = tasks[rng() % 4];
    r.library_name = libs[rng() % 3];
    r.model_type = types[rng() % 4];
    r.tags = {"t" + std::to_string(rng() % 6)};
    r.downloads = static_cast<int64_t>(rng() % 20);
    rs.push_back(r);
  }
  return make_catalogue(rs);
}

// The oracle: a row passes when each non-empty list holds its value (as text).
bool passes_by_strings(const Catalogue& c, uint32_t row, const Filters& f) {
  auto ok = [&](const std::vector<std::string>& allowed, uint32_t v) {
    return allowed.empty() || (v != kMissing && std::count(allowed.begin(), allowed.end(), c.value(v)) > 0);
  };
  return ok(f.tasks, c.pipeline_tag[row]) && ok(f.libraries, c.library_name[row]) &&
         ok(f.model_types, c.model_type[row]);
}

TEST(Index, FiltersMatchABruteForceCheckOfTheStrings) {
  const Index index(random_catalogue(300, 1));
  const Catalogue& c = index.catalogue();
  const std::vector<Filters> filters = {
      {},
      {{"fill-mask"}, {}, {}},
      {{"fill-mask", "translation"}, {"timm"}, {}},
      {{}, {}, {"gpt2", "t5"}},
      {{"no-such-task"}, {}, {}},
      {{"text-generation"}, {"transformers"}, {"gpt2"}},
  };
  for (size_t i = 0; i < filters.size(); ++i)
    for (uint32_t r = 0; r < c.size(); ++r)
      ASSERT_EQ(index.passes(r, filters[i]), passes_by_strings(c, r, filters[i])) << "filter " << i << ", row " << r;
}

TEST(Index, PartsAreTheOneShotBuildersResults) {
  const Catalogue copy = random_catalogue(200, 2);
  const Index index(random_catalogue(200, 2));
  const std::vector<uint32_t> order = tie_order(copy);
  EXPECT_EQ(index.tie_order(), order);
  EXPECT_EQ(index.attributes().names, build_attributes(copy, &order).names);
  EXPECT_EQ(index.soup().terms, build_soup(copy, &order).terms);
  EXPECT_EQ(index.catalogue().size(), copy.size());
}

// The sliced IndexBuilder (behind Index(Catalogue)) against parts built by the one-shot functions.
TEST(Index, AnswersAsAnIndexOfOneShotParts) {
  const Index sliced(random_catalogue(150, 3));
  Catalogue cat = random_catalogue(150, 3);
  std::vector<uint32_t> order = tie_order(cat);
  AttributeSpace attributes = build_attributes(cat, &order);
  SoupSpace soup = build_soup(cat, &order);
  const Index one_shot(IndexParts{std::move(cat), std::move(order), std::move(attributes), std::move(soup)});
  RecommendParams p;
  p.k = 20;
  for (Method m : {Method::jaccard, Method::cosine, Method::tfidf, Method::knn})
    for (uint32_t row : {0u, 77u}) {
      p.method = m;
      auto a = sliced.recommend_row(row, p), z = one_shot.recommend_row(row, p);
      ASSERT_TRUE(a.ok() && z.ok());
      ASSERT_EQ(a.value().size(), z.value().size());
      for (size_t i = 0; i < a.value().size(); ++i) {
        EXPECT_EQ(a.value()[i].row, z.value()[i].row) << method_name(m) << ", rank " << i;
        EXPECT_EQ(a.value()[i].score, z.value()[i].score);
      }
    }
}

// Method::kmeans's clustering is k-means of the attribute groups weighted by their sizes, computed
// once per k.
TEST(Index, AttributeKMeansIsKMeansOfTheWeightedGroups) {
  const Index index(random_catalogue(120, 4));
  const Groups& g = index.attributes().groups;
  std::vector<double> w;
  for (uint32_t x = 0; x < g.size(); ++x) w.push_back(g.weight(x));
  KMeansParams p;
  p.k = 3;
  const KMeansResult want = kmeans(g.rows, w, p);
  const KMeansResult& a = index.attribute_kmeans(3);
  EXPECT_EQ(a.labels, want.labels);
  EXPECT_EQ(a.inertia, want.inertia);
  EXPECT_EQ(&index.attribute_kmeans(3), &a);
}

// The app steps attribute_kmeans_run(k) in slices after a load and adopts its result: the same
// labels, centres and inertia as attribute_kmeans(k) computes at once, and the cache then holds it.
TEST(Index, AnAttributeKMeansRunInSlicesIsAdoptedAsTheSameClustering) {
  const Index whole(random_catalogue(400, 7));
  Index sliced(random_catalogue(400, 7));
  ASSERT_FALSE(sliced.has_attribute_kmeans(4));
  KMeansRun run = sliced.attribute_kmeans_run(4);
  int slices = 1;
  while (!run.step(SliceTimer::work(50))) ++slices;
  EXPECT_GT(slices, 10) << "the run is stepped in pieces";
  sliced.adopt_attribute_kmeans(4, run.take());
  ASSERT_TRUE(sliced.has_attribute_kmeans(4));
  const KMeansResult& want = whole.attribute_kmeans(4);
  const KMeansResult& got = sliced.attribute_kmeans(4);
  EXPECT_EQ(got.labels, want.labels);
  EXPECT_EQ(got.centroids, want.centroids);
  EXPECT_EQ(got.inertia, want.inertia);
  EXPECT_FALSE(sliced.has_attribute_kmeans(5));
  // A second result for a cached k is ignored.
  KMeansResult other = want;
  other.inertia = -1;
  sliced.adopt_attribute_kmeans(4, other);
  EXPECT_EQ(sliced.attribute_kmeans(4).inertia, want.inertia);
  // The kmeans method's lists agree.
  RecommendParams p;
  p.method = Method::kmeans;
  p.kmeans_k = 4;
  for (uint32_t row : {0u, 17u, 399u}) {
    auto a = whole.recommend_row(row, p), b = sliced.recommend_row(row, p);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a.value().size(), b.value().size());
    for (size_t i = 0; i < a.value().size(); ++i) EXPECT_EQ(a.value()[i].row, b.value()[i].row);
  }
}

}  // namespace
}  // namespace hfrec
