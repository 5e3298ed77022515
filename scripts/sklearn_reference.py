#!/usr/bin/python3
"""Reference ("oracle") recommender: the data-science notebook's pipeline, in pandas + scikit-learn.

Reproduces exactly:
  * attributes: pd.get_dummies of pipeline_tag, architectures (str()-ed, then .str.strip('[]')),
    model_type, library_name  -> boolean one-hot (missing pipeline_tag/model_type/library_name: no category).
  * soup: tags and architectures with every string.punctuation char deleted and lower-cased;
    ' '.join(str(v)) of tags, pipeline_tag, author, architectures, model_type, library_name
    (missing -> 'nan'); CountVectorizer() and TfidfVectorizer() with defaults.
  * methods: jaccard = 1 - pairwise_distances(X_bool, metric='jaccard'); cosine = cosine_similarity on
    counts; tfidf = linear_kernel on tf-idf; knn = NearestNeighbors(metric='euclidean') distances on the
    one-hot (score = 1/(1+distance)). Only query rows vs all rows are computed (never n x n).
The query itself is excluded; rank by similarity descending (knn: distance ascending), ties in file order.

Output: JSON Lines, one object per query, with tie-aware fields kth_score / tied_at_kth / better.
"""
import argparse
import json
import os
import random
import string
import sys

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import pairwise_distances
from sklearn.metrics.pairwise import cosine_similarity, linear_kernel
from sklearn.neighbors import NearestNeighbors

METHODS = ("jaccard", "cosine", "tfidf", "knn")
ATTR_COLS = ["pipeline_tag", "architectures", "model_type", "library_name"]
SOUP_COLS = ["tags", "pipeline_tag", "author", "architectures", "model_type", "library_name"]
REL_TOL = 1e-9


def load(csv):
    df = pd.read_csv(csv).drop_duplicates(subset="modelId", keep="first").reset_index(drop=True)
    return df


def attributes(df):
    a = df[ATTR_COLS].copy()
    a["architectures"] = a["architectures"].astype(str).str.strip("[]")
    return pd.get_dummies(a).to_numpy(dtype=bool)


def soup(df):
    s = df.drop(columns=["lastModified", "datasets"]).copy()
    table = str.maketrans("", "", string.punctuation)
    for c in ("tags", "architectures"):
        s[c] = s[c].apply(lambda x: str(x).translate(table).lower())
    return s[SOUP_COLS].apply(lambda r: " ".join(str(v) for v in r), axis=1)


class Reference:
    def __init__(self, csv):
        self.df = load(csv)
        self.ids = self.df["modelId"].tolist()
        self.row = {m: i for i, m in enumerate(self.ids)}
        self._cache = {}

    def features(self, method):
        if method not in self._cache:
            if method in ("jaccard", "knn"):
                X = attributes(self.df)
                if method == "knn":
                    X = (X.astype(np.float64), NearestNeighbors(metric="euclidean").fit(X.astype(np.float64)))
            elif method == "cosine":
                X = CountVectorizer().fit_transform(soup(self.df))
            else:
                X = TfidfVectorizer().fit_transform(soup(self.df))
            self._cache[method] = X
        return self._cache[method]

    def scores(self, method, rows):
        """(scores, distances or None) for query rows vs all rows; higher score = better."""
        X = self.features(method)
        if method == "jaccard":
            return 1.0 - pairwise_distances(X[rows], X, metric="jaccard"), None
        if method == "cosine":
            return cosine_similarity(X[rows], X), None
        if method == "tfidf":
            return linear_kernel(X[rows], X), None
        Xf, nn = X
        n = Xf.shape[0]
        dist, idx = nn.kneighbors(Xf[rows], n_neighbors=n)
        D = np.empty_like(dist)
        np.put_along_axis(D, idx, dist, axis=1)
        return 1.0 / (1.0 + D), D

    def recommend(self, method, queries, k):
        rows = [self.row[q] for q in queries]
        out = []
        for start in range(0, len(rows), 256):  # bounded memory: 256 x n at a time
            chunk = rows[start:start + 256]
            S, D = self.scores(method, chunk)
            for j, r in enumerate(chunk):
                out.append(self._one(method, r, S[j], None if D is None else D[j], k))
        return out

    def _one(self, method, r, s, d, k):
        others = np.array([i for i in range(len(s)) if i != r])
        order = others[np.argsort(-s[others], kind="stable")]  # ties in file order
        top = order[:min(k, len(order))]
        res = []
        for i in top:
            item = {"modelId": self.ids[i], "score": float(s[i])}
            if d is not None:
                item["distance"] = float(d[i])
            res.append(item)
        kth = float(s[top[-1]]) if len(top) else None
        tied, better = [], []
        if kth is not None:
            tol = REL_TOL * max(abs(kth), 1e-300)
            tied = [self.ids[i] for i in others if abs(s[i] - kth) <= tol]
            better = [self.ids[i] for i in order if s[i] > kth + tol]
        return {"query": self.ids[r], "method": method, "k": k, "results": res,
                "kth_score": kth, "tied_at_kth": tied, "better": better}

    def stats(self):
        A = attributes(self.df)
        C = CountVectorizer().fit_transform(soup(self.df))
        return {"rows": len(self.ids), "attribute_categories": A.shape[1],
                "distinct_attribute_rows": len(np.unique(A, axis=0)),
                "soup_vocabulary": C.shape[1], "soup_nnz": int(C.nnz)}


def sample_ids(ids, n, seed):
    return random.Random(seed).sample(ids, min(n, len(ids)))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--catalogue", required=True)
    p.add_argument("--method", choices=METHODS)
    p.add_argument("-k", type=int, default=10)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--model", action="append")
    g.add_argument("--queries")
    g.add_argument("--sample", type=int)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--stats", action="store_true")
    a = p.parse_args(argv)
    ref = Reference(a.catalogue)
    if a.stats:
        st = ref.stats()
        print(json.dumps(st))
        if os.path.basename(a.catalogue) == "hf_models_10k.csv" and st["rows"] == 10000:
            assert (st["attribute_categories"], st["distinct_attribute_rows"]) == (1007, 1035), st
            print("notebook check: 1007 attribute categories, 1035 distinct rows: OK", file=sys.stderr)
        if not a.method:
            return 0
    if not a.method or not (a.model or a.queries or a.sample):
        p.error("--method and one of --model/--queries/--sample are required")
    if a.model:
        queries = a.model
    elif a.queries:
        with open(a.queries) as f:
            queries = [line.strip() for line in f if line.strip()]
    else:
        queries = sample_ids(ref.ids, a.sample, a.seed)
    unknown = [q for q in queries if q not in ref.row]
    if unknown:
        sys.exit(f"unknown model id(s): {unknown[:5]}")
    for obj in ref.recommend(a.method, queries, a.k):
        print(json.dumps(obj))
    return 0


if __name__ == "__main__":
    sys.exit(main())
