// Input from the page, handed to ImGui a frame at a time: pointer (mouse, pen, touch), wheel in
// CSS pixels, map gestures (pinch, two-finger pan) and the text of the page's hidden <input>
// that mirrors ImGui's active text field (phones type into it).
//
// - ImGui 1.86 samples io.MouseDown once a frame, so a press and its release arriving between two
//   frames (a tap) would be lost: each frame applies pointer moves up to one button change, and
//   the rest waits for the next frame. A press takes the position of its own event, never the
//   previous one's (Emscripten 3.1.6's GLFW takes no position from touch events).
// - Wheel distances are browser pixels (positive: content moves up, as deltaY): ImGui scrolls
//   5 font heights per wheel unit, so pixels are divided by that step.
#pragma once
#include <string>
#include <vector>

struct ImGuiIO;
struct ImGuiInputTextCallbackData;

namespace hfrec::app::input {

enum class PointerKind { move, down, up, leave };

// One pointer event in CSS pixels from the canvas' top-left corner; button: 0 left, 1 right,
// 2 middle (ImGui's numbering).
struct PointerEvent {
  PointerKind kind = PointerKind::move;
  float x = 0, y = 0;
  int button = 0;
};

// What lies under the pointer in the last frame, for the page's touch handling: a one-finger
// drag on a slider, a scrollbar or the map drags it; elsewhere it scrolls; a tap on a text field
// focuses the page's text input within the tap (phones open a keyboard only then).
enum class HoverKind { none = 0, drag = 1, text = 2 };

// A pinch or two-finger pan since the last frame: centre, scale factor and pan in CSS pixels.
struct Gesture {
  bool pending = false;
  float x = 0, y = 0;
  float scale = 1;
  float dx = 0, dy = 0;
};

// The active ImGui text field as the page mirrors it.
struct TextField {
  bool active = false;
  unsigned id = 0;
  std::string text;
  int cursor = 0;  // UTF-16 code units, as a JavaScript string counts
  float x = 0, y = 0, w = 0, h = 0;
  bool operator==(const TextField&) const = default;
};

void push_pointer(const PointerEvent& e);
// Wheel distances in CSS pixels, browser direction (dy > 0: scroll down).
void push_wheel(float dx, float dy);
// Accumulates a gesture (scales multiply, pans add; the centre is the latest).
void push_gesture(float x, float y, float scale, float dx, float dy);
// The hidden input's whole text and selection (UTF-16 indices); applied to the active field in
// the next frame by text_field_callback.
void push_text(std::string text, int sel_start, int sel_end);

// Before ImGui::NewFrame: the pointer state, buttons and wheel for this frame. font_size: ImGui's
// font height in CSS pixels. Returns true when events wait for a later frame.
bool feed(ImGuiIO& io, float font_size);
// The gesture of this frame (draw_map consumes it by clearing `pending`).
Gesture& gesture();

// Reports the last item (a slider, the map, a text field) as a touch target when it is hovered.
void hover_item(HoverKind kind);
// After the frame: the hover kind (scrollbars included) and the active text field.
void end_frame();
HoverKind hover_kind();
const TextField& text_field();
// Whether id is a text field of the last frame.
bool is_text_field(unsigned id);
// Whether the active text field changed since the last call (the page re-syncs its input).
bool take_text_field_changed();

// An InputText callback (flag ImGuiInputTextFlags_CallbackAlways) that applies the page's text.
// Chain it first from the field's own callback.
int text_field_callback(ImGuiInputTextCallbackData* data);

// The UTF-8 byte offset of a UTF-16 index into text (clamped to the text).
int utf8_offset(const std::string& text, int utf16_index);

}  // namespace hfrec::app::input
