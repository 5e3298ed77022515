// The recommender host: keeps hfrec-core loaded with the cached Hub catalogue and answers
// "similar models" queries. Runs in the offscreen document (Chromium) or the background page
// (Firefox); the service worker passes the settings in each message (offscreen documents have no
// chrome.storage). Talks to nothing but the Hub's API (settings.hubOrigin, https://huggingface.co).
import { Catalogue } from './core/index.js';
import { fetchModels } from './hub_fetch.js';

// ---- the cache: IndexedDB of the extension's origin, one record per (host, n) -----------------
const DB = 'hfrec-ext', STORE = 'catalogues';
function db() {
  return new Promise((res, rej) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'key' });
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
}
async function tx(mode, fn) {
  const d = await db();
  try {
    return await new Promise((res, rej) => {
      const t = d.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => res(req ? req.result : undefined);
      t.onerror = () => rej(t.error);
      t.onabort = () => rej(t.error);
    });
  } finally { d.close(); }
}
const keyOf = (s) => `${s.hubOrigin} n=${s.n}`;

// ---- the loaded catalogue --------------------------------------------------------------------
let loaded = null;    // {key, cat, fetchedAt, rows}
let loading = null;   // a promise of loaded, shared by concurrent queries
let refreshing = null;

async function fetchAndStore(s) {
  const r = await fetchModels({ host: s.hubOrigin, n: s.n, policy: s.retry || {} });
  if (!r.ok || !r.rows) return { ok: false, error: r.error || 'the Hub listed no models' };
  const rec = { key: keyOf(s), hubOrigin: s.hubOrigin, n: s.n, rows: r.rows, bytes: r.text.length, fetchedAt: new Date().toISOString(), text: r.text };
  await tx('readwrite', (st) => st.put(rec));
  return { ok: true, rec };
}

async function loadRecord(rec) {
  const cat = await Catalogue.load(rec.text, { format: 'json', name: `Hub top ${rec.n}` });
  if (loaded && loaded.cat !== cat) loaded.cat.dispose();
  loaded = { key: rec.key, cat, fetchedAt: rec.fetchedAt, rows: rec.rows };
  return loaded;
}

// The catalogue for these settings: loaded, else from the cache, else fetched from the Hub.
// cacheOnly: never fetch (a warm-up at browser start).
function ensure(s, cacheOnly = false) {
  if (loaded && loaded.key === keyOf(s)) return Promise.resolve(loaded);
  if (!loading || loading.key !== keyOf(s)) {
    const p = (async () => {
      let rec = await tx('readonly', (st) => st.get(keyOf(s)));
      if (!rec && cacheOnly) throw new Error('nothing cached');
      if (!rec) {
        const f = await fetchAndStore(s);
        if (!f.ok) throw new Error(f.error);
        rec = f.rec;
      }
      return loadRecord(rec);
    })().finally(() => { if (loading && loading.p === p) loading = null; });
    loading = { key: keyOf(s), p };
  }
  return loading.p;
}

// Refetches the catalogue (alarm or the options page); the old copy stays when the fetch fails.
export function refresh(s) {
  if (!refreshing) {
    refreshing = (async () => {
      const f = await fetchAndStore(s);
      if (!f.ok) return { ok: false, error: f.error };
      await loadRecord(f.rec);
      return { ok: true, rows: f.rec.rows, fetchedAt: f.rec.fetchedAt };
    })().catch((e) => ({ ok: false, error: String(e.message || e) })).finally(() => { refreshing = null; });
  }
  return refreshing;
}

export async function status(s) {
  const all = (await tx('readonly', (st) => st.getAll())) || [];
  return { entries: all.map(({ key, hubOrigin, n, rows, bytes, fetchedAt }) => ({ key, hubOrigin, n, rows, bytes, fetchedAt })),
    current: all.find((e) => e.key === keyOf(s))?.key || '', loaded: loaded ? loaded.key : '', refreshing: !!refreshing };
}

export async function clear() {
  await tx('readwrite', (st) => st.clear());
  if (loaded) { loaded.cat.dispose(); loaded = null; }
  return { ok: true };
}

// The cached catalogue's JSON text (tests compare the panel with the CLI on it).
export async function cachedText(s) {
  const rec = await tx('readonly', (st) => st.get(keyOf(s)));
  return rec ? { ok: true, text: rec.text, rows: rec.rows } : { ok: false, error: 'nothing cached' };
}

// ---- queries ---------------------------------------------------------------------------------
const shape = (r) => ({ modelId: r.modelId, score: r.score, downloads: r.downloads, why: r.why,
  lineage: r.lineage ? { parent: r.lineage.parent, children: r.lineage.children } : null });

// An ad-hoc query for a model the catalogue lacks, from /api/models/<id>; tries fewer attributes
// when the catalogue has no model with one of them (E_BAD_ARGUMENT).
function adhoc(cat, m, method) {
  const text = [m.id.replace(/[/_.-]+/g, ' '), ...(Array.isArray(m.tags) ? m.tags : [])].join(' ');
  const full = { task: m.pipeline_tag, library: m.library_name, modelType: m.config?.model_type, text };
  const tries = [full, { ...full, modelType: undefined }, { ...full, modelType: undefined, library: undefined }, { text }];
  let last;
  for (const q of tries) {
    const query = Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string' && v));
    try { return cat.recommend(query, { method, k: 10 }); } catch (e) { last = e; if (e.code !== 'E_BAD_ARGUMENT') throw e; }
  }
  throw last;
}

// {ok, id, results, source: 'catalogue'|'adhoc', fetchedAt} | {ok:false, notModel} | {ok:false, error}.
export async function similar(id, s) {
  let l;
  try { l = await ensure(s); } catch (e) { return { ok: false, error: `no catalogue: ${e.message || e}` }; }
  const method = s.method || 'hybrid';
  try {
    return { ok: true, id, source: 'catalogue', fetchedAt: l.fetchedAt, results: l.cat.recommend(id, { method, k: 10 }).map(shape) };
  } catch (e) {
    if (e.code !== 'E_UNKNOWN_MODEL') return { ok: false, error: String(e.message || e) };
  }
  let m;
  try {
    const res = await fetch(`${s.hubOrigin}/api/models/${id.split('/').map(encodeURIComponent).join('/')}`, { credentials: 'omit' });
    if (res.status === 404 || res.status === 401) return { ok: false, notModel: true };
    if (!res.ok) return { ok: false, error: `HTTP ${res.status} from /api/models/${id}` };
    m = await res.json();
  } catch (e) { return { ok: false, error: `network error: ${e.message || e}` }; }
  if (!m || typeof (m.id ?? m.modelId) !== 'string') return { ok: false, notModel: true };
  m.id = m.id ?? m.modelId;
  try {
    return { ok: true, id, source: 'adhoc', fetchedAt: l.fetchedAt, results: adhoc(l.cat, m, method).map(shape) };
  } catch (e) { return { ok: false, error: String(e.message || e) }; }
}

// Answers one message of the background's protocol ({op, settings, ...}).
export function handle(msg) {
  const s = msg.settings;
  switch (msg.op) {
    case 'similar': return similar(msg.id, s);
    case 'refresh': return refresh(s);
    case 'status': return status(s);
    case 'clear': return clear();
    case 'cachedText': return cachedText(s);
    case 'warm': return ensure(s, true).then((l) => ({ ok: true, rows: l.rows }), (e) => ({ ok: false, error: String(e.message || e) }));
    default: return Promise.resolve({ ok: false, error: `unknown op ${msg.op}` });
  }
}
