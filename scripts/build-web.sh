#!/usr/bin/env bash
# Builds the static site into dist/: the WebAssembly app, the page, fonts and a default catalogue.
#   HFREC_CATALOGUE=path  the catalogue to ship (else ../shared/data/hf_models_10k.csv when it
#                         exists, else web/catalogue.csv)
#   HFREC_DIST=dir        output folder (default dist)
# Needs: emscripten, libeigen3-dev, nlohmann-json3-dev, fonts-inter, fonts-dejavu-core, gzip,
# python3-fonttools (else the fonts are shipped whole)
# (brotli optional).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dist=${HFREC_DIST:-$root/dist}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}  # Debian's emcc finds acorn there

imgui_dir=$(scripts/fetch-imgui.sh)
emcmake cmake --preset wasm-release -DIMGUI_DIR="$imgui_dir" >/dev/null
cmake --build build/wasm-release -j"${HFREC_JOBS:-2}" --target hfrec_app

if [ -n "${HFREC_CATALOGUE:-}" ]; then
  catalogue=$HFREC_CATALOGUE
  [ -f "$catalogue" ] || { echo "build-web: HFREC_CATALOGUE=$catalogue does not exist" >&2; exit 1; }
  why="HFREC_CATALOGUE"
elif [ -f "$root/../shared/data/hf_models_10k.csv" ]; then
  catalogue=$root/../shared/data/hf_models_10k.csv
  why="../shared/data exists"
else
  catalogue=$root/web/catalogue.csv
  why="default"
fi
cat_name=$(basename "$catalogue")
case "$cat_name" in
  *.json) ext=json ;;
  *) ext=csv ;;
esac
echo "build-web: catalogue $catalogue ($why)"

rm -rf "$dist"
mkdir -p "$dist/fonts"
cp build/wasm-release/wasm/hfrec-app.js build/wasm-release/wasm/hfrec-app.wasm "$dist/"
cp web/hfrec.js web/hub_rules.js web/hub.js web/consent.js web/input.js web/downloads.js web/loads.js web/mirror.js web/warm.js "$dist/"
cp wasm/pkg/catalogue.js "$dist/"  # window.hfrec.core(): the npm package's Catalogue over the app's module
install -m 644 "$catalogue" "$dist/catalogue.$ext"
# What web/warm.js runs the app's first-load code on, off the main thread: the catalogue's first
# 200 KB (hfrec_warmup keeps its whole records). A JSON catalogue gets none (no warm-up).
if [ "$ext" = csv ]; then head -c 200000 "$catalogue" >"$dist/warmup.csv"; fi
# The page names the shipped catalogue (file name for the header, path to fetch).
sed -e "s|<meta name=\"hfrec-catalogue\" content=\"[^\"]*\">|<meta name=\"hfrec-catalogue\" content=\"catalogue.$ext#$cat_name\">|" \
  -e "s|id=\"preload-catalogue\" href=\"[^\"]*\"|id=\"preload-catalogue\" href=\"catalogue.$ext\"|" \
  web/index.html >"$dist/index.html"

inter=/usr/share/fonts/opentype/inter
dejavu=/usr/share/fonts/truetype/dejavu
for f in "$inter/Inter-Regular.otf" "$inter/Inter-SemiBold.otf" "$dejavu/DejaVuSans.ttf"; do
  [ -f "$f" ] || { echo "build-web: missing $f (apt-get install fonts-inter fonts-dejavu-core)" >&2; exit 1; }
done
# The fonts cut to the code points the app can draw with them (the blocks wasm/views/fonts.cpp
# lists: Inter's text, DejaVu Sans's symbols), by fontTools' subsetter: 147 KB of brotli instead of
# 537 KB; the same atlas, pixel for pixel (outlines and metrics are kept; stb_truetype reads no
# hinting or layout tables). Without fontTools the whole files are copied.
fonts_py=/usr/bin/python3
[ -x "$fonts_py" ] || fonts_py=python3
if "$fonts_py" -c 'import fontTools.subset' 2>/dev/null; then
  blocks() {  # the U+ ranges of fonts.cpp's arrays named $@, comma-separated
    "$fonts_py" scripts/font_ranges.py --unicodes "$@"
  }
  subset() {  # font, code points, output
    "$fonts_py" -m fontTools.subset "$1" --unicodes="$2" --output-file="$3" --layout-features='' --no-hinting \
      --notdef-outline --drop-tables+=FFTM --name-IDs='*' --name-legacy --name-languages='*'
  }
  text=$(blocks kTextRanges kTitleRanges kBaseText kSlimText)
  symbols=$(blocks kSymbolRanges kUiSymbolRanges kBaseSymbols)
  subset "$inter/Inter-Regular.otf" "$text" "$dist/fonts/Inter-Regular.otf"
  subset "$inter/Inter-SemiBold.otf" "$text" "$dist/fonts/Inter-SemiBold.otf"
  subset "$dejavu/DejaVuSans.ttf" "$symbols" "$dist/fonts/DejaVuSans.ttf"
else
  echo "build-web: fontTools not found (apt-get install python3-fonttools): the fonts are copied whole" >&2
  cp "$inter/Inter-Regular.otf" "$inter/Inter-SemiBold.otf" "$dejavu/DejaVuSans.ttf" "$dist/fonts/"
fi
# The downloads' sizes before compression: the loading bar's totals, which a compressed response's
# Content-Length does not give.
fonts_bytes=$(cat "$dist"/fonts/*.otf "$dist"/fonts/*.ttf | wc -c)
sizes="app=$(stat -c %s "$dist/hfrec-app.wasm") catalogue=$(stat -c %s "$dist/catalogue.$ext") fonts=$fonts_bytes"
sed -i "s|<meta name=\"hfrec-sizes\" content=\"[^\"]*\">|<meta name=\"hfrec-sizes\" content=\"$sizes\">|" "$dist/index.html"
cp /usr/share/doc/fonts-inter/copyright "$dist/fonts/Inter-LICENSE.txt" 2>/dev/null || true
cp /usr/share/doc/fonts-dejavu-core/copyright "$dist/fonts/DejaVu-LICENSE.txt" 2>/dev/null || true
touch "$dist/.nojekyll"

# Precompressed copies for servers that serve them (scripts/serve.mjs, many CDNs).
warmup=""
[ -f "$dist/warmup.csv" ] && warmup="$dist/warmup.csv"
for f in "$dist"/hfrec-app.wasm "$dist"/hfrec-app.js "$dist"/catalogue.$ext $warmup "$dist"/fonts/*.otf "$dist"/fonts/*.ttf; do
  gzip -9 -k -f "$f"
  if command -v brotli >/dev/null; then brotli -q 11 -k -f "$f"; fi
done
echo "build-web: wrote $dist ($(du -sh "$dist" | cut -f1))"
