// Tab, Shift+Tab and Enter over every control (see keyboard_nav.h).
#include "views/keyboard_nav.h"

#include "imgui_internal.h"
#include "views/input.h"
#include "views/widgets.h"

namespace hfrec::app::nav {
namespace {

// Focuses an item of the last frame: a text field is activated for typing, anything else gets the
// navigation highlight and is scrolled into view.
void focus(const WidgetItem& it) {
  ImGuiContext& g = *GImGui;
  if (g.ActiveId && g.ActiveId != it.id) ImGui::ClearActiveID();
  ImGui::FocusWindow(it.window);
  ImGui::SetFocusID(it.id, it.window);
  it.window->NavRectRel[g.NavLayer] = ImGui::WindowRectAbsToRel(it.window, it.rect);
  g.NavDisableHighlight = false;
  g.NavDisableMouseHover = g.NavMousePosDirty = true;
  if (input::is_text_field(it.id)) {
    g.NavNextActivateId = it.id;
    g.NavNextActivateFlags = ImGuiActivateFlags_PreferInput;
  }
  ImGui::ScrollToBringRectIntoView(it.window, it.rect);  // and its parents
}

}  // namespace

ImGuiID focused() {
  ImGuiContext& g = *GImGui;
  if (g.ActiveId && input::is_text_field(g.ActiveId)) return g.ActiveId;
  return g.NavDisableHighlight ? 0 : g.NavId;
}

void tab(int dir) {
  const auto& items = widgets_focusable();
  if (items.empty()) return;
  const int n = static_cast<int>(items.size());
  const ImGuiID cur = focused();
  int i = -1;
  for (int j = 0; j < n && i < 0; ++j)
    if (items[j].id == cur) i = j;
  int next;
  if (i < 0) {
    next = dir > 0 ? 0 : n - 1;
  } else {
    // Out of a list in one step.
    next = i;
    const ImGuiWindow* from = items[i].list;
    do {
      next = (next + dir + n) % n;
    } while (from && items[next].list == from && next != i);
  }
  // Into a list at its first row.
  if (const ImGuiWindow* list = items[next].list)
    while (next > 0 && items[next - 1].list == list) --next;
  focus(items[next]);
}

void enter_activates(ImGuiIO& io, bool enter_down) {
  ImGuiContext& g = *GImGui;
  if (enter_down && g.ActiveId == 0 && g.NavId && !g.NavDisableHighlight && !input::is_text_field(g.NavId))
    io.NavInputs[ImGuiNavInput_Activate] = 1.0f;
}

}  // namespace hfrec::app::nav
