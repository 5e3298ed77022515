// Browser benchmark: opens the built app (dist/) in headless Chromium and records, per catalogue
// size, the time from loadCatalogue (the drop path) to ready, a search at once after it
// (search_first_call_ms: it finishes the search index the app builds after a load), one
// recommendation per method, the first kmeans query (which finishes the method's clustering if
// the app's slices after the load have not: kmeans_first_call_ms), the WASM heap, and (up to 20k
// rows) Ward on tf-idf's longest work slice and the frame gaps while it runs. Writes JSON.
//
//   node tests/bench/browser_bench.mjs [--dist DIR] [--sizes 10k,100k,1M,2M,1M.json] [--out FILE] [--gen PATH]
//                                      [--timeout-s S]  (each step's limit; default 180: 2M on a busy machine needs more)
//                                      [--layout attributes,soup,tfidf,hybrid] [--poll-ms MS]
//
// --layout F,… also lays out the cluster map (UMAP, the app's default) for each feature space after
// a k-means clustering (k = 8, seed 0, or S for an entry F:S, e.g. hybrid,hybrid:1 for a second map
// in code V8 has already compiled; for hybrid, a map's space only, of attributes) and records
// state().layout: seconds computing, seconds waited, the kNN graph used (exact or nn-descent) and
// the longest step, and the wall time of each of its stages (stage_ms), read from state() every
// --poll-ms milliseconds (default 100; 0 reads it at every turn of the event loop, as until
// 2026-12-03: at 100k that was 4,282 reads taking 2.6 s of the tab's main thread in one layout),
// with the reads' count and time (polls, poll_ms) and the frames drawn meanwhile (frames).
//
// BENCH_JS_FLAGS (environment) adds V8 flags to Chromium's, for experiments: e.g. --no-liftoff
// (every WebAssembly function compiled by the optimising tier at once).
//
// Catalogues are /tmp/hfrec-bench/gen-v1-<rows>-s1.csv (made with hfrec_gen when missing) and
// "real10k" = ../shared/data/hf_models_10k.csv. Skips with a message (exit 0) when dist/ or
// playwright-core is missing. Uses window.hfrec: ready, loadCatalogue, select, set, state.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync, mkdirSync, openSync, readSync, closeSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const dist = path.resolve(args.dist ?? path.join(root, 'dist'));
const outFile = args.out ?? '/tmp/hfrec-bench/browser.json';
const gen = args.gen ?? '/tmp/build-bench/tests/bench/hfrec_gen';
const source = path.resolve(root, '../shared/data/hf_models_10k.csv');
const sizes = (args.sizes ?? 'real10k,10k,100k,1M').split(',');
const METHODS = ['jaccard', 'cosine', 'tfidf', 'knn', 'kmeans', 'hybrid'];
const STEP_TIMEOUT_MS = 1000 * Number(args['timeout-s'] ?? 180);
const LAYOUTS = args.layout ? args.layout.split(',') : [];
const POLL_MS = Number(args['poll-ms'] ?? 100);

function skip(msg) {
  console.log(`browser_bench: skipped: ${msg}`);
  process.exit(0);
}

if (!existsSync(path.join(dist, 'index.html'))) skip(`${dist}/index.html not found; build the app first (npm run build)`);
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  try {  // also from the working directory's node_modules (e.g. the app's package folder)
    ({ chromium } = createRequire(path.join(process.cwd(), 'noop.js'))('playwright-core'));
  } catch {
    skip('playwright-core is not installed (npm install in the repository root)');
  }
}

const rowsOf = { '10k': 10_000, '100k': 100_000, '1M': 1_000_000, '2M': 2_000_000 };
// A size with ".json" ("1M.json") is the same generated catalogue as the Hub's list-models JSON.
function catalogueFile(size) {
  if (size === 'real10k') return source;
  const json = size.endsWith('.json');
  const rows = rowsOf[json ? size.slice(0, -5) : size];
  if (!rows) throw new Error(`unknown size '${size}' (real10k, 10k, 100k, 1M, 2M, each also as <size>.json)`);
  const file = `/tmp/hfrec-bench/gen-v1-${rows}-s1.${json ? 'json' : 'csv'}`;
  if (!existsSync(file)) {
    mkdirSync('/tmp/hfrec-bench', { recursive: true });
    const r = spawnSync(gen, ['--source', source, '--rows', String(rows), '--seed', '1', ...(json ? ['--format', 'json'] : []),
      '--out', file], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${gen} failed; build it: cmake --build /tmp/build-bench --target hfrec_gen`);
  }
  return file;
}

// The first data row's modelId (generated ids never need quoting; the real first row neither).
function firstId(file) {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(4096);
  readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const head = buf.toString('utf8');
  if (file.endsWith('.json')) return head.match(/"id":"([^"]+)"/)[1];
  return head.split('\n')[1].split(',')[0];
}

// Static server for dist/ plus /__bench/<size> for the catalogues (cross-origin isolated, so
// threads and performance.measureUserAgentSpecificMemory work if the app uses them).
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.csv': 'text/csv', '.ttf': 'font/ttf', '.data': 'application/octet-stream' };
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  let file;
  if (url.pathname.startsWith('/__bench/')) file = catalogueFile(url.pathname.slice(9));
  else file = path.join(dist, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''));
  if (file.endsWith('/')) file += 'index.html';
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': statSync(file).size, 'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--headless', '--no-sandbox',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    '--enable-precise-memory-info', `--js-flags=--max-old-space-size=4096 ${process.env.BENCH_JS_FLAGS ?? ''}`],
});

// In-page helpers, installed before the app's scripts run.
const helpers = () => {
  // The app keeps its Emscripten module private: catch it as the MODULARIZE factory hands it out
  // (the factory is a global `var createHfrecModule`, assigned through this accessor).
  let factory;
  Object.defineProperty(window, 'createHfrecModule', {
    configurable: true,
    get: () => factory,
    set: (f) => {
      factory = typeof f !== 'function' ? f : (...a) => Promise.resolve(f(...a)).then((m) => (window.__hfrecModule = m));
    },
  });
  window.__bench = {
    memory() {
      const M = window.__hfrecModule ?? globalThis.Module;
      const wasm = M?.HEAPU8?.length ?? M?.HEAP8?.length ?? M?.wasmMemory?.buffer?.byteLength ?? null;
      return { wasm_heap_bytes: wasm, js_heap_used_bytes: performance.memory?.usedJSHeapSize ?? null };
    },
    polls: 0,
    pollMs: 0,
    // Reads state() until pred holds, every everyMs milliseconds (0: every turn of the event loop).
    // Counts the reads and the time they took (polls, pollMs): the bench's own work in the tab.
    async until(pred, timeoutMs, everyMs = 0) {
      const t0 = performance.now();
      for (;;) {
        const a = performance.now();
        const s = window.hfrec.state();
        const st = typeof s === 'string' ? JSON.parse(s) : s;
        this.polls++;
        this.pollMs += performance.now() - a;
        if (pred(st)) return st;
        if (performance.now() - t0 > timeoutMs) throw new Error('timeout waiting for the app');
        await new Promise((r) => setTimeout(r, everyMs));
      }
    },
  };
};

const report = {
  date: new Date().toISOString(), machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length,
    mem_total_gb: +(os.totalmem() / 2 ** 30).toFixed(1), loadavg: os.loadavg() },
  chromium: browser.version(), dist, sizes: [],
};

for (const size of sizes) {
  const file = catalogueFile(size);
  const entry = { size, file, bytes: statSync(file).size };
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript(helpers);
  try {
    const t0 = Date.now();
    await page.goto(base, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
    await page.waitForFunction(() => window.hfrec && window.hfrec.ready, null, { timeout: STEP_TIMEOUT_MS });
    await page.evaluate(() => window.hfrec.ready);
    entry.navigation_to_ready_ms = Date.now() - t0;
    // Where the start-up went: the app's marks, from navigation start (ms).
    entry.startup_marks = await page.evaluate(() => Object.fromEntries(
      performance.getEntriesByType('mark').filter((m) => m.name.startsWith('hfrec:')).map((m) => [m.name.slice(6), Math.round(m.startTime)])));
    entry.startup_resources = await page.evaluate(() => performance.getEntriesByType('resource').map((r) =>
      ({ name: r.name.split('/').pop(), start: Math.round(r.startTime), end: Math.round(r.responseEnd), bytes: r.transferSize })));
    Object.assign(entry, await page.evaluate(async ({ size, id, methods, timeout, layouts, pollEveryMs }) => {
      const r = {};
      let t = performance.now();
      await window.hfrec.core();  // imports the package module (search_first_call_ms below)
      const buf = new Uint8Array(await (await fetch(`/__bench/${size}`)).arrayBuffer());
      r.fetch_ms = performance.now() - t;
      // The heap when the load finishes, before anything after it (the hybrid model's build starts
      // in the same frame): read as the app reports the load's end to the page (Module.host).
      const M = window.__hfrecModule;
      let heapAtLoadEnd = null;
      if (M?.host?.loadFinished) {
        const report = M.host.loadFinished;
        M.host.loadFinished = (...a) => { heapAtLoadEnd = M.HEAPU8.length; M.host.loadFinished = report; return report(...a); };
      }
      t = performance.now();
      const loaded = await window.hfrec.loadCatalogue(buf, size.endsWith('.json') ? size : `${size}.csv`);
      r.wasm_heap_at_load_end_bytes = heapAtLoadEnd;
      r.load_to_ready_ms = performance.now() - t;
      r.load = { ok: loaded?.ok, rows: loaded?.rows, error: loaded?.error };
      // The app's own account: loadMs (bytes handed over to ready) and loadWorkMs (parsing and
      // indexing inside it; the rest went to drawing progress frames and waiting for them).
      r.app_timing = window.hfrec.state().timing;
      r.memory_after_load = window.__bench.memory();
      // A search at once after ready: the app builds its search index after the load, so this
      // finishes it when its slices have not (window.hfrec.core()'s handle searches with it; the
      // package module was imported before the load).
      t = performance.now();
      const firstHits = (await window.hfrec.core()).search(id, 10);
      r.search_first_call_ms = performance.now() - t;
      r.search_first_hits = firstHits.length;
      r.recommend_ms = {};
      r.core_recommend_ms = {};  // the core's recommend() call alone (state().timing.recommendMs)
      for (const m of methods) {
        t = performance.now();
        await window.hfrec.set({ method: m, k: 10 });
        if (m === methods[0]) await window.hfrec.select(id);
        await window.__bench.until((s) => s.method === m && s.query === id && (s.results?.length ?? 0) > 0, timeout);
        r.recommend_ms[m] = performance.now() - t;  // kmeans: includes finishing its clustering
        // kmeans: the first call finishes the method's clustering when the slices the app runs
        // after a load have not (state().timing.recommendMs counts it): kept apart, as the
        // hybrid model's wait is.
        if (m === 'kmeans') r.kmeans_first_call_ms = window.hfrec.state().timing.recommendMs;
        // The same query again: the core's time for one recommendation.
        await window.hfrec.set({ k: 11 });
        await window.hfrec.set({ k: 10 });
        r.core_recommend_ms[m] = window.hfrec.state().timing.recommendMs;
      }
      // A second model with kmeans: the clustering is cached, so this is one query.
      r.memory_peak = window.__bench.memory();
      // The app's slowest clustering, Ward on tf-idf (up to 20k rows: it is quadratic), while frames
      // are requested without pause: the longest work slice (the app's own measure) and the gaps
      // between animation frames. The e2e test checks this slicing by counting slices; its times
      // are here.
      if ((r.load.rows ?? Infinity) <= 20000) {
        const gaps = [];
        let last = performance.now(), stop = false;
        const tick = (ts) => { gaps.push(ts - last); last = ts; if (!stop) requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
        t = performance.now();
        const done = await window.hfrec.cluster({ algo: 'ward', features: 'tfidf', k: 8 });
        stop = true;
        const sorted = gaps.slice(2).sort((a, b) => a - b);
        r.ward_tfidf = { ok: done.ok, job_ms: performance.now() - t,
          longest_step_ms: window.hfrec.state().clusterJob.longestStepMs, frames: sorted.length,
          median_frame_gap_ms: sorted[sorted.length >> 1] ?? null,
          p90_frame_gap_ms: sorted[Math.floor(sorted.length * 0.9)] ?? null,
          longest_frame_gap_ms: sorted[sorted.length - 1] ?? null };
      }
      // The cluster map's UMAP layout per feature space, as the Clusters tab lays it out.
      if (layouts.length) r.layout = {};
      for (const entry of layouts) {
        const [features, seedText] = entry.split(':');
        const seed = Number(seedText ?? 0);
        t = performance.now();
        // hybrid is a map's space only (set()'s map.features): over a k-means clustering of attributes.
        const mapOnly = features === 'hybrid';
        const set = await window.hfrec.set({ map: { features: mapOnly ? 'hybrid' : 'clusters' } });
        const done = set.ok ? await window.hfrec.cluster({ algo: 'kmeans', k: 8, features: mapOnly ? 'attributes' : features,
          seed }) : set;
        if (!done.ok) { r.layout[entry] = { error: done.error }; continue; }
        // Wall time per stage of the layout (its stage's name without the counts: "layout: epoch"),
        // sampled at every turn of the event loop.
        const stages = {};
        let stage = null, since = performance.now();
        const polls0 = window.__bench.polls, pollMs0 = window.__bench.pollMs, frames0 = window.hfrec.frames();
        const st = await window.__bench.until((s) => {
          const name = s.layout.running ? String(s.layout.stage ?? '').replace(/[\d/,.]+/g, '').trim() : null;
          const now = performance.now();
          if (name !== stage) {
            if (stage) stages[stage] = Math.round((stages[stage] ?? 0) + now - since);
            stage = name;
            since = now;
          }
          return !s.clusterJob.running && !s.layout.running && s.layout.shown === 'umap' && s.layout.features === features;
        }, timeout, pollEveryMs);
        const l = st.layout;
        r.layout[entry] = { seconds: l.seconds, wall_seconds: l.wallSeconds, graph: l.graph,
          longest_step_ms: l.longestStepMs, cluster_and_layout_ms: performance.now() - t, stage_ms: stages,
          polls: window.__bench.polls - polls0, poll_ms: Math.round(window.__bench.pollMs - pollMs0), frames: window.hfrec.frames() - frames0 };
      }
      return r;
    }, { size, id: firstId(file), methods: METHODS, timeout: STEP_TIMEOUT_MS, layouts: LAYOUTS, pollEveryMs: POLL_MS }));
  } catch (e) {
    entry.error = String(e);
    // What the app showed then (a list's error or the stage it waited for), and its heap.
    entry.state_at_error = await page.evaluate(() => {
      const s = window.hfrec?.state?.();
      const st = typeof s === 'string' ? JSON.parse(s) : s;
      return { error: st?.error, busy: st?.busy, stage: st?.stage, method: st?.method,
        results: st?.results?.length ?? null, resultsError: st?.resultsError, preparing: st?.preparing,
        memory: window.__bench?.memory() };
    }).catch((x) => String(x));
  }
  entry.console_errors = errors;
  report.sizes.push(entry);
  console.log(`browser_bench: ${size}: ${JSON.stringify(entry)}`);
  await page.close();
}

await browser.close();
server.close();
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
console.log(`browser_bench: wrote ${outFile}`);
