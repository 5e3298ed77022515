// What the Clusters tab's two files share: cluster_view.cpp (controls, the map, the tab's layout)
// and cluster_panels.cpp (the cluster list, Ward's dendrogram, the elbow, the quality metrics).
// Internal to wasm/views.
#pragma once
#include <string>

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

}  // namespace hfrec::app
