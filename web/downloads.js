// The start-up's downloads (the app, the catalogue, the fonts), counted as they arrive and shown on
// the loading screen, so slow networks see the bytes move instead of a bare "Loading…". hfrec.js
// starts it:
//   window.hfrecDownloads({started, setText}) -> {downloads, readCounted, countedResponse, fetchBytes}
// where started() is true once the app runs (the count is no longer shown) and setText(t) writes
// the loading screen's line.
'use strict';
window.hfrecDownloads = ({ started, setText }) => {
  // What the start-up downloads, shown on the loading screen as it arrives (slow networks see the
  // bytes move instead of a bare "Loading…"). total is 0 when unknown (compressed transfers).
  const downloads = { app: { received: 0, total: 0 }, catalogue: { received: 0, total: 0 }, fonts: { received: 0, total: 0 } };
  let downloadsShown = false;
  const mb = (n) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
  function showDownloads() {
    if (started() || downloadsShown) return;
    downloadsShown = true;
    requestAnimationFrame(() => {
      downloadsShown = false;
      if (started()) return;
      const parts = [];
      for (const [name, d] of Object.entries(downloads)) {
        if (!d.received && !d.total) continue;
        parts.push(`${name} ${mb(d.received)}${d.total > d.received ? ` of ${mb(d.total)}` : ''}`);
      }
      if (parts.length) setText(`Downloading: ${parts.join(' · ')}`);
    });
  }
  // The response's bytes as they arrive, counted into downloads[part]; resolves the whole body.
  async function readCounted(res, part) {
    const d = downloads[part];
    if (!res.headers.get('Content-Encoding')) d.total += Number(res.headers.get('Content-Length')) || 0;
    const chunks = [];
    if (!res.body || !res.body.getReader) {
      const b = new Uint8Array(await res.arrayBuffer());
      d.received += b.length;
      showDownloads();
      return [b];
    }
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return chunks;
      chunks.push(value);
      d.received += value.length;
      showDownloads();
    }
  }
  // The same response with its body counted as the consumer (streaming compilation) reads it.
  function countedResponse(res, part) {
    const d = downloads[part];
    if (!res.headers.get('Content-Encoding')) d.total += Number(res.headers.get('Content-Length')) || 0;
    if (!res.body || typeof TransformStream !== 'function') return res;
    const counted = res.body.pipeThrough(new TransformStream({
      transform(chunk, ctl) { d.received += chunk.length; showDownloads(); ctl.enqueue(chunk); },
    }));
    return new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers });
  }
  async function fetchBytes(url) {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    const chunks = await readCounted(r, 'fonts');
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let off = 0;
    for (const c of chunks) { out.set(c, off); off += c.length; }
    return out;
  }

  return { downloads, readCounted, countedResponse, fetchBytes };
};
