// The app's WebAssembly, compiled and warmed off the main thread (wasm/warmup.cpp says why).
// index.html starts this worker before anything else, while the page's main thread is still
// creating the WebGL2 context. The worker downloads and compiles hfrec-app.wasm (streaming, its
// bytes counted back to the page for the loading screen) and posts the compiled module to the
// page, which instantiates it. Then it instantiates the same module itself (the compiled code is
// shared between the two instances) and runs hfrec_warmup on warmup.csv (the default catalogue's
// first 200 KB, written by scripts/build-web.sh), so the page's first load finds the code it
// calls compiled.
// Messages to the page: {progress: {received, total}}, then {module} or {compileError}, then
// {rows, error} when the warm-up is done. If this worker fails, the page compiles the module
// itself (web/hfrec.js); the warm-up is best effort and nothing it does reaches the page.
const compiled = (async () => {
  const res = await fetch('hfrec-app.wasm', { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`hfrec-app.wasm: HTTP ${res.status}`);
  const total = res.headers.get('Content-Encoding') ? 0 : Number(res.headers.get('Content-Length')) || 0;
  let received = 0;
  let counted = res;
  if (res.body && typeof TransformStream === 'function') {
    const body = res.body.pipeThrough(new TransformStream({
      transform(chunk, ctl) {
        received += chunk.length;
        self.postMessage({ progress: { received, total } });
        ctl.enqueue(chunk);
      },
    }));
    counted = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  }
  return typeof WebAssembly.compileStreaming === 'function'
    ? WebAssembly.compileStreaming(counted)
    : WebAssembly.compile(await counted.arrayBuffer());
})();
compiled.then((module) => self.postMessage({ module }), (e) => self.postMessage({ compileError: String((e && e.message) || e) }));

const prepared = (async () => {
  importScripts('hfrec-app.js');
  const res = await fetch('warmup.csv', { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`warmup.csv: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
})();

(async () => {
  let rows = 0, error = '';
  try {
    const [module, bytes] = await Promise.all([compiled, prepared]);
    const mod = await createHfrecModule({
      noInitialRun: true,
      print() {},
      printErr() {},
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module));
        return {};
      },
    });
    const p = mod._malloc(bytes.length);
    mod.HEAPU8.set(bytes, p);
    rows = mod._hfrec_warmup(p, bytes.length);
  } catch (e) {  // the page compiles what it calls itself, as without this worker
    error = String((e && e.message) || e);
  }
  self.postMessage({ rows, error });
})();
