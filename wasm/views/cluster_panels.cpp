// The Clusters tab's panels beside the map: the cluster list (click to focus one), the quality
// metrics, the k-means elbow and Ward's dendrogram with its draggable cut. Reads
// AppState::clusters and emits Intents, as cluster_view.cpp does.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/app.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "views/cluster_parts.h"
#include "views/fonts.h"
#include "views/input.h"
#include "views/theme.h"
#include "views/ui.h"
#include "views/views.h"
#include "views/widgets.h"

namespace hfrec::app {

// Categorical colours (Tableau 10 then 10 more), then golden-angle hues.
ImU32 cluster_colour(int label, bool dark, float alpha) {
  static const int base[] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1,
                             0xff9da7, 0x9c755f, 0x17becf, 0x7b4ea3, 0xbcbd22, 0x2f7ed8, 0xd3582c,
                             0x3ba272, 0xc23a7a, 0x8c8c2a, 0x5a6fc0, 0xe08a1e, 0x2aa1a1};
  if (label < 0)
    return dark ? IM_COL32(165, 170, 180, static_cast<int>(200 * alpha))
                : IM_COL32(105, 110, 120, static_cast<int>(190 * alpha));
  constexpr int n = sizeof base / sizeof base[0];
  int a = static_cast<int>(255 * alpha);
  if (label < n) {
    int c = base[label];
    return IM_COL32((c >> 16) & 255, (c >> 8) & 255, c & 255, a);
  }
  float h = std::fmod(label * 0.618034f, 1.0f), r, g, b;
  ImGui::ColorConvertHSVtoRGB(h, 0.55f, dark ? 0.9f : 0.75f, r, g, b);
  return IM_COL32(static_cast<int>(r * 255), static_cast<int>(g * 255), static_cast<int>(b * 255), a);
}

std::string fmt(const char* f, double v) {
  if (!std::isfinite(v)) return "—";
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

namespace {

using ui::ellipsize;
using ui::emit;
using ui::heading;
using ui::muted;
using ui::thousands;
using ui::tooltip;

// ---- side panel -------------------------------------------------------------------------------

void draw_cluster_list(AppState& s) {
  const ClusterState& c = s.clusters;
  if (c.focus != -2) {
    if (ImGui::SmallButton("Show all clusters")) emit(s, Intent::focus_cluster, {}, -2);
    ImGui::SameLine();
    muted("the ranked list is filtered too");
  } else {
    muted("Click a cluster to show it alone.");
  }
  const float w = ImGui::GetContentRegionAvail().x;
  const size_t limit = 300;
  auto row = [&](int label, const std::string& name, uint32_t size, const std::vector<std::string>* top) {
    ImGui::PushID(label);
    bool on = c.focus == label;
    ImVec2 p = ImGui::GetCursorScreenPos();
    std::string count = thousands(size);
    float cw = ImGui::CalcTextSize(count.c_str()).x;
    std::string label_text = "##cluster" + std::to_string(label);
    if (ImGui::Selectable(label_text.c_str(), on, 0, ImVec2(w, ImGui::GetTextLineHeight())))
      emit(s, Intent::focus_cluster, {}, on ? -2 : label);
    std::string tip = name + "\n" + thousands(size) + " models";
    if (top && !top->empty()) {
      tip += "\nMost downloaded:";
      for (const auto& m : *top) tip += "\n  " + m;
    }
    tooltip(tip);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float lh = ImGui::GetTextLineHeight();
    dl->AddCircleFilled(ImVec2(p.x + 7, p.y + lh / 2), 5, cluster_colour(label, s.dark), 12);
    dl->AddText(ImVec2(p.x + 18, p.y), ImGui::GetColorU32(ImGuiCol_Text), ellipsize(name, w - 30 - cw).c_str());
    dl->AddText(ImVec2(p.x + w - cw - 2, p.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), count.c_str());
    if (on && top) {
      ImGui::Indent(18);
      for (size_t i = 0; i < top->size(); ++i) {
        std::string l = shown_id((*top)[i]) + "##top" + std::to_string(i);
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        if (ImGui::Selectable(l.c_str(), (*top)[i] == s.query)) emit(s, Intent::select, (*top)[i]);
        ImGui::PopStyleColor();
        tooltip("Make " + shown_id((*top)[i]) + " the query");
      }
      ImGui::Unindent(18);
    }
    ImGui::PopID();
  };
  if (c.noise) row(-1, "noise (in no cluster)", static_cast<uint32_t>(c.noise), nullptr);
  for (size_t i = 0; i < c.clusters.size() && i < limit; ++i)
    row(c.clusters[i].label, c.clusters[i].name, c.clusters[i].size, &c.clusters[i].top);
  if (c.clusters.size() > limit) muted("+ " + std::to_string(c.clusters.size() - limit) + " more clusters");
}

void draw_metrics(AppState& s) {
  const ClusterState& c = s.clusters;
  if (ImGui::BeginTable("##metrics", 2, ImGuiTableFlags_BordersInnerH)) {
    ImGui::TableSetupColumn("metric", ImGuiTableColumnFlags_WidthFixed,
                            ImGui::CalcTextSize("Calinski-Harabasz").x + 12);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    auto line = [](const char* name, const std::string& v, const char* tip) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(name);
      tooltip(tip);
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(v.c_str());
    };
    line("Inertia (WSS)", fmt("%.1f", c.inertia),
         "How far the models sit from their cluster's centre (squared distances, summed). Lower is tighter; it "
         "always falls as k grows, so compare k's with the elbow below.");
    line("Silhouette",
         fmt("%.3f", c.silhouette) +
             (c.silhouette_rows ? "  (" + thousands(static_cast<int64_t>(c.silhouette_rows)) + " rows)" : ""),
         "How much closer each model is to its own cluster than to the next one, averaged: from -1 (in the wrong "
         "cluster) through 0 (on a border) to 1 (clearly in its cluster). Higher is better.");
    line("Davies-Bouldin", fmt("%.3f", c.davies_bouldin),
         "How much the clusters overlap: each cluster's spread against its distance to its most similar "
         "neighbour, averaged. Lower is better; 0 means no overlap.");
    line("Calinski-Harabasz", fmt("%.1f", c.calinski_harabasz),
         "Spread between the clusters divided by spread within them, adjusted for k and the number of models. "
         "Higher is better; compare it only on the same features.");
    if (c.noise)
      line("Noise", thousands(static_cast<int64_t>(c.noise)) + " rows",
           "Models DBSCAN put in no cluster: too few neighbours within eps, and no dense region's neighbour.");
    ImGui::EndTable();
  }
}

void draw_elbow(AppState& s) {
  const ClusterState& c = s.clusters;
  bool elbow_running = c.running && c.job_kind == "elbow";
  ImGui::BeginDisabled(elbow_running);
  std::string b = "Compute the elbow (k = 2-12, " + s.cluster_draft.features + ")";
  if (ImGui::Button(b.c_str())) emit(s, Intent::run_elbow);
  ImGui::EndDisabled();
  tooltip("k-means for each k with 4 restarts; silhouette on a 2,000-row sample");
  if (c.elbow.empty()) return;
  const int selected = c.has_result && c.params.algo == "kmeans" && c.params.features == c.elbow_features
                           ? static_cast<int>(c.clusters.size())
                           : -1;
  // The plot: inertia against k, the selected k marked.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x, h = 130;
  ImGui::Dummy(ImVec2(w, h));
  ImVec2 a(p0.x + 44, p0.y + 8), z(p0.x + w - 8, p0.y + h - 22);
  dl->AddRect(a, z, ImGui::GetColorU32(ImGuiCol_Border));
  double lo = c.elbow[0].inertia, hi = lo;
  for (const auto& e : c.elbow) {
    lo = std::min(lo, e.inertia);
    hi = std::max(hi, e.inertia);
  }
  if (hi <= lo) hi = lo + 1;
  const int kmin = 2, kmax = std::max(3, c.elbow.back().k);
  auto px = [&](int k) { return a.x + (z.x - a.x) * static_cast<float>(k - kmin) / static_cast<float>(kmax - kmin); };
  auto py = [&](double v) { return z.y - (z.y - a.y) * static_cast<float>((v - lo) / (hi - lo)); };
  ImU32 line_col = palette().accent, faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  if (selected >= kmin && selected <= kmax) {
    float x = px(selected);
    for (float y = a.y; y < z.y; y += 6)
      dl->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 3, z.y)), IM_COL32(225, 87, 89, 255), 1.5f);
  }
  for (size_t i = 1; i < c.elbow.size(); ++i)
    dl->AddLine(ImVec2(px(c.elbow[i - 1].k), py(c.elbow[i - 1].inertia)),
                ImVec2(px(c.elbow[i].k), py(c.elbow[i].inertia)), line_col, 2);
  for (const auto& e : c.elbow) {
    bool sel = e.k == selected;
    dl->AddCircleFilled(ImVec2(px(e.k), py(e.inertia)), sel ? 5.5f : 3.5f, sel ? IM_COL32(225, 87, 89, 255) : line_col,
                        12);
  }
  for (int k = kmin; k <= kmax; k += 2) {
    std::string t = std::to_string(k);
    dl->AddText(ImVec2(px(k) - ImGui::CalcTextSize(t.c_str()).x / 2, z.y + 3), faint, t.c_str());
  }
  dl->AddText(ImVec2(p0.x, a.y - 2), faint, fmt("%.0f", hi).c_str());
  dl->AddText(ImVec2(p0.x, z.y - ImGui::GetTextLineHeight()), faint, fmt("%.0f", lo).c_str());
  dl->AddText(ImVec2(z.x - ImGui::CalcTextSize("inertia vs k").x - 4, a.y + 2), faint, "inertia vs k");

  ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchSame;
  if (ImGui::BeginTable("##elbow", 5, flags)) {
    ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed, 24);
    ImGui::TableSetupColumn("Inertia");
    ImGui::TableSetupColumn("Silh.");
    ImGui::TableSetupColumn("DB");
    ImGui::TableSetupColumn("CH");
    ImGui::TableHeadersRow();
    for (const auto& e : c.elbow) {
      ImGui::TableNextRow();
      if (e.k == selected) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, palette().both_row);
      ImGui::TableSetColumnIndex(0);
      std::string k = std::to_string(e.k) + "##elbowk";
      if (ImGui::Selectable(k.c_str(), e.k == selected, ImGuiSelectableFlags_SpanAllColumns)) {
        s.cluster_draft.algo = "kmeans";
        s.cluster_draft.features = c.elbow_features;
        s.cluster_draft.k = e.k;
        s.cluster_draft.cut = -1;
        emit(s, Intent::run_cluster);
      }
      tooltip("Run k-means with k = " + std::to_string(e.k));
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(fmt("%.1f", e.inertia).c_str());
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(fmt("%.3f", e.silhouette).c_str());
      ImGui::TableSetColumnIndex(3);
      ImGui::TextUnformatted(fmt("%.2f", e.davies_bouldin).c_str());
      ImGui::TableSetColumnIndex(4);
      ImGui::TextUnformatted(fmt("%.0f", e.calinski_harabasz).c_str());
    }
    ImGui::EndTable();
  }
}

void draw_dendrogram(AppState& s) {
  const ClusterState& c = s.clusters;
  if (c.dendro_links.empty() || c.dendro_max <= 0) {
    muted("Run Ward to see its dendrogram.");
    return;
  }
  muted("Top " + std::to_string(c.dendro_leaves.size()) + " branches; drag the red line to cut.");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x, h = 190;
  ImGui::InvisibleButton("##dendrogram", ImVec2(w, h));
  ui::name_item("##dendrogram");
  const bool active = ImGui::IsItemActive(), hovered = ImGui::IsItemHovered();
  ImVec2 a(p0.x + 8, p0.y + 10), z(p0.x + w - 8, p0.y + h - 14);
  const double top = c.dendro_max * 1.05;
  auto px = [&](float x) { return a.x + (z.x - a.x) * x; };
  auto py = [&](double hh) { return z.y - (z.y - a.y) * static_cast<float>(hh / top); };
  auto height_at = [&](float y) { return std::clamp((z.y - y) / (z.y - a.y) * top, 0.0, top); };
  double cut = s.cut_drag >= 0 ? s.cut_drag : c.cut_height;
  if (active) {
    s.cut_drag = height_at(ImGui::GetIO().MousePos.y);
    cut = s.cut_drag;
  }
  if (ImGui::IsItemDeactivated() && s.cut_drag >= 0) {
    emit(s, Intent::recut, {}, 0, false, s.cut_drag);
    s.cut_drag = -1;
  }
  ImU32 above = ImGui::GetColorU32(ImGuiCol_TextDisabled), below = palette().accent;
  for (const auto& l : c.dendro_links) {
    ImU32 col = l.h > cut ? above : below;
    dl->AddLine(ImVec2(px(l.x_left), py(l.h_left)), ImVec2(px(l.x_left), py(l.h)), l.h_left > cut ? above : col, 1.5f);
    dl->AddLine(ImVec2(px(l.x_right), py(l.h_right)), ImVec2(px(l.x_right), py(l.h)), l.h_right > cut ? above : col,
                1.5f);
    dl->AddLine(ImVec2(px(l.x_left), py(l.h)), ImVec2(px(l.x_right), py(l.h)), col, 1.5f);
  }
  const bool room = !c.dendro_leaves.empty() && (z.x - a.x) / static_cast<float>(c.dendro_leaves.size()) > 24;
  for (const auto& leaf : c.dendro_leaves) {
    if (!room) break;
    std::string n = leaf.size >= 1000 ? fmt("%.0fk", leaf.size / 1000.0) : std::to_string(leaf.size);
    ImVec2 ts = ImGui::CalcTextSize(n.c_str());
    ImGui::PushFont(fonts().regular);
    dl->AddText(nullptr, ImGui::GetFontSize() * 0.8f, ImVec2(px(leaf.x) - ts.x * 0.4f, z.y + 1), above, n.c_str());
    ImGui::PopFont();
  }
  if (cut >= 0) {
    float y = py(std::min(cut, top));
    ImU32 red = IM_COL32(225, 87, 89, 255);
    dl->AddLine(ImVec2(a.x, y), ImVec2(z.x, y), red, active ? 2.5f : 2.0f);
    dl->AddCircleFilled(ImVec2(z.x - 4, y), active || hovered ? 6.0f : 4.5f, red, 12);
    std::string t = "k = " + std::to_string(c.clusters_at(cut)) + "  ·  height " + fmt("%.2f", cut);
    ImVec2 ts = ImGui::CalcTextSize(t.c_str());
    ImVec2 ta(a.x + 4, y - ts.y - 3 < a.y ? y + 3 : y - ts.y - 3);
    dl->AddRectFilled(ImVec2(ta.x - 3, ta.y - 1), ImVec2(ta.x + ts.x + 3, ta.y + ts.y + 1),
                      s.dark ? IM_COL32(28, 31, 38, 220) : IM_COL32(255, 255, 255, 220), 3);
    dl->AddText(ta, red, t.c_str());
  }
  if (hovered && !active) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeNS);
}

}  // namespace

void draw_cluster_panels(AppState& s, float list_room) {
  const ClusterState& c = s.clusters;
  if (c.has_result) {
    std::string title = "Clusters (" + std::to_string(c.clusters.size()) + ")###clusters";
    if (ImGui::CollapsingHeader(title.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
      // Its own scroll, so the dendrogram and metrics below stay in view with many clusters.
      const float line = ImGui::GetTextLineHeightWithSpacing();
      const float want = (static_cast<float>(std::min<size_t>(c.clusters.size(), 300)) + (c.noise ? 1 : 0) +
                          (c.focus != -2 ? 6 : 0) + 1) *
                         line;
      const float h = std::min(want, std::max(6 * line, list_room));
      ImGui::BeginChild("##clusterlist", ImVec2(0, h), false);
      widgets_mark_list();
      draw_cluster_list(s);
      ImGui::EndChild();
    }
    if (c.params.algo == "ward" && ImGui::CollapsingHeader("Dendrogram", ImGuiTreeNodeFlags_DefaultOpen))
      draw_dendrogram(s);
  }
  // The elbow opens when its first row arrives.
  static bool had_elbow = false;
  if (!c.elbow.empty() && !had_elbow) ImGui::SetNextItemOpen(true);
  had_elbow = !c.elbow.empty();
  if (ImGui::CollapsingHeader("Elbow")) draw_elbow(s);
  if (c.has_result && ImGui::CollapsingHeader("Quality", ImGuiTreeNodeFlags_DefaultOpen)) draw_metrics(s);
}

}  // namespace hfrec::app
