// Hub JSON: the list-models array read into a catalogue, its JSON-path and byte-offset errors,
// the depth limit, and the fast path against nlohmann's DOM (core/hub_json.h, issue 2).
#include "core/hub_json.h"

#include <gtest/gtest.h>

#include <random>
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

TEST(HubJson, HubListModels) {
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
  EXPECT_EQ(c.value(c.author[1]), "org");                // author from the id when absent
  EXPECT_EQ(c.tags.missing[1], 1);
  EXPECT_EQ(c.architectures.missing[1], 1);
  EXPECT_EQ(c.pool.str(c.architectures_category[1]), "nan");
  EXPECT_EQ(c.model_type[2], kMissing);
  EXPECT_EQ(c.author[2], kMissing);
  EXPECT_EQ(c.datasets.missing[2], 1);
}

TEST(HubJson, ByteOrderMarkAndWhitespaceBeforeTheArray) {
  auto c = ok("\xEF\xBB\xBF \r\n[{\"id\": \"a\"}]");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.report.format, "json");
}

TEST(HubJson, NullsAreAbsentAndDuplicatesWarn) {
  auto c = ok(R"([{"id": "a", "tags": null, "pipeline_tag": null, "config": null, "cardData": null},
                  {"id": "a", "pipeline_tag": "x"}])");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.pipeline_tag[0], kMissing);
  EXPECT_EQ(c.report.duplicates_dropped, 1u);
}

TEST(HubJson, WrongTypesNameTheJsonPath) {
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
  EXPECT_EQ(err(R"([{"id": "a", "config": {"model_type": 1}}])"),
            "[0].config.model_type: expected a string, found number");
  EXPECT_EQ(err(R"([{"id": "a", "cardData": "x"}])"), "[0].cardData: expected an object, found string");
  EXPECT_EQ(err(R"([{"id": "a", "cardData": {"datasets": 7}}])"),
            "[0].cardData.datasets: expected a list of strings, found number");
  EXPECT_EQ(err(R"([{"id": "a", "downloads": -1}])"), "[0].downloads: expected a non-negative integer, found -1");
  EXPECT_EQ(err(R"([{"id": "a", "downloads": "12"}])"), "[0].downloads: expected a non-negative integer, found \"12\"");
  EXPECT_EQ(err(R"([{"id": "a", "downloads": 1e300}])"),
            "[0].downloads: expected a non-negative integer, found 1e+300");
}

TEST(HubJson, SyntaxErrorsNameTheByte) {
  EXPECT_EQ(err("[{\"id\": \"a\"},]"),
            "JSON byte 14: parse error at line 1, column 14: syntax error while parsing value - unexpected ']'; "
            "expected '[', '{', or a literal");
  EXPECT_EQ(err("[{\"id\": \"a\"}] x"),
            "JSON byte 15: parse error at line 1, column 15: syntax error while parsing value - invalid literal; "
            "last read: '\"a\"}] x'; expected end of input");
}

TEST(HubJson, DepthIsLimitedBeforeParsing) {
  EXPECT_TRUE(load_catalogue("[{\"id\": \"a\", \"x\": [[[[1]]]]}]", "t").ok());
  LoadLimits l;
  l.max_json_depth = 3;
  EXPECT_EQ(err("[{\"id\": \"a\", \"x\": [[1]]}]", l),
            "JSON byte 20: nested deeper than 3 levels (limit max_json_depth)");
  EXPECT_TRUE(load_catalogue("[{\"id\": \"[[[[[\"}]", "t", l).ok());  // brackets inside strings do not count
}

// The first problem in the text is named, on the fast path and the DOM path alike: here a stray
// string after the first model (ending at byte 14), before brackets the depth scan would count (found by
// fuzz_hub_json: the fast path named the syntax error, the DOM path the depth).
TEST(HubJson, ASyntaxErrorBeforeDeepNestingIsNamedFirst) {
  const std::string text = "[{\"id\":\"a\"}\"x\"" + std::string(40, '{') + "]";
  LoadLimits l;
  l.max_json_depth = 16;
  const std::string want = err(text, l);
  EXPECT_EQ(want.rfind("JSON byte 14: parse error", 0), 0u) << want;
  l.json_fast_path = false;
  EXPECT_EQ(err(text, l), want);
}

// Syntax errors anywhere in the array get nlohmann's message for the whole text, as before the
// element-by-element load: a trailing comma, a missing comma, an unclosed array, an empty slot.
TEST(HubJson, SyntaxErrorsBetweenElements) {
  for (const char* bad : {"[{\"id\": \"a\"}, {\"id\": \"b\"},]", "[{\"id\": \"a\"} {\"id\": \"b\"}]",
                          "[{\"id\": \"a\"}", "[{\"id\": \"a\"},,{\"id\": \"b\"}]", "[", "[{\"id\": \"a\"}]]"}) {
    std::string e = err(bad);
    EXPECT_EQ(e.rfind("JSON byte ", 0), 0u) << bad << " -> " << e;
    EXPECT_NE(e.find("parse error"), std::string::npos) << bad << " -> " << e;
  }
}

// The fast path for Hub JSON objects against the DOM path, on random objects of every shape the
// two must agree on: plain ones (which the fast path reads), and ones with escapes, \u escapes,
// nulls, numbers for strings, objects in lists, bare strings, floats and huge or negative
// downloads, duplicate keys, deep skipped values, odd whitespace and syntax errors (which it hands
// to the DOM). Either both loads fail with the same message, or both give the same catalogue.
TEST(HubJson, FastPathReadsWhatTheDomPathReads) {
  std::mt19937 rng(5);
  auto pick = [&](std::initializer_list<const char*> xs) { return std::string(*(xs.begin() + rng() % xs.size())); };
  auto word = [&] { return pick({"bert", "gpt2", "org/model-x", "datasets", "", "ünïcode", "a b", "x_y.z"}); };
  auto str = [&] {
    switch (rng() % 40) {
      case 0: return std::string("\"with \\\"escape\\\"\"");
      case 1: return std::string("\"tab\\tnewline\\n\"");
      case 2: return std::string("\"\\u00e9t\\u00e9\"");
      case 3:
      case 4: return std::string("null");
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
      case 5:
      case 6: return std::string("[]");
      default: {
        std::string l = "[";
        for (int k = 0, n = static_cast<int>(rng() % 5); k < n; ++k)
          l += (k ? ", " : "") + (rng() % 9 ? str() : std::string("null"));
        return l + "]";
      }
    }
  };
  auto skipped = [&] {
    if (rng() % 4)
      return pick({"{\"a\": [1, 2.5e3, -0.1, true, false, null], \"b\": {\"c\": \"d\\/e\"}}", "\"x\"", "-12", "[]"});
    return pick({"{\"a\": [1, 2.5e3, -0.1, true, false, null], \"b\": {\"c\": \"d\\/e\"}}", "\"x\"", "-12", "1e5", "[]",
                 "{}", "\"\\u0041\"", "01", "[1,]", "tru", "\"a\\qb\""});
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
      if (rng() % 2)
        fields.push_back("\"cardData\": " + (rng() % 8 ? "{\"datasets\": " + list(true) + ", \"license\": \"mit\"}"
                                                       : pick({"null", "\"x\""})));
      if (rng() % 2) fields.push_back("\"_id\": " + skipped());
      if (rng() % 15 == 0)
        fields.push_back(fields.empty() ? "\"tags\": []" : fields[rng() % fields.size()]);  // a duplicate key
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
TEST(HubJson, NulBytesAreRefusedOnBothPaths) {
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
