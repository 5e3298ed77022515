// Work in slices: the resumable merge sort against std::sort, the batch loop and the phase
// progress against hand-worked numbers (core/sliced.h).
#include "core/sliced.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

namespace hfrec {
namespace {

struct Less {
  bool operator()(uint32_t a, uint32_t b) const { return a < b; }
};

// Sorts with timers that expire at once (each step does one run or one batch of a merge).
std::vector<uint32_t> sort_in_tiny_slices(std::vector<uint32_t> v, int& steps) {
  SlicedSort<Less> s(std::move(v), Less{});
  steps = 1;
  double last = 0;
  while (!s.step(SliceTimer::work(0))) {
    EXPECT_GE(s.progress(), last);
    last = s.progress();
    ++steps;
  }
  EXPECT_EQ(s.progress(), 1.0);
  return s.take();
}

TEST(SlicedSort, MatchesStdSortWhateverTheSlices) {
  const size_t run = SlicedSort<Less>::kRun;
  for (size_t n : {size_t(0), size_t(1), size_t(2), run - 1, run, run + 1, 3 * run + 7, size_t(40000)}) {
    std::vector<uint32_t> v(n);
    std::iota(v.begin(), v.end(), 0u);
    std::shuffle(v.begin(), v.end(), std::mt19937(static_cast<uint32_t>(n)));
    std::vector<uint32_t> want = v;
    std::sort(want.begin(), want.end());
    int steps = 0;
    EXPECT_EQ(sort_in_tiny_slices(v, steps), want) << n << " items";
    if (n > 2 * run) {
      EXPECT_GT(steps, 2) << "a sort of " << n << " items should take several slices";
    }
    SlicedSort<Less> whole(v, Less{});
    EXPECT_TRUE(whole.step(SliceTimer(1e9)));
    EXPECT_EQ(whole.take(), want) << n << " items in one step";
  }
}

TEST(SlicedSort, SortsDescendingWithAnyStrictOrder) {
  std::vector<uint32_t> v(5000);
  std::iota(v.begin(), v.end(), 0u);
  std::shuffle(v.begin(), v.end(), std::mt19937(3));
  auto greater = [](uint32_t a, uint32_t b) { return a > b; };
  SlicedSort<decltype(greater)> s(v, greater);
  while (!s.step(SliceTimer::work(0))) {}
  std::vector<uint32_t> want = v;
  std::sort(want.begin(), want.end(), greater);
  EXPECT_EQ(s.take(), want);
}

TEST(Batches, VisitEveryIndexOnceInOrderAndResume) {
  std::vector<uint64_t> seen;
  uint64_t pos = 0;
  int calls = 0;
  while (!batches(pos, 10, Batch{3, 1}, SliceTimer::work(0), [&](uint64_t b, uint64_t e) {
    for (uint64_t i = b; i < e; ++i) seen.push_back(i);
  }))
    ++calls;
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(calls, 4);  // each batch ends its step ([9,10) too: the step's budget is spent)
  EXPECT_TRUE(
      batches(pos, 10, Batch{3, 1}, SliceTimer::work(0), [](uint64_t, uint64_t) { FAIL() << "nothing left to do"; }));
}

TEST(Grow, ReachesTheSizeWithTheValue) {
  std::vector<int> v{1, 2};
  while (!grow(v, 600000, 7, SliceTimer::work(0))) {}
  ASSERT_EQ(v.size(), 600000u);
  EXPECT_EQ(v[0], 1);
  EXPECT_EQ(v[1], 2);
  EXPECT_EQ(std::count(v.begin(), v.end(), 7), 599998);
}

// A piece writes at most 1 MB, whatever the element's size (fresh pages cost about 4 ms a MB on
// this project's machines): for 24-byte elements, 43,690 a piece, not 262,144.
TEST(Grow, APieceWritesAtMostAMegabyte) {
  struct Entry {
    uint32_t a, b;
    double m;
    uint64_t pad;
  };
  static_assert(sizeof(Entry) == 24);
  std::vector<Entry> v;
  size_t pieces = 0;
  for (;;) {
    const size_t before = v.size();
    const bool done = grow(v, 300000, Entry{}, SliceTimer::work(0));
    EXPECT_LE((v.size() - before) * sizeof(Entry), size_t(1) << 20);
    ++pieces;
    if (done) break;
  }
  EXPECT_EQ(v.size(), 300000u);
  EXPECT_GE(pieces, 300000 * sizeof(Entry) >> 20);
}

TEST(PhasedProgress, WeightsTheCurrentPhase) {
  const double w[3] = {1, 2, 1};
  EXPECT_DOUBLE_EQ(phased_progress(w, 3, 0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(phased_progress(w, 3, 0, 0.5), 0.125);  // (0 + 1 * 0.5) / 4
  EXPECT_DOUBLE_EQ(phased_progress(w, 3, 1, 0.5), 0.5);    // (1 + 2 * 0.5) / 4
  EXPECT_DOUBLE_EQ(phased_progress(w, 3, 2, 2.0), 1.0);    // the fraction is clamped
  EXPECT_DOUBLE_EQ(phased_progress(w, 3, 3, 0.0), 1.0);    // past the last phase
  EXPECT_DOUBLE_EQ(frac(3, 4), 0.75);
  EXPECT_DOUBLE_EQ(frac(0, 0), 1.0);
}

}  // namespace
}  // namespace hfrec
