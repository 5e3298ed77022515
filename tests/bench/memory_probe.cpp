// hfrec_memprobe: the live heap of each structure the app builds for a catalogue, natively (glibc's
// mallinfo2), in the app's order: the text and the parse, the feature spaces (peak per stage), the
// search index, the lineage and the hybrid model (issue 18's accounting).
//   build/native-release/tests/bench/hfrec_memprobe CATALOGUE
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
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
  const struct mallinfo2 m = mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd) / 1048576.0;
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
  std::string text;
  {
    std::ifstream f(argv[1], std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    text = ss.str();
  }
  std::printf("text: %.0f MB\n", static_cast<double>(text.size()) / 1048576.0);
  Result<Catalogue> loaded = Error{"not loaded"};
  {
    CatalogueLoader loader(std::move(text), "probe");
    double peak = 0;
    while (!loader.step(20000)) peak = std::max(peak, live_mb());
    loaded = loader.take();
    std::printf("parse: peak %.0f MB (text and catalogue)\n", std::max(peak, live_mb()));
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
  base = live_mb();
  HybridBuilder hb(index->catalogue(), HybridParams{}, &lineage);
  const double hybrid_peak = run_by_stage(hb, base);
  const HybridModel h = hb.take();
  std::printf("hybrid model: +%.0f MB (peak +%.0f MB), %zu terms, %zu bytes of coded row terms%s%s\n", live_mb() - base,
              hybrid_peak - base, h.terms(), h.row_bytes(), h.error().empty() ? "" : "; ", h.error().c_str());
  std::printf("total live: %.0f MB\n", live_mb());
  return 0;
}
