// Type-ahead ranking: exact > prefix > word prefix > substring > fuzzy, popular first.
#include "core/search.h"
#include "core/text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "test_util.h"

namespace hfrec {
namespace {

ModelRecord rec(std::string id, int64_t downloads, std::string author = "") {
  ModelRecord r;
  r.id = std::move(id);
  r.downloads = downloads;
  r.author = std::move(author);
  return r;
}

Catalogue sample() {
  return make_catalogue({
      rec("bert-base-uncased", 100, "google"),
      rec("distilbert-base-uncased", 500, "distilbert"),
      rec("google/bert_uncased_L-2_H-128_A-2", 10, "google"),
      rec("bertin-project/bertin-roberta-base-spanish", 7, "bertin-project"),
      rec("dslim/bert-base-NER", 50, "dslim"),
      rec("albert-base-v2", 60, "albert"),
      rec("b-e-r-t-ish", 1000, "someone"),
      rec("openai-community/gpt2", 900, "openai-community"),
      rec("gpt2-medium", 80, "openai-community"),
  });
}

std::vector<std::string> ids(const Catalogue& c, const SearchResult& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.emplace_back(c.id(h.row));
  return out;
}

TEST(Search, KindsInOrderThenDownloads) {
  Catalogue c = sample();
  SearchIndex s(c);
  auto r = s.search("bert");
  // prefix (by downloads), word prefix (by downloads), substring, fuzzy.
  EXPECT_EQ(ids(c, r), (std::vector<std::string>{"bert-base-uncased", "bertin-project/bertin-roberta-base-spanish",
                                                 "dslim/bert-base-NER", "google/bert_uncased_L-2_H-128_A-2",
                                                 "distilbert-base-uncased", "albert-base-v2", "b-e-r-t-ish"}));
  EXPECT_EQ(r.hits[0].kind, MatchKind::prefix);
  EXPECT_EQ(r.hits[2].kind, MatchKind::word_prefix);
  EXPECT_EQ(r.hits[4].kind, MatchKind::substring);
  EXPECT_EQ(r.hits[6].kind, MatchKind::fuzzy);
  EXPECT_EQ(r.count, 7u);
}

TEST(Search, ExactIdAndExactNameFirst) {
  Catalogue c = sample();
  SearchIndex s(c);
  auto r = s.search("GPT2");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(c.id(r.hits[0].row), "openai-community/gpt2");
  EXPECT_EQ(r.hits[0].kind, MatchKind::exact);
  EXPECT_EQ(c.id(r.hits[1].row), "gpt2-medium");
  auto e = s.search("  bert-base-uncased ");
  EXPECT_EQ(c.id(e.hits[0].row), "bert-base-uncased");
  EXPECT_EQ(e.hits[0].kind, MatchKind::exact);
}

TEST(Search, AuthorIsSearched) {
  Catalogue c = sample();
  SearchIndex s(c);
  auto r = s.search("googl", {.limit = 50, .fuzzy = false});
  // google/bert... by id prefix; bert-base-uncased by its author field.
  EXPECT_EQ(ids(c, r), (std::vector<std::string>{"google/bert_uncased_L-2_H-128_A-2", "bert-base-uncased"}));
  EXPECT_EQ(r.hits[1].kind, MatchKind::word_prefix);
}

TEST(Search, TypingNarrowsLikeAFreshSearch) {
  Catalogue c = sample();
  SearchIndex typed(c);
  std::string q;
  for (char ch : std::string("bert-b")) {
    q += ch;
    auto a = typed.search(q);
    SearchIndex fresh(c);
    auto b = fresh.search(q);
    EXPECT_EQ(ids(c, a), ids(c, b)) << q;
    EXPECT_EQ(a.count, b.count) << q;
  }
  // Deleting a character (not an extension) still gives the fresh answer.
  EXPECT_EQ(ids(c, typed.search("ber")), ids(c, SearchIndex(c).search("ber")));
}

TEST(Search, LimitKeepsCount) {
  Catalogue c = sample();
  SearchIndex s(c);
  auto r = s.search("e", {.limit = 2});
  EXPECT_EQ(r.hits.size(), 2u);
  size_t expect = 0;
  for (uint32_t i = 0; i < c.size(); ++i) expect += c.id(i).find('e') != std::string::npos ||
                                                   c.id(i).find('E') != std::string::npos ||
                                                   std::string(c.value(c.author[i])).find('e') != std::string::npos;
  EXPECT_EQ(r.count, expect);
}

TEST(Search, EmptyAndHostileQueries) {
  Catalogue c = sample();
  SearchIndex s(c);
  EXPECT_TRUE(s.search("").hits.empty());
  EXPECT_TRUE(s.search("   ").hits.empty());
  EXPECT_TRUE(s.search("\n\t").hits.empty());
  EXPECT_TRUE(s.search(std::string(5000, 'z')).hits.empty());
  EXPECT_TRUE(s.search("\xff\xfe").hits.empty());
  SearchIndex none;
  EXPECT_TRUE(none.search("bert").hits.empty());
}

TEST(Search, SharedCatalogueIsFast) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto loaded = load_catalogue_file(path);
  ASSERT_TRUE(loaded.ok());
  SearchIndex s(loaded.value());
  auto r = s.search("bert-base-uncased");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].kind, MatchKind::exact);
}

// The prefix range comes from the ids sorted once at build time (by their first 16 bytes, then
// whole). Ids here share long prefixes, differ in case, hold NUL and non-ASCII bytes: the order
// must be plain byte order of the lower-cased ids, and the page that uses the sorted range must
// equal the page that classifies every substring candidate (a limit above the count does that).
TEST(Search, SortedPrefixRangeAgreesWithAFullScan) {
  std::mt19937 rng(7);
  const std::vector<std::string> stems = {"organisation-with-a-long-name/", "organisation-with-a-long-name/Model-",
                                          "Org/", "org/m", "ÉCOLE/", "a", "ab", std::string("ab\0x", 4)};
  std::vector<ModelRecord> records;
  for (int i = 0; i < 3000; ++i) {
    std::string id = stems[rng() % stems.size()];
    for (int j = 0, len = 1 + static_cast<int>(rng() % 6); j < len; ++j) id += "aAbB-/é"[rng() % 7];
    id += std::to_string(i);
    records.push_back(rec(id, static_cast<int64_t>(rng() % 1000)));
  }
  Catalogue c = make_catalogue(records);
  SearchIndex s(c);
  std::vector<uint32_t> expected(c.size());
  for (uint32_t r = 0; r < c.size(); ++r) expected[r] = r;
  std::sort(expected.begin(), expected.end(), [&](uint32_t a, uint32_t b) {
    std::string la = lower(c.id(a)), lb = lower(c.id(b));
    return la < lb || (la == lb && a < b);
  });
  EXPECT_EQ(s.rows_by_id(), expected);
  int checked = 0;
  for (int t = 0; t < 300; ++t) {
    std::string id = lower(c.id(static_cast<uint32_t>(rng() % c.size())));
    std::string q = id.substr(0, 1 + rng() % id.size());
    SearchResult page = s.search(q, SearchParams{.limit = 5, .fuzzy = false});
    SearchResult all = s.search(q, SearchParams{.limit = 100000, .fuzzy = false});
    ASSERT_EQ(page.count, all.count) << q;
    ASSERT_GE(all.hits.size(), page.hits.size());
    for (size_t i = 0; i < page.hits.size(); ++i) {
      EXPECT_EQ(c.id(page.hits[i].row), c.id(all.hits[i].row)) << "query '" << q << "' hit " << i;
      EXPECT_EQ(page.hits[i].kind, all.hits[i].kind);
    }
    checked += page.hits.size() == 5;
  }
  EXPECT_GT(checked, 100);  // most queries have a full page of prefix matches
}

}  // namespace
}  // namespace hfrec
