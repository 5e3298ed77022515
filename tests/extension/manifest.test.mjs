// The built manifests (dist-extension/): the permissions the README promises and nothing more,
// each browser's background, and the CSP that lets WebAssembly compile. Skipped (failed under
// CI=true) when the extension is not built.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { inCi, root } from './helpers.mjs';

const dist = process.env.HFREC_EXT_DIST || path.join(root, 'dist-extension');
for (const browser of ['chromium', 'firefox']) {
  test(`the ${browser} manifest`, (t) => {
    const file = path.join(dist, browser, 'manifest.json');
    if (!fs.existsSync(file)) {
      if (inCi) assert.fail(`${file} is missing (npm run build:extension); under CI=true it must be checked`);
      return t.skip(`${file} is missing (npm run build:extension)`);
    }
    const m = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(m.manifest_version, 3);
    assert.deepEqual(m.host_permissions, ['https://huggingface.co/*']);
    assert.deepEqual(m.permissions, browser === 'chromium' ? ['storage', 'alarms', 'offscreen'] : ['storage', 'alarms']);
    assert.deepEqual(m.content_scripts.map((c) => c.matches), [['https://huggingface.co/*']]);
    assert.equal(m.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
    if (browser === 'firefox') {
      assert.deepEqual(m.browser_specific_settings, { gecko: { id: 'hfrec-similar@hfrec.invalid', strict_min_version: '115.0',
        data_collection_permissions: { required: ['none'] } } });
    }
    assert.deepEqual(m.background, browser === 'chromium' ? { service_worker: 'sw.js', type: 'module' } : { scripts: ['background-firefox.js'], type: 'module' });
    const files = [...m.background.scripts || [m.background.service_worker], ...m.content_scripts.flatMap((c) => [...c.js, ...c.css]),
      m.options_ui.page, 'core/index.js', 'core/hfrec-core.mjs', 'core/hfrec-core.wasm'];
    for (const f of files) assert.ok(fs.existsSync(path.join(dist, browser, f)), `${browser}/${f} is missing`);
    assert.ok(fs.existsSync(path.join(dist, `hfrec-extension-${browser}.zip`)));
  });
}
