// End-to-end test of the off-main-thread warm-up (web/warm.js, wasm/warmup.cpp): a worker runs
// the first load's code on warmup.csv in its own instance of the page's compiled module, so the
// page's own first load calls code that is already compiled. Checked with Chromium's trace: V8's
// lazy compiles of WebAssembly functions on the page's main thread while the first catalogue
// loads, with the worker and without it (warm.js answered 404). To compare like with like, both
// pages get their catalogue only once the first frame is drawn and, with the worker, once it
// is done. No clock: the trace's events are counted, not timed.
// The page starts the worker only where there are 4 or more hardware threads (on 2 it competed
// with the main thread and the page was ready later): these pages are told they have 8, and a
// last test tells one it has 2.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { lazyCompiles } from '../trace.mjs';
import { useBrowser } from './helpers.mjs';

const env = useBrowser();

// What navigator.hardwareConcurrency says to the page's scripts.
const threads = (page, n) => page.addInitScript((k) => {
  Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => k, configurable: true });
}, n);

async function firstLoad({ worker }) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await threads(page, 8);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  if (!worker) await page.route('**/warm.js', (route) => route.fulfill({ status: 404, body: 'not here' }));
  const marked = (name) => page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { timeout: 60_000 });
  const held = (async () => {
    await marked('hfrec:first-frame');
    if (worker) await marked('hfrec:warmed');
  })();
  // A mark that never comes (no worker) releases the catalogue too, so the test fails, not hangs.
  await page.route('**/catalogue.csv', async (route) => {
    await held.catch(() => {});
    await route.continue();
  });
  await env.browser.startTracing(page, { categories: ['v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'blink.user_timing'] });
  await page.goto(env.server.url);
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  const events = JSON.parse((await env.browser.stopTracing()).toString()).traceEvents;
  const warmedRows = await page.evaluate(() => performance.getEntriesByName('hfrec:warmed')[0]?.detail?.rows ?? null);
  const rows = await page.evaluate(() => window.hfrec.state().catalogue.rows);
  // The page's main thread's lazy compiles between the catalogue's bytes and ready.
  const mark = (n) => events.find((e) => e.name === n);
  const from = mark('hfrec:catalogue-bytes'), to = mark('hfrec:ready');
  assert.ok(from && to, 'the trace has the page marks');
  const compiles = lazyCompiles(events, { from: from.ts, until: to.ts }).main.n;
  await context.close();
  assert.deepEqual(errors, []);
  return { compiles, warmedRows, rows };
}

test('a worker compiles the first load\'s code, so the page\'s main thread does not', async () => {
  const without = await firstLoad({ worker: false });
  const withWorker = await firstLoad({ worker: true });
  // The worker loaded its part of the default catalogue (whole records of its first 200 KB).
  assert.ok(withWorker.warmedRows > 100 && withWorker.warmedRows < withWorker.rows,
    `the warm-up loaded ${withWorker.warmedRows} of the catalogue's ${withWorker.rows} rows`);
  assert.equal(without.warmedRows, null, 'without warm.js there is no warm-up');
  assert.equal(withWorker.rows, without.rows);
  // Without the worker the load compiles its functions on the main thread; with it, most are there.
  assert.ok(without.compiles >= 40, `the main thread compiled ${without.compiles} functions while loading without the worker`);
  assert.ok(withWorker.compiles * 4 <= without.compiles,
    `main-thread lazy compiles while loading: ${withWorker.compiles} with the worker against ${without.compiles} without`);
});

test('with 2 hardware threads the page starts no warm-up worker', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await threads(page, 2);
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(env.server.url);
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  assert.ok(requested.includes('/catalogue.csv'), `the page's requests: ${requested.join(' ')}`);
  assert.ok(!requested.includes('/warm.js') && !requested.includes('/warmup.csv'), `no warm-up: ${requested.join(' ')}`);
  assert.equal(await page.evaluate(() => performance.getEntriesByName('hfrec:warmed').length), 0);
  await context.close();
});
