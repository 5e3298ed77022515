#!/usr/bin/env bash
# Fetch Dear ImGui 1.86 sources from Debian's source package (never committed).
# Usage: scripts/fetch-imgui.sh [DEST]   (default: third_party/imgui, prints IMGUI_DIR)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$here/third_party/imgui}
if [ -f "$dest/imgui.h" ]; then echo "$dest"; exit 0; fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
if ! ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1 || ! grep -qs "deb-src" /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null; then
  src=/etc/apt/sources.list.d/debian.sources
  if [ -f "$src" ]; then
    sed 's/^Types: deb$/Types: deb-src/' "$src" | $SUDO tee /etc/apt/sources.list.d/hfrec-src.sources >/dev/null
  else
    grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $SUDO tee /etc/apt/sources.list.d/hfrec-src.list >/dev/null
  fi
  $SUDO apt-get update -qq >&2
fi
work=$(mktemp -d)
( cd "$work" && apt-get source --download-only imgui >&2 )
tarball=$(ls "$work"/imgui_*.orig.tar.* | head -1)
mkdir -p "$dest"
tar -xf "$tarball" -C "$dest" --strip-components=1
rm -rf "$work"
test -f "$dest/imgui.h"
echo "$dest"
