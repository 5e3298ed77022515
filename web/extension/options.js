// The options page: method, N and the app URL (chrome.storage.local "settings"), and the cache's
// size and date with Refresh and Clear (answered by the recommender through the background).
import { settings } from './background.js';

const $ = (id) => document.getElementById(id);
const ask = (op) => chrome.runtime.sendMessage({ type: 'hfrec-options', op });
const fmt = (x) => x.toLocaleString('en-US');

async function show() {
  const s = await settings();
  $('method').value = s.method;
  $('n').value = s.n;
  $('app').value = s.appUrl;
  $('host').textContent = s.hubOrigin;
  const st = await ask('status');
  const e = (st.entries || []).find((x) => x.key === st.current);
  $('rows').textContent = e ? fmt(e.rows) : 'nothing cached';
  $('size').textContent = e ? `${(e.bytes / 1e6).toFixed(1)} MB` : '–';
  $('when').textContent = e ? `${e.fetchedAt.slice(0, 16).replace('T', ' ')} UTC` : '–';
}

$('form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const { settings: old = {} } = await chrome.storage.local.get('settings');
  await chrome.storage.local.set({ settings: { ...old, method: $('method').value, n: Number($('n').value) || 50000, appUrl: $('app').value } });
  $('status').textContent = 'Saved.';
  show();
});
$('refresh').addEventListener('click', async () => {
  $('status').textContent = 'Fetching the catalogue from the Hub…';
  const r = await ask('refresh');
  $('status').textContent = r.ok ? `Fetched ${fmt(r.rows)} models.` : `The refresh failed: ${r.error}`;
  show();
});
$('clear').addEventListener('click', async () => {
  await ask('clear');
  $('status').textContent = 'Cleared.';
  show();
});
show();
