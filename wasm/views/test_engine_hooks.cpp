// ImGui 1.86 test-engine item hooks (IMGUI_ENABLE_TEST_ENGINE): ImGui calls ItemAdd for every item
// with its rectangle and ItemInfo with its label; we keep the visible ones for widgets().
#include <algorithm>
#include <cstdarg>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"
#include "views/keyboard_nav.h"
#include "views/widgets.h"

namespace hfrec::app {
namespace {

struct Item {
  ImGuiID id = 0;
  ImRect rect;
  std::string window;
  std::string label;  // the visible part
  std::string name;   // the whole label, with its ##id part
  bool visible = false;
  ImRect full;  // unclipped
  ImGuiWindow* window_ptr = nullptr;
  ImGuiItemFlags flags = 0;
  const ImGuiWindow* list = nullptr;  // submitted after widgets_mark_list() in its window
};

struct Recorder {
  std::vector<Item> items;
  std::unordered_map<ImGuiID, size_t> by_id;
  std::string published = "[]";
  std::vector<WidgetItem> focusable;               // the last finished frame's, in submission order
  std::vector<ImGuiWindow*> lists;                 // windows marked this frame
  nlohmann::json cells = nlohmann::json::array();  // numbers drawn this frame
  std::string published_cells = "[]";
};

Recorder& rec() {
  static Recorder r;
  return r;
}

// "Open…##open" -> "Open…"; "###id" parts are dropped too.
std::string visible_label(const char* label) {
  if (!label) return {};
  const char* end = ImGui::FindRenderedTextEnd(label);
  return std::string(label, end);
}

}  // namespace

void widgets_begin_frame() {
  rec().items.clear();
  rec().by_id.clear();
  rec().lists.clear();
  rec().cells = nlohmann::json::array();
  ImGui::GetCurrentContext()->TestEngineHookItems = true;
}

void widgets_end_frame() {
  nlohmann::json a = nlohmann::json::array();
  const ImGuiID focused = nav::focused();
  for (const Item& it : rec().items) {
    if (!it.visible || it.name.empty()) continue;
    a.push_back({{"label", it.label},
                 {"focused", it.id == focused},
                 {"name", it.name},
                 {"id", it.id},
                 {"window", it.window},
                 {"x", it.rect.Min.x},
                 {"y", it.rect.Min.y},
                 {"w", it.rect.GetWidth()},
                 {"h", it.rect.GetHeight()}});
  }
  rec().published = a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  rec().published_cells = rec().cells.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto& f = rec().focusable;
  f.clear();
  for (const Item& it : rec().items) {
    if (it.name.empty() || !it.window_ptr || it.window_ptr->Hidden || it.window_ptr->SkipItems) continue;
    if (it.flags & (ImGuiItemFlags_Disabled | ImGuiItemFlags_NoNav)) continue;
    f.push_back({it.id, it.window_ptr, it.full, it.flags, it.name, it.list});
  }
}

std::string widgets_json() { return rec().published; }

void widgets_record_cell(const char* column, const std::string& model_id, const std::string& text, ImVec2 pos,
                         float text_w, float avail_w) {
  rec().cells.push_back({{"column", column},
                         {"modelId", model_id},
                         {"text", text},
                         {"x", pos.x},
                         {"y", pos.y},
                         {"textW", text_w},
                         {"availW", avail_w},
                         {"fontSize", ImGui::GetFontSize()}});
}

std::string cells_json() { return rec().published_cells; }

const std::vector<WidgetItem>& widgets_focusable() { return rec().focusable; }

void widgets_mark_list() {
  if (ImGuiWindow* w = ImGui::GetCurrentWindow()) rec().lists.push_back(w);
}

}  // namespace hfrec::app

using hfrec::app::rec;

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, const ImRect& bb, ImGuiID id) {
  ImGuiWindow* w = ctx->CurrentWindow;
  hfrec::app::Item it;
  it.id = id;
  it.rect = bb;
  it.full = bb;
  it.window_ptr = w;
  it.flags = ctx->LastItemData.InFlags;
  if (std::find(rec().lists.begin(), rec().lists.end(), w) != rec().lists.end()) it.list = w;
  if (w) {
    it.window = w->Name;
    ImRect clip = w->ClipRect;
    it.visible = clip.Overlaps(bb) && !w->Hidden && !w->SkipItems;
    // Keep only the visible part, so a click lands inside the window.
    it.rect.ClipWithFull(clip);
  }
  auto& r = rec();
  auto found = r.by_id.find(id);
  if (found != r.by_id.end()) {
    r.items[found->second] = std::move(it);
    return;
  }
  r.by_id[id] = r.items.size();
  r.items.push_back(std::move(it));
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
  auto& r = rec();
  auto found = r.by_id.find(id);
  if (found == r.by_id.end()) return;
  r.items[found->second].label = hfrec::app::visible_label(label);
  r.items[found->second].name = label ? label : "";
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID id) {
  auto& r = rec();
  auto found = r.by_id.find(id);
  return found == r.by_id.end() ? nullptr : r.items[found->second].label.c_str();
}
