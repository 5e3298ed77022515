// The Recommendations tab: the ranked lists as a table (wide) or as cards (narrow), with their
// headings and the empty state. It reads AppState and emits Intents; the ranking, sorting and
// "why" text come from the Controller.
//
// Index of this file:
// - cells: score_text, number_widths, score_bar, cell_text
// - the wide layout: results_table
// - the narrow layout: list_heading, flow, button_w, result_card, results_cards
// - the tab: draw_empty_state, draw_results_view
#include <cstdio>
#include <string>

#include "app/app.h"
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

using ui::emit;
using ui::heading;
using ui::muted;
using ui::thousands;
using ui::tooltip;

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

// A list whose method is still building its index: what it does, and how far.
bool preparing(const ResultList& list) {
  if (list.preparing.empty()) return false;
  muted("Preparing " + list.method + " for this catalogue (" + list.preparing + ")");
  ImGui::ProgressBar(list.preparing_progress, ImVec2(std::min(ImGui::GetContentRegionAvail().x, 360.0f), 0));
  return true;
}

// A row's kinship with the query, said before its why ("made from the query · ...").
std::string kin_words(const ResultRow& r) {
  if (r.kin == "child") return "made from the query · ";
  if (r.kin == "parent") return "the query's base model · ";
  if (r.kin == "sibling") return "same base model · ";
  return "";
}

void results_table(AppState& s, const ResultList& list, int which, float height) {
  if (preparing(list)) return;
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
                                          ui::ellipsize(shown_id(r.model_id), cell_w).c_str());
      tooltip(shown_id(r.model_id) + (r.in_both ? "\nIn both lists" : "") + "\nClick to make it the query");
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
      cell_text(kin_words(r) + r.why_words, true);
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
  if (list.error.empty() && list.preparing.empty()) {
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

// A model of the tree as a small button: one of this catalogue becomes the query; one outside it
// opens its page on the Hub.
void tree_link(AppState& s, const std::string& id, bool in_catalogue, const char* relation = "") {
  std::string label = shown_id(id) + (*relation ? std::string(" (") + relation + ")" : "") + (in_catalogue ? "" : " ↗");
  flow(button_w(label.c_str()));
  ImGui::PushID(id.c_str());
  if (ImGui::SmallButton(label.c_str())) emit(s, in_catalogue ? Intent::select : Intent::open_url, id);
  ImGui::PopID();
  if (!in_catalogue) tooltip("Not in this catalogue: opens its page on huggingface.co");
}

// The query's place in the model tree: its base models, then the siblings and children counts,
// which open the Model tree panel listing them.
void model_tree(AppState& s) {
  const QueryLineage& q = s.query_lineage;
  if (!q.available || (q.parents.empty() && q.children_total == 0 && q.siblings_total == 0)) return;
  ImGui::PushID("tree");
  muted(q.parents.empty() ? "No base model" : q.parents.size() == 1 ? "Base model:" : "Base models:");
  for (const LineageLink& p : q.parents) tree_link(s, p.id, p.in_catalogue, p.relation.c_str());
  auto count_button = [&](size_t n, const char* one, const char* many) {
    const std::string label = std::to_string(n) + " " + (n == 1 ? one : many);
    flow(button_w(label.c_str()));
    ImGui::BeginDisabled(n == 0);
    if (ImGui::SmallButton(label.c_str())) s.model_tree_open = !s.model_tree_open;
    ImGui::EndDisabled();
  };
  count_button(q.siblings_total, "sibling", "siblings");
  tooltip("Models made from the same base model");
  count_button(q.children_total, "child", "children");
  tooltip("Models made from this one");
  if (s.model_tree_open && (q.siblings_total || q.children_total)) {
    ImGui::Indent();
    auto section = [&](const char* title, const std::vector<std::string>& ids, size_t total) {
      if (total == 0) return;
      std::string head = std::string(title) + " (" + std::to_string(total) +
                         (total > ids.size() ? ", the " + std::to_string(ids.size()) + " most downloaded" : "") + "):";
      muted(head);
      for (const std::string& id : ids) tree_link(s, id, true);
    };
    section("Children", s.query_lineage.children, q.children_total);
    section("Siblings", s.query_lineage.siblings, q.siblings_total);
    ImGui::Unindent();
  }
  ImGui::PopID();
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
  const std::string id = shown_id(r.model_id);
  const ImVec2 id_size = ImGui::CalcTextSize(id.c_str(), nullptr, false, inner - rank_w);
  ImGui::PopFont();
  // The why line on one line, shortened with "…", so three cards fit a phone's first screen.
  const std::string why_text = kin_words(r) + r.why_words;
  const std::string why = why_text.empty() ? "" : ui::ellipsize(why_text, inner);
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
              id.c_str(), nullptr, inner - rank_w);
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
  if (preparing(list)) return;
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

}  // namespace

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
    ImGui::TextWrapped("%s", shown_id(s.query).c_str());
    ImGui::PopFont();
  } else {
    ImGui::SameLine(0, 16);
    ImGui::PushFont(fonts().title);
    ImGui::TextUnformatted(shown_id(s.query).c_str());
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
  model_tree(s);
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

}  // namespace hfrec::app
