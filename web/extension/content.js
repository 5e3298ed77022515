// The content script on huggingface.co: on a model page, a "Similar models" panel after the model
// card. It watches the URL (the Hub navigates in-page with history.pushState) and asks the
// background for the top 10; it draws nothing when the page has no model card or is not a model.
// Everything it does is guarded: no error reaches the page.
// - No layout shift: it runs at document_start and watches the parser, so the panel's box (a
//   skeleton of the final panel's fixed height, content.css) goes in right after the card in the
//   same task as the card, before any frame shows the content below it; the answer then replaces
//   the skeleton by a box of the same size. The one exception: a page with a model card whose id
//   the API does not know (404) loses its skeleton.
(() => {
  'use strict';
  // First path segments that are not model owners (the Hub's own pages).
  const RESERVED = new Set(['datasets', 'spaces', 'docs', 'api', 'settings', 'models', 'organizations', 'new', 'new-dataset',
    'new-space', 'login', 'logout', 'join', 'pricing', 'blog', 'papers', 'collections', 'learn', 'posts', 'enterprise',
    'tasks', 'chat', 'inference-endpoints', 'search', 'notifications', 'billing', 'welcome', 'privacy', 'terms-of-service',
    'code-of-conduct', 'content-guidelines', 'security', 'support', 'changelog', 'huggingchat', 'inference', 'storage',
    'hardware', 'oauth', 'sso', 'team', 'careers', 'brand', 'hub', 'leaderboard', 'mcp', 'deeplinks', 'authorize',
    'static-proxy', 'front', 'avatars', 'user', 'users', 'organization', 'hf', 'sitemap', 'robots.txt', 'favicon.ico']);
  const NAME = /^[A-Za-z0-9][\w.-]*$/;
  const PANEL = 'hfrec-ext-panel';
  const ROWS = 10;  // the skeleton's rows: the panel's height is fixed for this many (content.css)

  // The model id a path names ("/owner/name" or "/name", a trailing slash allowed), else ''.
  function modelId(path) {
    const parts = path.replace(/\/+$/, '').split('/').slice(1).map((p) => { try { return decodeURIComponent(p); } catch { return ''; } });
    if (parts.length < 1 || parts.length > 2 || RESERVED.has(parts[0].toLowerCase())) return '';
    return parts.every((p) => NAME.test(p)) ? parts.join('/') : '';
  }

  // Where the panel goes: after the model card container; null when the page lacks it.
  const anchor = () => document.querySelector('.model-card-content');

  const fmt = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function render(id, r) {
    const box = el('section', PANEL);
    box.dataset.hfrecModel = id;
    box.setAttribute('aria-label', 'Similar models');
    if (!r.ok) {
      box.classList.add('hfrec-ext-quiet');
      const p = el('p', 'hfrec-ext-status', "Couldn't load similar models.");
      p.setAttribute('role', 'status');
      p.title = r.error || '';
      box.append(p);
      return box;
    }
    const head = el('div', 'hfrec-ext-head');
    head.append(el('h2', 'hfrec-ext-title', 'Similar models'), el('span', 'hfrec-ext-method', r.method + (r.source === 'adhoc' ? ' · by its tags' : '')));
    const list = el('ol', 'hfrec-ext-list');
    for (const x of r.results) {
      const li = el('li', 'hfrec-ext-item');
      const row = el('div', 'hfrec-ext-row');
      const a = el('a', 'hfrec-ext-link', x.modelId);
      a.href = `/${x.modelId}`;
      a.title = x.modelId;  // the row is one line: a long id is cut with an ellipsis
      const meta = el('span', 'hfrec-ext-meta');
      meta.append(el('span', 'hfrec-ext-score', x.score.toFixed(3)), el('span', 'hfrec-ext-downloads', `↓ ${fmt.format(x.downloads)}`));
      if (x.lineage) {
        const bits = [];
        if (x.lineage.parent) bits.push(`from ${x.lineage.parent}`);
        bits.push(`${x.lineage.children} ${x.lineage.children === 1 ? 'child' : 'children'}`);
        meta.append(el('span', 'hfrec-ext-lineage', bits.join(' · ')));
      }
      row.append(a, meta);
      li.append(row);
      if (x.why) {
        const why = el('p', 'hfrec-ext-why', x.why);
        why.title = x.why;  // one line, cut with an ellipsis
        li.append(why);
      }
      list.append(li);
    }
    const foot = el('div', 'hfrec-ext-foot');
    const open = el('a', 'hfrec-ext-open', 'Open in hfrec');
    open.href = r.appLink;
    open.target = '_blank';
    open.rel = 'noopener noreferrer';
    foot.append(open);
    box.append(head, list, foot);
    return box;
  }

  // The placeholder drawn while the answer is awaited: the panel's box, its title and grey rows.
  function skeleton(id) {
    const box = el('section', `${PANEL} hfrec-ext-loading`);
    box.dataset.hfrecPending = id;
    box.setAttribute('aria-label', 'Similar models');
    box.setAttribute('aria-busy', 'true');
    const head = el('div', 'hfrec-ext-head');
    head.append(el('h2', 'hfrec-ext-title', 'Similar models'));
    const list = el('ol', 'hfrec-ext-list');
    list.setAttribute('aria-hidden', 'true');
    for (let i = 0; i < ROWS; i++) {
      const li = el('li', 'hfrec-ext-item');
      li.append(el('div', 'hfrec-ext-bone'), el('div', 'hfrec-ext-bone hfrec-ext-bone-why'));
      list.append(li);
    }
    box.append(head, list);
    return box;
  }

  let state = { id: '', result: null, pending: false, inserts: 0 };
  const panels = () => document.querySelectorAll(`.${PANEL}`);

  function check() {
    try {
      const id = modelId(location.pathname);
      if (id !== state.id) {
        state = { id, result: null, pending: false, inserts: 0 };
        for (const p of panels()) p.remove();
      }
      if (!id) return;
      const at = anchor();
      if (!at) return;
      if (state.result && state.result.notModel) {
        for (const p of panels()) p.remove();
        return;
      }
      // The panel (or, until the answer, its skeleton) right after the card: kept there, put back
      // when the Hub re-renders the card, swapped in the same task so no frame lacks the box.
      const p = document.querySelector(`.${PANEL}`);
      const want = state.result ? 'hfrecModel' : 'hfrecPending';
      if (!(p && p.dataset[want] === id && p.previousElementSibling === at)) {
        // A page that keeps removing the panel is left alone after a few tries.
        if (++state.inserts > 20) return;
        for (const q of panels()) q.remove();
        at.after(state.result ? render(id, state.result) : skeleton(id));
      }
      if (state.result || state.pending) return;
      state.pending = true;
      const mine = state;
      chrome.runtime.sendMessage({ type: 'hfrec-similar', id }).then((r) => {
        if (state !== mine) return;
        mine.result = r && typeof r === 'object' ? r : { ok: false, error: 'no answer' };
        check();
      }, (e) => {
        if (state !== mine) return;
        mine.result = { ok: false, error: String(e && e.message ? e.message : e) };
        check();
      });
    } catch (e) {
      // The extension was reloaded or the page is unusual: draw nothing.
    }
  }

  let scheduled = false;
  const soon = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => { scheduled = false; check(); });
  };
  try {
    // From document_start: the parser's insertions are seen too (the observer's callback runs
    // before the next frame is drawn).
    new MutationObserver(soon).observe(document, { childList: true, subtree: true });
    addEventListener('popstate', soon);
    if (window.navigation) window.navigation.addEventListener('navigatesuccess', soon);
  } catch (e) { /* nothing to watch */ }
  check();
})();
