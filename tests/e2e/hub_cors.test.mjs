// End-to-end: Load from the Hub against a Hub whose replies do not expose their Link header to a
// cross-origin page (the mock with exposeLink: false; the page is served from another port). The
// fetch must not pass a first page off as the whole listing silently: it loads that page, says
// why it stopped and where else to get more. Never the internet; no clocks.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, state, useBrowser } from './helpers.mjs';
import { defaultDataFile, loadModels, startMockHub } from '../mock_hub/server.mjs';

let hub;
let app;
// At least 2,500 models, so the first page is full (1,000) and the listing goes on: the 10k of
// ../shared/data, else web/catalogue.csv's models repeated under new ids, generated here.
function models() {
  const base = loadModels(defaultDataFile());
  const out = [...base];
  for (let r = 1; out.length < 2500; r++) for (const m of base) out.push({ ...m, id: `${m.id}-copy${r}`, modelId: `${m.id}-copy${r}` });
  return out;
}
useBrowser(async ({ browser, server }) => {
  hub = await startMockHub({ models: models(), exposeLink: false });
  const u = new URL(server.url);
  u.searchParams.set('hub', hub.url);
  app = await openPage(browser, u.href);
});
after(async () => { await hub?.close(); });

test('a Link header the page cannot read: the first page is loaded, and the page says why it stopped', async () => {
  const { page } = app;
  assert.notEqual(new URL(hub.url).origin, new URL(page.url()).origin, 'the mock must be cross-origin to the page');
  // Node, which is not subject to CORS, sees the next link the page cannot.
  const first = await fetch(`${hub.url}/api/models?sort=downloads&direction=-1&limit=1000`);
  assert.match(first.headers.get('link') || '', /rel="next"/);
  const r = await page.evaluate(() => window.hfrec.fetchHub({ sort: 'downloads', n: 0, consent: true }));
  assert.equal(r.ok, false, JSON.stringify(r));
  assert.equal(r.rows, 1000, `the first page is loaded: ${JSON.stringify(r)}`);
  assert.match(r.error, /no Link header the browser could read/);
  assert.match(r.error, /Access-Control-Expose-Headers/);
  assert.match(r.error, /hfrec fetch/);
  const s = await state(page);
  assert.equal(s.catalogue.rows, 1000, "the first page stays loaded");
  assert.equal(s.fetch.error, r.error);
  assert.equal(hub.requests.filter((q) => q.method === 'GET' && q.path === '/api/models').length, 2, 'one page asked for by the page (and one by Node above)');
});
