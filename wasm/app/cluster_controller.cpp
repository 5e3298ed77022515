// The cluster view's controller: clustering and elbow jobs in slices, their results published into
// AppState::clusters (map grid, dendrogram, cluster list), the map's UMAP layout in slices with its
// cache, focus, recuts and the share link's part. What is drawn over the map (the lasso, the rings,
// the overlay's JSON) is map_controller.cpp.
//
// Index of this file:
// [SECTION] Parameters from JSON
// [SECTION] ClusterController::Impl: jobs and publishing a result
// [SECTION] ClusterController::Impl: the map's layout
// [SECTION] ClusterController
#include "app/cluster_controller.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/json_text.h"
#include "app/long_jobs.h"
#include "core/catalogue.h"
#include "core/clustering.h"
#include "core/dendrogram.h"
#include "core/focus.h"
#include "core/knn_graph.h"
#include "core/layout.h"  // LayoutRun
#include "core/map_grid.h"
#include "core/map_labels.h"  // cluster_centres
#include "core/recommender.h"
#include "core/share_link.h"
#include "core/text.h"  // thousands
#include "core/view_params.h"

namespace hfrec::app {

using nlohmann::json;

namespace {

constexpr size_t kDendroLeaves = 30;  // leaves of the drawn (truncated) dendrogram

json nan_to_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

constexpr size_t kLayoutCache = 6;  // UMAP maps kept per catalogue (two floats a row each)

// What a UMAP map is laid out from: the clustering's feature space and seed (and the catalogue,
// whose change empties the cache).
struct LayoutKey {
  std::string features;
  uint64_t seed = 0;
  bool operator==(const LayoutKey&) const = default;
};

// A UMAP map computed for a key.
struct CachedLayout {
  LayoutKey key;
  std::vector<float> xy;
  double seconds = 0, wall_seconds = 0;
  bool approximate = false;  // laid out over NN-descent's kNN graph
};

// The layout in progress: the space built in slices, then the run (which needs it to stay put).
struct LayoutJob {
  LayoutKey key;
  MapSpace space_kind = MapSpace::attributes;  // key.features, parsed once
  std::unique_ptr<SimilaritySpaceBuilder> builder;
  SimilaritySpace space;
  std::unique_ptr<LayoutRun> run;
  std::optional<Projection> map;  // taken; drawn in the next step
  double seconds = 0;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Parameters from JSON
//-----------------------------------------------------------------------------

Status parse_cluster_params(const json& j, ClusterParams& p) {
  if (!j.is_object())
    return Status::Fail("cluster: must be an object {algo, features, k, eps, min_samples, seed, cut}");
  ClusterParams o = p;
  // "cluster.k: must be an integer from 1 to 100000, got 0", the range from view_params.h's table.
  auto bad = [&](Param param, const char* key) {
    return Status::Fail("cluster." + std::string(key) + ": must be " + describe_range(param_spec(param)) + ", got " +
                        dump(j[key]));
  };
  auto integer = [&](Param param, const char* key, int& out) {
    const json& v = j[key];
    if (!v.is_number_integer() || !in_range(param_spec(param), v.get<int64_t>())) return false;
    out = static_cast<int>(v.get<int64_t>());
    return true;
  };
  auto number = [&](Param param, const char* key, double& out) {
    const json& v = j[key];
    if (!v.is_number() || !in_range(param_spec(param), v.get<double>())) return false;
    out = v.get<double>();
    return true;
  };
  if (j.contains("algo")) {
    ClusterAlgo a;
    if (!j["algo"].is_string() || !parse_algo(j["algo"].get<std::string>(), a))
      return Status::Fail("cluster.algo: unknown algorithm " + dump(j["algo"]) + " (kmeans, ward, dbscan)");
    o.algo = j["algo"].get<std::string>();
  }
  if (j.contains("features")) {
    FeatureSpace f;
    if (!j["features"].is_string() || !parse_feature_space(j["features"].get<std::string>(), f))
      return Status::Fail("cluster.features: unknown feature space " + dump(j["features"]) +
                          " (attributes, soup, tfidf)");
    o.features = j["features"].get<std::string>();
  }
  if (j.contains("k")) {
    if (!integer(Param::cluster_k, "k", o.k)) return bad(Param::cluster_k, "k");
    o.cut = -1;
  }
  if (j.contains("eps") && !number(Param::eps, "eps", o.eps)) return bad(Param::eps, "eps");
  for (const char* key : {"min_samples", "minSamples"})
    if (j.contains(key) && !integer(Param::min_samples, key, o.min_samples)) return bad(Param::min_samples, key);
  if (j.contains("seed")) {
    // Any unsigned 64-bit seed, as links carry them (2^63 and above included).
    const json& v = j["seed"];
    const bool ok = v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
    if (!ok) return bad(Param::seed, "seed");
    o.seed = v.get<uint64_t>();
  }
  if (j.contains("cut")) {
    if (j["cut"].is_null()) o.cut = -1;
    else if (!number(Param::cut, "cut", o.cut))
      return Status::Fail("cluster.cut: must be " + describe_range(param_spec(Param::cut)) +
                          " (a Ward cut height), got " + dump(j["cut"]));
  }
  p = o;
  return Status::Ok();
}

//-----------------------------------------------------------------------------
// [SECTION] ClusterController::Impl: jobs and publishing a result
//-----------------------------------------------------------------------------

struct ClusterController::Impl {
  AppState& s;
  Platform& platform;
  const Index* index = nullptr;
  std::function<void()> changed;
  std::function<void()> map_changed;

  std::unique_ptr<ClusterJob> job;
  std::unique_ptr<ElbowJob> elbow;
  ClusterParams job_params;
  int job_id = 0;
  std::optional<ClusterResult> result;
  std::vector<uint32_t> row_of_label_count;

  Impl(AppState& st, Platform& p) : s(st), platform(p) {}

  void notify() {
    if (changed) changed();
    platform.state_changed();
  }

  void finish_job(const json& outcome) {
    if (job_id) platform.job_finished(job_id, dump(outcome));
    job_id = 0;
  }

  void drop_jobs(const std::string& why) {
    if (job || elbow) finish_job(json{{"ok", false}, {"error", why}});
    job.reset();
    elbow.reset();
    s.clusters.running = false;
    s.clusters.progress = 0;
    s.clusters.stage.clear();
    s.clusters.job_kind.clear();
  }

  static ClusterRequest request_of(const ClusterParams& p, size_t rows) {
    ClusterRequest r;
    parse_algo(p.algo, r.algo);
    parse_feature_space(p.features, r.features);
    r.k = p.k;
    r.ward_height = r.algo == ClusterAlgo::ward ? p.cut : -1;
    r.eps = p.eps;
    r.min_samples = p.min_samples;
    r.seed = p.seed;
    // The exact silhouette is quadratic in distinct rows: sample on large catalogues.
    r.silhouette_sample = rows > 50000 ? 10000 : 0;
    return r;
  }

  // Publishes a finished result into AppState::clusters.
  void install(ClusterResult r) {
    ClusterState& c = s.clusters;
    const Catalogue& cat = index->catalogue();
    c.has_result = true;
    c.error.clear();
    c.params = job_params;
    if (r.request.algo == ClusterAlgo::ward) {
      c.params.k = static_cast<int>(r.sizes.size());
      c.params.cut = r.request.ward_height;
    }
    // k-means finds at most as many clusters as there are distinct points: say so, not silently.
    c.note.clear();
    if (r.request.algo == ClusterAlgo::kmeans && r.sizes.size() < static_cast<size_t>(job_params.k))
      c.note = "k = " + std::to_string(job_params.k) + " asked, " + std::to_string(r.sizes.size()) +
               " found: the catalogue has only " + std::to_string(r.sizes.size()) + " distinct " + job_params.features +
               " rows (models with the same features count once)";
    c.labels = r.labels;
    c.noise = r.metrics.noise;
    c.inertia = r.metrics.inertia;
    c.silhouette = r.metrics.silhouette;
    c.davies_bouldin = r.metrics.davies_bouldin;
    c.calinski_harabasz = r.metrics.calinski_harabasz;
    c.silhouette_rows = r.metrics.silhouette_rows;
    c.seconds = r.seconds;
    c.wall_seconds =
        std::max(r.seconds, std::chrono::duration<double>(std::chrono::steady_clock::now() - job_started).count());
    c.clusters.clear();
    for (size_t i = 0; i < r.sizes.size(); ++i) {
      ClusterRow row;
      row.label = static_cast<int>(i);
      row.size = r.sizes[i];
      if (i < r.clusters.size()) {
        row.name = r.clusters[i].name;
        for (uint32_t m : r.clusters[i].top_members) row.top.emplace_back(cat.id(m));
      }
      if (row.name.empty()) row.name = "cluster " + std::to_string(i + 1);
      c.clusters.push_back(std::move(row));
    }
    if (c.focus >= static_cast<int>(c.clusters.size()) || (c.focus == -1 && c.noise == 0)) c.focus = -2;

    // The map in the unit square with its grid (rows within a cell most downloaded first: the
    // coarse LOD draws the first few of each cell), and point sizes by downloads.
    show_map(r.map.xy, "pca");
    c.size = map_point_sizes(cat.downloads);
    const Catalogue* catp = &cat;
    const std::vector<int32_t>* labels = &c.labels;
    c.point_info = [catp, labels](uint32_t row) {
      PointInfo p;
      if (row >= catp->size()) return p;
      p.model_id = catp->id(row);
      p.task = std::string(catp->value(catp->pipeline_tag[row]));
      p.downloads = catp->downloads[row];
      p.label = (*labels)[row];
      return p;
    };

    layout_dendrogram(r);
    result = std::move(r);
    if (pending_focus && *pending_focus >= -1) {
      int f = *pending_focus;
      if (f < static_cast<int>(c.clusters.size()) && (f >= 0 || c.noise > 0)) c.focus = f;
    }
    pending_focus.reset();
    sync_layout(false);
  }

  std::optional<int> pending_focus;
  double worst_step_ms = 0;  // longest step() of the current job (the frame budget check)
  // When the current job started: its result's wall time (what the person waited, frames drawn
  // between its steps included) next to its compute time.
  std::chrono::steady_clock::time_point job_started = std::chrono::steady_clock::now();

  void layout_dendrogram(const ClusterResult& r) {
    ClusterState& c = s.clusters;
    c.dendro_links.clear();
    c.dendro_leaves.clear();
    c.merge_heights.clear();
    c.dendro_max = 0;
    c.cut_height = -1;
    if (r.request.algo != ClusterAlgo::ward) return;
    DendrogramLayout d = ::hfrec::layout_dendrogram(r.dendrogram, DendrogramLayoutParams{.leaves = kDendroLeaves});
    if (d.empty()) return;
    for (const DendrogramLink& l : d.links) c.dendro_links.push_back({l.x_left, l.x_right, l.h_left, l.h_right, l.h});
    for (const DendrogramLeaf& l : d.leaves) c.dendro_leaves.push_back({l.x, l.size});
    c.merge_heights = std::move(d.merge_heights);
    c.dendro_max = d.max_height;
    // The cut in use: the request's height, else between the (k-1)-th and k-th highest merges.
    c.cut_height = r.request.ward_height >= 0 ? r.request.ward_height : cut_height(r.dendrogram, r.sizes.size());
  }

  bool tick(double budget_ms) {
    if (!job && !elbow && layout_job) return step_layout(budget_ms);
    // A clustering's last step may start its map's layout: work remains then.
    return tick_job(budget_ms) || layout_job != nullptr;
  }

  bool tick_job(double budget_ms) {
    if (job)
      return step_job(
          job, budget_ms, [](const auto&) {},
          [&](auto result) {
            install(std::move(result));
            finish_job(json{{"ok", true}, {"clusters", summary()}});
          },
          [&] { notify(); });
    if (elbow)
      return step_job(
          elbow, budget_ms, [&](const auto& e) { copy_elbow(e.rows()); },
          [&](const auto& rows) {
            copy_elbow(rows);
            finish_job(json{{"ok", true}, {"elbow", elbow_json()}});
          },
          [&] { platform.state_changed(); });
    return false;
  }

  // One step of a running job (a clustering or an elbow) within the budget: progress and stage
  // into the state, then on_step(job); on the last step the result goes to on_result (or its
  // error to the state and the job's promise), then after(). True while the job still runs.
  template <class Job, class OnStep, class OnResult, class After>
  bool step_job(std::unique_ptr<Job>& j, double budget_ms, OnStep&& on_step, OnResult&& on_result, After&& after) {
    ClusterState& c = s.clusters;
    const auto t0 = std::chrono::steady_clock::now();
    const bool done = j->step(budget_ms);
    worst_step_ms = std::max(worst_step_ms,
                             std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    c.progress = static_cast<float>(j->progress());
    c.stage = j->stage();
    on_step(*j);
    if (!done) return true;
    auto r = j->take();
    j.reset();
    c.running = false;
    c.job_kind.clear();
    c.stage.clear();
    if (!r.ok()) {
      c.error = r.error();
      finish_job(json{{"ok", false}, {"error", r.error()}});
    } else {
      on_result(std::move(r).value());
    }
    after();
    return false;
  }

  //---------------------------------------------------------------------------
  // [SECTION] ClusterController::Impl: the map's layout
  //---------------------------------------------------------------------------

  std::unique_ptr<LayoutJob> layout_job;
  std::vector<CachedLayout> layout_cache;     // most recently used last
  std::optional<LayoutKey> layout_cancelled;  // not laid out again until asked (set_layout(true))
  std::optional<LayoutKey> layout_held;       // likewise, held as too long for a link (MapLayoutState::held)
  bool hold_long_layouts = false;

  // Draws this map: its own coordinates, fitted to the unit square with the grid over them.
  void show_map(const std::vector<float>& xy, const char* method) {
    ClusterState& c = s.clusters;
    const Catalogue& cat = index->catalogue();
    auto grid = build_map_grid(normalize_map(xy, cat.size()), cat.downloads);
    if (grid.ok()) c.map_grid = std::move(grid).value();
    c.map_xy = xy;
    // Once per layout (and clustering): where each cluster's name goes.
    c.centres = cluster_centres(c.map_grid.points, c.labels, c.clusters.size());
    c.layout.shown = method;
    if (map_changed) map_changed();  // the lasso was drawn over the points where they were
  }

  void show_cached(const CachedLayout& m) {
    ClusterState& c = s.clusters;
    show_map(m.xy, "umap");
    c.layout.features = m.key.features;
    c.layout.seed = m.key.seed;
    c.layout.seconds = m.seconds;
    c.layout.wall_seconds = m.wall_seconds;
    c.layout.approximate = m.approximate;
  }

  void drop_layout() {
    layout_job.reset();
    MapLayoutState& l = s.clusters.layout;
    l.running = false;
    l.progress = 0;
    l.stage.clear();
  }

  // The map the result and AppState::map_layout ask for: PCA, a cached UMAP map, or a layout
  // started (the map drawn stays until it arrives).
  void sync_layout(bool retry) {
    ClusterState& c = s.clusters;
    if (!index || !result) return;
    if (s.map_layout != "umap") {
      drop_layout();
      if (c.layout.shown != "pca") show_map(result->map.xy, "pca");
      return;
    }
    const LayoutKey key{s.map_features == "clusters" ? c.params.features : s.map_features, c.params.seed};
    if (retry && layout_cancelled == key) layout_cancelled.reset();
    if (!(layout_held == key) || retry) {
      layout_held.reset();
      c.layout.held.clear();
    }
    for (size_t i = 0; i < layout_cache.size(); ++i)
      if (layout_cache[i].key == key) {
        std::rotate(layout_cache.begin() + static_cast<std::ptrdiff_t>(i),
                    layout_cache.begin() + static_cast<std::ptrdiff_t>(i) + 1, layout_cache.end());
        drop_layout();
        show_cached(layout_cache.back());
        return;
      }
    if (layout_job && layout_job->key == key) return;  // on its way
    drop_layout();
    // Another space's map (AppState::map_features) over the same clustering: the PCA map shows
    // meanwhile (or, cancelled, instead), as after a new clustering, so a UMAP map drawn is always
    // the one asked for.
    if (c.layout.shown == "umap") show_map(result->map.xy, "pca");
    if (layout_cancelled == key || layout_held == key) return;
    MapSpace space = MapSpace::attributes;
    parse_map_space(key.features, space);
    if (std::string note =
            long_job_note("The UMAP map of " + key.features + " for " +
                              thousands(static_cast<int64_t>(index->catalogue().size())) + " models",
                          estimate_layout_seconds(*index, space), c.layout.auto_start_seconds, "Lay out");
        !retry && hold_long_layouts && !note.empty()) {
      layout_held = key;
      c.layout.held = std::move(note);
      return;
    }
    layout_job = std::make_unique<LayoutJob>();
    layout_job->key = key;
    layout_job->space_kind = space;
    c.layout.running = true;
    c.layout.cancelled = false;
    c.layout.progress = 0;
    c.layout.stage = "layout: starting";
    c.layout.longest_step_ms = 0;
    c.layout.features = key.features;
    c.layout.seed = key.seed;
  }

  // One step of the layout: the space's slices (hybrid's once the load's model is built), the
  // run's, then (its own step) the finished map cached and drawn if the view still asks for it.
  // - No preservation (core/layout.h): it is one unsliced call of 40-50 ms natively on the 10k
  //   (about twice that in WebAssembly), over a step's budget; hfrec layout prints it.
  bool step_layout(double budget_ms) {
    MapLayoutState& l = s.clusters.layout;
    LayoutJob& j = *layout_job;
    const auto t0 = std::chrono::steady_clock::now();
    bool finished = false;
    if (!j.run && j.space_kind == MapSpace::hybrid && !index->has_hybrid()) {
      // The load's hybrid model is still being built in its own slices (Controller::tick): built
      // here it would be one step (a second at 100k rows).
      l.stage = "layout: waiting for the hybrid model";
    } else if (!j.run) {
      if (!j.builder) j.builder = std::make_unique<SimilaritySpaceBuilder>(*index, j.space_kind);
      if (j.builder->step(SliceTimer(budget_ms))) {
        j.space = j.builder->take();
        j.builder.reset();
        j.run = std::make_unique<LayoutRun>(j.space, LayoutParams{.seed = j.key.seed});
      } else {
        l.stage = j.builder->stage();
        l.progress = static_cast<float>(0.02 * j.builder->progress());
      }
    } else if (!j.map) {
      if (j.run->step(SliceTimer(budget_ms))) j.map = j.run->take();
      l.stage = j.run->stage();
      l.progress = static_cast<float>(j.map ? 0.99 : 0.02 + 0.97 * j.run->progress());
    } else {
      finished = true;
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (finished) {
      CachedLayout m{j.key, std::move(j.map->xy), 0, 0, j.run->graph().approximate};
      j.seconds += ms / 1000;
      m.seconds = j.seconds;
      m.wall_seconds =
          std::max(m.seconds, std::chrono::duration<double>(std::chrono::steady_clock::now() - j.started).count());
      l.longest_step_ms = std::max(l.longest_step_ms, ms);
      ++l.computed;
      drop_layout();
      if (layout_cache.size() >= kLayoutCache) layout_cache.erase(layout_cache.begin());
      layout_cache.push_back(std::move(m));
      sync_layout(false);  // draws it if the result and the view still want it
      notify();
      return layout_job != nullptr;
    }
    j.seconds += ms / 1000;
    l.longest_step_ms = std::max(l.longest_step_ms, ms);
    return true;
  }

  json layout_json() const {
    const ClusterState& c = s.clusters;
    const MapLayoutState& l = c.layout;
    json o{{"method", s.map_layout}, {"shown", l.shown},
           {"running", l.running},   {"progress", l.progress},
           {"stage", l.stage},       {"cancelled", l.cancelled},
           {"computed", l.computed}, {"longestStepMs", l.longest_step_ms}};
    if (l.shown == "umap" || l.running) {
      o["features"] = l.features;
      o["seed"] = l.seed;
    }
    if (!l.held.empty()) o["held"] = l.held;
    if (l.shown == "umap") {
      o["seconds"] = l.seconds;
      o["wallSeconds"] = l.wall_seconds;
      o["graph"] = l.approximate ? "nn-descent" : "exact";
    }
    return o;
  }

  void copy_elbow(const std::vector<ElbowRow>& rows) {
    s.clusters.elbow.clear();
    for (const auto& e : rows)
      s.clusters.elbow.push_back({e.k, e.inertia, e.silhouette, e.davies_bouldin, e.calinski_harabasz});
  }

  json elbow_json() const {
    json a = json::array();
    for (const auto& e : s.clusters.elbow)
      a.push_back({{"k", e.k},
                   {"inertia", nan_to_null(e.inertia)},
                   {"silhouette", nan_to_null(e.silhouette)},
                   {"davies_bouldin", nan_to_null(e.davies_bouldin)},
                   {"calinski_harabasz", nan_to_null(e.calinski_harabasz)}});
    return a;
  }

  json summary() const {
    const ClusterState& c = s.clusters;
    if (!c.has_result) return nullptr;
    json sizes = json::array(), names = json::array();
    for (const auto& r : c.clusters) {
      sizes.push_back(r.size);
      names.push_back(r.name);
    }
    return json{{"algorithm", c.params.algo},
                {"features", c.params.features},
                {"k", c.clusters.size()},
                {"sizes", sizes},
                {"noise", c.noise},
                {"names", names},
                {"metrics",
                 {{"inertia", nan_to_null(c.inertia)},
                  {"silhouette", nan_to_null(c.silhouette)},
                  {"davies_bouldin", nan_to_null(c.davies_bouldin)},
                  {"calinski_harabasz", nan_to_null(c.calinski_harabasz)},
                  {"silhouette_rows", c.silhouette_rows}}},
                {"params",
                 {{"algo", c.params.algo},
                  {"features", c.params.features},
                  {"k", c.params.k},
                  {"eps", c.params.eps},
                  {"min_samples", c.params.min_samples},
                  {"seed", c.params.seed},
                  {"cut", c.params.cut >= 0 ? json(c.params.cut) : json(nullptr)}}},
                {"cutHeight", c.cut_height >= 0 ? json(c.cut_height) : json(nullptr)},
                {"note", c.note},
                {"focus", c.focus == -2 ? json(nullptr) : json(c.focus)},
                {"seconds", c.seconds},
                {"wallSeconds", c.wall_seconds},
                {"elbow", elbow_json()}};
  }
};

//-----------------------------------------------------------------------------
// [SECTION] ClusterController
//-----------------------------------------------------------------------------

ClusterController::ClusterController(AppState& state, Platform& platform)
    : impl_(std::make_unique<Impl>(state, platform)) {}
ClusterController::~ClusterController() = default;

void ClusterController::on_change(std::function<void()> fn) { impl_->changed = std::move(fn); }
void ClusterController::on_map_changed(std::function<void()> fn) { impl_->map_changed = std::move(fn); }

void ClusterController::reset(const Index* index) {
  auto& d = *impl_;
  d.drop_jobs("the catalogue changed");
  d.layout_job.reset();  // it holds the old Index's space
  d.layout_cache.clear();
  d.layout_cancelled.reset();
  d.layout_held.reset();  // a new catalogue's link asks afresh (its note went with the old state)
  d.result.reset();
  ClusterState fresh;
  fresh.elbow.clear();
  d.s.clusters = std::move(fresh);
  d.index = index;
}

Status ClusterController::start(const ClusterParams& p, int job_id) {
  auto& d = *impl_;
  if (!d.index) return Status::Fail("no catalogue is loaded");
  ClusterRequest req = Impl::request_of(p, d.index->catalogue().size());
  auto j = start_cluster(*d.index, req);
  if (!j.ok()) return Status::Fail(j.error());
  d.drop_jobs("superseded by a newer clustering");
  d.job = std::move(j).value();
  d.job_params = p;
  d.job_id = job_id;
  d.worst_step_ms = 0;
  d.job_started = std::chrono::steady_clock::now();
  d.s.cluster_draft = p;
  ClusterState& c = d.s.clusters;
  c.running = true;
  c.job_kind = "cluster";
  c.progress = 0;
  c.stage = "starting";
  c.error.clear();
  c.held.clear();
  d.platform.state_changed();
  return Status::Ok();
}

double ClusterController::estimate_seconds(const ClusterParams& p) const {
  const auto& d = *impl_;
  if (!d.index) return 0;
  return estimate_cluster_seconds(*d.index, Impl::request_of(p, d.index->catalogue().size()));
}

Status ClusterController::start_elbow(const std::string& features, int job_id) {
  auto& d = *impl_;
  if (!d.index) return Status::Fail("no catalogue is loaded");
  ElbowRequest req;
  if (!parse_feature_space(features, req.features)) return Status::Fail("unknown feature space '" + features + "'");
  const size_t n = d.index->catalogue().size();
  req.k_min = 2;
  req.k_max = static_cast<int>(std::min<size_t>(12, n));
  req.restarts = 4;
  req.seed = d.s.cluster_draft.seed;
  req.silhouette_sample = std::min<size_t>(n, 2000);
  auto j = ::hfrec::start_elbow(*d.index, req);
  if (!j.ok()) return Status::Fail(j.error());
  d.drop_jobs("superseded by the elbow");
  d.elbow = std::move(j).value();
  d.job_id = job_id;
  d.worst_step_ms = 0;
  ClusterState& c = d.s.clusters;
  c.elbow.clear();
  c.elbow_features = features;
  c.running = true;
  c.job_kind = "elbow";
  c.progress = 0;
  c.stage = "starting";
  c.error.clear();
  d.platform.state_changed();
  return Status::Ok();
}

void ClusterController::cancel() {
  auto& d = *impl_;
  if (d.job) d.job->cancel();
  if (d.elbow) d.elbow->cancel();
}

Status ClusterController::recut(double height) {
  auto& d = *impl_;
  if (!d.result || d.result->request.algo != ClusterAlgo::ward) return Status::Fail("a cut needs a Ward clustering");
  if (!(height >= 0) || !std::isfinite(height)) return Status::Fail("the cut height must be a number >= 0");
  int k = clusters_at(d.s.clusters.merge_heights, height);
  auto r = recut_ward(*d.index, *d.result, k, height);
  if (!r.ok()) return Status::Fail(r.error());
  d.job_params = d.s.clusters.params;
  d.job_params.cut = height;
  d.pending_focus = d.s.clusters.focus;
  d.job_started = std::chrono::steady_clock::now();  // a re-cut is waited for on its own
  d.install(std::move(r).value());
  d.s.cluster_draft.k = static_cast<int>(d.s.clusters.clusters.size());
  d.s.cluster_draft.cut = height;
  d.notify();
  return Status::Ok();
}

void ClusterController::focus(int label) {
  auto& d = *impl_;
  ClusterState& c = d.s.clusters;
  if (label < -2 || label >= static_cast<int>(c.clusters.size()) || (label == -1 && c.noise == 0)) label = -2;
  if (c.focus == label) return;
  c.focus = label;
  d.notify();
}

void ClusterController::set_layout(bool retry) {
  auto& d = *impl_;
  if (retry) d.s.clusters.layout.cancelled = false;
  d.sync_layout(retry);
}

void ClusterController::hold_long_layouts(bool on) {
  auto& d = *impl_;
  d.hold_long_layouts = on;
  if (on) return;
  // The person's request: a map held for the link is laid out with the next sync (a result, a
  // layout or space chosen).
  d.layout_held.reset();
  d.s.clusters.layout.held.clear();
}

void ClusterController::cancel_layout() {
  auto& d = *impl_;
  if (!d.layout_job) return;
  d.layout_cancelled = d.layout_job->key;
  d.drop_layout();
  d.s.clusters.layout.cancelled = true;
  d.platform.state_changed();
}

bool ClusterController::layout_running() const { return impl_->layout_job != nullptr; }

bool ClusterController::running() const { return impl_->job || impl_->elbow; }
bool ClusterController::has_result() const { return impl_->s.clusters.has_result; }

bool ClusterController::tick(double budget_ms) { return impl_->tick(budget_ms); }

void ClusterController::set_pending_focus(int label) {
  if (running() || !has_result()) impl_->pending_focus = label;
  else focus(label);
}

bool ClusterController::filtering() const {
  const ClusterState& c = impl_->s.clusters;
  return c.has_result && c.focus != -2;
}

bool ClusterController::allowed(uint32_t row) const {
  const ClusterState& c = impl_->s.clusters;
  return !filtering() || cluster_focus_allows(c.labels, c.focus, row);
}

json ClusterController::summary() const { return impl_->summary(); }

json ClusterController::layout_json() const { return impl_->layout_json(); }

json ClusterController::job() const {
  const ClusterState& c = impl_->s.clusters;
  return json{{"running", c.running}, {"kind", c.job_kind}, {"progress", c.progress},
              {"stage", c.stage},     {"error", c.error},   {"longestStepMs", impl_->worst_step_ms}};
}

void ClusterController::to_link(ShareLink& l) const {
  const AppState& s = impl_->s;
  const ClusterState& c = s.clusters;
  if (!c.has_result && !c.running) return;
  const ClusterParams& p = c.running ? impl_->job_params : c.params;
  l.algo = p.algo;
  l.features = p.features;
  if (p.algo == "dbscan") {
    l.eps = p.eps;
    l.min_samples = p.min_samples;
  } else if (p.algo == "ward" && p.cut >= 0) {
    l.cut = p.cut;
  } else {
    l.cluster_k = p.k;
  }
  if (p.seed) l.seed = p.seed;
  if (c.focus != -2) l.focus = c.focus;
  if (!(s.map == MapView{})) {
    l.zoom = s.map.zoom;
    l.cx = s.map.cx;
    l.cy = s.map.cy;
  }
  if (s.map_layout != "umap") l.layout = s.map_layout;                // UMAP, the default, goes unsaid
  if (s.map_features != "clusters") l.map_features = s.map_features;  // likewise
}

}  // namespace hfrec::app
