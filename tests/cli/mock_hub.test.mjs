// The mock Hub itself (tests/mock_hub/server.mjs): what it answers is what hfrec's fetch tests and
// the browser tests lean on, so its listing, paging, CORS and control endpoint are checked here.
// Run: node --test tests/cli/
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parseCsv, parsePyLiteral, startMockHub } from '../mock_hub/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('mock Hub', () => {
  let hub;
  before(async () => { hub = await startMockHub({ pageCap: 40, data: path.join(root, 'web/catalogue.csv') }); });
  after(async () => { await hub.close(); });
  const get = (p, init) => fetch(hub.url + p, init);

  test('reads its CSV: Python lists, quoted cells', () => {
    assert.deepEqual(parseCsv('a,b\n"x,""y""",[1]\r\n'), [['a', 'b'], ['x,"y"', '[1]']]);
    assert.deepEqual(parsePyLiteral("['a', \"it's\", None, {'k': 'v'}, ('t',)]"), ['a', "it's", null, { k: 'v' }, ['t']]);
    const bert = hub.models.find((m) => m.id === 'bert-base-uncased');
    assert.deepEqual(bert.config, { architectures: ['BertForMaskedLM'], model_type: 'bert' });
    assert.equal(bert.author, null);
    assert.equal(bert.pipeline_tag, 'fill-mask');
    assert.equal(hub.models.length, 55);
  });

  test('lists with expand[]: only the named fields, sorted, capped, with a next link', async () => {
    const r = await get('/api/models?sort=downloads&direction=-1&limit=1000&expand%5B%5D=tags&expand%5B%5D=downloads');
    assert.equal(r.status, 200);
    const page = await r.json();
    assert.equal(page.length, 40);
    assert.deepEqual(Object.keys(page[0]).sort(), ['_id', 'downloads', 'id', 'tags']);
    for (let k = 1; k < page.length; k++) assert.ok(page[k - 1].downloads >= page[k].downloads);
    const link = r.headers.get('link');
    assert.match(link, /^<http:\/\/127\.0\.0\.1:\d+\/api\/models\?.*&cursor=[\w-]+>; rel="next"$/);
    const next = await fetch(link.slice(1, link.indexOf('>')));
    const rest = await next.json();
    assert.equal(rest.length, 15);
    assert.equal(next.headers.get('link'), null);  // the last page links nowhere
    assert.equal(new Set([...page, ...rest].map((m) => m.id)).size, 55);
  });

  test('answers CORS preflights and exposes Link and Retry-After', async () => {
    const pre = await get('/api/models', { method: 'OPTIONS' });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    const r = await get('/api/models?limit=1');
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.headers.get('access-control-expose-headers'), 'Link, Retry-After');
  });

  test('one model by id; errors as the Hub words them', async () => {
    const r = await get('/api/models/bert-base-uncased');
    assert.equal(r.status, 200);
    assert.equal((await r.json()).config.model_type, 'bert');
    assert.equal((await get('/api/models/nobody/nothing')).status, 404);
    const bad = await get('/api/models?sort=trending');
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { error: 'Invalid sort: trending' });
    assert.equal((await get('/api/models?expand%5B%5D=tags&full=true')).status, 400);
    assert.equal((await get('/api/models?cursor=%%%')).status, 400);
  });

  test('faults through the control endpoint, each used up', async () => {
    await get('/_mock/reset', { method: 'POST' });
    const set = await get('/_mock/faults', { method: 'POST', body: JSON.stringify([{ kind: 'rate_limit', retryAfter: 3 }, { kind: 'status', status: 503 }]) });
    assert.equal(set.status, 200);
    const a = await get('/api/models?limit=1');
    assert.equal(a.status, 429);
    assert.equal(a.headers.get('retry-after'), '3');
    assert.equal((await get('/api/models?limit=1')).status, 503);
    assert.equal((await get('/api/models?limit=1')).status, 200);
    const log = await (await get('/_mock/requests')).json();
    assert.deepEqual(log.map((q) => q.status), [429, 503, 200]);
    assert.deepEqual(log.map((q) => q.fault), ['rate_limit', 'status', null]);
  });

  test('a truncated page is cut JSON; an empty page links to the same page afresh', async () => {
    hub.setFaults([{ kind: 'truncate' }, { kind: 'empty' }]);
    const cut = await get('/api/models?limit=5');
    const text = await cut.text();
    assert.throws(() => JSON.parse(text), SyntaxError);
    const empty = await get('/api/models?limit=5');
    assert.equal(await empty.text(), '[]');
    const link = empty.headers.get('link');
    const again = await (await fetch(link.slice(1, link.indexOf('>')))).json();
    assert.equal(again.length, 5);
  });

  test('runs from the command line on a given port', async () => {
    const p = spawn(process.execPath, [path.join(root, 'tests/mock_hub/server.mjs'), '--port', '0', '--page-cap', '7',
      '--data', path.join(root, 'web/catalogue.csv')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise((resolve, reject) => {
      let out = '';
      p.stdout.setEncoding('utf8');
      p.stdout.on('data', (d) => { out += d; const m = out.match(/at (http:\/\/\S+)/); if (m) resolve(m[1]); });
      p.on('exit', (code) => reject(new Error(`server.mjs exited with ${code}`)));
    });
    const page = await (await fetch(`${url}/api/models`)).json();
    assert.equal(page.length, 7);
    p.kill();
  });
});
