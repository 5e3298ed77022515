// Types of hfrec-core (index.js): hfrec's C++ core as WebAssembly.

// Symbol.dispose for projects whose lib lacks esnext.disposable (TypeScript merges it with the lib's).
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** Stable error codes: test `err.code`, not the message. */
export type HfrecErrorCode =
  | 'E_PARSE'
  | 'E_UNKNOWN_MODEL'
  | 'E_BAD_ARGUMENT'
  | 'E_ABORTED'
  | 'E_DISPOSED'
  | 'E_TOO_LARGE'
  | 'E_OUT_OF_MEMORY'
  | 'E_INTERNAL';

/** An error from hfrec: a code and the core's message. */
export class HfrecError extends Error {
  readonly name: 'HfrecError';
  readonly code: HfrecErrorCode;
  constructor(code: HfrecErrorCode, message: string);
}

export type Method = 'jaccard' | 'cosine' | 'tfidf' | 'knn' | 'kmeans' | 'hybrid';
/** The recommendation methods, in the CLI's spelling. */
export const methods: readonly Method[];

/** Catalogue text or bytes: the Hub's CSV dump or its list-models JSON (UTF-8). */
export type CatalogueInput =
  | string
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | Response
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;

export interface Progress {
  /** What runs now ("parsing", "indexing", "k-means restart 3/10", ...). */
  stage: string;
  /** Fraction done, 0 to 1. */
  fraction: number;
}

export interface LoadOptions {
  /** 'auto' (default) sniffs: JSON when the text starts with '[' or '{'. */
  format?: 'auto' | 'csv' | 'json';
  /** The catalogue's name (stats().name). */
  name?: string;
  onProgress?: (p: Progress) => void;
  /** Aborting rejects the load with E_ABORTED. */
  signal?: AbortSignal;
}

export interface InitOptions {
  /** The .wasm file's bytes, instead of fetching/reading it next to index.js. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where to find a file the module needs (its .wasm), given its name and the module's folder. */
  locateFile?: (path: string, prefix: string) => string;
}

/** A query that is not a catalogue model: attribute values and free text. */
export interface AdhocQuery {
  task?: string;
  library?: string;
  modelType?: string;
  text?: string;
}

/** Candidate restrictions; a value or a list of values each, any value when absent. */
export interface Filters {
  tasks?: string | string[];
  libraries?: string | string[];
  modelTypes?: string | string[];
}

export interface RecommendOptions {
  method?: Method;
  /** How many results, 1 to 100000 (default 10). */
  k?: number;
  /** Clusters for method 'kmeans' (default 10). */
  kmeansK?: number;
  filters?: Filters;
}

export interface Lineage {
  /** Its (first) base model's id, null when it names none. */
  parent: string | null;
  /** Models in the catalogue made from it. */
  children: number;
  /** Other models sharing a base model with it. */
  siblings: number;
}

/** One recommended model, as `hfrec recommend` writes it (keys in camelCase). */
export interface Recommendation {
  rank: number;
  modelId: string;
  /** Similarity, higher is closer (knn: 1 / (1 + distance)). */
  score: number;
  /** knn only: the Euclidean distance. */
  distance?: number;
  downloads: number;
  task: string;
  library: string;
  modelType: string;
  /** The reasons in words ("both tagged “bert” · same library: transformers"). */
  why: string;
  /** The tokens or attributes that explain the score, strongest first. */
  shared: string[];
  /** null when the catalogue names no base models. */
  lineage: Lineage | null;
}

export interface SearchHit {
  modelId: string;
  downloads: number;
  task: string;
  library: string;
  match: 'exact' | 'prefix' | 'word prefix' | 'substring' | 'fuzzy';
}

export interface Stats {
  name: string;
  format: 'csv' | 'json';
  rows: number;
  columns: string[];
  duplicatesDropped: number;
  warnings: string[];
  attributes: { categories: number; distinctRows: number; nnz: number };
  soup: { vocabulary: number; distinctRows: number; nnz: number };
  lineage: { rowsWithParents: number; links: number; linksInCatalogue: number; rowsWithChildren: number };
}

export type FeatureSpace = 'attributes' | 'soup' | 'tfidf';

export interface ClusterParams {
  algo?: 'kmeans' | 'ward' | 'dbscan';
  features?: FeatureSpace;
  /** k-means clusters, or Ward's cut. */
  k?: number;
  /** Ward: cut at this height instead of k. */
  height?: number;
  /** DBSCAN radius and core size. */
  eps?: number;
  minSamples?: number;
  metric?: 'cosine' | 'euclidean';
  seed?: number;
  restarts?: number;
  /** 0: exact silhouette; else on this many sampled rows. */
  silhouetteSample?: number;
}

export interface JobOptions {
  onProgress?: (p: Progress) => void;
  /** Aborting cancels the job at its next slice and rejects with E_ABORTED. */
  signal?: AbortSignal;
}

export interface ClusterMetrics {
  inertia: number | null;
  silhouette: number | null;
  daviesBouldin: number | null;
  calinskiHarabasz: number | null;
  silhouetteRows: number;
  noise: number;
}

export interface ClusterResult {
  algo: 'kmeans' | 'ward' | 'dbscan';
  features: FeatureSpace;
  k?: number;
  seed?: number;
  height?: number;
  eps?: number;
  minSamples?: number;
  metric?: 'cosine' | 'euclidean';
  clusters: number;
  /** Per catalogue row (file order): 0.., largest cluster first, or -1 for noise. */
  labels: number[];
  sizes: number[];
  details: Array<{
    label: number;
    size: number;
    name: string;
    features: Array<{ feature: string; share: number; overall: number }>;
    topMembers: Array<{ modelId: string; downloads: number }>;
  }>;
  metrics: ClusterMetrics;
}

export interface ElbowParams {
  features?: FeatureSpace;
  kMin?: number;
  kMax?: number;
  seed?: number;
  restarts?: number;
  silhouetteSample?: number;
}

export interface ElbowRow {
  k: number;
  inertia: number | null;
  silhouette: number | null;
  daviesBouldin: number | null;
  calinskiHarabasz: number | null;
}

/** Loads the WebAssembly module once; Catalogue.load calls it with no options. */
export function init(options?: InitOptions): Promise<unknown>;

/** A loaded catalogue with its indexes. */
export class Catalogue {
  private constructor();
  /** Parses and indexes a catalogue; rejects E_PARSE, E_TOO_LARGE, E_ABORTED, E_BAD_ARGUMENT. */
  static load(input: CatalogueInput, options?: LoadOptions): Promise<Catalogue>;
  readonly name: string;
  /** False once disposed. */
  readonly alive: boolean;
  /** Models like a catalogue model or an ad-hoc query, closest first (the query excluded). */
  recommend(query: string | AdhocQuery, options?: RecommendOptions): Recommendation[];
  /** Type-ahead search over ids and authors, best first (n: 1 to 10000, default 20). */
  search(text: string, n?: number): SearchHit[];
  stats(): Stats;
  cluster(params?: ClusterParams, options?: JobOptions): Promise<ClusterResult>;
  elbow(params?: ElbowParams, options?: JobOptions): Promise<ElbowRow[]>;
  /** Frees its memory; later calls throw E_DISPOSED. */
  dispose(): void;
  [Symbol.dispose](): void;
}
