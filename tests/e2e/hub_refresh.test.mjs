// End-to-end tests of the long-fetch parts of Load from the Hub (web/hub.js) against the mock Hub
// (tests/mock_hub): what was fetched is loaded while paging goes on (the view kept), Refresh merges
// the models changed since the cache (tested with the mock's touch()), and an unfinished fetch is
// saved in IndexedDB and resumed after a reload. Paging is stopped at known pages by the mock's
// hold(page); every wait is on state, never on a clock. Oracles are the mock's listing fetched by
// Node and loaded as it is. Never the internet.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { clickWidget, openPage, state, useBrowser } from './helpers.mjs';
import { startMockHub } from '../mock_hub/server.mjs';

let hub;   // the mock
let app;   // {context, page, errors}
const env = useBrowser(async ({ browser, server }) => {
  hub = await startMockHub({});
  const u = new URL(server.url);
  u.searchParams.set('hub', hub.url);
  app = await openPage(browser, u.href);
});
after(async () => { await hub?.close(); });

const N = () => hub.models.length;  // 10k from ../shared/data, else web/catalogue.csv's 55
const FIELDS = ['author', 'cardData', 'config', 'downloads', 'lastModified', 'library_name', 'pipeline_tag', 'tags', 'likes',
  'createdAt'];

// The first n models (all when 0) the mock lists now by `sort`, paged by Node: an array of objects.
async function direct(sort, n = 0) {
  const all = [];
  let url = `${hub.url}/api/models?sort=${sort}&direction=-1&limit=1000${FIELDS.map((f) => `&expand%5B%5D=${f}`).join('')}`;
  while (url && (!n || all.length < n)) {
    const r = await fetch(url);
    all.push(...(await r.json()));
    url = /<([^>]*)>;\s*rel="next"/.exec(r.headers.get('link') || '')?.[1] || '';
  }
  return n ? all.slice(0, n) : all;
}

// The rows of the catalogue cached for `query`, read from the page's IndexedDB directly.
async function cachedRows(page, query) {
  const text = await page.evaluate(async (q) => {
    const d = await new Promise((res, rej) => {
      const r = indexedDB.open('hfrec-hub');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const all = await new Promise((res, rej) => {
      const g = d.transaction('catalogues').objectStore('catalogues').getAll();
      g.onsuccess = () => res(g.result);
      g.onerror = () => rej(g.error);
    });
    d.close();
    const e = all.find((x) => x.query === q);
    return e ? e.blob.text() : 'null';
  }, query);
  return JSON.parse(text);
}

// The results the app shows for each id now, with the view's other settings as they are.
async function recommendations(page, ids) {
  const out = {};
  for (const id of ids) {
    await page.evaluate((m) => window.hfrec.select(m), id);
    const s = await state(page);
    assert.equal(s.query, id);
    out[id] = s.results.map((r) => [r.modelId, r.score.toFixed(6)]);
  }
  return out;
}

// Loads the mock's own listing, as fetched by Node, straight into the app.
async function loadDirect(page, rows) {
  const r = await page.evaluate((text) => window.hfrec.loadCatalogue(text, 'direct.json'), JSON.stringify(rows));
  assert.equal(r.ok, true, r.error);
  assert.equal(r.rows, rows.length);
}

test('what was fetched is loaded while paging goes on, and the view survives each of those loads', async () => {
  const { page } = app;
  if (N() < 6000) return;  // needs several pages
  await page.evaluate(() => window.hfrec.clearCache());
  hub.hold(3);
  hub.hold(5);
  try {
    const done = page.evaluate(() => window.hfrec.fetchHub({ sort: 'downloads', n: 6000, consent: true }));
    done.catch(() => {});  // awaited below; a failed check ends the test first
    // Paging waits at page 3 with 2,000 fetched: loaded after page 1, then at twice 1,000.
    await page.waitForFunction(() => {
      const s = window.hfrec.state();
      return s.fetch.running && s.fetch.loadedRows === 2000 && s.catalogue.rows === 2000;
    });
    await hub.whenHeld(3);
    assert.deepEqual(hub.held, [3]);
    let s = await state(page);
    assert.equal(s.fetch.rows, 2000);
    assert.match(s.catalogue.name, /\(2,000 fetched\)$/);
    // The progress bar is the fetch's again once the load is in, with the time left to 6,000 at
    // this run's pace (its value is the clock's; only its presence is checked).
    await page.waitForFunction(() => /^Hub: 2,000 models/.test(window.hfrec.state().stage || ''));
    assert.equal((await state(page)).busy, true);
    const eta = (await state(page)).fetch.etaSeconds;
    assert.ok(Number.isInteger(eta) && eta >= 0, `etaSeconds ${eta}`);
    assert.match((await state(page)).stage, /^Hub: 2,000 models, [\d.]+ MB, 2 pages — about [\d.]+ (s|min|h) left$/);
    // A person searches and sets a view on the part fetched.
    await page.evaluate(() => window.hfrec.select('bert-base-uncased'));
    assert.equal((await page.evaluate(() => window.hfrec.set({ method: 'cosine', filters: { libraries: ['transformers'] } }))).ok, true);
    s = await state(page);
    const view = { query: s.query, method: s.method, filters: s.filters, k: s.k };
    assert.deepEqual(view.query, 'bert-base-uncased');
    // The link's view (everything but the catalogue's name and size) stays as it is.
    const viewHash = () => page.evaluate(() => location.hash.slice(1).split('&').filter((x) => !/^(cat|rows)=/.test(x)).join('&'));
    const hash = await viewHash();
    assert.match(hash, /^model=bert-base-uncased&method=cosine&.*library=transformers/);
    const at2000 = (await recommendations(page, ['bert-base-uncased']))['bert-base-uncased'];
    assert.ok(at2000.length > 0);
    // Pages 3 and 4: 4,000 fetched, loaded again (twice 2,000) while page 5 waits.
    hub.release(3);
    await page.waitForFunction(() => {
      const x = window.hfrec.state();
      return x.fetch.running && x.fetch.loadedRows === 4000 && x.catalogue.rows === 4000;
    });
    await hub.whenHeld(5);
    assert.deepEqual(hub.held, [5]);
    s = await state(page);
    assert.deepEqual({ query: s.query, method: s.method, filters: s.filters, k: s.k }, view, 'the view survives the partial load');
    assert.equal(await viewHash(), hash);
    const at4000 = s.results.map((r) => [r.modelId, r.score.toFixed(6)]);
    hub.release(5);
    const r = await done;
    assert.equal(r.ok, true, r.error);
    assert.equal(r.rows, 6000);
    s = await state(page);
    assert.equal(s.fetch.loadedRows, 6000);
    assert.equal(s.fetch.etaSeconds, null, 'no time left once done');
    assert.equal(s.catalogue.rows, 6000);
    assert.deepEqual({ query: s.query, method: s.method, filters: s.filters, k: s.k }, view);
    // The oracle: the first 2,000 and 4,000 models of the listing, fetched by Node and loaded.
    const rows = await direct('downloads', 4000);
    await loadDirect(page, rows.slice(0, 2000));
    assert.deepEqual((await recommendations(page, ['bert-base-uncased']))['bert-base-uncased'], at2000);
    await loadDirect(page, rows);
    assert.deepEqual((await recommendations(page, ['bert-base-uncased']))['bert-base-uncased'], at4000);
  } finally {
    hub.release();
  }
});

test('a #src=hub: link\'s view is restored by the first partial load that has its model, and kept', async () => {
  if (N() < 6000) return;
  const u = new URL(app.page.url());
  u.hash = 'src=hub:sort=downloads&n=6000&model=gpt2&method=tfidf&k=7';
  hub.hold(3);
  const other = await openPage(env.browser, u.href);
  const { page } = other;
  try {
    await page.waitForFunction(() => document.getElementById('hub-dialog').open);
    await page.click('#hub-fetch');
    // Paging waits at page 3; the 2,000 models loaded so far have gpt2 (the mock's 4th by downloads).
    await page.waitForFunction(() => {
      const s = window.hfrec.state();
      return s.fetch.running && s.fetch.loadedRows === 2000 && s.query === 'gpt2';
    });
    let s = await state(page);
    assert.deepEqual([s.method, s.k, s.results.length], ['tfidf', 7, 7]);
    // The person changes k during the fetch; the rest of the fetch keeps it.
    assert.equal((await page.evaluate(() => window.hfrec.set({ k: 5 }))).ok, true);
    hub.release(3);
    await page.waitForFunction(() => {
      const x = window.hfrec.state();
      return !x.fetch.running && x.catalogue.rows === 6000 && !x.busy;
    });
    s = await state(page);
    assert.deepEqual([s.query, s.method, s.k, s.results.length], ['gpt2', 'tfidf', 5, 5]);
  } finally {
    hub.release();
    await other.context.close();
  }
});

test('Refresh fetches only what changed since the cache and merges it into the listing as it is now', async () => {
  const { page } = app;
  await page.evaluate(() => window.hfrec.clearCache());
  const none = await page.evaluate(() => window.hfrec.refreshHub({ consent: true }));
  assert.deepEqual(none, { ok: false, rows: 0, changed: 0, error: `Refresh: no cached Hub catalogue from ${hub.url}; fetch one first` });
  const r0 = await page.evaluate(() => window.hfrec.fetchHub({ sort: 'downloads', n: 0, consent: true }));
  assert.equal(r0.ok, true, r0.error);
  const before = (await page.evaluate(() => window.hfrec.cache())).entries.find((e) => e.query === 'sort=downloads&n=0');
  const touched = hub.touch(5);
  hub.requests.length = 0;
  const r = await page.evaluate(() => window.hfrec.refreshHub({ consent: true }));
  assert.equal(r.ok, true, r.error);
  assert.equal(r.rows, N());
  assert.equal(r.changed, 5);
  assert.deepEqual([...r.changedIds].sort(), [...touched].sort(), 'exactly the touched models changed');
  assert.deepEqual([r.replaced, r.added], [5, 0]);
  assert.deepEqual(hub.requests.map((q) => [q.query.sort, q.query.direction, q.page]), [['lastModified', '-1', 1]], 'one page, newest first');
  const after1 = (await page.evaluate(() => window.hfrec.cache())).entries.find((e) => e.query === 'sort=downloads&n=0');
  assert.equal(after1.rows, N());
  assert.ok(after1.cachedAt > before.cachedAt, 'cached with a new date');
  assert.equal((await state(page)).fetch.cachedAt, after1.cachedAt);
  // The cache now holds exactly the mock's current listing, and recommends as it does.
  const now = await direct('downloads');
  assert.deepEqual(await cachedRows(page, 'sort=downloads&n=0'), now);
  const ids = [touched[0], touched[1], 'gpt2'].filter((id) => now.some((m) => m.id === id));
  const viaRefresh = await recommendations(page, ids);
  await loadDirect(page, now);
  assert.deepEqual(await recommendations(page, ids), viaRefresh);

  // Nothing changed since: one page, nothing merged.
  const r2 = await page.evaluate(() => window.hfrec.refreshHub({ consent: true, query: 'sort=downloads&n=0' }));
  assert.equal(r2.ok, true, r2.error);
  assert.equal(r2.changed, 0);
});

test('Refresh of a top-n catalogue adds the models that rose into it and keeps n, ordered by its sort', async () => {
  const { page } = app;
  if (N() < 3000) return;
  await page.evaluate(() => window.hfrec.clearCache());
  const r0 = await page.evaluate(() => window.hfrec.fetchHub({ sort: 'likes', n: 2000, consent: true }));
  assert.equal(r0.ok, true, r0.error);
  const touched = hub.touch(60);  // likes + 1 and a new lastModified, mostly models outside the top 2,000
  // Changed: every model the mock has modified after the newest in the cached rows (earlier tests'
  // touches included when outside this top 2,000).
  const newest = Math.max(...(await cachedRows(page, 'sort=likes&n=2000')).map((m) => Date.parse(m.lastModified || '') || 0));
  const expected = hub.models.filter((m) => Date.parse(m.lastModified || '') > newest).map((m) => m.id);
  assert.ok(touched.every((id) => expected.includes(id)));
  const r = await page.evaluate(() => window.hfrec.refreshHub({ consent: true }));
  assert.equal(r.ok, true, r.error);
  assert.equal(r.rows, 2000);
  assert.deepEqual([...r.changedIds].sort(), expected.sort());
  assert.ok(r.added > 0, `some came from outside the top 2,000 (${JSON.stringify([r.replaced, r.added])})`);
  assert.deepEqual(await cachedRows(page, 'sort=likes&n=2000'), await direct('likes', 2000));
});

test('the dialog\'s Refresh button refreshes the cached copy it stands by', async () => {
  const { page } = app;
  const c = await page.evaluate(() => window.hfrec.cache());
  assert.deepEqual(c.entries.map((e) => e.query), ['sort=likes&n=2000']);
  hub.touch(2);
  await clickWidget(page, 'From Hub…');
  assert.equal(await page.textContent('.hub-cached-row .hub-refresh'), 'Refresh');
  hub.requests.length = 0;
  await page.click('.hub-cached-row .hub-refresh');
  await page.waitForFunction((at) => {
    const s = window.hfrec.state();
    return !s.fetch.running && s.fetch.cachedAt > at && !document.getElementById('hub-dialog').open;
  }, c.entries[0].cachedAt);
  assert.ok(hub.requests.every((q) => q.query.sort === 'lastModified'));
  assert.deepEqual(await cachedRows(page, 'sort=likes&n=2000'), await direct('likes', 2000));

  // refreshHub() without consent opens the dialog, sends nothing, and resolves after its Refresh.
  hub.touch(1);
  hub.requests.length = 0;
  const p = page.evaluate(() => window.hfrec.refreshHub());
  await page.waitForFunction(() => document.querySelector('#hub-dialog[open] .hub-refresh.primary'));
  assert.equal(hub.requests.length, 0, 'nothing sent before Refresh');
  await page.click('.hub-refresh.primary');
  const r = await p;
  assert.equal(r.ok, true, r.error);
  assert.equal(r.changed, 1);
  assert.equal(await page.evaluate(() => document.getElementById('hub-dialog').open), false);
});

test('a Refresh that fails says where and why and changes nothing; the next one catches up', async () => {
  const { page } = app;
  const before = (await page.evaluate(() => window.hfrec.cache())).entries.find((e) => e.query === 'sort=likes&n=2000');
  const rowsBefore = await cachedRows(page, 'sort=likes&n=2000');
  const touched = hub.touch(1);
  hub.setFaults([{ kind: 'status', status: 500, page: 1, times: 'always' }]);
  const r = await page.evaluate(() => window.hfrec.refreshHub({ consent: true, retry: { baseMs: 5 } }));
  hub.setFaults([]);
  assert.deepEqual(r, { ok: false, rows: 0, changed: 0,
    error: 'Refresh of sort=likes&n=2000 stopped after 0 changed models (0 pages): page 1: HTTP 500; gave up after 5 retries. The cached catalogue is unchanged; Refresh again to retry' });
  const s = await state(page);
  assert.equal(s.fetch.error, r.error);
  assert.equal(s.catalogue.rows, 2000, 'what was loaded stays');
  const after1 = (await page.evaluate(() => window.hfrec.cache())).entries.find((e) => e.query === 'sort=likes&n=2000');
  assert.equal(after1.cachedAt, before.cachedAt);
  assert.deepEqual(await cachedRows(page, 'sort=likes&n=2000'), rowsBefore);
  const r2 = await page.evaluate(() => window.hfrec.refreshHub({ consent: true }));
  assert.equal(r2.ok, true, r2.error);
  assert.ok(r2.changedIds.includes(touched[0]));
  assert.deepEqual(await cachedRows(page, 'sort=likes&n=2000'), await direct('likes', 2000));
});

test('an unfinished fetch is saved as it goes, offered after a reload, and resumed by fetchHub({resume:true})', async () => {
  const { page } = app;
  if (N() < 8000) return;
  await page.evaluate(() => window.hfrec.clearCache());
  hub.hold(7);
  try {
    await page.evaluate(() => { window.hfrec.fetchHub({ sort: 'downloads', n: 8000, consent: true }); });
    // Saved after page 5; page 6 fetched; page 7 waits.
    await page.waitForFunction(() => {
      const f = window.hfrec.state().fetch;
      return f.rows === 6000 && f.unfinished && f.unfinished.rows === 5000;
    });
    await hub.whenHeld(7);
    assert.deepEqual(hub.held, [7]);
    await page.reload();
  } finally {
    hub.release();
  }
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  await page.waitForFunction(() => window.hfrec.state().fetch.unfinished !== null);
  let s = await state(page);
  assert.deepEqual({ ...s.fetch.unfinished, savedAt: '' }, { query: 'sort=downloads&n=8000', rows: 5000, pages: 5, savedAt: '' });
  assert.equal(s.fetch.resumable, true);
  assert.equal(s.fetch.running, false);
  await clickWidget(page, 'From Hub…');
  assert.equal(await page.isVisible('#hub-resume'), true);
  assert.match(await page.textContent('#hub-resume'), /^Resume the fetch of sort=downloads, n=8000 \(5,000 models so far, saved \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
  await page.click('#hub-cancel');
  hub.requests.length = 0;
  const r = await page.evaluate(() => window.hfrec.fetchHub({ resume: true, consent: true }));
  assert.equal(r.ok, true, r.error);
  assert.equal(r.rows, 8000);
  assert.deepEqual(hub.requests.map((q) => q.page), [6, 7, 8], 'goes on from the saved cursor');
  s = await state(page);
  assert.equal(s.catalogue.rows, 8000);
  assert.equal(s.fetch.unfinished, null, 'a finished fetch clears the record');
  assert.equal(s.fetch.resumable, false);
  // The oracle: the first 8,000 of the listing fetched by Node.
  const ids = ['bert-base-uncased', 'gpt2'];
  const viaResume = await recommendations(page, ids);
  await loadDirect(page, await direct('downloads', 8000));
  assert.deepEqual(await recommendations(page, ids), viaResume);
  await page.reload();
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  s = await state(page);
  assert.equal(s.fetch.unfinished, null);
});

test('a cancelled fetch is saved at once and resumes after a reload; without consent the dialog offers it first', async () => {
  const { page } = app;
  if (N() < 4000) return;
  hub.hold(3);
  let r;
  try {
    const p = page.evaluate(() => window.hfrec.fetchHub({ sort: 'likes', n: 4000, consent: true }));
    await page.waitForFunction(() => window.hfrec.state().fetch.rows === 2000);
    await page.evaluate(() => window.hfrec.cancelHub());
    r = await p;
  } finally {
    hub.release();
  }
  assert.equal(r.cancelled, true);
  assert.equal(r.rows, 2000);
  assert.deepEqual((await state(page)).fetch.unfinished.rows, 2000, 'saved on cancel (before SAVE_EVERY_PAGES pages)');
  await page.reload();
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  await page.waitForFunction(() => window.hfrec.state().fetch.unfinished !== null);
  hub.requests.length = 0;
  const p2 = page.evaluate(() => window.hfrec.fetchHub({ resume: true }));
  await page.waitForFunction(() => document.getElementById('hub-dialog').open);
  assert.equal(hub.requests.length, 0, 'nothing sent before the person agrees');
  assert.match(await page.textContent('#hub-resume'), /^Resume the fetch of sort=likes, n=4000 \(2,000 models so far/);
  await page.click('#hub-resume');
  const r2 = await p2;
  assert.equal(r2.ok, true, r2.error);
  assert.equal(r2.rows, 4000);
  assert.deepEqual(hub.requests.map((q) => q.page), [3, 4]);
  assert.equal((await state(page)).catalogue.rows, 4000);
  assert.equal(await page.evaluate(() => document.getElementById('hub-dialog').open), false);

  // clearCache() also forgets a saved unfinished fetch, after a reload too.
  hub.hold(2);
  try {
    const p3 = page.evaluate(() => window.hfrec.fetchHub({ sort: 'downloads', n: 3000, consent: true }));
    await page.waitForFunction(() => window.hfrec.state().fetch.rows === 1000);
    await page.evaluate(() => window.hfrec.cancelHub());
    assert.equal((await p3).cancelled, true);
  } finally {
    hub.release();
  }
  assert.equal((await state(page)).fetch.unfinished.rows, 1000);
  assert.deepEqual(await page.evaluate(() => window.hfrec.clearCache()), { ok: true });
  assert.equal((await state(page)).fetch.unfinished, null);
  await page.reload();
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  assert.deepEqual(await page.evaluate(() => window.hfrec.fetchHub({ resume: true, consent: true })), { ok: false, rows: 0, error: 'nothing to resume' });
  assert.equal((await state(page)).fetch.resumable, false);
});
