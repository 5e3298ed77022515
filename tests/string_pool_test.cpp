// StringPool: dense ids in order of first intern, and views that stay valid while it grows (its
// bytes live in chunks that never move).
#include "core/string_pool.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hfrec {
namespace {

TEST(StringPool, DenseIdsAndStableViewsAcrossChunks) {
  StringPool pool;
  std::vector<std::string> strings = {"", "a", std::string(300000, 'L')};  // empty, short, own chunk
  for (int i = 0; i < 60000; ++i) strings.push_back("org-" + std::to_string(i) + "/model-" + std::string(i % 40, 'x'));
  std::vector<std::string_view> views;
  for (size_t i = 0; i < strings.size(); ++i) {
    bool added = false;
    EXPECT_EQ(pool.intern(strings[i], &added), i);
    EXPECT_TRUE(added);
    views.push_back(pool.str(static_cast<uint32_t>(i)));
  }
  ASSERT_EQ(pool.size(), strings.size());
  for (size_t i = 0; i < strings.size(); ++i) {
    EXPECT_EQ(views[i], strings[i]) << i;  // taken early, still valid after ~3 MB more
    EXPECT_EQ(pool.find(strings[i]), i);
    bool added = true;
    EXPECT_EQ(pool.intern(strings[i], &added), i);
    EXPECT_FALSE(added);
  }
  EXPECT_EQ(pool.find("not there"), kMissing);
  StringPool moved = std::move(pool);
  EXPECT_EQ(moved.str(2), strings[2]);
  EXPECT_EQ(moved.find("a"), 1u);
}

// A rehash places every id again from its hash computed anew (the pool keeps none), and each slot
// keeps only some bits of it: after growing and a late reserve, every id is still found, and
// strings never interned, alike but for a byte, are not.
TEST(StringPool, RehashedTableFindsEveryIdAndNoOther) {
  StringPool pool;
  const int n = 20000;
  auto name = [](int i, char tail) { return "m" + std::to_string(i) + tail; };
  for (int i = 0; i < n; ++i) ASSERT_EQ(pool.intern(name(i, 'a')), static_cast<uint32_t>(i));
  pool.reserve(5 * n);
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(pool.find(name(i, 'a')), static_cast<uint32_t>(i)) << i;
    ASSERT_EQ(pool.find(name(i, 'b')), kMissing) << i;
  }
  for (int i = 0; i < n; ++i) ASSERT_EQ(pool.intern(name(i, 'b')), static_cast<uint32_t>(n + i));
  for (int i = 0; i < n; ++i) ASSERT_EQ(pool.find(name(i, 'a')), static_cast<uint32_t>(i)) << i;
}

// Past 3/8 full the table moves to one twice its size a piece at each new id (ids placed in
// both tables meanwhile): through many such moves, and a reserve() in the middle of some, every
// id is found after every intern, and interning it again adds nothing.
TEST(StringPool, FindsEveryIdWhileItsTableMoves) {
  StringPool pool;
  const int n = 70000;
  auto name = [](int i) { return "author-" + std::to_string(i % 997) + "/m" + std::to_string(i); };
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(pool.intern(name(i)), static_cast<uint32_t>(i));
    if (i == 400 || i == 850 || i == 3300) pool.reserve(static_cast<size_t>(i) + 600);  // mid-move
    for (int j : {i, i / 2, i / 3, i - 1, (i * 7919) % (i + 1)}) {
      if (j < 0) continue;
      ASSERT_EQ(pool.find(name(j)), static_cast<uint32_t>(j)) << i << " " << j;
    }
    bool added = true;
    ASSERT_EQ(pool.intern(name(i / 5), &added), static_cast<uint32_t>(i / 5)) << i;
    ASSERT_FALSE(added) << i;
  }
  for (int i = 0; i < n; ++i) ASSERT_EQ(pool.find(name(i)), static_cast<uint32_t>(i)) << i;
  ASSERT_EQ(pool.size(), static_cast<size_t>(n));
  EXPECT_EQ(pool.find("author-1/m70001"), kMissing);
}

}  // namespace
}  // namespace hfrec
