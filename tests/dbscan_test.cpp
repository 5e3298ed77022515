// DBSCAN: exact neighbourhood decisions at ties, equality with a brute-force scikit-learn-style
// oracle (row by row, stack expansion as sklearn's dbscan_inner) on random binary rows, and
// scikit-learn's labels on the real catalogue up to renaming.
#include "core/dbscan.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "core/catalogue.h"
#include "core/kmeans.h"
#include "core/recommender.h"
#include "test_util.h"

namespace hfrec {
namespace {

using Rows = std::vector<std::vector<int>>;

TEST(DbscanTest, ExactDecisionsAtTies) {
  // cos = 1/sqrt(1·4) = 0.5: distance exactly 0.5 is a neighbour at eps 0.5 (<=), not just below.
  EXPECT_TRUE(cosine_within_exact(1, 1, 4, 0.5));
  EXPECT_FALSE(cosine_within_exact(1, 1, 4, std::nextafter(0.5, 0.0)));
  // 1 - 7/10 = 0.3 exactly, but the double 0.3 is 0.29999999999999998890: not a neighbour.
  EXPECT_FALSE(cosine_within_exact(7, 10, 10, 0.3));
  EXPECT_TRUE(cosine_within_exact(7, 10, 10, std::nextafter(0.3, 1.0)));
  EXPECT_TRUE(cosine_within_exact(0, 3, 3, 1.0));
  EXPECT_FALSE(cosine_within_exact(0, 3, 3, 0.999));
  EXPECT_FALSE(cosine_within_exact(2, 0, 3, 0.5));    // zero row: distance 1
  EXPECT_TRUE(cosine_within_exact(3, 3, 3, 1e-300));  // identical direction
  EXPECT_TRUE(euclidean_within_exact(4, 2.0));
  EXPECT_FALSE(euclidean_within_exact(5, 2.0));
  EXPECT_TRUE(euclidean_within_exact(2, std::sqrt(2.0)));  // the double sqrt(2) rounds up
  EXPECT_FALSE(euclidean_within_exact(2, std::nextafter(std::sqrt(2.0), 0.0)));
}

// eps = p / q exactly.
struct Eps {
  int64_t p, q;
  double value() const { return double(p) / double(q); }
};

bool oracle_within(const std::vector<int>& x, const std::vector<int>& y, Eps e, bool cosine) {
  int64_t i = 0, a = 0, b = 0;
  for (size_t j = 0; j < x.size(); ++j) i += x[j] * y[j], a += x[j] * x[j], b += y[j] * y[j];
  if (cosine) {  // 1 - i/sqrt(ab) <= p/q  <=>  q i >= (q - p) sqrt(ab)
    if (a == 0 || b == 0) return e.p >= e.q;
    const int64_t t = e.q - e.p;
    if (t <= 0) return true;
    return e.q * i >= 0 && (e.q * i) * (e.q * i) >= t * t * a * b;
  }
  const int64_t d2 = a + b - 2 * i;  // sqrt(d2) <= p/q  <=>  d2 q² <= p²
  return d2 * e.q * e.q <= e.p * e.p;
}

// scikit-learn's algorithm on every row: neighbourhoods (self included), core flags, then
// dbscan_inner's stack expansion in row order.
std::vector<int32_t> oracle_dbscan(const Rows& x, Eps e, int min_samples, bool cosine) {
  const size_t n = x.size();
  std::vector<std::vector<size_t>> nb(n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j)
      if (i == j || oracle_within(x[i], x[j], e, cosine)) nb[i].push_back(j);
  std::vector<char> core(n);
  for (size_t i = 0; i < n; ++i) core[i] = nb[i].size() >= size_t(min_samples);
  std::vector<int32_t> labels(n, -1);
  int32_t next = 0;
  for (size_t i0 = 0; i0 < n; ++i0) {
    if (labels[i0] != -1 || !core[i0]) continue;
    std::vector<size_t> stack;
    size_t i = i0;
    while (true) {
      if (labels[i] == -1) {
        labels[i] = next;
        if (core[i])
          for (size_t j : nb[i])
            if (labels[j] == -1) stack.push_back(j);
      }
      if (stack.empty()) break;
      i = stack.back();
      stack.pop_back();
    }
    ++next;
  }
  return labels;
}

// Collapses identical rows in order of first occurrence: points, weights, and row -> point.
void collapse(const Rows& x, CsrMatrix& m, std::vector<double>& w, std::vector<uint32_t>& of) {
  std::map<std::vector<int>, uint32_t> at;
  m = CsrMatrix{};
  m.n_cols = static_cast<uint32_t>(x[0].size());
  w.clear();
  of.clear();
  for (const auto& r : x) {
    auto [it, inserted] = at.emplace(r, static_cast<uint32_t>(w.size()));
    of.push_back(it->second);
    if (!inserted) {
      w[it->second] += 1;
      continue;
    }
    for (uint32_t j = 0; j < r.size(); ++j)
      if (r[j]) {
        m.indices.push_back(j);
        m.values.push_back(static_cast<float>(r[j]));
      }
    m.indptr.push_back(m.indices.size());
    w.push_back(1);
  }
}

TEST(DbscanTest, MatchesBruteForceOracleOnRandomRows) {
  const Eps eps_cos[] = {{1, 2}, {1, 4}, {3, 4}, {3, 8}, {5, 16}};  // dyadic: the double is exactly p/q
  const Eps eps_euc[] = {{3, 2}, {2, 1}, {1, 1}, {5, 2}};
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    ClusterRng rng(seed);
    const size_t n = 40 + rng.below(60), d = 3 + rng.below(6);
    const bool counts = seed % 3 == 0;  // integer counts instead of 0/1
    Rows x(n, std::vector<int>(d));
    for (auto& r : x)
      for (auto& v : r) v = rng.below(3) == 0 ? int(counts ? 1 + rng.below(3) : 1) : 0;
    CsrMatrix m;
    std::vector<double> w;
    std::vector<uint32_t> of;
    collapse(x, m, w, of);
    for (int ms : {1, 3, 6}) {
      for (bool cosine : {true, false}) {
        for (const Eps& e : cosine ? std::vector<Eps>(std::begin(eps_cos), std::end(eps_cos))
                                   : std::vector<Eps>(std::begin(eps_euc), std::end(eps_euc))) {
          if (cosine) {  // the oracle puts all-zero rows at distance 1, as scikit-learn
            bool has_zero = false;
            for (const auto& r : x) has_zero = has_zero || std::count(r.begin(), r.end(), 0) == long(d);
            if (has_zero && ms == 1) continue;  // documented: zero rows stay together
          }
          DbscanParams p{
              .eps = e.value(), .min_samples = ms, .metric = cosine ? DbscanMetric::cosine : DbscanMetric::euclidean};
          std::vector<int32_t> g = dbscan(m, w, p), ours(n);
          for (size_t r = 0; r < n; ++r) ours[r] = g[of[r]];
          EXPECT_EQ(ours, oracle_dbscan(x, e, ms, cosine)) << "seed " << seed << " eps " << e.value() << " min_samples "
                                                           << ms << (cosine ? " cosine" : " euclidean");
        }
      }
    }
  }
}

TEST(DbscanTest, SlicedRunEqualsWhole) {
  ClusterRng rng(3);
  Rows x(200, std::vector<int>(6));
  for (auto& r : x)
    for (auto& v : r) v = rng.below(2);
  CsrMatrix m;
  std::vector<double> w;
  std::vector<uint32_t> of;
  collapse(x, m, w, of);
  DbscanParams p{.eps = 0.4, .min_samples = 4};
  DbscanRun run(m, w, p);
  int steps = 0;
  while (!run.step(SliceTimer::work(0))) ++steps;
  EXPECT_GT(steps, 3);
  EXPECT_EQ(run.labels(), dbscan(m, w, p));
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

// scikit-learn 1.2 DBSCAN(eps, min_samples=5, metric) on the attributes one-hot (dense float64) of
// ../shared/data/hf_models_10k.csv, from
//   /usr/bin/python3 scripts/sklearn_cluster_reference.py --catalogue ../shared/data/hf_models_10k.csv
// (section "dbscan"; the smallest |distance - eps| over pairs of distinct rows is 0.007107, 0.02735, 0.0165, 0.2 for
// these eps: no pair lies within 1e-9 of eps).
TEST(DbscanTest, RealCatalogueMatchesSklearnUpToRenaming) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto loaded = load_catalogue_file(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  Index idx(std::move(loaded).value());
  const Groups& g = idx.attributes().groups;
  std::vector<double> w(g.size());
  for (uint32_t x = 0; x < g.size(); ++x) w[x] = g.weight(x);
  struct Case {
    DbscanMetric metric;
    double eps;
    int clusters, noise;
    const char* fingerprint;
  };
  const Case cases[] = {{DbscanMetric::cosine, 0.3, 133, 802, "1e2ccaef39474e37"},
                        {DbscanMetric::cosine, 0.45, 25, 186, "056a34a2393fd4c4"},
                        {DbscanMetric::cosine, 0.2, 205, 1049, "75fad5ab3c99df2f"},
                        {DbscanMetric::euclidean, 1.2, 199, 1043, "95ad7dfc198c34ad"}};
  for (const Case& c : cases) {
    std::vector<int32_t> gl = dbscan(g.rows, w, DbscanParams{.eps = c.eps, .min_samples = 5, .metric = c.metric});
    std::vector<int32_t> labels(g.group_of.size());
    for (size_t r = 0; r < labels.size(); ++r) labels[r] = gl[g.group_of[r]];
    int clusters = 0, noise = 0;
    for (int32_t l : labels) clusters = std::max(clusters, l + 1), noise += l == kNoise;
    EXPECT_EQ(clusters, c.clusters) << "eps " << c.eps;
    EXPECT_EQ(noise, c.noise) << "eps " << c.eps;
    EXPECT_EQ(fingerprint(labels), c.fingerprint) << "eps " << c.eps;
  }
}

}  // namespace
}  // namespace hfrec
