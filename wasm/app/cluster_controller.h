// The cluster view's logic: runs core/clustering.h's jobs in slices (ClusterJob, ElbowJob), recuts
// Ward, keeps the focused cluster, lays out the map (core/layout.h's UMAP, in slices beside the
// clustering, cached per feature space and seed), and publishes AppState::clusters (map grid,
// cluster list, dendrogram, elbow) for cluster_view.cpp to draw; what is drawn over the map is
// map_controller.h's. Pure C++, like controller.h.
#pragma once
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "app/controller.h"
#include "core/result.h"

namespace hfrec {
class Index;
struct ShareLink;
}  // namespace hfrec

namespace hfrec::app {

class ClusterController {
 public:
  ClusterController(AppState& state, Platform& platform);
  ~ClusterController();

  // Called whenever the clustering or the focus changes (the ranked list and the link follow it).
  void on_change(std::function<void()> fn);
  // Called whenever another map is drawn (a new clustering or layout): MapController::map_changed.
  void on_map_changed(std::function<void()> fn);

  // A new catalogue: cancels the jobs and drops the result (before the old Index is destroyed).
  void reset(const Index* index);

  // Starts clustering with p. job_id > 0: Platform::job_finished(job_id, ...) reports the outcome.
  // Fails (changing nothing) on bad parameters or with no catalogue.
  Status start(const ClusterParams& p, int job_id = 0);
  // Starts the k-means elbow (k = 2..12) on a feature space.
  Status start_elbow(const std::string& features, int job_id = 0);
  // Cancels the running job (its promise resolves with an error).
  void cancel();
  // Ward: a new cut at this height.
  Status recut(double height);
  // Shows one cluster alone (label >= 0, -1 noise) or all (-2); filters the ranked list.
  void focus(int label);
  // The focus a link asked for: now, or when the running job's result arrives.
  void set_pending_focus(int label);

  // The map's layout changed (AppState::map_layout): shows the PCA map, or the cached UMAP map of
  // the result's (features, seed), or starts laying it out (the map drawn stays until it arrives).
  // retry: also after that layout was cancelled (otherwise a cancelled layout waits to be asked).
  void set_layout(bool retry);
  // While on (a link's view), a UMAP layout estimated longer than MapLayoutState::auto_start_seconds
  // (core's estimate_layout_seconds) is not started by itself: MapLayoutState::held says so and it
  // waits, as a cancelled one, until set_layout(true). The person's own requests turn it off.
  void hold_long_layouts(bool on);
  // Stops the UMAP layout in progress now; the map drawn stays.
  void cancel_layout();
  bool layout_running() const;

  // A clustering or elbow job is running (the layout is not counted: layout_running()).
  bool running() const;
  // The clustering's estimated native running time (core's estimate_cluster_seconds).
  double estimate_seconds(const ClusterParams& p) const;
  bool has_result() const;
  // Does up to budget_ms of the job (else of the layout); true while work remains.
  bool tick(double budget_ms);

  // Whether a row may appear in the ranked list (the focused cluster's members; all when none).
  bool filtering() const;
  bool allowed(uint32_t row) const;

  // state().clusters: null or {algorithm, features, k, sizes, noise, names, metrics, params, focus}.
  nlohmann::json summary() const;
  // state().clusterJob: {running, kind, progress, stage, error}.
  nlohmann::json job() const;
  // state().layout: {method, shown, features, seed, running, progress, stage, cancelled, computed,
  // longestStepMs, and features, seed, seconds, wallSeconds of the UMAP map drawn or being laid out}.
  nlohmann::json layout_json() const;
  // The cluster view's part of the share link.
  void to_link(ShareLink& link) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads {algo, features, k, eps, min_samples, seed, cut} over p (unchanged on an error naming the
// field), with the ranges of core/view_params.h's table.
Status parse_cluster_params(const nlohmann::json& j, ClusterParams& p);

}  // namespace hfrec::app
