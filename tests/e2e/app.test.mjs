// End-to-end tests of the browser app in headless Chromium: loading, search, parity with the CLI,
// drop, bad files, share links, history, real widget clicks and screenshots of each view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { clickWidget, dist, openPage, screenshot, settle, state, useBrowser } from './helpers.mjs';

let app;  // {context, page, errors}
const env = useBrowser(async ({ browser, server }) => {
  app = await openPage(browser, server.url);
});

test('the page loads with the default catalogue and no console errors', async () => {
  assert.equal(app.ok, true, 'window.hfrec.ready resolved true');
  const s = await state(app.page);
  assert.ok(s.catalogue && s.catalogue.rows > 0, 'a catalogue is loaded');
  assert.equal(s.error, '');
  assert.deepEqual(s.methods.slice(0, 5), ['jaccard', 'cosine', 'tfidf', 'knn', 'kmeans']);
  await settle(app.page);
  const shot = await screenshot(app.page, 'empty-state');
  assert.ok(shot.colours > 50, `screenshot is not blank (${shot.colours} colours)`);
  assert.deepEqual(app.errors, []);
});

test('an idle page draws no frames', async () => {
  await settle(app.page);
  // Idle means nothing is scheduled: ten animation frames of the browser's later, none was drawn.
  const [a, b, idle] = await app.page.evaluate(async () => {
    const before = window.hfrec.frames();
    for (let i = 0; i < 10; i++) await new Promise((r) => requestAnimationFrame(r));
    return [before, window.hfrec.frames(), window.hfrec.idle()];
  });
  assert.equal(b, a);
  assert.ok(idle);
});

test('typing in the search box and pressing Enter selects the model', async () => {
  const { page } = app;
  const s0 = await state(page);
  const target = s0.catalogue.rows >= 1000 ? 'bert-base-uncased' : 'bert-base-uncased';
  await clickWidget(page, '##search', 'name');
  await page.keyboard.type(target.slice(0, 13));
  // The hits for the whole typed text (a shorter prefix's hits may hold the target too, ranked lower).
  await page.waitForFunction(({ t, typed }) => {
    const st = window.hfrec.state();
    return st.search.text === typed && st.search.hits.some((h) => h.modelId === t);
  }, { t: target, typed: target.slice(0, 13) });
  const s1 = await state(page);
  assert.ok(s1.search.count >= 1);
  // Arrow keys move the cursor; the exact/prefix match comes first.
  assert.equal(s1.search.hits[0].modelId, target);
  // Enter's keydown and keyup in the same task, so both reach the app before its next frame: the
  // press must not be lost (ImGui 1.86 samples keys once a frame).
  await page.evaluate(() => {
    for (const type of ['keydown', 'keyup']) {
      const e = new KeyboardEvent(type, { key: 'Enter', code: 'Enter', bubbles: true });
      Object.defineProperty(e, 'keyCode', { get: () => 13 });
      Object.defineProperty(e, 'which', { get: () => 13 });
      window.dispatchEvent(e);
    }
  });
  await page.waitForFunction((t) => window.hfrec.state().query === t, target);
  const s2 = await state(page);
  assert.equal(s2.results.length, s2.k);
  await settle(page);
  const shot = await screenshot(page, 'results');
  assert.ok(shot.colours > 50);
});

test('typing a name and pressing Enter at once selects the best match for the whole text', async () => {
  const { page } = app;
  await clickWidget(page, '##search', 'name');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await settle(page);
  // No waiting between the last character and Enter: the search must see all of the text first.
  await page.keyboard.type('gpt2');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.hfrec.state().query === 'gpt2');
  assert.equal((await state(page)).search.hits[0].modelId, 'gpt2');
});

test('results equal the CLI for every method', async (t) => {
  const cli = process.env.HFREC_CLI;
  if (!cli || !fs.existsSync(cli)) {
    t.skip('HFREC_CLI is not set to the native hfrec binary: CLI parity not checked');
    return;
  }
  const { page } = app;
  const catalogue = ['catalogue.csv', 'catalogue.json'].map((f) => path.join(dist, f)).find((f) => fs.existsSync(f));
  const model = 'bert-base-uncased';
  assert.equal((await page.evaluate((m) => window.hfrec.select(m), model)).ok, true);
  for (const method of ['jaccard', 'cosine', 'tfidf', 'knn', 'kmeans', 'hybrid']) {
    const r = await page.evaluate((m) => window.hfrec.set({ method: m, k: 10 }), method);
    assert.equal(r.ok, true, r.error);
    const web = (await state(page)).results;
    const out = execFileSync(cli, ['recommend', '--catalogue', catalogue, '--model', model, '--method', method,
      '--k', '10', '--format', 'jsonl'], { encoding: 'utf8' });
    const native = JSON.parse(out.trim().split('\n')[0]).results;
    assert.deepEqual(web.map((x) => x.modelId), native.map((x) => x.modelId), `${method}: same models in the same order`);
    web.forEach((x, i) => assert.ok(Math.abs(x.score - native[i].score) <= 1e-9, `${method} #${i + 1}: ${x.score} vs ${native[i].score}`));
  }
  await page.evaluate(() => window.hfrec.set({ method: 'cosine' }));
});

test('compare two methods side by side with the overlap counted', async () => {
  const { page } = app;
  await page.evaluate(() => window.hfrec.select('bert-base-uncased'));
  const r = await page.evaluate(() => window.hfrec.set({ method: 'cosine', compare: 'jaccard', k: 10 }));
  assert.equal(r.ok, true);
  const s = await state(page);
  const a = new Set(s.results.map((x) => x.modelId));
  const both = s.compareResults.filter((x) => a.has(x.modelId)).length;
  assert.equal(s.overlap, both);
  assert.equal(s.results.filter((x) => x.inBoth).length, both);
  await settle(page);
  const shot = await screenshot(page, 'compare');
  assert.ok(shot.colours > 50);
  await page.evaluate(() => window.hfrec.set({ compare: '' }));
});

test('clicking real widgets: a result row becomes the query, Back returns', async () => {
  const { page } = app;
  await page.evaluate(() => window.hfrec.select('gpt2'));
  await settle(page);
  const first = (await state(page)).results[0].modelId;
  await clickWidget(page, first);
  assert.equal((await state(page)).query, first);
  await clickWidget(page, '◀ Back');
  await page.waitForFunction(() => window.hfrec.state().query === 'gpt2');
});

test('browser back/forward step through the models visited', async () => {
  const { page } = app;
  await page.evaluate(() => window.hfrec.select('roberta-base'));
  await page.evaluate(() => window.hfrec.select('distilbert-base-uncased'));
  await page.goBack();
  await page.waitForFunction(() => window.hfrec.state().query === 'roberta-base');
  await page.goForward();
  await page.waitForFunction(() => window.hfrec.state().query === 'distilbert-base-uncased');
});

test('the screen-reader table mirrors the results as text', async () => {
  const { page } = app;
  const s = await state(page);
  const rows = await page.evaluate(() => Array.from(document.querySelectorAll('#sr-results tbody tr'))
    .map((tr) => tr.children[1].textContent));
  assert.deepEqual(rows, s.results.map((x) => x.modelId));
});

test('a share link opened in a new page restores the view', async () => {
  const { page } = app;
  await page.evaluate(() => window.hfrec.select('facebook/bart-large-cnn'));
  await page.evaluate(() => window.hfrec.set({ method: 'tfidf', k: 7, compare: 'jaccard', filters: { libraries: ['transformers'] } }));
  const link = await page.evaluate(() => window.hfrec.shareLink());
  assert.match(link, /#model=facebook\/bart-large-cnn&method=tfidf&k=7&library=transformers&compare=jaccard/);
  const want = await state(page);
  const other = await openPage(env.browser, link);
  const got = await state(other.page);
  for (const key of ['query', 'method', 'k', 'compare', 'filters', 'view']) assert.deepEqual(got[key], want[key], key);
  assert.deepEqual(got.results.map((x) => x.modelId), want.results.map((x) => x.modelId));
  assert.equal(got.error, '');
  await other.context.close();
  await page.evaluate(() => window.hfrec.set({ compare: '', filters: {} }));
});

test('a hostile link shows an error, runs nothing and keeps the app working', async () => {
  const bad = `${env.server.url}#model=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&src=javascript:alert(1)`;
  const other = await openPage(env.browser, bad);
  let dialog = false;
  other.page.on('dialog', () => { dialog = true; });
  const s = await state(other.page);
  assert.ok(s.catalogue.rows > 0, 'the default catalogue loaded');
  assert.match(s.error, /parameter 'src'/);
  const text = await other.page.evaluate(() => document.getElementById('sr-error').textContent);
  assert.match(text, /javascript:alert/);
  assert.equal(await other.page.evaluate(() => document.querySelectorAll('img').length), 0);
  assert.equal(dialog, false);
  await other.context.close();
});

test('a Hub JSON catalogue loads in slices and gives recommendations', async () => {
  const other = await openPage(env.browser, env.server.url);
  // 30,000 list-models objects: large enough to take many slices, drawn meanwhile.
  const r = await other.page.evaluate(async () => {
    const items = [];
    for (let i = 0; i < 30000; ++i) {
      items.push({ id: `org${i % 50}/model-${i}`, pipeline_tag: ['fill-mask', 'text-classification'][i % 2],
        tags: ['pytorch', `t${i % 13}`], library_name: 'transformers', downloads: i,
        config: { architectures: [`Arch${i % 5}`], model_type: `type${i % 5}` }, cardData: { datasets: `d${i % 9}` } });
    }
    const before = window.hfrec.frames();
    const loaded = await window.hfrec.loadCatalogue(JSON.stringify(items), 'models.json');
    return { loaded, frames: window.hfrec.frames() - before, s: window.hfrec.state() };
  });
  assert.equal(r.loaded.ok, true, r.loaded.error);
  assert.equal(r.loaded.rows, 30000);
  assert.equal(r.s.catalogue.format, 'json');
  assert.ok(r.frames >= 1, 'the page drew while the JSON loaded');
  const sel = await other.page.evaluate(() => window.hfrec.select('org7/model-107'));
  assert.equal(sel.ok, true, sel.error);
  // Hybrid (the default) over 30,000 rows waits for its model, built in slices after the load.
  const first = await state(other.page);
  assert.equal(first.method, 'hybrid');
  assert.ok(first.results.length === 10 || first.preparing?.stage, `a list or what it waits for: ${JSON.stringify(first.preparing)}`);
  await other.page.waitForFunction(() => window.hfrec.state().results.length === 10);
  assert.equal((await state(other.page)).preparing, null);
  const results = (await state(other.page)).results;
  assert.equal(results.length, 10);
  assert.ok(results.every((x) => x.score > 0));
  assert.deepEqual(other.errors, []);
  await other.context.close();
});

test('a CSV dropped on the page replaces the catalogue; a bad file keeps it', async () => {
  const { page } = app;
  const csv = fs.readFileSync(path.resolve(dist, '../web/catalogue.csv'), 'utf8');
  const drop = async (name, content) => {
    await page.evaluate(async ({ name, content }) => {
      const dt = new DataTransfer();
      const bytes = typeof content === 'string' ? content : new Uint8Array(content);
      dt.items.add(new File([bytes], name, { type: 'text/csv' }));
      const canvas = document.getElementById('canvas');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        canvas.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    }, { name, content });
  };
  await drop('dropped.csv', csv);
  await page.waitForFunction(() => window.hfrec.state().catalogue.name === 'dropped.csv' && !window.hfrec.state().busy);
  const s = await state(page);
  assert.equal(s.catalogue.rows, csv.trim().split('\n').length - 1);
  assert.equal(s.error, '');
  await settle(page);
  await screenshot(page, 'dropped-catalogue');

  // A PNG named .csv: an error saying what is wrong, and the dropped catalogue stays.
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3];
  await drop('picture.csv', png);
  await page.waitForFunction(() => window.hfrec.state().error !== '' && !window.hfrec.state().busy);
  const s2 = await state(page);
  assert.match(s2.error, /picture\.csv/);
  assert.equal(s2.catalogue.name, 'dropped.csv');
  assert.equal(s2.catalogue.rows, s.catalogue.rows);
  await settle(page);
  const shot = await screenshot(page, 'load-error');
  assert.ok(shot.colours > 50);

  const r = await page.evaluate(() => window.hfrec.loadCatalogue('modelId\n', 'header-only.csv'));
  assert.equal(r.ok, false);
  assert.equal((await state(page)).catalogue.name, 'dropped.csv');
  assert.deepEqual(app.errors, []);
});
