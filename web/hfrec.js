// hfrec's browser glue: starts the WebAssembly app, feeds it files (picker, drop, ?catalogue= URL),
// keeps the URL hash in step with the view and exposes window.hfrec, the automation API the UI
// itself goes through. Input on the canvas is input.js, the screen-reader mirror mirror.js, Load
// from the Hub hub.js, consent for other sites consent.js.
'use strict';
(() => {
  const canvas = document.getElementById('canvas');
  const loading = document.getElementById('loading');
  const fileInput = document.getElementById('file');
  // "path#display name" of the catalogue the build shipped (scripts/build-web.sh writes it).
  const [defaultCatalogue, defaultName] =
    (document.querySelector('meta[name="hfrec-catalogue"]')?.content || 'catalogue.csv').split('#');

  let mod = null;            // the Emscripten module
  // Once the start-up has failed, the loading screen's download count (which redraws its line as
  // bytes arrive) no longer writes over the failure (a missing module showed "Downloading: app
  // 0.0 MB of 1.8 MB …" for good), and the module is called no more.
  let startFailed = false;
  let rafPending = false;
  let framesDrawn = 0;
  const pendingLoads = new Map();  // load id -> resolve
  const pendingJobs = new Map();   // clustering / elbow job id -> resolve
  let readyResolve, readyReject;
  const ready = new Promise((res, rej) => { readyResolve = res; readyReject = rej; });
  ready.catch(() => {});

  // ---- calling into WebAssembly ---------------------------------------------------------------
  function withStrings(strings, fn) {
    const ptrs = strings.map((s) => {
      const n = mod.lengthBytesUTF8(s) + 1;
      const p = mod._malloc(n);
      mod.stringToUTF8(s, p, n);
      return p;
    });
    try { return fn(...ptrs); } finally { ptrs.forEach((p) => mod._free(p)); }
  }
  const callJson = (fn, ...args) => JSON.parse(mod.UTF8ToString(withStrings(args.map(String), fn)));

  // ---- render on demand -----------------------------------------------------------------------
  // Frames are drawn in animation frames, only when asked for. Loading and clustering run in
  // separate ~12 ms tasks chained through a MessageChannel, so work never waits for the next
  // frame and input is handled between slices; the work asks for a frame when its progress
  // should be redrawn. Flags from _hfrec_frame / _hfrec_work: 1 draw a frame, 2 more work.
  const NEED_FRAME = 1, NEED_WORK = 2, TEXT_FIELD = 4, WORK_SLICE_MS = 12;
  let workPending = false;
  const workChannel = new MessageChannel();
  workChannel.port1.onmessage = () => {
    workPending = false;
    if (startFailed) return;  // a failed start-up calls the module no more
    handleNeeds(mod._hfrec_work(WORK_SLICE_MS), true);
  };
  function scheduleWork() {
    if (workPending) return;
    workPending = true;
    workChannel.port2.postMessage(0);
  }
  // A frame asked for by work only redraws progress: it waits WORK_FRAME_MS after the last frame
  // ended, or twice as long as that frame took, so a slow frame (software rendering, a weak GPU, a
  // million points on the map) leaves the work at least two thirds of the time. Input still draws
  // at once (wake()).
  const WORK_FRAME_MS = 50;
  let nextWorkFrameAt = -Infinity, workFrameTimer = 0;
  function requestWorkFrame() {
    const wait = nextWorkFrameAt - performance.now();
    if (wait <= 0) { requestFrame(); return; }
    if (!workFrameTimer) workFrameTimer = setTimeout(() => { workFrameTimer = 0; requestFrame(); }, wait);
  }
  function handleNeeds(flags, fromWork = false) {
    if (flags & NEED_FRAME) (fromWork ? requestWorkFrame : requestFrame)();
    if (flags & NEED_WORK) scheduleWork();
    if (flags & TEXT_FIELD) syncTextField();
  }
  let revealed = false;  // the loading screen is gone
  let readyFrame = 0;  // 1: hfrec.ready resolved, 2: a frame has been drawn since
  let revealOnFrame = false, reveal = () => {};  // start() sets them: the UI shows once it is drawn
  function requestFrame() {
    if (!mod || rafPending) return;
    rafPending = true;
    requestAnimationFrame(() => {
      rafPending = false;
      if (!startFailed) drawFrame();  // a failed start-up calls the module no more
    });
  }
  // One frame of the app, in an animation frame, or at once for the first (start() below).
  function drawFrame() {
    framesDrawn++;
    const t0 = performance.now();
    const needs = mod._hfrec_frame();
    const t1 = performance.now();
    nextWorkFrameAt = t1 + Math.max(WORK_FRAME_MS, 2 * (t1 - t0));
    handleNeeds(needs);
    input.afterFrame();
    if (framesDrawn === 1) performance.mark('hfrec:first-frame');  // builds the font atlas
    // The first frame drawn after hfrec.ready: the UI with its catalogue.
    if (readyFrame === 1) { readyFrame = 2; performance.mark('hfrec:ready-frame'); }
    if (revealOnFrame) { revealOnFrame = false; reveal(); }
  }
  function wake(frames = 3) {
    if (!mod) return;
    mod._hfrec_wake(frames);
    requestFrame();
  }
  // A load that just started runs its first slice at once, not after the next frame.
  function startLoadWork(frames) {
    wake(frames);
    if (mod) scheduleWork();
  }
  for (const type of ['pointermove', 'pointerdown', 'pointerup', 'pointercancel', 'wheel', 'keydown', 'keyup',
    'keypress', 'focus', 'blur', 'pointerleave']) {
    window.addEventListener(type, () => wake(3), { capture: true, passive: true });
  }

  // ---- pointer, wheel, touch and the text field (input.js) -------------------------------------
  const textInput = document.getElementById('text-input');
  const input = window.hfrecInput({
    canvas,
    textInput,
    app: {
      get mod() { return mod; },
      framesDrawn: () => framesDrawn,
      requestFrame: () => requestFrame(),
      withStrings: (strings, fn) => withStrings(strings, fn),
      callJson: (fn, ...args) => callJson(fn, ...args),
    },
  });
  const { syncTextField, focusApp } = input;

  // ---- size, HiDPI, theme ---------------------------------------------------------------------
  // The canvas' drawing buffer at the page's size in device pixels. Set before the WebGL context
  // is made (preRun below), so that the context's buffer is allocated once: the app's window takes
  // the canvas's size as it finds it (wasm/main.cpp). Set again to the same size, it is left alone.
  function sizeCanvas() {
    const dpr = Math.max(1, Math.min(4, window.devicePixelRatio || 1));
    const w = Math.max(1, Math.round(canvas.clientWidth || window.innerWidth));
    const h = Math.max(1, Math.round(canvas.clientHeight || window.innerHeight));
    const bw = Math.round(w * dpr), bh = Math.round(h * dpr);  // the drawing buffer
    if (canvas.width !== bw) canvas.width = bw;
    if (canvas.height !== bh) canvas.height = bh;
    return { w, h, dpr };
  }
  function resize() {
    if (!mod) return;
    const { w, h, dpr } = sizeCanvas();
    mod._hfrec_resize(w, h, dpr);
    requestFrame();
  }
  window.addEventListener('resize', resize);
  let dprQuery = null;
  function watchDpr() {
    if (dprQuery) dprQuery.removeEventListener('change', onDpr);
    dprQuery = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    dprQuery.addEventListener('change', onDpr);
  }
  function onDpr() { resize(); watchDpr(); }
  const darkQuery = matchMedia('(prefers-color-scheme: dark)');
  function applyTheme() { if (mod) { mod._hfrec_set_dark(darkQuery.matches ? 1 : 0); requestFrame(); } }
  darkQuery.addEventListener('change', applyTheme);

  // ---- clipboard ------------------------------------------------------------------------------
  function copyText(text, confirmation = 'Copied to the clipboard.') {
    const fallback = () => {
      const ta = document.createElement('textarea');
      ta.value = text;
      ta.setAttribute('readonly', '');
      ta.style.position = 'fixed';
      ta.style.opacity = '0';
      document.body.appendChild(ta);
      ta.select();
      try { document.execCommand('copy'); } catch (e) { /* nothing more to try */ }
      ta.remove();
      focusApp();
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).catch(fallback);
    else fallback();
    setStatus(confirmation);
  }
  window.addEventListener('paste', (e) => {
    if (!mod || e.target === fileInput || e.target === textInput) return;  // the input takes its own paste
    const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    if (!text) return;
    e.preventDefault();
    withStrings([text.slice(0, 500)], (p) => mod._hfrec_paste(p));
    requestFrame();
  });

  // ---- catalogues -----------------------------------------------------------------------------
  // (web/loads.js: the bytes held while the core reads them)
  const { loadInto, loadCatalogue, readHeld, maxLoadBytes, overLimit } =
    window.hfrecLoads({ getMod: () => mod, withStrings, wake: startLoadWork, pendingLoads, reportError: (m) => reportError(m) });

  function reportError(message) {
    withStrings([message], (p) => mod._hfrec_report_error(p));
    requestFrame();
  }
  function showProgress(stage, fraction) {
    withStrings([stage], (p) => mod._hfrec_show_progress(p, fraction));
    requestFrame();
  }

  function nameFromUrl(url) {
    try {
      const u = new URL(url, location.href);
      const last = u.pathname.split('/').filter(Boolean).pop() || u.hostname;
      return decodeURIComponent(last);
    } catch (e) { return 'catalogue'; }
  }

  // ---- consent before another site's catalogue (web/consent.js) ------------------------------
  const consent = window.hfrecConsent({ state: () => (mod ? callJson(mod._hfrec_state) : {}), focusApp: () => focusApp() });
  const { hostOf, needsConsent } = consent;
  const askSourceConsent = (url) => consent.ask(url);

  // Fetches a catalogue URL (https: or this site's own), showing where from before and while fetching.
  // `early` is a fetch of the same URL started before the app was ready (the default catalogue).
  async function fetchCatalogue(url, name, source, early = null) {
    if (!mod._hfrec_url_allowed_str(url)) {
      const error = `Not loading ${url}: catalogue URLs must be https: or on this site`;
      reportError(error);
      return { ok: false, error };
    }
    const where = new URL(url, location.href);
    const from = where.origin === location.origin ? 'this site' : where.host;
    const stage = `Downloading ${name} from ${from}`;
    showProgress(stage, -1);
    setLoadingText(`${stage}…`);
    let res;
    // The default catalogue's download began before the app ran: once the UI shows (the loading
    // screen counted it until then), its header shows the bytes as they arrive.
    const unwatch = early ? watchDownload('catalogue', (amount, fraction) => {
      if (revealed) showProgress(`${stage}: ${amount}`, fraction);
    }) : null;
    try {
      res = await (early || fetch(where.href, { credentials: 'omit', mode: 'cors' }));
    } catch (e) {
      const error = `Could not download ${where.href}: ${e.message || e} (is the server reachable and does it allow CORS?)`;
      reportError(error);
      return { ok: false, error };
    } finally {
      unwatch?.();
    }
    // A redirect is followed, but only to a place a link may name itself (https:, or this site).
    if (res.redirected && res.url && !mod._hfrec_url_allowed_str(res.url)) {
      try { res.body?.cancel(); } catch { /* nothing to cancel */ }
      const error = `Not loading ${where.href}: it redirects to ${res.url.slice(0, 120)}, which is not https: or on this site`;
      reportError(error);
      return { ok: false, error };
    }
    if (!res.ok) {
      const error = `Could not download ${where.href}: HTTP ${res.status} ${res.statusText}`.trim();
      reportError(error);
      return { ok: false, error };
    }
    // Content-Length counts compressed bytes when the server compresses: then progress is unknown.
    const total = res.headers.get('Content-Encoding') ? 0 : Number(res.headers.get('Content-Length')) || 0;
    // Over the limit: refused before reading (Content-Length) or as soon as the bytes pass it.
    const tooBig = (n) => {
      try { res.body?.cancel(); } catch { /* nothing to cancel */ }
      const error = overLimit(where.href, n);
      reportError(error);
      return { ok: false, error };
    };
    if (total > maxLoadBytes()) return tooBig(total);
    const chunks = [];
    let received = 0;
    if (res.body && res.body.getReader) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.length;
        if (received > maxLoadBytes()) {
          try { await reader.cancel(); } catch { /* already closed */ }
          chunks.length = 0;
          const error = overLimit(where.href, received);
          reportError(error);
          return { ok: false, error };
        }
        chunks.push(value);
        showProgress(stage, total ? received / total : -1);
      }
    } else {
      chunks.push(new Uint8Array(await res.arrayBuffer()));
      received = chunks[0].length;
    }
    return loadInto(received, (write) => {
      let off = 0;
      for (const c of chunks.splice(0)) { write(c, off); off += c.length; }
    }, name, source);
  }

  // A dropped or picked file is read in slices, which the load reads from (loadInto).
  const FILE_SLICE = 16 << 20;
  async function loadFile(file) {
    if (!file) return { ok: false, error: 'no file' };
    const stage = `Reading ${file.name}`;
    return loadInto(file.size, async (write) => {
      for (let off = 0; off < file.size; off += FILE_SLICE) {
        const part = new Uint8Array(await file.slice(off, Math.min(file.size, off + FILE_SLICE)).arrayBuffer());
        write(part, off);
        if (file.size > FILE_SLICE) showProgress(stage, (off + part.length) / file.size);
      }
    }, file.name, '');
  }

  fileInput.addEventListener('change', () => {
    const f = fileInput.files && fileInput.files[0];
    fileInput.value = '';
    if (f) loadFile(f);
    focusApp();
  });

  let dragDepth = 0;
  const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth++;
    document.body.classList.add('dragging');
  });
  window.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) document.body.classList.remove('dragging');
  });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    dragDepth = 0;
    document.body.classList.remove('dragging');
    const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (f) loadFile(f);
  });

  // ---- URL hash and history -------------------------------------------------------------------
  let lastHash = '';
  function setUrlHash(hash, push, pos) {
    const url = location.pathname + location.search + (hash === '#' ? '' : hash);
    const st = { hfrecPos: pos };
    if (hash === lastHash && !push) { history.replaceState(st, '', url); return; }
    lastHash = hash;
    if (push) history.pushState(st, '', url);
    else history.replaceState(st, '', url);
  }
  window.addEventListener('popstate', (e) => {
    if (!mod) return;
    const pos = e.state && typeof e.state.hfrecPos === 'number' ? e.state.hfrecPos : -1;
    lastHash = location.hash;
    // A Hub source (#src=hub:...) is the page's to fetch, not a URL for the app to check.
    const hubLink = hub ? hub.fromHash(location.hash) : null;
    withStrings([hubLink ? hubLink.rest : location.hash], (p) => mod._hfrec_apply_link(p, pos));
    requestFrame();
  });

  // ---- the screen-reader mirror (web/mirror.js) ------------------------------------------------
  // stateChanged(): the view changed; the mirror is rewritten once (a microtask) and a frame drawn.
  // setStatus(t): the polite live region says t.
  const { stateChanged, setStatus } = window.hfrecMirror({ state: () => api.state(), textInput, requestFrame });

  // ---- Load from the Hub (web/hub.js) ----------------------------------------------------------
  const hub = typeof window.hfrecHub === 'function'
    ? window.hfrecHub({ loadInto, showProgress, reportError, stateChanged, focusApp })
    : null;

  // ---- the host object the C++ Platform calls -------------------------------------------------
  const host = {
    openFileDialog: () => fileInput.click(),
    openHub: () => { if (hub) hub.openDialog(); },
    copyText,
    // A share link is the page's whole address with the view's hash.
    copyLink: (hash) => copyText(location.origin + location.pathname + location.search + hash,
      'Link copied to the clipboard.'),
    openUrl: (url) => {
      if (!/^https:\/\/huggingface\.co\//.test(url)) return;
      window.open(url, '_blank', 'noopener,noreferrer');
    },
    download: (filename, mime, content) => {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([content], { type: mime }));
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      setStatus(`Saved ${filename}.`);
    },
    historyGo: (delta) => history.go(delta),
    setUrlHash,
    loadRead: (token, offset, to, n) => readHeld(token, offset, to, n),
    loadFinished: (id, json) => {
      const r = JSON.parse(json);
      const resolve = pendingLoads.get(id);
      pendingLoads.delete(id);
      setStatus(r.ok ? `Loaded ${r.name}: ${r.rows} models.` : `Load failed: ${r.error}`);
      if (resolve) resolve(r);
      requestFrame();
    },
    jobFinished: (id, json) => {
      const r = JSON.parse(json);
      const resolve = pendingJobs.get(id);
      pendingJobs.delete(id);
      if (r.ok && r.clusters) setStatus(`Clustered: ${r.clusters.k} clusters${r.clusters.noise ? `, ${r.clusters.noise} noise` : ''}.`);
      if (resolve) resolve(r);
      requestFrame();
    },
    stateChanged,
  };

  // Starts a job through the C++ export; resolves with its outcome.
  function startJob(params, elbow) {
    if (!mod) return Promise.resolve({ ok: false, error: 'the app is not started yet' });
    const r = callJson((p) => mod._hfrec_cluster(p, elbow ? 1 : 0), JSON.stringify(params || {}));
    requestFrame();
    if (!r.ok) return Promise.resolve(r);
    return new Promise((resolve) => pendingJobs.set(r.id, resolve));
  }

  // ---- the npm package's API over the app's catalogue (window.hfrec.core) ---------------------
  // The package's Catalogue class (catalogue.js, the same file the package ships) over this page's
  // module, which links the package's exports: one binding. The handle shares the app's index.
  let coreModule = null;
  let coreCatalogue = null;
  let coreHandle = 0;
  async function core() {
    await ready;
    if (!mod) return null;
    if (!coreModule) {
      coreModule = await import(new URL('catalogue.js', document.baseURI).href);
      coreModule.useModule(() => Promise.resolve(mod));  // Catalogue.load loads into this module too
    }
    const h = mod._hfrec_core_handle();
    if (!h) return null;
    if (h !== coreHandle || !coreCatalogue || !coreCatalogue.alive) {
      const info = callJson(mod._hfrec_state).catalogue;
      coreCatalogue = coreModule.adoptHandle(mod, h, info ? info.name : 'catalogue');
      coreHandle = h;
    }
    return coreCatalogue;
  }

  // ---- the automation API ---------------------------------------------------------------------
  const api = {
    ready,
    state: () => {
      const s = mod ? callJson(mod._hfrec_state) : { catalogue: null, error: 'starting', results: [] };
      if (hub) s.fetch = hub.state();
      // The host a link's catalogue waits on the person's consent for (#src-dialog), else null.
      s.sourceConsent = consent.pending();
      return s;
    },
    // Load from the Hub: fetchHub({sort: downloads|likes|lastModified, n (0 = all), consent}) pages
    // through {hub}/api/models and loads the models; without consent:true the dialog asks first.
    // Resolves {ok, rows, error} (a failed or cancelled fetch loads what it got: see state().fetch).
    // What was fetched is loaded while paging goes on (state().fetch.loadedRows). {resume: true}
    // goes on with a stopped fetch, also one saved before a reload (state().fetch.unfinished).
    fetchHub: (opts) => (hub ? hub.fetchHub(opts) : Promise.resolve({ ok: false, rows: 0, error: 'hub.js is missing' })),
    // Goes on from where a failed or cancelled Hub fetch stopped; resolves like fetchHub.
    resumeHub: () => (hub ? hub.resume() : Promise.resolve({ ok: false, rows: 0, error: 'hub.js is missing' })),
    // Refresh of a cached Hub catalogue ({query, consent, retry}; the loaded or newest one when no
    // query): fetches the models modified since (sort=lastModified), merges them by id, loads and
    // re-caches; without consent:true the dialog asks first. Resolves {ok, rows, changed, error}
    // (and replaced, added, changedIds, cachedAt).
    refreshHub: (opts) => (hub ? hub.refresh(opts) : Promise.resolve({ ok: false, rows: 0, changed: 0, error: 'hub.js is missing' })),
    // Stops the Hub fetch in progress (what it fetched is loaded).
    cancelHub: () => (hub ? hub.cancel() : { ok: false }),
    // The Hub catalogues cached in this browser: {ok, entries: [{query, host, rows, bytes, cachedAt}]}.
    cache: () => (hub ? hub.cache() : Promise.resolve({ ok: true, entries: [] })),
    clearCache: () => (hub ? hub.clearCache() : Promise.resolve({ ok: true })),
    // Loads a cached Hub catalogue ('sort=downloads&n=10000'; the newest when omitted), no network.
    loadCached: (query) => (hub ? hub.loadCached(query) : Promise.resolve({ ok: false, rows: 0, error: 'hub.js is missing' })),
    loadCatalogue: (data, name) => loadCatalogue(data, name, ''),
    // The npm package's Catalogue (hfrec-core: recommend, search, stats, cluster, elbow) over the
    // catalogue the page shows, resolved once the page is ready (null with no catalogue); the same
    // object while that catalogue stays. After another load an older one still answers for the
    // catalogue it was made for until its dispose().
    core: () => core(),
    select: (modelId) => {
      const r = callJson(mod._hfrec_select, modelId);
      requestFrame();
      return r;
    },
    set: (opts) => {
      const r = callJson(mod._hfrec_set, JSON.stringify(opts || {}));
      requestFrame();
      return r;
    },
    shareLink: () => location.origin + location.pathname + location.search + mod.UTF8ToString(mod._hfrec_share_link()),
    widgets: () => {
      const rect = canvas.getBoundingClientRect();
      return JSON.parse(mod.UTF8ToString(mod._hfrec_widgets())).map((w) => ({
        ...w, x: w.x + rect.left, y: w.y + rect.top, cx: w.x + rect.left + w.w / 2, cy: w.y + rect.top + w.h / 2,
      }));
    },
    // Every number the last frame drew in the results (scores and download counts), in page CSS
    // pixels: [{column, modelId, text, x, y, textW, availW, fontSize}]; textW > availW means it was cut.
    cells: () => {
      const rect = canvas.getBoundingClientRect();
      return JSON.parse(mod.UTF8ToString(mod._hfrec_cells())).map((c) => ({ ...c, x: c.x + rect.left, y: c.y + rect.top }));
    },
    frames: () => framesDrawn,
    // True when nothing is scheduled: no frame asked for, no work slice, no deferred progress frame
    // and no momentum glide; then no frame is drawn until an event (input, a load, a call) asks.
    idle: () => !rafPending && !workPending && !workFrameTimer && !input.gliding(),
    // Clusters the catalogue ({algo, features, k, eps, min_samples, seed, cut}, unset fields keep
    // the controls' values); resolves {ok, clusters} (the state().clusters summary) or {ok:false, error}.
    cluster: (params) => startJob(params, false),
    // The k-means elbow for k = 2..12 ({features}); resolves {ok, elbow: [{k, inertia, ...}]}.
    elbow: (params) => startJob(params, true),
    // Cancels the clustering or elbow in progress (its promise resolves with an error) and the map's
    // UMAP layout in progress (the map drawn stays).
    cancel: () => {
      const r = callJson(() => mod._hfrec_cancel_job());
      requestFrame();
      return r;
    },
    // Where a model's point was drawn on the cluster map in the last frame, in page CSS pixels:
    // {ok, x, y, visible, row, label}.
    mapPoint: (modelId) => {
      const r = callJson(mod._hfrec_map_point, modelId);
      if (r.ok) {
        const rect = canvas.getBoundingClientRect();
        r.x += rect.left;
        r.y += rect.top;
      }
      return r;
    },
    // The cluster map's own coordinates as drawn, in catalogue order: {ok, method: 'umap'|'pca',
    // features, seed, points: [[x, y], ...]} (UMAP's are hfrec layout's numbers for the same
    // catalogue, features and seed), or {ok: false, error} before a clustering.
    mapPoints: () => callJson(() => mod._hfrec_map_points()),
    // What the cluster map drew over its points in the last frame: {ok, labels: [{cluster, name,
    // x, y, w, h}] (the cluster names placed, boxes in canvas CSS pixels, none overlapping),
    // hiddenLabels (crowded out or off screen), density: {on, auto, blocks}, queryRow, query,
    // highlighted: [rows], highlightedIds (the query's recommendations ringed on the map)}.
    mapOverlay: () => callJson(() => mod._hfrec_map_overlay()),
    // {ok, csv, rows, fileName}: the models in the map's lasso, in its table's order, as the
    // table's Export CSV button downloads them (formula cells neutralised; core/export.h).
    exportSelection: () => callJson(() => mod._hfrec_export_selection()),
    // The cluster names drawn on the map: [{cluster, name, x, y, w, h}] in canvas CSS pixels
    // ({ok: false, error} before a clustering or before the map is drawn).
    mapLabels: () => {
      const r = callJson(() => mod._hfrec_map_overlay());
      return r.ok ? r.labels : r;
    },
  };
  Object.freeze(api);
  Object.defineProperty(window, 'hfrec', { value: api, writable: false, configurable: false });

  // ---- start ----------------------------------------------------------------------------------
  function fail(message) {
    startFailed = true;
    loading.classList.add('failed');
    loading.style.display = '';
    setLoadingText(message);
    readyReject(new Error(message));
  }

  // The loading screen (web/downloads.js): what the start-up downloads, counted as it arrives, and
  // setLoadingText(t, fraction), its line and bar.
  // watchDownload(part, fn) follows one download (the header's line for the default catalogue).
  const { readCounted, countedResponse, fetchBytes, skip: skipDownload, setText: setLoadingText, watch: watchDownload } =
    window.hfrecDownloads({ settled: () => !!mod || startFailed });

  // The compiled module goes to the worker index.html started (web/warm.js), which runs the first
  // load's code in its own instance of it, off this thread; performance mark hfrec:warmed
  // (detail: rows, error) when it is done.
  let warmWorker = window.hfrecEarly && window.hfrecEarly.warm;
  function warm(module) {
    const worker = warmWorker;
    warmWorker = null;
    if (!worker) return;
    worker.onmessage = ({ data }) => {
      performance.mark('hfrec:warmed', { detail: { rows: data && data.rows, error: data && data.error } });
      worker.terminate();
    };
    worker.onerror = (e) => { e.preventDefault(); worker.terminate(); };
    try { worker.postMessage({ module }); } catch (e) { worker.terminate(); }
  }

  async function start() {
    const initialHash = location.hash;
    const params = new URLSearchParams(location.search);
    // The default catalogue downloads while the app compiles (unless the URL names another).
    // Its bytes are read (and counted for the loading screen) as they arrive.
    const early = !params.get('catalogue') && !/(^#|&)src=/.test(initialHash)
      ? fetch(defaultCatalogue).then(async (res) => {  // same credentials as its <link rel=preload>
        if (!res.ok) return res;
        const chunks = await readCounted(res, 'catalogue');
        // The bytes stay in memory (a Blob would go through the browser process to be read back).
        const body = new ReadableStream({ start(c) { for (const ch of chunks) c.enqueue(ch); c.close(); } });
        return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
      }) : null;
    if (early) early.catch(() => {});
    else skipDownload('catalogue');
    if (typeof createHfrecModule !== 'function') return fail('hfrec-app.js did not load.');
    const fontFiles = [['fonts/Inter-Regular.otf', 0], ['fonts/Inter-SemiBold.otf', 1], ['fonts/DejaVuSans.ttf', 2]];
    const fontsP = Promise.all(fontFiles.map(([u, k]) => fetchBytes(u).then((b) => [k, b]).catch(() => null)));
    try {
      const moduleP = createHfrecModule({
        preRun: [() => {
          performance.mark('hfrec:wasm-instantiated');
          // main()'s GLFW gets this context. The UI draws 2-D triangles only: no depth or stencil
          // buffer to allocate, clear and composite; and it paints every pixel opaque (main.cpp
          // clears with alpha 1), so the canvas is opaque: the compositor draws it without
          // blending it over the page.
          sizeCanvas();
          try { canvas.getContext('webgl2', { antialias: false, alpha: false, depth: false, stencil: false }); } catch (e) { /* the app reports a missing WebGL2 */ }
          performance.mark('hfrec:gl-context');
        }],
        canvas,
        host,
        print: (t) => console.log(t),
        printErr: (t) => console.warn(t),
        // The wasm compiles as it streams in, its bytes counted for the loading screen; the
        // warm-up worker gets the module as soon as it is compiled.
        instantiateWasm: (imports, receive) => {
          // index.html started this download and the worker before the scripts.
          const early = window.hfrecEarly && window.hfrecEarly.wasm;
          window.hfrecEarly = null;
          (early || fetch('hfrec-app.wasm', { credentials: 'same-origin' }))
            .then((res) => {
              if (!res.ok) throw new Error(`hfrec-app.wasm: HTTP ${res.status}`);
              const counted = countedResponse(res, 'app');
              return typeof WebAssembly.compileStreaming === 'function'
                ? WebAssembly.compileStreaming(counted)
                : counted.arrayBuffer().then((b) => WebAssembly.compile(b));
            })
            .then((module) => { warm(module); return WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module)); })
            .catch((e) => fail(`hfrec could not start: ${e.message || e}. It needs a browser with WebAssembly and WebGL2.`));
          return {};
        },
      });
      const started = await moduleP;
      // main() returned early: no WebGL2 context, or one that cannot draw the UI. The module is
      // not called again (its UI does not exist).
      if (!started._hfrec_started()) {
        return fail('hfrec could not start: this browser gave it no WebGL2 (it may be turned off, or the graphics driver blocked). hfrec draws its interface with WebGL2.');
      }
      mod = started;
    } catch (e) {
      return fail(`hfrec could not start: ${e.message || e}. It needs a browser with WebAssembly and WebGL2.`);
    }
    // Milestones of the start-up, for the browser benchmark (performance.getEntriesByType('mark')).
    performance.mark('hfrec:module');
    mod._hfrec_url_allowed_str = (url) => withStrings([url], (p) => mod._hfrec_url_allowed(p));
    for (const f of await fontsP) {
      if (!f) continue;
      const [kind, bytes] = f;
      const p = mod._malloc(bytes.length);
      mod.HEAPU8.set(bytes, p);
      mod._hfrec_add_font(kind, p, bytes.length);
      mod._free(p);
    }
    performance.mark('hfrec:fonts');
    applyTheme();
    resize();
    watchDpr();
    // The overlay goes as soon as the app's first frame is drawn (the frame resize() asks for):
    // the UI is usable while the first catalogue loads, its stage and progress in the header, and
    // the search box keeps what is typed meanwhile. Until then it shows the load's stage.
    const showStage = setInterval(() => {
      const s = api.state();
      if (s.busy && s.stage) setLoadingText(s.progress > 0 ? `${s.stage}… ${Math.round(s.progress * 100)}%` : `${s.stage}…`, 0.7 + 0.3 * s.progress);
    }, 100);
    reveal = () => {
      if (revealed) return;
      revealed = true;
      clearInterval(showStage);
      loading.style.display = 'none';
      if (mod._hfrec_loading_screen) mod._hfrec_loading_screen(0);
      focusApp();
      // The page's next rendering, the first without the overlay: the UI a person can use
      // (search, buttons; the canvas already holds the app's frame), while the first catalogue
      // may still be loading, its progress in the header.
      requestAnimationFrame(() => performance.mark('hfrec:interactive'));
    };
    revealOnFrame = true;
    // The first frame is drawn now, in this task, not at the next animation frame: the browser
    // can hold that back behind its GPU process's start-up and the first load's slices (traced:
    // the first frame came 230 ms after the fonts, after the catalogue was in). The canvas shows
    // it, and the page without its overlay, at the browser's next frame.
    drawFrame();

    // Which catalogue: ?catalogue=URL, else the share link's source, else the default.
    let src = params.get('catalogue') || '';
    // #src=hub:sort=S&n=N names a Hub query: the page asks before fetching (below).
    const hubLink = !src && hub ? hub.fromHash(initialHash) : null;
    const linkHash = hubLink ? hubLink.rest : initialHash;
    if (!src && !hubLink && initialHash.length > 1) {
      const r = callJson(mod._hfrec_link_source, initialHash);
      if (r.ok && r.source) src = r.source;
    }
    let result = { ok: false };
    let urlError = '';
    // Another site's catalogue waits for the person's consent (the page's own loads directly):
    // the default catalogue loads first, then the dialog names the host and what would be replaced.
    const ask = src && mod._hfrec_url_allowed_str(src) && needsConsent(src);
    if (src && !ask) {
      result = await fetchCatalogue(src, nameFromUrl(src), src);
      if (!result.ok) urlError = result.error;
    }
    if (!result.ok) result = await fetchCatalogue(defaultCatalogue, defaultName || nameFromUrl(defaultCatalogue), 'builtin:', early);
    if (urlError) reportError(urlError);
    if (!hubLink && !ask && linkHash.length > 1) {
      withStrings([linkHash], (p) => mod._hfrec_apply_link(p, -1));
    }
    reveal();
    if (hubLink) {
      // The consent step; the view the link names is restored once its model is in: after the
      // partial load that has it (later loads keep the view, and what the person changes), else
      // when the whole fetch is in.
      const model = new URLSearchParams(linkHash.slice(1)).get('model');
      let applied = false;
      const apply = () => {
        applied = true;
        if (linkHash.length > 1) withStrings([linkHash], (p) => mod._hfrec_apply_link(p, -1));
        requestFrame();
      };
      hub.fetchHub({ sort: hubLink.sort, n: hubLink.n, fromLink: true,
        onPartial: (has) => { if (!applied && model && has(model)) apply(); },
        afterLoad: () => { if (!applied) apply(); } });
    }
    requestFrame();
    performance.mark('hfrec:ready');
    readyFrame = 1;
    if (result.ok) readyResolve(true);
    else readyResolve(false);
    // The page is ready with its own catalogue while the dialog asks.
    if (ask) {
      const consented = await askSourceConsent(src);
      // A failed fetch has said why, and the default catalogue stays.
      if (consented) await fetchCatalogue(src, nameFromUrl(src), src);
      if (linkHash.length > 1) withStrings([linkHash], (p) => mod._hfrec_apply_link(p, -1));
      if (!consented) {
        reportError(`Did not load the link's catalogue from ${hostOf(src)}: you chose Cancel`);  // + "The previous catalogue is still loaded."
      }
      requestFrame();
    }
  }
  // A start-up that throws before the UI shows names the error on the loading screen instead of
  // leaving the page on it for good; once the UI is up it stays, and the console has the error.
  start().catch((e) => {
    if (!revealed) fail(`hfrec could not start: ${(e && e.message) || e}`);
    else console.error(e);
  });
})();
