// The loading screen: the start-up's downloads (the app, the catalogue, the fonts), counted as they
// arrive, so slow networks see the bytes move instead of a bare "Loading…", and a bar of the share
// done. hfrec.js starts it:
//   window.hfrecDownloads({settled}) -> {downloads, readCounted, countedResponse, fetchBytes, skip, setText, watch}
// where settled() is true once the app runs or its start failed (the count is no longer shown),
// setText(t, fraction) writes the screen's line and, when fraction is a number, moves the bar to it, and
// watch(part, fn) calls fn(text, fraction) as each chunk of that download arrives ("1.9 MB of
// 2.7 MB"; fraction -1 while the size is unknown) until the function it returns is called.
'use strict';
window.hfrecDownloads = ({ settled }) => {
  const line = document.getElementById('loading-text');
  const bar = document.querySelector('#loading .bar > div');
  // The bar: the downloads fill the first 70% (below), the first load the rest (hfrec.js). It only
  // moves forward.
  let barPercent = 2;
  function setText(t, fraction) {
    line.textContent = t;
    const percent = Math.round(100 * Math.min(1, Math.max(0, fraction)));
    if (!(percent > barPercent)) return;
    barPercent = percent;
    bar.style.width = `${percent}%`;
    bar.parentElement.setAttribute('aria-valuenow', String(percent));
  }
  // What the start-up downloads, shown on the loading screen as it arrives (slow networks see the
  // bytes move instead of a bare "Loading…"). total is the size before compression that the build
  // wrote into the page (<meta name="hfrec-sizes" content="app=N catalogue=N fonts=N">), else the
  // responses' Content-Length when uncompressed, else 0 (unknown).
  const sizes = Object.fromEntries((document.querySelector('meta[name="hfrec-sizes"]')?.content || '')
    .split(' ').map((kv) => kv.split('=')).filter(([k, v]) => k && Number(v) > 0).map(([k, v]) => [k, Number(v)]));
  const downloads = {};
  for (const part of ['app', 'catalogue', 'fonts']) downloads[part] = { received: 0, total: sizes[part] || 0 };
  let downloadsShown = false;
  const mb = (n) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
  const amount = (d) => `${mb(d.received)}${d.total > d.received ? ` of ${mb(d.total)}` : ''}`;
  const watchers = {};  // part -> fn(text, fraction)
  function watch(part, fn) {
    watchers[part] = fn;
    return () => { if (watchers[part] === fn) delete watchers[part]; };
  }
  function showDownloads() {
    if (settled() || downloadsShown) return;
    downloadsShown = true;
    requestAnimationFrame(() => {
      downloadsShown = false;
      if (settled()) return;
      const parts = [];
      for (const [name, d] of Object.entries(downloads)) {
        if (!d.received && !d.total) continue;
        parts.push(`${name} ${amount(d)}`);
      }
      // The share of the bytes in, once every download under way has said its size.
      const under = Object.values(downloads).filter((d) => d.received || d.total);
      const fraction = under.every((d) => d.total >= d.received && d.total > 0)
        ? under.reduce((n, d) => n + d.received, 0) / under.reduce((n, d) => n + d.total, 0) : undefined;
      if (parts.length) setText(`Downloading: ${parts.join(' · ')}`, 0.7 * fraction);
    });
  }
  // The response's bytes as they arrive, counted into downloads[part]; resolves the whole body.
  async function readCounted(res, part) {
    const d = downloads[part];
    if (!sizes[part] && !res.headers.get('Content-Encoding')) d.total += Number(res.headers.get('Content-Length')) || 0;
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
      watchers[part]?.(amount(d), d.total ? d.received / d.total : -1);
    }
  }
  // The same response with its body counted as the consumer (streaming compilation) reads it.
  function countedResponse(res, part) {
    const d = downloads[part];
    if (!sizes[part] && !res.headers.get('Content-Encoding')) d.total += Number(res.headers.get('Content-Length')) || 0;
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

  // A download the start-up will not make (the default catalogue, when a link names another).
  function skip(part) { downloads[part] = { received: 0, total: 0 }; }

  return { downloads, readCounted, countedResponse, fetchBytes, skip, setText, watch };
};
