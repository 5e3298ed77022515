// Map labels and density (core/map_labels.h): centres against a sort per cluster, greedy placement
// against its defining property (every hidden label is blocked by a kept one of higher priority, an
// obstacle or the bounds), and density counts against a count over every point.
#include "core/map_labels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace hfrec {
namespace {

TEST(ClusterCentres, MediansPerClusterAgainstSorting) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0, 1);
  const size_t n = 2001, k = 7;
  MapPoints m;
  std::vector<int32_t> labels(n);
  for (size_t i = 0; i < n; ++i) {
    m.x.push_back(u(rng));
    m.y.push_back(u(rng));
    labels[i] = static_cast<int32_t>(rng() % (k + 1)) - 1;  // -1 (noise) .. k-1
  }
  labels[5] = 99;                                                      // beyond k: skipped like noise
  const std::vector<MapCentre> c = cluster_centres(m, labels, k + 1);  // label k has no point
  ASSERT_EQ(c.size(), k + 1);
  for (size_t l = 0; l < k; ++l) {
    std::vector<float> xs, ys;
    for (size_t i = 0; i < n; ++i)
      if (labels[i] == static_cast<int32_t>(l)) {
        xs.push_back(m.x[i]);
        ys.push_back(m.y[i]);
      }
    std::sort(xs.begin(), xs.end());
    std::sort(ys.begin(), ys.end());
    ASSERT_FALSE(xs.empty());
    EXPECT_EQ(c[l].count, xs.size()) << l;
    EXPECT_EQ(c[l].x, xs[(xs.size() - 1) / 2]) << l;
    EXPECT_EQ(c[l].y, ys[(ys.size() - 1) / 2]) << l;
  }
  EXPECT_EQ(c[k].count, 0u);
}

TEST(ClusterCentres, TheMedianIgnoresAnOutlier) {
  // Three points near (0.2, 0.3) and one far away: the mean would sit at x = 0.35.
  const MapPoints m{{0.2f, 0.21f, 0.19f, 0.8f}, {0.3f, 0.31f, 0.29f, 0.9f}};
  const std::vector<MapCentre> c = cluster_centres(m, {0, 0, 0, 0}, 1);
  EXPECT_FLOAT_EQ(c[0].x, 0.2f);
  EXPECT_FLOAT_EQ(c[0].y, 0.3f);
  EXPECT_EQ(c[0].count, 4u);
}

TEST(PlaceLabels, LargerFirstAndNoOverlapByHand) {
  const ScreenRect bounds{0, 0, 200, 100};
  // d (first) pokes out of the bounds centred and goes half a width left; b keeps its centre; a
  // overlaps b there and goes one height up; c is clear.
  const std::vector<LabelCandidate> cs{
      {0, {50, 50}, 40, 10, 5}, {1, {60, 52}, 40, 10, 9}, {2, {150, 50}, 40, 10, 1}, {3, {195, 20}, 40, 10, 20}};
  const std::vector<PlacedLabel> p = place_labels(cs, bounds);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].id, 3);
  EXPECT_FLOAT_EQ(p[0].box.x0, 155);
  EXPECT_FLOAT_EQ(p[0].box.y0, 15);
  EXPECT_EQ(p[1].id, 1);
  EXPECT_FLOAT_EQ(p[1].box.x0, 40);
  EXPECT_FLOAT_EQ(p[1].box.y1, 57);
  EXPECT_EQ(p[2].id, 0);
  EXPECT_FLOAT_EQ(p[2].box.x0, 30);
  EXPECT_FLOAT_EQ(p[2].box.y0, 35);
  EXPECT_EQ(p[3].id, 2);
  EXPECT_FLOAT_EQ(p[3].box.x0, 130);
  // An obstacle over every position of c hides it.
  const std::vector<PlacedLabel> q = place_labels(cs, bounds, {ScreenRect{100, 30, 200, 70}});
  ASSERT_EQ(q.size(), 3u);
  for (const PlacedLabel& l : q) EXPECT_NE(l.id, 2);
  // No room anywhere for the second of two equal labels: hidden, the lower id kept.
  const std::vector<PlacedLabel> one = place_labels({{7, {25, 6}, 40, 10, 1}, {4, {25, 6}, 40, 10, 1}}, {0, 0, 50, 12});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].id, 4);
  // Boxes that only touch do not overlap.
  const std::vector<PlacedLabel> touch = place_labels({{0, {20, 50}, 20, 10, 1}, {1, {40, 50}, 20, 10, 1}}, bounds);
  ASSERT_EQ(touch.size(), 2u);
  EXPECT_FLOAT_EQ(touch[1].box.x0, 30);
}

TEST(PlaceLabels, GreedyPropertyAgainstBruteForce) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> pos(0, 400), len(10, 90);
  size_t shown = 0, hidden = 0;
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<LabelCandidate> cs;
    for (int i = 0; i < 40; ++i)
      cs.push_back({i, {pos(rng), pos(rng) / 2}, len(rng), 14, static_cast<double>(rng() % 25)});
    const ScreenRect bounds{0, 0, 400, 200};
    const std::vector<ScreenRect> obstacles{{10, 10, 80, 60}};
    const std::vector<PlacedLabel> p = place_labels(cs, bounds, obstacles);
    auto first = [&](const LabelCandidate& o, const LabelCandidate& c) {
      return o.priority > c.priority || (o.priority == c.priority && o.id < c.id);
    };
    // Kept: inside, clear of each other and of the obstacle, at one of the positions, by priority.
    std::vector<int> kept(cs.size(), -1);
    for (size_t i = 0; i < p.size(); ++i) {
      kept[p[i].id] = static_cast<int>(i);
      const LabelCandidate& c = cs[p[i].id];
      EXPECT_TRUE(p[i].box.inside(bounds));
      EXPECT_FALSE(p[i].box.overlaps(obstacles[0]));
      EXPECT_NEAR(p[i].box.x1 - p[i].box.x0, c.w, 1e-3);
      bool at_a_position = false;
      for (const auto& off : kLabelOffsets)
        at_a_position = at_a_position || (std::abs(p[i].box.x0 - (c.at.x + off[0] * c.w - c.w / 2)) < 1e-3 &&
                                          std::abs(p[i].box.y0 - (c.at.y + off[1] * c.h - c.h / 2)) < 1e-3);
      EXPECT_TRUE(at_a_position) << c.id;
      for (size_t j = 0; j < i; ++j) {
        EXPECT_FALSE(p[i].box.overlaps(p[j].box)) << trial << ": " << p[i].id << " and " << p[j].id;
        EXPECT_TRUE(first(cs[p[j].id], c));
      }
    }
    // Hidden: at every position out of bounds, on the obstacle, or on a kept label that goes first.
    for (const LabelCandidate& c : cs) {
      if (kept[c.id] >= 0) {
        ++shown;
        continue;
      }
      ++hidden;
      for (const auto& off : kLabelOffsets) {
        const float x = c.at.x + off[0] * c.w, y = c.at.y + off[1] * c.h;
        const ScreenRect b{x - c.w / 2, y - c.h / 2, x + c.w / 2, y + c.h / 2};
        bool blocked = !b.inside(bounds) || b.overlaps(obstacles[0]);
        for (const LabelCandidate& o : cs)
          if (kept[o.id] >= 0 && first(o, c) && p[kept[o.id]].box.overlaps(b)) blocked = true;
        EXPECT_TRUE(blocked) << trial << ": label " << c.id << " was hidden but had room";
      }
    }
  }
  EXPECT_GT(shown, 300u);  // both cases well represented
  EXPECT_GT(hidden, 300u);
}

// Points in [0, 1) at random plus a few outside the square (they count in the edge blocks).
MapGrid random_grid(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0, 1);
  MapPoints m;
  for (size_t i = 0; i < n; ++i) {
    m.x.push_back(u(rng) * u(rng));  // piled towards x = 0: uneven density
    m.y.push_back(u(rng));
  }
  m.x.push_back(-0.5f);
  m.y.push_back(1.7f);
  m.x.push_back(2.0f);
  m.y.push_back(-1.0f);
  return build_map_grid(std::move(m), std::vector<int64_t>(n + 2, 0)).value();
}

TEST(DensityBlocks, CountsAgainstEveryPoint) {
  const MapGrid g = random_grid(5000, 5);
  ASSERT_EQ(g.side, 35);  // sqrt(5002 / 4)
  std::mt19937 rng(9);
  for (int trial = 0; trial < 60; ++trial) {
    const int factor = 1 << (trial % 5);
    CellRange cells{static_cast<int>(rng() % 35), static_cast<int>(rng() % 35), 0, 0};
    cells.x1 = cells.x0 + static_cast<int>(rng() % (35 - cells.x0));
    cells.y1 = cells.y0 + static_cast<int>(rng() % (35 - cells.y0));
    const DensityBlocks d = density_blocks(g, cells, factor);
    ASSERT_EQ(d.factor, factor);
    ASSERT_EQ(d.counts.size(), static_cast<size_t>(d.cols) * d.rows);
    EXPECT_EQ(d.bx0, cells.x0 / factor);
    EXPECT_EQ(d.bx0 + d.cols - 1, cells.x1 / factor);
    // The oracle: each point's block from its coordinates (clamped into the square).
    std::vector<uint32_t> want(d.counts.size(), 0);
    uint32_t want_max = 0;
    for (size_t i = 0; i < g.size(); ++i) {
      const int cx = std::clamp(static_cast<int>(std::floor(double{g.points.x[i]} * 35)), 0, 34);
      const int cy = std::clamp(static_cast<int>(std::floor(double{g.points.y[i]} * 35)), 0, 34);
      const int bx = cx / factor - d.bx0, by = cy / factor - d.by0;
      if (bx < 0 || by < 0 || bx >= d.cols || by >= d.rows) continue;
      want_max = std::max(want_max, ++want[static_cast<size_t>(by) * d.cols + bx]);
    }
    EXPECT_EQ(d.counts, want) << "trial " << trial << ", factor " << factor;
    EXPECT_EQ(d.max_count, want_max);
  }
  // The whole grid in one block: every point.
  const DensityBlocks all = density_blocks(g, CellRange{0, 0, 34, 34}, 64);
  ASSERT_EQ(all.counts.size(), 1u);
  EXPECT_EQ(all.counts[0], g.size());
  EXPECT_TRUE(density_blocks(g, CellRange{}, 2).counts.empty());
}

TEST(DensityBlocks, BlockRectanglesAndFactors) {
  const MapGrid g = random_grid(5000, 5);  // side 35
  DensityBlocks d;
  d.factor = 4;
  const MapRect r = d.rect(g, 8, 2);  // cells 32..35 clipped to the square, 8..11
  EXPECT_DOUBLE_EQ(r.x0, 32.0 / 35);
  EXPECT_DOUBLE_EQ(r.x1, 1.0);
  EXPECT_DOUBLE_EQ(r.y0, 8.0 / 35);
  EXPECT_DOUBLE_EQ(r.y1, 12.0 / 35);
  // 35 cells over 350 px: 10 px a cell; 12 px wants 2 cells, 41 px wants 8 (the next power of two).
  EXPECT_EQ(density_factor(g, 350, 12), 2);
  EXPECT_EQ(density_factor(g, 350, 10), 1);
  EXPECT_EQ(density_factor(g, 350, 41), 8);
  EXPECT_EQ(density_factor(g, 1, 1000), 64);  // stops at the first factor >= the side
  EXPECT_EQ(density_factor(MapGrid{}, 350, 12), 1);
}

}  // namespace
}  // namespace hfrec
