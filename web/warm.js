// The app's WebAssembly, warmed off the main thread (wasm/warmup.cpp says why). index.html starts
// this worker before the app's scripts arrive; it loads the app's JS glue and warmup.csv (the
// default catalogue's first 200 KB, written by scripts/build-web.sh) at once, then waits for the
// module the page compiled (hfrec.js posts {module} as soon as it is compiled). It instantiates
// that same module (the compiled code is shared with the page's instance) and runs hfrec_warmup:
// the page's first load then finds the code it calls compiled. Best effort: a failure just ends
// the worker; the page never waits for it and nothing it does reaches the page. Posts
// {rows, error} when done.
const prepared = (async () => {
  importScripts('hfrec-app.js');
  const res = await fetch('warmup.csv', { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`warmup.csv: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
})();
prepared.catch(() => {});

self.onmessage = async ({ data }) => {
  let rows = 0, error = '';
  try {
    const bytes = await prepared;
    const mod = await createHfrecModule({
      noInitialRun: true,
      print() {},
      printErr() {},
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(data.module, imports).then((instance) => receive(instance, data.module));
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
};
