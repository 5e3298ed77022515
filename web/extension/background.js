// The background: settings, the daily refresh alarm, and the route from the content script and the
// options page to the recommender (engine.js). start(handle) with engine.js's handle runs it in
// this context (Firefox's background page); start(null) hosts it in an offscreen document (Chromium).
export const DEFAULTS = {
  method: 'hybrid',
  n: 50000,
  appUrl: 'http://localhost:8000/',     // where `npm start` serves the app; set your own in the options
  hubOrigin: 'https://huggingface.co',  // tests only: the mock Hub's origin
  retry: null,                          // tests only: a retry policy for hub_fetch.js
};
export const METHODS = ['jaccard', 'cosine', 'tfidf', 'knn', 'kmeans', 'hybrid'];

export async function settings() {
  const { settings: s = {} } = await chrome.storage.local.get('settings');
  const out = { ...DEFAULTS, ...s };
  if (!METHODS.includes(out.method)) out.method = DEFAULTS.method;
  out.n = Math.max(1, Math.min(2000000, Math.floor(Number(out.n)) || DEFAULTS.n));
  return out;
}

let creating = null;
async function ensureOffscreen() {
  const url = chrome.runtime.getURL('offscreen.html');
  const have = chrome.runtime.getContexts
    ? (await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] })).length > 0
    : await chrome.offscreen.hasDocument();
  if (have) return;
  if (!creating) {
    creating = chrome.offscreen.createDocument({ url, reasons: ['WORKERS'],
      justification: "keeps hfrec's WebAssembly recommender and its index of the cached catalogue loaded" })
      .finally(() => { creating = null; });
  }
  await creating;
}

export function start(handle) {
  const engine = handle
    ? (msg) => handle(msg)
    : async (msg) => {
      // A document just created may not have registered its listener yet: ask again, a few times.
      for (let attempt = 1; ; attempt++) {
        await ensureOffscreen();
        try {
          return await chrome.runtime.sendMessage({ ...msg, target: 'offscreen' });
        } catch (e) {
          if (attempt >= 5 || !/Receiving end does not exist/i.test(String(e && e.message))) throw e;
          await new Promise((res) => setTimeout(res, 50 * attempt));
        }
      }
    };
  const call = async (op, extra = {}) => {
    const s = await settings();
    return { settings: s, answer: await engine({ op, settings: s, ...extra }) };
  };

  chrome.runtime.onMessage.addListener((msg, _sender, reply) => {
    if (!msg || msg.target === 'offscreen') return false;
    let p;
    if (msg.type === 'hfrec-similar' && typeof msg.id === 'string') {
      p = call('similar', { id: msg.id }).then(({ settings: s, answer }) => {
        const app = new URL(s.appUrl || DEFAULTS.appUrl);
        app.hash = `model=${encodeURIComponent(msg.id).replace(/%2F/g, '/')}&method=${s.method}&k=10`;
        return { ...answer, method: s.method, appLink: app.href };
      });
    } else if (msg.type === 'hfrec-options' && ['status', 'refresh', 'clear', 'cachedText'].includes(msg.op)) {
      p = call(msg.op).then(({ settings: s, answer }) => ({ ...answer, settings: s }));
    } else return false;
    p.then(reply, (e) => reply({ ok: false, error: String(e && e.message ? e.message : e) }));
    return true;
  });

  const schedule = () => chrome.alarms.create('hfrec-refresh', { periodInMinutes: 24 * 60 });
  chrome.runtime.onInstalled.addListener(schedule);
  chrome.runtime.onStartup.addListener(() => {
    schedule();
    call('warm').catch(() => {});  // loads a cached catalogue; fetches nothing
  });
  chrome.alarms.onAlarm.addListener((a) => {
    if (a.name === 'hfrec-refresh') call('refresh').catch(() => {});
  });
}
