// Map lasso (core/map_lasso.h): point in polygon by hand on a square and a concave "C", and the
// rows inside a polygon against testing every point.
#include "core/map_lasso.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace hfrec {
namespace {

TEST(PointInPolygon, SquareAndConcaveByHand) {
  const MapPolygon square{{0.2, 0.8, 0.8, 0.2}, {0.2, 0.2, 0.8, 0.8}};
  EXPECT_TRUE(point_in_polygon(square, 0.5, 0.5));
  EXPECT_TRUE(point_in_polygon(square, 0.21, 0.79));
  EXPECT_FALSE(point_in_polygon(square, 0.1, 0.5));
  EXPECT_FALSE(point_in_polygon(square, 0.5, 0.9));
  // A "C" open to the right: (0,0) (1,0) (1,0.3) (0.3,0.3) (0.3,0.7) (1,0.7) (1,1) (0,1).
  const MapPolygon c{{0, 1, 1, 0.3, 0.3, 1, 1, 0}, {0, 0, 0.3, 0.3, 0.7, 0.7, 1, 1}};
  EXPECT_TRUE(point_in_polygon(c, 0.1, 0.5));   // the back of the C
  EXPECT_TRUE(point_in_polygon(c, 0.9, 0.1));   // its lower arm
  EXPECT_FALSE(point_in_polygon(c, 0.6, 0.5));  // the mouth
  EXPECT_FALSE(point_in_polygon(c, 1.5, 0.5));
  EXPECT_FALSE(point_in_polygon(MapPolygon{{0, 1}, {0, 1}}, 0.5, 0.5));  // two vertices: no area
}

// Oracles: a point is inside a star-shaped polygon around (cx, cy) when it is nearer the centre
// than the boundary in its direction (the boundary's radius interpolated between the vertices).
TEST(PointsInPolygon, StarAndTriangleAgainstEveryPoint) {
  std::mt19937 rng(21);
  std::uniform_real_distribution<float> u(0, 1);
  MapPoints m;
  for (int i = 0; i < 20000; ++i) {
    m.x.push_back(u(rng));
    m.y.push_back(u(rng));
  }
  const size_t n = m.x.size();
  const MapGrid g = build_map_grid(std::move(m), std::vector<int64_t>(n, 0)).value();
  const double pi = std::acos(-1.0), cx = 0.45, cy = 0.55;
  const int k = 10;  // a star: radii alternate 0.35 and 0.15
  MapPolygon star;
  for (int i = 0; i < k; ++i) {
    const double a = 2 * pi * i / k, r = i % 2 ? 0.15 : 0.35;
    star.x.push_back(cx + r * std::cos(a));
    star.y.push_back(cy + r * std::sin(a));
  }
  std::vector<uint32_t> want;
  for (uint32_t row = 0; row < n; ++row) {
    const double dx = g.points.x[row] - cx, dy = g.points.y[row] - cy;
    double a = std::atan2(dy, dx);
    if (a < 0) a += 2 * pi;
    const int i = static_cast<int>(a / (2 * pi / k)) % k, j = (i + 1) % k;
    // The boundary point on the ray at angle a: the edge (i, j) met by the ray.
    const double ex = star.x[j] - star.x[i], ey = star.y[j] - star.y[i];
    const double ux = std::cos(a), uy = std::sin(a);
    const double t = ((star.x[i] - cx) * ey - (star.y[i] - cy) * ex) / (ux * ey - uy * ex);
    const double d = std::hypot(dx, dy);
    if (std::abs(d - t) < 1e-9) continue;  // on the boundary: either way
    if (d < t) want.push_back(row);
  }
  std::vector<uint32_t> got = points_in_polygon(g, star);
  EXPECT_GT(want.size(), 1000u);
  EXPECT_EQ(got, want);
  EXPECT_TRUE(points_in_polygon(g, MapPolygon{}).empty());
  // A wide triangle, its edges through many cells: inside when on the left of all three edges
  // (counter-clockwise vertices).
  const MapPolygon tri{{0.05, 0.95, 0.5}, {0.03, 0.1, 0.98}};
  std::vector<uint32_t> in_tri;
  for (uint32_t row = 0; row < n; ++row) {
    const double px = g.points.x[row], py = g.points.y[row];
    bool left = true;
    for (int i = 0; i < 3; ++i) {
      const int j = (i + 1) % 3;
      left = left && (tri.x[j] - tri.x[i]) * (py - tri.y[i]) - (tri.y[j] - tri.y[i]) * (px - tri.x[i]) > 0;
    }
    if (left) in_tri.push_back(row);
  }
  EXPECT_GT(in_tri.size(), 7000u);
  EXPECT_EQ(points_in_polygon(g, tri), in_tri);
}

}  // namespace
}  // namespace hfrec
