// The light and dark themes: ImGui style colours and sizes, and the colours the views draw with
// (theme.h).
#include "views/theme.h"

namespace hfrec::app {
namespace {
Palette g_palette;

ImVec4 rgb(int hex, float a = 1.0f) {
  return ImVec4(((hex >> 16) & 255) / 255.0f, ((hex >> 8) & 255) / 255.0f, (hex & 255) / 255.0f, a);
}
}  // namespace

const Palette& palette() { return g_palette; }

void apply_theme(bool dark) {
  ImGuiStyle& st = ImGui::GetStyle();
  st = ImGuiStyle();
  if (dark) ImGui::StyleColorsDark(&st);
  else ImGui::StyleColorsLight(&st);
  st.WindowRounding = 0;
  st.ChildRounding = 6;
  st.FrameRounding = 5;
  st.PopupRounding = 6;
  st.GrabRounding = 5;
  st.TabRounding = 5;
  st.ScrollbarRounding = 6;
  st.FramePadding = ImVec2(8, 5);
  st.ItemSpacing = ImVec2(8, 7);
  st.CellPadding = ImVec2(6, 4);
  st.WindowPadding = ImVec2(14, 12);
  st.WindowBorderSize = 0;
  st.ChildBorderSize = 1;
  st.FrameBorderSize = dark ? 0 : 1;
  st.ScrollbarSize = 12;

  ImVec4* c = st.Colors;
  // An indigo accent on neutral greys.
  ImVec4 accent = dark ? rgb(0x8b9cff) : rgb(0x4f5bd5);
  if (dark) {
    c[ImGuiCol_WindowBg] = rgb(0x16181d);
    c[ImGuiCol_ChildBg] = rgb(0x1c1f26);
    c[ImGuiCol_PopupBg] = rgb(0x22262e);
    c[ImGuiCol_Border] = rgb(0x2e333d);
    c[ImGuiCol_FrameBg] = rgb(0x262a33);
    c[ImGuiCol_FrameBgHovered] = rgb(0x2f3440);
    c[ImGuiCol_FrameBgActive] = rgb(0x363c4a);
    c[ImGuiCol_Text] = rgb(0xe6e8ee);
    c[ImGuiCol_TextDisabled] = rgb(0xa9afbc);  // 8.1:1 on the background (small text wants >= 7:1)
    c[ImGuiCol_Button] = rgb(0x2a2f3a);
    c[ImGuiCol_ButtonHovered] = rgb(0x353b48);
    c[ImGuiCol_ButtonActive] = rgb(0x404757);
    c[ImGuiCol_Header] = rgb(0x8b9cff, 0.22f);
    c[ImGuiCol_HeaderHovered] = rgb(0x8b9cff, 0.30f);
    c[ImGuiCol_HeaderActive] = rgb(0x8b9cff, 0.40f);
    c[ImGuiCol_TableHeaderBg] = rgb(0x22262e);
    c[ImGuiCol_TableRowBgAlt] = rgb(0xffffff, 0.025f);
    c[ImGuiCol_Tab] = rgb(0x22262e);
    c[ImGuiCol_TabHovered] = rgb(0x8b9cff, 0.35f);
    c[ImGuiCol_TabActive] = rgb(0x8b9cff, 0.28f);
    c[ImGuiCol_TitleBg] = rgb(0x16181d);
  } else {
    c[ImGuiCol_WindowBg] = rgb(0xf6f7f9);
    c[ImGuiCol_ChildBg] = rgb(0xffffff);
    c[ImGuiCol_PopupBg] = rgb(0xffffff);
    c[ImGuiCol_Border] = rgb(0xdde0e6);
    c[ImGuiCol_FrameBg] = rgb(0xffffff);
    c[ImGuiCol_FrameBgHovered] = rgb(0xf0f2f7);
    c[ImGuiCol_FrameBgActive] = rgb(0xe8ebf3);
    c[ImGuiCol_Text] = rgb(0x1d2129);
    c[ImGuiCol_TextDisabled] = rgb(0x4b5262);  // 7.3:1 on the background
    c[ImGuiCol_Button] = rgb(0xeef0f4);
    c[ImGuiCol_ButtonHovered] = rgb(0xe2e5ec);
    c[ImGuiCol_ButtonActive] = rgb(0xd5d9e2);
    c[ImGuiCol_Header] = rgb(0x4f5bd5, 0.12f);
    c[ImGuiCol_HeaderHovered] = rgb(0x4f5bd5, 0.16f);
    c[ImGuiCol_HeaderActive] = rgb(0x4f5bd5, 0.24f);
    c[ImGuiCol_TableHeaderBg] = rgb(0xf0f2f6);
    c[ImGuiCol_TableRowBgAlt] = rgb(0x000000, 0.018f);
    c[ImGuiCol_Tab] = rgb(0xe9ecf2);
    c[ImGuiCol_TabHovered] = rgb(0x4f5bd5, 0.20f);
    c[ImGuiCol_TabActive] = rgb(0x4f5bd5, 0.14f);
    c[ImGuiCol_TitleBg] = rgb(0xf6f7f9);
  }
  c[ImGuiCol_CheckMark] = accent;
  c[ImGuiCol_SliderGrab] = accent;
  c[ImGuiCol_SliderGrabActive] = accent;
  c[ImGuiCol_PlotHistogram] = accent;
  c[ImGuiCol_NavHighlight] = accent;
  c[ImGuiCol_TextSelectedBg] = ImVec4(accent.x, accent.y, accent.z, 0.35f);

  g_palette.accent = ImGui::ColorConvertFloat4ToU32(accent);
  g_palette.accent_soft = ImGui::ColorConvertFloat4ToU32(ImVec4(accent.x, accent.y, accent.z, dark ? 0.55f : 0.45f));
  g_palette.both_row = ImGui::ColorConvertFloat4ToU32(dark ? rgb(0xf5c451, 0.16f) : rgb(0xf5b70a, 0.18f));
  g_palette.error_bg = ImGui::ColorConvertFloat4ToU32(dark ? rgb(0x5a1d1d) : rgb(0xfde8e8));
  g_palette.notice_bg = ImGui::ColorConvertFloat4ToU32(dark ? rgb(0x4a3d12) : rgb(0xfff4d6));
  g_palette.muted_text = ImGui::ColorConvertFloat4ToU32(c[ImGuiCol_TextDisabled]);
  g_palette.bar_bg = ImGui::ColorConvertFloat4ToU32(dark ? rgb(0xffffff, 0.06f) : rgb(0x000000, 0.06f));
}

}  // namespace hfrec::app
