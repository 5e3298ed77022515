// End-to-end tests of input as people give it: the mouse wheel (direction and distance, pixel and
// line modes) on the ranked list and the map; touch on a phone and a tablet (taps land where
// tapped, swipes scroll and never click, a pinch zooms the map); typing on a phone through the
// page's real text input (insertText and IME composition, as on-screen keyboards send them).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { settle, state, useBrowser, widget } from './helpers.mjs';

const env = useBrowser();

// A fresh context (device emulation included) with the app ready.
async function open(options = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(env.server.url);
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  await settle(page);
  return { context, page, errors };
}
const IPHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true };
const TABLET = { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1, hasTouch: true, isMobile: true };

// The y of a result row's widget (its label is the model id).
async function rowY(page, modelId) {
  const w = await widget(page, modelId);
  assert.ok(w, `${modelId}'s row is visible`);
  return w.y;
}

async function withResults(page, k = 100) {
  await page.evaluate((n) => { window.hfrec.select('bert-base-uncased'); window.hfrec.set({ k: n }); }, k);
  await settle(page);
  const s = await state(page);
  assert.equal(s.results.length, k);
  return s;
}

// Dispatches a wheel event of any deltaMode on the canvas at (x, y) (Playwright's wheel is pixels only).
const wheelAt = (page, x, y, deltaY, deltaMode) => page.evaluate(([x, y, deltaY, deltaMode]) => {
  document.getElementById('canvas').dispatchEvent(new WheelEvent('wheel', {
    clientX: x, clientY: y, deltaY, deltaMode, bubbles: true, cancelable: true,
  }));
}, [x, y, deltaY, deltaMode]);

test('the wheel scrolls the ranked list the browser\'s way and distance', async () => {
  const { context, page, errors } = await open();
  const s = await withResults(page);
  const probe = s.results[12].modelId;  // a row that stays fully visible after a notch either way
  const row = await widget(page, probe);
  const y0 = row.y;
  await page.mouse.move(row.cx, row.cy);
  await settle(page);

  // Up at the top: nothing to scroll.
  await page.mouse.wheel(0, -100);
  await settle(page);
  assert.equal(await rowY(page, probe), y0, 'a notch up at the top leaves the list where it is');

  // One notch down (deltaY 100 px) moves the rows up by 100 px.
  await page.mouse.wheel(0, 100);
  await settle(page);
  const y1 = await rowY(page, probe);
  assert.ok(Math.abs(y0 - 100 - y1) <= 1, `down 100 px: row from ${y0} to ${y1}`);

  // A notch up brings it back.
  await page.mouse.wheel(0, -100);
  await settle(page);
  assert.ok(Math.abs((await rowY(page, probe)) - y0) <= 1, 'up 100 px returns');

  // Line mode (Firefox's mouse wheel): 3 lines scroll 3 x 40 px.
  await wheelAt(page, row.cx, row.cy, 3, 1);
  await settle(page);
  const y3 = await rowY(page, probe);
  assert.ok(Math.abs(y0 - 120 - y3) <= 1, `3 lines down: row from ${y0} to ${y3}`);
  assert.deepEqual(errors, []);
  await context.close();
});

// Runs a k-means clustering and shows the map; returns the map's widget.
async function showMap(page) {
  const r = await page.evaluate(() => window.hfrec.cluster({ algo: 'kmeans', k: 6, features: 'attributes', seed: 0 }));
  assert.ok(r.ok, r.error);
  await page.evaluate(() => window.hfrec.set({ view: 'clusters' }));
  await settle(page);
  const map = await widget(page, '##map', 'name');
  assert.ok(map, 'the map is drawn');
  return map;
}

test('the wheel zooms the map one step per notch, about the pointer', async () => {
  const { context, page, errors } = await open();
  const map = await showMap(page);
  assert.equal((await state(page)).map.zoom, 1);
  await page.mouse.move(map.cx, map.cy);
  await settle(page);
  await page.mouse.wheel(0, -100);
  await settle(page);
  const z1 = (await state(page)).map.zoom;
  // 1.25 per 75 px (one ImGui wheel unit is 5 lines of 15 px): 100 px is 1.25^(4/3) = 1.346.
  assert.ok(Math.abs(z1 - 1.25 ** (4 / 3)) < 1e-3, `one notch up zooms in by 1.35, got ${z1}`);
  await page.mouse.wheel(0, 100);
  await settle(page);
  assert.ok(Math.abs((await state(page)).map.zoom - 1) < 1e-6, 'one notch down zooms back out');
  assert.deepEqual(errors, []);
  await context.close();
});

test('phone: each tap acts where it lands (tabs, then a result row)', async () => {
  const { context, page, errors } = await open(IPHONE);
  await withResults(page, 10);
  for (const [tab, view] of [['Clusters', 'clusters'], ['Recommendations', 'results'], ['Clusters', 'clusters'],
    ['Recommendations', 'results']]) {
    const w = await widget(page, tab);
    assert.ok(w, `the ${tab} tab is visible`);
    await page.touchscreen.tap(w.cx, w.cy);
    await page.waitForFunction((v) => window.hfrec.state().view === v, view);
    await settle(page);
  }
  const s = await state(page);
  const target = s.results[2].modelId;
  const row = await widget(page, target);
  await page.touchscreen.tap(row.cx, row.cy);
  await page.waitForFunction((t) => window.hfrec.state().query === t, target);
  assert.deepEqual(errors, []);
  await context.close();
});

// One finger from (x, y) moved by (dx, dy) in `steps` moves, then lifted (CDP touch events).
async function swipe(cdp, x, y, dx, dy, steps = 10) {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y, id: 1 }] });
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove', touchPoints: [{ x: x + (dx * i) / steps, y: y + (dy * i) / steps, id: 1 }],
    });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('tablet: a swipe scrolls the list the finger\'s way, never clicks, and glides on', async () => {
  const { context, page, errors } = await open(TABLET);
  const s = await withResults(page);
  const probe = s.results[12].modelId;
  const row = await widget(page, probe);
  const cdp = await context.newCDPSession(page);
  await swipe(cdp, row.cx, row.cy, 0, -200);
  await settle(page);
  const s1 = await state(page);
  assert.equal(s1.query, 'bert-base-uncased', 'a swipe selects nothing');
  // The probe row moved up with the finger, by at least the swipe (momentum adds more).
  const w = await widget(page, probe);
  assert.ok(!w || w.y <= row.y - 200 + 1, `the list scrolled up with the finger (row at ${w && w.y}, was ${row.y})`);
  // Swiping down brings the top back.
  const first = s.results[0].modelId;
  for (let i = 0; i < 6 && !(await widget(page, first)); i++) {
    await swipe(cdp, row.cx, row.cy - 150, 0, 300);
    await settle(page);
  }
  assert.ok(await widget(page, first), 'swipes down return to the top of the list');
  assert.equal((await state(page)).query, 'bert-base-uncased');
  assert.deepEqual(errors, []);
  await context.close();
});

test('tablet: two fingers pinch-zoom the map about their centre', async () => {
  const { context, page, errors } = await open(TABLET);
  const map = await showMap(page);
  const cdp = await context.newCDPSession(page);
  const { cx, cy } = map;
  const points = (d) => [{ x: cx - d, y: cy, id: 1 }, { x: cx + d, y: cy, id: 2 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(40) });
  for (const d of [50, 60, 70, 80]) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points(d) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await settle(page);
  const m = (await state(page)).map;
  assert.ok(Math.abs(m.zoom - 2) < 0.02, `fingers twice as far apart zoom x2, got ${m.zoom}`);
  assert.equal((await state(page)).query, '', 'a pinch selects nothing');
  assert.deepEqual(errors, []);
  await context.close();
});

test('phone: tapping the search box focuses a real text input that keyboards and IMEs type into', async () => {
  const { context, page, errors } = await open(IPHONE);
  const box = await widget(page, '##search', 'name');
  assert.ok(box, 'the search box is visible');
  // Away from the box first, so the test starts with the canvas focused.
  await page.evaluate(() => document.getElementById('canvas').focus());
  await page.touchscreen.tap(box.cx, box.cy);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'text-input');
  const attrs = await page.evaluate(() => {
    const i = document.activeElement;
    return [i.tagName, i.getAttribute('enterkeyhint'), i.getAttribute('autocapitalize'), i.getAttribute('autocorrect')];
  });
  assert.deepEqual(attrs, ['INPUT', 'search', 'off', 'off']);
  // An on-screen keyboard inserts text without key events.
  await page.keyboard.insertText('bert-base');
  await page.waitForFunction(() => window.hfrec.state().search.text === 'bert-base');
  assert.ok((await state(page)).search.hits.some((h) => h.modelId === 'bert-base-uncased'));
  // An IME composes, then commits: the field follows the composition and ends with the commit.
  const cdp = await context.newCDPSession(page);
  await page.evaluate(() => { const i = document.getElementById('text-input'); i.setSelectionRange(0, i.value.length); });
  await cdp.send('Input.imeSetComposition', { text: 'gp', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: 'gpt2' });
  await page.waitForFunction(() => window.hfrec.state().search.text === 'gpt2');
  // Enter ("search" on the keyboard) selects the best hit.
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.hfrec.state().query === 'gpt2');
  assert.deepEqual(errors, []);
  await context.close();
});
