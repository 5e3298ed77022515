#!/usr/bin/env bash
# WebAssembly against native on the same work (issues 3 and 5): builds hfrec_samework both ways,
# runs each on the same catalogues and prints a Markdown table of milliseconds and ratios.
# usage: scripts/bench-samework.sh [--layout F] [CATALOGUE ...]
#   --layout F (attributes, soup, tfidf, hybrid): also F's UMAP map, as the app's map job lays it out
#   default: ../shared/data/hf_models_10k.csv and, when present, the generated 100k and 1M ones
#   in /tmp/hfrec-bench (tests/bench/browser_bench.mjs makes them).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
jobs="${HFREC_JOBS:-2}"

layout=""
if [[ "${1:-}" == --layout ]]; then
  layout="${2:?bench-samework: --layout needs a feature space}"
  shift 2
fi
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
  [[ -n "$layout" ]] || continue
  lr=2
  ((rows > 50000)) && lr=1  # a cold map and one warm (hfrec_samework repeats at least once): a 100k map takes a minute
  n=$("$native" "$f" --load-only --layout "$layout" --repeat "$lr")
  w=$(node --no-experimental-fetch "$wasm" "$f" --load-only --layout "$layout" --repeat "$lr")
  node -e '
    const [n, w, name] = [JSON.parse(process.argv[1]).layout, JSON.parse(process.argv[2]).layout, process.argv[3]];
    const rows = JSON.parse(process.argv[1]).rows;
    if (n.cold.preservation !== w.cold.preservation) { console.error(`bench-samework: ${name}: the maps disagree (preservation ${n.cold.preservation} vs ${w.cold.preservation})`); process.exit(1); }
    const best = (l, k) => Math.min(...(l.warm.length ? l.warm : [l.cold]).map((r) => r[k]));
    const row = (stage, a, b) => console.log(`| ${name} | ${rows} | ${stage} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(2)}× |`);
    for (const [k, what] of [["neighbours_ms", "the kNN graph"], ["rest_ms", "the rest (initialisation, fuzzy set, epochs, placing)"], ["total_ms", "the whole map"]])
      row(`layout ${n.features}: ${what}`, best(n, k), best(w, k));
  ' "$n" "$w" "$(basename "$f")"
done
echo
echo "Parse, index and search index: best of 10 loads (3 at 1M) after a first, cold one (timed apart: V8 runs WebAssembly in its baseline tier until its optimising compiler, in the background, has caught up). Type-ahead: typed once untimed, then timed. Recommend: the mean over the same query models in both builds (their results are checksummed and must agree). Layout: best of 2 maps after a first, cold one (at over 50k rows 1), in 6 ms slices; the two builds' maps must have the same preservation. $(nproc) cores, $(date -u +%Y-%m-%d)."
