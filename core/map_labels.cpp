// Map labels and density (map_labels.h): cluster centres by per-coordinate median, greedy label
// placement, and per-block counts from the map grid's cell offsets.
#include "map_labels.h"

#include <algorithm>

namespace hfrec {

std::vector<MapCentre> cluster_centres(const MapPoints& points, const std::vector<int32_t>& labels, size_t k) {
  std::vector<MapCentre> out(k);
  const size_t n = std::min({points.x.size(), points.y.size(), labels.size()});
  // Rows grouped by label (a counting sort), then each group's medians.
  std::vector<size_t> start(k + 1, 0);
  for (size_t i = 0; i < n; ++i)
    if (labels[i] >= 0 && static_cast<size_t>(labels[i]) < k) ++start[labels[i] + 1];
  for (size_t c = 0; c < k; ++c) start[c + 1] += start[c];
  std::vector<float> xs(start[k]), ys(start[k]);
  std::vector<size_t> fill(start.begin(), start.end() - 1);
  for (size_t i = 0; i < n; ++i)
    if (labels[i] >= 0 && static_cast<size_t>(labels[i]) < k) {
      const size_t at = fill[labels[i]]++;
      xs[at] = points.x[i];
      ys[at] = points.y[i];
    }
  for (size_t c = 0; c < k; ++c) {
    const size_t b = start[c], e = start[c + 1];
    out[c].count = e - b;
    if (b == e) continue;
    const size_t mid = b + (e - b - 1) / 2;  // the lower middle
    std::nth_element(xs.begin() + b, xs.begin() + mid, xs.begin() + e);
    std::nth_element(ys.begin() + b, ys.begin() + mid, ys.begin() + e);
    out[c].x = xs[mid];
    out[c].y = ys[mid];
  }
  return out;
}

std::vector<PlacedLabel> place_labels(std::vector<LabelCandidate> candidates, const ScreenRect& bounds,
                                      const std::vector<ScreenRect>& obstacles) {
  std::stable_sort(candidates.begin(), candidates.end(), [](const LabelCandidate& a, const LabelCandidate& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    return a.id < b.id;
  });
  std::vector<PlacedLabel> placed;
  for (const LabelCandidate& c : candidates)
    for (const auto& off : kLabelOffsets) {
      const float x = c.at.x + off[0] * c.w, y = c.at.y + off[1] * c.h;
      const ScreenRect box{x - c.w / 2, y - c.h / 2, x + c.w / 2, y + c.h / 2};
      if (!box.inside(bounds)) continue;
      bool free = true;
      for (const PlacedLabel& p : placed) free = free && !box.overlaps(p.box);
      for (const ScreenRect& o : obstacles) free = free && !box.overlaps(o);
      if (free) {
        placed.push_back({c.id, box});
        break;
      }
    }
  return placed;
}

MapRect DensityBlocks::rect(const MapGrid& g, int bx, int by) const {
  const double cell = 1.0 / g.side;
  return {bx * factor * cell, by * factor * cell, std::min(1.0, (bx + 1) * factor * cell),
          std::min(1.0, (by + 1) * factor * cell)};
}

int density_factor(const MapGrid& g, double scale, float min_px) {
  if (g.side <= 0 || !(scale > 0)) return 1;
  const double cell_px = scale / g.side;
  int f = 1;
  while (f < g.side && f * cell_px < min_px) f *= 2;
  return f;
}

DensityBlocks density_blocks(const MapGrid& g, const CellRange& cells, int factor) {
  DensityBlocks d;
  d.factor = std::max(1, factor);
  if (g.side <= 0 || cells.empty()) return d;
  const int f = d.factor;
  d.bx0 = cells.x0 / f;
  d.by0 = cells.y0 / f;
  d.cols = cells.x1 / f - d.bx0 + 1;
  d.rows = cells.y1 / f - d.by0 + 1;
  d.counts.assign(static_cast<size_t>(d.cols) * d.rows, 0);
  // Every cell of the touched blocks (not only the range's), so edge blocks count in full.
  const int cx0 = d.bx0 * f, cx1 = std::min(g.side - 1, (d.bx0 + d.cols) * f - 1);
  const int cy0 = d.by0 * f, cy1 = std::min(g.side - 1, (d.by0 + d.rows) * f - 1);
  for (int cy = cy0; cy <= cy1; ++cy) {
    uint32_t* row = &d.counts[static_cast<size_t>(cy / f - d.by0) * d.cols];
    const uint32_t* start = &g.cell_start[static_cast<size_t>(cy) * g.side];
    for (int cx = cx0; cx <= cx1; ++cx) row[cx / f - d.bx0] += start[cx + 1] - start[cx];
  }
  for (uint32_t c : d.counts) d.max_count = std::max(d.max_count, c);
  return d;
}

}  // namespace hfrec
