#!/usr/bin/env bash
# Prints the README's table of every method on both offline protocols (issue 7) as Markdown.
# usage: scripts/eval-table.sh [CATALOGUE] [HFREC]
#   CATALOGUE defaults to ../shared/data/hf_models_10k.csv, HFREC to build/native-release/hfrec.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cat_file="${1:-$root/../shared/data/hf_models_10k.csv}"
hfrec="${2:-$root/build/native-release/hfrec}"
[[ -x "$hfrec" ]] || { echo "eval-table: no hfrec at $hfrec (build it, or pass its path)" >&2; exit 2; }
[[ -f "$cat_file" ]] || { echo "eval-table: no catalogue at $cat_file" >&2; exit 2; }
field() { sed -E "s/.*\"$1\":([^,}]*).*/\1/" <<<"$2"; }
echo "| method | datasets-P@10 | task agreement@10 | eval time (datasets / task) |"
echo "|---|---|---|---|"
for m in jaccard cosine tfidf knn kmeans hybrid random; do
  d=$("$hfrec" eval --catalogue "$cat_file" --protocol datasets --method "$m")
  t=$("$hfrec" eval --catalogue "$cat_file" --protocol task --method "$m")
  printf '| %s | %.4f | %.4f | %.2f s / %.2f s |\n' "$m" "$(field value "$d")" "$(field value "$t")" \
    "$(field seconds "$d")" "$(field seconds "$t")"
done
echo
echo "Queries: $(field queries "$d") (datasets), $(field queries "$t") (task); top-10 over all other models, ties by downloads then modelId; \`random\` is the exact expectation of a uniform top-10."
