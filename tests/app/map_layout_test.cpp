// The cluster map's layout in the app (wasm/app/cluster_controller.h): UMAP by default, laid out in
// slices beside the clustering (the PCA map drawn until it arrives), cached per feature space and
// seed, cancelled without losing the map, chosen through set(), intents and share links.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/controller.h"
#include "app/fake_platform.h"
#include "app/test_app.h"
#include "core/catalogue.h"
#include "core/index.h"
#include "core/knn_graph.h"
#include "core/layout.h"

namespace hfrec::app {
namespace {

using nlohmann::json;

// The same catalogue's UMAP map straight from core, as hfrec layout computes it: the numbers the
// app's map must show.
std::vector<float> core_umap(const std::string& features, uint64_t seed) {
  auto loaded = load_catalogue(sample_csv(), "catalogue.csv");
  EXPECT_TRUE(loaded.ok());
  Index idx(std::move(loaded).value());
  MapSpace space = MapSpace::attributes;
  EXPECT_TRUE(parse_map_space(features, space));
  return umap_layout(make_similarity_space(idx, space), LayoutParams{.seed = seed}).xy;
}

// The points of hfrec.mapPoints() as floats.
std::vector<float> points(App& a) {
  json p = a.call(a.controller.map_points());
  EXPECT_EQ(p["ok"], true) << p.dump();
  std::vector<float> xy;
  for (const auto& q : p["points"]) {
    xy.push_back(q[0].get<float>());
    xy.push_back(q[1].get<float>());
  }
  return xy;
}

json layout(App& a) { return a.call(a.controller.state_json())["layout"]; }

// Loads the sample catalogue and clusters it (k-means) to the end, the layout included.
void cluster(App& a, const std::string& params) {
  ASSERT_EQ(a.load()["ok"], true);
  ASSERT_EQ(a.call(a.controller.cluster(params, 1))["ok"], true);
  a.run();
}

TEST(MapLayout, UmapIsTheDefaultAndItsPointsAreCoresLayout) {
  App a;
  EXPECT_EQ(a.state.map_layout, "umap");
  cluster(a, R"({"algo": "kmeans", "k": 4, "features": "soup", "seed": 3})");
  json l = layout(a);
  EXPECT_EQ(l["method"], "umap");
  EXPECT_EQ(l["shown"], "umap");
  EXPECT_EQ(l["running"], false);
  EXPECT_EQ(l["features"], "soup");
  EXPECT_EQ(l["seed"], 3);
  EXPECT_EQ(l["computed"], 1);
  EXPECT_FALSE(l.contains("preservation"));  // not cheap enough for a step (cluster_controller.cpp)
  EXPECT_GT(l["seconds"].get<double>(), 0.0);
  json p = a.call(a.controller.map_points());
  EXPECT_EQ(p["method"], "umap");
  EXPECT_EQ(p["points"].size(), 55u);
  EXPECT_EQ(points(a), core_umap("soup", 3));
  EXPECT_NE(points(a), core_umap("soup", 4));  // the oracle tells seeds apart
}

TEST(MapLayout, TheClusteringIsUsableWhileTheLayoutRunsOnThePcaMap) {
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  ASSERT_EQ(a.call(a.controller.cluster(R"({"algo": "kmeans", "k": 3, "features": "tfidf"})", 1))["ok"], true);
  // The clustering's steps, then the layout's: stop as soon as the result is in.
  int slices = 0;
  while (!a.state.clusters.has_result && slices++ < 100000) a.controller.tick(1.0);
  ASSERT_TRUE(a.state.clusters.has_result);
  EXPECT_TRUE(a.controller.has_work());
  json l = layout(a);
  EXPECT_EQ(l["running"], true);
  EXPECT_EQ(l["shown"], "pca");
  json p = a.call(a.controller.map_points());
  EXPECT_EQ(p["method"], "pca");
  EXPECT_EQ(p["points"].size(), 55u);
  ASSERT_EQ(a.call(a.controller.select("gpt2"))["ok"], true);
  EXPECT_FALSE(a.state.primary.rows.empty());
  a.controller.tick(1.0);
  json mid = layout(a);
  EXPECT_EQ(mid["running"], true);
  EXPECT_GE(mid["progress"].get<double>(), 0.0);
  EXPECT_LT(mid["progress"].get<double>(), 1.0);
  EXPECT_FALSE(mid["stage"].get<std::string>().empty());
  EXPECT_EQ(a.controller.progress_shown(), Controller::Progress::job) << "the layout's bar is on screen";
  EXPECT_GE(a.run(), 2);  // more than one slice to go, each a step
  EXPECT_EQ(layout(a)["shown"], "umap");
  EXPECT_FALSE(a.controller.has_work());
}

TEST(MapLayout, AClusteringOfTheSameFeaturesAndSeedReusesTheLayout) {
  App a;
  cluster(a, R"({"algo": "kmeans", "k": 4, "features": "attributes", "seed": 0})");
  const std::vector<float> first = points(a);
  ASSERT_EQ(layout(a)["computed"], 1);
  for (const char* p : {R"({"k": 6})", R"({"algo": "ward", "k": 3})", R"({"algo": "kmeans", "k": 2})"}) {
    ASSERT_EQ(a.call(a.controller.cluster(p, 2))["ok"], true) << p;
    a.run();
    EXPECT_EQ(layout(a)["computed"], 1) << p;
    EXPECT_EQ(layout(a)["shown"], "umap");
    EXPECT_EQ(points(a), first) << p;
  }
  // Other features, or another seed, are another map; going back finds the first in the cache.
  ASSERT_EQ(a.call(a.controller.cluster(R"({"features": "soup"})", 3))["ok"], true);
  a.run();
  EXPECT_EQ(layout(a)["computed"], 2);
  ASSERT_EQ(a.call(a.controller.cluster(R"({"features": "attributes", "seed": 1})", 4))["ok"], true);
  a.run();
  EXPECT_EQ(layout(a)["computed"], 3);
  ASSERT_EQ(a.call(a.controller.cluster(R"({"seed": 0})", 5))["ok"], true);
  a.run();
  EXPECT_EQ(layout(a)["computed"], 3);
  EXPECT_EQ(points(a), first);
  // A new catalogue empties the cache.
  ASSERT_EQ(a.load()["ok"], true);
  ASSERT_EQ(a.call(a.controller.cluster(R"({"seed": 0})", 6))["ok"], true);
  a.run();
  EXPECT_EQ(layout(a)["computed"], 1);
}

TEST(MapLayout, PcaShowsTheClusteringsMapAndBackToUmapTakesTheCache) {
  App a;
  cluster(a, R"({"algo": "kmeans", "k": 4, "features": "soup"})");
  const std::vector<float> umap = points(a);
  json r = a.set({{"layout", "pca"}});
  ASSERT_EQ(r["ok"], true) << r.dump();
  EXPECT_EQ(layout(a)["method"], "pca");
  EXPECT_EQ(layout(a)["shown"], "pca");
  EXPECT_FALSE(layout(a).contains("seconds"));
  const std::vector<float> pca = points(a);
  EXPECT_NE(pca, umap);
  EXPECT_FALSE(a.controller.has_work());
  // Through the control, as a person picks it.
  a.state.intents.push_back({Intent::set_layout, "umap"});
  a.controller.apply_intents();
  EXPECT_FALSE(a.controller.has_work());
  EXPECT_EQ(layout(a)["shown"], "umap");
  EXPECT_EQ(layout(a)["computed"], 1);
  EXPECT_EQ(points(a), umap);
}

TEST(MapLayout, CancelLeavesThePreviousMapAndDoesNotStartAgainByItself) {
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  ASSERT_EQ(a.set({{"layout", "pca"}})["ok"], true);
  ASSERT_EQ(a.call(a.controller.cluster(R"({"algo": "kmeans", "k": 4, "features": "tfidf"})", 1))["ok"], true);
  a.run();
  const std::vector<float> pca = points(a);
  ASSERT_EQ(a.set({{"layout", "umap"}})["ok"], true);
  EXPECT_EQ(layout(a)["running"], true);
  a.controller.tick(1.0);
  a.controller.tick(1.0);
  a.state.intents.push_back({Intent::cancel_layout, ""});
  a.controller.apply_intents();
  json l = layout(a);
  EXPECT_EQ(l["running"], false);
  EXPECT_EQ(l["cancelled"], true);
  EXPECT_EQ(l["shown"], "pca");
  EXPECT_EQ(l["computed"], 0);
  EXPECT_FALSE(a.controller.has_work());
  EXPECT_EQ(points(a), pca);
  // A re-cut or another k keeps it cancelled; asking for UMAP again lays it out.
  ASSERT_EQ(a.call(a.controller.cluster(R"({"k": 5})", 2))["ok"], true);
  a.run();
  EXPECT_EQ(layout(a)["shown"], "pca");
  EXPECT_EQ(layout(a)["computed"], 0);
  ASSERT_EQ(a.set({{"layout", "umap"}})["ok"], true);
  a.run();
  EXPECT_EQ(layout(a)["shown"], "umap");
  EXPECT_EQ(layout(a)["cancelled"], false);
  EXPECT_EQ(layout(a)["computed"], 1);
  EXPECT_EQ(points(a), core_umap("tfidf", 0));
}

TEST(MapLayout, SetRefusesAnUnknownLayoutByNameAndChangesNothing) {
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  json r = a.set({{"k", 5}, {"layout", "tsne"}});
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(r["error"], R"(layout: unknown map layout "tsne" (umap, pca))");
  EXPECT_EQ(a.state.k, 10);
  EXPECT_EQ(a.state.map_layout, "umap");
  r = a.set({{"layout", 1}});
  EXPECT_EQ(r["error"], "layout: unknown map layout 1 (umap, pca)");
  EXPECT_EQ(a.call(a.controller.map_points())["ok"], false);
}

TEST(MapLayout, ShareLinksCarryPcaAndOpenUmapByDefault) {
  App a;
  cluster(a, R"({"algo": "kmeans", "k": 4, "features": "soup"})");
  EXPECT_EQ(a.controller.share_link().find("layout="), std::string::npos);  // UMAP, the default
  ASSERT_EQ(a.set({{"layout", "pca"}})["ok"], true);
  const std::string pca_link = a.controller.share_link();
  EXPECT_NE(pca_link.find("&layout=pca"), std::string::npos) << pca_link;
  EXPECT_EQ(a.platform.hashes.back(), pca_link);

  App b;
  ASSERT_EQ(b.load()["ok"], true);
  json r = b.call(b.controller.apply_link(pca_link, -1));
  ASSERT_EQ(r["ok"], true) << r.dump();
  b.run();
  EXPECT_EQ(layout(b)["method"], "pca");
  EXPECT_EQ(layout(b)["shown"], "pca");
  EXPECT_EQ(layout(b)["computed"], 0);
  EXPECT_EQ(b.controller.share_link(), pca_link);

  // layout=umap, or no layout key, opens UMAP; another value is named and the rest kept.
  for (const char* tail : {"&layout=umap", ""}) {
    App c;
    ASSERT_EQ(c.load()["ok"], true);
    c.call(c.controller.apply_link("#view=clusters&algo=kmeans&features=soup&ck=4" + std::string(tail), -1));
    c.run();
    EXPECT_EQ(layout(c)["shown"], "umap") << tail;
    EXPECT_EQ(points(c), core_umap("soup", 0));
  }
  App d;
  ASSERT_EQ(d.load()["ok"], true);
  r = d.call(d.controller.apply_link("#view=clusters&algo=kmeans&ck=4&layout=tsne", -1));
  ASSERT_EQ(r["problems"].size(), 1u) << r.dump();
  EXPECT_EQ(r["problems"][0]["key"], "layout");
  EXPECT_EQ(r["problems"][0]["reason"], "is not a map layout (umap, pca)");
  d.run();
  EXPECT_EQ(d.state.clusters.clusters.size(), 4u);
  EXPECT_EQ(layout(d)["shown"], "umap");
}

}  // namespace
}  // namespace hfrec::app
