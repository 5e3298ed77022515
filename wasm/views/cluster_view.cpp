// The Clusters tab: controls, the map (pan, zoom, hover, click, legend; grid culling and a coarse
// level of detail so a million points stay interactive) and the tab's layout. Reads
// AppState::clusters and emits Intents; the ClusterController computes. Beside it: the map's
// controls (map_controls.cpp), the lasso's table (lasso_table.cpp), and the cluster list, quality
// metrics with the elbow and Ward's dendrogram with a draggable cut (cluster_panels.cpp); what
// they share is in cluster_parts.h.
//
// Index of this file:
// - helpers: flow, label_w, features_help (shared); algo_label, map_density_on
// - draw_controls: algorithm, features, k / eps / min_samples, seed, Run and Cancel, Density, the
//   map's controls, the clustering's progress or summary
// - legend_box, draw_legend: where the legend goes (the names keep off it), and the legend
// - draw_map: the map over core/map_grid (culling, level of detail, nearest point), density
//   shading, the query's ringed recommendations, the cluster names placed by core/map_labels, the
//   lasso (core/map_lasso through the MapController), the hover card, the Lasso and zoom buttons
// - draw_clusters_view: the tab's layout
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/app.h"
#include "core/map_grid.h"
#include "core/map_labels.h"
#include "core/share_link.h"  // kMapSpaces
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

void flow(float w, float gap) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + gap + w <= right) ImGui::SameLine(0, gap);
}

float label_w(const char* t) { return ImGui::CalcTextSize(t).x + ImGui::GetStyle().ItemSpacing.x; }

const char* features_help(std::string_view f) {
  if (f == "attributes") return "attributes: task, architectures, model type and library, one column each (one-hot).";
  if (f == "soup")
    return "soup: every word of the tags, task, author, architectures, model type and library, with counts.";
  return "tfidf: the soup's words, a word few models have counting more than a common one.";
}

namespace {

using ui::ellipsize;
using ui::emit;
using ui::heading;
using ui::muted;
using ui::thousands;
using ui::tooltip;

constexpr size_t kPointBudget = 60000;   // points drawn per frame at most (coarse LOD beyond)
constexpr size_t kBusyBudget = 4000;     // ... while a job runs (software-rendered WebGL stays fluid)
constexpr size_t kCircleBudget = 12000;  // circles up to this many points, squares beyond
constexpr float kLegendWidth = 250;
constexpr float kDensityBlockPx = 14;  // density blocks at least this wide on screen
constexpr float kLabelMaxWidth = 220;  // cluster names on the map cut to this width
constexpr size_t kLabelBudget = 64;    // names tried per frame at most: the largest clusters on screen

const char* algo_label(const std::string& a) {
  return a == "kmeans" ? "k-means" : a == "ward" ? "Ward" : a == "dbscan" ? "DBSCAN" : a.c_str();
}

// ---- controls ---------------------------------------------------------------------------------

// Whether the map shades density: as the checkbox says, else on above kDensityAutoRows points.
bool map_density_on(const AppState& s) {
  return s.map_density == 1 || (s.map_density == -1 && s.clusters.map_grid.size() > kDensityAutoRows);
}

void draw_controls(AppState& s) {
  ClusterParams& p = s.cluster_draft;
  const ClusterState& c = s.clusters;
  // Wide enough for the longest choice at any font and frame size (the narrow layout's are larger).
  const float combo_w = std::max(
      110.0f, ImGui::CalcTextSize("attributes").x + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Algorithm");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(combo_w);
  // What each algorithm and feature space does, in plain words (the combos' item tooltips).
  auto algo_help = [](std::string_view a) -> const char* {
    if (a == "kmeans")
      return "k-means: splits the models into k groups around k centres, each model joining its nearest "
             "centre (k-means++ start, 10 restarts, the tightest kept).";
    if (a == "ward")
      return "Ward: starts with every model on its own and merges, step by step, the two groups whose merge "
             "adds the least spread; the tree is cut into k clusters (drag its cut line to choose).";
    return "DBSCAN: a cluster is a dense region: a model with at least 'min samples' neighbours within eps "
           "(cosine distance) starts or extends one; models in no dense region are noise. No k needed.";
  };
  if (ImGui::BeginCombo("##algo", algo_label(p.algo))) {
    for (const char* a : {"kmeans", "ward", "dbscan"}) {
      if (ImGui::Selectable(algo_label(a), p.algo == a)) p.algo = a;
      tooltip(algo_help(a));
    }
    ImGui::EndCombo();
  } else {
    tooltip(algo_help(p.algo));
  }
  flow(label_w("Features") + combo_w);
  ImGui::TextUnformatted("Features");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(combo_w);
  if (ImGui::BeginCombo("##features", p.features.c_str())) {
    for (const char* f : {"attributes", "soup", "tfidf"}) {
      if (ImGui::Selectable(f, p.features == f)) p.features = f;
      tooltip(features_help(f));
    }
    ImGui::EndCombo();
  } else {
    tooltip(std::string("What the models are compared on. ") + features_help(p.features));
  }
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  flow(p.algo == "dbscan" ? 260 + spacing : p.algo == "kmeans" ? 220 + spacing : 120);
  if (p.algo == "dbscan") {
    float eps = static_cast<float>(p.eps);
    ImGui::SetNextItemWidth(130);
    if (ImGui::SliderFloat("##eps", &eps, 0.01f, 1.0f, "eps = %.3f", ImGuiSliderFlags_AlwaysClamp)) p.eps = eps;
    input::hover_item(input::HoverKind::drag);
    tooltip("Neighbourhood radius (cosine distance; distance <= eps is a neighbour)");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(130);
    ImGui::SliderInt("##min_samples", &p.min_samples, 1, 50, "min samples = %d", ImGuiSliderFlags_AlwaysClamp);
    input::hover_item(input::HoverKind::drag);
    tooltip("Neighbours (the point included) a core point needs");
  } else {
    int k = p.k;
    ImGui::SetNextItemWidth(120);
    if (ImGui::SliderInt("##ck", &k, 2, 40, "k = %d", ImGuiSliderFlags_AlwaysClamp)) {
      p.k = k;
      p.cut = -1;
    }
    input::hover_item(input::HoverKind::drag);
    tooltip(p.algo == "ward" ? "Clusters to cut the dendrogram into (or drag its cut line)" : "Clusters");
    if (p.algo == "kmeans") {
      ImGui::SameLine();
      int seed = static_cast<int>(std::min<uint64_t>(p.seed, 1000000));
      ImGui::SetNextItemWidth(std::max(100.0f, 2 * ImGui::GetFrameHeight() + 60));
      if (ImGui::InputInt("##seed", &seed, 1, 10)) p.seed = static_cast<uint64_t>(std::clamp(seed, 0, 1000000));
      tooltip("Seed of the k-means++ initialisation and the map");
    }
  }
  flow(70);
  bool changed = !c.has_result || !(p == c.params);
  ImGui::BeginDisabled(c.running && c.job_kind == "cluster" && !changed);
  if (changed) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(palette().accent_soft));
  if (ImGui::Button("Run", ImVec2(70, 0))) emit(s, Intent::run_cluster);
  if (changed) ImGui::PopStyleColor();
  ImGui::EndDisabled();
  tooltip("Cluster the whole catalogue with these settings");
  flow(ImGui::GetFrameHeight() + label_w("Size by downloads"));
  ImGui::Checkbox("Size by downloads", &s.size_by_downloads);
  flow(ImGui::GetFrameHeight() + label_w("Density"));
  bool density = map_density_on(s);
  if (ImGui::Checkbox("Density", &density)) s.map_density = density ? 1 : 0;
  tooltip("Shade the map where points pile up (on by default above " +
          thousands(static_cast<int64_t>(kDensityAutoRows)) + " models)");
  draw_map_controls(s);

  if (c.running) {
    float w = ImGui::GetContentRegionAvail().x - 90;
    std::string label = (c.job_kind == "elbow" ? "Elbow: " : "Clustering: ") + c.stage;
    ImGui::ProgressBar(c.progress, ImVec2(w, 0), label.c_str());
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(-1, 0))) emit(s, Intent::cancel_job);
  } else if (!c.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.85f, 0.25f, 0.25f, 1));
    ImGui::TextWrapped("%s", c.error.c_str());
    ImGui::PopStyleColor();
  } else if (c.has_result) {
    const MapLayoutState& lay = c.layout;
    std::string line = std::string(algo_label(c.params.algo)) + " on " + c.params.features + ": " +
                       std::to_string(c.clusters.size()) + (c.clusters.size() == 1 ? " cluster" : " clusters");
    if (c.noise) line += " + " + thousands(static_cast<int64_t>(c.noise)) + " noise";
    line += "  ·  silhouette " + fmt("%.3f", c.silhouette) + "  ·  " + fmt("%.2f s", c.wall_seconds);
    if (lay.shown == "umap")
      line += "  ·  map: UMAP" + (lay.features != c.params.features ? " of " + lay.features : std::string()) +
              fmt(lay.approximate ? " (NN-descent, %.2f s)" : " (%.2f s)", lay.wall_seconds);
    else if (lay.shown == "pca") line += "  ·  map: PCA";
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", line.c_str());  // wrapped, never cut, on narrow screens
    ImGui::PopStyleColor();
    if (!c.note.empty()) ImGui::TextWrapped("%s", c.note.c_str());
    tooltip(fmt("%.2f s from Run to the result, ", c.wall_seconds) + fmt("%.2f s of it computing", c.seconds) +
            " (the rest drew the page between the clustering's slices)");
  } else if (!c.held.empty()) {
    ImGui::TextWrapped("%s", c.held.c_str());
  } else {
    ImGui::AlignTextToFramePadding();
    muted("Choose an algorithm and press Run.");
  }
}

// ---- the map ----------------------------------------------------------------------------------

struct MapFrame {
  ImVec2 origin;  // screen position of the view centre
  double scale;   // pixels per map unit
};

bool overlaps(const ImRect& a, const ImRect& b) { return a.Overlaps(b); }

// The Lasso button's width.
float lasso_button_w() { return ImGui::CalcTextSize("Lasso").x + 2 * ImGui::GetStyle().FramePadding.x; }

// The legend's toggle: as the person set it, else open on wide screens and closed on narrow ones.
bool legend_user_set = false, legend_user_open = true;

// Where the legend goes: the first free corner of the map (top left, bottom left, top right) that
// keeps it off the query's point and label (`avoid`). The cluster names on the map keep off it.
struct LegendBox {
  bool open = false;
  float w = 0, h = 0, lh = 0, bh = 0, tw = 0;
  const char* toggle = "";
  ImVec2 a, b;
};

LegendBox legend_box(const AppState& s, ImVec2 p0, ImVec2 p1, const ImRect& avoid) {
  LegendBox L;
  L.open = legend_user_set ? legend_user_open : !narrow_layout(ImGui::GetIO().DisplaySize.x);
  const ClusterState& c = s.clusters;
  const float canvas_w = p1.x - p0.x;
  L.lh = ImGui::GetTextLineHeight() + 2;
  L.bh = ImGui::GetFrameHeight();
  const size_t shown = std::min<size_t>(c.clusters.size(), 10);
  const int lines = static_cast<int>(shown) + (c.clusters.size() > shown) + (c.noise > 0) + (c.query_row >= 0);
  L.toggle = L.open ? "▾ Legend###legend" : "▸ Legend###legend";
  L.tw = ImGui::CalcTextSize(L.toggle, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
  L.w = L.open ? std::min(kLegendWidth, std::max(150.0f, canvas_w * 0.5f)) : L.tw + 12;
  L.h = L.open ? L.bh + 6 + lines * L.lh + 12 : L.bh + 12;
  const ImVec2 corners[] = {ImVec2(p0.x + 10, p0.y + 10), ImVec2(p0.x + 10, p1.y - L.h - 10),
                            ImVec2(p1.x - L.w - 10, p0.y + 10)};
  L.a = corners[0];
  for (const ImVec2& corner : corners)
    if (!overlaps(ImRect(corner, ImVec2(corner.x + L.w, corner.y + L.h)), avoid)) {
      L.a = corner;
      break;
    }
  L.b = ImVec2(L.a.x + L.w, L.a.y + L.h);
  return L;
}

// The legend: a small toggle over the clusters' colours, names and sizes, in its box.
void draw_legend(AppState& s, ImDrawList* dl, const LegendBox& L) {
  const ClusterState& c = s.clusters;
  const bool dark = s.dark;
  const bool open = L.open;
  const float w = L.w, lh = L.lh, bh = L.bh, tw = L.tw;
  const char* toggle = L.toggle;
  const size_t shown = std::min<size_t>(c.clusters.size(), 10);
  const ImVec2 a = L.a, b = L.b;
  // Under the pointer the entries fade, so the points below them can be seen and picked.
  const ImVec2 ea(a.x, a.y + bh + 6);
  const bool peek = open && ImGui::IsMouseHoveringRect(ea, b, false) && ImGui::IsWindowHovered();
  const float alpha = peek ? 0.12f : 1.0f;
  ImGui::PushStyleVar(ImGuiStyleVar_Alpha, alpha);
  dl->AddRectFilled(a, b, ImGui::GetColorU32(dark ? IM_COL32(22, 24, 29, 215) : IM_COL32(255, 255, 255, 225)), 6);
  dl->AddRect(a, b, ImGui::GetColorU32(ImGuiCol_Border), 6);
  ImGui::PopStyleVar();
  {  // reported to widgets() as "##legendbox" (no keyboard stop, no layout)
    ImGui::PushItemFlag(ImGuiItemFlags_NoNav, true);
    ImGui::ItemAdd(ImRect(a, b), ImGui::GetID("##legendbox"));
    ui::name_item("##legendbox");
    ImGui::PopItemFlag();
  }
  ImGui::SetCursorScreenPos(ImVec2(a.x + 6, a.y + 6));
  if (ImGui::Button(toggle, ImVec2(tw, 0))) {
    legend_user_set = true;
    legend_user_open = !open;
  }
  tooltip(open ? "Hide the legend" : "Show the legend");
  if (!open) return;
  ImGui::PushStyleVar(ImGuiStyleVar_Alpha, alpha);
  float y = ea.y;
  ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  auto entry = [&](ImU32 col, const std::string& name, const std::string& count, bool ring) {
    ImVec2 dot(a.x + 14, y + lh / 2 - 1);
    if (ring) dl->AddCircle(dot, 5, col, 12, 2);
    else dl->AddCircleFilled(dot, 5, col, 12);
    float cw = ImGui::CalcTextSize(count.c_str()).x;
    dl->AddText(ImVec2(a.x + 26, y), text, ellipsize(name, w - 40 - cw).c_str());
    dl->AddText(ImVec2(b.x - 8 - cw, y), faint, count.c_str());
    y += lh;
  };
  for (size_t i = 0; i < shown; ++i) {
    const auto& r = c.clusters[i];
    bool dim = c.focus != -2 && c.focus != r.label;
    entry(cluster_colour(r.label, dark, (dim ? 0.3f : 1.0f) * alpha), r.name, thousands(r.size), false);
  }
  if (c.clusters.size() > shown) {
    dl->AddText(ImVec2(a.x + 26, y), faint,
                ("+ " + std::to_string(c.clusters.size() - shown) + " more clusters").c_str());
    y += lh;
  }
  if (c.noise) entry(cluster_colour(-1, dark, alpha), "noise", thousands(static_cast<int64_t>(c.noise)), false);
  if (c.query_row >= 0) entry(ImGui::GetColorU32(palette().accent), "query  ·  ringed: its recommendations", "", true);
  ImGui::PopStyleVar();
}

void draw_map(AppState& s, ImVec2 size) {
  ClusterState& c = s.clusters;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::BeginChild("##mapview", size, true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleVar();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 sz = ImGui::GetContentRegionAvail();
  const ImVec2 p1(p0.x + sz.x, p0.y + sz.y);
  ImGuiIO& io = ImGui::GetIO();
  const bool dark = s.dark;
  dl->AddRectFilled(p0, p1, dark ? IM_COL32(20, 22, 27, 255) : IM_COL32(252, 252, 253, 255));

  if (!c.has_result) {
    const char* t = c.running         ? "Clustering the catalogue…"
                    : !c.held.empty() ? "Press Run to start this clustering"
                                      : "Run a clustering to see the map";
    ImVec2 ts = ImGui::CalcTextSize(t);
    dl->AddText(ImVec2(p0.x + (sz.x - ts.x) / 2, p0.y + (sz.y - ts.y) / 2), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                t);
    s.map_scale = 0;
    ImGui::Dummy(sz);
    ImGui::EndChild();
    return;
  }

  ImGui::InvisibleButton("##map", sz, ImGuiButtonFlags_MouseButtonLeft);
  ui::name_item("##map");
  input::hover_item(input::HoverKind::drag);  // a finger drags (pans) the map rather than scrolling
  ImGui::SetItemAllowOverlap();
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  MapView& v = s.map;
  // The fitted map sits right of the legend (top left) when the canvas is wide enough.
  const float legend_w = sz.x > 2 * kLegendWidth + 250 ? kLegendWidth + 10 : 0;
  const float fit = std::min(sz.x - legend_w, sz.y) * 0.9f;
  double scale = fit * v.zoom;
  MapFrame f{ImVec2(p0.x + legend_w + (sz.x - legend_w) / 2, p0.y + sz.y / 2), scale};

  // Pan by dragging (with Lasso on or Shift held, a drag draws the lasso instead), zoom with the
  // wheel about the cursor.
  bool moved = false;
  const bool lassoing = s.map_lasso || io.KeyShift || !s.lasso_px.empty();
  if (active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3)) {
    s.map_dragging = true;
    if (lassoing) {
      if (s.lasso_px.empty()) s.lasso_px = {io.MouseClickedPos[0].x, io.MouseClickedPos[0].y};
      const float lx = s.lasso_px[s.lasso_px.size() - 2], ly = s.lasso_px.back();
      if (std::abs(io.MousePos.x - lx) + std::abs(io.MousePos.y - ly) >= 3) {
        s.lasso_px.push_back(io.MousePos.x);
        s.lasso_px.push_back(io.MousePos.y);
      }
    } else {
      v.cx -= io.MouseDelta.x / scale;
      v.cy += io.MouseDelta.y / scale;
    }
  }
  if (hovered && io.MouseWheel != 0) {
    double mu = v.cx + (io.MousePos.x - f.origin.x) / scale, mv = v.cy - (io.MousePos.y - f.origin.y) / scale;
    v.zoom = std::clamp(v.zoom * std::pow(1.25, io.MouseWheel), 0.5, 5000.0);
    double ns = fit * v.zoom;
    v.cx = mu - (io.MousePos.x - f.origin.x) / ns;
    v.cy = mv + (io.MousePos.y - f.origin.y) / ns;
    moved = true;
  }
  // A pinch zooms about its centre and a two-finger drag pans (input.h), over the map only.
  input::Gesture& gesture = input::gesture();
  if (gesture.pending && gesture.x >= p0.x && gesture.x < p1.x && gesture.y >= p0.y && gesture.y < p1.y) {
    gesture.pending = false;
    const double mu = v.cx + (gesture.x - gesture.dx - f.origin.x) / scale;
    const double mv = v.cy - (gesture.y - gesture.dy - f.origin.y) / scale;
    v.zoom = std::clamp(v.zoom * gesture.scale, 0.5, 5000.0);
    const double ns = fit * v.zoom;
    v.cx = mu - (gesture.x - f.origin.x) / ns;
    v.cy = mv + (gesture.y - f.origin.y) / ns;
    moved = true;
  }
  v.cx = std::clamp(v.cx, -10.0, 11.0);
  v.cy = std::clamp(v.cy, -10.0, 11.0);
  scale = fit * v.zoom;
  f.scale = scale;
  bool click = ImGui::IsItemDeactivated() && !s.map_dragging;
  if (ImGui::IsItemDeactivated() && s.map_dragging) {
    s.map_dragging = false;
    if (s.lasso_px.size() >= 6) {  // a closed lasso, in map units: the controller selects inside it
      const MapTransform lt{f.origin.x, f.origin.y, v.cx, v.cy, scale};
      s.lasso = MapPolygon{};
      for (size_t i = 0; i + 1 < s.lasso_px.size(); i += 2) {
        s.lasso.x.push_back(lt.map_x(s.lasso_px[i]));
        s.lasso.y.push_back(lt.map_y(s.lasso_px[i + 1]));
      }
      emit(s, Intent::lasso);
    } else if (s.lasso_px.empty()) {
      moved = true;
    }
    s.lasso_px.clear();
  }
  s.map_origin_x = f.origin.x;
  s.map_origin_y = f.origin.y;
  s.map_scale = static_cast<float>(scale);
  s.map_clip[0] = p0.x;
  s.map_clip[1] = p0.y;
  s.map_clip[2] = p1.x;
  s.map_clip[3] = p1.y;

  dl->PushClipRect(p0, p1, true);
  // The visible cells (one cell of margin), how many points they hold, and the share of each cell
  // that level of detail draws (core/map_grid.h).
  const MapGrid& grid = c.map_grid;
  const MapTransform t{f.origin.x, f.origin.y, v.cx, v.cy, scale};
  auto screen = [&](uint32_t row) {
    const ScreenPoint p = t.to_screen(grid.points.x[row], grid.points.y[row]);
    return ImVec2(p.x, p.y);
  };
  const MapRect view{v.cx - sz.x / 2 / scale, v.cy - sz.y / 2 / scale, v.cx + sz.x / 2 / scale,
                     v.cy + sz.y / 2 / scale};
  const CellRange cells = cells_overlapping(grid, view, 1);
  const size_t visible = points_in(grid, cells);
  const double keep = lod_fraction(visible, c.running ? kBusyBudget : kPointBudget);
  const float base_r = 2.4f * std::clamp(static_cast<float>(std::pow(v.zoom, 0.3)), 1.0f, 3.0f);
  const bool circles = visible * keep <= kCircleBudget;
  // Density beneath the points: translucent blocks of grid cells, shaded by their share of the
  // fullest visible block (core/map_labels.h counts them from the grid's cells, not the points).
  s.map_density_blocks = 0;
  if (map_density_on(s)) {
    const DensityBlocks d = density_blocks(grid, cells, density_factor(grid, scale, kDensityBlockPx));
    const ImU32 rgb = dark ? IM_COL32(150, 170, 255, 0) : IM_COL32(40, 60, 150, 0);
    for (int by = 0; by < d.rows; ++by)
      for (int bx = 0; bx < d.cols; ++bx) {
        const uint32_t n = d.counts[static_cast<size_t>(by) * d.cols + bx];
        if (n == 0) continue;
        const MapRect r = d.rect(grid, d.bx0 + bx, d.by0 + by);
        const ScreenPoint a = t.to_screen(static_cast<float>(r.x0), static_cast<float>(r.y1));
        const ScreenPoint b = t.to_screen(static_cast<float>(r.x1), static_cast<float>(r.y0));
        if (b.x < p0.x || a.x > p1.x || b.y < p0.y || a.y > p1.y) continue;
        const float share = std::sqrt(static_cast<float>(n) / static_cast<float>(d.max_count));
        const int alpha = static_cast<int>(255 * (0.03f + (dark ? 0.30f : 0.24f) * share));
        dl->AddRectFilled(ImVec2(a.x, a.y), ImVec2(b.x, b.y), rgb | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT));
        ++s.map_density_blocks;
      }
  }
  // Tiny points need no anti-aliased fringe: a third of the vertices.
  const ImDrawListFlags saved_flags = dl->Flags;
  dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
  const int focus_label = c.focus == -1 ? -1 : c.focus;  // kNoise is -1 too
  size_t drawn = 0;
  // With a focused cluster, the rest first (faint), then the cluster over it.
  for (int pass = 0; pass < (c.focus == -2 ? 1 : 2); ++pass) {
    for_each_sampled(grid, cells, keep, [&](uint32_t row) {
      const int label = c.labels[row];
      const bool in_focus = c.focus == -2 || label == focus_label;
      if (c.focus != -2 && in_focus != (pass == 1)) return;
      const ImVec2 p = screen(row);
      const float r = s.size_by_downloads ? base_r * 0.75f * c.size[row] : base_r;
      if (p.x < p0.x - r || p.x > p1.x + r || p.y < p0.y - r || p.y > p1.y + r) return;
      const ImU32 col = cluster_colour(label, dark, in_focus ? 0.85f : 0.12f);
      if (circles) dl->AddCircleFilled(p, r, col, r < 3 ? 6 : 8);
      else dl->AddRectFilled(ImVec2(p.x - r, p.y - r), ImVec2(p.x + r, p.y + r), col);
      ++drawn;
    });
  }

  dl->Flags = saved_flags;
  // The query's recommendations ringed and tied to the query by faint lines, the query on top.
  const ImU32 ring = dark ? IM_COL32(255, 255, 255, 230) : IM_COL32(20, 22, 27, 230);
  if (c.query_row >= 0 && static_cast<size_t>(c.query_row) < grid.size()) {
    const ImVec2 q = screen(static_cast<uint32_t>(c.query_row));
    const ImU32 tie = dark ? IM_COL32(255, 255, 255, 90) : IM_COL32(20, 22, 27, 80);
    for (uint32_t row : c.rec_rows)
      if (row < grid.size()) dl->AddLine(q, screen(row), tie, 1.2f);
  }
  for (uint32_t row : c.rec_rows) {
    if (row >= grid.size()) continue;
    const ImVec2 p = screen(row);
    dl->AddCircleFilled(p, base_r + 2, cluster_colour(c.labels[row], dark), 12);
    dl->AddCircle(p, base_r + 3.5f, ring, 16, 1.8f);
  }
  ImRect query_rect(ImVec2(-1e9f, -1e9f), ImVec2(-1e9f, -1e9f));  // the query's point and label
  if (c.query_row >= 0 && static_cast<size_t>(c.query_row) < grid.size()) {
    const ImVec2 p = screen(static_cast<uint32_t>(c.query_row));
    dl->AddCircleFilled(p, base_r + 5, palette().accent, 20);
    dl->AddCircle(p, base_r + 7, ring, 20, 2.5f);
    query_rect = ImRect(ImVec2(p.x - base_r - 8, p.y - base_r - 8), ImVec2(p.x + base_r + 8, p.y + base_r + 8));
    if (c.point_info) {
      std::string id = c.point_info(static_cast<uint32_t>(c.query_row)).model_id;
      ImVec2 ts = ImGui::CalcTextSize(id.c_str());
      ImVec2 a(p.x + base_r + 10, p.y - ts.y / 2 - 3);
      if (a.x + ts.x + 10 > p1.x && p.x - base_r - 20 - ts.x >= p0.x) a.x = p.x - base_r - 20 - ts.x;  // left of it
      query_rect.Add(ImRect(a, ImVec2(a.x + ts.x + 10, a.y + ts.y + 6)));
      dl->AddRectFilled(a, ImVec2(a.x + ts.x + 10, a.y + ts.y + 6),
                        dark ? IM_COL32(22, 24, 29, 220) : IM_COL32(255, 255, 255, 230), 4);
      dl->AddText(ImVec2(a.x + 5, a.y + 3), ImGui::GetColorU32(ImGuiCol_Text), id.c_str());
    }
  }

  // The cluster names at their centres, largest clusters first, none overlapping another, the
  // legend, the query's label or the map's buttons: the rest hidden (core/map_labels.h). Only the
  // focused cluster's name when one is focused. k labels a frame, whatever the points.
  const LegendBox legend = legend_box(s, p0, p1, query_rect);
  s.map_labels.clear();
  s.map_labels_hidden = 0;
  {
    // Clusters come largest first: the first kLabelBudget whose centre is on screen are tried (a
    // DBSCAN run may have thousands of clusters; a frame measures and places only these).
    std::vector<LabelCandidate> want;
    std::vector<std::string> texts(c.clusters.size());
    size_t named = 0;  // clusters that could have a name on the map
    for (size_t i = 0; i < c.clusters.size() && i < c.centres.size(); ++i) {
      if (c.centres[i].count == 0 || (c.focus != -2 && c.focus != static_cast<int>(i))) continue;
      ++named;
      const ScreenPoint at = t.to_screen(c.centres[i].x, c.centres[i].y);
      if (want.size() >= kLabelBudget || at.x < p0.x || at.x > p1.x || at.y < p0.y || at.y > p1.y) continue;
      texts[i] = ellipsize(c.clusters[i].name, kLabelMaxWidth);
      const ImVec2 ts = ImGui::CalcTextSize(texts[i].c_str());
      want.push_back({static_cast<int>(i), at, ts.x + 12, ts.y + 4, static_cast<double>(c.clusters[i].size)});
    }
    const float zb = std::max(30.0f, ImGui::GetFrameHeight());
    const std::vector<ScreenRect> keep_off{
        {legend.a.x, legend.a.y, legend.b.x, legend.b.y},
        {query_rect.Min.x, query_rect.Min.y, query_rect.Max.x, query_rect.Max.y},
        {p1.x - 3 * zb - 38 - lasso_button_w() - 4, p1.y - ImGui::GetFrameHeight() - 10, p1.x,
         p1.y}};  // the lasso and zoom buttons
    const std::vector<PlacedLabel> placed =
        place_labels(want, ScreenRect{p0.x + 2, p0.y + 2, p1.x - 2, p1.y - 2}, keep_off);
    s.map_labels_hidden = named - placed.size();
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 bg = dark ? IM_COL32(22, 24, 29, 200) : IM_COL32(255, 255, 255, 210);
    for (const PlacedLabel& l : placed) {
      const ImVec2 a(l.box.x0, l.box.y0), b(l.box.x1, l.box.y1);
      dl->AddRectFilled(a, b, bg, 4);
      dl->AddRect(a, b, cluster_colour(l.id, dark), 4, 0, 1.5f);
      dl->AddText(ImVec2(a.x + 6, a.y + 2), text, texts[l.id].c_str());
      s.map_labels.push_back(
          {l.id, c.clusters[l.id].name, l.box.x0, l.box.y0, l.box.x1 - l.box.x0, l.box.y1 - l.box.y0});
    }
  }

  // The lasso: the one being drawn, and the last one closed while it selects rows.
  {
    const ImU32 col = palette().accent;
    std::vector<ImVec2> path;
    if (!s.lasso_px.empty()) {
      for (size_t i = 0; i + 1 < s.lasso_px.size(); i += 2) path.emplace_back(s.lasso_px[i], s.lasso_px[i + 1]);
      path.push_back(io.MousePos);
    } else if (!c.selection.empty()) {
      for (size_t i = 0; i < s.lasso.x.size() && i < s.lasso.y.size(); ++i) {
        const ScreenPoint p = t.to_screen(static_cast<float>(s.lasso.x[i]), static_cast<float>(s.lasso.y[i]));
        path.emplace_back(p.x, p.y);
      }
    }
    if (path.size() >= 2) dl->AddPolyline(path.data(), static_cast<int>(path.size()), col, ImDrawFlags_Closed, 2);
  }

  // Hover: the nearest point within a few pixels (of the focused cluster, when one is).
  int hover = -1;
  if (hovered && !s.map_dragging && c.point_info) {
    const float pick = std::max(7.0f, base_r + 3);
    hover = static_cast<int>(nearest_point(grid, t, ScreenPoint{io.MousePos.x, io.MousePos.y}, pick, [&](uint32_t row) {
      return c.focus == -2 || c.labels[row] == focus_label;
    }));
  }
  if (hover >= 0) {
    const ImVec2 p = screen(static_cast<uint32_t>(hover));
    dl->AddCircle(p, base_r + 4, ring, 16, 2);
    PointInfo info = c.point_info(static_cast<uint32_t>(hover));
    ImGui::BeginTooltip();
    ImGui::PushFont(fonts().bold);
    ImGui::TextUnformatted(shown_id(info.model_id).c_str());
    ImGui::PopFont();
    ImGui::TextUnformatted(info.task.empty() ? "no task" : info.task.c_str());
    std::string cl =
        info.label < 0
            ? std::string("noise")
            : "cluster " + std::to_string(info.label + 1) +
                  (info.label < static_cast<int>(c.clusters.size()) ? ": " + c.clusters[info.label].name : "");
    ImGui::TextUnformatted(cl.c_str());
    muted(thousands(info.downloads) + " downloads  ·  click to make it the query");
    ImGui::EndTooltip();
    if (click) emit(s, Intent::select, info.model_id);
  }
  dl->PopClipRect();
  draw_legend(s, dl, legend);

  // The Lasso toggle, zoom buttons and the LOD note, bottom right.
  const float zb = std::max(30.0f, ImGui::GetFrameHeight());  // square tap targets on phones
  ImGui::SetCursorScreenPos(
      ImVec2(p1.x - 3 * zb - 28 - 10 - lasso_button_w() - 4, p1.y - ImGui::GetFrameHeight() - 10));
  const bool lasso_on = s.map_lasso;
  if (lasso_on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(palette().accent_soft));
  if (ImGui::Button("Lasso##lasso", ImVec2(lasso_button_w(), 0))) s.map_lasso = !s.map_lasso;
  if (lasso_on) ImGui::PopStyleColor();
  tooltip(s.map_lasso ? "Lasso on: drag on the map to circle models (they are listed under the map); click to pan again"
                      : "Drag on the map to circle models and list them under it (or drag with Shift held)");
  ImGui::SameLine(0, 4);
  if (ImGui::Button("+##zoomin", ImVec2(zb, 0))) {
    v.zoom = std::min(5000.0, v.zoom * 1.5);
    moved = true;
  }
  ImGui::SameLine(0, 4);
  if (ImGui::Button("-##zoomout", ImVec2(zb, 0))) {
    v.zoom = std::max(0.5, v.zoom / 1.5);
    moved = true;
  }
  ImGui::SameLine(0, 4);
  if (ImGui::Button("Fit##zoomfit", ImVec2(zb + 10, 0))) {
    v = MapView{};
    moved = true;
  }
  if (keep < 1) {
    std::string note = "showing " + thousands(static_cast<int64_t>(drawn)) + " of " +
                       thousands(static_cast<int64_t>(visible)) + " points; zoom in for all";
    ImVec2 ts = ImGui::CalcTextSize(note.c_str());
    dl->AddText(ImVec2(p1.x - ts.x - 10, p0.y + 8), ImGui::GetColorU32(ImGuiCol_TextDisabled), note.c_str());
  }
  if (moved) emit(s, Intent::map_moved);
  ImGui::EndChild();
}

}  // namespace

void draw_clusters_view(AppState& s) {
  const ImGuiIO& io = ImGui::GetIO();
  if (narrow_layout(io.DisplaySize.x)) {
    // The map first, across the whole width; the controls and panels under it; the page scrolls.
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = std::clamp(w, 240.0f, std::max(240.0f, io.DisplaySize.y * 0.55f));
    draw_map(s, ImVec2(w, h));
    draw_lasso_table(s, ImVec2(w, 220));
    ImGui::Spacing();
    draw_controls(s);
    ImGui::Spacing();
    draw_cluster_panels(s, io.DisplaySize.y * 0.5f);
    return;
  }
  draw_controls(s);
  ImGui::Spacing();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::clamp(avail.x * 0.34f, 280.0f, 420.0f);
  // The map, and under it the lasso's models when there are any.
  const float map_w = avail.x - side - ImGui::GetStyle().ItemSpacing.x;
  const float table_h = s.clusters.selection.empty() ? 0 : std::clamp(avail.y * 0.3f, 120.0f, 260.0f);
  ImGui::BeginGroup();
  draw_map(s, ImVec2(map_w, avail.y - (table_h > 0 ? table_h + ImGui::GetStyle().ItemSpacing.y : 0)));
  if (table_h > 0) draw_lasso_table(s, ImVec2(map_w, table_h));
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginChild("##cluster_side", ImVec2(side, avail.y), false);
  draw_cluster_panels(s, avail.y * 0.42f);
  ImGui::EndChild();
}

}  // namespace hfrec::app
