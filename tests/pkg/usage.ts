// A typed use of hfrec-core, checked by tsc --noEmit in tests/pkg/pkg.test.mjs (never run). The
// lines marked as expected errors must stay errors: the declarations refuse that misuse.
import { Catalogue, HfrecError, methods, type Method, type Recommendation, type ClusterResult } from 'hfrec-core';

export async function use(bytes: Uint8Array, stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const ac = new AbortController();
  const cat = await Catalogue.load(bytes, { format: 'csv', name: 'models.csv', signal: ac.signal,
    onProgress: ({ stage, fraction }) => console.log(stage, fraction.toFixed(2)) });
  const other = await Catalogue.load(stream);
  const recs: Recommendation[] = cat.recommend('gpt2', { method: 'tfidf', k: 5, filters: { tasks: ['text-generation'] } });
  const adhoc = cat.recommend({ task: 'fill-mask', text: 'arabic' }, { method: 'hybrid' });
  const first: string | null = recs[0]?.lineage?.parent ?? null;
  const m: Method = methods[0];
  const clusters: ClusterResult = await cat.cluster({ algo: 'dbscan', eps: 0.3, minSamples: 5 }, { signal: ac.signal });
  const elbow = await cat.elbow({ kMin: 2, kMax: 8 });
  const rows: number = cat.stats().rows + clusters.labels.length + elbow.length + adhoc.length;
  try {
    cat.recommend('no/such-model');
  } catch (e) {
    if (e instanceof HfrecError && e.code === 'E_UNKNOWN_MODEL') console.log(e.message);
  }
  // @ts-expect-error: an unknown method
  cat.recommend('gpt2', { method: 'magic' });
  // @ts-expect-error: a query is an id or an object
  cat.recommend(42);
  // @ts-expect-error: no such format
  await Catalogue.load('x', { format: 'xml' });
  // @ts-expect-error: not an error code
  const c: HfrecError['code'] = 'E_NOPE';
  // @ts-expect-error: the constructor is private: use Catalogue.load
  new Catalogue();
  other[Symbol.dispose]();
  cat.dispose();
  return [String(first), m, String(rows), c, ...cat.search('bert', 3).map((h) => h.modelId)];
}
