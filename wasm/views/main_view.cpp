// The ImGui app: one full-window frame that reads AppState and appends Intents. It computes
// nothing (ranking, sorting, search and exports happen in the Controller).
//
// Index of this file:
// - the header: banner, draw_catalogue_line, draw_header
// - search and settings: search_callback, filter_combo, method_combo, draw_search, draw_settings
// - the frame: draw_views (tabs), draw_frame
// The tabs' contents are results_view.cpp and cluster_view.cpp.
#include "app/app.h"

#include <cstdio>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"
#include "views/fonts.h"
#include "views/input.h"
#include "views/theme.h"
#include "views/ui.h"
#include "views/views.h"
#include "views/widgets.h"

namespace hfrec::app {
namespace {

constexpr float kSidebarWidth = 330.0f;

using ui::emit;
using ui::heading;
using ui::muted;
using ui::thousands;
using ui::tooltip;

// A coloured box with wrapped text and a dismiss button.
void banner(AppState& s, const std::string& text, ImU32 bg, const char* id) {
  ImGui::PushID(id);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x;
  float wrap = w - 110;
  ImVec2 ts = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
  float h = ts.y + 16;
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), bg, 6);
  ImGui::SetCursorScreenPos(ImVec2(p.x + 10, p.y + 8));
  ImGui::PushTextWrapPos(ImGui::GetCursorPos().x + wrap);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::SetCursorScreenPos(ImVec2(p.x + w - 90, p.y + (h - ImGui::GetFrameHeight()) / 2));
  if (ImGui::Button("Dismiss", ImVec2(80, 0))) emit(s, Intent::dismiss_error);
  ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h + 6));
  ImGui::Dummy(ImVec2(0, 0));
  ImGui::PopID();
}

// The catalogue's name and size (tooltip: where from, how long it took), then its warnings.
void draw_catalogue_line(AppState& s, float max_w) {
  if (s.has_catalogue) {
    const auto& c = s.catalogue;
    // Where it came from, always on the line (a link's catalogue may come from another site).
    std::string where;
    if (c.origin == "url") {
      const size_t scheme = c.source.find("://");
      where = scheme == std::string::npos ? "this site"
                                          : c.source.substr(scheme + 3, c.source.find('/', scheme + 3) - scheme - 3);
    } else if (c.origin == "hub") {
      where = "the Hub";
    } else if (c.origin == "file") {
      where = "your file";
    }
    std::string line = c.name + "  ·  " + thousands(static_cast<int64_t>(c.rows)) + " models" +
                       (where.empty() ? "" : "  ·  from " + where);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 3);
    ImGui::TextUnformatted(ui::ellipsize(line, max_w).c_str());
    char took[96];
    std::snprintf(took, sizeof took, "\nReady %.2f s after it arrived (%.2f s parsing and indexing)", c.load_ms / 1000,
                  c.load_work_ms / 1000);
    const std::string from = c.origin == "builtin"
                                 ? "This page's default catalogue: " + thousands(static_cast<int64_t>(c.rows)) +
                                       " real models (" + c.format + "); load the live Hub or your own for more"
                             : c.origin == "file" ? "Loaded from a file on this device (" + c.format + ")"
                             : c.origin == "hub"  ? "Loaded from the Hugging Face Hub (" + c.source.substr(4) + ")"
                                                  : "Loaded from " + c.source;
    tooltip(from + took);
    if (!c.warnings.empty()) {
      ImGui::SameLine();
      std::string w = "⚠ " + std::to_string(c.warnings.size()) + (c.warnings.size() == 1 ? " warning" : " warnings");
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.85f, 0.55f, 0.05f, 1));
      ImGui::TextUnformatted(w.c_str());
      ImGui::PopStyleColor();
      std::string all;
      for (const auto& x : c.warnings) all += (all.empty() ? "" : "\n") + x;
      tooltip(all);
    }
  } else {
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 3);
    muted(s.busy ? "Loading a catalogue…" : "No catalogue loaded");
  }
}

// The title, the catalogue line (its own row in the narrow layout, so the buttons never cover
// it) and the page's actions.
void draw_header(AppState& s, bool narrow) {
  ImGui::PushFont(fonts().title);
  ImGui::TextUnformatted("hfrec");
  ImGui::PopFont();
  ImGui::SameLine(0, 14);
  ImGui::AlignTextToFramePadding();
  const float bw = 96, gap = ImGui::GetStyle().ItemSpacing.x;
  if (!narrow) draw_catalogue_line(s, ImGui::GetWindowContentRegionMax().x - 3 * bw - 3 * gap - ImGui::GetCursorPosX());
  // Right-aligned actions.
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - 3 * bw - 2 * gap);
  if (!narrow) ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 3);
  if (ImGui::Button("Open…", ImVec2(bw, 0))) emit(s, Intent::open_file);
  tooltip("Open a catalogue (.csv or Hub .json); you can also drop one anywhere on the page");
  ImGui::SameLine();
  if (ImGui::Button("From Hub…", ImVec2(bw, 0))) emit(s, Intent::open_hub);
  tooltip("Load the model list from huggingface.co (asks first)");
  ImGui::SameLine();
  ImGui::BeginDisabled(s.query.empty());
  if (ImGui::Button(s.copied == kCopiedLink ? "Copied ✓###copylink" : "Copy link###copylink", ImVec2(bw, 0)))
    emit(s, Intent::copy_link);
  ImGui::EndDisabled();
  tooltip("Copy a link that opens this exact view");
  if (narrow) draw_catalogue_line(s, ImGui::GetContentRegionAvail().x);

  if (s.busy) {
    float frac = s.progress < 0 ? 0.0f : s.progress;
    ImGui::ProgressBar(frac, ImVec2(-1, 0), s.stage.c_str());
  }
  if (!s.error.empty()) banner(s, s.error, palette().error_bg, "error");
  if (!s.notice.empty()) banner(s, s.notice, palette().notice_bg, "notice");
  if (!s.link_suggestion.empty() && ImGui::Button(("Open " + s.link_suggestion + "###linksug").c_str()))
    emit(s, Intent::select, s.link_suggestion);  // the link's "did you mean"
}

int search_callback(ImGuiInputTextCallbackData* data) {
  input::text_field_callback(data);  // the page's text input (phone keyboards type there)
  auto* s = static_cast<AppState*>(data->UserData);
  if (data->EventFlag == ImGuiInputTextFlags_CallbackHistory && !s->search_hits.empty()) {
    int n = static_cast<int>(s->search_hits.size());
    if (data->EventKey == ImGuiKey_UpArrow) s->search_cursor = (s->search_cursor + n - 1) % n;
    if (data->EventKey == ImGuiKey_DownArrow) s->search_cursor = (s->search_cursor + 1) % n;
  }
  return 0;
}

void filter_combo(AppState& s, const char* label, int field, const std::vector<FilterOption>& opts) {
  int on = 0;
  std::string first;
  for (const auto& o : opts)
    if (o.on) {
      if (!on) first = o.value;
      ++on;
    }
  bool missing = false;
  for (const auto& o : opts) missing = missing || (o.on && o.missing);
  std::string preview = on == 0 ? "any" : on == 1 ? first : std::to_string(on) + " selected";
  if (missing) preview += on == 1 ? " (not in this catalogue)" : " (some not in this catalogue)";
  ImGui::PushID(label);
  muted(label);
  ImGui::SetNextItemWidth(-1);
  const std::string combo_name = std::string("##") + label;
  const bool combo_open = ImGui::BeginCombo(combo_name.c_str(), preview.c_str(), ImGuiComboFlags_HeightLarge);
  ui::name_item(combo_name.c_str());
  if (combo_open) {
    if (opts.empty()) muted("no values in this catalogue");
    for (size_t i = 0; i < opts.size(); ++i) {
      bool v = opts[i].on;
      std::string item = opts[i].value +
                         (opts[i].missing ? "  (not in this catalogue)" : "  (" + thousands(opts[i].count) + ")") +
                         "##" + std::to_string(i);
      if (ImGui::Checkbox(item.c_str(), &v)) emit(s, Intent::toggle_filter, opts[i].value, field);
    }
    ImGui::EndCombo();
  }
  ImGui::PopID();
}

void method_combo(AppState& s, const char* label, const std::string& current, bool allow_none, Intent::Kind kind) {
  ImGui::SetNextItemWidth(-1);
  std::string preview = current.empty() ? "none" : current;
  const bool open = ImGui::BeginCombo(label, preview.c_str());
  ui::name_item(label);
  auto help = [&](const std::string& m) -> std::string {
    for (size_t i = 0; i < s.methods.size() && i < s.method_help.size(); ++i)
      if (s.methods[i] == m) return m + ": " + s.method_help[i];
    return "";
  };
  if (!open) tooltip(current.empty() ? "Compare with a second method's list, side by side" : help(current));
  if (open) {
    if (allow_none && ImGui::Selectable("none", current.empty())) emit(s, kind, "");
    for (const auto& m : s.methods) {
      if (ImGui::Selectable(m.c_str(), m == current)) emit(s, kind, m);
      tooltip(help(m));
    }
    ImGui::EndCombo();
  }
}

// The search box, its count and its hits (or popular models). Narrow: the list shows only while
// there is something to pick, a few rows of tap-sized height.
void draw_search(AppState& s, bool narrow) {
  if (!narrow) heading("Find a model");  // narrow: the box's hint says it, the results get the room
  ImGui::SetNextItemWidth(-1);
  if (s.focus_search) {
    ImGui::SetKeyboardFocusHere();
    s.focus_search = false;
  }
  bool enter = ImGui::InputTextWithHint(
      "##search", "Search by model id or author", s.search_buf, sizeof s.search_buf,
      ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackHistory | ImGuiInputTextFlags_CallbackAlways,
      search_callback, &s);
  input::hover_item(input::HoverKind::text);
  if (s.search_text != s.search_buf) emit(s, Intent::search, s.search_buf);
  if (enter) {  // after the search above, so text typed in this same frame counts
    emit(s, Intent::select_hit);
    s.focus_search = true;
  }
  if (s.search_text.empty()) {
    if (!(narrow && !s.query.empty()))
      muted(s.has_catalogue ? "Type to search " + thousands(static_cast<int64_t>(s.catalogue.rows)) + " models" : " ");
  } else {
    muted(s.search_count == 1 ? "1 match" : thousands(static_cast<int64_t>(s.search_count)) + " matches");
    if (!s.search_suggestion.empty() &&
        ImGui::Selectable(("Did you mean " + s.search_suggestion + "?###searchsug").c_str()))
      emit(s, Intent::select, s.search_suggestion);
  }
  const bool show_suggestions = s.search_text.empty() && !(narrow && !s.query.empty());
  const size_t rows = show_suggestions ? s.suggestions.size() + 1 : s.search_hits.size();
  if (narrow && rows == 0) return;
  const float row_h = narrow ? ui::kTapSize - ImGui::GetStyle().ItemSpacing.y : 0;
  float list_h = narrow ? std::min<float>(static_cast<float>(rows), 5.5f) * ui::kTapSize + 8
                        : std::max(100.0f, ImGui::GetContentRegionAvail().y - 445);
  ImGui::BeginChild("##hits", ImVec2(0, list_h), true);
  widgets_mark_list();
  if (show_suggestions) {
    if (!s.suggestions.empty()) muted("Popular");
    for (size_t i = 0; i < s.suggestions.size(); ++i) {
      std::string label = s.suggestions[i] + "##sug" + std::to_string(i);
      if (ImGui::Selectable(label.c_str(), s.suggestions[i] == s.query, 0, ImVec2(0, row_h)))
        emit(s, Intent::select, s.suggestions[i]);
    }
  }
  for (size_t i = 0; i < s.search_hits.size(); ++i) {
    const auto& h = s.search_hits[i];
    bool cursor = static_cast<int>(i) == s.search_cursor;
    std::string label = shown_id(h.model_id) + "##hit" + std::to_string(i);
    if (ImGui::Selectable(label.c_str(), cursor, 0, ImVec2(0, row_h))) {
      emit(s, Intent::select, h.model_id);
    }
    if (cursor && ImGui::IsItemVisible() == false) ImGui::SetScrollHereY();
    tooltip(shown_id(h.model_id) + (h.task.empty() ? "" : "\n" + h.task) + "\n" + thousands(h.downloads) +
            " downloads · " + h.kind + " match");
  }
  ImGui::EndChild();
}

// Method, k, the comparison and the filters (the sidebar's lower half; the narrow layout's drawer).
void draw_settings(AppState& s) {
  heading("Method");
  method_combo(s, "##method", s.method, false, Intent::set_method);
  muted("Number of recommendations (k)");
  int k = s.k;
  ImGui::SetNextItemWidth(-1);
  const bool k_changed = ImGui::SliderInt("##k", &k, 1, 100, "k = %d", ImGuiSliderFlags_AlwaysClamp);
  input::hover_item(input::HoverKind::drag);
  if (k_changed && k != s.k) emit(s, Intent::set_k, {}, k);
  muted("Compare with");
  method_combo(s, "##compare", s.compare, true, Intent::set_compare);

  ImGui::Spacing();
  heading("Filters");
  filter_combo(s, "Task", 0, s.tasks);
  filter_combo(s, "Library", 1, s.libraries);
  filter_combo(s, "Model type", 2, s.model_types);
  bool any = false;
  for (auto* v : {&s.tasks, &s.libraries, &s.model_types})
    for (const auto& o : *v) any = any || o.on;
  ImGui::BeginDisabled(!any);
  if (ImGui::Button("Clear filters")) emit(s, Intent::clear_filters);
  ImGui::EndDisabled();
}

void draw_views(AppState& s, bool narrow) {
  if (ImGui::BeginTabBar("##views")) {
    // A view set from outside (link, API) selects its tab; the tab switches on the next frame.
    const bool requested = s.view != s.tab_shown;
    auto flags = [&](View v) { return requested && s.view == v ? ImGuiTabItemFlags_SetSelected : 0; };
    View open = s.tab_shown;
    // Both tabs first, then the open view: the keyboard's Tab order is the reading order.
    bool results_open = ImGui::BeginTabItem("Recommendations", nullptr, flags(View::results));
    ui::name_item("Recommendations");
    if (results_open) {
      open = View::results;
      ImGui::EndTabItem();
    }
    bool clusters_open = ImGui::BeginTabItem("Clusters", nullptr, flags(View::clusters));
    ui::name_item("Clusters");
    if (clusters_open) {
      open = View::clusters;
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
    ImGui::Spacing();
    if (results_open) draw_results_view(s, narrow);
    else if (clusters_open) draw_clusters_view(s);
    if (open != s.view && !requested) emit(s, Intent::set_view, view_name(open));
    s.tab_shown = open;
  }
}

}  // namespace

void draw_frame(AppState& s) {
  ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("hfrec", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  const bool narrow = narrow_layout(io.DisplaySize.x);
  if (narrow) {
    // Tap-sized controls: every frame (buttons, fields, tabs, combos, the drawer) 44 px tall.
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(10, std::max(ImGui::GetStyle().FramePadding.y,
                                                                        (ui::kTapSize - ImGui::GetFontSize()) / 2)));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, 8));
  }
  draw_header(s, narrow);
  ImGui::Spacing();

  if (narrow) {
    // One column that scrolls as a page: search, the drawer, the tabs and their view.
    draw_search(s, true);
    std::string drawer = "Method & filters  ·  " + s.method + ", k = " + std::to_string(s.k) + "###drawer";
    if (ImGui::CollapsingHeader(drawer.c_str())) {
      ImGui::Indent(4);
      draw_settings(s);
      ImGui::Unindent(4);
    }
    draw_views(s, true);
    ImGui::PopStyleVar(2);
  } else {
    float sidebar = std::min(kSidebarWidth, io.DisplaySize.x * 0.4f);
    ImGui::BeginChild("##sidebar", ImVec2(sidebar, 0), false);
    draw_search(s, false);
    ImGui::Spacing();
    draw_settings(s);
    ImGui::EndChild();
    ImGui::SameLine(0, 16);
    ImGui::BeginChild("##main", ImVec2(0, 0), false);
    draw_views(s, false);
    ImGui::EndChild();
  }

  // Escape returns to the search box.
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)) && !ImGui::IsAnyItemActive()) s.focus_search = true;
  ImGui::End();
}

}  // namespace hfrec::app
