#!/usr/bin/env bash
# Builds the browser extension (web/extension/) into dist-extension/chromium/ and
# dist-extension/firefox/ (unpacked, loadable as they are) and a zip of each. It bundles the
# hfrec-core package from dist-pkg/ (built by scripts/build-pkg.sh when missing).
#   HFREC_EXT_DIST=dir  output folder (default dist-extension)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dist=${HFREC_EXT_DIST:-$root/dist-extension}
src=web/extension
if [ ! -f dist-pkg/index.js ] || [ ! -f dist-pkg/catalogue.js ] || [ ! -f dist-pkg/hfrec-core.wasm ]; then
  echo "build-extension: dist-pkg/ is missing; building it (scripts/build-pkg.sh)"
  NODE_PATH=${NODE_PATH:-/usr/share/nodejs} bash scripts/build-pkg.sh
fi
common=(background.js engine.js hub_rules.js hub_fetch.js content.js content.css options.html options.js options.css)
rm -rf "$dist"
for browser in chromium firefox; do
  out=$dist/$browser
  mkdir -p "$out/core"
  for f in "${common[@]}"; do cp "$src/$f" "$out/"; done
  cp dist-pkg/index.js dist-pkg/catalogue.js dist-pkg/hfrec-core.mjs dist-pkg/hfrec-core.wasm "$out/core/"
  cp LICENSE "$out/" 2>/dev/null || true
  if [ "$browser" = chromium ]; then
    cp "$src/sw.js" "$src/offscreen.html" "$src/offscreen.js" "$out/"
  else
    cp "$src/background-firefox.js" "$out/"
  fi
  # The manifest: web/extension/manifest.json plus each browser's background and permissions.
  node -e '
    const fs = require("fs");
    const [tmpl, browser, out] = process.argv.slice(1);
    const m = JSON.parse(fs.readFileSync(tmpl, "utf8"));
    if (browser === "chromium") {
      m.background = { service_worker: "sw.js", type: "module" };
      m.permissions.push("offscreen");
      m.minimum_chrome_version = "116";
    } else {
      m.background = { scripts: ["background-firefox.js"], type: "module" };
      // data_collection_permissions: what addons.mozilla.org asks of new add-ons (Firefox >= 140
      // reads it; older ones ignore it): none, nothing is sent anywhere but the Hub API.
      m.browser_specific_settings = { gecko: { id: "hfrec-similar@hfrec.invalid", strict_min_version: "115.0",
        data_collection_permissions: { required: ["none"] } } };
    }
    fs.writeFileSync(out, JSON.stringify(m, null, 2) + "\n");
  ' "$src/manifest.json" "$browser" "$out/manifest.json"
  rm -f "$dist/hfrec-extension-$browser.zip"
  if command -v zip >/dev/null; then
    (cd "$out" && zip -qr -X "../hfrec-extension-$browser.zip" .)
  else  # python3's zipfile where zip is not installed
    (cd "$out" && python3 -m zipfile -c "../hfrec-extension-$browser.zip" ./*)
  fi
  printf 'build-extension: %-8s %s (%d bytes zipped)\n' "$browser" "$out" "$(wc -c <"$dist/hfrec-extension-$browser.zip")"
done
