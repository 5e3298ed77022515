// The models a lasso selected on the cluster map, as the table under the map orders them: by one
// of its columns, either way, with a fixed order among equals. Rules only; the app draws the table.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hfrec {

struct Catalogue;

// The table's columns, in its order.
enum class SelectionColumn { model, task, downloads, cluster };
// Their names in state() and set(): "model", "task", "downloads", "cluster".
const char* selection_column_name(SelectionColumn c);
bool parse_selection_column(std::string_view name, SelectionColumn& out);

// How the table is sorted: most downloaded first unless a header was clicked.
struct SelectionSort {
  SelectionColumn column = SelectionColumn::downloads;
  bool descending = true;
  bool operator==(const SelectionSort&) const = default;
};

// The name the table shows for a row's cluster label: cluster_names[label], "noise" for -1, ""
// for a label with no name.
std::string_view selection_cluster_name(int32_t label, const std::vector<std::string>& cluster_names);

// Sorts catalogue rows by one column, ascending or descending: the model id or the task
// (pipeline_tag, "" when missing) by their bytes, the downloads, or the cluster's name as shown
// (selection_cluster_name). Rows equal in that column come most downloaded first, then by model id,
// then by row, whichever the direction, so the result does not depend on the order before.
// labels and cluster_names as ClusterState holds them (a row without a label counts as noise).
void sort_selection(std::vector<uint32_t>& rows, const Catalogue& cat, const std::vector<int32_t>& labels,
                    const std::vector<std::string>& cluster_names, SelectionSort sort);

}  // namespace hfrec
