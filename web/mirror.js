// The screen-reader mirror of the canvas: the results as a table, the search box's hits as the
// combobox's options, the view's title and a live region that says what the list now shows. It
// writes textContent only (catalogue text is never HTML). hfrec.js starts it:
//   window.hfrecMirror({state, textInput, requestFrame}) -> {stateChanged, setStatus}
// where state() is window.hfrec.state(), textInput the page's text field (the combobox), and
// stateChanged() rewrites the mirror once (in a microtask) and asks for a frame.
'use strict';
window.hfrecMirror = ({ state, textInput, requestFrame }) => {
  const srTitle = document.getElementById('sr-title');
  const srCaption = document.getElementById('sr-caption');
  const srBody = document.querySelector('#sr-results tbody');
  const srStatus = document.getElementById('sr-status');
  const srError = document.getElementById('sr-error');
  const srHits = document.getElementById('sr-hits');
  function setStatus(text) { srStatus.textContent = text; }
  let announced = '';
  let mirrorQueued = false;
  function stateChanged() {
    if (mirrorQueued) return;
    mirrorQueued = true;
    queueMicrotask(() => { mirrorQueued = false; updateMirror(); });
    requestFrame();
  }
  function updateMirror() {
    const s = state();
    // The error, then the notice (a link's rejected parameters and its did-you-mean).
    srError.textContent = [s.error, s.notice].filter(Boolean).join(' ');
    srTitle.textContent = s.query ? `Models similar to ${s.query}` : 'No model selected';
    document.title = s.query ? `${s.query} — hfrec` : 'hfrec — Hugging Face model recommender';
    const cat = s.catalogue ? `${s.catalogue.name}, ${s.catalogue.rows} models` : 'no catalogue';
    srCaption.textContent = s.query ? `${s.method}${s.compare ? ` compared with ${s.compare}, ${s.overlap} in both` : ''}; k = ${s.k}; ${cat}` : cat;
    const rows = [];
    const add = (list, method) => {
      for (const r of list) {
        const tr = document.createElement('tr');
        for (const v of [r.rank, r.modelId, r.score.toFixed(3), r.downloads, r.task, r.library, r.why || r.shared, method]) {
          const td = document.createElement('td');
          td.textContent = String(v);
          tr.appendChild(td);
        }
        rows.push(tr);
      }
    };
    add(s.results, s.method);
    if (s.compare) add(s.compareResults, s.compare);
    srBody.replaceChildren(...rows);
    // The live region says what the list now shows, once per change of view.
    const what = s.query
      ? `${s.results.length} models similar to ${s.query} by ${s.method}${s.compare ? `, compared with ${s.compare} (${s.overlap} in both)` : ''}.`
      : '';
    if (what && what !== announced) setStatus(what);
    announced = what;
    // The search box is a combobox; its hits are the options.
    const hits = s.search ? s.search.hits : [];
    const options = hits.map((h, i) => {
      const li = document.createElement('li');
      li.id = `sr-hit-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === s.search.cursor));
      li.textContent = h.modelId;
      return li;
    });
    srHits.replaceChildren(...options);
    textInput.setAttribute('aria-expanded', String(hits.length > 0));
    if (hits.length && s.search.cursor >= 0 && s.search.cursor < hits.length) {
      textInput.setAttribute('aria-activedescendant', `sr-hit-${s.search.cursor}`);
    } else {
      textInput.removeAttribute('aria-activedescendant');
    }
  }

  return { stateChanged, setStatus };
};
