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

// The blocks each font can draw: Latin, Latin Extended, Greek, Cyrillic, punctuation, currency,
// letter-like symbols (Inter); arrows, box drawing, geometric shapes, miscellaneous symbols,
// dingbats (DejaVu Sans, merged in). Only the code points in use are rasterised (build_fonts).
const ImWchar kTextRanges[] = {0x0020, 0x024F, 0x0370, 0x03FF, 0x0400, 0x04FF, 0x2000,
                               0x206F, 0x20A0, 0x20CF, 0x2100, 0x214F, 0};
const ImWchar kSymbolRanges[] = {0x2190, 0x21FF, 0x2500, 0x25FF, 0x2600, 0x26FF, 0x2700, 0x27BF, 0};
// The headings' fonts: the symbols the UI itself writes (◀ ▶ ↗ ⚠ and neighbours).
const ImWchar kUiSymbolRanges[] = {0x2190, 0x21FF, 0x25A0, 0x25FF, 0x26A0, 0x26A0, 0x2713, 0x2717, 0};
// The title font (20 px: the first screen's title, the query's id in the header): Latin and
// punctuation; its glyphs cost the most to rasterise.
const ImWchar kTitleRanges[] = {0x0020, 0x024F, 0x2000, 0x206F, 0x20A0, 0x20CF, 0};
// Always in the atlas: ASCII and Latin-1, punctuation and currency, and the UI's own symbols
// (“ ” … — · × → ↗ − ▶ ▸ ▾ ◀ ⚠ ✓). Anything else of the blocks above only when some text uses it.
const ImWchar kBaseText[] = {0x0020, 0x00FF, 0x2000, 0x206F, 0x20A0, 0x20CF, 0};
// The slim base (build_fonts): ASCII and the characters the UI's own text uses (· × – — ‘ ’ “ ” …).
const ImWchar kSlimText[] = {0x0020, 0x007E, 0x00B7, 0x00B7, 0x00D7, 0x00D7, 0x2013, 0x2014,
                             0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2026, 0};
const ImWchar kBaseSymbols[] = {0x2190, 0x2199, 0x2212, 0x2212, 0x25B2, 0x25C5, 0x26A0, 0x26A0, 0x2713, 0x2717, 0};

bool in_ranges(const ImWchar* ranges, char32_t cp) {
  for (; ranges[0]; ranges += 2)
    if (cp >= ranges[0] && cp <= ranges[1]) return true;
  return false;
}

// The ranges to rasterise: `base`, plus the code points in use that `allowed` covers. Kept until the
// next build (the atlas reads them while it builds).
ImVector<ImWchar> g_ranges[6];
const ImWchar* ranges(int slot, const ImWchar* base, const ImWchar* allowed, const std::vector<char32_t>& used) {
  ImFontGlyphRangesBuilder b;
  b.AddRanges(base);
  for (char32_t cp : used)
    if (in_ranges(allowed, cp)) b.AddChar(static_cast<ImWchar>(cp));
  g_ranges[slot].clear();
  b.BuildRanges(&g_ranges[slot]);
  return g_ranges[slot].Data;
}

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

void build_fonts(float dpr, bool narrow, const CodePointSet& used_set, bool slim) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  g_fonts = Fonts{};
  const std::vector<char32_t> used = used_set.list();
  const ImWchar* base_text = slim ? kSlimText : kBaseText;
  const float base = narrow ? kNarrowBaseSize : kBaseSize;
  const float bold = narrow ? kNarrowBaseSize : kBoldSize;
  const float title = narrow ? kNarrowTitleSize : kTitleSize;
  g_fonts.regular = add(io.Fonts, FontKind::regular, base * dpr, ranges(0, base_text, kTextRanges, used),
                        ranges(1, kBaseSymbols, kSymbolRanges, used));
  if (!g_fonts.regular) {
    ImFontConfig cfg;
    cfg.SizePixels = 13.0f * dpr;
    g_fonts.regular = io.Fonts->AddFontDefault(&cfg);
  }
  g_fonts.bold = add(io.Fonts, FontKind::bold, bold * dpr, ranges(2, base_text, kTextRanges, used),
                     ranges(3, kBaseSymbols, kUiSymbolRanges, used));
  g_fonts.title = add(io.Fonts, FontKind::bold, title * dpr, ranges(4, base_text, kTitleRanges, used),
                      ranges(5, kBaseSymbols, kUiSymbolRanges, used));
  if (!g_fonts.bold) g_fonts.bold = g_fonts.regular;
  if (!g_fonts.title) g_fonts.title = g_fonts.bold;
  io.FontDefault = g_fonts.regular;
  io.FontGlobalScale = 1.0f / dpr;
  io.Fonts->Build();
}

}  // namespace hfrec::app
