#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 14, -fsanitize=fuzzer,address,undefined) and runs each for a
# bounded time. Exits non-zero when a target crashes, leaks, times out or breaks an invariant; the
# reproducer is left in $BUILD_DIR/artifacts/ (turn it into a regression test in tests/).
#
# Usage:   scripts/run-fuzzers.sh [target ...]        (default: every fuzz_* target that was built)
# Env:     FUZZ_SECONDS  seconds per target (default 40: the CI budget, five targets two at a time)
#          BUILD_DIR     build folder (default build/fuzz, the `fuzz` CMake preset)
#          FUZZ_JOBS     parallel fuzzing processes per target (default 1)
#          FUZZ_PARALLEL targets fuzzed at the same time (default: the number of cores)
# Needs:   clang++ 14 and libclang-rt-14-dev (apt-get install -y clang libclang-rt-14-dev).
#
# Longer runs (before a release, or after touching a parser):
#   FUZZ_SECONDS=3600 scripts/run-fuzzers.sh fuzz_csv_reader     # an hour on one target
#   FUZZ_SECONDS=1800 FUZZ_JOBS=2 scripts/run-fuzzers.sh          # 30 min each on both cores
# New inputs that raise coverage accumulate in $BUILD_DIR/corpus/<target>/ (not committed); to keep
# a few as seeds, minimise first:
#   build/fuzz/tests/fuzz/fuzz_csv_reader -merge=1 tests/fuzz/corpus/fuzz_csv_reader build/fuzz/corpus/fuzz_csv_reader
# Reproduce a crash:  build/fuzz/tests/fuzz/<target> build/fuzz/artifacts/<target>-crash-<sha1>
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_SECONDS="${FUZZ_SECONDS:-40}"
FUZZ_JOBS="${FUZZ_JOBS:-1}"
BUILD_DIR="${BUILD_DIR:-$ROOT/build/fuzz}"

if [[ "$BUILD_DIR" == "$ROOT/build/fuzz" ]]; then
  (cd "$ROOT" && cmake --preset fuzz >/dev/null)
else
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DHFREC_FUZZ=ON -DHFREC_BUILD_BENCH=OFF >/dev/null
fi

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  for src in "$ROOT"/tests/fuzz/fuzz_*.cpp; do
    name="$(basename "$src" .cpp)"
    # fuzz_share_link is only configured once core/share_link.h exists.
    if [[ "$name" == fuzz_share_link && ! -f "$ROOT/core/share_link.h" ]]; then continue; fi
    targets+=("$name")
  done
fi
cmake --build "$BUILD_DIR" -j2 --target "${targets[@]}"

mkdir -p "$BUILD_DIR/artifacts"
# Runs one target; its verdict goes to $BUILD_DIR/$t.verdict (the targets run side by side).
run_target() {
  local t=$1
  local bin="$BUILD_DIR/tests/fuzz/$t" work="$BUILD_DIR/corpus/$t" seeds="$ROOT/tests/fuzz/corpus/$t"
  mkdir -p "$work"
  # The first corpus folder receives new inputs; the committed seeds are only read.
  local jobs=()
  if [[ "$FUZZ_JOBS" -gt 1 ]]; then jobs=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS"); fi
  # Run from the build folder: with FUZZ_JOBS > 1 libFuzzer writes fuzz-<n>.log files to the cwd.
  # -close_fd_mask=2: the targets' own stderr (the CLI's messages) is closed; libFuzzer and the
  # sanitizers still report. stdout stays open (fuzz_cli reads it back).
  if (cd "$BUILD_DIR" && "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -close_fd_mask=2 \
      -max_len=8192 -print_final_stats=1 -artifact_prefix="$BUILD_DIR/artifacts/$t-" "${jobs[@]}" \
      "$work" "$seeds" 2>"$BUILD_DIR/$t.log"); then
    echo ok >"$BUILD_DIR/$t.verdict"
  else
    echo failed >"$BUILD_DIR/$t.verdict"
  fi
}
# FUZZ_PARALLEL targets at a time (default: one per core; each gets its FUZZ_SECONDS in full).
parallel="${FUZZ_PARALLEL:-$(nproc 2>/dev/null || echo 1)}"
running=0
for t in "${targets[@]}"; do
  echo "== $t: ${FUZZ_SECONDS}s"
  rm -f "$BUILD_DIR/$t.verdict"
  run_target "$t" &
  running=$((running + 1))
  if ((running >= parallel)); then wait -n || true; running=$((running - 1)); fi
done
wait
failed=()
for t in "${targets[@]}"; do
  if [[ "$(cat "$BUILD_DIR/$t.verdict" 2>/dev/null)" == ok ]]; then
    echo "== $t: ok"
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$BUILD_DIR/$t.log" || true
  else
    echo "!! $t failed; see $BUILD_DIR/$t.log and $BUILD_DIR/artifacts/"
    tail -n 40 "$BUILD_DIR/$t.log"
    failed+=("$t")
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzzers failed: ${failed[*]}"
  exit 1
fi
echo "all fuzzers ran clean (${FUZZ_SECONDS}s each)"
