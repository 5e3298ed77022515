// A neighbourhood-preserving 2-D map of a feature space: UMAP (McInnes, Healy & Melville 2018,
// "UMAP: Uniform Manifold Approximation and Projection for Dimension Reduction", arXiv:1802.03426)
// over the kNN graph of the distinct rows (knn_graph.h: exact, or NN-descent's for large
// catalogues), and a measure of how well a map keeps each row's nearest neighbours.
// - Steps as the paper and umap-learn: per point ρ (nearest distance) and σ (binary search so the
//   memberships add up to log2 k), memberships exp(-(d - ρ)/σ), symmetrised by fuzzy union
//   (a + b - ab); then SGD on the low-dimensional curve 1 / (1 + a d^(2b)): each edge sampled in
//   proportion to its weight (epochs_per_sample), negative_samples repulsions per attraction,
//   gradients clipped to ±4, learning rate decaying linearly to 0.
// - Groups: the points are the distinct rows. A neighbour group counts its rows (at most k) in σ's
//   normalisation; an edge weighs its membership; negative samples are drawn over catalogue rows,
//   so a group of w rows repels w times as often. Each undirected edge is sampled as two directed
//   ones, each moving its head (umap-learn moves both ends of each of the two). Identical rows are
//   then laid out as a sunflower disc around their group's point, as in projection.h.
// - An edge's repulsions are computed from its head's point after the attraction, each added to
//   it (umap-learn moves the point after each sample): the samples' divisions overlap instead of
//   forming one chain. Since 2026-12-04; preservation stayed within its spread over seeds (real
//   10k: hybrid 0.4268 / 0.4251 / 0.4258 before, 0.4247 / 0.4266 / 0.4250 after, seeds 0 to 2).
// - Initialisation: the PCA plane of the rows as the similarity sees them (unit rows), by our own
//   subspace iteration (not Eigen, whose vectorised sums differ between targets), scaled to [0, 10].
// - Bit-identical natively and in WebAssembly for a seed: only +, -, ×, ÷ and sqrt (IEEE, correctly
//   rounded) and an own exp (Cody-Waite reduction and a degree-13 Taylor polynomial, det_exp) in
//   the memberships; no std:: distribution (ClusterRng, xoshiro256**). b = 1: the curve
//   1 / (1 + a d²), a = 1.558 fitted (least squares on [0, 3], as umap-learn's find_ab_params) to
//   min_dist 0.1, spread 1, needs no pow (umap-learn's b = 0.895 would need d^1.79 in the inner
//   loop). Assumes no floating-point contraction into FMA (the defaults of GCC and clang for
//   x86-64 and WebAssembly without -march).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "job.h"
#include "knn_graph.h"
#include "projection.h"

namespace hfrec {

struct LayoutParams {
  int n_neighbors = 15;        // k of the kNN graph (rows)
  int epochs = 200;            // SGD epochs (umap-learn's for large data; 500 kept no more on the 10k)
  double a = 1.558;            // the curve 1 / (1 + a d²) (b = 1; see the top of this file)
  double learning_rate = 1.0;  // initial; decays linearly to 0
  int negative_samples = 5;    // repulsions per attraction
  double repulsion = 1.0;      // gamma: weight of the repulsive term
  uint64_t seed = 0;           // negative sampling and the initialisation's start
  int init_iters = 30;         // subspace iterations of the PCA initialisation
  double ring_step = 0.004;    // spacing of identical rows, as a fraction of the map's extent
};

// e^x by plain arithmetic, the same bits on every IEEE target (|relative error| < 2e-15); 0 below
// -700.
double det_exp(double x);

// A UMAP layout in slices: the kNN graph, the initialisation, the fuzzy set, then the epochs.
// - Work units (SliceTimer): the graph's (knn_graph.h); one per group per initialisation pass and
//   for the fuzzy set; one per edge visited in an epoch plus one per gradient step (an attraction
//   or a repulsion). A piece is at most one kNN query, one pass over the groups, the fuzzy union
//   (edges · log edges) or 256 edges.
// - Deterministic: the same space and params give the same bits however it is sliced.
// - The space must outlive the run; destroying the run cancels it.
class LayoutRun {
 public:
  LayoutRun(const SimilaritySpace& space, const LayoutParams& params = {});
  ~LayoutRun();
  LayoutRun(const LayoutRun&) = delete;
  LayoutRun& operator=(const LayoutRun&) = delete;
  bool step(const SliceTimer& timer);
  bool done() const;
  double progress() const;
  std::string stage() const;  // "layout: neighbours", "layout: epoch 12/500", ...
  // The map (variance fields 0), once, after step() returned true: same shape as a PCA Projection.
  Projection take();
  // The kNN graph it used (k = n_neighbors), valid once the neighbours stage is done.
  const KnnGraph& graph() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The native seconds a UMAP layout of an index's space is expected to take (the space, the kNN
// graph and the epochs), for the app's rule that a link does not start a long job by itself.
// Linear in the points laid out (distinct rows; hybrid: rows), calibrated with hfrec_bench's
// layout/umap on the real 10k and a generated 100k (2026-12-03): about 0.25 ms a point for soup,
// tfidf and hybrid at 10k-100k (hybrid 10k 2.5 s, soup 100k 20 s), 0.08 ms for attributes.
double estimate_layout_seconds(const Index& index, MapSpace space);

// The layout, run to the end.
Projection umap_layout(const SimilaritySpace& space, const LayoutParams& params = {});

// The space's rows scaled so that their dot products are its similarity's dot part: value ·
// sqrt(column weight) / sqrt(norm_sq) (tfidf: the l2-normalised tf-idf rows; hybrid: the field
// weights folded in). The matrix a PCA map of tfidf or hybrid is computed on (projection.h).
CsrMatrix unit_rows(const SimilaritySpace& space);

// Neighbourhood preservation of a map: for each catalogue row, the share of its k nearest rows in
// the feature space (distance 1 - similarity, identical rows at their group's self-distance) that
// are among its k nearest rows on the map (Euclidean, ties by row), averaged over rows; in [0, 1].
// - Ties in the feature space: with D the k-th smallest distance and s the rows strictly closer
//   than D, a map neighbour closer than D counts 1 and those at exactly D count together at most
//   k - s: the share under the tie-break most favourable to the map, so a map is not marked down
//   for which of equally near rows it shows.
// - `graph` is the space's kNN graph with graph.k >= k (layout's, or knn_graph(space, k)); the
//   map's neighbours come from a uniform grid (about 2 rows a cell, searched ring by ring), not n².
//   An approximate graph (graph.approximate) makes the measure against its neighbours.
// - xy: 2 per catalogue row (else NaN). Rows < 2: 1. k is capped at rows - 1.
double preservation(const SimilaritySpace& space, const KnnGraph& graph, const std::vector<float>& xy, int k = 10);

}  // namespace hfrec
