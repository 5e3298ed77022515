// Map lasso (map_lasso.h): the even-odd point-in-polygon test, the rows inside a polygon, and the
// lasso simplified, rounded and written as a link's text.
#include "map_lasso.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>

#include "text.h"

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

namespace {

// The cells of `cells` (a range of width w) that an edge of the polygon may pass through, each
// edge's cells widened by one on every side, so a cell left unmarked has no edge within a cell's
// width of it: rounding in the grid's cell_of or in the crossing test cannot matter there.
std::vector<uint8_t> edge_cells(const MapGrid& g, const MapPolygon& poly, size_t n, const CellRange& cells) {
  const int w = cells.x1 - cells.x0 + 1, h = cells.y1 - cells.y0 + 1;
  std::vector<uint8_t> mark(static_cast<size_t>(w) * static_cast<size_t>(h), 0);
  const double side = g.side;
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    const double xa = poly.x[j] * side, ya = poly.y[j] * side, xb = poly.x[i] * side, yb = poly.y[i] * side;
    const int lo = std::max(cells.y0, static_cast<int>(std::floor(std::min(ya, yb))) - 1);
    const int hi = std::min(cells.y1, static_cast<int>(std::floor(std::max(ya, yb))) + 1);
    for (int cy = lo; cy <= hi; ++cy) {
      // The edge's x extent over the band of rows cy - 1 .. cy + 1 (in cell units).
      double x0 = std::min(xa, xb), x1 = std::max(xa, xb);
      if (ya != yb) {
        const double t0 = std::clamp((cy - 1 - ya) / (yb - ya), 0.0, 1.0);
        const double t1 = std::clamp((cy + 2 - ya) / (yb - ya), 0.0, 1.0);
        x0 = std::min(xa + t0 * (xb - xa), xa + t1 * (xb - xa));
        x1 = std::max(xa + t0 * (xb - xa), xa + t1 * (xb - xa));
      }
      const int c0 = std::max(cells.x0, static_cast<int>(std::floor(x0)) - 1);
      const int c1 = std::min(cells.x1, static_cast<int>(std::floor(x1)) + 1);
      for (int cx = c0; cx <= c1; ++cx) mark[static_cast<size_t>(cy - cells.y0) * w + (cx - cells.x0)] = 1;
    }
  }
  return mark;
}

}  // namespace

// Cells an edge may cross, and the grid's border cells (which also hold the points outside the unit
// square), test each of their points. Any other cell lies wholly inside or wholly outside, as its
// centre does: the centres of a row of cells are classified together from the row's crossings,
// sorted (the same crossing test as point_in_polygon's). Rows come out ascending from a bitmap.
std::vector<uint32_t> points_in_polygon(const MapGrid& g, const MapPolygon& poly) {
  std::vector<uint32_t> rows;
  const size_t n = std::min(poly.x.size(), poly.y.size());
  if (n < 3 || g.side <= 0) return rows;
  const auto [x0, x1] = std::minmax_element(poly.x.begin(), poly.x.begin() + n);
  const auto [y0, y1] = std::minmax_element(poly.y.begin(), poly.y.begin() + n);
  const CellRange cells = cells_overlapping(g, MapRect{*x0, *y0, *x1, *y1});
  if (cells.empty()) return rows;
  const std::vector<uint8_t> mark = edge_cells(g, poly, n, cells);
  const size_t points = g.points.x.size();
  std::vector<uint64_t> in((points + 63) / 64, 0);
  const int w = cells.x1 - cells.x0 + 1;
  std::vector<double> crossings;
  for (int cy = cells.y0; cy <= cells.y1; ++cy) {
    const double yc = (cy + 0.5) / g.side;
    crossings.clear();
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
      const double xi = poly.x[i], yi = poly.y[i], xj = poly.x[j], yj = poly.y[j];
      if ((yi > yc) != (yj > yc)) crossings.push_back((xj - xi) * (yc - yi) / (yj - yi) + xi);
    }
    std::sort(crossings.begin(), crossings.end());
    size_t left = 0;  // crossings at or left of the centre
    for (int cx = cells.x0; cx <= cells.x1; ++cx) {
      const size_t cell = static_cast<size_t>(cy) * g.side + cx;
      const uint32_t b = g.cell_start[cell], e = g.cell_start[cell + 1];
      const double xc = (cx + 0.5) / g.side;
      while (left < crossings.size() && crossings[left] <= xc) ++left;
      if (b == e) continue;
      const bool border = cx == 0 || cy == 0 || cx == g.side - 1 || cy == g.side - 1;
      if (border || mark[static_cast<size_t>(cy - cells.y0) * w + (cx - cells.x0)]) {
        for (uint32_t k = b; k < e; ++k) {
          const uint32_t row = g.cell_rows[k];
          if (point_in_polygon(poly, g.points.x[row], g.points.y[row])) in[row >> 6] |= uint64_t{1} << (row & 63);
        }
      } else if ((crossings.size() - left) % 2 == 1) {  // point_in_polygon(centre): crossings right of it
        for (uint32_t k = b; k < e; ++k) in[g.cell_rows[k] >> 6] |= uint64_t{1} << (g.cell_rows[k] & 63);
      }
    }
  }
  for (size_t wd = 0; wd < in.size(); ++wd)
    for (uint64_t bits = in[wd]; bits; bits &= bits - 1)
      rows.push_back(static_cast<uint32_t>(wd * 64 + static_cast<size_t>(std::countr_zero(bits))));
  return rows;
}

MapPolygon simplify_polygon(const MapPolygon& poly, size_t max_vertices) {
  const size_t n = std::min(poly.x.size(), poly.y.size());
  MapPolygon o{{poly.x.begin(), poly.x.begin() + n}, {poly.y.begin(), poly.y.begin() + n}};
  max_vertices = std::max<size_t>(max_vertices, 3);
  // Twice the area of the triangle a vertex makes with its neighbours (cyclically).
  auto area = [&](size_t i) {
    const size_t m = o.x.size(), a = (i + m - 1) % m, b = (i + 1) % m;
    return std::abs((o.x[a] - o.x[i]) * (o.y[b] - o.y[i]) - (o.x[b] - o.x[i]) * (o.y[a] - o.y[i]));
  };
  while (o.x.size() > max_vertices) {
    size_t drop = 0;
    double least = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < o.x.size(); ++i)
      if (const double a = area(i); a < least) {  // the first of equal areas: deterministic
        least = a;
        drop = i;
      }
    o.x.erase(o.x.begin() + static_cast<std::ptrdiff_t>(drop));
    o.y.erase(o.y.begin() + static_cast<std::ptrdiff_t>(drop));
  }
  return o;
}

namespace {

// v rounded to kLassoDecimals decimals: the double nearest the decimal it prints as, since an
// integer divided by 10^6 is correctly rounded (and strtod reads that decimal to the same double).
double round_lasso(double v) {
  constexpr double scale = 1e6;
  static_assert(kLassoDecimals == 6, "scale is 10^kLassoDecimals");
  const double r = std::round(std::clamp(v, kLassoMin, kLassoMax) * scale) / scale;
  return r == 0 ? 0.0 : r;  // no "-0.000000"
}

}  // namespace

MapPolygon normalize_lasso(const MapPolygon& poly) {
  const size_t n = std::min(poly.x.size(), poly.y.size());
  MapPolygon c;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(poly.x[i]) || !std::isfinite(poly.y[i])) continue;
    c.x.push_back(std::clamp(poly.x[i], kLassoMin, kLassoMax));
    c.y.push_back(std::clamp(poly.y[i], kLassoMin, kLassoMax));
  }
  c = simplify_polygon(c, kMaxLassoVertices);
  MapPolygon o;
  for (size_t i = 0; i < c.x.size(); ++i) {
    const double x = round_lasso(c.x[i]), y = round_lasso(c.y[i]);
    if (!o.x.empty() && o.x.back() == x && o.y.back() == y) continue;
    o.x.push_back(x);
    o.y.push_back(y);
  }
  while (o.x.size() > 1 && o.x.back() == o.x.front() && o.y.back() == o.y.front()) {
    o.x.pop_back();
    o.y.pop_back();
  }
  if (o.x.size() < 3) return {};
  return o;
}

std::string format_lasso(const MapPolygon& poly) {
  const MapPolygon p = normalize_lasso(poly);
  std::string o;
  char buf[40];
  for (size_t i = 0; i < p.x.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s%.*f,%.*f", i ? "," : "", kLassoDecimals, p.x[i], kLassoDecimals, p.y[i]);
    o += buf;
  }
  return o;
}

Result<MapPolygon> parse_lasso(std::string_view text) {
  if (text.size() > kMaxLassoBytes) return Error{"longer than " + std::to_string(kMaxLassoBytes) + " bytes"};
  std::vector<double> v;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view item =
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    double d = 0;
    if (!parse_decimal(item, d) || d < kLassoMin || d > kLassoMax) {
      char lo[16], hi[16];
      std::snprintf(lo, sizeof lo, "%g", kLassoMin);
      std::snprintf(hi, sizeof hi, "%g", kLassoMax);
      return Error{"number " + std::to_string(v.size() + 1) + " ('" + excerpt(item, 24) + "') is not a number from " +
                   lo + " to " + hi};
    }
    v.push_back(d);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (v.size() % 2) return Error{std::to_string(v.size()) + " numbers: x,y pairs need an even count"};
  const size_t vertices = v.size() / 2;
  if (vertices < 3 || vertices > kMaxLassoVertices)
    return Error{std::to_string(vertices) + (vertices == 1 ? " point" : " points") + ": a lasso has 3 to " +
                 std::to_string(kMaxLassoVertices)};
  MapPolygon p;
  for (size_t i = 0; i < vertices; ++i) {
    p.x.push_back(v[2 * i]);
    p.y.push_back(v[2 * i + 1]);
  }
  return p;
}

}  // namespace hfrec
