// Warming the app's WebAssembly off the main thread (web/warm.js). V8 compiles a WebAssembly
// function the first time it is called, on the calling thread, and a long call stays in that
// first-tier code until it returns: on the page's first load that compiling took more main-thread
// time than the load's own work. web/warm.js instantiates the page's compiled module a second time
// in a worker (the compiled code is shared between the two instances) and calls hfrec_warmup,
// which runs the first load's code paths (parse, index, search, the first list, the hybrid model,
// a share link) on a small catalogue, so the page's first calls find them compiled.
// Nothing here touches the page: its own instance, a platform that does nothing, no GL.
#include <emscripten.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "app/controller.h"
#include "core/csv_reader.h"

namespace hfrec::app {
namespace {

class NullPlatform final : public Platform {
 public:
  void open_file_dialog() override {}
  void copy_text(const std::string&) override {}
  void copy_link(const std::string&) override {}
  void open_url(const std::string&) override {}
  void download(const std::string&, const std::string&, const std::string&) override {}
  void history_go(int) override {}
  void set_url_hash(const std::string&, bool, int) override {}
  void load_finished(int, const std::string&) override {}
  void job_finished(int, const std::string&) override {}
  void state_changed() override {}
  std::string page_origin() override { return "https://warmup.invalid"; }
};

// The text up to the end of its last complete CSV record (one ended by a line feed) within
// max_rows records: the file was cut anywhere, and the record the cut ends is dropped.
std::string_view whole_records(std::string_view text, size_t max_rows) {
  CsvReader reader(text);
  std::vector<std::string_view> fields;
  size_t end = 0;
  for (size_t n = 0; n <= max_rows && reader.next(fields); ++n)
    if (reader.offset() > 0 && text[reader.offset() - 1] == '\n') end = reader.offset();
  return text.substr(0, end);
}

}  // namespace
}  // namespace hfrec::app

using namespace hfrec::app;

// Runs the first load's code on `len` bytes of CSV catalogue (cut anywhere); returns the rows
// loaded, 0 when it did not load. Called only by web/warm.js, in a worker's own instance.
extern "C" EMSCRIPTEN_KEEPALIVE int hfrec_warmup(const char* bytes, int len) {
  if (!bytes || len <= 0) return 0;
  const std::string_view text = whole_records(std::string_view(bytes, static_cast<size_t>(len)), 2000);
  AppState state;
  NullPlatform platform;
  Controller controller(state, platform);
  // Streamed, as the page's loads are (a window at a time from memory the page holds).
  controller.begin_load(
      [text](uint64_t at, char* to, size_t n) -> size_t {
        if (at > text.size()) return 0;
        const size_t k = std::min<size_t>(n, text.size() - static_cast<size_t>(at));
        std::memcpy(to, text.data() + at, k);
        return k;
      },
      text.size(), "warmup.csv", "");
  while (controller.tick(12)) {}  // the page's slice size; the hybrid model is built here too
  if (!state.has_catalogue) return 0;
  if (!state.suggestions.empty()) {
    (void)controller.select(state.suggestions.front());
    controller.apply({Intent::search, "bert"});
    (void)controller.share_link();
  }
  (void)controller.state_json();
  return static_cast<int>(state.catalogue.rows);
}
