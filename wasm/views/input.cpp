// Input from the page handed to ImGui a frame at a time (see input.h).
#include "views/input.h"

#include <cfloat>
#include <cmath>
#include <deque>

#include "imgui.h"
#include "imgui_internal.h"

namespace hfrec::app::input {
namespace {

struct Input {
  std::deque<PointerEvent> pointer;
  float x = -FLT_MAX, y = -FLT_MAX;  // the pointer, -FLT_MAX when it is away
  bool down[3] = {false, false, false};
  float wheel_x = 0, wheel_y = 0;  // CSS pixels not yet handed over
  Gesture gesture;
  bool text_pending = false;
  std::string text;
  int sel_start = 0, sel_end = 0;
  // This frame's touch targets and text fields, and the last finished frame's.
  HoverKind hover = HoverKind::none, hover_done = HoverKind::none;
  struct Field {
    unsigned id;
    ImRect rect;
  };
  std::vector<Field> fields, fields_done;
  TextField field, field_sent;
  bool field_changed = false;
};

Input& in() {
  static Input i;
  return i;
}

}  // namespace

void push_pointer(const PointerEvent& e) { in().pointer.push_back(e); }

void push_wheel(float dx, float dy) {
  if (std::isfinite(dx)) in().wheel_x += dx;
  if (std::isfinite(dy)) in().wheel_y += dy;
}

void push_gesture(float x, float y, float scale, float dx, float dy) {
  if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(scale) || scale <= 0 || !std::isfinite(dx) ||
      !std::isfinite(dy))
    return;
  Gesture& g = in().gesture;
  if (!g.pending) g = Gesture{};
  g.pending = true;
  g.x = x;
  g.y = y;
  g.scale *= scale;
  g.dx += dx;
  g.dy += dy;
}

void push_text(std::string text, int sel_start, int sel_end) {
  Input& i = in();
  i.text = std::move(text);
  i.sel_start = sel_start;
  i.sel_end = sel_end;
  i.text_pending = true;
}

bool feed(ImGuiIO& io, float font_size) {
  Input& i = in();
  // Moves up to the first button change or departure, which ends this frame's share.
  while (!i.pointer.empty()) {
    const PointerEvent e = i.pointer.front();
    i.pointer.pop_front();
    if (e.kind == PointerKind::leave) {
      i.x = i.y = -FLT_MAX;
      break;
    }
    i.x = e.x;
    i.y = e.y;
    if (e.kind == PointerKind::move) continue;
    if (e.button >= 0 && e.button < 3) i.down[e.button] = e.kind == PointerKind::down;
    break;
  }
  io.MousePos = ImVec2(i.x, i.y);
  for (int b = 0; b < 3; ++b) io.MouseDown[b] = i.down[b];
  // ImGui scrolls floor(min(5 font heights, 0.67 window heights)) per wheel unit.
  const float step = 5 * (font_size > 0 ? font_size : 15.0f);
  io.MouseWheel += -i.wheel_y / step;
  io.MouseWheelH += -i.wheel_x / step;
  i.wheel_x = i.wheel_y = 0;
  i.hover = HoverKind::none;
  i.fields.clear();
  return !i.pointer.empty();
}

Gesture& gesture() { return in().gesture; }

void hover_item(HoverKind kind) {
  ImGuiContext& g = *GImGui;
  if (kind == HoverKind::text) in().fields.push_back({g.LastItemData.ID, g.LastItemData.Rect});
  if (ImGui::IsItemHovered()) in().hover = kind;
}

void end_frame() {
  Input& i = in();
  ImGuiContext& g = *GImGui;
  HoverKind kind = i.hover;
  if (g.HoveredWindow && g.HoveredId &&
      (g.HoveredId == ImGui::GetWindowScrollbarID(g.HoveredWindow, ImGuiAxis_X) ||
       g.HoveredId == ImGui::GetWindowScrollbarID(g.HoveredWindow, ImGuiAxis_Y)))
    kind = HoverKind::drag;
  i.hover_done = kind;
  i.fields_done = i.fields;
  i.gesture = Gesture{};

  TextField f;
  if (g.ActiveId && g.InputTextState.ID == g.ActiveId) {
    for (const auto& fd : i.fields)
      if (fd.id == g.ActiveId) {
        f.active = true;
        f.id = fd.id;
        f.x = fd.rect.Min.x;
        f.y = fd.rect.Min.y;
        f.w = fd.rect.GetWidth();
        f.h = fd.rect.GetHeight();
      }
    if (f.active) {
      const ImGuiInputTextState& st = g.InputTextState;
      std::string utf8(static_cast<size_t>(st.CurLenW) * 4 + 1, '\0');
      int n = ImTextStrToUtf8(utf8.data(), static_cast<int>(utf8.size()), st.TextW.Data, st.TextW.Data + st.CurLenW);
      utf8.resize(static_cast<size_t>(n));
      f.text = std::move(utf8);
      f.cursor = st.Stb.cursor;
    }
  }
  if (!f.active) i.text_pending = false;  // typed while no field was active: nowhere to go
  i.field = std::move(f);
  if (!(i.field == i.field_sent)) {
    i.field_sent = i.field;
    i.field_changed = true;
  }
}

HoverKind hover_kind() { return in().hover_done; }

bool is_text_field(unsigned id) {
  for (const auto& f : in().fields_done)
    if (f.id == id) return true;
  return false;
}
const TextField& text_field() { return in().field; }

bool take_text_field_changed() {
  bool c = in().field_changed;
  in().field_changed = false;
  return c;
}

int text_field_callback(ImGuiInputTextCallbackData* data) {
  Input& i = in();
  if (data->EventFlag != ImGuiInputTextFlags_CallbackAlways || !i.text_pending) return 0;
  i.text_pending = false;
  // The page's text replaces the field's (cut to the field's capacity at a character boundary).
  std::string t = i.text;
  if (static_cast<int>(t.size()) >= data->BufSize) {
    size_t n = static_cast<size_t>(data->BufSize - 1);
    while (n > 0 && (static_cast<unsigned char>(t[n]) & 0xC0) == 0x80) --n;
    t.resize(n);
  }
  if (t != std::string(data->Buf, static_cast<size_t>(data->BufTextLen))) {
    data->DeleteChars(0, data->BufTextLen);
    data->InsertChars(0, t.c_str(), t.c_str() + t.size());
  }
  const int a = utf8_offset(t, i.sel_start), b = utf8_offset(t, i.sel_end);
  data->SelectionStart = a;
  data->SelectionEnd = b;
  data->CursorPos = b;
  return 0;
}

int utf8_offset(const std::string& text, int utf16_index) {
  int units = 0;
  size_t p = 0;
  while (p < text.size() && units < utf16_index) {
    const unsigned char c = static_cast<unsigned char>(text[p]);
    const size_t len = c < 0x80 ? 1 : c >> 5 == 6 ? 2 : c >> 4 == 14 ? 3 : c >> 3 == 30 ? 4 : 1;
    units += len == 4 ? 2 : 1;
    p = std::min(text.size(), p + len);
  }
  return static_cast<int>(p);
}

}  // namespace hfrec::app::input
