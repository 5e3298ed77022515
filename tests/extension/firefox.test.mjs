// The browser extension's Firefox build (dist-extension/firefox/) in headless Firefox ESR, driven
// over WebDriver BiDi by puppeteer-core: its host permission is granted; the panel on a model page
// has the CLI's ids in the CLI's order (the same oracle as the Chromium test), follows in-page
// navigation, and answers a model the cached catalogue lacks ad hoc; the page's own content below
// it (the footer, the sidebar) is where it was at DOMContentLoaded (Firefox has no layout-shift
// entries: the boxes are compared); the Hub's own pages and a name the Hub does not know as a model
// get no panel; the options page shows the cache, and its Refresh now and Clear work; a Hub outage
// gives the quiet line. Waits on what the page shows (mutations), never
// on a clock. No network: pages are fixtures, the API is the mock Hub. Skipped when Firefox is
// absent (failed under CI=true).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startMockHub } from '../mock_hub/server.mjs';
import { checkAdhoc, cliIds, launchFirefox, needsFirefox, panelIds } from './helpers.mjs';

// Records, from the document's start (the panel's skeleton goes in while the page is parsed, and an
// answer may come before DOMContentLoaded), each extension panel added or removed, with the model
// it is for: '+hfrec-ext-panel hfrec-ext-loading <id>' for a skeleton, '+hfrec-ext-panel <id>'.
const panelRecorder = () => {
  window.__panels = [];
  const name = (n) => `${n.className} ${n.dataset.hfrecModel || n.dataset.hfrecPending || ''}`.trim();
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) if (n.nodeType === 1 && n.classList.contains('hfrec-ext-panel')) window.__panels.push(`+${name(n)}`);
      for (const n of r.removedNodes) if (n.nodeType === 1 && n.classList.contains('hfrec-ext-panel')) window.__panels.push(`-${name(n)}`);
    }
  }).observe(document, { childList: true, subtree: true });
};

test('Firefox: the CLI\'s top 10 on a model page, nothing on other pages', async (t) => {
  if (!(await needsFirefox(t))) return;
  const hub = await startMockHub({ quiet: true });
  const byDownloads = [...hub.models].sort((a, b) => b.downloads - a.downloads || (a.id < b.id ? -1 : 1));
  const n = byDownloads.length >= 4000 ? 3000 : Math.floor(byDownloads.length / 2);
  const env = await launchFirefox(hub, { settings: { n } });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hfrec-ff-cat-'));
  try {
    t.diagnostic(`browser: ${await env.browser.version()}`);
    // MV3 host permissions are granted at install in this profile (see launchFirefox).
    assert.equal(await env.options(() => chrome.permissions.contains({ origins: ['https://huggingface.co/*'] })), true);

    const inCat = byDownloads.slice(0, n).filter((m) => m.id.includes('/'));
    const [a, b] = [inCat[0], inCat[7]];
    const page = await env.newPage();
    // Where the page's own boxes below and beside the panel are at DOMContentLoaded.
    await page.evaluateOnNewDocument(() => {
      document.addEventListener('DOMContentLoaded', () => {
        window.__boxes = ['footer', '.sidebar'].map((q) => JSON.stringify(document.querySelector(q).getBoundingClientRect()));
      });
    });

    // The first visit fetches the catalogue from the (mock) Hub in the background page, caches it
    // and answers with the WebAssembly core.
    await page.goto(`https://huggingface.co/${a.id}`);
    const got = await panelIds(page, a.id);
    const cached = await env.options(() => chrome.runtime.sendMessage({ type: 'hfrec-options', op: 'cachedText' }));
    assert.equal(cached.ok, true, cached.error);
    assert.equal(cached.rows, n);
    const file = path.join(tmp, 'cached.json');
    fs.writeFileSync(file, cached.text);
    assert.equal(got.length, 10);
    assert.deepEqual(got, cliIds(file, a.id));
    assert.equal(await page.$eval('.hfrec-ext-panel', (p) => p.previousElementSibling?.classList.contains('model-card-content')), true);
    const boxes = await page.evaluate(() => ({ then: window.__boxes,
      now: ['footer', '.sidebar'].map((q) => JSON.stringify(document.querySelector(q).getBoundingClientRect())) }));
    assert.deepEqual(boxes.now, boxes.then);

    // In-page navigation: the panel follows.
    await page.evaluate((id) => window.navigateTo(id), b.id);
    assert.deepEqual(await panelIds(page, b.id), cliIds(file, b.id));
    assert.equal(await page.$$eval('.hfrec-ext-panel', (ps) => ps.length), 1);

    // A model the cached catalogue lacks: ad hoc from /api/models/<id>.
    await checkAdhoc(t, page, hub, byDownloads.slice(n), file);

    // Not model pages, waited on by what the page shows, never by a clock. A name the API does not
    // know (404: a user's page): the skeleton put in while the page was parsed goes once the 404 is
    // answered, and nothing else is drawn until the page navigates in-page to a model, whose panel
    // is then the first. One of the Hub's own sections: no query and nothing drawn before an in-page
    // navigation to a model draws that model's panel.
    const other = await env.newPage();
    await other.evaluateOnNewDocument(panelRecorder);
    const user = 'no-such-model-user';
    await other.goto(`https://huggingface.co/${user}`);
    await other.waitForFunction((u) => window.__panels.includes(`-hfrec-ext-panel hfrec-ext-loading ${u}`), { polling: 'mutation', timeout: 60000 }, user);
    assert.equal(await other.$$eval('.hfrec-ext-panel', (ps) => ps.length), 0);
    assert.ok(hub.requests.some((r) => r.path === `/api/models/${user}` && r.status === 404));
    await other.evaluate((id) => window.navigateTo(id), a.id);
    assert.deepEqual(await panelIds(other, a.id), cliIds(file, a.id));
    const added = async () => (await other.evaluate(() => window.__panels)).filter((x) => x.startsWith('+'));
    assert.deepEqual(await added(), [`+hfrec-ext-panel hfrec-ext-loading ${user}`, `+hfrec-ext-panel hfrec-ext-loading ${a.id}`,
      `+hfrec-ext-panel ${a.id}`]);

    await other.goto('https://huggingface.co/datasets/some');
    await other.evaluate((id) => window.navigateTo(id), b.id);
    assert.deepEqual(await panelIds(other, b.id), cliIds(file, b.id));
    assert.deepEqual(await added(), [`+hfrec-ext-panel hfrec-ext-loading ${b.id}`, `+hfrec-ext-panel ${b.id}`]);
    assert.ok(!hub.requests.some((r) => r.path.startsWith('/api/models/datasets')));

    // The options page's own buttons, clicked in it, each awaited by the text it writes: the cache's
    // size, Refresh now (one new listing from the Hub), Clear.
    const lists = () => hub.requests.filter((r) => r.path === '/api/models' && !r.query.cursor).length;
    const listed = lists();
    const shown = await env.options(async () => {
      const $ = (id) => document.getElementById(id);
      const until = (el, ok) => new Promise((resolve) => {
        if (ok()) { resolve(); return; }
        const o = new MutationObserver(() => { if (ok()) { o.disconnect(); resolve(); } });
        o.observe(el, { childList: true, characterData: true, subtree: true });
      });
      await until($('rows'), () => $('rows').textContent !== '–');
      const rows = $('rows').textContent;
      $('refresh').click();
      await until($('status'), () => /^(Fetched|The refresh failed)/.test($('status').textContent));
      const fetched = $('status').textContent;
      $('clear').click();
      await until($('rows'), () => $('status').textContent === 'Cleared.' && $('rows').textContent === 'nothing cached');
      return { rows, fetched, size: $('size').textContent };
    });
    assert.deepEqual(shown, { rows: n.toLocaleString('en-US'), fetched: `Fetched ${n.toLocaleString('en-US')} models.`, size: '–' });
    assert.equal(lists(), listed + 1);

    assert.deepEqual(env.errors, []);
  } finally {
    await env.close();
    await hub.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('Firefox: a Hub outage gives a quiet line and nothing else', async (t) => {
  if (!(await needsFirefox(t))) return;
  const hub = await startMockHub({ quiet: true, faults: [{ kind: 'status', status: 500, times: 'always' }] });
  const env = await launchFirefox(hub, { settings: { n: 2000 } });
  try {
    const page = await env.newPage();
    await page.evaluateOnNewDocument(panelRecorder);
    const id = hub.models.find((m) => m.id.includes('/')).id;
    await page.goto(`https://huggingface.co/${id}`);
    await page.waitForSelector(`.hfrec-ext-panel[data-hfrec-model="${id}"]`, { timeout: 60000 });
    assert.equal(await page.$eval('.hfrec-ext-panel', (p) => p.textContent), "Couldn't load similar models.");
    assert.equal(await page.$$eval('.hfrec-ext-link', (ls) => ls.length), 0);
    assert.deepEqual((await page.evaluate(() => window.__panels)).filter((x) => x.startsWith('+')),
      [`+hfrec-ext-panel hfrec-ext-loading ${id}`, `+hfrec-ext-panel hfrec-ext-quiet ${id}`]);
    assert.ok(hub.requests.filter((r) => r.path === '/api/models').length > 1, 'the fetch was not retried');
    assert.deepEqual(env.errors, []);
  } finally {
    await env.close();
    await hub.close();
  }
});
