// The same work, timed the same way, natively and as WebAssembly (issues 3 and 5: "WASM within
// 1.5x / 2x of native for the same work"). It runs what the app does when a catalogue is dropped
// (the sliced loader, the sliced index builder, the search index) and then the same queries per
// method, with no frames, no JavaScript and no UI, so the two builds do identical work.
//
//   hfrec_samework CATALOGUE [--queries N] [--repeat R] [--load-only] [--layout F]
//   node --no-experimental-fetch hfrec_samework.js CATALOGUE ...   (the WebAssembly build)
//
// Prints one JSON object: rows, build ("native" or "wasm"), milliseconds per stage (best of R
// runs after an untimed first load, whose whole time is cold_load_ms) and per method the mean over
// N queries (rows spread evenly over the catalogue). --layout F (attributes, soup, tfidf, hybrid)
// then lays out F's UMAP map as the app's map job does (6 ms slices), once cold and `repeat` times
// warm: its stages' milliseconds (the neighbours, the rest) and the map's preservation.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/catalogue.h"
#include "core/index_builder.h"
#include "core/layout.h"
#include "core/memory.h"
#include "core/recommender.h"
#include "core/search.h"

using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

int usage(const char* msg) {
  std::fprintf(
      stderr,
      "hfrec_samework: %s\nusage: hfrec_samework CATALOGUE [--queries N] [--repeat R] [--load-only] [--layout F]\n",
      msg);
  return 2;
}

// The stages as the app runs them: a slice at a time from a function entered again and again (its
// frame loop), never inlined into main. Gotcha: V8 cannot swap optimised code into a WebAssembly
// function that is already running (no on-stack replacement), so loops inlined into main, which is
// entered once, would stay in the baseline tier for good; Emscripten's optimiser inlines any
// function with one call site. Calls through these pointers cannot be inlined.
bool load_slice(hfrec::CatalogueLoader& loader) { return loader.step(2000); }
bool index_slice(hfrec::IndexBuilder& builder) { return builder.step(14.0); }
bool search_slice(hfrec::SearchIndexBuilder& builder) { return builder.step(hfrec::SliceTimer(14.0)); }
bool (*volatile load_step)(hfrec::CatalogueLoader&) = load_slice;
bool (*volatile index_step)(hfrec::IndexBuilder&) = index_slice;
bool (*volatile search_step)(hfrec::SearchIndexBuilder&) = search_slice;
bool layout_slice(hfrec::LayoutRun& run) { return run.step(hfrec::SliceTimer(6.0)); }
bool (*volatile layout_step)(hfrec::LayoutRun&) = layout_slice;

// A stage's name without its counts: "layout: epoch 12/200" -> "layout: epoch".
std::string stage_kind(std::string s) {
  while (!s.empty() && (std::isdigit(static_cast<unsigned char>(s.back())) || s.back() == '/' || s.back() == ' '))
    s.pop_back();
  return s;
}

// One UMAP map of `space` in slices: {neighbours_ms, rest_ms, total_ms, preservation, stage_ms}
// (stage_ms: each stage's time, a slice charged to the stage it began in).
nlohmann::json time_layout(const hfrec::Index& index, hfrec::MapSpace space) {
  auto t0 = Clock::now();
  const hfrec::SimilaritySpace sim = hfrec::make_similarity_space(index, space);
  const double space_ms = ms_since(t0);
  t0 = Clock::now();
  hfrec::LayoutRun run(sim);
  double neighbours_ms = -1;
  nlohmann::json stages = nlohmann::json::object();
  for (;;) {
    const std::string stage = stage_kind(run.stage());
    const auto s0 = Clock::now();
    const bool done = layout_step(run);
    stages[stage] = stages.value(stage, 0.0) + ms_since(s0);
    if (done) break;
    if (neighbours_ms < 0 && run.stage() != "layout: neighbours") neighbours_ms = ms_since(t0);
  }
  const double total_ms = ms_since(t0);
  const hfrec::Projection map = run.take();
  return {{"space_ms", space_ms},
          {"neighbours_ms", neighbours_ms},
          {"rest_ms", total_ms - neighbours_ms},
          {"total_ms", total_ms},
          {"stage_ms", stages},
          {"preservation", hfrec::preservation(sim, run.graph(), map.xy)}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage("no catalogue given");
  std::string file = argv[1];
  int queries = 200, repeat = 3;
  bool load_only = false;
  std::string layout;
  for (int i = 2; i < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--load-only") {
      load_only = true;
      --i;
    } else if (i + 1 >= argc) return usage(("missing value after " + a).c_str());
    else if (a == "--queries") queries = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--layout") layout = argv[i + 1];
    else return usage(("unknown option " + a).c_str());
  }
  std::string bytes;
  {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (!f) return usage(("cannot read " + file).c_str());
    // Natively, the heap the CLI indexes in (core/memory.h); nothing under WebAssembly.
    if (std::fseek(f, 0, SEEK_END) == 0) {
      const long size = std::ftell(f);
      if (size > 0) hfrec::prepare_heap_for_file(static_cast<uint64_t>(size));
      std::rewind(f);
    }
    char buf[1 << 16];
    for (size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;) bytes.append(buf, got);
    std::fclose(f);
  }

  // Load 0 is the cold one, reported apart: V8 first runs WebAssembly in its baseline tier and
  // compiles the optimised code in the background, so a first load is partly unoptimised. The
  // stages are the best of the `repeat` loads after it (natively the cold load only warms caches).
  double best_load = 1e300, best_index = 1e300, best_search = 1e300, cold_total = 0;
  nlohmann::json cold_stages;
  std::unique_ptr<hfrec::Index> index;
  std::unique_ptr<hfrec::SearchIndex> search;
  for (int r = 0; r <= repeat; ++r) {
    index.reset();
    search.reset();
    auto t0 = Clock::now();
    hfrec::CatalogueLoader loader(bytes, file);  // the app hands over its copy of the file
    while (!load_step(loader)) {}
    auto cat = loader.take();
    if (!cat.ok()) return usage(cat.error().c_str());
    const double load_ms = ms_since(t0);
    t0 = Clock::now();
    hfrec::IndexBuilder builder(std::move(cat).value());
    while (!index_step(builder)) {}
    auto built = builder.take();
    if (!built.ok()) return usage(built.error().c_str());
    index = std::move(built).value();
    const double index_ms = ms_since(t0);
    t0 = Clock::now();
    hfrec::SearchIndexBuilder search_builder(index->catalogue());
    while (!search_step(search_builder)) {}
    search = std::make_unique<hfrec::SearchIndex>(search_builder.take());
    const double search_ms = ms_since(t0);
    if (r == 0) {
      cold_total = load_ms + index_ms + search_ms;
      cold_stages = {{"load_ms", load_ms}, {"index_ms", index_ms}, {"search_index_ms", search_ms}};
      continue;
    }
    best_load = std::min(best_load, load_ms);
    best_index = std::min(best_index, index_ms);
    best_search = std::min(best_search, search_ms);
  }

  const auto& c = index->catalogue();
  const size_t n = c.size();
  nlohmann::json out = {{"build",
#ifdef __EMSCRIPTEN__
                         "wasm"
#else
                         "native"
#endif
                        },
                        {"rows", n},
                        {"queries", queries},
                        {"load_ms", best_load},
                        {"index_ms", best_index},
                        {"search_index_ms", best_search},
                        {"cold_load_ms", cold_total},  // the first load: parse + index + search index
                        {"cold", cold_stages}};
  if (!layout.empty()) {
    hfrec::MapSpace space;
    if (!hfrec::parse_map_space(layout, space)) return usage(("unknown --layout " + layout).c_str());
    nlohmann::json runs = nlohmann::json::array();
    for (int r = 0; r <= repeat; ++r) runs.push_back(time_layout(*index, space));  // runs[0]: cold
    out["layout"] = {{"features", layout}, {"cold", runs[0]}, {"warm", nlohmann::json(runs.begin() + 1, runs.end())}};
  }
  if (load_only || !layout.empty()) {
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  nlohmann::json methods = nlohmann::json::object();
  size_t checksum = 0;
  const hfrec::Method all[] = {hfrec::Method::jaccard, hfrec::Method::cosine, hfrec::Method::tfidf,
                               hfrec::Method::knn,     hfrec::Method::kmeans, hfrec::Method::hybrid};
  // Untimed first: kmeans clusters and hybrid builds its model on first use, and a JIT (V8 for the
  // WebAssembly build) has compiled every method's code at full optimisation before any is timed.
  for (auto m : all) {
    hfrec::RecommendParams p;
    p.method = m;
    for (int q = 0; q < 50; ++q) {
      auto warm = index->recommend(c.id(static_cast<uint32_t>((static_cast<uint64_t>(q) * 7919u) % n)), p);
      if (!warm.ok()) return usage(warm.error().c_str());
    }
  }
  for (auto m : all) {
    hfrec::RecommendParams p;
    p.method = m;
    p.k = 10;
    auto t0 = Clock::now();
    for (int q = 0; q < queries; ++q) {
      const auto row = static_cast<uint32_t>((static_cast<uint64_t>(q) * 7919u * 104729u + q) % n);
      auto r = index->recommend(c.id(row), p);
      if (r.ok() && !r.value().empty()) checksum += r.value()[0].row;
    }
    methods[std::string(hfrec::method_name(m))] = ms_since(t0) / queries;
  }
  out["recommend_ms"] = methods;
  // Type-ahead: the prefixes of a few ids, as typed; typed once untimed first, like the methods.
  for (int pass = 0; pass < 2; ++pass) {
    auto t0 = Clock::now();
    int calls = 0;
    for (int q = 0; q < 40; ++q) {
      std::string id(c.id(static_cast<uint32_t>((static_cast<uint64_t>(q) * 104729u) % n)));
      for (size_t len = 1; len <= std::min<size_t>(id.size(), 12); ++len, ++calls) {
        const size_t count = search->search(std::string_view(id).substr(0, len)).count;
        if (pass == 1) checksum += count;
      }
    }
    out["search_ms"] = ms_since(t0) / calls;
  }
  out["checksum"] = checksum;  // the same in both builds, and keeps the work from being optimised away
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
