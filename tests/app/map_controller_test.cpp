// The map's side of the app (wasm/app/map_controller.h): a lasso drawn goes into the share link,
// simplified and rounded as core/map_lasso.h keeps it; opening that link selects the same rows
// once the same map is laid out; a malformed lasso is refused and the rest of the link applies.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/controller.h"
#include "app/fake_platform.h"
#include "app/test_app.h"
#include "core/map_lasso.h"

namespace hfrec::app {
namespace {

using nlohmann::json;

// The value of `key` in a hash ("" when absent).
std::string link_value(const std::string& hash, const std::string& key) {
  const size_t at = hash.find("&" + key + "=");
  if (at == std::string::npos) return "";
  const size_t start = at + key.size() + 2, end = hash.find('&', start);
  return hash.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The rows whose points lie inside the polygon, by testing every point (the oracle).
std::vector<uint32_t> inside(const AppState& s, const MapPolygon& poly) {
  std::vector<uint32_t> rows;
  for (uint32_t r = 0; r < s.clusters.map_grid.size(); ++r)
    if (point_in_polygon(poly, s.clusters.map_grid.points.x[r], s.clusters.map_grid.points.y[r])) rows.push_back(r);
  return rows;
}

std::vector<uint32_t> sorted(std::vector<uint32_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// A drawn lasso: 300 points round (cx, cy), as a drag adds them.
MapPolygon circle(double cx, double cy, double r) {
  MapPolygon p;
  for (int i = 0; i < 300; ++i) {
    p.x.push_back(cx + r * std::cos(i * 2 * 3.14159265358979 / 300));
    p.y.push_back(cy + r * std::sin(i * 2 * 3.14159265358979 / 300));
  }
  return p;
}

// The project's catalogue loaded, the Clusters tab open and a clustering started (params:
// hfrec.cluster's JSON).
::testing::AssertionResult start_clustering(App& a, const std::string& params) {
  if (a.load()["ok"] != true) return ::testing::AssertionFailure() << "the catalogue did not load";
  if (a.set({{"view", "clusters"}})["ok"] != true) return ::testing::AssertionFailure() << "no Clusters tab";
  const json r = a.call(a.controller.cluster(params, 1));
  if (r["ok"] != true) return ::testing::AssertionFailure() << "cluster: " << r.dump();
  return ::testing::AssertionSuccess();
}

TEST(MapLasso, TheLassoGoesIntoTheLinkAndTheLinkSelectsTheSameRows) {
  App a;
  ASSERT_TRUE(start_clustering(a, R"({"algo": "kmeans", "k": 4, "features": "attributes", "seed": 3})"));
  a.run();
  ASSERT_EQ(a.state.clusters.layout.shown, "umap");
  a.state.lasso = circle(0.5, 0.5, 0.3);
  a.controller.apply({Intent::lasso, ""});
  const std::vector<uint32_t> want = a.state.clusters.selection;
  ASSERT_GT(want.size(), 0u);
  ASSERT_LT(want.size(), 55u);
  // Kept as core keeps it: 64 vertices, and the rows inside that polygon.
  EXPECT_EQ(a.state.lasso.x.size(), kMaxLassoVertices);
  EXPECT_EQ(sorted(want), inside(a.state, a.state.lasso));
  const std::string hash = a.platform.hashes.back();
  const std::string text = link_value(hash, "lasso");
  EXPECT_EQ(text, format_lasso(a.state.lasso)) << hash;

  // A fresh page opens the link: nothing is selected until the clustering and its UMAP map are
  // in, and the page's own link keeps the lasso meanwhile; then the same rows, in the same order.
  App b;
  ASSERT_EQ(b.load()["ok"], true);
  json r = b.call(b.controller.apply_link(hash, -1));
  ASSERT_EQ(r["ok"], true) << r.dump();
  EXPECT_TRUE(r["problems"].empty());
  EXPECT_TRUE(b.state.clusters.selection.empty());
  EXPECT_EQ(link_value(b.platform.hashes.back(), "lasso"), text);
  b.run();
  EXPECT_EQ(b.state.clusters.layout.shown, "umap");
  EXPECT_EQ(b.state.clusters.selection, want);
  EXPECT_EQ(b.state.lasso.x, a.state.lasso.x);
  EXPECT_EQ(b.controller.share_link(), a.controller.share_link());

  // Another clustering draws another map: the lasso goes, from the map and from the link.
  ASSERT_EQ(b.call(b.controller.cluster(R"({"algo": "kmeans", "k": 5, "features": "attributes", "seed": 3})", 2))["ok"],
            true);
  b.run();
  EXPECT_TRUE(b.state.clusters.selection.empty());
  EXPECT_EQ(link_value(b.platform.hashes.back(), "lasso"), "");
  // Clear (an empty lasso) drops it from the link too.
  a.state.lasso = MapPolygon{};
  a.controller.apply({Intent::lasso, ""});
  EXPECT_TRUE(a.state.clusters.selection.empty());
  EXPECT_EQ(link_value(a.platform.hashes.back(), "lasso"), "");
}

// A lasso drawn on the PCA map shown while the UMAP layout runs selects on that map, but the link
// names the UMAP map, where the polygon would select other rows: the link leaves it out.
TEST(MapLasso, ALassoOnTheMapShownMeanwhileStaysOutOfTheLink) {
  App a;
  ASSERT_TRUE(start_clustering(a, R"({"algo": "kmeans", "k": 3, "features": "tfidf", "seed": 3})"));
  int slices = 0;
  while (!a.state.clusters.has_result && slices++ < 100000) a.controller.tick(1.0);
  ASSERT_TRUE(a.state.clusters.has_result);
  ASSERT_TRUE(a.state.clusters.layout.running);
  ASSERT_EQ(a.state.clusters.layout.shown, "pca");
  a.state.lasso = circle(0.5, 0.5, 0.45);
  a.controller.apply({Intent::lasso, ""});
  EXPECT_FALSE(a.state.clusters.selection.empty()) << "the lasso selects on the map drawn";
  EXPECT_EQ(link_value(a.platform.hashes.back(), "lasso"), "") << a.platform.hashes.back();
  EXPECT_EQ(link_value(a.controller.share_link(), "lasso"), "");
  // On the UMAP map, once it is in, a lasso goes into the link again.
  a.run();
  ASSERT_EQ(a.state.clusters.layout.shown, "umap");
  EXPECT_TRUE(a.state.clusters.selection.empty()) << "the PCA map's lasso went with that map";
  a.state.lasso = circle(0.5, 0.5, 0.45);
  a.controller.apply({Intent::lasso, ""});
  EXPECT_FALSE(a.state.clusters.selection.empty());
  EXPECT_EQ(link_value(a.platform.hashes.back(), "lasso"), format_lasso(a.state.lasso));
}

TEST(MapLasso, AMalformedLassoIsRefusedAndTheRestOfTheLinkApplies) {
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  json r = a.call(a.controller.apply_link("#view=clusters&algo=kmeans&features=attributes&ck=3&lasso=0.1,0.1,0.9", -1));
  ASSERT_EQ(r["ok"], true) << r.dump();
  ASSERT_EQ(r["problems"].size(), 1u);
  EXPECT_EQ(r["problems"][0]["key"], "lasso");
  EXPECT_EQ(r["problems"][0]["reason"], "is not a lasso (3 numbers: x,y pairs need an even count)");
  EXPECT_NE(a.state.notice.find("lasso=0.1,0.1,0.9 is not a lasso"), std::string::npos) << a.state.notice;
  a.run();
  EXPECT_EQ(a.state.view, View::clusters);
  EXPECT_EQ(a.state.clusters.clusters.size(), 3u);
  EXPECT_TRUE(a.state.clusters.selection.empty());
  EXPECT_EQ(link_value(a.platform.hashes.back(), "lasso"), "");
}

}  // namespace
}  // namespace hfrec::app
