#include "core/features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace hfrec {
namespace {

ModelRecord bert() {
  ModelRecord r;
  r.id = "bert-base-uncased";
  r.tags = {"pytorch", "bert", "fill-mask", "en", "dataset:bookcorpus", "arxiv:1810.04805", "license:apache-2.0"};
  r.pipeline_tag = "fill-mask";
  r.architectures = {"BertForMaskedLM"};
  r.architectures_missing = false;
  r.model_type = "bert";
  r.library_name = "transformers";
  r.downloads = 100;
  return r;  // author missing
}

TEST(Soup, FollowsTheNotebookPreprocessing) {
  Catalogue c = make_catalogue({bert()});
  std::vector<std::string> toks;
  soup_tokens(c, 0, toks);
  // Tags: punctuation deleted inside items ("dataset:bookcorpus" -> datasetbookcorpus, "en" kept,
  // "fill-mask" -> fillmask); pipeline_tag keeps its hyphen for the tokenizer (fill, mask);
  // missing author -> nan; architectures lower-cased without punctuation.
  std::vector<std::string> want = {"pytorch", "bert", "fillmask", "en", "datasetbookcorpus", "arxiv181004805",
                                   "licenseapache20", "fill", "mask", "nan", "bertformaskedlm", "bert",
                                   "transformers"};
  EXPECT_EQ(toks, want);
}

TEST(Soup, MissingListsBecomeNanAndEmptyListsNothing) {
  ModelRecord r;
  r.id = "x/y";
  r.tags_missing = true;
  r.architectures = {};
  r.architectures_missing = false;
  r.author = "x";
  Catalogue c = make_catalogue({r});
  std::vector<std::string> toks;
  soup_tokens(c, 0, toks);
  // tags nan, pipeline nan, author "x" is one character (no token), [] nothing, model_type nan,
  // library nan.
  EXPECT_EQ(toks, (std::vector<std::string>{"nan", "nan", "nan", "nan"}));
}

TEST(Soup, VocabularyIsSortedAndIdfIsSmooth) {
  ModelRecord a = bert();
  ModelRecord b = bert();
  b.id = "other";
  b.tags = {"tensorflow"};
  Catalogue c = make_catalogue({a, b});
  SoupSpace s = build_soup(c);
  EXPECT_TRUE(std::is_sorted(s.terms.begin(), s.terms.end()));
  uint32_t t = s.term("tensorflow"), p = s.term("pytorch"), bt = s.term("bert");
  ASSERT_NE(t, kMissing);
  // df(tensorflow) = 1 of n = 2: ln(3/2) + 1; df(bert) = 2: ln(3/3) + 1 = 1.
  EXPECT_DOUBLE_EQ(s.idf[t], std::log(1.5) + 1.0);
  EXPECT_DOUBLE_EQ(s.idf[p], std::log(1.5) + 1.0);
  EXPECT_DOUBLE_EQ(s.idf[bt], 1.0);
  // "bert" occurs twice in each row (tag and model_type).
  const CsrMatrix& m = s.groups.rows;
  auto it = std::find(m.indices.begin() + static_cast<long>(s.groups.row_begin(0)),
                      m.indices.begin() + static_cast<long>(s.groups.row_end(0)), bt);
  ASSERT_NE(it, m.indices.begin() + static_cast<long>(s.groups.row_end(0)));
  EXPECT_EQ(m.values[static_cast<size_t>(it - m.indices.begin())], 2.0f);
}

TEST(Attributes, OneHotAsPandasGetDummies) {
  ModelRecord a = bert();
  ModelRecord b;
  b.id = "b";
  b.architectures_missing = true;  // -> category nan
  b.library_name = "timm";
  ModelRecord c2 = bert();
  c2.id = "c";
  c2.architectures = {"A", "B"};  // one category, taken whole
  Catalogue c = make_catalogue({a, b, c2});
  AttributeSpace s = build_attributes(c);
  std::vector<std::string> want = {"pipeline_tag_fill-mask", "architectures_'A', 'B'",
                                   "architectures_'BertForMaskedLM'", "architectures_nan", "model_type_bert",
                                   "library_name_timm", "library_name_transformers"};
  EXPECT_EQ(s.names, want);
  EXPECT_EQ(s.groups.row_end(0) - s.groups.row_begin(0), 4u);
  EXPECT_EQ(s.groups.row_end(1) - s.groups.row_begin(1), 2u);  // architectures nan + library timm; no pipeline/model_type
  EXPECT_EQ(s.groups.size(), 3u);
}

TEST(Groups, CollapseIdenticalRowsOrderedByDownloadsThenId) {
  std::vector<ModelRecord> rs;
  for (int i = 0; i < 4; ++i) {
    ModelRecord r = bert();
    r.id = "m" + std::to_string(3 - i);
    r.downloads = i < 2 ? 5 : 9;
    rs.push_back(r);
  }
  Catalogue c = make_catalogue(rs);
  AttributeSpace s = build_attributes(c);
  ASSERT_EQ(s.groups.size(), 1u);
  std::vector<std::string> order;
  for (uint32_t r : s.groups.members) order.emplace_back(c.id(r));
  EXPECT_EQ(order, (std::vector<std::string>{"m0", "m1", "m2", "m3"}));
}

}  // namespace
}  // namespace hfrec
