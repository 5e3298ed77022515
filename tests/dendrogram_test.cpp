// Dendrogram layout: a hand-drawn four-leaf tree, then random trees against a recursive layout (the
// obvious definition), and cut heights against counting the merges above them (core/dendrogram.h).
#include "core/dendrogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

namespace hfrec {
namespace {

// ((0 1) at 1, (2 3) at 2) at 5; nodes 4, 5, 6.
Dendrogram four_leaves() {
  Dendrogram d;
  d.n_leaves = 4;
  d.leaf_size = {1, 1, 1, 1};
  d.merges = {{0, 1, 1.0, 2}, {2, 3, 2.0, 2}, {4, 5, 5.0, 4}};
  return d;
}

void expect_link(const DendrogramLink& l, float xl, float xr, float hl, float hr, float h) {
  EXPECT_FLOAT_EQ(l.x_left, xl);
  EXPECT_FLOAT_EQ(l.x_right, xr);
  EXPECT_FLOAT_EQ(l.h_left, hl);
  EXPECT_FLOAT_EQ(l.h_right, hr);
  EXPECT_FLOAT_EQ(l.h, h);
}

TEST(DendrogramLayout, FourLeavesDrawnWhole) {
  const DendrogramLayout l = layout_dendrogram(four_leaves());
  ASSERT_EQ(l.leaves.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_FLOAT_EQ(l.leaves[i].x, (i + 0.5f) / 4);
    EXPECT_EQ(l.leaves[i].size, 1u);
  }
  ASSERT_EQ(l.links.size(), 3u);
  expect_link(l.links[0], 0.125f, 0.375f, 0, 0, 1);
  expect_link(l.links[1], 0.625f, 0.875f, 0, 0, 2);
  expect_link(l.links[2], 0.25f, 0.75f, 1, 2, 5);
  EXPECT_EQ(l.merge_heights, (std::vector<double>{5, 2, 1}));
  EXPECT_EQ(l.max_height, 5);
}

TEST(DendrogramLayout, TruncatedToTwoLeaves) {
  const DendrogramLayout l = layout_dendrogram(four_leaves(), {.leaves = 2});
  ASSERT_EQ(l.leaves.size(), 2u);
  EXPECT_FLOAT_EQ(l.leaves[0].x, 0.25f);
  EXPECT_EQ(l.leaves[0].size, 2u);  // the subtree (0 1)
  EXPECT_FLOAT_EQ(l.leaves[1].x, 0.75f);
  ASSERT_EQ(l.links.size(), 1u);
  expect_link(l.links[0], 0.25f, 0.75f, 0, 0, 5);
}

TEST(DendrogramLayout, NothingToDraw) {
  Dendrogram one;
  one.n_leaves = 1;
  one.leaf_size = {1};
  EXPECT_TRUE(layout_dendrogram(one).empty());
  Dendrogram broken = four_leaves();
  broken.merges.pop_back();  // the merges do not join every leaf
  EXPECT_TRUE(layout_dendrogram(broken).empty());
  EXPECT_TRUE(layout_dendrogram(Dendrogram{}).empty());
}

// A random agglomeration of n leaves: any two clusters merge, at increasing heights.
Dendrogram random_dendrogram(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  Dendrogram d;
  d.n_leaves = n;
  std::vector<uint32_t> active(n);
  std::iota(active.begin(), active.end(), 0u);
  std::vector<double> size(2 * n - 1, 1);
  for (size_t i = 0; i < n; ++i) d.leaf_size.push_back(1 + rng() % 3), size[i] = d.leaf_size[i];
  double h = 0;
  for (size_t m = 0; m + 1 < n; ++m) {
    std::shuffle(active.begin(), active.end(), rng);
    const uint32_t a = active.back();
    active.pop_back();
    const uint32_t b = active.back();
    active.pop_back();
    h += 0.5 + (rng() % 100) / 100.0;  // distinct heights
    const auto id = static_cast<uint32_t>(n + m);
    size[id] = size[a] + size[b];
    d.merges.push_back({a, b, h, size[id]});
    active.push_back(id);
  }
  return d;
}

// The obvious definition, recursively: merges from first_shown up are drawn, each between its
// children (left child first); everything else is a leaf, evenly spaced in order of the walk.
struct RecursiveLayout {
  const Dendrogram& d;
  size_t p, first_shown, next = 0;
  DendrogramLayout out;
  std::pair<float, float> visit(size_t t) {  // (x, h)
    const size_t n = d.n_leaves;
    if (t < n || t - n < first_shown) {
      const float x = (static_cast<float>(next++) + 0.5f) / static_cast<float>(p);
      out.leaves.push_back({x, static_cast<uint32_t>(t < n ? d.leaf_size[t] : d.merges[t - n].size)});
      return {x, 0};
    }
    const Merge& mg = d.merges[t - n];
    const auto l = visit(mg.a);
    const auto r = visit(mg.b);
    const float x = (l.first + r.first) / 2, h = static_cast<float>(mg.height);
    out.links.push_back({l.first, r.first, l.second, r.second, h});
    return {x, h};
  }
};

TEST(DendrogramLayout, MatchesTheRecursiveDefinition) {
  for (size_t n : {2, 3, 17, 300}) {
    const Dendrogram d = random_dendrogram(n, static_cast<uint32_t>(n));
    for (size_t leaves : {size_t(2), size_t(5), size_t(30), n}) {
      const size_t p = std::min(leaves, n);
      RecursiveLayout want{d, p, d.merges.size() - (p - 1), 0, {}};
      want.visit(2 * n - 2);
      const DendrogramLayout got = layout_dendrogram(d, {.leaves = leaves});
      ASSERT_EQ(got.leaves.size(), want.out.leaves.size()) << n << " leaves, " << leaves << " drawn";
      ASSERT_EQ(got.links.size(), want.out.links.size());
      for (size_t i = 0; i < got.leaves.size(); ++i) {
        EXPECT_EQ(got.leaves[i].x, want.out.leaves[i].x);
        EXPECT_EQ(got.leaves[i].size, want.out.leaves[i].size);
      }
      for (size_t i = 0; i < got.links.size(); ++i) {
        const DendrogramLink &a = got.links[i], &b = want.out.links[i];
        EXPECT_EQ(a.x_left, b.x_left);
        EXPECT_EQ(a.x_right, b.x_right);
        EXPECT_EQ(a.h_left, b.h_left);
        EXPECT_EQ(a.h_right, b.h_right);
        EXPECT_EQ(a.h, b.h);
      }
    }
  }
}

TEST(DendrogramLayout, MergeHeightsAreCapped) {
  const Dendrogram d = random_dendrogram(50, 1);
  const DendrogramLayout l = layout_dendrogram(d, {.leaves = 30, .max_heights = 10});
  ASSERT_EQ(l.merge_heights.size(), 10u);
  EXPECT_EQ(l.merge_heights.front(), d.merges.back().height);
  EXPECT_TRUE(std::is_sorted(l.merge_heights.rbegin(), l.merge_heights.rend()));
}

TEST(CutHeight, GivesKClustersForEveryK) {
  for (size_t n : {2, 9, 120}) {
    const Dendrogram d = random_dendrogram(n, static_cast<uint32_t>(7 * n));
    std::vector<double> heights;
    for (const Merge& m : d.merges) heights.push_back(m.height);
    std::sort(heights.rbegin(), heights.rend());
    for (size_t k = 1; k <= n; ++k) {
      const double h = cut_height(d, k);
      // Brute force: one cluster, plus one for each merge above the cut.
      const auto above = std::count_if(d.merges.begin(), d.merges.end(), [&](const Merge& m) { return m.height > h; });
      EXPECT_EQ(static_cast<size_t>(above) + 1, k) << n << " leaves, k = " << k;
      EXPECT_EQ(clusters_at(heights, h), static_cast<int>(k));
    }
  }
}

TEST(CutHeight, HandWorkedOnFourLeaves) {
  const Dendrogram d = four_leaves();  // merges at 1, 2, 5
  EXPECT_DOUBLE_EQ(cut_height(d, 1), (5 * 1.05 + 5) / 2);
  EXPECT_DOUBLE_EQ(cut_height(d, 2), 3.5);
  EXPECT_DOUBLE_EQ(cut_height(d, 3), 1.5);
  EXPECT_DOUBLE_EQ(cut_height(d, 4), 0.5);
  EXPECT_EQ(clusters_at({5, 2, 1}, 2.0), 2);  // a merge at the cut height is below it
  EXPECT_EQ(clusters_at({}, 0.0), 1);
}

}  // namespace
}  // namespace hfrec
