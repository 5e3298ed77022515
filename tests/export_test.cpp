// Export: the exact CSV and JSON of ranked lists, formula cells neutralised (OWASP's = + - @ TAB
// CR) while numeric columns keep their signs, and the download's file name (core/export.h).
#include "core/export.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hfrec {
namespace {

TEST(CsvCell, PlainTextIsWrittenAsIs) {
  EXPECT_EQ(csv_cell(""), "");
  EXPECT_EQ(csv_cell("bert-base-uncased"), "bert-base-uncased");
  EXPECT_EQ(csv_cell("a=b+c-d@e"), "a=b+c-d@e");  // only the first character matters
  EXPECT_EQ(csv_cell(" =1"), " =1");
}

TEST(CsvCell, SeparatorsQuotesAndLineBreaksAreQuoted) {
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_cell("cr\rhere"), "\"cr\rhere\"");
}

TEST(CsvCell, FormulaStartsGetAnApostropheAndQuotes) {
  EXPECT_EQ(csv_cell("=1+2"), "\"'=1+2\"");
  EXPECT_EQ(csv_cell("+1"), "\"'+1\"");
  EXPECT_EQ(csv_cell("-1"), "\"'-1\"");
  EXPECT_EQ(csv_cell("@SUM(A1:A9)"), "\"'@SUM(A1:A9)\"");
  EXPECT_EQ(csv_cell("\tx"), "\"'\tx\"");
  EXPECT_EQ(csv_cell("\rx"), "\"'\rx\"");
  EXPECT_EQ(csv_cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
}

std::vector<ExportList> two_lists() {
  ExportList a{"cosine", {}};
  a.rows.push_back({1, "org/m1", 0.5, 1234, "fill-mask", "transformers", "bert", "bert, fill", "same task: fill-mask"});
  a.rows.push_back({2, "-m2", -0.25, 0, "", "", "", "=cmd", ""});
  ExportList b{"knn", {}};
  b.rows.push_back({1, "@m3", 1.0 / 3, 9000000000, "text-generation", "", "gpt2", "", ""});
  return {a, b};
}

TEST(ExportCsv, ExactOutputWithNumbersUnescaped) {
  EXPECT_EQ(export_csv(two_lists()),
            "list,rank,modelId,score,downloads,pipeline_tag,library_name,model_type,shared\n"
            "cosine,1,org/m1,0.500000,1234,fill-mask,transformers,bert,\"bert, fill\"\n"
            "cosine,2,\"'-m2\",-0.250000,0,,,,\"'=cmd\"\n"
            "knn,1,\"'@m3\",0.333333,9000000000,text-generation,,gpt2,\n");
  EXPECT_EQ(export_csv({}), "list,rank,modelId,score,downloads,pipeline_tag,library_name,model_type,shared\n");
}

TEST(ExportJson, ExactOutput) {
  ExportQuery q;
  q.query = "org/m0";
  q.catalogue = "hub.csv";
  q.k = 2;
  q.filters.tasks = {"fill-mask"};
  std::vector<ExportList> lists = two_lists();
  lists.resize(1);
  lists[0].rows.resize(1);
  EXPECT_EQ(export_json(q, lists),
            "{\n"
            "  \"catalogue\": \"hub.csv\",\n"
            "  \"filters\": {\n"
            "    \"libraries\": [],\n"
            "    \"model_types\": [],\n"
            "    \"tasks\": [\n"
            "      \"fill-mask\"\n"
            "    ]\n"
            "  },\n"
            "  \"k\": 2,\n"
            "  \"lists\": [\n"
            "    {\n"
            "      \"method\": \"cosine\",\n"
            "      \"results\": [\n"
            "        {\n"
            "          \"downloads\": 1234,\n"
            "          \"library\": \"transformers\",\n"
            "          \"library_name\": \"transformers\",\n"
            "          \"modelId\": \"org/m1\",\n"
            "          \"model_type\": \"bert\",\n"
            "          \"pipeline_tag\": \"fill-mask\",\n"
            "          \"rank\": 1,\n"
            "          \"score\": 0.5,\n"
            "          \"shared\": \"bert, fill\",\n"
            "          \"task\": \"fill-mask\",\n"
            "          \"why\": \"same task: fill-mask\"\n"
            "        }\n"
            "      ]\n"
            "    }\n"
            "  ],\n"
            "  \"query\": \"org/m0\"\n"
            "}\n");
}

TEST(ExportJson, InvalidUtf8IsReplacedNotThrown) {
  ExportQuery q;
  q.query = "bad\xff";
  const std::string j = export_json(q, {});
  EXPECT_NE(j.find("\"query\": \"bad\xEF\xBF\xBD\""), std::string::npos) << j;
}

TEST(ExportFileName, StemMethodsAndExtension) {
  EXPECT_EQ(export_file_name("gpt2", "cosine", "", ExportFormat::csv), "gpt2-cosine.csv");
  EXPECT_EQ(export_file_name("org/m v2.1", "tfidf", "knn", ExportFormat::json), "org_m_v2.1-tfidf-vs-knn.json");
  EXPECT_EQ(export_file_name("", "jaccard", "", ExportFormat::csv), "hfrec-jaccard.csv");
  EXPECT_STREQ(export_mime(ExportFormat::csv), "text/csv");
  EXPECT_STREQ(export_mime(ExportFormat::json), "application/json");
}

}  // namespace
}  // namespace hfrec
