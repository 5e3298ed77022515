// Lineage: base models from model cards (cardData.base_model, the CSV's base_model column) and the
// Hub's base_model tags, parents, children and siblings (core/lineage.h, issue 13).
//
// tests/data/lineage.csv holds real models and only base models their cards state (fields not
// known are left empty; no downloads): TheBloke/Llama-2-7B-Chat-GGUF's card has
// `base_model: meta-llama/Llama-2-7b-chat-hf` and TheBloke/MetaMath-Mistral-7B-AWQ's
// `base_model: meta-math/MetaMath-Mistral-7B` (both quantisations); HuggingFaceH4/zephyr-7b-beta's
// card says "Finetuned from model: mistralai/Mistral-7B-v0.1" and meta-math/MetaMath-Mistral-7B's
// that it is fine-tuned from Mistral-7B (written as base_model:finetune: tags). The GGML
// conversion's early card names no base model, and Mistral-7B-Instruct-v0.1's card states its base
// only in prose: both have none here.
#include "core/lineage.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/export.h"
#include "core/record_writer.h"

#include "test_util.h"

namespace hfrec {
namespace {

const std::string kFacts = std::string(HFREC_SOURCE_DIR) + "/tests/data/lineage.csv";

Catalogue facts() {
  auto c = load_catalogue_file(kFacts);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error());
  return c.ok() ? std::move(c).value() : Catalogue();
}

uint32_t row(const Catalogue& c, std::string_view id) {
  const uint32_t r = c.find(id);
  EXPECT_NE(r, kMissing) << id;
  return r;
}

std::vector<std::string> parent_ids(const Lineage& l, uint32_t r) {
  std::vector<std::string> out;
  for (const Parent& p : l.parents(r)) out.emplace_back(l.node_id(p.node));
  return out;
}

std::vector<std::string> child_ids(const Catalogue& c, const Lineage& l, uint32_t r) {
  std::vector<std::string> out;
  for (uint32_t k : l.children(r)) out.emplace_back(c.id(k));
  return out;
}

TEST(Lineage, TagsNameTheBaseAndTheRelation) {
  std::string_view id;
  Relation rel = Relation::merge;
  EXPECT_TRUE(parse_base_model_tag("base_model:meta-llama/Llama-2-7b-chat-hf", id, rel));
  EXPECT_EQ(id, "meta-llama/Llama-2-7b-chat-hf");
  EXPECT_EQ(rel, Relation::unspecified);
  EXPECT_TRUE(parse_base_model_tag("base_model:quantized:meta-llama/Llama-2-7b-chat-hf", id, rel));
  EXPECT_EQ(id, "meta-llama/Llama-2-7b-chat-hf");
  EXPECT_EQ(rel, Relation::quantized);
  for (auto [tag, want] :
       {std::pair{"base_model:finetune:a/b", Relation::finetune},
        std::pair{"base_model:adapter:a/b", Relation::adapter}, std::pair{"base_model:merge:a/b", Relation::merge},
        std::pair{"base_model:distill:a/b", Relation::unspecified}}) {
    EXPECT_TRUE(parse_base_model_tag(tag, id, rel)) << tag;
    EXPECT_EQ(id, "a/b") << tag;
    EXPECT_EQ(rel, want) << tag;
  }
  for (const char* no : {"pytorch", "base_model:", "base_model:finetune:", "base_model:a:b:c", "base_modelx:a"})
    EXPECT_FALSE(parse_base_model_tag(no, id, rel)) << no;
}

TEST(Lineage, FromTheFactsFile) {
  const Catalogue c = facts();
  ASSERT_EQ(c.size(), 8u);
  const Lineage l(c);
  EXPECT_FALSE(l.empty());
  const uint32_t mistral = row(c, "mistralai/Mistral-7B-v0.1"), zephyr = row(c, "HuggingFaceH4/zephyr-7b-beta"),
                 metamath = row(c, "meta-math/MetaMath-Mistral-7B"), awq = row(c, "TheBloke/MetaMath-Mistral-7B-AWQ"),
                 llama = row(c, "meta-llama/Llama-2-7b-chat-hf"), gguf = row(c, "TheBloke/Llama-2-7B-Chat-GGUF"),
                 ggml = row(c, "TheBloke/Llama-2-7B-Chat-GGML"),
                 instruct = row(c, "mistralai/Mistral-7B-Instruct-v0.1");
  // Parents: the card's (the CSV column) and the tags' merged, with the tag's relation.
  EXPECT_EQ(parent_ids(l, zephyr), std::vector<std::string>{"mistralai/Mistral-7B-v0.1"});
  EXPECT_EQ(l.parents(zephyr)[0].relation, Relation::finetune);
  EXPECT_EQ(l.parents(zephyr)[0].row, mistral);
  EXPECT_EQ(parent_ids(l, awq), std::vector<std::string>{"meta-math/MetaMath-Mistral-7B"});
  EXPECT_EQ(l.parents(awq)[0].relation, Relation::quantized);
  EXPECT_EQ(l.parents(awq)[0].row, metamath);
  EXPECT_EQ(parent_ids(l, gguf), std::vector<std::string>{"meta-llama/Llama-2-7b-chat-hf"});
  EXPECT_EQ(l.parents(gguf)[0].row, llama);
  for (uint32_t r : {mistral, llama, ggml, instruct}) EXPECT_TRUE(l.parents(r).empty()) << c.id(r);
  // Children, in row order; siblings share a base.
  EXPECT_EQ(child_ids(c, l, mistral),
            (std::vector<std::string>{"HuggingFaceH4/zephyr-7b-beta", "meta-math/MetaMath-Mistral-7B"}));
  EXPECT_EQ(child_ids(c, l, metamath), std::vector<std::string>{"TheBloke/MetaMath-Mistral-7B-AWQ"});
  EXPECT_EQ(child_ids(c, l, llama), std::vector<std::string>{"TheBloke/Llama-2-7B-Chat-GGUF"});
  EXPECT_TRUE(l.children(zephyr).empty());
  EXPECT_EQ(l.siblings(zephyr), 1u);
  EXPECT_EQ(l.siblings(metamath), 1u);
  EXPECT_EQ(l.siblings(awq), 0u);
  EXPECT_EQ(l.siblings(mistral), 0u);
  EXPECT_EQ(l.sibling_rows(zephyr), std::vector<uint32_t>{metamath});
  EXPECT_EQ(l.sibling_rows(metamath), std::vector<uint32_t>{zephyr});
  EXPECT_TRUE(l.sibling_rows(awq).empty());
  EXPECT_EQ(l.children_of(l.parents(zephyr)[0].node).size(), 2u);
  // Counts for hfrec stats.
  EXPECT_EQ(l.rows_with_parents(), 4u);
  EXPECT_EQ(l.links(), 4u);
  EXPECT_EQ(l.links_in_catalogue(), 4u);
  EXPECT_EQ(l.rows_with_children(), 3u);
}

// Hub JSON: cardData.base_model as a string or a list (a merge), bases outside the catalogue by id,
// a model naming itself ignored, and odd values (a number, non-string items) ignored, never an error.
TEST(Lineage, FromHubJsonCards) {
  auto c = load_hub_json(R"([
    {"id": "org/base-a"},
    {"id": "org/base-b", "cardData": {"base_model": 7}},
    {"id": "org/merged", "cardData": {"base_model": ["org/base-a", "org/base-b", 3, "", "elsewhere/c"]},
     "tags": ["base_model:merge:org/base-a", "base_model:merge:org/base-b"]},
    {"id": "org/tuned", "cardData": {"base_model": "org/base-a"}},
    {"id": "org/self", "cardData": {"base_model": "org/self"}},
    {"id": "org/adapter", "tags": ["base_model:adapter:elsewhere/c"]}
  ])",
                         "t");
  ASSERT_TRUE(c.ok()) << c.error();
  const Lineage l(c.value());
  const Catalogue& cat = c.value();
  const uint32_t a = cat.find("org/base-a"), b = cat.find("org/base-b"), merged = cat.find("org/merged"),
                 tuned = cat.find("org/tuned"), self = cat.find("org/self"), adapter = cat.find("org/adapter");
  EXPECT_EQ(parent_ids(l, merged), (std::vector<std::string>{"org/base-a", "org/base-b", "elsewhere/c"}));
  EXPECT_EQ(l.parents(merged)[0].relation, Relation::merge);
  EXPECT_EQ(l.parents(merged)[1].relation, Relation::merge);
  EXPECT_EQ(l.parents(merged)[2].relation, Relation::unspecified);
  EXPECT_EQ(l.parents(merged)[2].row, kMissing);
  EXPECT_TRUE(l.parents(b).empty());
  EXPECT_TRUE(l.parents(self).empty());
  EXPECT_EQ(child_ids(cat, l, a), (std::vector<std::string>{"org/merged", "org/tuned"}));
  EXPECT_EQ(child_ids(cat, l, b), std::vector<std::string>{"org/merged"});
  // Siblings: merged shares base-a with tuned and elsewhere/c with adapter; tuned only base-a.
  EXPECT_EQ(l.siblings(merged), 2u);
  EXPECT_EQ(l.siblings(tuned), 1u);
  EXPECT_EQ(l.siblings(adapter), 1u);
  EXPECT_EQ(l.parents(adapter)[0].relation, Relation::adapter);
  EXPECT_EQ(l.links(), 5u);
  EXPECT_EQ(l.links_in_catalogue(), 3u);
}

TEST(Lineage, NoneWithoutBaseModels) {
  ModelRecord a, b;
  a.id = "a";
  b.id = "b";
  b.tags = {"pytorch"};
  const Catalogue c = make_catalogue({a, b});
  const Lineage l(c);
  EXPECT_TRUE(l.empty());
  EXPECT_TRUE(l.parents(0).empty());
  EXPECT_TRUE(l.children(1).empty());
  EXPECT_EQ(l.siblings(1), 0u);
}

// The CSV writer's base_model column reads back: one base bare, several as a list literal; the
// JSON writer's cardData.base_model too.
TEST(Lineage, WrittenCataloguesReadBack) {
  ModelRecord one, two, tag_only;
  one.id = "org/x";
  two.id = "org/y";
  tag_only.id = "org/z";
  one.base_models = {"org/base"};
  two.base_models = {"org/base", "other/base"};
  tag_only.tags = {"base_model:quantized:org/base"};
  const std::vector<ModelRecord> recs = {one, two, tag_only};
  std::string csv = csv_header();
  append_csv_rows(recs, csv);
  EXPECT_NE(csv.find(",org/base\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",\"['org/base', 'other/base']\"\n"), std::string::npos) << csv;
  std::string json = "[\n";
  append_json_rows(recs, json);
  json += "\n]\n";
  for (const auto& text : {csv, json}) {
    auto c = load_catalogue(text, "w");
    ASSERT_TRUE(c.ok()) << c.error();
    EXPECT_EQ(record_of(c.value(), 0).base_models, one.base_models) << text;
    EXPECT_EQ(record_of(c.value(), 1).base_models, two.base_models) << text;
    EXPECT_EQ(record_of(c.value(), 2).base_models, std::vector<std::string>{"org/base"}) << text;
    const Lineage l(c.value());
    EXPECT_EQ(l.parents(2)[0].relation, Relation::quantized);
  }
}

// row_json adds lineage only when it is set (the catalogue has lineage), never removing a key.
TEST(Lineage, RowJson) {
  ExportRow r;
  r.rank = 1;
  r.model_id = "org/x";
  const nlohmann::json plain = row_json(r);
  EXPECT_FALSE(plain.contains("lineage"));
  r.lineage = ExportLineage{"org/base", 2, 3};
  const nlohmann::json with = row_json(r);
  EXPECT_EQ(with["lineage"], (nlohmann::json{{"parent", "org/base"}, {"children", 2}, {"siblings", 3}}));
  for (const auto& [k, v] : plain.items()) EXPECT_EQ(with[k], v) << k;
  r.lineage = ExportLineage{};
  EXPECT_TRUE(row_json(r)["lineage"]["parent"].is_null());
}

// LineageBuilder in many small steps against the rule written out with maps and strings: a row's
// parents are the card's base models, then its base_model tags' ("base_model:[kind:]id", a known
// kind or none), each id once (a later mention gives a relation only to one stated without), never
// the row itself; children are the rows naming a model, in row order.
TEST(Lineage, BuiltInSlicesAgainstTheRule) {
  std::mt19937 rng(7);
  const int n = 5000;
  std::vector<unsigned> org(n);
  for (unsigned& o : org) o = rng() % 30;
  auto id_of = [&](unsigned i) { return "o" + std::to_string(org[i]) + "/m" + std::to_string(i); };
  auto some_id = [&] {  // mostly a row of the catalogue; else a model outside it
    return rng() % 10 < 7 ? id_of(rng() % n) : "ext/x" + std::to_string(rng() % 50);
  };
  const char* kinds[] = {"", "finetune:", "adapter:", "quantized:", "merge:", "other:"};
  std::vector<ModelRecord> records;
  for (int i = 0; i < n; ++i) {
    ModelRecord r;
    r.id = id_of(i);
    for (unsigned k = rng() % 3; k-- > 0;) r.base_models.push_back(rng() % 20 ? some_id() : r.id);
    for (unsigned k = rng() % 4; k-- > 0;) {
      const unsigned t = rng() % 8;
      r.tags.push_back(t < 5   ? std::string("base_model:") + kinds[rng() % 6] + some_id()
                       : t < 6 ? "base_model:"
                               : "tag" + std::to_string(rng() % 9));
    }
    records.push_back(std::move(r));
  }
  const Catalogue c = make_catalogue(records);
  ASSERT_EQ(c.size(), static_cast<size_t>(n));

  // The rule.
  std::map<std::string, uint32_t> row_of;
  for (uint32_t r = 0; r < n; ++r) row_of[records[r].id] = r;
  std::vector<std::vector<std::pair<std::string, Relation>>> want(n);
  std::map<std::string, std::vector<uint32_t>> kids;
  size_t links = 0, in_catalogue = 0, with_parents = 0;
  for (uint32_t r = 0; r < n; ++r) {
    auto& ps = want[r];
    auto mention = [&](const std::string& id, Relation rel) {
      if (id == records[r].id) return;
      for (auto& [pid, prel] : ps)
        if (pid == id) {
          if (prel == Relation::unspecified) prel = rel;
          return;
        }
      ps.emplace_back(id, rel);
    };
    for (const std::string& b : records[r].base_models) mention(b, Relation::unspecified);
    for (const std::string& t : records[r].tags) {
      if (t.rfind("base_model:", 0) != 0) continue;
      std::string rest = t.substr(11);
      Relation rel = Relation::unspecified;
      if (const size_t colon = rest.find(':'); colon != std::string::npos) {
        const std::string kind = rest.substr(0, colon);
        rel = kind == "finetune"    ? Relation::finetune
              : kind == "adapter"   ? Relation::adapter
              : kind == "quantized" ? Relation::quantized
              : kind == "merge"     ? Relation::merge
                                    : Relation::unspecified;
        rest = rest.substr(colon + 1);
      }
      if (!rest.empty()) mention(rest, rel);
    }
    for (auto& [pid, prel] : ps) {
      kids[pid].push_back(r);
      in_catalogue += row_of.count(pid);
    }
    links += ps.size();
    with_parents += !ps.empty();
  }
  ASSERT_GT(links, 3000u);
  ASSERT_GT(in_catalogue, 1000u);

  LineageBuilder b(c);
  const int steps = testing::step_to_end(b);
  EXPECT_GT(steps, 20);
  const Lineage l = b.take();
  EXPECT_EQ(l.links(), links);
  EXPECT_EQ(l.links_in_catalogue(), in_catalogue);
  EXPECT_EQ(l.rows_with_parents(), with_parents);
  size_t with_children = 0;
  for (uint32_t r = 0; r < n; ++r) {
    const auto ps = l.parents(r);
    ASSERT_EQ(ps.size(), want[r].size()) << records[r].id;
    for (size_t k = 0; k < ps.size(); ++k) {
      EXPECT_EQ(l.node_id(ps[k].node), want[r][k].first) << records[r].id;
      EXPECT_EQ(ps[k].relation, want[r][k].second) << records[r].id;
      const auto it = row_of.find(want[r][k].first);
      EXPECT_EQ(ps[k].row, it == row_of.end() ? kMissing : it->second) << records[r].id;
      const auto ch = l.children_of(ps[k].node);
      EXPECT_EQ(std::vector<uint32_t>(ch.begin(), ch.end()), kids[want[r][k].first]) << want[r][k].first;
    }
    const auto ch = l.children(r);
    const auto it = kids.find(records[r].id);
    EXPECT_EQ(std::vector<uint32_t>(ch.begin(), ch.end()), it == kids.end() ? std::vector<uint32_t>{} : it->second)
        << records[r].id;
    with_children += !ch.empty();
  }
  EXPECT_EQ(l.rows_with_children(), with_children);
}

}  // namespace
}  // namespace hfrec
