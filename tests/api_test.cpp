// The JSON API over core (core/api.h), natively: what both WebAssembly modules export as hfpkg_*.
// Loading through buffers, replies and their codes, handles shared with an owner (adopt), jobs and
// their cancelling. Expected rankings come from catalogues built so the answer is known by
// construction, not from the recommender's code.
#include "core/api.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace hfrec::api {
namespace {

// Six models: org/a's soup words are shared most with org/b, less with org/c, not at all with the
// rest (tags and architectures are the soup's words; task, library and type are the attributes).
const char* kCsv =
    "modelId,pipeline_tag,library_name,model_type,tags,architectures,downloads\n"
    "org/a,fill-mask,transformers,bert,\"['alpha', 'beta', 'gamma', 'delta']\",['BertForMaskedLM'],10\n"
    "org/b,fill-mask,transformers,bert,\"['alpha', 'beta', 'gamma', 'delta']\",['BertForMaskedLM'],20\n"
    "org/c,fill-mask,transformers,bert,\"['alpha', 'omega']\",['BertForMaskedLM'],30\n"
    "org/d,image-classification,timm,,\"['vision']\",[],40\n"
    "org/e,image-classification,timm,,\"['vision', 'cnn']\",[],50\n"
    "org/f,text-generation,transformers,gpt2,\"['gen']\",['GPT2LMHeadModel'],60\n";

// Loads text through a buffer, as the exports do; returns the handle (0 on a failed start).
int start(Session& s, const std::string& text, int format = 0, const std::string& name = "cat") {
  char* b = s.buffer(static_cast<double>(text.size()));
  if (!b) return 0;
  std::memcpy(b, text.data(), text.size());
  const Json r = s.load(b, name, format);
  return r.value("ok", false) ? r["handle"].get<int>() : 0;
}
// Steps a load to its end; the last reply.
Json finish(Session& s, int h) {
  for (int i = 0; i < 100000; ++i) {
    Json r = s.load_step(h, 5);
    if (!r.value("ok", false) || r.value("done", false)) return r;
  }
  return fail("E_TEST", "never finished");
}
std::vector<std::string> ids(const Json& results) {
  std::vector<std::string> out;
  for (const Json& r : results) out.push_back(r["modelId"].get<std::string>());
  return out;
}

TEST(Api, LoadsThroughABufferAndRanksByConstruction) {
  Session s;
  const int h = start(s, kCsv);
  ASSERT_NE(h, 0);
  EXPECT_EQ(s.recommend(h, {{"query", "org/a"}})["code"], "E_BAD_ARGUMENT");  // still loading
  const Json done = finish(s, h);
  ASSERT_TRUE(done["ok"].get<bool>()) << done.dump();
  EXPECT_EQ(done["stage"], "ready");

  const Json r = s.recommend(h, {{"query", "org/a"}, {"method", "cosine"}, {"k", 2}});
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(ids(r["results"]), (std::vector<std::string>{"org/b", "org/c"}));
  EXPECT_EQ(r["results"][0]["rank"], 1);
  EXPECT_EQ(r["results"][0]["downloads"], 20);
  EXPECT_EQ(r["results"][0]["task"], "fill-mask");
  EXPECT_GT(r["results"][0]["score"].get<double>(), r["results"][1]["score"].get<double>());

  // Filters: only image-classification models, most similar by attributes first.
  const Json f = s.recommend(h, {{"query", "org/d"},
                                 {"method", "jaccard"},
                                 {"k", 5},
                                 {"filters", {{"tasks", Json::array({"image-classification"})}}}});
  ASSERT_TRUE(f["ok"].get<bool>()) << f.dump();
  EXPECT_EQ(ids(f["results"]), (std::vector<std::string>{"org/e"}));

  const Json st = s.stats(h);
  EXPECT_EQ(st["rows"], 6);
  EXPECT_EQ(st["name"], "cat");
  EXPECT_EQ(st["format"], "csv");

  const Json hits = s.search(h, "org/", 3);
  ASSERT_TRUE(hits["ok"].get<bool>()) << hits.dump();
  EXPECT_EQ(hits["hits"].size(), 3u);
  EXPECT_EQ(hits["count"], 6);
}

TEST(Api, ErrorsHaveCodesAndNameTheirInput) {
  Session s;
  const int h = start(s, kCsv);
  ASSERT_TRUE(finish(s, h)["ok"].get<bool>());
  const Json unknown = s.recommend(h, {{"query", "org/zz"}});
  EXPECT_EQ(unknown["code"], "E_UNKNOWN_MODEL");
  EXPECT_NE(unknown["error"].get<std::string>().find("org/zz"), std::string::npos);
  const Json method = s.recommend(h, {{"query", "org/a"}, {"method", "magic"}});
  EXPECT_EQ(method["code"], "E_BAD_ARGUMENT");
  EXPECT_NE(method["error"].get<std::string>().find("magic"), std::string::npos);
  EXPECT_EQ(s.recommend(h, {{"query", "org/a"}, {"k", 0}})["code"], "E_BAD_ARGUMENT");
  EXPECT_EQ(s.recommend(h, {{"query", Json::object({{"task", "no-such-task"}})}})["code"], "E_BAD_ARGUMENT");
  EXPECT_EQ(s.search(h, "a", 0)["code"], "E_BAD_ARGUMENT");
  EXPECT_EQ(s.job_start(h, {{"algo", "spectral"}}, false)["code"], "E_BAD_ARGUMENT");

  // A load that fails says so on its step, with the parser's message.
  const int bad = start(s, "modelId\nx\n", 2);
  ASSERT_NE(bad, 0);
  const Json parse = finish(s, bad);
  EXPECT_EQ(parse["code"], "E_PARSE");
  EXPECT_EQ(s.recommend(bad, {{"query", "x"}})["code"], "E_PARSE");

  s.free_catalogue(h);
  EXPECT_EQ(s.recommend(h, {{"query", "org/a"}})["code"], "E_DISPOSED");
  EXPECT_EQ(s.stats(h)["code"], "E_DISPOSED");
  EXPECT_EQ(s.load_step(h, 1)["code"], "E_DISPOSED");
  EXPECT_EQ(s.stats(12345)["code"], "E_DISPOSED");
}

TEST(Api, BuffersAreRefusedPastTheLimitAndTakenOnce) {
  Session s;
  EXPECT_EQ(s.buffer(Session::max_bytes() + 1), nullptr);
  EXPECT_EQ(s.buffer(-1), nullptr);
  char* b = s.buffer(3);
  ASSERT_NE(b, nullptr);
  std::memcpy(b, "a,b", 3);
  std::string out;
  EXPECT_TRUE(s.take_buffer(b, out));
  EXPECT_EQ(out, "a,b");
  EXPECT_FALSE(s.take_buffer(b, out));
  EXPECT_EQ(s.load(b, "x", 0)["code"], "E_BAD_ARGUMENT");
  char* dropped = s.buffer(1);
  s.drop_buffer(dropped);
  EXPECT_EQ(s.load(dropped, "x", 0)["code"], "E_BAD_ARGUMENT");
}

TEST(Api, AnAdoptedIndexIsSharedNotCopied) {
  std::shared_ptr<const Index> owner = std::make_shared<const Index>(load_csv(kCsv, "owned").value());
  const Index* raw = owner.get();
  Session s;
  const int h = s.adopt(owner, nullptr, nullptr);
  EXPECT_EQ(s.index_of(h), raw);
  EXPECT_EQ(owner.use_count(), 2);
  EXPECT_EQ(s.stats(h)["name"], "owned");
  // The owner lets go (the app loads another catalogue): the handle still answers.
  owner.reset();
  const Json r = s.recommend(h, {{"query", "org/a"}, {"k", 1}});
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(ids(r["results"]), (std::vector<std::string>{"org/b"}));
  EXPECT_EQ(s.search(h, "org/e", 1)["hits"][0]["modelId"], "org/e");
  s.free_catalogue(h);
  EXPECT_EQ(s.index_of(h), nullptr);
  EXPECT_EQ(s.catalogues(), 0u);
}

TEST(Api, JobsRunToAResultOrAreCancelled) {
  Session s;
  const int h = start(s, kCsv);
  ASSERT_TRUE(finish(s, h)["ok"].get<bool>());
  const Json started = s.job_start(h, {{"algo", "kmeans"}, {"features", "attributes"}, {"k", 3}}, false);
  ASSERT_TRUE(started["ok"].get<bool>()) << started.dump();
  const int job = started["job"].get<int>();
  Json step;
  for (int i = 0; i < 100000; ++i) {
    step = s.job_step(job, 5);
    if (!step.value("ok", false) || step.value("done", false)) break;
  }
  ASSERT_TRUE(step["done"].get<bool>()) << step.dump();
  const Json& labels = step["result"]["labels"];
  ASSERT_EQ(labels.size(), 6u);
  // Three attribute profiles (bert fill-mask, timm image, gpt2 generation): three clusters.
  EXPECT_EQ(labels[0], labels[1]);
  EXPECT_EQ(labels[1], labels[2]);
  EXPECT_EQ(labels[3], labels[4]);
  EXPECT_NE(labels[0], labels[3]);
  EXPECT_NE(labels[0], labels[5]);
  EXPECT_NE(labels[3], labels[5]);
  EXPECT_EQ(s.job_step(job, 5)["code"], "E_DISPOSED");  // forgotten once done

  const Json elbow = s.job_start(h, {{"features", "attributes"}, {"kMin", 1}, {"kMax", 3}}, true);
  ASSERT_TRUE(elbow["ok"].get<bool>()) << elbow.dump();
  s.job_cancel(elbow["job"].get<int>());
  EXPECT_EQ(s.job_step(elbow["job"].get<int>(), 5)["code"], "E_ABORTED");

  // Freeing a catalogue frees its jobs.
  const Json orphan = s.job_start(h, {{"algo", "kmeans"}, {"k", 2}}, false);
  s.free_catalogue(h);
  EXPECT_EQ(s.job_step(orphan["job"].get<int>(), 5)["code"], "E_DISPOSED");
}

TEST(Api, RepliesWithInvalidUtf8AreWrittenNotThrown) {
  Session s;
  // The catalogue's name is the caller's (a file name); its bytes are not checked.
  const int h = start(s, kCsv, 0, "cat\xff\xfe.csv");
  ASSERT_TRUE(finish(s, h)["ok"].get<bool>());
  const std::string text = dump(s.stats(h));
  EXPECT_NE(text.find("\"ok\":true"), std::string::npos);
  EXPECT_NE(text.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD in place of the bad bytes
}

}  // namespace
}  // namespace hfrec::api
