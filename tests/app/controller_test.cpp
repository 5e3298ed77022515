// The app's logic (wasm/app/) driven natively through its intents and API against a fake Platform:
// loads in slices, failed loads that keep the catalogue, select and history, compare, filters,
// share links both ways, all-or-nothing set(), cluster jobs and cancel, copy link.
#include "app/controller.h"
#include "app/fake_platform.h"
#include "app/test_app.h"
#include "core/api.h"
#include "core/index.h"
#include "core/search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace hfrec::app {
namespace {

using nlohmann::json;

TEST(Controller, LoadsACatalogueAndReportsIt) {
  App a;
  ASSERT_FALSE(sample_csv().empty()) << "web/catalogue.csv";
  json r = a.load(sample_csv());
  EXPECT_EQ(r["ok"], true) << r.dump();
  EXPECT_EQ(r["rows"], 55);
  EXPECT_TRUE(a.state.has_catalogue);
  EXPECT_EQ(a.state.catalogue.rows, 55u);
  EXPECT_EQ(a.state.catalogue.name, "catalogue.csv");
  EXPECT_FALSE(a.state.busy);
  json st = a.call(a.controller.state_json());
  EXPECT_EQ(st["catalogue"]["rows"], 55);
}

// window.hfrec.core(): the JSON API (core/api.h) over the catalogue the app shows, shared, not
// copied; its lists are the app's own, method by method.
TEST(Controller, TheSharedCatalogueAnswersTheApiAsTheAppsListsDo) {
  App a;
  EXPECT_EQ(a.controller.shared_catalogue().index, nullptr);
  a.load(sample_csv());
  const Controller::SharedCatalogue shared = a.controller.shared_catalogue();
  ASSERT_NE(shared.index, nullptr);
  ASSERT_NE(shared.lineage, nullptr);
  ASSERT_NE(shared.search, nullptr);
  api::Session session;
  const int h = session.adopt(shared.index, shared.lineage, shared.search);
  EXPECT_EQ(session.index_of(h), shared.index.get());
  for (const char* method : {"jaccard", "cosine", "tfidf", "knn", "kmeans", "hybrid"}) {
    ASSERT_EQ(a.set({{"method", method}})["ok"], true) << method;
    ASSERT_EQ(a.call(a.controller.select("bert-base-uncased"))["ok"], true);
    a.run();
    const json r = session.recommend(h, {{"query", "bert-base-uncased"}, {"method", method}, {"k", 10}});
    ASSERT_EQ(r["ok"], true) << r.dump();
    std::vector<std::string> api_ids;
    for (const json& row : r["results"]) api_ids.push_back(row["modelId"].get<std::string>());
    EXPECT_EQ(api_ids, a.ids(a.state.primary)) << method;
    ASSERT_EQ(r["results"].size(), a.state.primary.rows.size());
    for (size_t i = 0; i < a.state.primary.rows.size(); ++i)
      EXPECT_DOUBLE_EQ(r["results"][i]["score"].get<double>(), a.state.primary.rows[i].score) << method << " " << i;
  }
  // Another load replaces the app's catalogue; the handle keeps the one it was given.
  a.load("modelId,downloads\norg/only,1\n", "one.csv");
  EXPECT_NE(a.controller.shared_catalogue().index, shared.index);
  EXPECT_EQ(session.stats(h)["rows"], 55);
}

TEST(Controller, AFailedLoadKeepsTheCatalogueAndTheView) {
  App a;
  a.load(sample_csv());
  ASSERT_EQ(a.call(a.controller.select("bert-base-uncased"))["ok"], true);
  const auto before = a.ids(a.state.primary);
  json r = a.load("modelId,downloads\n\"open quote,1\n", "broken.csv");
  EXPECT_EQ(r["ok"], false);
  EXPECT_FALSE(r["error"].get<std::string>().empty());
  EXPECT_EQ(a.state.catalogue.name, "catalogue.csv");
  EXPECT_EQ(a.state.catalogue.rows, 55u);
  EXPECT_EQ(a.state.query, "bert-base-uncased");
  EXPECT_EQ(a.ids(a.state.primary), before);
}

// The page's loads are streamed (the file stays in JavaScript, read a window at a time): the same
// catalogue and list as the text loaded whole, and a file that goes away mid-load (the page's
// reads come back short) fails with the previous catalogue kept.
TEST(Controller, AStreamedLoadGivesTheSameCatalogueAndFailsKeepingTheOld) {
  const std::string csv = sample_csv();
  App whole;
  whole.load(csv);
  ASSERT_EQ(whole.call(whole.controller.select("bert-base-uncased"))["ok"], true);

  App a;
  size_t reads = 0, cut = std::string::npos;
  auto read = [&](uint64_t at, char* to, size_t n) -> size_t {
    ++reads;
    const size_t end = std::min(csv.size(), cut);
    const size_t k = at >= end ? 0 : std::min<size_t>(n, end - static_cast<size_t>(at));
    std::memcpy(to, csv.data() + at, k);
    return k;
  };
  int id = a.controller.begin_load(read, csv.size(), "catalogue.csv", "");
  a.run();
  ASSERT_EQ(a.platform.loads.back().first, id);
  EXPECT_EQ(json::parse(a.platform.loads.back().second)["ok"], true);
  EXPECT_GE(reads, 2u);  // screened, then parsed
  EXPECT_EQ(a.state.catalogue.rows, whole.state.catalogue.rows);
  ASSERT_EQ(a.call(a.controller.select("bert-base-uncased"))["ok"], true);
  EXPECT_EQ(a.ids(a.state.primary), whole.ids(whole.state.primary));

  cut = csv.size() / 2;
  id = a.controller.begin_load(read, csv.size(), "half.csv", "");
  a.run();
  const json r = json::parse(a.platform.loads.back().second);
  EXPECT_EQ(r["ok"], false);
  EXPECT_NE(r["error"].get<std::string>().find("could not read the file at byte"), std::string::npos) << r["error"];
  EXPECT_EQ(a.state.catalogue.name, "catalogue.csv");
  EXPECT_EQ(a.ids(a.state.primary), whole.ids(whole.state.primary));
}

TEST(Controller, SelectRanksKModelsWithoutTheQueryAndPushesHistory) {
  App a;
  a.load(sample_csv());
  json r = a.call(a.controller.select("bert-base-uncased"));
  ASSERT_EQ(r["ok"], true);
  EXPECT_EQ(a.state.query, "bert-base-uncased");
  ASSERT_EQ(a.state.primary.rows.size(), 10u);
  for (const auto& row : a.state.primary.rows) EXPECT_NE(row.model_id, "bert-base-uncased");
  for (size_t i = 1; i < a.state.primary.rows.size(); ++i)
    EXPECT_GE(a.state.primary.rows[i - 1].score, a.state.primary.rows[i].score);
  ASSERT_FALSE(a.platform.hashes.empty());
  EXPECT_NE(a.platform.hashes.back().find("model=bert-base-uncased"), std::string::npos);
  EXPECT_TRUE(a.platform.pushes.back());
  a.controller.select("gpt2");
  EXPECT_TRUE(a.state.can_back);
}

TEST(Controller, BackUndoesMethodKFilterAndTabChangesAsWellAsModels) {
  App a;
  a.load(sample_csv());
  a.controller.select("gpt2");
  const std::string at_gpt2 = a.platform.hashes.back();
  const int pos_gpt2 = a.platform.positions.back();
  a.controller.apply(Intent{Intent::set_method, "jaccard"});
  EXPECT_TRUE(a.platform.pushes.back()) << "a method change is a history entry";
  EXPECT_TRUE(a.state.can_back);
  // A k slider drag (many set_k in a row) is one entry.
  a.controller.apply(Intent{Intent::set_k, "", 20});
  EXPECT_TRUE(a.platform.pushes.back());
  const int pos_k = a.platform.positions.back();
  a.controller.apply(Intent{Intent::set_k, "", 21});
  a.controller.apply(Intent{Intent::set_k, "", 22});
  EXPECT_FALSE(a.platform.pushes.back());
  EXPECT_EQ(a.platform.positions.back(), pos_k);
  a.controller.apply(Intent{Intent::set_view, "clusters"});
  EXPECT_TRUE(a.platform.pushes.back());
  EXPECT_EQ(a.platform.positions.back(), pos_k + 1);
  // Back (the page's popstate) to the entry before the method change restores the default method
  // (hybrid) and k = 10.
  ASSERT_EQ(a.call(a.controller.apply_link(at_gpt2, pos_gpt2))["ok"], true);
  EXPECT_EQ(a.state.method, "hybrid");
  EXPECT_EQ(a.state.k, 10);
  EXPECT_EQ(a.state.view, View::results);
  EXPECT_EQ(pos_gpt2, 1) << "the first entry is the page before any model";
  EXPECT_TRUE(a.state.can_back);
  EXPECT_TRUE(a.state.can_forward);
}

TEST(Controller, AnUnknownModelIsRefusedByName) {
  App a;
  json none = a.call(a.controller.select("gpt2"));
  EXPECT_EQ(none["error"], "no catalogue is loaded");
  a.load(sample_csv());
  json r = a.call(a.controller.select("no-such/model"));
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(r["error"], "model 'no-such/model' is not in catalogue 'catalogue.csv'");
  EXPECT_EQ(a.state.query, "");
}

TEST(Controller, CompareCountsTheModelsInBothLists) {
  App a;
  a.load(sample_csv());
  a.controller.select("bert-base-uncased");
  ASSERT_EQ(a.call(a.controller.set_json(R"({"compare": "jaccard"})"))["ok"], true);
  ASSERT_EQ(a.state.secondary.rows.size(), 10u);
  const auto p = a.ids(a.state.primary), q = a.ids(a.state.secondary);
  const std::set<std::string> ps(p.begin(), p.end());
  int both = 0;
  for (const auto& id : q) both += ps.count(id) ? 1 : 0;
  EXPECT_EQ(a.state.overlap, both);
  for (const auto& row : a.state.primary.rows)
    EXPECT_EQ(row.in_both, std::count(q.begin(), q.end(), row.model_id) == 1);
}

TEST(Controller, FiltersKeepOnlyMatchingModels) {
  App a;
  a.load(sample_csv());
  a.controller.select("bert-base-uncased");
  ASSERT_EQ(a.call(a.controller.set_json(R"({"filters": {"tasks": ["fill-mask"]}})"))["ok"], true);
  ASSERT_FALSE(a.state.primary.rows.empty());
  for (const auto& row : a.state.primary.rows) EXPECT_EQ(row.task, "fill-mask") << row.model_id;
}

TEST(Controller, SetIsAllOrNothing) {
  App a;
  a.load(sample_csv());
  a.controller.select("bert-base-uncased");
  json r = a.call(a.controller.set_json(R"({"method": "jaccard", "k": 0})"));
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(r["error"], "k: must be an integer from 1 to 100, got 0");
  EXPECT_EQ(a.state.method, "hybrid");
  EXPECT_EQ(a.state.k, 10);
}

TEST(Controller, AShareLinkRestoresTheViewInAnotherPage) {
  App a;
  a.load(sample_csv());
  a.controller.select("roberta-base");
  a.controller.set_json(R"({"method": "jaccard", "k": 7, "compare": "cosine"})");
  const std::string link = a.controller.share_link();
  EXPECT_EQ(link.rfind('#', 0), 0u) << link;

  App b;
  b.load(sample_csv());
  json r = b.call(b.controller.apply_link(link, -1));
  ASSERT_EQ(r["ok"], true) << r.dump();
  EXPECT_EQ(b.state.query, "roberta-base");
  EXPECT_EQ(b.state.method, "jaccard");
  EXPECT_EQ(b.state.compare, "cosine");
  EXPECT_EQ(b.state.k, 7);
  EXPECT_EQ(b.ids(b.state.primary), a.ids(a.state.primary));
  EXPECT_EQ(b.controller.share_link(), link);
}

TEST(Controller, APartialLinkKeepsItsValidParametersAndNamesTheRest) {
  App a;
  a.load(sample_csv());
  json r = a.call(a.controller.apply_link("#model=bert-base-uncased&method=magic&k=5000&compare=jaccard", -1));
  EXPECT_EQ(r["ok"], true) << r.dump();
  EXPECT_EQ(a.state.query, "bert-base-uncased");
  EXPECT_EQ(a.state.method, "hybrid");  // unchanged (the default): the link's method was rejected
  EXPECT_EQ(a.state.k, 10);
  EXPECT_EQ(a.state.compare, "jaccard");
  EXPECT_EQ(a.state.primary.rows.size(), 10u);
  EXPECT_EQ(a.state.error, "");
  EXPECT_EQ(a.state.notice,
            "This link's method=magic is not a method (one of jaccard, cosine, tfidf, knn, kmeans, hybrid); "
            "k=5000 is above the limit 100; kept the rest of the link.");
  ASSERT_EQ(r["problems"].size(), 2u);
  EXPECT_EQ(r["problems"][1], (json{{"key", "k"}, {"value", "5000"}, {"reason", "is above the limit 100"}}));
  json st = a.call(a.controller.state_json());
  EXPECT_EQ(st["notice"], a.state.notice);
  EXPECT_EQ(st["link"]["problems"], r["problems"]);
  // The address bar gets the view as opened; the notice keeps the rejected values.
  EXPECT_EQ(a.platform.hashes.back().rfind("#model=bert-base-uncased&method=hybrid&k=10&compare=jaccard", 0), 0u)
      << a.platform.hashes.back();
  // A clean link clears the notice.
  r = a.call(a.controller.apply_link("#model=gpt2", -1));
  EXPECT_EQ(r["ok"], true);
  EXPECT_EQ(a.state.notice, "");
  EXPECT_TRUE(a.state.link_issues.empty());
}

TEST(Controller, ALinkTooLongIsStillRejectedWhole) {
  App a;
  a.load(sample_csv());
  a.controller.select("roberta-base");
  json r = a.call(a.controller.apply_link("#model=gpt2&" + std::string(20000, 'a'), -1));
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(a.state.error, "This link cannot be opened: link too long: 20011 bytes (at most 16384)");
  EXPECT_EQ(a.state.query, "roberta-base");
  // The next good link clears that error.
  a.controller.apply_link("#model=gpt2", -1);
  EXPECT_EQ(a.state.error, "");
  EXPECT_EQ(a.state.query, "gpt2");
}

TEST(Controller, ALinkWithARefusedCatalogueSourceIsNotOpened) {
  App a;
  a.load(sample_csv());
  a.controller.select("roberta-base");
  json r = a.call(a.controller.apply_link("#model=gpt2&k=5&src=javascript:alert(1)", -1));
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(a.state.error,
            "This link cannot be opened: parameter 'src': catalogue URL 'javascript:alert(1)' is not https: or this "
            "site's own");
  EXPECT_EQ(a.state.query, "roberta-base");
  EXPECT_EQ(a.state.k, 10);
}

TEST(Controller, ALinksModelInOtherLetterCaseIsOpenedWithANotice) {
  App a;
  a.load(sample_csv());
  json r = a.call(a.controller.apply_link("#model=BERT-base-uncased&k=5", -1));
  EXPECT_EQ(r["ok"], true) << r.dump();
  EXPECT_EQ(a.state.query, "bert-base-uncased");
  EXPECT_EQ(a.state.k, 5);
  EXPECT_EQ(a.state.primary.rows.size(), 5u);
  EXPECT_EQ(a.state.error, "");
  EXPECT_EQ(a.state.notice,
            "The link's model 'BERT-base-uncased' is not in catalogue 'catalogue.csv'; opened 'bert-base-uncased', "
            "the same id in other letter case.");
  EXPECT_EQ(a.platform.hashes.back().rfind("#model=bert-base-uncased&", 0), 0u) << a.platform.hashes.back();
}

TEST(Controller, ALinksMissingModelSuggestsTheNearestAndKeepsTheRest) {
  App a;
  a.load(sample_csv());
  a.controller.select("roberta-base");
  json r = a.call(a.controller.apply_link("#model=bert-base-uncasd&method=jaccard", -1));
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(
      a.state.error,
      "The link's model 'bert-base-uncasd' is not in catalogue 'catalogue.csv'; did you mean 'bert-base-uncased'?");
  EXPECT_EQ(r["error"], a.state.error);
  EXPECT_EQ(r["suggestion"], "bert-base-uncased");
  EXPECT_EQ(a.state.link_suggestion, "bert-base-uncased");
  EXPECT_EQ(a.call(a.controller.state_json())["link"]["suggestion"], "bert-base-uncased");
  EXPECT_EQ(a.state.method, "jaccard");      // the rest of the link applies
  EXPECT_EQ(a.state.query, "roberta-base");  // the query stays
  // The suggestion, taken (the view's button emits select), clears the error.
  a.state.intents.push_back({Intent::select, "bert-base-uncased"});
  a.controller.apply_intents();
  EXPECT_EQ(a.state.query, "bert-base-uncased");
  EXPECT_EQ(a.state.error, "");
  EXPECT_EQ(a.state.link_suggestion, "");

  // A Hub id with an author the catalogue lacks: the same name.
  a.controller.apply_link("#model=google-bert/bert-base-cased", -1);
  EXPECT_EQ(a.state.link_suggestion, "bert-base-cased");
  // Nothing near: the old message, no suggestion.
  r = a.call(a.controller.apply_link("#model=zzzzzzzzzzzz", -1));
  EXPECT_EQ(r["error"], "The link's model 'zzzzzzzzzzzz' is not in catalogue 'catalogue.csv'");
  EXPECT_EQ(r["suggestion"], "");
}

TEST(Controller, SearchTakesHubUrls) {
  App a;
  a.load(sample_csv());
  for (const auto& [text, want] :
       {std::pair{"https://huggingface.co/gpt2/tree/main", "gpt2"},
        std::pair{"hf.co/facebook/bart-large-cnn?library=transformers", "facebook/bart-large-cnn"},
        std::pair{"huggingface.co/google/flan-t5-small#model-card", "google/flan-t5-small"}}) {
    a.state.intents.push_back({Intent::search, text});
    a.controller.apply_intents();
    EXPECT_EQ(a.state.search_text, text);
    EXPECT_EQ(a.state.search_query, want);
    ASSERT_FALSE(a.state.search_hits.empty()) << text;
    EXPECT_EQ(a.state.search_hits[0].model_id, want);
    EXPECT_EQ(a.state.search_hits[0].kind, "exact");
    EXPECT_EQ(a.state.search_suggestion, "");
  }
  // Enter takes the first hit.
  a.state.intents.push_back({Intent::select_hit, ""});
  a.controller.apply_intents();
  EXPECT_EQ(a.state.query, "google/flan-t5-small");
  json st = a.call(a.controller.state_json());
  EXPECT_EQ(st["search"]["query"], "google/flan-t5-small");
}

TEST(Controller, ASearchWithNoMatchSuggestsTheNearestModel) {
  App a;
  a.load(sample_csv());
  for (const auto& [text, want] : {std::pair{"gpt2-mediun", "gpt2-medium"}, std::pair{"roberta-bsae", "roberta-base"},
                                   std::pair{"https://huggingface.co/robreta-large", "roberta-large"}}) {
    a.state.intents.push_back({Intent::search, text});
    a.controller.apply_intents();
    EXPECT_EQ(a.state.search_count, 0u) << text;
    EXPECT_EQ(a.state.search_suggestion, want) << text;
    EXPECT_EQ(a.call(a.controller.state_json())["search"]["suggestion"], want);
  }
  a.state.intents.push_back({Intent::search, "qqqqqqqq"});
  a.controller.apply_intents();
  EXPECT_EQ(a.state.search_count, 0u);
  EXPECT_EQ(a.state.search_suggestion, "");
}

TEST(Controller, AHeavyFrameOrLongWorkRedrawsProgressLessOften) {
  // Light frames, work just begun: four times a second.
  EXPECT_EQ(Controller::progress_redraw_ms(0, 0), 250);
  EXPECT_EQ(Controller::progress_redraw_ms(60'000, 2'000), 250);
  // A frame of v vertices waits v / 1,000 ms: a 100k-point map's 400k vertices, 0.4 s.
  EXPECT_EQ(Controller::progress_redraw_ms(400'000, 0), 400);
  // Work shown for t ms waits t / 10: after 6 s, 0.6 s.
  EXPECT_EQ(Controller::progress_redraw_ms(0, 6'000), 600);
  EXPECT_EQ(Controller::progress_redraw_ms(400'000, 6'000), 600);
  // Never more than a second.
  EXPECT_EQ(Controller::progress_redraw_ms(4'000'000, 0), 1000);
  EXPECT_EQ(Controller::progress_redraw_ms(0, 600'000), 1000);
  EXPECT_EQ(Controller::progress_redraw_ms(int64_t{1} << 40, 1e12), 1000);
}

TEST(Controller, ClusteringRunsInSlicesAndReportsItsJob) {
  App a;
  a.load(sample_csv());
  json r = a.call(a.controller.cluster(R"({"algo": "kmeans", "k": 3, "features": "attributes", "seed": 0})", 7));
  ASSERT_EQ(r["ok"], true) << r.dump();
  EXPECT_TRUE(a.controller.has_work());
  EXPECT_EQ(a.controller.progress_shown(), Controller::Progress::job) << "the job's bar is on screen";
  a.run();
  EXPECT_EQ(a.controller.progress_shown(), Controller::Progress::none);
  ASSERT_EQ(a.platform.jobs.size(), 1u);
  EXPECT_EQ(a.platform.jobs[0].first, 7);
  json done = json::parse(a.platform.jobs[0].second);
  EXPECT_EQ(done["ok"], true) << done.dump();
  ASSERT_TRUE(a.state.clusters.has_result);
  EXPECT_EQ(a.state.clusters.clusters.size(), 3u);
  uint32_t total = 0;
  for (const auto& c : a.state.clusters.clusters) total += c.size;
  EXPECT_EQ(total, 55u);
}

TEST(Controller, CancelEndsTheJobAtItsNextStepWithNoResult) {
  App a;
  a.load(sample_csv());
  ASSERT_EQ(a.call(a.controller.cluster(R"({"algo": "ward", "k": 4, "features": "tfidf"})", 3))["ok"], true);
  a.call(a.controller.cancel_job());
  a.controller.tick(1.0);
  a.run();
  ASSERT_EQ(a.platform.jobs.size(), 1u);
  json done = json::parse(a.platform.jobs[0].second);
  EXPECT_EQ(done["ok"], false);
  EXPECT_FALSE(a.state.clusters.has_result);
  EXPECT_FALSE(a.controller.has_work());
}

TEST(Controller, CopyLinkCopiesTheShareLinkAndShowsCopiedUntilTheNextAction) {
  App a;
  a.load(sample_csv());
  a.controller.select("gpt2");
  a.controller.apply(Intent{Intent::copy_link, ""});
  ASSERT_EQ(a.platform.links.size(), 1u);
  EXPECT_EQ(a.platform.links[0], a.controller.share_link());
  EXPECT_EQ(a.state.copied, kCopiedLink);
  a.controller.apply(Intent{Intent::copy_text, "gpt2"});
  EXPECT_EQ(a.platform.copied, std::vector<std::string>{"gpt2"});
  EXPECT_EQ(a.state.copied, "gpt2");
  a.controller.apply(Intent{Intent::set_method, "jaccard"});
  EXPECT_EQ(a.state.copied, "");
}

TEST(Controller, OnlyHubModelPagesAreOpened) {
  App a;
  a.load(sample_csv());
  a.controller.apply(Intent{Intent::open_url, "bert-base-uncased"});
  ASSERT_EQ(a.platform.urls.size(), 1u);
  EXPECT_EQ(a.platform.urls[0], "https://huggingface.co/bert-base-uncased");
}

// The Hub button opens the page's dialog and nothing else: no load starts before consent there.
TEST(Controller, OpenHubAsksThePageForItsDialog) {
  App a;
  a.controller.apply(Intent{Intent::open_hub, ""});
  EXPECT_EQ(a.platform.hub_dialogs, 1);
  EXPECT_EQ(a.platform.file_dialogs, 0);
  EXPECT_TRUE(a.platform.loads.empty());
}

// The why column in words, traced to the query (core/why.h); the raw terms stay in "shared".
TEST(Controller, EachResultSaysWhyInWordsAndKeepsTheRawTerms) {
  App a;
  a.load(sample_csv());
  a.controller.set_json(R"({"method": "jaccard"})");
  ASSERT_EQ(a.call(a.controller.select("bert-base-uncased"))["ok"], true);
  ASSERT_FALSE(a.state.primary.rows.empty());
  const ResultRow& top = a.state.primary.rows[0];
  EXPECT_NE(top.why.find("pipeline_tag=fill-mask"), std::string::npos) << top.why;
  EXPECT_NE(top.why_words.find("same task: fill-mask"), std::string::npos) << top.why_words;
  EXPECT_EQ(top.why_words.find("pipeline_tag="), std::string::npos) << top.why_words;
  json st = a.call(a.controller.state_json());
  EXPECT_EQ(st["results"][0]["shared"], top.why);
  EXPECT_EQ(st["results"][0]["why"], top.why_words);
  EXPECT_NE(st["methodHelp"]["tfidf"].get<std::string>().find("few models"), std::string::npos);
}

// Where a catalogue came from: the page's own (builtin:, never put in a link), a file, a URL, the Hub.
TEST(Controller, TheCatalogueSaysWhereItCameFrom) {
  App a;
  auto load_from = [&](const std::string& source) {
    a.controller.begin_load(sample_csv(), "catalogue.csv", source);
    a.run();
    return a.state.catalogue;
  };
  CatalogueInfo c = load_from(kBuiltinSource);
  EXPECT_EQ(c.origin, "builtin");
  EXPECT_EQ(c.source, "");
  a.controller.select("gpt2");
  EXPECT_EQ(a.platform.hashes.back().find("src="), std::string::npos) << a.platform.hashes.back();
  EXPECT_EQ(load_from("").origin, "file");
  EXPECT_EQ(load_from("https://example.org/c.csv").origin, "url");
  EXPECT_EQ(load_from("hub:sort=downloads&n=100").origin, "hub");
  EXPECT_EQ(a.call(a.controller.state_json())["catalogue"]["origin"], "hub");
}

TEST(Controller, KMeansSaysWhenItFindsFewerClustersThanAsked) {
  App a;
  a.load(sample_csv());
  for (int k : {3, 50}) {  // 50 of 55 rows, above the 39 distinct attribute rows
    const json started =
        a.call(a.controller.cluster(json{{"algo", "kmeans"}, {"features", "attributes"}, {"k", k}}.dump(), 0));
    ASSERT_EQ(started["ok"], true) << started.dump();
    a.run();
    ASSERT_TRUE(a.state.clusters.has_result);
    const json c = a.call(a.controller.state_json())["clusters"];
    if (k == 3) {
      EXPECT_EQ(c["note"], "");
      continue;
    }
    const size_t found = a.state.clusters.clusters.size();
    EXPECT_LT(found, 55u);
    EXPECT_EQ(c["note"], "k = 50 asked, " + std::to_string(found) + " found: the catalogue has only " +
                             std::to_string(found) +
                             " distinct attributes rows (models with the same features count once)");
  }
}

// A generated catalogue of `rows` models with ids org<i % 89>/model-<word>-<i>.
std::string large_csv(int rows) {
  std::ostringstream csv;
  csv << "modelId,lastModified,tags,pipeline_tag,author,architectures,model_type,datasets,downloads,library_name\n";
  const char* words[] = {"base", "large", "uncased", "finetuned", "squad", "tiny"};
  for (int i = 0; i < rows; ++i)
    csv << "org" << i % 89 << "/model-" << words[i % 6] << "-" << i << ",,\"['en', '" << words[(i / 6) % 6] << "']\","
        << (i % 2 ? "fill-mask" : "text-generation") << ",,['BertForMaskedLM'],bert,," << (i * 7919) % 100003
        << ",transformers\n";
  return csv.str();
}

// The core's list (k = 10) of `query` by method m, from an index of its own.
std::vector<std::string> core_ids(const Index& idx, const std::string& query, Method m) {
  RecommendParams p;
  p.method = m;
  p.k = 10;
  auto r = idx.recommend(query, p);
  EXPECT_TRUE(r.ok()) << r.error();
  std::vector<std::string> ids;
  if (r.ok())
    for (const auto& x : r.value()) ids.emplace_back(idx.catalogue().id(x.row));
  return ids;
}

// Begins loading `csv` into a fresh app and ticks until the load has ended (the builds after it
// still to do).
void load_only(App& x, const std::string& csv, const std::string& name = "large.csv") {
  x.controller.begin_load(csv, name, "");
  while (x.platform.loads.empty()) ASSERT_TRUE(x.controller.tick(1.0));
}

// Hybrid is the default method. A large catalogue's hybrid model is built in slices after the
// load: a list that needs it first says it is preparing (in state() too), then fills in by itself,
// equal to the core's own list; a small catalogue's lists never wait.
TEST(Controller, HybridIsTheDefaultAndALargeCatalogueListWaitsForItsModel) {
  const std::string csv = large_csv(25000);
  App a;
  const size_t before = a.platform.loads.size();
  a.controller.begin_load(csv, "large.csv", "");
  std::set<std::string> stages;
  while (a.platform.loads.size() == before) {
    ASSERT_EQ(a.controller.progress_shown(), Controller::Progress::catalogue) << "the load's stage is on screen";
    ASSERT_TRUE(a.controller.tick(1.0)) << "the load ended without a word";
    stages.insert(a.state.stage);
  }
  // The lineage too is built in slices, its stage shown. The search index is not part of the load.
  EXPECT_TRUE(stages.count("Indexing 25000 models: lineage: base models")) << *stages.rbegin();
  for (const std::string& stage : stages) EXPECT_EQ(stage.find("search"), std::string::npos) << stage;
  EXPECT_TRUE(a.controller.has_work()) << "the hybrid model is still to build";
  // Nothing on screen shows the builds after a load, so the page draws no frames for them.
  EXPECT_EQ(a.controller.progress_shown(), Controller::Progress::none);
  ASSERT_EQ(a.call(a.controller.select("org7/model-large-7"))["ok"], true);
  EXPECT_EQ(a.state.method, "hybrid");
  EXPECT_TRUE(a.state.primary.rows.empty());
  EXPECT_FALSE(a.state.primary.preparing.empty());
  nlohmann::json st = a.call(a.controller.state_json());
  EXPECT_TRUE(st["preparing"].is_object()) << st["preparing"].dump();
  EXPECT_EQ(st["results"].size(), 0u);
  // The waiting list shows the model's progress, redrawn as a load's is.
  EXPECT_EQ(a.controller.progress_shown(), Controller::Progress::catalogue);
  const float progress_before = a.state.primary.preparing_progress;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a.controller.tick(1.0));
  EXPECT_GT(a.state.primary.preparing_progress, progress_before);
  a.run();
  EXPECT_FALSE(a.controller.has_work());
  EXPECT_EQ(a.controller.progress_shown(), Controller::Progress::none);
  EXPECT_TRUE(a.state.primary.preparing.empty());
  ASSERT_EQ(a.state.primary.rows.size(), 10u);
  st = a.call(a.controller.state_json());
  EXPECT_TRUE(st["preparing"].is_null());
  auto cat = load_catalogue(csv, "large.csv");
  ASSERT_TRUE(cat.ok());
  const Index idx(std::move(cat).value());
  EXPECT_EQ(a.ids(a.state.primary), core_ids(idx, "org7/model-large-7", Method::hybrid));

  App small;  // 8,000 rows: the model is finished at once when a list needs it
  load_only(small, large_csv(8000));
  EXPECT_TRUE(small.controller.has_work()) << "the hybrid model is still to build";
  ASSERT_EQ(small.call(small.controller.select("org7/model-large-7"))["ok"], true);
  EXPECT_TRUE(small.state.primary.preparing.empty());
  EXPECT_EQ(small.state.primary.rows.size(), 10u);
}

// The soup space (cosine, tfidf) is built after the load too: a cosine or tfidf list of a large
// catalogue asked for at once waits for it as a hybrid list waits for its model, its build first,
// and is then the core's list; a soup built at once by something else fills the waiting list at
// the next tick; a small catalogue's list never waits.
TEST(Controller, ACosineOrTfidfListOfALargeCatalogueWaitsForTheSoup) {
  const std::string csv = large_csv(25000);
  auto cat = load_catalogue(csv, "large.csv");
  ASSERT_TRUE(cat.ok());
  const Index idx(std::move(cat).value());

  App c;
  load_only(c, csv);
  ASSERT_EQ(c.set({{"method", "cosine"}})["ok"], true);
  ASSERT_EQ(c.call(c.controller.select("org7/model-large-7"))["ok"], true);
  EXPECT_TRUE(c.state.primary.rows.empty());
  EXPECT_EQ(c.state.primary.preparing.rfind("soup", 0), 0u) << c.state.primary.preparing;
  EXPECT_EQ(c.controller.progress_shown(), Controller::Progress::catalogue);
  for (int i = 0; i < 100000 && !c.state.primary.preparing.empty(); ++i) c.controller.tick(1.0);
  EXPECT_TRUE(c.controller.has_work()) << "the soup came before the other builds";
  EXPECT_EQ(c.ids(c.state.primary), core_ids(idx, "org7/model-large-7", Method::cosine));

  App d;  // here the page's core() handle builds the soup at once
  load_only(d, csv);
  ASSERT_EQ(d.set({{"method", "tfidf"}})["ok"], true);
  ASSERT_EQ(d.call(d.controller.select("org7/model-large-7"))["ok"], true);
  ASSERT_FALSE(d.state.primary.preparing.empty());
  d.controller.shared_catalogue().index->soup();
  EXPECT_TRUE(d.controller.has_work());
  d.controller.tick(1.0);
  EXPECT_TRUE(d.state.primary.preparing.empty());
  EXPECT_EQ(d.ids(d.state.primary), core_ids(idx, "org7/model-large-7", Method::tfidf));

  App small;  // 8,000 rows: the soup is finished at once when a list needs it
  load_only(small, large_csv(8000));
  ASSERT_EQ(small.set({{"method", "tfidf"}})["ok"], true);
  ASSERT_EQ(small.call(small.controller.select("org7/model-large-7"))["ok"], true);
  EXPECT_TRUE(small.state.primary.preparing.empty());
  EXPECT_EQ(small.state.primary.rows.size(), 10u);
}

// After a load the kmeans method's clustering is built in slices too (before the hybrid model);
// a kmeans list asked for right after the load, before those slices ran, finishes it at once.
// Either way the list is the core's own, from an index of its own.
TEST(Controller, TheKMeansMethodsClusteringIsBuiltAfterTheLoadOrWhenAListNeedsIt) {
  std::ostringstream csv;
  csv << "modelId,lastModified,tags,pipeline_tag,author,architectures,model_type,datasets,downloads,library_name\n";
  const char* tasks[] = {"fill-mask", "text-generation", "translation", "image-classification", ""};
  const char* libs[] = {"transformers", "timm", "diffusers", ""};
  std::mt19937 rng(11);  // attributes drawn at random: few rows share all of them
  for (int i = 0; i < 3000; ++i)
    csv << "org" << i % 31 << "/m-" << i << ",,\"['t" << rng() % 40 << "', 't" << rng() % 40 << "', 'x" << rng() % 9
        << "']\"," << tasks[rng() % 5] << ",,,type" << rng() % 11 << ",," << (i * 7919) % 100003 << ","
        << libs[rng() % 4] << "\n";
  auto cat = load_catalogue(csv.str(), "k.csv");
  ASSERT_TRUE(cat.ok()) << cat.error();
  const Index idx(std::move(cat).value());
  auto list = [&](uint32_t row, Method m) {
    RecommendParams p;
    p.method = m;
    p.k = 10;
    auto r = idx.recommend_row(row, p);
    std::vector<std::string> ids;
    for (const auto& x : r.value()) ids.push_back(std::string(idx.catalogue().id(x.row)));
    return ids;
  };
  // A query whose list the clustering changes (its jaccard list reaches past its cluster).
  uint32_t row = 0;
  while (row < idx.catalogue().size() && list(row, Method::kmeans) == list(row, Method::jaccard)) ++row;
  ASSERT_LT(row, idx.catalogue().size());
  const std::string query(idx.catalogue().id(row));
  const std::vector<std::string> want_ids = list(row, Method::kmeans);
  ASSERT_EQ(want_ids.size(), 10u);

  for (bool slices_first : {true, false}) {
    App a;
    load_only(a, csv.str(), "k.csv");
    ASSERT_TRUE(a.controller.has_work()) << "built after the load";
    if (slices_first) a.run();
    ASSERT_EQ(a.set({{"method", "kmeans"}})["ok"], true);
    ASSERT_EQ(a.call(a.controller.select(query))["ok"], true);
    EXPECT_EQ(a.ids(a.state.primary), want_ids) << (slices_first ? "after the slices" : "at once");
    a.run();
    EXPECT_EQ(a.ids(a.state.primary), want_ids);
    EXPECT_FALSE(a.controller.has_work());
  }
}

// The search index is built in slices after the load, before the other builds: a search typed
// before it is done finishes it at once. Either way the hits are the core's own index's.
TEST(Controller, TheSearchIndexIsBuiltAfterTheLoadOrWhenASearchNeedsIt) {
  std::ostringstream csv;
  csv << "modelId,author,downloads\n";
  for (int i = 0; i < 3000; ++i)
    csv << "org" << i % 31 << "/bert-" << i << ",org" << i % 31 << "," << i * 7 % 1009 << "\n";
  auto cat = load_catalogue(csv.str(), "s.csv");
  ASSERT_TRUE(cat.ok()) << cat.error();
  const SearchIndex core_search(cat.value());
  std::vector<std::string> want;
  for (const auto& h : core_search.search("bert-1", SearchParams{.limit = 50}).hits)
    want.emplace_back(cat.value().id(h.row));
  ASSERT_EQ(want.size(), 50u);

  for (bool slices_first : {true, false}) {
    App a;
    load_only(a, csv.str(), "s.csv");
    ASSERT_TRUE(a.controller.has_work()) << "built after the load";
    if (slices_first) a.run();
    a.state.intents.push_back({Intent::search, "bert-1"});
    a.controller.apply_intents();
    std::vector<std::string> got;
    for (const auto& h : a.state.search_hits) got.push_back(h.model_id);
    EXPECT_EQ(got, want) << (slices_first ? "after the slices" : "at once");
    EXPECT_EQ(a.state.search_count, core_search.search("bert-1").count);
    a.run();
    EXPECT_FALSE(a.controller.has_work());
  }
}

}  // namespace
}  // namespace hfrec::app
