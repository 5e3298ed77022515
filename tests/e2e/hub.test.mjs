// End-to-end tests of Load from the Hub (web/hub.js) against the mock Hub (tests/mock_hub): paging
// with faults, recommendations equal to loading the same JSON, cancel, a truncated page and
// Resume, the IndexedDB cache across a reload with the mock closed, and a #src=hub: share link's
// consent step. Never the internet.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { clickWidget, openPage, settle, state, useBrowser } from './helpers.mjs';
import { startMockHub } from '../mock_hub/server.mjs';

let hub;       // the mock
let app;       // {context, page, errors}
let pageUrl;   // the app with ?hub= pointing at the mock
const fast = { baseMs: 5, secondMs: 5 };  // backoff and Retry-After seconds shrunk (no clock checks)
const env = useBrowser(async ({ browser, server }) => {
  hub = await startMockHub({});
  const u = new URL(server.url);
  u.searchParams.set('hub', hub.url);
  pageUrl = u.href;
  app = await openPage(browser, pageUrl);
});
after(async () => { await hub?.close(); });

const N = () => hub.models.length;  // 10k from ../shared/data, else web/catalogue.csv's 55

// Every model the mock lists by downloads, paged by Node, as one JSON array (the direct load).
async function directJson(sort = 'downloads') {
  const all = [];
  let url = `${hub.url}/api/models?sort=${sort}&direction=-1&limit=1000${['author', 'cardData', 'config', 'downloads',
    'lastModified', 'library_name', 'pipeline_tag', 'tags', 'likes', 'createdAt'].map((f) => `&expand%5B%5D=${f}`).join('')}`;
  while (url) {
    const r = await fetch(url);
    all.push(...(await r.json()));
    url = /<([^>]*)>;\s*rel="next"/.exec(r.headers.get('link') || '')?.[1] || '';
  }
  return JSON.stringify(all);
}

async function recommendations(page, ids) {
  const out = {};
  for (const id of ids) {
    await page.evaluate((m) => window.hfrec.select(m), id);
    out[id] = (await state(page)).results.map((r) => [r.modelId, r.score.toFixed(6)]);
  }
  return out;
}

test('the From Hub… button opens the dialog, which says where and how much before sending anything', async () => {
  const { page } = app;
  await settle(page);
  hub.requests.length = 0;
  await clickWidget(page, 'From Hub…');
  assert.equal(await page.evaluate(() => document.getElementById('hub-dialog').open), true);
  const where = await page.textContent('#hub-where');
  assert.equal(where, `${hub.url}/api/models`);
  assert.match(await page.textContent('#hub-estimate'), /about 10 requests and \d+ MB/);
  await page.check('input[name="hub-n"][value="200000"]');
  assert.match(await page.textContent('#hub-estimate'), /about 200 requests/);
  await page.click('#hub-cancel');
  assert.equal(await page.evaluate(() => document.getElementById('hub-dialog').open), false);
  assert.equal(hub.requests.length, 0, 'nothing was sent');
});

test('fetches every model through 429 (Retry-After) and 500 faults; recommendations equal the direct load', async () => {
  const { page } = app;
  await page.evaluate(() => window.hfrec.clearCache());
  hub.requests.length = 0;
  hub.setFaults([{ kind: 'rate_limit', page: 2, retryAfter: 1 }, { kind: 'status', status: 500, page: 3 }]);
  const r = await page.evaluate((retry) => window.hfrec.fetchHub({ sort: 'downloads', n: 0, consent: true, retry }), fast);
  assert.equal(r.ok, true, r.error);
  assert.equal(r.rows, N());
  const s = await state(page);
  assert.equal(s.catalogue.rows, N());
  assert.equal(s.fetch.running, false);
  assert.equal(s.fetch.rows, N());
  assert.equal(s.fetch.retries, 1, 'the 500 was retried once');
  assert.ok(s.fetch.cachedAt, 'cached');
  assert.deepEqual(hub.requests.filter((q) => q.fault).map((q) => [q.fault, q.status]), [['rate_limit', 429], ['status', 500]]);
  assert.deepEqual(hub.requests.slice(0, 1).map((q) => q.query.sort), ['downloads']);
  const ids = s.catalogue.rows > 100 ? ['bert-base-uncased', 'gpt2', 'openai/clip-vit-base-patch32'] : ['bert-base-uncased', 'gpt2'];
  const viaHub = await recommendations(page, ids);
  assert.ok(viaHub[ids[0]].length > 0, 'recommendations exist');
  const json = await directJson();
  const d = await page.evaluate((text) => window.hfrec.loadCatalogue(text, 'direct.json'), json);
  assert.equal(d.ok, true, d.error);
  assert.equal(d.rows, N());
  assert.deepEqual(await recommendations(page, ids), viaHub);
});

test('cancel keeps what was fetched and Resume finishes', async () => {
  const { page } = app;
  if (N() < 2000) return;  // needs several pages
  // Page 3 waits (a 429 with a long Retry-After) so Cancel lands mid-fetch.
  hub.setFaults([{ kind: 'rate_limit', page: 3, retryAfter: 600 }]);
  const p = page.evaluate(() => window.hfrec.fetchHub({ sort: 'likes', n: 5000, consent: true, retry: { secondMs: 1000 } }));
  await page.waitForFunction(() => window.hfrec.state().fetch.rows >= 2000 && window.hfrec.state().fetch.running);
  await page.evaluate(() => window.hfrec.cancelHub());
  const r = await p;
  assert.equal(r.ok, false);
  assert.equal(r.cancelled, true);
  assert.equal(r.rows, 2000, 'the two pages fetched are loaded');
  assert.match(r.error, /^Cancelled after 2,000 models \(2 pages\)/);
  const s = await state(page);
  assert.equal(s.catalogue.rows, 2000);
  assert.equal(s.fetch.resumable, true);
  hub.setFaults([]);
  const r2 = await page.evaluate(() => window.hfrec.resumeHub());
  assert.equal(r2.ok, true, r2.error);
  assert.equal(r2.rows, 5000);
  assert.equal((await state(page)).catalogue.rows, 5000);
});

test('a truncated page stops with an error naming the models fetched; Resume completes', async () => {
  const { page } = app;
  if (N() < 3000) return;
  hub.setFaults([{ kind: 'truncate', page: 3, times: 'always' }]);
  const r = await page.evaluate((retry) => window.hfrec.fetchHub({ sort: 'downloads', n: 4000, consent: true, retry }), fast);
  assert.equal(r.ok, false);
  assert.equal(r.rows, 2000);
  assert.match(r.error, /^The Hub fetch stopped after 2,000 models \(2 pages\): page 3: unreadable page: .*gave up after 5 retries\. Resume goes on from there/);
  let s = await state(page);
  assert.equal(s.catalogue.rows, 2000, 'what was fetched before is loaded');
  assert.match(s.error, /stopped after 2,000 models/);
  assert.equal(s.fetch.resumable, true);
  hub.setFaults([]);
  hub.requests.length = 0;
  const r2 = await page.evaluate(() => window.hfrec.resumeHub());
  assert.equal(r2.ok, true, r2.error);
  assert.equal(r2.rows, 4000);
  assert.equal(hub.requests.length, 2, 'resume asks for pages 3 and 4 only');
  s = await state(page);
  assert.equal(s.catalogue.rows, 4000);
  assert.equal(s.error, '');
});

test('after a reload the cache lists the fetch and loads it with the mock closed; clearCache empties it', async () => {
  const { page } = app;
  await page.reload();
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  const c = await page.evaluate(() => window.hfrec.cache());
  assert.equal(c.ok, true);
  const queries = c.entries.map((e) => e.query).sort();
  assert.ok(queries.includes('sort=downloads&n=0'), JSON.stringify(queries));
  const e = c.entries.find((x) => x.query === 'sort=downloads&n=0');
  assert.equal(e.rows, N());
  assert.ok(e.bytes > 0 && e.cachedAt);
  const port = new URL(hub.url).port;
  await hub.close();
  hub.requests.length = 0;
  try {
    const r = await page.evaluate(() => window.hfrec.loadCached('sort=downloads&n=0'));
    assert.equal(r.ok, true, r.error);
    assert.equal(r.rows, N());
    assert.equal((await state(page)).catalogue.rows, N());
    assert.equal(hub.requests.length, 0);
    assert.deepEqual(await page.evaluate(() => window.hfrec.clearCache()), { ok: true });
    assert.deepEqual((await page.evaluate(() => window.hfrec.cache())).entries, []);
  } finally {
    hub = await startMockHub({ port: Number(port) });
  }
});

test('a #src=hub: link asks for consent, then fetches and restores the view', async () => {
  const n = Math.min(2000, N());
  const u = new URL(pageUrl);
  u.hash = `src=hub:sort=downloads&n=${n}&model=bert-base-uncased&k=7`;
  const other = await openPage(env.browser, u.href);
  const { page } = other;
  try {
    await page.waitForFunction(() => document.getElementById('hub-dialog').open);
    assert.equal(await page.isVisible('#hub-link-note'), true);
    assert.equal(hub.requests.filter((q) => q.path === '/api/models').length, 0, 'nothing fetched before consent');
    assert.equal(await page.isChecked(`input[name="hub-n"][value="${n}"]`), true);
    await page.click('#hub-fetch');
    await page.waitForFunction((rows) => {
      const s = window.hfrec.state();
      return !s.fetch.running && s.catalogue && s.catalogue.rows === rows && s.query === 'bert-base-uncased';
    }, n);
    const s = await state(page);
    assert.equal(s.k, 7);
    assert.equal(s.results.length, 7);
    assert.equal(await page.evaluate(() => document.getElementById('hub-dialog').open), false);
    assert.ok(!/src=hub/.test(s.error || ''), s.error);
  } finally {
    await other.context.close();
  }
});
