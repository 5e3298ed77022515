// Text helpers: UTF-8 decoding and validation, Python lower(), punctuation, tokens.
#include "core/text.h"

#include <gtest/gtest.h>

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
  EXPECT_FALSE(utf8_valid("\xE2\x82", &bad));  // truncated
  EXPECT_EQ(bad, 0u);
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

TEST(Text, LowerLikePython) {
  EXPECT_EQ(lower("BERT-Base"), "bert-base");
  EXPECT_EQ(lower("\xC3\x89T\xC3\x89"), "\xC3\xA9t\xC3\xA9");             // ÉTÉ
  EXPECT_EQ(lower("\xD0\x9F\xD0\xA0\xD0\x98"), "\xD0\xBF\xD1\x80\xD0\xB8");  // ПРИ
  EXPECT_EQ(lower("a\xFF" "B"), "a\xFF" "b");                             // invalid bytes pass through
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

}  // namespace
}  // namespace hfrec
