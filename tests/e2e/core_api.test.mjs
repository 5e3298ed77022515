// window.hfrec.core(): the npm package's Catalogue (wasm/pkg/catalogue.js) over the catalogue the
// app's page shows, through the package's exports linked into the app's module (issue 14: one
// binding). Its answers equal the app's own lists and the CLI's rows, every method; the page
// fetches no second module; another load gives a new Catalogue while the old one still answers
// for its catalogue until disposed. Waits on the app's state, never on a clock.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { dist, openPage, settle, state, useBrowser } from './helpers.mjs';

const METHODS = ['jaccard', 'cosine', 'tfidf', 'knn', 'kmeans', 'hybrid'];
const inCi = process.env.CI === 'true';
let app;  // {context, page, errors}
const requests = [];
useBrowser(async ({ browser, server }) => {
  app = await openPage(browser, server.url, {
    setup: async (context) => context.on('request', (r) => requests.push(new URL(r.url()).pathname)),
  });
});

test('core() is the package API over the page catalogue, in the page module', async () => {
  const { page } = app;
  assert.equal(app.ok, true, 'window.hfrec.ready resolved true');
  const s = await state(page);
  const info = await page.evaluate(async () => {
    const cat = await window.hfrec.core();
    const again = await window.hfrec.core();
    return {
      same: cat === again,
      ctor: cat.constructor.name,
      name: cat.name,
      stats: cat.stats(),
      hit: cat.search('gpt2', 1)[0],
    };
  });
  assert.equal(info.same, true, 'the same Catalogue while the catalogue stays');
  assert.equal(info.ctor, 'Catalogue');
  assert.equal(info.name, s.catalogue.name);
  assert.equal(info.stats.rows, s.catalogue.rows);
  assert.equal(info.hit.modelId, 'gpt2');
  // One module: the page loaded the package's JavaScript, never the package's own WebAssembly.
  assert.ok(requests.some((p) => p.endsWith('/catalogue.js')), `catalogue.js was loaded: ${requests.join(' ')}`);
  assert.ok(!requests.some((p) => p.includes('hfrec-core')), `no hfrec-core module fetched: ${requests.join(' ')}`);
  assert.deepEqual(app.errors, []);
});

test('core() answers as the app lists and as the CLI, every method', async (t) => {
  const { page } = app;
  const model = 'bert-base-uncased';
  assert.equal((await page.evaluate((m) => window.hfrec.select(m), model)).ok, true);
  const cli = process.env.HFREC_CLI;
  const catalogue = ['catalogue.csv', 'catalogue.json'].map((f) => path.join(dist, f)).find((f) => fs.existsSync(f));
  let native = null;
  if (cli && fs.existsSync(cli)) {
    native = {};
    for (const method of METHODS) {
      const r = spawnSync(cli, ['recommend', '--catalogue', catalogue, '--model', model, '--method', method, '-k', '10'],
        { encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.equal(r.status, 0, r.stderr);
      native[method] = JSON.parse(r.stdout.trim().split('\n')[0]).results;
    }
  } else if (inCi) {
    assert.fail('HFREC_CLI is not set to the native hfrec binary; under CI=true the CLI comparison must run');
  } else {
    t.diagnostic('HFREC_CLI is not set: compared with the app only');
  }
  for (const method of METHODS) {
    assert.equal((await page.evaluate((m) => window.hfrec.set({ method: m, k: 10 }), method)).ok, true);
    await settle(page);
    const appRows = (await state(page)).results;
    const coreRows = await page.evaluate(async ([m, q]) => (await window.hfrec.core()).recommend(q, { method: m, k: 10 }),
      [method, model]);
    assert.deepEqual(coreRows.map((r) => r.modelId), appRows.map((r) => r.modelId), `${method}: the app's list`);
    coreRows.forEach((r, i) => assert.ok(Math.abs(r.score - appRows[i].score) <= 1e-12, `${method} #${i + 1} score`));
    if (!native) continue;
    const cliRows = native[method];
    assert.deepEqual(coreRows.map((r) => r.modelId), cliRows.map((r) => r.modelId), `${method}: the CLI's list`);
    cliRows.forEach((c, i) => {
      const p = coreRows[i];
      assert.ok(Math.abs(p.score - c.score) <= 1e-9, `${method} #${i + 1}: ${p.score} vs ${c.score}`);
      assert.equal(p.why, c.why, `${method} #${i + 1}: why`);
      assert.deepEqual(p.shared, c.shared, `${method} #${i + 1}: shared`);
      assert.deepEqual(p.lineage, c.lineage ?? null, `${method} #${i + 1}: lineage`);
    });
  }
  await page.evaluate(() => window.hfrec.set({ method: 'hybrid' }));
});

test('errors are the package errors, with their codes', async () => {
  const out = await app.page.evaluate(async () => {
    const cat = await window.hfrec.core();
    const code = (f) => { try { f(); return null; } catch (e) { return [e.name, e.code]; } };
    return {
      unknown: code(() => cat.recommend('no/such-model')),
      method: code(() => cat.recommend('gpt2', { method: 'magic' })),
      key: code(() => cat.recommend('gpt2', { mehtod: 'cosine' })),
    };
  });
  assert.deepEqual(out, {
    unknown: ['HfrecError', 'E_UNKNOWN_MODEL'], method: ['HfrecError', 'E_BAD_ARGUMENT'], key: ['HfrecError', 'E_BAD_ARGUMENT'],
  });
});

test('another load gives a new Catalogue; the old one answers for its catalogue until disposed', async () => {
  const { page } = app;
  const out = await page.evaluate(async () => {
    const before = await window.hfrec.core();
    const rowsBefore = before.stats().rows;
    const csv = 'modelId,pipeline_tag,downloads\norg/one,fill-mask,1\norg/two,fill-mask,2\norg/three,translation,3\n';
    const r = await window.hfrec.loadCatalogue(new TextEncoder().encode(csv), 'three.csv');
    const after = await window.hfrec.core();
    const res = {
      loaded: r.ok, rowsBefore, oldRows: before.stats().rows, newRows: after.stats().rows,
      differ: before !== after, newName: after.name, nearest: after.recommend('org/one', { method: 'jaccard', k: 1 })[0].modelId,
    };
    before.dispose();
    try { before.stats(); res.afterDispose = 'answered'; } catch (e) { res.afterDispose = e.code; }
    res.newStill = after.stats().rows;
    return res;
  });
  assert.equal(out.loaded, true);
  assert.equal(out.differ, true);
  assert.equal(out.oldRows, out.rowsBefore, 'the old Catalogue keeps its catalogue');
  assert.equal(out.newRows, 3);
  assert.equal(out.newName, 'three.csv');
  assert.equal(out.nearest, 'org/two');
  assert.equal(out.afterDispose, 'E_DISPOSED');
  assert.equal(out.newStill, 3, 'disposing the old one leaves the page catalogue');
  assert.equal((await state(page)).catalogue.rows, 3, 'the app shows the new catalogue');
  assert.deepEqual(app.errors, []);
});
