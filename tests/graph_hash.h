// FNV-1a over a kNN graph's lists: offsets, neighbours and the distances' bits (the same hash, the
// same graph). Used by tests/nn_descent_test.cpp's pins and tests/bench/graph_ab.cpp.
#pragma once
#include <cstdint>
#include <cstring>

#include "core/knn_graph.h"

namespace hfrec {

inline uint64_t graph_hash(const KnnGraph& g) {
  uint64_t h = 1469598103934665603ull;
  auto eat = [&](uint64_t v) {
    for (int b = 0; b < 8; ++b) h = (h ^ ((v >> (8 * b)) & 0xff)) * 1099511628211ull;
  };
  for (uint64_t p : g.ptr) eat(p);
  for (uint32_t x : g.neighbour) eat(x);
  for (double d : g.dist) {
    uint64_t u;
    std::memcpy(&u, &d, sizeof u);
    eat(u);
  }
  return h;
}

}  // namespace hfrec
