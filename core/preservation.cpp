// The neighbourhood preservation of a map (declared in layout.h): for each row, the share of its k
// nearest rows in the feature space that are among its k nearest on the map, ties counted fairly.
#include <algorithm>
#include <cassert>
#include <limits>

#include "layout.h"
#include "map_neighbours.h"

namespace hfrec {

double preservation(const SimilaritySpace& space, const KnnGraph& graph, const std::vector<float>& xy, int k) {
  const Groups& gr = *space.groups;
  const size_t n = gr.group_of.size();
  if (xy.size() != 2 * n) return std::numeric_limits<double>::quiet_NaN();
  if (n < 2) return 1.0;
  k = static_cast<int>(std::min<size_t>(size_t(std::max(1, k)), n - 1));
  assert(graph.k >= k);
  // Per group: its self-distance, the k-th smallest distance D of a member's rows and how many are
  // strictly closer than D.
  const size_t G = gr.size();
  std::vector<double> self(G), D(G);
  std::vector<uint32_t> closer(G);
  std::vector<std::pair<double, uint64_t>> seq;
  for (uint32_t g = 0; g < G; ++g) {
    self[g] = space.distance(g, g);
    seq.clear();
    if (gr.weight(g) > 1) seq.emplace_back(self[g], gr.weight(g) - 1);
    for (uint64_t q = graph.ptr[g]; q < graph.ptr[g + 1]; ++q)
      seq.emplace_back(graph.dist[q], gr.weight(graph.neighbour[q]));
    std::stable_sort(seq.begin(), seq.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    uint64_t cum = 0;
    D[g] = seq.empty() ? 0.0 : seq.back().first;
    for (const auto& [dist, count] : seq) {
      cum += count;
      if (cum >= uint64_t(k)) {
        D[g] = dist;
        break;
      }
    }
    uint64_t less = 0;
    for (const auto& [dist, count] : seq)
      if (dist < D[g]) less += count;
    closer[g] = static_cast<uint32_t>(less);
  }
  MapNeighbours map(xy, n);
  std::vector<uint32_t> near;
  double total = 0;
  for (uint32_t r = 0; r < n; ++r) {
    map.query(r, k, near);
    const uint32_t g = gr.group_of[r];
    uint64_t full = 0, tied = 0;
    for (uint32_t j : near) {
      const uint32_t h = gr.group_of[j];
      const double d = h == g ? self[g] : space.distance(g, h);
      if (d < D[g]) ++full;
      else if (d == D[g]) ++tied;
    }
    total += double(full + std::min<uint64_t>(tied, uint64_t(k) - std::min<uint64_t>(closer[g], k))) / k;
  }
  return total / double(n);
}

}  // namespace hfrec
