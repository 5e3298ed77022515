// Controller::Impl, shared by the controller's files: controller.cpp (loading, ticking,
// intents), controller_view.cpp (the view model, set() and state()), controller_links.cpp (share
// links and history). Internal to wasm/app.
#pragma once
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/cluster_controller.h"
#include "app/controller.h"
#include "core/catalogue.h"
#include "core/export.h"
#include "core/focus.h"
#include "core/index_builder.h"
#include "core/job.h"
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

// JSON text for the automation API (invalid UTF-8 replaced), {ok: true}, {ok: false, error}.
inline std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }
inline json ok_json() { return json{{"ok", true}}; }
inline std::string fail(const std::string& msg) { return dump(json{{"ok", false}, {"error", msg}}); }

// A ranked list's row as core/export.h writes it (state(), the export).
inline ExportRow export_row(const ResultRow& r) {
  return {r.rank, r.model_id, r.score, r.downloads, r.task, r.library, r.model_type, r.why, r.why_words};
}

// A column's values with their counts, most common first.
inline std::vector<FilterOption> count_values(const Catalogue& c, const std::vector<uint32_t>& column) {
  std::map<uint32_t, uint32_t> counts;
  for (uint32_t v : column)
    if (v != kMissing) ++counts[v];
  std::vector<FilterOption> out;
  for (auto [id, n] : counts) out.push_back({std::string(c.value(id)), n, false});
  std::sort(out.begin(), out.end(), [](const FilterOption& a, const FilterOption& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  return out;
}

struct Controller::Impl {
  AppState& s;
  Platform& platform;

  // The catalogue in use and its indexes.
  std::unique_ptr<Index> index;
  std::unique_ptr<SearchIndex> search;

  // The load in progress.
  struct Load {
    int id = 0;
    std::string name, source;
    bool builtin = false;  // the page's own catalogue (source "builtin:")
    std::unique_ptr<CatalogueLoader> loader;
    std::unique_ptr<IndexBuilder> builder;  // set once parsing finished: indexes in slices
    size_t rows = 0;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    double work_ms = 0;  // time spent in tick() on this load
  };
  std::unique_ptr<Load> load;
  std::chrono::steady_clock::time_point tick_started_;
  int next_load_id = 1;
  bool fetching = false;

  // Visited query models (mirrors the browser history entries this page pushed).
  std::vector<std::string> history;
  int history_pos = -1;
  Intent::Kind last_intent = Intent::search;  // the last intent applied (search ones aside)

  Filters filters;
  ClusterController clusters;
  bool link_error = false;  // s.error came from a share link (the next link clears it)
  // The last link's keys this version does not know: kept in the links the page writes, so a
  // newer version's link survives a round trip through this one (core/share_link.h).
  std::vector<std::pair<std::string, std::string>> link_extra;

  Impl(AppState& st, Platform& p) : s(st), platform(p), clusters(st, p) {
    for (Method m : kAllMethods) {
      s.methods.push_back(method_name(m));
      s.method_help.push_back(method_description(m));
    }
    clusters.on_change([this] {
      recompute();
      publish_url(false);
    });
  }

  // The cluster view shows a clustering: start one with the controls' values if there is none.
  void ensure_clustering() {
    if (s.view == View::clusters && index && !clusters.has_result() && !clusters.running())
      (void)clusters.start(s.cluster_draft);  // a failure shows as no clustering
  }

  void finish_load(const std::string& result) {
    int id = load ? load->id : 0;
    load.reset();
    s.busy = fetching;
    s.progress = 0;
    s.stage.clear();
    platform.load_finished(id, result);
    platform.state_changed();
  }

  bool tick(double budget_ms) {
    if (!load) return false;
    tick_started_ = std::chrono::steady_clock::now();
    Load* current = load.get();
    bool more = tick_load(budget_ms);
    if (load.get() == current)  // still loading (finish_load() resets it and counts this tick)
      load->work_ms +=
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - tick_started_).count();
    return more;
  }

  // Ends the load with an error; the catalogue that was there stays.
  bool fail_load(const std::string& what) {
    s.error = what + (index ? ". The previous catalogue is still loaded." : "");
    finish_load(fail(s.error));
    return false;
  }

  bool tick_load(double budget_ms) {
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
      load->builder = std::make_unique<IndexBuilder>(std::move(cat));
      s.stage = "Indexing " + std::to_string(load->rows) + " models";
      s.progress = 0.9f;
      return true;
    }
    if (load->builder) {
      bool done = load->builder->step(budget_ms);
      s.progress = static_cast<float>(0.9 + 0.1 * load->builder->progress());
      s.stage = "Indexing " + std::to_string(load->rows) + " models: " + load->builder->stage();
      if (!done) return true;
      auto built = load->builder->take();
      load->builder.reset();
      if (!built.ok()) return fail_load("Could not index '" + load->name + "': " + built.error());
      std::unique_ptr<Index> idx = std::move(built).value();
      auto srch = std::make_unique<SearchIndex>(idx->catalogue());
      using Ms = std::chrono::duration<double, std::milli>;
      const auto now = std::chrono::steady_clock::now();
      clusters.reset(nullptr);  // its jobs hold the old Index
      search = std::move(srch);
      index = std::move(idx);
      clusters.reset(index.get());
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
      s.tasks = count_values(c, c.pipeline_tag);
      s.libraries = count_values(c, c.library_name);
      s.model_types = count_values(c, c.model_type);
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

  void sync_filter_flags() {
    // A filter value this catalogue lacks is listed too, marked, so it is never an invisible
    // filter: the combo shows it and Clear filters removes it.
    auto mark = [](std::vector<FilterOption>& opts, const std::vector<std::string>& on) {
      opts.erase(std::remove_if(opts.begin(), opts.end(), [](const FilterOption& o) { return o.missing; }), opts.end());
      for (auto& o : opts) o.on = std::find(on.begin(), on.end(), o.value) != on.end();
      for (const auto& v : on)
        if (std::none_of(opts.begin(), opts.end(), [&](const FilterOption& o) { return o.value == v; }))
          opts.push_back({v, 0, true, true});
    };
    mark(s.tasks, filters.tasks);
    mark(s.libraries, filters.libraries);
    mark(s.model_types, filters.model_types);
  }

  // Searches the box's text; a pasted Hub URL ("https://huggingface.co/gpt2/tree/main") searches
  // its model id. When nothing matches, the nearest id is offered ("did you mean").
  void run_search(const std::string& text) {
    s.search_text = text;
    s.search_query = model_id_from_text(text);
    s.search_hits.clear();
    s.search_count = 0;
    s.search_cursor = 0;
    s.search_suggestion.clear();
    if (!search) return;
    SearchResult r = search->search(s.search_query, SearchParams{.limit = 50});
    const Catalogue& c = index->catalogue();
    for (const auto& h : r.hits)
      s.search_hits.push_back({std::string(c.id(h.row)), match_kind_name(h.kind),
                               std::string(c.value(c.pipeline_tag[h.row])), c.downloads[h.row]});
    s.search_count = r.count;
    if (r.count == 0 && !s.search_query.empty()) {
      Suggestion sug = suggest_model(c, s.search_query);
      if (sug.kind != SuggestKind::none) s.search_suggestion = c.id(sug.row);
    }
  }

  ResultList run(const std::string& method_text) {
    ResultList list;
    list.method = method_text;
    Method m;
    if (!parse_method(method_text, m)) {
      list.error = "unknown method '" + method_text + "'";
      return list;
    }
    RecommendParams p;
    p.method = m;
    p.k = static_cast<size_t>(s.k);
    p.filters = filters;
    const Catalogue& c = index->catalogue();
    const uint32_t query_row = c.find(s.query);  // kMissing: a free-text query
    const auto t0 = std::chrono::steady_clock::now();
    // A focused cluster restricts the candidates to its members.
    auto r = clusters.filtering()
                 ? recommend_focused(*index, s.query, p, [&](uint32_t row) { return clusters.allowed(row); })
                 : index->recommend(s.query, p);
    list.compute_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!r.ok()) {
      list.error = r.error();
      return list;
    }
    int rank = 1;
    for (const auto& rec : r.value()) {
      ResultRow row;
      row.model_id = c.id(rec.row);
      row.score = rec.score;
      row.downloads = c.downloads[rec.row];
      row.task = c.value(c.pipeline_tag[rec.row]);
      row.library = c.value(c.library_name[rec.row]);
      row.model_type = c.value(c.model_type[rec.row]);
      for (size_t i = 0; i < rec.shared.size() && i < 12; ++i) row.why += (i ? ", " : "") + rec.shared[i];
      row.why_words = why_in_words(c, query_row, rec.shared);
      row.rank = rank++;
      list.rows.push_back(std::move(row));
    }
    return list;
  }

  void sort_list(ResultList& l) {
    auto by = [&](const ResultRow& a, const ResultRow& b) {
      if (s.sort == SortKey::downloads && a.downloads != b.downloads)
        return s.sort_descending ? a.downloads > b.downloads : a.downloads < b.downloads;
      if (s.sort == SortKey::score || a.downloads == b.downloads) {
        if (s.sort == SortKey::score && !s.sort_descending) return a.rank > b.rank;
      }
      return a.rank < b.rank;
    };
    std::stable_sort(l.rows.begin(), l.rows.end(), by);
  }

  void recompute() {
    s.primary = {};
    s.secondary = {};
    s.overlap = 0;
    s.query_task.clear();
    s.query_library.clear();
    s.query_model_type.clear();
    s.query_downloads = 0;
    s.query_url.clear();
    s.can_back = history_pos > 0;
    s.can_forward = history_pos + 1 < static_cast<int>(history.size());
    if (!index || s.query.empty()) {
      clusters.set_highlight("", {});
      platform.state_changed();
      return;
    }
    const Catalogue& c = index->catalogue();
    uint32_t row = c.find(s.query);
    if (row != kMissing) {
      s.query_task = c.value(c.pipeline_tag[row]);
      s.query_library = c.value(c.library_name[row]);
      s.query_model_type = c.value(c.model_type[row]);
      s.query_downloads = c.downloads[row];
      s.query_url = huggingface_url(s.query);
    }
    s.primary = run(s.method);
    if (!s.compare.empty()) {
      s.secondary = run(s.compare);
      for (auto& a : s.primary.rows)
        for (auto& b : s.secondary.rows)
          if (a.model_id == b.model_id) {
            a.in_both = b.in_both = true;
            ++s.overlap;
          }
    }
    sort_list(s.primary);
    sort_list(s.secondary);
    std::vector<std::string> ids;
    for (const auto& r : s.primary.rows) ids.push_back(r.model_id);
    clusters.set_highlight(s.query, ids);
    platform.state_changed();
  }

  // The view as one value, and its one writer (controller_view.cpp): every change of the view
  // (controls, set(), share links, back/forward) goes through apply_view, which checks the whole
  // value before writing any of it.
  ViewParams view_params() const;
  Status apply_view(const ViewParams& v);

  // The view as a share link, and writing it into the URL (controller_links.cpp).
  ShareLink current_link() const;
  void publish_url(bool push);

  std::string select(std::string_view id, bool push) {
    if (!index) return fail("no catalogue is loaded");
    if (index->catalogue().find(id) == kMissing) {
      std::string msg = "model '" + std::string(id) + "' is not in catalogue '" + s.catalogue.name + "'";
      return fail(msg);
    }
    ViewParams v = view_params();
    v.query = std::string(id);
    if (link_error) {  // the link's model was missing; this one is chosen instead
      s.error.clear();
      link_error = false;
    }
    s.link_suggestion.clear();
    apply_view(v);
    publish_url(push);
    return dump(json{{"ok", true}, {"results", s.primary.rows.size()}});
  }

  std::string export_list(ExportFormat format) {
    std::vector<ExportList> lists;
    auto add = [&](const ResultList& l) {
      ExportList e{l.method, {}};
      for (const auto& r : l.rows) e.rows.push_back(export_row(r));
      lists.push_back(std::move(e));
    };
    add(s.primary);
    if (!s.compare.empty()) add(s.secondary);
    if (format == ExportFormat::csv) return export_csv(lists);
    return export_json(ExportQuery{s.query, s.catalogue.name, s.k, filters}, lists);
  }
};

}  // namespace hfrec::app
