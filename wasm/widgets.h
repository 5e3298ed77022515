// The label and rectangle of every visible ImGui item of the last frame, recorded through ImGui's
// test-engine hooks (test_engine_hooks.cpp), for window.hfrec.widgets().
#pragma once
#include <string>

namespace hfrec::app {

// Starts recording a frame (call right after ImGui::NewFrame()).
void widgets_begin_frame();
// Publishes the frame's items (call after ImGui::Render()).
void widgets_end_frame();
// JSON array [{label, name, id, window, x, y, w, h}] (label: the visible text; name: the whole
// ImGui label with its ##id) of the last finished frame, in ImGui coordinates
// (CSS pixels from the canvas' top-left corner).
std::string widgets_json();

}  // namespace hfrec::app
