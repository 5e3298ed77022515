// Start-up benchmark: what a person opening the page sees, measured as the issue asks.
// The built dist/ (with its default catalogue: the 10k one when ../shared/data was there at build
// time) is served by scripts/serve.mjs, exactly as `npm start` serves it. Each run opens the page
// in a fresh browser context (no HTTP cache, no compiled-code cache, no storage) of one headless
// Chromium (SwiftShader WebGL2), waits for window.hfrec.ready, and reads the page's own marks
// (performance.mark, milliseconds from navigation start):
//   first-paint (the browser's first contentful paint: the loading screen), gl-context, wasm-instantiated, module, fonts, catalogue-bytes, first-frame (behind the loading
//   screen), ready (hfrec.ready resolves), interactive (the first frame after the loading screen
//   went: the UI a person can use, with the catalogue in), warmed (web/warm.js finished warming the
//   first load's code in its worker; may come after ready)
// plus state().timing (loadMs, loadWorkMs). Prints min / median / max per mark and writes JSON.
//
//   node tests/bench/startup_bench.mjs [--dist DIR[,DIR2]] [--runs N] [--out FILE] [--hash '#model=gpt2'] [--trace 1]
//                                      [--open blank|tab]
//
// --open: how each run opens the page. blank (the default): the context's new page (about:blank)
// navigates to it, as Playwright's page.goto does. tab: a new tab opens the address itself
// (DevTools' Target.createTarget), as a link opened in a new tab does. With blank, Chromium shuts
// about:blank's widget down in a task it delays by 1 s, so it lands in the middle of the first
// load: 125-307 ms of the page's main thread under SwiftShader (LayerTreeHost::~LayerTreeHost
// waiting for the GPU process), traced on 2026-12-03; a tab has none.
//
// --trace 1 records a Chromium trace of each load and adds, up to ready, the milliseconds V8 spent
// compiling WebAssembly functions lazily (on first call) on the page's main thread and in workers
// (wasm/warmup.cpp: web/warm.js moves that compiling off the main thread). Tracing slows the load:
// compare traced runs with traced runs only.
//
// Two builds side by side (--dist before,after): one server each, runs alternating in the same
// browser, so both meet the same machine; each gets its own summary.
// Skips with a message (exit 0) when dist/ or playwright-core is missing; under CI=true that is
// an error (exit 1). Needs a quiet machine to mean anything: it reports the load average.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lazyCompiles } from '../trace.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const dists = (args.dist ?? path.join(root, 'dist')).split(',').map((d) => path.resolve(d));
const runs = Number(args.runs ?? 10);
const outFile = args.out ?? '/tmp/hfrec-bench/startup.json';
const hash = args.hash ?? '';
const trace = args.trace === '1';
const open = args.open ?? 'blank';
const TIMEOUT_MS = 120_000;

function skip(msg) {
  console.log(`startup_bench: ${process.env.CI === 'true' ? 'cannot run' : 'skipped'}: ${msg}`);
  process.exit(process.env.CI === 'true' ? 1 : 0);
}

for (const dist of dists) if (!existsSync(path.join(dist, 'index.html'))) skip(`${dist}/index.html not found; build the app first (npm run build)`);
if (!(runs >= 1)) skip('--runs must be at least 1');
if (!['blank', 'tab'].includes(open)) skip("--open must be 'blank' or 'tab'");
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  try {
    ({ chromium } = createRequire(path.join(process.cwd(), 'noop.js'))('playwright-core'));
  } catch {
    skip('playwright-core is not installed (npm ci in the repository root)');
  }
}

// scripts/serve.mjs on a free port per build; its first line names the address.
async function serve(dist) {
  const server = spawn(process.execPath, [path.join(root, 'scripts/serve.mjs'), dist, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((resolve, reject) => {
    let text = '';
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', (d) => {
      text += d;
      const m = text.match(/at (http:\/\/\S+\/)/);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`scripts/serve.mjs exited (${code}) before listening`)));
  });
  return { dist, server, base, samples: [] };
}
const builds = [];
for (const d of dists) builds.push(await serve(d));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--headless', '--no-sandbox',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const cdp = open === 'tab' ? await browser.newBrowserCDPSession() : null;

const MARKS = ['first-paint', 'gl-context', 'wasm-instantiated', 'module', 'fonts', 'catalogue-bytes', 'first-frame', 'interactive', 'ready', 'ready-frame', 'warmed'];
try {
  for (let i = 0; i < runs * builds.length; i++) {
    const { base, samples } = builds[i % builds.length];
    const known = open === 'tab' ? new Set((await cdp.send('Target.getBrowserContexts')).browserContextIds) : null;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    context.on('weberror', (e) => errors.push(String(e.error())));
    const categories = ['devtools.timeline', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'blink.user_timing'];
    let page;
    if (open === 'tab') {
      // A new tab that opens the address itself, as a link opened in a new tab does.
      const id = (await cdp.send('Target.getBrowserContexts')).browserContextIds.find((c) => !known.has(c));
      if (trace) await browser.startTracing(undefined, { categories });
      const opened = context.waitForEvent('page', { timeout: TIMEOUT_MS });
      await cdp.send('Target.createTarget', { url: base + hash, browserContextId: id });
      page = await opened;
    } else {
      page = await context.newPage();
      if (trace) await browser.startTracing(page, { categories });
      await page.goto(base + hash, { waitUntil: 'commit', timeout: TIMEOUT_MS });
    }
    await page.waitForFunction(() => window.hfrec && window.hfrec.ready, null, { timeout: TIMEOUT_MS });
    const ok = await page.evaluate(() => window.hfrec.ready);
    // The frame after the loading screen went is drawn at the next animation frame (builds from
    // before 2026-12-01 have no 'interactive' mark: it stays empty for them).
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const s = await page.evaluate(() => {
      const marks = Object.fromEntries(performance.getEntriesByType('mark')
        .filter((m) => m.name.startsWith('hfrec:')).map((m) => [m.name.slice(6), m.startTime]));
      // The browser's own first paint with content: the loading screen.
      const fcp = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
      if (fcp) marks['first-paint'] = fcp.startTime;
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource').map((r) => ({
        name: r.name.split('/').pop(), start: Math.round(r.startTime), end: Math.round(r.responseEnd), bytes: r.transferSize }));
      const st = window.hfrec.state();
      return { marks, dom_content_loaded: nav?.domContentLoadedEventEnd ?? null, resources: res,
        rows: st.catalogue?.rows ?? 0, timing: st.timing };
    });
    s.ok = ok;
    s.errors = errors;
    if (trace) Object.assign(s, lazyCompile(JSON.parse((await browser.stopTracing()).toString()).traceEvents));
    samples.push(s);
    const traced = trace ? ` [lazy compile to ready: main ${Math.round(s.compileMainMs)} ms ×${s.compileMainN}, workers ${Math.round(s.compileWorkerMs)} ms ×${s.compileWorkerN}]` : '';
    console.log(`startup_bench: ${builds.length > 1 ? `${path.basename(builds[i % builds.length].dist)} ` : ''}run ${Math.floor(i / builds.length) + 1}/${runs}: ${MARKS.map((m) => `${m} ${s.marks[m] == null ? '-' : Math.round(s.marks[m])}`).join(', ')} ms; rows ${s.rows}${traced}`);
    await context.close();
    // Chromium may reuse the renderer process for the next context, and shuts a closed page's
    // widget down in a task it delays by 1 s (200+ ms of that renderer's main thread under
    // SwiftShader, in the middle of the next load): let it pass, as a visitor's new tab would.
    await new Promise((r) => setTimeout(r, 1500));
  }
} finally {
  await browser.close();
  for (const b of builds) b.server.kill();
}

// Lazy (first-call) WebAssembly compiles up to the hfrec:ready mark, in ms and counts.
function lazyCompile(events) {
  const ready = events.find((e) => e.name === 'hfrec:ready');
  const c = lazyCompiles(events, { until: ready ? ready.ts : Infinity });
  return { compileMainMs: c.main.ms, compileMainN: c.main.n, compileWorkerMs: c.worker.ms, compileWorkerN: c.worker.n };
}

const stats = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { min: Math.round(v[0]), median: Math.round(median), max: Math.round(v[v.length - 1]), n: v.length };
};
function summarize(samples) {
  const summary = {};
  for (const m of MARKS) summary[m] = stats(samples.map((s) => s.marks[m]));
  summary.loadMs = stats(samples.map((s) => s.timing?.loadMs));
  summary.loadWorkMs = stats(samples.map((s) => s.timing?.loadWorkMs));
  if (trace) {
    summary.compileMainMs = stats(samples.map((s) => s.compileMainMs));
    summary.compileWorkerMs = stats(samples.map((s) => s.compileWorkerMs));
  }
  return summary;
}

const report = {
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, loadavg_1m_at_end: os.loadavg()[0] },
  chromium: browser.version(), runs, hash, open,
  builds: builds.map((b) => ({ dist: b.dist, catalogue_bytes: statSync(path.join(b.dist, 'catalogue.csv')).size,
    rows: b.samples[0]?.rows, summary: summarize(b.samples), samples: b.samples })),
};
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
for (const b of report.builds) {
  console.log(`startup_bench: ${b.dist} (${b.rows} rows, --open ${open}): ms from navigation start, min / median / max over ${runs} fresh contexts:`);
  for (const [k, v] of Object.entries(b.summary)) if (v) console.log(`  ${k.padEnd(18)} ${v.min} / ${v.median} / ${v.max}`);
}
console.log(`startup_bench: load average ${os.loadavg()[0].toFixed(2)}; wrote ${outFile}`);
const samples = builds.flatMap((b) => b.samples);
if (samples.some((s) => !s.ok || s.errors.length)) {
  console.log('startup_bench: a run did not reach ready, or the page threw:', samples.map((s) => s.errors).flat().slice(0, 3));
  process.exit(1);
}
