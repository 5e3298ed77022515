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

}  // namespace
}  // namespace hfrec
