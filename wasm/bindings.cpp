// The app's JavaScript boundary: thin C functions over the Controller and the runtime for
// web/hfrec.js, and Platform by calling Module.host. The catalogue's JSON API (recommend, search,
// stats, jobs: window.hfrec.core()) is pkg/bindings.cpp, linked here as in the npm package.
// Every export returns a value (JSON {ok, error} where it can fail); nothing throws across it.
#include <emscripten.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/catalogue.h"
#include "core/share_link.h"
#include "pkg/bindings.h"
#include "runtime.h"
#include "views/fonts.h"
#include "views/input.h"
#include "views/widgets.h"

// clang-format off
EM_JS(void, js_open_file_dialog, (), { Module.host.openFileDialog(); });
EM_JS(void, js_open_hub_dialog, (), { Module.host.openHub(); });
EM_JS(void, js_copy_text, (const char* t), { Module.host.copyText(UTF8ToString(t)); });
EM_JS(void, js_copy_link, (const char* h), { Module.host.copyLink(UTF8ToString(h)); });
EM_JS(void, js_open_url, (const char* u), { Module.host.openUrl(UTF8ToString(u)); });
EM_JS(void, js_download, (const char* f, const char* m, const char* c), {
  Module.host.download(UTF8ToString(f), UTF8ToString(m), UTF8ToString(c));
});
EM_JS(void, js_history_go, (int d), { Module.host.historyGo(d); });
EM_JS(void, js_set_url_hash, (const char* h, int push, int pos), { Module.host.setUrlHash(UTF8ToString(h), !!push, pos); });
EM_JS(void, js_load_finished, (int id, const char* j), { Module.host.loadFinished(id, UTF8ToString(j)); });
EM_JS(int, js_load_read, (int token, double offset, char* to, int n), { return Module.host.loadRead(token, offset, to, n); });
EM_JS(void, js_job_finished, (int id, const char* j), { Module.host.jobFinished(id, UTF8ToString(j)); });
EM_JS(void, js_state_changed, (), { Module.host.stateChanged(); });
EM_JS(char*, js_page_origin, (), {
  var s = String(location.origin || "");
  var n = lengthBytesUTF8(s) + 1;
  var p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});
// clang-format on

namespace hfrec::app {
namespace {

class BrowserPlatform final : public Platform {
 public:
  void open_file_dialog() override { js_open_file_dialog(); }
  void open_hub_dialog() override { js_open_hub_dialog(); }
  void copy_text(const std::string& t) override { js_copy_text(t.c_str()); }
  void copy_link(const std::string& h) override { js_copy_link(h.c_str()); }
  void open_url(const std::string& u) override { js_open_url(u.c_str()); }
  void download(const std::string& f, const std::string& m, const std::string& c) override {
    js_download(f.c_str(), m.c_str(), c.c_str());
  }
  void history_go(int d) override { js_history_go(d); }
  void set_url_hash(const std::string& h, bool push, int pos) override { js_set_url_hash(h.c_str(), push, pos); }
  void load_finished(int id, const std::string& j) override { js_load_finished(id, j.c_str()); }
  void job_finished(int id, const std::string& j) override { js_job_finished(id, j.c_str()); }
  void state_changed() override { js_state_changed(); }
  std::string page_origin() override {
    char* p = js_page_origin();
    std::string s = p ? p : "";
    free(p);
    return s;
  }
};

// Keeps a returned string alive until the next call (JavaScript copies it at once).
const char* ret(std::string s) {
  static std::string last;
  last = std::move(s);
  return last.c_str();
}

std::string str(const char* p) { return p ? std::string(p) : std::string(); }

}  // namespace

Platform& platform() {
  static BrowserPlatform p;
  return p;
}

}  // namespace hfrec::app

using namespace hfrec::app;

extern "C" {

// 1 when main() set the app up; 0 when the browser gave it no usable WebGL2 (then call nothing else).
EMSCRIPTEN_KEEPALIVE int hfrec_started() { return started() ? 1 : 0; }
// Draws a frame. Returns flags: 1 request another animation frame, 2 call hfrec_work soon.
EMSCRIPTEN_KEEPALIVE int hfrec_frame() { return frame(); }
// Runs loading / clustering work for about budget_ms without drawing; the same flags.
EMSCRIPTEN_KEEPALIVE int hfrec_work(double budget_ms) { return work(budget_ms); }
EMSCRIPTEN_KEEPALIVE void hfrec_wake(int frames) { wake(frames); }
EMSCRIPTEN_KEEPALIVE void hfrec_resize(int css_w, int css_h, double dpr) {
  resize(css_w, css_h, static_cast<float>(dpr));
}
EMSCRIPTEN_KEEPALIVE void hfrec_set_dark(int dark) { set_dark(dark != 0); }
EMSCRIPTEN_KEEPALIVE void hfrec_loading_screen(int up) { set_loading_screen(up != 0); }
EMSCRIPTEN_KEEPALIVE void hfrec_paste(const char* text) { paste(str(text)); }

// Pointer events in CSS pixels from the canvas' corner. kind: 0 move, 1 press, 2 release, 3 the
// pointer left; button: 0 left, 1 right, 2 middle.
EMSCRIPTEN_KEEPALIVE void hfrec_pointer(int kind, double x, double y, int button) {
  if (kind < 0 || kind > 3 || !std::isfinite(x) || !std::isfinite(y)) return;
  input::push_pointer({static_cast<input::PointerKind>(kind), static_cast<float>(x), static_cast<float>(y), button});
  wake(3);
}
// Wheel distances in CSS pixels, the browser's direction (dy > 0 scrolls down).
EMSCRIPTEN_KEEPALIVE void hfrec_wheel(double dx, double dy) {
  input::push_wheel(static_cast<float>(dx), static_cast<float>(dy));
  wake(3);
}
// A pinch / two-finger pan step: centre, scale factor, pan (CSS pixels).
EMSCRIPTEN_KEEPALIVE void hfrec_gesture(double x, double y, double scale, double dx, double dy) {
  input::push_gesture(static_cast<float>(x), static_cast<float>(y), static_cast<float>(scale), static_cast<float>(dx),
                      static_cast<float>(dy));
  wake(3);
}
// The page's text input: its whole text and selection (UTF-16 indices) for the active field.
EMSCRIPTEN_KEEPALIVE void hfrec_text_input(const char* text, int sel_start, int sel_end) {
  input::push_text(str(text), sel_start, sel_end);
  wake(3);
}
// What the pointer was over in the last frame: 0 nothing special, 1 something to drag (slider,
// scrollbar, map), 2 a text field.
EMSCRIPTEN_KEEPALIVE int hfrec_hover_kind() { return static_cast<int>(input::hover_kind()); }
// {active, id, text, cursor, x, y, w, h}: the active text field, which the page mirrors.
EMSCRIPTEN_KEEPALIVE const char* hfrec_text_field() {
  const input::TextField& f = input::text_field();
  nlohmann::json j = {{"active", f.active}, {"id", f.id}, {"text", f.text}, {"cursor", f.cursor},
                      {"x", f.x},           {"y", f.y},   {"w", f.w},       {"h", f.h}};
  return ret(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// kind: 0 regular, 1 bold, 2 symbols. The bytes are copied.
EMSCRIPTEN_KEEPALIVE void hfrec_add_font(int kind, const uint8_t* data, int len) {
  if (kind < 0 || kind > 2 || !data || len <= 0) return;
  set_font_data(static_cast<FontKind>(kind), std::vector<uint8_t>(data, data + len));
  fonts_changed();
}

// The most bytes a catalogue may have (core's LoadLimits): the page checks File.size,
// Content-Length and the bytes received against it before reading on.
EMSCRIPTEN_KEEPALIVE double hfrec_max_load_bytes() { return hfrec::api::Session::max_bytes(); }
// Starts loading a catalogue the page holds (`size` bytes, outside WebAssembly memory): the core
// reads it through Module.host.loadRead(token, offset, pointer, n) a window at a time, so a CSV
// file is never whole in the heap. Returns the load's id (reported to Module.host.loadFinished),
// or 0 when the size is not a byte count; the limit itself is the core's, reported as its error.
EMSCRIPTEN_KEEPALIVE int hfrec_load_stream_start(double size, int token, const char* name, const char* source) {
  if (!(size >= 0 && size <= 9e15)) return 0;
  int id = controller().begin_load(
      [token](uint64_t at, char* to, size_t n) -> size_t {
        const int got = js_load_read(token, static_cast<double>(at), to, static_cast<int>(n));
        return got < 0 ? 0 : static_cast<size_t>(got);
      },
      static_cast<uint64_t>(size), str(name), str(source));
  wake(2);
  return id;
}
// The JSON API's handle (core/api.h, the hfpkg_* exports) for the catalogue the app shows, for
// window.hfrec.core(): the same handle while that catalogue stays and the page has not freed it, a
// new one after another load; 0 before the first. The index is shared with the app, not copied.
EMSCRIPTEN_KEEPALIVE int hfrec_core_handle() {
  static int handle = 0;
  const Controller::SharedCatalogue shared = controller().shared_catalogue();
  if (!shared.index) return 0;
  hfrec::api::Session& session = hfrec::pkg::session();
  if (handle == 0 || session.index_of(handle) != shared.index.get())
    handle = session.adopt(shared.index, shared.lineage, shared.search);
  return handle;
}
EMSCRIPTEN_KEEPALIVE void hfrec_show_progress(const char* stage, double fraction) {
  controller().show_progress(str(stage), fraction);
  wake(1);
}
EMSCRIPTEN_KEEPALIVE void hfrec_report_error(const char* message) {
  controller().report_error(str(message));
  wake(2);
}

EMSCRIPTEN_KEEPALIVE const char* hfrec_state() { return ret(controller().state_json()); }
EMSCRIPTEN_KEEPALIVE const char* hfrec_select(const char* id) {
  wake(2);
  return ret(controller().select(str(id)));
}
EMSCRIPTEN_KEEPALIVE const char* hfrec_set(const char* json) {
  wake(2);
  return ret(controller().set_json(str(json)));
}
EMSCRIPTEN_KEEPALIVE const char* hfrec_apply_link(const char* hash, int history_pos) {
  wake(2);
  return ret(controller().apply_link(str(hash), history_pos));
}
EMSCRIPTEN_KEEPALIVE const char* hfrec_share_link() { return ret(controller().share_link()); }
EMSCRIPTEN_KEEPALIVE const char* hfrec_widgets() { return ret(widgets_json()); }
EMSCRIPTEN_KEEPALIVE const char* hfrec_cells() { return ret(cells_json()); }

// Starts a clustering ({algo, features, k, eps, min_samples, seed, cut}) or the elbow ({features});
// returns {ok, id} where the outcome comes to Module.host.jobFinished(id, ...), or {ok: false, error}.
EMSCRIPTEN_KEEPALIVE const char* hfrec_cluster(const char* json, int elbow) {
  static int next_id = 1;
  int id = next_id++;
  std::string r = elbow ? controller().elbow(str(json), id) : controller().cluster(str(json), id);
  wake(2);
  auto j = nlohmann::json::parse(r, nullptr, false);
  if (j.is_object() && j.value("ok", false)) j["id"] = id;
  return ret(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}
EMSCRIPTEN_KEEPALIVE const char* hfrec_cancel_job() {
  wake(2);
  return ret(controller().cancel_job());
}
EMSCRIPTEN_KEEPALIVE const char* hfrec_map_point(const char* id) { return ret(controller().map_point(str(id))); }
// {ok, method, features, seed, points: [[x, y], ...]}: the drawn map's coordinates by catalogue row.
EMSCRIPTEN_KEEPALIVE const char* hfrec_map_points() { return ret(controller().map_points()); }
// {ok, labels: [{cluster, name, x, y, w, h}], hiddenLabels, density, queryRow, query, highlighted,
// highlightedIds}: the cluster names, density and highlighted rows the map drew in the last frame.
EMSCRIPTEN_KEEPALIVE const char* hfrec_map_overlay() { return ret(controller().map_overlay()); }
// {ok, csv, rows, fileName}: the lasso's models in its table's order as CSV (core/export.h).
EMSCRIPTEN_KEEPALIVE const char* hfrec_export_selection() { return ret(controller().export_selection()); }

// {ok, source, error}: the catalogue URL a share link names, checked before anything is fetched.
// A link with a bad parameter elsewhere still names its source (apply_link reports the rest).
EMSCRIPTEN_KEEPALIVE const char* hfrec_link_source(const char* hash) {
  auto r = hfrec::parse_share_link_parts(str(hash), platform().page_origin());
  nlohmann::json j;
  j["ok"] = r.ok();
  if (r.ok()) j["source"] = r.value().link.source;
  else j["error"] = r.error();
  return ret(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}
// 1 when url may be fetched as a catalogue (https:, or this page's origin).
EMSCRIPTEN_KEEPALIVE int hfrec_url_allowed(const char* url) {
  return hfrec::is_allowed_catalogue_url(str(url), platform().page_origin()) ? 1 : 0;
}

}  // extern "C"
