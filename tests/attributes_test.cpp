// Attribute space: the one-hot as pandas get_dummies makes it (core/attributes.h).
#include "core/attributes.h"

#include <gtest/gtest.h>

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
  std::vector<std::string> want = {
      "pipeline_tag_fill-mask", "architectures_'A', 'B'", "architectures_'BertForMaskedLM'", "architectures_nan",
      "model_type_bert",        "library_name_timm",      "library_name_transformers"};
  EXPECT_EQ(s.names, want);
  EXPECT_EQ(s.groups.row_end(0) - s.groups.row_begin(0), 4u);
  EXPECT_EQ(s.groups.row_end(1) - s.groups.row_begin(1),
            2u);  // architectures nan + library timm; no pipeline/model_type
  EXPECT_EQ(s.groups.size(), 3u);
}

}  // namespace
}  // namespace hfrec
