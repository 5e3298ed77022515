// The kNN graph of a build before beside this one, in one process (scripts/bench-graph-ab.sh): the
// two NN-descent runs alternate on the same space, so a slow or fast phase of the machine falls on
// both. Prints per round each one's milliseconds and a hash of its lists (tests/graph_hash.h):
// the same hash, the same graph.
//   graph_ab CATALOGUE [--features attributes|soup|tfidf|hybrid] [--rounds N] [-k K]
// The build before's NnDescentRun is compiled from its nn_descent.cpp renamed NnDescentRunBefore
// (the script does that); its header declares it.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/catalogue.h"
#include "core/index.h"
#include "core/knn_graph.h"
#include "core/nn_descent.h"
#include "nn_descent_before.h"
#include "tests/graph_hash.h"

namespace {

template <class Run>
void time_graph(const char* name, const hfrec::SimilaritySpace& space, int k) {
  const auto t0 = std::chrono::steady_clock::now();
  Run run(space, k);
  while (!run.step(hfrec::SliceTimer(6.0))) {}
  const hfrec::KnnGraph g = run.take();
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const uint64_t h = hfrec::graph_hash(g);
  std::printf("%-6s %9.0f ms  lists %016llx\n", name, ms, static_cast<unsigned long long>(h));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: graph_ab CATALOGUE [--features F] [--rounds N] [-k K]\n");
    return 2;
  }
  hfrec::MapSpace space = hfrec::MapSpace::hybrid;
  int rounds = 3, k = 15;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--features" && !hfrec::parse_map_space(argv[i + 1], space)) return 2;
    if (a == "--rounds") rounds = std::atoi(argv[i + 1]);
    if (a == "-k") k = std::atoi(argv[i + 1]);
  }
  auto loaded = hfrec::load_catalogue_file(argv[1]);
  if (!loaded.ok()) {
    std::fprintf(stderr, "graph_ab: %s\n", loaded.error().c_str());
    return 2;
  }
  const hfrec::Index index(std::move(loaded).value());
  const hfrec::SimilaritySpace s = hfrec::make_similarity_space(index, space);
  for (int r = 0; r < rounds; ++r) {
    time_graph<hfrec::NnDescentRunBefore>("before", s, k);
    time_graph<hfrec::NnDescentRun>("after", s, k);
  }
  return 0;
}
