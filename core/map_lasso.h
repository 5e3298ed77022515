// Map lasso: the points inside a polygon drawn on the cluster map (lasso selection), through the
// map grid's cells under the polygon's bounding box, and the lasso as a share link writes it
// (simplified, rounded, as text). Pure geometry, no drawing.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "map_grid.h"
#include "result.h"

namespace hfrec {

// A polygon in map units (the unit square, y up), closed implicitly (last vertex to the first).
struct MapPolygon {
  std::vector<double> x, y;
};

// Whether (px, py) is inside the polygon by the even-odd rule (crossing number; W. R. Franklin,
// "PNPOLY", 1970s, as in Haines, "Point in polygon strategies", Graphics Gems IV, 1994). Points on
// an edge may fall either way; fewer than 3 vertices contain nothing.
bool point_in_polygon(const MapPolygon& poly, double px, double py);

// The rows whose points lie inside the polygon, ascending: only the grid cells under the polygon's
// bounding box are visited.
std::vector<uint32_t> points_in_polygon(const MapGrid& g, const MapPolygon& poly);

// A kept lasso: at most this many vertices, each coordinate in [kLassoMin, kLassoMax] map units
// (the points are in [0, 1]) with kLassoDecimals decimals (a millionth of the map's side).
inline constexpr size_t kMaxLassoVertices = 64;
inline constexpr double kLassoMin = -1, kLassoMax = 2;
inline constexpr int kLassoDecimals = 6;
// Longest lasso text a link may carry: 128 numbers of up to 9 bytes and their commas, with room.
inline constexpr size_t kMaxLassoBytes = 2048;

// The polygon with at most max_vertices (>= 3) vertices, dropping the vertex whose triangle with
// its two neighbours has the smallest area first, again and again (Visvalingam and Whyatt, "Line
// generalisation by repeated elimination of points", The Cartographic Journal 30(1), 1993; the
// polygon closed, so the first and last vertices are dropped like any other). Unchanged when it
// has max_vertices or fewer. O(n^2) in the vertices, which a drawn lasso has few of.
MapPolygon simplify_polygon(const MapPolygon& poly, size_t max_vertices);

// The lasso as the app keeps and links it: coordinates clamped to [kLassoMin, kLassoMax],
// simplified to kMaxLassoVertices, rounded to kLassoDecimals, repeated neighbours dropped; empty
// when fewer than 3 vertices are left. Idempotent, and format_lasso / parse_lasso round-trip it
// exactly, so a lasso opened from a link selects the same rows as the one drawn.
MapPolygon normalize_lasso(const MapPolygon& poly);

// "x0,y0,x1,y1,...": normalize_lasso(poly)'s coordinates with kLassoDecimals decimals; "" when it
// is empty.
std::string format_lasso(const MapPolygon& poly);

// Reads format_lasso's text as untrusted input: decimal numbers (no inf, nan or hex) in
// [kLassoMin, kLassoMax], an even count, 3 to kMaxLassoVertices vertices, at most kMaxLassoBytes.
// Errors say what is wrong: "5 numbers: x,y pairs need an even count".
Result<MapPolygon> parse_lasso(std::string_view text);

}  // namespace hfrec
