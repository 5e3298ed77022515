// The package's Catalogue over any module that links wasm/pkg/bindings.cpp (the hfpkg_* exports):
// the package's own (index.js starts it) or the app's (the page's window.hfrec.core() adopts the
// catalogue it shows). Errors are HfrecError with a stable `code`; long work runs in slices that
// yield to the event loop, so an AbortSignal can stop it.

/** An error from hfrec, with a stable code ('E_PARSE', 'E_UNKNOWN_MODEL', ...). */
export class HfrecError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'HfrecError';
    this.code = code;
  }
}

const FORMATS = { auto: 0, csv: 1, json: 2 };
const METHODS = ['jaccard', 'cosine', 'tfidf', 'knn', 'kmeans', 'hybrid'];
const SLICE_MS = 8;  // work per slice before yielding to the event loop

// Where Catalogue.load gets its module: index.js's init, or the app page's own module.
let startModule = () => Promise.reject(new HfrecError('E_INTERNAL', 'no WebAssembly module to load into'));
/** Sets the function Catalogue.load awaits for its module (index.js and the app's page call it). */
export function useModule(start) { startModule = start; }

// Lets the event loop run (timers, I/O, abort events) between slices.
const yieldNow = typeof setImmediate === 'function'
  ? () => new Promise((r) => setImmediate(r))
  : typeof MessageChannel === 'function'
    ? (() => {
      const ch = new MessageChannel();
      const queue = [];
      ch.port1.onmessage = () => queue.shift()();
      return () => new Promise((r) => { queue.push(r); ch.port2.postMessage(0); });
    })()
    : () => new Promise((r) => setTimeout(r, 0));

function withStrings(mod, strings, fn) {
  const ptrs = strings.map((s) => {
    const n = mod.lengthBytesUTF8(s) + 1;
    const p = mod._malloc(n);
    if (!p) throw new HfrecError('E_OUT_OF_MEMORY', 'out of memory');
    mod.stringToUTF8(s, p, n);
    return p;
  });
  try { return fn(...ptrs); } finally { ptrs.forEach((p) => mod._free(p)); }
}
// Calls an export returning JSON; an {ok: false} record becomes a thrown HfrecError.
function call(mod, fn, ...args) {
  let out;
  try {
    out = JSON.parse(mod.UTF8ToString(fn(...args)));
  } catch (e) {
    if (e instanceof HfrecError) throw e;
    throw new HfrecError('E_INTERNAL', `internal error: ${e && e.message ? e.message : e}`);
  }
  if (!out.ok) throw new HfrecError(out.code || 'E_INTERNAL', out.error || 'unknown error');
  return out;
}

function aborted(signal) {
  const why = signal && signal.reason instanceof Error && signal.reason.name !== 'AbortError'
    ? `: ${signal.reason.message}` : '';
  return new HfrecError('E_ABORTED', `aborted${why}`);
}
function checkSignal(signal) {
  if (signal != null && (typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    throw new HfrecError('E_BAD_ARGUMENT', 'signal must be an AbortSignal');
  }
  if (signal && signal.aborted) throw aborted(signal);
}
function checkFunction(f, name) {
  if (f != null && typeof f !== 'function') throw new HfrecError('E_BAD_ARGUMENT', `${name} must be a function`);
}
const isObject = (x) => x !== null && typeof x === 'object';
// Refuses keys an object may not have, so a misspelt option is an error rather than ignored.
function checkKeys(obj, allowed, what) {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new HfrecError('E_BAD_ARGUMENT', `unknown key '${key}' in ${what} (${allowed.join(', ')})`);
    }
  }
}
const KEYS = {
  load: ['format', 'name', 'onProgress', 'signal'],
  recommend: ['method', 'k', 'kmeansK', 'filters'],
  query: ['task', 'library', 'modelType', 'text'],
  filters: ['tasks', 'libraries', 'modelTypes'],
  job: ['onProgress', 'signal'],
  cluster: ['algo', 'features', 'k', 'height', 'eps', 'minSamples', 'metric', 'seed', 'restarts', 'silhouetteSample'],
  elbow: ['features', 'kMin', 'kMax', 'seed', 'restarts', 'silhouetteSample'],
};

const tooLarge = (n, max) => new HfrecError('E_TOO_LARGE',
  `the catalogue is ${n} bytes, over the ${Math.round(max / 2 ** 30)} GiB limit (${max} bytes)`);

// The input as one Uint8Array (or a string), refusing more than `max` bytes before holding it.
async function readInput(input, max, signal) {
  if (typeof input === 'string') return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (typeof Response !== 'undefined' && input instanceof Response) {
    // A fetch() reply: refused by its Content-Length when that says too much, then read as a stream.
    if (!input.ok) {
      throw new HfrecError('E_BAD_ARGUMENT', `the response is HTTP ${input.status}${input.url ? ` from ${input.url}` : ''}`);
    }
    const declared = Number(input.headers.get('content-length'));
    if (declared > max) throw tooLarge(declared, max);
    if (!input.body) return '';
    input = input.body;
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    if (input.size > max) throw tooLarge(input.size, max);
    return new Uint8Array(await input.arrayBuffer());
  }
  // A ReadableStream (web streams) or any async iterable of chunks (Node streams).
  let iterator;
  if (isObject(input) && typeof input.getReader === 'function') {
    const reader = input.getReader();
    iterator = {
      next: () => reader.read(),
      return: () => { reader.cancel().catch(() => {}); return Promise.resolve({ done: true }); },
    };
  } else if (isObject(input) && typeof input[Symbol.asyncIterator] === 'function') {
    iterator = input[Symbol.asyncIterator]();
  } else {
    throw new HfrecError('E_BAD_ARGUMENT',
      'Catalogue.load takes a string, an ArrayBuffer, a typed array, a Blob, a Response, a ReadableStream or an async iterable of chunks');
  }
  const chunks = [];
  let total = 0;
  const encoder = new TextEncoder();
  try {
    for (;;) {
      if (signal && signal.aborted) throw aborted(signal);
      const { done, value } = await iterator.next();
      if (done) break;
      const chunk = typeof value === 'string' ? encoder.encode(value)
        : value instanceof ArrayBuffer ? new Uint8Array(value)
          : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : null;
      if (!chunk) throw new HfrecError('E_BAD_ARGUMENT', 'a stream chunk must be bytes or a string');
      total += chunk.byteLength;
      if (total > max) throw tooLarge(total, max);
      chunks.push(chunk);
    }
  } catch (e) {
    if (iterator.return) await iterator.return();
    throw e;
  }
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { all.set(c, at); at += c.byteLength; }
  return all;
}

const CONSTRUCT = Symbol('Catalogue');  // only load() constructs
const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry(({ mod, handle }) => mod._hfpkg_free(handle)) : null;

/** A loaded catalogue with its indexes. Make one with Catalogue.load(). */
export class Catalogue {
  #mod;
  #handle;
  #name;

  constructor(token, mod, handle, name) {
    if (token !== CONSTRUCT) throw new HfrecError('E_BAD_ARGUMENT', 'use Catalogue.load(input, options)');
    this.#mod = mod;
    this.#handle = handle;
    this.#name = name;
    if (registry) registry.register(this, { mod, handle }, this);
  }

  /**
   * Parses and indexes a catalogue (the Hub's CSV dump or its list-models JSON).
   * @param input string | ArrayBuffer | typed array | Blob | Response | ReadableStream | AsyncIterable
   * @param options { format: 'auto'|'csv'|'json', name, onProgress({stage, fraction}), signal }
   */
  static async load(input, options = {}) {
    if (!isObject(options)) throw new HfrecError('E_BAD_ARGUMENT', 'options must be an object');
    checkKeys(options, KEYS.load, 'the load options');
    const { format = 'auto', name = 'catalogue', onProgress, signal } = options;
    if (!Object.hasOwn(FORMATS, format)) {
      throw new HfrecError('E_BAD_ARGUMENT', `format must be 'auto', 'csv' or 'json', got ${JSON.stringify(format)}`);
    }
    if (typeof name !== 'string') throw new HfrecError('E_BAD_ARGUMENT', 'name must be a string');
    checkFunction(onProgress, 'onProgress');
    checkSignal(signal);
    const mod = await startModule();
    const max = mod._hfpkg_max_bytes();
    const data = await readInput(input, max, signal);
    const len = typeof data === 'string' ? mod.lengthBytesUTF8(data) : data.byteLength;
    if (len > max) throw tooLarge(len, max);  // before any allocation in WebAssembly
    if (signal && signal.aborted) throw aborted(signal);
    const buf = mod._hfpkg_buffer(len);
    if (!buf) throw new HfrecError('E_OUT_OF_MEMORY', `cannot allocate ${len} bytes for the catalogue`);
    if (typeof data === 'string') mod.stringToUTF8(data, buf, len + 1);  // writes len bytes and a NUL
    else mod.HEAPU8.set(data, buf);
    const { handle } = withStrings(mod, [name], (p) => call(mod, mod._hfpkg_load, buf, p, FORMATS[format]));
    try {
      for (;;) {
        const step = call(mod, mod._hfpkg_load_step, handle, SLICE_MS);
        if (onProgress) onProgress({ stage: step.stage, fraction: step.progress });
        if (step.done) break;
        await yieldNow();
        if (signal && signal.aborted) throw aborted(signal);
      }
    } catch (e) {
      mod._hfpkg_free(handle);
      throw e;
    }
    return new Catalogue(CONSTRUCT, mod, handle, name);
  }

  /** The name given to load(). */
  get name() { return this.#name; }
  /** False once disposed. */
  get alive() { return this.#handle !== 0; }

  #h() {
    if (!this.#handle) throw new HfrecError('E_DISPOSED', 'the catalogue has been disposed');
    return this.#handle;
  }

  /**
   * Models like a catalogue model (its id) or an ad-hoc query ({task, library, modelType, text}).
   * @param query string | {task?, library?, modelType?, text?}
   * @param options { method = 'cosine', k = 10, kmeansK = 10, filters: {tasks, libraries, modelTypes} }
   * @returns [{rank, modelId, score, distance?, downloads, task, library, modelType, why, shared, lineage}]
   */
  recommend(query, options = {}) {
    const h = this.#h();
    if (!isObject(options)) throw new HfrecError('E_BAD_ARGUMENT', 'options must be an object');
    if (typeof query !== 'string' && !isObject(query)) {
      throw new HfrecError('E_BAD_ARGUMENT', 'query must be a model id or an object {task, library, modelType, text}');
    }
    checkKeys(options, KEYS.recommend, 'the recommend options');
    if (isObject(query)) checkKeys(query, KEYS.query, 'the query');
    const { method = 'cosine', k = 10, kmeansK, filters } = options;
    if (filters != null) {
      if (!isObject(filters)) throw new HfrecError('E_BAD_ARGUMENT', 'filters must be an object {tasks, libraries, modelTypes}');
      checkKeys(filters, KEYS.filters, 'the filters');
    }
    if (!METHODS.includes(method)) {
      throw new HfrecError('E_BAD_ARGUMENT', `unknown method ${JSON.stringify(method)} (${METHODS.join(', ')})`);
    }
    const request = JSON.stringify({ query, method, k, kmeansK, filters });
    const mod = this.#mod;
    return withStrings(mod, [request], (p) => call(mod, mod._hfpkg_recommend, h, p)).results;
  }

  /** Type-ahead search over ids and authors: [{modelId, downloads, task, library, match}], best first. */
  search(text, n = 20) {
    const h = this.#h();
    if (typeof text !== 'string') throw new HfrecError('E_BAD_ARGUMENT', 'text must be a string');
    if (!Number.isInteger(n) || n < 1 || n > 10000) {
      throw new HfrecError('E_BAD_ARGUMENT', `n must be an integer from 1 to 10000, got ${n}`);
    }
    const mod = this.#mod;
    return withStrings(mod, [text], (p) => call(mod, mod._hfpkg_search, h, p, n)).hits;
  }

  /** What was loaded: rows, format, columns, duplicates, warnings, feature spaces, lineage counts. */
  stats() {
    const h = this.#h();
    const { ok, ...rest } = call(this.#mod, this.#mod._hfpkg_stats, h);
    return rest;
  }

  async #job(params, options, elbow) {
    const h = this.#h();
    if (!isObject(params)) throw new HfrecError('E_BAD_ARGUMENT', 'params must be an object');
    checkKeys(params, elbow ? KEYS.elbow : KEYS.cluster, elbow ? 'the elbow parameters' : 'the cluster parameters');
    if (!isObject(options)) throw new HfrecError('E_BAD_ARGUMENT', 'options must be an object');
    checkKeys(options, KEYS.job, 'the job options');
    const { onProgress, signal } = options;
    checkFunction(onProgress, 'onProgress');
    checkSignal(signal);
    const mod = this.#mod;
    const { job } = withStrings(mod, [JSON.stringify(params)], (p) => call(mod, mod._hfpkg_job_start, h, p, elbow));
    let ended = false;  // the core has forgotten the job (finished, failed or cancelled)
    try {
      for (;;) {
        if (signal && signal.aborted) throw aborted(signal);
        if (!this.#handle) throw new HfrecError('E_DISPOSED', 'the catalogue was disposed while the job ran');
        let step;
        try {
          step = call(mod, mod._hfpkg_job_step, job, SLICE_MS);
        } catch (e) {
          ended = true;
          throw e;
        }
        ended = step.done;
        if (onProgress) onProgress({ stage: step.stage, fraction: step.progress });
        if (step.done) return step.result;
        await yieldNow();
      }
    } finally {
      // Aborted, disposed or onProgress threw: cancel the job, and its last step frees it.
      if (!ended && this.#handle) {
        mod._hfpkg_job_cancel(job);
        try { call(mod, mod._hfpkg_job_step, job, 0); } catch { /* E_ABORTED, as expected */ }
      }
    }
  }

  /**
   * Clusters the catalogue: {algo: 'kmeans'|'ward'|'dbscan', features: 'attributes'|'soup'|'tfidf',
   * k, eps, minSamples, metric, height, seed, restarts, silhouetteSample}. Resolves
   * {algo, features, clusters, labels, sizes, details, metrics}; rejects E_ABORTED when signal aborts.
   */
  cluster(params = {}, options = {}) { return this.#job(params, options, 0); }

  /** The k-means elbow: {features, kMin, kMax, seed, restarts, silhouetteSample} → [{k, inertia, ...}]. */
  elbow(params = {}, options = {}) { return this.#job(params, options, 1); }

  /** Frees the catalogue's memory; later calls throw E_DISPOSED. Calling it again does nothing. */
  dispose() {
    if (!this.#handle) return;
    this.#mod._hfpkg_free(this.#handle);
    if (registry) registry.unregister(this);
    this.#handle = 0;
  }
}
/**
 * A Catalogue over a handle the module already has (core/api.h's adopt: the app's page hands over
 * the catalogue it shows). Not part of the package's public API.
 */
export function adoptHandle(mod, handle, name) { return new Catalogue(CONSTRUCT, mod, handle, name); }

if (typeof Symbol.dispose === 'symbol') {
  Catalogue.prototype[Symbol.dispose] = Catalogue.prototype.dispose;
}

/** The recommendation methods, in the CLI's spelling. */
export const methods = Object.freeze([...METHODS]);
