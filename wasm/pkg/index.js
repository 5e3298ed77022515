// hfrec's core as a JavaScript package: Catalogue.load(...), then recommend, search, stats,
// cluster and elbow, over the WebAssembly build of core/ (bindings.cpp). Node >= 18, browsers and
// Web Workers. The Catalogue class is catalogue.js's, which the app's page uses over its own
// module too: one binding. This file starts the package's module.
import createHfrecCore from './hfrec-core.mjs';
import { HfrecError, useModule } from './catalogue.js';

export { Catalogue, HfrecError, methods } from './catalogue.js';

// Node (and runtimes that act as it): the module is built for the web, so the .wasm is read here.
const isNode = typeof process === 'object' && typeof process.versions === 'object' &&
  typeof process.versions.node === 'string' && typeof window === 'undefined' && typeof importScripts === 'undefined';
async function readNextToMe(file) {
  const fsModule = 'node:fs/promises';  // a variable: bundlers for the web do not try to resolve it
  const { readFile } = await import(/* webpackIgnore: true */ fsModule);
  return readFile(new URL(file, import.meta.url));
}

let modulePromise = null;
/**
 * Loads the WebAssembly module once (later calls reuse it). By default the .wasm file is found
 * next to this module (import.meta.url); pass `wasmBinary` (bytes) or `locateFile` to choose.
 */
export function init(options = {}) {
  if (!modulePromise) {
    modulePromise = (async () => {
      const config = {};
      if (options.wasmBinary) config.wasmBinary = options.wasmBinary;
      else if (options.locateFile) config.locateFile = options.locateFile;
      else if (isNode) config.wasmBinary = await readNextToMe('hfrec-core.wasm');
      try {
        return await createHfrecCore(config);
      } catch (e) {
        throw new HfrecError('E_INTERNAL', `cannot start the WebAssembly module: ${e && e.message ? e.message : e}`);
      }
    })();
    modulePromise.catch(() => { modulePromise = null; });
  }
  return modulePromise;
}

useModule(() => init());
