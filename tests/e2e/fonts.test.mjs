// The fonts dist/ ships (scripts/build-web.sh cuts them to the blocks wasm/views/fonts.cpp lists)
// draw every code point of those blocks exactly as the system's whole fonts do: for each code point
// the whole font maps, the shipped font maps it too, with the same advance and the same outline
// (drawn through fontTools' pens, which read both files: the oracle is not the subsetter's output
// compared with itself). And the cut is real: each shipped file is smaller than the whole one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { dist, root } from './helpers.mjs';

const python = '/usr/bin/python3';
const fonts = [
  ['/usr/share/fonts/opentype/inter/Inter-Regular.otf', 'Inter-Regular.otf', ['kTextRanges', 'kTitleRanges', 'kBaseText', 'kSlimText']],
  ['/usr/share/fonts/opentype/inter/Inter-SemiBold.otf', 'Inter-SemiBold.otf', ['kTextRanges', 'kTitleRanges', 'kBaseText', 'kSlimText']],
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'DejaVuSans.ttf', ['kSymbolRanges', 'kUiSymbolRanges', 'kBaseSymbols']],
];

// The ranges of the named arrays in wasm/views/fonts.cpp, as [first, last] pairs (the parser the
// build's subsetting uses; the checks below read the fonts themselves through fontTools).
function ranges(names) {
  return JSON.parse(execFileSync(python, [path.join(root, 'scripts/font_ranges.py'), ...names], { encoding: 'utf8' }));
}

const compare = `
import json, sys
from fontTools.ttLib import TTFont
from fontTools.pens.recordingPen import RecordingPen
whole, shipped, spans = TTFont(sys.argv[1]), TTFont(sys.argv[2]), json.loads(sys.argv[3])
def draw(font, cp):
    name = font.getBestCmap().get(cp)
    if name is None: return None
    gs = font.getGlyphSet()
    pen = RecordingPen()
    gs[name].draw(pen)
    return [gs[name].width, pen.value]
checked, bad = 0, []
for a, b in spans:
    for cp in range(a, b + 1):
        w = draw(whole, cp)
        if w is None: continue
        checked += 1
        if draw(shipped, cp) != w: bad.append(hex(cp))
print(json.dumps({'checked': checked, 'bad': bad[:20], 'nbad': len(bad),
                  'units': [whole['head'].unitsPerEm, shipped['head'].unitsPerEm],
                  'hhea': [[whole['hhea'].ascent, whole['hhea'].descent, whole['hhea'].lineGap],
                           [shipped['hhea'].ascent, shipped['hhea'].descent, shipped['hhea'].lineGap]]}))
`;

const haveTools = (() => {
  try {
    execFileSync(python, ['-c', 'import fontTools.ttLib, fontTools.pens.recordingPen'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

for (const [system, file, arrays] of fonts) {
  test(`the shipped ${file} draws every code point of its blocks as the whole font does`, (t) => {
    const shipped = path.join(dist, 'fonts', file);
    const missing = !haveTools ? 'fontTools (apt-get install python3-fonttools)' : !existsSync(system) ? system
      : !existsSync(shipped) ? `${shipped} (npm run build)` : null;
    if (missing) {
      if (process.env.CI === 'true') assert.fail(`${missing} is missing`);
      t.skip(`${missing} is missing`);
      return;
    }
    const r = JSON.parse(execFileSync(python, ['-c', compare, system, shipped, JSON.stringify(ranges(arrays))], { encoding: 'utf8' }));
    assert.ok(r.checked > 100, `${r.checked} code points checked`);
    assert.equal(r.nbad, 0, `drawn differently or missing: ${r.bad.join(' ')}`);
    assert.deepEqual(r.units[1], r.units[0]);
    assert.deepEqual(r.hhea[1], r.hhea[0]);
    assert.ok(statSync(shipped).size < statSync(system).size, 'the shipped font is cut');
  });
}

// The page's frames before its first catalogue draw with the slim atlas (build_fonts' `slim`):
// every character outside ASCII that the app's own strings use must be in its base (the text's
// kSlimText or the merged symbols' kBaseSymbols), or it shows as '?' until a catalogue is in.
test("the UI's own characters are all in the slim atlas", () => {
  const covered = ranges(['kSlimText', 'kBaseSymbols']);
  const dirs = ['wasm/views', 'wasm/app', 'core'];
  const missing = new Map();
  let seen = 0;
  for (const dir of dirs) {
    for (const name of readdirSync(path.join(root, dir))) {
      if (!/\.(cpp|h)$/.test(name)) continue;
      const lines = readFileSync(path.join(root, dir, name), 'utf8').split('\n');
      lines.forEach((line, i) => {
        // The string literals of the line's code (a // comment's text is not drawn).
        for (const m of line.replace(/^\s*\/\/.*$/, '').matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
          for (const ch of m[1]) {
            const cp = ch.codePointAt(0);
            if (cp < 0x80) continue;
            seen++;
            if (!covered.some(([a, b]) => cp >= a && cp <= b)) missing.set(ch, `${dir}/${name}:${i + 1}`);
          }
        }
      });
    }
  }
  assert.ok(seen > 20, `${seen} characters outside ASCII found in the strings`);
  assert.deepEqual([...missing].map(([ch, at]) => `${ch} (U+${ch.codePointAt(0).toString(16).toUpperCase()}) at ${at}`), []);
});
