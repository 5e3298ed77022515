// The map's controls in the Clusters tab: Map (UMAP or PCA), of (the space a UMAP map keeps
// together), and the layout's progress with Cancel layout, a link's held layout with Lay out, or a
// cancelled one's note. Reads AppState::clusters.layout and emits Intents.
#include <string>

#include "app/app.h"
#include "core/share_link.h"  // kMapSpaces
#include "imgui.h"
#include "views/cluster_parts.h"
#include "views/ui.h"

namespace hfrec::app {

using ui::emit;
using ui::muted;
using ui::tooltip;

void draw_map_controls(AppState& s) {
  const ClusterParams& p = s.cluster_draft;
  const ClusterState& c = s.clusters;
  // The map's layout: UMAP keeps neighbours together, PCA shows the two directions of most spread.
  auto layout_label = [](std::string_view l) { return l == "pca" ? "PCA" : "UMAP (neighbours)"; };
  auto layout_help = [](std::string_view l) -> const char* {
    if (l == "pca")
      return "PCA: the plane of the two directions along which the models differ most (quick; near "
             "neighbours may land far apart).";
    return "UMAP: models placed so that each one's nearest neighbours (by the features' similarity) stay "
           "near it on the map (laid out beside the clustering; the PCA map shows meanwhile).";
  };
  const float layout_w = label_w("UMAP (neighbours)") + ImGui::GetFrameHeight() + 8;
  flow(label_w("Map") + layout_w);
  ImGui::TextUnformatted("Map");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(layout_w);
  if (ImGui::BeginCombo("##layout", layout_label(s.map_layout))) {
    for (const char* l : {"umap", "pca"}) {
      if (ImGui::Selectable(layout_label(l), s.map_layout == l) && (s.map_layout != l || c.layout.cancelled))
        emit(s, Intent::set_layout, l);
      tooltip(layout_help(l));
    }
    ImGui::EndCombo();
  } else {
    tooltip(std::string("How the map places the models. ") + layout_help(s.map_layout));
  }
  if (s.map_layout == "umap") {
    // What the UMAP map keeps together: the clustering's features, or another space (hybrid,
    // the recommender's own score, which no clustering uses).
    const std::string clustered = c.has_result ? c.params.features : p.features;
    auto space_label = [&](std::string_view f) {
      return f == "clusters" ? "as clustered (" + clustered + ")" : std::string(f);
    };
    auto space_help = [&](std::string_view f) -> std::string {
      if (f == "clusters") return "The map keeps together what the clustering compares: " + clustered + ".";
      if (f == "hybrid")
        return "hybrid: the similar-models list's own score (task head, name, paper, tags, author, "
               "model type and library, weighted as the hybrid method ranks them).";
      return features_help(f);
    };
    const float space_w = label_w("as clustered (attributes)") + ImGui::GetFrameHeight() + 8;
    flow(label_w("of") + space_w);
    ImGui::TextUnformatted("of");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(space_w);
    if (ImGui::BeginCombo("##mapspace", space_label(s.map_features).c_str())) {
      for (const char* f : kMapSpaces) {
        if (ImGui::Selectable(space_label(f).c_str(), s.map_features == f) &&
            (s.map_features != f || c.layout.cancelled))
          emit(s, Intent::set_map_features, f);
        tooltip(space_help(f));
      }
      ImGui::EndCombo();
    } else {
      tooltip("What the UMAP map keeps together. " + space_help(s.map_features));
    }
  }
  const MapLayoutState& lay = c.layout;
  if (lay.running && !c.running) {
    float w = ImGui::GetContentRegionAvail().x - 130;
    std::string label = "Map (UMAP, " + lay.features + "): " + lay.stage;
    ImGui::ProgressBar(lay.progress, ImVec2(w, 0), label.c_str());
    ImGui::SameLine();
    if (ImGui::Button("Cancel layout", ImVec2(-1, 0))) emit(s, Intent::cancel_layout);
    tooltip("Stop laying out the UMAP map; the map drawn now stays");
  } else if (!lay.held.empty() && s.map_layout == "umap" && lay.shown != "umap" && c.has_result) {
    if (ImGui::Button("Lay out")) emit(s, Intent::set_layout, "umap");
    tooltip("Lay out the UMAP map now (Cancel layout stops it; the PCA map stays meanwhile)");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", lay.held.c_str());  // wrapped, never cut, on narrow screens
    ImGui::PopStyleColor();
  } else if (lay.cancelled && s.map_layout == "umap" && lay.shown != "umap" && c.has_result) {
    ImGui::AlignTextToFramePadding();
    muted("UMAP layout cancelled: the PCA map is shown. Choose UMAP again to lay it out.");
  }
}

}  // namespace hfrec::app
