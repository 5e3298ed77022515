// web/extension/hub_fetch.js (the extension's list-models fetcher) against the mock Hub, in Node:
// paging, retries on 5xx, 429 and unreadable pages, cursor loops, an outage, the compact rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startMockHub } from '../mock_hub/server.mjs';
import { compact, fetchModels, firstPageUrl, linkNext } from '../../web/extension/hub_fetch.js';

const fast = { baseMs: 1, capMs: 2 };

test('pages through faults to the top n, each model once, in downloads order', async () => {
  const hub = await startMockHub({ quiet: true, pageCap: 500,
    faults: [{ kind: 'status', page: 2 }, { kind: 'rate_limit', retryAfter: 0, page: 3 }, { kind: 'truncate', page: 4 }, { kind: 'empty', page: 5 }] });
  try {
    const n = Math.min(2500, hub.models.length);
    const r = await fetchModels({ host: hub.url, n, policy: fast });
    assert.equal(r.error, '');
    assert.equal(r.rows, n);
    const got = JSON.parse(r.text).map((m) => m.id);
    const want = [...hub.models].sort((a, b) => b.downloads - a.downloads || (a.id < b.id ? -1 : 1)).slice(0, n).map((m) => m.id);
    assert.deepEqual(got, want);
    assert.equal(r.retries, n > 1500 ? 2 : r.retries);  // the 500 and the truncated page; a 429 is no retry
    const first = hub.requests.find((q) => q.path === '/api/models');
    assert.deepEqual(first.query['expand[]'] !== undefined, true);
  } finally { await hub.close(); }
});

test('an outage gives up after 5 retries with the reason; a cursor loop stops', async () => {
  const hub = await startMockHub({ quiet: true, pageCap: 500, faults: [{ kind: 'status', status: 503, times: 'always' }] });
  try {
    const r = await fetchModels({ host: hub.url, n: 1000, policy: fast });
    assert.equal(r.ok, false);
    assert.equal(r.error, 'page 1: HTTP 503; gave up after 5 retries');
    assert.equal(hub.requests.length, 6);
    hub.setFaults([{ kind: 'loop', page: 2 }]);
    if (hub.models.length > 1000) {
      const r2 = await fetchModels({ host: hub.url, n: 1500, policy: fast });
      assert.equal(r2.error, 'page 2: cursor loop: its next link was already followed');
    }
  } finally { await hub.close(); }
});

test('the first page, Link parsing and compact rows', () => {
  assert.equal(firstPageUrl('https://huggingface.co', 'downloads', 50000),
    'https://huggingface.co/api/models?sort=downloads&direction=-1&limit=1000&expand%5B%5D=author&expand%5B%5D=cardData&expand%5B%5D=config&expand%5B%5D=downloads&expand%5B%5D=lastModified&expand%5B%5D=library_name&expand%5B%5D=pipeline_tag&expand%5B%5D=tags&expand%5B%5D=likes&expand%5B%5D=createdAt');
  assert.equal(linkNext('<https://h/a?cursor=x>; rel="next", <https://h/p>; rel=prev'), 'https://h/a?cursor=x');
  assert.equal(linkNext('<https://h/p>; rel=prev'), '');
  assert.deepEqual(compact({ _id: 'x', id: 'a/b', downloads: 3, siblings: [1], config: { model_type: 'bert', tokenizer_config: { chat_template: 'long' } },
    cardData: { base_model: 'c/d', 'model-index': [] } }), { id: 'a/b', downloads: 3, config: { model_type: 'bert' }, cardData: { base_model: 'c/d' } });
});
