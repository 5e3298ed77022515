// Hub JSON: the list-models array read into a catalogue, its JSON-path and byte-offset errors,
// the depth limit, and the fast path against nlohmann's DOM (core/hub_json.h, issue 2).
#include "core/hub_json.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench/catalogue_gen.h"
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
// Model objects of a load that went through the DOM path (the rest took the fast path).
size_t dom_elements(std::string_view text, const LoadLimits& limits = {}) {
  Catalogue c;
  HubJsonLoad load(text, c, limits, /*screened=*/false);
  while (!load.step(1000)) {}
  EXPECT_EQ(load.error(), "");
  return load.dom_elements();
}
// The same rows (every field hfrec reads), or a message naming the first difference.
std::string same_rows(const Catalogue& a, const Catalogue& b) {
  if (a.size() != b.size()) return "sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size());
  for (uint32_t r = 0; r < a.size(); ++r) {
    const ModelRecord x = record_of(a, r), y = record_of(b, r);
    const std::string at = "row " + std::to_string(r) + " (" + x.id + "): ";
    if (x.id != y.id) return at + "id " + y.id;
    if (x.last_modified != y.last_modified) return at + "lastModified";
    if (x.pipeline_tag != y.pipeline_tag) return at + "pipeline_tag";
    if (x.author != y.author) return at + "author";
    if (x.model_type != y.model_type) return at + "model_type";
    if (x.library_name != y.library_name) return at + "library_name";
    if (x.downloads != y.downloads) return at + "downloads";
    if (x.tags != y.tags || x.tags_missing != y.tags_missing) return at + "tags";
    if (x.architectures != y.architectures || x.architectures_missing != y.architectures_missing)
      return at + "architectures";
    if (x.datasets != y.datasets || x.datasets_missing != y.datasets_missing) return at + "datasets";
    if (x.base_models != y.base_models) return at + "base_models";
    if (a.pool.str(a.architectures_category[r]) != b.pool.str(b.architectures_category[r]))
      return at + "architectures category";
  }
  return "";
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

// A number past a double's range in a value the fast path skips: nlohmann reports the overflow, so
// the fast path gives the element to the DOM path and both fail alike (found by fuzz_hub_json: the
// fast path skipped "arxiv": 2307.0e9288 and loaded the row). Numbers in range still load.
TEST(HubJson, AnOverflowingNumberInASkippedValueFailsOnBothPaths) {
  for (const std::string& num : std::vector<std::string>{"2307.0e9288", "-1e400", "1E+309", std::string(400, '9'),
                                                         std::string(320, '1') + ".5"}) {
    const std::string text = "[{\"id\": \"a/b\", \"cardData\": {\"arxiv\": " + num + "}}]";
    LoadLimits l;
    const std::string fast = err(text, l);
    EXPECT_NE(fast.find("number overflow"), std::string::npos) << num << " -> " << fast;
    l.json_fast_path = false;
    EXPECT_EQ(err(text, l), fast) << num;
  }
  for (const char* num : {"1.5e70", "1e250", "-2.5e-300", "12345678901234567890"}) {
    const std::string text = std::string("[{\"id\": \"a/b\", \"cardData\": {\"arxiv\": ") + num + "}}]";
    EXPECT_TRUE(load_hub_json(text, "t", LoadLimits{}).ok()) << num;
  }
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
    switch (rng() % 48) {
      case 0: return std::string("\"with \\\"escape\\\"\"");
      case 1: return std::string("\"tab\\tnewline\\n\"");
      case 2: return std::string("\"\\u00e9t\\u00E9\"");
      case 3:
      case 4: return std::string("null");
      case 5: return std::string("12");
      case 6: return std::string("\"\\ud83e\\udd17 pair\"");
      case 7: return std::string("\"lone \\uD800\"");
      case 8: return std::string("\"low \\uDC00 first\"");
      case 9: return std::string("\"\\u0000\\/\\b\\f\\r\"");
      case 10: return std::string("\"bad \\u12\"");
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
    return pick(
        {"{\"a\": [1, 2.5e3, -0.1, true, false, null], \"b\": {\"c\": \"d\\/e\"}}", "\"x\"", "-12", "1e5", "[]", "{}",
         "\"\\u0041\"", "01", "[1,]", "tru", "\"a\\qb\"",
         // the shapes of a real list-models object
         "[{\"rfilename\": \"config.json\"}, {\"rfilename\": \"model.safetensors\"}]",
         "{\"parameters\": {\"F32\": 124439808, \"BF16\": 7e9}, \"total\": 124439808}",
         "[{\"name\": \"m\", \"results\": [{\"task\": {\"type\": \"t\"}, \"metrics\": [{\"value\": 0.5, "
         "\"verified\": false}]}]}]",
         "{\"chat_template\": \"{% for m in messages %}\\n{{ m['content'] }}\\\"\\u00e9\\ud83d\\ude00{% endfor %}\", "
         "\"eos_token\": {\"__type\": \"AddedToken\", \"content\": \"</s>\"}}",
         "\"\\ud83d\\ude00\"", "\"\\uD800\"", "\"\\udc00\\ud800\"", "{\"k\\u0065y\": 1}", "{\"\\uD800\": 1}"});
  };
  auto downloads = [&] {
    if (rng() % 3) return pick({"0", "17", "123456789", "null"});
    return pick({"-3", "2.5", "1e3", "99999999999999999999", "\"7\"", "007", "1000000000000000000"});
  };
  int fast_shapes = 0;
  size_t dom_objects = 0, objects = 0;
  for (int t = 0; t < 1000; ++t) {
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
      if (rng() % 2) {
        std::string card = "{\"datasets\": " + list(true) + ", \"license\": \"mit\"";
        if (rng() % 2)  // a string, a list (a merge), or a value that names no model
          card += ", \"base_model\": " +
                  (rng() % 3 ? str()
                             : pick({"[\"org/a\", \"org/b\"]", "[\"org/a\", 3, null, {\"x\": 1}, \"\"]", "7",
                                     "{\"id\": \"org/a\"}", "[[\"deep\"]]", "[]", "true"}));
        if (rng() % 3 == 0) card += ", \"model-index\": " + skipped();
        card += "}";
        fields.push_back("\"cardData\": " + (rng() % 8 ? card : pick({"null", "\"x\""})));
      }
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
    if (fast.ok()) dom_objects += dom_elements(text);
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
      EXPECT_EQ(x.base_models, y.base_models) << text;
      EXPECT_EQ(a.pool.str(a.architectures_category[r]), b.pool.str(b.architectures_category[r]));
    }
    ++fast_shapes;
    objects += a.size();
  }
  EXPECT_GT(fast_shapes, 100);  // loads that succeeded and were compared row by row
  // Most of them were read by the fast path (the rest have a number for a string, an object in a
  // list, a duplicate key or a syntax error).
  EXPECT_LT(dom_objects * 3, objects) << dom_objects << " of " << objects;
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

// Two model objects in the shape the Hub's GET /api/models returns with expand[] (written by hand
// from the Hub API docs): siblings and spaces, safetensors, widgetData, transformersInfo, gated as a
// string, numbers and literals, cardData with a model-index and base_model, config with a
// tokenizer_config whose chat template is full of escapes. The fast path reads them (no object
// goes to the DOM) and reads what the DOM reads.
const char* kRealShape = R"JSON([
{"_id":"6523a1c2e5f0d1b2a3c4d5e6","id":"HuggingFaceH4/zephyr-7b-beta","modelId":"HuggingFaceH4/zephyr-7b-beta",
 "author":"HuggingFaceH4","sha":"892b3d7a7b1cf10c7a701c60881cd93df615734c","lastModified":"2024-10-16T11:48:13.000Z",
 "private":false,"disabled":false,"gated":false,"likes":1,"trendingScore":0,"downloads":12,
 "library_name":"transformers","pipeline_tag":"text-generation",
 "tags":["transformers","safetensors","mistral","text-generation","generated_from_trainer","conversational","en",
         "dataset:HuggingFaceH4/ultrachat_200k","base_model:finetune:mistralai/Mistral-7B-v0.1","license:mit"],
 "config":{"architectures":["MistralForCausalLM"],"model_type":"mistral",
   "tokenizer_config":{"bos_token":"<s>","eos_token":{"__type":"AddedToken","content":"</s>","lstrip":false},
     "pad_token":null,"use_default_system_prompt":true,
     "chat_template":"{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n{% endif %}\n{% endfor %}{# \"caf\u00e9\" \ud83e\udd17 \\ \/ \t \b\f\r #}"}},
 "cardData":{"license":"mit","language":["en"],"tags":["generated_from_trainer"],"base_model":"mistralai/Mistral-7B-v0.1",
   "datasets":["HuggingFaceH4/ultrachat_200k","HuggingFaceH4/ultrafeedback_binarized"],
   "widget":[{"example_title":"Pirate!","messages":[{"role":"system","content":"You are a pirate chatbot"},
     {"role":"user","content":"How many helicopters can a human eat in one sitting?"}],"output":{"text":"Ahoy!"}}],
   "model-index":[{"name":"zephyr-7b-beta","results":[{"task":{"type":"text-generation","name":"Text Generation"},
     "dataset":{"name":"AI2 Reasoning Challenge (25-Shot)","type":"ai2_arc","config":"ARC-Challenge","split":"test",
       "args":{"num_few_shot":25}},"metrics":[{"type":"acc_norm","value":0.5,"name":"normalized accuracy"}],
     "source":{"url":"https://huggingface.co/spaces/open-llm-leaderboard","name":"Open LLM Leaderboard"}}]}]},
 "transformersInfo":{"auto_model":"AutoModelForCausalLM","pipeline_tag":"text-generation","processor":"AutoTokenizer"},
 "widgetData":[{"text":"Hi, what can you help me with?"},{"text":"What is 84 * 3 / 2?"}],
 "spaces":["HuggingFaceH4/zephyr-chat"],
 "safetensors":{"parameters":{"BF16":7241732096},"total":7241732096},
 "siblings":[{"rfilename":".gitattributes"},{"rfilename":"README.md"},{"rfilename":"config.json"},
             {"rfilename":"model-00001-of-00008.safetensors"}],
 "createdAt":"2023-10-26T11:25:49.000Z","inference":"warm","usedStorage":1.5e10},
{"id":"TheBloke/Llama-2-7B-Chat-GGUF","author":"TheBloke","downloads":0,"gated":"auto","likes":0,
 "tags":["transformers","gguf","llama","facebook","meta","pytorch","llama-2","text-generation","en","arxiv:2307.09288",
         "base_model:meta-llama/Llama-2-7b-chat-hf","base_model:quantized:meta-llama/Llama-2-7b-chat-hf"],
 "pipeline_tag":"text-generation","library_name":"transformers",
 "config":{"model_type":"llama"},
 "cardData":{"language":["en"],"license":"llama2","model_name":"Llama 2 7B Chat","arxiv":2307.09288,
   "base_model":"meta-llama/Llama-2-7b-chat-hf","inference":false,"model_creator":"Meta Llama 2",
   "prompt_template":"[INST] <<SYS>>\nYou are a helpful, respectful and honest assistant.\n<</SYS>>\n{prompt}[/INST]\n",
   "quantized_by":"TheBloke"},
 "siblings":[{"rfilename":"llama-2-7b-chat.Q4_K_M.gguf"}],"spaces":[],"gguf":{"total":6738415616,"architecture":"llama",
   "context_length":4096,"chat_template":"{% if messages[0]['role'] == 'system' %}{{ '<<SYS>>\\n' }}{% endif %}"}}
])JSON";

TEST(HubJson, RealShapeObjectsStayOnTheFastPath) {
  EXPECT_EQ(dom_elements(kRealShape), 0u);
  auto c = ok(kRealShape);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.id(0), "HuggingFaceH4/zephyr-7b-beta");
  EXPECT_EQ(c.downloads[0], 12);
  EXPECT_EQ(items(c, c.architectures, 0), (Items{"MistralForCausalLM"}));
  EXPECT_EQ(c.value(c.model_type[0]), "mistral");
  EXPECT_EQ(items(c, c.datasets, 0), (Items{"HuggingFaceH4/ultrachat_200k", "HuggingFaceH4/ultrafeedback_binarized"}));
  EXPECT_EQ(items(c, c.base_models, 0), (Items{"mistralai/Mistral-7B-v0.1"}));
  EXPECT_EQ(c.id(1), "TheBloke/Llama-2-7B-Chat-GGUF");
  EXPECT_EQ(c.architectures.missing[1], 1);
  EXPECT_EQ(c.datasets.missing[1], 1);
  EXPECT_EQ(items(c, c.base_models, 1), (Items{"meta-llama/Llama-2-7b-chat-hf"}));
  LoadLimits dom_only;
  dom_only.json_fast_path = false;
  EXPECT_EQ(same_rows(c, ok(kRealShape, dom_only)), "");
}

// Escapes in the values the fast path reads are decoded there, as nlohmann decodes them: the
// short escapes, \u in either case, a surrogate pair, \u0000 (expected bytes written by hand).
TEST(HubJson, EscapesInReadValuesAreDecodedOnTheFastPath) {
  const std::string text = R"([{"modelId": "org/r\u00e9sum\u00E9", "author": "a\"b\\c\/d",
    "pipeline_tag": "x\ty\nz\b\f\r", "tags": ["\ud83e\udd17", "nul\u0000in", "\u20ac"],
    "config": {"model_type": "caf\u00e9", "architectures": ["A\u0042"]}, "cardData": {"datasets": "d\u0031",
    "base_model": ["b\u0061se", "\u0000"]}, "library_n\u0061me": "ignored-key-escape", "lastModified": "\u0032"}])";
  EXPECT_EQ(dom_elements(text), 0u);
  auto c = ok(text);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.id(0), "org/r\xC3\xA9sum\xC3\xA9");
  EXPECT_EQ(c.value(c.author[0]), "a\"b\\c/d");
  EXPECT_EQ(c.value(c.pipeline_tag[0]), "x\ty\nz\b\f\r");
  EXPECT_EQ(items(c, c.tags, 0), (Items{"\xF0\x9F\xA4\x97", std::string("nul\0in", 6), "\xE2\x82\xAC"}));
  EXPECT_EQ(c.value(c.model_type[0]), "caf\xC3\xA9");
  EXPECT_EQ(items(c, c.architectures, 0), (Items{"AB"}));
  EXPECT_EQ(items(c, c.datasets, 0), (Items{"d1"}));
  EXPECT_EQ(items(c, c.base_models, 0), (Items{"base", std::string(1, '\0')}));
  EXPECT_EQ(c.value(c.library_name[0]), "ignored-key-escape");  // an escaped key is decoded too
  EXPECT_EQ(c.last_modified[0], "2");
  LoadLimits dom_only;
  dom_only.json_fast_path = false;
  EXPECT_EQ(same_rows(c, ok(text, dom_only)), "");
}

// Invalid escapes (lone or reversed surrogates, short or bad hex, unknown letters) and raw control
// bytes, in a value the fast path reads, one it skips and a key: the load fails with the DOM path's
// message and byte, whichever path met them.
TEST(HubJson, InvalidEscapesFailAsOnTheDomPath) {
  LoadLimits dom_only;
  dom_only.json_fast_path = false;
  for (const char* bad : {"\\uD800", "\\uDBFF\\u0041", "\\uD800x", "\\uD800\\uD800", "\\uDC00", "\\uDFFF\\uD800",
                          "\\u12", "\\u12G4", "\\uZZZZ", "\\x", "\\U0041", "a\tb", "a\x01", "\\uD83E\\u"}) {
    for (const std::string& text : {"[{\"id\": \"a\", \"tags\": [\"" + std::string(bad) + "\"]}]",
                                    "[{\"id\": \"a\", \"siblings\": [{\"rfilename\": \"" + std::string(bad) + "\"}]}]",
                                    "[{\"id\": \"a\", \"config\": {\"" + std::string(bad) + "\": 1}}]",
                                    "[{\"id\": \"" + std::string(bad) + "\"}]"}) {
      auto fast = load_hub_json(text, "x");
      auto dom = load_hub_json(text, "x", dom_only);
      ASSERT_FALSE(dom.ok()) << text;
      ASSERT_FALSE(fast.ok()) << text;
      EXPECT_EQ(fast.error(), dom.error()) << text;
    }
  }
  // The message is nlohmann's, with the byte where it found the bad token: the closing quote (26)
  // where a \u should follow the high surrogate.
  EXPECT_EQ(err(R"([{"id": "a", "x": "\uD800"}])"),
            "JSON byte 26: parse error at line 1, column 26: syntax error while parsing value - invalid string: "
            "surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: '\"\\uD800\"'");
}

// The generator's real-shape list-models JSON (tests/bench/catalogue_gen.h, hub_json_real: the
// same rows with siblings, safetensors, model-index, chat templates and non-ASCII as \u escapes)
// loads as the same catalogue as the CSV of the same rows, all on the fast path; from the app's
// 55-model catalogue here, from the real 10k in the next test when it is present.
// columns: compare the columns found too (a source without some column writes it in the CSV's
// header but never in the JSON).
void expect_json_equals_csv(const bench::SourceCatalogue& src, size_t rows, bool columns) {
  bench::GenParams p;
  p.rows = rows;
  p.seed = 3;
  std::ostringstream csv, json;
  bench::generate(src, p, bench::GenFormat::csv, csv);
  bench::generate(src, p, bench::GenFormat::hub_json_real, json);
  auto from_csv = load_csv(csv.str(), "g.csv");
  auto from_json = load_hub_json(json.str(), "g.json");
  ASSERT_TRUE(from_csv.ok()) << from_csv.error();
  ASSERT_TRUE(from_json.ok()) << from_json.error();
  EXPECT_EQ(same_rows(from_json.value(), from_csv.value()), "");
  if (columns) {
    EXPECT_EQ(from_json.value().report.columns, from_csv.value().report.columns);
  }
  EXPECT_EQ(dom_elements(json.str()), 0u);
  EXPECT_NE(json.str().find("\\ud83d\\ude00"), std::string::npos);  // the shape is there
  EXPECT_NE(json.str().find("\"model-index\":[{"), std::string::npos);
}

TEST(HubJson, RealShapeJsonIsTheCatalogueOfTheSameCsv) {
  bench::SourceCatalogue src;
  std::string error;
  ASSERT_TRUE(bench::read_source_csv(std::string(HFREC_SOURCE_DIR) + "/web/catalogue.csv", src, error)) << error;
  expect_json_equals_csv(src, 400, /*columns=*/false);  // it has no lastModified, datasets or downloads
}

TEST(HubJson, RealShapeJsonIsTheCatalogueOfTheSameCsvOnThe10k) {
  HFREC_REQUIRE_SHARED_CATALOGUE(path);
  bench::SourceCatalogue src;
  std::string error;
  ASSERT_TRUE(bench::read_source_csv(path, src, error)) << error;
  expect_json_equals_csv(src, 10'000, /*columns=*/true);
}

}  // namespace
}  // namespace hfrec
