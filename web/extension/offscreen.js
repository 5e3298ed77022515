// The offscreen document: a long-lived page that keeps the WebAssembly core and its index loaded
// and answers the service worker's messages ({target: 'offscreen', op, settings, ...}).
import { handle } from './engine.js';

chrome.runtime.onMessage.addListener((msg, _sender, reply) => {
  if (!msg || msg.target !== 'offscreen') return false;
  handle(msg).then(reply, (e) => reply({ ok: false, error: String(e && e.message ? e.message : e) }));
  return true;
});
