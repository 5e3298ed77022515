// The app's views: ImGui drawing that reads AppState and emits Intents, nothing else.
#pragma once
#include "app/app.h"

namespace hfrec::app {

// Below this width (CSS px: phones, tablets in portrait, 150-200 % zoom) the app draws its narrow
// layout: search on top, method and filters in a drawer, results as cards, 44 px tap targets.
constexpr float kNarrowWidth = 900.0f;
inline bool narrow_layout(float css_width) { return css_width < kNarrowWidth; }

// Draws one frame of the app into the current ImGui context.
void draw_frame(AppState& s);
// The Recommendations tab (results_view.cpp).
void draw_results_view(AppState& s, bool narrow);
// The Clusters tab (cluster_view.cpp).
void draw_clusters_view(AppState& s);

}  // namespace hfrec::app
