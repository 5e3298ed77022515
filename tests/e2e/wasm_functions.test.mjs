// The shipped module has no giant function. A browser compiles a WebAssembly function whole, at its
// first call (V8: lazily, on the page's main thread, with a baseline compiler whose time grows
// faster than the function's size), so a function that inlines many others makes the first frame
// and the first load wait for every branch of it. Binaryen inlined every function with one caller,
// however large: Controller::tick grew to 83 KB and hfrec_frame to 62 KB, and the page's main
// thread spent about 200 ms compiling lazily before ready (README, "Functions compiled when first
// called"). cmake/HfrecOptions.cmake now limits that inlining; this reads dist/hfrec-app.wasm's
// code section itself (the binary format, no tool of the build) and checks its largest body.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { dist } from './helpers.mjs';

const LIMIT = 32 * 1024;

// The byte size of each function body in the code section (id 10) of a WebAssembly binary.
function bodySizes(bytes) {
  assert.deepEqual([...bytes.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'a WebAssembly binary');
  let p = 8;
  const leb = () => {
    let result = 0, shift = 0, byte;
    do {
      byte = bytes[p++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    const end = p + size;
    if (id === 10) {
      const sizes = [];
      for (let n = leb(), i = 0; i < n; i++) {
        const s = leb();
        sizes.push(s);
        p += s;
      }
      assert.equal(p, end, 'the code section ends after its last body');
      return sizes;
    }
    p = end;
  }
  assert.fail('no code section');
}

test(`no function in the shipped module is over ${LIMIT / 1024} KB of code`, (t) => {
  const file = path.join(dist, 'hfrec-app.wasm');
  if (!existsSync(file)) {
    if (process.env.CI === 'true') assert.fail(`${file} is missing (npm run build)`);
    t.skip(`${file} is missing (npm run build)`);
    return;
  }
  const sizes = bodySizes(readFileSync(file));
  assert.ok(sizes.length > 1000, `${sizes.length} functions`);
  const largest = sizes.map((s, i) => [s, i]).sort((a, b) => b[0] - a[0]).slice(0, 5);
  assert.ok(largest[0][0] <= LIMIT,
    `the largest bodies (bytes, index in the code section): ${largest.map(([s, i]) => `${s} #${i}`).join(', ')}`);
});
