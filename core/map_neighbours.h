// The k nearest rows of each row of a 2-D map: the layout's placement of identical rows and the
// preservation measure both ask it. Internal to core (layout.cpp, preservation.cpp).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <queue>
#include <utility>
#include <vector>

namespace hfrec {

// The k nearest rows of each row on the map (Euclidean; ties by row), by a uniform grid of about
// 2 rows a cell searched ring by ring until no farther cell can hold a closer row.
class MapNeighbours {
 public:
  MapNeighbours(const std::vector<float>& xy, size_t n) : xy_(xy) {
    double lo[2] = {0, 0}, hi[2] = {0, 0};
    for (size_t r = 0; r < n; ++r)
      for (int c = 0; c < 2; ++c) {
        lo[c] = r ? std::min(lo[c], double(xy[2 * r + c])) : xy[2 * r + c];
        hi[c] = r ? std::max(hi[c], double(xy[2 * r + c])) : xy[2 * r + c];
      }
    const int side = std::max(1, static_cast<int>(std::sqrt(double(n) / 2.0)));
    cell_ = std::max(hi[0] - lo[0], hi[1] - lo[1]) / side;
    if (!(cell_ > 0)) cell_ = 1;
    lo_[0] = lo[0];
    lo_[1] = lo[1];
    nx_ = std::min(side, static_cast<int>((hi[0] - lo[0]) / cell_)) + 1;
    ny_ = std::min(side, static_cast<int>((hi[1] - lo[1]) / cell_)) + 1;
    ptr_.assign(size_t(nx_) * ny_ + 1, 0);
    for (size_t r = 0; r < n; ++r) ++ptr_[cell_of(r) + 1];
    for (size_t c = 0; c + 1 < ptr_.size(); ++c) ptr_[c + 1] += ptr_[c];
    rows_.resize(n);
    std::vector<size_t> fill(ptr_.begin(), ptr_.end() - 1);
    for (size_t r = 0; r < n; ++r) rows_[fill[cell_of(r)]++] = static_cast<uint32_t>(r);
  }
  // Row r's k nearest (k < n), nearest first.
  void query(uint32_t r, int k, std::vector<uint32_t>& out) {
    heap_ = {};
    const int cx = cx_of(r), cy = cy_of(r);
    for (int R = 0; R <= std::max(nx_, ny_); ++R) {
      for (int y = cy - R; y <= cy + R; ++y) {
        if (y < 0 || y >= ny_) continue;
        const bool edge_row = y == cy - R || y == cy + R;
        for (int x = cx - R; x <= cx + R; x += edge_row ? 1 : 2 * std::max(R, 1)) {
          if (x >= 0 && x < nx_) visit(r, size_t(y) * nx_ + x, k);
          if (R == 0) break;
        }
      }
      const double bound = R * cell_;
      if (int(heap_.size()) == k && heap_.top().first < bound * bound * (1 - 1e-9)) break;
    }
    out.resize(heap_.size());
    for (size_t i = heap_.size(); i-- > 0;) {
      out[i] = heap_.top().second;
      heap_.pop();
    }
  }

 private:
  int cx_of(size_t r) const { return std::clamp(static_cast<int>((double(xy_[2 * r]) - lo_[0]) / cell_), 0, nx_ - 1); }
  int cy_of(size_t r) const {
    return std::clamp(static_cast<int>((double(xy_[2 * r + 1]) - lo_[1]) / cell_), 0, ny_ - 1);
  }
  size_t cell_of(size_t r) const { return size_t(cy_of(r)) * nx_ + cx_of(r); }
  void visit(uint32_t r, size_t cell, int k) {
    for (size_t q = ptr_[cell]; q < ptr_[cell + 1]; ++q) {
      const uint32_t j = rows_[q];
      if (j == r) continue;
      const double dx = double(xy_[2 * r]) - xy_[2 * j], dy = double(xy_[2 * r + 1]) - xy_[2 * j + 1];
      const std::pair<double, uint32_t> c{dx * dx + dy * dy, j};
      if (int(heap_.size()) < k) {
        heap_.push(c);
      } else if (c < heap_.top()) {
        heap_.pop();
        heap_.push(c);
      }
    }
  }
  const std::vector<float>& xy_;
  double cell_ = 1, lo_[2] = {0, 0};
  int nx_ = 1, ny_ = 1;
  std::vector<size_t> ptr_;
  std::vector<uint32_t> rows_;
  std::priority_queue<std::pair<double, uint32_t>> heap_;
};

}  // namespace hfrec
