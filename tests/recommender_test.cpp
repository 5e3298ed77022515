#include "core/recommender.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "test_util.h"

namespace hfrec {
namespace {

// A random catalogue over small vocabularies, so ties and identical rows are plentiful.
Catalogue random_catalogue(uint32_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::initializer_list<const char*> v) {
    std::vector<const char*> xs(v);
    return std::string(xs[rng() % xs.size()]);
  };
  std::vector<ModelRecord> rs;
  for (uint32_t i = 0; i < n; ++i) {
    ModelRecord r;
    r.id = "org" + std::to_string(rng() % 5) + "/model-" + std::to_string(i);
    r.author = rng() % 7 == 0 ? "" : "org" + std::to_string(rng() % 5);
    r.pipeline_tag = pick({"", "fill-mask", "text-generation", "translation"});
    r.model_type = pick({"", "bert", "gpt2", "t5"});
    r.library_name = pick({"", "transformers", "timm"});
    r.architectures_missing = rng() % 4 == 0;
    if (!r.architectures_missing) r.architectures = {pick({"BertModel", "GPT2LMHeadModel", "T5Model"})};
    int nt = static_cast<int>(rng() % 5);
    for (int t = 0; t < nt; ++t) r.tags.push_back(pick({"pytorch", "en", "dataset:wiki", "license:mit", "jax"}));
    r.downloads = static_cast<int64_t>(rng() % 4) * 10;  // many equal downloads: ids break ties
    rs.push_back(r);
  }
  return make_catalogue(rs, "random");
}

// Brute-force oracle: scores from the definitions, every row against the query.
std::vector<double> oracle_scores(const Index& idx, uint32_t q, Method m) {
  const Catalogue& c = idx.catalogue();
  const uint32_t n = static_cast<uint32_t>(c.size());
  std::vector<double> s(n);
  auto attrs = [&](uint32_t r) {
    std::set<std::string> a;
    const Groups& g = idx.attributes().groups;
    for (uint64_t k = g.row_begin(r); k < g.row_end(r); ++k) a.insert(idx.attributes().names[g.rows.indices[k]]);
    return a;
  };
  auto bag = [&](uint32_t r) {
    std::vector<std::string> toks;
    soup_tokens(c, r, toks);
    std::map<std::string, double> b;
    for (auto& t : toks) b[t] += 1;
    return b;
  };
  std::map<std::string, double> df;
  for (uint32_t r = 0; r < n; ++r)
    for (auto& [t, v] : bag(r)) df[t] += 1;
  auto weigh = [&](std::map<std::string, double> b, bool tfidf) {
    double norm = 0;
    for (auto& [t, v] : b) {
      if (tfidf) v *= std::log((1.0 + n) / (1.0 + df[t])) + 1.0;
      norm += v * v;
    }
    for (auto& [t, v] : b) v /= std::sqrt(norm);
    return b;
  };
  auto qa = attrs(q);
  auto qb = bag(q);
  for (uint32_t r = 0; r < n; ++r) {
    auto ra = attrs(r);
    size_t inter = 0;
    for (auto& x : qa) inter += ra.count(x);
    size_t uni = qa.size() + ra.size() - inter;
    switch (m) {
      case Method::jaccard: s[r] = uni ? double(inter) / double(uni) : 0; break;
      case Method::knn: s[r] = -std::sqrt(double(uni - inter)); break;  // larger is closer
      case Method::cosine:
      case Method::tfidf: {
        auto a = weigh(qb, m == Method::tfidf), b = weigh(bag(r), m == Method::tfidf);
        double dot = 0;
        for (auto& [t, v] : a)
          if (b.count(t)) dot += v * b[t];
        s[r] = dot;
        break;
      }
      default: break;
    }
  }
  return s;
}

class OracleTest : public ::testing::TestWithParam<Method> {};

TEST_P(OracleTest, FastPathMatchesBruteForceOnRandomCatalogues) {
  const Method m = GetParam();
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    Index idx(random_catalogue(300, seed));
    const Catalogue& c = idx.catalogue();
    for (uint32_t q = 0; q < c.size(); q += 37) {
      for (size_t k : {1u, 5u, 40u, 400u}) {
        RecommendParams p;
        p.method = m;
        p.k = k;
        auto got = idx.recommend_row(q, p);
        ASSERT_TRUE(got.ok()) << got.error();
        std::vector<double> s = oracle_scores(idx, q, m);
        // Oracle order: score desc (ties within 1e-12), downloads desc, id asc; the query excluded.
        std::vector<uint32_t> rows;
        for (uint32_t r = 0; r < c.size(); ++r)
          if (r != q) rows.push_back(r);
        std::sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) {
          if (std::abs(s[a] - s[b]) > 1e-12) return s[a] > s[b];
          return tie_before(c, a, b);
        });
        rows.resize(std::min(k, rows.size()));
        ASSERT_EQ(got.value().size(), rows.size()) << "seed " << seed << " query " << q << " k " << k;
        for (size_t i = 0; i < rows.size(); ++i) {
          const Recommendation& r = got.value()[i];
          EXPECT_EQ(c.id(r.row), c.id(rows[i])) << method_name(m) << " seed " << seed << " query " << c.id(q)
                                                << " rank " << i + 1;
          if (m == Method::knn) EXPECT_NEAR(r.distance, -s[rows[i]], 1e-12);
          else EXPECT_NEAR(r.score, s[rows[i]], 1e-12);
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Methods, OracleTest,
                         ::testing::Values(Method::jaccard, Method::cosine, Method::tfidf, Method::knn),
                         [](const auto& info) { return std::string(method_name(info.param)); });

TEST(Recommender, FiltersRestrictCandidatesAndTheQueryIsNeverReturned) {
  Index idx(random_catalogue(200, 9));
  const Catalogue& c = idx.catalogue();
  RecommendParams p;
  p.method = Method::cosine;
  p.k = 500;
  p.filters.tasks = {"translation"};
  p.filters.libraries = {"transformers"};
  auto got = idx.recommend_row(0, p);
  ASSERT_TRUE(got.ok());
  size_t expected = 0;
  for (uint32_t r = 1; r < c.size(); ++r)
    expected += c.value(c.pipeline_tag[r]) == "translation" && c.value(c.library_name[r]) == "transformers";
  EXPECT_EQ(got.value().size(), expected);
  for (const auto& r : got.value()) {
    EXPECT_NE(r.row, 0u);
    EXPECT_EQ(c.value(c.pipeline_tag[r.row]), "translation");
  }
}

TEST(Recommender, SharedExplainsTheScore) {
  ModelRecord a;
  a.id = "a";
  a.pipeline_tag = "fill-mask";
  a.library_name = "transformers";
  a.tags = {"arabic", "bert"};
  a.architectures_missing = true;
  ModelRecord b = a;
  b.id = "b";
  b.library_name = "timm";
  b.tags = {"arabic"};
  Index idx(make_catalogue({a, b}));
  RecommendParams p;
  p.method = Method::jaccard;
  auto r = idx.recommend("a", p);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 1u);
  // a: {fill-mask, arch nan, transformers}; b: {fill-mask, arch nan, timm}: 2 shared of 4.
  EXPECT_DOUBLE_EQ(r.value()[0].score, 0.5);
  EXPECT_EQ(r.value()[0].shared, (std::vector<std::string>{"pipeline_tag=fill-mask", "architectures=nan"}));
  p.method = Method::cosine;
  r = idx.recommend("a", p);
  ASSERT_TRUE(r.ok());
  const auto& sh = r.value()[0].shared;
  EXPECT_NE(std::find(sh.begin(), sh.end(), "arabic"), sh.end());
  EXPECT_EQ(std::find(sh.begin(), sh.end(), "transformers"), sh.end());
}

TEST(Recommender, UnknownModelIsAnErrorValue) {
  Index idx(random_catalogue(10, 1));
  auto r = idx.recommend("nope/nothing", RecommendParams{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "model 'nope/nothing' is not in the catalogue");
}

TEST(Recommender, AdhocQueryFindsModelsByTaskLibraryAndText) {
  std::vector<ModelRecord> rs(3);
  rs[0].id = "x/arabic-bert";
  rs[0].pipeline_tag = "fill-mask";
  rs[0].library_name = "transformers";
  rs[0].tags = {"ar", "arabic"};
  rs[1].id = "y/english-bert";
  rs[1].pipeline_tag = "fill-mask";
  rs[1].library_name = "transformers";
  rs[1].tags = {"en"};
  rs[2].id = "z/vit";
  rs[2].pipeline_tag = "image-classification";
  rs[2].library_name = "timm";
  Index idx(make_catalogue(rs));
  AdhocQuery q;
  q.pipeline_tag = "fill-mask";
  q.library_name = "transformers";
  q.text = "arabic";
  RecommendParams p;
  p.k = 3;
  for (Method m : {Method::cosine, Method::tfidf}) {
    p.method = m;
    auto r = idx.recommend_adhoc(q, p);
    ASSERT_TRUE(r.ok()) << r.error();
    ASSERT_EQ(r.value().size(), 3u);
    EXPECT_EQ(idx.catalogue().id(r.value()[0].row), "x/arabic-bert") << method_name(m);
    EXPECT_EQ(idx.catalogue().id(r.value()[2].row), "z/vit") << method_name(m);
  }
  p.method = Method::jaccard;
  auto r = idx.recommend_adhoc(q, p);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r.value()[0].score, 2.0 / 3.0);  // {task, library} vs {task, arch nan, library}
  EXPECT_FALSE(idx.recommend_adhoc(AdhocQuery{}, p).ok());
}

TEST(Recommender, KMeansMethodStaysInsideTheQueryCluster) {
  Index idx(random_catalogue(300, 3));
  RecommendParams p;
  p.method = Method::kmeans;
  p.kmeans_k = 4;
  p.k = 1000;
  const KMeansResult& km = idx.attribute_kmeans(4);
  const Groups& g = idx.attributes().groups;
  for (uint32_t q : {0u, 17u, 123u}) {
    auto r = idx.recommend_row(q, p);
    ASSERT_TRUE(r.ok());
    size_t same = 0;
    for (uint32_t row = 0; row < idx.catalogue().size(); ++row)
      same += row != q && km.labels[g.group_of[row]] == km.labels[g.group_of[q]];
    EXPECT_EQ(r.value().size(), same);
    for (const auto& x : r.value()) EXPECT_EQ(km.labels[g.group_of[x.row]], km.labels[g.group_of[q]]);
  }
}

TEST(RealCatalogue, CosineTop5ForBertBaseUncased) {
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
  for (const auto& x : r.value()) got.emplace(idx.catalogue().id(x.row));
  std::set<std::string> want = {"bert-base-cased", "bert-large-uncased", "bert-large-uncased-whole-word-masking",
                                "bert-large-cased", "bert-large-cased-whole-word-masking"};
  EXPECT_EQ(got, want);
}

TEST(RealCatalogue, AttributeSpaceMatchesPandasGetDummies) {
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
