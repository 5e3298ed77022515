// End-to-end tests of the ranked list's table and the canvas' looks: sorting by clicking the
// headers, CSV and JSON exports as real downloads, paste and copy, the dark theme and HiDPI.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { clickWidget, openPage, screenshot, settle, state, useBrowser } from './helpers.mjs';

const env = useBrowser();

test('clicking the Downloads and Score headers sorts the ranked list', async () => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  await page.evaluate(() => window.hfrec.select('bert-base-uncased'));
  const s0 = await state(page);
  assert.deepEqual(s0.sort, { key: 'score', descending: true });
  const byRank = s0.results.map((r) => r.modelId);

  await clickWidget(page, 'Downloads');
  const s1 = await state(page);
  assert.deepEqual(s1.sort, { key: 'downloads', descending: true });
  const d1 = s1.results.map((r) => r.downloads);
  assert.deepEqual(d1, [...d1].sort((a, b) => b - a), 'most downloaded first');
  assert.deepEqual([...s1.results.map((r) => r.modelId)].sort(), [...byRank].sort(), 'the same models');

  await clickWidget(page, 'Downloads');
  const s2 = await state(page);
  assert.deepEqual(s2.sort, { key: 'downloads', descending: false });
  const d2 = s2.results.map((r) => r.downloads);
  assert.deepEqual(d2, [...d2].sort((a, b) => a - b), 'least downloaded first');
  await screenshot(page, 'table-sorted-downloads');

  await clickWidget(page, 'Score');
  const s3 = await state(page);
  assert.equal(s3.sort.key, 'score');
  const ranks = s3.results.map((r) => r.rank);
  const up = [...ranks].sort((a, b) => a - b);
  assert.deepEqual(ranks, s3.sort.descending ? up : [...up].reverse(), 'by score (rank order)');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a click anywhere along a row makes that model the query', async () => {
  const { context, page, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  await page.evaluate(() => window.hfrec.select('gpt2'));
  await settle(page);
  const s0 = await state(page);
  const target = s0.results[3].modelId;
  const row = (await page.evaluate(() => window.hfrec.widgets())).find((w) => w.label === target);
  assert.ok(row, 'the row is in widgets()');
  // Right of the middle: the Task / Library cells, far from the Model column.
  await page.mouse.click(row.x + row.w * 0.7, row.cy);
  await settle(page);
  assert.equal((await state(page)).query, target);
  await context.close();
});

test('Export CSV and Export JSON download the ranked list', async () => {
  const { context, page, ok } = await openPage(env.browser, env.server.url, { acceptDownloads: true });
  assert.ok(ok);
  await page.evaluate(() => window.hfrec.select('gpt2'));
  await settle(page);
  const s = await state(page);

  const exportCsv = (await page.evaluate(() => window.hfrec.widgets())).find((w) => w.label === 'Export CSV');
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.mouse.click(exportCsv.cx, exportCsv.cy)]);
  assert.equal(csvDownload.suggestedFilename(), 'gpt2-hybrid.csv');
  const csv = fs.readFileSync(await csvDownload.path(), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'list,rank,modelId,score,downloads,pipeline_tag,library_name,model_type,shared');
  assert.equal(csv.length, s.results.length + 1);
  for (let i = 0; i < s.results.length; i++) {
    const cells = csv[i + 1].split(',');
    assert.equal(cells[0], 'hybrid');
    assert.equal(Number(cells[1]), s.results[i].rank);
    assert.equal(cells[2], s.results[i].modelId);
    assert.ok(Math.abs(Number(cells[3]) - s.results[i].score) < 1e-6);
    assert.equal(Number(cells[4]), s.results[i].downloads);
  }

  const exportJson = (await page.evaluate(() => window.hfrec.widgets())).find((w) => w.label === 'Export JSON');
  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.mouse.click(exportJson.cx, exportJson.cy)]);
  assert.equal(jsonDownload.suggestedFilename(), 'gpt2-hybrid.json');
  const j = JSON.parse(fs.readFileSync(await jsonDownload.path(), 'utf8'));
  assert.equal(j.query, 'gpt2');
  assert.equal(j.k, s.k);
  assert.equal(j.lists.length, 1);
  assert.equal(j.lists[0].method, 'hybrid');
  assert.deepEqual(j.lists[0].results.map((r) => r.modelId), s.results.map((r) => r.modelId));
  await context.close();
});

test('pasting text searches; Copy id puts the id on the clipboard', async () => {
  const { context, page, ok } = await openPage(env.browser, env.server.url);
  assert.ok(ok);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
  await settle(page);
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/plain', 'distilbert\n');
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await settle(page);
  const s = await state(page);
  assert.equal(s.search.text, 'distilbert');
  assert.ok(s.search.count > 0);

  await page.evaluate(() => window.hfrec.select('gpt2'));
  await clickWidget(page, 'Copy id');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, 'gpt2');
  await context.close();
});

test('dark theme at devicePixelRatio 2: crisp, dark, both views drawn', async () => {
  const { context, page, errors, ok } = await openPage(env.browser, env.server.url, { dpr: 2, colorScheme: 'dark' });
  assert.ok(ok);
  const size = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight };
  });
  assert.equal(size.w, size.cw * 2, 'the canvas has two device pixels per CSS pixel');
  assert.equal(size.h, size.ch * 2);
  await page.evaluate(() => window.hfrec.select('bert-base-uncased'));
  await settle(page);
  const results = await screenshot(page, 'dark-dpr2-results');
  assert.equal(results.width, 2560);
  assert.ok(results.colours > 50, `${results.colours} colours`);
  assert.ok(results.luma < 80, `a dark page (mean luminance ${results.luma.toFixed(0)})`);
  // Widgets are still in CSS pixels: clicking one works at dpr 2.
  const tab = (await page.evaluate(() => window.hfrec.widgets())).find((w) => w.label === 'Clusters');
  await page.mouse.click(tab.cx, tab.cy);
  await page.waitForFunction(() => window.hfrec.state().clusters && !window.hfrec.state().clusterJob.running,
    null, { timeout: 60000 });
  await settle(page);
  const clusters = await screenshot(page, 'dark-dpr2-clusters');
  assert.ok(clusters.colours > 300, `${clusters.colours} colours`);
  assert.ok(clusters.luma < 80, `a dark page (mean luminance ${clusters.luma.toFixed(0)})`);
  assert.deepEqual(errors, []);
  await context.close();
});
