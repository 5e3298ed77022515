// The cluster map's side of the app logic (map_controller.h): the lasso's selection, the rings on
// the query's recommendations, and what the map drew as JSON for the automation API.
#include "app/map_controller.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "app/json_text.h"
#include "core/catalogue.h"
#include "core/export.h"
#include "core/index.h"
#include "core/map_grid.h"
#include "core/map_lasso.h"
#include "core/selection.h"
#include "core/share_link.h"
#include "core/text.h"

namespace hfrec::app {

using nlohmann::json;

namespace {

constexpr const char* kSelectionFile = "hfrec-lasso.csv";  // the lasso's CSV download

}  // namespace

MapController::MapController(AppState& state) : s_(state) {}

void MapController::reset(const Index* index) {
  index_ = index;
  s_.clusters.selection.clear();
}

void MapController::map_changed() {
  s_.clusters.selection.clear();
  s_.lasso = MapPolygon{};
  try_pending();
}

void MapController::select() {
  ClusterState& c = s_.clusters;
  c.selection.clear();
  if (!index_ || !c.has_result) return;
  c.selection = points_in_polygon(c.map_grid, s_.lasso);
  sort_selection(s_.selection_sort);
}

std::vector<std::string> MapController::cluster_names() const {
  std::vector<std::string> names;
  for (const ClusterRow& r : s_.clusters.clusters) names.push_back(r.name);
  return names;
}

void MapController::sort_selection(SelectionSort sort) {
  s_.selection_sort = sort;
  ClusterState& c = s_.clusters;
  if (!index_ || c.selection.empty()) return;
  ::hfrec::sort_selection(c.selection, index_->catalogue(), c.labels, cluster_names(), sort);
}

std::string MapController::selection_csv() const {
  const ClusterState& c = s_.clusters;
  if (!index_ || c.selection.empty()) return dump(json{{"ok", false}, {"error", "no model is in the lasso"}});
  const Catalogue& cat = index_->catalogue();
  const std::vector<std::string> names = cluster_names();
  std::vector<ExportSelectionRow> rows;
  rows.reserve(c.selection.size());
  for (uint32_t r : c.selection) {
    const int label = r < c.labels.size() ? c.labels[r] : -1;
    rows.push_back({std::string(cat.id(r)), cat.downloads[r], std::string(cat.value(cat.pipeline_tag[r])),
                    std::string(cat.value(cat.library_name[r])), std::string(cat.value(cat.model_type[r])), label,
                    std::string(selection_cluster_name(label, names))});
  }
  return dump(
      json{{"ok", true}, {"csv", export_selection_csv(rows)}, {"rows", rows.size()}, {"fileName", kSelectionFile}});
}

json MapController::selection_json() const {
  return json{
      {"count", s_.clusters.selection.size()},
      {"sort",
       {{"key", selection_column_name(s_.selection_sort.column)}, {"descending", s_.selection_sort.descending}}},
      {"pending", pending_.has_value()}};
}

void MapController::select_lasso(const MapPolygon& poly) {
  pending_.reset();
  s_.lasso = normalize_lasso(poly);
  select();
}

void MapController::try_pending() {
  const ClusterState& c = s_.clusters;
  if (!pending_ || !index_ || !c.has_result || c.running || c.layout.shown != s_.map_layout) return;
  s_.lasso = std::move(*pending_);
  pending_.reset();
  select();
}

void MapController::set_lasso(const MapPolygon& poly) {
  const MapPolygon kept = normalize_lasso(poly);
  const MapPolygon& now = lasso();
  if (kept.x == now.x && kept.y == now.y) return;
  if (kept.x.empty()) {
    pending_.reset();
    s_.lasso = MapPolygon{};
    s_.clusters.selection.clear();
    return;
  }
  pending_ = kept;
  try_pending();
}

const MapPolygon& MapController::lasso() const { return pending_ ? *pending_ : s_.lasso; }

void MapController::to_link(ShareLink& link) const {
  // A lasso drawn on the map shown meanwhile (the PCA map while the UMAP layout runs) belongs to
  // no map a link can name: the link's map is the requested one, where the same polygon would
  // select other rows. It is not written (and goes when the requested map arrives).
  if (!pending_ && s_.clusters.layout.shown != s_.map_layout) {
    link.lasso = MapPolygon{};
    return;
  }
  link.lasso = lasso();
}

void MapController::set_highlight(std::string_view query, const std::vector<std::string>& recommended) {
  ClusterState& c = s_.clusters;
  c.query_row = -1;
  c.rec_rows.clear();
  if (!index_) return;
  const Catalogue& cat = index_->catalogue();
  if (!query.empty()) {
    uint32_t r = cat.find(query);
    if (r != kMissing) c.query_row = static_cast<int>(r);
  }
  for (const auto& id : recommended) {
    uint32_t r = cat.find(id);
    if (r != kMissing) c.rec_rows.push_back(r);
  }
}

std::string MapController::points_json() const {
  const ClusterState& c = s_.clusters;
  if (!index_ || !c.has_result) return dump(json{{"ok", false}, {"error", "no clustering yet"}});
  const size_t n = index_->catalogue().size();
  if (c.map_xy.size() != 2 * n) return dump(json{{"ok", false}, {"error", "the map has no point per row"}});
  json pts = json::array();
  for (size_t r = 0; r < n; ++r)
    pts.push_back({shortest_decimal(c.map_xy[2 * r]), shortest_decimal(c.map_xy[2 * r + 1])});
  json o{{"ok", true}, {"method", c.layout.shown}, {"features", c.params.features}, {"seed", c.params.seed}};
  if (c.layout.shown == "umap") {
    o["features"] = c.layout.features;
    o["seed"] = c.layout.seed;
  }
  o["points"] = std::move(pts);
  return dump(o);
}

std::string MapController::overlay_json() const {
  const AppState& s = s_;
  const ClusterState& c = s.clusters;
  if (!index_ || !c.has_result) return dump(json{{"ok", false}, {"error", "no clustering yet"}});
  if (s.map_scale <= 0) return dump(json{{"ok", false}, {"error", "the map has not been drawn"}});
  const Catalogue& cat = index_->catalogue();
  json labels = json::array();
  for (const MapLabelShown& l : s.map_labels)
    labels.push_back({{"cluster", l.cluster}, {"name", l.name}, {"x", l.x}, {"y", l.y}, {"w", l.w}, {"h", l.h}});
  json rows = json::array(), ids = json::array();
  for (uint32_t r : c.rec_rows) {
    rows.push_back(r);
    ids.push_back(cat.id(r));
  }
  const bool density = s.map_density == 1 || (s.map_density == -1 && c.map_grid.size() > kDensityAutoRows);
  json o{{"ok", true},
         {"labels", std::move(labels)},
         {"hiddenLabels", s.map_labels_hidden},
         {"density", {{"on", density}, {"auto", s.map_density == -1}, {"blocks", s.map_density_blocks}}},
         {"queryRow", c.query_row},
         {"query", c.query_row >= 0 ? json(cat.id(static_cast<uint32_t>(c.query_row))) : json(nullptr)},
         {"highlighted", std::move(rows)},
         {"highlightedIds", std::move(ids)},
         {"selected", c.selection}};
  return dump(o);
}

std::string MapController::point_json(std::string_view model_id) const {
  const AppState& s = s_;
  const ClusterState& c = s.clusters;
  if (!index_ || !c.has_result) return dump(json{{"ok", false}, {"error", "no clustering yet"}});
  uint32_t row = index_->catalogue().find(model_id);
  if (row == kMissing || row >= c.map_grid.size())
    return dump(json{{"ok", false}, {"error", "model '" + std::string(model_id) + "' is not in the catalogue"}});
  if (s.map_scale <= 0) return dump(json{{"ok", false}, {"error", "the map has not been drawn"}});
  float x = s.map_origin_x + static_cast<float>((c.map_grid.points.x[row] - s.map.cx) * s.map_scale);
  float y = s.map_origin_y - static_cast<float>((c.map_grid.points.y[row] - s.map.cy) * s.map_scale);
  bool visible = x >= s.map_clip[0] && x <= s.map_clip[2] && y >= s.map_clip[1] && y <= s.map_clip[3];
  return dump(json{{"ok", true}, {"row", row}, {"x", x}, {"y", y}, {"visible", visible}, {"label", c.labels[row]}});
}

}  // namespace hfrec::app
