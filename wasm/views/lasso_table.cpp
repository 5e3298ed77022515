// The lasso's table under the map: the selected models (id, task, downloads, cluster), sortable,
// a row making its model the query, with Export CSV and Clear. Reads AppState::clusters.selection
// and emits Intents.
#include <algorithm>
#include <string>

#include "app/app.h"
#include "imgui.h"
#include "views/cluster_parts.h"
#include "views/ui.h"

namespace hfrec::app {

using ui::emit;
using ui::thousands;
using ui::tooltip;

// The models inside the lasso under the map: id, task, downloads, cluster, in the order the
// controller keeps (a header click asks for another: Intent::sort_selection); a row makes its model
// the query; Export CSV downloads them; Clear drops the selection.
void draw_lasso_table(AppState& s, ImVec2 size) {
  const ClusterState& c = s.clusters;
  if (c.selection.empty() || !c.point_info) return;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted((thousands(static_cast<int64_t>(c.selection.size())) +
                          (c.selection.size() == 1 ? " model in the lasso" : " models in the lasso"))
                             .c_str());
  ImGui::SameLine();
  if (ImGui::Button("Clear##lassoclear")) {
    s.lasso = MapPolygon{};
    emit(s, Intent::lasso);
  }
  tooltip("Drop the lasso's selection");
  ImGui::SameLine();
  if (ImGui::Button("Export CSV##lassoexport")) emit(s, Intent::export_selection);
  tooltip("Download these models as CSV (id, downloads, task, library, type, cluster)");
  const float h = size.y - ImGui::GetFrameHeightWithSpacing();
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp |
                                ImGuiTableFlags_Sortable;
  if (!ImGui::BeginTable("##lassotable", 4, flags, ImVec2(size.x, std::max(h, 60.0f)))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  // The column's user id is its SelectionColumn; Downloads, descending, until a header is clicked.
  ImGui::TableSetupColumn("Model##lassosort", ImGuiTableColumnFlags_WidthStretch, 3,
                          static_cast<ImGuiID>(SelectionColumn::model));
  ImGui::TableSetupColumn("Task##lassosort", ImGuiTableColumnFlags_WidthStretch, 2,
                          static_cast<ImGuiID>(SelectionColumn::task));
  ImGui::TableSetupColumn("Downloads##lassosort",
                          ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_DefaultSort |
                              ImGuiTableColumnFlags_PreferSortDescending,
                          1, static_cast<ImGuiID>(SelectionColumn::downloads));
  ImGui::TableSetupColumn("Cluster##lassosort", ImGuiTableColumnFlags_WidthStretch, 2,
                          static_cast<ImGuiID>(SelectionColumn::cluster));
  // The header row by hand, so each header reports its name to widgets() (sort by clicking it).
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (int col = 0; col < 4; ++col) {
    if (!ImGui::TableSetColumnIndex(col)) continue;
    const char* name = ImGui::TableGetColumnName(col);
    ImGui::PushID(col);
    ImGui::TableHeader(name);
    ui::name_item(name);
    ImGui::PopID();
  }
  if (ImGuiTableSortSpecs* spec = ImGui::TableGetSortSpecs()) {
    if (spec->SpecsDirty && spec->SpecsCount > 0) {
      const ImGuiTableColumnSortSpecs& sc = spec->Specs[0];
      const SelectionSort want{static_cast<SelectionColumn>(sc.ColumnUserID),
                               sc.SortDirection == ImGuiSortDirection_Descending};
      if (!(want == s.selection_sort))
        emit(s, Intent::sort_selection, {}, static_cast<int>(want.column), want.descending);
      spec->SpecsDirty = false;
    }
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(c.selection.size()));
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const PointInfo info = c.point_info(c.selection[i]);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(i);
      if (ImGui::Selectable(shown_id(info.model_id).c_str(), s.query == info.model_id,
                            ImGuiSelectableFlags_SpanAllColumns))
        emit(s, Intent::select, info.model_id);
      ImGui::PopID();
      tooltip("Make " + info.model_id + " the query");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(info.task.empty() ? "—" : info.task.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(thousands(info.downloads).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(info.label < 0                                     ? "noise"
                             : info.label < static_cast<int>(c.clusters.size()) ? c.clusters[info.label].name.c_str()
                                                                                : "");
    }
  ImGui::EndTable();
}

}  // namespace hfrec::app
