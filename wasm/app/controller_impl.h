// Controller::Impl, shared by the controller's files: controller.cpp (loading, ticking,
// intents), controller_view.cpp (the view model, ranking, set() and state()), controller_links.cpp
// (share links and history). Its state is declared here and its methods defined in those files.
// Internal to wasm/app.
#pragma once
#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/cluster_controller.h"
#include "app/controller.h"
#include "app/json_text.h"
#include "app/map_controller.h"
#include "core/catalogue.h"
#include "core/catalogue_summary.h"
#include "core/export.h"
#include "core/focus.h"
#include "core/hybrid.h"
#include "core/index_builder.h"
#include "core/job.h"
#include "core/lineage.h"
#include "core/recommender.h"
#include "core/result.h"
#include "core/search.h"
#include "core/share_link.h"
#include "core/suggest.h"
#include "core/text.h"
#include "core/topk.h"
#include "core/why.h"

namespace hfrec::app {

using nlohmann::json;

// A ranked list's row as core/export.h writes it (state(), the export).
inline ExportRow export_row(const ResultRow& r) {
  return {r.rank,
          r.model_id,
          r.score,
          r.downloads,
          r.task,
          r.library,
          r.model_type,
          r.why,
          r.why_words,
          r.has_lineage ? std::optional<ExportLineage>(ExportLineage{r.parent, r.children, r.siblings}) : std::nullopt};
}

// A column's values with their counts (from the catalogue's summary), most common first.
inline std::vector<FilterOption> filter_options(const Catalogue& c, const std::vector<ValueCount>& counts) {
  std::vector<FilterOption> out;
  out.reserve(counts.size());
  for (const ValueCount& v : counts) out.push_back({std::string(c.value(v.value)), v.rows, false});
  std::sort(out.begin(), out.end(), [](const FilterOption& a, const FilterOption& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  return out;
}

// A model built in slices after a load and then handed to the index (`adopt`), or finished at once
// when something needs it sooner. Empty between loads and once adopted.
template <class Build>
class AfterLoad {
 public:
  explicit AfterLoad(std::function<void(Build&)> adopt_fn) : adopt_(std::move(adopt_fn)) {}

  explicit operator bool() const { return build_ != nullptr; }
  Build* operator->() const { return build_.get(); }
  // Begins building (replacing any build not yet adopted).
  void start(std::unique_ptr<Build> build) { build_ = std::move(build); }
  // Abandons the build (when what it reads goes away).
  void drop() { build_.reset(); }
  // Works for up to budget_ms; adopts the result when done. True while there is more to do.
  bool tick(double budget_ms) {
    if (!build_) return false;
    if (!build_->step(SliceTimer(budget_ms))) return true;
    finish();
    return false;
  }
  // Completes it now and adopts it (nothing when there is none).
  void finish() {
    if (!build_) return;
    adopt_(run_to_end(*build_));
    build_.reset();
  }

 private:
  std::unique_ptr<Build> build_;
  std::function<void(Build&)> adopt_;
};

struct Controller::Impl {
  AppState& s;
  Platform& platform;

  // The catalogue in use and its indexes.
  // Shared: core/api.h's handles may hold them too (Controller::shared_catalogue).
  std::shared_ptr<Index> index;
  std::shared_ptr<SearchIndex> search;
  std::shared_ptr<Lineage> lineage;  // the catalogue's model tree (empty when it names no base model)

  // The load in progress.
  struct Load {
    int id = 0;
    std::string name, source;
    bool builtin = false;  // the page's own catalogue (source "builtin:")
    std::unique_ptr<CatalogueLoader> loader;
    std::unique_ptr<IndexBuilder> builder;                     // set once parsing finished: indexes in slices
    std::unique_ptr<Index> index;                              // set once indexed: the lineage is built in slices
    std::unique_ptr<LineageBuilder> lineage_builder;           // over index's catalogue (declared after it)
    std::unique_ptr<Lineage> lineage;                          // set once built: the summary is gathered in slices
    std::unique_ptr<CatalogueSummaryBuilder> summary_builder;  // over index's catalogue (declared after it)
    size_t rows = 0;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    double work_ms = 0;  // time spent in tick() on this load
  };
  std::unique_ptr<Load> load;
  // Built in slices after a load, in this order: the search index, the soup space (cosine and
  // tfidf; the index builds it, Index::step_soup), the kmeans method's clustering of the attribute
  // groups (Index::attribute_kmeans at the method's k) and the hybrid model. The first three take a
  // second or two at 2M rows; a HybridModel costs several times the rest of the index. The load
  // does not wait for them: at 2M rows the search index was a second of it and the soup two. A
  // search asked for sooner finishes its index at once (searcher()), as a kmeans list does its
  // clustering. A cosine, tfidf or hybrid list waits for its space or model (ResultList::preparing),
  // unless the catalogue is small enough to finish it at once (kBuildAtOnce).
  AfterLoad<SearchIndexBuilder> search_build{
      [this](SearchIndexBuilder& b) { search = std::make_shared<SearchIndex>(b.take()); }};
  AfterLoad<KMeansRun> kmeans_build{[this](KMeansRun& r) { index->adopt_attribute_kmeans(kMethodK, r.take()); }};
  AfterLoad<HybridBuilder> hybrid_build{[this](HybridBuilder& b) { index->adopt_hybrid(b.take()); }};
  // Rows up to which a list finishes its soup or hybrid model at once (~0.1 s of WebAssembly at 10k).
  static constexpr size_t kBuildAtOnce = 20000;
  static inline const int kMethodK = RecommendParams{}.kmeans_k;  // the k of Method::kmeans
  std::chrono::steady_clock::time_point tick_started_;
  int next_load_id = 1;
  bool fetching = false;

  // Visited query models (mirrors the browser history entries this page pushed).
  std::vector<std::string> history;
  int history_pos = -1;
  Intent::Kind last_intent = Intent::search;  // the last intent applied (search ones aside)

  Filters filters;
  ClusterController clusters;
  MapController map;        // the lasso, the rings and what the map drew (after clusters: it reads its map)
  bool link_error = false;  // s.error came from a share link (the next link clears it)
  // The last link's keys this version does not know: kept in the links the page writes, so a
  // newer version's link survives a round trip through this one (core/share_link.h).
  std::vector<std::pair<std::string, std::string>> link_extra;

  Impl(AppState& st, Platform& p) : s(st), platform(p), clusters(st, p), map(st) {
    for (Method m : kAllMethods) {
      s.methods.push_back(method_name(m));
      s.method_help.push_back(method_description(m));
    }
    clusters.on_map_changed([this] { map.map_changed(); });
    clusters.on_change([this] {
      recompute();
      publish_url(false);
    });
  }

  // Loading in slices (controller.cpp).
  // The cluster view shows a clustering: start one with the controls' values if there is none.
  void ensure_clustering();
  // True, with AppState::clusters.held saying why, when a clustering the person did not ask for
  // (a link, a load, opening the tab) is estimated too long to start by itself (issue 16, item 5).
  bool held_back(const ClusterParams& p);
  // Ends the load (result: the load's JSON answer) and tells the page.
  // A new load (the one in progress superseded), its loader still to be set.
  Load& start_load(std::string name, std::string source);
  void finish_load(const std::string& result);
  // Works on the load, if any, for up to budget_ms, and counts the time in its work_ms.
  void tick(double budget_ms);
  // The load's step: true while there is more to do.
  bool tick_load(double budget_ms);
  // Works on the hybrid model for up to budget_ms; adopts it into the index when done (and
  // recomputes the lists that waited for it). True while there is more to do.
  bool tick_hybrid(double budget_ms);
  // The same for the soup space (cosine, tfidf), which the index builds after the load.
  bool tick_soup(double budget_ms);
  // True while the catalogue in use still builds its soup space.
  bool soup_pending() const { return index && !index->has_soup(); }
  // True when a result list waits for a model being built (it shows the build's progress).
  bool lists_waiting() const { return !s.primary.preparing.empty() || !s.secondary.preparing.empty(); }
  // True when one of them is a cosine or tfidf list (it waits for the soup).
  static bool waits_for_soup(const ResultList& l) {
    Method m;
    return !l.preparing.empty() && parse_method(l.method, m) && reads_soup(m);
  }
  bool list_waits_for_soup() const { return waits_for_soup(s.primary) || waits_for_soup(s.secondary); }
  // Ends the load with an error; the catalogue that was there stays.
  bool fail_load(const std::string& what);

  // Searching, ranking and sorting (controller_view.cpp).
  // Marks the options of the filters that are on; a value the catalogue lacks is listed, marked missing.
  void sync_filter_flags();
  // Searches the box's text; a pasted Hub URL ("https://huggingface.co/gpt2/tree/main") searches
  // its model id. When nothing matches, the nearest id is offered ("did you mean").
  void run_search(const std::string& text);
  // The search index of the catalogue in use, finished at once if its build is still going (null
  // before the first load).
  const SearchIndex* searcher() {
    search_build.finish();
    return search.get();
  }
  // The ranked list of one method (by name) for the current query, filters and focus.
  ResultList run(const std::string& method_text);
  void sort_list(ResultList& l);
  // Recomputes the lists the view shows (after any change of query, method, filters or focus).
  void recompute();
  // The query's model tree (AppState::query_lineage) for its row (kMissing: none).
  void lineage_of_query(uint32_t row);

  // The view as one value, and its one writer (controller_view.cpp): every change of the view
  // (controls, set(), share links, back/forward) goes through apply_view, which checks the whole
  // value before writing any of it.
  ViewParams view_params() const;
  Status apply_view(const ViewParams& v);

  // The view as a share link, and writing it into the URL (controller_links.cpp).
  ShareLink current_link() const;
  void publish_url(bool push);

  // The automation API's select() (controller_view.cpp) and the lists as CSV or JSON text.
  std::string select(std::string_view id, bool push);
  std::string export_list(ExportFormat format);
};

}  // namespace hfrec::app
