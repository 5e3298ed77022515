// The Hub's list-models fetcher for the extension: a pure module (fetch and sleep are passed in).
// Its pure paging rules (URLs, Link, Retry-After, backoff, page checks) are web/hub_rules.js, shared
// with the page's fetcher web/hub.js (here a link to it; scripts/build-extension.sh copies the
// file); both mirror core/hub_api.{h,cpp} (what `hfrec fetch` does):
// - first page: HOST/api/models?sort=downloads&direction=-1&limit=min(n,1000)&expand[]=F... ;
// - 429 waits Retry-After (seconds or HTTP-date, clamped to 10 min), else backs off; at most 30 per page;
// - 5xx, network errors and unreadable pages retry with backoff min(60 s, 1 s * 2^(k-1)), at most 5 per page;
// - other statuses, a next link leaving the host and cursor loops stop the fetch;
// - repeated ids are dropped, models past n are not kept; an empty page with a next link is followed.
import './hub_rules.js';

const rules = globalThis.hfrecHubRules;
export const { FIELDS, PAGE, DEFAULT_POLICY, linkNext, retryAfterMs, backoffMs } = rules;
const { nextUrl, readPage } = rules;

// The first list-models page for the top n (0: all) by `sort`.
export const firstPageUrl = (host, sort, n) => rules.firstPageUrl(host, sort, n);

// One model object cut down to the fields hfrec reads (core/hub_json.cpp): the Hub's `config`
// can carry tokenizer settings and chat templates, which the cache does not need.
export function compact(m) {
  const o = { id: m.id ?? m.modelId };
  for (const k of ['author', 'downloads', 'likes', 'lastModified', 'createdAt', 'library_name', 'pipeline_tag', 'tags']) {
    if (m[k] !== undefined) o[k] = m[k];
  }
  if (m.config && typeof m.config === 'object') {
    const c = {};
    if (m.config.architectures !== undefined) c.architectures = m.config.architectures;
    if (m.config.model_type !== undefined) c.model_type = m.config.model_type;
    if (Object.keys(c).length) o.config = c;
  }
  if (m.cardData && typeof m.cardData === 'object') {
    const c = {};
    if (m.cardData.base_model !== undefined) c.base_model = m.cardData.base_model;
    if (m.cardData.datasets !== undefined) c.datasets = m.cardData.datasets;
    if (Object.keys(c).length) o.cardData = c;
  }
  return o;
}

const defaultSleep = (ms, signal) => new Promise((res) => {
  const t = setTimeout(res, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); res(); }, { once: true });
});

// Fetches the top n models by `sort` from `host`. Resolves {ok, text (a JSON array of compact
// models), rows, pages, retries, error}; never rejects. onPage({rows, pages}) after each page.
export async function fetchModels({ host, n = 50000, sort = 'downloads', policy = {}, fetchFn = fetch, sleep = defaultSleep,
  onPage = () => {}, signal } = {}) {
  const p = { ...DEFAULT_POLICY, ...policy };
  const origin = new URL(host).origin;
  let next = firstPageUrl(host, sort, n);
  const followed = new Set([next]);
  const seen = new Set();
  const parts = [];
  let rows = 0, pages = 0, retries = 0, stalled = 0;
  const result = (error) => ({ ok: !error, text: `[${parts.join(',')}]`, rows, pages, retries, error: error || '' });
  for (;;) {
    let tries = 0, limited = 0, done = false;
    const retry = async (why) => {
      if (++tries > p.maxRetries) return `page ${pages + 1}: ${why}; gave up after ${p.maxRetries} retries`;
      retries++;
      await sleep(backoffMs(p, tries), signal);
      return '';
    };
    while (!done) {
      if (signal?.aborted) return result('cancelled');
      let res, body;
      try {
        res = await fetchFn(next, { credentials: 'omit', signal });
        body = await res.text();
      } catch (e) {
        if (signal?.aborted) return result('cancelled');
        const e2 = await retry(`network error: ${e.message || e}`);
        if (e2) return result(e2);
        continue;
      }
      if (res.status === 429) {
        if (++limited > p.maxRateLimited) return result(`page ${pages + 1}: HTTP 429 (rate limited) ${p.maxRateLimited} times in a row; gave up`);
        const ra = res.headers.get('Retry-After');
        let ms = ra ? retryAfterMs(ra, res.headers.get('Date'), p) : -1;
        if (ms < 0) ms = backoffMs(p, limited);
        await sleep(ms, signal);
        continue;
      }
      if (res.status >= 500) { const e = await retry(`HTTP ${res.status}`); if (e) return result(e); continue; }
      if (res.status < 200 || res.status >= 300) return result(`page ${pages + 1}: HTTP ${res.status}`);
      let models;
      try {
        models = readPage(body);
      } catch (e) {
        const e2 = await retry(`unreadable page: ${e.message || e}`);
        if (e2) return result(e2);
        continue;
      }
      const { next: link, leaves } = nextUrl(res.headers.get('Link'), origin);
      if (leaves) return result(`page ${pages + 1}: the next link leaves ${origin}`);
      let kept = 0;
      for (const m of models) {
        if (n && rows >= n) break;
        const id = m.id ?? m.modelId;
        if (seen.has(id)) continue;
        seen.add(id);
        rows++;
        kept++;
        parts.push(JSON.stringify(compact(m)));
      }
      pages++;
      stalled = kept ? 0 : stalled + 1;
      onPage({ rows, pages });
      if ((n && rows >= n) || !link) return result('');
      if (followed.has(link) || link === next) return result(`page ${pages}: cursor loop: its next link was already followed`);
      if (stalled >= 3) return result(`page ${pages}: cursor loop: ${stalled} pages in a row brought no new model`);
      followed.add(link);
      next = link;
      done = true;
    }
  }
}
