// Catalogue loading: the CSV and Hub JSON contract of issue 2, duplicates, limits, sliced loading.
#include "core/catalogue.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "test_util.h"

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
  const std::string lf = "modelId,tags,author\n\"org/a\",\"['x, y', \"\"it's\"\"]\",\"A \"\"B\"\"\"\norg/b,\"['multi\nline']\",c\n";
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
  auto c = ok("modelId,tags,datasets\n"
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
  EXPECT_EQ(c.report.warnings,
            Items{"2 duplicate modelId rows dropped (first: 'a'; the first occurrence is kept)"});
}

TEST(CatalogueCsv, BlankLinesAreSkipped) { EXPECT_EQ(ok("modelId,x\n\na,1\n\n").size(), 1u); }

TEST(CatalogueCsv, Errors) {
  EXPECT_EQ(err("modelId,tags\na\n"), "line 2: 1 fields, but the header has 2");
  EXPECT_EQ(err("modelId,tags\na,b,c\n"), "line 2: 3 fields, but the header has 2");
  EXPECT_EQ(err("modelId,tags\n,[]\n"), "line 2, column 'modelId': empty model id");
  EXPECT_EQ(err("modelId,tags\na,\"['x', 'y'\"\n"), "line 2, column 'tags', character 10: expected ',' or ']', found end of cell");
  EXPECT_EQ(err("modelId,architectures\na,[Bert]\n"),
            "line 2, column 'architectures', character 2: expected a quoted string (bare words are not Python "
            "literals), found 'B'");
  EXPECT_EQ(err("name,tags\na,[]\n"), "line 1: no modelId column in the header (found 'name', 'tags')");
  EXPECT_EQ(err("a,b,c,d,e,f\n1,2,3,4,5,6\n"), "line 1: no modelId column in the header (found 'a', 'b', 'c', 'd', 'e', …)");
  EXPECT_EQ(err("modelId,tags\rorg/a,[]\r"),
            "line 1: carriage return without a line feed (classic Mac line endings); save the file with LF or CRLF "
            "line endings");
}

TEST(CatalogueCsv, LoadCsvNeverSniffsJson) {
  auto r = load_csv("[1]\n", "t");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "line 1: no modelId column in the header (found '[1]')");
}

TEST(CatalogueLimits, RowsFileAndListItems) {
  LoadLimits l;
  l.max_rows = 2;
  EXPECT_EQ(ok("modelId\na\nb\n", l).size(), 2u);
  EXPECT_EQ(err("modelId\na\nb\nc\n", l), "line 4: more than 2 rows (limit max_rows)");
  EXPECT_EQ(err("modelId\na\na\na\n", l), "line 4: more than 2 rows (limit max_rows)");  // duplicates count
  EXPECT_EQ(err("[{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}]", l), "JSON: more than 2 models (limit max_rows)");
  l = {};
  l.max_file_bytes = 10;
  EXPECT_EQ(err("modelId\nabc\n", l), "file is 12 bytes, more than the limit of 10 (max_file_bytes)");
  EXPECT_EQ(load_hub_json("[{\"id\":\"a\"}]", "t", l).error(), "file is 12 bytes, more than the limit of 10 (max_file_bytes)");
  l = {};
  l.list.max_items = 2;
  EXPECT_EQ(err("modelId,tags\na,\"['1', '2', '3']\"\n", l), "line 2, column 'tags', character 12: more than 2 items (limit max_items)");
  EXPECT_EQ(err("[{\"id\": \"a\", \"tags\": [\"1\", \"2\", \"3\"]}]", l), "[0].tags: more than 2 items (limit max_items)");
  EXPECT_EQ(err("[{\"id\": \"a\", \"tags\": [{\"1\": 0, \"2\": 0, \"3\": 0}]}]", l), "[0].tags: more than 2 items (limit max_items)");
  l = {};
  l.csv.max_field_bytes = 7;
  EXPECT_EQ(err("modelId\nabcdefgh\n", l), "line 2, field 1: longer than 7 bytes (limit max_field_bytes)");
  l = {};
  l.csv.max_columns = 2;
  EXPECT_EQ(err("modelId,a,b\n", l), "line 1: more than 2 columns (limit max_columns)");
}

TEST(CatalogueLimits, DefaultsAreGenerous) {
  LoadLimits l;
  EXPECT_EQ(l.max_file_bytes, size_t(1) << 30);
  EXPECT_EQ(l.max_rows, 5'000'000u);
  EXPECT_EQ(l.csv.max_field_bytes, size_t(1) << 20);
  EXPECT_EQ(l.csv.max_columns, 1000u);
  EXPECT_EQ(l.list.max_items, 10000u);
  EXPECT_EQ(l.max_json_depth, 64u);
}

TEST(TextColumn, RowsKeepTheirOwnTextIncludingEmptyOnes) {
  TextColumn t;
  for (std::string_view v : {"2023-01-01", "", "x", "", "2024-02-29T10:00:00.000Z"}) t.push_back(v);
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0], "2023-01-01");
  EXPECT_EQ(t[1], "");
  EXPECT_EQ(t[2], "x");
  EXPECT_EQ(t[3], "");
  EXPECT_EQ(t[4], "2024-02-29T10:00:00.000Z");
}

TEST(CatalogueJson, HubListModels) {
  auto c = ok(R"([
    {"id": "org/a", "modelId": "org/a", "tags": ["pytorch", "bert"], "pipeline_tag": "fill-mask",
     "author": "org", "library_name": "transformers", "downloads": 42, "lastModified": "2023-01-01T00:00:00.000Z",
     "config": {"architectures": ["BertForMaskedLM"], "model_type": "bert"},
     "cardData": {"datasets": ["wikipedia"], "license": "mit"}},
    {"modelId": "org/b", "cardData": {"datasets": "squad"}},
    {"id": "c"}
  ])");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c.report.format, "json");
  EXPECT_EQ(c.id(0), "org/a");
  EXPECT_EQ(items(c, c.tags, 0), (Items{"pytorch", "bert"}));
  EXPECT_EQ(c.value(c.pipeline_tag[0]), "fill-mask");
  EXPECT_EQ(c.value(c.library_name[0]), "transformers");
  EXPECT_EQ(c.downloads[0], 42);
  EXPECT_EQ(c.last_modified[0], "2023-01-01T00:00:00.000Z");
  EXPECT_EQ(items(c, c.architectures, 0), (Items{"BertForMaskedLM"}));
  EXPECT_EQ(c.pool.str(c.architectures_category[0]), "'BertForMaskedLM'");
  EXPECT_EQ(c.value(c.model_type[0]), "bert");
  EXPECT_EQ(items(c, c.datasets, 0), (Items{"wikipedia"}));
  EXPECT_EQ(c.id(1), "org/b");
  EXPECT_EQ(items(c, c.datasets, 1), (Items{"squad"}));  // cardData.datasets may be a string
  EXPECT_EQ(c.value(c.author[1]), "org");                 // author from the id when absent
  EXPECT_EQ(c.tags.missing[1], 1);
  EXPECT_EQ(c.architectures.missing[1], 1);
  EXPECT_EQ(c.pool.str(c.architectures_category[1]), "nan");
  EXPECT_EQ(c.model_type[2], kMissing);
  EXPECT_EQ(c.author[2], kMissing);
  EXPECT_EQ(c.datasets.missing[2], 1);
}

TEST(CatalogueJson, ByteOrderMarkAndWhitespaceBeforeTheArray) {
  auto c = ok("\xEF\xBB\xBF \r\n[{\"id\": \"a\"}]");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.report.format, "json");
}

TEST(CatalogueJson, NullsAreAbsentAndDuplicatesWarn) {
  auto c = ok(R"([{"id": "a", "tags": null, "pipeline_tag": null, "config": null, "cardData": null},
                  {"id": "a", "pipeline_tag": "x"}])");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.pipeline_tag[0], kMissing);
  EXPECT_EQ(c.report.duplicates_dropped, 1u);
}

TEST(CatalogueJson, WrongTypesNameTheJsonPath) {
  EXPECT_EQ(err(R"({"id": "a"})"),
            "JSON: expected an array of model objects (the Hub's list-models response), found object");
  EXPECT_EQ(err("[]"), "JSON: the array holds no models");
  EXPECT_EQ(err(R"([{"id": "a"}, 3])"), "[1]: expected an object, found number");
  EXPECT_EQ(err(R"([{"tags": []}])"), "[0]: no 'id' or 'modelId'");
  EXPECT_EQ(err(R"([{"id": 5}])"), "[0].id: expected a string, found number");
  EXPECT_EQ(err(R"([{"id": "a", "pipeline_tag": ["x"]}])"), "[0].pipeline_tag: expected a string, found array");
  EXPECT_EQ(err(R"([{"id": "a", "tags": "x"}])"), "[0].tags: expected a list of strings, found string");
  EXPECT_EQ(err(R"([{"id": "a", "tags": ["x", true]}])"), "[0].tags[1]: expected a string, found boolean");
  EXPECT_EQ(err(R"([{"id": "a", "config": []}])"), "[0].config: expected an object, found array");
  EXPECT_EQ(err(R"([{"id": "a", "config": {"architectures": "Bert"}}])"),
            "[0].config.architectures: expected a list of strings, found string");
  EXPECT_EQ(err(R"([{"id": "a", "config": {"model_type": 1}}])"), "[0].config.model_type: expected a string, found number");
  EXPECT_EQ(err(R"([{"id": "a", "cardData": "x"}])"), "[0].cardData: expected an object, found string");
  EXPECT_EQ(err(R"([{"id": "a", "cardData": {"datasets": 7}}])"),
            "[0].cardData.datasets: expected a list of strings, found number");
  EXPECT_EQ(err(R"([{"id": "a", "downloads": -1}])"), "[0].downloads: expected a non-negative integer, found -1");
  EXPECT_EQ(err(R"([{"id": "a", "downloads": "12"}])"), "[0].downloads: expected a non-negative integer, found \"12\"");
  EXPECT_EQ(err(R"([{"id": "a", "downloads": 1e300}])"), "[0].downloads: expected a non-negative integer, found 1e+300");
}

TEST(CatalogueJson, SyntaxErrorsNameTheByte) {
  EXPECT_EQ(err("[{\"id\": \"a\"},]"),
            "JSON byte 14: parse error at line 1, column 14: syntax error while parsing value - unexpected ']'; "
            "expected '[', '{', or a literal");
  EXPECT_EQ(err("[{\"id\": \"a\"}] x"),
            "JSON byte 15: parse error at line 1, column 15: syntax error while parsing value - invalid literal; "
            "last read: '\"a\"}] x'; expected end of input");
}

TEST(CatalogueJson, DepthIsLimitedBeforeParsing) {
  EXPECT_TRUE(load_catalogue("[{\"id\": \"a\", \"x\": [[[[1]]]]}]", "t").ok());
  LoadLimits l;
  l.max_json_depth = 3;
  EXPECT_EQ(err("[{\"id\": \"a\", \"x\": [[1]]}]", l), "JSON byte 20: nested deeper than 3 levels (limit max_json_depth)");
  EXPECT_TRUE(load_catalogue("[{\"id\": \"[[[[[\"}]", "t", l).ok());  // brackets inside strings do not count
}

// Steps a loader to the end with `rows` per step, checking that progress never goes back; the
// number of unfinished steps.
int run_in_slices(CatalogueLoader& loader, size_t rows) {
  int steps = 0;
  double last = 0;
  while (!loader.step(rows)) {
    ++steps;
    EXPECT_GE(loader.progress(), last);
    last = loader.progress();
  }
  return steps;
}

TEST(CatalogueLoader, SlicedLoadMatchesOneShot) {
  std::string text = kHubHeader;
  for (int i = 0; i < 1000; ++i)
    text += "org/m" + std::to_string(i) + ",,\"['t" + std::to_string(i % 7) + "']\",fill-mask,org,,,,"
            + std::to_string(i) + ",\n";
  CatalogueLoader loader(text, "sliced");
  EXPECT_EQ(loader.progress(), 0.0);
  const int steps = run_in_slices(loader, 100);
  EXPECT_EQ(loader.progress(), 1.0);
  EXPECT_GE(steps, 9);
  auto sliced = loader.take();
  ASSERT_TRUE(sliced.ok());
  auto whole = ok(text);
  ASSERT_EQ(sliced.value().size(), whole.size());
  for (uint32_t r = 0; r < whole.size(); ++r) {
    EXPECT_EQ(sliced.value().id(r), whole.id(r));
    EXPECT_EQ(items(sliced.value(), sliced.value().tags, r), items(whole, whole.tags, r));
  }
}

// Hub JSON loads in slices too (element by element, no DOM of the whole file): the same
// catalogue as the one-shot loader, progress that only grows, and strings holding brackets,
// commas and escaped quotes do not confuse the scan that finds each element.
TEST(CatalogueLoader, SlicedJsonLoadMatchesOneShot) {
  std::string text = " [\n";
  for (int i = 0; i < 500; ++i)
    text += std::string(i ? "," : "") + R"({"id": "org/m)" + std::to_string(i) + R"(", "tags": ["a,]}", "q\"[{"],)" +
            R"( "config": {"architectures": ["X"], "model_type": "t)" + std::to_string(i % 3) + R"("},)" +
            R"( "cardData": {"datasets": [{"k": 1}]}, "downloads": )" + std::to_string(i) + "}\n";
  text += "]\n";
  CatalogueLoader loader(text, "sliced.json");
  const int steps = run_in_slices(loader, 40);
  EXPECT_GE(steps, 12);
  auto sliced = loader.take();
  ASSERT_TRUE(sliced.ok()) << sliced.error();
  auto whole = ok(text);
  ASSERT_EQ(sliced.value().size(), 500u);
  ASSERT_EQ(whole.size(), 500u);
  const Catalogue& c = sliced.value();
  EXPECT_EQ(c.report.format, "json");
  for (uint32_t r = 0; r < whole.size(); ++r) {
    EXPECT_EQ(c.id(r), whole.id(r));
    EXPECT_EQ(items(c, c.tags, r), (Items{"a,]}", "q\"[{"}));
    EXPECT_EQ(items(c, c.datasets, r), (Items{"k"}));
    EXPECT_EQ(c.value(c.model_type[r]), "t" + std::to_string(r % 3));
    EXPECT_EQ(c.downloads[r], static_cast<int64_t>(r));
  }
}

// Syntax errors anywhere in the array get nlohmann's message for the whole text, as before the
// element-by-element load: a trailing comma, a missing comma, an unclosed array, an empty slot.
TEST(CatalogueJson, SyntaxErrorsBetweenElements) {
  for (const char* bad : {"[{\"id\": \"a\"}, {\"id\": \"b\"},]", "[{\"id\": \"a\"} {\"id\": \"b\"}]",
                          "[{\"id\": \"a\"}", "[{\"id\": \"a\"},,{\"id\": \"b\"}]", "[", "[{\"id\": \"a\"}]]"}) {
    std::string e = err(bad);
    EXPECT_EQ(e.rfind("JSON byte ", 0), 0u) << bad << " -> " << e;
    EXPECT_NE(e.find("parse error"), std::string::npos) << bad << " -> " << e;
  }
}

TEST(CatalogueLoader, TakeBeforeTheEnd) {
  CatalogueLoader loader("modelId\na\n", "t");
  EXPECT_EQ(loader.take().error(), "the load has not finished");
}

TEST(CatalogueFile, ErrorsNameTheFile) {
  EXPECT_EQ(load_catalogue_file("/nonexistent/x.csv").error(), "/nonexistent/x.csv: cannot open the file");
  const std::string dir = std::string(HFREC_SOURCE_DIR) + "/tests/data/bad";
  EXPECT_EQ(load_catalogue_file(dir).error(), dir + ": is a directory, not a catalogue file");
  LoadLimits l;
  l.max_file_bytes = 10;
  EXPECT_EQ(load_catalogue_file(dir + "/same_id.csv", l).error(),
            dir + "/same_id.csv: file is 166 bytes, more than the limit of 10 (max_file_bytes)");
}

TEST(CatalogueRecords, MakeAndRecordOfRoundTrip) {
  ModelRecord a;
  a.id = "org/a";
  a.pipeline_tag = "fill-mask";
  a.tags = {"x", "it's"};
  a.architectures = {"A", "B"};
  a.downloads = 5;
  ModelRecord dup = a;
  dup.pipeline_tag = "other";
  auto c = make_catalogue({a, dup});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.report.duplicates_dropped, 1u);
  EXPECT_EQ(c.pool.str(c.architectures_category[0]), "'A', 'B'");
  ModelRecord back = record_of(c, 0);
  EXPECT_EQ(back.id, a.id);
  EXPECT_EQ(back.pipeline_tag, "fill-mask");
  EXPECT_EQ(back.tags, a.tags);
  EXPECT_EQ(back.datasets_missing, true);
  EXPECT_EQ(back.downloads, 5);
}

TEST(CatalogueShared, TenThousandLoads) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto c = load_catalogue_file(path);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_GT(c.value().size(), 9000u);
  EXPECT_EQ(c.value().report.columns.size(), 10u);
}


// The fast path for Hub JSON objects against the DOM path, on random objects of every shape the
// two must agree on: plain ones (which the fast path reads), and ones with escapes, \u escapes,
// nulls, numbers for strings, objects in lists, bare strings, floats and huge or negative
// downloads, duplicate keys, deep skipped values, odd whitespace and syntax errors (which it hands
// to the DOM). Either both loads fail with the same message, or both give the same catalogue.
TEST(CatalogueJson, FastPathReadsWhatTheDomPathReads) {
  std::mt19937 rng(5);
  auto pick = [&](std::initializer_list<const char*> xs) { return std::string(*(xs.begin() + rng() % xs.size())); };
  auto word = [&] { return pick({"bert", "gpt2", "org/model-x", "datasets", "", "ünïcode", "a b", "x_y.z"}); };
  auto str = [&] {
    switch (rng() % 40) {
      case 0: return std::string("\"with \\\"escape\\\"\"");
      case 1: return std::string("\"tab\\tnewline\\n\"");
      case 2: return std::string("\"\\u00e9t\\u00e9\"");
      case 3: case 4: return std::string("null");
      case 5: return std::string("12");
      default: return "\"" + word() + "\"";
    }
  };
  auto list = [&](bool datasets) {
    switch (rng() % 30) {
      case 0: return std::string("null");
      case 1: return datasets ? "\"" + word() + "\"" : std::string("\"bare\"");
      case 2: return std::string("[{\"k\": 1}, \"a\"]");
      case 3: return std::string("[1, \"a\", null]");
      case 4: return std::string("[[\"nested\"]]");
      case 5: case 6: return std::string("[]");
      default: {
        std::string l = "[";
        for (int k = 0, n = static_cast<int>(rng() % 5); k < n; ++k) l += (k ? ", " : "") + (rng() % 9 ? str() : std::string("null"));
        return l + "]";
      }
    }
  };
  auto skipped = [&] {
    if (rng() % 4) return pick({"{\"a\": [1, 2.5e3, -0.1, true, false, null], \"b\": {\"c\": \"d\\/e\"}}", "\"x\"", "-12", "[]"});
    return pick({"{\"a\": [1, 2.5e3, -0.1, true, false, null], \"b\": {\"c\": \"d\\/e\"}}", "\"x\"", "-12", "1e5", "[]", "{}",
                 "\"\\u0041\"", "01", "[1,]", "tru", "\"a\\qb\""});
  };
  auto downloads = [&] {
    if (rng() % 3) return pick({"0", "17", "123456789", "null"});
    return pick({"-3", "2.5", "1e3", "99999999999999999999", "\"7\"", "007", "1000000000000000000"});
  };
  int fast_shapes = 0;
  for (int t = 0; t < 600; ++t) {
    std::string text = "[";
    const int rows = 1 + static_cast<int>(rng() % 6);
    for (int r = 0; r < rows; ++r) {
      std::vector<std::string> fields;
      const std::string id = "\"org/m" + std::to_string(t) + "-" + std::to_string(r % (rng() % 4 ? 100 : 3)) + "\"";
      if (rng() % 6) fields.push_back("\"modelId\": " + (rng() % 20 ? id : str()));
      if (rng() % 3) fields.push_back("\"id\": " + (rng() % 20 ? id : str()));
      if (rng() % 3) fields.push_back("\"author\": " + str());
      if (rng() % 2) fields.push_back("\"pipeline_tag\": " + str());
      if (rng() % 2) fields.push_back("\"library_name\": " + str());
      if (rng() % 2) fields.push_back("\"lastModified\": " + str());
      if (rng() % 2) fields.push_back("\"downloads\": " + downloads());
      if (rng() % 2) fields.push_back("\"tags\": " + list(false));
      if (rng() % 2) {
        std::string cfg = rng() % 8 == 0 ? pick({"null", "[]", "3"}) : "{";
        if (cfg == "{") {
          std::vector<std::string> cf;
          if (rng() % 3) cf.push_back("\"architectures\": " + list(false));
          if (rng() % 3) cf.push_back("\"model_type\": " + str());
          if (rng() % 3) cf.push_back("\"other\": " + skipped());
          for (size_t k = 0; k < cf.size(); ++k) cfg += (k ? ", " : "") + cf[k];
          cfg += "}";
        }
        fields.push_back("\"config\": " + cfg);
      }
      if (rng() % 2) fields.push_back("\"cardData\": " + (rng() % 8 ? "{\"datasets\": " + list(true) + ", \"license\": \"mit\"}" : pick({"null", "\"x\""})));
      if (rng() % 2) fields.push_back("\"_id\": " + skipped());
      if (rng() % 15 == 0) fields.push_back(fields.empty() ? "\"tags\": []" : fields[rng() % fields.size()]);  // a duplicate key
      std::shuffle(fields.begin(), fields.end(), rng);
      std::string obj = rng() % 40 == 0 ? pick({"[]", "\"not an object\"", "{\"id\": \"x\",}"}) : "{";
      if (obj == "{") {
        for (size_t k = 0; k < fields.size(); ++k) obj += (k ? (rng() % 2 ? ", " : ",\n\t") : "") + fields[k];
        obj += "}";
      }
      text += (r ? ",\n" : "\n") + obj;
    }
    text += "\n]";
    LoadLimits dom_only;
    dom_only.json_fast_path = false;
    auto fast = load_hub_json(text, "x");
    auto dom = load_hub_json(text, "x", dom_only);
    ASSERT_EQ(fast.ok(), dom.ok()) << text << "\n" << (fast.ok() ? dom.error() : fast.error());
    if (!fast.ok()) {
      EXPECT_EQ(fast.error(), dom.error()) << text;
      continue;
    }
    const Catalogue& a = fast.value();
    const Catalogue& b = dom.value();
    EXPECT_EQ(a.report.columns, b.report.columns) << text;
    EXPECT_EQ(a.report.warnings, b.report.warnings) << text;
    ASSERT_EQ(a.size(), b.size()) << text;
    for (uint32_t r = 0; r < a.size(); ++r) {
      const ModelRecord x = record_of(a, r), y = record_of(b, r);
      EXPECT_EQ(x.id, y.id);
      EXPECT_EQ(x.last_modified, y.last_modified);
      EXPECT_EQ(x.pipeline_tag, y.pipeline_tag);
      EXPECT_EQ(x.author, y.author) << text;
      EXPECT_EQ(x.model_type, y.model_type);
      EXPECT_EQ(x.library_name, y.library_name);
      EXPECT_EQ(x.downloads, y.downloads) << text;
      EXPECT_EQ(x.tags, y.tags) << text;
      EXPECT_EQ(x.architectures, y.architectures) << text;
      EXPECT_EQ(x.datasets, y.datasets) << text;
      EXPECT_EQ(x.tags_missing, y.tags_missing);
      EXPECT_EQ(x.architectures_missing, y.architectures_missing);
      EXPECT_EQ(x.datasets_missing, y.datasets_missing) << text;
      EXPECT_EQ(a.pool.str(a.architectures_category[r]), b.pool.str(b.architectures_category[r]));
    }
    ++fast_shapes;
  }
  EXPECT_GT(fast_shapes, 100);  // loads that succeeded and were compared row by row
}


// nlohmann takes a NUL byte for the end of its input, so "[{...}<NUL>]" once loaded through the
// DOM path while the fast path called it a syntax error (found by fuzz_hub_json): a NUL is
// refused up front, as in CSV, whichever path would read the object.
TEST(CatalogueJson, NulBytesAreRefusedOnBothPaths) {
  const std::string text = std::string("[{\"id\": \"a\"}") + std::string(3, '\0') + "]";
  LoadLimits dom_only;
  dom_only.json_fast_path = false;
  for (const LoadLimits& l : {LoadLimits{}, dom_only}) {
    auto r = load_hub_json(text, "x", l);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), "line 1, column 13: NUL byte (binary data is not a catalogue)");
  }
}

}  // namespace
}  // namespace hfrec
