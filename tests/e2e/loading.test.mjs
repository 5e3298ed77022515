// End-to-end test of the start-up on a slow network: the loading screen shows the bytes of the
// app, the catalogue and the fonts as they arrive (not a bare "Loading the app…") and a bar of the
// share done that animates only when something arrives, until the app draws its UI; the app still
// starts with its streamed, counted WebAssembly.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useBrowser } from './helpers.mjs';

const env = useBrowser();

test('on a slow network the loading screen counts the bytes as they arrive', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Every text the loading screen shows, recorded from the first script on.
  await page.addInitScript(() => {
    window.loadingTexts = [];
    window.loadingBar = [];
    window.loadingAnimations = 0;
    new MutationObserver(() => {
      const el = document.getElementById('loading-text');
      const t = el && el.textContent;
      if (t && t !== window.loadingTexts[window.loadingTexts.length - 1]) window.loadingTexts.push(t);
      const bar = document.querySelector('#loading [role=progressbar]');
      const v = bar && Number(bar.getAttribute('aria-valuenow'));
      if (bar && v !== window.loadingBar[window.loadingBar.length - 1]) window.loadingBar.push(v);
      window.loadingAnimations = Math.max(window.loadingAnimations, document.getAnimations().length);
    }).observe(document, { childList: true, characterData: true, attributes: true, subtree: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 100, downloadThroughput: 400e3, uploadThroughput: 1e6,
  });
  await page.goto(env.server.url);
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  const texts = await page.evaluate(() => window.loadingTexts);
  const counted = texts.filter((t) => /^Downloading: .*\bapp [\d.]+ MB/.test(t));
  assert.ok(counted.length >= 2, `the app's bytes were shown as they came: ${JSON.stringify(texts.slice(0, 8))}`);
  const amounts = counted.map((t) => Number(t.match(/\bapp ([\d.]+) MB/)[1]));
  assert.ok(amounts[amounts.length - 1] > amounts[0], `the count grows: ${amounts.join(', ')}`);
  assert.ok(texts.some((t) => /\bcatalogue [\d.]+ MB/.test(t)), 'the catalogue is counted too');
  // The bar shows the share done, only forward, through the downloads (the first 70%) until the
  // app has drawn its UI, which takes over with its own progress (the screen goes once the app and
  // its fonts are in; the catalogue may still be arriving); nothing on the loading screen animates
  // by itself (an endless animation redraws every frame).
  const bar = await page.evaluate(() => window.loadingBar);
  assert.ok(bar.length >= 3, `the bar moved: ${bar.join(', ')}`);
  assert.deepEqual(bar, [...bar].sort((a, b) => a - b), `the bar only moves forward: ${bar.join(', ')}`);
  assert.ok(bar[bar.length - 1] >= 50, `the bar followed the downloads: ${bar.join(', ')}`);
  assert.equal(await page.evaluate(() => window.loadingAnimations), 0, 'no animation runs on the loading screen');
  const s = await page.evaluate(() => window.hfrec.state());
  assert.ok(s.catalogue.rows > 0);
  assert.deepEqual(errors, []);
  await context.close();
});

