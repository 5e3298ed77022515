// The app's controller: loads catalogues in slices, runs searches and recommendations (through
// core), keeps history, filters and the share link, and answers the automation API (controller.h).
//
// Index of this file:
// [SECTION] Views and helpers
// [SECTION] Controller::Impl: loading, ranked lists, history, links
// [SECTION] Loading and ticking
// [SECTION] Intents
// [SECTION] The automation API (window.hfrec)
#include "app/controller.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "app/cluster_controller.h"
#include "core/catalogue.h"
#include "core/export.h"
#include "core/focus.h"
#include "core/index_builder.h"
#include "core/job.h"
#include "core/recommender.h"
#include "core/search.h"
#include "core/share_link.h"
#include "core/suggest.h"
#include "core/topk.h"
#include "core/why.h"

namespace hfrec::app {

using nlohmann::json;

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

namespace {

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json ok_json() { return json{{"ok", true}}; }
std::string fail(const std::string& msg) { return dump(json{{"ok", false}, {"error", msg}}); }

std::vector<FilterOption> count_values(const Catalogue& c, const std::vector<uint32_t>& column) {
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

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Controller::Impl: loading, ranked lists, history, links
//-----------------------------------------------------------------------------

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
      clusters.start(s.cluster_draft);
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
                                  load->builtin                              ? "builtin"
                                  : load->source.empty()                     ? "file"
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
    auto mark = [](std::vector<FilterOption>& opts, const std::vector<std::string>& on) {
      for (auto& o : opts) o.on = std::find(on.begin(), on.end(), o.value) != on.end();
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
      s.search_hits.push_back(
          {std::string(c.id(h.row)), match_kind_name(h.kind), std::string(c.value(c.pipeline_tag[h.row])), c.downloads[h.row]});
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

  ShareLink current_link() const {
    ShareLink l;
    l.model = s.query;
    l.method = s.method;
    l.k = s.k;
    l.tasks = filters.tasks;
    l.libraries = filters.libraries;
    l.model_types = filters.model_types;
    l.compare = s.compare;
    l.view = view_name(s.view);
    clusters.to_link(l);
    if (s.has_catalogue) {
      l.source = s.catalogue.source;
      l.catalogue = s.catalogue.name;
      l.rows = s.catalogue.rows;
    }
    return l;
  }

  // Writes the view into the URL: a new history entry when push (and the view changed), else in
  // place. The history holds the views visited, so Back undoes a method, k, filter or tab change
  // as well as a model change.
  void publish_url(bool push) {
    const std::string hash = format_share_link(current_link());
    if (history_pos < 0) {
      history.assign(1, hash);
      history_pos = 0;
      push = false;
    } else if (push && history[history_pos] != hash) {
      history.resize(history_pos + 1);
      history.push_back(hash);
      history_pos = static_cast<int>(history.size()) - 1;
    } else {
      push = false;
      history[history_pos] = hash;
    }
    s.can_back = history_pos > 0;
    s.can_forward = history_pos + 1 < static_cast<int>(history.size());
    platform.set_url_hash(hash, push, history_pos);
  }

  std::string select(std::string_view id, bool push) {
    if (!index) return fail("no catalogue is loaded");
    if (index->catalogue().find(id) == kMissing) {
      std::string msg = "model '" + std::string(id) + "' is not in catalogue '" + s.catalogue.name + "'";
      return fail(msg);
    }
    s.query = std::string(id);
    if (link_error) {  // the link's model was missing; this one is chosen instead
      s.error.clear();
      link_error = false;
    }
    s.link_suggestion.clear();
    recompute();
    publish_url(push);
    return dump(json{{"ok", true}, {"results", s.primary.rows.size()}});
  }

  std::string set_method(const std::string& m, bool compare) {
    Method x;
    if (!(compare && m.empty()) && !parse_method(m, x)) return fail("unknown method '" + m + "'");
    (compare ? s.compare : s.method) = m;
    return "";
  }

  void set_k(int k) { s.k = std::clamp(k, 1, 100); }

  void toggle_filter(int field, const std::string& v) {
    auto& list = field == 0 ? filters.tasks : field == 1 ? filters.libraries : filters.model_types;
    auto it = std::find(list.begin(), list.end(), v);
    if (it == list.end()) list.push_back(v);
    else list.erase(it);
    sync_filter_flags();
  }

  std::string export_list(ExportFormat format) {
    std::vector<ExportList> lists;
    auto add = [&](const ResultList& l) {
      ExportList e{l.method, {}};
      for (const auto& r : l.rows)
        e.rows.push_back({r.rank, r.model_id, r.score, r.downloads, r.task, r.library, r.model_type, r.why});
      lists.push_back(std::move(e));
    };
    add(s.primary);
    if (!s.compare.empty()) add(s.secondary);
    if (format == ExportFormat::csv) return export_csv(lists);
    return export_json(ExportQuery{s.query, s.catalogue.name, s.k, filters}, lists);
  }
};

Controller::Controller(AppState& state, Platform& platform) : impl_(std::make_unique<Impl>(state, platform)) {}
Controller::~Controller() = default;

//-----------------------------------------------------------------------------
// [SECTION] Loading and ticking
//-----------------------------------------------------------------------------

int Controller::begin_load(std::string bytes, std::string name, std::string source) {
  auto& d = *impl_;
  if (d.load) d.finish_load(fail("superseded by a newer load"));
  d.fetching = false;
  d.load = std::make_unique<Impl::Load>();
  d.load->id = d.next_load_id++;
  d.load->name = name.empty() ? "catalogue" : name;
  // "builtin:" marks the page's own catalogue: not a source a link names, and said as built in.
  d.load->builtin = source == kBuiltinSource;
  d.load->source = d.load->builtin ? "" : std::move(source);
  d.load->loader = std::make_unique<CatalogueLoader>(std::move(bytes), d.load->name);
  d.s.busy = true;
  d.s.progress = 0.05f;
  d.s.stage = "Parsing " + d.load->name;
  return d.load->id;
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

bool Controller::has_work() const { return impl_->load != nullptr || impl_->clusters.running(); }

bool Controller::tick(double budget_ms) {
  bool loading = impl_->tick(budget_ms);
  // Each clustering slice stays well under a 16 ms frame.
  bool clustering = impl_->clusters.tick(std::min(6.0, budget_ms));
  return loading || clustering;
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
                       ? static_cast<size_t>(s.search_cursor) : 0;
        d.select(s.search_hits[i].model_id, true);
      }
      break;
    case Intent::set_method:
      if (d.set_method(in.text, false).empty()) {
        d.recompute();
        d.publish_url(true);
      }
      break;
    case Intent::set_compare:
      if (d.set_method(in.text, true).empty()) {
        d.recompute();
        d.publish_url(true);
      }
      break;
    case Intent::set_k:
      d.set_k(in.value);
      d.recompute();
      d.publish_url(d.last_intent != Intent::set_k);  // a slider drag is one history entry
      break;
    case Intent::toggle_filter:
      d.toggle_filter(in.value, in.text);
      d.recompute();
      d.publish_url(true);
      break;
    case Intent::clear_filters:
      d.filters = Filters{};
      d.sync_filter_flags();
      d.recompute();
      d.publish_url(true);
      break;
    case Intent::set_view: {
      View v;
      if (parse_view(in.text, v)) s.view = v;
      d.ensure_clustering();
      d.publish_url(true);
      break;
    }
    case Intent::run_cluster:
      if (std::string e = d.clusters.start(s.cluster_draft); !e.empty()) {
        s.clusters.error = e;
        d.platform.state_changed();
      }
      d.publish_url(false);
      break;
    case Intent::cancel_job: d.clusters.cancel(); break;
    case Intent::focus_cluster: d.clusters.focus(in.value); break;
    case Intent::recut:
      if (std::string e = d.clusters.recut(in.number); !e.empty()) {
        s.clusters.error = e;
        d.platform.state_changed();
      }
      break;
    case Intent::run_elbow:
      if (std::string e = d.clusters.start_elbow(s.cluster_draft.features); !e.empty()) {
        s.clusters.error = e;
        d.platform.state_changed();
      }
      break;
    case Intent::map_moved: d.publish_url(false); break;
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
// [SECTION] The automation API (window.hfrec)
//-----------------------------------------------------------------------------

std::string Controller::state_json() const {
  const auto& d = *impl_;
  const AppState& s = d.s;
  json j;
  j["catalogue"] = s.has_catalogue ? json{{"name", s.catalogue.name},
                                          {"rows", s.catalogue.rows},
                                          {"source", s.catalogue.source},
                                          {"origin", s.catalogue.origin},
                                          {"format", s.catalogue.format},
                                          {"warnings", s.catalogue.warnings}}
                                   : json(nullptr);
  j["query"] = s.query;
  j["method"] = s.method;
  j["k"] = s.k;
  j["filters"] = {{"tasks", d.filters.tasks}, {"libraries", d.filters.libraries}, {"model_types", d.filters.model_types}};
  j["view"] = view_name(s.view);
  j["compare"] = s.compare;
  auto rows = [](const ResultList& l) {
    json a = json::array();
    for (const auto& r : l.rows)
      a.push_back({{"rank", r.rank},
                   {"modelId", r.model_id},
                   {"score", r.score},
                   {"downloads", r.downloads},
                   {"task", r.task},
                   {"library", r.library},
                   {"shared", r.why},
                   {"why", r.why_words},
                   {"inBoth", r.in_both}});
    return a;
  };
  j["results"] = rows(s.primary);
  j["resultsError"] = s.primary.error;
  j["compareResults"] = rows(s.secondary);
  j["overlap"] = s.overlap;
  j["sort"] = {{"key", s.sort == SortKey::score ? "score" : "downloads"}, {"descending", s.sort_descending}};
  j["error"] = s.error;
  j["notice"] = s.notice;
  // The last share link's rejected parameters and the model it may have meant.
  json issues = json::array();
  for (const auto& i : s.link_issues) issues.push_back({{"key", i.key}, {"value", i.value}, {"reason", i.reason}});
  j["link"] = {{"problems", issues}, {"suggestion", s.link_suggestion}};
  // Where the time went: the core's recommend() calls alone, and the last load as waited for.
  j["timing"] = {{"recommendMs", s.primary.compute_ms},
                 {"compareMs", s.secondary.compute_ms},
                 {"loadMs", s.catalogue.load_ms},
                 {"loadWorkMs", s.catalogue.load_work_ms}};
  j["busy"] = s.busy;
  j["stage"] = s.stage;
  j["progress"] = s.progress;
  j["search"] = {{"text", s.search_text}, {"count", s.search_count}, {"cursor", s.search_cursor}};
  json hits = json::array();
  for (const auto& h : s.search_hits) hits.push_back({{"modelId", h.model_id}, {"kind", h.kind}});
  j["search"]["hits"] = hits;
  j["search"]["query"] = s.search_query;
  j["search"]["suggestion"] = s.search_suggestion;
  j["methods"] = s.methods;
  j["methodHelp"] = json::object();
  for (size_t i = 0; i < s.methods.size(); ++i) j["methodHelp"][s.methods[i]] = s.method_help[i];
  j["clusters"] = d.clusters.summary();
  j["clusterJob"] = d.clusters.job();
  j["map"] = {{"zoom", s.map.zoom}, {"cx", s.map.cx}, {"cy", s.map.cy}, {"sizeByDownloads", s.size_by_downloads}};
  return dump(j);
}

std::string Controller::select(std::string_view model_id) { return impl_->select(model_id, true); }

std::string Controller::set_json(std::string_view text) {
  auto& d = *impl_;
  AppState& s = d.s;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("set() takes an object {method, k, filters, view, compare}");
  // Validate everything first, so a bad call changes nothing.
  std::string method = s.method, compare = s.compare;
  int k = s.k;
  Filters filters = d.filters;
  View view = s.view;
  Method m;
  if (j.contains("method")) {
    if (!j["method"].is_string() || !parse_method(j["method"].get<std::string>(), m))
      return fail("method: unknown method " + j["method"].dump());
    method = j["method"].get<std::string>();
  }
  if (j.contains("compare")) {
    if (j["compare"].is_null()) compare.clear();
    else if (!j["compare"].is_string() ||
             (!j["compare"].get<std::string>().empty() && !parse_method(j["compare"].get<std::string>(), m)))
      return fail("compare: unknown method " + j["compare"].dump());
    else compare = j["compare"].get<std::string>();
  }
  if (j.contains("k")) {
    if (!j["k"].is_number_integer() || j["k"].get<int64_t>() < 1 || j["k"].get<int64_t>() > 100)
      return fail("k: must be an integer from 1 to 100, got " + j["k"].dump());
    k = static_cast<int>(j["k"].get<int64_t>());
  }
  if (j.contains("view")) {
    if (!j["view"].is_string() || !parse_view(j["view"].get<std::string>(), view))
      return fail("view: unknown view " + j["view"].dump());
  }
  if (j.contains("filters")) {
    const json& f = j["filters"];
    if (!f.is_object()) return fail("filters: must be an object {tasks, libraries, model_types}");
    filters = Filters{};
    for (auto [key, dst] : {std::pair{"tasks", &filters.tasks}, std::pair{"libraries", &filters.libraries},
                            std::pair{"model_types", &filters.model_types}}) {
      if (!f.contains(key)) continue;
      if (!f[key].is_array()) return fail(std::string("filters.") + key + ": must be an array of strings");
      for (const auto& v : f[key]) {
        if (!v.is_string()) return fail(std::string("filters.") + key + ": must be an array of strings");
        dst->push_back(v.get<std::string>());
      }
    }
  }
  ClusterParams cparams = s.cluster_draft;
  bool run_cluster = false;
  int focus = -3;
  if (j.contains("cluster")) {
    if (std::string e = parse_cluster_params(j["cluster"], cparams); !e.empty()) return fail(e);
    const json& c = j["cluster"];
    run_cluster = c.contains("algo") || c.contains("features") || c.contains("k") || c.contains("eps") ||
                  c.contains("min_samples") || c.contains("minSamples") || c.contains("seed") || c.contains("cut");
    if (c.contains("focus")) {
      if (c["focus"].is_null()) focus = -2;
      else if (!c["focus"].is_number_integer() || c["focus"].get<int64_t>() < -1 || c["focus"].get<int64_t>() > 100000)
        return fail("cluster.focus: must be a cluster label, -1 for noise or null, got " + c["focus"].dump());
      else focus = static_cast<int>(c["focus"].get<int64_t>());
    }
  }
  MapView map = s.map;
  if (j.contains("map")) {
    const json& m = j["map"];
    if (!m.is_object()) return fail("map: must be an object {zoom, cx, cy, sizeByDownloads}");
    for (auto [key, dst, lo, hi] : {std::tuple{"zoom", &map.zoom, 0.25, 100000.0}, std::tuple{"cx", &map.cx, -10.0, 11.0},
                                    std::tuple{"cy", &map.cy, -10.0, 11.0}}) {
      if (!m.contains(key)) continue;
      if (!m[key].is_number() || !(m[key].get<double>() >= lo && m[key].get<double>() <= hi))
        return fail(std::string("map.") + key + ": must be a number from " + json(lo).dump() + " to " + json(hi).dump() +
                    ", got " + m[key].dump());
      *dst = m[key].get<double>();
    }
    if (m.contains("sizeByDownloads")) {
      if (!m["sizeByDownloads"].is_boolean()) return fail("map.sizeByDownloads: must be true or false");
      s.size_by_downloads = m["sizeByDownloads"].get<bool>();
    }
  }
  if (run_cluster && !d.index) return fail("cluster: no catalogue is loaded");
  s.method = method;
  s.compare = compare;
  s.k = k;
  s.view = view;
  s.map = map;
  d.filters = filters;
  d.sync_filter_flags();
  if (run_cluster) {
    if (std::string e = d.clusters.start(cparams); !e.empty()) return fail("cluster: " + e);
  } else {
    s.cluster_draft = cparams;
    d.ensure_clustering();
  }
  if (focus != -3) d.clusters.set_pending_focus(focus);
  d.recompute();
  d.publish_url(false);
  return dump(ok_json());
}

std::string Controller::apply_link(std::string_view hash, int history_pos) {
  auto& d = *impl_;
  AppState& s = d.s;
  // A link's earlier complaints go when another link comes.
  if (d.link_error) s.error.clear();
  d.link_error = false;
  s.link_issues.clear();
  s.link_suggestion.clear();
  // Whole-link limits reject the link; a bad parameter is left out and named in the notice.
  auto parsed = parse_share_link_parts(hash, d.platform.page_origin());
  if (!parsed.ok()) {
    s.error = "This link cannot be opened: " + parsed.error();
    d.link_error = true;
    d.platform.state_changed();
    return fail(s.error);
  }
  // A refused catalogue source refuses the link: its model and filters belong to a catalogue this
  // page will not load, and such a link is more likely hostile than mistyped.
  for (const auto& p : parsed.value().problems)
    if (p.key == "src") {
      s.error = "This link cannot be opened: " + p.error;
      s.link_issues.push_back({p.key, p.value, p.reason});
      d.link_error = true;
      d.platform.state_changed();
      return fail(s.error);
    }
  const ShareLink& l = parsed.value().link;
  if (!l.method.empty()) s.method = l.method;
  s.compare = l.compare;
  if (l.k) s.k = *l.k;
  View v;
  if (!l.view.empty() && parse_view(l.view, v)) s.view = v;
  d.filters.tasks = l.tasks;
  d.filters.libraries = l.libraries;
  d.filters.model_types = l.model_types;
  d.sync_filter_flags();
  s.notice.clear();
  if (s.has_catalogue && !l.catalogue.empty() &&
      (l.catalogue != s.catalogue.name || (l.rows && *l.rows != s.catalogue.rows))) {
    s.notice = "This link was made with catalogue '" + l.catalogue + "'" +
               (l.rows ? " (" + std::to_string(*l.rows) + " rows)" : "") + "; this page has '" + s.catalogue.name +
               "' (" + std::to_string(s.catalogue.rows) + " rows), so results may differ.";
  }
  auto add_notice = [&](const std::string& text) { s.notice += (s.notice.empty() ? "" : " ") + text; };
  if (const auto& problems = parsed.value().problems; !problems.empty()) {
    std::string text = "This link's ";
    for (size_t i = 0; i < problems.size(); ++i) {
      text += (i ? "; " : "") + describe_link_problem(problems[i]);
      s.link_issues.push_back({problems[i].key, problems[i].value, problems[i].reason});
    }
    add_notice(text + "; kept the rest of the link.");
  }
  if (!l.algo.empty() || l.view == "clusters") {
    ClusterParams p = s.cluster_draft;
    if (!l.algo.empty()) p.algo = l.algo;
    if (!l.features.empty()) p.features = l.features;
    if (l.cluster_k) p.k = *l.cluster_k;
    if (l.eps) p.eps = *l.eps;
    if (l.min_samples) p.min_samples = *l.min_samples;
    if (l.seed) p.seed = *l.seed;
    p.cut = l.cut ? *l.cut : -1;
    s.cluster_draft = p;
    s.map = MapView{l.cx.value_or(0.5), l.cy.value_or(0.5), l.zoom.value_or(1)};
    bool same = s.clusters.has_result && s.clusters.params == p;
    if (!l.algo.empty() && d.index && !same) d.clusters.start(p);
    d.clusters.set_pending_focus(l.focus.value_or(-2));
  }
  json result = ok_json();
  if (history_pos >= 0 && history_pos < static_cast<int>(d.history.size())) d.history_pos = history_pos;
  if (!l.model.empty()) {
    const Catalogue* cat = d.index ? &d.index->catalogue() : nullptr;
    const Suggestion sug = cat ? suggest_model(*cat, l.model) : Suggestion{};
    const std::string not_in = "The link's model '" + l.model + "' is not in catalogue '" + s.catalogue.name + "'";
    if (sug.kind == SuggestKind::exact) {
      s.query = l.model;
    } else if (sug.kind == SuggestKind::case_only) {
      // The same id in other letter case: use it, and say so.
      s.query = cat->id(sug.row);
      add_notice(not_in + "; opened '" + s.query + "', the same id in other letter case.");
      s.link_issues.push_back({"model", l.model, "is not in the catalogue; opened '" + s.query + "'"});
    } else {
      s.error = not_in;
      if (sug.kind != SuggestKind::none) {
        s.link_suggestion = cat->id(sug.row);
        s.error += "; did you mean '" + s.link_suggestion + "'?";
      }
      d.link_error = true;
      s.link_issues.push_back({"model", l.model, "is not in the catalogue"});
      result = {{"ok", false}, {"error", s.error}};
    }
  } else {
    s.query.clear();
  }
  d.ensure_clustering();
  d.recompute();
  if (history_pos < 0) d.publish_url(false);
  json problems = json::array();
  for (const auto& i : s.link_issues) problems.push_back({{"key", i.key}, {"value", i.value}, {"reason", i.reason}});
  result["problems"] = problems;
  result["suggestion"] = s.link_suggestion;
  return dump(result);
}

std::string Controller::cluster(std::string_view text, int job_id) {
  auto& d = *impl_;
  json j = json::parse(text, nullptr, false);
  ClusterParams p = d.s.cluster_draft;
  p.cut = -1;
  if (j.is_discarded()) return fail("cluster() takes an object {algo, features, k, eps, min_samples, seed, cut}");
  if (std::string e = parse_cluster_params(j, p); !e.empty()) return fail(e);
  if (std::string e = d.clusters.start(p, job_id); !e.empty()) return fail(e);
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
  if (std::string e = d.clusters.start_elbow(features, job_id); !e.empty()) return fail(e);
  return dump(ok_json());
}

std::string Controller::cancel_job() {
  bool running = impl_->clusters.running();
  impl_->clusters.cancel();
  return dump(json{{"ok", true}, {"cancelled", running}});
}

std::string Controller::map_point(std::string_view model_id) const { return impl_->clusters.point_json(model_id); }

std::string Controller::share_link() const { return format_share_link(impl_->current_link()); }

}  // namespace hfrec::app
