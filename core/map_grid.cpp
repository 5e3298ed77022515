// Map grid: the map's normalisation into the unit square, point sizes by downloads, and the uniform
// grid (build, cull to a rectangle, level-of-detail counts) of map_grid.h.
#include "map_grid.h"

#include <algorithm>
#include <string>

namespace hfrec {

MapPoints normalize_map(const std::vector<float>& xy, size_t n) {
  MapPoints m;
  if (xy.size() != 2 * n || n == 0) {
    m.x.assign(n, 0.5f);
    m.y.assign(n, 0.5f);
    return m;
  }
  float x0 = xy[0], x1 = xy[0], y0 = xy[1], y1 = xy[1];
  for (size_t i = 0; i < n; ++i) {
    x0 = std::min(x0, xy[2 * i]);
    x1 = std::max(x1, xy[2 * i]);
    y0 = std::min(y0, xy[2 * i + 1]);
    y1 = std::max(y1, xy[2 * i + 1]);
  }
  const float span = std::max({x1 - x0, y1 - y0, 1e-12f});
  const float mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
  m.x.resize(n);
  m.y.resize(n);
  for (size_t i = 0; i < n; ++i) {
    m.x[i] = 0.5f + (xy[2 * i] - mx) / span;
    m.y[i] = 0.5f + (xy[2 * i + 1] - my) / span;
  }
  return m;
}

std::vector<float> map_point_sizes(const std::vector<int64_t>& downloads) {
  int64_t max_dl = 1;
  for (int64_t d : downloads) max_dl = std::max<int64_t>(max_dl, d);
  const double lmax = std::log10(static_cast<double>(max_dl) + 1);
  std::vector<float> size(downloads.size());
  for (size_t i = 0; i < downloads.size(); ++i)
    size[i] =
        static_cast<float>(0.6 + 2.0 * std::log10(static_cast<double>(std::max<int64_t>(0, downloads[i])) + 1) / lmax);
  return size;
}

uint32_t MapGrid::cell_of(float x, float y) const {
  const int cx = std::clamp(static_cast<int>(x * side), 0, side - 1);
  const int cy = std::clamp(static_cast<int>(y * side), 0, side - 1);
  return static_cast<uint32_t>(cy * side + cx);
}

Result<MapGrid> build_map_grid(MapPoints points, const std::vector<int64_t>& priority, const MapGridParams& p) {
  const size_t n = points.x.size();
  if (points.y.size() != n || priority.size() != n)
    return Error{"map grid: " + std::to_string(points.x.size()) + " x, " + std::to_string(points.y.size()) + " y and " +
                 std::to_string(priority.size()) + " priorities; they must be as many"};
  if (!(p.points_per_cell > 0) || p.min_side < 1 || p.max_side < p.min_side || p.max_side > 4096)
    return Error{"map grid: points_per_cell must be > 0 and 1 <= min_side <= max_side <= 4096"};
  MapGrid g;
  g.points = std::move(points);
  // About points_per_cell rows per cell.
  g.side = static_cast<int>(std::clamp(std::sqrt(static_cast<double>(n) / p.points_per_cell),
                                       static_cast<double>(p.min_side), static_cast<double>(p.max_side)));
  const int side = g.side;
  std::vector<uint32_t> cell(n);
  g.cell_start.assign(static_cast<size_t>(side) * side + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    cell[i] = g.cell_of(g.points.x[i], g.points.y[i]);
    ++g.cell_start[cell[i] + 1];
  }
  for (size_t i = 1; i < g.cell_start.size(); ++i) g.cell_start[i] += g.cell_start[i - 1];
  g.cell_rows.resize(n);
  for (uint32_t i = 0; i < n; ++i) g.cell_rows[i] = i;
  std::sort(g.cell_rows.begin(), g.cell_rows.end(), [&](uint32_t a, uint32_t b) {
    if (cell[a] != cell[b]) return cell[a] < cell[b];
    if (priority[a] != priority[b]) return priority[a] > priority[b];
    return a < b;
  });
  return g;
}

namespace {

// The cell column (or row) of a map coordinate, moved by `shift` cells and clamped to the grid.
int cell_index(double v, int side, int shift) {
  if (std::isnan(v)) return 0;
  const double c = std::clamp(std::floor(v * side), -1e9, 1e9);  // an int whatever the zoom
  return std::clamp(static_cast<int>(c) + shift, 0, side - 1);
}

}  // namespace

CellRange cells_overlapping(const MapGrid& g, const MapRect& r, int margin) {
  if (g.side <= 0) return {};
  return {cell_index(r.x0, g.side, -margin), cell_index(r.y0, g.side, -margin), cell_index(r.x1, g.side, margin),
          cell_index(r.y1, g.side, margin)};
}

size_t points_in(const MapGrid& g, const CellRange& cells) {
  size_t n = 0;
  if (cells.empty()) return 0;
  for (int cy = cells.y0; cy <= cells.y1; ++cy)
    n += g.cell_start[cy * g.side + cells.x1 + 1] - g.cell_start[cy * g.side + cells.x0];
  return n;
}

double lod_fraction(size_t visible, size_t budget) {
  return visible > budget ? static_cast<double>(budget) / static_cast<double>(visible) : 1.0;
}

uint32_t lod_take(uint32_t count, double keep) {
  return keep >= 1 ? count : static_cast<uint32_t>(std::ceil(count * keep));
}

}  // namespace hfrec
