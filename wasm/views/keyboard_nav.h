// Keyboard navigation over every control: Tab and Shift+Tab walk all enabled items in reading
// order (a list — search hits, the ranked table, the cluster list — is one stop, entered at its
// first row, and the arrow keys move within it), Enter activates like Space, and the focused item
// shows ImGui's navigation highlight. ImGui 1.86's own Tab reaches only text fields and sliders.
#pragma once
#include "imgui.h"

namespace hfrec::app::nav {

// Moves the keyboard focus to the next (dir > 0) or previous item of the last frame. Call
// between frames.
void tab(int dir);
// Before ImGui::NewFrame: Enter activates the focused button, selectable or checkbox (ImGui 1.86
// maps Enter only to text input).
void enter_activates(ImGuiIO& io, bool enter_down);
// The item the keyboard focus is on (0: none), and whether a Tab has moved it since the mouse did.
ImGuiID focused();

}  // namespace hfrec::app::nav
