// Tests for memory.h: the check before a large allocation and its message.
#include "core/memory.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace hfrec {

// (A failing check is not tested natively: ASan reports a huge malloc instead of returning null.)
TEST(Memory, SmallBlocksFit) {
  EXPECT_TRUE(can_allocate(1));
  EXPECT_TRUE(can_allocate(1 << 20));
}

TEST(Memory, ALimitForTestsFailsLargerBlocks) {
  set_allocation_limit(1000);
  EXPECT_TRUE(can_allocate(1000));
  EXPECT_FALSE(can_allocate(1001));
  set_allocation_limit(0);
  EXPECT_TRUE(can_allocate(1001));
}

TEST(Memory, TheMessageNamesTheSizeAndTheLimit) {
  EXPECT_EQ(out_of_memory(uint64_t(1234) << 20, "the hybrid model's index"),
            "not enough memory: the hybrid model's index needs 1,234 MB more, and the WebAssembly heap stops at "
            "4 GB (reload the page to give back a previous catalogue's memory)");
}

}  // namespace hfrec
