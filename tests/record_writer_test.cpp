// Tests of core/record_writer: what it writes, read back by core's CSV and JSON readers, is what
// went in (every field, missing values, the architectures category), on odd values and the 10k file.
#include "core/record_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace hfrec {
namespace {

std::vector<ModelRecord> odd_records() {
  std::vector<ModelRecord> v;
  ModelRecord a;
  a.id = "org/a,b";
  a.author = "org";
  a.last_modified = "2024-01-02T03:04:05.000Z";
  a.pipeline_tag = "text-generation";
  a.model_type = "llama";
  a.library_name = "transformers";
  a.tags = {"pytorch", "it's", "say \"hi\"", "back\\slash", "base_model:finetune:meta/llama"};
  a.architectures = {"LlamaForCausalLM", "Other"};
  a.datasets = {"wiki, the \"big\" one"};
  a.datasets_missing = false;
  a.downloads = 1234567890123;
  v.push_back(a);
  ModelRecord b;  // everything missing but the id
  b.id = "bare";
  b.tags_missing = true;
  b.architectures_missing = true;
  v.push_back(b);
  ModelRecord c;  // present but empty lists
  c.id = "empty-lists";
  c.datasets_missing = false;
  c.author = "";
  v.push_back(c);
  return v;
}

void expect_same(const Catalogue& c, const std::vector<ModelRecord>& want) {
  ASSERT_EQ(c.size(), want.size());
  for (uint32_t r = 0; r < want.size(); ++r) {
    ModelRecord got = record_of(c, r);
    const ModelRecord& w = want[r];
    SCOPED_TRACE(w.id);
    EXPECT_EQ(got.id, w.id);
    EXPECT_EQ(got.author, w.author);
    EXPECT_EQ(got.last_modified, w.last_modified);
    EXPECT_EQ(got.pipeline_tag, w.pipeline_tag);
    EXPECT_EQ(got.model_type, w.model_type);
    EXPECT_EQ(got.library_name, w.library_name);
    EXPECT_EQ(got.downloads, w.downloads);
    EXPECT_EQ(got.tags, w.tags);
    EXPECT_EQ(got.tags_missing, w.tags_missing);
    EXPECT_EQ(got.architectures, w.architectures);
    EXPECT_EQ(got.architectures_missing, w.architectures_missing);
    EXPECT_EQ(got.datasets, w.datasets);
    EXPECT_EQ(got.datasets_missing, w.datasets_missing);
  }
}

TEST(RecordWriter, CsvHeaderIsTheNotebooksColumnsAndBaseModel) {
  EXPECT_EQ(csv_header(),
            "modelId,lastModified,tags,pipeline_tag,author,architectures,model_type,datasets,downloads,library_name,"
            "base_model\n");
}

TEST(RecordWriter, CsvLine) {
  std::string out;
  append_csv_rows({odd_records()[1]}, out);
  EXPECT_EQ(out, "bare,,,,,,,,0,,\n");
  out.clear();
  append_csv_rows({odd_records()[0]}, out);
  EXPECT_EQ(out,
            "\"org/a,b\",2024-01-02T03:04:05.000Z,\"['pytorch', \"\"it's\"\", 'say \"\"hi\"\"', 'back\\\\slash', "
            "'base_model:finetune:meta/llama']\",text-generation,org,\"['LlamaForCausalLM', 'Other']\",llama,"
            "\"['wiki, the \"\"big\"\" one']\",1234567890123,transformers,meta/llama\n");
}

TEST(RecordWriter, CsvReadsBackAsWritten) {
  std::string text = csv_header();
  append_csv_rows(odd_records(), text);
  auto c = load_csv(text, "w.csv");
  ASSERT_TRUE(c.ok()) << c.error();
  expect_same(c.value(), odd_records());
  EXPECT_EQ(c.value().report.columns, hub_columns());
}

TEST(RecordWriter, JsonReadsBackAsWrittenWithTheSameColumns) {
  std::string text = "[\n";
  append_json_rows(odd_records(), text);
  text += "\n]\n";
  auto c = load_hub_json(text, "w.json");
  ASSERT_TRUE(c.ok()) << c.error();
  expect_same(c.value(), odd_records());
  EXPECT_EQ(c.value().report.columns.size(), hub_columns().size());
  // The same architectures category as the CSV's raw cell gives.
  std::string csv = csv_header();
  append_csv_rows(odd_records(), csv);
  auto fromcsv = load_csv(csv, "w.csv");
  for (uint32_t r = 0; r < c.value().size(); ++r)
    EXPECT_EQ(c.value().pool.str(c.value().architectures_category[r]),
              fromcsv.value().pool.str(fromcsv.value().architectures_category[r]));
}

TEST(RecordWriter, JsonObject) {
  std::string out;
  append_json_rows({odd_records()[1], odd_records()[2]}, out);
  EXPECT_EQ(out,
            "{\"id\":\"bare\",\"modelId\":\"bare\",\"author\":null,\"downloads\":0,\"lastModified\":null,"
            "\"library_name\":null,\"pipeline_tag\":null,\"tags\":null,\"config\":{\"architectures\":null,"
            "\"model_type\":null},\"cardData\":{\"datasets\":null,\"base_model\":null}},\n"
            "{\"id\":\"empty-lists\",\"modelId\":\"empty-lists\",\"author\":null,\"downloads\":0,\"lastModified\":null,"
            "\"library_name\":null,\"pipeline_tag\":null,\"tags\":[],\"config\":{\"architectures\":[],"
            "\"model_type\":null},\"cardData\":{\"datasets\":[],\"base_model\":null}}");
}

// Every row of the notebook's 10k catalogue survives CSV and JSON, architectures category included.
TEST(RecordWriter, SharedCatalogueRoundTrips) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  auto src = load_catalogue_file(path);
  ASSERT_TRUE(src.ok()) << src.error();
  std::vector<ModelRecord> rows;
  for (uint32_t r = 0; r < src.value().size(); ++r) rows.push_back(record_of(src.value(), r));
  std::string csv = csv_header();
  append_csv_rows(rows, csv);
  std::string json = "[\n";
  append_json_rows(rows, json);
  json += "\n]\n";
  for (auto* text : {&csv, &json}) {
    auto back = load_catalogue(*text, "back");
    ASSERT_TRUE(back.ok()) << back.error();
    expect_same(back.value(), rows);
    size_t same_category = 0;
    for (uint32_t r = 0; r < rows.size(); ++r)
      same_category += src.value().pool.str(src.value().architectures_category[r]) ==
                       back.value().pool.str(back.value().architectures_category[r]);
    EXPECT_EQ(same_category, rows.size());
  }
}

}  // namespace
}  // namespace hfrec
