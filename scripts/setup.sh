#!/usr/bin/env bash
# Installs what hfrec needs on a fresh Debian/Ubuntu machine, from Debian's packages only.
# Idempotent and quick when everything is present. Needs root or sudo for apt.
set -euo pipefail
pkgs=(cmake make g++ clang clang-format-14 libclang-rt-14-dev libeigen3-dev nlohmann-json3-dev googletest libgtest-dev
      libbenchmark-dev emscripten chromium firefox-esr fonts-inter fonts-dejavu-core python3 python3-sklearn python3-fonttools
      python3-pandas xz-utils dpkg-dev ca-certificates gzip brotli libcurl4-openssl-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
fi
if ! command -v node >/dev/null 2>&1; then
  echo "setup: installing nodejs and npm" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >&2
fi
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/fetch-imgui.sh" >/dev/null
if { [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/puppeteer-core" ] ||
  [ ! -d "$here/node_modules/typescript" ]; } &&
  [ -f "$here/package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >&2)
fi
echo "setup: ok" >&2
