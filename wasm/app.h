// The app's state and its one drawing function. draw_frame reads AppState and appends Intents;
// the Controller (controller.h) computes everything and the Platform does browser work.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hfrec::app {

// A tab of the main panel. New views (clusters, map) add a value here, a tab in draw_frame, a name
// in core/share_link.h's kViews and a draw function in app.cpp.
enum class View { results };
const char* view_name(View v);
bool parse_view(const std::string& s, View& out);

struct CatalogueInfo {
  std::string name;    // file name or URL's last segment
  std::string source;  // the URL it came from, "" for a file or drop
  std::string format;  // "csv" or "json"
  size_t rows = 0;
  std::vector<std::string> warnings;
};

// One row of a ranked list, ready to draw.
struct ResultRow {
  std::string model_id;
  double score = 0;
  int64_t downloads = 0;
  std::string task, library, model_type;
  std::string why;      // shared tokens/attributes, comma-separated
  bool in_both = false; // compare mode: also in the other list
  int rank = 0;         // rank by score (stays when the table is re-sorted)
};

struct ResultList {
  std::string method;
  std::vector<ResultRow> rows;
  std::string error;
};

struct SearchRow {
  std::string model_id;
  std::string kind;  // "exact", "prefix", ...
  std::string task;
  int64_t downloads = 0;
};

struct FilterOption {
  std::string value;
  uint32_t count = 0;
  bool on = false;
};

enum class SortKey { score, downloads };

// What the UI asks for. Compute intents go to the Controller, browser ones to the Platform.
struct Intent {
  enum Kind {
    search,         // text: the search box's text
    select,         // text: model id; becomes the query (history entry)
    set_method,     // text: method name
    set_compare,    // text: method name, "" for none
    set_k,          // value
    toggle_filter,  // value: 0 task, 1 library, 2 model type; text: the value
    clear_filters,
    set_view,       // text
    set_sort,       // value: SortKey; flag: descending
    open_file,      // the file picker
    copy_text,      // text
    open_url,       // text
    export_list,    // text: "csv" or "json"
    copy_link,
    back,
    forward,
    dismiss_error,
  };
  Kind kind;
  std::string text;
  int value = 0;
  bool flag = false;
};

struct AppState {
  // --- published by the Controller ---
  bool has_catalogue = false;
  CatalogueInfo catalogue;
  bool busy = false;         // loading or indexing
  float progress = 0;        // of the busy work, 0..1
  std::string stage;         // "Parsing data.csv"
  std::string error;         // what went wrong and where; the old catalogue stays
  std::string notice;        // e.g. a share link made with another catalogue
  std::vector<std::string> methods;  // every method, from kAllMethods
  std::vector<FilterOption> tasks, libraries, model_types;  // most common first
  std::vector<std::string> suggestions;  // a few models to start from (most downloaded)

  std::string query;         // the query model, "" for none
  std::string query_task, query_library, query_model_type;
  int64_t query_downloads = 0;
  std::string method = "cosine";
  std::string compare;       // "" when not comparing
  int k = 10;
  View view = View::results;
  SortKey sort = SortKey::score;
  bool sort_descending = true;
  ResultList primary, secondary;
  int overlap = 0;
  bool can_back = false, can_forward = false;
  std::vector<SearchRow> search_hits;
  size_t search_count = 0;
  std::string search_text;   // the text the hits are for

  // --- owned by the UI ---
  char search_buf[512] = {};
  int search_cursor = 0;      // highlighted search hit
  bool focus_search = true;   // focus the search box on the next frame
  bool dark = false;
  float dpr = 1;
  std::vector<Intent> intents;
};

// Draws one frame of the app into the current ImGui context.
void draw_frame(AppState& s);

}  // namespace hfrec::app
