// Extension benchmark: DOMContentLoaded -> "Similar models" panel on a Hub model page, with a warm
// cache of a 50k catalogue. The catalogue is generated at run time (hfrec_gen from the shared 10k
// dump; nothing is written into the repository), served by the mock Hub; the built extension
// (dist-extension/chromium) fetches and caches it on the first page, then each of --runs pages
// (different models, full page loads) is timed from the page's DOMContentLoaded to the panel's
// insertion (performance.now() in a MutationObserver), and min / median / max are printed; so is
// navigation start -> panel. (The content script asks as soon as the card is parsed, before
// DOMContentLoaded, so the first figure can be negative.)
//
//   node tests/bench/extension_bench.mjs [--runs N] [--rows N] [--source FILE.csv]
//
// Skips with a message (exit 0) when the 10k source, the generator, the extension or Chromium is
// missing; under CI=true that is an error (exit 1).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMockHub } from '../mock_hub/server.mjs';
import { cannotRun, launch, root } from '../extension/helpers.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const runs = Math.max(1, Number(args.runs ?? 10));
const rows = Number(args.rows ?? 50000);
const source = args.source ?? path.resolve(root, '../shared/data/hf_models_10k.csv');
const gen = path.join(root, 'build/native-release/tests/bench/hfrec_gen');
const inCi = /^(true|1|yes)$/i.test(process.env.CI || '');
const skip = (why) => {
  console.log(`extension bench: skipped: ${why}`);
  process.exit(inCi ? 1 : 0);
};
if (!fs.existsSync(source)) skip(`${source} is absent`);
if (!fs.existsSync(gen)) skip(`${gen} is not built (cmake --build --preset native-release --target hfrec_gen)`);
const why = await cannotRun();
if (why) skip(why);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hfrec-ext-bench-'));
const file = path.join(tmp, 'catalogue.json');
execFileSync(gen, ['--source', source, '--rows', String(rows), '--seed', '1', '--format', 'json', '--out', file]);
const models = JSON.parse(fs.readFileSync(file, 'utf8'));
const hub = await startMockHub({ models, quiet: true });
const env = await launch(hub, { settings: { n: rows } });
const probe = () => {
  window.__panelAt = 0;
  new MutationObserver(() => {
    if (!window.__panelAt && document.querySelector('.hfrec-ext-panel .hfrec-ext-link')) window.__panelAt = performance.now();
  }).observe(document, { childList: true, subtree: true });
};
try {
  const byDownloads = [...models].sort((a, b) => b.downloads - a.downloads);
  const ids = byDownloads.filter((m) => m.id.includes('/')).slice(0, runs + 1).map((m) => m.id);
  const page = await env.context.newPage();
  await page.addInitScript(probe);
  const t0 = Date.now();
  await page.goto(`https://huggingface.co/${ids[0]}`);
  await page.waitForSelector('.hfrec-ext-panel .hfrec-ext-link', { timeout: 600000 });
  console.log(`extension bench: first page (fetch ${rows.toLocaleString('en-US')} models from the mock Hub, cache, load): ${Date.now() - t0} ms`);
  const times = [];
  const fromStart = [];
  for (const id of ids.slice(1)) {
    await page.goto(`https://huggingface.co/${id}`);
    await page.waitForSelector(`.hfrec-ext-panel[data-hfrec-model="${id}"] .hfrec-ext-link`, { timeout: 60000 });
    times.push(await page.evaluate(() => window.__panelAt - performance.getEntriesByType('navigation')[0].domContentLoadedEventStart));
    fromStart.push(await page.evaluate(() => window.__panelAt));
  }
  const f = (x) => x.toFixed(1);
  const spread = (xs) => {
    xs.sort((a, b) => a - b);
    return `min ${f(xs[0])} ms, median ${f(xs[Math.floor(xs.length / 2)])} ms, max ${f(xs.at(-1))} ms`;
  };
  console.log(`extension bench: over ${times.length} warm page loads, ${rows.toLocaleString('en-US')}-model catalogue: ` +
    `DOMContentLoaded -> panel ${spread(times)}; navigation start -> panel ${spread(fromStart)} ` +
    `(load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, ${os.cpus().length} CPUs)`);
} finally {
  await env.close();
  await hub.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
