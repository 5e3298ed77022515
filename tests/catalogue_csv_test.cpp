// Catalogue CSV: the Hub dump's columns by header name, list cells, pandas' conventions, duplicates
// and the errors that name the line and the column (core/catalogue_csv.h, issue 2).
#include "core/catalogue_csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hfrec {
namespace {

using Items = std::vector<std::string>;

Catalogue ok(std::string_view text, const LoadLimits& limits = {}) {
  auto r = load_catalogue(text, "test", limits);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
  return r.ok() ? std::move(r).value() : Catalogue();
}
std::string err(std::string_view text, const LoadLimits& limits = {}) {
  auto r = load_catalogue(text, "test", limits);
  EXPECT_FALSE(r.ok());
  return r.ok() ? std::string() : r.error();
}
Items items(const Catalogue& c, const ListColumn& col, uint32_t row) {
  Items out;
  for (const uint32_t* p = col.begin(row); p != col.end(row); ++p) out.emplace_back(c.pool.str(*p));
  return out;
}

constexpr const char* kHubHeader =
    "modelId,lastModified,tags,pipeline_tag,author,architectures,model_type,datasets,downloads,library_name\n";

TEST(CatalogueCsv, HubDumpRow) {
  auto c = ok(std::string(kHubHeader) +
              "google/bert,2023-01-01,\"['pytorch', 'bert']\",fill-mask,google,\"['BertForMaskedLM']\",bert,"
              "\"['wikipedia', 'bookcorpus']\",123,transformers\n");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.id(0), "google/bert");
  EXPECT_EQ(c.last_modified[0], "2023-01-01");
  EXPECT_EQ(items(c, c.tags, 0), (Items{"pytorch", "bert"}));
  EXPECT_EQ(c.value(c.pipeline_tag[0]), "fill-mask");
  EXPECT_EQ(c.value(c.author[0]), "google");
  EXPECT_EQ(items(c, c.architectures, 0), (Items{"BertForMaskedLM"}));
  EXPECT_EQ(c.pool.str(c.architectures_category[0]), "'BertForMaskedLM'");
  EXPECT_EQ(c.value(c.model_type[0]), "bert");
  EXPECT_EQ(items(c, c.datasets, 0), (Items{"wikipedia", "bookcorpus"}));
  EXPECT_EQ(c.downloads[0], 123);
  EXPECT_EQ(c.value(c.library_name[0]), "transformers");
  EXPECT_EQ(c.report.format, "csv");
  EXPECT_EQ(c.report.columns.size(), 10u);
}

TEST(CatalogueCsv, ColumnsInAnyOrderExtraColumnsIgnored) {
  auto c = ok("extra,library_name,modelId,more\nx,transformers,org/a,\"y, z\"\n");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.id(0), "org/a");
  EXPECT_EQ(c.value(c.library_name[0]), "transformers");
  EXPECT_EQ(c.report.columns, (Items{"modelId", "library_name"}));
}

TEST(CatalogueCsv, OnlyModelIdIsRequiredAndEmptyCellsAreMissing) {
  auto c = ok("modelId,pipeline_tag,tags,architectures,downloads\norg/a,,,,\norg/b,,[],[],7\n");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.pipeline_tag[0], kMissing);
  EXPECT_EQ(c.tags.missing[0], 1);
  EXPECT_EQ(c.architectures.missing[0], 1);
  EXPECT_EQ(c.pool.str(c.architectures_category[0]), "nan");
  EXPECT_EQ(c.downloads[0], 0);
  EXPECT_EQ(c.tags.missing[1], 0);
  EXPECT_TRUE(items(c, c.tags, 1).empty());
  EXPECT_EQ(c.pool.str(c.architectures_category[1]), "");
  EXPECT_EQ(c.downloads[1], 7);
  auto only = ok("modelId\norg/x\n");
  EXPECT_EQ(only.size(), 1u);
  EXPECT_EQ(only.tags.missing[0], 1);
  EXPECT_EQ(only.datasets.missing[0], 1);
}

TEST(CatalogueCsv, QuotedFieldsCrlfAndBom) {
  const std::string lf =
      "modelId,tags,author\n\"org/a\",\"['x, y', \"\"it's\"\"]\",\"A \"\"B\"\"\"\norg/b,\"['multi\nline']\",c\n";
  std::string crlf;
  for (char ch : lf) {
    if (ch == '\n') crlf += '\r';
    crlf += ch;
  }
  for (const std::string& text : {lf, "\xEF\xBB\xBF" + lf}) {
    auto c = ok(text);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(items(c, c.tags, 0), (Items{"x, y", "it's"}));
    EXPECT_EQ(c.value(c.author[0]), "A \"B\"");
    EXPECT_EQ(items(c, c.tags, 1), (Items{"multi\nline"}));
  }
  auto c = ok("\xEF\xBB\xBF" + crlf);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.value(c.author[0]), "A \"B\"");
  EXPECT_EQ(items(c, c.tags, 1), (Items{"multi\r\nline"}));  // a quoted CRLF is data
  EXPECT_EQ(c.value(c.author[1]), "c");
}

TEST(CatalogueCsv, ListCells) {
  auto c =
      ok("modelId,tags,datasets\n"
         "a,\"['x', None, \"\"it's\"\"]\",squad\n"
         "b,\"[{'name': 'k'}, ['n']]\",\"['d1']\"\n");
  EXPECT_EQ(items(c, c.tags, 0), (Items{"x", "it's"}));
  EXPECT_EQ(items(c, c.datasets, 0), (Items{"squad"}));  // a bare string is a one-item list
  EXPECT_EQ(items(c, c.tags, 1), (Items{"name", "n"}));
  EXPECT_EQ(items(c, c.datasets, 1), (Items{"d1"}));
}

TEST(CatalogueCsv, DownloadsAcceptPandasFloats) {
  auto c = ok("modelId,downloads\na,12.0\nb,0\n");
  EXPECT_EQ(c.downloads[0], 12);
  EXPECT_EQ(err("modelId,downloads\na,-1\n"), "line 2, column 'downloads': not a non-negative integer: '-1'");
  EXPECT_EQ(err("modelId,downloads\na,1.5\n"), "line 2, column 'downloads': not a non-negative integer: '1.5'");
  EXPECT_EQ(err("modelId,downloads\na,1e30\n"), "line 2, column 'downloads': not a non-negative integer: '1e30'");
}

TEST(CatalogueCsv, DuplicatesKeepTheFirstAndWarn) {
  auto c = ok("modelId,pipeline_tag\na,first\nb,x\na,second\na,third\n");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.value(c.pipeline_tag[c.find("a")]), "first");
  EXPECT_EQ(c.report.duplicates_dropped, 2u);
  EXPECT_EQ(c.report.first_duplicate, "a");
  EXPECT_EQ(c.report.warnings, Items{"2 duplicate modelId rows dropped (first: 'a'; the first occurrence is kept)"});
}

TEST(CatalogueCsv, BlankLinesAreSkipped) { EXPECT_EQ(ok("modelId,x\n\na,1\n\n").size(), 1u); }

TEST(CatalogueCsv, Errors) {
  EXPECT_EQ(err("modelId,tags\na\n"), "line 2: 1 fields, but the header has 2");
  EXPECT_EQ(err("modelId,tags\na,b,c\n"), "line 2: 3 fields, but the header has 2");
  EXPECT_EQ(err("modelId,tags\n,[]\n"), "line 2, column 'modelId': empty model id");
  EXPECT_EQ(err("modelId,tags\na,\"['x', 'y'\"\n"),
            "line 2, column 'tags', character 10: expected ',' or ']', found end of cell");
  EXPECT_EQ(err("modelId,architectures\na,[Bert]\n"),
            "line 2, column 'architectures', character 2: expected a quoted string (bare words are not Python "
            "literals), found 'B'");
  EXPECT_EQ(err("name,tags\na,[]\n"), "line 1: no modelId column in the header (found 'name', 'tags')");
  EXPECT_EQ(err("a,b,c,d,e,f\n1,2,3,4,5,6\n"),
            "line 1: no modelId column in the header (found 'a', 'b', 'c', 'd', 'e', …)");
  EXPECT_EQ(err("modelId,tags\rorg/a,[]\r"),
            "line 1: carriage return without a line feed (classic Mac line endings); save the file with LF or CRLF "
            "line endings");
}

TEST(CatalogueCsv, LoadCsvNeverSniffsJson) {
  auto r = load_csv("[1]\n", "t");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "line 1: no modelId column in the header (found '[1]')");
}

}  // namespace
}  // namespace hfrec
