// The view model: ViewParams read from and written to AppState through one writer (apply_view),
// and the automation API's set() and state() over it (controller.h).
#include "app/controller_impl.h"
#include "core/view_params.h"

namespace hfrec::app {

namespace {

// A number of set()'s JSON checked against its row of view_params.h's table:
// "k: must be an integer from 1 to 100, got 5000".
Status read_number(const json& v, Param p, std::string_view path, double& out) {
  const ParamSpec& spec = param_spec(p);
  const bool whole = spec.type != ParamType::integer || v.is_number_integer();
  if (!v.is_number() || !whole || !in_range(spec, v.get<double>()))
    return Status::Fail(std::string(path) + ": must be " + describe_range(spec) + ", got " + dump(v));
  out = v.get<double>();
  return Status::Ok();
}

Status read_method(const json& v, std::string_view key, std::optional<Method>& out, bool allow_none) {
  Method m;
  if (allow_none && (v.is_null() || (v.is_string() && v.get<std::string>().empty()))) {
    out.reset();
    return Status::Ok();
  }
  if (!v.is_string() || !parse_method(v.get<std::string>(), m))
    return Status::Fail(std::string(key) + ": unknown method " + dump(v));
  out = m;
  return Status::Ok();
}

// Reads set()'s {method, compare, k, view, filters, cluster, map, layout} over v; on an error v may be
// partly written (the caller drops it).
Status read_view_json(const json& j, ViewParams& v) {
  if (j.contains("method")) {
    std::optional<Method> m;
    if (Status st = read_method(j["method"], "method", m, false); !st.ok()) return st;
    v.method = *m;
  }
  if (j.contains("compare"))
    if (Status st = read_method(j["compare"], "compare", v.compare, true); !st.ok()) return st;
  if (j.contains("k")) {
    double k = 0;
    if (Status st = read_number(j["k"], Param::k, "k", k); !st.ok()) return st;
    v.k = static_cast<int>(k);
  }
  if (j.contains("view") && (!j["view"].is_string() || !parse_view(j["view"].get<std::string>(), v.view)))
    return Status::Fail("view: unknown view " + dump(j["view"]));
  if (j.contains("filters")) {
    const json& f = j["filters"];
    if (!f.is_object()) return Status::Fail("filters: must be an object {tasks, libraries, model_types}");
    v.filters = Filters{};
    size_t values = 0;
    for (auto [key, dst, p] : {std::tuple{"tasks", &v.filters.tasks, Param::task},
                               std::tuple{"libraries", &v.filters.libraries, Param::library},
                               std::tuple{"model_types", &v.filters.model_types, Param::model_type}}) {
      if (!f.contains(key)) continue;
      const std::string path = std::string("filters.") + key;
      if (!f[key].is_array()) return Status::Fail(path + ": must be an array of strings");
      for (const auto& x : f[key]) {
        if (!x.is_string()) return Status::Fail(path + ": must be an array of strings");
        // The limits a share link holds, so the app never writes a link it would refuse.
        const std::string& text = x.get_ref<const std::string&>();
        if (text.empty() || text.size() > param_spec(p).max_bytes)
          return Status::Fail(path + ": a value must be 1 to " + std::to_string(param_spec(p).max_bytes) +
                              " bytes, got " + std::to_string(text.size()));
        if (++values > kMaxFilterValues)
          return Status::Fail("filters: more than " + std::to_string(kMaxFilterValues) + " values");
        dst->push_back(text);
      }
    }
  }
  if (j.contains("cluster")) {
    const json& c = j["cluster"];
    if (Status st = parse_cluster_params(c, v.cluster); !st.ok()) return st;
    if (c.contains("focus")) {
      if (c["focus"].is_null()) {
        v.focus = kFocusNone;
      } else {
        double f = 0;
        if (!c["focus"].is_number_integer() || !in_range(param_spec(Param::focus), c["focus"].get<int64_t>()))
          return Status::Fail("cluster.focus: must be a cluster label, -1 for noise or null, got " + dump(c["focus"]));
        f = static_cast<double>(c["focus"].get<int64_t>());
        v.focus = static_cast<int>(f);
      }
    }
  }
  if (j.contains("map")) {
    const json& m = j["map"];
    if (!m.is_object()) return Status::Fail("map: must be an object {zoom, cx, cy, sizeByDownloads, features}");
    for (auto [key, dst, p] : {std::tuple{"zoom", &v.map.zoom, Param::zoom}, std::tuple{"cx", &v.map.cx, Param::cx},
                               std::tuple{"cy", &v.map.cy, Param::cy}})
      if (m.contains(key))
        if (Status st = read_number(m[key], p, std::string("map.") + key, *dst); !st.ok()) return st;
    if (m.contains("sizeByDownloads")) {
      if (!m["sizeByDownloads"].is_boolean()) return Status::Fail("map.sizeByDownloads: must be true or false");
      v.size_by_downloads = m["sizeByDownloads"].get<bool>();
    }
    if (m.contains("features")) {
      const json& f = m["features"];
      if (!f.is_string() || !is_map_space(f.get<std::string>()))
        return Status::Fail("map.features: unknown map space " + dump(f) + " (" + kMapSpaceList + ")");
      v.map_features = f.get<std::string>();
      v.run_layout = true;
    }
  }
  if (j.contains("layout")) {
    const json& l = j["layout"];
    bool known = false;
    for (const char* name : kLayouts) known = known || (l.is_string() && l.get<std::string>() == name);
    if (!known) return Status::Fail("layout: unknown map layout " + dump(l) + " (umap, pca)");
    v.layout = l.get<std::string>();
    v.run_layout = true;
  }
  return Status::Ok();
}

}  // namespace

// Searching, ranking, sorting and the selection (declared in controller_impl.h).

void Controller::Impl::sync_filter_flags() {
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

void Controller::Impl::run_search(const std::string& text) {
  s.search_text = text;
  s.search_query = model_id_from_text(text);
  s.search_hits.clear();
  s.search_count = 0;
  s.search_cursor = 0;
  s.search_suggestion.clear();
  // An empty query has no hits: it does not finish the search index's build for them.
  const SearchIndex* searching = s.search_query.empty() ? search.get() : searcher();
  if (!searching) return;
  SearchResult r = searching->search(s.search_query, SearchParams{.limit = 50});
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

ResultList Controller::Impl::run(const std::string& method_text) {
  ResultList list;
  list.method = method_text;
  Method m;
  if (!parse_method(method_text, m)) {
    list.error = "unknown method '" + method_text + "'";
    return list;
  }
  if (reads_soup(m) && soup_pending()) {
    if (index->catalogue().size() <= kBuildAtOnce) {
      index->soup();  // builds it
    } else {          // tick_soup() recomputes the lists once the soup is in
      list.preparing = index->soup_stage();
      list.preparing_progress = static_cast<float>(index->soup_progress());
      return list;
    }
  }
  if (m == Method::hybrid && hybrid_build) {
    if (index->catalogue().size() <= kBuildAtOnce) {
      hybrid_build.finish();
    } else {  // tick_hybrid() recomputes the lists once the model is in
      list.preparing = hybrid_build->stage();
      list.preparing_progress = static_cast<float>(hybrid_build->progress());
      return list;
    }
  }
  RecommendParams p;
  p.method = m;
  p.k = static_cast<size_t>(s.k);
  p.filters = filters;
  const Catalogue& c = index->catalogue();
  const uint32_t query_row = c.find(s.query);  // kMissing: a free-text query
  const auto t0 = std::chrono::steady_clock::now();
  // The kmeans method's clustering, if still in slices, is finished here (and counted).
  if (m == Method::kmeans) kmeans_build.finish();
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
    if (lineage && !lineage->empty()) {
      const auto ps = lineage->parents(rec.row);
      row.has_lineage = true;
      row.parent = ps.empty() ? "" : std::string(lineage->node_id(ps[0].node));
      row.children = lineage->children(rec.row).size();
      row.siblings = lineage->siblings(rec.row);
      if (query_row != kMissing) {
        auto made_from = [&](uint32_t child, uint32_t base) {
          const auto bases = lineage->parents(child);
          return std::any_of(bases.begin(), bases.end(), [&](const Parent& p) { return p.row == base; });
        };
        const auto qs = lineage->parents(query_row);
        if (made_from(rec.row, query_row)) row.kin = "child";
        else if (made_from(query_row, rec.row)) row.kin = "parent";
        else if (std::any_of(ps.begin(), ps.end(), [&](const Parent& p) {
                   return std::any_of(qs.begin(), qs.end(), [&](const Parent& q) { return q.node == p.node; });
                 }))
          row.kin = "sibling";
      }
    }
    list.rows.push_back(std::move(row));
  }
  return list;
}

void Controller::Impl::lineage_of_query(uint32_t row) {
  QueryLineage& q = s.query_lineage;
  q = {};
  if (!lineage || lineage->empty() || row == kMissing) return;
  q.available = true;
  const Catalogue& c = index->catalogue();
  for (const Parent& p : lineage->parents(row))
    q.parents.push_back(
        {std::string(lineage->node_id(p.node)), std::string(relation_name(p.relation)), p.row != kMissing});
  // The most downloaded first (ties as the ranked lists break them), at most kListed.
  auto listed = [&](std::vector<uint32_t> rows, std::vector<std::string>& out) {
    const size_t n = std::min(rows.size(), QueryLineage::kListed);
    std::partial_sort(rows.begin(), rows.begin() + static_cast<long>(n), rows.end(),
                      [&](uint32_t a, uint32_t b) { return tie_before(c, a, b); });
    for (size_t i = 0; i < n; ++i) out.emplace_back(c.id(rows[i]));
    return rows.size();
  };
  const auto kids = lineage->children(row);
  q.children_total = listed(std::vector<uint32_t>(kids.begin(), kids.end()), q.children);
  q.siblings_total = listed(lineage->sibling_rows(row), q.siblings);
}

void Controller::Impl::sort_list(ResultList& l) {
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

void Controller::Impl::recompute() {
  s.primary = {};
  s.secondary = {};
  s.overlap = 0;
  s.query_task.clear();
  s.query_library.clear();
  s.query_model_type.clear();
  s.query_downloads = 0;
  s.query_url.clear();
  s.query_lineage = {};
  s.can_back = history_pos > 0;
  s.can_forward = history_pos + 1 < static_cast<int>(history.size());
  if (!index || s.query.empty()) {
    map.set_highlight("", {});
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
    lineage_of_query(row);
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
  map.set_highlight(s.query, ids);
  platform.state_changed();
}

std::string Controller::Impl::select(std::string_view id, bool push) {
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

std::string Controller::Impl::export_list(ExportFormat format) {
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
ViewParams Controller::Impl::view_params() const {
  ViewParams v;
  v.query = s.query;
  parse_method(s.method, v.method);
  Method m;
  if (!s.compare.empty() && parse_method(s.compare, m)) v.compare = m;
  v.k = s.k;
  v.filters = filters;
  v.view = s.view;
  v.cluster = s.cluster_draft;
  v.map = s.map;
  v.size_by_downloads = s.size_by_downloads;
  v.layout = s.map_layout;
  v.map_features = s.map_features;
  v.lasso = map.lasso();
  return v;
}

Status Controller::Impl::apply_view(const ViewParams& v) {
  // Checks first: a view that cannot be applied changes nothing.
  if (!in_range(param_spec(Param::k), static_cast<int64_t>(v.k)))
    return Status::Fail("k: must be " + describe_range(param_spec(Param::k)) + ", got " + std::to_string(v.k));
  if (std::none_of(std::begin(kLayouts), std::end(kLayouts), [&](const char* l) { return v.layout == l; }))
    return Status::Fail("layout: unknown map layout '" + v.layout + "' (umap, pca)");
  if (!is_map_space(v.map_features))
    return Status::Fail("map.features: unknown map space '" + v.map_features + "' (" + kMapSpaceList + ")");
  if (v.run_cluster) {
    if (!index) return Status::Fail("cluster: no catalogue is loaded");
    // Starting is the last check: it fails before touching anything, and nothing below can fail.
    if (Status st = clusters.start(v.cluster); !st.ok()) return Status::Fail("cluster: " + st.error());
  }
  // The ranked lists are computed again only when what they answer changed.
  const ViewParams was = view_params();
  const bool lists_change = v.query != was.query || v.method != was.method || v.compare != was.compare ||
                            v.k != was.k || v.filters.tasks != was.filters.tasks ||
                            v.filters.libraries != was.filters.libraries ||
                            v.filters.model_types != was.filters.model_types;
  s.query = v.query;
  s.method = method_name(v.method);
  s.compare = v.compare ? method_name(*v.compare) : "";
  s.k = v.k;
  s.view = v.view;
  s.map = v.map;
  s.size_by_downloads = v.size_by_downloads;
  const bool layout_change = s.map_layout != v.layout || s.map_features != v.map_features;
  s.map_layout = v.layout;
  s.map_features = v.map_features;
  filters = v.filters;
  sync_filter_flags();
  if (!v.run_cluster) {
    if (!(s.cluster_draft == v.cluster)) s.clusters.held.clear();  // said of other parameters
    s.cluster_draft = v.cluster;
    ensure_clustering();
  }
  // A clustering being started lays out its own map when its result arrives.
  if ((layout_change || v.run_layout) && !v.run_cluster) clusters.set_layout(v.run_layout);
  if (v.focus) clusters.set_pending_focus(*v.focus);  // a change recomputes the lists (on_change)
  map.set_lasso(v.lasso);                             // after the clustering and layout calls: is its map shown?
  s.can_back = history_pos > 0;
  s.can_forward = history_pos + 1 < static_cast<int>(history.size());
  if (lists_change) recompute();
  else platform.state_changed();
  return Status::Ok();
}

std::string Controller::state_json() const {
  const auto& d = *impl_;
  const AppState& s = d.s;
  json j;
  j["catalogue"] = s.has_catalogue ? json{{"name", s.catalogue.name},     {"rows", s.catalogue.rows},
                                          {"source", s.catalogue.source}, {"origin", s.catalogue.origin},
                                          {"format", s.catalogue.format}, {"warnings", s.catalogue.warnings}}
                                   : json(nullptr);
  j["query"] = s.query;
  j["queryUrl"] = s.query_url;  // "" when the id names no Hub page
  // The query's model tree: null when the catalogue names no base model (or there is no query).
  if (s.query_lineage.available) {
    const QueryLineage& q = s.query_lineage;
    json parents = json::array();
    for (const LineageLink& p : q.parents)
      parents.push_back({{"id", p.id}, {"relation", p.relation}, {"inCatalogue", p.in_catalogue}});
    j["queryLineage"] = {{"parents", parents},
                         {"siblings", q.siblings},
                         {"siblingsTotal", q.siblings_total},
                         {"children", q.children},
                         {"childrenTotal", q.children_total}};
  } else {
    j["queryLineage"] = nullptr;
  }
  j["method"] = s.method;
  j["k"] = s.k;
  j["filters"] = {
      {"tasks", d.filters.tasks}, {"libraries", d.filters.libraries}, {"model_types", d.filters.model_types}};
  j["view"] = view_name(s.view);
  j["compare"] = s.compare;
  auto rows = [](const ResultList& l) {
    json a = json::array();
    for (const auto& r : l.rows) {
      json o = row_json(export_row(r));
      o["shared"] = r.why;
      o["inBoth"] = r.in_both;
      o["kin"] = r.kin;
      a.push_back(std::move(o));
    }
    return a;
  };
  j["results"] = rows(s.primary);
  j["resultsError"] = s.primary.error;
  // The list's method is still building its index (the soup or hybrid model of a large catalogue): {stage, progress}.
  if (d.lists_waiting()) {
    const ResultList& l = s.primary.preparing.empty() ? s.secondary : s.primary;
    j["preparing"] = {{"stage", l.preparing}, {"progress", l.preparing_progress}};
  } else {
    j["preparing"] = nullptr;
  }
  j["compareResults"] = rows(s.secondary);
  j["overlap"] = s.overlap;
  j["sort"] = {{"key", s.sort == SortKey::score ? "score" : "downloads"}, {"descending", s.sort_descending}};
  j["error"] = s.error;
  j["notice"] = s.notice;
  // The last share link's rejected parameters and the model it may have meant.
  json issues = json::array();
  for (const auto& i : s.link_issues) issues.push_back({{"key", i.key}, {"value", i.value}, {"reason", i.reason}});
  j["link"] = {{"problems", issues}, {"suggestion", s.link_suggestion}, {"leftOut", s.link_left_out}};
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
  j["clusterHeld"] = s.clusters.held;  // a clustering held back for Run (too long to start by itself), or ""
  j["clusterJob"] = d.clusters.job();
  j["map"] = {{"zoom", s.map.zoom},
              {"cx", s.map.cx},
              {"cy", s.map.cy},
              {"sizeByDownloads", s.size_by_downloads},
              {"features", s.map_features}};
  j["layout"] = d.clusters.layout_json();
  j["selection"] = d.map.selection_json();  // the lasso's table: {count, sort, pending}
  return dump(j);
}

std::string Controller::set_json(std::string_view text) {
  auto& d = *impl_;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("set() takes an object {method, k, filters, view, compare}");
  ViewParams v = d.view_params();
  if (Status st = read_view_json(j, v); !st.ok()) return fail(st.error());
  d.clusters.hold_long_layouts(false);  // asked for (the API): a map is laid out however long
  // cluster.focus alone does not run a clustering; any other cluster key does.
  if (j.contains("cluster")) {
    const json& c = j["cluster"];
    for (const char* key : {"algo", "features", "k", "eps", "min_samples", "minSamples", "seed", "cut"})
      v.run_cluster = v.run_cluster || c.contains(key);
  }
  if (Status st = d.apply_view(v); !st.ok()) return fail(st.error());
  d.publish_url(false);
  return dump(ok_json());
}

}  // namespace hfrec::app
