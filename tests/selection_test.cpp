// The lasso table's order (core/selection.h): each column either way against a by-hand order, ties
// by downloads then id whatever the order before; and the selection's CSV (core/export.h).
#include "core/selection.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/catalogue.h"
#include "core/export.h"

namespace hfrec {
namespace {

// Six models: ids, tasks (one missing), downloads with ties, labels with noise.
Catalogue six() {
  std::vector<ModelRecord> r(6);
  const char* ids[] = {"b/two", "a/one", "c/three", "=evil", "d/four", "a/zero"};
  const char* tasks[] = {"fill-mask", "text-generation", "", "fill-mask", "image-classification", "fill-mask"};
  const int64_t dl[] = {50, 50, 900, 7, 50, 0};
  for (int i = 0; i < 6; ++i) {
    r[i].id = ids[i];
    r[i].pipeline_tag = tasks[i];
    r[i].downloads = dl[i];
    r[i].library_name = "transformers";
  }
  return make_catalogue(r);
}

std::vector<std::string> ids(const Catalogue& cat, const std::vector<uint32_t>& rows) {
  std::vector<std::string> v;
  for (uint32_t r : rows) v.emplace_back(cat.id(r));
  return v;
}

TEST(SortSelection, EachColumnBothWaysByHand) {
  const Catalogue cat = six();
  const std::vector<int32_t> labels{1, 0, -1, 1, 0, 2};
  const std::vector<std::string> names{"vision", "bert", "text"};
  auto order = [&](SelectionColumn c, bool desc) {
    std::vector<uint32_t> rows{0, 1, 2, 3, 4, 5};
    sort_selection(rows, cat, labels, names, SelectionSort{c, desc});
    return ids(cat, rows);
  };
  using V = std::vector<std::string>;
  // Downloads: 900, then the three 50s by id, 7, 0.
  EXPECT_EQ(order(SelectionColumn::downloads, true), (V{"c/three", "a/one", "b/two", "d/four", "=evil", "a/zero"}));
  EXPECT_EQ(order(SelectionColumn::downloads, false), (V{"a/zero", "=evil", "a/one", "b/two", "d/four", "c/three"}));
  EXPECT_EQ(order(SelectionColumn::model, false), (V{"=evil", "a/one", "a/zero", "b/two", "c/three", "d/four"}));
  EXPECT_EQ(order(SelectionColumn::model, true), (V{"d/four", "c/three", "b/two", "a/zero", "a/one", "=evil"}));
  // Task: "" first ascending; the three fill-masks by downloads (50, 7, 0).
  EXPECT_EQ(order(SelectionColumn::task, false), (V{"c/three", "b/two", "=evil", "a/zero", "d/four", "a/one"}));
  EXPECT_EQ(order(SelectionColumn::task, true), (V{"a/one", "d/four", "b/two", "=evil", "a/zero", "c/three"}));
  // Cluster by the name shown: bert (label 1: b/two, =evil), noise (c/three), text (a/zero), vision
  // (label 0: a/one, d/four).
  EXPECT_EQ(order(SelectionColumn::cluster, false), (V{"b/two", "=evil", "c/three", "a/zero", "a/one", "d/four"}));
  EXPECT_EQ(order(SelectionColumn::cluster, true), (V{"a/one", "d/four", "a/zero", "c/three", "b/two", "=evil"}));
}

TEST(SortSelection, TheOrderBeforeDoesNotMatter) {
  const Catalogue cat = six();
  const std::vector<int32_t> labels{1, 0, -1, 1, 0, 2};
  const std::vector<std::string> names{"vision", "bert", "text"};
  std::mt19937 rng(3);
  for (int c = 0; c < 4; ++c)
    for (bool desc : {false, true}) {
      std::vector<uint32_t> a{0, 1, 2, 3, 4, 5};
      sort_selection(a, cat, labels, names, SelectionSort{static_cast<SelectionColumn>(c), desc});
      for (int shuffle = 0; shuffle < 30; ++shuffle) {
        std::vector<uint32_t> b{0, 1, 2, 3, 4, 5};
        std::shuffle(b.begin(), b.end(), rng);
        sort_selection(b, cat, labels, names, SelectionSort{static_cast<SelectionColumn>(c), desc});
        EXPECT_EQ(a, b) << selection_column_name(static_cast<SelectionColumn>(c)) << " " << desc;
      }
    }
  SelectionColumn col;
  EXPECT_TRUE(parse_selection_column("cluster", col));
  EXPECT_EQ(col, SelectionColumn::cluster);
  EXPECT_FALSE(parse_selection_column("score", col));
}

// Many rows with ids that share their first 8 bytes or are prefixes of each other, tied downloads,
// missing tasks, noise and labels past the names: the order against a comparator written from the
// documented rule (the column either way, then downloads descending, id bytes, row).
TEST(SortSelection, ManyRowsAgainstTheRule) {
  std::mt19937 rng(11);
  const char* stems[] = {"aaaaaaaa", "aaaaaaa",           "aaaaaaaab", "org/model", "org/mode",
                         "zz",       "\xc3\xa9t\xc3\xa9", "A",         "a"};
  const char* tasks[] = {"", "fill-mask", "text-generation", "noise", "translation"};
  std::vector<ModelRecord> recs;
  for (int i = 0; i < 3000; ++i) {
    ModelRecord r;
    r.id = std::string(stems[rng() % 9]) + (rng() % 3 ? std::to_string(rng() % 50) : "") + "-" + std::to_string(i);
    if (i % 11 == 0) r.id = stems[i / 11 % 9] + std::string(i / 99 % 2 ? "x" : "");
    r.pipeline_tag = tasks[rng() % 5];
    r.downloads = static_cast<int64_t>(rng() % 4) * 10;
    recs.push_back(r);
  }
  const Catalogue cat = make_catalogue(recs);  // duplicate ids dropped, the first kept
  std::vector<int32_t> labels(cat.size());
  for (auto& l : labels) l = static_cast<int32_t>(rng() % 6) - 1;  // -1 .. 4; names for 0 .. 2
  const std::vector<std::string> names{"vision", "noise", "bert"};
  auto name = [&](uint32_t r) -> std::string {
    const int32_t l = labels[r];
    return l < 0 ? "noise" : l < 3 ? names[l] : "";
  };
  for (int c = 0; c < 4; ++c)
    for (bool desc : {false, true}) {
      std::vector<uint32_t> rows;
      for (uint32_t r = 0; r < cat.size(); ++r)
        if (rng() % 4) rows.push_back(r);
      std::shuffle(rows.begin(), rows.end(), rng);
      std::vector<uint32_t> want = rows;
      auto col = [&](uint32_t a, uint32_t b) -> int {
        std::string x, y;
        switch (c) {
          case 0: x = cat.id(a), y = cat.id(b); break;
          case 1: x = cat.value(cat.pipeline_tag[a]), y = cat.value(cat.pipeline_tag[b]); break;
          case 2: return cat.downloads[a] < cat.downloads[b] ? -1 : cat.downloads[a] > cat.downloads[b];
          default: x = name(a), y = name(b);
        }
        return x < y ? -1 : x > y;
      };
      std::sort(want.begin(), want.end(), [&](uint32_t a, uint32_t b) {
        if (const int k = col(a, b)) return desc ? k > 0 : k < 0;
        if (cat.downloads[a] != cat.downloads[b]) return cat.downloads[a] > cat.downloads[b];
        if (std::string(cat.id(a)) != std::string(cat.id(b))) return std::string(cat.id(a)) < std::string(cat.id(b));
        return a < b;
      });
      sort_selection(rows, cat, labels, names, SelectionSort{static_cast<SelectionColumn>(c), desc});
      EXPECT_EQ(ids(cat, rows), ids(cat, want))
          << selection_column_name(static_cast<SelectionColumn>(c)) << " " << desc;
      EXPECT_EQ(rows, want);
    }
}

TEST(ExportSelectionCsv, ExactOutputWithFormulaCellsNeutralised) {
  const std::vector<ExportSelectionRow> rows{
      {"bert-base-uncased", 1200, "fill-mask", "transformers", "bert", 3, "bert, roberta"},
      {"=HYPERLINK(\"x\")", 0, "", "", "", -1, "noise"},
  };
  EXPECT_EQ(export_selection_csv(rows),
            "modelId,downloads,pipeline_tag,library_name,model_type,cluster,cluster_name\n"
            "bert-base-uncased,1200,fill-mask,transformers,bert,3,\"bert, roberta\"\n"
            "\"'=HYPERLINK(\"\"x\"\")\",0,,,,-1,noise\n");
  EXPECT_EQ(export_selection_csv({}), "modelId,downloads,pipeline_tag,library_name,model_type,cluster,cluster_name\n");
}

}  // namespace
}  // namespace hfrec
