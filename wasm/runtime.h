// The app's runtime: the GLFW window, the GL context, ImGui and the render-on-demand frame.
// main.cpp implements it; bindings.cpp drives it from JavaScript.
#pragma once
#include <string>

#include "app.h"
#include "controller.h"

namespace hfrec::app {

// Implemented in bindings.cpp (the browser side).
Platform& platform();

AppState& state();
Controller& controller();
// Draws one frame; returns true when another frame is needed (input settling or work pending).
bool frame();
// Asks for at least `frames` more frames (after an input event).
void wake(int frames);
// The canvas' size in CSS pixels and the devicePixelRatio.
void resize(int css_width, int css_height, float dpr);
void set_dark(bool dark);
// Text pasted into the page: into the active text field, else into the search box.
void paste(const std::string& text);
// Font data changed: rebuild the atlas before the next frame.
void fonts_changed();

}  // namespace hfrec::app
