// The pure paging rules of the Hub's list-models API, shared by the page's fetcher (web/hub.js) and
// the extension's (web/extension/hub_fetch.js); they mirror core/hub_api.{h,cpp} (what
// `hfrec fetch` does). A classic script that is also importable as an ES module for its effect:
// both read globalThis.hfrecHubRules = {FIELDS, PAGE, DEFAULT_POLICY, firstPageUrl, linkNext,
// nextUrl, retryAfterMs, backoffMs, readPage}.
// - first page: HOST/api/models?sort=S&direction=-1&limit=min(n,1000)&expand[]=F... ;
// - 429 waits Retry-After (seconds or HTTP-date, clamped to 10 min), else backs off; at most 30 per page;
// - 5xx, network errors and unreadable pages retry with backoff min(60 s, 1 s * 2^(k-1)), at most 5 per page;
// - a next link leaving the host stops the fetch.
'use strict';
(() => {
  // The fields hfrec reads (core/hub_json.cpp), asked for with expand[].
  const FIELDS = ['author', 'cardData', 'config', 'downloads', 'lastModified', 'library_name', 'pipeline_tag', 'tags',
    'likes', 'createdAt'];
  const PAGE = 1000;  // models a page (the Hub's cap)
  const DEFAULT_POLICY = { maxRetries: 5, maxRateLimited: 30, baseMs: 1000, capMs: 60000, maxRetryAfterMs: 600000,
    secondMs: 1000 };

  // The first list-models page for the top n (0: all) by `sort`.
  function firstPageUrl(host, sort, n) {
    const limit = n ? Math.min(n, PAGE) : PAGE;
    return `${host}/api/models?sort=${encodeURIComponent(sort)}&direction=-1&limit=${limit}${FIELDS.map((f) => `&expand%5B%5D=${f}`).join('')}`;
  }

  // The rel="next" target of a Link header value; '' when none (RFC 8288, as core's link_next).
  function linkNext(h) {
    const re = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^;,\s]*))?)*)/g;
    let m;
    while ((m = re.exec(h || ''))) {
      const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]*))/i.exec(m[2]);
      if (rel && (rel[1] ?? rel[2]).split(/\s+/).some((r) => r.toLowerCase() === 'next')) return m[1].trim();
    }
    return '';
  }

  // The next page of a Link header value, a path made absolute on `origin`: {next ('' at the end),
  // leaves (true when it points at another origin: the fetch must stop)}.
  function nextUrl(header, origin) {
    let next = linkNext(header);
    if (next.startsWith('/')) next = origin + next;
    return { next, leaves: !!next && new URL(next, origin).origin !== origin };
  }

  // Milliseconds a Retry-After value asks for (seconds or an HTTP date, against the reply's Date),
  // clamped to policy.maxRetryAfterMs; -1 when unreadable.
  function retryAfterMs(value, date, policy) {
    let secs = NaN;
    if (/^\s*\d+\s*$/.test(value)) secs = Number(value);
    else {
      const t = Date.parse(value);
      const now = Date.parse(date || '') || Date.now();
      if (!Number.isNaN(t)) secs = Math.max(0, Math.round((t - now) / 1000));
    }
    return Number.isNaN(secs) ? -1 : Math.min(policy.maxRetryAfterMs, secs * policy.secondMs);
  }

  // The wait before retry `attempt` (1-based): min(cap, base * 2^(attempt-1)).
  const backoffMs = (policy, attempt) => Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));

  // The models of a page's body; throws an Error saying why the page is unreadable.
  function readPage(body) {
    const models = JSON.parse(body);
    if (!Array.isArray(models)) throw new Error('not a JSON array of models');
    if (models.some((m) => !m || typeof m !== 'object' || typeof (m.id ?? m.modelId) !== 'string')) {
      throw new Error('a model without an id');
    }
    return models;
  }

  globalThis.hfrecHubRules = Object.freeze({ FIELDS, PAGE, DEFAULT_POLICY, firstPageUrl, linkNext, nextUrl, retryAfterMs,
    backoffMs, readPage });
})();
