// The k-nearest-neighbour graph of a catalogue's distinct feature rows under the similarity the
// recommenders rank by (exact, or NN-descent's where exact would be too slow), for the
// neighbourhood-preserving map (layout.h) and its quality measure.
// - Feature spaces: attributes (cosine on the one-hot, the kmeans method's), soup (cosine on
//   counts, the cosine method's), tfidf (cosine on count·idf, the tfidf method's) and hybrid (the
//   hybrid method's score: per-field cosines times the query's field scale, plus the candidate's
//   popularity prior). Distance = 1 - similarity, smaller is closer (hybrid's may dip below 0).
// - Over groups of identical rows (row_groups.h): a group's neighbours are the nearest other groups,
//   closest first (ties by group id, i.e. by the tie order of their first rows), taken until their
//   rows add up to k. Identical rows are not each other's neighbours here; they share a point.
// - No n × n matrix: each group is one query over an inverted index of the rows (column -> groups)
//   that walks only the later groups' postings (the dot part is symmetric: each pair once, offered
//   both ways to per-group candidates bounded by the k-th best approximate score), the touched
//   groups scored, the rest (similarity 0, or the hybrid's prior alone) taken in order. Values,
//   column weights and query scales are non-negative (every space's are), so a touched group never
//   scores below its prior alone.
//   Memory linear in rows and non-zeros; time the postings walked, which grows about as groups²
//   for terms most rows share (soup, tfidf, hybrid).
// - Size crossover (2-core machine, natively, 2026-11-30, real 10k catalogue): the exact graph
//   takes 0.02 s on attributes (1,035 distinct rows), 0.5-0.8 s on soup and tfidf (7,396) and
//   2.6 s on hybrid (10,000). It grows quadratically (about 0.7 ns of CPU per posting walked on
//   hybrid, 2.4 ns on soup and tfidf), so KnnGraphRun estimates its postings (exact_graph_work) and
//   past 2^32 of them (hybrid past about 14k rows, soup and tfidf past about 40k distinct: 3-10 s)
//   builds the approximate graph instead, NN-descent (nn_descent.h), whose time grows about
//   linearly (README, "Maps that keep neighbours", for its recall and times). The real 10k stays
//   exact (2.1e9 postings on hybrid); attributes stay small (1,214 distinct rows in a generated
//   100k). knn_graph() is always exact.
#pragma once
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "job.h"
#include "row_groups.h"

namespace hfrec {

class Index;

// The feature spaces a map can be laid out in.
enum class MapSpace { attributes, soup, tfidf, hybrid };
const char* map_space_name(MapSpace s);
// "attributes" / "soup" / "tfidf" / "hybrid"; false for anything else.
bool parse_map_space(std::string_view s, MapSpace& out);

// Distinct feature rows with their similarity: for groups a (the query) and b,
//   similarity(a, b) = dot(a, b) / sqrt(norm_sq[a] · norm_sq[b]) · query_scale[a] + bias[b],
//   dot(a, b) = Σ_t (value_lo(t) · column_weight[t]) · value_hi(t), summed in ascending column order,
// lo and hi being the lower and higher of the two ids (so dot(a, b) = dot(b, a) to the bit), 0 for
// the dot part when a norm is 0. The kNN graph, NN-descent and pairwise similarity() compute it the
// same way, so the same pair gives the same bits (the preservation measure compares them for ties),
// and the exact graph computes each pair's dot once, for both directions.
struct SimilaritySpace {
  const Groups* groups = nullptr;     // catalogue rows -> groups (hybrid: one group per row)
  const CsrMatrix* rows = nullptr;    // one row per group (null: `own`)
  CsrMatrix own;                      // rows built for this space (hybrid)
  std::vector<double> column_weight;  // per column; empty: 1
  std::vector<double> norm_sq;        // per group
  std::vector<double> query_scale;    // per group; empty: 1
  std::vector<double> bias;           // per group; empty: 0
  // The inverted index: column -> (group, value), groups ascending.
  std::vector<uint64_t> col_ptr;
  std::vector<uint32_t> col_groups;
  std::vector<float> col_values;

  const CsrMatrix& matrix() const { return rows ? *rows : own; }
  size_t size() const { return matrix().rows(); }
  double weight_of_column(uint32_t t) const { return column_weight.empty() ? 1.0 : column_weight[t]; }
  // The similarity of a to b from their dot product (the formula above).
  double from_dot(uint32_t a, uint32_t b, double dot) const {
    const double nn = norm_sq[a] * norm_sq[b];
    double s = nn > 0 ? dot / std::sqrt(nn) : 0.0;
    if (!query_scale.empty()) s *= query_scale[a];
    if (!bias.empty()) s += bias[b];
    return s;
  }
  // The order both graphs take groups nobody's query reached in (the bias run): bias largest
  // first, ties by id. A strict order, so any sort of the ids gives the same sequence.
  bool bias_before(uint32_t a, uint32_t b) const { return bias[a] != bias[b] ? bias[a] > bias[b] : a < b; }
  // Pairwise, by merging the two rows: the same value the graph computes.
  double similarity(uint32_t a, uint32_t b) const;
  double distance(uint32_t a, uint32_t b) const { return 1.0 - similarity(a, b); }
};

// Cosine over `rows` (one row per group of `groups`), each column scaled by column_weight (empty:
// 1): norm_sq[g] = Σ value² · weight. Both must outlive the space. Linear in non-zeros.
// SimilaritySpaceBuilder run to its end.
SimilaritySpace cosine_space(const Groups& groups, const CsrMatrix& rows, std::vector<double> column_weight = {});
// A feature space of an index, as its recommender scores it (see the top of this file). The index
// must outlive the space; hybrid builds the index's hybrid model if it is not built yet.
// SimilaritySpaceBuilder run to its end.
SimilaritySpace make_similarity_space(const Index& index, MapSpace space);

// make_similarity_space in slices (the app's layout job): the norms (hybrid: every row's terms,
// weights, query scale and prior) in batches of rows, the postings counted and filled in batches,
// their arrays grown in pieces. Hybrid's model must be built before the first step
// (Index::has_hybrid), else that step builds it at once.
class SimilaritySpaceBuilder {
 public:
  SimilaritySpaceBuilder(const Index& index, MapSpace space);
  // cosine_space's in slices.
  SimilaritySpaceBuilder(const Groups& groups, const CsrMatrix& rows, std::vector<double> column_weight = {});
  ~SimilaritySpaceBuilder();
  SimilaritySpaceBuilder(const SimilaritySpaceBuilder&) = delete;
  SimilaritySpaceBuilder& operator=(const SimilaritySpaceBuilder&) = delete;
  // Works until the timer expires; true when the space is built.
  bool step(const SliceTimer& timer);
  double progress() const;
  std::string stage() const;  // "layout: feature space"
  // The space, once, after step() returned true.
  SimilaritySpace take();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// For each group, its nearest other groups.
struct KnnGraph {
  int k = 0;                     // the rows each list covers
  std::vector<uint64_t> ptr{0};  // group g's neighbours: [ptr[g], ptr[g + 1])
  std::vector<uint32_t> neighbour;
  std::vector<double> dist;  // 1 - similarity, ascending (ties by neighbour id)
  bool approximate = false;  // NN-descent's (nn_descent.h), not the exact one
  size_t groups() const { return ptr.size() - 1; }
};

// Which graph KnnGraphRun builds: exact while the postings its queries would walk (Σ over columns
// of groups² holding it) stay under exact_max_work, else NN-descent.
struct KnnGraphOptions {
  uint64_t exact_max_work = uint64_t(4) << 30;  // see the top of this file
  uint64_t seed = 0;                            // NN-descent's
};

// The postings the exact graph walks for a space: Σ over columns of nonzero weight of (groups
// holding it)², an upper bound of its time (a few ns each).
uint64_t exact_graph_work(const SimilaritySpace& space);

class NnDescentRun;

// The graph built in slices: step(timer) answers one group's query at a time. Work units
// (SliceTimer): one per group plus one per 16 postings walked (a column half the groups or more
// hold counts the later groups it is added over: at most twice its postings) and groups scored, so
// a piece is at most one query (≤ (2 · non-zeros + groups) / 16 units); NN-descent's as
// nn_descent.h. The space must outlive the run; destroying it cancels.
class KnnGraphRun {
 public:
  KnnGraphRun(const SimilaritySpace& space, int k, const KnnGraphOptions& options = {});
  ~KnnGraphRun();
  KnnGraphRun(const KnnGraphRun&) = delete;
  KnnGraphRun& operator=(const KnnGraphRun&) = delete;
  bool step(const SliceTimer& timer);
  bool done() const;
  double progress() const;
  KnnGraph take();  // once, after step() returned true
  bool approximate() const { return approx_ != nullptr; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<NnDescentRun> approx_;
};

// The exact graph, run to the end.
KnnGraph knn_graph(const SimilaritySpace& space, int k);

}  // namespace hfrec
