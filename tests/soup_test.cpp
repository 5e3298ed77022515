// Soup space: the notebook's preprocessing of the soup, the sorted vocabulary and the smooth idf
// (core/soup.h).
#include "core/soup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

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
  std::vector<std::string> want = {"pytorch",         "bert", "fillmask", "en",  "datasetbookcorpus", "arxiv181004805",
                                   "licenseapache20", "fill", "mask",     "nan", "bertformaskedlm",   "bert",
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
  // Every term is found at its column; anything else (before, between or after them) is not.
  for (uint32_t k = 0; k < s.terms.size(); ++k) EXPECT_EQ(s.term(s.terms[k]), k) << s.terms[k];
  for (const char* other : {"", "a", "bert2", "berta", "tensorflowx", "zzz", "\xff"})
    EXPECT_EQ(s.term(other), kMissing) << other;
  // "bert" occurs twice in each row (tag and model_type).
  const CsrMatrix& m = s.groups.rows;
  auto it = std::find(m.indices.begin() + static_cast<long>(s.groups.row_begin(0)),
                      m.indices.begin() + static_cast<long>(s.groups.row_end(0)), bt);
  ASSERT_NE(it, m.indices.begin() + static_cast<long>(s.groups.row_end(0)));
  EXPECT_EQ(m.value(static_cast<size_t>(it - m.indices.begin())), 2.0f);
  // Counts take a byte each, in the rows and in the postings.
  EXPECT_TRUE(m.values.empty());
  EXPECT_EQ(m.counts.size(), m.nnz());
  EXPECT_EQ(s.groups.posting_counts.size(), m.nnz());
  EXPECT_TRUE(s.groups.posting_values.empty());
}

}  // namespace
}  // namespace hfrec
