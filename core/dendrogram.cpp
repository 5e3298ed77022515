// Dendrogram layout: the drawn top of a Ward dendrogram (an iterative post-order from the root),
// its cut heights and the clusters a cut gives (dendrogram.h).
#include "dendrogram.h"

#include <algorithm>
#include <utility>

namespace hfrec {

DendrogramLayout layout_dendrogram(const Dendrogram& d, const DendrogramLayoutParams& params) {
  DendrogramLayout out;
  if (d.n_leaves < 2 || d.merges.size() + 1 != d.n_leaves) return out;
  const size_t n = d.n_leaves;
  const size_t m = d.merges.size();
  for (size_t i = 0; i < m && i < params.max_heights; ++i) out.merge_heights.push_back(d.merges[m - 1 - i].height);
  out.max_height = d.merges.back().height;
  const size_t p = std::clamp<size_t>(params.leaves, 2, n);
  const size_t first_shown = m - (p - 1);  // merges >= this are drawn as nodes
  // Iterative post-order from the root: x of each node, leaves left to right.
  struct Node {
    float x, h;
  };
  size_t next_leaf = 0;
  auto size_of = [&](size_t t) -> uint32_t {
    return static_cast<uint32_t>(t < n ? d.leaf_size[t] : d.merges[t - n].size);
  };
  auto is_node = [&](size_t t) { return t >= n && t - n >= first_shown; };
  std::vector<std::pair<size_t, bool>> stack{{n + m - 1, false}};
  std::vector<std::pair<size_t, Node>> visited;  // node id -> position (at most 2p entries)
  auto pos_of = [&](size_t t) -> Node {
    for (auto it = visited.rbegin(); it != visited.rend(); ++it)
      if (it->first == t) return it->second;
    return Node{0.5f, 0};
  };
  while (!stack.empty()) {
    auto [t, expanded] = stack.back();
    stack.pop_back();
    if (!is_node(t)) {
      Node leaf{(static_cast<float>(next_leaf) + 0.5f) / static_cast<float>(p), 0};
      ++next_leaf;
      out.leaves.push_back({leaf.x, size_of(t)});
      visited.emplace_back(t, leaf);
      continue;
    }
    const Merge& mg = d.merges[t - n];
    if (!expanded) {
      stack.emplace_back(t, true);
      stack.emplace_back(mg.b, false);
      stack.emplace_back(mg.a, false);
      continue;
    }
    Node l = pos_of(mg.a), r = pos_of(mg.b);
    Node me{(l.x + r.x) / 2, static_cast<float>(mg.height)};
    out.links.push_back({l.x, r.x, l.h, r.h, me.h});
    visited.emplace_back(t, me);
  }
  return out;
}

double cut_height(const Dendrogram& d, size_t k) {
  const size_t m = d.merges.size();
  const double top = m ? d.merges.back().height : 0;
  const double above = k >= 2 && k - 2 < m ? d.merges[m - (k - 1)].height : top * 1.05;
  const double below = k - 1 < m ? d.merges[m - k].height : 0;
  return (above + below) / 2;
}

int clusters_at(const std::vector<double>& merge_heights_desc, double h) {
  int k = 1;
  for (double m : merge_heights_desc) {
    if (m <= h) break;
    ++k;
  }
  return k;
}

}  // namespace hfrec
