// CsvReader: RFC 4180 records, line endings, BOM, limits and the exact error messages.
#include "core/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hfrec {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Reads every record; the error (if any) goes to *error.
Rows read_all(std::string_view text, std::string* error = nullptr, CsvLimits limits = {}) {
  CsvReader r(text, limits);
  Rows rows;
  std::vector<std::string> f;
  while (r.next(f)) rows.push_back(f);
  if (error) *error = r.error();
  return rows;
}

TEST(CsvReader, PlainRecords) { EXPECT_EQ(read_all("a,b,c\n1,2,3\n"), (Rows{{"a", "b", "c"}, {"1", "2", "3"}})); }

TEST(CsvReader, NoFinalNewline) { EXPECT_EQ(read_all("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}})); }

TEST(CsvReader, QuotedCommasDoubledQuotesAndNewlines) {
  auto rows = read_all("id,text\nx,\"a, b\"\ny,\"say \"\"hi\"\"\"\nz,\"two\nlines\"\n");
  EXPECT_EQ(rows, (Rows{{"id", "text"}, {"x", "a, b"}, {"y", "say \"hi\""}, {"z", "two\nlines"}}));
}

TEST(CsvReader, LineOfARecordCountsEmbeddedNewlines) {
  CsvReader r("h\n\"a\nb\nc\"\nnext\n");
  std::vector<std::string> f;
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(r.line(), 1u);
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(r.line(), 2u);
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(r.line(), 5u);
  EXPECT_EQ(f, std::vector<std::string>{"next"});
}

TEST(CsvReader, CrlfAndLfGiveTheSameRecords) {
  EXPECT_EQ(read_all("a,\"b\"\r\n1,\"x\r\ny\"\r\n"), (Rows{{"a", "b"}, {"1", "x\r\ny"}}));
  EXPECT_EQ(read_all("a,b\r\n1,2\r\n"), read_all("a,b\n1,2\n"));
  EXPECT_EQ(read_all("a,b\r\n1,2"), read_all("a,b\n1,2"));
}

TEST(CsvReader, BomIsSkipped) { EXPECT_EQ(read_all("\xEF\xBB\xBFmodelId\nx\n"), (Rows{{"modelId"}, {"x"}})); }

TEST(CsvReader, EmptyFieldsAndTrailingComma) {
  EXPECT_EQ(read_all("a,,c\n,,\n"), (Rows{{"a", "", "c"}, {"", "", ""}}));
  EXPECT_EQ(read_all("a,"), (Rows{{"a", ""}}));
  EXPECT_EQ(read_all("\"\",x\n"), (Rows{{"", "x"}}));
}

TEST(CsvReader, BareQuoteInsideAnUnquotedFieldIsKept) { EXPECT_EQ(read_all("ab\"c,d\n"), (Rows{{"ab\"c", "d"}})); }

TEST(CsvReader, BlankLineIsOneEmptyField) { EXPECT_EQ(read_all("a\n\nb\n"), (Rows{{"a"}, {""}, {"b"}})); }

TEST(CsvReader, EmptyInputHasNoRecordsAndNoError) {
  std::string err = "unset";
  EXPECT_TRUE(read_all("", &err).empty());
  EXPECT_EQ(err, "");
}

TEST(CsvReader, FieldsVectorIsReusedAndResized) {
  CsvReader r("a,b,c\nx\n");
  std::vector<std::string> f;
  ASSERT_TRUE(r.next(f));
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(f, std::vector<std::string>{"x"});
  EXPECT_FALSE(r.next(f));
  EXPECT_TRUE(f.empty());
}

TEST(CsvReader, QuoteLeftOpenAtEndOfFile) {
  std::string err;
  auto rows = read_all("a,b\n1,\"never\nclosed\n", &err);
  EXPECT_EQ(rows.size(), 1u);
  EXPECT_EQ(err, "line 2, column 3: quoted field is never closed (missing '\"' before end of file)");
}

TEST(CsvReader, CharacterAfterClosingQuote) {
  std::string err;
  read_all("a\n\"x\"y\n", &err);
  EXPECT_EQ(err,
            "line 2, column 4: unexpected character after a closing quote (quotes inside a field must be "
            "doubled)");
}

TEST(CsvReader, FieldLengthLimitUnquoted) {
  std::string err;
  read_all("a,b\n1," + std::string(101, 'x') + "\n", &err, CsvLimits{.max_field_bytes = 100});
  EXPECT_EQ(err, "line 2, field 2: longer than 100 bytes (limit max_field_bytes)");
  EXPECT_EQ(read_all("a\n" + std::string(100, 'x'), &err, CsvLimits{.max_field_bytes = 100}).size(), 2u);
  EXPECT_EQ(err, "");
}

TEST(CsvReader, FieldLengthLimitQuotedIsCheckedBeforeAppending) {
  std::string err;
  read_all("a,b\n1,\"" + std::string(1000, 'x') + "\"\n", &err, CsvLimits{.max_field_bytes = 100});
  EXPECT_EQ(err, "line 2, field 2: longer than 100 bytes (limit max_field_bytes)");
  // Doubled quotes and newlines count too.
  read_all("\"" + std::string(60, '\n') + std::string(82, '"') + "\"", &err, CsvLimits{.max_field_bytes = 100});
  EXPECT_EQ(err, "line 1, field 1: longer than 100 bytes (limit max_field_bytes)");
  EXPECT_EQ(read_all("\"" + std::string(100, 'x') + "\"", &err, CsvLimits{.max_field_bytes = 100}).size(), 1u);
  EXPECT_EQ(err, "");
}

TEST(CsvReader, ColumnLimit) {
  std::string err;
  EXPECT_EQ(read_all("a,b,c\n", &err, CsvLimits{.max_columns = 3}).size(), 1u);
  EXPECT_EQ(err, "");
  read_all("a,b,c,d\n", &err, CsvLimits{.max_columns = 3});
  EXPECT_EQ(err, "line 1: more than 3 columns (limit max_columns)");
  read_all("a,b,c,", &err, CsvLimits{.max_columns = 3});
  EXPECT_EQ(err, "line 1: more than 3 columns (limit max_columns)");
}

TEST(CsvReader, TwentyThousandColumnsStopAtTheDefaultLimit) {
  std::string header = "modelId";
  for (int i = 1; i < 20000; ++i) header += ",c" + std::to_string(i);
  std::string err;
  EXPECT_TRUE(read_all(header + "\n", &err).empty());
  EXPECT_EQ(err, "line 1: more than 1000 columns (limit max_columns)");
}

TEST(CsvReader, ErrorStopsReading) {
  CsvReader r("\"open");
  std::vector<std::string> f;
  EXPECT_FALSE(r.next(f));
  EXPECT_FALSE(r.error().empty());
  EXPECT_EQ(r.offset(), r.size());
  EXPECT_FALSE(r.next(f));
}

// Fields are views into the text, or into the reader when "" had to be unescaped. Many such
// fields in one record (long and short, so some fit a string's inline buffer) must all stay
// intact while later ones are unescaped; the views are valid until the next call.
TEST(CsvReader, ViewsOfUnescapedFieldsSurviveTheRestOfTheRecord) {
  std::string text, expected_second;
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    std::string value = i % 3 ? "x\"" + std::string(static_cast<size_t>(i), 'y') + "\"z" : "plain" + std::to_string(i);
    expected.push_back(value);
    std::string quoted;
    for (char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    text += (i ? "," : "") + (i % 3 ? "\"" + quoted + "\"" : value);
  }
  text += "\nlast,\"multi\nline\"\n";
  CsvReader r(text);
  std::vector<std::string_view> fields;
  ASSERT_TRUE(r.next(fields)) << r.error();
  ASSERT_EQ(fields.size(), expected.size());
  for (size_t i = 0; i < fields.size(); ++i) EXPECT_EQ(fields[i], expected[i]) << "field " << i;
  ASSERT_TRUE(r.next(fields));
  EXPECT_EQ(fields, (std::vector<std::string_view>{"last", "multi\nline"}));
  EXPECT_EQ(fields[1].data(), text.data() + text.find("multi"));  // verbatim: a view, no copy
  EXPECT_FALSE(r.next(fields));
  EXPECT_TRUE(r.error().empty());
}

}  // namespace
}  // namespace hfrec
