// The CLI against hostile arguments and query files (issue 16): invalid UTF-8, terminal escape
// sequences, unknown options, unbounded query files and huge arguments. Any bytes give exit 0, 2
// or 3, output stays valid JSON (invalid bytes become U+FFFD), the valid queries' answers are kept,
// control characters never reach a terminal raw, and echoed input is bounded.
// Run: node --test tests/cli/   (needs build/native-release/hfrec, or HFREC_CLI=path)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.HFREC_CLI || path.join(root, 'build/native-release/hfrec');
const catalogue = path.join(root, 'web/catalogue.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hfrec-hostile-'));

// Runs the CLI through sh, so arguments can hold bytes a JavaScript string cannot (printf '\377').
function sh(script) {
  const r = spawnSync('sh', ['-c', script, cli], { encoding: 'buffer', maxBuffer: 64 << 20 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}
const base = `"$0" recommend --catalogue '${catalogue}' --method cosine -k 2`;
const lines = (buf) => buf.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));

test('invalid UTF-8 in --model: exit 3, valid JSON, the valid query answered', () => {
  const r = sh(`${base} --model gpt2 --model "$(printf 'bad\\377\\376')" --model bert-base-uncased`);
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.code, 3, r.stderr);
  const out = lines(r.stdout);
  assert.deepEqual(out.map((o) => o.query), ['gpt2', 'bad\ufffd\ufffd', 'bert-base-uncased']);
  assert.equal(out[0].results.length, 2);
  assert.match(out[1].error, /is not in the catalogue/);
  assert.equal(out[2].results.length, 2);
});

test('invalid UTF-8 in a --queries line and in the catalogue file name', () => {
  const q = path.join(tmp, 'queries.txt');
  fs.writeFileSync(q, Buffer.concat([Buffer.from('gpt2\n'), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from('distilgpt2\n')]));
  const r = sh(`${base} --queries '${q}'`);
  assert.equal(r.code, 3, r.stderr);
  assert.deepEqual(lines(r.stdout).map((o) => Boolean(o.results)), [true, false, true]);
  const dir = path.join(tmp, 'names');
  fs.mkdirSync(dir, { recursive: true });
  const s = sh(`f="${dir}/$(printf 'cat\\377')".csv; cp '${catalogue}' "$f"; "$0" stats --catalogue "$f"`);
  assert.equal(s.code, 0, s.stderr);
  assert.equal(JSON.parse(s.stdout.toString('utf8')).rows, 55);
});

test('terminal escape sequences are shown escaped in table output and errors', () => {
  const r = sh(`${base} --format table --model "$(printf 'x\\033]0;owned\\007y')"`);
  assert.equal(r.code, 3);
  const text = r.stdout.toString('latin1') + r.stderr;
  assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(text), JSON.stringify(text));
  assert.match(r.stdout.toString('utf8'), /x\\x1b\]0;owned\\x07y/);
});

test('unknown options are refused with exit 2 and a hint for a near miss', () => {
  const cat = `--catalogue '${catalogue}'`;
  for (const [cmd, args, bad, hint] of [['recommend', `${cat} --method cosine --model gpt2`, '--fromat', '--format'],
    ['cluster', `${cat} --algo kmeans`, '--seeds', '--seed'], ['elbow', cat, '--kmax', '--k-max'],
    ['stats', cat, '--verbose', null], ['fetch', `--out '${tmp}/x.csv'`, '--limt', '--limit']]) {
    const r = sh(`"$0" ${cmd} ${args} ${bad} 1`);
    assert.equal(r.code, 2, `${cmd} ${bad}: ${r.stderr}`);
    assert.equal(r.stdout.length, 0);
    const line = `unknown option ${bad}${hint ? ` (did you mean ${hint}?)` : ''}`;
    assert.ok(r.stderr.split('\n').some((l) => l.endsWith(line)), `${cmd}: ${r.stderr}`);
  }
});

test('an unbounded query file is refused, not read until memory runs out', () => {
  const r = sh(`${base} --queries /dev/zero`);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--queries: line 1 is longer than 65536 bytes/);
});

test('echoed input is bounded: a 100 KB model id makes a short error', () => {
  const r = sh(`${base} --model "$(head -c 100000 /dev/zero | tr '\\0' a)"`);
  assert.equal(r.code, 3);
  assert.ok(r.stdout.length < 400, `${r.stdout.length} bytes`);
  assert.match(r.stdout.toString('utf8'), /… \(100000 bytes\)/);
});

test('--adhoc with a task no model has is an error naming it (exit 3), not unrelated results', () => {
  const r = sh(`${base} --adhoc --task text-generation-old --library transformers`);
  assert.equal(r.code, 3, r.stderr);
  const [o] = lines(r.stdout);
  assert.equal(o.query, 'adhoc');
  assert.equal(o.error, "--task 'text-generation-old': no model in the catalogue has this task");
  assert.equal(o.results, undefined);
  const good = sh(`${base} --adhoc --task fill-mask`);
  assert.equal(good.code, 0, good.stderr);
  const [g] = lines(good.stdout);
  assert.equal(g.results.length, 2);
  // One row shape (core/export.h row_json) in the CLI, state() and the export.
  for (const key of ['rank', 'modelId', 'score', 'downloads', 'task', 'library', 'model_type', 'why', 'shared'])
    assert.ok(key in g.results[0], `${key} in ${JSON.stringify(g.results[0])}`);
  assert.equal(g.results[0].task, 'fill-mask');
});

test('--catalogue /dev/stdin reads a pipe (same answers as the file)', () => {
  const fromFile = sh(`"$0" stats --catalogue '${catalogue}'`);
  const piped = sh(`cat '${catalogue}' | "$0" stats --catalogue /dev/stdin`);
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(JSON.parse(piped.stdout.toString()).rows, JSON.parse(fromFile.stdout.toString()).rows);
  const rec = sh(`cat '${catalogue}' | "$0" recommend --catalogue /dev/stdin --method cosine --model gpt2 -k 3`);
  assert.equal(rec.code, 0, rec.stderr);
  const want = sh(`"$0" recommend --catalogue '${catalogue}' --method cosine --model gpt2 -k 3`);
  assert.deepEqual(lines(rec.stdout)[0].results, lines(want.stdout)[0].results);
});
