// Top-k selection (core/topk.h) against sorting every eligible row with the test's own order.
#include "core/topk.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>

namespace hfrec {
namespace {

// Random groups over a catalogue with many equal downloads, keys with many ties and some +inf,
// -inf and NaN, and eligibility from everything down to a handful of rows: select_topk against
// sorting every eligible row by key, then downloads descending, then id ascending (the test's own
// comparator: one borrowed from core would agree with core's mistakes). Sizes reach past the sampled cut (used from 32
// * max(64, 4k) groups), and the sparse filters force the cut to be raised, up to everything.
TEST(SelectTopk, MatchesSortingEveryEligibleRow) {
  std::mt19937_64 rng(20261129);
  int checked = 0, sampled = 0;
  for (int round = 0; round < 60; ++round) {
    const uint32_t n = 500 + static_cast<uint32_t>(rng() % 20000);
    std::vector<ModelRecord> rs(n);
    for (uint32_t i = 0; i < n; ++i) {
      rs[i].id = "m" + std::to_string(rng() % 100000) + "-" + std::to_string(i);
      rs[i].downloads = static_cast<int64_t>(rng() % 5);
    }
    Catalogue cat = make_catalogue(rs, "topk");
    // The documented order at equal keys, from the records themselves (not core's tie_before).
    auto tie = [&](uint32_t a, uint32_t b) {
      if (rs[a].downloads != rs[b].downloads) return rs[a].downloads > rs[b].downloads;
      return rs[a].id < rs[b].id;
    };
    // Rows shuffled into groups, mostly of one, some of up to 40, a few of 500; members in tie order.
    std::vector<uint32_t> rows(n);
    std::iota(rows.begin(), rows.end(), 0u);
    std::shuffle(rows.begin(), rows.end(), rng);
    Groups g;
    g.group_of.assign(n, 0);
    for (size_t at = 0; at < n;) {
      size_t len = rng() % 500 == 0 ? 500 : (rng() % 10 == 0 ? 1 + rng() % 40 : 1);
      len = std::min<size_t>(len, n - at);
      std::sort(rows.begin() + static_cast<long>(at), rows.begin() + static_cast<long>(at + len), tie);
      for (size_t i = at; i < at + len; ++i) {
        g.group_of[rows[i]] = static_cast<uint32_t>(g.size());
        g.members.push_back(rows[i]);
      }
      g.member_ptr.push_back(static_cast<uint32_t>(g.members.size()));
      at += len;
    }
    const size_t groups = g.size();
    std::vector<double> key(groups);
    const int levels = 1 + static_cast<int>(rng() % 200);
    for (double& v : key) {
      const uint64_t r = rng() % 100;
      if (r == 0) v = std::numeric_limits<double>::infinity();
      else if (r == 1) v = -std::numeric_limits<double>::infinity();
      else if (r == 2) v = std::numeric_limits<double>::quiet_NaN();
      else v = -static_cast<double>(rng() % levels) / levels;
    }
    const uint64_t keep_in = std::array<uint64_t, 5>{1, 3, 100, 2000, 100000}[rng() % 5];
    std::vector<char> ok(n);
    for (auto& e : ok) e = rng() % keep_in == 0;
    auto eligible = [&](uint32_t r) { return ok[r] != 0; };
    std::vector<uint32_t> cand;
    const bool use_cand = rng() % 3 == 0;
    if (use_cand)
      for (uint32_t x = 0; x < groups; ++x)
        if (rng() % 2) cand.push_back(x);
    const size_t k = std::array<size_t, 5>{1, 5, 10, 30, 200}[rng() % 5];

    std::vector<Ranked> want;
    for (uint32_t x = 0; x < groups; ++x) {
      if (use_cand && !std::binary_search(cand.begin(), cand.end(), x)) continue;
      if (!std::isfinite(key[x])) continue;
      for (uint32_t q = g.member_ptr[x]; q < g.member_ptr[x + 1]; ++q)
        if (eligible(g.members[q])) want.push_back({g.members[q], key[x]});
    }
    std::sort(want.begin(), want.end(),
              [&](const Ranked& a, const Ranked& b) { return a.key != b.key ? a.key < b.key : tie(a.row, b.row); });
    if (want.size() > k) want.resize(k);

    const auto got = select_topk(g, key, k, cat, eligible, use_cand ? &cand : nullptr);
    ASSERT_EQ(got.size(), want.size()) << "round " << round << ", " << groups << " groups, k " << k;
    for (size_t i = 0; i < want.size(); ++i) {
      ASSERT_EQ(got[i].row, want[i].row) << "round " << round << ", rank " << i;
      ASSERT_EQ(got[i].key, want[i].key) << "round " << round << ", rank " << i;
    }
    ++checked;
    sampled += (use_cand ? cand.size() : groups) >= 32 * std::max<size_t>(64, 4 * k);  // the cut's threshold
  }
  EXPECT_EQ(checked, 60);
  EXPECT_GT(sampled, 15);  // many rounds are large enough for the sampled cut
}

}  // namespace
}  // namespace hfrec
