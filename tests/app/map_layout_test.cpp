// The cluster map's layout in the app (wasm/app/cluster_controller.h): UMAP by default, laid out in
// slices beside the clustering (the PCA map drawn until it arrives), cached per feature space and
// seed, cancelled without losing the map, chosen through set(), intents and share links.
#include <gtest/gtest.h>

#include <algorithm>
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
  a.controller.tick(0.0);  // the least step, whatever the machine's speed
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
  a.controller.tick(0.0);
  a.controller.tick(0.0);
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

// map.features: a UMAP map of another space than the clustering's (hybrid, which no clustering
// uses), over the same clusters, cached beside the others, carried by links as map=.
TEST(MapLayout, TheMapCanBeLaidOutFromAnotherSpaceThanTheClusterings) {
  App a;
  cluster(a, R"({"algo": "kmeans", "k": 4, "features": "soup", "seed": 2})");
  const std::vector<float> soup = points(a);
  ASSERT_EQ(soup, core_umap("soup", 2));
  EXPECT_EQ(a.call(a.controller.state_json())["map"]["features"], "clusters");
  const std::vector<int> labels = a.state.clusters.labels;

  json r = a.set({{"map", {{"features", "hybrid"}}}});
  ASSERT_EQ(r["ok"], true) << r.dump();
  EXPECT_EQ(a.call(a.controller.state_json())["map"]["features"], "hybrid");
  // Laid out in steps, the PCA map shown meanwhile; the clustering is not run again.
  json l = layout(a);
  EXPECT_EQ(l["running"], true);
  EXPECT_EQ(l["features"], "hybrid");
  EXPECT_EQ(l["shown"], "pca");
  EXPECT_FALSE(a.state.clusters.running);
  a.run();
  l = layout(a);
  EXPECT_EQ(l["shown"], "umap");
  EXPECT_EQ(l["features"], "hybrid");
  EXPECT_EQ(l["seed"], 2);
  EXPECT_EQ(l["computed"], 2);
  EXPECT_EQ(points(a), core_umap("hybrid", 2));
  EXPECT_NE(core_umap("hybrid", 2), soup);  // the oracle tells the spaces apart
  EXPECT_EQ(a.state.clusters.labels, labels);
  EXPECT_EQ(a.state.clusters.params.features, "soup");
  const std::string link = a.controller.share_link();
  EXPECT_NE(link.find("&map=hybrid"), std::string::npos) << link;
  EXPECT_EQ(a.platform.hashes.back(), link);

  // Back to the clustering's space: the cached soup map, nothing computed.
  a.state.intents.push_back({Intent::set_map_features, "clusters"});
  a.controller.apply_intents();
  EXPECT_FALSE(a.controller.has_work());
  EXPECT_EQ(layout(a)["features"], "soup");
  EXPECT_EQ(layout(a)["computed"], 2);
  EXPECT_EQ(points(a), soup);
  EXPECT_EQ(a.controller.share_link().find("map="), std::string::npos);  // the default goes unsaid
  // Naming the clustering's own space is the same map.
  ASSERT_EQ(a.set({{"map", {{"features", "soup"}}}})["ok"], true);
  EXPECT_FALSE(a.controller.has_work());
  EXPECT_EQ(points(a), soup);

  // The link opens the hybrid map over the link's clustering.
  App b;
  ASSERT_EQ(b.load()["ok"], true);
  r = b.call(b.controller.apply_link(link, -1));
  ASSERT_EQ(r["ok"], true) << r.dump();
  b.run();
  EXPECT_EQ(layout(b)["shown"], "umap");
  EXPECT_EQ(layout(b)["features"], "hybrid");
  EXPECT_EQ(points(b), core_umap("hybrid", 2));
  EXPECT_EQ(b.state.clusters.params.features, "soup");
  EXPECT_EQ(b.controller.share_link(), link);
}

TEST(MapLayout, AnUnknownMapSpaceIsRefusedByNameAndChangesNothing) {
  App a;
  cluster(a, R"({"algo": "kmeans", "k": 4, "features": "attributes"})");
  const std::vector<float> before = points(a);
  json r = a.set({{"k", 5}, {"map", {{"features", "pca"}}}});
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(r["error"], R"(map.features: unknown map space "pca" (clusters, attributes, soup, tfidf, hybrid))");
  r = a.set({{"map", {{"features", nullptr}}}});
  EXPECT_EQ(r["error"], "map.features: unknown map space null (clusters, attributes, soup, tfidf, hybrid)");
  EXPECT_EQ(a.state.k, 10);
  EXPECT_EQ(a.state.map_features, "clusters");
  EXPECT_FALSE(a.controller.has_work());
  EXPECT_EQ(points(a), before);

  App d;
  ASSERT_EQ(d.load()["ok"], true);
  r = d.call(d.controller.apply_link("#view=clusters&algo=kmeans&ck=4&map=umap", -1));
  ASSERT_EQ(r["problems"].size(), 1u) << r.dump();
  EXPECT_EQ(r["problems"][0]["key"], "map");
  EXPECT_EQ(r["problems"][0]["reason"], "is not a map space (clusters, attributes, soup, tfidf, hybrid)");
  d.run();
  EXPECT_EQ(d.state.clusters.clusters.size(), 4u);
  EXPECT_EQ(layout(d)["features"], "attributes");
}

TEST(MapLayout, ACancelledSpaceShowsThePcaMapNotAnotherSpacesUmap) {
  App a;
  cluster(a, R"({"algo": "kmeans", "k": 4, "features": "tfidf"})");
  ASSERT_EQ(layout(a)["shown"], "umap");
  ASSERT_EQ(a.set({{"map", {{"features", "hybrid"}}}})["ok"], true);
  a.controller.tick(0.0);
  a.state.intents.push_back({Intent::cancel_layout, ""});
  a.controller.apply_intents();
  EXPECT_EQ(layout(a)["cancelled"], true);
  EXPECT_EQ(layout(a)["shown"], "pca");
  // Another clustering keeps it cancelled and shows its PCA map, not tfidf's UMAP map.
  ASSERT_EQ(a.call(a.controller.cluster(R"({"k": 5})", 2))["ok"], true);
  a.run();
  EXPECT_EQ(layout(a)["shown"], "pca");
  EXPECT_EQ(a.call(a.controller.map_points())["method"], "pca");
  // Choosing it again lays it out.
  a.state.intents.push_back({Intent::set_map_features, "hybrid"});
  a.controller.apply_intents();
  a.run();
  EXPECT_EQ(layout(a)["shown"], "umap");
  EXPECT_EQ(layout(a)["features"], "hybrid");
  EXPECT_EQ(points(a), core_umap("hybrid", 0));
}

// The hybrid map right after a load: the layout waits for the model the load builds in slices of
// its own instead of building it in one step (Index::hybrid() would, a second at 100k rows).
TEST(MapLayout, AHybridMapWaitsForTheLoadsHybridModel) {
  // 300 models with 1,500 tags each: a hybrid model of many terms (many slices), clustered by Ward
  // on their few attributes (2 distinct rows: a few slices; k-means' restarts take more slices than
  // the model).
  std::string csv = "modelId,tags,pipeline_tag,library_name,downloads\n";
  for (int r = 0; r < 300; ++r) {
    csv += "org/model-" + std::to_string(r) + ",\"[";
    for (int t = 0; t < 1500; ++t)
      csv += (t ? ", '" : "'") + std::string("tag") + std::to_string((r * 7 + t * 13) % 4000) + "'";
    csv += "]\"," + std::string(r % 3 ? "fill-mask" : "text-generation") + ",transformers," + std::to_string(r) + "\n";
  }
  App a;
  const int id = a.controller.begin_load(csv, "big.csv", "");
  while (a.platform.loads.empty()) a.controller.tick(1.0);
  ASSERT_EQ(a.platform.loads.back().first, id);
  ASSERT_EQ(a.set({{"map", {{"features", "hybrid"}}}})["ok"], true);
  ASSERT_EQ(a.call(a.controller.cluster(R"({"algo": "ward", "k": 2, "features": "attributes"})", 1))["ok"], true);
  // Ticks of no time: each job takes the least step it can, so how far each has got does not
  // depend on the machine's speed (with 1 ms ticks and k-means, a clang build had the model ready
  // before the layout started, and the test failed once in CI). Here the layout starts at the 20th
  // tick and waits 6.
  std::vector<std::string> stages;
  for (int i = 0; i < 1000000 && a.controller.tick(0.0); ++i) {
    const std::string st = layout(a).value("stage", "");
    if (!st.empty() && (stages.empty() || stages.back() != st)) stages.push_back(st);
  }
  const auto waited = std::find(stages.begin(), stages.end(), "layout: waiting for the hybrid model");
  ASSERT_NE(waited, stages.end()) << "the layout waited for the model: " << ::testing::PrintToString(stages);
  EXPECT_NE(std::find(waited, stages.end(), "layout: feature space"), stages.end()) << "then built its space in slices";
  EXPECT_EQ(layout(a)["shown"], "umap");
  EXPECT_EQ(layout(a)["features"], "hybrid");
  // The map is core's for the same catalogue.
  auto loaded = load_catalogue(csv, "big.csv");
  ASSERT_TRUE(loaded.ok());
  Index idx(std::move(loaded).value());
  EXPECT_EQ(points(a), umap_layout(make_similarity_space(idx, MapSpace::hybrid), LayoutParams{.seed = 0}).xy);
}

// A link does not start a long layout by itself (issue 16, item 5): it is held, said, and laid out
// when the person asks; set() and the person's own choices are not held.
TEST(MapLayout, ALinksLongLayoutWaitsForThePerson) {
  const std::string link = "#view=clusters&algo=kmeans&features=attributes&ck=3&map=hybrid";
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  a.state.clusters.layout.auto_start_seconds = 0;  // every layout counts as long
  ASSERT_EQ(a.call(a.controller.apply_link(link, -1))["ok"], true);
  a.run();
  json l = layout(a);
  EXPECT_EQ(a.state.clusters.clusters.size(), 3u);
  EXPECT_EQ(l["shown"], "pca");
  EXPECT_EQ(l["running"], false);
  EXPECT_EQ(l["computed"], 0);
  const std::string held = l.value("held", "");
  EXPECT_NE(held.find("UMAP map of hybrid for 55 models"), std::string::npos) << held;
  EXPECT_NE(held.find("press Lay out"), std::string::npos) << held;
  // Another clustering from the link's view stays held; the person's Lay out lays it out.
  a.state.intents.push_back({Intent::set_layout, "umap"});
  a.controller.apply_intents();
  a.run();
  l = layout(a);
  EXPECT_EQ(l["shown"], "umap");
  EXPECT_FALSE(l.contains("held"));
  EXPECT_EQ(points(a), core_umap("hybrid", 0));

  // The same view through set() (the API asks) is laid out at once.
  App b;
  ASSERT_EQ(b.load()["ok"], true);
  b.state.clusters.layout.auto_start_seconds = 0;
  json r = b.set({{"view", "clusters"},
                  {"cluster", {{"algo", "kmeans"}, {"features", "attributes"}, {"k", 3}}},
                  {"map", {{"features", "hybrid"}}}});
  ASSERT_EQ(r["ok"], true) << r.dump();
  b.run();
  EXPECT_EQ(layout(b)["shown"], "umap");
  EXPECT_FALSE(layout(b).contains("held"));

  // After a link, the person's Run lays out the map of the clustering it makes.
  App c;
  ASSERT_EQ(c.load()["ok"], true);
  c.state.clusters.layout.auto_start_seconds = 0;
  ASSERT_EQ(c.call(c.controller.apply_link(link, -1))["ok"], true);
  c.run();
  ASSERT_EQ(layout(c)["shown"], "pca");
  c.state.cluster_draft.k = 4;
  c.state.intents.push_back({Intent::run_cluster, ""});
  c.controller.apply_intents();
  c.run();
  EXPECT_EQ(layout(c)["shown"], "umap");
  EXPECT_EQ(c.state.clusters.clusters.size(), 4u);

  // A held map does not outlive its catalogue: loaded again, the link's view lays out the map the
  // new catalogue's estimate allows (the default threshold) instead of keeping the old hold with
  // no note and no button.
  App d;
  ASSERT_EQ(d.load()["ok"], true);
  d.state.clusters.layout.auto_start_seconds = 0;
  ASSERT_EQ(d.call(d.controller.apply_link(link, -1))["ok"], true);
  d.run();
  ASSERT_TRUE(layout(d).contains("held"));
  ASSERT_EQ(d.load()["ok"], true);
  d.run();
  EXPECT_EQ(d.state.clusters.clusters.size(), 3u);
  EXPECT_EQ(layout(d)["shown"], "umap");
  EXPECT_EQ(points(d), core_umap("hybrid", 0));
}

}  // namespace
}  // namespace hfrec::app
