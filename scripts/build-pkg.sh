#!/usr/bin/env bash
# Builds the npm package (wasm/pkg/) into dist-pkg/: the headless WebAssembly core (no ImGui, GL
# or GLFW), its ES module wrapper, types, README and package.json; prints the sizes.
#   HFREC_PKG_DIST=dir  output folder (default dist-pkg)
# Then `npm pack ./dist-pkg` makes the tarball. Needs: emscripten, libeigen3-dev, nlohmann-json3-dev.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dist=${HFREC_PKG_DIST:-$root/dist-pkg}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}  # Debian's emcc finds acorn there

imgui_dir=$(scripts/fetch-imgui.sh)  # the wasm-release preset configures the app too
emcmake cmake --preset wasm-release -DIMGUI_DIR="$imgui_dir" >/dev/null
cmake --build build/wasm-release -j"${HFREC_JOBS:-2}" --target hfrec_pkg

rm -rf "$dist"
mkdir -p "$dist"
cp build/wasm-release/wasm/pkg/hfrec-core.mjs build/wasm-release/wasm/pkg/hfrec-core.wasm "$dist/"
cp wasm/pkg/index.js wasm/pkg/catalogue.js wasm/pkg/index.d.ts wasm/pkg/README.md wasm/pkg/package.json "$dist/"
cp LICENSE "$dist/" 2>/dev/null || true
for f in hfrec-core.wasm hfrec-core.mjs index.js catalogue.js; do
  printf 'build-pkg: %-16s %8d bytes, %8d gzipped\n' "$f" "$(wc -c <"$dist/$f")" "$(gzip -9 -c "$dist/$f" | wc -c)"
done
echo "build-pkg: wrote $dist"
