// End-to-end test of the start-up's order: the loading screen goes as soon as the app has drawn its
// first frame, so the UI takes input while the first catalogue is still on its way (its progress
// in the header), and what was typed meanwhile is searched once the catalogue is in. The
// catalogue's response is held until the test has typed, so nothing depends on timing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';

import { dist, state, useBrowser, widget } from './helpers.mjs';

const env = useBrowser();

test('the UI shows and takes typing before the first catalogue is in; the typed text is searched once it is', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Each performance mark notes how many animation-frame callbacks had begun by then.
  await page.addInitScript(() => {
    let callbacks = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => raf((t) => { callbacks++; cb(t); });
    const mark = performance.mark.bind(performance);
    window.hfrecTestFrames = {};
    performance.mark = (name, ...rest) => { window.hfrecTestFrames[name] = callbacks; return mark(name, ...rest); };
  });
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/catalogue.csv', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(env.server.url);
  await page.waitForFunction(() => performance.getEntriesByName('hfrec:interactive').length > 0, null, { timeout: 60_000 });

  // The UI is up: no loading screen, the first load under way, no catalogue yet.
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('loading')).display), 'none');
  const before = await state(page);
  assert.equal(before.busy, true, 'the first load is under way');
  // The first frame was drawn as soon as the fonts were in, in the same task, not at a later
  // animation frame (which the browser held back behind its GPU process and the load's slices).
  const frames = await page.evaluate(() => window.hfrecTestFrames);
  assert.equal(frames['hfrec:first-frame'], frames['hfrec:fonts'], `animation frames begun at each mark: ${JSON.stringify(frames)}`);
  // An opaque canvas with no depth, stencil or multisampling: nothing the compositor blends or
  // the GPU allocates and clears for a UI of 2-D triangles.
  const attrs = await page.evaluate(() => document.getElementById('canvas').getContext('webgl2').getContextAttributes());
  assert.deepEqual({ alpha: attrs.alpha, depth: attrs.depth, stencil: attrs.stencil, antialias: attrs.antialias },
    { alpha: false, depth: false, stencil: false, antialias: false });
  assert.equal(before.catalogue, null, 'no catalogue yet');
  assert.equal(await page.evaluate(() => performance.getEntriesByName('hfrec:ready').length), 0, 'not ready yet');

  // The search box takes the pointer and the keyboard meanwhile.
  const search = await widget(page, '##search', 'name');
  assert.ok(search, 'the search box is drawn');
  await page.mouse.move(search.cx, search.cy);
  await page.mouse.click(search.cx, search.cy);
  await page.waitForFunction(() => window.hfrec.state().search !== undefined);
  await page.keyboard.type('gpt2');
  await page.waitForFunction(() => window.hfrec.state().search.text === 'gpt2');
  assert.equal((await state(page)).catalogue, null, 'typed before the catalogue arrived');

  // The catalogue arrives: the typed text is searched in it.
  release();
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  await page.waitForFunction(() => {
    const s = window.hfrec.state();
    return s.catalogue && s.search.text === 'gpt2' && s.search.hits.length > 0;
  });
  const after = await state(page);
  assert.equal(after.search.hits[0].modelId, 'gpt2', `the first hit: ${JSON.stringify(after.search.hits.slice(0, 3))}`);
  assert.ok(after.catalogue.rows > 0);
  // The marks come in the start-up's order.
  await page.waitForFunction(() => performance.getEntriesByName('hfrec:ready-frame').length > 0);
  const t = await page.evaluate(() => Object.fromEntries(['first-frame', 'interactive', 'ready', 'ready-frame']
    .map((n) => [n, performance.getEntriesByName(`hfrec:${n}`)[0].startTime])));
  assert.ok(t['first-frame'] <= t.interactive && t.interactive < t.ready && t.ready <= t['ready-frame'], JSON.stringify(t));
  assert.deepEqual(errors, []);
  await context.close();
});

test("the header shows the default catalogue's download as its bytes arrive once the UI is up", async () => {
  // The catalogue comes from a local server that sends its first 1,000,000 bytes, then the rest,
  // each when the test says: the header's line is read between the two.
  const body = fs.readFileSync(path.join(dist, 'catalogue.csv'));
  const total = Number(/catalogue=(\d+)/.exec(fs.readFileSync(path.join(dist, 'index.html'), 'utf8'))[1]);
  assert.equal(total, body.length, 'the page states the catalogue size it is served with');
  const signals = [];
  const next = () => new Promise((r) => signals.push(r));
  const firstPart = next();
  const rest = next();
  const go = (i) => signals[i]();
  const server = http.createServer(async (req, res) => {
    await firstPart;
    res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': String(body.length) });
    res.write(body.subarray(0, 1_000_000));
    await rest;
    res.end(body.subarray(1_000_000));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.route('**/catalogue.csv', (route) => route.continue({ url: `http://127.0.0.1:${server.address().port}/catalogue.csv` }));
    await page.goto(env.server.url);
    await page.waitForFunction(() => performance.getEntriesByName('hfrec:interactive').length > 0, null, { timeout: 60_000 });
    const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
    // Before any byte: where from, no amount.
    await page.waitForFunction(() => /^Downloading .+ from this site$/.test(window.hfrec.state().stage));
    go(0);
    const want = `from this site: ${mb(1_000_000)} of ${mb(total)}`;
    await page.waitForFunction((w) => window.hfrec.state().stage.endsWith(w), want);
    const s = await state(page);
    assert.ok(s.busy && !s.catalogue, 'still downloading');
    go(1);
    assert.equal(await page.evaluate(() => window.hfrec.ready), true);
    assert.equal((await state(page)).catalogue.rows > 0, true);
  } finally {
    for (const g of signals) g();
    await context.close();
    server.close();
  }
});

test('a missing or broken WebAssembly module, or no WebGL2, is named on the loading screen, not left "Downloading"', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    for (const [what, reply, want] of [
      ['missing', { status: 404, body: 'not here' }, /^hfrec could not start: hfrec-app\.wasm: HTTP 404\b/],
      ['broken', { status: 200, contentType: 'application/wasm', body: Buffer.from('not a module at all') }, /^hfrec could not start: .*(CompileError|magic|wasm)/i],
      // A browser with WebGL2 turned off: canvases give no webgl2 context.
      ['without WebGL2', () => {
        const get = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (type, ...rest) { return type === 'webgl2' ? null : get.call(this, type, ...rest); };
      }, /^hfrec could not start: this browser gave it no WebGL2\b/],
      // The app's first frame throws (a stand-in for any error in the start-up's own code).
      ['a first frame that throws', () => {
        let create;
        Object.defineProperty(window, 'createHfrecModule', {
          configurable: true,
          get: () => create && ((opts) => create(opts).then((m) => { m._hfrec_frame = () => { throw new Error('frame trap'); }; return m; })),
          set: (f) => { create = f; },
        });
      }, /^hfrec could not start: frame trap$/],
    ]) {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      if (typeof reply === 'function') await page.addInitScript(reply);
      else await page.route('**/hfrec-app.wasm', (route) => route.fulfill(reply));
      await page.goto(env.server.url);
      await page.waitForFunction(() => window.hfrec);
      const failed = await page.evaluate(() => window.hfrec.ready.then(() => 'ready', (e) => e.message));
      assert.match(failed, want, `${what}: ${failed}`);
      // The page's other downloads (the catalogue, the fonts) go on arriving after the failure,
      // each counted as it comes (then shown at the next animation frame).
      await page.waitForFunction(() => ['catalogue.csv', 'Inter-Regular.otf', 'Inter-SemiBold.otf', 'DejaVuSans.ttf']
        .every((f) => performance.getEntriesByType('resource').some((e) => e.name.endsWith(f) && e.responseEnd > 0)));
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      assert.match(await page.textContent('#loading-text'), want, `${what}: the loading screen says it`);
      assert.equal(await page.evaluate(() => document.getElementById('loading').classList.contains('failed')), true);
      assert.deepEqual(errors, [], `${what}: nothing thrown`);
      await page.close();
    }
  } finally {
    await context.close();
  }
});
