// The JSON API over core that JavaScript sees (api.h).
//
// [SECTION] Replies
// [SECTION] Parameters from JSON
// [SECTION] Recommend, stats, search
// [SECTION] Clustering and elbow jobs
// [SECTION] Loading and handles
#include "api.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>
#include <vector>

#include "cluster_json.h"
#include "job.h"
#include "recommender.h"
#include "text.h"
#include "view_params.h"
#include "why.h"

namespace hfrec::api {

//-----------------------------------------------------------------------------
// [SECTION] Replies
//-----------------------------------------------------------------------------

Json fail(const std::string& code, const std::string& message) {
  return {{"ok", false}, {"code", code}, {"error", message}};
}
std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Parameters from JSON
//-----------------------------------------------------------------------------

// An integer parameter of view_params.h's table (the CLI's range), or an error naming it.
bool int_param(const Json& in, const char* key, Param p, long long& out, std::string& error) {
  if (!in.contains(key) || in[key].is_null()) return true;
  const Json& v = in[key];
  const ParamSpec& s = param_spec(p);
  if (!v.is_number() || !in_range(s, v.get<double>(), true)) {
    error = std::string(key) + " must be " + describe_range(s, true) + ", got " + v.dump();
    return false;
  }
  out = v.get<long long>();
  return true;
}
bool int_range(const Json& in, const char* key, long long lo, long long hi, long long& out, std::string& error) {
  if (!in.contains(key) || in[key].is_null()) return true;
  const Json& v = in[key];
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() != std::floor(v.get<double>()) ||
      v.get<double>() < static_cast<double>(lo) || v.get<double>() > static_cast<double>(hi)) {
    error = std::string(key) + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
            ", got " + v.dump();
    return false;
  }
  out = v.get<long long>();
  return true;
}
bool text_param(const Json& in, const char* key, std::string& out, std::string& error) {
  if (!in.contains(key) || in[key].is_null()) return true;
  if (!in[key].is_string()) {
    error = std::string(key) + " must be a string, got " + in[key].dump();
    return false;
  }
  out = in[key].get<std::string>();
  return true;
}
// A filter: a string or an array of strings.
bool list_param(const Json& in, const char* key, std::vector<std::string>& out, std::string& error) {
  if (!in.contains(key) || in[key].is_null()) return true;
  const Json& v = in[key];
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
    return true;
  }
  if (v.is_array() && v.size() <= kMaxFilterValues &&
      std::all_of(v.begin(), v.end(), [](const Json& x) { return x.is_string(); })) {
    for (const Json& x : v) out.push_back(x.get<std::string>());
    return true;
  }
  error = std::string("filters.") + key + " must be a string or an array of at most " +
          std::to_string(kMaxFilterValues) + " strings";
  return false;
}

//-----------------------------------------------------------------------------
// [SECTION] Recommend, stats, search
//-----------------------------------------------------------------------------

Json lineage_json(const Lineage& lin, uint32_t row) {
  if (lin.empty()) return nullptr;
  const auto ps = lin.parents(row);
  return {{"parent", ps.empty() ? Json(nullptr) : Json(std::string(lin.node_id(ps[0].node)))},
          {"children", lin.children(row).size()},
          {"siblings", lin.siblings(row)}};
}

// The CLI's result rows (cmd_recommend.cpp), keys in JavaScript's camelCase.
Json results_json(const Catalogue& c, const Lineage& lineage, Method m, uint32_t query_row,
                  const std::vector<Recommendation>& recs) {
  Json arr = Json::array();
  int rank = 1;
  for (const auto& r : recs) {
    Json o = {{"rank", rank++},
              {"modelId", std::string(c.id(r.row))},
              {"score", r.score},
              {"downloads", c.downloads[r.row]},
              {"task", std::string(c.value(c.pipeline_tag[r.row]))},
              {"library", std::string(c.value(c.library_name[r.row]))},
              {"modelType", std::string(c.value(c.model_type[r.row]))},
              {"why", why_in_words(c, query_row, r.shared)},
              {"shared", r.shared},
              {"lineage", lineage_json(lineage, r.row)}};
    if (m == Method::knn) o["distance"] = r.distance;
    arr.push_back(std::move(o));
  }
  return arr;
}

}  // namespace

Json Session::recommend(int h, const Json& in) {
  Json err;
  const Entry* e = ready(h, err);
  if (!e) return err;
  if (!in.is_object()) return fail("E_BAD_ARGUMENT", "the request must be an object");
  std::string error, method = "cosine";
  RecommendParams p;
  long long k = 10, kk = 10;
  if (!text_param(in, "method", method, error)) return fail("E_BAD_ARGUMENT", error);
  if (!parse_method(method, p.method))
    return fail("E_BAD_ARGUMENT",
                "unknown method '" + excerpt(method) + "' (jaccard, cosine, tfidf, knn, kmeans, hybrid)");
  if (!int_param(in, "k", Param::k, k, error) || !int_range(in, "kmeansK", 1, 1000, kk, error))
    return fail("E_BAD_ARGUMENT", error);
  p.k = static_cast<size_t>(k);
  p.kmeans_k = static_cast<int>(kk);
  const Json filters = in.value("filters", Json::object());
  if (!filters.is_object()) return fail("E_BAD_ARGUMENT", "filters must be an object {tasks, libraries, modelTypes}");
  if (!list_param(filters, "tasks", p.filters.tasks, error) ||
      !list_param(filters, "libraries", p.filters.libraries, error) ||
      !list_param(filters, "modelTypes", p.filters.model_types, error))
    return fail("E_BAD_ARGUMENT", error);
  const Catalogue& c = e->index->catalogue();
  const Json q = in.value("query", Json());
  if (q.is_string()) {
    const std::string id = q.get<std::string>();
    const uint32_t row = c.find(id);
    if (row == kMissing) return fail("E_UNKNOWN_MODEL", "model '" + excerpt(id) + "' is not in the catalogue");
    auto r = e->index->recommend_row(row, p);
    if (!r.ok()) return fail("E_BAD_ARGUMENT", r.error());
    return {{"ok", true}, {"results", results_json(e->index->catalogue(), *e->lineage, p.method, row, r.value())}};
  }
  if (!q.is_object())
    return fail("E_BAD_ARGUMENT", "the query must be a model id or an object {task, library, modelType, text}");
  AdhocQuery a;
  if (!text_param(q, "task", a.pipeline_tag, error) || !text_param(q, "library", a.library_name, error) ||
      !text_param(q, "modelType", a.model_type, error) || !text_param(q, "text", a.text, error))
    return fail("E_BAD_ARGUMENT", error);
  // As the CLI's --adhoc: a task, library or model type no model has is an error naming it.
  for (auto [key, value, column, what] : {std::tuple{"task", &a.pipeline_tag, &c.pipeline_tag, "task"},
                                          std::tuple{"library", &a.library_name, &c.library_name, "library"},
                                          std::tuple{"modelType", &a.model_type, &c.model_type, "model type"}}) {
    if (value->empty()) continue;
    const uint32_t id = c.pool.find(*value);
    if (id == kMissing || std::find(column->begin(), column->end(), id) == column->end())
      return fail("E_BAD_ARGUMENT",
                  std::string(key) + " '" + excerpt(*value, 60) + "': no model in the catalogue has this " + what);
  }
  auto r = e->index->recommend_adhoc(a, p);
  if (!r.ok()) return fail("E_BAD_ARGUMENT", r.error());
  return {{"ok", true}, {"results", results_json(e->index->catalogue(), *e->lineage, p.method, kMissing, r.value())}};
}

Json Session::stats(int h) const {
  Json err;
  const Entry* e = ready(h, err);
  if (!e) return err;
  const Index& idx = *e->index;
  const Catalogue& c = idx.catalogue();
  const Lineage& lin = *e->lineage;
  return {{"ok", true},
          {"name", c.name},
          {"format", c.report.format},
          {"rows", c.size()},
          {"columns", c.report.columns},
          {"duplicatesDropped", c.report.duplicates_dropped},
          {"warnings", c.report.warnings},
          {"attributes",
           {{"categories", idx.attributes().names.size()},
            {"distinctRows", idx.attributes().groups.size()},
            {"nnz", idx.attributes().groups.expanded_nnz()}}},
          {"soup",
           {{"vocabulary", idx.soup().terms.size()},
            {"distinctRows", idx.soup().groups.size()},
            {"nnz", idx.soup().groups.expanded_nnz()}}},
          {"lineage",
           {{"rowsWithParents", lin.rows_with_parents()},
            {"links", lin.links()},
            {"linksInCatalogue", lin.links_in_catalogue()},
            {"rowsWithChildren", lin.rows_with_children()}}}};
}

Json Session::search(int h, const std::string& text, int n) {
  Json err;
  if (!ready(h, err)) return err;
  Entry* e = &entries_.at(h);
  if (n < 1 || n > 10000)
    return fail("E_BAD_ARGUMENT", "n must be an integer from 1 to 10000, got " + std::to_string(n));
  if (!e->search) e->search = std::make_shared<const SearchIndex>(e->index->catalogue());
  SearchParams sp;
  sp.limit = static_cast<size_t>(n);
  const SearchResult r = e->search->search(text, sp);
  const Catalogue& c = e->index->catalogue();
  Json hits = Json::array();
  for (const SearchHit& hit : r.hits)
    hits.push_back({{"modelId", std::string(c.id(hit.row))},
                    {"downloads", c.downloads[hit.row]},
                    {"task", std::string(c.value(c.pipeline_tag[hit.row]))},
                    {"library", std::string(c.value(c.library_name[hit.row]))},
                    {"match", match_kind_name(hit.kind)}});
  return {{"ok", true}, {"hits", hits}, {"count", r.count}};
}

//-----------------------------------------------------------------------------
// [SECTION] Clustering and elbow jobs
//-----------------------------------------------------------------------------

namespace {

bool feature_param(const Json& in, FeatureSpace& f, std::string& error) {
  std::string s;
  if (!text_param(in, "features", s, error)) return false;
  if (!s.empty() && !parse_feature_space(s, f)) {
    error = "features must be attributes, soup or tfidf, got '" + excerpt(s) + "'";
    return false;
  }
  return true;
}

}  // namespace

Json Session::job_start(int h, const Json& in, bool is_elbow) {
  Json err;
  const Entry* e = ready(h, err);
  if (!e) return err;
  if (!in.is_object()) return fail("E_BAD_ARGUMENT", "the parameters must be an object");
  std::string error;
  JobEntry j;
  j.catalogue = h;
  long long seed = 0, restarts = 10, sample = 0;
  if (!int_param(in, "seed", Param::seed, seed, error) || !int_range(in, "restarts", 1, 1000, restarts, error) ||
      !int_range(in, "silhouetteSample", 0, 100'000'000, sample, error))
    return fail("E_BAD_ARGUMENT", error);
  if (is_elbow) {
    ElbowRequest r;
    long long kmin = r.k_min, kmax = r.k_max;
    if (!feature_param(in, r.features, error) || !int_range(in, "kMin", 1, 100'000'000, kmin, error) ||
        !int_range(in, "kMax", 1, 100'000'000, kmax, error))
      return fail("E_BAD_ARGUMENT", error);
    if (kmax < kmin)
      return fail("E_BAD_ARGUMENT",
                  "kMax must be at least kMin, got " + std::to_string(kmin) + ".." + std::to_string(kmax));
    r.k_min = static_cast<int>(kmin);
    r.k_max = static_cast<int>(kmax);
    r.seed = static_cast<uint64_t>(seed);
    r.restarts = static_cast<int>(restarts);
    r.silhouette_sample = static_cast<size_t>(sample);
    auto started = start_elbow(*e->index, r);
    if (!started.ok()) return fail("E_BAD_ARGUMENT", started.error());
    j.elbow = std::move(started).value();
  } else {
    ClusterRequest r;
    r.projection = false;
    std::string algo = "kmeans", metric;
    long long k = r.k, ms = r.min_samples;
    if (!text_param(in, "algo", algo, error) || !feature_param(in, r.features, error) ||
        !int_param(in, "k", Param::cluster_k, k, error) ||
        !int_param(in, "minSamples", Param::min_samples, ms, error) || !text_param(in, "metric", metric, error))
      return fail("E_BAD_ARGUMENT", error);
    if (!parse_algo(algo, r.algo))
      return fail("E_BAD_ARGUMENT", "algo must be kmeans, ward or dbscan, got '" + excerpt(algo) + "'");
    if (!metric.empty() && !parse_dbscan_metric(metric, r.metric))
      return fail("E_BAD_ARGUMENT", "metric must be cosine or euclidean, got '" + excerpt(metric) + "'");
    if (in.contains("eps") && !in["eps"].is_null()) {
      if (!in["eps"].is_number() || !(in["eps"].get<double>() > 0) || !std::isfinite(in["eps"].get<double>()))
        return fail("E_BAD_ARGUMENT", "eps must be a positive number, got " + in["eps"].dump());
      r.eps = in["eps"].get<double>();
    }
    if (in.contains("height") && !in["height"].is_null()) {
      if (!in["height"].is_number() || !(in["height"].get<double>() >= 0) || !std::isfinite(in["height"].get<double>()))
        return fail("E_BAD_ARGUMENT", "height must be a non-negative number, got " + in["height"].dump());
      r.ward_height = in["height"].get<double>();
    }
    r.k = static_cast<int>(k);
    r.min_samples = static_cast<int>(ms);
    r.seed = static_cast<uint64_t>(seed);
    r.restarts = static_cast<int>(restarts);
    r.silhouette_sample = static_cast<size_t>(sample);
    auto started = start_cluster(*e->index, r);
    if (!started.ok()) return fail("E_BAD_ARGUMENT", started.error());
    j.cluster = std::move(started).value();
  }
  const int id = next_id();
  jobs_.emplace(id, std::move(j));
  return {{"ok", true}, {"job", id}};
}

// Steps a job; {ok, done, progress, stage} and, once done, {result}. The job is forgotten when done.
Json Session::job_step(int id, double budget_ms) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return fail("E_DISPOSED", "the job has ended or its catalogue has been disposed");
  JobEntry& j = it->second;
  const bool done = j.job().step(budget_ms);
  Json o = {{"ok", true}, {"done", done}, {"progress", j.job().progress()}, {"stage", j.job().stage()}};
  if (!done) return o;
  Json result;
  if (j.cluster) {
    auto r = j.cluster->take();
    if (!r.ok()) result = fail(j.cluster->cancelled() ? "E_ABORTED" : "E_BAD_ARGUMENT", r.error());
    else result = cluster_result_json<Json>(entries_.at(j.catalogue).index->catalogue(), r.value(), JsonKeys::camel);
  } else {
    auto r = j.elbow->take();
    if (!r.ok()) {
      result = fail(j.elbow->cancelled() ? "E_ABORTED" : "E_BAD_ARGUMENT", r.error());
    } else {
      result = Json::array();
      for (const ElbowRow& e : r.value()) result.push_back(elbow_row_json<Json>(e, JsonKeys::camel));
    }
  }
  jobs_.erase(it);
  if (result.is_object() && result.contains("ok")) return result;
  o["result"] = std::move(result);
  return o;
}

//-----------------------------------------------------------------------------
// [SECTION] Loading and handles
//-----------------------------------------------------------------------------

// Steps a load: parsing, then indexing. {ok, done, progress, stage}.
Json Session::load_step(int h, double budget_ms) {
  auto it = entries_.find(h);
  if (it == entries_.end()) return fail("E_DISPOSED", "the catalogue has been disposed");
  Entry& e = it->second;
  if (!e.error.empty()) return fail(e.code, e.error);
  if (e.index) return {{"ok", true}, {"done", true}, {"progress", 1.0}, {"stage", "ready"}};
  const SliceTimer timer(budget_ms);
  if (e.loader) {
    // CatalogueLoader's budget is rows; small steps until the clock runs out.
    bool parsed = false;
    while (!(parsed = e.loader->step(4096)) && !timer.expired()) {}
    if (!parsed) return {{"ok", true}, {"done", false}, {"progress", 0.5 * e.loader->progress()}, {"stage", "parsing"}};
    auto cat = e.loader->take();
    e.loader.reset();
    if (!cat.ok()) {
      e.code = "E_PARSE";
      e.error = cat.error();
      return fail(e.code, e.error);
    }
    cat.value().name = e.name;
    e.builder = std::make_unique<IndexBuilder>(std::move(cat).value());
    return {{"ok", true}, {"done", false}, {"progress", 0.5}, {"stage", "indexing"}};
  }
  if (!e.builder->step(timer))
    return {{"ok", true}, {"done", false}, {"progress", 0.5 + 0.5 * e.builder->progress()}, {"stage", "indexing"}};
  auto idx = e.builder->take();
  e.builder.reset();
  if (!idx.ok()) {
    e.code = "E_INTERNAL";
    e.error = idx.error();
    return fail(e.code, e.error);
  }
  e.index = std::move(idx).value();
  e.lineage = std::make_shared<const Lineage>(e.index->catalogue());
  return {{"ok", true}, {"done", true}, {"progress", 1.0}, {"stage", "ready"}};
}

double Session::max_bytes() { return static_cast<double>(LoadLimits{}.max_file_bytes); }

char* Session::buffer(double len) {
  // Refused above the load limit before allocating (a string over 2^31 bytes aborts wasm32).
  if (!(len >= 0) || len > max_bytes()) return nullptr;
  auto bytes = std::make_unique<std::string>(static_cast<size_t>(len), '\0');
  char* p = bytes->data();
  buffers_[reinterpret_cast<uintptr_t>(p)] = std::move(bytes);
  return p;
}
void Session::drop_buffer(const char* buffer) { buffers_.erase(reinterpret_cast<uintptr_t>(buffer)); }
bool Session::take_buffer(const char* buffer, std::string& out) {
  auto it = buffers_.find(reinterpret_cast<uintptr_t>(buffer));
  if (it == buffers_.end()) return false;
  out = std::move(*it->second);
  buffers_.erase(it);
  return true;
}

Json Session::load(const char* buffer, const std::string& name, int format) {
  std::string bytes;
  if (!take_buffer(buffer, bytes)) return fail("E_BAD_ARGUMENT", "unknown buffer");
  Entry e;
  e.name = name.empty() ? "catalogue" : name;
  const size_t bom = bytes.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  const size_t p = bytes.find_first_not_of(" \t\r\n", bom);
  const bool looks_json = p != std::string::npos && (bytes[p] == '[' || bytes[p] == '{');
  if (format == 2 && !looks_json && p != std::string::npos) {
    e.code = "E_PARSE";
    e.error = "format 'json': the text does not start with '[' or '{' (a list-models JSON array)";
  } else if (format == 1 && looks_json) {
    // Text that would sniff as JSON read as CSV: the one-call CSV loader (no sniffing).
    auto cat = load_csv(bytes, e.name);
    if (!cat.ok()) {
      e.code = "E_PARSE";
      e.error = cat.error();
    } else {
      e.builder = std::make_unique<IndexBuilder>(std::move(cat).value());
    }
  } else {
    e.loader = std::make_unique<CatalogueLoader>(std::move(bytes), e.name);
  }
  const int h = next_id();
  entries_.emplace(h, std::move(e));
  return {{"ok", true}, {"handle", h}};
}

int Session::adopt(std::shared_ptr<const Index> index, std::shared_ptr<const Lineage> lineage,
                   std::shared_ptr<const SearchIndex> search) {
  Entry e;
  e.name = index->catalogue().name;
  e.lineage = lineage ? std::move(lineage) : std::make_shared<const Lineage>(index->catalogue());
  e.search = std::move(search);
  e.index = std::move(index);
  const int h = next_id();
  entries_.emplace(h, std::move(e));
  return h;
}

const Index* Session::index_of(int h) const {
  auto it = entries_.find(h);
  return it == entries_.end() ? nullptr : it->second.index.get();
}

// The ready entry of a handle, or the error to return.
const Session::Entry* Session::ready(int h, Json& err) const {
  auto it = entries_.find(h);
  if (it == entries_.end()) {
    err = fail("E_DISPOSED", "the catalogue has been disposed");
    return nullptr;
  }
  if (!it->second.index) {
    err = it->second.error.empty() ? fail("E_BAD_ARGUMENT", "the catalogue is still loading")
                                   : fail(it->second.code, it->second.error);
    return nullptr;
  }
  return &it->second;
}

void Session::job_cancel(int id) {
  auto it = jobs_.find(id);
  if (it != jobs_.end()) it->second.job().cancel();
}

void Session::free_catalogue(int h) {
  for (auto it = jobs_.begin(); it != jobs_.end();) it = it->second.catalogue == h ? jobs_.erase(it) : std::next(it);
  entries_.erase(h);
}

}  // namespace hfrec::api
