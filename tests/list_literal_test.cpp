// parse_list_literal: the Python list literals of Hub CSV dumps, and python_list_repr.
#include "core/list_literal.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

namespace hfrec {
namespace {

using Items = std::vector<std::string>;

Items ok(std::string_view cell) {
  auto r = parse_list_literal(cell);
  EXPECT_TRUE(r.ok()) << cell << ": " << (r.ok() ? "" : r.error());
  return r.ok() ? r.value() : Items{};
}
std::string err(std::string_view cell, ListLimits limits = {}) {
  auto r = parse_list_literal(cell, limits);
  EXPECT_FALSE(r.ok()) << cell;
  return r.ok() ? std::string() : r.error();
}

TEST(ListLiteral, Simple) {
  EXPECT_EQ(ok("['pytorch', 'bert']"), (Items{"pytorch", "bert"}));
  EXPECT_EQ(ok("[\"a\"]"), (Items{"a"}));
  EXPECT_EQ(ok("  [ 'a' ,'b' , ]  "), (Items{"a", "b"}));
}

TEST(ListLiteral, EmptyList) {
  EXPECT_EQ(ok("[]"), Items{});
  EXPECT_EQ(ok("[ ]"), Items{});
  EXPECT_EQ(ok("()"), Items{});
}

TEST(ListLiteral, ItemsHoldingQuotesAndCommas) {
  EXPECT_EQ(ok("[\"it's\", 'a, b', 'say \"hi\"']"), (Items{"it's", "a, b", "say \"hi\""}));
  EXPECT_EQ(ok("['[x]', '']"), (Items{"[x]", ""}));
}

TEST(ListLiteral, Escapes) {
  EXPECT_EQ(ok(R"(['it\'s', 'back\\slash', 'tab\there', 'nl\n'])"),
            (Items{"it's", "back\\slash", "tab\there", "nl\n"}));
  EXPECT_EQ(ok(R"(['\xe9', '\u00e9t\u00e9', '\U0001F600'])"),
            (Items{"\xC3\xA9", "\xC3\xA9t\xC3\xA9", "\xF0\x9F\x98\x80"}));
  EXPECT_EQ(ok(R"(['\q'])"), (Items{"\\q"}));  // an unknown escape keeps its backslash, as Python does
}

TEST(ListLiteral, LoneSurrogateEscapeBecomesReplacementCharacter) {
  EXPECT_EQ(ok(R"(['\ud800x'])"), (Items{"\xEF\xBF\xBDx"}));
  EXPECT_EQ(ok(R"(['\U00110000'])"), (Items{"\xEF\xBF\xBD"}));
}

TEST(ListLiteral, NoneIsDropped) {
  EXPECT_EQ(ok("[None]"), Items{});
  EXPECT_EQ(ok("['a', None, 'b']"), (Items{"a", "b"}));
}

TEST(ListLiteral, NumbersAndBooleansKeepTheirText) {
  EXPECT_EQ(ok("[1, 2.5, -3, True]"), (Items{"1", "2.5", "-3", "True"}));
}

TEST(ListLiteral, DictItemsContributeTheirKeys) {
  EXPECT_EQ(ok("[{'name': 'squad', 'config': ['x', 'y']}, 'z']"), (Items{"name", "config", "z"}));
  EXPECT_EQ(ok("[{}]"), Items{});
}

TEST(ListLiteral, NestedListsAreFlattened) { EXPECT_EQ(ok("[['a', ['b']], ('c',)]"), (Items{"a", "b", "c"})); }

TEST(ListLiteral, Errors) {
  EXPECT_EQ(err(""), "character 1: expected a list such as ['a', 'b'], found end of cell");
  EXPECT_EQ(err("pytorch"), "character 1: expected a list such as ['a', 'b'], found 'p'");
  EXPECT_EQ(err("['a'"), "character 5: expected ',' or ']', found end of cell");
  EXPECT_EQ(err("['a' 'b']"), "character 6: expected ',' or ']', found '''");
  EXPECT_EQ(err("['a]"), "character 5: expected a closing ', found end of cell");
  EXPECT_EQ(err("[bert]"), "character 2: expected a quoted string (bare words are not Python literals), found 'b'");
  EXPECT_EQ(err("['a'] x"), "character 7: expected end of cell after the list, found 'x'");
  EXPECT_EQ(err("[{'a' 1}]"), "character 7: expected ':', found '1'");
  EXPECT_EQ(err("['\\x4']"), "character 6: expected a hexadecimal digit, found '''");
  EXPECT_EQ(err("['\\u12"), "character 3: expected a complete \\u escape, found '\\'");
  EXPECT_EQ(err("[\x01]"),
            "character 2: expected a string, None, a number, a list or a dict, found a control character");
}

TEST(ListLiteral, ErrorMessagesStayValidUtf8) {
  EXPECT_EQ(err("[\xC3\xA9]"), "character 2: expected a string, None, a number, a list or a dict, found '\xC3\xA9'");
  EXPECT_EQ(err("[\xFF]"), "character 2: expected a string, None, a number, a list or a dict, found '\\xff'");
}

TEST(ListLiteral, ItemLimit) {
  EXPECT_EQ(parse_list_literal("['a', 'b']", ListLimits{.max_items = 2}).value().size(), 2u);
  EXPECT_EQ(err("['a', 'b', 'c']", ListLimits{.max_items = 2}), "character 12: more than 2 items (limit max_items)");
}

TEST(ListLiteral, DepthLimitKeepsTheStackSmall) {
  EXPECT_TRUE(parse_list_literal("[[[]]]", ListLimits{.max_depth = 3}).ok());
  EXPECT_EQ(err("[[[[]]]]", ListLimits{.max_depth = 3}), "character 4: nested deeper than 3 levels (limit max_depth)");
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(err(deep), "character 33: nested deeper than 32 levels (limit max_depth)");
}

TEST(ListLiteral, ReprRoundTrips) {
  Items items{"a", "it's", "say \"hi\"", "both ' and \"", "back\\slash", "nl\ntab\tcr\r", "", "\xC3\xA9"};
  EXPECT_EQ(ok(python_list_repr(items)), items);
  EXPECT_EQ(python_list_repr({"a", "it's"}), "['a', \"it's\"]");
  EXPECT_EQ(python_list_repr({}), "[]");
}

// The allocation-free form: items without escapes are views into the cell itself, items with
// escapes are unescaped into the scratch; errors read as in the vector form.
TEST(ListLiteral, ViewsPointIntoTheCellUnlessEscaped) {
  const std::string cell = "['pytorch', 'it\\'s', \"x\", 12, None, {'k': 'v'}]";
  std::vector<std::string_view> items;
  std::deque<std::string> scratch;
  EXPECT_EQ(parse_list_literal(cell, {}, items, scratch), "");
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(std::vector<std::string>(items.begin(), items.end()), ok(cell));
  auto inside = [&](std::string_view v) {
    return v.data() >= cell.data() && v.data() + v.size() <= cell.data() + cell.size();
  };
  EXPECT_TRUE(inside(items[0]));
  EXPECT_FALSE(inside(items[1]));  // "it's" had a backslash
  EXPECT_EQ(items[1], "it's");
  EXPECT_EQ(scratch.size(), 1u);
  EXPECT_TRUE(inside(items[2]) && inside(items[3]) && inside(items[4]));
  // Reused: cleared first; an error is the same message as the vector form's.
  for (const char* bad : {"['a', 'b'", "['a' 'b']", "['\\x4']", "[bare]"}) {
    EXPECT_EQ(parse_list_literal(bad, {}, items, scratch), err(bad)) << bad;
  }
  EXPECT_EQ(parse_list_literal("[]", {}, items, scratch), "");
  EXPECT_TRUE(items.empty());
  EXPECT_TRUE(scratch.empty());
}

}  // namespace
}  // namespace hfrec
