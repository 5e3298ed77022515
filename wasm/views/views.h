// The app's views: ImGui drawing that reads AppState and emits Intents, nothing else.
#pragma once
#include "app/app.h"

namespace hfrec::app {

// Draws one frame of the app into the current ImGui context.
void draw_frame(AppState& s);
// The Clusters tab (cluster_view.cpp).
void draw_clusters_view(AppState& s);

}  // namespace hfrec::app
