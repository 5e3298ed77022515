#!/usr/bin/env bash
# npm run lint: the checks that need no build.
# 1. Formatting: every C++ file of the project (third_party aside) is as clang-format-14 writes it
#    with .clang-format. Fix with: scripts/lint.sh --fix
# 2. The rooms: core/ includes no platform or UI header (emscripten, ImGui, GL, GLFW) and nothing
#    from wasm/; wasm/app/ includes no ImGui, GL or emscripten header; wasm/views/ no emscripten;
#    wasm/pkg/ (the npm package) no ImGui, GL or app header.
# Exit 0 clean, 1 with a list of what is wrong, 77 when clang-format-14 is missing (not under CI).
set -uo pipefail
cd "$(dirname "$0")/.."
fmt=$(command -v clang-format-14 || command -v clang-format || true)
mapfile -t files < <(git ls-files '*.cpp' '*.h' '*.inc' | grep -v '^third_party/' | grep -v '\.inc$')
bad=0
if [ "${1:-}" = "--fix" ]; then
  [ -n "$fmt" ] || { echo "lint: clang-format-14 is not installed (apt-get install clang-format-14)"; exit 1; }
  "$fmt" -i "${files[@]}"
  echo "lint: formatted ${#files[@]} files"
  exit 0
fi
if [ -z "$fmt" ]; then
  echo "lint: clang-format-14 is not installed (apt-get install clang-format-14): formatting not checked"
  exit 77
fi
unformatted=()
for f in "${files[@]}"; do
  "$fmt" --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if ((${#unformatted[@]})); then
  echo "lint: ${#unformatted[@]} file(s) not formatted as .clang-format says (fix: scripts/lint.sh --fix):"
  printf '  %s\n' "${unformatted[@]}"
  bad=1
fi
# rule ROOT PATTERN WHAT: no file under ROOT may include a header matching PATTERN.
rule() {
  local hits
  hits=$(git ls-files "$1" | grep -E '\.(cpp|h)$' | xargs -r grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($2)" || true)
  if [ -n "$hits" ]; then
    echo "lint: $1 must not include $3:"
    echo "$hits" | sed 's/^/  /'
    bad=1
  fi
}
rule core/ 'emscripten|imgui|GL/|GLES|GLFW|webgl|app/|views/|wasm/' "platform, UI or app headers (core/ is pure C++)"
rule wasm/app/ 'emscripten|imgui|GL/|GLES|GLFW|views/' "ImGui, GL or emscripten headers (the app layer is platform-free)"
rule wasm/views/ 'emscripten' "emscripten headers (views run natively in tests/views)"
rule wasm/pkg/ 'imgui|GL/|GLES|GLFW|webgl|app/|views/' "ImGui, GL or app headers (the npm package is the core alone)"
((bad)) && exit 1
echo "lint: ${#files[@]} files formatted; core/, wasm/app/, wasm/views/ and wasm/pkg/ include only what their room may"
