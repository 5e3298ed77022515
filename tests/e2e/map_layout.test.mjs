// End-to-end tests of the cluster map's layout: UMAP by default, laid out in slices beside the
// clustering with the coordinates hfrec layout prints for the same catalogue, features and seed;
// a clustering of the same features reuses it; Cancel keeps the map drawn; share links carry
// layout=pca and open layout=umap; a map of another space than the clustering's (map=hybrid);
// set() refuses an unknown layout or space. Waits on the app's state, never on a clock. Needs
// HFREC_CLI (the native hfrec) for the comparisons with the CLI.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { dist, openPage, screenshot, settle, state, useBrowser, widget } from './helpers.mjs';

const env = useBrowser();
const cli = process.env.HFREC_CLI;
const haveCli = cli && fs.existsSync(cli);
// The catalogue the page loads by itself (scripts/build-web.sh copies it into dist/).
const catalogue = ['catalogue.csv', 'catalogue.json'].map((f) => path.join(dist, f)).find((f) => fs.existsSync(f));

// hfrec layout's JSON for the page's catalogue.
function cliLayout(features, seed, method = 'umap') {
  const out = execFileSync(cli, ['layout', '--catalogue', catalogue, '--features', features, '--method', method,
    '--seed', String(seed)], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return JSON.parse(out);
}

// Waits until no clustering runs and the map shows `shown` with no layout running.
async function waitMap(page, shown) {
  await page.waitForFunction((m) => {
    const s = window.hfrec.state();
    return s.clusters && !s.clusterJob.running && !s.layout.running && s.layout.shown === m;
  }, shown, { timeout: 120000 });
}

test('the map is UMAP by default, equal to hfrec layout, and a new k reuses it', async (t) => {
  if (!haveCli) {
    t.skip('HFREC_CLI is not set to the native hfrec binary: CLI parity not checked');
    return;
  }
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  const rows = (await state(page)).catalogue.rows;
  for (const [features, seed] of [['attributes', 3], ['tfidf', 0], ['soup', 1]]) {
    const r = await page.evaluate((p) => window.hfrec.cluster(p), { algo: 'kmeans', k: 6, features, seed });
    assert.ok(r.ok, r.error);
    await waitMap(page, 'umap');
    const st = await state(page);
    assert.equal(st.layout.method, 'umap');
    assert.equal(st.layout.features, features);
    assert.equal(st.layout.seed, seed);
    const web = await page.evaluate(() => window.hfrec.mapPoints());
    assert.ok(web.ok, web.error);
    assert.equal(web.method, 'umap');
    assert.equal(web.points.length, rows);
    const native = cliLayout(features, seed);
    assert.equal(native.rows, rows);
    // The same bits: every coordinate as the same shortest decimal.
    assert.deepEqual(web.points, native.points, `${features}: the browser's map equals hfrec layout's`);
    t.diagnostic(`${features} (${rows} rows): layout ${st.layout.seconds.toFixed(2)} s computing, ` +
      `${st.layout.wallSeconds.toFixed(2)} s waited, longest step ${st.layout.longestStepMs.toFixed(1)} ms ` +
      `(hfrec layout's preservation ${native.preservation.toFixed(3)})`);
  }
  // The comparison tells maps apart: another seed is another map.
  const other = cliLayout('soup', 2);
  assert.notDeepEqual((await page.evaluate(() => window.hfrec.mapPoints())).points, other.points);
  // A clustering of the same features and seed (another k, another algorithm) lays out nothing.
  const computed = (await state(page)).layout.computed;
  const before = await page.evaluate(() => window.hfrec.mapPoints());
  for (const p of [{ k: 9 }, { algo: 'dbscan', eps: 0.3, min_samples: 5 }]) {
    const r = await page.evaluate((q) => window.hfrec.cluster(q), p);
    assert.ok(r.ok, r.error);
    await waitMap(page, 'umap');
    assert.equal((await state(page)).layout.computed, computed, JSON.stringify(p));
    assert.deepEqual(await page.evaluate(() => window.hfrec.mapPoints()), before);
  }
  await settle(page);
  const shot = await screenshot(page, 'map-umap');
  assert.ok(shot.colours > 300, `the map screenshot has ${shot.colours} colours`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the layout runs in slices with progress beside a usable clustering; Cancel keeps the map drawn', async () => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  assert.ok((await page.evaluate(() => window.hfrec.set({ view: 'clusters', layout: 'pca' }))).ok);
  const r = await page.evaluate(() => window.hfrec.cluster({ algo: 'kmeans', k: 5, features: 'tfidf', seed: 0 }));
  assert.ok(r.ok, r.error);
  await waitMap(page, 'pca');
  await settle(page);
  const pca = await page.evaluate(() => window.hfrec.mapPoints());
  assert.equal(pca.method, 'pca');
  // Each work slice held until the test releases it (as in clusters.test.mjs): no clock is read.
  await page.evaluate(() => {
    const post = MessagePort.prototype.postMessage;
    window.__post = post;
    window.__held = [];
    MessagePort.prototype.postMessage = function (...args) { window.__held.push(() => post.apply(this, args)); };
  });
  assert.ok((await page.evaluate(() => window.hfrec.set({ layout: 'umap' }))).ok);
  assert.match(await page.evaluate(() => location.hash), /features=tfidf/);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /layout=/);
  const runSlice = async () => {
    await page.waitForFunction(() => window.__held.length === 1);
    await page.evaluate(() => window.__held.shift()());
    await page.waitForFunction(() => window.__held.length === 1 || !window.hfrec.state().layout.running);
  };
  let last = -1;
  for (let i = 0; i < 3; ++i) {
    await runSlice();
    const l = (await state(page)).layout;
    assert.ok(l.running, `still laying out after ${i + 1} slice(s)`);
    assert.ok(l.progress >= last && l.progress < 1, `progress ${l.progress}`);
    assert.match(l.stage, /^layout: /);
    last = l.progress;
  }
  // The clustering stays usable meanwhile: the PCA map, its points and the ranked list.
  const mid = await page.evaluate(() => window.hfrec.mapPoints());
  assert.deepEqual(mid, pca);
  assert.ok((await page.evaluate(() => window.hfrec.select('gpt2'))).ok);
  assert.ok((await state(page)).results.length > 0);
  const f0 = await page.evaluate(() => window.hfrec.frames());
  await page.mouse.move(30, 30);
  await page.waitForFunction((f) => window.hfrec.frames() > f, f0);
  await screenshot(page, 'map-layout-progress');
  const cancel = await widget(page, 'Cancel layout');
  assert.ok(cancel, 'a Cancel layout button while the layout runs');
  // Hovered first, then clicked, as a hand would (ImGui 1.86 sees the pointer arrive, then the
  // click). The held slices cannot end the layout: only Cancel can. The frame count is read before
  // the move: the move wakes three frames, which a loaded machine may draw before a later read.
  const f1 = await page.evaluate(() => window.hfrec.frames());
  await page.mouse.move(cancel.cx, cancel.cy);
  await page.waitForFunction((f) => window.hfrec.frames() >= f + 2, f1);
  await page.mouse.click(cancel.cx, cancel.cy);
  await page.waitForFunction(() => !window.hfrec.state().layout.running);
  const st = await state(page);
  assert.equal(st.layout.cancelled, true, JSON.stringify(st.layout));
  assert.equal(st.layout.shown, 'pca', JSON.stringify(st.layout));
  assert.equal(st.clusters.k, 5);
  // Whatever slice was still asked for finds no work; the map stays the one drawn before.
  await page.evaluate(() => {
    MessagePort.prototype.postMessage = window.__post;
    for (const f of window.__held.splice(0)) f();
  });
  await settle(page);
  const after = (await state(page)).layout;
  assert.equal(after.running, false, `no layout after Cancel: ${JSON.stringify(after)}`);
  assert.deepEqual(await page.evaluate(() => window.hfrec.mapPoints()), pca);
  assert.deepEqual(errors, []);
  await context.close();
});

test('share links: layout=pca is kept, layout=umap (or none) opens UMAP; set() refuses an unknown layout', async () => {
  const base = `${env.server.url}#view=clusters&algo=kmeans&features=attributes&ck=4`;
  const first = await openPage(env.browser, `${base}&layout=pca`);
  assert.ok(first.ok);
  await waitMap(first.page, 'pca');
  let st = await state(first.page);
  assert.equal(st.layout.method, 'pca');
  assert.equal(st.layout.computed, 0);
  assert.equal(st.clusters.k, 4);
  assert.match(await first.page.evaluate(() => window.hfrec.shareLink()), /features=attributes&ck=4&layout=pca/);
  const pca = await first.page.evaluate(() => window.hfrec.mapPoints());
  assert.equal(pca.method, 'pca');
  // An unknown value is refused by name, and nothing of the call changes (all or nothing).
  const bad = await first.page.evaluate(() => window.hfrec.set({ k: 7, layout: 'tsne' }));
  assert.deepEqual(bad, { ok: false, error: 'layout: unknown map layout "tsne" (umap, pca)' });
  st = await state(first.page);
  assert.equal(st.k, 10);
  assert.equal(st.layout.method, 'pca');
  // Switching to UMAP in the page drops the key from its link (UMAP is the default).
  assert.ok((await first.page.evaluate(() => window.hfrec.set({ layout: 'umap' }))).ok);
  await waitMap(first.page, 'umap');
  assert.doesNotMatch(await first.page.evaluate(() => location.hash), /layout=/);
  const umap = await first.page.evaluate(() => window.hfrec.mapPoints());
  assert.notDeepEqual(umap.points, pca.points);
  assert.deepEqual(first.errors, []);
  await first.context.close();

  for (const tail of ['&layout=umap', '']) {
    const o = await openPage(env.browser, base + tail);
    assert.ok(o.ok);
    await waitMap(o.page, 'umap');
    assert.equal((await state(o.page)).layout.method, 'umap');
    assert.deepEqual(await o.page.evaluate(() => window.hfrec.mapPoints()), umap, `the link ${tail || 'without layout'}`);
    assert.deepEqual(o.errors, []);
    await o.context.close();
  }
  // A link's unknown layout is named; the rest of the link is kept.
  const odd = await openPage(env.browser, `${base}&layout=tsne`);
  assert.ok(odd.ok);
  await waitMap(odd.page, 'umap');
  st = await state(odd.page);
  assert.equal(st.clusters.k, 4);
  assert.deepEqual(st.link.problems, [{ key: 'layout', value: 'tsne', reason: 'is not a map layout (umap, pca)' }]);
  await odd.context.close();
});

test('map=hybrid: a UMAP map of the hybrid score over an attributes clustering, equal to hfrec layout', async (t) => {
  if (!haveCli) {
    t.skip('HFREC_CLI is not set to the native hfrec binary: CLI parity not checked');
    return;
  }
  const link = `${env.server.url}#view=clusters&algo=kmeans&features=attributes&ck=6&seed=0&map=hybrid`;
  const { context, page, errors, ok } = await openPage(env.browser, link);
  assert.ok(ok);
  await waitMap(page, 'umap');
  let st = await state(page);
  assert.equal(st.map.features, 'hybrid');
  assert.equal(st.layout.features, 'hybrid');
  assert.equal(st.clusters.params.features, 'attributes');
  assert.equal(st.clusters.k, 6);
  const web = await page.evaluate(() => window.hfrec.mapPoints());
  const native = cliLayout('hybrid', 0);
  assert.equal(web.points.length, native.rows);
  assert.deepEqual(web.points, native.points, "hybrid: the browser's map equals hfrec layout's");
  t.diagnostic(`hybrid (${native.rows} rows, ${st.layout.graph} graph): layout ${st.layout.seconds.toFixed(2)} s ` +
    `computing, ${st.layout.wallSeconds.toFixed(2)} s waited, longest step ${st.layout.longestStepMs.toFixed(1)} ms ` +
    `(hfrec layout's preservation ${native.preservation.toFixed(3)})`);
  assert.match(await page.evaluate(() => window.hfrec.shareLink()), /&map=hybrid/);
  await settle(page);
  await screenshot(page, 'map-umap-hybrid');
  // An unknown space is refused by name and changes nothing; 'clusters' goes back to the
  // clustering's space (a layout of attributes), and the link drops the key.
  const bad = await page.evaluate(() => window.hfrec.set({ k: 7, map: { features: 'pca' } }));
  assert.deepEqual(bad, { ok: false,
    error: 'map.features: unknown map space "pca" (clusters, attributes, soup, tfidf, hybrid)' });
  st = await state(page);
  assert.equal(st.k, 10);
  assert.equal(st.map.features, 'hybrid');
  assert.ok((await page.evaluate(() => window.hfrec.set({ map: { features: 'clusters' } }))).ok);
  await waitMap(page, 'umap');
  st = await state(page);
  assert.equal(st.layout.features, 'attributes');
  assert.deepEqual((await page.evaluate(() => window.hfrec.mapPoints())).points, cliLayout('attributes', 0).points);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /map=/);
  assert.deepEqual(errors, []);
  await context.close();
});
