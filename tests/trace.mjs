// Chromium trace events (Playwright's browser.startTracing, categories v8.wasm and
// disabled-by-default-v8.wasm.detailed) as the start-up benchmark and tests read them: V8's lazy
// (first-call) WebAssembly compiles, counted and timed on the page's main thread and on workers.

// { main: {n, ms}, worker: {n, ms} }: the compiles that started within [from, until] (trace
// microseconds; a mark's `ts`), by the thread they ran on.
export function lazyCompiles(events, { from = -Infinity, until = Infinity } = {}) {
  const threadName = new Map();
  for (const e of events) if (e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args.name);
  const out = { main: { n: 0, ms: 0 }, worker: { n: 0, ms: 0 } };
  for (const e of events) {
    if (e.name !== 'wasm.CompileLazy' || e.ph !== 'X' || e.ts < from || e.ts > until) continue;
    const name = threadName.get(`${e.pid}:${e.tid}`) || '';
    const where = name === 'CrRendererMain' ? out.main : /Worker/i.test(name) ? out.worker : null;
    if (!where) continue;
    where.n++;
    where.ms += e.dur / 1000;
  }
  return out;
}
