#!/usr/bin/env bash
# NN-descent's graph from a build before (a git revision) beside this tree's, in one process,
# alternating, natively or as WebAssembly under Node (tests/bench/graph_ab.cpp): for changes to
# core/nn_descent.cpp that keep its interface. Same hash, same graph.
# usage: scripts/bench-graph-ab.sh [--wasm] REV CATALOGUE [--features F] [--rounds N] [-k K]
#   e.g. scripts/bench-graph-ab.sh HEAD~1 /tmp/hfrec-bench/gen-v1-100000-s1.csv --rounds 3
# Needs the native (or wasm) release build of this tree (for libhfrec_core.a).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
wasm=0
if [[ "${1:-}" == --wasm ]]; then wasm=1; shift; fi
rev="${1:?usage: scripts/bench-graph-ab.sh [--wasm] REV CATALOGUE [options]}"
cat="${2:?usage: scripts/bench-graph-ab.sh [--wasm] REV CATALOGUE [options]}"
shift 2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The build before's NnDescentRun and nn_descent() renamed; NnDescentParams stays this tree's.
rename='s/NnDescentRun/NnDescentRunBefore/g; s/\bnn_descent(/nn_descent_before(/g; s/"nn_descent\.h"/"nn_descent_before.h"/; s/^struct NnDescentParams\b/struct NnDescentParamsBefore/'
git show "$rev:core/nn_descent.h" | sed "$rename" | sed 's/^#pragma once$/#pragma once\n#include "nn_descent.h"/' >"$work/nn_descent_before.h"
git show "$rev:core/nn_descent.cpp" | sed "$rename" >"$work/nn_descent_before.cpp"
# -iquote for core/: its headers' names (features.h) would shadow the system's with -I.
flags=(-std=c++20 -O3 -DNDEBUG -I"$root" -iquote "$root/core" -I"$work" -I/usr/include/eigen3)
srcs=(tests/bench/graph_ab.cpp "$work/nn_descent_before.cpp" core/nn_descent.cpp)
if [[ $wasm == 1 ]]; then
  export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
  lib=build/wasm-release/libhfrec_core.a
  [[ -f $lib ]] || { echo "bench-graph-ab: build the wasm release first (npm run build)" >&2; exit 2; }
  em++ "${flags[@]}" -msimd128 -D_LIBCPP_DISABLE_EXTERN_TEMPLATE "${srcs[@]}" "$lib" -sENVIRONMENT=node -sNODERAWFS=1 \
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sBINARYEN_EXTRA_PASSES=--one-caller-inline-max-function-size=100 \
    -o "$work/graph_ab.cjs"
  node --no-experimental-fetch "$work/graph_ab.cjs" "$cat" "$@"
else
  lib=build/native-release/libhfrec_core.a
  [[ -f $lib ]] || { echo "bench-graph-ab: build the native release first (cmake --build --preset native-release)" >&2; exit 2; }
  c++ "${flags[@]}" "${srcs[@]}" "$lib" -o "$work/graph_ab"
  "$work/graph_ab" "$cat" "$@"
fi
