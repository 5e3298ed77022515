// k-means: seeded and resumable, finds separated blobs, weights equal repeated rows' inertia, and
// on the real catalogue's attributes is within 1% of scikit-learn's inertia.
#include "core/kmeans.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/catalogue.h"
#include "core/recommender.h"
#include "test_util.h"

namespace hfrec {
namespace {

// Dense rows to CSR (zeros dropped).
CsrMatrix csr(const std::vector<std::vector<double>>& rows) {
  CsrMatrix m;
  m.n_cols = rows.empty() ? 0 : static_cast<uint32_t>(rows[0].size());
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

double brute_inertia(const CsrMatrix& m, const std::vector<double>& w, const KMeansResult& r) {
  double s = 0;
  for (size_t i = 0; i < m.rows(); ++i) {
    std::vector<double> x(m.n_cols, 0.0);
    for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) x[m.indices[q]] = m.value(q);
    double best = 1e300;
    for (int c = 0; c < r.k; ++c) {
      double d = 0;
      for (uint32_t j = 0; j < m.n_cols; ++j)
        d += (x[j] - r.centroids[c * m.n_cols + j]) * (x[j] - r.centroids[c * m.n_cols + j]);
      best = std::min(best, d);
    }
    s += (w.empty() ? 1.0 : w[i]) * best;
  }
  return s;
}

// Three blobs of 20 points around (0,0,5), (5,0,0), (0,5,0) with small integer-free jitter.
std::vector<std::vector<double>> blobs() {
  std::vector<std::vector<double>> rows;
  ClusterRng rng(7);
  const double centre[3][3] = {{0, 0, 5}, {5, 0, 0}, {0, 5, 0}};
  for (int b = 0; b < 3; ++b)
    for (int i = 0; i < 20; ++i) {
      std::vector<double> r(3);
      for (int j = 0; j < 3; ++j) r[j] = centre[b][j] + (rng.uniform() - 0.5) * 0.5;
      rows.push_back(r);
    }
  return rows;
}

TEST(KmeansTest, FindsSeparatedBlobs) {
  CsrMatrix m = csr(blobs());
  KMeansResult r = kmeans(m, {}, KMeansParams{.k = 3, .restarts = 3, .seed = 1});
  ASSERT_EQ(r.labels.size(), 60u);
  for (int b = 0; b < 3; ++b) {
    std::set<uint32_t> got(r.labels.begin() + b * 20, r.labels.begin() + b * 20 + 20);
    EXPECT_EQ(got.size(), 1u) << "blob " << b;
  }
  EXPECT_EQ(std::set<uint32_t>(r.labels.begin(), r.labels.end()).size(), 3u);
  EXPECT_NEAR(r.inertia, brute_inertia(m, {}, r), 1e-9 * r.inertia);
}

TEST(KmeansTest, SeededAndDeterministic) {
  CsrMatrix m = csr(blobs());
  KMeansResult a = kmeans(m, {}, KMeansParams{.k = 5, .restarts = 2, .seed = 42});
  KMeansResult b = kmeans(m, {}, KMeansParams{.k = 5, .restarts = 2, .seed = 42});
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.inertia, b.inertia);
}

TEST(KmeansTest, WeightsCountAsRepeatedRows) {
  // Inertia of a weighted point equals that of the row repeated: check on the result's centroids.
  std::vector<std::vector<double>> rows = {{0, 1}, {1, 0}, {4, 4}, {5, 4}};
  std::vector<double> w = {3, 1, 2, 5};
  CsrMatrix m = csr(rows);
  KMeansResult r = kmeans(m, w, KMeansParams{.k = 2, .restarts = 4, .seed = 0});
  EXPECT_NEAR(r.inertia, brute_inertia(m, w, r), 1e-12);
  // Clusters {0,1} and {2,3}; centroid of {2,3} is (2·(4,4) + 5·(5,4)) / 7.
  EXPECT_EQ(r.labels[0], r.labels[1]);
  EXPECT_EQ(r.labels[2], r.labels[3]);
  const double* c = &r.centroids[r.labels[2] * 2];
  EXPECT_NEAR(c[0], 33.0 / 7, 1e-12);
  EXPECT_NEAR(c[1], 4.0, 1e-12);
}

TEST(KmeansTest, SlicedRunEqualsRunToEnd) {
  CsrMatrix m = csr(blobs());
  KMeansParams p{.k = 4, .restarts = 3, .seed = 9};
  KMeansRun run(m, {}, p);
  int steps = 0;
  while (!run.step(SliceTimer::work(0))) ++steps;  // one unit per step
  EXPECT_GT(steps, 10);
  KMeansResult whole = kmeans(m, {}, p);
  EXPECT_EQ(run.result().labels, whole.labels);
  EXPECT_EQ(run.result().inertia, whole.inertia);
}

TEST(KmeansTest, KLargerThanPointsIsClamped) {
  CsrMatrix m = csr({{1, 0}, {0, 1}});
  KMeansResult r = kmeans(m, {}, KMeansParams{.k = 5});
  EXPECT_EQ(r.k, 2);
  EXPECT_EQ(r.inertia, 0.0);
}

// scikit-learn 1.2 figures: KMeans(n_clusters=k, n_init=10, random_state=0).inertia_ on the
// attributes one-hot (dense float64) of ../shared/data/hf_models_10k.csv, printed by
//   /usr/bin/python3 scripts/sklearn_cluster_reference.py --catalogue ../shared/data/hf_models_10k.csv
// (section "kmeans"). Ours: 10 restarts, seed 0, on the 1,035 collapsed distinct rows.
TEST(KmeansTest, RealCatalogueWithinOnePercentOfSklearn) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto loaded = load_catalogue_file(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  Index idx(std::move(loaded).value());
  const Groups& g = idx.attributes().groups;
  std::vector<double> w(g.size());
  for (uint32_t x = 0; x < g.size(); ++x) w[x] = g.weight(x);
  const double sklearn[13] = {0,
                              0,
                              24889.644698633543,
                              23157.67500464877,
                              21805.507589591674,
                              20710.036830241894,
                              20009.94171516852,
                              19099.273084108525,
                              17879.39069882698,
                              17175.398436962245,
                              16208.765724315366,
                              15858.63706703627,
                              15346.83331437052};
  for (int k = 2; k <= 12; ++k) {
    KMeansResult r = kmeans(g.rows, w, KMeansParams{.k = k, .restarts = 10, .seed = 0});
    EXPECT_LE(r.inertia, sklearn[k] * 1.01) << "k = " << k;
    std::printf("k=%d inertia %.6f sklearn %.6f ratio %.5f\n", k, r.inertia, sklearn[k], r.inertia / sklearn[k]);
  }
}

}  // namespace
}  // namespace hfrec
