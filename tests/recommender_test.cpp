#include "core/recommender.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "test_util.h"

namespace hfrec {
namespace {

TEST(Recommender, CosineTop5ForBertBaseUncasedOnTheRealCatalogue) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto cat = load_catalogue_file(path);
  ASSERT_TRUE(cat.ok()) << cat.error();
  Index idx(std::move(cat).value());
  RecommendParams p;
  p.method = Method::cosine;
  p.k = 5;
  auto r = idx.recommend("bert-base-uncased", p);
  ASSERT_TRUE(r.ok()) << r.error();
  std::set<std::string> got;
  for (const auto& x : r.value()) got.insert(idx.catalogue().id(x.row));
  std::set<std::string> want = {"bert-base-cased", "bert-large-uncased", "bert-large-uncased-whole-word-masking",
                                "bert-large-cased", "bert-large-cased-whole-word-masking"};
  EXPECT_EQ(got, want);
}

TEST(Recommender, AttributeSpaceOfTheRealCatalogueMatchesPandasGetDummies) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto cat = load_catalogue_file(path);
  ASSERT_TRUE(cat.ok()) << cat.error();
  Index idx(std::move(cat).value());
  EXPECT_EQ(idx.catalogue().size(), 10000u);
  EXPECT_EQ(idx.attributes().names.size(), 1007u);
  EXPECT_EQ(idx.attributes().groups.size(), 1035u);
}

}  // namespace
}  // namespace hfrec
