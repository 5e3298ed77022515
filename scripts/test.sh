#!/usr/bin/env bash
# Runs every test: native unit tests (g++ release, clang release, then ASan+UBSan; core and the app logic),
# exactness against scikit-learn, hfrec fetch against the mock Hub,
# the WebAssembly build (its memory routines checked under Node) with its end-to-end tests in
# headless Chromium, and bounded fuzzing.
# Usage: scripts/test.sh [--quick]   (--quick: release unit tests only)
# Env: FUZZ_SECONDS (default 60 per target), HFREC_SKIP_E2E=1, HFREC_SKIP_ASAN=1.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
passed=0; failed=0; failures=()
stage() {  # stage NAME COMMAND...
  local name=$1; shift
  echo
  echo "=== $name"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "=== $name: ok ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED ($((SECONDS - t0)) s)"
  fi
}
jobs=$(nproc 2>/dev/null || echo 2)

scripts/setup.sh || { echo "setup failed"; exit 1; }

native_release() {
  cmake --preset native-release >/dev/null && cmake --build --preset native-release -j"$jobs" &&
    ctest --preset native-release -j"$jobs"
}
stage "native unit tests (release)" native_release

exactness() {
  local csv=../shared/data/hf_models_10k.csv
  if [ ! -f "$csv" ]; then echo "skipped: $csv is absent"; return 0; fi
  /usr/bin/python3 scripts/check_exactness.py --hfrec build/native-release/hfrec --catalogue "$csv" \
    --sample 200 --seed 7
}
[ -f scripts/check_exactness.py ] && stage "exactness vs scikit-learn (tie-aware)" exactness

# hfrec fetch against the mock Hub (tests/mock_hub), paging, faults and resume; no network.
cli_fetch() { HFREC_CLI="$here/build/native-release/hfrec" node --test --test-concurrency=1 tests/cli/; }
stage "CLI fetch against the mock Hub" cli_fetch

if [ "${1:-}" != "--quick" ]; then
  # The WebAssembly build is compiled by LLVM (Emscripten's clang), natively tested by g++: the same
  # tests built by clang catch what only LLVM's optimiser exposes (it once dropped a loop exit in
  # SearchIndex::search that g++ kept).
  native_clang() {
    cmake --preset native-clang >/dev/null && cmake --build --preset native-clang -j"$jobs" &&
      ctest --preset native-clang -j"$jobs"
  }
  stage "native unit tests (clang release)" native_clang
  if [ "${HFREC_SKIP_ASAN:-0}" != 1 ]; then
    native_debug() {
      cmake --preset native-debug >/dev/null && cmake --build --preset native-debug -j"$jobs" &&
        ctest --preset native-debug -j"$jobs"
    }
    stage "native unit tests (ASan + UBSan)" native_debug
  fi
  if [ "${HFREC_SKIP_E2E:-0}" != 1 ] && grep -q '"test:e2e"' package.json 2>/dev/null; then
    e2e() {
      npm run --silent build &&
        NODE_PATH=/usr/share/nodejs cmake --build build/wasm-release -j"$jobs" --target hfrec_memory_test >/dev/null &&
        NODE_PATH=/usr/share/nodejs node --no-experimental-fetch build/wasm-release/wasm/hfrec_memory_test.cjs &&
        HFREC_CLI="$here/build/native-release/hfrec" npm run --silent test:e2e
    }
    stage "browser end-to-end (headless Chromium)" e2e
  fi
  if [ -x scripts/run-fuzzers.sh ]; then
    stage "fuzzing (${FUZZ_SECONDS:-60} s per target)" scripts/run-fuzzers.sh
  fi
fi

echo
((failed)) && printf 'failed stages: %s\n' "${failures[*]}"
echo "stages: $passed passed, $failed failed"
((failed == 0))
