// hfrec recommend / hfrec stats.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>

#include "../catalogue.h"
#include "../export.h"
#include "../index_builder.h"
#include "../lineage.h"
#include "../recommender.h"
#include "../why.h"
#include "args.h"

namespace hfrec::cli {

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

bool check(Args& a, const char* cmd) {
  if (!a.has("--catalogue")) a.errors.push_back("--catalogue FILE is required");
  if (a.errors.empty()) return true;
  for (const auto& e : a.errors) std::fprintf(stderr, "hfrec %s: %s\n", cmd, printable(e).c_str());
  std::fprintf(stderr, "run 'hfrec --help' for usage\n");
  return false;
}

// A row's lineage for its JSON, when the catalogue has lineage.
std::optional<ExportLineage> lineage_of(const Lineage& lin, uint32_t row) {
  if (lin.empty()) return std::nullopt;
  const auto ps = lin.parents(row);
  return ExportLineage{ps.empty() ? std::string() : std::string(lin.node_id(ps[0].node)), lin.children(row).size(),
                       lin.siblings(row)};
}

// `query_row`: the query's row, for the reasons in words (kMissing: an ad-hoc query).
nlohmann::json result_json(const Index& idx, const Lineage& lin, Method m, uint32_t query_row,
                           const std::vector<Recommendation>& recs) {
  nlohmann::json arr = nlohmann::json::array();
  const Catalogue& c = idx.catalogue();
  int rank = 1;
  for (const auto& r : recs) {
    ExportRow row{rank++,
                  std::string(c.id(r.row)),
                  r.score,
                  c.downloads[r.row],
                  std::string(c.value(c.pipeline_tag[r.row])),
                  std::string(c.value(c.library_name[r.row])),
                  std::string(c.value(c.model_type[r.row])),
                  "",
                  why_in_words(c, query_row, r.shared),
                  lineage_of(lin, r.row)};
    nlohmann::json o = row_json(row);
    if (m == Method::knn) o["distance"] = r.distance;
    o["shared"] = r.shared;
    arr.push_back(std::move(o));
  }
  return arr;
}

void print_table(const Index& idx, const std::string& query, Method m, const std::vector<Recommendation>& recs) {
  const Catalogue& c = idx.catalogue();
  std::printf("# %s — %s\n", printable(excerpt(query)).c_str(), method_name(m));
  std::printf("%4s  %-60s %10s %12s  %s\n", "rank", "modelId", m == Method::knn ? "distance" : "score", "downloads",
              "shared");
  int rank = 1;
  for (const auto& r : recs) {
    std::string shared;
    for (size_t k = 0; k < r.shared.size() && k < 6; ++k) shared += (k ? ", " : "") + r.shared[k];
    std::printf("%4d  %-60s %10.6f %12lld  %s\n", rank++, printable(c.id(r.row)).c_str(),
                m == Method::knn ? r.distance : r.score, static_cast<long long>(c.downloads[r.row]),
                printable(shared).c_str());
  }
}

}  // namespace

int cmd_recommend(const Args& in) {
  Args a = in;
  Method method = Method::cosine;
  if (!a.has("--method")) a.errors.push_back("--method is required (jaccard, cosine, tfidf, knn, kmeans, hybrid)");
  else if (!parse_method(a.get("--method"), method))
    a.errors.push_back("unknown method '" + a.get("--method") + "' (jaccard, cosine, tfidf, knn, kmeans, hybrid)");
  long long k = 10, kk = 10;
  if (a.has("-k")) a.opts.emplace("--k", a.get("-k"));
  a.get_int("--k", k, 1, cli_max(Param::k));
  a.get_int("--kmeans-k", kk, 1, 1000);
  std::string format = a.get("--format", "jsonl");
  if (format != "jsonl" && format != "table")
    a.errors.push_back("--format must be jsonl or table, got '" + format + "'");
  std::vector<std::string> queries = a.all("--model");
  bool adhoc = a.has("--adhoc");
  if (a.has("--queries")) {
    std::ifstream qf(a.get("--queries"));
    if (!qf) a.errors.push_back("--queries: cannot open '" + excerpt(a.get("--queries")) + "'");
    // Bounded: a line of at most kMaxLine bytes, at most kMaxQueries lines (/dev/zero is refused,
    // not read until memory runs out).
    constexpr size_t kMaxLine = 64 * 1024, kMaxQueries = 1'000'000;
    std::string line;
    size_t line_no = 1;
    auto take = [&] {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty()) queries.push_back(std::move(line));
      line.clear();
    };
    for (char ch; qf && a.errors.empty() && qf.get(ch);) {
      if (ch == '\n') {
        take();
        if (queries.size() > kMaxQueries)
          a.errors.push_back("--queries: more than " + std::to_string(kMaxQueries) + " queries");
        ++line_no;
      } else if (line.size() < kMaxLine) {
        line += ch;
      } else {
        a.errors.push_back("--queries: line " + std::to_string(line_no) + " is longer than " +
                           std::to_string(kMaxLine) + " bytes");
      }
    }
    if (a.errors.empty()) take();
  }
  if (queries.empty() && !adhoc && a.errors.empty()) a.errors.push_back("give --model ID, --queries FILE or --adhoc");
  if (!check(a, "recommend")) return kExitUsage;
  auto loaded = load_catalogue_file(a.get("--catalogue"));
  if (!loaded.ok()) {
    std::fprintf(stderr, "hfrec recommend: %s\n", loaded.error().c_str());
    return kExitUsage;
  }
  // The soup only if the method needs it (cosine, tfidf; an ad-hoc query's words): hybrid and the
  // attribute methods never read it.
  Index idx(build_index_parts(std::move(loaded).value(), IndexBuilder::SoupWhen::later));
  const Lineage lin(idx.catalogue());
  if (method == Method::hybrid) idx.adopt_hybrid(HybridModel(idx.catalogue(), {}, &lin));  // one model tree, not two
  RecommendParams p;
  p.method = method;
  p.k = static_cast<size_t>(k);
  p.kmeans_k = static_cast<int>(kk);
  p.filters.tasks = a.all("--task");
  p.filters.libraries = a.all("--library");
  p.filters.model_types = a.all("--model-type");
  int status = 0;
  auto emit = [&](const std::string& label, uint32_t query_row, const Result<std::vector<Recommendation>>& r) {
    if (!r.ok()) {
      status = kExitQueryFailed;
      if (format == "jsonl")
        std::cout << json_line(nlohmann::json{{"query", excerpt(label)}, {"error", r.error()}}) << "\n";
      else std::printf("# %s — error: %s\n", printable(excerpt(label)).c_str(), printable(r.error()).c_str());
      return;
    }
    if (format == "table") {
      print_table(idx, label, method, r.value());
      return;
    }
    nlohmann::json o;
    o["query"] = label;
    o["method"] = method_name(method);
    o["k"] = k;
    o["results"] = result_json(idx, lin, method, query_row, r.value());
    std::cout << json_line(o) << "\n";
  };
  if (adhoc) {
    AdhocQuery q;
    q.pipeline_tag = a.get("--task");
    q.library_name = a.get("--library");
    q.model_type = a.get("--model-type");
    q.text = a.get("--text");
    RecommendParams pa = p;
    pa.filters = Filters{};
    // A task, library or model type no model has is an error naming it, not unrelated results.
    const Catalogue& c = idx.catalogue();
    std::string unknown;
    for (auto [opt, value, column, what] : {std::tuple{"--task", &q.pipeline_tag, &c.pipeline_tag, "task"},
                                            std::tuple{"--library", &q.library_name, &c.library_name, "library"},
                                            std::tuple{"--model-type", &q.model_type, &c.model_type, "model type"}}) {
      if (value->empty() || !unknown.empty()) continue;
      const uint32_t id = c.pool.find(*value);
      if (id == kMissing || std::find(column->begin(), column->end(), id) == column->end())
        unknown = std::string(opt) + " '" + excerpt(*value, 60) + "': no model in the catalogue has this " + what;
    }
    emit("adhoc", kMissing,
         unknown.empty() ? idx.recommend_adhoc(q, pa) : Result<std::vector<Recommendation>>(Error{unknown}));
  }
  for (const auto& q : queries) emit(q, idx.catalogue().find(q), idx.recommend(q, p));
  std::cout.flush();
  return status;
}

int cmd_stats(const Args& in) {
  Args a = in;
  if (!check(a, "stats")) return kExitUsage;
  auto t0 = Clock::now();
  auto loaded = load_catalogue_file(a.get("--catalogue"));
  if (!loaded.ok()) {
    std::fprintf(stderr, "hfrec stats: %s\n", loaded.error().c_str());
    return kExitUsage;
  }
  double load_ms = ms_since(t0);
  auto t1 = Clock::now();
  Index idx(std::move(loaded).value());
  double index_ms = ms_since(t1);
  const Catalogue& c = idx.catalogue();
  const Lineage lin(c);
  nlohmann::json o;
  o["catalogue"] = c.name;
  o["format"] = c.report.format;
  o["rows"] = c.size();
  o["columns"] = c.report.columns;
  o["duplicates_dropped"] = c.report.duplicates_dropped;
  o["warnings"] = c.report.warnings;
  o["attributes"] = {{"categories", idx.attributes().names.size()},
                     {"distinct_rows", idx.attributes().groups.size()},
                     {"nnz", idx.attributes().groups.expanded_nnz()}};
  o["soup"] = {{"vocabulary", idx.soup().terms.size()},
               {"distinct_rows", idx.soup().groups.size()},
               {"nnz", idx.soup().groups.expanded_nnz()}};
  // Base models from cards and base_model tags (core/lineage.h).
  o["lineage"] = {{"rows_with_parents", lin.rows_with_parents()},
                  {"links", lin.links()},
                  {"links_in_catalogue", lin.links_in_catalogue()},
                  {"rows_with_children", lin.rows_with_children()}};
  o["load_ms"] = load_ms;
  o["index_ms"] = index_ms;
  o["peak_memory_bytes"] = peak_rss_bytes();
  std::cout << json_line(o, 2) << "\n";
  return 0;
}

}  // namespace hfrec::cli
