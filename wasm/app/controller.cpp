// The app's controller: loads catalogues in slices, runs searches and recommendations (through
// core), and applies the views' intents (controller.h). Its state is Controller::Impl
// (controller_impl.h); the view model and the automation API's set()/state() are in
// controller_view.cpp, share links and history in controller_links.cpp.
//
// Index of this file:
// [SECTION] Views and helpers
// [SECTION] Controller::Impl: loading in slices
// [SECTION] Loading and ticking
// [SECTION] Intents
// [SECTION] The automation API (window.hfrec): select, cluster, elbow, cancel, map points
#include "app/controller.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "app/controller_impl.h"
#include "app/long_jobs.h"

namespace hfrec::app {

std::string shown_id(std::string_view id) { return visible_text(id); }

//-----------------------------------------------------------------------------
// [SECTION] Controller::Impl: loading in slices
//-----------------------------------------------------------------------------

void Controller::Impl::ensure_clustering() {
  if (s.view != View::clusters || !index || clusters.has_result() || clusters.running()) return;
  if (held_back(s.cluster_draft)) return;
  (void)clusters.start(s.cluster_draft);  // a failure shows as no clustering
}

bool Controller::Impl::held_back(const ClusterParams& p) {
  const std::string what = p.algo + " on " + p.features + (p.algo == "dbscan" ? "" : ", k = " + std::to_string(p.k));
  std::string note = long_job_note("This clustering (" + what + ")", clusters.estimate_seconds(p),
                                   s.clusters.auto_start_seconds, "Run");
  if (note.empty()) return false;
  s.clusters.held = std::move(note);
  platform.state_changed();
  return true;
}

void Controller::Impl::finish_load(const std::string& result) {
  int id = load ? load->id : 0;
  load.reset();
  s.busy = fetching;
  s.progress = 0;
  s.stage.clear();
  platform.load_finished(id, result);
  platform.state_changed();
}

void Controller::Impl::tick(double budget_ms) {
  if (!load) return;
  tick_started_ = std::chrono::steady_clock::now();
  Load* current = load.get();
  tick_load(budget_ms);
  if (load.get() == current)  // still loading (finish_load() resets it and counts this tick)
    load->work_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - tick_started_).count();
}

bool Controller::Impl::tick_hybrid(double budget_ms) {
  if (!hybrid_build) return false;
  if (hybrid_build.tick(budget_ms)) {
    // A list waiting for the model shows how far it is, redrawn as a load's progress is
    // (progress_shown), not at every step.
    for (ResultList* l : {&s.primary, &s.secondary})
      if (!l->preparing.empty()) {
        l->preparing = hybrid_build->stage();
        l->preparing_progress = static_cast<float>(hybrid_build->progress());
      }
    return true;
  }
  if (lists_waiting()) recompute();
  return false;
}

bool Controller::Impl::tick_soup(double budget_ms) {
  if (soup_pending() && !index->step_soup(SliceTimer(budget_ms))) {
    for (ResultList* l : {&s.primary, &s.secondary})  // a cosine or tfidf list waiting for it
      if (waits_for_soup(*l)) {
        l->preparing = index->soup_stage();
        l->preparing_progress = static_cast<float>(index->soup_progress());
      }
    return true;
  }
  // Built, here or at once by whatever needed it first (a clustering, the page's core() handle):
  // the lists waiting for it.
  if (list_waits_for_soup()) recompute();
  return false;
}

bool Controller::Impl::fail_load(const std::string& what) {
  s.error = what + (index ? ". The previous catalogue is still loaded." : "");
  finish_load(fail(s.error));
  return false;
}

bool Controller::Impl::tick_load(double budget_ms) {
  if (load->loader) {
    SliceTimer timer(budget_ms);
    bool done = false;
    // 500 rows at a time: a Hub JSON model object costs several times a CSV row.
    while (!done && !timer.expired()) done = load->loader->step(500);
    s.progress = static_cast<float>(0.05 + 0.85 * load->loader->progress());
    if (!done) return true;
    auto r = load->loader->take();
    load->loader.reset();
    if (!r.ok()) return fail_load("Could not load '" + load->name + "': " + r.error());
    if (r.value().size() == 0) return fail_load("Could not load '" + load->name + "': it has no models");
    Catalogue cat = std::move(r).value();
    cat.name = load->name;
    load->rows = cat.size();
    load->builder = std::make_unique<IndexBuilder>(std::move(cat), IndexBuilder::SoupWhen::later);
    s.stage = "Indexing " + std::to_string(load->rows) + " models";
    s.progress = 0.9f;
    return true;
  }
  // Steps one of the sliced builders that follow the parse, its progress shown in [from, from +
  // span); true when it is done.
  auto step = [&](auto& builder, double from, double span) {
    const bool done = builder.step(SliceTimer(budget_ms));
    s.progress = static_cast<float>(from + span * builder.progress());
    s.stage = "Indexing " + std::to_string(load->rows) + " models: " + builder.stage();
    return done;
  };
  if (load->builder) {
    if (!step(*load->builder, 0.9, 0.08)) return true;
    auto built = load->builder->take();
    load->builder.reset();
    if (!built.ok()) return fail_load("Could not index '" + load->name + "': " + built.error());
    load->index = std::move(built).value();
    load->lineage_builder = std::make_unique<LineageBuilder>(load->index->catalogue());
    return true;
  }
  // (The search index is built after the load: search_build.)
  if (load->lineage_builder) {
    // The lineage in slices too: at 1M rows, built at once, one 61-71 ms step natively.
    if (!step(*load->lineage_builder, 0.98, 0.015)) return true;
    load->lineage = std::make_unique<Lineage>(load->lineage_builder->take());
    load->lineage_builder.reset();
    load->summary_builder = std::make_unique<CatalogueSummaryBuilder>(load->index->catalogue());
    return true;
  }
  if (load->summary_builder) {
    // And what the view shows beside the lists (the filters' values, the font's characters): at
    // 1M rows, gathered at once, ~70 ms natively, most of the last step of a load.
    if (!step(*load->summary_builder, 0.995, 0.005)) return true;
    CatalogueSummary summary = load->summary_builder->take();
    load->summary_builder.reset();
    std::unique_ptr<Index> idx = std::move(load->index);
    std::unique_ptr<Lineage> lin = std::move(load->lineage);
    using Ms = std::chrono::duration<double, std::milli>;
    const auto now = std::chrono::steady_clock::now();
    clusters.reset(nullptr);  // its jobs hold the old Index
    map.reset(nullptr);
    search_build.drop();  // they read the old catalogue
    hybrid_build.drop();
    kmeans_build.drop();  // and it the old attribute groups
    search.reset();
    lineage = std::move(lin);
    index = std::move(idx);
    clusters.reset(index.get());
    map.reset(index.get());
    search_build.start(std::make_unique<SearchIndexBuilder>(index->catalogue()));
    hybrid_build.start(std::make_unique<HybridBuilder>(index->catalogue(), HybridParams{}, lineage.get()));
    kmeans_build.start(std::make_unique<KMeansRun>(index->attribute_kmeans_run(kMethodK)));
    const Catalogue& c = index->catalogue();
    s.has_catalogue = true;
    s.catalogue = CatalogueInfo{c.name,
                                load->source,
                                c.report.format,
                                c.size(),
                                c.report.warnings,
                                Ms(now - load->started).count(),
                                load->work_ms + Ms(now - tick_started_).count(),
                                load->builtin                             ? "builtin"
                                : load->source.empty()                    ? "file"
                                : load->source.compare(0, 4, "hub:") == 0 ? "hub"
                                                                          : "url"};
    s.glyphs = std::move(summary.code_points);
    s.tasks = filter_options(c, summary.tasks);
    s.libraries = filter_options(c, summary.libraries);
    s.model_types = filter_options(c, summary.model_types);
    {
      std::vector<uint32_t> rows(c.size());
      for (uint32_t r = 0; r < c.size(); ++r) rows[r] = r;
      size_t n = std::min<size_t>(8, rows.size());
      std::partial_sort(rows.begin(), rows.begin() + static_cast<long>(n), rows.end(),
                        [&](uint32_t a, uint32_t b) { return tie_before(c, a, b); });
      s.suggestions.clear();
      for (size_t i = 0; i < n; ++i) s.suggestions.emplace_back(c.id(rows[i]));
    }
    s.error.clear();
    s.notice.clear();
    s.link_issues.clear();
    s.link_suggestion.clear();
    link_error = false;
    // Filters and the query survive when the new catalogue has them.
    if (!s.query.empty() && c.find(s.query) == kMissing) s.query.clear();
    history.clear();
    history_pos = -1;
    sync_filter_flags();
    run_search(s.search_buf);
    recompute();
    publish_url(false);
    ensure_clustering();
    finish_load(dump(json{{"ok", true}, {"rows", c.size()}, {"name", c.name}, {"warnings", c.report.warnings}}));
    return false;
  }
  return false;
}

//-----------------------------------------------------------------------------
// [SECTION] Views and helpers
//-----------------------------------------------------------------------------

const char* view_name(View v) {
  switch (v) {
    case View::results: return "results";
    case View::clusters: return "clusters";
  }
  return "results";
}

bool parse_view(const std::string& s, View& out) {
  if (s == "results") {
    out = View::results;
    return true;
  }
  if (s == "clusters") {
    out = View::clusters;
    return true;
  }
  return false;
}

Controller::Controller(AppState& state, Platform& platform) : impl_(std::make_unique<Impl>(state, platform)) {}
Controller::~Controller() = default;

//-----------------------------------------------------------------------------
// [SECTION] Loading and ticking
//-----------------------------------------------------------------------------

int Controller::begin_load(std::string bytes, std::string name, std::string source) {
  Impl::Load& load = impl_->start_load(std::move(name), std::move(source));
  load.loader = std::make_unique<CatalogueLoader>(std::move(bytes), load.name);
  return load.id;
}

int Controller::begin_load(ByteSource read, uint64_t size, std::string name, std::string source) {
  Impl::Load& load = impl_->start_load(std::move(name), std::move(source));
  load.loader = std::make_unique<CatalogueLoader>(std::move(read), size, load.name);
  return load.id;
}

Controller::Impl::Load& Controller::Impl::start_load(std::string name, std::string source) {
  if (load) finish_load(fail("superseded by a newer load"));
  fetching = false;
  load = std::make_unique<Load>();
  load->id = next_load_id++;
  load->name = name.empty() ? "catalogue" : name;
  // "builtin:" marks the page's own catalogue: not a source a link names, and said as built in.
  load->builtin = source == kBuiltinSource;
  load->source = load->builtin ? "" : std::move(source);
  s.busy = true;
  s.progress = 0.05f;
  s.stage = "Parsing " + load->name;
  return *load;
}

void Controller::show_progress(std::string stage, double fraction) {
  auto& d = *impl_;
  d.fetching = true;
  d.s.busy = true;
  d.s.stage = std::move(stage);
  d.s.progress = fraction < 0 ? -1.0f : static_cast<float>(0.05 * std::clamp(fraction, 0.0, 1.0));
}

void Controller::report_error(std::string message) {
  auto& d = *impl_;
  d.fetching = false;
  d.s.busy = d.load != nullptr;
  if (!d.load) d.s.stage.clear();
  d.s.error = std::move(message);
  if (d.index) d.s.error += ". The previous catalogue is still loaded.";
  d.platform.state_changed();
}

bool Controller::has_work() const {
  return impl_->load != nullptr || impl_->search_build || impl_->soup_pending() || impl_->list_waits_for_soup() ||
         impl_->hybrid_build || impl_->kmeans_build || impl_->clusters.running() || impl_->clusters.layout_running();
}

Controller::Progress Controller::progress_shown() const {
  const Impl& d = *impl_;
  if (d.clusters.running() || d.clusters.layout_running()) return Progress::job;
  if (d.load || ((d.hybrid_build || d.soup_pending()) && d.lists_waiting())) return Progress::catalogue;
  return Progress::none;
}

double Controller::progress_redraw_ms(int64_t vertices, double shown_ms) {
  return std::clamp(std::max(static_cast<double>(vertices) / 1000, shown_ms / 10), 250.0, 1000.0);
}

bool Controller::tick(double budget_ms) {
  // The builds after a load start at the next tick: the tick that ends a load has spent its budget
  // on it (and how far they got in what was left depended on the machine's speed).
  const bool was_loading = impl_->load != nullptr;
  impl_->tick(budget_ms);
  // Each clustering slice, and each of the builds after a load (the search index, the soup, the
  // kmeans method's clustering, the hybrid model, in that order), stays well under a 16 ms frame.
  // A list waiting for the soup or the hybrid model has that build go first.
  Impl& d = *impl_;
  const double ms = std::min(6.0, budget_ms);
  bool building = false;
  if (!was_loading) {
    if (d.list_waits_for_soup()) building = d.tick_soup(ms);
    else if (d.lists_waiting() && d.hybrid_build) building = d.tick_hybrid(ms);
    building = building || d.search_build.tick(ms) || d.tick_soup(ms) || d.kmeans_build.tick(ms) || d.tick_hybrid(ms);
  }
  bool clustering = d.clusters.tick(ms);
  return was_loading || building || clustering;
}

//-----------------------------------------------------------------------------
// [SECTION] Intents
//-----------------------------------------------------------------------------

void Controller::apply_intents() {
  std::vector<Intent> intents;
  intents.swap(impl_->s.intents);
  for (const auto& i : intents) apply(i);
}

void Controller::apply(const Intent& in) {
  auto& d = *impl_;
  AppState& s = d.s;
  // "Copied" stays on its button until the person does something else.
  if (in.kind != Intent::copy_text && in.kind != Intent::copy_link && in.kind != Intent::search &&
      in.kind != Intent::map_moved)
    s.copied.clear();
  struct Last {  // remembered for the next intent (coalescing a k slider drag)
    Impl& d;
    Intent::Kind kind;
    ~Last() {
      if (kind != Intent::search) d.last_intent = kind;
    }
  } last{d, in.kind};
  switch (in.kind) {
    case Intent::search:
      d.run_search(in.text);
      d.platform.state_changed();  // the page mirrors the hits as the search box's options
      break;
    case Intent::select: d.select(in.text, true); break;
    case Intent::select_hit:
      if (!s.search_hits.empty()) {
        size_t i = s.search_cursor >= 0 && static_cast<size_t>(s.search_cursor) < s.search_hits.size()
                       ? static_cast<size_t>(s.search_cursor)
                       : 0;
        d.select(s.search_hits[i].model_id, true);
      }
      break;
    case Intent::set_method:
    case Intent::set_compare: {
      ViewParams v = d.view_params();
      Method m;
      const bool none = in.kind == Intent::set_compare && in.text.empty();
      if (!none && !parse_method(in.text, m)) break;
      if (in.kind == Intent::set_method) v.method = m;
      else v.compare = none ? std::nullopt : std::optional<Method>(m);
      if (d.apply_view(v).ok()) d.publish_url(true);
      break;
    }
    case Intent::set_k: {
      ViewParams v = d.view_params();
      v.k = std::clamp(in.value, 1, 100);
      if (d.apply_view(v).ok()) d.publish_url(d.last_intent != Intent::set_k);  // a slider drag is one history entry
      break;
    }
    case Intent::toggle_filter: {
      ViewParams v = d.view_params();
      auto& list = in.value == 0 ? v.filters.tasks : in.value == 1 ? v.filters.libraries : v.filters.model_types;
      auto it = std::find(list.begin(), list.end(), in.text);
      if (it == list.end()) list.push_back(in.text);
      else list.erase(it);
      if (d.apply_view(v).ok()) d.publish_url(true);
      break;
    }
    case Intent::clear_filters: {
      ViewParams v = d.view_params();
      v.filters = Filters{};
      if (d.apply_view(v).ok()) d.publish_url(true);
      break;
    }
    case Intent::set_view: {
      ViewParams v = d.view_params();
      if (parse_view(in.text, v.view) && d.apply_view(v).ok()) d.publish_url(true);
      break;
    }
    case Intent::run_cluster: {
      d.clusters.hold_long_layouts(false);  // the person asks: the map is laid out however long
      ViewParams v = d.view_params();
      v.run_cluster = true;
      if (Status st = d.apply_view(v); !st.ok()) {
        s.clusters.error = st.error().substr(st.error().rfind("cluster: ", 0) == 0 ? 9 : 0);
        d.platform.state_changed();
      }
      d.publish_url(false);
      break;
    }
    case Intent::cancel_job: d.clusters.cancel(); break;
    case Intent::cancel_layout: d.clusters.cancel_layout(); break;
    case Intent::set_layout:
    case Intent::set_map_features: {
      d.clusters.hold_long_layouts(false);  // the person asks: the map is laid out however long
      ViewParams v = d.view_params();
      (in.kind == Intent::set_layout ? v.layout : v.map_features) = in.text;
      v.run_layout = true;
      if (d.apply_view(v).ok()) d.publish_url(false);
      break;
    }
    case Intent::focus_cluster: {
      ViewParams v = d.view_params();
      v.focus = in.value;
      d.apply_view(v);
      break;
    }
    case Intent::recut:
      if (Status st = d.clusters.recut(in.number); !st.ok()) {
        s.clusters.error = st.error();
        d.platform.state_changed();
      }
      break;
    case Intent::run_elbow:
      if (Status st = d.clusters.start_elbow(s.cluster_draft.features); !st.ok()) {
        s.clusters.error = st.error();
        d.platform.state_changed();
      }
      break;
    case Intent::map_moved: d.publish_url(false); break;
    case Intent::lasso:
      d.map.select_lasso(s.lasso);
      d.publish_url(false);  // the lasso is in the link
      d.platform.state_changed();
      break;
    case Intent::sort_selection:
      d.map.sort_selection(SelectionSort{static_cast<SelectionColumn>(in.value), in.flag});
      d.platform.state_changed();
      break;
    case Intent::export_selection: {
      const json r = json::parse(d.map.selection_csv(), nullptr, false);
      if (r.is_object() && r.value("ok", false))
        d.platform.download(r["fileName"].get<std::string>(), "text/csv", r["csv"].get<std::string>());
      break;
    }
    case Intent::set_sort:
      s.sort = static_cast<SortKey>(in.value);
      s.sort_descending = in.flag;
      d.sort_list(s.primary);
      d.sort_list(s.secondary);
      d.platform.state_changed();
      break;
    case Intent::open_file: d.platform.open_file_dialog(); break;
    case Intent::open_hub: d.platform.open_hub_dialog(); break;
    case Intent::copy_text:
      d.platform.copy_text(in.text);
      s.copied = in.text;
      break;
    case Intent::open_url: {
      // Only model pages leave the app, and only through huggingface_url's encoding.
      std::string url = huggingface_url(in.text);
      if (!url.empty()) d.platform.open_url(url);
      break;
    }
    case Intent::export_list: {
      if (s.query.empty()) break;
      const ExportFormat f = in.text == "csv" ? ExportFormat::csv : ExportFormat::json;
      d.platform.download(export_file_name(s.query, s.method, s.compare, f), export_mime(f), d.export_list(f));
      break;
    }
    case Intent::copy_link:
      d.platform.copy_link(format_share_link(d.current_link()));
      s.copied = kCopiedLink;
      break;
    case Intent::back: d.platform.history_go(-1); break;
    case Intent::forward: d.platform.history_go(1); break;
    case Intent::dismiss_error:
      s.error.clear();
      s.notice.clear();
      s.link_suggestion.clear();
      d.platform.state_changed();
      break;
  }
}

//-----------------------------------------------------------------------------
// [SECTION] The automation API (window.hfrec): select, cluster, elbow, cancel, map points
//-----------------------------------------------------------------------------

std::string Controller::select(std::string_view model_id) { return impl_->select(model_id, true); }

std::string Controller::cluster(std::string_view text, int job_id) {
  auto& d = *impl_;
  json j = json::parse(text, nullptr, false);
  ClusterParams p = d.s.cluster_draft;
  p.cut = -1;
  if (j.is_discarded()) return fail("cluster() takes an object {algo, features, k, eps, min_samples, seed, cut}");
  if (Status st = parse_cluster_params(j, p); !st.ok()) return fail(st.error());
  d.clusters.hold_long_layouts(false);  // asked for: its map is laid out however long
  if (Status st = d.clusters.start(p, job_id); !st.ok()) return fail(st.error());
  d.publish_url(false);
  return dump(ok_json());
}

std::string Controller::elbow(std::string_view text, int job_id) {
  auto& d = *impl_;
  json j = json::parse(text, nullptr, false);
  std::string features = d.s.cluster_draft.features;
  if (j.is_object() && j.contains("features")) {
    if (!j["features"].is_string()) return fail("elbow.features: must be a string");
    features = j["features"].get<std::string>();
  }
  if (Status st = d.clusters.start_elbow(features, job_id); !st.ok()) return fail(st.error());
  return dump(ok_json());
}

std::string Controller::cancel_job() {
  bool running = impl_->clusters.running() || impl_->clusters.layout_running();
  impl_->clusters.cancel();
  impl_->clusters.cancel_layout();
  return dump(json{{"ok", true}, {"cancelled", running}});
}

std::string Controller::map_point(std::string_view model_id) const { return impl_->map.point_json(model_id); }

std::string Controller::map_points() const { return impl_->map.points_json(); }

std::string Controller::map_overlay() const { return impl_->map.overlay_json(); }

std::string Controller::export_selection() const { return impl_->map.selection_csv(); }

Controller::SharedCatalogue Controller::shared_catalogue() {
  impl_->searcher();  // the API's handle searches too
  return {impl_->index, impl_->lineage, impl_->search};
}

}  // namespace hfrec::app
