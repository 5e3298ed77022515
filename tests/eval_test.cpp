// hfrec eval's protocols (core/eval.h) on small catalogues with known answers.
#include "core/eval.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.h"

namespace hfrec {
namespace {

ModelRecord rec(std::string id, std::string arch, std::string type, std::vector<std::string> datasets,
                int64_t downloads = 0, std::string task = "") {
  ModelRecord r;
  r.id = std::move(id);
  r.architectures = {std::move(arch)};
  r.architectures_missing = false;
  r.model_type = std::move(type);
  r.library_name = "transformers";
  r.pipeline_tag = std::move(task);
  r.datasets = std::move(datasets);
  r.datasets_missing = r.datasets.empty();
  r.downloads = downloads;
  return r;
}

EvalParams params(Protocol pr, std::string method, size_t k = 10) {
  EvalParams p;
  p.protocol = pr;
  p.method = std::move(method);
  p.k = k;
  return p;
}

// A, B identical attributes sharing d1; C, D identical attributes, only C has a dataset.
Catalogue small_datasets_catalogue() {
  return make_catalogue({rec("A", "X", "t1", {"d1"}, 5), rec("B", "X", "t1", {"d1"}, 10),
                         rec("C", "Y", "t2", {"d2"}, 3), rec("D", "Y", "t2", {}, 1)});
}

TEST(Eval, JaccardPrecisionAtOneOnAHandMadeCatalogue) {
  // A -> B (relevant), B -> A (relevant), C -> D (no datasets): (1 + 1 + 0) / 3.
  EvalParams p = params(Protocol::datasets, "jaccard", 1);
  auto r = evaluate(small_datasets_catalogue(), p);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value().queries, 3u);
  EXPECT_NEAR(r.value().value, 2.0 / 3.0, 1e-12);
}

TEST(Eval, PrecisionDividesByKEvenWhenFewerRelevantExist) {
  // k = 2: A -> {B, then C or D}: 1/2; B -> {A, ...}: 1/2; C -> {D, ...}: 0.
  EvalParams p = params(Protocol::datasets, "jaccard", 2);
  auto r = evaluate(small_datasets_catalogue(), p);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_NEAR(r.value().value, (0.5 + 0.5 + 0.0) / 3.0, 1e-12);
}

TEST(Eval, RandomIsTheExactExpectation) {
  // Relevant others / (n - 1): A 1/3, B 1/3, C 0.
  EvalParams p = params(Protocol::datasets, "random");
  auto r = evaluate(small_datasets_catalogue(), p);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_NEAR(r.value().value, 2.0 / 9.0, 1e-12);
}

TEST(Eval, SeededRandomIsReproducible) {
  EvalParams p = params(Protocol::datasets, "random", 2);
  p.random_sample = true;
  p.seed = 7;
  auto a = evaluate(small_datasets_catalogue(), p), b = evaluate(small_datasets_catalogue(), p);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.value().value, b.value().value);
}

TEST(Eval, DatasetsAreComparedAsExactStrings) {
  Catalogue c =
      make_catalogue({rec("A", "X", "t", {"squad"}), rec("B", "X", "t", {"Squad"}), rec("C", "X", "t", {"squad"})});
  Relevance rel(c, Protocol::datasets);
  EXPECT_FALSE(rel.relevant(0, 1));
  EXPECT_TRUE(rel.relevant(0, 2));
  EXPECT_EQ(rel.relevant_count(0), 1u);
}

TEST(Eval, TaskAgreementOnAHandMadeCatalogue) {
  // Jaccard on architectures + model_type + library (pipeline_tag hidden), k = 1:
  // A -> B (same task), B -> A, C -> D (different task), D -> C: 2 / 4.
  Catalogue c = make_catalogue({rec("A", "X", "t1", {}, 5, "fill-mask"), rec("B", "X", "t1", {}, 9, "fill-mask"),
                                rec("C", "Y", "t2", {}, 3, "text-generation"),
                                rec("D", "Y", "t2", {}, 1, "summarization"), rec("E", "Z", "t3", {}, 0, "")});
  EvalParams p = params(Protocol::task, "jaccard", 1);
  auto r = evaluate(c, p);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value().queries, 4u);
  EXPECT_NEAR(r.value().value, 0.5, 1e-12);
}

TEST(Eval, HidingRemovesTheProtocolsInformationOnly) {
  ModelRecord a = rec("A", "X", "t", {"d1"}, 0, "fill-mask");
  a.tags = {"dataset:d1", "fill-mask", "fill", "en"};
  ModelRecord b = rec("B", "X", "t", {}, 0, "");
  b.tags = {"fill-mask", "dataset-x"};  // a pipeline value in another row's tags is removed too
  Catalogue c = make_catalogue({a, b});
  Catalogue d = hide_for_protocol(c, Protocol::datasets);
  EXPECT_EQ(record_of(d, 0).tags, (std::vector<std::string>{"fill-mask", "fill", "en"}));
  EXPECT_TRUE(record_of(d, 0).datasets.empty());
  EXPECT_EQ(record_of(d, 0).pipeline_tag, "fill-mask");
  Catalogue t = hide_for_protocol(c, Protocol::task);
  EXPECT_EQ(record_of(t, 0).tags, (std::vector<std::string>{"dataset:d1", "fill", "en"}));
  EXPECT_EQ(record_of(t, 1).tags, (std::vector<std::string>{"dataset-x"}));
  EXPECT_EQ(record_of(t, 0).pipeline_tag, "");
  EXPECT_EQ(record_of(t, 0).datasets, (std::vector<std::string>{"d1"}));
}

TEST(Eval, UnknownMethodIsAnError) {
  EvalParams p = params(Protocol::datasets, "bm25");
  auto r = evaluate(small_datasets_catalogue(), p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "unknown method 'bm25' (jaccard, cosine, tfidf, knn, kmeans, hybrid, random)");
}

TEST(Eval, ReproducesTheIssueTableOnTheRealCatalogue) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto cat = load_catalogue_file(path);
  ASSERT_TRUE(cat.ok()) << cat.error();
  struct Row {
    const char* method;
    double datasets, task;
  };
  // Issue 7's table (scikit-learn, the same protocols).
  for (Row row : {Row{"jaccard", 0.1926, 0.7671}, Row{"cosine", 0.3219, 0.7989}, Row{"tfidf", 0.3232, 0.7777},
                  Row{"random", 0.0069, 0.0633}}) {
    for (Protocol pr : {Protocol::datasets, Protocol::task}) {
      EvalParams p = params(pr, row.method);
      auto r = evaluate(cat.value(), p);
      ASSERT_TRUE(r.ok()) << r.error();
      EXPECT_NEAR(r.value().value, pr == Protocol::datasets ? row.datasets : row.task, 0.001)
          << row.method << " " << protocol_name(pr);
      EXPECT_EQ(r.value().queries, pr == Protocol::datasets ? 2942u : 8901u);
    }
  }
}

}  // namespace
}  // namespace hfrec
