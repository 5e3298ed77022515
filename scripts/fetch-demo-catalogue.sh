#!/usr/bin/env bash
# Fetches the Hub's top N models by downloads as the demo catalogue, and prints the path of the
# catalogue to ship (for HFREC_CATALOGUE, which scripts/build-web.sh honours). When the fetch fails,
# even after one --resume, it prints the default catalogue (web/catalogue.csv) instead and still
# exits 0: a deploy never fails for want of the Hub.
# Usage: scripts/fetch-demo-catalogue.sh OUT_DIR
#   HFREC_HUB_N       models to fetch (default 50000)
#   HFREC_HUB         the Hub (default https://huggingface.co; tests point it at tests/mock_hub)
#   HFREC_CLI         the hfrec binary (default build/native-release/hfrec, built when absent)
#   HFREC_FETCH_ARGS  more `hfrec fetch` options (tests: "--retry-base-ms 1")
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: scripts/fetch-demo-catalogue.sh OUT_DIR}
n=${HFREC_HUB_N:-50000}
hub=${HFREC_HUB:-https://huggingface.co}
cli=${HFREC_CLI:-$root/build/native-release/hfrec}
fallback=$root/web/catalogue.csv
say() { echo "fetch-demo-catalogue: $*" >&2; }

case "$n" in ''|*[!0-9]*) say "HFREC_HUB_N must be a number, got '$n'; shipping the default catalogue"; echo "$fallback"; exit 0 ;; esac
if [ ! -x "$cli" ]; then
  say "building $cli"
  if ! (cd "$root" && cmake --preset native-release >&2 && cmake --build --preset native-release -j"${HFREC_JOBS:-2}" --target hfrec >&2); then
    say "could not build hfrec; shipping the default catalogue"
    echo "$fallback"
    exit 0
  fi
fi
mkdir -p "$dir"
out=$dir/hub-top-$n.csv
state=$dir/hub-top-$n.resume.json
# shellcheck disable=SC2086  # HFREC_FETCH_ARGS is a list of options
"$cli" fetch --out "$out" --hub "$hub" --sort downloads --limit "$n" --resume "$state" ${HFREC_FETCH_ARGS:-} >&2
rc=$?
if [ "$rc" = 4 ]; then
  say "the fetch stopped (exit 4); resuming once"
  # shellcheck disable=SC2086
  "$cli" fetch --out "$out" --resume "$state" ${HFREC_FETCH_ARGS:-} >&2
  rc=$?
fi
if [ "$rc" != 0 ]; then
  say "the fetch failed (exit $rc); shipping the default catalogue $fallback"
  echo "$fallback"
  exit 0
fi
say "fetched $out"
echo "$out"
