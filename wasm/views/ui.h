// Small drawing helpers shared by the app's views (app.cpp, cluster_view.cpp).
#pragma once
#include <algorithm>
#include <string>

#include "app/app.h"
#include "core/text.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "views/fonts.h"
#include "views/widgets.h"

namespace hfrec::app::ui {

// The smallest tap target in the narrow layout, CSS px (Apple's and WCAG's 44).
constexpr float kTapSize = 44.0f;

inline void emit(AppState& s, Intent::Kind k, std::string text = {}, int value = 0, bool flag = false,
                 double number = 0) {
  s.intents.push_back(Intent{k, std::move(text), value, flag, number});
}

using ::hfrec::thousands;  // core/text.h: 1234567 -> "1,234,567"

// The longest prefix of `t` that fits `width` with "…" after it (text only: numbers are never
// shortened, their columns are made wide enough instead).
inline std::string ellipsize(const std::string& t, float width) {
  if (ImGui::CalcTextSize(t.c_str()).x <= width) return t;
  std::string o = t;
  while (!o.empty() && ImGui::CalcTextSize((o + "…").c_str()).x > width) {
    o.pop_back();
    while (!o.empty() && (static_cast<unsigned char>(o.back()) & 0xC0) == 0x80) o.pop_back();  // UTF-8
  }
  return o + "…";
}

// Draws a number at `pos` with the draw list and records it for window.hfrec.cells(), with the
// width it has up to `right` or the clip rectangle, whichever is nearer.
inline void number(const char* column, const std::string& model_id, const std::string& text, ImVec2 pos, float right,
                   ImU32 colour = 0) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddText(pos, colour ? colour : ImGui::GetColorU32(ImGuiCol_Text), text.c_str());
  const float edge = std::min(right, dl->GetClipRectMax().x);
  widgets_record_cell(column, model_id, text, pos, ImGui::CalcTextSize(text.c_str()).x, edge - pos.x);
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

}  // namespace hfrec::app::ui
