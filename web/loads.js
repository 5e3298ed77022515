// Catalogue loads: the bytes of a file being loaded stay here, outside WebAssembly memory, and the
// core reads them a window at a time (a CSV file is never whole in its heap). hfrec.js starts it:
//   window.hfrecLoads({getMod, withStrings, wake, pendingLoads, reportError})
//     -> {loadInto, loadCatalogue, readHeld, maxLoadBytes, overLimit}
// getMod() is the running Emscripten module (null before it starts); pendingLoads maps a load's id
// to the resolve that Module.host.loadFinished calls; readHeld is Module.host.loadRead.
'use strict';
window.hfrecLoads = ({ getMod, withStrings, wake, pendingLoads, reportError }) => {
  function toBytes(data) {
    if (typeof data === 'string') return new TextEncoder().encode(data);
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return null;
  }

  // Loads a catalogue of `length` bytes that fill(write) hands over (write(chunk, offset), in order,
  // as often as needed); resolves {ok, rows, error}. The old catalogue stays on failure.
  // The chunks stay here, outside WebAssembly memory, until the load ends: the core reads them
  // through Module.host.loadRead a window at a time (a CSV file is never whole in its heap, so
  // the heap's high-water mark is the catalogue, not the catalogue and its text). They are not
  // copied: a caller's own buffer must be copied before (loadCatalogue does).
  // "2.5 GB is over the 1 GiB limit": sizes for messages.
  const sizeText = (n) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${n} bytes`);
  const maxLoadBytes = () => (getMod() && getMod()._hfrec_max_load_bytes ? getMod()._hfrec_max_load_bytes() : 2 ** 30);
  const overLimit = (name, n) => `${name}: ${sizeText(n)} is over the ${Math.round(maxLoadBytes() / 2 ** 30)} GiB limit for a catalogue; the catalogue shown stays`;
  const heldLoads = new Map();  // token -> {chunks, starts}: the bytes of a load in progress
  let nextHeld = 1;

  // Copies bytes [offset, offset + n) of a held load into WebAssembly memory at `to`; the count.
  function readHeld(token, offset, to, n) {
    const h = heldLoads.get(token);
    if (!h) return 0;
    let lo = 0, hi = h.chunks.length - 1;  // the chunk that holds `offset`
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (h.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    let copied = 0;
    for (let i = lo; i < h.chunks.length && copied < n; i++) {
      const c = h.chunks[i], from = offset + copied - h.starts[i];
      if (from < 0 || from >= c.length) continue;
      const k = Math.min(c.length - from, n - copied);
      getMod().HEAPU8.set(c.subarray(from, from + k), to + copied);  // HEAPU8 is re-read: memory may have grown
      copied += k;
    }
    return copied;
  }

  async function loadInto(length, fill, name, source) {
    if (!getMod()) return { ok: false, rows: 0, error: 'the app is not started yet' };
    // Checked before anything is read (File.size, Content-Length, a buffer's length).
    if (!(length <= maxLoadBytes())) {
      const error = overLimit(name, length);
      reportError(error);
      return { ok: false, rows: 0, error };
    }
    performance.mark('hfrec:catalogue-bytes');
    const chunks = [], starts = [];
    let got = 0;
    try {
      await fill((chunk, offset) => {
        if (offset !== got || got + chunk.length > length) throw new Error('more bytes than announced');
        if (!chunk.length) return;
        chunks.push(chunk);
        starts.push(got);
        got += chunk.length;
      });
      if (got !== length) throw new Error(`${got} bytes arrived of the ${length} announced`);
    } catch (e) {
      const error = `Could not read ${name}: ${e.message || e}`;
      reportError(error);
      return { ok: false, rows: 0, error };
    }
    const token = nextHeld++;
    heldLoads.set(token, { chunks, starts });
    try {
      const r = await new Promise((resolve) => {
        const id = withStrings([String(name), String(source)], (n, s) => getMod()._hfrec_load_stream_start(length, token, n, s));
        if (!id) return resolve({ ok: false, error: `${name}: ${length} bytes cannot be loaded` });
        pendingLoads.set(id, resolve);
        wake(2);
      });
      return r.ok ? { ok: true, rows: r.rows } : { ok: false, rows: 0, error: r.error };
    } finally {
      heldLoads.delete(token);
    }
  }

  // Loads bytes as a catalogue; resolves {ok, rows, error}. The old catalogue stays on failure.
  // The bytes are copied at once: the caller may change or reuse its buffer as soon as this returns.
  function loadCatalogue(data, name = 'catalogue', source = '') {
    const bytes = toBytes(data);
    if (!bytes) {
      return Promise.resolve({ ok: false, error: 'loadCatalogue(data, name): data must be a string, ArrayBuffer or Uint8Array' });
    }
    const own = typeof data === 'string' || bytes.length > maxLoadBytes() ? bytes : bytes.slice();
    return loadInto(own.length, (write) => write(own, 0), name, source);
  }

  return { loadInto, loadCatalogue, readHeld, maxLoadBytes, overLimit };
};
