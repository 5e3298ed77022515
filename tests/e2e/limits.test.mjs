// Inputs over the load limit (issue 16, item 2): refused before anything is allocated or copied,
// with {ok: false, error} naming the size and the limit, the catalogue shown kept, and the app
// still working. Before, 2.5 GB aborted the WebAssembly runtime and 1.1 GB was copied first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, state, useBrowser, openPage } from './helpers.mjs';

const env = useBrowser();

test('loadCatalogue over the 1 GiB limit resolves {ok: false} and keeps the catalogue', async () => {
  const { context, page } = await openPage(env.browser, env.server.url);
  try {
    const before = await state(page);
    for (const bytes of [1.1e9, 2.5e9]) {
      const r = await page.evaluate((n) => window.hfrec.loadCatalogue(new Uint8Array(n), 'huge.csv'), bytes);
      assert.equal(r.ok, false, `${bytes} bytes`);
      assert.match(r.error, new RegExp(`^huge\\.csv: ${(bytes / 1e9).toFixed(1)} GB is over the 1 GiB limit`));
      const s = await state(page);
      assert.equal(s.catalogue.name, before.catalogue.name);
      assert.equal(s.catalogue.rows, before.catalogue.rows);
      assert.match(s.error, /over the 1 GiB limit/);
    }
    // The runtime did not abort: the app still answers.
    const sel = await page.evaluate(() => window.hfrec.select('bert-base-uncased'));
    assert.equal(sel.ok, true, JSON.stringify(sel));
    await settle(page);
    assert.ok((await state(page)).results.length > 0);
  } finally {
    await context.close();
  }
});
