// GLFW + WebGL2 + ImGui setup and the frame. Frames are drawn on demand: JavaScript requests an
// animation frame only after input or while work is pending, so an idle page draws nothing.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <vector>

#include "gl_renderer.h"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_internal.h"
#include "runtime.h"
#include "views/fonts.h"
#include "views/input.h"
#include "views/keyboard_nav.h"
#include "views/theme.h"
#include "views/views.h"
#include "views/widgets.h"

namespace hfrec::app {
namespace {

struct Runtime {
  GLFWwindow* window = nullptr;
  AppState state;
  std::unique_ptr<Controller> controller;
  int frames_left = 2;
  int css_w = 1280, css_h = 800;
  float dpr = 1;
  bool fonts_dirty = true;
  bool fonts_slim = false;     // the atlas has the slim base (build_fonts): no catalogue was in yet
  bool narrow = false;         // the fonts were built for the narrow layout
  CodePointSet glyphs;         // beyond ASCII (fonts.h), the code points the atlas holds
  bool loading_screen = true;  // the page's loading screen covers the canvas (set_loading_screen)
  bool theme_dirty = true;
  std::string paste_pending;
  std::chrono::steady_clock::time_point last_draw;
  int64_t last_vertices = 0;                                // drawn by the last frame (Controller::progress_redraw_ms)
  Controller::Progress shown = Controller::Progress::none;  // the progress on screen, and since when
  std::chrono::steady_clock::time_point shown_since;
  // Key events wait here for the next frame. ImGui 1.86 samples io.KeysDown once a frame, so a
  // press and release arriving between two frames (a quick tap, or any key on a slow machine)
  // would be lost; each frame takes at most one change per key and leaves the rest for the next.
  struct KeyEvent {
    int key, scancode, action, mods;
  };
  std::deque<KeyEvent> keys;
  int tab = 0;  // a Tab (+1) or Shift+Tab (-1) for keyboard_nav, before the next frame
};

Runtime& rt() {
  static Runtime r;
  return r;
}

void queue_key(GLFWwindow*, int key, int scancode, int action, int mods) {
  rt().keys.push_back({key, scancode, action, mods});
}

// Hands ImGui the queued key events up to the first key that already changed this frame.
void drain_keys() {
  Runtime& r = rt();
  std::vector<int> changed;
  while (!r.keys.empty()) {
    const Runtime::KeyEvent e = r.keys.front();
    if (e.action != GLFW_REPEAT && std::find(changed.begin(), changed.end(), e.key) != changed.end()) break;
    r.keys.pop_front();
    if (e.action != GLFW_REPEAT) changed.push_back(e.key);
    if (e.key == GLFW_KEY_TAB) {  // ours: ImGui 1.86's Tab reaches only text fields and sliders
      if (e.action != GLFW_RELEASE) r.tab = (e.mods & GLFW_MOD_SHIFT) ? -1 : 1;
      continue;
    }
    ImGui_ImplGlfw_KeyCallback(r.window, e.key, e.scancode, e.action, e.mods);
  }
  if (!r.keys.empty()) r.frames_left = std::max(r.frames_left, 2);
}

const char* get_clipboard(void*) { return ""; }  // pasting comes from the page's paste event
void set_clipboard(void*, const char* text) { platform().copy_text(text ? text : ""); }

}  // namespace

AppState& state() { return rt().state; }
Controller& controller() { return *rt().controller; }

void wake(int frames) { rt().frames_left = std::max(rt().frames_left, frames); }

void resize(int w, int h, float dpr) {
  Runtime& r = rt();
  if (dpr <= 0 || dpr > 8) dpr = 1;
  if (dpr != r.dpr) r.fonts_dirty = true;
  r.css_w = std::max(1, w);
  r.css_h = std::max(1, h);
  r.dpr = dpr;
  r.state.dpr = dpr;
  wake(2);
}

void set_dark(bool dark) {
  rt().state.dark = dark;
  rt().theme_dirty = true;
  wake(2);
}

void paste(const std::string& text) {
  rt().paste_pending += text;
  wake(3);
}

void set_loading_screen(bool up) {
  rt().loading_screen = up;
  if (!up) wake(2);
}

void fonts_changed() {
  rt().fonts_dirty = true;
  wake(2);
}

int work(double budget_ms) {
  Runtime& r = rt();
  using Clock = std::chrono::steady_clock;
  if (!r.controller->tick(budget_ms)) {
    r.shown = Controller::Progress::none;
    wake(2);  // draw the finished state
    return kNeedFrame;
  }
  // Redraw the progress shown (a load's stage, a list waiting for the model built after it, a
  // clustering's or the map layout's bar) four times a second, a heavy frame less often
  // (Controller::progress_redraw_ms), and not at all for work nothing on screen shows (the models
  // built after a load while no list waits for them). Under software GL a 1280x800 frame costs
  // about 50 ms of the GPU process' CPU, taken from the work on a 2-core machine: at 1M rows the
  // load drew 50-72 frames at ten a second (2.5-4.8 s of GPU CPU), and a list waiting for the
  // hybrid model 414 frames, one per step (21.6 s). A job's bar was redrawn twenty times a second
  // until 2026-12-03, then ten, now four and less often as it goes on: the hybrid map of a
  // generated 100k drew 547-603 frames at ten and waited 60.4-66.8 s (see the README for the
  // side-by-side runs). Behind the first load's loading screen (which shows the stage) nothing is
  // drawn.
  const Controller::Progress shown = r.controller->progress_shown();
  const Clock::time_point now = Clock::now();
  if (shown != r.shown) {
    r.shown = shown;
    r.shown_since = now;
  }
  if (shown == Controller::Progress::none || (r.state.busy && r.loading_screen)) return kNeedWork;
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  const double wait = Controller::progress_redraw_ms(r.last_vertices, ms(now - r.shown_since));
  return kNeedWork | (ms(now - r.last_draw) >= wait ? kNeedFrame : 0);
}

bool started() { return rt().controller != nullptr; }

int frame() {
  Runtime& r = rt();
  using Clock = std::chrono::steady_clock;
  r.last_draw = Clock::now();
  ImGuiIO& io = ImGui::GetIO();
  if (r.theme_dirty) {
    apply_theme(r.state.dark);
    r.theme_dirty = false;
  }
  if (narrow_layout(static_cast<float>(r.css_w)) != r.narrow) {
    r.narrow = !r.narrow;
    r.fonts_dirty = true;
  }
  // The atlas holds the code points the catalogue and the text on screen use (fonts.h): a new one
  // (a loaded catalogue, a typed or pasted character, a file name, a link's text in a message)
  // rebuilds it before the frame draws.
  {
    CodePointSet need = r.state.glyphs;
    for (const std::string* t : {&r.state.catalogue.name, &r.state.catalogue.source, &r.state.error, &r.state.notice,
                                 &r.state.stage, &r.state.link_suggestion, &r.paste_pending})
      need.add_text(*t);
    need.add_text(r.state.search_buf);
    for (const AppState::LinkIssue& issue : r.state.link_issues) need.add_text(issue.value);
    for (ImWchar c : io.InputQueueCharacters) need.add(c);
    if (!r.glyphs.covers(need)) {
      r.glyphs.merge(need);
      r.fonts_dirty = true;
    }
  }
  // The first frames (the loading screen, then the UI while the first catalogue loads) draw with
  // the slim base; the first catalogue in, the atlas gets the full one.
  if (r.fonts_slim && r.state.has_catalogue) r.fonts_dirty = true;
  if (r.fonts_dirty) {
    r.fonts_slim = !r.state.has_catalogue;
    build_fonts(r.dpr, r.narrow, r.glyphs, r.fonts_slim);
    gl::upload_fonts();
    r.fonts_dirty = false;
  }
  if (!r.paste_pending.empty()) {
    std::string text;
    for (char c : r.paste_pending)
      if (c != '\n' && c != '\r') text += c;
    r.paste_pending.clear();
    if (io.WantTextInput) {
      io.AddInputCharactersUTF8(text.c_str());
    } else {
      std::snprintf(r.state.search_buf, sizeof r.state.search_buf, "%s", text.c_str());
      r.state.focus_search = true;
    }
  }

  drain_keys();
  ImGui_ImplGlfw_NewFrame();
  io.DisplaySize = ImVec2(static_cast<float>(r.css_w), static_cast<float>(r.css_h));
  io.DisplayFramebufferScale = ImVec2(r.dpr, r.dpr);
  // The pointer, buttons and wheel come from the page's pointer events (input.h), not GLFW's.
  const float font_size = ImGui::GetCurrentContext()->FontBaseSize;
  if (input::feed(io, font_size)) r.frames_left = std::max(r.frames_left, 2);
  if (r.tab) {
    nav::tab(r.tab);
    r.tab = 0;
  }
  nav::enter_activates(io, ImGui::IsKeyDown(io.KeyMap[ImGuiKey_Enter]));
  ImGui::NewFrame();
  widgets_begin_frame();
  draw_frame(r.state);
  ImGui::Render();
  r.last_vertices = ImGui::GetDrawData()->TotalVtxCount;
  widgets_end_frame();
  input::end_frame();

  int fb_w = static_cast<int>(r.css_w * r.dpr + 0.5f), fb_h = static_cast<int>(r.css_h * r.dpr + 0.5f);
  glViewport(0, 0, fb_w, fb_h);
  ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  gl::render(ImGui::GetDrawData());

  bool changed = !r.state.intents.empty();
  r.controller->apply_intents();
  if (changed) wake(2);
  if (r.frames_left > 0) --r.frames_left;
  return (r.frames_left > 0 ? kNeedFrame : 0) | (r.controller->has_work() ? kNeedWork : 0) |
         (input::take_text_field_changed() ? kTextField : 0);
}

}  // namespace hfrec::app

using namespace hfrec::app;

int main() {
  if (!glfwInit()) {
    std::fprintf(stderr, "hfrec: glfwInit failed\n");
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  Runtime& r = rt();
  // The window takes the canvas's size as the page set it before making the WebGL context
  // (web/hfrec.js): any other size resized the drawing buffer just made, 58 ms of this thread
  // under SwiftShader (profiled 2026-12-03). resize() sets the size the layout uses.
  int canvas_w = 0, canvas_h = 0;
  emscripten_get_canvas_element_size("#canvas", &canvas_w, &canvas_h);
  r.window =
      glfwCreateWindow(canvas_w > 0 ? canvas_w : r.css_w, canvas_h > 0 ? canvas_h : r.css_h, "hfrec", nullptr, nullptr);
  if (!r.window) {
    std::fprintf(stderr, "hfrec: WebGL2 is not available\n");
    return 1;
  }
  glfwMakeContextCurrent(r.window);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.ConfigInputTextCursorBlink = false;  // a blinking caret would need frames while idle
  io.SetClipboardTextFn = set_clipboard;
  io.GetClipboardTextFn = get_clipboard;
  ImGui_ImplGlfw_InitForOpenGL(r.window, true);
  glfwSetKeyCallback(r.window, queue_key);  // replaces the backend's; drain_keys() forwards to it
  // Pointer and wheel come through input.h from the page's own pointer and wheel events.
  glfwSetMouseButtonCallback(r.window, nullptr);
  glfwSetScrollCallback(r.window, nullptr);
  if (!gl::init()) {
    std::fprintf(stderr, "hfrec: WebGL2 cannot draw the UI\n");
    return 1;
  }
  r.controller = std::make_unique<Controller>(r.state, platform());
  return 0;
}
