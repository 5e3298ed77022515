// A share link whose catalogue is on another site (issue 16, item 1): nothing is requested from
// that site before the person presses Load in the dialog that names it; Cancel keeps the page's
// own catalogue; "Always load" remembers the host. The other site is a Playwright route that logs
// every request it gets, so "nothing was requested" is read from the network, not assumed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, root, settle, state, useBrowser } from './helpers.mjs';

const HOST = 'catalogues.example';
const URL_OTHER = `https://${HOST}/models.csv`;
// The project's own catalogue, first 30 models: a catalogue the page can tell from its default.
const lines = fs.readFileSync(path.join(root, 'web/catalogue.csv'), 'utf8').split('\n');
const csv = lines.slice(0, 31).join('\n') + '\n';
const firstId = (() => {
  const header = lines[0].split(',');
  return lines[1].split(',')[header.indexOf('modelId')];
})();

const env = useBrowser();

// Serves URL_OTHER (with CORS) and records every request that reaches HOST.
function otherSite(log) {
  return async (context) => {
    await context.route(`https://${HOST}/**`, (route) => {
      log.push(route.request().url());
      route.fulfill({ status: 200, headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/csv' }, body: csv });
    });
  };
}
const link = (extra = '') => `${env.server.url}#src=${encodeURIComponent(URL_OTHER)}&model=${encodeURIComponent(firstId)}&k=5${extra}`;
const dialogOpen = (page) => page.evaluate(() => document.getElementById('src-dialog').open);

test('another site\'s catalogue waits for Load; nothing reaches that site before', async () => {
  const log = [];
  const { context, page } = await openPage(env.browser, link(), { setup: otherSite(log) });
  try {
    await page.waitForFunction(() => document.getElementById('src-dialog').open);
    let s = await state(page);
    assert.equal(s.sourceConsent, HOST);
    assert.equal(s.catalogue.origin, 'builtin', 'the page is usable with its own catalogue meanwhile');
    assert.equal(await page.textContent('#src-host'), HOST);
    assert.equal(await page.textContent('#src-url'), URL_OTHER);
    assert.ok((await page.textContent('#src-replaces')).startsWith(
      `It would replace the catalogue shown now: ${s.catalogue.name} (${s.catalogue.rows.toLocaleString('en-US')} models).`));
    assert.deepEqual(log, [], 'no request left the page before consent');
    await page.click('#src-load');
    await page.waitForFunction(() => window.hfrec.state().catalogue?.origin === 'url');
    await settle(page);
    s = await state(page);
    assert.deepEqual(log, [URL_OTHER]);
    assert.equal(s.catalogue.rows, 30);
    assert.equal(s.catalogue.source, URL_OTHER, 'the header says where it came from');
    assert.equal(s.sourceConsent, null);
    assert.equal(s.query, firstId, 'the link\'s view is restored on the loaded catalogue');
    assert.equal(s.k, 5);
    assert.equal(await dialogOpen(page), false);
  } finally {
    await context.close();
  }
});

test('Cancel keeps the page\'s own catalogue and says so; the site is never contacted', async () => {
  const log = [];
  const { context, page } = await openPage(env.browser, link(), { setup: otherSite(log) });
  try {
    await page.waitForFunction(() => document.getElementById('src-dialog').open);
    await page.click('#src-cancel');
    await page.waitForFunction(() => /you chose Cancel/.test(window.hfrec.state().error));
    const s = await state(page);
    assert.equal(s.catalogue.origin, 'builtin');
    assert.equal(s.error, `Did not load the link's catalogue from ${HOST}: you chose Cancel. The previous catalogue is still loaded.`);
    assert.deepEqual(log, []);
  } finally {
    await context.close();
  }
});

test('"Always load" remembers the host: the next link from it loads without asking', async () => {
  const log = [];
  const first = await openPage(env.browser, link(), { setup: otherSite(log) });
  try {
    await first.page.waitForFunction(() => document.getElementById('src-dialog').open);
    await first.page.check('#src-trust');
    await first.page.click('#src-load');
    await first.page.waitForFunction(() => window.hfrec.state().catalogue?.origin === 'url');
    const again = await openPage(env.browser, link('&method=jaccard'), { context: first.context });
    await again.page.waitForFunction(() => window.hfrec.state().catalogue?.origin === 'url');
    assert.equal(await dialogOpen(again.page), false);
    assert.equal((await state(again.page)).method, 'jaccard');
    assert.equal(log.length, 2);
  } finally {
    await first.context.close();
  }
});
