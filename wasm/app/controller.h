// The app's logic between the UI and the core: loads catalogues in slices, runs searches and
// recommendations, keeps history and the share link. Pure C++ (no emscripten.h): the browser is
// reached through Platform, implemented in bindings.cpp.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "app/app.h"

namespace hfrec {
class Index;
class Lineage;
class SearchIndex;
}  // namespace hfrec

namespace hfrec::app {

// Browser services the app needs; bindings.cpp implements them with JavaScript.
class Platform {
 public:
  virtual ~Platform() = default;
  virtual void open_file_dialog() = 0;
  // Opens the page's Load from the Hub dialog (web/hub.js); nothing where there is no page.
  virtual void open_hub_dialog() {}
  virtual void copy_text(const std::string& text) = 0;
  // Copies the page's full address with this hash (a share link) and confirms it.
  virtual void copy_link(const std::string& hash) = 0;
  virtual void open_url(const std::string& url) = 0;
  virtual void download(const std::string& filename, const std::string& mime, const std::string& content) = 0;
  virtual void history_go(int delta) = 0;
  // Writes the view into the URL hash: a new history entry when push, else in place.
  virtual void set_url_hash(const std::string& hash, bool push, int history_pos) = 0;
  // A load started by begin_load finished; json is {ok, rows, error}.
  virtual void load_finished(int load_id, const std::string& json) = 0;
  // A job started by Controller::cluster / elbow finished; json is {ok, error?, clusters?, elbow?}.
  virtual void job_finished(int job_id, const std::string& json) = 0;
  // The view changed (the DOM mirror re-reads state_json()).
  virtual void state_changed() = 0;
  // "https://host[:port]" of the page, for checking catalogue URLs.
  virtual std::string page_origin() = 0;
};

class Controller {
 public:
  Controller(AppState& state, Platform& platform);
  ~Controller();

  // Starts loading a catalogue (CSV or Hub JSON); a load in progress is superseded. Returns its id.
  int begin_load(std::string bytes, std::string name, std::string source);
  // The same, streamed: the file (`size` bytes) stays with the caller, and the load reads it through
  // `read` a window at a time (core's CatalogueLoader), so a CSV file is never whole in memory.
  int begin_load(ByteSource read, uint64_t size, std::string name, std::string source);
  // Shows a download's progress before its bytes arrive (fraction < 0: unknown).
  void show_progress(std::string stage, double fraction);
  // A load that failed before reaching the core (network, file read): the old catalogue stays.
  void report_error(std::string message);
  // Does up to budget_ms of pending work; true while work remains (the caller keeps calling).
  bool tick(double budget_ms);
  // True while a load (parsing, indexing) or a clustering job has work for tick(). A download in
  // flight is not work: its progress events wake the page.
  bool has_work() const;
  // What the screen shows of the work's progress, for how often the page redraws it: nothing (the
  // kmeans method's clustering and the hybrid model built after a load, while no list waits for
  // them), a catalogue's (a load's stage, a list waiting for the model built after it), or a job's
  // (a clustering's or the map layout's bar).
  enum class Progress { none, catalogue, job };
  Progress progress_shown() const;
  // How long after the last frame the page redraws the progress shown, in milliseconds, given the
  // vertices that frame drew and how long the work has been shown: four times a second, less often
  // for a heavy frame or long work. Under software GL (SwiftShader) every frame costs the GPU
  // process tens of milliseconds of CPU, more with more vertices, and on a two-core machine that
  // comes out of the work's: a frame of v vertices waits at least v / 1,000 ms (a 100k-point map,
  // about 400k vertices: 0.4 s), work shown for t ms at least t / 10 (a tenth of the time it has
  // taken so far), and never more than a second.
  static double progress_redraw_ms(int64_t vertices, double shown_ms);
  // Applies and clears the intents draw_frame emitted.
  void apply_intents();
  void apply(const Intent& intent);

  // The automation API (window.hfrec); each returns JSON {ok, error?, ...}.
  std::string state_json() const;
  std::string select(std::string_view model_id);
  std::string set_json(std::string_view json);
  // Restores a view from a URL hash (history_pos >= 0 when it comes from back/forward).
  std::string apply_link(std::string_view hash, int history_pos);
  std::string share_link() const;
  // Starts a clustering {algo, features, k, eps, min_samples, seed, cut}; its outcome goes to
  // Platform::job_finished(job_id). Returns {ok, error?}.
  std::string cluster(std::string_view json, int job_id);
  // Starts the k-means elbow (k = 2..12) on {features}; reported like cluster().
  std::string elbow(std::string_view json, int job_id);
  // Cancels the clustering or elbow in progress, and the map's layout (the map drawn stays).
  std::string cancel_job();
  // Where a model's point was drawn on the map in the last frame: {ok, x, y, visible, row, label}.
  std::string map_point(std::string_view model_id) const;
  // The drawn map's own coordinates in catalogue order: {ok, method, features, seed, points}.
  std::string map_points() const;
  // What the map drew over its points in the last frame: names, density, highlighted rows.
  std::string map_overlay() const;
  // The lasso's models in the table's order as CSV (core's export_selection_csv, formula cells
  // neutralised): {ok, csv, rows, fileName}, or {ok: false, error} with nothing selected.
  std::string export_selection() const;

  // The catalogue in use with its model tree and search index, shared, not copied (all null
  // before the first load): the page's window.hfrec.core() hands them to core/api.h.
  struct SharedCatalogue {
    std::shared_ptr<const Index> index;
    std::shared_ptr<const Lineage> lineage;
    std::shared_ptr<const SearchIndex> search;
  };
  SharedCatalogue shared_catalogue();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hfrec::app
