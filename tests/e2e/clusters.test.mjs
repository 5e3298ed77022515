// End-to-end tests of the Clusters view: k-means map and point clicks, cancelling a long job
// while frames keep coming, Ward's dendrogram cut, DBSCAN noise, and share links of the view.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { openPage, screenshot, settle, useBrowser, widget } from './helpers.mjs';

const env = useBrowser();
const byName = (page, name) => widget(page, name, 'name');

async function waitIdle(page) {
  await page.waitForFunction(() => !window.hfrec.state().clusterJob.running, null, { timeout: 60000 });
  await settle(page);
}

test('clusters tab: k-means map, click a point, get recommendations', async () => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  await settle(page);
  // The tab, clicked like a person would; the view starts a clustering with the controls' values.
  const tab = (await page.evaluate(() => window.hfrec.widgets())).find((w) => w.label === 'Clusters');
  assert.ok(tab, 'the Clusters tab is in widgets()');
  await page.mouse.click(tab.cx, tab.cy);
  await page.waitForFunction(() => window.hfrec.state().view === 'clusters');
  await waitIdle(page);

  const r = await page.evaluate(() => window.hfrec.cluster({ algo: 'kmeans', k: 8, features: 'attributes', seed: 0 }));
  assert.ok(r.ok, r.error);
  assert.equal(r.clusters.algorithm, 'kmeans');
  assert.equal(r.clusters.k, 8);
  const st = await page.evaluate(() => window.hfrec.state());
  assert.equal(st.clusters.k, 8);
  assert.equal(st.clusters.features, 'attributes');
  assert.equal(st.clusters.sizes.reduce((a, b) => a + b, 0), st.catalogue.rows);
  assert.equal(st.clusters.noise, 0);
  assert.ok(st.clusters.names.every((n) => typeof n === 'string' && n.length > 0));
  assert.match(await page.evaluate(() => location.hash), /view=clusters&algo=kmeans&features=attributes&ck=8/);
  await settle(page);
  const shot = await screenshot(page, 'clusters-kmeans');
  assert.ok(shot.colours > 300, `the map screenshot has ${shot.colours} colours`);

  // Click a point found through its screen position: it becomes the query.
  const id = 'gpt2';
  const p = await page.evaluate((m) => window.hfrec.mapPoint(m), id);
  assert.ok(p.ok, p.error);
  assert.ok(p.visible, 'the point is on the canvas');
  await page.mouse.move(p.x, p.y);
  await settle(page);
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction(() => window.hfrec.state().query !== '');
  const after = await page.evaluate(() => window.hfrec.state());
  const clicked = await page.evaluate((m) => window.hfrec.mapPoint(m), after.query);
  assert.ok(Math.hypot(clicked.x - p.x, clicked.y - p.y) < 8, `clicked ${after.query} near ${id}`);
  assert.equal(after.view, 'clusters');
  assert.ok(after.results.length > 0, 'recommendations for the clicked model');
  await settle(page);
  await screenshot(page, 'clusters-query');

  // A cluster from the list filters the map and the ranked list.
  const label = after.clusters.sizes.length > 1 ? 1 : 0;
  const row = await byName(page, `##cluster${label}`);
  assert.ok(row, 'the cluster list row is in widgets()');
  await page.mouse.click(row.cx, row.cy);
  await page.waitForFunction((l) => window.hfrec.state().clusters.focus === l, label);
  const filtered = await page.evaluate(() => window.hfrec.state());
  assert.match(await page.evaluate(() => location.hash), new RegExp(`focus=${label}`));
  for (const res of filtered.results) {
    const q = await page.evaluate((m) => window.hfrec.mapPoint(m), res.modelId);
    assert.equal(q.label, label, `${res.modelId} is in cluster ${label}`);
  }
  await settle(page);
  await screenshot(page, 'clusters-focus');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a long clustering shows progress, keeps frames coming and can be cancelled', async () => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  // Ward on TF-IDF must run for seconds: with a small default catalogue, load a generated one of
  // 12,000 models with distinct tag sets (seeded, so every run is the same).
  const rows = (await page.evaluate(() => window.hfrec.state())).catalogue.rows;
  if (rows < 5000) {
    const loaded = await page.evaluate(() => {
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const words = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}`);
      const lines = ['modelId,tags,pipeline_tag,library_name,downloads'];
      for (let i = 0; i < 12000; ++i) {
        const tags = Array.from({ length: 6 }, () => `'${words[Math.floor(rnd() * words.length)]}'`);
        lines.push(`org${i % 97}/m${i},"[${tags.join(', ')}]",task${i % 7},lib${i % 3},${i}`);
      }
      return window.hfrec.loadCatalogue(lines.join('\n'), 'generated-12k.csv');
    });
    assert.ok(loaded.ok, loaded.error);
  }
  await page.evaluate(() => window.hfrec.set({ view: 'clusters' }));
  await waitIdle(page);
  // Ward on TF-IDF is the slowest request; it runs in slices. The app posts each slice of work to
  // itself through a MessageChannel (web/hfrec.js); held here, a slice runs only when the test
  // releases it, so what follows counts slices and frames and reads no clock (the slices' times
  // are benchmarks: tests/bench, slices/cluster/ward-tfidf).
  await page.evaluate(() => {
    const post = MessagePort.prototype.postMessage;
    window.__held = [];
    MessagePort.prototype.postMessage = function (...args) { window.__held.push(() => post.apply(this, args)); };
    window.__outcome = null;
    window.__job = window.hfrec.cluster({ algo: 'ward', features: 'tfidf', k: 8 });
    window.__job.then((r) => { window.__outcome = r; });
  });
  await page.waitForFunction(() => window.hfrec.state().clusterJob.running);
  // Releases one held slice and waits until it has run: it asked for the next one, or the job ended.
  const runSlice = async () => {
    await page.waitForFunction(() => window.__held.length === 1);
    await page.evaluate(() => window.__held.shift()());
    await page.waitForFunction(() => window.__held.length === 1 || window.__outcome !== null);
  };
  // Frames come while the job runs, between its slices: input wakes the page and it draws.
  const framesWhileRunning = async () => {
    const f0 = await page.evaluate(() => window.hfrec.frames());
    await page.mouse.move(20 + f0 % 50, 20);
    await page.waitForFunction((f) => window.hfrec.frames() > f, f0);
    assert.ok((await page.evaluate(() => window.hfrec.state())).clusterJob.running, 'the job runs on');
  };
  await framesWhileRunning();
  // Each slice hands control back to the page (it posts the next one instead of running on), and
  // Ward on 12,000 distinct rows (~72 million pair distances) needs far more than two of them.
  let lastProgress = 0;
  for (let i = 0; i < 2; ++i) {
    await runSlice();
    const job = await page.evaluate(() => window.hfrec.state().clusterJob);
    assert.ok(job.running, `still running after ${i + 1} slice(s)`);
    assert.ok(job.stage.length > 0);
    assert.ok(job.progress >= lastProgress && job.progress < 1, `progress ${job.progress}`);
    lastProgress = job.progress;
    await framesWhileRunning();
  }
  await screenshot(page, 'clusters-progress');
  const cancel = (await page.evaluate(() => window.hfrec.widgets())).find((w) => w.label === 'Cancel');
  assert.ok(cancel, 'a Cancel button while the job runs');
  // The click is handled within the frames it wakes (3 after the last input event).
  const f0 = await page.evaluate(() => window.hfrec.frames());
  await page.mouse.click(cancel.cx, cancel.cy);
  await page.waitForFunction((f) => window.hfrec.frames() >= f + 3, f0);
  // Cancel takes effect at the next slice: it ends the job and asks for no more work.
  await runSlice();
  const outcome = await page.evaluate(() => window.__outcome);
  assert.deepEqual(outcome, { ok: false, error: 'clustering cancelled' });
  assert.equal(await page.evaluate(() => window.__held.length), 0, 'no slice after the cancelled one');
  const st = await page.evaluate(() => window.hfrec.state());
  assert.equal(st.clusterJob.running, false);
  assert.equal(st.clusters.algorithm, 'kmeans', 'the previous clustering stays');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Ward: the dendrogram cut line is dragged to a new cut', async () => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  await page.evaluate(() => window.hfrec.set({ view: 'clusters' }));
  await waitIdle(page);
  const r = await page.evaluate(() => window.hfrec.cluster({ algo: 'ward', k: 4 }));
  assert.ok(r.ok, r.error);
  assert.equal(r.clusters.k, 4);
  assert.ok(r.clusters.cutHeight > 0);
  await settle(page);
  const d = await byName(page, '##dendrogram');
  assert.ok(d, 'the dendrogram is in widgets()');
  // Drag the cut down to a lower height: more clusters.
  const x = d.x + d.w / 2;
  await page.mouse.move(x, d.y + d.h * 0.3);
  await page.mouse.down();
  await page.mouse.move(x, d.y + d.h * 0.6, { steps: 5 });
  await page.mouse.move(x, d.y + d.h * 0.8, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => window.hfrec.state().clusters.params.cut !== null);
  const st = await page.evaluate(() => window.hfrec.state());
  assert.ok(st.clusters.k > 4, `a lower cut gives more clusters (${st.clusters.k})`);
  assert.equal(st.clusters.sizes.reduce((a, b) => a + b, 0), st.catalogue.rows);
  assert.match(await page.evaluate(() => location.hash), /algo=ward&features=attributes&cut=/);
  await settle(page);
  const shot = await screenshot(page, 'clusters-ward-cut');
  assert.ok(shot.colours > 300);
  assert.deepEqual(errors, []);
  await context.close();
});

test('DBSCAN: noise is counted, listed and can be shown alone', async () => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  await page.evaluate(() => window.hfrec.set({ view: 'clusters' }));
  await waitIdle(page);
  const r = await page.evaluate(() => window.hfrec.cluster({ algo: 'dbscan', eps: 0.3, min_samples: 5 }));
  assert.ok(r.ok, r.error);
  assert.equal(r.clusters.algorithm, 'dbscan');
  assert.ok(r.clusters.noise > 0, 'some rows are noise');
  assert.equal(r.clusters.sizes.reduce((a, b) => a + b, 0) + r.clusters.noise,
    (await page.evaluate(() => window.hfrec.state())).catalogue.rows);
  await settle(page);
  const noise = await byName(page, '##cluster-1');
  assert.ok(noise, 'the noise row is in the cluster list');
  await page.mouse.click(noise.cx, noise.cy);
  await page.waitForFunction(() => window.hfrec.state().clusters.focus === -1);
  await settle(page);
  const shot = await screenshot(page, 'clusters-dbscan-noise');
  assert.ok(shot.colours > 100);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a share link restores the cluster view', async () => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  await page.evaluate(() => window.hfrec.select('gpt2'));
  const r = await page.evaluate(() => window.hfrec.cluster({ algo: 'kmeans', k: 5, features: 'soup', seed: 3 }));
  assert.ok(r.ok, r.error);
  const set = await page.evaluate(() =>
    window.hfrec.set({ view: 'clusters', cluster: { focus: 2 }, map: { zoom: 2.5, cx: 0.4, cy: 0.6 } }));
  assert.ok(set.ok, set.error);
  await page.waitForFunction(() => window.hfrec.state().clusters.focus === 2);
  const link = await page.evaluate(() => window.hfrec.shareLink());
  assert.match(link, /view=clusters&algo=kmeans&features=soup&ck=5&seed=3&focus=2&zoom=2.5&cx=0.4&cy=0.6/);
  const before = await page.evaluate(() => window.hfrec.state());
  await context.close();

  const second = await openPage(env.browser, link);
  assert.ok(second.ok);
  await second.page.waitForFunction(() => {
    const s = window.hfrec.state();
    return s.clusters && !s.clusterJob.running && s.clusters.focus === 2;
  }, null, { timeout: 60000 });
  const st = await second.page.evaluate(() => window.hfrec.state());
  assert.equal(st.view, 'clusters');
  assert.equal(st.query, 'gpt2');
  assert.equal(st.clusters.algorithm, 'kmeans');
  assert.equal(st.clusters.features, 'soup');
  assert.equal(st.clusters.k, 5);
  assert.equal(st.clusters.params.seed, 3);
  assert.deepEqual(st.clusters.sizes, before.clusters.sizes);
  assert.deepEqual(st.map, before.map);
  assert.deepEqual(st.results.map((x) => x.modelId), before.results.map((x) => x.modelId));
  await settle(second.page);
  const shot = await screenshot(second.page, 'clusters-restored');
  assert.ok(shot.colours > 300);
  assert.deepEqual(second.errors, []);
  assert.deepEqual(errors, []);
  await second.context.close();
});

test('bad cluster parameters are refused with a message and change nothing', async () => {
  const { context, page, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  const a = await page.evaluate(() => window.hfrec.cluster({ algo: 'optics' }));
  assert.deepEqual(a, { ok: false, error: 'cluster.algo: unknown algorithm "optics" (kmeans, ward, dbscan)' });
  const b = await page.evaluate(() => window.hfrec.set({ view: 'clusters', cluster: { eps: -1 } }));
  assert.deepEqual(b, { ok: false, error: 'cluster.eps: must be a number in (0, 1000], got -1' });
  const st = await page.evaluate(() => window.hfrec.state());
  assert.equal(st.view, 'results');
  assert.equal(st.clusters, null);
  await context.close();
});

test('the elbow: metrics for k = 2..12, a row of its table runs k-means with that k', async () => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  await page.evaluate(() => window.hfrec.set({ view: 'clusters' }));
  await waitIdle(page);
  const r = await page.evaluate(() => window.hfrec.elbow({ features: 'attributes' }));
  assert.ok(r.ok, r.error);
  assert.deepEqual(r.elbow.map((e) => e.k), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.ok(r.elbow[0].inertia > r.elbow[10].inertia, 'inertia falls with k');
  assert.ok(r.elbow.every((e) => e.silhouette > -1 && e.silhouette <= 1 && e.davies_bouldin > 0 && e.calinski_harabasz > 0));
  await settle(page);
  const row = await byName(page, '5##elbowk');
  assert.ok(row, 'the elbow table row k = 5 is in widgets()');
  await page.mouse.move(row.cx, row.cy);
  await settle(page);
  await page.mouse.click(row.cx, row.cy);
  await page.waitForFunction(() => {
    const s = window.hfrec.state();
    return s.clusters && !s.clusterJob.running && s.clusters.k === 5;
  }, null, { timeout: 60000 });
  const st = await page.evaluate(() => window.hfrec.state());
  assert.equal(st.clusters.algorithm, 'kmeans');
  assert.equal(st.clusters.elbow.length, 11);
  await settle(page);
  const shot = await screenshot(page, 'clusters-elbow');
  assert.ok(shot.colours > 300);
  assert.deepEqual(errors, []);
  await context.close();
});
