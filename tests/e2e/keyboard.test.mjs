// End-to-end tests for keyboard and screen-reader users: the main task by keyboard alone (Tab and
// Shift+Tab reach every control in reading order, a list is one stop with arrows inside, Enter
// activates, Escape returns to search), Copy link copies the full address and says so, and the
// accessibility tree carries a live status, the results table and the search combobox.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { settle, state, useBrowser } from './helpers.mjs';

const env = useBrowser();

async function open() {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(env.server.url);
  assert.equal(await page.evaluate(() => window.hfrec.ready), true);
  await settle(page);
  // Links to the Hub open through window.open: recorded, not followed.
  await page.evaluate(() => { window.opened = []; window.open = (u) => { window.opened.push(u); return null; }; });
  return { context, page, errors };
}

// The name of the widget the keyboard focus is on ('' for none).
async function focused(page) {
  const all = await page.evaluate(() => window.hfrec.widgets());
  return (all.find((w) => w.focused) || { name: '' }).name;
}
async function press(page, key) {
  await page.keyboard.press(key);
  await settle(page);
  return focused(page);
}
// Tabs (or Shift+Tabs) until the focus is on `name`; returns the names passed on the way.
async function tabTo(page, name, key = 'Tab', limit = 80) {
  const seen = [];
  for (let i = 0; i < limit; i++) {
    const f = await press(page, key);
    seen.push(f);
    if (f === name) return seen;
  }
  assert.fail(`${key} never reached ${name}; passed ${seen.join(', ')}`);
}

test('keyboard alone: search, every control by Tab, arrows in the list, Enter, Escape, share', async () => {
  const { context, page, errors } = await open();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'text-input', 'search has the focus at start');
  await page.keyboard.type('bert-base-unc');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.hfrec.state().query === 'bert-base-uncased');
  await settle(page);
  const s = await state(page);

  // One full round of Tab from the search box back to it.
  const round = await tabTo(page, '##search');
  for (const name of ['Open…', 'Copy link###copylink', '##method', '##k', '##compare', '##Task', '##Library',
    '##Model type', 'Recommendations', 'Clusters', 'Open on Hugging Face ↗', 'Copy id###copyid', 'Export CSV',
    'Export JSON', 'Score', 'Downloads']) {
    assert.ok(round.includes(name), `Tab reaches ${name} (round: ${round.join(', ')})`);
  }
  // The ranked list is one stop, entered at its first row; the tabs come before the view.
  const rows = round.filter((n) => n.endsWith('##row'));
  assert.deepEqual(rows, [`${s.results[0].modelId}##row`]);
  assert.ok(round.indexOf('Clusters') < round.indexOf('Open on Hugging Face ↗'), 'tabs, then the view');
  assert.equal(new Set(round).size, round.length, 'each control once per round');
  // Shift+Tab walks the same round backwards.
  const back = await tabTo(page, '##search', 'Shift+Tab');
  assert.deepEqual(back.slice(0, -1), round.slice(0, -1).reverse());

  // Into the list, down two rows with the arrows, Enter makes that model the query.
  await tabTo(page, `${s.results[0].modelId}##row`);
  await press(page, 'ArrowDown');
  assert.equal(await press(page, 'ArrowDown'), `${s.results[2].modelId}##row`);
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => window.hfrec.state().query === t, s.results[2].modelId);
  const query = s.results[2].modelId;
  await settle(page);

  // Sort by downloads from its header.
  await tabTo(page, 'Downloads');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.hfrec.state().sort.key === 'downloads');

  // Open the model on the Hub.
  await tabTo(page, 'Open on Hugging Face ↗');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.opened.length === 1);
  assert.equal(await page.evaluate(() => window.opened[0]), `https://huggingface.co/${query}`);

  // Copy link: the full address, confirmed on the button and to screen readers.
  await tabTo(page, 'Copy link###copylink');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('sr-status').textContent === 'Link copied to the clipboard.');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, await page.evaluate(() => window.hfrec.shareLink()));
  assert.ok(link.startsWith(`${env.server.url.replace(/\/$/, '')}/#`) && link.includes('model='), link);
  await settle(page);
  assert.ok((await page.evaluate(() => window.hfrec.widgets())).some((w) => w.label === 'Copied ✓'));

  // Escape: back to the search box, typing goes there.
  await page.keyboard.press('Escape');
  await settle(page);
  await page.keyboard.press('Escape');
  await settle(page);
  assert.equal(await focused(page), '##search');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'text-input');
  assert.deepEqual(errors, []);
  await context.close();
});

test('screen readers: a live status of what the list shows, the results table, the search combobox', async () => {
  const { context, page, errors } = await open();
  const status = () => page.evaluate(() => document.getElementById('sr-status').textContent);
  await page.evaluate(() => window.hfrec.select('gpt2'));
  await page.waitForFunction(() => /similar to gpt2/.test(document.getElementById('sr-status').textContent));
  assert.equal(await status(), '10 models similar to gpt2 by hybrid.');
  await page.evaluate(() => window.hfrec.set({ method: 'jaccard', k: 5 }));
  await page.waitForFunction(() => / by jaccard\.$/.test(document.getElementById('sr-status').textContent));
  assert.equal(await status(), '5 models similar to gpt2 by jaccard.');
  assert.equal(await page.locator('#sr-status').getAttribute('aria-live'), 'polite');

  const s = await state(page);
  const table = await page.locator('#sr-results').ariaSnapshot();
  assert.match(table, /- table "jaccard; k = 5;/);
  for (const h of ['Rank', 'Model', 'Score', 'Downloads']) assert.match(table, new RegExp(`- columnheader "${h}"`));
  // (A row whose text has a colon, as the why words do, is quoted in the YAML: - 'row "1 …"'.)
  assert.match(table, new RegExp(`- '?row "1 ${s.results[0].modelId.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} `));
  assert.match(table, /columnheader "Why"/);
  assert.ok(table.includes(s.results[0].why), 'the table says why in words');

  await page.keyboard.type('gpt');
  await page.waitForFunction(() => window.hfrec.state().search.text === 'gpt');
  await page.waitForFunction(() => document.getElementById('sr-hits').children.length > 0);
  const box = await page.locator('#text-input').ariaSnapshot();
  assert.match(box, /- combobox "Search models by id or author"/);
  assert.equal(await page.locator('#text-input').getAttribute('aria-expanded'), 'true');
  const hits = (await state(page)).search.hits.map((h) => h.modelId);
  const list = await page.locator('#sr-hits').ariaSnapshot();
  assert.match(list, /- listbox "Search matches"/);
  for (const id of hits.slice(0, 3)) assert.ok(list.includes(`- option "${id}"`), `${id} is an option:\n${list}`);
  assert.deepEqual(errors, []);
  await context.close();
});
