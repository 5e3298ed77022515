// Did-you-mean for model ids (against a brute-force oracle) and model ids from Hub URLs.
#include "core/suggest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

namespace hfrec {
namespace {

ModelRecord rec(std::string id, int64_t downloads) {
  ModelRecord r;
  r.id = std::move(id);
  r.downloads = downloads;
  return r;
}

Catalogue sample() {
  return make_catalogue({
      rec("bert-base-uncased", 100),
      rec("bert-base-cased", 90),
      rec("distilbert-base-uncased", 500),
      rec("openai-community/gpt2", 900),
      rec("gpt2", 950),
      rec("gpt2-medium", 80),
      rec("google-t5/t5-small", 70),
      rec("someone/T5-Small", 5),
      rec("Helsinki-NLP/opus-mt-en-de", 40),
  });
}

std::string id_of(const Catalogue& c, const Suggestion& s) {
  return s.kind == SuggestKind::none ? "(none)" : std::string(c.id(s.row));
}

TEST(Suggest, KindsOnNamedCases) {
  Catalogue c = sample();
  auto s = suggest_model(c, "bert-base-uncased");
  EXPECT_EQ(s.kind, SuggestKind::exact);
  EXPECT_EQ(id_of(c, s), "bert-base-uncased");

  s = suggest_model(c, "BERT-base-uncased");
  EXPECT_EQ(s.kind, SuggestKind::case_only);
  EXPECT_EQ(id_of(c, s), "bert-base-uncased");

  s = suggest_model(c, "helsinki-nlp/OPUS-MT-EN-DE");
  EXPECT_EQ(s.kind, SuggestKind::case_only);
  EXPECT_EQ(id_of(c, s), "Helsinki-NLP/opus-mt-en-de");

  s = suggest_model(c, "bert-base-uncasd");  // a deletion
  EXPECT_EQ(s.kind, SuggestKind::near);
  EXPECT_EQ(s.distance, 1u);
  EXPECT_EQ(id_of(c, s), "bert-base-uncased");

  s = suggest_model(c, "gtp2");  // a transposition is one edit
  EXPECT_EQ(s.kind, SuggestKind::near);
  EXPECT_EQ(s.distance, 1u);
  EXPECT_EQ(id_of(c, s), "gpt2");

  // Same name under another (or no) author: the most downloaded of them.
  s = suggest_model(c, "google-bert/bert-base-uncased");
  EXPECT_EQ(s.kind, SuggestKind::same_name);
  EXPECT_EQ(id_of(c, s), "bert-base-uncased");
  s = suggest_model(c, "t5-small");
  EXPECT_EQ(s.kind, SuggestKind::same_name);
  EXPECT_EQ(id_of(c, s), "google-t5/t5-small");

  // A shortened id: the prefix's distance is the missing length.
  s = suggest_model(c, "distilbert-b");
  EXPECT_EQ(s.kind, SuggestKind::near);
  EXPECT_EQ(s.distance, 11u);
  EXPECT_EQ(id_of(c, s), "distilbert-base-uncased");

  EXPECT_EQ(suggest_model(c, "zzzzzzzz").kind, SuggestKind::none);
  // At most 8 edits, however long the text (a third of 36 bytes would be 12).
  Catalogue long_ids = make_catalogue({rec("abcdefghijklmnopqrstuvwxyz0123456789", 1)});
  EXPECT_EQ(suggest_model(long_ids, "abcdefghijklmnopqrstuvwxyz012345678X").distance, 1u);
  EXPECT_EQ(suggest_model(long_ids, "XXXXXXXXijklmnopqrstuvwxyz0123456789").distance, 8u);
  EXPECT_EQ(suggest_model(long_ids, "XXXXXXXXXjklmnopqrstuvwxyz0123456789").kind, SuggestKind::none);
  EXPECT_EQ(suggest_model(c, "").kind, SuggestKind::none);
  EXPECT_STREQ(suggest_kind_name(SuggestKind::case_only), "case");
}

TEST(Suggest, EditDistanceNamedCases) {
  EXPECT_EQ(edit_distance("kitten", "sitting", 10), 3u);
  EXPECT_EQ(edit_distance("ca", "ac", 10), 1u);
  EXPECT_EQ(edit_distance("CA", "abc", 10), 3u);  // optimal string alignment (full Damerau says 2)
  EXPECT_EQ(edit_distance("GPT2", "gpt2", 10), 0u);
  EXPECT_EQ(edit_distance("kitten", "sitting", 2), 3u);  // limit + 1
  EXPECT_EQ(edit_distance("", "abc", 5), 3u);
  EXPECT_EQ(edit_distance("abc", "", 1), 2u);
}

// --- the oracle: every id scored from the definitions, the best picked by a full sort ---

char low(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

std::string lowered(std::string s) {
  for (char& ch : s) ch = low(ch);
  return s;
}

// The whole optimal-string-alignment matrix, no limit.
size_t oracle_distance(const std::string& a0, const std::string& b0) {
  const std::string a = lowered(a0), b = lowered(b0);
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string after_slash(const std::string& s) {
  auto p = s.rfind('/');
  return p == std::string::npos ? s : s.substr(p + 1);
}

Suggestion oracle_suggest(const Catalogue& c, const std::string& text) {
  if (text.empty()) return {};
  const size_t limit = std::min<size_t>(8, std::max<size_t>(1, text.size() / 3));
  std::vector<std::tuple<int, size_t, int64_t, std::string, uint32_t>> cands;  // kind, distance, -downloads, id, row
  for (uint32_t r = 0; r < c.size(); ++r) {
    const std::string id(c.id(r));
    int kind = -1;
    size_t dist = 0;
    if (id == text) kind = 0;
    else if (lowered(id) == lowered(text)) kind = 1;
    else if (!after_slash(text).empty() && lowered(after_slash(id)) == lowered(after_slash(text))) kind = 2;
    else if (text.size() >= 3 && lowered(id).rfind(lowered(text), 0) == 0) kind = 3, dist = id.size() - text.size();
    else if (size_t d = oracle_distance(text, id); d <= limit) kind = 3, dist = d;
    if (kind >= 0) cands.emplace_back(kind, dist, -c.downloads[r], id, r);
  }
  if (cands.empty()) return {};
  std::sort(cands.begin(), cands.end());
  const auto& b = cands.front();
  return Suggestion{std::get<4>(b), static_cast<SuggestKind>(std::get<0>(b)), std::get<1>(b)};
}

std::string random_text(std::mt19937& rng, size_t max_len) {
  static const char alphabet[] = "abAB-/c";
  std::uniform_int_distribution<size_t> len(1, max_len), ch(0, sizeof alphabet - 2);
  std::string s;
  for (size_t n = len(rng); n; --n) s += alphabet[ch(rng)];
  return s;
}

// A few random edits of an id: substitutions, insertions, deletions, swaps, case changes.
std::string mutate(std::mt19937& rng, std::string s) {
  std::uniform_int_distribution<int> edits(0, 3), op(0, 4);
  for (int e = edits(rng); e > 0 && !s.empty(); --e) {
    size_t i = std::uniform_int_distribution<size_t>(0, s.size() - 1)(rng);
    switch (op(rng)) {
      case 0: s[i] = "abc-/"[i % 5]; break;
      case 1: s.insert(s.begin() + static_cast<long>(i), 'b'); break;
      case 2: s.erase(i, 1); break;
      case 3:
        if (i + 1 < s.size()) std::swap(s[i], s[i + 1]);
        break;
      case 4: s[i] = static_cast<char>(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]); break;
    }
  }
  return s.empty() ? "a" : s;
}

TEST(Suggest, MatchesBruteForceOracle) {
  std::mt19937 rng(20261130);
  for (int round = 0; round < 60; ++round) {
    std::vector<ModelRecord> records;
    std::uniform_int_distribution<int64_t> dl(0, 4);  // few values: many download ties
    for (int i = 0; i < 40; ++i) records.push_back(rec(random_text(rng, 9), dl(rng)));
    Catalogue c = make_catalogue(records);
    for (int q = 0; q < 40; ++q) {
      std::string text =
          q % 3 == 0 ? random_text(rng, 9) : mutate(rng, std::string(c.id(static_cast<uint32_t>(rng() % c.size()))));
      Suggestion got = suggest_model(c, text), want = oracle_suggest(c, text);
      ASSERT_EQ(got.kind, want.kind) << "text '" << text << "' round " << round;
      if (want.kind == SuggestKind::none) continue;
      ASSERT_EQ(id_of(c, got), id_of(c, want)) << "text '" << text << "' round " << round;
      ASSERT_EQ(got.distance, want.distance) << "text '" << text << "'";
    }
  }
}

TEST(Suggest, EditDistanceMatchesOracleUnderEveryLimit) {
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    std::string a = random_text(rng, 10), b = i % 2 ? mutate(rng, a) : random_text(rng, 10);
    const size_t want = oracle_distance(a, b);
    for (size_t limit : {0, 1, 2, 3, 5, 12})
      ASSERT_EQ(edit_distance(a, b, limit), std::min(want, limit + 1)) << a << " " << b << " " << limit;
  }
}

TEST(ModelIdFromText, HubUrlsAndPrefixes) {
  const std::pair<const char*, const char*> cases[] = {
      {"https://huggingface.co/gpt2", "gpt2"},
      {"http://huggingface.co/gpt2/", "gpt2"},
      {"huggingface.co/google-bert/bert-base-uncased", "google-bert/bert-base-uncased"},
      {"hf.co/google-bert/bert-base-uncased", "google-bert/bert-base-uncased"},
      {"HTTPS://www.HuggingFace.co/openai-community/gpt2", "openai-community/gpt2"},
      {"https://huggingface.co/google-bert/bert-base-uncased/tree/main", "google-bert/bert-base-uncased"},
      {"https://huggingface.co/gpt2/tree/main", "gpt2"},
      {"https://huggingface.co/gpt2/blob/main/config.json", "gpt2"},
      {"https://huggingface.co/facebook/bart-large-cnn?library=transformers", "facebook/bart-large-cnn"},
      {"https://huggingface.co/facebook/bart-large-cnn#model-card", "facebook/bart-large-cnn"},
      {"hf.co/gpt2?x=1#y", "gpt2"},
      {"  https://huggingface.co/gpt2\n", "gpt2"},
      {"https://huggingface.co/", ""},
      {"https://huggingface.co", ""},
      // Not a Hub URL: unchanged, spaces included.
      {"bert", "bert"},
      {" bert ", " bert "},
      {"google-bert/bert-base-uncased/tree/main", "google-bert/bert-base-uncased/tree/main"},
      {"https://example.org/gpt2", "https://example.org/gpt2"},
      {"huggingface.community/x", "huggingface.community/x"},
      {"hf.coffee/x", "hf.coffee/x"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(model_id_from_text(in), want) << in;
}

}  // namespace
}  // namespace hfrec
