// Top-k selection over collapsed groups: smaller key is closer; ties by downloads desc, modelId asc.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
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

// The k eligible rows with the smallest group keys. A group whose key is +inf, -inf or NaN is
// skipped. `candidates`, when given, limits the groups considered (e.g. those a query touched).
// Cost: O(groups considered) plus the members of the groups at or above the k-th key.
//
// Gotchas:
// - On large inputs a sample of the keys gives a cut that a few hundred groups pass; one branch-free
//   pass collects them, and the exact selection runs on those alone. The cut is only a filter: when
//   the groups under it hold fewer than k eligible rows (strict filters), the cut is raised, at last
//   to everything, so the answer is always the exact one.
template <class Eligible>
std::vector<Ranked> select_topk(const Groups& g, const std::vector<double>& key, size_t k, const Catalogue& cat,
                                Eligible&& eligible, const std::vector<uint32_t>* candidates = nullptr) {
  std::vector<Ranked> out;
  if (k == 0) return out;
  const size_t total = candidates ? candidates->size() : g.size();
  const uint32_t* cand = candidates ? candidates->data() : nullptr;
  auto group_at = [&](size_t i) { return cand ? cand[i] : static_cast<uint32_t>(i); };
  const size_t want = std::max<size_t>(64, k * 4);
  constexpr double kMax = std::numeric_limits<double>::max();

  // Sampled keys: the one of rank r is a cut about (r + 1) / samples of the groups pass.
  std::vector<double> sample;
  if (total >= 32 * want) {
    const size_t samples = std::min<size_t>(4096, total / 16);
    const size_t stride = total / samples;
    sample.reserve(samples);
    for (size_t i = 0; i < samples; ++i) {
      const double v = key[group_at(i * stride)];
      if (v >= -kMax && v <= kMax) sample.push_back(v);
    }
  }
  // Rank in the sample of the first cut: about 4 * want groups expected under it.
  size_t rank = sample.empty() ? 0 : (4 * want * sample.size() + total - 1) / total + 4;

  std::vector<uint32_t> idx;
  auto by_key = [&](uint32_t a, uint32_t b) { return key[a] < key[b] || (key[a] == key[b] && a < b); };
  bool found = false;
  double threshold = 0;
  while (true) {
    double cut = kMax;
    if (rank < sample.size()) {
      std::nth_element(sample.begin(), sample.begin() + static_cast<long>(rank), sample.end());
      cut = sample[rank];
    }
    idx.resize(total);
    size_t c = 0;
    for (size_t i = 0; i < total; ++i) {  // branch-free: every group is written, the count moves on a pass
      const uint32_t x = group_at(i);
      const double v = key[x];
      idx[c] = x;
      c += static_cast<size_t>(v >= -kMax) & static_cast<size_t>(v <= cut);
    }
    idx.resize(c);
    // Find the key of the k-th eligible row by examining ever larger prefixes.
    size_t m = std::min(idx.size(), want);
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
    if (found || cut == kMax) break;
    rank = rank * 8 + 8;  // too few eligible rows under the cut: raise it
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
