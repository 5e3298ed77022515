// Map lasso (core/map_lasso.h): point in polygon by hand on a square and a concave "C", the
// rows inside a polygon against testing every point, and the lasso as links keep it (simplified,
// rounded, written and read back exactly; malformed text refused with its message).
#include "core/map_lasso.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>
#include <string>
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

// points_in_polygon classifies whole cells from their centres where no edge comes near; checked
// against testing every point with point_in_polygon (itself checked by hand and against geometry
// above) on random lassos: self-crossing ones, thin ones, ones reaching past the map's square,
// edges along cell lines, over clumped points (some outside the square, in the grid's border
// cells), grids coarse and fine.
TEST(PointsInPolygon, WholeCellsAgreeWithEveryPointOnRandomLassos) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-0.1, 1.1);
  std::normal_distribution<float> near(0, 0.03f);
  for (size_t n : {3000u, 200000u}) {
    MapPoints m;
    for (size_t i = 0; i < n; ++i) {
      const float cx = static_cast<float>(0.2 + 0.6 * ((i * 7) % 5) / 4.0),
                  cy = static_cast<float>(0.3 + 0.1 * (i % 3));
      m.x.push_back(i % 7 == 0 ? static_cast<float>(u(rng)) : cx + near(rng));
      m.y.push_back(i % 7 == 0 ? static_cast<float>(u(rng)) : cy + near(rng));
    }
    const MapGrid g = build_map_grid(std::move(m), std::vector<int64_t>(n, 0)).value();
    size_t total = 0;
    for (int trial = 0; trial < 40; ++trial) {
      MapPolygon poly;
      const int k = 3 + trial % 20;
      for (int v = 0; v < k; ++v) {
        double x = u(rng), y = u(rng);
        if (trial % 5 == 0) {  // on cell lines
          x = std::round(x * g.side) / g.side;
          y = std::round(y * g.side) / g.side;
        }
        poly.x.push_back(x);
        poly.y.push_back(y);
      }
      if (trial % 4 == 1) poly = normalize_lasso(poly);
      std::vector<uint32_t> want;
      for (uint32_t row = 0; row < n; ++row)
        if (point_in_polygon(poly, g.points.x[row], g.points.y[row])) want.push_back(row);
      const std::vector<uint32_t> got = points_in_polygon(g, poly);
      ASSERT_EQ(got, want) << "n " << n << " trial " << trial;
      total += got.size();
    }
    EXPECT_GT(total, n);  // the lassos took in points, many times over
  }
}

// Visvalingam-Whyatt by hand: a square with extra points along its edges loses those first (their
// triangles have no area), and the corners stay.
TEST(SimplifyPolygon, DropsTheLeastAreaFirstAndKeepsCorners) {
  const MapPolygon sq{{0, 0.5, 1, 1, 1, 0.5, 0, 0}, {0, 0, 0, 0.5, 1, 1, 1, 0.5}};
  const MapPolygon four = simplify_polygon(sq, 4);
  EXPECT_EQ(four.x, (std::vector<double>{0, 1, 1, 0}));
  EXPECT_EQ(four.y, (std::vector<double>{0, 0, 1, 1}));
  // A pentagon whose fifth point barely sticks out loses that point.
  const MapPolygon bump{{0, 1, 1, 0.5, 0}, {0, 0, 1, 1.01, 1}};
  const MapPolygon s4 = simplify_polygon(bump, 4);
  EXPECT_EQ(s4.x, (std::vector<double>{0, 1, 1, 0}));
  EXPECT_EQ(s4.y, (std::vector<double>{0, 0, 1, 1}));
  EXPECT_EQ(simplify_polygon(bump, 5).x, bump.x);  // within the bound: unchanged
}

// A drawn lasso: a circle of 500 points with jitter. Kept: at most 64 vertices, 6 decimals, the
// text read back to the same doubles, normalize_lasso idempotent; the kept lasso selects the same
// rows after the round trip, and nearly the rows the drawn one selected.
TEST(NormalizeLasso, BoundedRoundedAndReadBackExactly) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(0, 1), jitter(-0.002, 0.002);
  const double pi = std::acos(-1.0);
  MapPolygon drawn;
  for (int i = 0; i < 500; ++i) {
    drawn.x.push_back(0.5 + 0.3 * std::cos(2 * pi * i / 500) + jitter(rng));
    drawn.y.push_back(0.45 + 0.3 * std::sin(2 * pi * i / 500) + jitter(rng));
  }
  const MapPolygon kept = normalize_lasso(drawn);
  ASSERT_EQ(kept.x.size(), kMaxLassoVertices);
  for (size_t i = 0; i < kept.x.size(); ++i) {
    EXPECT_EQ(kept.x[i], std::round(kept.x[i] * 1e6) / 1e6);
    EXPECT_EQ(kept.y[i], std::round(kept.y[i] * 1e6) / 1e6);
  }
  const MapPolygon again = normalize_lasso(kept);
  EXPECT_EQ(again.x, kept.x);
  EXPECT_EQ(again.y, kept.y);
  const std::string text = format_lasso(drawn);
  EXPECT_EQ(text, format_lasso(kept));
  EXPECT_EQ(std::count(text.begin(), text.end(), ','), 2 * 64 - 1);
  EXPECT_LE(text.size(), kMaxLassoBytes);
  auto read = parse_lasso(text);
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(read.value().x, kept.x);  // bit for bit
  EXPECT_EQ(read.value().y, kept.y);

  MapPoints m;
  for (int i = 0; i < 20000; ++i) {
    m.x.push_back(static_cast<float>(u(rng)));
    m.y.push_back(static_cast<float>(u(rng)));
  }
  const MapGrid g = build_map_grid(std::move(m), std::vector<int64_t>(20000, 0)).value();
  const auto by_kept = points_in_polygon(g, kept);
  EXPECT_EQ(points_in_polygon(g, read.value()), by_kept);
  const auto by_drawn = points_in_polygon(g, drawn);
  std::vector<uint32_t> differ;
  std::set_symmetric_difference(by_kept.begin(), by_kept.end(), by_drawn.begin(), by_drawn.end(),
                                std::back_inserter(differ));
  EXPECT_GT(by_drawn.size(), 5000u);
  EXPECT_LT(differ.size(), by_drawn.size() / 50) << differ.size() << " of " << by_drawn.size();
}

TEST(NormalizeLasso, ClampsDropsRepeatsAndEmptiesDegenerateOnes) {
  const MapPolygon far{{-5, 7, 0.5, -5}, {-5, 0.25, 9, -5}};  // the last point repeats the first
  const MapPolygon k = normalize_lasso(far);
  EXPECT_EQ(k.x, (std::vector<double>{-1, 2, 0.5}));
  EXPECT_EQ(k.y, (std::vector<double>{-1, 0.25, 2}));
  EXPECT_EQ(format_lasso(far), "-1.000000,-1.000000,2.000000,0.250000,0.500000,2.000000");
  EXPECT_TRUE(normalize_lasso(MapPolygon{{0.1, 0.1000001, 0.3}, {0.2, 0.2, 0.4}}).x.empty());
  EXPECT_TRUE(normalize_lasso(MapPolygon{{0.1, 0.2}, {0.1, 0.2}}).x.empty());
  EXPECT_EQ(format_lasso(MapPolygon{}), "");
  EXPECT_EQ(format_lasso(MapPolygon{{-0.0000001, 1, 1}, {0, 0, 1}}),
            "0.000000,0.000000,1.000000,0.000000,1.000000,1.000000");
}

TEST(ParseLasso, MalformedTextIsRefusedWithItsReason) {
  auto error = [](std::string_view t) {
    auto r = parse_lasso(t);
    return r.ok() ? std::string("ok") : r.error();
  };
  EXPECT_EQ(error("0,0,1,0,1,1"), "ok");
  EXPECT_EQ(error("0,0,1,0,1"), "5 numbers: x,y pairs need an even count");
  EXPECT_EQ(error("0,0,1,1"), "2 points: a lasso has 3 to 64");
  EXPECT_EQ(error(""), "number 1 ('') is not a number from -1 to 2");
  EXPECT_EQ(error("0,0,,1,1,1"), "number 3 ('') is not a number from -1 to 2");
  EXPECT_EQ(error("0,0,1,0,1,nan"), "number 6 ('nan') is not a number from -1 to 2");
  EXPECT_EQ(error("0,0,1,0,inf,1"), "number 5 ('inf') is not a number from -1 to 2");
  EXPECT_EQ(error("0,0,1,0,1e308,1"), "number 5 ('1e308') is not a number from -1 to 2");
  EXPECT_EQ(error("0,0,1,0,0x1,1"), "number 5 ('0x1') is not a number from -1 to 2");
  EXPECT_EQ(error("0,0,1,0,2.5,1"), "number 5 ('2.5') is not a number from -1 to 2");
  EXPECT_EQ(error("0,0,1,0,1,1,"), "number 7 ('') is not a number from -1 to 2");
  std::string many;
  for (int i = 0; i < 65; ++i) many += std::string(i ? "," : "") + "0.5,0.5";
  EXPECT_EQ(error(many), "65 points: a lasso has 3 to 64");
  EXPECT_EQ(error(std::string(3000, '1')), "longer than 2048 bytes");
}

}  // namespace
}  // namespace hfrec
