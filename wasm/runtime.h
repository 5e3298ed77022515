// The app's runtime: the GLFW window, the GL context, ImGui and the render-on-demand frame.
// main.cpp implements it; bindings.cpp drives it from JavaScript.
#pragma once
#include <string>

#include "app/app.h"
#include "app/controller.h"

namespace hfrec::app {

// Implemented in bindings.cpp (the browser side).
Platform& platform();

AppState& state();
Controller& controller();
// What frame() and work() ask of the page: another animation frame, and/or more work() calls.
// kTextField: the active text field changed (input::text_field()), the page re-syncs its input.
enum Need : int { kNeedFrame = 1, kNeedWork = 2, kTextField = 4 };
// Whether main() set the app up: false when the browser gave no WebGL2 context, or one that
// cannot draw the UI. Nothing else here may be called then.
bool started();
// Draws one frame and applies the input's intents; returns Need flags.
int frame();
// Runs pending work (loading, clustering) for about budget_ms without drawing; returns Need
// flags: kNeedWork while work remains, kNeedFrame when the progress should be redrawn (about ten
// times a second) or the work just finished.
int work(double budget_ms);
// Asks for at least `frames` more frames (after an input event).
void wake(int frames);
// The canvas' size in CSS pixels and the devicePixelRatio.
void resize(int css_width, int css_height, float dpr);
void set_dark(bool dark);
// Text pasted into the page: into the active text field, else into the search box.
void paste(const std::string& text);
// Whether the page's loading screen covers the canvas (it does from the start until the first
// catalogue is in): while it does, work asks for no progress frames.
void set_loading_screen(bool up);
// Font data changed: rebuild the atlas before the next frame.
void fonts_changed();

}  // namespace hfrec::app
