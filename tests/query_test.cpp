// Recommendation queries: method names round trip, unknown names are refused (core/query.h).
#include "core/query.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace hfrec {
namespace {

TEST(Query, MethodNamesRoundTrip) {
  std::set<std::string> names;
  for (Method m : kAllMethods) {
    Method back = Method::cosine;
    ASSERT_TRUE(parse_method(method_name(m), back)) << method_name(m);
    EXPECT_EQ(back, m);
    names.insert(method_name(m));
  }
  EXPECT_EQ(names, (std::set<std::string>{"jaccard", "cosine", "tfidf", "knn", "kmeans", "hybrid"}));
}

TEST(Query, UnknownMethodsAreRefused) {
  for (const char* bad : {"", "Cosine", "cosine ", "bm25"}) {
    Method m = Method::knn;
    EXPECT_FALSE(parse_method(bad, m)) << bad;
    EXPECT_EQ(m, Method::knn) << "left as it was";
  }
}

TEST(Query, DefaultsAreTheAppsDefaults) {
  const RecommendParams p;
  EXPECT_EQ(p.method, Method::cosine);
  EXPECT_EQ(p.k, 10u);
  EXPECT_TRUE(p.filters.empty());
}

}  // namespace
}  // namespace hfrec
