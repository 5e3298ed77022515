// 2-D map: equals the dense PCA of the uncollapsed rows (Eigen eigendecomposition of the
// covariance, same sign rule), deterministic, and identical rows are spread around their point.
#include "core/projection.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <set>

#include "core/catalogue.h"
#include "core/kmeans.h"

namespace hfrec {
namespace {

struct Case {
  Catalogue cat;
  CsrMatrix m;  // one row per catalogue row
  Groups groups;
  std::vector<std::vector<double>> dense;
};

Case make_case(uint64_t seed, size_t n, size_t d) {
  Case c;
  ClusterRng rng(seed);
  std::vector<ModelRecord> recs(n);
  c.dense.assign(n, std::vector<double>(d, 0.0));
  for (size_t i = 0; i < n; ++i) {
    recs[i].id = "m" + std::to_string(i);
    recs[i].downloads = static_cast<int64_t>(rng.below(1000));
    if (i >= n / 2 && rng.below(2)) {
      c.dense[i] = c.dense[rng.below(n / 2)];  // a duplicate of an earlier row
      continue;
    }
    for (auto& v : c.dense[i]) v = rng.below(3) == 0 ? double(1 + rng.below(3)) : 0.0;
  }
  c.cat = make_catalogue(recs);
  c.m.n_cols = static_cast<uint32_t>(d);
  for (const auto& r : c.dense) {
    for (uint32_t j = 0; j < d; ++j)
      if (r[j] != 0) {
        c.m.indices.push_back(j);
        c.m.values.push_back(static_cast<float>(r[j]));
      }
    c.m.indptr.push_back(c.m.indices.size());
  }
  c.groups = collapse_rows(c.m, c.cat);
  return c;
}

TEST(ProjectionTest, EqualsDensePcaOfAllRows) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Case c = make_case(seed, 60, 6);
    Projection p = project(c.groups, c.groups.rows);
    const long n = long(c.dense.size()), d = long(c.dense[0].size());
    Eigen::MatrixXd X(n, d);
    for (long i = 0; i < n; ++i)
      for (long j = 0; j < d; ++j) X(i, j) = c.dense[i][j];
    Eigen::MatrixXd C = X.rowwise() - X.colwise().mean();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(C.transpose() * C / double(n - 1));
    for (int comp = 0; comp < 2; ++comp) {
      Eigen::VectorXd v = es.eigenvectors().col(d - 1 - comp);
      Eigen::Index arg;
      v.cwiseAbs().maxCoeff(&arg);
      if (v[arg] < 0) v = -v;
      EXPECT_NEAR(p.variance[comp], es.eigenvalues()[d - 1 - comp], 1e-9) << "seed " << seed;
      const Eigen::VectorXd coord = C * v;
      for (long i = 0; i < n; ++i)
        EXPECT_NEAR(p.group_xy[2 * c.groups.group_of[i] + comp], coord[i], 1e-5) << "seed " << seed << " row " << i;
    }
  }
}

TEST(ProjectionTest, DeterministicAndIdenticalRowsVisible) {
  Case c = make_case(11, 80, 5);
  Projection a = project(c.groups, c.groups.rows), b = project(c.groups, c.groups.rows);
  EXPECT_EQ(a.xy, b.xy);
  ASSERT_EQ(a.xy.size(), 2 * c.cat.size());
  std::set<std::pair<float, float>> seen;
  for (size_t r = 0; r < c.cat.size(); ++r) seen.emplace(a.xy[2 * r], a.xy[2 * r + 1]);
  EXPECT_EQ(seen.size(), c.cat.size()) << "every row has its own position";
  for (uint32_t g = 0; g < c.groups.size(); ++g) {
    const uint32_t first = c.groups.members[c.groups.member_ptr[g]];  // most downloaded
    EXPECT_EQ(a.xy[2 * first], a.group_xy[2 * g]);
    EXPECT_EQ(a.xy[2 * first + 1], a.group_xy[2 * g + 1]);
  }
}

TEST(ProjectionTest, SlicedEqualsWhole) {
  Case c = make_case(4, 50, 7);
  ProjectionRun run(c.groups, c.groups.rows, {});
  int steps = 0;
  while (!run.step(SliceTimer::work(0))) ++steps;
  EXPECT_GT(steps, 3);
  EXPECT_EQ(run.take().xy, project(c.groups, c.groups.rows).xy);
}

}  // namespace
}  // namespace hfrec
