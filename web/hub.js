// Load from the Hub: the consent dialog, the list-models fetcher (Link rel="next" cursor paging,
// retries) and the IndexedDB cache of fetched catalogues. hfrec.js starts it with the app's load
// and progress calls: window.hfrecHub(ctx) -> {openDialog, fetchHub, resume, refresh, cancel, state,
// cache, clearCache, loadCached, fromHash}.
// The paging rules mirror core/hub_api.{h,cpp} (what `hfrec fetch` does); the pure ones (URLs, Link,
// Retry-After, backoff, page checks) are web/hub_rules.js, shared with the extension:
// - first page: HOST/api/models?sort=S&direction=-1&limit=min(n,1000)&expand[]=F... ;
// - 429 waits Retry-After (seconds or HTTP-date, clamped to 10 min), else backs off; at most 30 per page;
// - 5xx, network errors and unreadable pages retry with backoff min(60 s, 1 s * 2^(k-1)), at most 5 per page;
// - other statuses, a next link leaving the host and cursor loops stop the fetch;
// - repeated ids are dropped, models past n are not kept; an empty page with a next link is followed.
// While paging, what was fetched is loaded after the first page and then each time the fetched rows
// reach twice the rows loaded (1k, 2k, 4k, ...), so search and recommendations work on it; every
// SAVE_EVERY_PAGES pages (and on a cancel or a failure) the unfinished fetch is saved in IndexedDB,
// so Resume works after a reload. Refresh fetches sort=lastModified pages down to the cache's newest
// model and merges them (see refreshJob).
//
// [SECTION] the fetch   [SECTION] partial loads and the saved unfinished fetch   [SECTION] refresh
// [SECTION] the cache   [SECTION] share links   [SECTION] the dialog
'use strict';
window.hfrecHub = (ctx) => {
  const { PAGE, DEFAULT_POLICY, nextUrl, retryAfterMs, backoffMs, readPage } = window.hfrecHubRules;
  const SORTS = ['downloads', 'likes', 'lastModified'];
  const SIZES = [10000, 50000, 200000, 0];  // 0: every model
  const HUB_MODELS_ESTIMATE = 2000000;     // for "all": roughly how many models the Hub lists
  const BYTES_PER_MODEL = 1500;            // rough size of one model object with these fields
  const SAVE_EVERY_PAGES = 5;              // an unfinished fetch is saved every this many pages

  // The API host: huggingface.co, or ?hub= when this page itself is served from the local machine (tests).
  const host = (() => {
    const p = new URLSearchParams(location.search).get('hub');
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(location.hostname);
    return p && local && /^https?:\/\/[^/?#]+$/.test(p.replace(/\/$/, '')) ? p.replace(/\/$/, '') : 'https://huggingface.co';
  })();

  const queryKey = (sort, n) => `sort=${sort}&n=${n}`;
  const firstPageUrl = (sort, n) => window.hfrecHubRules.firstPageUrl(host, sort, n);
  const estimate = (n) => {
    const models = n || HUB_MODELS_ESTIMATE;
    return { requests: Math.ceil(models / PAGE), mb: Math.round((models * BYTES_PER_MODEL) / 1e6) };
  };
  const fmt = (x) => x.toLocaleString('en-US');
  const mb = (b) => (b / 1e6).toFixed(1);

  // ---- [SECTION] the fetch -----------------------------------------------------------------------
  // The job survives a failure or a cancel, so Resume goes on from its cursor with what it has.
  let job = null;
  const pub = { running: false, rows: 0, bytes: 0, pages: 0, retries: 0, error: '', cachedAt: '', query: '', host,
    loadedRows: 0, unfinished: null, etaSeconds: null };
  function publish(extra = {}) {
    Object.assign(pub, extra);
    if (job) Object.assign(pub, { rows: job.rows, bytes: job.bytes, pages: job.pages, retries: job.retries, loadedRows: job.loadedRows });
    renderDialog();
    ctx.stateChanged();
  }

  const sleep = (ms, signal) => new Promise((res) => {
    const t = setTimeout(res, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); res(); }, { once: true });
  });

  function newJob(sort, n, policy) {
    return { sort, n, next: firstPageUrl(sort, n), origin: new URL(host).origin, parts: [], seen: new Set(),
      followed: new Set([firstPageUrl(sort, n)]), rows: 0, bytes: 0, pages: 0, retries: 0, stalled: 0, policy, source: `hub:${queryKey(sort, n)}`,
      partIds: [], loadedRows: 0, persist: true, savedParts: 0, savedChunks: 0, savedPages: 0 };
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
        models = readPage(body);
      } catch (e) {
        const e2 = await retry(`unreadable page: ${e.message || e}`);
        if (e2) return { error: e2 };
        continue;
      }
      const linkHeader = res.headers.get('Link');
      const { next, leaves } = nextUrl(linkHeader, j.origin);
      if (leaves) return { error: `page ${j.pages + 1}: the next link leaves ${j.origin}: '${next.slice(0, 1000)}'` };
      // The page is good: keep its new models (as JSON text, one part per page).
      const kept = [];
      let reached = false;  // a refresh met a model not newer than its cache: the rest is known
      for (const m of models) {
        if (j.n && j.rows >= j.n) break;
        if (j.until && !j.until(m)) { reached = true; break; }
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
        j.partIds.push(kept.map((m) => m.id ?? m.modelId));
        j.bytes += part.length;
        if (j.models) j.models.push(...kept);
      }
      j.transferred = (j.transferred || 0) + body.length;
      publish();
      if ((j.n && j.rows >= j.n) || reached) { j.next = ''; return { done: true }; }
      if (!next) {
        j.next = '';
        // A full page with no Link: the listing may go on, but the browser could not see the header.
        // (A Link seen on an earlier page shows the browser can read it: then none means the end.)
        if (linkHeader === null && j.pages === 1 && models.length >= PAGE && j.origin !== location.origin) {
          return { done: true, warning: `The Hub's reply had no Link header the browser could read (a cross-origin reply hides it unless the server lists it in Access-Control-Expose-Headers), so paging stopped after ${fmt(j.rows)} models. The page's built-in catalogue may be a fuller Hub snapshot, and \`hfrec fetch\` (the command line) fetches any number` };
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

  // Seconds left at this run's pace (models a second since it started or resumed, waits
  // included), to n or, for every model, to the Hub's rough size; null before a page is in.
  function etaSeconds(j) {
    const got = j.rows - (j.runRows0 ?? 0);
    const secs = (performance.now() - (j.runStart ?? performance.now())) / 1000;
    if (got <= 0 || !(secs > 0)) return null;
    const left = Math.max(0, (j.n || Math.max(HUB_MODELS_ESTIMATE, j.rows)) - j.rows);
    return Math.round(left / (got / secs));
  }
  const duration = (s) => (s < 90 ? `${Math.max(1, Math.round(s / 5) * 5)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

  function stage(why) {
    const j = job;
    j.why = why;
    const eta = pub.running ? etaSeconds(j) : null;
    pub.etaSeconds = eta;
    const left = eta === null || why ? '' : ` — about ${duration(eta)} left${j.n ? '' : ' (if the Hub lists about 2 million)'}`;
    const text = `Hub: ${fmt(j.rows)} models, ${mb(j.bytes)} MB, ${j.pages} pages${why ? ` — ${why}` : left}`;
    ctx.showProgress(text, j.n ? Math.min(1, j.rows / j.n) : -1);
    pub.stage = text;
    renderDialog();
  }

  // The fetched models as one JSON array, loaded into the app (and cached when complete). The parts
  // are taken as they are now: paging may add more while the load runs.
  const joinParts = (parts) => {
    const out = [new Uint8Array([0x5b])];
    parts.forEach((p, i) => { if (i) out.push(new Uint8Array([0x2c])); out.push(p); });
    out.push(new Uint8Array([0x5d]));
    return out;
  };
  const jobName = (j, rows, complete) => `Hub ${j.sort} top ${j.n ? fmt(j.n) : 'all'}${complete ? '' : ` (${fmt(rows)} fetched)`}`;
  async function loadJob(j, complete) {
    const count = j.parts.length;
    const parts = joinParts(j.parts.slice());
    const rows = j.rows;
    const total = parts.reduce((t, p) => t + p.length, 0);
    const r = await ctx.loadInto(total, (write) => {
      let off = 0;
      for (const p of parts) { write(p, off); off += p.length; }
    }, jobName(j, rows, complete), j.source);
    if (r.ok) j.loadedRows = rows;
    // Whether a model is in what this load had (for a link's view, restored once its model is in).
    if (r.ok && !complete && j.onPartial) j.onPartial((id) => j.partIds.slice(0, count).some((ids) => ids.includes(id)));
    if (r.ok && complete) {
      try {
        const cachedAt = await putCache({ query: queryKey(j.sort, j.n), host, rows, bytes: total, blob: new Blob(parts, { type: 'application/json' }) });
        pub.cachedAt = cachedAt;
      } catch (e) { console.warn('hfrec: could not cache the Hub catalogue:', e); }
    }
    return r;
  }

  // ---- [SECTION] partial loads and the saved unfinished fetch ----------------------------------
  // Loads what was fetched so far when it is the first page or twice the rows last loaded, unless a
  // load is under way (it looks again when that ends). The app keeps the query, method and filters
  // of the view when the new catalogue has the query's model (the controller's load rule).
  function maybeLoadPartial(j) {
    if (!j.partial || j.loading || !j.rows || (j.loadedRows && j.rows < 2 * j.loadedRows)) return;
    j.loading = loadJob(j, false).then((r) => {
      j.loading = null;
      if (!r.ok) { j.partial = false; console.warn('hfrec: loading the models fetched so far failed:', r.error); }
      // A finished load clears the app's progress bar: the fetch's comes back while it runs.
      if (controller && job === j) stage(j.why || '');
      publish();
      maybeLoadPartial(j);
    });
  }

  // The unfinished fetch of this host in IndexedDB (store FETCHES): `${host}|meta` {sort, n, query,
  // next, rows, pages, retries, chunks, followed, savedAt} and `${host}|part|000000`... the rows
  // fetched so far, each chunk a Blob of comma-separated model objects (what the pages brought since
  // the save before; appended, never rewritten) and their ids (so a resume need not parse them).
  // One record per host: a new fetch replaces it.
  const hostRange = () => IDBKeyRange.bound(`${host}|`, `${host}|\uffff`);
  const summary = (m) => ({ query: m.query, rows: m.rows, pages: m.pages, savedAt: m.savedAt });
  function saveUnfinished(j) {
    if (!j.persist) return Promise.resolve();
    const fresh = !j.savedChunks && !j.savedParts;
    const newParts = j.parts.slice(j.savedParts);
    const chunk = j.savedChunks;
    const meta = { key: `${host}|meta`, host, sort: j.sort, n: j.n, query: queryKey(j.sort, j.n), next: j.next, rows: j.rows,
      pages: j.pages, retries: j.retries, chunks: chunk + (newParts.length ? 1 : 0), followed: [...j.followed].slice(-20),
      savedAt: new Date().toISOString() };
    const blob = newParts.length ? new Blob(joinParts(newParts).slice(1, -1), { type: 'application/json' }) : null;
    const ids = j.partIds.slice(j.savedParts).flat();
    Object.assign(j, { savedParts: j.parts.length, savedChunks: meta.chunks, savedPages: j.pages });
    j.saving = (j.saving || Promise.resolve()).then(() => tx('readwrite', (s) => {
      if (fresh) s.delete(hostRange());
      if (blob) s.put({ key: `${host}|part|${String(chunk).padStart(6, '0')}`, blob, ids });
      s.put(meta);
    }, FETCHES)).then(() => { pub.unfinished = summary(meta); }).catch((e) => {
      j.persist = false;  // a chunk may be missing: the record is no good
      console.warn('hfrec: could not save the unfinished Hub fetch:', e);
      return clearUnfinished();
    });
    return j.saving;
  }
  async function clearUnfinished() {
    try { await tx('readwrite', (s) => s.delete(hostRange()), FETCHES); } catch (e) { console.warn('hfrec: could not clear the unfinished Hub fetch:', e); }
    pub.unfinished = null;
  }
  // The saved record, or null when there is none (or it is incomplete).
  async function readUnfinished() {
    const all = (await tx('readonly', (s) => s.getAll(hostRange()), FETCHES)) || [];
    const meta = all.find((x) => x.key === `${host}|meta`);
    if (!meta || !meta.next) return null;
    const chunks = all.filter((x) => x.key.startsWith(`${host}|part|`)).sort((a, b) => (a.key < b.key ? -1 : 1));
    return chunks.length === meta.chunks ? { meta, chunks } : null;
  }
  // A job rebuilt from the saved record, ready to go on from its cursor; null when there is none.
  async function restoreJob(policy) {
    const rec = await readUnfinished();
    if (!rec) return null;
    const { meta } = rec;
    const j = newJob(meta.sort, meta.n, policy);
    for (const c of rec.chunks) {
      const part = new Uint8Array(await c.blob.arrayBuffer());
      if (!Array.isArray(c.ids)) return null;
      for (const id of c.ids) j.seen.add(id);
      j.parts.push(part);
      j.partIds.push(c.ids);
      j.bytes += part.length;
    }
    Object.assign(j, { next: meta.next, rows: j.seen.size, pages: meta.pages, retries: meta.retries,
      followed: new Set([...j.followed, ...meta.followed]), savedParts: j.parts.length, savedChunks: meta.chunks, savedPages: meta.pages });
    return j;
  }

  let controller = null;
  let running = null;
  async function run(j) {
    controller = new AbortController();
    const signal = controller.signal;
    j.partial = true;
    j.runStart = performance.now();
    j.runRows0 = j.rows;
    publish({ running: true, error: '', cachedAt: '', query: queryKey(j.sort, j.n), stage: '' });
    stage('');
    let out;
    for (;;) {
      out = await page(j, signal);
      if (!out.more) break;
      maybeLoadPartial(j);
      if (j.pages - j.savedPages >= SAVE_EVERY_PAGES) saveUnfinished(j);
      stage('');
    }
    controller = null;
    j.partial = false;
    let error = out.error || '';
    if (out.cancelled) error = `Cancelled after ${fmt(j.rows)} models (${j.pages} pages); Resume goes on from there`;
    else if (error) error = `The Hub fetch stopped after ${fmt(j.rows)} models (${j.pages} pages): ${error}. Resume goes on from there`;
    else if (out.warning) error = out.warning;
    // Saved for Resume (after a reload too) while it can go on; a finished fetch clears the record.
    if (j.next) saveUnfinished(j);
    else if (j.persist) j.saving = (j.saving || Promise.resolve()).then(clearUnfinished);
    let loaded = { ok: false, rows: 0 };
    if (j.rows) {
      stage(out.done ? 'loading' : 'loading what was fetched');
      if (j.loading) await j.loading;
      const complete = !!out.done && !out.warning;
      // A partial load of exactly these rows is what a final one would load.
      loaded = !complete && j.loadedRows === j.rows ? { ok: true, rows: j.rows } : await loadJob(j, complete);
      if (!loaded.ok) error = error || loaded.error;
    }
    await j.saving;
    if (!error && !j.rows) error = 'The Hub listed no models for this query';
    if (error) ctx.reportError(error);
    publish({ running: false, error, stage: '', etaSeconds: null });
    renderDialog();
    const ok = !error && loaded.ok;
    const r = { ok, rows: loaded.ok ? loaded.rows : 0, fetched: j.rows, pages: j.pages, retries: j.retries, error };
    if (out.cancelled) r.cancelled = true;
    if (ok && j.afterLoad) j.afterLoad();
    return r;
  }

  const busy = (extra = {}) => Promise.resolve({ ok: false, rows: 0, ...extra, error: 'a Hub fetch is already running' });
  // fetchHub({sort, n, consent, retry, resume}): the dialog's Fetch. Without consent:true the dialog
  // opens and the promise waits for Fetch (or resolves {ok:false} on Cancel). resume:true goes on
  // with the failed or cancelled fetch of this page, else the one saved before a reload (which,
  // without consent:true, the dialog offers first).
  function fetchHub(opts = {}) {
    if (running) return busy();
    const policy = { ...DEFAULT_POLICY, ...(opts.retry || {}) };
    if (opts.resume) {
      if ((job && job.next) || opts.consent) return resume(policy);
      return new Promise((resolve) => openDialog({ policy, afterLoad: opts.afterLoad, resolve }));
    }
    const sort = SORTS.includes(opts.sort) ? opts.sort : 'downloads';
    const n = opts.n === undefined ? 10000 : Math.max(0, Math.floor(Number(opts.n)) || 0);
    if (!opts.consent) {
      return new Promise((resolve) => openDialog({ sort, n, policy, afterLoad: opts.afterLoad, onPartial: opts.onPartial,
        fromLink: !!opts.fromLink, resolve }));
    }
    return start(newJob(sort, n, policy), opts.afterLoad, opts.onPartial);
  }
  // afterLoad() runs once the whole fetch is loaded; onPartial(has) after each partial load, with
  // has(id) telling whether that load had the model.
  function start(j, afterLoad, onPartial) {
    job = j;
    j.afterLoad = afterLoad;
    j.onPartial = onPartial;
    running = run(j).finally(() => { running = null; });
    return running;
  }
  // Goes on from the cursor of this page's stopped fetch, else of the fetch saved in IndexedDB.
  function resume(policy) {
    if (running) return busy();
    if (job && job.next) return start(job, job.afterLoad, job.onPartial);
    running = (async () => {
      let j = null;
      try { j = await restoreJob(policy || { ...DEFAULT_POLICY }); } catch (e) {
        return { ok: false, rows: 0, error: `the saved Hub fetch cannot be read: ${e.message || e}` };
      }
      if (!j) return { ok: false, rows: 0, error: 'nothing to resume' };
      job = j;
      return run(j);
    })().finally(() => { running = null; });
    return running;
  }
  function cancel() {
    if (controller) controller.abort();
    return { ok: !!controller };
  }

  // ---- [SECTION] refresh -----------------------------------------------------------------------
  // Refresh of a cached catalogue (this host's; `query` names it, else the one loaded, else the
  // newest): pages sort=lastModified&direction=-1 until a model is not newer than the newest
  // lastModified in the cache (or than any model an earlier Refresh cut from it: newestSeen), then
  // merges by id — a changed model replaces its row, a new one is added — orders the rows by the query's sort, highest first (lastModified as a date), ties by id,
  // keeps the first n (n > 0), loads them and caches them with a new date. Counts of models that did
  // not change stay as cached, and a model gone from the Hub stays: a full fetch renews those.
  // A failed or cancelled refresh changes nothing (its pages are newest first, so a part would leave
  // older changes out of the next refresh).
  const idOf = (m) => m.id ?? m.modelId;
  function refreshHub(opts = {}) {
    if (running) return busy({ changed: 0 });
    const policy = { ...DEFAULT_POLICY, ...(opts.retry || {}) };
    return (async () => {
      let entries;
      try { entries = ((await tx('readonly', (s) => s.getAll())) || []).filter((e) => e.host === host); } catch (e) {
        return { ok: false, rows: 0, changed: 0, error: `Refresh: the cache cannot be read: ${e.message || e}` };
      }
      const newest = (list) => list.sort((a, b) => (a.cachedAt < b.cachedAt ? 1 : -1))[0];
      const e = opts.query ? entries.find((x) => x.query === opts.query)
        : entries.find((x) => x.query === pub.query) || newest(entries);
      if (!e) {
        return { ok: false, rows: 0, changed: 0,
          error: `Refresh: no cached Hub catalogue from ${host}${opts.query ? ` for ${opts.query}` : ''}; fetch one first` };
      }
      if (!opts.consent) return new Promise((resolve) => openDialog({ ...parseQuery(e.query), policy, refresh: e.query, resolve }));
      return startRefresh(e, policy);
    })();
  }
  // Refreshes the cached entry of this host for query ({query} of cache() will do).
  function startRefresh({ query }, policy) {
    if (running) return busy({ changed: 0 });
    running = (async () => {
      let e;
      try { e = await tx('readonly', (s) => s.get(`${host} ${query}`)); } catch (err) { e = null; }
      if (!e) {
        const error = `Refresh: the cached catalogue ${query} from ${host} cannot be found; fetch it again`;
        ctx.reportError(error);
        return { ok: false, rows: 0, changed: 0, error };
      }
      return refreshJob(e, policy);
    })().finally(() => { running = null; });
    return running;
  }
  const parseQuery = (q) => ({ sort: /sort=([^&]*)/.exec(q)?.[1] || 'downloads', n: Number(/n=(\d+)/.exec(q)?.[1] || 0) });
  // The refresh's JSON work (parse the cached copy, merge, write), in a worker so the page keeps
  // drawing frames (a 10k copy takes ~100 ms on a slow machine); here when no worker can start.
  // mergeRows, newestOf and refreshHandler are copied into the worker by their source text.
  function newestOf(rows) { return rows.reduce((t, m) => Math.max(t, Date.parse(m.lastModified || '') || 0), 0); }
  function mergeRows(rows, changed, sort, n) {
    const idOf = (m) => m.id ?? m.modelId;
    const at = new Map(rows.map((m, i) => [idOf(m), i]));
    let replaced = 0;
    for (const m of changed) {
      const i = at.get(idOf(m));
      if (i === undefined) { at.set(idOf(m), rows.length); rows.push(m); } else { rows[i] = m; replaced++; }
    }
    const key = sort === 'lastModified' ? (m) => Date.parse(m.lastModified || '') || 0 : (m) => Number(m[sort]) || 0;
    rows.sort((a, b) => key(b) - key(a) || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
    if (n && rows.length > n) rows.length = n;
    return replaced;
  }
  // {op: 'open', blob} -> {ok, newest}; then {op: 'merge', changed, sort, n} -> {ok, bytes, rows, replaced}.
  function refreshHandler() {
    let rows = null;
    return async (d) => {
      try {
        if (d.op === 'open') {
          rows = JSON.parse(await d.blob.text());
          if (!Array.isArray(rows)) throw new Error('not a JSON array of models');
          return { ok: true, newest: newestOf(rows) };
        }
        const replaced = mergeRows(rows, d.changed, d.sort, d.n);
        const bytes = new TextEncoder().encode(JSON.stringify(rows));
        return { ok: true, bytes, rows: rows.length, replaced };
      } catch (e) { return { ok: false, error: String(e.message || e) }; }
    };
  }
  function refreshWorker() {
    const here = refreshHandler();
    let w = null, url = '';
    try {
      const src = `'use strict';${newestOf}${mergeRows}const handle=(${refreshHandler})();` +
        'self.onmessage=async({data})=>{const r=await handle(data);self.postMessage(r,r.bytes?[r.bytes.buffer]:[]);};';
      url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
      w = new Worker(url);
    } catch (e) { w = null; }
    const close = () => { if (w) w.terminate(); if (url) URL.revokeObjectURL(url); w = null; };
    const call = (d) => (!w ? here(d) : new Promise((res) => {
      w.onmessage = (ev) => res(ev.data);
      w.onerror = (ev) => { ev.preventDefault(); close(); res(here(d)); };  // could not start: here
      w.postMessage(d);
    }));
    return { call, close };
  }
  async function refreshJob(e, policy) {
    const worker = refreshWorker();
    try { return await refreshWith(e, policy, worker); } finally { worker.close(); }
  }
  async function refreshWith(e, policy, worker) {
    const fail = (error) => {
      ctx.reportError(error);
      publish({ running: false, error, stage: '', etaSeconds: null });
      return { ok: false, rows: 0, changed: 0, error };
    };
    const { sort, n } = parseQuery(e.query);
    const opened = await worker.call({ op: 'open', blob: e.blob });
    if (!opened.ok) return fail(`Refresh: the cached catalogue ${e.query} cannot be read (${opened.error}); fetch it again`);
    // The newest lastModified this copy has seen: its rows', and the models a top-n Refresh cut.
    const newest = Math.max(opened.newest, e.newestSeen || 0);
    if (!newest) return fail(`Refresh: the cached catalogue ${e.query} has no lastModified dates; fetch it again`);
    const j = newJob('lastModified', 0, policy);
    Object.assign(j, { persist: false, models: [], until: (m) => (Date.parse(m.lastModified || '') || 0) > newest, source: `hub:${e.query}` });
    job = j;
    controller = new AbortController();
    publish({ running: true, error: '', query: e.query, stage: '' });
    stage(`refreshing ${e.query}: models modified after ${new Date(newest).toISOString()}`);
    let out;
    for (;;) {
      out = await page(j, controller.signal);
      if (!out.more) break;
      stage(`refreshing ${e.query}`);
    }
    controller = null;
    j.next = '';  // nothing to resume: Refresh again
    if (!out.done) {
      const why = out.cancelled ? 'cancelled' : out.error;
      return fail(`Refresh of ${e.query} stopped after ${fmt(j.rows)} changed models (${j.pages} pages): ${why}. The cached catalogue is unchanged; Refresh again to retry`);
    }
    stage('merging');
    const merged = await worker.call({ op: 'merge', changed: j.models, sort, n });
    if (!merged.ok) return fail(`Refresh of ${e.query}: merging failed (${merged.error}); the cached catalogue is unchanged`);
    const { bytes, replaced } = merged;
    stage('loading the refreshed catalogue');
    const r = await ctx.loadInto(bytes.length, (write) => write(bytes, 0),
      `Hub ${sort} top ${n ? fmt(n) : 'all'} (refreshed ${new Date().toISOString().slice(0, 10)})`, `hub:${e.query}`);
    if (!r.ok) return fail(`Refresh of ${e.query}: ${r.error}; the cached catalogue is unchanged`);
    let cachedAt = '';
    try {
      const newestSeen = Math.max(newest, newestOf(j.models));
      cachedAt = await putCache({ query: e.query, host, rows: merged.rows, bytes: bytes.length, newestSeen, blob: new Blob([bytes], { type: 'application/json' }) });
    } catch (err) { return fail(`Refresh of ${e.query}: loaded, but the cache could not be written: ${err.message || err}`); }
    j.loadedRows = merged.rows;
    publish({ running: false, error: '', stage: '', cachedAt, etaSeconds: null });
    return { ok: true, rows: r.rows, changed: j.models.length, replaced, added: j.models.length - replaced,
      changedIds: j.models.map(idOf), cachedAt };
  }

  // ---- [SECTION] the cache (IndexedDB: one record per query, the catalogue as a JSON Blob) ------
  const DB = 'hfrec-hub', STORE = 'catalogues';
  const FETCHES = 'fetches';  // the unfinished fetch (version 2)
  function db() {
    return new Promise((res, rej) => {
      const r = indexedDB.open(DB, 2);
      r.onupgradeneeded = () => {
        for (const name of [STORE, FETCHES]) if (!r.result.objectStoreNames.contains(name)) r.result.createObjectStore(name, { keyPath: 'key' });
      };
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
  }
  async function tx(mode, fn, store = STORE) {
    const d = await db();
    try {
      return await new Promise((res, rej) => {
        const t = d.transaction(store, mode);
        const out = fn(t.objectStore(store));
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
  // Clears the cached catalogues and the saved unfinished fetch.
  async function clearCache() {
    try {
      await tx('readwrite', (s) => s.clear());
      await tx('readwrite', (s) => s.clear(), FETCHES);
    } catch (e) { return { ok: false, error: String(e.message || e) }; }
    pub.unfinished = null;
    publish();
    return { ok: true };
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

  // ---- [SECTION] share links: #src=hub:sort=S&n=N ----------------------------------------------
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

  // ---- [SECTION] the dialog (an HTML <dialog> over the canvas: index.html #hub-dialog) ---------
  const el = (id) => document.getElementById(id);
  const dlg = el('hub-dialog');
  let pending = null;  // {sort, n, policy, afterLoad, onPartial, resolve, fromLink, refresh}
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
      const row = document.createElement('div');
      row.className = 'hub-cached-row';
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'hub-cached';
      b.textContent = `Use the copy of ${e.query.replace('&', ', ')} cached ${e.cachedAt.slice(0, 16).replace('T', ' ')} UTC (${fmt(e.rows)} models, ${mb(e.bytes)} MB)`;
      b.addEventListener('click', async () => {
        const p = pending;
        pending = null;
        dlg.close();
        const r = await loadCached(e.query);
        if (r.ok && p && p.afterLoad) p.afterLoad();
        if (p && p.resolve) p.resolve(r);
      });
      row.append(b);
      if (e.host === host) {
        // Refresh: the models changed since, from the same host (pressing it is the consent).
        const f = document.createElement('button');
        f.type = 'button';
        f.className = 'hub-refresh';
        f.textContent = 'Refresh';
        f.title = `Fetch the models modified since this copy (sort=lastModified, newest first) from ${host} and merge them`;
        if (pending && pending.refresh === e.query) f.classList.add('primary');
        f.addEventListener('click', async () => {
          const p = pending;
          const r = await startRefresh(e, (p && p.policy) || { ...DEFAULT_POLICY });
          if (r.ok) { pending = null; dlg.close(); }
          if (r.ok && p && p.resolve) p.resolve(r);
          renderCacheList();
        });
        row.append(f);
      }
      return row;
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
    // Resume: this page's stopped fetch, else the one saved before a reload.
    const here = job && job.next && pub.error;
    const saved = !here && pub.unfinished;
    el('hub-resume').hidden = busy || !(here || saved);
    el('hub-resume').textContent = saved
      ? `Resume the fetch of ${saved.query.replace('&', ', ')} (${fmt(saved.rows)} models so far, saved ${saved.savedAt.slice(0, 16).replace('T', ' ')} UTC)`
      : 'Resume';
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
      const r = await start(newJob(sort, n, p.policy), p.afterLoad, p.onPartial);
      if (r.ok) { pending = null; dlg.close(); }
      if (p.resolve) p.resolve(r);
    });
    el('hub-resume').addEventListener('click', async () => {
      const p = pending;
      const r = await resume((p && p.policy) || undefined);
      if (r.ok) { pending = null; dlg.close(); }
      if (p && p.resolve && r.ok) p.resolve(r);
    });
    el('hub-cancel').addEventListener('click', () => {
      if (pub.running) cancel();
      else dlg.close();
    });
    const show = dlg.showModal.bind(dlg);
    dlg.showModal = () => { show(); renderCacheList(); };
  }

  // A fetch saved before this page was loaded is offered by the dialog (and counts as resumable).
  readUnfinished().then((rec) => {
    if (rec && !pub.unfinished && !pub.running) { pub.unfinished = summary(rec.meta); publish(); }
  }, (e) => console.warn('hfrec: the saved Hub fetch cannot be read:', e));

  return {
    host, openDialog, fetchHub, resume, refresh: refreshHub, cancel, cache, clearCache, loadCached, fromHash,
    // loadedRows: the rows of this fetch loaded into the app (paging may be ahead of it);
    // unfinished: {query, rows, pages, savedAt} of the fetch saved for Resume, or null.
    state: () => ({ running: pub.running, rows: pub.rows, bytes: pub.bytes, pages: pub.pages, retries: pub.retries,
      error: pub.error, cachedAt: pub.cachedAt, query: pub.query, host,
      resumable: !pub.running && !!((job && job.next) || pub.unfinished), dialog: !!(dlg && dlg.open),
      loadedRows: pub.loadedRows, unfinished: pub.unfinished, etaSeconds: pub.etaSeconds }),
  };
};
