// Catalogue loading: format sniffing, limits, sliced loading, files and records (issue 2). The two
// readers have their own tests: catalogue_csv_test.cpp and hub_json_test.cpp.
#include "core/catalogue.h"

#include <gtest/gtest.h>

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

// The glyphs a view can need: every value's and id's code points beyond ASCII, and their lowercase
// forms (soup terms are lowercased), and nothing from an all-ASCII catalogue.
TEST(CatalogueCodePoints, ValuesIdsAndTheirLowercase) {
  const std::string header = kHubHeader;
  Catalogue plain = ok(header + "org/a,,['x'],fill-mask,org,,bert,,1,transformers\n");
  EXPECT_TRUE(catalogue_code_points(plain).list().empty());
  // Tag "Жук", dataset "café", id "org/naïve".
  Catalogue c = ok(header + "org/na\xC3\xAFve,,['\xD0\x96\xD1\x83\xD0\xBA'],fill-mask,org,,bert,['caf\xC3\xA9'],1,\n");
  const CodePointSet set = catalogue_code_points(c);
  for (char32_t cp : {0xEFu, 0x416u, 0x443u, 0x43Au, 0xE9u, 0x436u /* ж, Ж's lowercase */})
    EXPECT_TRUE(set.contains(cp)) << uint32_t(cp);
  EXPECT_EQ(set.list().size(), 6u);
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
  EXPECT_EQ(load_hub_json("[{\"id\":\"a\"}]", "t", l).error(),
            "file is 12 bytes, more than the limit of 10 (max_file_bytes)");
  l = {};
  l.list.max_items = 2;
  EXPECT_EQ(err("modelId,tags\na,\"['1', '2', '3']\"\n", l),
            "line 2, column 'tags', character 12: more than 2 items (limit max_items)");
  EXPECT_EQ(err("[{\"id\": \"a\", \"tags\": [\"1\", \"2\", \"3\"]}]", l),
            "[0].tags: more than 2 items (limit max_items)");
  EXPECT_EQ(err("[{\"id\": \"a\", \"tags\": [{\"1\": 0, \"2\": 0, \"3\": 0}]}]", l),
            "[0].tags: more than 2 items (limit max_items)");
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
    text += "org/m" + std::to_string(i) + ",,\"['t" + std::to_string(i % 7) + "']\",fill-mask,org,,,," +
            std::to_string(i) + ",\n";
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

}  // namespace
}  // namespace hfrec
