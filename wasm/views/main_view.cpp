// The ImGui app: one full-window frame that reads AppState and appends Intents. It computes
// nothing (ranking, sorting, search and exports happen in the Controller).
//
// Index of this file:
// - the header: banner, draw_catalogue_line, draw_header
// - search and settings: search_callback, filter_combo, method_combo, draw_search, draw_settings
// - ranked lists: score_text, number_widths, score_bar, cell_text, results_table (wide),
//   result_card and results_cards (narrow), list_heading, draw_empty_state, draw_results_view
// - the frame: draw_views (tabs), draw_frame
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
    std::string label = h.model_id + "##hit" + std::to_string(i);
    if (ImGui::Selectable(label.c_str(), cursor, 0, ImVec2(0, row_h))) {
      emit(s, Intent::select, h.model_id);
    }
    if (cursor && ImGui::IsItemVisible() == false) ImGui::SetScrollHereY();
    tooltip(h.model_id + (h.task.empty() ? "" : "\n" + h.task) + "\n" + thousands(h.downloads) + " downloads · " +
            h.kind + " match");
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

std::string score_text(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", score);
  return buf;
}

constexpr float kMinBar = 40;  // the score bar's width at least, CSS px

// The widest of the list's formatted scores and download counts, so their columns fit them all.
struct NumberWidths {
  float score = 0, downloads = 0, rank = 0;
};
NumberWidths number_widths(const ResultList& list) {
  NumberWidths w;
  w.rank = ImGui::CalcTextSize("00").x;
  for (const ResultRow& r : list.rows) {
    w.score = std::max(w.score, ImGui::CalcTextSize(score_text(r.score).c_str()).x);
    w.downloads = std::max(w.downloads, ImGui::CalcTextSize(thousands(r.downloads).c_str()).x);
    w.rank = std::max(w.rank, ImGui::CalcTextSize(std::to_string(r.rank).c_str()).x);
  }
  return w;
}

// A bar and the score's value after it; `value_w` is the room kept for the value.
void score_bar(const std::string& model_id, double score, float value_w) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x;
  float h = ImGui::GetTextLineHeight();
  float bar_w = std::max(10.0f, w - value_w - 6);
  float f = static_cast<float>(std::clamp(score, 0.0, 1.0));
  dl->AddRectFilled(ImVec2(p.x, p.y + 3), ImVec2(p.x + bar_w, p.y + h - 3), palette().bar_bg, 3);
  dl->AddRectFilled(ImVec2(p.x, p.y + 3), ImVec2(p.x + bar_w * f, p.y + h - 3), palette().accent_soft, 3);
  ui::number("score", model_id, score_text(score), ImVec2(p.x + bar_w + 6, p.y), p.x + w);
  ImGui::Dummy(ImVec2(w, h));
}

// Text in a table cell, shortened with "…" to the cell's width.
void cell_text(const std::string& text, bool faint = false) {
  const std::string t = ui::ellipsize(text, ImGui::GetContentRegionAvail().x);
  if (faint) muted(t);
  else ImGui::TextUnformatted(t.c_str());
}

void results_table(AppState& s, const ResultList& list, int which, float height) {
  ImGui::PushID(which);
  if (!list.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.85f, 0.25f, 0.25f, 1));
    ImGui::TextWrapped("%s: %s", list.method.c_str(), list.error.c_str());
    ImGui::PopStyleColor();
    ImGui::PopID();
    return;
  }
  // Not resizable: ImGui draws a line at every resizable column border.
  ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                          ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuterH |
                          ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Hideable;
  bool compact = !s.compare.empty();
  int cols = 8;
  if (ImGui::BeginTable("##results", cols, flags, ImVec2(0, height))) {
    // The numbers' columns are as wide as their widest value (and their header with its sort
    // arrow), so a number is never cut; the text columns share the rest and shorten with "…".
    const NumberWidths nw = number_widths(list);
    const float arrow = ImGui::GetFontSize();
    const float score_w = std::max(kMinBar + 6 + nw.score, ImGui::CalcTextSize("Score").x + arrow);
    const float downloads_w = std::max(nw.downloads, ImGui::CalcTextSize("Downloads").x + arrow);
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_NoSort, nw.rank);
    ImGui::TableSetupColumn("Model", ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_NoSort, 3.0f);
    ImGui::TableSetupColumn("Score",
                            ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_DefaultSort |
                                ImGuiTableColumnFlags_PreferSortDescending,
                            score_w, 0);
    ImGui::TableSetupColumn("Downloads", ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_PreferSortDescending,
                            downloads_w, 1);
    ImGui::TableSetupColumn("Task",
                            ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_NoSort |
                                (compact ? ImGuiTableColumnFlags_DefaultHide : 0),
                            1.4f);
    ImGui::TableSetupColumn("Library",
                            ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_NoSort |
                                (compact ? ImGuiTableColumnFlags_DefaultHide : 0),
                            1.0f);
    ImGui::TableSetupColumn("Why", ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_NoSort, 2.2f);
    // Wide enough for both buttons at any font size, so narrow windows never clip them.
    const ImGuiStyle& st = ImGui::GetStyle();
    const float actions = ImGui::CalcTextSize("↗").x + ImGui::CalcTextSize("Copy").x + 4 * st.FramePadding.x +
                          st.ItemSpacing.x + 2 * st.CellPadding.x;
    ImGui::TableSetupColumn(
        "##actions", ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_NoSort | ImGuiTableColumnFlags_NoHide,
        actions);
    // The header row by hand, so each header reports its label to widgets() (sort by clicking it).
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int c = 0; c < cols; ++c) {
      if (!ImGui::TableSetColumnIndex(c)) continue;
      const char* name = ImGui::TableGetColumnName(c);
      ImGui::PushID(c);
      // Only the sortable headers are keyboard stops.
      const bool sortable = !(ImGui::TableGetColumnFlags(c) & ImGuiTableColumnFlags_NoSort);
      if (!sortable) ImGui::PushItemFlag(ImGuiItemFlags_NoNav, true);
      ImGui::TableHeader(name);
      if (!sortable) ImGui::PopItemFlag();
      ui::name_item(name);
      ImGui::PopID();
    }
    widgets_mark_list();  // the rows
    if (ImGuiTableSortSpecs* spec = ImGui::TableGetSortSpecs()) {
      if (spec->SpecsDirty && spec->SpecsCount > 0) {
        const ImGuiTableColumnSortSpecs& c = spec->Specs[0];
        SortKey key = c.ColumnUserID == 1 ? SortKey::downloads : SortKey::score;
        bool desc = c.SortDirection == ImGuiSortDirection_Descending;
        if (key != s.sort || desc != s.sort_descending) emit(s, Intent::set_sort, {}, static_cast<int>(key), desc);
        spec->SpecsDirty = false;
      }
    }
    for (size_t i = 0; i < list.rows.size(); ++i) {
      const ResultRow& r = list.rows[i];
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      if (r.in_both) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, palette().both_row);
      ImGui::TableSetColumnIndex(0);
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 2);
      ui::number("rank", r.model_id, std::to_string(r.rank), ImGui::GetCursorScreenPos(),
                 ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x,
                 ImGui::GetColorU32(ImGuiCol_TextDisabled));
      ImGui::TableSetColumnIndex(1);
      std::string label = r.model_id + "##row";
      // The row's selectable draws no text of its own: the id is drawn after it, shortened with
      // "…" to the Model column (the label keeps the full id for widgets()).
      const ImVec2 cell = ImGui::GetCursorScreenPos();
      const float cell_w = ImGui::GetContentRegionAvail().x;
      const float row_h = ImGui::GetTextLineHeight() + 4;
      ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(0, 0, 0, 0));
      if (ImGui::Selectable(label.c_str(), false,
                            ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap,
                            ImVec2(0, row_h)))
        emit(s, Intent::select, r.model_id);
      ImGui::PopStyleColor();
      ImGui::GetWindowDrawList()->AddText(ImVec2(cell.x, cell.y + 2), ImGui::GetColorU32(ImGuiCol_Text),
                                          ui::ellipsize(r.model_id, cell_w).c_str());
      tooltip(r.model_id + (r.in_both ? "\nIn both lists" : "") + "\nClick to make it the query");
      ImGui::TableSetColumnIndex(2);
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 2);
      score_bar(r.model_id, r.score, nw.score);
      ImGui::TableSetColumnIndex(3);
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 2);
      {  // right-aligned, so the digits line up
        const std::string d = thousands(r.downloads);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float w = ImGui::GetContentRegionAvail().x;
        ui::number("downloads", r.model_id, d, ImVec2(p.x + std::max(0.0f, w - ImGui::CalcTextSize(d.c_str()).x), p.y),
                   p.x + w);
        ImGui::Dummy(ImVec2(0, ImGui::GetTextLineHeight()));
      }
      // Hidden columns (Task and Library when comparing) draw nothing: they made rows taller.
      if (ImGui::TableSetColumnIndex(4)) {
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 2);
        cell_text(r.task.empty() ? "—" : r.task);
      }
      if (ImGui::TableSetColumnIndex(5)) {
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 2);
        cell_text(r.library.empty() ? "—" : r.library);
      }
      ImGui::TableSetColumnIndex(6);
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 2);
      cell_text(r.why_words, true);
      tooltip(r.why.empty() ? "" : "Why: " + r.why_words + "\nThe recommender's own terms: " + r.why);
      ImGui::TableSetColumnIndex(7);
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 2);
      if (ImGui::SmallButton("↗##hf")) emit(s, Intent::open_url, r.model_id);
      tooltip("Open " + r.model_id + " on huggingface.co");
      ImGui::SameLine();
      if (ImGui::SmallButton(s.copied == r.model_id ? "Copied ✓###id" : "Copy###id"))
        emit(s, Intent::copy_text, r.model_id);
      tooltip("Copy the model id");
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  ImGui::PopID();
}

void draw_empty_state(AppState& s) {
  ImVec2 avail = ImGui::GetContentRegionAvail();
  const char* title = "Find models like one you know";
  ImGui::PushFont(fonts().title);
  ImVec2 ts = ImGui::CalcTextSize(title);
  ImGui::SetCursorPos(
      ImVec2(ImGui::GetCursorPosX() + std::max(0.0f, (avail.x - ts.x) / 2), ImGui::GetCursorPosY() + avail.y * 0.25f));
  ImGui::TextUnformatted(title);
  ImGui::PopFont();
  // What hfrec is for, then how to start: a block of wrapped lines, centred as a whole.
  const char* purpose =
      "hfrec ranks Hugging Face models by what they share with one you pick (task, tags, library, papers, "
      "authors) and groups the catalogue into clusters. It runs in this page: nothing you load is sent anywhere.";
  const char* how =
      "Search on the left, pick one of the models below, or drop your own catalogue (.csv or the "
      "Hub's .json) anywhere on the page.";
  const float block = std::min(avail.x - 24, ImGui::GetFontSize() * 34);
  const float left = ImGui::GetCursorPosX() + std::max(0.0f, (avail.x - block) / 2);
  for (const char* text : {purpose, how}) {
    ImGui::SetCursorPosX(left);
    ImGui::PushTextWrapPos(left + block);
    if (text == purpose) ImGui::TextUnformatted(text);
    else muted(text);
    ImGui::PopTextWrapPos();
  }
  ImGui::Spacing();
  {
    const char* hub = "Load from the Hub…";
    float w = ImGui::CalcTextSize(hub).x + 24;
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - w) / 2);
    if (ImGui::Button(hub, ImVec2(w, 0))) emit(s, Intent::open_hub);
  }
  if (!s.suggestions.empty()) {
    ImGui::Spacing();
    const char* t = "Try one of these:";
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - ImGui::CalcTextSize(t).x) / 2);
    muted(t);
    for (size_t i = 0; i < s.suggestions.size() && i < 4; ++i) {
      float w = ImGui::CalcTextSize(s.suggestions[i].c_str()).x + 24;
      ImGui::SetCursorPosX((ImGui::GetWindowWidth() - w) / 2);
      if (ImGui::Button((s.suggestions[i] + "##try").c_str(), ImVec2(w, 0))) emit(s, Intent::select, s.suggestions[i]);
    }
  }
}

// The method's name over its list, with what the core took to rank it.
void list_heading(const ResultList& list) {
  heading(list.method.c_str());
  if (list.error.empty()) {
    ImGui::SameLine();
    char t[48];
    std::snprintf(t, sizeof t, "%.2f ms", list.compute_ms);
    muted(t);
    tooltip("Time the recommender took for this list (the core's recommend call, in WebAssembly)");
  }
}

// Keeps the next item of width `w` on this row when it fits, else starts a new row.
void flow(float w) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= right) ImGui::SameLine();
}
float button_w(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
}

// One result as a card (the narrow layout): rank and full id (wrapped), score bar and value,
// downloads, task and library chips, the why line. Tapping it makes it the query.
void result_card(AppState& s, const ResultRow& r, float value_w) {
  const ImGuiStyle& st = ImGui::GetStyle();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float pad = 10, gap = 6;
  const float w = ImGui::GetContentRegionAvail().x;
  const float inner = w - 2 * pad;
  const float lh = ImGui::GetTextLineHeight();
  const std::string rank = std::to_string(r.rank) + ".";
  const float rank_w = ImGui::CalcTextSize("00.").x + 8;
  ImGui::PushFont(fonts().bold);
  const ImVec2 id_size = ImGui::CalcTextSize(r.model_id.c_str(), nullptr, false, inner - rank_w);
  ImGui::PopFont();
  // The why line on one line, shortened with "…", so three cards fit a phone's first screen.
  const std::string why = r.why_words.empty() ? "" : ui::ellipsize(r.why_words, inner);
  const bool chips = !r.task.empty() || !r.library.empty();
  const float chip_h = lh + 6;
  const std::string d = thousands(r.downloads);
  const float dw = ImGui::CalcTextSize(d.c_str()).x, dlabel_w = ImGui::CalcTextSize(" downloads").x;
  float chips_w = 0;
  for (const std::string* c : {&r.task, &r.library})
    if (!c->empty()) chips_w += ImGui::CalcTextSize(c->c_str()).x + 16 + 6;
  const bool beside = chips && dw + dlabel_w + 12 + chips_w <= inner;  // chips on the downloads' row
  float h = pad + id_size.y + gap + lh + gap;
  h += beside ? chip_h : lh + (chips ? gap + chip_h : 0);
  h += (why.empty() ? 0 : gap + lh) + pad;
  h = std::max(ui::kTapSize, h);

  const ImVec2 p = ImGui::GetCursorScreenPos();
  const std::string label = "##card" + r.model_id;
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(st.ItemSpacing.x, 0));
  if (ImGui::Selectable(label.c_str(), r.model_id == s.query, ImGuiSelectableFlags_AllowItemOverlap, ImVec2(w, h)))
    emit(s, Intent::select, r.model_id);
  ImGui::PopStyleVar();
  ui::name_item(r.model_id.c_str());  // widgets(): the card's label is the model id
  const ImVec2 end = ImGui::GetCursorScreenPos();
  if (r.in_both) dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), palette().both_row, 8);
  dl->AddRect(p, ImVec2(p.x + w, p.y + h), ImGui::GetColorU32(ImGuiCol_Border), 8);

  float y = p.y + pad;
  const float x = p.x + pad;
  dl->AddText(ImVec2(x, y), ImGui::GetColorU32(ImGuiCol_TextDisabled), rank.c_str());
  ImGui::PushFont(fonts().bold);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(x + rank_w, y), ImGui::GetColorU32(ImGuiCol_Text),
              r.model_id.c_str(), nullptr, inner - rank_w);
  ImGui::PopFont();
  y += id_size.y + gap;
  // Score: the bar takes what the value leaves.
  const float bar_w = std::max(kMinBar, inner - value_w - 8);
  const float f = static_cast<float>(std::clamp(r.score, 0.0, 1.0));
  dl->AddRectFilled(ImVec2(x, y + 4), ImVec2(x + bar_w, y + lh - 4), palette().bar_bg, 3);
  dl->AddRectFilled(ImVec2(x, y + 4), ImVec2(x + bar_w * f, y + lh - 4), palette().accent_soft, 3);
  ui::number("score", r.model_id, score_text(r.score), ImVec2(x + bar_w + 8, y), x + inner);
  y += lh + gap;
  const float ty = beside ? 3 : 0;  // level with the chips' text
  ui::number("downloads", r.model_id, d, ImVec2(x, y + ty), x + inner);
  dl->AddText(ImVec2(x + dw, y + ty), ImGui::GetColorU32(ImGuiCol_TextDisabled),
              ui::ellipsize(" downloads", std::max(0.0f, inner - dw)).c_str());
  if (!beside) y += lh + gap;
  if (chips) {
    float cx = beside ? x + dw + dlabel_w + 12 : x;
    for (const std::string* c : {&r.task, &r.library}) {
      if (c->empty()) continue;
      const std::string t = ui::ellipsize(*c, std::max(0.0f, x + inner - cx - 16));
      const float cw = ImGui::CalcTextSize(t.c_str()).x + 16;
      dl->AddRectFilled(ImVec2(cx, y), ImVec2(cx + cw, y + chip_h), palette().bar_bg, chip_h / 2);
      dl->AddText(ImVec2(cx + 8, y + 3), ImGui::GetColorU32(ImGuiCol_Text), t.c_str());
      cx += cw + 6;
    }
    y += chip_h + gap;
  }
  if (!why.empty()) dl->AddText(ImVec2(x, y), ImGui::GetColorU32(ImGuiCol_TextDisabled), why.c_str());
  ImGui::SetCursorScreenPos(end);
  ImGui::Dummy(ImVec2(0, 6));
}

// A list as cards, one under another (the narrow layout scrolls the whole page).
void results_cards(AppState& s, const ResultList& list) {
  if (!list.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.85f, 0.25f, 0.25f, 1));
    ImGui::TextWrapped("%s: %s", list.method.c_str(), list.error.c_str());
    ImGui::PopStyleColor();
    return;
  }
  const float value_w = number_widths(list).score;
  widgets_mark_list();
  for (const ResultRow& r : list.rows) result_card(s, r, value_w);
}

void draw_results_view(AppState& s, bool narrow) {
  if (s.query.empty()) {
    if (narrow) {
      ImGui::TextWrapped("Search above, or drop a .csv or Hub .json anywhere on the page.");
      return;
    }
    draw_empty_state(s);
    return;
  }
  ImGui::BeginDisabled(!s.can_back);
  if (ImGui::Button("◀ Back")) emit(s, Intent::back);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!s.can_forward);
  if (ImGui::Button("Forward ▶")) emit(s, Intent::forward);
  ImGui::EndDisabled();
  if (narrow) {
    ImGui::PushFont(fonts().title);
    ImGui::TextWrapped("%s", s.query.c_str());
    ImGui::PopFont();
  } else {
    ImGui::SameLine(0, 16);
    ImGui::PushFont(fonts().title);
    ImGui::TextUnformatted(s.query.c_str());
    ImGui::PopFont();
  }
  std::string facts;
  for (const std::string* f : {&s.query_task, &s.query_library, &s.query_model_type})
    if (!f->empty()) facts += (facts.empty() ? "" : "  ·  ") + *f;
  facts += (facts.empty() ? "" : "  ·  ") + thousands(s.query_downloads) + " downloads";
  if (narrow) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", facts.c_str());
    ImGui::PopStyleColor();
  } else {
    muted(facts);
  }
  // Disabled for an id that names no Hub page (an empty, "." or ".." segment).
  ImGui::BeginDisabled(s.query_url.empty());
  if (ImGui::Button("Open on Hugging Face ↗")) emit(s, Intent::open_url, s.query);
  ImGui::EndDisabled();
  if (s.query_url.empty()) tooltip("This id names no page on huggingface.co");
  const char* copy = s.copied == s.query ? "Copied ✓###copyid" : "Copy id###copyid";
  if (narrow) flow(button_w(copy));
  else ImGui::SameLine();
  if (ImGui::Button(copy)) emit(s, Intent::copy_text, s.query);
  if (narrow) flow(button_w("Export CSV"));
  else ImGui::SameLine();
  if (ImGui::Button("Export CSV")) emit(s, Intent::export_list, "csv");
  if (narrow) flow(button_w("Export JSON"));
  else ImGui::SameLine();
  if (ImGui::Button("Export JSON")) emit(s, Intent::export_list, "json");
  if (!s.compare.empty()) {
    std::string o = "Overlap: " + std::to_string(s.overlap) + " of " + std::to_string(s.k) + " in both lists";
    if (narrow) {
      ImGui::TextWrapped("%s", o.c_str());
    } else {
      ImGui::SameLine(0, 16);
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(o.c_str());
    }
  }
  ImGui::Spacing();
  if (narrow) {
    list_heading(s.primary);
    ImGui::PushID(0);
    results_cards(s, s.primary);
    ImGui::PopID();
    if (!s.compare.empty()) {
      ImGui::Spacing();
      list_heading(s.secondary);
      ImGui::PushID(1);
      results_cards(s, s.secondary);
      ImGui::PopID();
    }
    return;
  }
  float h = ImGui::GetContentRegionAvail().y;
  if (s.compare.empty()) {
    list_heading(s.primary);
    results_table(s, s.primary, 0, h - ImGui::GetTextLineHeightWithSpacing());
    return;
  }
  // Side by side when both tables have room for their numbers, else one above the other.
  const float line = ImGui::GetTextLineHeightWithSpacing();
  float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  if (w < 420) {
    const float half = (h - ImGui::GetStyle().ItemSpacing.y) / 2 - line;
    list_heading(s.primary);
    ImGui::BeginChild("##left", ImVec2(0, half), false);
    results_table(s, s.primary, 0, -1);
    ImGui::EndChild();
    list_heading(s.secondary);
    ImGui::BeginChild("##right", ImVec2(0, half), false);
    results_table(s, s.secondary, 1, -1);
    ImGui::EndChild();
    return;
  }
  ImGui::BeginGroup();
  ImGui::PushItemWidth(w);
  list_heading(s.primary);
  ImGui::BeginChild("##left", ImVec2(w, h - line), false);
  results_table(s, s.primary, 0, -1);
  ImGui::EndChild();
  ImGui::PopItemWidth();
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  list_heading(s.secondary);
  ImGui::BeginChild("##right", ImVec2(w, h - line), false);
  results_table(s, s.secondary, 1, -1);
  ImGui::EndChild();
  ImGui::EndGroup();
}

// The Recommendations and Clusters tabs, then the open view.
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
