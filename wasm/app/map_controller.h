// The cluster map's side of the app logic: the lasso's selection (core/map_lasso.h) and the
// table under the map, the query and its recommendations ringed, and the automation API's
// questions about what the map drew (mapPoint, mapPoints, mapOverlay). The ClusterController
// publishes the map itself (AppState::clusters); this reads it. Pure C++, like controller.h.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"

namespace hfrec {
class Index;
struct ShareLink;
}  // namespace hfrec

namespace hfrec::app {

class MapController {
 public:
  explicit MapController(AppState& state);

  // A new catalogue (nullptr while it loads): the selection goes with the old one.
  void reset(const Index* index);
  // The ClusterController drew another map (a new clustering, or another layout): the lasso
  // drawn over the old points goes, and a lasso a link asked for is selected if this is its map.
  void map_changed();

  // A lasso drawn (Intent::lasso): kept as core's normalize_lasso keeps it (so its link selects
  // the same rows), and the rows inside it selected (ClusterState::selection, most downloaded
  // first); an empty polygon clears the selection.
  void select_lasso(const MapPolygon& poly);
  // A lasso a link (or back/forward) asks for, through the view's one writer: selected now when
  // the map it was drawn on is shown (a clustering result, no clustering running, the layout
  // asked for drawn), else kept until map_changed() brings that map. Empty: no lasso.
  void set_lasso(const MapPolygon& poly);
  // The lasso the view holds: the one waiting for its map, else the one drawn.
  const MapPolygon& lasso() const;
  // The map view's part of the share link (the lasso).
  void to_link(ShareLink& link) const;
  // Orders the lasso's table (AppState::selection_sort) by core's sort_selection.
  void sort_selection(SelectionSort sort);
  // {ok, csv, rows, fileName}: the lasso's models in the table's order as core's
  // export_selection_csv writes them; {ok: false, error} when nothing is selected.
  std::string selection_csv() const;
  // state().selection: {count, sort: {key, descending}, pending}: pending is true while a link's
  // lasso waits for its map.
  nlohmann::json selection_json() const;
  // The query and its recommendations, highlighted on the map.
  void set_highlight(std::string_view query, const std::vector<std::string>& recommended);

  // {ok, method, features, seed, points: [[x, y], ...]}: the drawn map's own coordinates in catalogue
  // order, each float as its shortest decimal (as hfrec layout prints them).
  std::string points_json() const;
  // {ok, labels: [{cluster, name, x, y, w, h}], hiddenLabels, density: {on, auto, blocks}, queryRow,
  // query, highlighted: [rows], highlightedIds, selected: [rows]}: what the map drew over its points in the last
  // frame (label boxes in canvas pixels) and the rows ringed as the query's recommendations.
  std::string overlay_json() const;
  // {ok, x, y, visible, row}: where a model's point was drawn in the last frame (canvas CSS px).
  std::string point_json(std::string_view model_id) const;

 private:
  AppState& s_;
  const Index* index_ = nullptr;
  std::optional<MapPolygon> pending_;  // a link's lasso waiting for its map

  // Selects inside s_.lasso, in the table's order.
  void select();
  // The clusters' names by label (the table's Cluster column).
  std::vector<std::string> cluster_names() const;
  // Selects the pending lasso if its map is shown.
  void try_pending();
};

}  // namespace hfrec::app
