// Work in slices: the resumable merge sort against std::sort, the batch loop and the phase
// progress against hand-worked numbers (core/sliced.h).
#include "core/sliced.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <string_view>
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

// SlicedRefine with a 2-byte part, so short strings take many levels: strings over 'a', 'b', NUL
// and 0xff (unsigned order; NUL against the padding), prefixes of each other and equal ones, in the
// order of std::sort over (string, index), in tiny slices and in one; every piece at most kInline.
struct Item {
  uint32_t part = 0, row = 0, len = 0;
};
struct ItemOps {
  static constexpr uint32_t kPart = 2;
  const std::vector<std::string>* s;
  bool operator()(const Item& a, const Item& b) const {
    if (a.part != b.part) return a.part < b.part;
    if (a.len != b.len) return a.len < b.len;
    return a.row < b.row;
  }
  static bool tied(const Item& a, const Item& b) { return a.part == b.part; }
  static uint32_t length(const Item& a) { return a.len; }
  void rekey(Item& a, uint32_t depth) const {
    const std::string& t = (*s)[a.row];
    auto byte = [&](size_t i) { return i < t.size() ? static_cast<unsigned char>(t[i]) : 0u; };
    a.part = byte(depth) << 8 | byte(depth + 1);
  }
  std::string_view text(const Item& a) const { return (*s)[a.row]; }
};
TEST(SlicedRefine, SortsStringsAsStdSortWhateverTheSlices) {
  for (size_t n : {size_t(0), size_t(1), size_t(300), size_t(20000)}) {
    std::mt19937 rng(static_cast<uint32_t>(n));
    std::vector<std::string> strs(n);
    for (std::string& t : strs)
      for (size_t j = 0, len = rng() % 13; j < len; ++j) t += "ab\0\xff"[rng() % 4];
    std::vector<uint32_t> want(n);
    std::iota(want.begin(), want.end(), 0u);
    std::sort(want.begin(), want.end(),
              [&](uint32_t a, uint32_t b) { return strs[a] < strs[b] || (strs[a] == strs[b] && a < b); });
    for (bool tiny : {true, false}) {
      const ItemOps ops{&strs};
      std::vector<Item> items(n);
      for (uint32_t r = 0; r < n; ++r) {
        items[r] = {0, r, static_cast<uint32_t>(strs[r].size())};
        ops.rekey(items[r], 0);
      }
      std::sort(items.begin(), items.end(), ops);
      using Refine = SlicedRefine<Item, ItemOps, 8>;
      Refine refine(items, ops);
      int steps = 1;
      double last = 0;
      for (;;) {
        const SliceTimer t = tiny ? SliceTimer::work(0) : SliceTimer(1e9);
        const bool done = refine.step(t);
        EXPECT_LE(t.largest_piece(), Refine::kInline) << n << " strings, step " << steps;
        EXPECT_GE(refine.progress(), last);
        last = refine.progress();
        if (done) break;
        ++steps;
      }
      EXPECT_EQ(refine.progress(), 1.0);
      std::vector<uint32_t> got;
      for (const Item& it : items) got.push_back(it.row);
      EXPECT_EQ(got, want) << n << " strings" << (tiny ? " in tiny slices" : " in one step");
      if (tiny && n == 20000) {
        EXPECT_GT(steps, 100);
      }
    }
  }
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
