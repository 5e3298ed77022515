// hfrec layout on the page's catalogue: one JSON object with a point per row in catalogue order,
// the same bytes for the same seed, every feature space and both methods; bad arguments and files
// exit 2 with a message.
// Run: node --test tests/cli/   (needs build/native-release/hfrec, or HFREC_CLI=path)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.HFREC_CLI || path.join(root, 'build/native-release/hfrec');
const catalogue = path.join(root, 'web/catalogue.csv');

function run(...args) {
  const r = spawnSync(cli, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

test('layout: one object, a finite point per catalogue row, every feature space and method', () => {
  for (const features of ['attributes', 'soup', 'tfidf', 'hybrid'])
    for (const method of ['umap', 'pca']) {
      const r = run('layout', '--catalogue', catalogue, '--features', features, '--method', method);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 1);
      const o = JSON.parse(lines[0]);
      assert.deepEqual(Object.keys(o), ['rows', 'method', 'features', 'graph', 'preservation', 'points']);
      assert.equal(o.rows, 55);
      assert.equal(o.method, method);
      assert.equal(o.features, features);
      assert.equal(o.graph, 'exact', 'a small catalogue takes the exact kNN graph');
      assert.ok(o.preservation >= 0 && o.preservation <= 1, String(o.preservation));
      assert.equal(o.points.length, 55);
      for (const p of o.points) {
        assert.equal(p.length, 2);
        assert.ok(p.every(Number.isFinite), JSON.stringify(p));
      }
    }
});

test('layout: umap is the default method, and the same seed gives the same bytes', () => {
  const a = run('layout', '--catalogue', catalogue, '--features', 'tfidf', '--seed', '3');
  const b = run('layout', '--catalogue', catalogue, '--features', 'tfidf', '--method', 'umap', '--seed', '3');
  const c = run('layout', '--catalogue', catalogue, '--features', 'tfidf', '--seed', '4');
  assert.equal(a.code, 0, a.stderr);
  assert.equal(JSON.parse(a.stdout).method, 'umap');
  assert.equal(a.stdout, b.stdout);
  assert.notEqual(a.stdout, c.stdout);
});

test('layout: bad arguments and files exit 2 with a message', () => {
  const cases = [
    [['layout', '--catalogue', catalogue, '--features', 'tfidf', '--metod', 'pca'], /unknown option --metod \(did you mean --method\?\)/],
    [['layout', '--catalogue', catalogue, '--features', 'words'], /--features must be attributes, soup, tfidf or hybrid/],
    [['layout', '--catalogue', catalogue, '--features', 'soup', '--method', 'tsne'], /--method must be umap or pca/],
    [['layout', '--catalogue', catalogue, '--features', 'soup', '--seed', '-1'], /--seed must be an integer/],
    [['layout', '--catalogue', catalogue], /--features is required/],
    [['layout', '--features', 'soup'], /--catalogue FILE is required/],
    [['layout', '--catalogue', path.join(root, 'no/such/file.csv'), '--features', 'soup'], /file\.csv/],
  ];
  for (const [args, message] of cases) {
    const r = run(...args);
    assert.equal(r.signal, null);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
  }
});
