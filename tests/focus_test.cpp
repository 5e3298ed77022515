// Focus: recommendations kept to the allowed rows are exactly the allowed prefix of the full
// ranking (the oracle: rank the whole catalogue, filter, take k), on both of its paths (core/focus.h).
#include "core/focus.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace hfrec {
namespace {

Catalogue catalogue(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  const char* tasks[] = {"fill-mask", "text-generation", "translation", ""};
  const char* libs[] = {"transformers", "timm", ""};
  std::vector<ModelRecord> rs;
  for (size_t i = 0; i < n; ++i) {
    ModelRecord r;
    r.id = "org/m" + std::to_string(i);
    r.pipeline_tag = tasks[rng() % 4];
    r.library_name = libs[rng() % 3];
    r.model_type = "type" + std::to_string(rng() % 9);
    r.tags = {"t" + std::to_string(rng() % 12), "u" + std::to_string(rng() % 5)};
    r.downloads = static_cast<int64_t>(rng() % 50);
    rs.push_back(r);
  }
  return make_catalogue(rs);
}

// The oracle: the whole catalogue ranked, the allowed rows kept, the first k.
std::vector<uint32_t> oracle(const Index& index, const std::string& id, RecommendParams p,
                             const std::function<bool(uint32_t)>& allowed) {
  const size_t k = p.k;
  p.k = index.catalogue().size();
  const auto all = index.recommend(id, p);
  std::vector<uint32_t> out;
  if (!all.ok()) return out;
  for (const Recommendation& r : all.value())
    if (allowed(r.row) && out.size() < k) out.push_back(r.row);
  return out;
}

std::vector<uint32_t> rows(const std::vector<Recommendation>& v) {
  std::vector<uint32_t> out;
  for (const auto& r : v) out.push_back(r.row);
  return out;
}

TEST(RecommendFocused, IsTheAllowedPrefixOfTheFullRanking) {
  const Index index(catalogue(1500, 1));
  const size_t n = index.catalogue().size();
  const std::vector<std::function<bool(uint32_t)>> predicates = {
      [](uint32_t) { return true; },
      [](uint32_t r) { return r % 3 == 0; },
      [n](uint32_t r) { return r + 5 >= n; },  // five rows: usually past the first candidates
      [](uint32_t) { return false; },
  };
  for (Method m : {Method::jaccard, Method::cosine, Method::tfidf, Method::knn})
    for (size_t k : {1, 10, 40})
      for (size_t i = 0; i < predicates.size(); ++i)
        for (const char* id : {"org/m0", "org/m777"}) {
          RecommendParams p;
          p.method = m;
          p.k = k;
          auto got = recommend_focused(index, id, p, predicates[i]);
          ASSERT_TRUE(got.ok()) << got.error();
          EXPECT_EQ(rows(got.value()), oracle(index, id, p, predicates[i]))
              << method_name(m) << ", k = " << k << ", predicate " << i << ", " << id;
        }
}

TEST(RecommendFocused, FewCandidatesFirstThenAll) {
  const Index index(catalogue(300, 2));
  RecommendParams p;
  p.k = 5;
  auto rare = [](uint32_t r) { return r % 50 == 7; };  // six rows
  for (FocusParams f : {FocusParams{.candidate_factor = 1, .min_candidates = 5}, FocusParams{}}) {
    auto got = recommend_focused(index, "org/m3", p, rare, f);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(rows(got.value()), oracle(index, "org/m3", p, rare));
    EXPECT_EQ(got.value().size(), 5u);
  }
}

TEST(RecommendFocused, ErrorsAreTheIndexs) {
  const Index index(catalogue(20, 3));
  RecommendParams p;
  auto all = [](uint32_t) { return true; };
  EXPECT_EQ(recommend_focused(index, "nope", p, all).error(), "model 'nope' is not in the catalogue");
  p.k = 0;
  EXPECT_EQ(recommend_focused(index, "org/m1", p, all).error(), "k must be at least 1");
}

TEST(ClusterFocus, AllowsTheFocusedLabel) {
  const std::vector<int32_t> labels = {0, 1, -1, 0};
  for (uint32_t r = 0; r < 5; ++r) EXPECT_TRUE(cluster_focus_allows(labels, -2, r)) << r;
  EXPECT_TRUE(cluster_focus_allows(labels, 0, 0));
  EXPECT_FALSE(cluster_focus_allows(labels, 0, 1));
  EXPECT_FALSE(cluster_focus_allows(labels, 0, 2));
  EXPECT_TRUE(cluster_focus_allows(labels, 0, 3));
  EXPECT_TRUE(cluster_focus_allows(labels, 0, 9));   // past the labels
  EXPECT_TRUE(cluster_focus_allows(labels, -1, 2));  // noise
  EXPECT_FALSE(cluster_focus_allows(labels, -1, 0));
}

}  // namespace
}  // namespace hfrec
