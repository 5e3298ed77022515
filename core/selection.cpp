// The lasso's table order (selection.h): one column either way, then downloads, id and row.
#include "selection.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "catalogue.h"

namespace hfrec {

namespace {
constexpr const char* kNames[] = {"model", "task", "downloads", "cluster"};
}  // namespace

const char* selection_column_name(SelectionColumn c) { return kNames[static_cast<int>(c)]; }

bool parse_selection_column(std::string_view name, SelectionColumn& out) {
  for (int i = 0; i < 4; ++i)
    if (name == kNames[i]) {
      out = static_cast<SelectionColumn>(i);
      return true;
    }
  return false;
}

std::string_view selection_cluster_name(int32_t label, const std::vector<std::string>& cluster_names) {
  if (label < 0) return "noise";
  if (static_cast<size_t>(label) < cluster_names.size()) return cluster_names[static_cast<size_t>(label)];
  return "";
}

namespace {

// The first 8 bytes of a string, big-endian and zero-padded: comparing two of these as integers
// orders strings as their bytes do (unsigned, as string_view::compare), except that equal keys
// say nothing (a shorter string or a NUL byte): those compare in full.
uint64_t prefix_key(std::string_view s) {
  uint64_t k = 0;
  for (size_t i = 0; i < 8; ++i) k = (k << 8) | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  return k;
}

// The rank of each distinct string among the strings (0 for the least; equal strings equal ranks).
std::vector<uint32_t> string_ranks(const std::vector<std::string_view>& values) {
  std::vector<uint32_t> idx(values.size());
  for (uint32_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return values[a] < values[b]; });
  std::vector<uint32_t> rank(values.size());
  uint32_t r = 0;
  for (size_t i = 0; i < idx.size(); ++i) {
    if (i > 0 && values[idx[i]] != values[idx[i - 1]]) ++r;
    rank[idx[i]] = r;
  }
  return rank;
}

}  // namespace

// Each row becomes a key: the column as an integer (downloads; for the task and the cluster, the
// rank of its text among the few distinct values; for the model, the id's first 8 bytes), then
// downloads and the id's first 8 bytes. Ids are compared in full only when those are equal, so
// a sort of a million rows touches their strings rarely.
void sort_selection(std::vector<uint32_t>& rows, const Catalogue& cat, const std::vector<int32_t>& labels,
                    const std::vector<std::string>& cluster_names, SelectionSort sort) {
  struct Key {
    int64_t column;
    int64_t downloads;
    uint64_t id;
    uint32_t row;
  };
  // The task's and the cluster's texts are few: each becomes its rank among the distinct texts.
  std::unordered_map<uint32_t, uint32_t> task_rank;  // pool id (or kMissing) -> rank
  std::vector<uint32_t> cluster_rank;                // label + 1 (noise first), then a label past the names
  if (sort.column == SelectionColumn::task) {
    std::vector<uint32_t> seen;
    for (uint32_t r : rows)
      if (task_rank.emplace(cat.pipeline_tag[r], 0).second) seen.push_back(cat.pipeline_tag[r]);
    std::vector<std::string_view> texts;
    for (uint32_t v : seen) texts.push_back(cat.value(v));
    const std::vector<uint32_t> ranks = string_ranks(texts);
    for (size_t i = 0; i < seen.size(); ++i) task_rank[seen[i]] = ranks[i];
  } else if (sort.column == SelectionColumn::cluster) {
    std::vector<std::string_view> names;
    for (int32_t label = -1; label < static_cast<int32_t>(cluster_names.size()); ++label)
      names.push_back(selection_cluster_name(label, cluster_names));
    names.push_back("");
    cluster_rank = string_ranks(names);
  }
  auto column = [&](uint32_t r) -> int64_t {
    switch (sort.column) {
      case SelectionColumn::model: return 0;  // compared by the id below
      case SelectionColumn::task: return task_rank.at(cat.pipeline_tag[r]);
      case SelectionColumn::downloads: return cat.downloads[r];
      case SelectionColumn::cluster: {
        const int64_t label = r < labels.size() ? labels[r] : -1;
        const int64_t named = static_cast<int64_t>(cluster_names.size());
        return cluster_rank[static_cast<size_t>(label < 0 ? 0 : label < named ? label + 1 : named + 1)];
      }
    }
    return 0;
  };
  std::vector<Key> keys;
  keys.reserve(rows.size());
  for (uint32_t r : rows) keys.push_back({column(r), cat.downloads[r], prefix_key(cat.id(r)), r});
  const bool by_model = sort.column == SelectionColumn::model;
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (by_model) {  // the column is the id: its bytes in full where the prefixes tie
      if (a.id != b.id) return sort.descending ? a.id > b.id : a.id < b.id;
      if (const int c = cat.id(a.row).compare(cat.id(b.row)); c != 0) return sort.descending ? c > 0 : c < 0;
    } else if (a.column != b.column) {
      return sort.descending ? a.column > b.column : a.column < b.column;
    }
    if (a.downloads != b.downloads) return a.downloads > b.downloads;
    if (a.id != b.id) return a.id < b.id;
    if (const int c = cat.id(a.row).compare(cat.id(b.row)); c != 0) return c < 0;
    return a.row < b.row;
  });
  for (size_t i = 0; i < keys.size(); ++i) rows[i] = keys[i].row;
}

}  // namespace hfrec
