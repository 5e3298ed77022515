// Map lasso: the points inside a polygon drawn on the cluster map (lasso selection), through the
// map grid's cells under the polygon's bounding box. Pure geometry, no drawing.
#pragma once
#include <cstdint>
#include <vector>

#include "map_grid.h"

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

}  // namespace hfrec
