// hfrec_memprobe: the live heap of each structure the app builds for a catalogue, natively (glibc's
// mallinfo2; built for Node too, where the WebAssembly memory's size is printed as well), in the
// app's order: the text and the parse, the feature spaces (peak per stage), the
// search index, the lineage and the hybrid model (issue 18's accounting).
//   build/native-release/tests/bench/hfrec_memprobe CATALOGUE
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include "core/catalogue.h"
#include "core/hybrid.h"
#include "core/index.h"
#include "core/index_builder.h"
#include "core/lineage.h"
#include "core/search.h"

using namespace hfrec;

namespace {

double live_mb() {
#ifdef __EMSCRIPTEN__  // dlmalloc's mallinfo (32-bit counts: fine under wasm32's 4 GB)
  const struct mallinfo m = mallinfo();
  return static_cast<double>(static_cast<unsigned>(m.uordblks)) / 1048576.0;
#else
  const struct mallinfo2 m = mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd) / 1048576.0;
#endif
}

// WebAssembly: the memory's size, which only grows (what a tab keeps); natively 0.
double heap_mb() {
#ifdef __wasm__
  return static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0 / 1048576.0;
#else
  return 0;
#endif
}

// Runs a sliced job to the end, printing the peak live heap of each stage over `base`.
template <class J>
double run_by_stage(J& job, double base) {
  std::string stage;
  double stage_peak = 0, peak = 0;
  auto report = [&] {
    if (!stage.empty()) std::printf("    %-45s peak +%.0f MB\n", stage.c_str(), stage_peak - base);
  };
  while (!job.step(SliceTimer(50))) {
    const std::string now = job.stage();
    if (now != stage) {
      report();
      stage = now;
      stage_peak = 0;
    }
    stage_peak = std::max(stage_peak, live_mb());
    peak = std::max(peak, live_mb());
  }
  report();
  return std::max(peak, live_mb());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: hfrec_memprobe CATALOGUE\n");
    return 2;
  }
  // Streamed, as the app loads (CatalogueLoader's ByteSource form): the text is never whole here.
  std::ifstream f(argv[1], std::ios::binary);
  f.seekg(0, std::ios::end);
  const auto size = static_cast<uint64_t>(std::max<std::streamoff>(f.tellg(), 0));
  std::printf("file: %.0f MB, streamed\n", static_cast<double>(size) / 1048576.0);
  Result<Catalogue> loaded = Error{"not loaded"};
  {
    CatalogueLoader loader(
        [&](uint64_t at, char* to, size_t n) -> size_t {
          f.clear();
          f.seekg(static_cast<std::streamoff>(at));
          f.read(to, static_cast<std::streamsize>(n));
          return static_cast<size_t>(f.gcount());
        },
        size, "probe");
    double peak = 0;
    while (!loader.step(20000)) peak = std::max(peak, live_mb());
    loaded = loader.take();
    std::printf("parse: peak %.0f MB (the catalogue and the load's window)\n", std::max(peak, live_mb()));
  }
  if (!loaded.ok()) {
    std::fprintf(stderr, "hfrec_memprobe: %s\n", loaded.error().c_str());
    return 1;
  }
  Catalogue cat = std::move(loaded).value();
  std::printf("catalogue: %zu rows, %.0f MB\n", cat.size(), live_mb());
  double base = live_mb();
  IndexBuilder ib(std::move(cat));
  const double index_peak = run_by_stage(ib, base);
  auto index = std::move(ib.take()).value();
  std::printf("feature spaces: +%.0f MB (peak +%.0f MB)\n", live_mb() - base, index_peak - base);
  base = live_mb();
  SearchIndex search(index->catalogue());
  std::printf("search index: +%.0f MB\n", live_mb() - base);
  base = live_mb();
  Lineage lineage(index->catalogue());
  std::printf("lineage: +%.0f MB\n", live_mb() - base);
  if (heap_mb() > 0) std::printf("WebAssembly memory after the load: %.0f MB\n", heap_mb());
  base = live_mb();
  HybridBuilder hb(index->catalogue(), HybridParams{}, &lineage);
  const double hybrid_peak = run_by_stage(hb, base);
  const HybridModel h = hb.take();
  std::printf("hybrid model: +%.0f MB (peak +%.0f MB), %zu terms, %zu bytes of coded row terms%s%s\n", live_mb() - base,
              hybrid_peak - base, h.terms(), h.row_bytes(), h.error().empty() ? "" : "; ", h.error().c_str());
  std::printf("total live: %.0f MB\n", live_mb());
  if (heap_mb() > 0) std::printf("WebAssembly memory: %.0f MB\n", heap_mb());
  return 0;
}
