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
  for (uint32_t i = 0; i < c.size(); ++i)
    expect += c.id(i).find('e') != std::string::npos || c.id(i).find('E') != std::string::npos ||
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
// Some download counts are negative or at least 2^32 - 1, which the range's 32-bit copy cannot hold.
TEST(Search, SortedPrefixRangeAgreesWithAFullScan) {
  std::mt19937 rng(7);
  const std::vector<std::string> stems = {
      "organisation-with-a-long-name/", "organisation-with-a-long-name/Model-", "Org/", "org/m", "ÉCOLE/", "a", "ab",
      std::string("ab\0x", 4)};
  std::vector<ModelRecord> records;
  for (int i = 0; i < 3000; ++i) {
    std::string id = stems[rng() % stems.size()];
    for (int j = 0, len = 1 + static_cast<int>(rng() % 6); j < len; ++j) id += "aAbB-/é"[rng() % 7];
    id += std::to_string(i);
    const int64_t edges[] = {int64_t{UINT32_MAX} - 1, int64_t{UINT32_MAX}, int64_t{UINT32_MAX} + 1, -1,
                             int64_t{1} << 40};
    const auto downloads = static_cast<int64_t>(rng() % 1000);
    records.push_back(rec(id, rng() % 8 ? downloads : edges[rng() % std::size(edges)] + downloads % 3));
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

// Built in slices (a unit of work per step, as a tab's load does at 1M rows), the index lists the
// rows by lower(id) then row (an oracle sort of std::string keys), and answers every query as the
// index built at once does; many steps are taken.
TEST(Search, BuiltInSlicesAsAtOnce) {
  std::mt19937 rng(11);
  std::vector<ModelRecord> records;
  for (int i = 0; i < 6000; ++i) {
    std::string id = std::string(i % 3 ? "Org" : "ÉCOLE") + std::to_string(rng() % 40) + "/";
    for (int j = 0, len = 1 + static_cast<int>(rng() % 20); j < len; ++j) id += "aAbB-_é"[rng() % 7];
    records.push_back(rec(id, static_cast<int64_t>(rng() % 5000), i % 5 ? "" : "someone"));
  }
  Catalogue c = make_catalogue(records);
  SearchIndexBuilder b(c);
  const int steps = testing::step_to_end(b);
  EXPECT_GT(steps, 20);
  SearchIndex sliced = b.take();
  std::vector<uint32_t> expected(c.size());
  for (uint32_t r = 0; r < c.size(); ++r) expected[r] = r;
  std::sort(expected.begin(), expected.end(), [&](uint32_t x, uint32_t y) {
    const std::string lx = lower(c.id(x)), ly = lower(c.id(y));
    return lx < ly || (lx == ly && x < y);
  });
  EXPECT_EQ(sliced.rows_by_id(), expected);
  SearchIndex once(c);
  for (std::string q : {"org1", "école", "a", "ab-", "someone", "b_a", "org3/ab", "o1/", "zzz"}) {
    const SearchResult x = sliced.search(q, SearchParams{.limit = 40}), y = once.search(q, SearchParams{.limit = 40});
    EXPECT_EQ(ids(c, x), ids(c, y)) << q;
    EXPECT_EQ(x.count, y.count) << q;
    EXPECT_EQ(x.count == 0, q == "zzz") << q;
  }
}

// The sort's refinement (search.cpp's gotchas): ids that agree in their first 16, 32 or 48 bytes,
// ids that are prefixes of others, ids equal once lowered (the row decides) and a run of more than
// 32,768 keys equal in their first 16 bytes (refined in slices), in the order of whole lowered ids.
TEST(Search, SortsIdsThatShareLongPrefixes) {
  std::mt19937 rng(5);
  const std::string stems[] = {"sentence-transformers/",
                               "org/",
                               "a-very-long-organisation-name-here/model-family-",
                               "exactly-16-bytes",
                               "exactly-16-bytes-and-16-more-byt",
                               ""};
  std::vector<ModelRecord> records;
  auto add = [&](std::string id) { records.push_back(rec(id, static_cast<int64_t>(rng() % 100), "")); };
  for (int i = 0; i < 45000; ++i) {  // one stem for most: the long run
    std::string id = i % 9 ? stems[0] : stems[1 + rng() % 5];
    for (int j = 0, len = 3 + static_cast<int>(rng() % 22); j < len; ++j) id += "aAb-_.0é"[rng() % 8];
    add(id);
    if (i % 97 == 0) add(id.substr(0, id.size() / 2));  // a prefix of another id
  }
  Catalogue c = make_catalogue(records);
  std::vector<uint32_t> expected(c.size());
  for (uint32_t r = 0; r < c.size(); ++r) expected[r] = r;
  std::sort(expected.begin(), expected.end(), [&](uint32_t x, uint32_t y) {
    const std::string lx = lower(c.id(x)), ly = lower(c.id(y));
    return lx < ly || (lx == ly && x < y);
  });
  size_t lowered_equal = 0;
  for (size_t i = 1; i < expected.size(); ++i)
    lowered_equal += lower(c.id(expected[i])) == lower(c.id(expected[i - 1]));
  EXPECT_GT(lowered_equal, 100u);
  SearchIndexBuilder b(c);
  EXPECT_GT(testing::step_to_end(b), 20);
  EXPECT_EQ(b.take().rows_by_id(), expected);
  EXPECT_EQ(SearchIndex(c).rows_by_id(), expected);
}

// The whole search against a reference written the slow, obvious way: each row's text is
// lower(id), plus '\t' lower(author) unless the id starts with "author/", with tabs and newlines
// as spaces; every row is classified from scratch and the page is the best `limit` of all of them.
// Random ids from a small alphabet (separators, spaces, capitals, non-ASCII) make many near-misses;
// queries are typed a character at a time on one index (the narrowing path) and also asked of a
// fresh one. This covers the byte-set filter, the substring scan and the prefix range.
TEST(Search, MatchesASlowReference) {
  std::mt19937 rng(11);
  const std::string alphabet[] = {"a", "b", "c", "B", "-", "/", "_", ".", " ", "\t", "é", "É", "x2"};
  auto word = [&](int len) {
    std::string w;
    for (int j = 0; j < len; ++j) w += alphabet[rng() % std::size(alphabet)];
    return w;
  };
  std::vector<ModelRecord> records;
  for (int i = 0; i < 1500; ++i) {
    std::string author = rng() % 4 ? word(1 + static_cast<int>(rng() % 3)) : "";
    // Unique by the number in the middle; the name after the last '/' is often a short word that
    // other ids end with too (exact-name matches), sometimes after more than one '/'.
    std::string id = (rng() % 2 && !author.empty() ? author + "/" : word(1 + static_cast<int>(rng() % 2)) + "/") +
                     word(1 + static_cast<int>(rng() % 4)) + std::to_string(i) + "#" + (rng() % 3 ? "/" : "-") +
                     word(1 + static_cast<int>(rng() % 3));
    records.push_back(rec(id, static_cast<int64_t>(rng() % 50), author));
  }
  Catalogue c = make_catalogue(records);
  auto blank = [](std::string t) {
    for (char& ch : t)
      if (ch == '\t' || ch == '\n') ch = ' ';
    return t;
  };
  std::vector<std::string> id_of(c.size()), text_of(c.size());
  for (uint32_t r = 0; r < c.size(); ++r) {
    id_of[r] = blank(lower(c.id(r)));
    std::string author = blank(lower(c.value(c.author[r])));
    text_of[r] = id_of[r];
    if (!author.empty() && !(id_of[r].size() > author.size() && id_of[r].compare(0, author.size(), author) == 0 &&
                             id_of[r][author.size()] == '/'))
      text_of[r] += "\t" + author;
  }
  auto is_sep = [](char ch) { return ch == '/' || ch == '-' || ch == '_' || ch == '.' || ch == ' '; };
  auto subsequence = [](const std::string& q, const std::string& t) {
    size_t j = 0;
    for (char ch : q) {
      if (ch == ' ') continue;
      while (j < t.size() && t[j] != ch) ++j;
      if (j == t.size()) return false;
      ++j;
    }
    return true;
  };
  const size_t limit = 8;
  auto reference = [&](const std::string& q, size_t& count) {
    std::vector<SearchHit> all;
    size_t sub = 0;
    for (uint32_t r = 0; r < c.size(); ++r) {
      const std::string& id = id_of[r];
      const std::string& t = text_of[r];
      if (t.find(q) == std::string::npos) continue;
      ++sub;
      MatchKind k = MatchKind::substring;
      const size_t slash = id.rfind('/');
      if (id == q || (slash != std::string::npos && id.substr(slash + 1) == q)) k = MatchKind::exact;
      else if (id.compare(0, q.size(), q) == 0) k = MatchKind::prefix;
      else {
        for (size_t p = id.find(q); p != std::string::npos; p = id.find(q, p + 1))
          if (p > 0 && is_sep(id[p - 1])) k = MatchKind::word_prefix;
        if (t.size() > id.size() && t.compare(id.size() + 1, q.size(), q) == 0) k = MatchKind::word_prefix;
      }
      all.push_back({r, k});
    }
    count = sub;
    if (q.size() >= 2 && sub < limit)
      for (uint32_t r = 0; r < c.size(); ++r)
        if (text_of[r].find(q) == std::string::npos && subsequence(q, text_of[r])) {
          all.push_back({r, MatchKind::fuzzy});
          ++count;
        }
    std::sort(all.begin(), all.end(), [&](const SearchHit& a, const SearchHit& b) {
      if (a.kind != b.kind) return a.kind < b.kind;
      if (c.downloads[a.row] != c.downloads[b.row]) return c.downloads[a.row] > c.downloads[b.row];
      return c.id(a.row) < c.id(b.row);
    });
    all.resize(std::min(all.size(), limit));
    return all;
  };
  SearchIndex typed(c);
  int nonempty = 0, fuzzy = 0, exact_names = 0;
  for (int t = 0; t < 200; ++t) {
    // Half the queries come from real texts (so they match), a quarter are whole names after a
    // '/', a quarter are random.
    std::string target = t % 2 ? text_of[rng() % c.size()] : blank(lower(word(6)));
    const size_t start = rng() % target.size();
    std::string q = target.substr(start, 1 + rng() % 6);
    if (t % 4 == 2) {
      const std::string& id = id_of[rng() % c.size()];
      q = id.substr(id.rfind('/') + 1);
    }
    while (!q.empty() && q.front() == ' ') q.erase(q.begin());
    while (!q.empty() && q.back() == ' ') q.pop_back();
    if (q.empty() || q.find('\t') != std::string::npos) continue;
    for (size_t len = 1; len <= q.size(); ++len) {
      const std::string typed_q = q.substr(0, len);
      if (typed_q.back() == ' ') continue;
      size_t count = 0;
      const auto want = reference(typed_q, count);
      for (const SearchResult& got :
           {typed.search(typed_q, {.limit = limit}), SearchIndex(c).search(typed_q, {.limit = limit})}) {
        ASSERT_EQ(got.count, count) << "'" << typed_q << "'";
        ASSERT_EQ(got.hits.size(), want.size()) << "'" << typed_q << "'";
        for (size_t i = 0; i < want.size(); ++i) {
          EXPECT_EQ(c.id(got.hits[i].row), c.id(want[i].row)) << "'" << typed_q << "' hit " << i;
          EXPECT_EQ(got.hits[i].kind, want[i].kind) << "'" << typed_q << "' hit " << i;
        }
      }
      nonempty += !want.empty();
      fuzzy += !want.empty() && want.back().kind == MatchKind::fuzzy;
      exact_names += !want.empty() && want.front().kind == MatchKind::exact;
    }
  }
  EXPECT_GT(nonempty, 300);
  EXPECT_GT(fuzzy, 10);
  EXPECT_GT(exact_names, 20);
}

}  // namespace
}  // namespace hfrec
