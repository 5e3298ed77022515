// The browser extension's Firefox build (dist-extension/firefox/) in headless Firefox ESR, driven
// over WebDriver BiDi by puppeteer-core: its host permission is granted, and the panel on a model
// page has the CLI's ids in the CLI's order (the same oracle as the Chromium test), and the page's
// own content below it (the footer, the sidebar) is where it was at DOMContentLoaded (Firefox has no
// layout-shift entries: the boxes are compared); the Hub's own
// pages and a name the Hub does not know as a model get no panel. No network: pages are fixtures,
// the API is the mock Hub. Skipped when Firefox is absent (failed under CI=true).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startMockHub } from '../mock_hub/server.mjs';
import { cliIds, launchFirefox, needsFirefox, panelIds } from './helpers.mjs';

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

    // Not model pages: one of the Hub's own sections (no query at all) and a name the API does not
    // know (404: a user's page). Nothing is drawn; the 404's answer is awaited before looking.
    const other = await env.newPage();
    await other.goto('https://huggingface.co/datasets/some');
    const user = 'no-such-model-user';
    await other.goto(`https://huggingface.co/${user}`);
    const deadline = Date.now() + 30000;
    while (!hub.requests.some((r) => r.path === `/api/models/${user}` && r.status)) {
      assert.ok(Date.now() < deadline, `no request for /api/models/${user}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await other.$$eval('.hfrec-ext-panel', (ps) => ps.length), 0);
    assert.ok(!hub.requests.some((r) => r.path.startsWith('/api/models/datasets')));
    await other.goto('https://huggingface.co/datasets/some');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await other.$$eval('.hfrec-ext-panel', (ps) => ps.length), 0);

    assert.deepEqual(env.errors, []);
  } finally {
    await env.close();
    await hub.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
