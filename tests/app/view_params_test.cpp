// The view model (ViewParams and its one writer) and the one table of keys and ranges
// (core/view_params.h) as the app uses it: share links and set() accept and refuse the same
// values, set() is all-or-nothing, and set() refuses what a share link could not carry.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "app/cluster_controller.h"
#include "app/controller.h"
#include "app/fake_platform.h"
#include "app/test_app.h"
#include "core/share_link.h"
#include "core/view_params.h"

namespace hfrec::app {
namespace {

using nlohmann::json;

// set()'s JSON for one table row's api path ("map.zoom" -> {"map": {"zoom": v}}).
json at_path(std::string_view path, const json& v) {
  const size_t dot = path.find('.');
  if (dot == std::string_view::npos) return json{{std::string(path), v}};
  return json{{std::string(path.substr(0, dot)), {{std::string(path.substr(dot + 1)), v}}}};
}

// Values on each side of a row's bounds: the bounds are accepted, the values beyond refused.
struct Probe {
  double value;
  bool accepted;
};
std::vector<Probe> probes(const ParamSpec& s) {
  const double step = s.type == ParamType::integer ? 1 : (s.hi - s.lo) / 1000;
  std::vector<Probe> v{{s.hi, true}, {s.hi + step, false}};
  if (s.lo_open) v.push_back({s.lo, false}), v.push_back({s.lo + step, true});
  else v.push_back({s.lo, true}), v.push_back({s.lo - step, false});
  return v;
}

std::string link_text(double v, ParamType t) {
  if (t == ParamType::integer) return std::to_string(static_cast<long long>(v));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

TEST(ViewParams, LinksAndSetAcceptAndRefuseTheSameValuesForEveryRangedKey) {
  int checked = 0;
  for (int i = 0; i <= static_cast<int>(Param::rows); ++i) {
    const ParamSpec& s = param_spec(static_cast<Param>(i));
    if (s.type != ParamType::integer && s.type != ParamType::number) continue;
    if (s.link.empty() || s.api.empty() || s.hi >= 1.8e19) continue;  // seed: any unsigned 64-bit
    for (const Probe& p : probes(s)) {
      SCOPED_TRACE(std::string(s.link) + "=" + link_text(p.value, s.type));
      // The share link.
      auto parts = parse_share_link_parts("#" + std::string(s.link) + "=" + link_text(p.value, s.type), "");
      ASSERT_TRUE(parts.ok());
      EXPECT_EQ(parts.value().problems.empty(), p.accepted);
      // set() (cluster.* through the parser set() and cluster() share, since set() would run it).
      const json value = s.type == ParamType::integer ? json(static_cast<int64_t>(p.value)) : json(p.value);
      if (s.api.rfind("cluster.", 0) == 0 && s.param != Param::focus) {
        ClusterParams cp;
        EXPECT_EQ(parse_cluster_params(json{{std::string(s.api.substr(8)), value}}, cp).ok(), p.accepted);
      } else {
        App a;
        json r = a.set(at_path(s.api, value));
        EXPECT_EQ(r["ok"], p.accepted) << r.dump();
        if (!p.accepted) {
          EXPECT_NE(r["error"].get<std::string>().find("must be"), std::string::npos) << r.dump();
        }
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 4 * 9);  // k, ck, eps, min_samples, cut, focus, zoom, cx, cy
}

TEST(ViewParams, SetChangesNothingWhenItsClusteringCannotStart) {
  App a;  // no catalogue: a clustering cannot start
  json r = a.set({{"method", "jaccard"},
                  {"k", 5},
                  {"map", {{"sizeByDownloads", true}, {"zoom", 2}}},
                  {"cluster", {{"algo", "ward"}, {"k", 4}}}});
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(r["error"], "cluster: no catalogue is loaded");
  EXPECT_EQ(a.state.method, "hybrid");
  EXPECT_EQ(a.state.k, 10);
  EXPECT_FALSE(a.state.size_by_downloads);
  EXPECT_EQ(a.state.map.zoom, 1);
  EXPECT_EQ(a.state.cluster_draft.algo, "kmeans");
}

TEST(ViewParams, SetRefusesFiltersAShareLinkCouldNotCarry) {
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  json many = json::array();
  for (size_t i = 0; i <= kMaxFilterValues; ++i) many.push_back("task-" + std::to_string(i));
  json r = a.set({{"filters", {{"tasks", many}}}});
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(r["error"], "filters: more than " + std::to_string(kMaxFilterValues) + " values");
  r = a.set({{"filters", {{"libraries", {std::string(257, 'x')}}}}});
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(r["error"], "filters.libraries: a value must be 1 to 256 bytes, got 257");
  EXPECT_TRUE(a.state.tasks.empty() || !a.state.tasks[0].on);
  // The most a set() takes makes a link the page opens whole.
  many.erase(many.end() - 1);
  r = a.set({{"filters", {{"tasks", many}}}});
  ASSERT_EQ(r["ok"], true) << r.dump();
  auto parts = parse_share_link_parts(a.controller.share_link(), "");
  ASSERT_TRUE(parts.ok()) << parts.error();
  EXPECT_TRUE(parts.value().problems.empty());
  EXPECT_EQ(parts.value().link.tasks.size(), kMaxFilterValues);
}

TEST(ViewParams, SeedsUpTo2To64AreTakenAsLinksTakeThem) {
  ClusterParams p;
  ASSERT_TRUE(parse_cluster_params(json{{"seed", 18446744073709551615ull}}, p).ok());
  EXPECT_EQ(p.seed, 18446744073709551615ull);
  Status st = parse_cluster_params(json{{"seed", -1}}, p);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error(), "cluster.seed: must be a non-negative integer, got -1");
  auto link = parse_share_link("#seed=18446744073709551615", "");
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(*link.value().seed, 18446744073709551615ull);
}

TEST(ViewParams, EveryControlGoesThroughTheOneWriter) {
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  a.controller.select("bert-base-uncased");
  const size_t frames = a.platform.hashes.size();
  a.controller.apply({Intent::set_method, "jaccard"});
  a.controller.apply({Intent::set_compare, "tfidf"});
  a.controller.apply({Intent::set_k, "", 500});  // clamped as the slider's range is
  a.controller.apply({Intent::toggle_filter, "fill-mask", 0});
  EXPECT_EQ(a.state.method, "jaccard");
  EXPECT_EQ(a.state.compare, "tfidf");
  EXPECT_EQ(a.state.k, 100);
  ASSERT_FALSE(a.state.primary.rows.empty());
  for (const auto& r : a.state.primary.rows) EXPECT_EQ(r.task, "fill-mask") << r.model_id;
  EXPECT_EQ(a.platform.hashes.size(), frames + 4);  // each a history entry
  a.controller.apply({Intent::set_method, "no-such-method"});
  EXPECT_EQ(a.state.method, "jaccard");
  EXPECT_EQ(a.platform.hashes.size(), frames + 4);
  a.controller.apply({Intent::set_compare, ""});
  EXPECT_EQ(a.state.compare, "");
}

TEST(ViewParams, ALinksUnknownKeysSurviveTheLinksThePageWrites) {
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  a.controller.apply_link("#model=gpt2&lens=2&future=x%20y", -1);
  EXPECT_NE(a.platform.hashes.back().find("&lens=2&future=x%20y"), std::string::npos) << a.platform.hashes.back();
  a.controller.apply({Intent::set_k, "", 7});
  EXPECT_NE(a.platform.hashes.back().find("k=7"), std::string::npos) << a.platform.hashes.back();
  EXPECT_NE(a.platform.hashes.back().find("&lens=2&future=x%20y"), std::string::npos) << a.platform.hashes.back();
  a.controller.apply_link("#model=gpt2", -1);  // a new link brings its own keys
  EXPECT_EQ(a.platform.hashes.back().find("lens="), std::string::npos) << a.platform.hashes.back();
}

TEST(ViewParams, ALinksMissingModelIsQuotedShortInTheBanner) {
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  const std::string sentence = "zz " + std::string(300, 'x') + " PLEASE CALL +1 555 0100 TO RESTORE YOUR ACCOUNT";
  a.controller.apply_link("#model=" + percent_encode(sentence), -1);
  EXPECT_LT(a.state.error.size(), 200u) << a.state.error;
  EXPECT_EQ(a.state.error.find("PLEASE CALL"), std::string::npos) << a.state.error;
  EXPECT_NE(a.state.error.find("(" + std::to_string(sentence.size()) + " bytes)"), std::string::npos) << a.state.error;
}

TEST(ViewParams, ALinksFilterValueTheCatalogueLacksIsShownAndCleared) {
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  a.controller.apply_link("#model=gpt2&task=text-generation-old", -1);
  const auto missing = std::find_if(a.state.tasks.begin(), a.state.tasks.end(),
                                    [](const FilterOption& o) { return o.value == "text-generation-old"; });
  ASSERT_NE(missing, a.state.tasks.end()) << "the combo lists it";
  EXPECT_TRUE(missing->on);
  EXPECT_TRUE(missing->missing);
  EXPECT_EQ(missing->count, 0u);
  EXPECT_TRUE(a.state.primary.rows.empty());  // no model has it
  a.controller.apply({Intent::clear_filters, ""});
  EXPECT_TRUE(std::none_of(a.state.tasks.begin(), a.state.tasks.end(),
                           [](const FilterOption& o) { return o.missing || o.on; }));
  EXPECT_FALSE(a.state.primary.rows.empty());
}

TEST(ViewParams, OpenOnHuggingFaceOnlyForIdsThatNameAHubPage) {
  App a;
  a.controller.begin_load(
      "modelId,pipeline_tag,downloads\nowner/model,fill-mask,5\nowner/../x,fill-mask,3\n./y,fill-mask,1\n", "odd.csv",
      "");
  while (a.controller.tick(1.0)) {}
  ASSERT_TRUE(a.state.has_catalogue) << a.state.error;
  a.controller.select("owner/model");
  EXPECT_EQ(a.state.query_url, "https://huggingface.co/owner/model");
  for (const char* id : {"owner/../x", "./y"}) {
    a.controller.select(id);
    EXPECT_EQ(a.state.query, id);
    EXPECT_EQ(a.state.query_url, "") << id;
    EXPECT_EQ(json::parse(a.controller.state_json())["queryUrl"], "");
  }
}

TEST(ViewParams, ALinksClusterCountAboveTheRowsIsNamedWhenOpened) {
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  json r = a.call(a.controller.apply_link("#model=gpt2&view=clusters&algo=kmeans&ck=5000", -1));
  EXPECT_EQ(r["ok"], true) << r.dump();
  EXPECT_EQ(r["problems"][0], (json{{"key", "ck"}, {"value", "5000"}, {"reason", "is above the catalogue's 55 rows"}}));
  EXPECT_NE(a.state.notice.find("ck=5000 is above the catalogue's 55 rows"), std::string::npos) << a.state.notice;
  EXPECT_EQ(a.state.cluster_draft.k, ClusterParams{}.k);  // the rest of the link applies: k-means runs
  a.run();
  EXPECT_TRUE(a.state.clusters.has_result);
  EXPECT_EQ(a.state.clusters.error, "");
}

// A link that opens the cluster view starts a clustering by itself only when it is short: above
// the threshold (here 0 s, so any) it waits, says why, and Run starts it.
TEST(ViewParams, ALinksLongClusteringWaitsForRun) {
  App a;
  ASSERT_EQ(a.load()["ok"], true);
  a.state.clusters.auto_start_seconds = 0;
  json r = a.call(a.controller.apply_link("#model=gpt2&view=clusters&algo=kmeans&features=tfidf&ck=7", -1));
  EXPECT_EQ(r["ok"], true) << r.dump();
  a.run();
  EXPECT_FALSE(a.state.clusters.running);
  EXPECT_FALSE(a.state.clusters.has_result);
  const json st = json::parse(a.controller.state_json());
  const std::string held = st["clusterHeld"];
  EXPECT_EQ(held.rfind("This clustering (kmeans on tfidf, k = 7) would take about ", 0), 0u) << held;
  EXPECT_NE(held.find("press Run to start it"), std::string::npos) << held;
  EXPECT_EQ(st["clusters"], nullptr);
  // Run starts it, with the link's parameters, and the notice goes.
  a.state.intents.push_back({Intent::run_cluster, ""});
  a.controller.apply_intents();
  EXPECT_EQ(a.state.clusters.held, "");
  a.run();
  ASSERT_TRUE(a.state.clusters.has_result) << a.state.clusters.error;
  EXPECT_EQ(a.state.clusters.params.features, "tfidf");
  EXPECT_EQ(a.state.clusters.clusters.size(), 7u);
}

// The page's URL holds only what a link can carry (issue 16, item 10): a model id over 1,024
// bytes is left out of the URL and named in state().link.leftOut, so the page never writes a link
// it would then refuse; an ordinary id goes in and nothing is left out.
TEST(ViewParams, TheUrlLeavesOutWhatALinkCannotCarry) {
  App a;
  const std::string long_id = "org/" + std::string(1100, 'x');
  ASSERT_EQ(a.load("modelId,pipeline_tag\n" + long_id + ",fill-mask\norg/short,fill-mask\n", "long.csv")["ok"], true);
  EXPECT_EQ(a.call(a.controller.select(long_id))["ok"], true);
  json st = json::parse(a.controller.state_json());
  EXPECT_EQ(st["query"], long_id);
  EXPECT_EQ(st["link"]["leftOut"], json::array({"model"}));
  ASSERT_FALSE(a.platform.hashes.empty());
  EXPECT_EQ(a.platform.hashes.back().find("model="), std::string::npos) << a.platform.hashes.back().substr(0, 80);
  EXPECT_TRUE(a.call(a.controller.apply_link(a.platform.hashes.back(), -1))["problems"].empty());
  EXPECT_EQ(a.call(a.controller.select("org/short"))["ok"], true);
  st = json::parse(a.controller.state_json());
  EXPECT_EQ(st["link"]["leftOut"], json::array());
  EXPECT_EQ(a.platform.hashes.back().rfind("#model=org/short", 0), 0u) << a.platform.hashes.back();
}

}  // namespace
}  // namespace hfrec::app
