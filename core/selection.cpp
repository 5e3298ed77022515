// The lasso's table order (selection.h): one column either way, then downloads, id and row.
#include "selection.h"

#include <algorithm>

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

void sort_selection(std::vector<uint32_t>& rows, const Catalogue& cat, const std::vector<int32_t>& labels,
                    const std::vector<std::string>& cluster_names, SelectionSort sort) {
  auto task = [&](uint32_t r) { return cat.value(cat.pipeline_tag[r]); };
  auto cluster = [&](uint32_t r) { return selection_cluster_name(r < labels.size() ? labels[r] : -1, cluster_names); };
  // -1, 0, 1 for a before, equal to, after b in the column, ascending.
  auto column = [&](uint32_t a, uint32_t b) -> int {
    switch (sort.column) {
      case SelectionColumn::model: return cat.id(a).compare(cat.id(b));
      case SelectionColumn::task: return task(a).compare(task(b));
      case SelectionColumn::downloads:
        return cat.downloads[a] < cat.downloads[b] ? -1 : cat.downloads[a] > cat.downloads[b] ? 1 : 0;
      case SelectionColumn::cluster: return cluster(a).compare(cluster(b));
    }
    return 0;
  };
  std::sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) {
    if (const int c = column(a, b); c != 0) return sort.descending ? c > 0 : c < 0;
    if (cat.downloads[a] != cat.downloads[b]) return cat.downloads[a] > cat.downloads[b];
    if (const int c = cat.id(a).compare(cat.id(b)); c != 0) return c < 0;
    return a < b;
  });
}

}  // namespace hfrec
