// End-to-end tests of the model tree (issue 13's lineage): a catalogue that names base models shows
// the query's base models, siblings and children, each a click away, and every ranked row's lineage
// and kinship with the query; the rows' lineage equals the CLI's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { openPage, root, settle, state, useBrowser } from './helpers.mjs';

const env = useBrowser();
// Eight real models and the base models their cards and tags name (tests/data/lineage.csv).
const file = path.join(root, 'tests/data/lineage.csv');
const MISTRAL = 'mistralai/Mistral-7B-v0.1';
const ZEPHYR = 'HuggingFaceH4/zephyr-7b-beta';
const METAMATH = 'meta-math/MetaMath-Mistral-7B';
const AWQ = 'TheBloke/MetaMath-Mistral-7B-AWQ';

// The model tree's button for an id (not the sidebar's suggestion or a ranked row of the same id).
async function treeButton(page, label) {
  const all = await page.evaluate(() => window.hfrec.widgets());
  return all.find((w) => w.name === label && !w.window.includes('sidebar')) || null;
}

async function clickTree(page, label) {
  await settle(page);
  const w = await treeButton(page, label);
  assert.ok(w, `the tree's '${label}' is visible`);
  await page.mouse.move(w.cx, w.cy);
  await settle(page);
  await page.mouse.click(w.cx, w.cy);
  await settle(page);
}

async function openLineage() {
  const o = await openPage(env.browser, env.server.url);
  assert.ok(o.ok);
  const loaded = await o.page.evaluate((text) => window.hfrec.loadCatalogue(text, 'lineage.csv'), fs.readFileSync(file, 'utf8'));
  assert.equal(loaded.ok, true, loaded.error);
  assert.equal(loaded.rows, 8);
  return o;
}

test('the query shows its base model, siblings and children, and each row its kinship', async () => {
  const { context, page, errors } = await openLineage();
  assert.equal((await page.evaluate((m) => window.hfrec.select(m), ZEPHYR)).ok, true);
  let s = await state(page);
  assert.deepEqual(s.queryLineage, {
    parents: [{ id: MISTRAL, relation: 'finetune', inCatalogue: true }],
    siblings: [METAMATH], siblingsTotal: 1, children: [], childrenTotal: 0,
  });
  const kin = Object.fromEntries(s.results.map((r) => [r.modelId, r.kin]));
  assert.equal(kin[MISTRAL], 'parent');
  assert.equal(kin[METAMATH], 'sibling');
  assert.equal(kin[AWQ], '', 'a child of a sibling is no kin here');
  const mistralRow = s.results.find((r) => r.modelId === MISTRAL);
  assert.deepEqual(mistralRow.lineage, { parent: null, children: 2, siblings: 0 });

  // The base model is a button: it becomes the query, with its two children.
  await clickTree(page, `${MISTRAL} (finetune)`);
  s = await state(page);
  assert.equal(s.query, MISTRAL);
  assert.deepEqual(s.queryLineage.parents, []);
  assert.equal(s.queryLineage.childrenTotal, 2);
  assert.deepEqual(new Set(s.queryLineage.children), new Set([ZEPHYR, METAMATH]));
  assert.equal(s.results.find((r) => r.modelId === ZEPHYR).kin, 'child');
  // "2 children" opens the Model tree; a child there becomes the query.
  assert.equal(await treeButton(page, ZEPHYR), null, 'the tree is closed at first');
  await clickTree(page, '2 children');
  await clickTree(page, ZEPHYR);
  assert.equal((await state(page)).query, ZEPHYR);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a catalogue without base models shows no tree and no lineage fields', async () => {
  const { context, page } = await openPage(env.browser, env.server.url);
  await page.evaluate(() => window.hfrec.select('gpt2'));
  await settle(page);
  const s = await state(page);
  assert.equal(s.queryLineage, null);
  assert.ok(s.results.length > 0);
  assert.ok(s.results.every((r) => r.lineage === undefined && r.kin === ''));
  await context.close();
});

test("the rows' lineage equals the CLI's", async (t) => {
  const cli = process.env.HFREC_CLI;
  if (!cli || !fs.existsSync(cli)) {
    if (process.env.CI === 'true') assert.fail('HFREC_CLI is not set to the native hfrec binary');
    t.skip('HFREC_CLI is not set to the native hfrec binary: CLI parity not checked');
    return;
  }
  const { context, page } = await openLineage();
  for (const model of [ZEPHYR, MISTRAL, AWQ]) {
    assert.equal((await page.evaluate((m) => window.hfrec.select(m), model)).ok, true);
    const web = (await state(page)).results;
    const out = execFileSync(cli, ['recommend', '--catalogue', file, '--model', model, '--method', 'hybrid', '--k', '10'],
      { encoding: 'utf8' });
    const native = JSON.parse(out.trim().split('\n')[0]).results;
    assert.deepEqual(web.map((x) => [x.modelId, x.lineage]), native.map((x) => [x.modelId, x.lineage]), model);
  }
  await context.close();
});
