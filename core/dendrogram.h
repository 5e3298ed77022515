// Dendrogram layout: the top of a Ward dendrogram laid out for drawing (scipy's
// dendrogram(truncate_mode='lastp')), and the height that cuts it into k clusters.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ward.h"

namespace hfrec {

// A drawn merge: its children's x and heights, and its own height (x in [0, 1]).
struct DendrogramLink {
  float x_left = 0, x_right = 0, h_left = 0, h_right = 0, h = 0;
};

// A drawn leaf: a truncated subtree (or a single point) at x, holding `size` catalogue rows.
struct DendrogramLeaf {
  float x = 0;
  uint32_t size = 0;
};

// What to lay out.
struct DendrogramLayoutParams {
  size_t leaves = 30;         // the last `leaves - 1` merges are drawn; everything below is a leaf
  size_t max_heights = 5000;  // merge heights kept for clusters_at (highest first)
};

// The drawn top of a dendrogram.
struct DendrogramLayout {
  std::vector<DendrogramLink> links;   // children before parents
  std::vector<DendrogramLeaf> leaves;  // left to right, evenly spaced: x = (i + 0.5) / count
  std::vector<double> merge_heights;   // highest first, at most max_heights
  double max_height = 0;               // the root's height
  bool empty() const { return links.empty(); }
};

// Lays out the last `leaves - 1` merges: each drawn merge sits midway between its children, which
// are visited left child first from the root (an iterative post-order: no recursion on deep
// trees). Empty for fewer than 2 leaves or a dendrogram whose merges do not join all its leaves.
DendrogramLayout layout_dendrogram(const Dendrogram& d, const DendrogramLayoutParams& p = {});

// The height that cuts a dendrogram into k clusters: midway between the (k-1)-th and the k-th
// highest merges (above the root for k = 1: 1.05 times its height, and 0 below the lowest merge).
// With distinct heights, exactly k clusters lie under it. Needs a non-empty dendrogram.
double cut_height(const Dendrogram& d, size_t k);

// Clusters a cut at height h gives, from merge heights sorted highest first: 1 + the merges above h.
int clusters_at(const std::vector<double>& merge_heights_desc, double h);

}  // namespace hfrec
