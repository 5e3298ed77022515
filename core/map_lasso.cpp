// Map lasso (map_lasso.h): the even-odd point-in-polygon test and the rows inside a polygon.
#include "map_lasso.h"

#include <algorithm>

namespace hfrec {

bool point_in_polygon(const MapPolygon& poly, double px, double py) {
  const size_t n = std::min(poly.x.size(), poly.y.size());
  if (n < 3) return false;
  bool inside = false;
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    const double xi = poly.x[i], yi = poly.y[i], xj = poly.x[j], yj = poly.y[j];
    // The edge (j, i) crosses the horizontal ray to the right of the point.
    if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

std::vector<uint32_t> points_in_polygon(const MapGrid& g, const MapPolygon& poly) {
  std::vector<uint32_t> rows;
  const size_t n = std::min(poly.x.size(), poly.y.size());
  if (n < 3 || g.side <= 0) return rows;
  const auto [x0, x1] = std::minmax_element(poly.x.begin(), poly.x.begin() + n);
  const auto [y0, y1] = std::minmax_element(poly.y.begin(), poly.y.begin() + n);
  const CellRange cells = cells_overlapping(g, MapRect{*x0, *y0, *x1, *y1});
  for (int cy = cells.y0; cy <= cells.y1; ++cy)
    for (int cx = cells.x0; cx <= cells.x1; ++cx)
      for (uint32_t i = g.cell_start[cy * g.side + cx]; i < g.cell_start[cy * g.side + cx + 1]; ++i) {
        const uint32_t row = g.cell_rows[i];
        if (point_in_polygon(poly, g.points.x[row], g.points.y[row])) rows.push_back(row);
      }
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace hfrec
