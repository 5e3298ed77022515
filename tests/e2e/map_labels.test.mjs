// End-to-end test of the cluster map's overlay (issue 15, readability): on the 10k catalogue
// (../shared/data, else the page's own), the cluster names drawn at their centres never overlap,
// are the cluster list's names, stay inside the map and follow zoom; density shading is on by
// itself above 5,000 models; the rows ringed are the query's recommendations. Reads
// window.hfrec.mapOverlay(); waits on the app's state, never on a clock.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { clickWidget, openPage, root, screenshot, settle, state, useBrowser, widget } from './helpers.mjs';

const env = useBrowser();
const big = path.join(root, '../shared/data/hf_models_10k.csv');

// Boxes {x, y, w, h} that share more than an edge.
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function checkLabels(o, st, where) {
  assert.ok(o.ok, o.error);
  assert.ok(o.labels.length > 0, `${where}: no cluster name is drawn`);
  assert.equal(o.labels.length + o.hiddenLabels, st.clusters.names.length, `${where}: shown + hidden = clusters`);
  const map = o.labels;
  for (let i = 0; i < map.length; ++i) {
    const a = map[i];
    assert.equal(a.name, st.clusters.names[a.cluster], `${where}: label ${i} is its cluster's name`);
    assert.ok(a.w > 0 && a.h > 0);
    for (let j = 0; j < i; ++j)
      assert.ok(!overlap(a, map[j]), `${where}: '${a.name}' overlaps '${map[j].name}'`);
  }
  assert.equal(new Set(map.map((l) => l.cluster)).size, map.length, `${where}: one name per cluster`);
}

test('cluster names on the map never overlap, density shades 10k points, the recommendations are ringed', async (t) => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  await settle(page);
  if (fs.existsSync(big)) {
    const r = await page.evaluate((text) => window.hfrec.loadCatalogue(text, 'hf_models_10k.csv'),
      fs.readFileSync(big, 'utf8'));
    assert.ok(r.ok, r.error);
    await settle(page);
  } else {
    t.diagnostic(`${big} is missing: the page's own catalogue is used`);
  }
  const rows = (await state(page)).catalogue.rows;
  const query = 'gpt2';  // in both catalogues
  const sel = await page.evaluate((m) => window.hfrec.select(m), query);
  assert.ok(sel.ok, sel.error);
  assert.ok((await page.evaluate(() => window.hfrec.set({ view: 'clusters' }))).ok);
  const r = await page.evaluate(() => window.hfrec.cluster({ algo: 'kmeans', k: 12, features: 'attributes', seed: 0 }));
  assert.ok(r.ok, r.error);
  await page.waitForFunction(() => {
    const s = window.hfrec.state();
    return s.clusters && !s.clusterJob.running && !s.layout.running && s.layout.shown === 'umap';
  }, null, { timeout: 180000 });
  await settle(page);

  let st = await state(page);
  let o = await page.evaluate(() => window.hfrec.mapOverlay());
  checkLabels(o, st, 'fitted');
  assert.deepEqual(await page.evaluate(() => window.hfrec.mapLabels()), o.labels);
  // Every name inside the map's rectangle (widgets() is in page pixels, labels in canvas pixels).
  const map = await page.evaluate(() => {
    const m = window.hfrec.widgets().find((w) => w.name === '##map');
    const r = document.querySelector('canvas').getBoundingClientRect();
    return m && { ...m, x: m.x - r.left, y: m.y - r.top };
  });
  assert.ok(map, 'the map is in widgets()');
  {
    for (const l of o.labels) {
      assert.ok(l.x >= map.x - 1 && l.x + l.w <= map.x + map.w + 1, `'${l.name}' is inside the map across`);
      assert.ok(l.y >= map.y - 1 && l.y + l.h <= map.y + map.h + 1, `'${l.name}' is inside the map down`);
    }
  }
  // Density: on by itself above 5,000 models, off below.
  assert.equal(o.density.auto, true);
  assert.equal(o.density.on, rows > 5000, `density on with ${rows} rows`);
  if (rows > 5000) assert.ok(o.density.blocks > 0, 'density blocks are drawn');
  // The ringed rows: the query and its ranked list.
  assert.equal(o.query, query);
  assert.deepEqual(o.highlightedIds, st.results.map((x) => x.modelId));
  assert.ok(o.highlightedIds.length > 0);
  const q = await page.evaluate((m) => window.hfrec.mapPoint(m), query);
  assert.equal(o.queryRow, q.row);
  t.diagnostic(`${rows} rows, k = 12: ${o.labels.length} names drawn, ${o.hiddenLabels} hidden; ` +
    `${o.density.blocks} density blocks; ${o.highlightedIds.length} recommendations ringed`);
  await screenshot(page, 'map-labels-fitted');

  // Zoomed in 8x: placement is recomputed for the new view, still with no overlap.
  assert.ok((await page.evaluate(() => window.hfrec.set({ map: { zoom: 8 } }))).ok);
  await settle(page);
  st = await state(page);
  o = await page.evaluate(() => window.hfrec.mapOverlay());
  if (o.labels.length > 0) checkLabels(o, st, 'zoom 8');
  else assert.equal(o.hiddenLabels, st.clusters.names.length);
  t.diagnostic(`zoom 8: ${o.labels.length} names drawn, ${o.hiddenLabels} hidden, ${o.density.blocks} density blocks`);
  // The Density checkbox turns the shading off (and on again).
  await clickWidget(page, 'Density');
  o = await page.evaluate(() => window.hfrec.mapOverlay());
  assert.equal(o.density.on, rows <= 5000);
  assert.equal(o.density.auto, false);
  if (rows > 5000) assert.equal(o.density.blocks, 0);

  // The lasso: Lasso on, a drag around the map's lower right part lists the models inside it under
  // the map (most downloaded first); a row of that table becomes the query; Clear drops them.
  assert.ok((await page.evaluate(() => window.hfrec.set({ map: { zoom: 1, cx: 0.5, cy: 0.5 } }))).ok);
  await clickWidget(page, 'Lasso');
  const m = await widget(page, '##map', 'name');
  const corners = [[m.x + m.w - 20, m.cy], [m.x + m.w - 20, m.y + m.h - 60], [m.cx, m.y + m.h - 60]];
  await page.mouse.move(m.cx, m.cy);
  await settle(page);
  await page.mouse.down();
  for (const [x, y] of corners) {
    await page.mouse.move(x, y, { steps: 4 });
    await settle(page);
  }
  await page.mouse.up();
  await settle(page);
  o = await page.evaluate(() => window.hfrec.mapOverlay());
  assert.ok(o.selected.length > 0 && o.selected.length < rows, `${o.selected.length} models in the lasso`);
  t.diagnostic(`lasso: ${o.selected.length} models selected`);
  // The table's rows are Selectables labelled with the model id: the first one that is not the query.
  const ids = await page.evaluate(() => window.hfrec.widgets().filter((w) => w.window.includes('lassotable'))
    .map((w) => w.label));
  const pick = ids.find((id) => id && id !== query && !['Model', 'Task', 'Downloads', 'Cluster'].includes(id));
  assert.ok(pick, `a model row in the lasso's table (${JSON.stringify(ids.slice(0, 6))})`);
  await clickWidget(page, pick);
  await page.waitForFunction((id) => window.hfrec.state().query === id, pick);
  await screenshot(page, 'map-labels-lasso');
  await clickWidget(page, 'Clear##lassoclear', 'name');
  o = await page.evaluate(() => window.hfrec.mapOverlay());
  assert.deepEqual(o.selected, []);
  assert.deepEqual(errors, []);
  await context.close();
});
