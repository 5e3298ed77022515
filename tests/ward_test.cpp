// Ward: the nearest-neighbour chain on weighted points equals a naive O(n³) Ward on the
// uncollapsed rows, heights follow scipy's convention, cuts, and the real catalogue.
#include "core/ward.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <string>

#include "core/catalogue.h"
#include "core/kmeans.h"
#include "core/recommender.h"
#include "test_util.h"

namespace hfrec {
namespace {

using Rows = std::vector<std::vector<double>>;

CsrMatrix csr(const Rows& rows) {
  CsrMatrix m;
  m.n_cols = static_cast<uint32_t>(rows[0].size());
  for (const auto& r : rows) {
    for (uint32_t j = 0; j < r.size(); ++j)
      if (r[j] != 0) {
        m.indices.push_back(j);
        m.values.push_back(static_cast<float>(r[j]));
      }
    m.indptr.push_back(m.indices.size());
  }
  return m;
}

struct Naive {
  std::vector<double> heights;         // in merge order
  std::vector<std::vector<int>> cuts;  // cuts[k] = labels for k clusters
};

// Naive Ward: every step recomputes every pair's Ward distance from the clusters' members,
// sqrt(2 |A||B| / (|A|+|B|)) ||c_A - c_B||, and merges the closest pair.
Naive naive_ward(const Rows& x) {
  const size_t n = x.size(), d = x[0].size();
  std::vector<std::vector<int>> cl(n);
  for (size_t i = 0; i < n; ++i) cl[i] = {int(i)};
  Naive out;
  out.cuts.resize(n + 1);
  auto labels = [&]() {
    std::vector<int> l(n);
    for (size_t c = 0; c < cl.size(); ++c)
      for (int i : cl[c]) l[i] = int(c);
    return l;
  };
  out.cuts[n] = labels();
  while (cl.size() > 1) {
    double best = 1e300;
    size_t ba = 0, bb = 1;
    for (size_t a = 0; a < cl.size(); ++a)
      for (size_t b = a + 1; b < cl.size(); ++b) {
        std::vector<double> ca(d, 0.0), cb(d, 0.0);
        for (int i : cl[a])
          for (size_t j = 0; j < d; ++j) ca[j] += x[i][j] / cl[a].size();
        for (int i : cl[b])
          for (size_t j = 0; j < d; ++j) cb[j] += x[i][j] / cl[b].size();
        double s = 0;
        for (size_t j = 0; j < d; ++j) s += (ca[j] - cb[j]) * (ca[j] - cb[j]);
        const double na = cl[a].size(), nb = cl[b].size();
        const double h = std::sqrt(2 * na * nb / (na + nb) * s);
        if (h < best) best = h, ba = a, bb = b;
      }
    cl[ba].insert(cl[ba].end(), cl[bb].begin(), cl[bb].end());
    cl.erase(cl.begin() + long(bb));
    out.heights.push_back(best);
    out.cuts[cl.size()] = labels();
  }
  return out;
}

// True when two labellings are the same partition.
bool same_partition(const std::vector<int32_t>& a, const std::vector<int>& b) {
  if (a.size() != b.size()) return false;
  std::map<int32_t, int> ab;
  std::map<int, int32_t> ba;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ab.emplace(a[i], b[i]).first->second != b[i]) return false;
    if (ba.emplace(b[i], a[i]).first->second != a[i]) return false;
  }
  return true;
}

// FNV-1a 64 of labels renamed by first occurrence, noise kept as -1 (as the reference script).
std::string fingerprint(const std::vector<int32_t>& labels) {
  std::map<int32_t, int32_t> ren;
  uint64_t h = 0xCBF29CE484222325ull;
  for (int32_t l : labels) {
    int32_t v = l < 0 ? -1 : ren.emplace(l, int32_t(ren.size())).first->second;
    const uint32_t u = static_cast<uint32_t>(v);
    for (int b = 0; b < 4; ++b) {
      h ^= (u >> (8 * b)) & 0xFF;
      h *= 0x100000001B3ull;
    }
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

Rows random_rows(uint64_t seed, size_t n, size_t d) {
  ClusterRng rng(seed);
  Rows x(n, std::vector<double>(d));
  for (auto& r : x)
    for (auto& v : r) v = rng.below(3) == 0 ? 0.0 : double(float(rng.uniform() * 10));  // CsrMatrix holds floats
  return x;
}

TEST(WardTest, MatchesNaiveWardOnRandomRows) {
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    Rows x = random_rows(seed, 12 + seed * 3, 2 + seed % 4);
    Naive nv = naive_ward(x);
    Dendrogram dg = ward(csr(x), {});
    ASSERT_EQ(dg.merges.size(), x.size() - 1);
    std::vector<double> ours;
    for (const Merge& m : dg.merges) ours.push_back(m.height);
    std::vector<double> theirs = nv.heights;
    std::sort(theirs.begin(), theirs.end());
    for (size_t i = 0; i < ours.size(); ++i) EXPECT_NEAR(ours[i], theirs[i], 1e-9 * (1 + theirs[i])) << "seed " << seed;
    EXPECT_EQ(dg.merges.back().size, double(x.size()));
    for (size_t k = 1; k <= x.size(); ++k)
      EXPECT_TRUE(same_partition(cut_by_k(dg, k), nv.cuts[k])) << "seed " << seed << " k " << k;
  }
}

TEST(WardTest, WeightedPointsEqualRepeatedRows) {
  Rows base = random_rows(77, 10, 3);
  const std::vector<double> w = {1, 3, 1, 2, 1, 1, 4, 1, 1, 2};
  Rows expanded;
  for (size_t i = 0; i < base.size(); ++i)
    for (int c = 0; c < w[i]; ++c) expanded.push_back(base[i]);
  Naive nv = naive_ward(expanded);
  Dendrogram dg = ward(csr(base), w);
  std::vector<double> theirs = nv.heights;
  std::sort(theirs.begin(), theirs.end());
  const size_t zeros = expanded.size() - base.size();
  for (size_t i = 0; i < zeros; ++i) EXPECT_NEAR(theirs[i], 0.0, 1e-12);
  ASSERT_EQ(dg.merges.size(), base.size() - 1);
  for (size_t i = 0; i < dg.merges.size(); ++i)
    EXPECT_NEAR(dg.merges[i].height, theirs[zeros + i], 1e-9 * theirs[zeros + i]);
  EXPECT_EQ(dg.merges.back().size, double(expanded.size()));
}

TEST(WardTest, SlicedRunEqualsWhole) {
  Rows x = random_rows(5, 40, 4);
  CsrMatrix m = csr(x);
  WardRun run(m, {});
  int steps = 0;
  while (!run.step(SliceTimer::work(0))) ++steps;
  EXPECT_GT(steps, 39);
  Dendrogram a = run.take(), b = ward(m, {});
  ASSERT_EQ(a.merges.size(), b.merges.size());
  for (size_t i = 0; i < a.merges.size(); ++i) {
    EXPECT_EQ(a.merges[i].a, b.merges[i].a);
    EXPECT_EQ(a.merges[i].height, b.merges[i].height);
  }
}

TEST(WardTest, CutByHeight) {
  Rows x = {{0}, {1}, {10}, {12}};
  Dendrogram dg = ward(csr(x), {});
  // Heights: {0,1}: 1; {10,12}: 2; top: sqrt(2·2·2/4)·|11 - 0.5| = sqrt(2)·10.5.
  ASSERT_EQ(dg.merges.size(), 3u);
  EXPECT_DOUBLE_EQ(dg.merges[0].height, 1.0);
  EXPECT_DOUBLE_EQ(dg.merges[1].height, 2.0);
  EXPECT_NEAR(dg.merges[2].height, std::sqrt(2.0) * 10.5, 1e-12);
  EXPECT_EQ(cut_by_height(dg, 1.5), (std::vector<int32_t>{0, 0, 1, 2}));
  EXPECT_EQ(cut_by_height(dg, 2.0), (std::vector<int32_t>{0, 0, 1, 1}));
  EXPECT_EQ(cut_by_height(dg, 100), (std::vector<int32_t>{0, 0, 0, 0}));
  EXPECT_EQ(cut_by_k(dg, 4), (std::vector<int32_t>{0, 1, 2, 3}));
}

// scipy.cluster.hierarchy.linkage(Y, 'ward') for ward_small_data() of
// scripts/sklearn_cluster_reference.py (12 integer rows, then copies of rows 0, 0 and 5), printed
// by that script (section "ward_small"); the same rows are built here.
TEST(WardTest, SmallCaseMatchesScipyLinkage) {
  Rows y;
  for (uint64_t i = 0; i < 12; ++i) {
    std::vector<double> r;
    for (uint64_t j = 0; j < 3; ++j) r.push_back(double(((i * 31 + j * 17 + 7) * 2654435761ull) % 1000 / 100));
    y.push_back(r);
  }
  y.push_back(y[0]);
  y.push_back(y[0]);
  y.push_back(y[5]);
  struct Row {
    uint32_t a, b;
    double h;
    double size;
  };
  const Row scipy[] = {{0, 12, 0.0, 2},
                       {13, 15, 0.0, 3},
                       {5, 14, 0.0, 2},
                       {1, 6, 1.0, 2},
                       {2, 7, 1.0, 2},
                       {4, 9, 1.0, 2},
                       {10, 17, 1.1547005383792515, 3},
                       {11, 18, 1.2909944487358056, 3},
                       {16, 21, 2.5166114784235827, 6},
                       {19, 20, 4.12310562561766, 4},
                       {3, 8, 9.055385138137417, 2},
                       {22, 24, 9.623879031817035, 7},
                       {25, 26, 12.82977687269637, 9},
                       {23, 27, 17.670439848641134, 15}};
  Dendrogram dg = ward(csr(y), {});
  ASSERT_EQ(dg.merges.size(), std::size(scipy));
  // Heights in order; the sizes as a multiset per height (merges at tied heights may come in
  // another order).
  std::vector<std::pair<double, double>> ours, theirs;
  for (size_t i = 0; i < dg.merges.size(); ++i) {
    EXPECT_NEAR(dg.merges[i].height, scipy[i].h, 1e-12 * (1 + scipy[i].h)) << "merge " << i;
    ours.emplace_back(scipy[i].h, dg.merges[i].size);  // ours' height is checked equal just above
    theirs.emplace_back(scipy[i].h, scipy[i].size);
  }
  std::sort(ours.begin(), ours.end());
  std::sort(theirs.begin(), theirs.end());
  EXPECT_EQ(ours, theirs);
  // fcluster(Z, 3, 'maxclust') and AgglomerativeClustering(3, linkage='ward'): same partition.
  EXPECT_EQ(fingerprint(cut_by_k(dg, 3)), "b4c8a18b22b06fe4");
  EXPECT_EQ("b4c8a18b22b06fe4", "b4c8a18b22b06fe4");
}

// scipy linkage(X, 'ward') on all rows of the attributes one-hot of hf_models_10k.csv
// (scripts/sklearn_cluster_reference.py --ward, section "ward"). The one-hot has many exactly tied
// distances, and which tied pair merges first changes the hierarchy above it: scipy itself gives
// other heights when the rows are permuted (its 4th largest height 48.894 becomes 47.037 for
// numpy permutation seed 1). What no tie-break changes is the sum of squared heights: each merge
// adds h²/2 to the within-cluster sum of squares, so the sum is twice the total sum of squares.
TEST(WardTest, RealCatalogueMatchesScipyTieFreeFigures) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto loaded = load_catalogue_file(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  Index idx(std::move(loaded).value());
  const Groups& g = idx.attributes().groups;
  std::vector<double> w(g.size());
  for (uint32_t x = 0; x < g.size(); ++x) w[x] = g.weight(x);
  Dendrogram over_groups = ward(g.rows, w);
  Dendrogram rows = expand_groups(over_groups, g);
  ASSERT_EQ(rows.merges.size(), idx.catalogue().size() - 1);
  EXPECT_EQ(rows.merges.back().size, double(idx.catalogue().size()));
  EXPECT_EQ(rows.merges[idx.catalogue().size() - g.size() - 1].height, 0.0);  // identical rows first
  EXPECT_GT(rows.merges[idx.catalogue().size() - g.size()].height, 0.0);
  double sum_sq = 0;
  for (size_t i = 0; i < rows.merges.size(); ++i) {
    sum_sq += rows.merges[i].height * rows.merges[i].height;
    if (i) {
      EXPECT_LE(rows.merges[i - 1].height, rows.merges[i].height);
    }
  }
  EXPECT_NEAR(sum_sq, 57982.90859999994, 1e-9 * 57982.90859999994);
  std::printf("largest heights: %.6f %.6f %.6f (scipy in file order: %s)\n", rows.merges.back().height,
              rows.merges[rows.merges.size() - 2].height, rows.merges[rows.merges.size() - 3].height,
              "90.446718 54.109496 52.463402");
}

}  // namespace
}  // namespace hfrec
