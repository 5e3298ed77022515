// Map grid: the cluster map's points in the unit square with a uniform grid over them, for culling
// to a viewport, level-of-detail sampling and hit tests in time that follows the visible cells, not
// the catalogue (a million points stay interactive). Pure geometry: plain floats, no drawing.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "result.h"

namespace hfrec {

// Points in the unit square, aspect kept, y up: per catalogue row.
struct MapPoints {
  std::vector<float> x, y;
};

// Fits a 2-D projection (xy = x0, y0, x1, y1, ...) into the unit square: centred, scaled by the
// larger span so the aspect is kept. Anything but 2 * n coordinates (no map) puts all n points at
// the centre (0.5, 0.5).
MapPoints normalize_map(const std::vector<float>& xy, size_t n);

// Point size factors from 0.6 (no downloads) to 2.6 (the most downloaded): 0.6 + 2 log10(d + 1) /
// log10(max + 1), negative downloads taken as 0.
std::vector<float> map_point_sizes(const std::vector<int64_t>& downloads);

// How the grid's side is chosen.
struct MapGridParams {
  double points_per_cell = 4;  // side = sqrt(n / points_per_cell), clamped to [min_side, max_side]
  int min_side = 8;
  int max_side = 512;
};

// A uniform grid of side × side cells over the unit square (the "cell method" of Bentley and
// Friedman, "Data structures for range searching", Computing Surveys 11(4), 1979); the points
// outside the square fall into the edge cells.
// Cell (cx, cy) is cx = floor(x * side), cy = floor(y * side), clamped; cell id cy * side + cx.
// Within a cell, rows are ordered by priority (downloads) desc, then row asc, so the first rows of
// each cell are the ones level-of-detail sampling keeps.
struct MapGrid {
  MapPoints points;                  // by catalogue row
  int side = 0;                      // cells per side (0: no points)
  std::vector<uint32_t> cell_start;  // side * side + 1 offsets into cell_rows
  std::vector<uint32_t> cell_rows;   // rows, cell by cell
  size_t size() const { return points.x.size(); }
  // The cell a point falls in.
  uint32_t cell_of(float x, float y) const;
};

// Builds the grid over the points; priority (downloads) orders rows within a cell. An error when
// the sizes differ or the parameters are out of range.
Result<MapGrid> build_map_grid(MapPoints points, const std::vector<int64_t>& priority, const MapGridParams& p = {});

// An axis-aligned rectangle in map units (x0 <= x1, y0 <= y1).
struct MapRect {
  double x0 = 0, y0 = 0, x1 = 1, y1 = 1;
};

// An inclusive range of cells: columns x0..x1 and rows y0..y1 (empty when the grid is).
struct CellRange {
  int x0 = 0, y0 = 0, x1 = -1, y1 = -1;
  bool empty() const { return x1 < x0 || y1 < y0; }
};

// The cells a rectangle overlaps, grown by `margin` cells on each side, clamped to the grid.
CellRange cells_overlapping(const MapGrid& g, const MapRect& r, int margin = 0);

// Points in a range of cells (the visible count before sampling).
size_t points_in(const MapGrid& g, const CellRange& cells);

// Level of detail: the fraction of each cell's rows to draw so about `budget` of `visible` points
// are drawn; 1 when all fit.
double lod_fraction(size_t visible, size_t budget);
// How many of a cell's first (most downloaded) rows a fraction keeps: ceil(count * keep), all at 1.
uint32_t lod_take(uint32_t count, double keep);

// Calls fn(row) for the rows level-of-detail sampling keeps in a range of cells: cell by cell, row
// by row of cells (y, then x), each cell's first lod_take(count, keep) rows.
template <class Fn>
void for_each_sampled(const MapGrid& g, const CellRange& cells, double keep, Fn&& fn) {
  for (int cy = cells.y0; cy <= cells.y1; ++cy)
    for (int cx = cells.x0; cx <= cells.x1; ++cx) {
      const uint32_t b = g.cell_start[cy * g.side + cx], e = g.cell_start[cy * g.side + cx + 1];
      const uint32_t end = b + lod_take(e - b, keep);
      for (uint32_t i = b; i < end; ++i) fn(g.cell_rows[i]);
    }
}

// A screen point (pixels, y down).
struct ScreenPoint {
  float x = 0, y = 0;
};

// Map units to screen pixels: screen = origin + (p - centre) * scale, y flipped (the map is y up).
struct MapTransform {
  float origin_x = 0, origin_y = 0;  // screen position of the view's centre
  double cx = 0.5, cy = 0.5;         // the view's centre in map units
  double scale = 1;                  // pixels per map unit
  ScreenPoint to_screen(float x, float y) const {
    return {origin_x + static_cast<float>((x - cx) * scale), origin_y - static_cast<float>((y - cy) * scale)};
  }
  double map_x(float sx) const { return cx + (sx - origin_x) / scale; }
  double map_y(float sy) const { return cy - (sy - origin_y) / scale; }
};

// The point nearest to a screen position within radius_px pixels (distance measured on screen, as
// the pointer sees it), among the rows keep(row) accepts; -1 when none. Only the cells under the
// square around the position are searched. Ties: the first met (cells by y then x, rows in order).
template <class Keep>
int64_t nearest_point(const MapGrid& g, const MapTransform& t, ScreenPoint at, float radius_px, Keep&& keep) {
  const double mu = t.map_x(at.x), mv = t.map_y(at.y), rad = radius_px / t.scale;
  const CellRange cells = cells_overlapping(g, MapRect{mu - rad, mv - rad, mu + rad, mv + rad});
  float best = radius_px * radius_px;
  int64_t found = -1;
  for (int cy = cells.y0; cy <= cells.y1; ++cy)
    for (int cx = cells.x0; cx <= cells.x1; ++cx)
      for (uint32_t i = g.cell_start[cy * g.side + cx]; i < g.cell_start[cy * g.side + cx + 1]; ++i) {
        const uint32_t row = g.cell_rows[i];
        if (!keep(row)) continue;
        const ScreenPoint p = t.to_screen(g.points.x[row], g.points.y[row]);
        const float d = (p.x - at.x) * (p.x - at.x) + (p.y - at.y) * (p.y - at.y);
        if (d < best) {
          best = d;
          found = row;
        }
      }
  return found;
}

}  // namespace hfrec
