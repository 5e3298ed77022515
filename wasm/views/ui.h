// Small drawing helpers shared by the app's views (app.cpp, cluster_view.cpp).
#pragma once
#include <string>

#include "app/app.h"
#include "views/fonts.h"
#include "imgui.h"
#include "imgui_internal.h"

namespace hfrec::app::ui {

inline void emit(AppState& s, Intent::Kind k, std::string text = {}, int value = 0, bool flag = false,
                 double number = 0) {
  s.intents.push_back(Intent{k, std::move(text), value, flag, number});
}

// 1234567 -> "1,234,567".
inline std::string thousands(int64_t n) {
  std::string d = std::to_string(n < 0 ? -n : n), o;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) o += ',';
    o += d[i];
  }
  return n < 0 ? "-" + o : o;
}

inline void muted(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
}

inline void heading(const char* text) {
  ImGui::PushFont(fonts().bold);
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
}

// A tooltip with wrapped text for the last item.
inline void tooltip(const std::string& text) {
  if (text.empty() || !ImGui::IsItemHovered()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// Reports the last item to widgets() under this label: items without their own test-engine
// label (InvisibleButton, tab items, table headers) call it so tests can find them.
inline void name_item(const char* label) {
  ImGuiContext& g = *GImGui;
  IMGUI_TEST_ENGINE_ITEM_INFO(g.LastItemData.ID, label, g.LastItemData.StatusFlags);
}

} // namespace hfrec::app::ui
