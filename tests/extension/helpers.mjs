// Helpers for the extension's tests: the built extension in headless Chromium (a persistent
// profile: MV3 service workers and content scripts run there), huggingface.co pages routed to the
// fixtures in ./fixture, the mock Hub (tests/mock_hub), and the CLI's answer for comparison.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const extDir = process.env.HFREC_EXT_DIR || path.join(root, 'dist-extension/chromium');
export const cli = process.env.HFREC_CLI || path.join(root, 'build/native-release/hfrec');
export const chromiumPath = process.env.HFREC_CHROMIUM || '/usr/bin/chromium';
export const inCi = /^(true|1|yes)$/i.test(process.env.CI || '');
const fixtures = { model: fs.readFileSync(path.join(here, 'fixture/model.html'), 'utf8'),
  changed: fs.readFileSync(path.join(here, 'fixture/changed.html'), 'utf8') };

// Why the tests cannot run here ('' when they can).
export async function cannotRun() {
  if (!fs.existsSync(chromiumPath)) return `${chromiumPath} is missing`;
  if (!fs.existsSync(path.join(extDir, 'manifest.json'))) return `${extDir} is not built (npm run build:extension)`;
  if (!fs.existsSync(cli)) return `${cli} is not built`;
  try { await import('playwright-core'); } catch { return 'playwright-core is not installed (npm ci)'; }
  return '';
}
// Skips the test (or fails it under CI=true) when it cannot run.
export async function needs(t) {
  const why = await cannotRun();
  if (!why) return true;
  if (inCi) assert.fail(`${why}; under CI=true the extension tests must run`);
  t.skip(why);
  return false;
}

// Launches Chromium with the extension; routes https://huggingface.co/** to the fixtures (the page
// named by `pages[pathname]`, else the model page) and the pages' own /api/ requests to the mock
// Hub. Playwright does not route the offscreen document's requests (checked: they went to the
// network), so the extension is pointed at the mock by its test-only `hubOrigin` setting.
// Resolves {context, sw, extensionId, pages, errors, watch, close}.
export async function launch(hub, { settings = {} } = {}) {
  const { chromium } = await import('playwright-core');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfrec-ext-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath, headless: true,
    args: [`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`, '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  const pages = {};
  await context.route('https://huggingface.co/**', async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith('/api/')) {
      // Proxied to the mock; its next links name the mock's origin, so they are rewritten.
      const res = await fetch(hub.url + url.pathname + url.search);
      const headers = Object.fromEntries(res.headers);
      if (headers.link) headers.link = headers.link.split(hub.url).join('https://huggingface.co');
      return route.fulfill({ status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) });
    }
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: fixtures[pages[url.pathname] || 'model'] });
  });
  let sw = context.serviceWorkers()[0];
  if (!sw) sw = await context.waitForEvent('serviceworker');
  const extensionId = new URL(sw.url()).host;
  await sw.evaluate((s) => chrome.storage.local.set({ settings: s }), { hubOrigin: hub.url, retry: { baseMs: 5, capMs: 20 }, ...settings });
  const errors = [];
  const watch = (page) => {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  };
  context.on('page', watch);
  return { context, sw, extensionId, pages, errors, watch,
    close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

// Asks the background what the options page asks ({type: 'hfrec-options', op}) from an extension page.
export async function optionsOp(env, op) {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${env.extensionId}/options.html`);
  const r = await page.evaluate((o) => chrome.runtime.sendMessage({ type: 'hfrec-options', op: o }), op);
  await page.close();
  return r;
}

// The ids `hfrec recommend` gives for a model (or an ad-hoc query: {task, library, modelType, text}).
export function cliIds(catalogueFile, query, method = 'hybrid') {
  const args = ['recommend', '--catalogue', catalogueFile, '--method', method, '-k', '10', '--format', 'jsonl'];
  if (typeof query === 'string') args.push('--model', query);
  else {
    args.push('--adhoc');
    if (query.task) args.push('--task', query.task);
    if (query.library) args.push('--library', query.library);
    if (query.modelType) args.push('--model-type', query.modelType);
    if (query.text) args.push('--text', query.text);
  }
  const out = execFileSync(cli, args, { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).flatMap((r) => (r.results ? r.results.map((x) => x.model_id ?? x.modelId) : [r.model_id ?? r.modelId]));
}

// The panel's model ids, in order, once it shows `id`.
export async function panelIds(page, id) {
  const sel = `.hfrec-ext-panel[data-hfrec-model="${id}"]`;
  await page.waitForSelector(sel, { timeout: 60000 });
  return page.$$eval(`${sel} .hfrec-ext-link`, (as) => as.map((a) => a.textContent));
}
