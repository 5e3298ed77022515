// Approximate k-nearest-neighbour graph by NN-descent (Dong, Moses & Li 2011, "Efficient k-nearest
// neighbor graph construction for generic similarity measures", WWW '11): a neighbour of a
// neighbour is likely a neighbour, so each group's list improves by comparing the pairs among its
// neighbours and reverse neighbours (the local join), until few lists change.
// - The same similarity and output as the exact graph (knn_graph.h): every pair is scored by the
//   formula SimilaritySpace::similarity computes, with the same bits, from the query's side (the
//   hybrid's is asymmetric: query_scale of the query, bias of the candidate); lists closest first,
//   ties by group id, taken until their rows add up to k; identical rows share a group.
// - As the paper: new/old flags (a pair of two old neighbours was compared already), sampling
//   rate rho of the new ones and of the reverse lists, stop when an iteration changed fewer than
//   delta · groups · pool list entries.
// - Pairs are scored from a scattered row (one lookup per entry of the other row, no branch), so
//   the cost is the local joins' pairs times the rows' entries: memory linear in groups × pool plus
//   one slot (value, weight) per column and a slot index and value per entry that can be a term
//   (not of a column one group holds, or of weight 0). Before a group's pairs are scored, a line
//   of each thing they read of each group in it is loaded at once (the misses overlap, instead of
//   each waited for in turn). A pair already in both
//   lists is not scored (both offers would be refused: the lists are the same); the others of a
//   row (in the start, the local joins and the final lists alike) are scored eight at a time in
//   lockstep, each sum its own chain of additions in the same order (a sum's order fixes its bits,
//   so one chain alone waits on the adder), the rows below the row's id apart from those above
//   (each pair's terms have one form: the lower id's value · weight first), then offered in order;
//   columns sit in slots by how many rows hold them, the commonest sharing cache lines.
// - Start: each group's candidates from its rarest columns (groups sharing them, from the inverted
//   index; on the real 10k this raised recall@10 from 0.93-0.98 with random starts alone to
//   0.988-0.998 with 30% fewer pairs) and random groups, plus the first groups in bias order (the
//   hybrid's prior); at the end each list also scores the first groups in bias order (the exact
//   graph's fill for groups that share no column) before it is cut to k rows.
// - Deterministic for a seed (ClusterRng), however it is sliced; memory linear in groups × pool.
#pragma once
#include <cstdint>
#include <memory>

#include "job.h"
#include "knn_graph.h"

namespace hfrec {

struct NnDescentParams {
  int pool = 0;          // list length kept per group while descending (0: k + 5, at most 15 unless k is)
  double rho = 0.5;      // sampling rate of new and reverse neighbours
  double delta = 0.001;  // stop when an iteration changes fewer than delta · groups · pool entries
  int max_iters = 30;
  int index_candidates = 0;  // start candidates from the rarest columns (0: pool; < 0: none)
  int random_candidates = 4;
  uint64_t seed = 0;
};

// NN-descent in slices. Work units (SliceTimer): one per group per pass plus one per 16 row entries
// read to score pairs, so a piece is one group's start, local join or final list.
// The space must outlive the run; destroying it cancels.
class NnDescentRun {
 public:
  NnDescentRun(const SimilaritySpace& space, int k, const NnDescentParams& params = {});
  ~NnDescentRun();
  NnDescentRun(const NnDescentRun&) = delete;
  NnDescentRun& operator=(const NnDescentRun&) = delete;
  bool step(const SliceTimer& timer);
  bool done() const;
  double progress() const;
  int iterations() const;  // local-join iterations run so far
  uint64_t pairs() const;  // pairs scored so far (each direction of an asymmetric pair once)
  KnnGraph take();         // once, after step() returned true (approximate = true)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The approximate graph, run to the end.
KnnGraph nn_descent(const SimilaritySpace& space, int k, const NnDescentParams& params = {});

}  // namespace hfrec
