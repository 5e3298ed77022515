// Text helpers: UTF-8 decoding and validation, Python lower(), punctuation, tokens.
#include "core/text.h"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace hfrec {
namespace {

TEST(Text, Utf8Valid) {
  size_t bad = 99;
  EXPECT_TRUE(utf8_valid("plain ascii"));
  EXPECT_TRUE(utf8_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBD"));  // é € 😀 and a real U+FFFD
  EXPECT_FALSE(utf8_valid("ab\xFF", &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(utf8_valid("\xC0\xAF", &bad));  // overlong '/'
  EXPECT_EQ(bad, 0u);
  EXPECT_FALSE(utf8_valid("x\xED\xA0\x80", &bad));  // surrogate
  EXPECT_EQ(bad, 1u);
  EXPECT_FALSE(utf8_valid("\xF4\x90\x80\x80", &bad));  // above U+10FFFF
  EXPECT_FALSE(utf8_valid("\xE2\x82", &bad));          // truncated
  EXPECT_EQ(bad, 0u);
}

TEST(Text, CodePointSetHoldsWhatTextUses) {
  CodePointSet set;
  set.add_text("plain ascii, long enough for the 8-byte path");
  EXPECT_TRUE(set.list().empty());
  set.add_text(
      "caf\xC3\xA9 \xD0\x96\xD1\x83\xD0\xBA \xE2\x98\x85 \xF0\x9F\x98\x80 \xFF");  // café Жук ★ 😀, a stray byte
  EXPECT_EQ(set.list(), (std::vector<char32_t>{0xE9, 0x416, 0x43A, 0x443, 0x2605}));  // ascending; no 😀, no U+FFFD
  EXPECT_TRUE(set.contains('a'));
  EXPECT_TRUE(set.contains(0x416));
  EXPECT_FALSE(set.contains(0x417));
  CodePointSet other;
  other.add_text("\xEF\xBF\xBD\xD0\x96");  // a written U+FFFD counts
  EXPECT_FALSE(set.covers(other));
  set.merge(other);
  EXPECT_TRUE(set.covers(other));
  EXPECT_TRUE(set.contains(0xFFFD));
}

TEST(Text, Utf8NextAndAppendRoundTrip) {
  for (char32_t cp : {char32_t(0x41), char32_t(0xE9), char32_t(0x20AC), char32_t(0x1F600), char32_t(0x10FFFF)}) {
    std::string s;
    utf8_append(s, cp);
    size_t i = 0;
    EXPECT_EQ(utf8_next(s, i), cp);
    EXPECT_EQ(i, s.size());
  }
  size_t i = 0;
  EXPECT_EQ(utf8_next("\xE2\x82", i), char32_t(0xFFFD));
  EXPECT_EQ(i, 1u);  // an invalid byte is skipped alone
}

// Counts as the UI and its notes show them: grouped by threes from the right, the sign before the
// first group, the most negative int64 too (whose negation does not fit an int64).
TEST(Text, ThousandsGroupsByThreesFromTheRight) {
  EXPECT_EQ(thousands(0), "0");
  EXPECT_EQ(thousands(999), "999");
  EXPECT_EQ(thousands(1000), "1,000");
  EXPECT_EQ(thousands(100000), "100,000");
  EXPECT_EQ(thousands(1234567), "1,234,567");
  EXPECT_EQ(thousands(-1234), "-1,234");
  EXPECT_EQ(thousands(-999), "-999");
  EXPECT_EQ(thousands(std::numeric_limits<int64_t>::min()), "-9,223,372,036,854,775,808");
  EXPECT_EQ(thousands(std::numeric_limits<int64_t>::max()), "9,223,372,036,854,775,807");
}

TEST(Text, LowerLikePython) {
  EXPECT_EQ(lower("BERT-Base"), "bert-base");
  EXPECT_EQ(lower("\xC3\x89T\xC3\x89"), "\xC3\xA9t\xC3\xA9");                // ÉTÉ
  EXPECT_EQ(lower("\xD0\x9F\xD0\xA0\xD0\x98"), "\xD0\xBF\xD1\x80\xD0\xB8");  // ПРИ
  EXPECT_EQ(lower("a\xFF"
                  "B"),
            "a\xFF"
            "b");  // invalid bytes pass through
}

TEST(Text, DeleteAsciiPunctuation) {
  EXPECT_EQ(delete_ascii_punctuation("['dataset:common_voice', 'en']"), "datasetcommonvoice en");
  EXPECT_EQ(delete_ascii_punctuation("caf\xC3\xA9!"), "caf\xC3\xA9");
}

TEST(Text, TokensLikeCountVectorizer) {
  std::vector<std::string> toks;
  for_each_token(lower("A bert-base x2 ab caf\xC3\xA9 \xF0\x9F\x98\x80\xF0\x9F\x98\x80 _x"),
                 [&](std::string_view t) { toks.emplace_back(t); });
  EXPECT_EQ(toks, (std::vector<std::string>{"bert", "base", "x2", "ab", "caf\xC3\xA9", "_x"}));
}

TEST(Text, TokensOnInvalidUtf8DoNotOverrun) {
  std::vector<std::string> toks;
  for_each_token(std::string_view("ab\xF0\x9F", 4), [&](std::string_view t) { toks.emplace_back(t); });
  EXPECT_EQ(toks, std::vector<std::string>{"ab"});
}

TEST(Text, IdTokens) {
  EXPECT_EQ(id_tokens("google/flan-t5-XL"), (std::vector<std::string>{"google", "flan", "t5", "xl"}));
  EXPECT_EQ(id_tokens("camelCase_x.y"), (std::vector<std::string>{"camel", "case", "x", "y"}));
  EXPECT_TRUE(id_tokens("").empty());
}

// find_text against std::string_view::find: every needle length around the 8- and 16-byte steps,
// every start, needles that are near misses (first and last bytes match, the middle does not).
TEST(Text, FindTextAgreesWithStringViewFind) {
  std::mt19937 rng(3);
  int found = 0;
  for (int t = 0; t < 3000; ++t) {
    std::string hay(rng() % 80, 'a');
    for (char& c : hay) c = "abc\0\xC3\xA9"[rng() % 6];
    std::string needle;
    if (!hay.empty() && rng() % 3) {
      const size_t at = rng() % hay.size();
      needle = hay.substr(at, rng() % 20);
      if (needle.size() > 2 && rng() % 2) needle[needle.size() / 2] = 'z';  // a near miss
    } else {
      needle.resize(rng() % 4);
      for (char& c : needle) c = "abc"[rng() % 3];
    }
    const std::string_view h(hay), q(needle);
    for (size_t from = 0; from <= hay.size() + 1; from += 1 + rng() % 7) {
      ASSERT_EQ(find_text(h, q, from), h.find(q, from))
          << "hay '" << hay << "' needle '" << needle << "' from " << from;
      found += h.find(q, from) != std::string_view::npos;
    }
  }
  EXPECT_GT(found, 1000);
  EXPECT_EQ(find_text("", ""), 0u);
  EXPECT_EQ(find_text("ab", "", 3), std::string_view::npos);
}

// find_first_of3 (the CSV and list scanners' delimiter search): the same as a byte loop, at every
// start, over lengths around the 16-byte vector steps, with delimiters in every lane and high bytes.
TEST(Text, FindFirstOf3AgreesWithAByteLoop) {
  std::mt19937 rng(5);
  size_t hits = 0;
  for (int t = 0; t < 4000; ++t) {
    std::string s(rng() % 70, 'a');
    const int density = 1 + static_cast<int>(rng() % 40);
    for (char& c : s) c = rng() % density ? "ab\xC3\xA9z "[rng() % 6] : ",\n\"'\\"[rng() % 5];
    const char a = ",\n\"'\\"[rng() % 5], b = ",\n\"'\\"[rng() % 5], c = rng() % 2 ? b : ",\n\"'\\"[rng() % 5];
    for (size_t p = 0; p <= s.size() + 1; ++p) {
      size_t want = p;
      while (want < s.size() && s[want] != a && s[want] != b && s[want] != c) ++want;
      if (p > s.size()) want = p;  // past the end: nothing to scan
      ASSERT_EQ(find_first_of3(s, p, a, b, c), want) << "'" << s << "' from " << p;
      hits += want < s.size();
    }
  }
  EXPECT_GT(hits, 10000u);
}

// bytes_equal (the string pool's comparison): the same as memcmp for every length up to 40 and a
// difference at every position, including the bytes its overlapping loads share.
TEST(Text, BytesEqualAgreesWithMemcmp) {
  std::mt19937 rng(11);
  int unequal = 0;
  for (size_t n = 0; n <= 40; ++n)
    for (int t = 0; t < 50; ++t) {
      std::string a(n, ' ');
      for (char& c : a) c = static_cast<char>(rng());
      std::string b = a;
      ASSERT_TRUE(bytes_equal(a.data(), b.data(), n)) << n;
      for (size_t at = 0; at < n; ++at) {
        b[at] = static_cast<char>(b[at] ^ (1 << (rng() % 8)));
        ASSERT_FALSE(bytes_equal(a.data(), b.data(), n)) << "length " << n << ", byte " << at;
        ASSERT_FALSE(bytes_equal(b.data(), a.data(), n)) << "length " << n << ", byte " << at;
        b[at] = a[at];
        ++unequal;
      }
    }
  EXPECT_EQ(unequal, 50 * 40 * 41 / 2);
}

// hash_text: equal text, equal hash (whatever the buffer); the low bits that pick a slot spread
// model-id-like strings that differ only in a digit or a trailing byte.
TEST(Text, HashTextSpreadsSimilarStrings) {
  std::string a = "sentence-transformers/all-MiniLM-L6-v2", b = a;
  EXPECT_EQ(hash_text(a), hash_text(b));
  EXPECT_NE(hash_text(""), hash_text(std::string_view("\0", 1)));
  EXPECT_NE(hash_text("ab"), hash_text("ba"));
  std::set<uint64_t> slots, full;
  const int n = 4096;
  for (int i = 0; i < n; ++i) {
    const std::string s = "org/model-" + std::to_string(i) + (i % 2 ? "" : "x");
    full.insert(hash_text(s));
    slots.insert(hash_text(s) & (n * 4 - 1));
  }
  EXPECT_EQ(full.size(), static_cast<size_t>(n));
  // 4096 keys in 16384 slots: a uniform hash leaves about 3,600 distinct slots.
  EXPECT_GT(slots.size(), 3400u);
}

// Ids that differ only by invisible code points look different (issue 16, item 15); ordinary text,
// accents and emoji are left alone. The expected strings are written out by hand.
TEST(Text, VisibleTextMarksWhatDrawsAsNothing) {
  EXPECT_EQ(visible_text("bert-base-uncased"), "bert-base-uncased");
  EXPECT_EQ(visible_text("caf\xC3\xA9 \xF0\x9F\xA4\x97 \xE4\xB8\xAD"), "caf\xC3\xA9 \xF0\x9F\xA4\x97 \xE4\xB8\xAD");
  EXPECT_EQ(visible_text("gpt\xE2\x80\x8B"
                         "2"),
            "gpt[U+200B]2");  // zero-width space
  EXPECT_EQ(visible_text("a\xE2\x80\xAE"
                         "b"),
            "a[U+202E]b");                                                // right-to-left override
  EXPECT_EQ(visible_text("\xEF\xBB\xBFx\xC2\xAD"), "[U+FEFF]x[U+00AD]");  // BOM, soft hyphen
  EXPECT_EQ(visible_text("a\x1b]0;t\x07"), "a[U+001B]]0;t[U+0007]");      // terminal escapes
  EXPECT_EQ(visible_text("x\x7f\xC2\x85"), "x[U+007F][U+0085]");          // DEL, C1 NEL
  EXPECT_EQ(visible_text("x\xF3\xA0\x80\x81"), "x[U+E0001]");             // a tag character
  EXPECT_EQ(visible_text("a\xFF"
                         "b\xC3"),
            "a[0xFF]b[0xC3]");                              // not UTF-8
  EXPECT_EQ(visible_text("\xEF\xBF\xBD"), "\xEF\xBF\xBD");  // U+FFFD itself is visible
  EXPECT_NE(visible_text("gpt2"), visible_text("gpt\xE2\x80\x8C"
                                               "2"));
}

// The map's points are written through shortest_decimal by both the CLI and the app. Oracle: the
// standard library's shortest round trip, std::to_chars(float), read back as a double. For
// |x| >= 2^24 to_chars writes the integer's every digit (fixed notation, as long as the shortest
// scientific form) where %g rounds to the fewest significant digits: both read back as x, so
// there only the round trip is checked (map coordinates stay far below).
TEST(Text, ShortestDecimalIsToCharsShortest) {
  auto oracle = [](float x) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
    EXPECT_EQ(ec, std::errc());
    double out = 0;
    std::from_chars(buf, end, out);
    return out;
  };
  std::vector<float> xs = {0.0f,           -0.0f, 0.1f,       -0.1f,    1.0f,        1e-45f,      1.17549435e-38f,
                           3.40282347e38f, 0.3f,  123456.79f, -1.5e-7f, 16777215.0f, 16777216.0f, 2.0f / 3.0f};
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> map_units(-2.0f, 3.0f);
  for (int i = 0; i < 20000; ++i) xs.push_back(map_units(rng));
  for (int i = 0; i < 20000; ++i) {  // any finite bit pattern
    float f = std::bit_cast<float>(static_cast<uint32_t>(rng()));
    if (std::isfinite(f)) xs.push_back(f);
  }
  size_t wrong = 0, compared = 0;
  for (float x : xs) {
    const double got = shortest_decimal(x);
    if (static_cast<float>(got) != x && ++wrong <= 5) ADD_FAILURE() << "x = " << x << " reads back as " << got;
    if (std::fabs(x) >= 16777216.0f) continue;
    ++compared;
    const double want = oracle(x);
    if (std::bit_cast<uint64_t>(got) != std::bit_cast<uint64_t>(want) && ++wrong <= 5)
      ADD_FAILURE() << "x = " << x << ": got " << got << ", to_chars " << want;
  }
  EXPECT_EQ(wrong, 0u) << "of " << xs.size();
  EXPECT_GT(compared, 30000u);
  EXPECT_EQ(shortest_decimal(0.1f), 0.1);  // the double 0.1, not 0.10000000149011612
  EXPECT_TRUE(std::isnan(shortest_decimal(std::numeric_limits<float>::quiet_NaN())));
}

}  // namespace
}  // namespace hfrec
