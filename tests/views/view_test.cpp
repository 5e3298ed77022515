// The real views (wasm/views/) drawn natively into a headless ImGui context, as imgui's
// example_null does: no GL, the font atlas built but never uploaded. A test loads the project's
// catalogue through the Controller, draws frames, finds items by label through the test-engine
// hooks (widgets_json(), as window.hfrec.widgets()) and clicks them with the page's own pointer
// path (input.h), one transition per frame.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "app/controller.h"
#include "app/fake_platform.h"
#include "imgui.h"
#include "views/fonts.h"
#include "views/input.h"
#include "views/theme.h"
#include "views/views.h"
#include "views/widgets.h"

namespace hfrec::app {
namespace {

using nlohmann::json;

// A headless app: one at a time (the views' fonts belong to the current ImGui context).
class Ui {
 public:
  Ui(float width, float height) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.DisplaySize = ImVec2(width, height);
    // Keyboard navigation needs every key mapped (ImGui asserts it in builds with assertions);
    // the shell's GLFW backend maps them, here each key is its own index.
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;
    io.DeltaTime = 1.0f / 60;
    apply_theme(false);
    build_fonts(1.0f, narrow_layout(width));
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // built, never uploaded
    controller.begin_load(sample_csv(), "catalogue.csv", kBuiltinSource);
    while (controller.tick(1.0)) {}
    EXPECT_TRUE(state.has_catalogue);
  }
  ~Ui() { ImGui::DestroyContext(); }
  Ui(const Ui&) = delete;
  Ui& operator=(const Ui&) = delete;

  // One frame as wasm/main.cpp draws it, then the intents it emitted applied.
  void frame() {
    ImGuiIO& io = ImGui::GetIO();
    input::feed(io, ImGui::GetCurrentContext()->FontBaseSize);
    ImGui::NewFrame();
    widgets_begin_frame();
    draw_frame(state);
    ImGui::Render();
    widgets_end_frame();
    input::end_frame();
    controller.apply_intents();
  }
  void frames(int n) {
    for (int i = 0; i < n; ++i) frame();
  }
  // The last frame's item whose whole ImGui label (with its ##id) or visible label is `label`.
  json find(const std::string& label) const {
    for (const json& w : json::parse(widgets_json()))
      if (w["name"] == label || w["label"] == label) return w;
    return nullptr;
  }
  // A click at the item's centre: move, press, release, each in a frame of its own (input.h),
  // hovered for a frame first as a hand (and the e2e's clickWidget) would: an item that allows
  // overlap (a table header) takes a press only if nothing else was hovered the frame before.
  bool click(const std::string& label) {
    const json w = find(label);
    if (w.is_null()) return false;
    const float x = w["x"].get<float>() + w["w"].get<float>() / 2, y = w["y"].get<float>() + w["h"].get<float>() / 2;
    input::push_pointer({input::PointerKind::move, x, y, 0});
    frames(1);
    input::push_pointer({input::PointerKind::down, x, y, 0});
    input::push_pointer({input::PointerKind::up, x, y, 0});
    frames(4);
    return true;
  }

  // gpt2 as the query, a clustering run to the end (params: hfrec.cluster's JSON) and the Clusters
  // tab drawn.
  ::testing::AssertionResult show_clusters(const std::string& params) {
    controller.select("gpt2");
    const json r = json::parse(controller.cluster(params, 1));
    if (r["ok"] != true) return ::testing::AssertionFailure() << "cluster: " << r.dump();
    while (controller.tick(1.0)) {}
    const json v = json::parse(controller.set_json(R"({"view": "clusters"})"));
    if (v["ok"] != true) return ::testing::AssertionFailure() << "set view: " << v.dump();
    frames(3);
    return ::testing::AssertionSuccess();
  }

  AppState state;
  FakePlatform platform;
  Controller controller{state, platform};
};

// The font atlas rasterises Latin-1, punctuation and the UI's own symbols, and of the fonts' other
// blocks only the code points in use: the page's first frame built all ~3,900 glyphs before.
TEST(Views, TheFontAtlasHoldsTheCodePointsInUse) {
  const char* files[] = {"/usr/share/fonts/opentype/inter/Inter-Regular.otf",
                         "/usr/share/fonts/opentype/inter/Inter-SemiBold.otf",
                         "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"};
  std::vector<uint8_t> data[3];
  for (int i = 0; i < 3; ++i) {
    std::FILE* f = std::fopen(files[i], "rb");
    if (!f) {
      if (const char* ci = std::getenv("CI"); ci && std::string(ci) == "true") FAIL() << files[i] << " is missing";
      GTEST_SKIP() << files[i] << " is missing (apt-get install fonts-inter fonts-dejavu-core)";
    }
    for (int c; (c = std::fgetc(f)) != EOF;) data[i].push_back(static_cast<uint8_t>(c));
    std::fclose(f);
  }
  ImGui::CreateContext();
  for (int i = 0; i < 3; ++i) set_font_data(static_cast<FontKind>(i), data[i]);
  auto has = [](const ImFont* font, char32_t cp) {
    return font->FindGlyphNoFallback(static_cast<ImWchar>(cp)) != nullptr;
  };
  auto glyphs = [] {
    int n = 0;
    for (const ImFont* font : ImGui::GetIO().Fonts->Fonts) n += font->Glyphs.Size;
    return n;
  };
  build_fonts(1.0f, false);
  ImGui::GetIO().Fonts->Build();
  for (char32_t cp : {U'a', U'\u00E9', U'\u201C', U'\u2026', U'\u25B6', U'\u2197', U'\u26A0', U'\u2713'})
    EXPECT_TRUE(has(fonts().regular, cp)) << uint32_t(cp);
  EXPECT_FALSE(has(fonts().regular, U'\u0416'));  // Ж: no text uses it yet
  EXPECT_FALSE(has(fonts().regular, U'\u2605'));  // ★
  EXPECT_LT(glyphs(), 1500);
  CodePointSet used;
  used.add_text("\xD0\x96\xD1\x83\xD0\xBA \xE2\x98\x85");  // Жук ★
  build_fonts(1.0f, false, used);
  ImGui::GetIO().Fonts->Build();
  EXPECT_TRUE(has(fonts().regular, U'\u0416'));
  EXPECT_TRUE(has(fonts().regular, U'\u2605'));
  EXPECT_TRUE(has(fonts().bold, U'\u0416'));
  EXPECT_FALSE(has(fonts().bold, U'\u2605'));  // the headings draw only the UI's symbols
  const int full = glyphs();
  // The slim base (the page's frames before its first catalogue): ASCII and the characters the
  // UI's own text uses, at most half the glyphs; Latin-1's letters only when used.
  build_fonts(1.0f, false, used, true);
  ImGui::GetIO().Fonts->Build();
  for (char32_t cp : {U'a', U'~', U'\u00B7', U'\u00D7', U'\u2014', U'\u201C', U'\u201D', U'\u2026', U'\u25B6',
                      U'\u25B8', U'\u25BE', U'\u25C0', U'\u2197', U'\u26A0', U'\u2713', U'\u0416', U'\u2605'})
    EXPECT_TRUE(has(fonts().regular, cp)) << uint32_t(cp);
  for (const ImFont* font : {fonts().bold, fonts().title})
    for (char32_t cp : {U'a', U'\u00B7', U'\u2026', U'\u25B6', U'\u26A0'}) EXPECT_TRUE(has(font, cp)) << uint32_t(cp);
  EXPECT_FALSE(has(fonts().regular, U'\u00E9'));  // é: no text uses it yet
  EXPECT_FALSE(has(fonts().regular, U'\u20AC'));  // €
  EXPECT_LT(glyphs() * 2, full) << glyphs() << " of " << full;
  used.add_text("caf\xC3\xA9");  // café
  build_fonts(1.0f, false, used, true);
  ImGui::GetIO().Fonts->Build();
  EXPECT_TRUE(has(fonts().regular, U'\u00E9'));
  for (int i = 0; i < 3; ++i) set_font_data(static_cast<FontKind>(i), {});
  ImGui::DestroyContext();
}

TEST(Views, TheFirstScreenOffersTheHubAndModelsToTry) {
  Ui ui(1280, 800);
  ui.frames(2);
  EXPECT_FALSE(ui.find("Load from the Hub…").is_null());
  ASSERT_FALSE(ui.state.suggestions.empty());
  EXPECT_FALSE(ui.find(ui.state.suggestions[0] + "##try").is_null()) << widgets_json();
}

TEST(Views, ClickingAModelToTryMakesItTheQuery) {
  Ui ui(1280, 800);
  ui.frames(2);
  const std::string model = ui.state.suggestions.at(0);
  ASSERT_TRUE(ui.click(model + "##try"));
  EXPECT_EQ(ui.state.query, model);
  EXPECT_EQ(ui.state.primary.rows.size(), 10u);
  ui.frames(2);
  EXPECT_FALSE(ui.find("Open on Hugging Face ↗").is_null()) << widgets_json();
}

TEST(Views, TheHubButtonAsksThePageForItsDialog) {
  Ui ui(1280, 800);
  ui.frames(2);
  ASSERT_TRUE(ui.click("Load from the Hub…"));
  EXPECT_EQ(ui.platform.hub_dialogs, 1);
}

// A link's long map layout waits with its reason and a Lay out button, which lays it out.
TEST(Views, ALinksHeldMapIsLaidOutByItsButton) {
  Ui ui(1280, 800);
  ui.state.clusters.layout.auto_start_seconds = 0;  // every layout counts as long
  const json r = json::parse(
      ui.controller.apply_link("#model=gpt2&view=clusters&algo=kmeans&features=attributes&ck=3&map=hybrid", -1));
  ASSERT_EQ(r["ok"], true) << r.dump();
  while (ui.controller.tick(1.0)) {}
  ui.frames(3);
  ASSERT_FALSE(ui.state.clusters.layout.held.empty());
  EXPECT_EQ(ui.state.clusters.layout.shown, "pca");
  ASSERT_TRUE(ui.click("Lay out"));
  while (ui.controller.tick(1.0)) {}
  ui.frames(2);
  EXPECT_EQ(ui.state.clusters.layout.shown, "umap");
  EXPECT_EQ(ui.state.clusters.layout.features, "hybrid");
  EXPECT_TRUE(ui.state.clusters.layout.held.empty());
  EXPECT_TRUE(ui.find("Lay out").is_null());
}

// Every score and download count is drawn whole, at desktop and phone widths.
TEST(Views, NoNumberIsCutWideOrNarrow) {
  for (float width : {1280.0f, 390.0f}) {
    Ui ui(width, 844);
    ui.controller.select("bert-base-uncased");
    ui.frames(3);
    const json cells = json::parse(cells_json());
    ASSERT_GE(cells.size(), 10u) << "width " << width;
    for (const json& c : cells)
      EXPECT_LE(c["textW"].get<float>(), c["availW"].get<float>() + 0.5f)
          << "width " << width << ": " << c["column"] << " " << c["text"] << " of " << c["modelId"];
  }
}

// (One Ui at a time: the views' fonts belong to the current context.)
TEST(Views, ThePhoneLayoutPutsMethodAndFiltersInADrawer) {
  auto drawer_and_method = [](float width) {
    Ui ui(width, 844);
    ui.controller.select("gpt2");
    ui.frames(2);
    bool drawer = false;
    for (const json& w : json::parse(widgets_json()))
      drawer |= w["label"].get<std::string>().rfind("Method & filters", 0) == 0;
    return std::make_pair(drawer, !ui.find("##method").is_null());
  };
  EXPECT_EQ(drawer_and_method(390), std::make_pair(true, false));
  EXPECT_EQ(drawer_and_method(1280), std::make_pair(false, true));
}

// The search's and the link's "did you mean" are rows the person can click, wide and narrow.
TEST(Views, ASearchWithNoMatchOffersTheNearestModel) {
  for (float width : {1280.0f, 390.0f}) {
    Ui ui(width, 844);
    std::snprintf(ui.state.search_buf, sizeof ui.state.search_buf, "%s", "gpt2-mediun");
    ui.frames(2);
    ASSERT_EQ(ui.state.search_count, 0u);
    ASSERT_TRUE(ui.click("Did you mean gpt2-medium?")) << "width " << width << ": " << widgets_json();
    EXPECT_EQ(ui.state.query, "gpt2-medium") << "width " << width;
  }
}

TEST(Views, ALinksMissingModelOffersTheNearestAsAButton) {
  Ui ui(1280, 800);
  ui.controller.apply_link("#model=bert-base-uncasd", -1);
  ui.frames(2);
  ASSERT_TRUE(ui.click("Open bert-base-uncased")) << widgets_json();
  EXPECT_EQ(ui.state.query, "bert-base-uncased");
  EXPECT_EQ(ui.state.error, "");
  ui.frames(1);
  EXPECT_TRUE(ui.find("Open bert-base-uncased").is_null());
}

// The map's hit test (core/map_grid.h nearest_point) through a real click: the model that becomes
// the query is one whose point lies under the click, and the nearest to it.
TEST(Views, ClickingAPointOnTheMapMakesItsModelTheQuery) {
  Ui ui(1280, 800);
  ASSERT_TRUE(ui.show_clusters(R"({"algo": "kmeans", "k": 4, "features": "soup", "seed": 1})"));
  // A visible point of a model other than the query.
  json target;
  std::string target_id;
  for (const std::string id : {"distilgpt2", "bert-base-uncased", "roberta-base", "t5-small", "xlm-roberta-base"}) {
    const json p = json::parse(ui.controller.map_point(id));
    if (p["ok"] == true && p["visible"] == true) {
      target = p;
      target_id = id;
      break;
    }
  }
  ASSERT_FALSE(target.is_null()) << "no candidate is visible on the map";
  const float x = target["x"].get<float>(), y = target["y"].get<float>();
  input::push_pointer({input::PointerKind::move, x, y, 0});
  input::push_pointer({input::PointerKind::down, x, y, 0});
  input::push_pointer({input::PointerKind::up, x, y, 0});
  ui.frames(4);
  ASSERT_NE(ui.state.query, "gpt2") << "the click selected nothing";
  const json chosen = json::parse(ui.controller.map_point(ui.state.query));
  ASSERT_EQ(chosen["ok"], true);
  EXPECT_NEAR(chosen["x"].get<float>(), x, 0.5f) << ui.state.query << " instead of " << target_id;
  EXPECT_NEAR(chosen["y"].get<float>(), y, 0.5f) << ui.state.query << " instead of " << target_id;
}

// The map's overlay (issue 15, readability): the cluster names drawn at their centres with no two
// boxes overlapping, inside the map, each the cluster list's name; the query's recommendations
// are the rows ringed; density shading follows its checkbox (off by default on 55 models).
TEST(Views, TheMapNamesItsClustersAndRingsTheRecommendations) {
  Ui ui(1280, 800);
  ASSERT_TRUE(ui.show_clusters(R"({"algo": "kmeans", "k": 6, "features": "soup", "seed": 1})"));
  const json o = json::parse(ui.controller.map_overlay());
  ASSERT_EQ(o["ok"], true) << o.dump();
  const auto& clusters = ui.state.clusters.clusters;
  ASSERT_FALSE(o["labels"].empty()) << o.dump();
  EXPECT_EQ(o["labels"].size() + o["hiddenLabels"].get<size_t>(), clusters.size());
  const float* clip = ui.state.map_clip;
  for (size_t i = 0; i < o["labels"].size(); ++i) {
    const json& a = o["labels"][i];
    const int k = a["cluster"].get<int>();
    ASSERT_GE(k, 0);
    ASSERT_LT(k, static_cast<int>(clusters.size()));
    EXPECT_EQ(a["name"], clusters[k].name);
    const float x = a["x"].get<float>(), y = a["y"].get<float>(), w = a["w"].get<float>(), h = a["h"].get<float>();
    EXPECT_GT(w, 0);
    EXPECT_GE(x, clip[0]);
    EXPECT_GE(y, clip[1]);
    EXPECT_LE(x + w, clip[2]);
    EXPECT_LE(y + h, clip[3]);
    for (size_t j = 0; j < i; ++j) {
      const json& b = o["labels"][j];
      const bool apart = x >= b["x"].get<float>() + b["w"].get<float>() || b["x"].get<float>() >= x + w ||
                         y >= b["y"].get<float>() + b["h"].get<float>() || b["y"].get<float>() >= y + h;
      EXPECT_TRUE(apart) << a.dump() << " overlaps " << b.dump();
    }
  }
  // Highlighted: the ranked list's models, the query's row.
  std::vector<std::string> recs;
  for (const ResultRow& r : ui.state.primary.rows) recs.push_back(r.model_id);
  ASSERT_FALSE(recs.empty());
  EXPECT_EQ(o["highlightedIds"].get<std::vector<std::string>>(), recs);
  EXPECT_EQ(o["query"], "gpt2");
  EXPECT_EQ(o["queryRow"], json::parse(ui.controller.map_point("gpt2"))["row"]);
  // Density: off by default below kDensityAutoRows; the checkbox turns it on.
  EXPECT_EQ(o["density"]["on"], false);
  EXPECT_EQ(o["density"]["blocks"], 0);
  ASSERT_TRUE(ui.click("Density"));
  const json d = json::parse(ui.controller.map_overlay());
  EXPECT_EQ(d["density"]["on"], true);
  EXPECT_EQ(d["density"]["auto"], false);
  EXPECT_GT(d["density"]["blocks"].get<int>(), 0);
}

// The lasso (issue 15): with Lasso on, a drag on the map draws a polygon; the rows whose points it
// encloses (by the drawn positions, the oracle) are listed under the map, and a row of that table
// makes its model the query. Clear drops the selection.
TEST(Views, ALassoOnTheMapListsTheModelsInsideIt) {
  Ui ui(1280, 800);
  ASSERT_TRUE(ui.show_clusters(R"({"algo": "kmeans", "k": 4, "features": "soup", "seed": 1})"));
  ASSERT_TRUE(ui.click("Lasso"));
  ASSERT_TRUE(ui.state.map_lasso);
  // A rectangle from the view's centre to near the map's bottom right corner, clear of the buttons.
  const float x0 = ui.state.map_origin_x, y0 = ui.state.map_origin_y;
  const float x1 = ui.state.map_clip[2] - 20, y1 = ui.state.map_clip[3] - 60;
  // A frame per event: moves before a button change share one frame (input.h).
  input::push_pointer({input::PointerKind::move, x0, y0, 0});
  ui.frame();
  input::push_pointer({input::PointerKind::down, x0, y0, 0});
  ui.frame();
  for (auto [x, y] : {std::pair{x1, y0}, std::pair{x1, y1}, std::pair{x0, y1}}) {
    input::push_pointer({input::PointerKind::move, x, y, 0});
    ui.frame();
  }
  EXPECT_EQ(ui.state.lasso_px.size(), 8u);  // the press and three corners, drawn as it goes
  // The oracle, before the table under the map shrinks it: every row's point as drawn, inside.
  std::vector<std::string> want;
  const auto& g = ui.state.clusters.map_grid;
  for (uint32_t row = 0; row < g.size(); ++row) {
    const json p = json::parse(ui.controller.map_point(ui.state.clusters.point_info(row).model_id));
    const float x = p["x"].get<float>(), y = p["y"].get<float>();
    if (x > x0 && x < x1 && y > y0 && y < y1) want.push_back(ui.state.clusters.point_info(row).model_id);
  }
  input::push_pointer({input::PointerKind::up, x0, y1, 0});
  ui.frames(4);
  std::vector<std::string> got;
  for (uint32_t row : ui.state.clusters.selection) got.push_back(ui.state.clusters.point_info(row).model_id);
  ASSERT_FALSE(want.empty()) << "no point in the lasso's rectangle";
  std::sort(want.begin(), want.end());
  std::vector<std::string> sorted = got;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, want);
  const json o = json::parse(ui.controller.map_overlay());
  EXPECT_EQ(o["selected"].size(), got.size());
  // The table under the map sorts by a column either way, a header click at a time: Model up,
  // then down.
  auto ids = [&] {
    std::vector<std::string> v;
    for (uint32_t row : ui.state.clusters.selection) v.push_back(ui.state.clusters.point_info(row).model_id);
    return v;
  };
  ASSERT_TRUE(ui.click("Model##lassosort")) << "the headers are drawn";
  EXPECT_EQ(ui.state.selection_sort, (SelectionSort{SelectionColumn::model, false}));
  EXPECT_EQ(ids(), sorted);
  ASSERT_TRUE(ui.click("Model##lassosort"));
  EXPECT_EQ(ui.state.selection_sort, (SelectionSort{SelectionColumn::model, true}));
  EXPECT_EQ(ids(), std::vector<std::string>(sorted.rbegin(), sorted.rend()));
  // Export CSV downloads the table in its order, as hfrec.exportSelection() gives it.
  ASSERT_TRUE(ui.click("Export CSV##lassoexport"));
  ASSERT_EQ(ui.platform.downloads.size(), 1u);
  EXPECT_EQ(ui.platform.downloads[0].name, "hfrec-lasso.csv");
  EXPECT_EQ(ui.platform.downloads[0].mime, "text/csv");
  const json e = json::parse(ui.controller.export_selection());
  EXPECT_EQ(ui.platform.downloads[0].content, e["csv"]);
  EXPECT_EQ(e["rows"], got.size());
  const std::string& csv = ui.platform.downloads[0].content;
  EXPECT_EQ(csv.substr(0, csv.find('\n') + 1 + sorted.back().size()),
            "modelId,downloads,pipeline_tag,library_name,model_type,cluster,cluster_name\n" + sorted.back());
  // Back to most downloaded first: the Downloads header sorts descending on its first click.
  ASSERT_TRUE(ui.click("Downloads##lassosort"));
  EXPECT_EQ(ui.state.selection_sort, (SelectionSort{SelectionColumn::downloads, true}));
  EXPECT_EQ(ids(), got);
  got = ids();
  // The table under the map: its first row (the most downloaded) becomes the query.
  ui.frames(2);
  ASSERT_FALSE(ui.find(got[0]).is_null()) << got[0] << " is not in the table";
  const std::string pick = got[0] == "gpt2" && got.size() > 1 ? got[1] : got[0];
  ASSERT_TRUE(ui.click(pick));
  EXPECT_EQ(ui.state.query, pick);
  ASSERT_TRUE(ui.click("Clear##lassoclear"));
  EXPECT_TRUE(ui.state.clusters.selection.empty());
  EXPECT_TRUE(json::parse(ui.controller.map_overlay())["selected"].empty());
  // A lasso stays with the map it was drawn on: a new clustering (a new map) drops it.
  ui.state.lasso = MapPolygon{{-0.1, 1.1, 1.1, -0.1}, {-0.1, -0.1, 1.1, 1.1}};  // round the square
  ui.state.intents.push_back({Intent::lasso, ""});
  ui.controller.apply_intents();
  EXPECT_EQ(ui.state.clusters.selection.size(), ui.state.clusters.map_grid.size());
  ASSERT_EQ(json::parse(ui.controller.cluster(R"({"algo": "kmeans", "k": 5, "features": "soup", "seed": 2})", 2))["ok"],
            true);
  while (ui.controller.tick(1.0)) {}
  EXPECT_TRUE(ui.state.clusters.selection.empty());
  EXPECT_TRUE(ui.state.lasso.x.empty());
  // The centres are core's for the new map and labels.
  const std::vector<MapCentre> centres =
      cluster_centres(ui.state.clusters.map_grid.points, ui.state.clusters.labels, ui.state.clusters.clusters.size());
  ASSERT_EQ(ui.state.clusters.centres.size(), centres.size());
  for (size_t i = 0; i < centres.size(); ++i) {
    EXPECT_EQ(ui.state.clusters.centres[i].x, centres[i].x);
    EXPECT_EQ(ui.state.clusters.centres[i].count, centres[i].count);
  }
}

// Two ids that differ only by a zero-width space look different in the search hits (issue 16,
// item 15), and clicking the marked one selects that id, not its look-alike.
TEST(Views, IdsThatDifferOnlyByInvisibleCharactersLookDifferent) {
  Ui ui(1280, 800);
  const std::string twin =
      "org/gpt\xE2\x80\x8B"
      "2";
  ui.controller.begin_load("modelId,downloads\norg/gpt2,10\n" + twin + ",5\n", "twins.csv", "");
  while (ui.controller.tick(1.0)) {}
  ASSERT_EQ(ui.state.catalogue.rows, 2u);
  std::snprintf(ui.state.search_buf, sizeof ui.state.search_buf, "%s", "org/gpt");
  ui.frames(3);
  ASSERT_EQ(ui.state.search_count, 2u);
  EXPECT_FALSE(ui.find("org/gpt2").is_null()) << widgets_json();
  ASSERT_TRUE(ui.click("org/gpt[U+200B]2")) << widgets_json();
  EXPECT_EQ(ui.state.query, twin);
}

}  // namespace
}  // namespace hfrec::app
