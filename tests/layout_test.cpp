// UMAP layout: deterministic for a seed, the same bits sliced or run to the end, identical rows
// around their point, far better neighbourhood preservation than PCA on clustered data; and the
// preservation measure against a brute-force computation written here.
#include "core/layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/catalogue.h"
#include "core/kmeans.h"

namespace hfrec {
namespace {

struct Case {
  Catalogue cat;
  CsrMatrix m;
  Groups groups;
  std::vector<std::vector<double>> dense;  // per catalogue row
};

Case from_dense(std::vector<std::vector<double>> dense, uint64_t seed) {
  Case c;
  ClusterRng rng(seed);
  std::vector<ModelRecord> recs(dense.size());
  for (size_t i = 0; i < dense.size(); ++i) {
    recs[i].id = "m" + std::to_string(i);
    recs[i].downloads = static_cast<int64_t>(rng.below(1000));
  }
  c.cat = make_catalogue(recs);
  for (auto& r : dense)
    for (double& v : r) v = double(float(v));  // the matrix holds floats; the oracle reads these
  c.m.n_cols = static_cast<uint32_t>(dense.empty() ? 0 : dense[0].size());
  for (const auto& r : dense) {
    for (uint32_t j = 0; j < c.m.n_cols; ++j)
      if (r[j] != 0) {
        c.m.indices.push_back(j);
        c.m.values.push_back(static_cast<float>(r[j]));
      }
    c.m.indptr.push_back(c.m.indices.size());
  }
  c.groups = collapse_rows(c.m, c.cat);
  c.dense = std::move(dense);
  return c;
}

// `clusters` clusters of `per` rows: each row holds some of its cluster's 8 core columns and two
// noise columns; a few rows repeated (identical rows).
Case clustered(uint64_t seed, int clusters, int per) {
  ClusterRng rng(seed);
  const size_t d = size_t(clusters) * 8 + 40;
  std::vector<std::vector<double>> dense;
  for (int c = 0; c < clusters; ++c)
    for (int i = 0; i < per; ++i) {
      if (i > 0 && rng.below(10) == 0) {
        dense.push_back(dense.back());
        continue;
      }
      std::vector<double> r(d, 0.0);
      for (int j = 0; j < 8; ++j)
        if (rng.below(10) < 6) r[size_t(c) * 8 + j] = double(1 + rng.below(3));
      for (int j = 0; j < 2; ++j) r[size_t(clusters) * 8 + rng.below(40)] = 1;
      dense.push_back(std::move(r));
    }
  return from_dense(std::move(dense), seed);
}

// Runs a layout to the end in steps of `units` work units; the largest piece any step charged.
uint64_t run_in_steps(LayoutRun& run, uint64_t units) {
  uint64_t largest = 0;
  for (;;) {
    const SliceTimer t = SliceTimer::work(units);
    const bool done = run.step(t);
    largest = std::max(largest, t.largest_piece());
    if (done) return largest;
  }
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// FNV-1a over the bits of a map's coordinates.
uint64_t bits_hash(const std::vector<float>& v) {
  uint64_t h = 1469598103934665603ull;
  for (float f : v) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    for (int b = 0; b < 4; ++b) h = (h ^ ((u >> (8 * b)) & 0xff)) * 1099511628211ull;
  }
  return h;
}

// The maps' bits, pinned (on few groups, where negative samples often draw an edge's own head or
// tail): a change to the layout meant to keep every map must keep these. Re-pinned on 2026-12-04,
// when an edge's repulsions came to be computed from its head's point after the attraction
// instead of after each repulsion (layout.cpp, epoch_edges); the pins before, from the one edge at a
// time loop of commit e5ec3d8, were 0x9f71ee44021ba89d and 0x5b46b5bd1f074a7b.
TEST(Layout, EpochsKeepThePinnedBits) {
  struct Pin {
    uint64_t data_seed;
    int clusters, per;
    uint64_t seed, want;
  };
  for (const Pin& pin : {Pin{11, 3, 40, 0, 0x661e2fe8269465dbull}, Pin{12, 6, 60, 5, 0x332cf44ae26c667bull}}) {
    Case c = clustered(pin.data_seed, pin.clusters, pin.per);
    const SimilaritySpace s = cosine_space(c.groups, c.groups.rows);
    LayoutParams p;
    p.seed = pin.seed;
    const uint64_t got = bits_hash(umap_layout(s, p).xy);
    EXPECT_EQ(got, pin.want) << std::hex << "0x" << got << " for data seed " << std::dec << pin.data_seed;
  }
}

TEST(Layout, DetExpMatchesExp) {
  for (double x = -60; x <= 8; x += 0.0137) {
    const double want = std::exp(x);
    EXPECT_NEAR(det_exp(x), want, 2e-15 * want) << x;
  }
  EXPECT_EQ(det_exp(0), 1.0);
  EXPECT_EQ(det_exp(-800), 0.0);
}

TEST(Layout, DeterministicForASeed) {
  Case c = clustered(3, 6, 60);
  const SimilaritySpace s = cosine_space(c.groups, c.groups.rows);
  LayoutParams p;
  p.epochs = 100;
  p.seed = 9;
  const Projection a = umap_layout(s, p), b = umap_layout(s, p);
  ASSERT_EQ(a.xy.size(), 2 * c.cat.size());
  EXPECT_TRUE(same_bits(a.xy, b.xy));
  EXPECT_TRUE(same_bits(a.group_xy, b.group_xy));
  for (float v : a.xy) ASSERT_TRUE(std::isfinite(v));
  p.seed = 10;
  EXPECT_FALSE(same_bits(a.xy, umap_layout(s, p).xy));
}

TEST(Layout, SlicedEqualsRunToEnd) {
  Case c = clustered(4, 5, 50);
  const SimilaritySpace s = cosine_space(c.groups, c.groups.rows);
  LayoutParams p;
  p.epochs = 60;
  const Projection whole = umap_layout(s, p);
  LayoutRun run(s, p);
  int steps = 0;
  double last = 0;
  uint64_t largest = 0;
  std::string stage;
  for (;;) {
    const SliceTimer t = SliceTimer::work(300);
    const bool done = run.step(t);
    largest = std::max(largest, t.largest_piece());
    EXPECT_GE(run.progress(), last);
    last = run.progress();
    if (run.stage().find("epoch") != std::string::npos) stage = run.stage();
    ++steps;
    if (done) break;
  }
  EXPECT_GT(steps, 50);
  EXPECT_EQ(run.progress(), 1.0);
  EXPECT_NE(stage, "");
  // The largest piece: a pass over the groups (the initialisation), or 256 edges with their
  // gradient steps (at most 1 + negative_samples · epochs each); the fuzzy union is sliced too.
  EXPECT_LE(largest, 2 * c.groups.size() + 256 * 7);
  const Projection sliced = run.take();
  EXPECT_TRUE(same_bits(sliced.xy, whole.xy));
}

// `groups` random rows over `cols` columns, each with up to `per_row` values 1-3 at random
// columns, each row `copies` times in a row (identical rows: groups of that many).
Case random_sparse(uint64_t seed, int groups, int cols, int per_row, int copies) {
  ClusterRng rng(seed);
  std::vector<std::vector<double>> dense;
  for (int g = 0; g < groups; ++g) {
    std::vector<double> r(cols, 0.0);
    for (int j = 0; j < per_row; ++j) r[rng.below(cols)] = double(1 + rng.below(3));
    for (int copy = 0; copy < copies; ++copy) dense.push_back(r);
  }
  return from_dense(std::move(dense), seed);
}

// A layout of c's cosine space with this many epochs, run to its end and in steps of 300 work
// units, with the largest piece of the steps.
struct SlicedAndWhole {
  Projection whole, sliced;
  uint64_t largest = 0;
};
SlicedAndWhole sliced_and_whole(const Case& c, int epochs) {
  const SimilaritySpace s = cosine_space(c.groups, c.groups.rows);
  LayoutParams p;
  p.epochs = epochs;
  SlicedAndWhole r;
  r.whole = umap_layout(s, p);
  LayoutRun run(s, p);
  r.largest = run_in_steps(run, 300);
  r.sliced = run.take();
  return r;
}

// Placing the rows (each group's gap to its nearest group, then its rows as a disc) is sliced too:
// it was one piece of a pass over the catalogue's rows plus a nearest-group query per group (at
// 100k generated rows, 106 ms in one step natively).
TEST(Layout, PlacingManyIdenticalRowsIsSliced) {
  Case c = random_sparse(7, 150, 60, 4, 20);
  ASSERT_GT(c.cat.size(), 10 * c.groups.size());
  const SlicedAndWhole r = sliced_and_whole(c, 20);
  // As SlicedEqualsRunToEnd: a pass over the groups, or 256 edges with their gradient steps; no
  // piece grows with the rows.
  EXPECT_LE(r.largest, 2 * c.groups.size() + 256 * 7);
  EXPECT_TRUE(same_bits(r.sliced.xy, r.whole.xy));
  EXPECT_TRUE(same_bits(r.sliced.group_xy, r.whole.group_xy));
}

// The initialisation's passes over the groups (the column mean, 30 subspace iterations, the
// coordinates) are sliced by batches of groups: at 100k hybrid groups each pass was one 30 ms step.
TEST(Layout, TheInitialisationsPassesAreSliced) {
  Case c = random_sparse(11, 5000, 400, 5, 1);
  ASSERT_GT(c.groups.size(), 4000u);
  const SlicedAndWhole r = sliced_and_whole(c, 5);
  // A batch of 1,024 groups, or 256 edges with their gradient steps; not a pass over the 5,000.
  EXPECT_LE(r.largest, 2048u);
  EXPECT_TRUE(same_bits(r.sliced.xy, r.whole.xy));
}

// The initialisation's arrays (column scales and mean, the subspace product, the coordinates) are
// grown in pieces of at most 1 MB (512 work units), resumed where a step ended: at 1M groups the
// coordinates alone were 16 MB of fresh pages in one step. 150,000 columns: the column arrays
// take two pieces and the product three, and a step of 300 units ends after each.
TEST(Layout, TheInitialisationsArraysGrowInPieces) {
  Case c = random_sparse(13, 40, 150'000, 6, 1);
  ASSERT_EQ(c.groups.rows.n_cols, 150'000u);
  const SlicedAndWhole r = sliced_and_whole(c, 5);
  EXPECT_LE(r.largest, 2048u);  // as above: 256 edges with their gradient steps
  EXPECT_TRUE(same_bits(r.sliced.xy, r.whole.xy));
  EXPECT_TRUE(same_bits(r.sliced.group_xy, r.whole.group_xy));
}

TEST(Layout, IdenticalRowsAroundTheirGroupsPoint) {
  Case c = clustered(5, 4, 80);
  const SimilaritySpace s = cosine_space(c.groups, c.groups.rows);
  LayoutParams p;
  p.epochs = 50;
  const Projection m = umap_layout(s, p);
  float lo = m.group_xy[0], hi = m.group_xy[0];
  for (float v : m.group_xy) lo = std::min(lo, v), hi = std::max(hi, v);
  size_t multi = 0;
  for (uint32_t g = 0; g < c.groups.size(); ++g) {
    const uint32_t w = c.groups.weight(g);
    multi += w > 1;
    for (uint32_t j = 0; j < w; ++j) {
      const uint32_t r = c.groups.members[c.groups.member_ptr[g] + j];
      const double dx = m.xy[2 * r] - m.group_xy[2 * g], dy = m.xy[2 * r + 1] - m.group_xy[2 * g + 1];
      EXPECT_LE(std::sqrt(dx * dx + dy * dy), p.ring_step * (hi - lo) * std::sqrt(double(j)) * 1.001 + 1e-6);
      if (j == 1) {
        EXPECT_GT(dx * dx + dy * dy, 0);  // spread, not stacked
      }
    }
  }
  EXPECT_GT(multi, 5u);
}

// The preservation measure by brute force: all pairwise distances, sorted.
double brute_preservation(const Case& c, const std::vector<float>& xy, int k) {
  const size_t n = c.dense.size();
  auto dist = [&](size_t a, size_t b) {  // the documented similarity, column weights 1
    double dot = 0, na = 0, nb = 0;
    for (size_t t = 0; t < c.dense[a].size(); ++t) {
      na += c.dense[a][t] * c.dense[a][t];
      nb += c.dense[b][t] * c.dense[b][t];
      if (c.dense[a][t] != 0 && c.dense[b][t] != 0) dot += c.dense[a][t] * c.dense[b][t];
    }
    return 1.0 - (na * nb > 0 ? dot / std::sqrt(na * nb) : 0.0);
  };
  double total = 0;
  for (size_t r = 0; r < n; ++r) {
    std::vector<double> fd;
    std::vector<std::pair<double, size_t>> md;
    for (size_t j = 0; j < n; ++j) {
      if (j == r) continue;
      fd.push_back(dist(r, j));
      const double dx = double(xy[2 * r]) - xy[2 * j], dy = double(xy[2 * r + 1]) - xy[2 * j + 1];
      md.emplace_back(dx * dx + dy * dy, j);
    }
    std::sort(fd.begin(), fd.end());
    std::sort(md.begin(), md.end());
    const double D = fd[size_t(k) - 1];
    const size_t s = size_t(std::count_if(fd.begin(), fd.end(), [&](double v) { return v < D; }));
    size_t full = 0, tied = 0;
    for (int i = 0; i < k; ++i) {
      const double v = dist(r, md[size_t(i)].second);
      full += v < D;
      tied += v == D;
    }
    total += double(full + std::min(tied, size_t(k) - s)) / k;
  }
  return total / double(n);
}

TEST(Layout, PreservationAgainstBruteForce) {
  for (uint64_t seed : {1, 2, 3, 4}) {
    // Few binary columns: many rows tie in the feature space; a map on a coarse integer grid: many
    // tie on the map.
    ClusterRng rng(seed);
    std::vector<std::vector<double>> dense(260, std::vector<double>(6, 0.0));
    for (size_t i = 0; i < dense.size(); ++i)
      for (auto& v : dense[i]) v = rng.below(3) == 0 ? 1.0 : 0.0;
    Case c = from_dense(std::move(dense), seed);
    std::vector<float> xy(2 * c.cat.size());
    for (float& v : xy) v = float(rng.below(seed == 4 ? 3 : 40));
    const SimilaritySpace s = cosine_space(c.groups, c.groups.rows);
    for (int k : {1, 10}) {
      const double got = preservation(s, knn_graph(s, k), xy, k);
      EXPECT_NEAR(got, brute_preservation(c, xy, k), 1e-12) << "seed " << seed << " k " << k;
    }
  }
  // A map that keeps every neighbourhood: the feature rows themselves, in 2-D.
  std::vector<std::vector<double>> line;
  for (int i = 0; i < 50; ++i) line.push_back({1.0, 1.0 + i * 0.37});
  Case c = from_dense(line, 1);
  const SimilaritySpace s = cosine_space(c.groups, c.groups.rows);
  std::vector<float> xy;
  for (int i = 0; i < 50; ++i) xy.insert(xy.end(), {0.0f, float(std::atan(1.0 + i * 0.37))});
  EXPECT_NEAR(preservation(s, knn_graph(s, 10), xy, 10), brute_preservation(c, xy, 10), 1e-12);
  EXPECT_DOUBLE_EQ(preservation(s, knn_graph(s, 10), xy, 10), 1.0);
  EXPECT_TRUE(std::isnan(preservation(s, knn_graph(s, 10), {1.0f, 2.0f}, 10)));  // not a point per row
}

TEST(Layout, KeepsNeighbourhoodsFarBetterThanPca) {
  Case c = clustered(21, 12, 100);
  const SimilaritySpace s = cosine_space(c.groups, c.groups.rows);
  LayoutRun run(s, LayoutParams{});
  while (!run.step(SliceTimer::work(1'000'000))) {}
  const Projection u = run.take();
  const Projection pca = project(c.groups, unit_rows(s));
  const double pu = preservation(s, run.graph(), u.xy), pp = preservation(s, run.graph(), pca.xy);
  EXPECT_GT(pu, pp + 0.25) << "umap " << pu << ", pca " << pp;  // 0.43 against 0.09
  EXPECT_GT(pu, 0.35) << "umap " << pu << ", pca " << pp;
}

}  // namespace
}  // namespace hfrec
