// Light and dark styles for the app (chosen by the system's prefers-color-scheme).
#pragma once
#include "imgui.h"

namespace hfrec::app {

// Colours the app draws itself (score bars, highlights, banners).
struct Palette {
  ImU32 accent, accent_soft, both_row, error_bg, notice_bg, muted_text, bar_bg;
};

void apply_theme(bool dark);
const Palette& palette();

}  // namespace hfrec::app
