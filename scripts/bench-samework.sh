#!/usr/bin/env bash
# WebAssembly against native on the same work (issues 3 and 5): builds hfrec_samework both ways,
# runs each on the same catalogues and prints a Markdown table of milliseconds and ratios.
# usage: scripts/bench-samework.sh [CATALOGUE ...]
#   default: ../shared/data/hf_models_10k.csv and, when present, the generated 100k and 1M ones
#   in /tmp/hfrec-bench (tests/bench/browser_bench.mjs makes them).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
jobs="${HFREC_JOBS:-2}"

cats=("$@")
if [[ ${#cats[@]} -eq 0 ]]; then
  for f in ../shared/data/hf_models_10k.csv /tmp/hfrec-bench/gen-v1-100000-s1.csv /tmp/hfrec-bench/gen-v1-1000000-s1.csv; do
    [[ -f "$f" ]] && cats+=("$f")
  done
fi
[[ ${#cats[@]} -gt 0 ]] || { echo "bench-samework: no catalogue (../shared/data/hf_models_10k.csv is absent); pass one" >&2; exit 0; }

cmake --preset native-release >/dev/null
cmake --build --preset native-release -j"$jobs" --target hfrec_samework >/dev/null
cmake --preset wasm-release >/dev/null
cmake --build build/wasm-release -j"$jobs" --target hfrec_samework >/dev/null
native=build/native-release/tests/bench/hfrec_samework
wasm=build/wasm-release/wasm/hfrec_samework.cjs

echo "| catalogue | rows | stage | native ms | WASM (Node $(node --version)) ms | WASM / native |"
echo "|---|---|---|---|---|---|"
for f in "${cats[@]}"; do
  rows=$(wc -l <"$f")
  q=200 r=10  # ten loads: V8's background tier-up can take a few of a 10k catalogue's 25 ms loads; 200 queries: at 1M one of 0.03 ms is mostly cache misses
  ((rows > 500000)) && r=3
  n=$("$native" "$f" --queries "$q" --repeat "$r")
  w=$(node --no-experimental-fetch "$wasm" "$f" --queries "$q" --repeat "$r")
  node -e '
    const [n, w, name] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2]), process.argv[3]];
    if (n.checksum !== w.checksum) { console.error(`bench-samework: ${name}: the builds disagree (checksum ${n.checksum} vs ${w.checksum})`); process.exit(1); }
    const row = (stage, a, b) => console.log(`| ${name} | ${n.rows} | ${stage} | ${a.toFixed(3)} | ${b.toFixed(3)} | ${(b / a).toFixed(2)}× |`);
    row("parse (CatalogueLoader)", n.load_ms, w.load_ms);
    row("index (IndexBuilder)", n.index_ms, w.index_ms);
    row("search index", n.search_index_ms, w.search_index_ms);
    row("first load, cold (parse + index + search index)", n.cold_load_ms, w.cold_load_ms);
    for (const m of Object.keys(n.recommend_ms)) row(`recommend: ${m} (mean of ${n.queries})`, n.recommend_ms[m], w.recommend_ms[m]);
    row("type-ahead search (mean)", n.search_ms, w.search_ms);
  ' "$n" "$w" "$(basename "$f")"
done
echo
echo "Parse, index and search index: best of 10 loads (3 at 1M) after a first, cold one (timed apart: V8 runs WebAssembly in its baseline tier until its optimising compiler, in the background, has caught up). Type-ahead: typed once untimed, then timed. Recommend: the mean over the same query models in both builds (their results are checksummed and must agree). $(nproc) cores, $(date -u +%Y-%m-%d)."
