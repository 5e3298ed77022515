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
export const firefoxPath = process.env.HFREC_FIREFOX || '/usr/bin/firefox-esr';
export const firefoxExtDir = process.env.HFREC_EXT_FIREFOX_DIR || path.join(root, 'dist-extension/firefox');
export const inCi = /^(true|1|yes)$/i.test(process.env.CI || '');
export const fixtures = { model: fs.readFileSync(path.join(here, 'fixture/model.html'), 'utf8'),
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

// Why the Firefox test cannot run here ('' when it can).
export async function cannotRunFirefox() {
  if (!fs.existsSync(firefoxPath)) return `${firefoxPath} is missing (apt-get install firefox-esr; scripts/setup.sh installs it)`;
  if (!fs.existsSync(path.join(firefoxExtDir, 'manifest.json'))) return `${firefoxExtDir} is not built (npm run build:extension)`;
  if (!fs.existsSync(cli)) return `${cli} is not built`;
  try { await import('puppeteer-core'); } catch { return 'puppeteer-core is not installed (npm ci)'; }
  return '';
}
// As needs(), for Firefox.
export async function needsFirefox(t) {
  const why = await cannotRunFirefox();
  if (!why) return true;
  if (inCi) assert.fail(`${why}; under CI=true the Firefox test must run`);
  t.skip(why);
  return false;
}

// Launches headless Firefox (puppeteer-core, WebDriver BiDi) with the Firefox build installed as a
// temporary add-on. Two prefs make the profile testable:
// - extensions.webextensions.uuids pins the add-on's internal UUID, so the test knows its
//   moz-extension:// origin (the options page, where the settings are written);
// - extensions.originControls.grantByDefault (true by default since Firefox 127) grants the MV3
//   host_permissions at install; with it false they are opt-in and nothing runs on the Hub until
//   the user grants huggingface.co in about:addons.
// Pages are served by request interception: https://huggingface.co/* from the fixtures (by
// `pages[pathname]`), the pages' own /api/ requests from the mock Hub. The background page's
// requests are not intercepted (they belong to no tab), so the extension is pointed at the mock by
// its `hubOrigin` setting, as in Chromium. Resolves {browser, base, pages, errors, newPage, options, close}.
export async function launchFirefox(hub, { settings = {} } = {}) {
  const { default: puppeteer } = await import('puppeteer-core');
  const geckoId = JSON.parse(fs.readFileSync(path.join(firefoxExtDir, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
  const uuid = '6f1d6a52-4a8e-4c1b-9b8e-0d4c1f3a7e21';
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: firefoxPath, headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
      'extensions.originControls.grantByDefault': true,
    },
  });
  const base = `moz-extension://${uuid}`;
  const pages = {};
  const errors = [];
  try {
    await browser.installExtension(firefoxExtDir);
  } catch (e) {
    await browser.close();
    throw e;
  }
  const newPage = async () => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    await page.setRequestInterception(true);
    page.on('request', async (req) => {
      const url = new URL(req.url());
      if (url.origin !== 'https://huggingface.co') return req.continue();
      if (url.pathname.startsWith('/api/')) {
        const res = await fetch(hub.url + url.pathname + url.search);
        const headers = Object.fromEntries(res.headers);
        if (headers.link) headers.link = headers.link.split(hub.url).join('https://huggingface.co');
        return req.respond({ status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) });
      }
      return req.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: fixtures[pages[url.pathname] || 'model'] });
    });
    return page;
  };
  // Runs fn(arg) in the options page (an extension page: chrome.* is there).
  // - The navigation happens (the page loads, in the extension's process) but BiDi's navigate never
  //   reports it (puppeteer-core 24 with Firefox 153: "Navigation timeout"), so the page's own state
  //   is awaited instead.
  // - Firefox's BiDi can also fail an evaluation while the page is being replaced ("Protocol error
  //   (script.evaluate): unknown error TypeError: right-hand side of 'in' should be an object, got
  //   null"; puppeteer gives up with 'Waiting failed'), and that page's later waits fail the same
  //   way (2 runs in 5 with a build beside them): the page is closed and opened again. fn has not
  //   run then, so it still runs once.
  const options = async (fn, arg) => {
    const url = `${base}/options.html`;
    for (let attempt = 1; ; ++attempt) {
      const page = await browser.newPage();
      try {
        page.goto(url, { timeout: 60000 }).catch(() => {});
        try {
          await page.waitForFunction((u) => location.href === u && document.readyState === 'complete', { polling: 50, timeout: 30000 }, url);
        } catch (e) {
          if (attempt < 5 && /^Protocol error/.test(e.cause?.message ?? '')) continue;
          throw e;
        }
        return await page.evaluate(fn, arg);
      } finally { await page.close(); }
    }
  };
  await options((s) => chrome.storage.local.set({ settings: s }), { hubOrigin: hub.url, retry: { baseMs: 5, capMs: 20 }, ...settings });
  return { browser, base, pages, errors, newPage, options, close: () => browser.close() };
}

// Records, from DOMContentLoaded on, every node added to or removed from the page and every
// attribute changed, so a test can say the extension's panel is all that changed. (The panel's
// skeleton goes in while the page is parsed, before DOMContentLoaded; the answer replaces it.)
export const recorder = () => {
  window.__changes = [];
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes') window.__changes.push(`attr ${r.attributeName} on ${r.target.nodeName}`);
        for (const n of r.addedNodes) window.__changes.push(`+${n.nodeType === 1 ? n.className || n.nodeName : '#text'}${n.dataset?.hfrecModel ? ` ${n.dataset.hfrecModel}` : ''}`);
        for (const n of r.removedNodes) window.__changes.push(`-${n.nodeType === 1 ? n.className || n.nodeName : '#text'}`);
      }
    }).observe(document, { childList: true, subtree: true, attributes: true });
  });
};

// The ad-hoc query the extension makes for a model it finds only through /api/models/<id>.
const adhocQuery = (m) => ({ task: m.pipeline_tag, library: m.library_name, modelType: m.config?.model_type,
  text: [m.id.replace(/[/_.-]+/g, ' '), ...(m.tags || [])].join(' ') });

// On `page` (Playwright's or puppeteer's), the first of `uncached` (models past the cached
// catalogue) with an owner, a task and a library: its panel has the CLI's answer to the ad-hoc
// query the extension makes from its /api/models/<id> record, which it asked the (mock) Hub for.
export async function checkAdhoc(t, page, hub, uncached, catalogueFile) {
  const u = uncached.find((m) => m.id.includes('/') && m.pipeline_tag && m.library_name);
  if (!u) {
    t.diagnostic('the mock has no model past the cached n with a task and a library: ad hoc not checked');
    return;
  }
  await page.goto(`https://huggingface.co/${u.id}`);
  assert.deepEqual(await panelIds(page, u.id), cliIds(catalogueFile, adhocQuery(u)));
  assert.ok(hub.requests.some((r) => r.path === `/api/models/${u.id}`));
}
