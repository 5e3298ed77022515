// End-to-end test of the start-up's order: the loading screen goes as soon as the app has drawn its
// first frame, so the UI takes input while the first catalogue is still on its way (its progress
// in the header), and what was typed meanwhile is searched once the catalogue is in. The
// catalogue's response is held until the test has typed, so nothing depends on timing.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { state, useBrowser, widget } from './helpers.mjs';

const env = useBrowser();

test('the UI shows and takes typing before the first catalogue is in; the typed text is searched once it is', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/catalogue.csv', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(env.server.url);
  await page.waitForFunction(() => performance.getEntriesByName('hfrec:interactive').length > 0, null, { timeout: 60_000 });

  // The UI is up: no loading screen, the first load under way, no catalogue yet.
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('loading')).display), 'none');
  const before = await state(page);
  assert.equal(before.busy, true, 'the first load is under way');
  assert.equal(before.catalogue, null, 'no catalogue yet');
  assert.equal(await page.evaluate(() => performance.getEntriesByName('hfrec:ready').length), 0, 'not ready yet');

  // The search box takes the pointer and the keyboard meanwhile.
  const search = await widget(page, '##search', 'name');
  assert.ok(search, 'the search box is drawn');
  await page.mouse.move(search.cx, search.cy);
  await page.mouse.click(search.cx, search.cy);
  await page.waitForFunction(() => window.hfrec.state().search !== undefined);
  await page.keyboard.type('gpt2');
  await page.waitForFunction(() => window.hfrec.state().search.text === 'gpt2');
  assert.equal((await state(page)).catalogue, null, 'typed before the catalogue arrived');

  // The catalogue arrives: the typed text is searched in it.
  release();
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  await page.waitForFunction(() => {
    const s = window.hfrec.state();
    return s.catalogue && s.search.text === 'gpt2' && s.search.hits.length > 0;
  });
  const after = await state(page);
  assert.equal(after.search.hits[0].modelId, 'gpt2', `the first hit: ${JSON.stringify(after.search.hits.slice(0, 3))}`);
  assert.ok(after.catalogue.rows > 0);
  // The marks come in the start-up's order.
  await page.waitForFunction(() => performance.getEntriesByName('hfrec:ready-frame').length > 0);
  const t = await page.evaluate(() => Object.fromEntries(['first-frame', 'interactive', 'ready', 'ready-frame']
    .map((n) => [n, performance.getEntriesByName(`hfrec:${n}`)[0].startTime])));
  assert.ok(t['first-frame'] <= t.interactive && t.interactive < t.ready && t.ready <= t['ready-frame'], JSON.stringify(t));
  assert.deepEqual(errors, []);
  await context.close();
});
