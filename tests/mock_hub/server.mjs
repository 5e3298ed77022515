// A mock of the Hugging Face Hub's model listing, for tests: no dependencies, loopback only.
//
// Serves GET /api/models (sort, direction, limit capped at pageCap, expand[], search, author,
// cursor paging with a Link rel="next" header) and GET /api/models/<id>, with CORS for browser
// tests. Its models come from ../shared/data/hf_models_10k.csv when present, else from
// web/catalogue.csv ($HFREC_MOCK_DATA overrides both), converted at start-up to list-models
// objects (nothing generated is written).
//
// Faults are injected through setFaults() (or POST /_mock/faults, or --faults on the command line):
// a list of {kind, page?, times?, ...}, each applied to list requests of that 1-based page number
// (any page when omitted) until used `times` times (default 1; Infinity or "always" for ever):
//   {kind: "rate_limit", retryAfter?: 2 | "date"}  429, with Retry-After seconds, an HTTP date
//                                                   one second on ("date"), or none
//   {kind: "status", status?: 500}                 that status and a JSON error body
//   {kind: "drop"}                                 headers and half the page, then the connection closes
//   {kind: "truncate"}                             a complete 200 answer whose JSON stops halfway
//   {kind: "empty"}                                [] with a next link to the same page (a fresh cursor)
//   {kind: "loop"}                                 the page, with a next link back to the previous page
//   {kind: "lastModifiedChanges", count?: 1}       before answering, `count` models change lastModified
// touch(n) changes n models at once (the same as POST /_mock/touch {"count": n}).
// hold(page) keeps every list request for that page waiting (before faults apply) until
// release(page) (every page when omitted); `held` lists the pages waiting now (POST /_mock/hold
// {"page": p}, POST /_mock/release {"page"?: p}).
//
// Use from a test:   const hub = await startMockHub({pageCap: 500}); ... hub.url ... await hub.close();
// Use by hand:       node tests/mock_hub/server.mjs --port 8123 [--page-cap N] [--data FILE] [--faults JSON]
//
// [SECTION] CSV and Python list literals   [SECTION] Models   [SECTION] Server   [SECTION] Command line
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
export const defaultDataFiles = [path.resolve(root, '../shared/data/hf_models_10k.csv'), path.join(root, 'web/catalogue.csv')];

// The CSV the mock serves unless told otherwise: $HFREC_MOCK_DATA, else the first of defaultDataFiles.
export function defaultDataFile() {
  return process.env.HFREC_MOCK_DATA || defaultDataFiles.find((f) => fs.existsSync(f));
}

// [SECTION] CSV and Python list literals ----------------------------------------------------------

// RFC 4180 records of a CSV text: arrays of strings.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// A Python literal (as pandas wrote list cells) as a JS value: lists and tuples as arrays, dicts as
// objects, None as null, True/False, numbers and strings.
export function parsePyLiteral(s) {
  let i = 0;
  const ws = () => { while (i < s.length && /\s/.test(s[i])) i++; };
  const fail = (what) => { throw new Error(`python literal: expected ${what} at ${i + 1} in ${s.slice(0, 60)}`); };
  function str() {
    const q = s[i++];
    let out = '';
    while (i < s.length && s[i] !== q) {
      if (s[i] === '\\') {
        const e = s[++i];
        const simple = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
        if (e in simple) { out += simple[e]; i++; }
        else if (e === 'x') { out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16)); i += 3; }
        else if (e === 'u') { out += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16)); i += 5; }
        else if (e === 'U') { out += String.fromCodePoint(parseInt(s.slice(i + 1, i + 9), 16)); i += 9; }
        else { out += '\\' + e; i++; }
      } else out += s[i++];
    }
    if (s[i] !== q) fail('a closing quote');
    i++;
    return out;
  }
  function seq(close) {
    const out = [];
    i++;
    for (;;) {
      ws();
      if (s[i] === close) { i++; return out; }
      out.push(value());
      ws();
      if (s[i] === ',') i++;
      else if (s[i] !== close) fail(`',' or '${close}'`);
    }
  }
  function value() {
    ws();
    const c = s[i];
    if (c === '[') return seq(']');
    if (c === '(') return seq(')');
    if (c === "'" || c === '"') return str();
    if (c === '{') {
      const o = {};
      i++;
      for (;;) {
        ws();
        if (s[i] === '}') { i++; return o; }
        const k = value();
        ws();
        if (s[i++] !== ':') fail("':'");
        o[String(k)] = value();
        ws();
        if (s[i] === ',') i++;
      }
    }
    const m = /^(None|True|False|-?[0-9][0-9.eE+-]*)/.exec(s.slice(i));
    if (!m) fail('a value');
    i += m[0].length;
    return m[0] === 'None' ? null : m[0] === 'True' ? true : m[0] === 'False' ? false : Number(m[0]);
  }
  const v = value();
  ws();
  if (i !== s.length) fail('the end');
  return v;
}

// [SECTION] Models --------------------------------------------------------------------------------

function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
  return h >>> 0;
}

// One CSV row (by header name) as a Hub list-models object with every field hfrec reads. Empty
// cells are left out, as the Hub leaves out what a model lacks; an empty author is null (so a
// reader does not take it from the id).
export function rowToModel(h, cells) {
  const get = (k) => (h[k] === undefined ? '' : cells[h[k]] ?? '');
  const id = get('modelId') || get('id');
  const list = (v) => (v === '' ? undefined : v.trim().startsWith('[') || v.trim().startsWith('(') ? parsePyLiteral(v) : v);
  const m = { _id: (hash(id).toString(16).padStart(8, '0') + hash(id + '#').toString(16).padStart(8, '0')).padEnd(24, '0'), id, modelId: id };
  m.author = get('author') || null;
  const downloads = Number(get('downloads') || 0);
  m.downloads = Number.isFinite(downloads) ? Math.trunc(downloads) : 0;
  m.likes = Math.trunc(m.downloads / 5000) + (hash(id) % 50);
  if (get('lastModified')) m.lastModified = get('lastModified');
  const created = Date.parse(get('lastModified') || '2022-01-01T00:00:00.000Z') - (hash(id) % 400) * 86400e3;
  m.createdAt = new Date(created).toISOString();
  if (get('library_name')) m.library_name = get('library_name');
  if (get('pipeline_tag')) m.pipeline_tag = get('pipeline_tag');
  const tags = list(get('tags'));
  if (tags !== undefined) m.tags = Array.isArray(tags) ? tags : [tags];
  const config = {};
  const arch = list(get('architectures'));
  if (arch !== undefined) config.architectures = Array.isArray(arch) ? arch : [arch];
  if (get('model_type')) config.model_type = get('model_type');
  if (Object.keys(config).length) m.config = config;
  const card = {};
  const ds = list(get('datasets'));
  if (ds !== undefined) card.datasets = ds;
  for (const t of m.tags || []) {
    if (typeof t !== 'string') continue;
    if (t.startsWith('license:')) card.license = t.slice(8);
    if (t.startsWith('base_model:') && t.split(':').length === 2) card.base_model = t.slice(11);
  }
  if (Object.keys(card).length) m.cardData = card;
  return m;
}

// The models of a catalogue CSV, the first of each id kept.
export function loadModels(file) {
  const rows = parseCsv(fs.readFileSync(file, 'utf8'));
  const h = {};
  rows[0].forEach((name, k) => { h[name.trim()] = k; });
  const seen = new Set();
  const models = [];
  for (const cells of rows.slice(1)) {
    const m = rowToModel(h, cells);
    if (!m.id || seen.has(m.id)) continue;
    seen.add(m.id);
    models.push(m);
  }
  return models;
}

const kSorts = ['downloads', 'likes', 'lastModified', 'createdAt'];
const kExpandable = new Set(['author', 'cardData', 'config', 'downloads', 'lastModified', 'library_name', 'pipeline_tag',
  'tags', 'likes', 'createdAt', 'private', 'gated', 'disabled', 'sha', 'siblings', 'spaces', 'safetensors',
  'trendingScore', 'widgetData', 'model-index', 'transformersInfo', 'inference', 'downloadsAllTime', 'gguf']);
const kDefaultFields = ['likes', 'downloads', 'pipeline_tag', 'library_name', 'tags', 'createdAt', 'modelId'];

function encodeCursor(c) { return Buffer.from(JSON.stringify(c)).toString('base64url'); }
function decodeCursor(s) {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString());
    return Number.isInteger(c.o) && c.o >= 0 ? c : null;
  } catch { return null; }
}

// [SECTION] Server --------------------------------------------------------------------------------

// Starts the mock on 127.0.0.1. Options: port (0: a free one), pageCap (1000), data (a CSV file),
// models (list-models objects, instead of a file), faults (as setFaults), quiet, exposeLink (true;
// false: CORS does not expose Link, as a server that does not list it).
// Resolves {url, close, setFaults, requests, models, touch, hold, release, held, whenHeld, dataFile}; `requests` is the live log of
// {method, path, query, page, status, fault}.
export async function startMockHub(opts = {}) {
  const pageCap = opts.pageCap ?? 1000;
  let dataFile = null;
  let models = opts.models;
  if (!models) {
    dataFile = opts.data ?? defaultDataFile();
    if (!dataFile) throw new Error('mock hub: no data file (../shared/data/hf_models_10k.csv or web/catalogue.csv)');
    models = loadModels(dataFile);
  }
  const byId = new Map(models.map((m) => [m.id, m]));
  let faults = [];
  const requests = [];
  const served = new Map();  // listing key + offset -> the URL that served it (for loop links)
  const orders = new Map();  // sort|direction -> models in order
  let generation = 0;
  let base = '';

  function setFaults(list = []) {
    faults = list.map((f) => ({ ...f, left: f.times === undefined ? 1 : f.times === 'always' ? Infinity : Number(f.times) }));
  }
  setFaults(opts.faults);

  function touch(count = 1) {
    generation++;
    const ids = [];
    for (let k = 0; k < count && k < models.length; k++) {
      const m = models[(generation * 7919 + k * 104729) % models.length];
      m.lastModified = new Date(Date.UTC(2100, 0, 1) + (generation * 1000 + k) * 1000).toISOString();
      m.likes += 1;
      ids.push(m.id);
    }
    orders.clear();
    return ids;
  }

  // Held pages: a list request for one waits until release() (tests stop paging at a known page).
  const holds = new Map();  // page -> {promise, resolve, waiting, arrived}
  const held = [];
  function hold(page) {
    if (holds.has(page)) return;
    let resolve;
    const promise = new Promise((r) => { resolve = r; });
    let arrived;
    const waiting = new Promise((r) => { arrived = r; });
    holds.set(page, { promise, resolve, waiting, arrived });
  }
  // Resolves once a request for the held `page` is waiting (it is in `held`): the page's request
  // is sent asynchronously after the state a test waits for, so a test awaits this, not a clock.
  function whenHeld(page) {
    const h = holds.get(page);
    if (!h) return Promise.reject(new Error(`page ${page} is not held`));
    return h.waiting;
  }
  // Lets the requests for `page` (every held page when omitted) go on.
  function release(page) {
    for (const [p, h] of holds) if (page === undefined || p === page) { h.resolve(); holds.delete(p); }
  }
  async function waitIfHeld(url) {
    const q = url.searchParams;
    const limit = Math.min(pageCap, Number(q.get('limit') ?? pageCap));
    const cursor = q.has('cursor') ? decodeCursor(q.get('cursor')) : { o: 0 };
    if (!cursor || !Number.isInteger(limit) || limit < 1) return;
    const page = Math.floor(cursor.o / limit) + 1;
    const h = holds.get(page);
    if (!h) return;
    held.push(page);
    h.arrived();
    await h.promise;
    held.splice(held.indexOf(page), 1);
  }

  function ordered(sort, direction) {
    const key = `${sort}|${direction}`;
    if (!orders.has(key)) {
      const v = (m) => (sort === 'lastModified' || sort === 'createdAt' ? Date.parse(m[sort] ?? '') || 0 : m[sort] ?? 0);
      const list = [...models].sort((a, b) => (v(a) === v(b) ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : (v(a) - v(b)) * direction));
      orders.set(key, list);
    }
    return orders.get(key);
  }

  function pick(m, fields) {
    const o = { _id: m._id, id: m.id };
    for (const f of fields) if (f === 'modelId') o.modelId = m.id; else if (m[f] !== undefined) o[f] = m[f];
    return o;
  }

  function takeFault(page) {
    for (const f of faults) {
      if (f.left <= 0 || (f.page !== undefined && f.page !== page)) continue;
      f.left--;
      return f;
    }
    return null;
  }

  function send(res, status, body, headers = {}) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
    return status;
  }

  function listModels(req, res, url, log) {
    const q = url.searchParams;
    const sort = q.get('sort') ?? 'downloads';
    if (!kSorts.includes(sort)) return send(res, 400, { error: `Invalid sort: ${sort}` });
    const direction = q.get('direction') === '1' ? 1 : -1;
    const limitText = q.get('limit') ?? String(pageCap);
    const limit = Math.min(pageCap, Number(limitText));
    if (!Number.isInteger(limit) || limit < 1) return send(res, 400, { error: `Invalid limit: ${limitText}` });
    const expand = q.getAll('expand[]');
    if (expand.length && ['full', 'config', 'cardData'].some((k) => q.has(k)))
      return send(res, 400, { error: 'expand cannot be combined with full, config or cardData' });
    for (const f of expand) if (!kExpandable.has(f)) return send(res, 400, { error: `Invalid expand: ${f}` });
    let cursor = { o: 0, n: 0 };
    if (q.has('cursor')) {
      cursor = decodeCursor(q.get('cursor'));
      if (!cursor) return send(res, 400, { error: 'Invalid cursor' });
    }
    const page = Math.floor(cursor.o / limit) + 1;
    log.page = page;
    const fault = takeFault(page);
    log.fault = fault?.kind ?? null;
    if (fault?.kind === 'lastModifiedChanges') log.touched = touch(fault.count ?? 1);
    if (fault?.kind === 'rate_limit') {
      const headers = {};
      if (fault.retryAfter === 'date') headers['Retry-After'] = new Date(Math.floor(Date.now() / 1000) * 1000 + 1000).toUTCString();
      else if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
      return send(res, 429, { error: 'You have been rate-limited; try again later.' }, headers);
    }
    if (fault?.kind === 'status') return send(res, fault.status ?? 500, { error: 'Internal Error - We\'re working hard to fix this as soon as possible!' });

    let list = ordered(sort, direction);
    const search = q.get('search');
    if (search) list = list.filter((m) => m.id.toLowerCase().includes(search.toLowerCase()));
    const author = q.get('author');
    if (author) list = list.filter((m) => m.author === author);
    const fields = expand.length ? expand : kDefaultFields;
    const listing = `${sort}|${direction}|${limit}|${search ?? ''}|${author ?? ''}`;
    const self = base + req.url;
    const linkTo = (c) => {
      const p = new URLSearchParams(url.search);
      p.set('cursor', encodeCursor(c));
      return `<${base}/api/models?${p.toString()}>; rel="next"`;
    };
    if (fault?.kind === 'empty') return send(res, 200, '[]', { Link: linkTo({ o: cursor.o, n: cursor.n + 1 }) });
    const rows = list.slice(cursor.o, cursor.o + limit).map((m) => pick(m, fields));
    const headers = {};
    if (cursor.o + limit < list.length) headers.Link = linkTo({ o: cursor.o + limit, n: 0 });
    if (fault?.kind === 'loop') headers.Link = `<${served.get(`${listing}|${cursor.o - limit}`) ?? self}>; rel="next"`;
    served.set(`${listing}|${cursor.o}`, self);
    const body = JSON.stringify(rows);
    if (fault?.kind === 'truncate') return send(res, 200, body.slice(0, Math.floor(body.length / 2)), headers);
    if (fault?.kind === 'drop') {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
      res.write(body.slice(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return 200;
    }
    return send(res, 200, body, headers);
  }

  async function readBody(req) {
    let s = '';
    for await (const chunk of req) s += chunk;
    return s ? JSON.parse(s) : null;
  }

  const sockets = new Set();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, base);
    const log = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), page: null, status: 0, fault: null };
    res.setHeader('Access-Control-Allow-Origin', '*');
    // exposeLink: false is a server that does not list Link: a cross-origin page cannot read it.
    res.setHeader('Access-Control-Expose-Headers', opts.exposeLink === false ? 'Retry-After' : 'Link, Retry-After');
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': '*', 'Access-Control-Max-Age': '600' });
        res.end();
        return;
      }
      if (url.pathname.startsWith('/_mock/')) {
        const what = url.pathname.slice(7);
        if (what === 'faults' && req.method === 'POST') { setFaults((await readBody(req)) ?? []); send(res, 200, { ok: true }); return; }
        if (what === 'faults') { send(res, 200, faults); return; }
        if (what === 'requests') { send(res, 200, requests); return; }
        if (what === 'reset' && req.method === 'POST') { setFaults([]); requests.length = 0; send(res, 200, { ok: true }); return; }
        if (what === 'hold' && req.method === 'POST') { hold((await readBody(req))?.page); send(res, 200, { ok: true }); return; }
        if (what === 'release' && req.method === 'POST') { release((await readBody(req))?.page); send(res, 200, { ok: true }); return; }
        if (what === 'touch' && req.method === 'POST') { send(res, 200, { touched: touch((await readBody(req))?.count ?? 1) }); return; }
        send(res, 404, { error: `no mock control '${what}'` });
        return;
      }
      requests.push(log);
      if (req.method !== 'GET' && req.method !== 'HEAD') { log.status = send(res, 405, { error: 'Method not allowed' }); return; }
      if (url.pathname === '/api/models' || url.pathname === '/api/models/') await waitIfHeld(url);
      if (url.pathname === '/api/models' || url.pathname === '/api/models/') { log.status = listModels(req, res, url, log); return; }
      if (url.pathname.startsWith('/api/models/')) {
        const id = decodeURIComponent(url.pathname.slice('/api/models/'.length).replace(/\/$/, ''));
        const m = byId.get(id);
        log.status = m ? send(res, 200, m) : send(res, 404, { error: 'Repository not found' });
        return;
      }
      log.status = send(res, 404, { error: 'Not found' });
    } catch (e) {
      log.status = send(res, 500, { error: String(e) });
    }
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${server.address().port}`;
  if (!opts.quiet && opts.announce) console.log(`mock hub: ${models.length} models${dataFile ? ` from ${dataFile}` : ''} at ${base}`);
  return {
    url: base,
    models,
    dataFile,
    requests,
    setFaults,
    touch,
    hold,
    release,
    held,
    whenHeld,
    close: () => new Promise((resolve) => {
      release();
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

// [SECTION] Command line --------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => { const k = args.indexOf(name); return k >= 0 ? args[k + 1] : undefined; };
  if (args.includes('--help')) {
    console.log('usage: node tests/mock_hub/server.mjs [--port N] [--page-cap N] [--data FILE.csv] [--faults JSON]');
    process.exit(0);
  }
  const hub = await startMockHub({
    port: Number(opt('--port') ?? 0),
    pageCap: opt('--page-cap') ? Number(opt('--page-cap')) : undefined,
    data: opt('--data'),
    faults: opt('--faults') ? JSON.parse(opt('--faults')) : [],
    announce: true,
  });
  const stop = () => hub.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
