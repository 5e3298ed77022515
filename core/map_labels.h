// Map labels and density: the geometry the cluster map draws over its points. Cluster centres
// (once per layout), greedy placement of the cluster names in screen space with no two overlapping
// (per frame: k labels, not n points), and per-block point counts over the map grid for density
// shading (per frame: the visible grid cells, never the points). Pure geometry, no drawing.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "map_grid.h"

namespace hfrec {

// A cluster's centre on the map: the median x and median y of its points (unit-square map units),
// and how many points it has (0: no point, the centre is meaningless).
struct MapCentre {
  float x = 0.5f, y = 0.5f;
  size_t count = 0;
};

// Per-cluster centres for labels 0..k-1 (label < 0, noise, and labels >= k are skipped). The
// median of each coordinate, the lower middle one for an even count: robust to a cluster's few
// outliers, which would drag a mean into empty space. O(n) with nth_element.
std::vector<MapCentre> cluster_centres(const MapPoints& points, const std::vector<int32_t>& labels, size_t k);

// A screen rectangle (pixels, y down): x0 <= x1, y0 <= y1; edges touching do not overlap.
struct ScreenRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool overlaps(const ScreenRect& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  bool inside(const ScreenRect& o) const { return x0 >= o.x0 && y0 >= o.y0 && x1 <= o.x1 && y1 <= o.y1; }
};

// A label that wants a place: the box (w × h pixels) centred on a screen point, and its priority.
struct LabelCandidate {
  int id = 0;           // the caller's (a cluster label)
  ScreenPoint at;       // the box's centre
  float w = 0, h = 0;   // its size in pixels
  double priority = 0;  // larger first (the cluster's size)
};

// A placed label: the candidate's id and its box.
struct PlacedLabel {
  int id = 0;
  ScreenRect box;
};

// Where a label may go, tried in this order: its box centred on the point, then moved one box
// height up, one down, half a box width left, half right (offsets in box widths and heights).
inline constexpr float kLabelOffsets[][2] = {{0, 0}, {0, -1}, {0, 1}, {-0.5f, 0}, {0.5f, 0}};

// Greedy label placement (the "greedy" baseline of Christensen, Marks and Shieber, "An empirical
// study of algorithms for point-feature label placement", ACM TOG 14(3), 1995, with the positions
// of kLabelOffsets): candidates by priority desc (then id asc), each kept at its first position
// whose box lies inside `bounds` and overlaps no box already kept and no `obstacle`; the rest are
// hidden. O(5 k²) for k labels. Returned in placement order.
std::vector<PlacedLabel> place_labels(std::vector<LabelCandidate> candidates, const ScreenRect& bounds,
                                      const std::vector<ScreenRect>& obstacles = {});

// Density blocks: the grid's cells gathered into blocks of factor × factor cells (aligned to the
// grid, so a block keeps its count while the view pans), over the blocks a range of cells touches.
// counts[(by - by0) * cols + (bx - bx0)] is the number of points in block (bx, by), which covers
// map x in [bx * factor / side, (bx + 1) * factor / side) (the edge blocks also hold the points
// outside the square, as the grid's edge cells do).
struct DensityBlocks {
  int factor = 1;          // grid cells per block side
  int bx0 = 0, by0 = 0;    // the first block's column and row
  int cols = 0, rows = 0;  // blocks across and down
  std::vector<uint32_t> counts;
  uint32_t max_count = 0;  // the largest count (0: no points)
  // Block (bx, by)'s rectangle in map units (clipped to the unit square at the grid's far edges).
  MapRect rect(const MapGrid& g, int bx, int by) const;
};

// The block size for a view: the smallest power of two of cells whose block is at least min_px
// pixels wide at `scale` pixels per map unit (1 when the cells are already that wide).
int density_factor(const MapGrid& g, double scale, float min_px);

// Counts the points of the blocks that the range of cells touches: O(cells in those blocks), from
// the grid's cell offsets, never the points. Empty when the grid or the range is.
DensityBlocks density_blocks(const MapGrid& g, const CellRange& cells, int factor);

}  // namespace hfrec
