// Load from the Hub: the consent dialog, the list-models fetcher (Link rel="next" cursor paging,
// retries) and the IndexedDB cache of fetched catalogues. hfrec.js starts it with the app's load
// and progress calls: window.hfrecHub(ctx) -> {openDialog, fetchHub, resume, cancel, state, cache,
// clearCache, loadCached, fromHash}.
// The paging rules mirror core/hub_api.{h,cpp} (what `hfrec fetch` does):
// - first page: HOST/api/models?sort=S&direction=-1&limit=min(n,1000)&expand[]=F... ;
// - 429 waits Retry-After (seconds or HTTP-date, clamped to 10 min), else backs off; at most 30 per page;
// - 5xx, network errors and unreadable pages retry with backoff min(60 s, 1 s * 2^(k-1)), at most 5 per page;
// - other statuses, a next link leaving the host and cursor loops stop the fetch;
// - repeated ids are dropped, models past n are not kept; an empty page with a next link is followed.
'use strict';
window.hfrecHub = (ctx) => {
  const FIELDS = ['author', 'cardData', 'config', 'downloads', 'lastModified', 'library_name', 'pipeline_tag', 'tags',
    'likes', 'createdAt'];
  const SORTS = ['downloads', 'likes', 'lastModified'];
  const SIZES = [10000, 50000, 200000, 0];  // 0: every model
  const PAGE = 1000;
  const HUB_MODELS_ESTIMATE = 2000000;     // for "all": roughly how many models the Hub lists
  const BYTES_PER_MODEL = 1500;            // rough size of one model object with these fields
  const DEFAULT_POLICY = { maxRetries: 5, maxRateLimited: 30, baseMs: 1000, capMs: 60000, maxRetryAfterMs: 600000,
    secondMs: 1000 };

  // The API host: huggingface.co, or ?hub= when this page itself is served from the local machine (tests).
  const host = (() => {
    const p = new URLSearchParams(location.search).get('hub');
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(location.hostname);
    return p && local && /^https?:\/\/[^/?#]+$/.test(p.replace(/\/$/, '')) ? p.replace(/\/$/, '') : 'https://huggingface.co';
  })();

  const queryKey = (sort, n) => `sort=${sort}&n=${n}`;
  function firstPageUrl(sort, n) {
    const limit = n ? Math.min(n, PAGE) : PAGE;
    return `${host}/api/models?sort=${encodeURIComponent(sort)}&direction=-1&limit=${limit}${FIELDS.map((f) => `&expand%5B%5D=${f}`).join('')}`;
  }
  // The rel="next" target of a Link header value; '' when none (RFC 8288, as core's link_next).
  function linkNext(h) {
    const re = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^;,\s]*))?)*)/g;
    let m;
    while ((m = re.exec(h || ''))) {
      const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]*))/i.exec(m[2]);
      if (rel && (rel[1] ?? rel[2]).split(/\s+/).some((r) => r.toLowerCase() === 'next')) return m[1].trim();
    }
    return '';
  }
  function retryAfterMs(value, date, policy) {
    let secs = NaN;
    if (/^\s*\d+\s*$/.test(value)) secs = Number(value);
    else {
      const t = Date.parse(value);
      const now = Date.parse(date || '') || Date.now();
      if (!Number.isNaN(t)) secs = Math.max(0, Math.round((t - now) / 1000));
    }
    return Number.isNaN(secs) ? -1 : Math.min(policy.maxRetryAfterMs, secs * policy.secondMs);
  }
  const backoffMs = (policy, attempt) => Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  const estimate = (n) => {
    const models = n || HUB_MODELS_ESTIMATE;
    return { requests: Math.ceil(models / PAGE), mb: Math.round((models * BYTES_PER_MODEL) / 1e6) };
  };
  const fmt = (x) => x.toLocaleString('en-US');
  const mb = (b) => (b / 1e6).toFixed(1);

  // ---- the fetch ------------------------------------------------------------------------------
  // The job survives a failure or a cancel, so Resume goes on from its cursor with what it has.
  let job = null;
  const pub = { running: false, rows: 0, bytes: 0, pages: 0, retries: 0, error: '', cachedAt: '', query: '', host };
  function publish(extra = {}) {
    Object.assign(pub, extra);
    if (job) Object.assign(pub, { rows: job.rows, bytes: job.bytes, pages: job.pages, retries: job.retries });
    renderDialog();
    ctx.stateChanged();
  }

  const sleep = (ms, signal) => new Promise((res) => {
    const t = setTimeout(res, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); res(); }, { once: true });
  });

  function newJob(sort, n, policy) {
    return { sort, n, next: firstPageUrl(sort, n), origin: new URL(host).origin, parts: [], seen: new Set(),
      followed: new Set([firstPageUrl(sort, n)]), rows: 0, bytes: 0, pages: 0, retries: 0, stalled: 0, policy, source: `hub:${queryKey(sort, n)}` };
  }

  // Pages until done, failed or cancelled; returns {done, error}.
  async function page(j, signal) {
    const p = j.policy;
    let retries = 0, limited = 0;
    const retry = async (why) => {
      if (++retries > p.maxRetries) return `page ${j.pages + 1}: ${why}; gave up after ${p.maxRetries} retries`;
      j.retries++;
      const ms = backoffMs(p, retries);
      stage(`page ${j.pages + 1}: ${why}; retry ${retries} of ${p.maxRetries} in ${ms} ms`);
      await sleep(ms, signal);
      return '';
    };
    for (;;) {
      if (signal.aborted) return { cancelled: true };
      let res, body;
      try {
        res = await fetch(j.next, { credentials: 'omit', mode: 'cors', signal });
        body = await res.text();
      } catch (e) {
        if (signal.aborted) return { cancelled: true };
        const e2 = await retry(`network error: ${e.message || e} (is ${j.origin} reachable, and does it allow CORS?)`);
        if (e2) return { error: e2 };
        continue;
      }
      if (res.status === 429) {
        if (++limited > p.maxRateLimited) return { error: `page ${j.pages + 1}: HTTP 429 (rate limited) ${p.maxRateLimited} times in a row; gave up` };
        const ra = res.headers.get('Retry-After');
        let ms = ra ? retryAfterMs(ra, res.headers.get('Date'), p) : -1;
        if (ms < 0) ms = backoffMs(p, limited);
        stage(`page ${j.pages + 1}: HTTP 429 (rate limited), waiting ${ms} ms`);
        await sleep(ms, signal);
        continue;
      }
      if (res.status >= 500) { const e = await retry(`HTTP ${res.status}`); if (e) return { error: e }; continue; }
      if (res.status < 200 || res.status >= 300) {
        return { error: `page ${j.pages + 1}: HTTP ${res.status}${body ? `: ${body.slice(0, 200).replace(/[\x00-\x1f]/g, ' ')}` : ''}` };
      }
      let models;
      try {
        models = JSON.parse(body);
        if (!Array.isArray(models)) throw new Error('not a JSON array of models');
        if (models.some((m) => !m || typeof m !== 'object' || typeof (m.id ?? m.modelId) !== 'string')) {
          throw new Error('a model without an id');
        }
      } catch (e) {
        const e2 = await retry(`unreadable page: ${e.message || e}`);
        if (e2) return { error: e2 };
        continue;
      }
      const linkHeader = res.headers.get('Link');
      let next = linkNext(linkHeader);
      if (next.startsWith('/')) next = j.origin + next;
      if (next && new URL(next, j.origin).origin !== j.origin) return { error: `page ${j.pages + 1}: the next link leaves ${j.origin}: '${next.slice(0, 1000)}'` };
      // The page is good: keep its new models (as JSON text, one part per page).
      const kept = [];
      for (const m of models) {
        if (j.n && j.rows >= j.n) break;
        const id = m.id ?? m.modelId;
        if (j.seen.has(id)) continue;
        j.seen.add(id);
        j.rows++;
        kept.push(m);
      }
      j.pages++;
      j.stalled = kept.length ? 0 : j.stalled + 1;
      if (kept.length) {
        const part = new TextEncoder().encode(JSON.stringify(kept).slice(1, -1));
        j.parts.push(part);
        j.bytes += part.length;
      }
      j.transferred = (j.transferred || 0) + body.length;
      publish();
      if (j.n && j.rows >= j.n) { j.next = ''; return { done: true }; }
      if (!next) {
        j.next = '';
        // A full page with no Link: the listing may go on, but the browser could not see the header.
        // (A Link seen on an earlier page shows the browser can read it: then none means the end.)
        if (linkHeader === null && j.pages === 1 && models.length >= PAGE && j.origin !== location.origin) {
          return { done: true, warning: `The Hub's reply had no Link header the browser could read (a cross-origin reply hides it unless the server lists it in Access-Control-Expose-Headers), so paging stopped after ${fmt(j.rows)} models` };
        }
        return { done: true };
      }
      const was = j.next;
      j.next = next;
      if (j.followed.has(next) || next === was) return { error: `page ${j.pages}: cursor loop: its next link was already followed: '${next.slice(0, 1000)}'` };
      if (j.stalled >= 3) return { error: `page ${j.pages}: cursor loop: ${j.stalled} pages in a row brought no new model` };
      j.followed.add(next);
      return { more: true };
    }
  }

  function stage(why) {
    const j = job;
    const text = `Hub: ${fmt(j.rows)} models, ${mb(j.bytes)} MB, ${j.pages} pages${why ? ` — ${why}` : ''}`;
    ctx.showProgress(text, j.n ? Math.min(1, j.rows / j.n) : -1);
    pub.stage = text;
    renderDialog();
  }

  // The fetched models as one JSON array, loaded into the app (and cached when complete).
  async function loadJob(j, complete) {
    const total = 2 + j.bytes + Math.max(0, j.parts.length - 1);
    const name = `Hub ${j.sort} top ${j.n ? fmt(j.n) : 'all'}${complete ? '' : ` (${fmt(j.rows)} fetched)`}`;
    const parts = () => {
      const out = [new Uint8Array([0x5b])];
      j.parts.forEach((p, i) => { if (i) out.push(new Uint8Array([0x2c])); out.push(p); });
      out.push(new Uint8Array([0x5d]));
      return out;
    };
    const r = await ctx.loadInto(total, (write) => {
      let off = 0;
      for (const p of parts()) { write(p, off); off += p.length; }
    }, name, j.source);
    if (r.ok && complete) {
      try {
        const cachedAt = await putCache({ query: queryKey(j.sort, j.n), host, rows: j.rows, bytes: total, blob: new Blob(parts(), { type: 'application/json' }) });
        pub.cachedAt = cachedAt;
      } catch (e) { console.warn('hfrec: could not cache the Hub catalogue:', e); }
    }
    return r;
  }

  let controller = null;
  let running = null;
  async function run(j) {
    controller = new AbortController();
    const signal = controller.signal;
    publish({ running: true, error: '', cachedAt: '', query: queryKey(j.sort, j.n), stage: '' });
    stage('');
    let out;
    for (;;) {
      out = await page(j, signal);
      if (!out.more) break;
      stage('');
    }
    controller = null;
    let error = out.error || '';
    if (out.cancelled) error = `Cancelled after ${fmt(j.rows)} models (${j.pages} pages); Resume goes on from there`;
    else if (error) error = `The Hub fetch stopped after ${fmt(j.rows)} models (${j.pages} pages): ${error}. Resume goes on from there`;
    else if (out.warning) error = out.warning;
    let loaded = { ok: false, rows: 0 };
    if (j.rows) {
      stage(out.done ? 'loading' : 'loading what was fetched');
      loaded = await loadJob(j, !!out.done && !out.warning);
      if (!loaded.ok) error = error || loaded.error;
    }
    if (!error && !j.rows) error = 'The Hub listed no models for this query';
    if (error) ctx.reportError(error);
    publish({ running: false, error, stage: '' });
    renderDialog();
    const ok = !error && loaded.ok;
    const r = { ok, rows: loaded.ok ? loaded.rows : 0, fetched: j.rows, pages: j.pages, retries: j.retries, error };
    if (out.cancelled) r.cancelled = true;
    if (ok && j.afterLoad) j.afterLoad();
    return r;
  }

  // fetchHub({sort, n, consent, retry}): the dialog's Fetch. Without consent:true the dialog opens
  // and the promise waits for Fetch (or resolves {ok:false} on Cancel).
  function fetchHub(opts = {}) {
    if (running) return Promise.resolve({ ok: false, rows: 0, error: 'a Hub fetch is already running' });
    if (opts.resume) return resume();
    const sort = SORTS.includes(opts.sort) ? opts.sort : 'downloads';
    const n = opts.n === undefined ? 10000 : Math.max(0, Math.floor(Number(opts.n)) || 0);
    const policy = { ...DEFAULT_POLICY, ...(opts.retry || {}) };
    if (!opts.consent) {
      return new Promise((resolve) => openDialog({ sort, n, policy, afterLoad: opts.afterLoad, fromLink: !!opts.fromLink, resolve }));
    }
    return start(newJob(sort, n, policy), opts.afterLoad);
  }
  function start(j, afterLoad) {
    job = j;
    j.afterLoad = afterLoad;
    running = run(j).finally(() => { running = null; });
    return running;
  }
  function resume() {
    if (running) return Promise.resolve({ ok: false, rows: 0, error: 'a Hub fetch is already running' });
    if (!job || !job.next) return Promise.resolve({ ok: false, rows: 0, error: 'nothing to resume' });
    return start(job, job.afterLoad);
  }
  function cancel() {
    if (controller) controller.abort();
    return { ok: !!controller };
  }

  // ---- the cache (IndexedDB: one record per query, the catalogue as a JSON Blob) --------------
  const DB = 'hfrec-hub', STORE = 'catalogues';
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
        const out = fn(t.objectStore(STORE));
        t.oncomplete = () => res(out && 'result' in out ? out.result : undefined);
        t.onerror = () => rej(t.error);
        t.onabort = () => rej(t.error);
      });
    } finally { d.close(); }
  }
  async function putCache(e) {
    const cachedAt = new Date().toISOString();
    await tx('readwrite', (s) => s.put({ ...e, key: `${e.host} ${e.query}`, cachedAt }));
    return cachedAt;
  }
  async function cache() {
    try {
      const all = (await tx('readonly', (s) => s.getAll())) || [];
      return { ok: true, entries: all.map(({ query, host: h, rows, bytes, cachedAt }) => ({ query, host: h, rows, bytes, cachedAt })) };
    } catch (e) { return { ok: false, entries: [], error: `the cache cannot be read: ${e.message || e}` }; }
  }
  async function clearCache() {
    try { await tx('readwrite', (s) => s.clear()); return { ok: true }; } catch (e) { return { ok: false, error: String(e.message || e) }; }
  }
  // Loads a cached Hub catalogue (the newest when query is omitted); resolves {ok, rows, error}.
  async function loadCached(query) {
    let all;
    try { all = (await tx('readonly', (s) => s.getAll())) || []; } catch (e) { return { ok: false, rows: 0, error: String(e.message || e) }; }
    const e = all.filter((x) => !query || x.query === query).sort((a, b) => (a.cachedAt < b.cachedAt ? 1 : -1))[0];
    if (!e) return { ok: false, rows: 0, error: query ? `no cached Hub catalogue for ${query}` : 'no cached Hub catalogue' };
    const bytes = new Uint8Array(await e.blob.arrayBuffer());
    const [sort, n] = [/sort=([^&]*)/.exec(e.query)?.[1], /n=(\d+)/.exec(e.query)?.[1]];
    const r = await ctx.loadInto(bytes.length, (write) => write(bytes, 0),
      `Hub ${sort} top ${Number(n) ? fmt(Number(n)) : 'all'} (cached ${e.cachedAt.slice(0, 10)})`, `hub:${e.query}`);
    if (r.ok) publish({ cachedAt: e.cachedAt, query: e.query, error: '' });
    return r.ok ? { ok: true, rows: r.rows, cachedAt: e.cachedAt } : r;
  }

  // ---- share links: #src=hub:sort=S&n=N ---------------------------------------------------------
  // {sort, n, rest}: the Hub query a link names (its n may follow src as its own item) and the
  // hash without it; null when the link names no Hub source.
  function fromHash(hash) {
    const items = hash.replace(/^#/, '').split('&');
    const i = items.findIndex((x) => /^src=hub(:|%3A)/i.test(x));
    if (i < 0) return null;
    let q = decodeURIComponent(items[i].slice(4)).slice(4);  // after "src=" and "hub:"
    const drop = new Set([i]);
    if (!/(^|&)n=/.test(q) && /^n=\d+$/.test(items[i + 1] || '')) { q += `&${items[i + 1]}`; drop.add(i + 1); }
    const p = new URLSearchParams(q);
    const sort = SORTS.includes(p.get('sort')) ? p.get('sort') : 'downloads';
    const n = /^\d+$/.test(p.get('n') || '') ? Number(p.get('n')) : 10000;
    const rest = items.filter((_, k) => !drop.has(k)).join('&');
    return { sort, n, rest: rest ? `#${rest}` : '' };
  }

  // ---- the dialog (an HTML <dialog> over the canvas: index.html #hub-dialog) --------------------
  const el = (id) => document.getElementById(id);
  const dlg = el('hub-dialog');
  let pending = null;  // {sort, n, policy, afterLoad, resolve, fromLink}
  function openDialog(p = {}) {
    pending = { sort: 'downloads', n: 10000, policy: { ...DEFAULT_POLICY }, ...p };
    for (const r of dlg.querySelectorAll('input[name="hub-n"]')) r.checked = Number(r.value) === pending.n;
    if (!SIZES.includes(pending.n)) {
      const custom = dlg.querySelector('input[name="hub-n"][value="custom"]');
      custom.value = String(pending.n);
      custom.parentElement.hidden = false;
      custom.parentElement.querySelector('span').textContent = `top ${fmt(pending.n)}`;
      custom.checked = true;
    }
    el('hub-sort').value = pending.sort;
    el('hub-link-note').hidden = !pending.fromLink;
    renderDialog();
    if (!dlg.open) dlg.showModal();
  }
  function chosen() {
    const r = dlg.querySelector('input[name="hub-n"]:checked');
    return { sort: el('hub-sort').value, n: r ? Number(r.value) || 0 : 10000 };
  }
  async function renderCacheList() {
    const list = el('hub-cached');
    const c = await cache();
    list.replaceChildren(...c.entries.map((e) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'hub-cached';
      b.textContent = `Use the copy of ${e.query.replace('&', ', ')} cached ${e.cachedAt.slice(0, 16).replace('T', ' ')} UTC (${fmt(e.rows)} models)`;
      b.addEventListener('click', async () => {
        const p = pending;
        pending = null;
        dlg.close();
        const r = await loadCached(e.query);
        if (r.ok && p && p.afterLoad) p.afterLoad();
        if (p && p.resolve) p.resolve(r);
      });
      return b;
    }));
  }
  function renderDialog() {
    if (!dlg) return;
    const { sort, n } = chosen();
    const est = estimate(n);
    el('hub-where').textContent = `${host}/api/models`;
    el('hub-estimate').textContent = `about ${fmt(est.requests)} request${est.requests === 1 ? '' : 's'} and ${fmt(est.mb)} MB${n ? '' : ' (the Hub lists about 2 million models)'}, sorted by ${sort}, nothing sent until you press Fetch.`;
    const busy = pub.running;
    el('hub-progress').textContent = busy ? (pub.stage || 'Starting…') : pub.error || (pub.rows && !job ? `Loaded ${fmt(pub.rows)} models.` : '');
    el('hub-fetch').hidden = busy;
    el('hub-resume').hidden = busy || !(job && job.next && pub.error);
    el('hub-cancel').textContent = busy ? 'Stop' : 'Cancel';
  }
  if (dlg) {
    // Keys typed in the dialog are the dialog's: GLFW's window listeners (registered after these)
    // must not take Tab, arrows or Space from its controls.
    for (const type of ['keydown', 'keypress', 'keyup']) {
      window.addEventListener(type, (e) => { if (e.target instanceof Node && dlg.contains(e.target)) e.stopImmediatePropagation(); }, true);
    }
    dlg.addEventListener('change', renderDialog);
    dlg.addEventListener('cancel', (e) => { if (pub.running) { e.preventDefault(); cancel(); } });
    dlg.addEventListener('close', () => {
      if (pending && pending.resolve && !pub.running) pending.resolve({ ok: false, rows: 0, error: 'cancelled before fetching' });
      pending = null;
      ctx.focusApp();
    });
    el('hub-fetch').addEventListener('click', async () => {
      const p = pending || { policy: { ...DEFAULT_POLICY } };
      const { sort, n } = chosen();
      const r = await start(newJob(sort, n, p.policy), p.afterLoad);
      if (r.ok) { pending = null; dlg.close(); }
      if (p.resolve) p.resolve(r);
    });
    el('hub-resume').addEventListener('click', async () => {
      const r = await resume();
      if (r.ok) { pending = null; dlg.close(); }
    });
    el('hub-cancel').addEventListener('click', () => {
      if (pub.running) cancel();
      else dlg.close();
    });
    const show = dlg.showModal.bind(dlg);
    dlg.showModal = () => { show(); renderCacheList(); };
  }

  return {
    host, openDialog, fetchHub, resume, cancel, cache, clearCache, loadCached, fromHash,
    state: () => ({ running: pub.running, rows: pub.rows, bytes: pub.bytes, pages: pub.pages, retries: pub.retries,
      error: pub.error, cachedAt: pub.cachedAt, query: pub.query, host, resumable: !!(job && job.next && !pub.running),
      dialog: !!(dlg && dlg.open) }),
  };
};
