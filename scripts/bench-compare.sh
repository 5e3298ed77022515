#!/usr/bin/env bash
# hfrec's native path vs the notebook's scikit-learn path, on the same machine in one run.
# Each pipeline runs as its own process under /usr/bin/time (wall time, peak RSS):
#   cosine   CSV file -> first cosine recommendation   (hfrec recommend  vs  bench-sklearn.py --mode cosine)
#   jaccard  CSV file -> first jaccard recommendation  (sklearn builds the dense n x n; minutes: --jaccard)
#   kmeans   CSV file -> k-means k=10 -> first kmeans recommendation
#   silhouette  sklearn only until hfrec has a CLI for it
# With --sizes 10k,100k,1M it also runs hfrec alone on generated catalogues (hfrec_gen, cached in
# /tmp/hfrec-bench): CSV file to first recommendation, load and index time, peak RSS per size.
# Prints JSON (also written to OUT/compare.json) and a Markdown table (OUT/compare.md).
#
#   scripts/bench-compare.sh [--catalogue FILE] [--model ID] [--build DIR] [--out DIR] [--repeat N]
#                            [--jaccard] [--sizes 10k,100k,1M] [--no-sklearn]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
catalogue="$root/../shared/data/hf_models_10k.csv"
model="bert-base-uncased"
build="$root/build/native-release"  # the native-release preset (npm test builds it)
out="/tmp/hfrec-bench/compare"
repeat=5
jaccard=0
sizes=""
sklearn=1
while [ $# -gt 0 ]; do
  case "$1" in
    --catalogue) catalogue="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --jaccard) jaccard=1; shift ;;
    --sizes) sizes="$2"; shift 2 ;;
    --no-sklearn) sklearn=0; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-compare: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
hfrec="$build/hfrec"
[ -x "$hfrec" ] || { echo "bench-compare: $hfrec not found; build it: cmake --build $build --target hfrec" >&2; exit 2; }
[ -r "$catalogue" ] || { echo "bench-compare: $catalogue not readable" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-compare: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
mkdir -p "$out"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME CMD...: one process under /usr/bin/time; stdout to OUT/NAME.out, "wall_s maxrss_kb" to OUT/NAME.time.
# The wall time is the shell's clock around it (nanoseconds; /usr/bin/time's own start-up, about a
# millisecond, included): time's %e has 10 ms steps, too coarse for a 10-20 ms hfrec process.
run() {
  local name="$1"; shift
  local t0 t1 wall rss
  t0=$(date +%s%N)
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$@" > "$out/$name.out"
  t1=$(date +%s%N)
  read -r wall rss < <(tail -n 1 "$out/$name.time")
  printf '%s %s\n' "$(awk -v ns="$((t1 - t0))" 'BEGIN { printf "%.4f", ns / 1e9 }')" "$rss" > "$out/$name.time"
}

# hfrec: best-of and median of N runs (the first also warms the page cache for both tools).
hfrec_runs() {
  local method="$1"
  for i in $(seq 1 "$repeat"); do
    run "hfrec-$method-$i" "$hfrec" recommend --catalogue "$catalogue" --method "$method" --model "$model" -k 10
  done
}

echo "bench-compare: hfrec runs (x$repeat)..." >&2
hfrec_runs cosine
hfrec_runs kmeans
[ "$jaccard" = 1 ] && hfrec_runs jaccard
"$hfrec" stats --catalogue "$catalogue" > "$out/hfrec-stats.json"
# The clustering stages alone, on the same catalogue (Google Benchmark, when built).
rm -f "$out/hfrec-bench.json"
if [ -x "$build/tests/bench/hfrec_bench" ] && [ "$catalogue" -ef "$root/../shared/data/hf_models_10k.csv" ]; then
  HFREC_BENCH_SIZES=real10k "$build/tests/bench/hfrec_bench" --benchmark_filter='^(kmeans/k10|silhouette/k10)/real10k$' \
    --benchmark_format=json > "$out/hfrec-bench.json" 2> /dev/null || rm -f "$out/hfrec-bench.json"
fi

rm -f "$out"/sklearn-*.time "$out"/scale-*.time
if [ "$sklearn" = 1 ]; then
  echo "bench-compare: scikit-learn runs (cosine builds a dense n x n; about a minute)..." >&2
  run sklearn-cosine /usr/bin/python3 "$here/bench-sklearn.py" --csv "$catalogue" --model "$model" --mode cosine
  run sklearn-kmeans /usr/bin/python3 "$here/bench-sklearn.py" --csv "$catalogue" --model "$model" --mode kmeans
  run sklearn-silhouette /usr/bin/python3 "$here/bench-sklearn.py" --csv "$catalogue" --model "$model" --mode silhouette
fi
if [ "$sklearn" = 1 ] && [ "$jaccard" = 1 ]; then
  echo "bench-compare: scikit-learn jaccard n x n (several minutes)..." >&2
  run sklearn-jaccard /usr/bin/python3 "$here/bench-sklearn.py" --csv "$catalogue" --model "$model" --mode jaccard
fi
# Native scaling on generated catalogues: CSV file to first recommendation (cosine, first row as query).
for size in ${sizes//,/ }; do
  case "$size" in
    10k) n=10000 ;; 100k) n=100000 ;; 1M) n=1000000 ;; 2M) n=2000000 ;;
    *) echo "bench-compare: unknown size '$size' (10k, 100k, 1M, 2M)" >&2; exit 2 ;;
  esac
  file="/tmp/hfrec-bench/gen-v1-$n-s1.csv"
  if [ ! -f "$file" ]; then
    echo "bench-compare: generating $file..." >&2
    "$build/tests/bench/hfrec_gen" --source "$catalogue" --rows "$n" --seed 1 --out "$file.tmp$$" && mv "$file.tmp$$" "$file"
  fi
  q="$(sed -n 2p "$file" | cut -d, -f1)"
  echo "bench-compare: hfrec at $size..." >&2
  for method in cosine kmeans; do
    run "scale-$size-$method" "$hfrec" recommend --catalogue "$file" --method "$method" --model "$q" -k 10
  done
  run "scale-$size-stats" "$hfrec" stats --catalogue "$file"
done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/python3 - "$out" "$repeat" "$catalogue" "$model" "$load_start" "$load_end" "$sizes" <<'PY'
import datetime, glob, json, os, platform, statistics, subprocess, sys
out, repeat, catalogue, model, load_start, load_end, sizes = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]

def timed(name):
    wall, rss = open(f"{out}/{name}.time").read().split()[-2:]
    return float(wall), int(rss) * 1024

def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()

rows = []
report = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
          "machine": {"cpu": cpu_model(), "cores": os.cpu_count(),
                      "mem_total_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
                      "loadavg_start": load_start, "loadavg_end": load_end},
          "catalogue": catalogue, "model": model, "comparisons": []}
try:
    report["hfrec_stats"] = json.load(open(f"{out}/hfrec-stats.json"))
except Exception:
    pass
for method, mode in (("cosine", "cosine"), ("jaccard", "jaccard"), ("kmeans", "kmeans"), (None, "silhouette")):
    if not os.path.exists(f"{out}/sklearn-{mode}.time"):
        continue
    s_wall, s_rss = timed(f"sklearn-{mode}")
    s = json.loads(open(f"{out}/sklearn-{mode}.out").read())
    c = {"pipeline": mode, "sklearn": {"wall_s": s_wall, "in_process_s": s["total_s"], "import_s": s["import_s"],
                                        "peak_rss_bytes": s_rss, "stages_s": s["stages_s"], "results": s.get("results")}}
    if method:
        runs = [timed(f"hfrec-{method}-{i}") for i in range(1, repeat + 1)]
        h_wall = statistics.median(w for w, _ in runs)
        h_rss = max(r for _, r in runs)
        first = json.loads(open(f"{out}/hfrec-{method}-1.out").readline())
        c["hfrec"] = {"wall_s_median": h_wall, "wall_s_min": min(w for w, _ in runs), "runs": repeat,
                      "peak_rss_bytes": h_rss, "results": [r["modelId"] for r in first.get("results", [])]}
        c["ratios"] = {"time_wall": s_wall / h_wall, "time_in_process": s["total_s"] / h_wall,
                       "memory": s_rss / h_rss}
        c["same_results"] = c["hfrec"]["results"] == s.get("results")
    report["comparisons"].append(c)

# Clustering stages: sklearn's stage time (in-process) vs hfrec_bench's wall time per iteration.
report["stages"] = []
if os.path.exists(f"{out}/hfrec-bench.json"):
    bench = {b["name"]: b for b in json.load(open(f"{out}/hfrec-bench.json"))["benchmarks"]}
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    for stage, name in (("kmeans", "kmeans/k10/real10k"), ("silhouette", "silhouette/k10/real10k")):
        if name in bench and os.path.exists(f"{out}/sklearn-silhouette.out"):
            s = json.loads(open(f"{out}/sklearn-silhouette.out").read())
            h = bench[name]["real_time"] * unit[bench[name]["time_unit"]]
            report["stages"].append({"stage": f"{stage} (k=10, attributes)", "hfrec_s": h,
                                     "sklearn_s": s["stages_s"][stage], "ratio": s["stages_s"][stage] / h})
report["native_scaling"] = []
for size in filter(None, sizes.split(",")):
    st = json.load(open(f"{out}/scale-{size}-stats.out"))
    e = {"size": size, "rows": st["rows"], "load_ms": st["load_ms"], "index_ms": st["index_ms"],
         "stats_peak_rss_bytes": timed(f"scale-{size}-stats")[1],
         "attributes": st["attributes"], "soup": st["soup"]}
    for method in ("cosine", "kmeans"):
        w, r = timed(f"scale-{size}-{method}")
        e[f"csv_to_first_{method}_s"] = w
        e[f"csv_to_first_{method}_peak_rss_bytes"] = r
    report["native_scaling"].append(e)

with open(f"{out}/compare.json", "w") as f:
    json.dump(report, f, indent=2)
print(json.dumps(report, indent=2))

mb = lambda b: f"{b / 2**20:.0f} MB"
md = [f"Measured {report['date']} on {report['machine']['cpu']} ({report['machine']['cores']} cores), "
      f"load average {load_start} → {load_end}; catalogue `{os.path.basename(catalogue)}`, query `{model}`.", "",
      "| pipeline | hfrec wall (median) | sklearn wall (in-process) | time ratio | hfrec peak RSS | sklearn peak RSS | memory ratio |",
      "|---|---|---|---|---|---|---|"]
for c in report["comparisons"]:
    s = c["sklearn"]
    if "hfrec" in c:
        h, r = c["hfrec"], c["ratios"]
        md.append(f"| {c['pipeline']} (CSV → first recommendation) | {h['wall_s_median']*1000:.0f} ms | "
                  f"{s['wall_s']:.1f} s ({s['in_process_s']:.1f} s) | {r['time_wall']:.0f}× ({r['time_in_process']:.0f}×) | "
                  f"{mb(h['peak_rss_bytes'])} | {mb(s['peak_rss_bytes'])} | {r['memory']:.0f}× |")
    else:
        md.append(f"| {c['pipeline']} (sklearn only) | — | {s['wall_s']:.1f} s ({s['in_process_s']:.1f} s) | — | — | "
                  f"{mb(s['peak_rss_bytes'])} | — |")
for st in report["stages"]:
    md.append(f"| {st['stage']} stage alone | {st['hfrec_s']*1000:.1f} ms | {st['sklearn_s']:.1f} s | {st['ratio']:.0f}× | — | — | — |")
if report["native_scaling"]:
    md += ["", "| hfrec, generated catalogue | rows | load | index | CSV → first cosine | CSV → first kmeans (k=10) | peak RSS | distinct attribute / soup rows |",
           "|---|---|---|---|---|---|---|---|"]
    for e in report["native_scaling"]:
        md.append(f"| {e['size']} | {e['rows']:,} | {e['load_ms']:.0f} ms | {e['index_ms']:.0f} ms | "
                  f"{e['csv_to_first_cosine_s']:.2f} s | {e['csv_to_first_kmeans_s']:.2f} s | "
                  f"{mb(max(e['stats_peak_rss_bytes'], e['csv_to_first_cosine_peak_rss_bytes'], e['csv_to_first_kmeans_peak_rss_bytes']))} | "
                  f"{e['attributes']['distinct_rows']:,} / {e['soup']['distinct_rows']:,} |")
md.append("")
md.append("Time ratio: sklearn whole-process wall / hfrec whole-process wall; in brackets sklearn without "
          "interpreter and import time. hfrec's figure is the median of its runs.")
open(f"{out}/compare.md", "w").write("\n".join(md) + "\n")
print("\n".join(md))
PY
