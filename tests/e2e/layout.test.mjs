// End-to-end tests of the layouts for the screen at hand (issue 17, items 4 and 5): screenshots at
// 390, 768, 1280 and 1920 CSS px (tests/e2e/artifacts/layout-*.png); the narrow layout's cards
// (full id, 44 px tap targets, 16 px text, a tap selects); at every width no number drawn with
// fewer digits than its value (window.hfrec.cells()); the cluster legend folds and keeps off the
// query's point.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { screenshot, settle, state, useBrowser, widget } from './helpers.mjs';

const env = useBrowser();

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true };
const SIZES = [
  ['390', PHONE],
  ['768', { viewport: { width: 768, height: 1024 }, deviceScaleFactor: 1, hasTouch: true, isMobile: true }],
  ['1280', { viewport: { width: 1280, height: 800 } }],
  ['1920', { viewport: { width: 1920, height: 1080 } }],
];
// A model with millions of downloads, so the counts have three groups of digits.
const QUERY = 'bert-base-uncased';

async function open(options) {
  const context = await env.browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(env.server.url);
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  await settle(page);
  return { context, page, errors };
}

// A tap on touch screens, a click elsewhere.
async function tap(page, options, w) {
  if (options.hasTouch) await page.touchscreen.tap(w.cx, w.cy);
  else {
    await page.mouse.move(w.cx, w.cy);
    await settle(page);
    await page.mouse.click(w.cx, w.cy);
  }
}

const cells = (page) => page.evaluate(() => window.hfrec.cells());

// Every number drawn in the last frame fits its room and reads as its whole formatted value.
async function assertNumbersWhole(page, where) {
  const s = await state(page);
  // A model can be in both compared lists, with a score from each method.
  const rows = new Map();
  for (const r of [...s.results, ...s.compareResults]) rows.set(r.modelId, [...(rows.get(r.modelId) || []), r]);
  const all = await cells(page);
  assert.ok(all.length > 0, `${where}: numbers were drawn`);
  for (const want of s.results) {
    for (const column of ['score', 'downloads']) {
      assert.ok(all.some((c) => c.column === column && c.modelId === want.modelId),
        `${where}: ${want.modelId}'s ${column} was drawn`);
    }
  }
  for (const c of all) {
    const candidates = rows.get(c.modelId);
    assert.ok(candidates, `${where}: a number for a listed model (${c.modelId})`);
    const what = `${where}: ${c.modelId} ${c.column} '${c.text}'`;
    assert.ok(c.textW <= c.availW + 0.5, `${what} is ${c.textW.toFixed(1)} px wide in ${c.availW.toFixed(1)} px`);
    const full = candidates.map((r) => c.column === 'downloads' ? r.downloads.toLocaleString('en-US')
      : c.column === 'rank' ? String(r.rank) : r.score);
    if (c.column === 'score') {
      assert.match(c.text, /^-?\d+\.\d{3}$/, `${what}: three decimals`);
      assert.ok(full.some((v) => Math.abs(Number(c.text) - v) <= 0.0005 + 1e-9), `${what} is ${full.join(' or ')} rounded`);
    } else {
      assert.ok(full.includes(c.text), `${what} reads ${full.join(' or ')}`);
    }
  }
  return all;
}

for (const [name, options] of SIZES) {
  test(`${name} px: results, comparison and clusters; no number cut`, async () => {
    const { context, page, errors } = await open(options);
    await page.evaluate((q) => { window.hfrec.select(q); window.hfrec.set({ k: 10 }); }, QUERY);
    await settle(page);
    await screenshot(page, `layout-${name}-results`);
    await assertNumbersWhole(page, `${name} px`);

    const s = await state(page);
    const other = s.methods.find((m) => m !== s.method);
    assert.ok((await page.evaluate((m) => window.hfrec.set({ compare: m }), other)).ok);
    await settle(page);
    await screenshot(page, `layout-${name}-compare`);
    await assertNumbersWhole(page, `${name} px, compared with ${other}`);
    assert.ok((await page.evaluate(() => window.hfrec.set({ compare: '' }))).ok);

    const r = await page.evaluate(() => window.hfrec.cluster({ algo: 'kmeans', k: 6, features: 'attributes', seed: 0 }));
    assert.ok(r.ok, r.error);
    await page.evaluate(() => window.hfrec.set({ view: 'clusters' }));
    await settle(page);
    await screenshot(page, `layout-${name}-clusters`);
    const map = await widget(page, '##map', 'name');
    assert.ok(map, 'the map is drawn');
    if (name === '390') {
      // Narrow: the map spans the width, its panels below it.
      assert.ok(map.w >= 390 * 0.85, `the map is ${map.w} px wide`);
      const list = await widget(page, 'Clusters (6)');
      assert.ok(!list || list.y >= map.y + map.h, 'the cluster panels are below the map');
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('390 px: each result is a card with its full id; 44 px tap targets, 16 px text; a tap selects', async () => {
  const { context, page, errors } = await open(PHONE);
  await page.evaluate((q) => { window.hfrec.select(q); window.hfrec.set({ k: 10 }); }, QUERY);
  await settle(page);
  const s = await state(page);
  const all = await page.evaluate(() => window.hfrec.widgets());
  const cards = s.results.map((r) => all.find((w) => w.label === r.modelId && w.name === r.modelId));
  const shown = cards.filter(Boolean);
  assert.ok(shown.length >= 2, `at least two cards on the first screen (${shown.length})`);
  for (const c of shown) {
    assert.ok(c.h >= 44 || c.y + c.h >= 844 - 1, `card ${c.label} is ${c.h} px tall`);
    assert.ok(c.w >= 390 * 0.85, `card ${c.label} spans the width (${c.w} px)`);
  }
  for (const label of ['Open…', 'Copy link', 'Recommendations', 'Clusters', '◀ Back', 'Export CSV', 'Copy id']) {
    const w = all.find((x) => x.label === label);
    assert.ok(w, `${label} is on the screen`);
    assert.ok(w.h >= 44, `${label} is ${w.h} px tall`);
  }
  const search = all.find((x) => x.name === '##search');
  assert.ok(search && search.h >= 44, `the search box is ${search && search.h} px tall`);
  // The catalogue's name is not under the header's buttons.
  const openBtn = all.find((x) => x.label === 'Open…');
  assert.ok(openBtn.x + openBtn.w <= 390 + 0.5, 'Open… is inside the page');
  for (const c of await cells(page)) assert.ok(c.fontSize >= 16, `text is ${c.fontSize} px`);

  const target = s.results[1].modelId;
  const card = cards[1];
  assert.ok(card, `${target}'s card is on the screen`);
  await page.touchscreen.tap(card.cx, card.cy);
  await page.waitForFunction((t) => window.hfrec.state().query === t, target);
  await settle(page);
  await screenshot(page, 'layout-390-after-tap');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the cluster legend folds away and keeps off the query\'s point', async () => {
  for (const [name, options] of [SIZES[2], SIZES[0]]) {
    const { context, page, errors } = await open(options);
    const r = await page.evaluate(() => window.hfrec.cluster({ algo: 'kmeans', k: 6, features: 'attributes', seed: 0 }));
    assert.ok(r.ok, r.error);
    // The PCA map and cosine's 100 nearest: a map and a list known to put a model in the top left
    // (the legend's place is the same on every map).
    await page.evaluate(() => window.hfrec.set({ view: 'clusters', layout: 'pca' }));
    await settle(page);
    const map = await widget(page, '##map', 'name');
    // The query: a model whose point lies where the legend sits by default (the map's top left).
    const ids = await page.evaluate(async () => {
      window.hfrec.select('bert-base-uncased');
      window.hfrec.set({ k: 100, method: 'cosine' });
      return window.hfrec.state().results.map((x) => x.modelId);
    });
    await settle(page);
    let chosen = null;
    for (const id of ids) {
      const p = await page.evaluate((m) => window.hfrec.mapPoint(m), id);
      if (p.ok && p.visible && p.x < map.x + 200 && p.y < map.y + 150) { chosen = id; break; }
    }
    assert.ok(chosen, 'a model drawn in the map\'s top left corner');
    await page.evaluate((m) => window.hfrec.select(m), chosen);
    await settle(page);
    let toggle = await widget(page, '▾ Legend');
    if (!toggle) {  // narrow screens start with the legend folded
      toggle = await widget(page, '▸ Legend');
      assert.ok(toggle, 'the legend has a toggle');
      await tap(page, options, toggle);
      await settle(page);
    }
    await screenshot(page, `layout-${name}-legend`);
    const box = await widget(page, '##legendbox', 'name');
    assert.ok(box, 'the legend is drawn');
    const p = await page.evaluate((m) => window.hfrec.mapPoint(m), chosen);
    const inside = p.x >= box.x - 12 && p.x <= box.x + box.w + 12 && p.y >= box.y - 12 && p.y <= box.y + box.h + 12;
    assert.ok(!inside, `${name} px: the query's point (${p.x}, ${p.y}) is clear of the legend (${box.x}, ${box.y}, ${box.w}x${box.h})`);
    // Folding leaves only the toggle.
    const unfolded = await widget(page, '▾ Legend');
    assert.ok(unfolded, 'the open legend has a toggle');
    await tap(page, options, unfolded);
    await settle(page);
    assert.ok(await widget(page, '▸ Legend'), 'the legend folded');
    const folded = await widget(page, '##legendbox', 'name');
    assert.ok(folded.h < box.h / 2, `the folded legend is small (${folded.h} of ${box.h} px)`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});
