"""The Unicode ranges of wasm/views/fonts.cpp's ImWchar arrays, for the fonts' subsetting
(scripts/build-web.sh) and its test (tests/e2e/fonts.test.mjs).

    python3 scripts/font_ranges.py [--unicodes] NAME...

Prints the named arrays' ranges as JSON [[first, last], ...], or with --unicodes as fontTools'
subsetter takes them (U+0020-007E,...). Exits 2 naming an array that fonts.cpp lacks.
"""
import json
import os
import re
import sys

args = sys.argv[1:]
unicodes = '--unicodes' in args
names = [a for a in args if a != '--unicodes']
src_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'wasm', 'views', 'fonts.cpp')
with open(src_path, encoding='utf-8') as f:
    src = f.read()
spans = []
for name in names:
    m = re.search(r'const ImWchar ' + re.escape(name) + r'\[\] = \{([^}]*)\}', src)
    if not m:
        print(f'font_ranges: no array {name} in wasm/views/fonts.cpp', file=sys.stderr)
        sys.exit(2)
    v = [int(x, 16) for x in re.findall(r'0x[0-9A-Fa-f]+', m.group(1))]
    spans += [[v[i], v[i + 1]] for i in range(0, len(v) - 1, 2)]
if unicodes:
    print(','.join('U+%04X-%04X' % (a, b) for a, b in spans))
else:
    print(json.dumps(spans))
