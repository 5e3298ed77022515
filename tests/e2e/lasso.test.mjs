// End-to-end tests of the map's lasso (issue 15): the lasso drawn goes into the share link and the
// link, opened in a fresh page, selects the same models once the same map is laid out; the table
// under the map sorts by its headers; Export CSV (and hfrec.exportSelection()) writes the selected
// models, checked against the catalogue file itself. On the page's own catalogue (the 10k when the
// build shipped it). Waits on the app's state, never on a clock.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { parseCsv } from '../mock_hub/server.mjs';
import { clickWidget, openPage, root, screenshot, settle, state, useBrowser, widget } from './helpers.mjs';

const env = useBrowser();

// The clustering and its UMAP map are in.
const mapReady = (page) => page.waitForFunction(() => {
  const s = window.hfrec.state();
  return s.clusters && !s.clusterJob.running && !s.layout.running && s.layout.shown === 'umap';
}, null, { timeout: 180000 });

// The catalogue file the page loaded, as {header, records} (the oracle's own reading of it).
function catalogueFile(name) {
  const file = name === 'hf_models_10k.csv' ? path.join(root, '../shared/data/hf_models_10k.csv')
    : path.join(root, 'web/catalogue.csv');
  const [header, ...records] = parseCsv(fs.readFileSync(file, 'utf8'));
  return { header, records };
}

// A CSV cell as the export's documented rule writes it (core/export.h, OWASP "CSV Injection"):
// a leading = + - @ TAB or CR gets an apostrophe; such a cell, and one with a comma, quote or line
// break, is quoted with its quotes doubled. Written here from the rule, not from the code.
function cell(v) {
  let o = String(v);
  let quote = /[,"\n\r]/.test(o);
  if (/^[=+\-@\t\r]/.test(o)) { o = `'${o}`; quote = true; }
  return quote ? `"${o.replace(/"/g, '""')}"` : o;
}

// Draws a lasso: Lasso on, a drag round a ring of points about gpt2's point on the map (kept inside
// the map, clear of its buttons), release: a part of the map, not the pile most models are in.
async function drawLasso(page) {
  await clickWidget(page, 'Lasso');
  const m = await widget(page, '##map', 'name');
  const p = await page.evaluate(() => window.hfrec.mapPoint('gpt2'));
  assert.ok(p.ok && p.visible, 'gpt2 is on the map');
  const r = 0.1 * Math.min(m.w, m.h);
  const cx = Math.min(Math.max(p.x, m.x + r + 20), m.x + m.w - r - 20);
  const cy = Math.min(Math.max(p.y, m.y + r + 20), m.y + m.h - r - 70);
  const pts = [];
  for (let i = 0; i <= 16; ++i) {
    const a = (i / 16) * 2 * Math.PI;
    pts.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  await page.mouse.move(pts[0][0], pts[0][1]);
  await settle(page);
  await page.mouse.down();
  for (const [x, y] of pts) {
    await page.mouse.move(x, y, { steps: 3 });
    await settle(page);
  }
  await page.mouse.up();
  await settle(page);
}

test('the lasso goes into the share link; the link selects the same models in a fresh page', async (t) => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  await settle(page);
  assert.ok((await page.evaluate(() => window.hfrec.set({ view: 'clusters' }))).ok);
  const r = await page.evaluate(() => window.hfrec.cluster({ algo: 'kmeans', k: 8, features: 'attributes', seed: 0 }));
  assert.ok(r.ok, r.error);
  await mapReady(page);
  await settle(page);
  await drawLasso(page);
  const o = await page.evaluate(() => window.hfrec.mapOverlay());
  const rows = (await state(page)).catalogue.rows;
  assert.ok(o.selected.length > 0 && o.selected.length < rows, `${o.selected.length} models in the lasso`);
  const hash = await page.evaluate(() => location.hash);
  const m = /(?:^#|&)lasso=([^&]*)/.exec(hash);
  assert.ok(m, `the link has the lasso: ${hash}`);
  const numbers = m[1].split(',');
  assert.equal(numbers.length % 2, 0);
  assert.ok(numbers.length >= 6 && numbers.length <= 128, `${numbers.length / 2} vertices`);
  for (const n of numbers) assert.match(n, /^-?\d\.\d{6}$/);
  t.diagnostic(`${o.selected.length} models in a lasso of ${numbers.length / 2} vertices; link ${hash.length} bytes`);

  // A fresh page opens the link: the clustering runs, its UMAP map is laid out, then the same rows
  // are selected (in the same order: most downloaded first).
  const other = await openPage(env.browser, `${env.server.url}${hash}`);
  assert.ok(other.ok);
  await mapReady(other.page);
  await settle(other.page);
  const s2 = await state(other.page);
  assert.equal(s2.selection.pending, false);
  assert.equal(s2.selection.count, o.selected.length);
  const o2 = await other.page.evaluate(() => window.hfrec.mapOverlay());
  assert.deepEqual(o2.selected, o.selected);
  assert.equal(await other.page.evaluate(() => location.hash), hash, 'the fresh page writes the same link');
  await screenshot(other.page, 'lasso-from-link');

  // A malformed lasso is named and the rest of the link still applies.
  const bad = hash.replace(/lasso=[^&]*/, 'lasso=0.1,0.1,0.9');
  const third = await openPage(env.browser, `${env.server.url}${bad}`);
  assert.ok(third.ok);
  await mapReady(third.page);
  await settle(third.page);
  const s3 = await state(third.page);
  assert.deepEqual(s3.link.problems.map((p) => [p.key, p.reason]),
    [['lasso', 'is not a lasso (3 numbers: x,y pairs need an even count)']]);
  assert.match(s3.notice, /lasso=0\.1,0\.1,0\.9 is not a lasso/);
  assert.equal(s3.clusters.k, 8, 'the clustering of the link ran');
  assert.equal(s3.selection.count, 0);
  assert.deepEqual(errors.concat(other.errors, third.errors), []);
  await third.context.close();
  await other.context.close();
  await context.close();
});

test('the lasso table sorts by its headers, a row becomes the query, Export CSV writes the models', async (t) => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url, { acceptDownloads: true });
  assert.ok(ok);
  await settle(page);
  assert.ok((await page.evaluate(() => window.hfrec.set({ view: 'clusters' }))).ok);
  assert.ok((await page.evaluate(() => window.hfrec.cluster({ algo: 'kmeans', k: 8, features: 'attributes', seed: 0 }))).ok);
  await mapReady(page);
  await settle(page);
  await drawLasso(page);
  const s = await state(page);
  const selected = (await page.evaluate(() => window.hfrec.mapOverlay())).selected;
  assert.ok(selected.length > 1, `${selected.length} models in the lasso`);

  // The oracle: the selected rows' records read from the catalogue file (row r is record r).
  const { header, records } = catalogueFile(s.catalogue.name);
  assert.equal(records.length, s.catalogue.rows, 'the catalogue keeps every record of the file, in order');
  const col = (name) => header.indexOf(name);
  const rec = selected.map((row) => {
    const f = records[row];
    return { id: f[col('modelId')], downloads: Number(f[col('downloads')] || 0), task: f[col('pipeline_tag')],
      library: f[col('library_name')], type: f[col('model_type')] };
  });
  const labels = await page.evaluate((ids) => ids.map((id) => window.hfrec.mapPoint(id).label), rec.map((x) => x.id));
  rec.forEach((x, i) => { x.cluster = labels[i]; x.name = labels[i] < 0 ? 'noise' : s.clusters.names[labels[i]]; });
  const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  // The documented order: the column, then most downloaded first, then by id.
  const sorted = (key, desc) => [...rec].sort((a, b) => {
    const c = key === 'downloads' ? a.downloads - b.downloads : (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0);
    if (c !== 0) return desc ? -c : c;
    return b.downloads - a.downloads || byId(a, b);
  });
  const expectedCsv = (list) => 'modelId,downloads,pipeline_tag,library_name,model_type,cluster,cluster_name\n' +
    list.map((x) => [cell(x.id), x.downloads, cell(x.task), cell(x.library), cell(x.type), x.cluster, cell(x.name)]
      .join(',') + '\n').join('');
  const exported = () => page.evaluate(() => window.hfrec.exportSelection());

  // Most downloaded first before any click.
  assert.deepEqual((await state(page)).selection.sort, { key: 'downloads', descending: true });
  let e = await exported();
  assert.ok(e.ok, e.error);
  assert.equal(e.rows, rec.length);
  assert.equal(e.csv, expectedCsv(sorted('downloads', true)));
  // Model: ascending, then descending.
  await clickWidget(page, 'Model##lassosort', 'name');
  assert.deepEqual((await state(page)).selection.sort, { key: 'model', descending: false });
  assert.equal((await exported()).csv, expectedCsv(sorted('id', false)));
  await clickWidget(page, 'Model##lassosort', 'name');
  assert.deepEqual((await state(page)).selection.sort, { key: 'model', descending: true });
  assert.equal((await exported()).csv, expectedCsv(sorted('id', true)));
  // Task: ascending (models without a task first).
  await clickWidget(page, 'Task##lassosort', 'name');
  assert.deepEqual((await state(page)).selection.sort, { key: 'task', descending: false });
  assert.equal((await exported()).csv, expectedCsv(sorted('task', false)));
  // The rows the map reports follow the table's order.
  const ids = sorted('task', false).map((x) => x.id);
  const rowsNow = (await page.evaluate(() => window.hfrec.mapOverlay())).selected;
  assert.deepEqual(rowsNow.map((row) => records[row][col('modelId')]), ids);
  await screenshot(page, 'lasso-table-by-task');

  // The Export CSV button downloads the same text.
  const button = await widget(page, 'Export CSV##lassoexport', 'name');
  assert.ok(button, 'the Export CSV button is drawn');
  await page.mouse.move(button.cx, button.cy);
  await settle(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.mouse.click(button.cx, button.cy)]);
  assert.equal(download.suggestedFilename(), 'hfrec-lasso.csv');
  assert.equal(fs.readFileSync(await download.path(), 'utf8'), expectedCsv(sorted('task', false)));
  t.diagnostic(`${rec.length} models exported`);

  // A row of the table makes its model the query.
  const labelsShown = await page.evaluate(() => window.hfrec.widgets().filter((w) => w.window.includes('lassotable'))
    .map((w) => w.label));
  const pick = labelsShown.find((id) => ids.includes(id) && id !== s.query);
  assert.ok(pick, 'a model row in the table');
  await clickWidget(page, pick);
  await page.waitForFunction((id) => window.hfrec.state().query === id, pick);
  assert.deepEqual(errors, []);
  await context.close();
});
