// Native benchmarks of the core at 10k / 100k / 1M rows: parse, index, load+index, one
// recommendation per method, did-you-mean suggestions, clustering (k-means; Ward, DBSCAN and
// silhouette once their headers exist), 2-D maps (layout/umap, layout/pca), and the slices the app's jobs run in
// (indexing, clustering: the longest step of an 8 ms budget, the timing the unit tests leave to this file). Catalogues:
// the real 10k dump ("real10k") and synthetic ones scaled from it (tests/bench/catalogue_gen.h), generated once and
// cached under /tmp/hfrec-bench.
//
//   hfrec_bench --benchmark_filter='/(real10k|10k|100k)$'    # skip 1M (about a minute to set up)
//   HFREC_BENCH_SIZES=10k,100k hfrec_bench                   # register only these sizes
#include <benchmark/benchmark.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catalogue_gen.h"
#include "core/catalogue.h"
#include "core/clustering.h"
#include "core/hybrid.h"
#include "core/index_builder.h"
#include "core/kmeans.h"
#include "core/layout.h"
#include "core/lineage.h"
#include "core/nn_descent.h"
#include "core/recommender.h"
#include "core/search.h"
#include "core/suggest.h"
#if __has_include("core/ward.h")
#include "core/ward.h"
#define HFREC_BENCH_WARD 1
#endif
#if __has_include("core/dbscan.h")
#include "core/dbscan.h"
#define HFREC_BENCH_DBSCAN 1
#endif
#if __has_include("core/cluster_metrics.h")
#include "core/cluster_metrics.h"
#define HFREC_BENCH_SILHOUETTE 1
#endif

namespace {

struct Size {
  const char* label;
  size_t rows;  // 0: the real catalogue
};
constexpr Size kSizes[] = {{"real10k", 0}, {"10k", 10'000}, {"100k", 100'000}, {"1M", 1'000'000}};

std::string source_csv() { return std::string(HFREC_SHARED_DATA) + "/hf_models_10k.csv"; }

// Catalogue text per size, read once (generated and cached under /tmp on first use).
const std::string* catalogue_text(const Size& s, std::string& error) {
  static std::map<size_t, std::string> texts;
  auto it = texts.find(s.rows);
  if (it != texts.end()) return &it->second;
  std::string path = source_csv();
  if (s.rows) {
    path = hfrec::bench::cached_catalogue(source_csv(), s.rows, 1, hfrec::bench::GenFormat::csv, error);
    if (path.empty()) return nullptr;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open (set HFREC_SHARED_DATA)";
    return nullptr;
  }
  return &texts.emplace(s.rows, std::string(std::istreambuf_iterator<char>(in), {})).first->second;
}

// The index per size, built once and kept for the query benchmarks.
const hfrec::Index* index_for(const Size& s, std::string& error) {
  static std::map<size_t, std::unique_ptr<hfrec::Index>> indexes;
  auto it = indexes.find(s.rows);
  if (it != indexes.end()) return it->second.get();
  const std::string* text = catalogue_text(s, error);
  if (!text) return nullptr;
  auto cat = hfrec::load_catalogue(*text, s.label);
  if (!cat.ok()) {
    error = cat.error();
    return nullptr;
  }
  return indexes.emplace(s.rows, std::make_unique<hfrec::Index>(std::move(cat).value())).first->second.get();
}

// Deterministic query rows spread over the catalogue (popular and obscure models alike).
std::vector<uint32_t> query_rows(size_t n) {
  std::vector<uint32_t> rows;
  for (uint64_t i = 0; i < 64; ++i) rows.push_back(static_cast<uint32_t>((i * 2654435761ull + 1) % n));
  return rows;
}

void set_rows(benchmark::State& state, size_t rows) {
  state.counters["rows"] = static_cast<double>(rows);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
}

void BM_Parse(benchmark::State& state, Size s) {
  std::string error;
  const std::string* text = catalogue_text(s, error);
  if (!text) return state.SkipWithError(error.c_str());
  size_t rows = 0;
  for (auto _ : state) {
    auto cat = hfrec::load_catalogue(*text, s.label);
    if (!cat.ok()) return state.SkipWithError(cat.error().c_str());
    rows = cat.value().size();
    benchmark::DoNotOptimize(rows);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text->size()));
  set_rows(state, rows);
}

// Hub list-models JSON of a generated size (the same rows as the CSV of that size), read whole:
// `fmt` hub_json (only the fields hfrec reads) or hub_json_real (the shape of a real response:
// siblings, safetensors, model-index, chat templates with escapes); `fast` false forces every
// object through nlohmann's DOM (LoadLimits::json_fast_path), so both paths run side by side.
void BM_ParseHubJson(benchmark::State& state, Size s, hfrec::bench::GenFormat fmt, bool fast) {
  static std::map<std::pair<size_t, int>, std::string> texts;
  std::string error;
  auto it = texts.find({s.rows, static_cast<int>(fmt)});
  if (it == texts.end()) {
    const std::string path = hfrec::bench::cached_catalogue(source_csv(), s.rows, 1, fmt, error);
    if (path.empty()) return state.SkipWithError(error.c_str());
    std::ifstream in(path, std::ios::binary);
    if (!in) return state.SkipWithError((path + ": cannot open").c_str());
    it = texts.emplace(std::pair{s.rows, static_cast<int>(fmt)}, std::string(std::istreambuf_iterator<char>(in), {}))
             .first;
  }
  const std::string& text = it->second;
  hfrec::LoadLimits limits;
  limits.json_fast_path = fast;
  size_t rows = 0;
  for (auto _ : state) {
    auto cat = hfrec::load_hub_json(text, s.label, limits);
    if (!cat.ok()) return state.SkipWithError(cat.error().c_str());
    rows = cat.value().size();
    benchmark::DoNotOptimize(rows);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
  set_rows(state, rows);
}

// Index construction only (feature spaces, collapsing, inverted indexes); parse and destruction untimed.
void BM_Index(benchmark::State& state, Size s) {
  std::string error;
  const std::string* text = catalogue_text(s, error);
  if (!text) return state.SkipWithError(error.c_str());
  size_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto cat = hfrec::load_catalogue(*text, s.label);
    if (!cat.ok()) return state.SkipWithError(cat.error().c_str());
    state.ResumeTiming();
    auto idx = std::make_unique<hfrec::Index>(std::move(cat).value());
    rows = idx->catalogue().size();
    state.PauseTiming();
    idx.reset();
    state.ResumeTiming();
  }
  set_rows(state, rows);
}

// The target figure: CSV text in memory to an index ready for queries.
void BM_LoadAndIndex(benchmark::State& state, Size s) {
  std::string error;
  const std::string* text = catalogue_text(s, error);
  if (!text) return state.SkipWithError(error.c_str());
  size_t rows = 0;
  for (auto _ : state) {
    auto cat = hfrec::load_catalogue(*text, s.label);
    if (!cat.ok()) return state.SkipWithError(cat.error().c_str());
    auto idx = std::make_unique<hfrec::Index>(std::move(cat).value());
    rows = idx->catalogue().size();
    state.PauseTiming();
    idx.reset();
    state.ResumeTiming();
  }
  set_rows(state, rows);
}

// One top-10 recommendation for a catalogue model, cycling over 64 query rows.
void BM_Recommend(benchmark::State& state, Size s, hfrec::Method m) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  const auto rows = query_rows(idx->catalogue().size());
  hfrec::RecommendParams p;
  p.method = m;
  p.k = 10;
  // Method::kmeans clusters once per k and caches it: warm it so only the query is timed.
  if (!idx->recommend_row(rows[0], p).ok()) return state.SkipWithError("recommend failed");
  size_t i = 0;
  for (auto _ : state) {
    auto r = idx->recommend_row(rows[i++ % rows.size()], p);
    benchmark::DoNotOptimize(r);
  }
  state.counters["rows"] = static_cast<double>(idx->catalogue().size());
}

// The did-you-mean for a text that is no id: `typo` swaps two letters of a catalogue id (cycling
// over 64), `none` is near nothing. One pass over the ids each (core/suggest.h).
void BM_Suggest(benchmark::State& state, Size s, bool typo) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  const hfrec::Catalogue& cat = idx->catalogue();
  std::vector<std::string> texts;
  for (uint32_t row : query_rows(cat.size())) {
    std::string t(cat.id(row));
    if (typo && t.size() > 3) std::swap(t[t.size() / 2], t[t.size() / 2 + 1]);
    texts.push_back(typo ? t : "qxqxqxqxqxqxqxqxqxqxqx" + std::to_string(row));
  }
  size_t i = 0;
  for (auto _ : state) {
    auto r = hfrec::suggest_model(cat, texts[i++ % texts.size()]);
    benchmark::DoNotOptimize(r);
  }
  set_rows(state, cat.size());
}

// Weights of the attribute groups (identical one-hot rows collapsed), for the clustering benchmarks.
std::vector<double> group_weights(const hfrec::Groups& g) {
  std::vector<double> w(g.size());
  for (uint32_t i = 0; i < g.size(); ++i) w[i] = g.weight(i);
  return w;
}

// k-means on the attribute one-hot (the kmeans method's clustering), distinct rows weighted;
// refine = false is scikit-learn's Lloyd alone, beside it for the refinement's cost.
void BM_KMeans(benchmark::State& state, Size s, int k, bool refine) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  const auto& g = idx->attributes().groups;
  const auto w = group_weights(g);
  hfrec::KMeansParams p;
  p.k = k;
  p.refine = refine;
  double inertia = 0;
  int iterations = 0;
  for (auto _ : state) {
    auto r = hfrec::kmeans(g.rows, w, p);
    inertia = r.inertia;
    iterations = r.iterations;
    benchmark::DoNotOptimize(r);
  }
  state.counters["rows"] = static_cast<double>(idx->catalogue().size());
  state.counters["points"] = static_cast<double>(g.size());
  state.counters["inertia"] = inertia;
  state.counters["iterations"] = iterations;
}

#ifdef HFREC_BENCH_WARD
// Ward's full dendrogram on the attribute one-hot (distinct rows weighted).
void BM_Ward(benchmark::State& state, Size s) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  const auto& g = idx->attributes().groups;
  const auto w = group_weights(g);
  for (auto _ : state) {
    auto d = hfrec::ward(g.rows, w);
    benchmark::DoNotOptimize(d);
  }
  state.counters["rows"] = static_cast<double>(idx->catalogue().size());
  state.counters["points"] = static_cast<double>(g.size());
}
#endif

#ifdef HFREC_BENCH_DBSCAN
// DBSCAN (cosine, eps 0.5, min_samples 5: scikit-learn's defaults but the metric) on the attribute one-hot.
void BM_Dbscan(benchmark::State& state, Size s) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  const auto& g = idx->attributes().groups;
  const auto w = group_weights(g);
  hfrec::DbscanParams p;
  p.metric = hfrec::DbscanMetric::cosine;
  for (auto _ : state) {
    auto labels = hfrec::dbscan(g.rows, w, p);
    benchmark::DoNotOptimize(labels);
  }
  state.counters["rows"] = static_cast<double>(idx->catalogue().size());
  state.counters["points"] = static_cast<double>(g.size());
}
#endif

#ifdef HFREC_BENCH_SILHOUETTE
// Exact silhouette of the k-means (k=10) labels on the attribute one-hot, over (row, label) points.
void BM_Silhouette(benchmark::State& state, Size s) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  const auto& g = idx->attributes().groups;
  hfrec::KMeansParams kp;
  kp.k = 10;
  const auto km = hfrec::kmeans(g.rows, group_weights(g), kp);
  std::vector<int32_t> row_labels(idx->catalogue().size());
  for (size_t r = 0; r < row_labels.size(); ++r) row_labels[r] = static_cast<int32_t>(km.labels[g.group_of[r]]);
  const auto points = hfrec::labelled_points(g, g.rows, row_labels);
  double value = 0;
  for (auto _ : state) {
    value = hfrec::silhouette(points);
    benchmark::DoNotOptimize(value);
  }
  state.counters["rows"] = static_cast<double>(idx->catalogue().size());
  state.counters["points"] = static_cast<double>(points.size());
  state.counters["silhouette"] = value;
}
#endif

// --- job slices ----------------------------------------------------------------------------------

constexpr double kSliceBudgetMs = 8;  // the app asks for about this much work between frames

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Runs a job to the end in kSliceBudgetMs steps; its longest step (wall and this thread's CPU time:
// on a loaded machine wall time includes preemption) and its step count go into the counters.
template <class Stepped>
void run_in_slices(benchmark::State& state, Stepped& job, double budget_ms = kSliceBudgetMs) {
  double worst_wall = 0, worst_cpu = 0, sum_wall = 0;
  size_t steps = 0;
  std::string worst_stage;  // the stage(s) of the longest step (CPU), when the job names them
  for (bool done = false; !done; ++steps) {
    std::string stage;
    if constexpr (requires { job.stage(); }) stage = job.stage();
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = thread_cpu_ms();
    done = job.step(hfrec::SliceTimer(budget_ms));
    const double wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = thread_cpu_ms() - c0;
    worst_wall = std::max(worst_wall, wall);
    if (cpu > worst_cpu) {
      worst_cpu = cpu;
      if constexpr (requires { job.stage(); })
        if (!done && stage != job.stage()) stage += std::string(" .. ") + job.stage();
      worst_stage = std::move(stage);
    }
    sum_wall += wall;
  }
  if (!worst_stage.empty()) state.SetLabel("longest step in: " + worst_stage);
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["max_step_ms"] = worst_wall;
  state.counters["max_step_cpu_ms"] = worst_cpu;
  state.counters["mean_step_ms"] = sum_wall / static_cast<double>(steps);
}

// IndexBuilder (what a browser tab runs after a load) in 8 ms slices; the catalogue is parsed untimed.
void BM_IndexSlices(benchmark::State& state, Size s) {
  std::string error;
  const std::string* text = catalogue_text(s, error);
  if (!text) return state.SkipWithError(error.c_str());
  for (auto _ : state) {
    state.PauseTiming();
    auto cat = hfrec::load_catalogue(*text, s.label);
    if (!cat.ok()) return state.SkipWithError(cat.error().c_str());
    state.counters["rows"] = static_cast<double>(cat.value().size());
    hfrec::IndexBuilder b(std::move(cat).value());
    state.ResumeTiming();
    run_in_slices(state, b);
    state.PauseTiming();
    if (!b.take().ok()) return state.SkipWithError("index build failed");
    state.ResumeTiming();
  }
}

// The hybrid model as the app builds it after a load (HybridBuilder, given the catalogue's
// lineage as the app does) in 8 ms slices; the index and the lineage are built untimed.
void BM_HybridSlices(benchmark::State& state, Size s) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  const hfrec::Lineage lineage(idx->catalogue());
  for (auto _ : state) {
    hfrec::HybridBuilder b(idx->catalogue(), hfrec::HybridParams{}, &lineage);
    run_in_slices(state, b);
    state.PauseTiming();
    const hfrec::HybridModel m = b.take();
    if (!m.error().empty()) return state.SkipWithError(m.error().c_str());
    state.ResumeTiming();
  }
}

// SearchIndexBuilder (the last part of a tab's load) in 8 ms slices.
void BM_SearchSlices(benchmark::State& state, Size s) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  for (auto _ : state) {
    hfrec::SearchIndexBuilder b(idx->catalogue());
    run_in_slices(state, b);
    state.PauseTiming();
    const hfrec::SearchIndex si = b.take();
    if (si.size() != idx->catalogue().size()) return state.SkipWithError("the search index lacks rows");
    state.ResumeTiming();
  }
}

// LineageBuilder (the load's very last part) in 8 ms slices.
void BM_LineageSlices(benchmark::State& state, Size s) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  for (auto _ : state) {
    hfrec::LineageBuilder b(idx->catalogue());
    run_in_slices(state, b);
    state.PauseTiming();
    const hfrec::Lineage l = b.take();
    if (l.rows() != idx->catalogue().size()) return state.SkipWithError("the lineage lacks rows");
    state.ResumeTiming();
  }
}

// A clustering request (the app's, with quality metrics and the map) in 8 ms slices.
void BM_ClusterSlices(benchmark::State& state, Size s, hfrec::ClusterRequest req) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  for (auto _ : state) {
    auto job = hfrec::start_cluster(*idx, req);
    if (!job.ok()) return state.SkipWithError(job.error().c_str());
    run_in_slices(state, *job.value());
    auto r = job.value()->take();
    if (!r.ok()) return state.SkipWithError(r.error().c_str());
    state.counters["clusters"] = static_cast<double>(r.value().sizes.size());
  }
  state.counters["rows"] = static_cast<double>(idx->catalogue().size());
  // What the app's auto-start rule thought it would take (core's estimate_cluster_seconds), beside
  // the measured time: its calibration.
  state.counters["estimate_s"] = hfrec::estimate_cluster_seconds(*idx, req);
}

// A 2-D map of a feature space: UMAP over the kNN graph (core/layout.h; the graph is part of
// the time) or PCA (core/projection.h; tfidf and hybrid on their unit rows). Counters: the
// distinct points, the map's 10-NN preservation (computed after the timing) and the kNN graph's
// share of the UMAP time.
void BM_Layout(benchmark::State& state, Size s, hfrec::MapSpace space, bool umap) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  const hfrec::SimilaritySpace sp = hfrec::make_similarity_space(*idx, space);
  const bool raw = space == hfrec::MapSpace::attributes || space == hfrec::MapSpace::soup;
  const hfrec::CsrMatrix unit = raw ? hfrec::CsrMatrix{} : hfrec::unit_rows(sp);
  hfrec::Projection map;
  hfrec::KnnGraph graph;
  double knn_s = 0;
  for (auto _ : state) {
    if (umap) {
      hfrec::LayoutRun run(sp, hfrec::LayoutParams{});
      const auto t0 = std::chrono::steady_clock::now();
      while (run.stage() == "layout: neighbours" && !run.step(hfrec::SliceTimer(8))) {}
      knn_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      while (!run.step(hfrec::SliceTimer(1e9))) {}
      map = run.take();
      graph = run.graph();
    } else {
      map = hfrec::project(*sp.groups, raw ? sp.matrix() : unit);
    }
    benchmark::DoNotOptimize(map);
  }
  if (!umap) graph = hfrec::knn_graph(sp, 10);
  state.counters["rows"] = static_cast<double>(idx->catalogue().size());
  state.counters["points"] = static_cast<double>(sp.size());
  state.counters["preservation"] = hfrec::preservation(sp, graph, map.xy, 10);
  if (umap) state.counters["knn_s"] = knn_s;
  if (umap) state.counters["approximate"] = graph.approximate ? 1 : 0;
}

// The app's UMAP layout job (wasm/app/cluster_controller.cpp) in the app's 6 ms slices: the
// feature space built in slices (SimilaritySpaceBuilder; hybrid's model built beforehand, untimed,
// as the app's load builds it in slices of its own), then LayoutRun's steps.
struct LayoutSliced {
  hfrec::SimilaritySpaceBuilder builder;
  hfrec::SimilaritySpace space;
  std::unique_ptr<hfrec::LayoutRun> run;
  LayoutSliced(const hfrec::Index& idx, hfrec::MapSpace sp) : builder(idx, sp) {}
  bool step(const hfrec::SliceTimer& t) {
    if (run) return run->step(t);
    if (builder.step(t)) {
      space = builder.take();
      run = std::make_unique<hfrec::LayoutRun>(space, hfrec::LayoutParams{});
    }
    return false;
  }
  std::string stage() const { return run ? run->stage() : builder.stage(); }
};

void BM_LayoutSlices(benchmark::State& state, Size s, hfrec::MapSpace space) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  if (space == hfrec::MapSpace::hybrid) idx->hybrid();
  for (auto _ : state) {
    LayoutSliced job(*idx, space);
    run_in_slices(state, job, 6);
    benchmark::DoNotOptimize(job.run->take());
  }
  // What the app's rule for links (core's estimate_layout_seconds) expected: its calibration.
  state.counters["estimate_s"] = hfrec::estimate_layout_seconds(*idx, space);
}

// The kNN graph alone: exact (core/knn_graph.h) or NN-descent (core/nn_descent.h), k = 15 (the
// layout's). Counters: the groups, which graph, and for NN-descent its iterations, pairs scored and recall@10 against
// brute force (every group scored by SimilaritySpace::similarity) for 300 sampled groups, computed after the timing;
// ties with the exact 10th count, as tests/nn_descent_test.cpp.
void BM_KnnGraph(benchmark::State& state, Size s, hfrec::MapSpace space, bool approximate) {
  std::string error;
  const hfrec::Index* idx = index_for(s, error);
  if (!idx) return state.SkipWithError(error.c_str());
  const hfrec::SimilaritySpace sp = hfrec::make_similarity_space(*idx, space);
  hfrec::KnnGraph graph;
  int iters = 0;
  uint64_t pairs = 0;
  for (auto _ : state) {
    if (approximate) {
      hfrec::NnDescentRun run(sp, 15);
      while (!run.step(hfrec::SliceTimer(1e9))) {}
      iters = run.iterations();
      pairs = run.pairs();
      graph = run.take();
    } else {
      graph = hfrec::knn_graph(sp, 15);
    }
    benchmark::DoNotOptimize(graph);
  }
  state.counters["points"] = static_cast<double>(sp.size());
  state.counters["exact_work"] = static_cast<double>(hfrec::exact_graph_work(sp));
  if (!approximate) return;
  state.counters["iterations"] = iters;
  state.counters["pairs"] = static_cast<double>(pairs);  // scored, each direction of an asymmetric pair once
  const uint32_t G = static_cast<uint32_t>(sp.size());
  double got = 0, want = 0;
  for (uint64_t i = 0; i < 300 && G > 1; ++i) {
    const uint32_t g = static_cast<uint32_t>((i * 2654435761ull + 7) % G);
    std::vector<std::pair<double, uint32_t>> all;
    for (uint32_t x = 0; x < G; ++x)
      if (x != g) all.emplace_back(sp.distance(g, x), x);
    std::sort(all.begin(), all.end());
    uint64_t rows = 0;
    double last = 0;
    for (size_t j = 0; j < all.size() && rows < 10; ++j) {
      rows += sp.groups->weight(all[j].second);
      last = all[j].first;
    }
    uint64_t hit = 0;
    for (uint64_t q = graph.ptr[g]; q < graph.ptr[g + 1]; ++q)
      if (graph.dist[q] <= last) hit += sp.groups->weight(graph.neighbour[q]);
    rows = std::min<uint64_t>(rows, 10);
    want += static_cast<double>(rows);
    got += static_cast<double>(std::min(hit, rows));
  }
  state.counters["recall10"] = want > 0 ? got / want : 1.0;
}

std::vector<Size> selected_sizes() {
  const char* env = std::getenv("HFREC_BENCH_SIZES");
  std::vector<Size> out;
  for (const auto& s : kSizes) {
    if (!env) {
      out.push_back(s);
      continue;
    }
    const std::string list = std::string(",") + env + ",";
    if (list.find(std::string(",") + s.label + ",") != std::string::npos) out.push_back(s);
  }
  return out;
}

// Registers fn(state, args...) as "name" reporting in unit.
template <class... A>
void add(const std::string& name, benchmark::TimeUnit unit, A&&... fn_and_args) {
  benchmark::RegisterBenchmark(name.c_str(), std::forward<A>(fn_and_args)...)->Unit(unit);
}

int register_all() {
  using benchmark::kMicrosecond, benchmark::kMillisecond;
  const auto sizes = selected_sizes();
  for (const auto& s : sizes) {
    const std::string sz = s.label;
    add("parse/" + sz, kMillisecond, BM_Parse, s);
    add("index/" + sz, kMillisecond, BM_Index, s);
    add("load_index/" + sz, kMillisecond, BM_LoadAndIndex, s);
  }
  // Hub JSON, fast path and DOM side by side (generated sizes; 1M real-shape JSON would be ~3 GB).
  for (const auto& s : sizes) {
    if (s.rows == 0 || s.rows > 100'000) continue;
    using hfrec::bench::GenFormat;
    for (auto [shape, fmt] : {std::pair{"plain", GenFormat::hub_json}, std::pair{"real", GenFormat::hub_json_real}})
      for (bool fast : {true, false})
        add(std::string("parse_json/") + shape + (fast ? "/fast/" : "/dom/") + s.label, kMillisecond, BM_ParseHubJson,
            s, fmt, fast);
  }
  for (const auto& s : sizes)
    for (hfrec::Method m : hfrec::kAllMethods)
      add(std::string("recommend/") + hfrec::method_name(m) + "/" + s.label, kMicrosecond, BM_Recommend, s, m);
  for (const auto& s : sizes) {
    add(std::string("suggest/typo/") + s.label, kMillisecond, BM_Suggest, s, true);
    add(std::string("suggest/none/") + s.label, kMillisecond, BM_Suggest, s, false);
  }
  for (const auto& s : sizes)
    for (int k : {10, 20})
      for (bool refine : {true, false})
        add(std::string(refine ? "kmeans" : "kmeans_lloyd") + "/k" + std::to_string(k) + "/" + s.label, kMillisecond,
            BM_KMeans, s, k, refine);
  for (const auto& s : sizes) {
    [[maybe_unused]] const std::string sz = s.label;
#ifdef HFREC_BENCH_WARD
    add("ward/" + sz, kMillisecond, BM_Ward, s);
#endif
#ifdef HFREC_BENCH_DBSCAN
    add("dbscan/" + sz, kMillisecond, BM_Dbscan, s);
#endif
#ifdef HFREC_BENCH_SILHOUETTE
    add("silhouette/k10/" + sz, kMillisecond, BM_Silhouette, s);
#endif
  }
  for (const auto& s : sizes) {
    if (s.rows != 0 && s.rows != 100'000) continue;  // the real 10k and a generated 100k
    using hfrec::MapSpace;
    for (MapSpace sp : {MapSpace::attributes, MapSpace::soup, MapSpace::tfidf, MapSpace::hybrid}) {
      // At 100k, soup, tf-idf and hybrid take NN-descent's graph (core/knn_graph.h's threshold).
      for (bool umap : {true, false})
        benchmark::RegisterBenchmark(
            (std::string("layout/") + (umap ? "umap/" : "pca/") + hfrec::map_space_name(sp) + "/" + s.label).c_str(),
            BM_Layout, s, sp, umap)
            ->Unit(kMillisecond)
            ->Iterations(1);
    }
  }
  for (const auto& s : sizes) {
    if (s.rows != 0 && s.rows != 100'000) continue;
    using hfrec::MapSpace;
    for (MapSpace sp : {MapSpace::attributes, MapSpace::soup, MapSpace::tfidf, MapSpace::hybrid})
      benchmark::RegisterBenchmark((std::string("slices/layout/") + hfrec::map_space_name(sp) + "/" + s.label).c_str(),
                                   BM_LayoutSlices, s, sp)
          ->Unit(kMillisecond)
          ->Iterations(1);
  }
  for (const auto& s : sizes) {
    if (s.rows != 0 && s.rows != 100'000) continue;
    using hfrec::MapSpace;
    for (MapSpace sp : {MapSpace::soup, MapSpace::tfidf, MapSpace::hybrid})
      for (bool approx : {false, true})
        benchmark::RegisterBenchmark((std::string("knn_graph/") + (approx ? "nn_descent/" : "exact/") +
                                      hfrec::map_space_name(sp) + "/" + s.label)
                                         .c_str(),
                                     BM_KnnGraph, s, sp, approx)
            ->Unit(kMillisecond)
            ->Iterations(1);
  }
  for (const auto& s : sizes) {
    const std::string sz = s.label;
    benchmark::RegisterBenchmark(("slices/index/" + sz).c_str(), BM_IndexSlices, s)->Unit(kMillisecond)->Iterations(1);
    benchmark::RegisterBenchmark(("slices/hybrid/" + sz).c_str(), BM_HybridSlices, s)
        ->Unit(kMillisecond)
        ->Iterations(1);
    benchmark::RegisterBenchmark(("slices/search/" + sz).c_str(), BM_SearchSlices, s)
        ->Unit(kMillisecond)
        ->Iterations(1);
    benchmark::RegisterBenchmark(("slices/lineage/" + sz).c_str(), BM_LineageSlices, s)
        ->Unit(kMillisecond)
        ->Iterations(1);
    if (s.rows > 10'000) continue;  // Ward on tf-idf rows is quadratic in distinct rows
    using hfrec::ClusterAlgo, hfrec::FeatureSpace;
    const std::pair<const char*, hfrec::ClusterRequest> reqs[] = {
        {"kmeans-attributes", {.algo = ClusterAlgo::kmeans, .k = 10}},
        {"ward-attributes", {.algo = ClusterAlgo::ward, .k = 10}},
        {"dbscan-attributes", {.algo = ClusterAlgo::dbscan, .eps = 0.3, .min_samples = 5}},
        {"kmeans-tfidf",
         {.algo = ClusterAlgo::kmeans,
          .features = FeatureSpace::tfidf,
          .k = 10,
          .restarts = 2,
          .silhouette_sample = 2000}},
        {"ward-tfidf", {.algo = ClusterAlgo::ward, .features = FeatureSpace::tfidf, .k = 8}},  // the app's slowest
        // Cuts at a large k: the quality metrics' O(k²) Davies-Bouldin, in slices.
        {"ward-tfidf-k9000", {.algo = ClusterAlgo::ward, .features = FeatureSpace::tfidf, .k = 9000}},
        {"ward-attributes-k1000", {.algo = ClusterAlgo::ward, .k = 1000}},
    };
    for (const auto& [name, req] : reqs)
      benchmark::RegisterBenchmark(("slices/cluster/" + std::string(name) + "/" + sz).c_str(), BM_ClusterSlices, s, req)
          ->Unit(kMillisecond)
          ->Iterations(1);
  }
  return 0;
}

const int registered = register_all();

}  // namespace
