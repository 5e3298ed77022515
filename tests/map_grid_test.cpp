// Map grid: normalisation and point sizes by hand-worked numbers; the grid, culling, sampling and
// the nearest point against brute force over every point (core/map_grid.h).
#include "core/map_grid.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <vector>

namespace hfrec {
namespace {

TEST(NormalizeMap, CentresAndKeepsTheAspect) {
  // x in [0, 2], y in [0, 3]: span 3, centre (1, 1.5).
  const MapPoints m = normalize_map({0, 0, 2, 1, 1, 3}, 3);
  ASSERT_EQ(m.x.size(), 3u);
  EXPECT_FLOAT_EQ(m.x[0], 0.5f - 1.0f / 3);
  EXPECT_FLOAT_EQ(m.x[1], 0.5f + 1.0f / 3);
  EXPECT_FLOAT_EQ(m.x[2], 0.5f);
  EXPECT_FLOAT_EQ(m.y[0], 0.0f);
  EXPECT_FLOAT_EQ(m.y[1], 0.5f - 0.5f / 3);
  EXPECT_FLOAT_EQ(m.y[2], 1.0f);
}

TEST(NormalizeMap, NoMapPutsEveryPointAtTheCentre) {
  for (const std::vector<float>& xy : {std::vector<float>{}, std::vector<float>{1, 2, 3}}) {
    const MapPoints m = normalize_map(xy, 2);
    EXPECT_EQ(m.x, (std::vector<float>{0.5f, 0.5f}));
    EXPECT_EQ(m.y, (std::vector<float>{0.5f, 0.5f}));
  }
  const MapPoints one = normalize_map({7, -3}, 1);  // a single point: no span
  EXPECT_EQ(one.x, std::vector<float>{0.5f});
  EXPECT_EQ(one.y, std::vector<float>{0.5f});
}

TEST(MapPointSizes, LogScaleFromPointSixToTwoPointSix) {
  // max 99: log10(100) = 2; 9 downloads: 0.6 + 2 * 1 / 2.
  EXPECT_EQ(map_point_sizes({0, 9, 99, -5}), (std::vector<float>{0.6f, 1.6f, 2.6f, 0.6f}));
  EXPECT_EQ(map_point_sizes({0, 0}), (std::vector<float>{0.6f, 0.6f}));  // no downloads at all
}

// Random points, a few outside the unit square, with few distinct priorities (ties by row).
MapPoints random_points(size_t n, uint32_t seed, std::vector<int64_t>& priority) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-0.05f, 1.05f);
  MapPoints p;
  priority.clear();
  for (size_t i = 0; i < n; ++i) {
    p.x.push_back(u(rng));
    p.y.push_back(i % 7 == 0 ? 0.5f : u(rng));  // some columns crowd
    priority.push_back(static_cast<int64_t>(rng() % 5));
  }
  return p;
}

// The oracle's cell of a point.
std::pair<int, int> cell_xy(float x, float y, int side) {
  return {std::clamp(static_cast<int>(x * side), 0, side - 1), std::clamp(static_cast<int>(y * side), 0, side - 1)};
}

TEST(MapGrid, EveryRowOnceInItsCellMostImportantFirst) {
  for (size_t n : {0, 1, 5, 3000}) {
    std::vector<int64_t> pr;
    const MapPoints pts = random_points(n, static_cast<uint32_t>(n), pr);
    auto built = build_map_grid(pts, pr);
    ASSERT_TRUE(built.ok()) << built.error();
    const MapGrid& g = built.value();
    EXPECT_EQ(g.side, std::clamp(static_cast<int>(std::sqrt(n / 4.0)), 8, 512));
    ASSERT_EQ(g.cell_start.size(), static_cast<size_t>(g.side) * g.side + 1);
    ASSERT_EQ(g.cell_rows.size(), n);
    std::vector<int> seen(n, 0);
    for (int c = 0; c < g.side * g.side; ++c)
      for (uint32_t i = g.cell_start[c]; i < g.cell_start[c + 1]; ++i) {
        const uint32_t row = g.cell_rows[i];
        ++seen[row];
        auto [cx, cy] = cell_xy(pts.x[row], pts.y[row], g.side);
        EXPECT_EQ(cy * g.side + cx, c) << "row " << row;
        if (i > g.cell_start[c]) {
          const uint32_t prev = g.cell_rows[i - 1];
          EXPECT_TRUE(pr[prev] > pr[row] || (pr[prev] == pr[row] && prev < row)) << prev << " before " << row;
        }
      }
    EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<long>(n));
  }
}

TEST(MapGrid, SideFollowsTheParameters) {
  std::vector<int64_t> pr;
  const MapPoints pts = random_points(10000, 1, pr);
  EXPECT_EQ(build_map_grid(pts, pr).value().side, 50);  // sqrt(10000 / 4)
  EXPECT_EQ(build_map_grid(pts, pr, {.points_per_cell = 1, .min_side = 8, .max_side = 64}).value().side, 64);
  EXPECT_EQ(build_map_grid(pts, pr, {.points_per_cell = 1000, .min_side = 3, .max_side = 64}).value().side, 3);
}

TEST(MapGrid, ErrorsNameTheProblem) {
  MapPoints p{{0.1f, 0.2f}, {0.3f}};
  EXPECT_EQ(build_map_grid(p, {1, 2}).error(), "map grid: 2 x, 1 y and 2 priorities; they must be as many");
  EXPECT_EQ(build_map_grid(MapPoints{}, {}, {.points_per_cell = 0}).error(),
            "map grid: points_per_cell must be > 0 and 1 <= min_side <= max_side <= 4096");
}

TEST(MapGrid, CullingKeepsEveryPointInTheRectangle) {
  std::vector<int64_t> pr;
  const MapPoints pts = random_points(5000, 2, pr);
  const MapGrid g = build_map_grid(pts, pr).value();
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(-0.3, 1.3);
  for (int trial = 0; trial < 200; ++trial) {
    double a = u(rng), b = u(rng), c = u(rng), d = u(rng);
    const MapRect r{std::min(a, b), std::min(c, d), std::max(a, b), std::max(c, d)};
    const int margin = trial % 3;
    const CellRange cells = cells_overlapping(g, r, margin);
    std::set<uint32_t> got;
    for_each_sampled(g, cells, 1.0, [&](uint32_t row) { EXPECT_TRUE(got.insert(row).second); });
    EXPECT_EQ(points_in(g, cells), got.size());
    // Brute force: the rows whose cell is in the range are exactly those visited, and every point
    // inside the rectangle is among them.
    for (uint32_t row = 0; row < pts.x.size(); ++row) {
      auto [cx, cy] = cell_xy(pts.x[row], pts.y[row], g.side);
      const bool in_range = cx >= cells.x0 && cx <= cells.x1 && cy >= cells.y0 && cy <= cells.y1;
      EXPECT_EQ(got.count(row) == 1, in_range) << "row " << row << ", trial " << trial;
      if (pts.x[row] >= r.x0 && pts.x[row] <= r.x1 && pts.y[row] >= r.y0 && pts.y[row] <= r.y1) {
        EXPECT_TRUE(got.count(row)) << "row " << row << " is inside the rectangle, trial " << trial;
      }
    }
  }
}

TEST(MapGrid, CullingOfAnEmptyGridOrFarAwayRectangles) {
  EXPECT_TRUE(cells_overlapping(MapGrid{}, MapRect{}).empty());
  EXPECT_EQ(points_in(MapGrid{}, CellRange{}), 0u);
  std::vector<int64_t> pr;
  const MapGrid g = build_map_grid(random_points(100, 4, pr), pr).value();
  const CellRange far = cells_overlapping(g, MapRect{1e300, -1e300, 1e300, -1e300});
  EXPECT_EQ(far.x0, g.side - 1);
  EXPECT_EQ(far.y1, 0);
  const CellRange nan = cells_overlapping(g, MapRect{NAN, NAN, NAN, NAN});
  EXPECT_EQ(nan.x0, 0);
  EXPECT_EQ(nan.x1, 0);
}

TEST(LevelOfDetail, KeepsTheFirstRowsOfEachCell) {
  EXPECT_DOUBLE_EQ(lod_fraction(100, 60), 0.6);
  EXPECT_DOUBLE_EQ(lod_fraction(60, 60), 1.0);
  EXPECT_EQ(lod_take(5, 0.6), 3u);  // ceil(3.0)
  EXPECT_EQ(lod_take(5, 0.5), 3u);  // ceil(2.5)
  EXPECT_EQ(lod_take(1, 0.01), 1u);
  EXPECT_EQ(lod_take(0, 0.5), 0u);
  EXPECT_EQ(lod_take(7, 1.0), 7u);

  std::vector<int64_t> pr;
  const MapPoints pts = random_points(20000, 5, pr);
  const MapGrid g = build_map_grid(pts, pr).value();
  const CellRange all = cells_overlapping(g, MapRect{0, 0, 1, 1});
  const size_t visible = points_in(g, all);
  ASSERT_EQ(visible, 20000u);
  const double keep = lod_fraction(visible, 4000);
  std::vector<std::vector<uint32_t>> per_cell(static_cast<size_t>(g.side) * g.side);
  size_t drawn = 0;
  for_each_sampled(g, all, keep, [&](uint32_t row) {
    auto [cx, cy] = cell_xy(pts.x[row], pts.y[row], g.side);
    per_cell[cy * g.side + cx].push_back(row);
    ++drawn;
  });
  EXPECT_GE(drawn, 4000u);
  EXPECT_LE(drawn, 4000u + per_cell.size());  // each cell rounds up by less than one point
  // Brute force per cell: its ceil(count * keep) highest-priority rows (ties by row).
  for (size_t c = 0; c < per_cell.size(); ++c) {
    std::vector<uint32_t> rows;
    for (uint32_t row = 0; row < pts.x.size(); ++row) {
      auto [cx, cy] = cell_xy(pts.x[row], pts.y[row], g.side);
      if (static_cast<size_t>(cy * g.side + cx) == c) rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) { return pr[a] != pr[b] ? pr[a] > pr[b] : a < b; });
    rows.resize(static_cast<size_t>(std::ceil(rows.size() * keep)));
    EXPECT_EQ(per_cell[c], rows) << "cell " << c;
  }
}

TEST(NearestPoint, MatchesBruteForceOnScreen) {
  std::vector<int64_t> pr;
  const MapPoints pts = random_points(4000, 6, pr);
  const MapGrid g = build_map_grid(pts, pr).value();
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0, 1);
  auto keep = [](uint32_t row) { return row % 3 != 0; };
  int hits = 0;
  for (int trial = 0; trial < 400; ++trial) {
    MapTransform t;
    t.origin_x = 300 + 200 * u(rng);
    t.origin_y = 250 + 100 * u(rng);
    t.cx = u(rng);
    t.cy = u(rng);
    t.scale = 300 * std::pow(40.0, u(rng));  // zoom 1 to 40 on a 300-pixel map
    const ScreenPoint at{1000 * u(rng), 800 * u(rng)};
    const float radius = 4 + 10 * u(rng);
    const int64_t got = nearest_point(g, t, at, radius, keep);
    // Brute force over every point: the smallest squared distance under radius².
    float best = radius * radius;
    int64_t want = -1;
    for (uint32_t row = 0; row < pts.x.size(); ++row) {
      if (!keep(row)) continue;
      const ScreenPoint p = t.to_screen(pts.x[row], pts.y[row]);
      const float d = (p.x - at.x) * (p.x - at.x) + (p.y - at.y) * (p.y - at.y);
      if (d < best) {
        best = d;
        want = row;
      }
    }
    ASSERT_EQ(got >= 0, want >= 0) << "trial " << trial;
    if (want < 0) continue;
    ++hits;
    const ScreenPoint p = t.to_screen(pts.x[got], pts.y[got]);
    EXPECT_EQ((p.x - at.x) * (p.x - at.x) + (p.y - at.y) * (p.y - at.y), best) << "trial " << trial;
    EXPECT_TRUE(keep(static_cast<uint32_t>(got)));
  }
  EXPECT_GT(hits, 40);  // the trials found points, not only empty space
}

TEST(MapTransform, ScreenAndMapAreInverse) {
  const MapTransform t{100, 200, 0.25, 0.75, 400};
  const ScreenPoint p = t.to_screen(0.5f, 0.5f);
  EXPECT_FLOAT_EQ(p.x, 200);  // 100 + (0.5 - 0.25) * 400
  EXPECT_FLOAT_EQ(p.y, 300);  // 200 - (0.5 - 0.75) * 400: y up on the map, down on screen
  EXPECT_DOUBLE_EQ(t.map_x(p.x), 0.5);
  EXPECT_DOUBLE_EQ(t.map_y(p.y), 0.5);
}

}  // namespace
}  // namespace hfrec
