// End-to-end tests of forgiving links and search: a link keeps its valid parameters and names the
// rest, a model id in other letter case opens, a missing one gets "did you mean", the search box
// takes Hub URLs and offers the nearest model when nothing matches; a link to a long clustering
// waits for Run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clickWidget, openPage, settle, state, useBrowser, widget } from './helpers.mjs';

let app;  // {context, page, errors}: a page for the search tests
const env = useBrowser(async ({ browser, server }) => {
  app = await openPage(browser, server.url);
});

// Opens a fresh page at the server's URL with this hash; returns {page, s, hash, srError, close}.
async function openLink(hash) {
  const other = await openPage(env.browser, `${env.server.url}${hash}`);
  assert.equal(other.ok, true, 'window.hfrec.ready resolved true');
  await settle(other.page);
  return {
    page: other.page,
    s: await state(other.page),
    hash: await other.page.evaluate(() => location.hash),
    srError: await other.page.evaluate(() => document.getElementById('sr-error').textContent),
    errors: other.errors,
    close: () => other.context.close(),
  };
}

test('a link with a bad k and method keeps its model and names what it left out', async () => {
  const o = await openLink('#model=bert-base-uncased&method=magic&k=5000');
  assert.equal(o.s.query, 'bert-base-uncased');
  assert.equal(o.s.method, 'hybrid');  // the default: the link's method was rejected
  assert.equal(o.s.k, 10);
  assert.equal(o.s.results.length, 10);
  assert.equal(o.s.error, '');
  assert.match(o.s.notice, /method=magic is not a method/);
  assert.match(o.s.notice, /k=5000 is above the limit 100; kept the rest of the link\.$/);
  assert.deepEqual(o.s.link.problems.map((p) => [p.key, p.value]), [['method', 'magic'], ['k', '5000']]);
  assert.ok(o.hash.startsWith('#model=bert-base-uncased&method=hybrid&k=10'), o.hash);
  assert.match(o.srError, /k=5000 is above the limit 100/, 'the screen-reader mirror says it too');
  assert.deepEqual(o.errors, []);
  await o.close();
});

test('a model id in other letter case opens, with a notice', async () => {
  const o = await openLink('#model=BERT-base-uncased&k=5');
  assert.equal(o.s.query, 'bert-base-uncased');
  assert.equal(o.s.results.length, 5);
  assert.match(o.s.notice, /The link's model 'BERT-base-uncased' is not in catalogue .*; opened 'bert-base-uncased'/);
  assert.ok(o.hash.startsWith('#model=bert-base-uncased&'), o.hash);
  await o.close();
});

test('a missing model suggests the nearest, and the suggestion opens it', async () => {
  const o = await openLink('#model=bert-base-uncasd&k=5');
  assert.equal(o.s.query, '');
  assert.equal(o.s.k, 5, 'the rest of the link applies');
  assert.match(o.s.error, /The link's model 'bert-base-uncasd' is not in catalogue .*; did you mean 'bert-base-uncased'\?$/);
  assert.equal(o.s.link.suggestion, 'bert-base-uncased');
  await clickWidget(o.page, 'Open bert-base-uncased');
  const s = await state(o.page);
  assert.equal(s.query, 'bert-base-uncased');
  assert.equal(s.error, '');
  assert.equal(s.results.length, 5);
  await o.close();
});

// Clears the search box and types text into it.
async function typeSearch(page, text) {
  await clickWidget(page, '##search', 'name');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await settle(page);
  await page.keyboard.type(text);
  await page.waitForFunction((t) => window.hfrec.state().search.text === t, text);
  await settle(page);
}

test('the search box takes a Hub URL and Enter opens its model', async () => {
  const { page } = app;
  await typeSearch(page, 'https://huggingface.co/gpt2/tree/main');
  let s = await state(page);
  assert.equal(s.search.query, 'gpt2');
  assert.equal(s.search.hits[0].modelId, 'gpt2');
  assert.equal(s.search.hits[0].kind, 'exact');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.hfrec.state().query === 'gpt2');

  await typeSearch(page, 'hf.co/facebook/bart-large-cnn?library=transformers');
  s = await state(page);
  assert.equal(s.search.query, 'facebook/bart-large-cnn');
  assert.equal(s.search.hits[0].modelId, 'facebook/bart-large-cnn');
  assert.deepEqual(app.errors, []);
});

test('a search with no match offers the nearest model', async () => {
  const { page } = app;
  await typeSearch(page, 'gtp2-medium');
  const s = await state(page);
  assert.equal(s.search.count, 0);
  assert.equal(s.search.suggestion, 'gpt2-medium');
  await clickWidget(page, 'Did you mean gpt2-medium?');
  await page.waitForFunction(() => window.hfrec.state().query === 'gpt2-medium');
  assert.deepEqual(app.errors, []);
});

// Issue 16, item 5: a link alone never sets a long clustering going. k-means with k = 2000 on
// tf-idf (minutes of work) waits with a message in the cluster view; the Run button starts it.
test('a link to a long clustering waits for Run instead of starting it', async (t) => {
  const o = await openLink('#view=clusters&algo=kmeans&features=tfidf&ck=2000');
  try {
    if (o.s.catalogue.rows < 10000) {
      t.skip(`needs the 10k catalogue as the default (this build has ${o.s.catalogue.rows} rows)`);
      return;
    }
    assert.equal(o.s.view, 'clusters');
    assert.equal(o.s.clusterJob.running, false);
    assert.equal(o.s.clusters, null);
    assert.match(o.s.clusterHeld,
      /^This clustering \(kmeans on tfidf, k = 2000\) would take about \d+ s or more, so it waits: press Run to start it\.$/);
    // Press Run (not clickWidget: it waits for the page to go idle, and this job runs for minutes).
    const run = await widget(o.page, 'Run');
    assert.ok(run, 'the Run button');
    await o.page.mouse.move(run.cx, run.cy);
    await o.page.mouse.click(run.cx, run.cy);
    await o.page.waitForFunction(() => window.hfrec.state().clusterJob.running);
    const s = await state(o.page);
    assert.equal(s.clusterHeld, '');
    assert.equal(s.clusterJob.running, true);
    await o.page.evaluate(() => window.hfrec.cancel());
    await o.page.waitForFunction(() => !window.hfrec.state().clusterJob.running);
    assert.deepEqual(o.errors, []);
  } finally {
    await o.close();
  }
});
