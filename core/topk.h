// Top-k selection over collapsed groups: smaller key is closer; ties by downloads desc, modelId asc.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "catalogue.h"
#include "features.h"

namespace hfrec {

struct Ranked {
  uint32_t row;
  double key;  // smaller is closer
};

// True when row a comes before row b at equal keys (downloads desc, then modelId asc).
inline bool tie_before(const Catalogue& cat, uint32_t a, uint32_t b) {
  if (cat.downloads[a] != cat.downloads[b]) return cat.downloads[a] > cat.downloads[b];
  return cat.id(a) < cat.id(b);
}

// The k eligible rows with the smallest group keys. A group whose key is +inf or NaN is skipped.
// `candidates`, when given, limits the groups considered (e.g. those a query touched).
// Cost: O(groups considered) plus the members of the groups at or above the k-th key.
template <class Eligible>
std::vector<Ranked> select_topk(const Groups& g, const std::vector<double>& key, size_t k, const Catalogue& cat,
                                Eligible&& eligible, const std::vector<uint32_t>* candidates = nullptr) {
  std::vector<Ranked> out;
  if (k == 0) return out;
  std::vector<uint32_t> idx;
  if (candidates) {
    idx.reserve(candidates->size());
    for (uint32_t x : *candidates)
      if (std::isfinite(key[x])) idx.push_back(x);
  } else {
    idx.reserve(g.size());
    for (uint32_t x = 0; x < g.size(); ++x)
      if (std::isfinite(key[x])) idx.push_back(x);
  }
  auto by_key = [&](uint32_t a, uint32_t b) { return key[a] < key[b] || (key[a] == key[b] && a < b); };
  // Find the key of the k-th eligible row by examining ever larger prefixes.
  size_t m = std::min(idx.size(), std::max<size_t>(64, k * 4));
  bool found = false;
  double threshold = 0;
  while (true) {
    if (m < idx.size()) std::nth_element(idx.begin(), idx.begin() + static_cast<long>(m), idx.end(), by_key);
    std::sort(idx.begin(), idx.begin() + static_cast<long>(m), by_key);
    size_t count = 0;
    for (size_t p = 0; p < m && !found; ++p) {
      uint32_t x = idx[p];
      for (uint32_t q = g.member_ptr[x]; q < g.member_ptr[x + 1]; ++q)
        if (eligible(g.members[q]) && ++count == k) {
          found = true;
          threshold = key[x];
          break;
        }
    }
    if (found || m == idx.size()) break;
    m = std::min(idx.size(), m * 4);
  }
  // A group's members are already in tie order, so at most its first k eligible ones can make the
  // answer: a large group of identical rows (thousands at 1M) adds k rows, not all of them.
  for (uint32_t x : idx) {
    if (found && key[x] > threshold) continue;
    size_t taken = 0;
    for (uint32_t q = g.member_ptr[x]; q < g.member_ptr[x + 1] && taken < k; ++q)
      if (eligible(g.members[q])) {
        out.push_back({g.members[q], key[x]});
        ++taken;
      }
  }
  auto before = [&](const Ranked& a, const Ranked& b) {
    if (a.key != b.key) return a.key < b.key;
    return tie_before(cat, a.row, b.row);
  };
  if (out.size() > k) {
    std::partial_sort(out.begin(), out.begin() + static_cast<long>(k), out.end(), before);
    out.resize(k);
  } else {
    std::sort(out.begin(), out.end(), before);
  }
  return out;
}

}  // namespace hfrec
