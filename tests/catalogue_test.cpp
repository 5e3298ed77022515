// Catalogue loading: format sniffing, limits, sliced loading, files and records (issue 2). The two
// readers have their own tests: catalogue_csv_test.cpp and hub_json_test.cpp.
#include "core/catalogue.h"
#include "core/catalogue_summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
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

// The summary in the smallest slices against the rule: each column's values counted over the
// records with a std::map, and the code points decoded from the records' text by hand.
TEST(CatalogueSummary, InSlicesAgainstTheRule) {
  std::mt19937 rng(11);
  const char* tasks[] = {"", "fill-mask", "text-generation", "t\xC3\xA2\x63he", "\xE7\x94\x9F\xE6\x88\x90"};
  const char* libraries[] = {"", "transformers", "timm", "fill-mask", "bibl\xC3\xAD"};  // a value two columns share
  const char* types[] = {"", "bert", "gpt2", "\xD0\x96\xD1\x83\xD0\xBA", "emoji\xF0\x9F\x98\x80"};
  std::vector<ModelRecord> records;
  for (int i = 0; i < 4000; ++i) {
    ModelRecord r;
    r.id = "org" + std::to_string(rng() % 40) + (rng() % 50 ? "/m" : "/\xC3\x9C") + std::to_string(i);
    r.pipeline_tag = tasks[rng() % 5];
    r.library_name = libraries[rng() % 5];
    r.model_type = types[rng() % 5];
    if (rng() % 30 == 0) r.tags = {"caf\xC3\xA9" + std::to_string(rng() % 3)};
    if (rng() % 60 == 0) r.model_type = "t" + std::to_string(i);  // values seen once
    records.push_back(std::move(r));
  }
  const Catalogue c = make_catalogue(records, "cat\xC3\xA1logo");
  ASSERT_EQ(c.size(), records.size());

  // The rule.
  using Counts = std::map<std::string, uint32_t>;
  Counts want[3];
  std::set<char32_t> want_cps;
  auto decode = [&](const std::string& t) {  // valid UTF-8; code points from 0x80 below 0x10000
    for (size_t i = 0; i < t.size();) {
      const auto b = static_cast<unsigned char>(t[i]);
      const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
      char32_t cp = len == 1 ? b : len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
      for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(t[i + k]) & 0x3F);
      if (cp >= 0x80 && cp < 0x10000) want_cps.insert(cp);
      i += len;
    }
  };
  decode(c.name);
  for (const ModelRecord& r : records) {
    for (const std::string* v : {&r.id, &r.pipeline_tag, &r.library_name, &r.model_type}) decode(*v);
    for (const std::string& t : r.tags) decode(t);
    const std::string* cols[3] = {&r.pipeline_tag, &r.library_name, &r.model_type};
    for (int k = 0; k < 3; ++k)
      if (!cols[k]->empty()) ++want[k][*cols[k]];
  }
  for (char32_t cp : std::set<char32_t>(want_cps)) want_cps.insert(to_lower(cp));
  ASSERT_GT(want_cps.size(), 8u);

  CatalogueSummaryBuilder b(c);
  EXPECT_GT(testing::step_to_end(b), 10);
  const CatalogueSummary got = b.take();
  const std::vector<ValueCount>* lists[3] = {&got.tasks, &got.libraries, &got.model_types};
  for (int k = 0; k < 3; ++k) {
    Counts have;
    for (const ValueCount& v : *lists[k]) EXPECT_TRUE(have.emplace(std::string(c.value(v.value)), v.rows).second);
    EXPECT_EQ(have, want[k]) << "column " << k;
  }
  const std::vector<char32_t> cps = got.code_points.list();
  EXPECT_EQ(std::set<char32_t>(cps.begin(), cps.end()), want_cps);
  // At once, the same.
  const CatalogueSummary once = catalogue_summary(c);
  EXPECT_EQ(once.code_points, got.code_points);
  EXPECT_EQ(once.tasks, got.tasks);
  EXPECT_EQ(once.libraries, got.libraries);
  EXPECT_EQ(once.model_types, got.model_types);
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

TEST(TimestampColumn, RowsKeepTheirOwnTextIncludingEmptyOnes) {
  TimestampColumn t;
  const std::vector<std::string> texts = {
      "2023-01-01", "", "x", "", "2024-02-29T10:00:00.000Z",
      // The Hub's shape with any digits, and near misses that are kept as text.
      "0000-00-00T00:00:00.000Z", "9999-99-99T99:99:99.999Z", "0001-02-03T04:05:06.007Z", "2023-03-14T12:36:46Z",
      "2023-03-14T12:36:46.000+00:00", "2023-03-14t12:36:46.000Z", "2023-03-14T12:36:46.000Z ",
      " 2023-03-14T12:36:46.000Z", "2023-03-14T12:36:4a.000Z", "2023/03/14T12:36:46.000Z", "+023-03-14T12:36:46.000Z",
      "2023-03-14T12:36:46.0000Z",
      "\xef\xbc\x92"
      "023-03-14T12:36:46.000Z",
      std::string("2023-03-14T12:36:46.000\0", 24)};
  for (const std::string& v : texts) t.push_back(v);
  ASSERT_EQ(t.size(), texts.size());
  for (uint32_t r = 0; r < texts.size(); ++r) EXPECT_EQ(t[r], texts[r]) << "row " << r;
  // Only what is not in the Hub's shape is kept as text.
  size_t other = 0;
  for (uint32_t r = 0; r < texts.size(); ++r) other += r < 4 || r >= 8 ? texts[r].size() : 0;
  EXPECT_EQ(t.chars(), other);
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

// ---- streamed loads (CatalogueLoader over a ByteSource) ---------------------------------------

// Everything a load gives, as text: the error, or every row's fields and the report. The oracle
// for a streamed load is the same file loaded whole.
std::string outcome(Result<Catalogue> r) {
  if (!r.ok()) return "error: " + r.error();
  const Catalogue& c = r.value();
  std::string out = c.name + " " + c.report.format + " dropped " + std::to_string(c.report.duplicates_dropped) + " " +
                    c.report.first_duplicate + "\n";
  for (const auto& col : c.report.columns) out += col + ",";
  for (const auto& w : c.report.warnings) out += "\nwarning: " + w;
  auto list = [&](const std::vector<std::string>& v, bool missing) {
    std::string s = missing ? "<missing>" : "";
    for (const auto& x : v) s += "[" + x + "]";
    return s;
  };
  for (uint32_t row = 0; row < c.size(); ++row) {
    const ModelRecord m = record_of(c, row);
    out += "\n" + m.id + "|" + m.last_modified + "|" + m.pipeline_tag + "|" + m.author + "|" + m.model_type + "|" +
           m.library_name + "|" + std::to_string(m.downloads) + "|" + list(m.tags, m.tags_missing) + "|" +
           list(m.architectures, m.architectures_missing) + "|" + list(m.datasets, m.datasets_missing) + "|" +
           list(m.base_models, false) + "|" + std::string(c.value(c.architectures_category[row]));
  }
  return out;
}

struct Streamed {
  std::string result;
  size_t largest_read = 0;  // the most bytes asked for at once
  size_t reads = 0;
};
Streamed load_streamed(const std::string& text, size_t window, size_t budget = 500, const LoadLimits& limits = {}) {
  Streamed s;
  ByteSource source = [&](uint64_t at, char* to, size_t n) -> size_t {
    s.largest_read = std::max(s.largest_read, n);
    ++s.reads;
    if (at > text.size()) return 0;
    const size_t k = std::min<size_t>(n, text.size() - static_cast<size_t>(at));
    std::memcpy(to, text.data() + at, k);
    return k;
  };
  CatalogueLoader loader(source, text.size(), "test", limits, window);
  double last = 0;
  while (!loader.step(budget)) {
    EXPECT_GE(loader.progress(), last);  // never backwards
    last = loader.progress();
  }
  s.result = outcome(loader.take());
  return s;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Files whose records, quotes, line ends, BOMs and UTF-8 sequences fall across windows of every
// small size, and the hostile corpus: the same catalogue or the same first error as loaded whole.
TEST(StreamedLoad, GivesWhatTheWholeTextGives) {
  using namespace std::string_literals;
  std::vector<std::string> texts = {
      "modelId,tags,downloads\na,\"['x', 'y']\",5\nb,[],7\n",
      "\xEF\xBB\xBFmodelId,downloads\r\n\"q\"\"uoted\",3\r\n\"multi\nline\",4\r\nlast,9",
      "modelId,author\na,\"b\"\"c\"\"\"\nd,e,\n",  // a trailing comma: one field too many on the last row
      "modelId,author\na,b\"c\nd,\"never closed\n",
      "modelId,author\na,\"x\"y\n",
      "modelId,author\r\na,b\r\nc,d\r",
      "modelId,author\na,b,",
      "modelId,author\na,\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\nb,\xE2\x82\n",  // a sequence cut short
      "modelId,author\na,b\nc,\xED\xA0\x80\n",                                 // a surrogate
      "modelId,author\na,b\nc,d\n\xEF\xBF\xBD,e\n",
      "modelId,author\na,b\nc,d\ne,\0\n"s,     // NUL after the rows
      "modelId,author\na,\xFF\nc,d\ne,\0\n"s,  // NUL beats bad UTF-8
      "  \n\t[{\"id\": \"a/b\", \"downloads\": 3}]",
      "\xEF\xBB\xBF[{\"id\": \"a/b\"}, {\"id\": \"c\"}]",
      "[{\"id\": \"a/b\"}, 3]",
      " \r\n\t\n",
      "\xEF\xBB\xBF",
      "",
      "modelId\r\n\r\n\r\n",
      "name,tags\nx,y\n",
      "modelId,tags\na,\"[unclosed\"\n",
      "modelId,downloads\na,-3\n",
      "modelId,author\na,b\na,c\n",
  };
  texts.back().append(3000, 'z');  // a long record, longer than the windows
  texts.push_back(std::string("modelId,author\n") + std::string(5000, 'q') + ",w\n\"" + std::string(300, 'r') +
                  "\",s\n");
  texts.push_back("modelId,author\na,b\nc,\xE2\x82\0"s);
  const std::string dir = std::string(HFREC_SOURCE_DIR) + "/tests/data/";
  for (const char* f :
       {"bad/empty.csv", "bad/header_only.csv", "bad/image.png", "bad/latin1.csv", "bad/no_model_id.csv",
        "bad/not_array.json", "bad/nul_bytes.csv", "bad/numbers_for_lists.csv", "bad/open_quote.csv", "bad/same_id.csv",
        "bad/utf16le.csv", "bad/utf16le_bom.csv", "bad/wrong_types.json", "lineage.csv"})
    texts.push_back(read_file(dir + f));
  for (const char* f : {"bare_quote.csv", "crlf_bom.csv", "dict_list.csv", "hub_row.csv", "missing.csv",
                        "open_quote.csv", "quoted.csv"})
    texts.push_back(read_file(std::string(HFREC_SOURCE_DIR) + "/tests/fuzz/corpus/fuzz_csv_reader/" + f));
  size_t cases = 0;
  for (const std::string& text : texts) {
    const std::string whole = outcome(load_catalogue(text, "test"));
    for (size_t window : {1, 2, 3, 4, 5, 7, 16, 61, 4096}) {
      for (size_t budget : {1, 500}) {
        SCOPED_TRACE(::testing::Message() << "window " << window << ", budget " << budget << ", text "
                                          << ::testing::PrintToString(text.substr(0, 60)));
        EXPECT_EQ(load_streamed(text, window, budget).result, whole);
        ++cases;
      }
    }
  }
  EXPECT_GT(cases, 500u);
}

// The limits hold as for a whole text, and a file over the size limit is refused before a byte is read.
TEST(StreamedLoad, LimitsAndSize) {
  LoadLimits limits;
  limits.max_rows = 2;
  limits.csv.max_field_bytes = 8;
  for (const std::string text : {"modelId\na\nb\nc\n", "modelId\n123456789\n", "modelId\n\"12345678\"\"\"\n"})
    for (size_t window : {1, 3, 9, 4096})
      EXPECT_EQ(load_streamed(text, window, 500, limits).result, outcome(load_catalogue(text, "test", limits))) << text;
  limits = {};
  limits.max_file_bytes = 10;
  const Streamed s = load_streamed("modelId\nabcdef\n", 4, 500, limits);
  EXPECT_EQ(s.result, "error: file is 15 bytes, more than the limit of 10 (max_file_bytes)");
  EXPECT_EQ(s.reads, 0u);
}

// A source that stops short (the file went away): an error naming the byte, not a partial catalogue.
TEST(StreamedLoad, AReadThatFailsIsAnError) {
  const std::string text = "modelId,author\na,b\nc,d\ne,f\n";
  for (size_t cut : {0, 5, 20}) {
    ByteSource source = [&](uint64_t at, char* to, size_t n) -> size_t {
      const size_t k = at + n <= cut ? n : (at < cut ? cut - static_cast<size_t>(at) : 0);
      std::memcpy(to, text.data() + at, k);
      return k;
    };
    CatalogueLoader loader(source, text.size(), "test", {}, 4);
    while (!loader.step(500)) {}
    auto r = loader.take();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().substr(0, 31), "could not read the file at byte") << r.error();
    EXPECT_NE(r.error().find("(it changed or went away while it was loading)"), std::string::npos);
  }
}

// The real catalogue, streamed a window at a time: the same rows, and never more than a window
// read at once (the text is never whole in memory).
TEST(StreamedLoad, TenThousandRowsInWindows) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  const std::string text = read_file(path);
  const std::string whole = outcome(load_catalogue(text, "test"));
  for (size_t window : {4096, 65536, 1 << 20}) {
    const Streamed s = load_streamed(text, window);
    EXPECT_EQ(s.result, whole) << window;
    if (window >= 65536) {  // (a few of its records are longer than 4 KB)
      EXPECT_LE(s.largest_read, window);
    }
    EXPECT_GE(s.reads, 2 * text.size() / window);  // screened, then parsed
  }
}

// A streamed load sizes its columns from the file's size and its first rows: they do not regrow
// (each regrowth leaves the old block as a hole in a WebAssembly heap that never shrinks).
TEST(StreamedLoad, SizesItsColumnsOnce) {
  std::string text = "modelId,tags,downloads,lastModified\n";
  for (int r = 0; r < 20000; ++r)
    text += "org/model-" + std::to_string(r) + ",\"['a', 'b" + std::to_string(r % 7) + "']\"," + std::to_string(r) +
            ",2023-01-0" + std::to_string(1 + r % 9) + "\n";
  ByteSource source = [&](uint64_t at, char* to, size_t n) -> size_t {
    std::memcpy(to, text.data() + at, n);
    return n;
  };
  CatalogueLoader loader(source, text.size(), "test", {}, 4096);
  while (!loader.step(500)) {}
  auto r = loader.take();
  ASSERT_TRUE(r.ok()) << r.error();
  const Catalogue& c = r.value();
  ASSERT_EQ(c.size(), 20000u);
  for (const auto* v : {&c.pipeline_tag, &c.author, &c.architectures_category}) {
    EXPECT_GE(v->capacity(), 20000u);
    EXPECT_LE(v->capacity(), 22000u);  // the estimate: within 10% (doubling would give 32,768)
  }
  EXPECT_LE(c.downloads.capacity(), 22000u);
  EXPECT_LE(c.tags.items.capacity(), 44000u);
  EXPECT_LE(c.tags.offsets.capacity(), 22001u);
}

}  // namespace
}  // namespace hfrec
