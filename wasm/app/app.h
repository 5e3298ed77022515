// The app's state and what the views may ask of it: views/draw_frame reads AppState and appends
// Intents; the Controller (controller.h) computes everything and the Platform does browser work.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clustering.h"  // kAutoStartSeconds
#include "core/map_grid.h"
#include "core/map_labels.h"
#include "core/map_lasso.h"
#include "core/query.h"      // Method, Filters
#include "core/selection.h"  // SelectionSort
#include "core/text.h"       // CodePointSet

namespace hfrec::app {

// A tab of the main panel. New views (clusters, map) add a value here, a tab in draw_frame, a name
// in core/share_link.h's kViews and a draw function in app.cpp.
enum class View { results, clusters };
const char* view_name(View v);
// A model id as drawn: invisible code points (zero-width, bidirectional and other controls) and
// bytes that are not UTF-8 written out as "[U+200B]", "[0xFF]" (core's visible_text), so ids that
// differ only there look different. The id itself (selection, links, copying) is unchanged.
std::string shown_id(std::string_view id);
bool parse_view(const std::string& s, View& out);

struct CatalogueInfo {
  std::string name;    // file name or URL's last segment
  std::string source;  // the URL it came from, "" for a file or drop
  std::string format;  // "csv" or "json"
  size_t rows = 0;
  std::vector<std::string> warnings;
  double load_ms = 0;       // from the bytes being handed over to ready, as the user waits
  double load_work_ms = 0;  // of which parsing and indexing (the rest is drawing frames and idling)
  std::string origin;       // "builtin" (the page's own), "file" (picked or dropped), "url" or "hub"
};

// The source the page passes for its own built-in catalogue (begin_load).
inline constexpr const char* kBuiltinSource = "builtin:";

// One row of a ranked list, ready to draw.
struct ResultRow {
  std::string model_id;
  double score = 0;
  int64_t downloads = 0;
  std::string task, library, model_type;
  std::string why;        // shared tokens/attributes, comma-separated (raw, as the CLI gives them)
  std::string why_words;  // the same in words: "same task: fill-mask · both cite arXiv:1810.04805"
  bool in_both = false;   // compare mode: also in the other list
  int rank = 0;           // rank by score (stays when the table is re-sorted)
  // Its place in the model tree (core/lineage.h), when the catalogue names base models: its first
  // base model ("" for none), how many models were made from it, how many share a base with it.
  bool has_lineage = false;
  std::string parent;
  size_t children = 0, siblings = 0;
  // Its kinship with the query: "child" (made from the query), "parent" (the query's base model),
  // "sibling" (same base model), or "".
  std::string kin;
};

// A base model of the query.
struct LineageLink {
  std::string id;
  std::string relation;       // "finetune", "adapter", "quantized", "merge", or "" (unspecified)
  bool in_catalogue = false;  // it is a model of this catalogue (so it can be the query)
};

// The query's place in the model tree: its base models, the models that share one (siblings) and
// the models made from it (children). Lists hold the most downloaded first, at most kListed.
struct QueryLineage {
  static constexpr size_t kListed = 50;
  bool available = false;  // some model of the catalogue names a base model
  std::vector<LineageLink> parents;
  std::vector<std::string> siblings, children;
  size_t siblings_total = 0, children_total = 0;
};

struct ResultList {
  std::string method;
  std::vector<ResultRow> rows;
  std::string error;
  double compute_ms = 0;  // the core's recommend() call alone
  // The method's index is still being built (the hybrid model of a large catalogue, in slices
  // after the load): what it is doing and how far, in [0, 1]; the rows come when it is done.
  std::string preparing;
  float preparing_progress = 0;
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
  bool missing = false;  // a value a link or set() asked for that no model of this catalogue has
};

enum class SortKey { score, downloads };

// Clustering parameters as the UI edits them (names as core/clustering.h parses them).
struct ClusterParams {
  std::string algo = "kmeans";          // kmeans, ward, dbscan
  std::string features = "attributes";  // attributes, soup, tfidf
  int k = 8;                            // k-means k; Ward cut
  double eps = 0.3;                     // DBSCAN radius (cosine distance)
  int min_samples = 5;                  // DBSCAN
  uint64_t seed = 0;
  double cut = -1;  // Ward: cut height instead of k when >= 0
  bool operator==(const ClusterParams&) const = default;
};

// A cluster of the current result, ready to draw.
struct ClusterRow {
  int label = 0;  // -1: noise
  uint32_t size = 0;
  std::string name;
  std::vector<std::string> top;  // most downloaded members
};

// The top of a Ward dendrogram (scipy's truncate_mode='lastp'), laid out in [0, 1] x height.
struct DendroLink {
  float x_left, x_right, h_left, h_right, h;  // children's x and heights, the merge height
};
struct DendroLeaf {
  float x;
  uint32_t size;  // catalogue rows below
};

// Metrics of one k of the elbow.
struct ElbowPoint {
  int k = 0;
  double inertia = 0, silhouette = 0, davies_bouldin = 0, calinski_harabasz = 0;
};

// Catalogue facts for one map point (hover tooltip, click).
struct PointInfo {
  std::string model_id, task;
  int64_t downloads = 0;
  int label = 0;
};

// The map's layout as published by the ClusterController: which map is drawn and the UMAP layout
// job (core/layout.h) that runs beside the clustering, in its own slices.
struct MapLayoutState {
  std::string shown;       // the map drawn: "pca" (the clustering's) or "umap"; "" before a clustering
  std::string features;    // of the UMAP map drawn (or being laid out)
  uint64_t seed = 0;       // likewise
  bool running = false;    // a UMAP layout is being computed
  float progress = 0;      // of the running layout, 0..1
  std::string stage;       // "layout: epoch 12/200"
  bool cancelled = false;  // the last layout was cancelled: the map stays as it was
  std::string held;        // a link's layout estimated too long to start by itself, why; else ""
  double auto_start_seconds = kAutoStartSeconds;  // longer (estimate_layout_seconds) is held for a link
  double seconds = 0;                             // the drawn UMAP map's compute time (its steps alone)
  double wall_seconds = 0;                        // from its start to the map, as waited (frames drawn between steps)
  bool approximate = false;                       // the drawn UMAP map's kNN graph is NN-descent's (core/knn_graph.h)
  double longest_step_ms = 0;                     // the longest step of the last layout (the frame budget check)
  int computed = 0;  // layouts computed since the catalogue was loaded (a cache hit adds none)
};

// The clustering as published by the ClusterController, plus a uniform grid over the map for
// culling and hit tests (rows sorted by cell, most downloaded first within a cell).
struct ClusterState {
  // The job in progress.
  bool running = false;
  std::string job_kind;  // "cluster" or "elbow"
  float progress = 0;
  std::string stage;
  std::string error;

  bool has_result = false;
  ClusterParams params;              // of the result
  std::vector<ClusterRow> clusters;  // by label, largest first
  size_t noise = 0;
  double inertia = 0, silhouette = 0, davies_bouldin = 0, calinski_harabasz = 0;
  size_t silhouette_rows = 0;
  double seconds = 0;       // the clustering's compute time (its steps alone)
  double wall_seconds = 0;  // from Run to the result, as waited (frames drawn between steps included)
  int focus = -2;           // cluster shown alone: >= 0, -1 noise, -2 none
  std::string note;         // what the result differs in from the request (k-means k above the distinct rows)
  // A clustering the view would have started by itself (a link, a load) but held back as too
  // long (estimate above auto_start_seconds): says so and waits for Run. Empty otherwise.
  std::string held;
  double auto_start_seconds = kAutoStartSeconds;

  // The map: per catalogue row, its position in the unit square (y up) and a uniform grid over
  // the points (core/map_grid.h: culling, level of detail, the nearest point), label, size factor.
  MapGrid map_grid;
  std::vector<float> map_xy;  // the drawn map's own coordinates, 2 per row (before fitting to the square)
  MapLayoutState layout;
  std::vector<int32_t> labels;
  std::vector<float> size;                        // by downloads: 0.6 .. 2.6
  std::function<PointInfo(uint32_t)> point_info;  // facts of a row (valid while has_result)

  // The rows inside the map's lasso (core/map_lasso.h), in the table's order (AppState::
  // selection_sort; most downloaded first until a header is clicked); cleared when the map changes.
  std::vector<uint32_t> selection;
  // Per cluster label, its centre on the drawn map (core/map_labels.h; the name is drawn there).
  std::vector<MapCentre> centres;

  int query_row = -1;              // the query model's row
  std::vector<uint32_t> rec_rows;  // its recommendations' rows

  // Ward only.
  std::vector<DendroLink> dendro_links;
  std::vector<DendroLeaf> dendro_leaves;
  std::vector<double> merge_heights;  // all merges, highest first
  double dendro_max = 0;              // root height
  double cut_height = -1;             // the cut in use (height between the k-th and k+1-th merge)

  std::vector<ElbowPoint> elbow;
  std::string elbow_features;

  // Clusters a cut at height h gives.
  int clusters_at(double h) const {
    int k = 1;
    for (double m : merge_heights) {
      if (m <= h) break;
      ++k;
    }
    return k;
  }
};

// The map's view: centre in the unit square and zoom (1: the whole map fits).
struct MapView {
  double cx = 0.5, cy = 0.5, zoom = 1;
  bool operator==(const MapView&) const = default;
};

// A cluster name drawn on the map in the last frame: its box in canvas pixels, as hfrec.mapPoint()
// measures before the page offset (hfrec.mapOverlay()).
struct MapLabelShown {
  int cluster = 0;
  std::string name;
  float x = 0, y = 0, w = 0, h = 0;  // top left, width, height
};

// The map's density shading is on by default above this many points (below it every point is
// drawn apart and shading adds nothing).
inline constexpr size_t kDensityAutoRows = 5000;

// The cluster view's focus (ClusterState::focus): a cluster's label (>= 0), the noise, or none.
inline constexpr int kFocusNoise = -1;
inline constexpr int kFocusNone = -2;

// The view as one typed value: the query, the ranked list's method, k and filters, the tab, the
// clustering controls and the map. The controls, set(), share links and back/forward all change
// the view by reading this value, changing it and handing it to the Controller's one writer
// (Controller::Impl::apply_view), which checks all of it before writing any of it. The keys and
// ranges are core/view_params.h's table.
struct ViewParams {
  std::string query;               // the query model ("" for none); callers check it is in the catalogue
  Method method = Method::hybrid;  // the best of hfrec eval's protocols (docs/hybrid.md)
  std::optional<Method> compare;   // a second method shown side by side
  int k = 10;
  Filters filters;
  View view = View::results;
  ClusterParams cluster;     // the clustering controls' values
  bool run_cluster = false;  // start clustering with `cluster` (checked before anything changes)
  std::optional<int> focus;  // the cluster to show alone (a label, kFocusNoise, kFocusNone); unset: as is
  MapView map;
  bool size_by_downloads = false;
  std::string layout = "umap";  // the map's layout: "umap" or "pca" (core/share_link.h's kLayouts)
  // What a UMAP map is laid out from: "clusters" (the clustering's feature space) or a space of
  // core/share_link.h's kMapSpaces (hybrid included, which no clustering uses).
  std::string map_features = "clusters";
  bool run_layout = false;  // lay out again a UMAP map whose layout was cancelled
  // The map's lasso in map units (empty: none); selected once the map it was drawn on is shown.
  MapPolygon lasso;
};

// What the UI asks for. Compute intents go to the Controller, browser ones to the Platform.
struct Intent {
  enum Kind {
    search,         // text: the search box's text
    select,         // text: model id; becomes the query (history entry)
    select_hit,     // the search hit under the cursor (after any search emitted before it)
    set_method,     // text: method name
    set_compare,    // text: method name, "" for none
    set_k,          // value
    toggle_filter,  // value: 0 task, 1 library, 2 model type; text: the value
    clear_filters,
    set_view,     // text
    set_sort,     // value: SortKey; flag: descending
    open_file,    // the file picker
    open_hub,     // the Load from the Hub dialog (the page draws it: web/hub.js)
    copy_text,    // text
    open_url,     // text
    export_list,  // text: "csv" or "json"
    copy_link,
    back,
    forward,
    dismiss_error,
    run_cluster,       // runs AppState::cluster_draft
    cancel_job,        // the clustering or elbow in progress
    focus_cluster,     // value: label, -1 noise, -2 none
    recut,             // number: Ward cut height
    run_elbow,         // k-means elbow for k = 2..12 on the draft's features
    map_moved,         // the map's view changed (share link)
    set_layout,        // text: "umap" or "pca"
    set_map_features,  // text: one of kMapSpaces ("clusters", "hybrid", ...)
    cancel_layout,     // the UMAP layout in progress (the map stays as it is)
    lasso,             // the map's lasso closed: selects the rows inside AppState::lasso (empty: clears)
    sort_selection,    // value: SelectionColumn; flag: descending (the lasso's table)
    export_selection,  // the lasso's models as CSV, downloaded
  };
  Kind kind;
  std::string text;
  int value = 0;
  bool flag = false;
  double number = 0;
};

// AppState::copied after Copy link.
inline constexpr const char* kCopiedLink = "\x01link";

struct AppState {
  // --- published by the Controller ---
  bool has_catalogue = false;
  CatalogueInfo catalogue;
  bool busy = false;   // loading or indexing
  float progress = 0;  // of the busy work, 0..1
  std::string stage;   // "Parsing data.csv"
  std::string error;   // what went wrong and where; the old catalogue stays
  std::string notice;  // e.g. a share link made with another catalogue
  // The last share link's rejected parameters (key, value, why), and a model it may have meant
  // ("did you mean"): the notice and error name them; the view offers link_suggestion as a button.
  struct LinkIssue {
    std::string key, value, reason;
  };
  std::vector<LinkIssue> link_issues;
  std::string link_suggestion;
  // The keys the page's own link (the URL) had to leave out: values a link cannot carry (a model
  // id over 1,024 bytes or with control characters, a catalogue name over 256 bytes, filter values
  // past the link's 200 parameters). Empty when the URL holds the whole view.
  std::vector<std::string> link_left_out;
  std::vector<std::string> methods;                         // every method, from kAllMethods
  std::vector<std::string> method_help;                     // what each of `methods` does, in plain words
  std::vector<FilterOption> tasks, libraries, model_types;  // most common first
  std::vector<std::string> suggestions;                     // a few models to start from (most downloaded)

  std::string query;  // the query model, "" for none
  std::string query_task, query_library, query_model_type;
  int64_t query_downloads = 0;
  QueryLineage query_lineage;
  bool model_tree_open = false;  // the Model tree panel (the view's own)
  std::string query_url;         // its page on huggingface.co; "" when the id cannot name one ("." or ".." segments)
  std::string method = "hybrid";
  std::string compare;  // "" when not comparing
  int k = 10;
  View view = View::results;
  SortKey sort = SortKey::score;
  bool sort_descending = true;
  ResultList primary, secondary;
  int overlap = 0;
  bool can_back = false, can_forward = false;
  CodePointSet glyphs;  // the code points beyond ASCII the catalogue uses (the font atlas holds them)
  std::string copied;   // what was just copied (a model id, or kCopiedLink), for "Copied ✓"
  std::vector<SearchRow> search_hits;
  size_t search_count = 0;
  std::string search_text;        // the text the hits are for
  std::string search_query;       // what was searched: search_text, or the model id in a pasted Hub URL
  std::string search_suggestion;  // when nothing matches: the nearest model id ("did you mean"), or ""
  ClusterState clusters;

  // --- owned by the UI (the Controller sets them from links and the API) ---
  ClusterParams cluster_draft;  // the controls' values
  MapView map;
  bool size_by_downloads = false;
  std::string map_layout = "umap";        // the map's layout asked for: "umap" or "pca" (ViewParams::layout)
  std::string map_features = "clusters";  // what a UMAP map is laid out from (ViewParams::map_features)
  // The map's transform in the last frame, for hfrec.mapPoint(): screen = origin + (p - centre) * scale.
  float map_origin_x = 0, map_origin_y = 0, map_scale = 0;
  float map_clip[4] = {0, 0, 0, 0};  // visible canvas rectangle x0, y0, x1, y1
  int map_density = -1;              // density shading: -1 auto (on above kDensityAutoRows points), 0 off, 1 on
  // What the map drew in the last frame, for hfrec.mapOverlay(): the cluster names placed (the
  // rest hidden as crowded or off screen) and the density blocks shaded.
  std::vector<MapLabelShown> map_labels;
  size_t map_labels_hidden = 0;
  size_t map_density_blocks = 0;
  bool map_lasso = false;          // the Lasso toggle: a drag on the map draws a polygon (Shift+drag too)
  std::vector<float> lasso_px;     // the lasso being drawn: x0, y0, x1, y1, ... in canvas pixels
  MapPolygon lasso;                // the last closed lasso in map units (Intent::lasso selects inside it)
  SelectionSort selection_sort;    // the lasso's table order (its headers; core/selection.h)
  View tab_shown = View::results;  // the tab ImGui shows (follows `view` a frame later)
  bool map_dragging = false;
  double cut_drag = -1;  // the dendrogram's cut line while it is dragged

  // --- owned by the UI ---
  char search_buf[512] = {};
  int search_cursor = 0;     // highlighted search hit
  bool focus_search = true;  // focus the search box on the next frame
  bool dark = false;
  float dpr = 1;
  std::vector<Intent> intents;
};

}  // namespace hfrec::app
