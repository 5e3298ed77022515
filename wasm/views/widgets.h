// The label and rectangle of every visible ImGui item of the last frame, recorded through ImGui's
// test-engine hooks (test_engine_hooks.cpp), for window.hfrec.widgets().
#pragma once
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"

namespace hfrec::app {

// Starts recording a frame (call right after ImGui::NewFrame()).
void widgets_begin_frame();
// Publishes the frame's items (call after ImGui::Render()).
void widgets_end_frame();
// JSON array [{label, focused, name, id, window, x, y, w, h}] (label: the visible text; focused:
// the keyboard focus is on it; name: the whole ImGui label with its ##id) of the last finished frame, in ImGui
// coordinates (CSS pixels from the canvas' top-left corner).
std::string widgets_json();

// An item of the last finished frame that the keyboard can reach (enabled, in a shown window;
// scrolled out of view included), for Tab and Shift+Tab (keyboard_nav.h).
struct WidgetItem {
  ImGuiID id;
  ImGuiWindow* window;
  ImRect rect;  // unclipped, screen coordinates
  ImGuiItemFlags flags;
  std::string name;
  const ImGuiWindow* list;  // the list it is a row of, or null
};
// In submission order, which is reading order.
const std::vector<WidgetItem>& widgets_focusable();
// The items the current window submits from here on are rows of a list (search hits, the ranked
// table, the cluster list): Tab passes the list as one stop, the arrow keys move within it.
void widgets_mark_list();

// Records a number the views drew this frame (a score or a download count), for
// window.hfrec.cells(): the text, the width it took and the width it had up to the cell's (or the
// clip rectangle's) right edge, so tests can check that no number is cut.
void widgets_record_cell(const char* column, const std::string& model_id, const std::string& text, ImVec2 pos,
                         float text_w, float avail_w);
// JSON array [{column, modelId, text, x, y, textW, availW, fontSize}] of the last finished frame.
std::string cells_json();

}  // namespace hfrec::app
