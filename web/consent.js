// Consent before another site's catalogue (issue 16): a share link's catalogue on another host is
// fetched only after the person presses Load in index.html's #src-dialog, which names the host, the
// URL and the catalogue it would replace. "Always load" remembers the host in localStorage
// (hfrec.trustedHosts). hfrec.js starts it: window.hfrecConsent({state, focusApp}) ->
// {hostOf, needsConsent, ask, pending}.
'use strict';
window.hfrecConsent = ({ state, focusApp }) => {
  const TRUSTED_HOSTS = 'hfrec.trustedHosts';
  const hostOf = (url) => { try { return new URL(url, location.href).host; } catch { return ''; } };
  function trustedHosts() {
    try { return JSON.parse(localStorage.getItem(TRUSTED_HOSTS) || '[]').filter((h) => typeof h === 'string'); }
    catch { return []; }
  }
  // True for a URL on another origin whose host the person has not chosen to trust.
  function needsConsent(url) {
    let u;
    try { u = new URL(url, location.href); } catch { return true; }
    return u.origin !== location.origin && !trustedHosts().includes(u.host);
  }
  let pending = null;  // the host the dialog asks about (state().sourceConsent)
  // Opens the dialog; resolves true for Load, false for Cancel or Escape.
  function ask(url) {
    const dlg = document.getElementById('src-dialog');
    if (!dlg || !dlg.showModal) return Promise.resolve(false);
    const host = hostOf(url);
    const cat = state().catalogue;
    document.getElementById('src-host').textContent = host;
    document.getElementById('src-host2').textContent = host;
    document.getElementById('src-url').textContent = url.length > 200 ? `${url.slice(0, 200)}…` : url;
    document.getElementById('src-replaces').textContent = cat
      ? `It would replace the catalogue shown now: ${cat.name} (${cat.rows.toLocaleString('en-US')} models). If it fails, that one stays.`
      : 'No catalogue is loaded now.';
    const trust = document.getElementById('src-trust');
    trust.checked = false;
    pending = host;
    return new Promise((resolve) => {
      const done = (load) => {
        pending = null;
        if (load && trust.checked) {
          try { localStorage.setItem(TRUSTED_HOSTS, JSON.stringify([...new Set([...trustedHosts(), host])])); }
          catch { /* storage off: ask again next time */ }
        }
        dlg.close();
        focusApp();
        resolve(load);
      };
      document.getElementById('src-load').onclick = () => done(true);
      document.getElementById('src-cancel').onclick = () => done(false);
      dlg.oncancel = (e) => { e.preventDefault(); done(false); };  // Escape
      dlg.showModal();
    });
  }
  return { hostOf, needsConsent, ask, pending: () => pending };
};
