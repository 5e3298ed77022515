// The UI fonts (Inter, with DejaVu Sans merged in for arrows and symbols), rasterised at the
// screen's devicePixelRatio so text is crisp on HiDPI screens.
#pragma once
#include <cstdint>
#include <vector>

#include "core/text.h"
#include "imgui.h"

namespace hfrec::app {

enum class FontKind { regular = 0, bold = 1, symbols = 2 };

struct Fonts {
  ImFont* regular = nullptr;
  ImFont* bold = nullptr;   // headings
  ImFont* title = nullptr;  // the query's name
};

// Stores a font file's bytes (kept for rebuilding at another devicePixelRatio).
void set_font_data(FontKind kind, std::vector<uint8_t> bytes);
// Rebuilds the atlas at size × dpr with FontGlobalScale = 1 / dpr; `narrow` (the phone layout)
// makes body text 16 CSS px. Falls back to ImGui's font when no file was given. The caller
// re-uploads the texture.
// - Rasterised: Latin-1, punctuation, the UI's symbols, and of the fonts' other blocks only the
//   code points in `used` (the catalogue's, typed text's: the runtime collects them). Building
//   every glyph of those blocks (~3,900) was most of the first frame.
// - `slim`: ASCII and the UI's own characters instead of Latin-1 and punctuation (two fifths of the
//   glyphs), for the page's frames before its first catalogue is in. The page's first atlas is
//   built by code V8 has not optimised yet: 73-103 ms of its first frame with the full base (9-10
//   ms natively).
void build_fonts(float dpr, bool narrow = false, const CodePointSet& used = {}, bool slim = false);
const Fonts& fonts();

}  // namespace hfrec::app
