// Fonts: Inter for text and DejaVu Sans for symbols, loaded from the page's font files and rebuilt
// at the device pixel ratio and body size the layout asks for (fonts.h).
#include "views/fonts.h"

namespace hfrec::app {
namespace {

std::vector<uint8_t> g_data[3];
Fonts g_fonts;

constexpr float kBaseSize = 15.0f;
constexpr float kBoldSize = 15.0f;
constexpr float kTitleSize = 20.0f;
constexpr float kNarrowBaseSize = 16.0f;  // phones: body text at least 16 CSS px
constexpr float kNarrowTitleSize = 20.0f;

// Latin, Latin Extended, Greek, Cyrillic, punctuation, currency, letter-like symbols.
const ImWchar kTextRanges[] = {0x0020, 0x024F, 0x0370, 0x03FF, 0x0400, 0x04FF, 0x2000,
                               0x206F, 0x20A0, 0x20CF, 0x2100, 0x214F, 0};
// Arrows, box drawing, geometric shapes, miscellaneous symbols, dingbats (from DejaVu Sans).
const ImWchar kSymbolRanges[] = {0x2190, 0x21FF, 0x2500, 0x25FF, 0x2600, 0x26FF, 0x2700, 0x27BF, 0};
// The headings' fonts need only the symbols the UI itself writes (◀ ▶ ↗ ⚠ and neighbours):
// rasterising every symbol block three times made the first frame slower for nothing.
const ImWchar kUiSymbolRanges[] = {0x2190, 0x21FF, 0x25A0, 0x25FF, 0x26A0, 0x26A0, 0x2713, 0x2717, 0};
// The title font (20 px: the first screen's title, the query's id in the header) takes the Latin
// blocks and punctuation: its glyphs cost the most to rasterise, and building the atlas is most of
// the first frame. The body and bold fonts keep every text block (a catalogue's ids, tags and
// datasets may use them).
const ImWchar kTitleRanges[] = {0x0020, 0x024F, 0x2000, 0x206F, 0x20A0, 0x20CF, 0};

ImFont* add(ImFontAtlas* atlas, FontKind kind, float px, const ImWchar* text, const ImWchar* symbols) {
  auto& d = g_data[static_cast<int>(kind)];
  if (d.empty()) return nullptr;
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;
  cfg.OversampleH = px >= 24 ? 1 : 2;
  cfg.OversampleV = 1;
  ImFont* f = atlas->AddFontFromMemoryTTF(d.data(), static_cast<int>(d.size()), px, &cfg, text);
  auto& sym = g_data[static_cast<int>(FontKind::symbols)];
  if (f && !sym.empty()) {
    ImFontConfig m;
    m.FontDataOwnedByAtlas = false;
    m.MergeMode = true;
    m.OversampleH = cfg.OversampleH;
    m.GlyphOffset = ImVec2(0, 0);
    atlas->AddFontFromMemoryTTF(sym.data(), static_cast<int>(sym.size()), px, &m, symbols);
  }
  return f;
}

}  // namespace

void set_font_data(FontKind kind, std::vector<uint8_t> bytes) { g_data[static_cast<int>(kind)] = std::move(bytes); }

const Fonts& fonts() { return g_fonts; }

void build_fonts(float dpr, bool narrow) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  g_fonts = Fonts{};
  const float base = narrow ? kNarrowBaseSize : kBaseSize;
  const float bold = narrow ? kNarrowBaseSize : kBoldSize;
  const float title = narrow ? kNarrowTitleSize : kTitleSize;
  g_fonts.regular = add(io.Fonts, FontKind::regular, base * dpr, kTextRanges, kSymbolRanges);
  if (!g_fonts.regular) {
    ImFontConfig cfg;
    cfg.SizePixels = 13.0f * dpr;
    g_fonts.regular = io.Fonts->AddFontDefault(&cfg);
  }
  g_fonts.bold = add(io.Fonts, FontKind::bold, bold * dpr, kTextRanges, kUiSymbolRanges);
  g_fonts.title = add(io.Fonts, FontKind::bold, title * dpr, kTitleRanges, kUiSymbolRanges);
  if (!g_fonts.bold) g_fonts.bold = g_fonts.regular;
  if (!g_fonts.title) g_fonts.title = g_fonts.bold;
  io.FontDefault = g_fonts.regular;
  io.FontGlobalScale = 1.0f / dpr;
  io.Fonts->Build();
}

}  // namespace hfrec::app
