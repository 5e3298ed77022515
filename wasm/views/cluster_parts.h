// What the Clusters tab's files share: cluster_view.cpp (controls, the map, the tab's layout),
// map_controls.cpp (Map, of, the layout's progress), lasso_table.cpp (the lasso's models) and
// cluster_panels.cpp (the cluster list, Ward's dendrogram, the elbow, the quality metrics).
// Internal to wasm/views.
#pragma once
#include <string>
#include <string_view>

#include "app/app.h"
#include "imgui.h"

namespace hfrec::app {

// A cluster's colour (label -1: noise), the same on the map, in the legend and in the list.
ImU32 cluster_colour(int label, bool dark, float alpha = 1.0f);
// A number through printf's format f; "—" when it is not finite.
std::string fmt(const char* f, double v);
// The panels beside the map (below it in the narrow layout): the cluster list, the dendrogram,
// the elbow and the quality metrics. `list_room` bounds the cluster list's height.
void draw_cluster_panels(AppState& s, float list_room);
// The map's controls: Map, of, and the layout's progress, held or cancelled note (map_controls.cpp).
void draw_map_controls(AppState& s);
// The lasso's models in a table of this size (nothing without a selection; lasso_table.cpp).
void draw_lasso_table(AppState& s, ImVec2 size);

// Controls in a row: puts the next group of width w on the same line when it fits, else on the next.
void flow(float w, float gap = 14);
// A label's width with the item spacing after it.
float label_w(const char* t);
// What a clustering's feature space compares, in plain words (attributes, soup, tfidf).
const char* features_help(std::string_view f);

}  // namespace hfrec::app
