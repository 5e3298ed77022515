// Quality metrics: the weighted fast paths equal naive O(n²) implementations written from the
// definitions (scikit-learn's docs) on uncollapsed random rows, and scikit-learn's own figures on
// the real catalogue.
#include "core/cluster_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "core/catalogue.h"
#include "core/kmeans.h"
#include "core/recommender.h"
#include "test_util.h"

namespace hfrec {
namespace {

using Rows = std::vector<std::vector<double>>;

double dist(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t j = 0; j < a.size(); ++j) s += (a[j] - b[j]) * (a[j] - b[j]);
  return std::sqrt(s);
}

std::map<int, std::vector<double>> centroids(const Rows& x, const std::vector<int>& l) {
  std::map<int, std::vector<double>> c;
  std::map<int, int> n;
  for (size_t i = 0; i < x.size(); ++i) {
    auto& v = c[l[i]];
    v.resize(x[i].size(), 0.0);
    for (size_t j = 0; j < x[i].size(); ++j) v[j] += x[i][j];
    ++n[l[i]];
  }
  for (auto& [k, v] : c)
    for (auto& e : v) e /= n[k];
  return c;
}

// Rousseeuw: s(i) = (b - a) / max(a, b), a = mean distance to the others of its cluster, b = the
// lowest mean distance to another cluster; 0 for a point alone in its cluster.
double naive_silhouette(const Rows& x, const std::vector<int>& l) {
  std::map<int, int> n;
  for (int v : l) ++n[v];
  double total = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    std::map<int, double> sum;
    for (size_t j = 0; j < x.size(); ++j)
      if (j != i) sum[l[j]] += dist(x[i], x[j]);
    if (n[l[i]] == 1) continue;
    const double a = sum[l[i]] / (n[l[i]] - 1);
    double b = 1e300;
    for (auto& [k, s] : n)
      if (k != l[i]) b = std::min(b, sum[k] / s);
    total += std::max(a, b) > 0 ? (b - a) / std::max(a, b) : 0.0;
  }
  return total / x.size();
}

// Davies-Bouldin: mean over clusters of max_j (s_i + s_j) / d(c_i, c_j), s = mean distance to centroid.
double naive_davies_bouldin(const Rows& x, const std::vector<int>& l) {
  auto c = centroids(x, l);
  std::map<int, double> s;
  std::map<int, int> n;
  for (size_t i = 0; i < x.size(); ++i) {
    s[l[i]] += dist(x[i], c[l[i]]);
    ++n[l[i]];
  }
  for (auto& [k, v] : s) v /= n[k];
  double total = 0;
  for (auto& [a, ca] : c) {
    double worst = 0;
    for (auto& [b, cb] : c)
      if (a != b) worst = std::max(worst, (s[a] + s[b]) / dist(ca, cb));
    total += worst;
  }
  return total / c.size();
}

// Calinski-Harabasz: [B / (k - 1)] / [W / (n - k)].
double naive_calinski_harabasz(const Rows& x, const std::vector<int>& l) {
  auto c = centroids(x, l);
  std::vector<double> mean(x[0].size(), 0.0);
  for (const auto& r : x)
    for (size_t j = 0; j < r.size(); ++j) mean[j] += r[j] / x.size();
  std::map<int, int> n;
  for (int v : l) ++n[v];
  double B = 0, W = 0;
  for (auto& [k, ck] : c) B += n[k] * std::pow(dist(ck, mean), 2);
  for (size_t i = 0; i < x.size(); ++i) W += std::pow(dist(x[i], c[l[i]]), 2);
  const double k = c.size(), N = x.size();
  return B * (N - k) / (W * (k - 1));
}

// Collapses identical (row, label) pairs into weighted points.
LabelledPoints collapse(const Rows& x, const std::vector<int>& l) {
  std::map<std::pair<std::vector<double>, int>, size_t> at;
  LabelledPoints p;
  p.rows.n_cols = static_cast<uint32_t>(x[0].size());
  for (size_t i = 0; i < x.size(); ++i) {
    auto [it, inserted] = at.emplace(std::make_pair(x[i], l[i]), p.size());
    if (!inserted) {
      p.weights[it->second] += 1;
      continue;
    }
    for (uint32_t j = 0; j < x[i].size(); ++j)
      if (x[i][j] != 0) {
        p.rows.indices.push_back(j);
        p.rows.values.push_back(static_cast<float>(x[i][j]));
      }
    p.rows.indptr.push_back(p.rows.indices.size());
    p.weights.push_back(1);
    p.labels.push_back(l[i] * 7 + 3);  // any numbering
  }
  return p;
}

// Random rows with few distinct values (so rows repeat) and random labels.
void random_case(uint64_t seed, size_t n, size_t d, int k, bool binary, Rows& x, std::vector<int>& l) {
  ClusterRng rng(seed);
  x.assign(n, std::vector<double>(d, 0.0));
  l.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < d; ++j)
      x[i][j] = binary ? double(rng.below(2)) : double(rng.below(4)) * 0.25 + (rng.below(3) == 0 ? 0.0 : 0.5);
    l[i] = static_cast<int>(rng.below(uint64_t(k)));
  }
  for (size_t i = 0; i < n / 4; ++i) {  // explicit duplicates, sometimes with another label
    x[n - 1 - i] = x[i];
    if (rng.below(2)) l[n - 1 - i] = l[i];
  }
}

TEST(ClusterMetricsTest, MatchNaiveDefinitionsOnRandomRows) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    Rows x;
    std::vector<int> l;
    random_case(seed, 30 + seed * 5, 2 + seed % 5, 2 + int(seed % 4), seed % 2 == 0, x, l);
    LabelledPoints p = collapse(x, l);
    ASSERT_LT(p.size(), x.size());
    EXPECT_NEAR(silhouette(p), naive_silhouette(x, l), 1e-9) << "seed " << seed;
    const double db = naive_davies_bouldin(x, l), ch = naive_calinski_harabasz(x, l);
    EXPECT_NEAR(davies_bouldin(p), db, 1e-9 * db) << "seed " << seed;
    EXPECT_NEAR(calinski_harabasz(p), ch, 1e-9 * ch) << "seed " << seed;
  }
}

TEST(ClusterMetricsTest, SingletonClustersAndUndefinedCases) {
  Rows x = {{0, 0}, {0, 1}, {5, 5}};
  std::vector<int> l = {0, 0, 1};
  EXPECT_NEAR(silhouette(collapse(x, l)), naive_silhouette(x, l), 1e-12);
  EXPECT_TRUE(std::isnan(silhouette(collapse(x, {0, 0, 0}))));      // one label
  EXPECT_TRUE(std::isnan(davies_bouldin(collapse(x, {0, 1, 2}))));  // as many labels as rows
  EXPECT_TRUE(std::isnan(calinski_harabasz(collapse(x, {0, 0, 0}))));
}

TEST(ClusterMetricsTest, SilhouetteSlicedEqualsWhole) {
  Rows x;
  std::vector<int> l;
  random_case(99, 80, 4, 3, false, x, l);
  LabelledPoints p = collapse(x, l);
  SilhouetteRun run(p);
  int steps = 0;
  while (!run.step(SliceTimer::work(0))) ++steps;
  EXPECT_GT(steps, 5);
  EXPECT_EQ(run.value(), silhouette(p));
}

// Davies-Bouldin at large k (many labels, as a Ward cut at k = 9000 of the 10k catalogue) runs in
// slices of rows of centroid distances: a step of one work unit ends at the end of a row (or of a
// run of kPieceUnits overlaps), so there are at least as many steps as labels, each within its
// bound, and the value is the naive definition's.
TEST(ClusterMetricsTest, DaviesBouldinSlicedByRowsOfCentroids) {
  Rows x;
  std::vector<int> l;
  random_case(7, 400, 6, 150, false, x, l);
  LabelledPoints p = collapse(x, l);
  std::set<int> labels(l.begin(), l.end());
  const int k = static_cast<int>(labels.size());
  ASSERT_GT(k, 100);
  DaviesBouldinRun run(p);
  int steps = 0;
  for (bool done = false; !done; ++steps) {
    const SliceTimer t = SliceTimer::work(1);
    done = run.step(t);
    EXPECT_LE(t.charged(), DaviesBouldinRun::kPieceUnits + 2 * uint64_t(k));
    EXPECT_LE(run.progress(), 1.0);
  }
  EXPECT_GE(steps, k);
  const double db = naive_davies_bouldin(x, l);
  EXPECT_NEAR(run.value(), db, 1e-9 * db);
  EXPECT_EQ(run.value(), davies_bouldin(p));
}

TEST(ClusterMetricsTest, SampleRowsIsSeededAndDistinct) {
  auto a = sample_rows(1000, 100, 5), b = sample_rows(1000, 100, 5), c = sample_rows(1000, 100, 6);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(std::set<uint32_t>(a.begin(), a.end()).size(), 100u);
  EXPECT_EQ(sample_rows(10, 50, 1).size(), 10u);
}

// scikit-learn 1.2 figures for labels = pd.factorize(column, use_na_sentinel=False) on the
// attributes one-hot of ../shared/data/hf_models_10k.csv (dense float64, Euclidean), printed by
//   /usr/bin/python3 scripts/sklearn_cluster_reference.py --catalogue ../shared/data/hf_models_10k.csv
// (section "metrics").
TEST(ClusterMetricsTest, RealCatalogueMatchesSklearn) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto loaded = load_catalogue_file(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  Index idx(std::move(loaded).value());
  const Catalogue& cat = idx.catalogue();
  struct Case {
    const std::vector<uint32_t>* column;
    double sil, db, ch;
  };
  const Case cases[] = {{&cat.library_name, 0.15795025946740102, 1.1213750482542735, 132.27540437397798},
                        {&cat.pipeline_tag, 0.34802260034539706, 1.5166926317460312, 317.12227704331605}};
  for (const Case& c : cases) {
    std::unordered_map<uint32_t, int32_t> ren;
    std::vector<int32_t> labels(cat.size());
    for (uint32_t r = 0; r < cat.size(); ++r)
      labels[r] = ren.emplace((*c.column)[r], int32_t(ren.size())).first->second;
    const auto& a = idx.attributes();
    LabelledPoints p = labelled_points(a.groups, a.groups.rows, labels);
    EXPECT_NEAR(silhouette(p), c.sil, 1e-6 * std::abs(c.sil));
    EXPECT_NEAR(davies_bouldin(p), c.db, 1e-6 * c.db);
    EXPECT_NEAR(calinski_harabasz(p), c.ch, 1e-6 * c.ch);
  }
}

}  // namespace
}  // namespace hfrec
