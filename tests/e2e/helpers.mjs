// Shared setup for the end-to-end tests: a static server on a free port and headless Chromium
// (Debian's /usr/bin/chromium via playwright-core, WebGL2 through SwiftShader).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const dist = process.env.HFREC_DIST || path.join(root, 'dist');
export const artifacts = path.join(root, 'tests/e2e/artifacts');

// Starts scripts/serve.mjs on a free port; resolves {url, stop}.
export function startServer() {
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error(`${dist}/index.html is missing: run npm run build`);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(root, 'scripts/serve.mjs'), dist, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/at (http:\/\/\S+)/);
      if (m) resolve({ url: m[1], stop: () => p.kill() });
    });
    p.on('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
  });
}

// Playwright gives every launch a fresh temporary profile.
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
      '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync',
    ],
  });
  return browser;
}

// A page that records console errors and page errors.
export async function openPage(browser, url, { viewport = { width: 1280, height: 800 }, dpr = 1, colorScheme = 'light',
  acceptDownloads = false, setup = null, context: given = null } = {}) {
  // `setup(context)` runs before the page opens (routes); `context` reuses one (its storage).
  const context = given || await browser.newContext({ viewport, deviceScaleFactor: dpr, colorScheme, acceptDownloads });
  if (setup) await setup(context);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  const ok = await page.evaluate(() => window.hfrec.ready);
  return { context, page, errors, ok };
}

// Waits until the app is idle: no load or job running and nothing scheduled (no frame, no work
// slice, no glide: window.hfrec.idle()), after two animation frames so an event just sent has
// been seen. Polls the app's own flags; no fixed wait.
export async function settle(page) {
  for (;;) {
    await page.waitForFunction(() => !window.hfrec.state().busy && window.hfrec.idle());
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    if (await page.evaluate(() => !window.hfrec.state().busy && window.hfrec.idle())) return;
  }
}

// The test file's server and browser: started before its tests, stopped after them. Returns an
// object whose `server` and `browser` are set once the tests run. Set-up that needs them goes in
// `then(env)`: Node 20 does not wait for one top-level before() hook to finish before the next.
export function useBrowser(then = async () => {}) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launch();
    await then(env);
  });
  after(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}

export const state = (page) => page.evaluate(() => window.hfrec.state());

// The first widget whose `by` field ('label', 'name', ...) equals value, or null.
export async function widget(page, value, by = 'label') {
  const all = await page.evaluate(() => window.hfrec.widgets());
  return all.find((w) => w[by] === value) || null;
}

// Clicks the middle of a widget found through widgets() (a table row anywhere along it), hovering
// first as a hand would: ImGui 1.86 sees the pointer arrive, then the click.
export async function clickWidget(page, value, by = 'label') {
  await settle(page);
  const w = await widget(page, value, by);
  assert.ok(w, `widget '${value}' is visible`);
  await page.mouse.move(w.cx, w.cy);
  await settle(page);
  await page.mouse.click(w.cx, w.cy);
  await settle(page);
  return w;
}

// Saves a screenshot; returns its distinct colours (a blank page has very few) and mean luminance
// (0 black .. 255 white).
export async function screenshot(page, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  const png = fs.readFileSync(file).toString('base64');
  // Count distinct colours of the screenshot (a blank or single-colour page has very few).
  const colours = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const g = document.createElement('canvas');
    g.width = 320; g.height = 200;
    const x = g.getContext('2d');
    x.drawImage(img, 0, 0, 320, 200);
    const d = x.getImageData(0, 0, 320, 200).data;
    const set = new Set();
    let luma = 0;
    for (let i = 0; i < d.length; i += 4) {
      set.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      luma += 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
    }
    return { colours: set.size, luma: luma / (d.length / 4), width: img.naturalWidth, height: img.naturalHeight };
  }, png);
  return { file, ...colours };
}
