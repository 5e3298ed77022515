// Clustering of a catalogue for the app and the CLI: one request (algorithm, feature space,
// parameters) becomes a Job that yields labels per catalogue row, cluster sizes and names,
// quality metrics, Ward's dendrogram and a 2-D map. Algorithms: kmeans.h, ward.h, dbscan.h;
// metrics: cluster_metrics.h; map: projection.h; names: cluster_names.h.
// - Jobs hold a reference to the Index: keep it alive (and unchanged) until the job is dropped.
// - Time and memory are linear in rows except the exact silhouette (see cluster_metrics.h).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cluster_metrics.h"
#include "cluster_names.h"
#include "dbscan.h"
#include "job.h"
#include "kmeans.h"
#include "projection.h"
#include "recommender.h"
#include "result.h"
#include "ward.h"

namespace hfrec {

enum class ClusterAlgo { kmeans, ward, dbscan };
enum class FeatureSpace { attributes, soup, tfidf };

const char* algo_name(ClusterAlgo a);
const char* feature_space_name(FeatureSpace f);
const char* dbscan_metric_name(DbscanMetric m);
// Parse "kmeans" / "attributes" / "cosine"...; false for an unknown name.
bool parse_algo(std::string_view s, ClusterAlgo& out);
bool parse_feature_space(std::string_view s, FeatureSpace& out);
bool parse_dbscan_metric(std::string_view s, DbscanMetric& out);

// What to cluster and how; the defaults are safe.
struct ClusterRequest {
  ClusterAlgo algo = ClusterAlgo::kmeans;
  FeatureSpace features = FeatureSpace::attributes;
  int k = 10;                                  // k-means clusters; Ward cut (when ward_height < 0)
  double ward_height = -1;                     // Ward: cut at this height instead of k when >= 0
  double eps = 0.3;                            // DBSCAN radius (distance <= eps is a neighbour)
  int min_samples = 5;                         // DBSCAN: neighbours, the point itself included, to be core
  DbscanMetric metric = DbscanMetric::cosine;  // DBSCAN distance
  uint64_t seed = 0;                           // k-means seeding, silhouette sample, map
  int restarts = 10;                           // k-means restarts (best inertia kept)
  bool metrics = true;                         // compute the quality metrics
  size_t silhouette_sample = 0;                // 0: exact silhouette; else on this many rows sampled by seed
  bool projection = true;                      // compute the 2-D map
};

// Quality of a labelling, Euclidean in the chosen feature space, noise rows left out. NaN when
// not defined (fewer than 2 clusters, or not computed).
struct ClusterMetrics {
  double inertia = 0;  // k-means: its inertia; others: within-cluster sum of squares
  double silhouette = 0, davies_bouldin = 0, calinski_harabasz = 0;
  size_t silhouette_rows = 0;  // rows the silhouette was computed on
  size_t noise = 0;            // rows labelled kNoise
};

// The outcome of a request.
struct ClusterResult {
  ClusterRequest request;
  std::vector<int32_t> labels;           // per catalogue row: 0..k-1 (largest cluster first) or kNoise
  std::vector<uint32_t> sizes;           // rows per cluster
  std::vector<ClusterSummary> clusters;  // names, distinctive features, top members; by label
  ClusterMetrics metrics;
  Dendrogram dendrogram;  // Ward only: over catalogue rows, scipy linkage layout
  Projection map;         // when request.projection
  double seconds = 0;     // time spent in step()
};

// A running clustering; run it with step() and collect it with take().
// - Work units (SliceTimer): the algorithm's (kmeans.h, ward.h, dbscan.h), the silhouette's and
//   the map's, and one per catalogue row for each phase that cannot stop part-way (labels, quality
//   metrics, names, the map's set-up). So no piece exceeds max(rows, 2 × points × k) units, points
//   being the distinct feature rows and k = 1 for Ward and DBSCAN.
class ClusterJob : public Job {
 public:
  ~ClusterJob() override;
  using Job::step;
  bool step(const SliceTimer& timer) override;
  double progress() const override;
  std::string stage() const override;
  // The result once step() returned true; an error if cancelled. Call once.
  Result<ClusterResult> take();

 private:
  friend Result<std::unique_ptr<ClusterJob>> start_cluster(const Index&, const ClusterRequest&);
  struct Impl;
  explicit ClusterJob(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Validates the request (the error names the parameter) and starts the job.
Result<std::unique_ptr<ClusterJob>> start_cluster(const Index& index, const ClusterRequest& request);

// Runs a request to the end (CLI, tests).
Result<ClusterResult> cluster(const Index& index, const ClusterRequest& request);

// A rough estimate of a request's running time natively on this project's 2-core machine, in
// seconds, from what drives its cost: distinct points n, their non-zeros per row z, k and the
// features d. k-means: restarts·n·k·(8 + ln k) distances plus k²·d (metrics at large k);
// Ward: n² pairs plus k² for the cut's Davies-Bouldin; DBSCAN: n² pairs (an upper bound: its
// neighbourhoods prune); the exact
// silhouette: n² pairs (or the sample's). Each distance or pair costs about z + 4 operations.
// Calibrated on the 10k catalogue (k-means on tf-idf at k = 10, 50, 200; Ward on tf-idf; the
// silhouette), within a factor of 2 there (hfrec_bench slices/cluster prints it beside the measured
// time as estimate_s); WebAssembly in Chromium is about twice as slow.
double estimate_cluster_seconds(const Index& index, const ClusterRequest& request);

// Above this estimate a clustering waits for an explicit request (the Run button, the API)
// instead of starting by itself when a link or a load opens the cluster view.
constexpr double kAutoStartSeconds = 3.0;

// A new cut of a Ward result (the dendrogram's cut line): by k, or by height when height >= 0.
// Labels, sizes, names and metrics are recomputed (silhouette as the original request asked);
// the dendrogram and map are kept.
Result<ClusterResult> recut_ward(const Index& index, const ClusterResult& ward, int k, double height = -1);

// The k-means elbow: inertia and metrics for each k in [k_min, k_max].
struct ElbowRequest {
  FeatureSpace features = FeatureSpace::attributes;
  int k_min = 2, k_max = 12;
  uint64_t seed = 0;
  int restarts = 10;
  size_t silhouette_sample = 0;  // 0: exact
};

struct ElbowRow {
  int k = 0;
  double inertia = 0, silhouette = 0, davies_bouldin = 0, calinski_harabasz = 0;
};

// Work units as ClusterJob's.
class ElbowJob : public Job {
 public:
  ~ElbowJob() override;
  using Job::step;
  bool step(const SliceTimer& timer) override;
  double progress() const override;
  std::string stage() const override;
  // Rows finished so far (for drawing the curve as it grows).
  const std::vector<ElbowRow>& rows() const;
  // All rows once step() returned true; an error if cancelled.
  Result<std::vector<ElbowRow>> take();

 private:
  friend Result<std::unique_ptr<ElbowJob>> start_elbow(const Index&, const ElbowRequest&);
  struct Impl;
  explicit ElbowJob(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

Result<std::unique_ptr<ElbowJob>> start_elbow(const Index& index, const ElbowRequest& request);
Result<std::vector<ElbowRow>> elbow(const Index& index, const ElbowRequest& request);

}  // namespace hfrec
