// `hfrec fetch` against the mock Hub (tests/mock_hub/server.mjs) on 127.0.0.1: paging, faults,
// resume, the catalogue it writes read back by `hfrec recommend`, and scripts/fetch-demo-catalogue.sh.
// Waits are shrunk (--retry-base-ms 1, HFREC_FETCH_SECOND_MS=1); nothing here reads a clock.
// Run: node --test tests/cli/   (needs build/native-release/hfrec, or HFREC_CLI=path)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { defaultDataFile, loadModels, parseCsv, startMockHub } from '../mock_hub/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.HFREC_CLI || path.join(root, 'build/native-release/hfrec');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hfrec-fetch-'));
const fast = ['--retry-base-ms', '1'];
const env = { ...process.env, HFREC_FETCH_SECOND_MS: '1' };

// Runs a program without blocking this process's event loop (the mock Hub answers from it). The
// output is decoded once it is all in: a pipe's chunks can end inside a UTF-8 character (stdio
// writes 4,096 bytes at a time), and decoding each chunk on its own would turn that character into
// two U+FFFD, differently from run to run.
function run(cmd, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    p.stdout.on('data', (d) => stdout.push(d));
    p.stderr.on('data', (d) => stderr.push(d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}
const hfrec = (...args) => run(cli, args);
const out = (name) => path.join(tmp, name);
const stats = async (file) => {
  const r = await hfrec('stats', '--catalogue', file);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
};
const ids = (file) => fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => (l.startsWith('"') ? l.slice(1, l.indexOf('"', 1)) : l.slice(0, l.indexOf(','))));
const count = (hub, pred) => hub.requests.filter(pred).length;

// The mock's models (10,000 from ../shared/data, or the 55 of web/catalogue.csv where that is
// absent): page sizes and counts below scale with them, so the same pages and faults are exercised.
const models = loadModels(defaultDataFile());
const P = Math.min(500, Math.floor(models.length / 10));  // the mock's page cap
const L = 4 * P;                                          // models fetched: four pages

// The mock's answer to "the top n by downloads": its models in the Hub's order.
function topByDownloads(hub, n) {
  return [...hub.models].sort((a, b) => b.downloads - a.downloads || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, n).map((m) => m.id);
}

before(() => {
  assert.ok(fs.existsSync(cli), `${cli} is missing: build it (cmake --build --preset native-release) or set HFREC_CLI`);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe(`hfrec fetch against a mock Hub that caps pages at ${P}`, () => {
  let hub;
  let clean;  // the fault-free fetch, byte for byte what every recovered fetch must write
  before(async () => { hub = await startMockHub({ pageCap: P, models: loadModels(defaultDataFile()) }); });
  after(async () => { await hub.close(); });
  const fetchL = (file, ...more) => hfrec('fetch', '--out', file, '--hub', hub.url, '--limit', String(L), ...fast, ...more);
  const reset = () => { hub.setFaults([]); hub.requests.length = 0; };

  test('pages through the listing and writes the top N as a CSV every command reads', async () => {
    reset();
    clean = out('clean.csv');
    const r = await fetchL(clean);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`wrote ${L} models to .*clean\\.csv \\(reached ${L} models; 4 pages, 0 retries, 0 rate-limited waits\\)`));
    assert.deepEqual(ids(clean), topByDownloads(hub, L));
    assert.equal((await stats(clean)).rows, L);
    assert.equal(fs.readFileSync(clean, 'utf8').split('\n')[0],
      'modelId,lastModified,tags,pipeline_tag,author,architectures,model_type,datasets,downloads,library_name,base_model');
    const lists = hub.requests.filter((q) => q.path === '/api/models');
    assert.equal(lists.length, 4);
    assert.deepEqual(lists.map((q) => q.page), [1, 2, 3, 4]);
    assert.equal(lists[0].query.sort, 'downloads');
    assert.equal(lists[0].query.direction, '-1');
    assert.equal(lists[0].query.limit, String(Math.min(L, 1000)));
    assert.ok(!fs.existsSync(`${clean}.resume.json`), 'a finished fetch leaves no resume state');
  });

  test('waits out 429s with Retry-After seconds, an HTTP date, and none', async () => {
    reset();
    hub.setFaults([
      { kind: 'rate_limit', page: 2, retryAfter: 1 },
      { kind: 'rate_limit', page: 3, retryAfter: 'date' },
      { kind: 'rate_limit', page: 4 },
    ]);
    const file = out('429.csv');
    const r = await fetchL(file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /page 2: HTTP 429 \(rate limited\), Retry-After 1 s: waiting 1 ms/);
    assert.match(r.stderr, /page 3: HTTP 429 \(rate limited\), Retry-After \d s: waiting \d ms/);
    assert.match(r.stderr, /page 4: HTTP 429 \(rate limited\), no Retry-After, backing off: waiting 1 ms/);
    assert.match(r.stderr, /0 retries, 3 rate-limited waits/);
    assert.equal(count(hub, (q) => q.status === 429), 3);
    assert.equal(fs.readFileSync(file, 'utf8'), fs.readFileSync(clean, 'utf8'));
  });

  test('retries 500s and a dropped connection, then goes on', async () => {
    reset();
    hub.setFaults([{ kind: 'status', status: 500, page: 2, times: 2 }, { kind: 'drop', page: 3 }, { kind: 'status', status: 503, page: 4 }]);
    const file = out('500.csv');
    const r = await fetchL(file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /page 2: HTTP 500; retry 1 of 5 in 1 ms/);
    assert.match(r.stderr, /page 2: HTTP 500; retry 2 of 5 in 2 ms/);
    assert.match(r.stderr, /page 3: network error: .*; retry 1 of 5/);
    assert.match(r.stderr, /page 4: HTTP 503; retry 1 of 5/);
    assert.match(r.stderr, /4 pages, 4 retries, 0 rate-limited waits/);
    assert.equal(count(hub, (q) => q.fault === 'drop'), 1);
    assert.equal(fs.readFileSync(file, 'utf8'), fs.readFileSync(clean, 'utf8'));
  });

  test('gives up on a server that keeps failing: exit 4, the partial file kept', async () => {
    reset();
    hub.setFaults([{ kind: 'status', status: 502, page: 2, times: 'always' }]);
    const file = out('502.csv');
    const r = await fetchL(file, '--retries', '2');
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /page 2: HTTP 502; gave up after 2 retries/);
    assert.match(r.stderr, new RegExp(`stopped with ${P} models in .*502\\.csv`));
    assert.match(r.stderr, /502\.csv \(partial\); go on with: hfrec fetch --out .*502\.csv --resume .*502\.csv\.resume\.json/);
    assert.equal(count(hub, (q) => q.status === 502), 3);
    assert.equal((await stats(file)).rows, P);
  });

  test('a truncated page: exit 4 keeping what came before, then --resume completes', async () => {
    reset();
    hub.setFaults([{ kind: 'truncate', page: 3, times: 'always' }]);
    const file = out('cut.csv');
    const state = out('cut.state.json');
    let r = await fetchL(file, '--retries', '1', '--resume', state);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /page 3: unreadable page: JSON byte \d+: .*; gave up after 1 retries/);
    assert.match(r.stderr, new RegExp(`stopped with ${2 * P} models`));
    assert.equal((await stats(file)).rows, 2 * P);
    const saved = JSON.parse(fs.readFileSync(state, 'utf8'));
    assert.equal(saved.rows, 2 * P);
    assert.equal(saved.pages, 2);
    assert.match(saved.next, /cursor=/);
    reset();
    r = await hfrec('fetch', '--out', file, '--resume', state, ...fast);  // hub and sort come from the state
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`resuming with ${2 * P} models`));
    assert.match(r.stderr, new RegExp(`wrote ${L} models`));
    assert.deepEqual(hub.requests.map((q) => q.page), [3, 4]);
    assert.ok(!fs.existsSync(state));
    assert.equal(fs.readFileSync(file, 'utf8'), fs.readFileSync(clean, 'utf8'));
  });

  test('a truncated JSON catalogue resumes into the same JSON as a clean fetch', async () => {
    reset();
    const cleanJson = out('clean.json');
    assert.equal((await fetchL(cleanJson)).code, 0);
    hub.setFaults([{ kind: 'truncate', page: 2, times: 'always' }]);
    const file = out('cut.json');
    let r = await fetchL(file, '--retries', '0');
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /gave up after 0 retries/);
    assert.equal((await stats(file)).rows, P);
    hub.setFaults([]);
    r = await hfrec('fetch', '--out', file, '--resume', `${file}.resume.json`, ...fast);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.readFileSync(file, 'utf8'), fs.readFileSync(cleanJson, 'utf8'));
    assert.equal((await stats(file)).format, 'json');
  });

  test('follows an empty page that links on', async () => {
    reset();
    hub.setFaults([{ kind: 'empty', page: 2 }]);
    const file = out('empty.csv');
    const r = await fetchL(file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /5 pages, 0 retries/);
    assert.equal(fs.readFileSync(file, 'utf8'), fs.readFileSync(clean, 'utf8'));
  });

  test('finds a cursor loop: exit 4, the pages before it kept', async () => {
    reset();
    hub.setFaults([{ kind: 'loop', page: 3 }]);
    const file = out('loop.csv');
    const r = await fetchL(file);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /page 3: cursor loop: its next link was already followed: 'http:\/\/127\.0\.0\.1:\d+\/api\/models\?.*cursor=/);
    assert.match(r.stderr, new RegExp(`stopped with ${3 * P} models`));
    assert.equal((await stats(file)).rows, 3 * P);
  });

  test('sort=lastModified lists the models that just changed first', async () => {
    reset();
    const touched = hub.touch(3);
    const file = out('recent.csv');
    const r = await hfrec('fetch', '--out', file, '--hub', hub.url, '--sort', 'lastModified', '--limit', '3', ...fast);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(ids(file), [...touched].reverse());
    hub.setFaults([{ kind: 'lastModifiedChanges', count: 2, times: 'always' }]);
    const again = await hfrec('fetch', '--out', file, '--hub', hub.url, '--sort', 'lastModified', '--limit', String(3 * P), ...fast);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(hub.requests.filter((q) => q.touched).length >= 3);  // the listing changed under every page
  });

  test('a hub that does not answer: exit 4 after the retries', async () => {
    const closed = await startMockHub({ models: [] });
    const url = closed.url;
    await closed.close();
    const file = out('down.csv');
    const r = await hfrec('fetch', '--out', file, '--hub', url, '--retries', '1', ...fast);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /page 1: network error: .*; gave up after 1 retries/);
    assert.match(r.stderr, /stopped with 0 models/);
  });

  test('bad arguments: exit 2 with a message', async () => {
    const cases = [
      [[], 'hfrec fetch: --out FILE.csv or FILE.json is required'],
      [['--out', out('x.txt')], `hfrec fetch: --out must name a .csv or .json file, got '${out('x.txt')}'`],
      [['--out', out('x.csv'), '--sort', 'trending'], "hfrec fetch: sort: expected downloads, likes, lastModified or createdAt, got 'trending'"],
      [['--out', out('x.csv'), '--limit', '-1'], "hfrec fetch: --limit must be an integer from 0 to 100000000, got '-1'"],
      [['--out', out('x.csv'), '--hub', 'huggingface.co'], "hfrec fetch: hub: expected http://HOST[:PORT] or https://HOST[:PORT], got 'huggingface.co'"],
    ];
    for (const [args, message] of cases) {
      const r = await hfrec('fetch', ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.split('\n')[0], message);
    }
    fs.writeFileSync(out('state.json'), JSON.stringify({ hfrec_fetch_state: 1, host: hub.url, sort: 'likes', n: 10, next: '', rows: 0, pages: 0 }));
    const r = await hfrec('fetch', '--out', out('x.csv'), '--resume', out('state.json'), '--sort', 'downloads');
    assert.equal(r.code, 2);
    assert.equal(r.stderr.split('\n')[0], `hfrec fetch: --resume ${out('state.json')} was written for --sort likes, not downloads`);
  });
});

// The source CSV's own rows (cells as written) in another order: the same catalogue as a file
// listed in the Hub's order.
function reorderedCsv(file, order, to) {
  const rows = parseCsv(fs.readFileSync(file, 'utf8'));
  const id = rows[0].findIndex((h) => h.trim() === 'modelId');
  const byId = new Map();
  for (const r of rows.slice(1)) if (!byId.has(r[id])) byId.set(r[id], r);
  const cell = (c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
  fs.writeFileSync(to, [rows[0], ...order.map((k) => byId.get(k))].map((r) => r.map(cell).join(',')).join('\n') + '\n');
  return to;
}

describe('the fetched catalogue recommends as the CSV it came from', () => {
  let hub;
  before(async () => { hub = await startMockHub({}); });
  after(async () => { await hub.close(); });

  test('every model, as CSV and as JSON, gives the same recommendations as the source file', async () => {
    const csv = out('all.csv');
    const json = out('all.json');
    for (const file of [csv, json]) {
      const r = await hfrec('fetch', '--out', file, '--hub', hub.url, '--limit', '0', ...fast);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`wrote ${hub.models.length} models .*the Hub lists no more models`));
    }
    // Every 97th model (and at least 3) of the source, under every method. The source rows in the
    // Hub's order must give the same bytes; the source file as it is, too, for the methods whose
    // results do not depend on row order (hybrid's sums and kmeans' seeding do).
    const queries = out('queries.txt');
    fs.writeFileSync(queries, hub.models.filter((_, k) => k % 97 === 0 || k < 3).map((m) => m.id).join('\n') + '\n');
    const inHubOrder = reorderedCsv(hub.dataFile, ids(csv), out('source-in-hub-order.csv'));
    const recommend = async (file, method) => {
      const r = await hfrec('recommend', '--catalogue', file, '--method', method, '-k', '10', '--queries', queries);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    for (const method of ['cosine', 'jaccard', 'tfidf', 'knn', 'kmeans', 'hybrid']) {
      const want = await recommend(inHubOrder, method);
      if (!['kmeans', 'hybrid'].includes(method)) assert.equal(await recommend(hub.dataFile, method), want, method);
      for (const file of [csv, json]) assert.equal(await recommend(file, method), want, `${method} on ${path.basename(file)}`);
    }
  });
});

describe('scripts/fetch-demo-catalogue.sh', () => {
  const cap = Math.min(100, Math.floor(models.length / 10));
  const N = 3 * cap;
  let hub;
  before(async () => { hub = await startMockHub({ pageCap: cap, models: loadModels(defaultDataFile()) }); });
  after(async () => { await hub.close(); });
  const script = path.join(root, 'scripts/fetch-demo-catalogue.sh');
  const demo = (dir, more = {}) => run('bash', [script, dir], {
    HFREC_HUB: hub.url, HFREC_HUB_N: String(N), HFREC_CLI: cli, HFREC_FETCH_ARGS: '--retry-base-ms 1 --retries 1', ...more,
  });

  test('prints the fetched catalogue of the top N by downloads', async () => {
    hub.setFaults([]);
    const dir = fs.mkdtempSync(path.join(tmp, 'demo-'));
    const r = await demo(dir);
    assert.equal(r.code, 0, r.stderr);
    const file = r.stdout.trim();
    assert.equal(file, path.join(dir, `hub-top-${N}.csv`));
    assert.deepEqual(ids(file), topByDownloads(hub, N));
  });

  test('falls back to the default catalogue when the fetch fails', async () => {
    hub.setFaults([{ kind: 'status', status: 500, page: 2, times: 'always' }]);
    const dir = fs.mkdtempSync(path.join(tmp, 'demo-'));
    const r = await demo(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), path.join(root, 'web/catalogue.csv'));
    assert.match(r.stderr, /fetch-demo-catalogue: the fetch failed \(exit 4\); shipping the default catalogue/);
  });
});
