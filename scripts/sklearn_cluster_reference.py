#!/usr/bin/python3
"""Reference figures for hfrec's clustering engine, from Debian's scikit-learn 1.2 / scipy.

Procedure (the figures in tests/*_test.cpp were produced by exactly this script):
  /usr/bin/python3 scripts/sklearn_cluster_reference.py --catalogue ../shared/data/hf_models_10k.csv

Features are the notebook's attributes one-hot (scripts/sklearn_reference.py: attributes()), as a
float64 CSR matrix (scipy.sparse) where scikit-learn accepts one, else dense float64: the values
are the same, and Debian's reference BLAS makes dense 10k x 10k products take many minutes.
Printed sections:
  kmeans   KMeans(n_clusters=k, n_init=10, random_state=0).inertia_ for k = 2..12, on CSR (sklearn
           1.2's default algorithm is "lloyd"; tol=1e-4 is scaled by the mean per-feature variance).
  metrics  silhouette_score (CSR) / davies_bouldin_score / calinski_harabasz_score (dense;
           they do not accept sparse input), Euclidean, for labels
           = pd.factorize(column, use_na_sentinel=False) of library_name and of pipeline_tag.
  dbscan   DBSCAN(eps, min_samples=5, metric=...) on CSR, labels summarised as: cluster count, noise count,
           sizes sorted descending, and a partition fingerprint (labels renamed by first occurrence,
           noise kept as -1, FNV-1a 64 over the labels as little-endian int32). Also the smallest
           |distance - eps| over all pairs of distinct rows, computed exactly from integer counts.
  ward     (only with --ward) scipy linkage(X, 'ward') on all rows (dense): the 12 largest merge
           heights, the sum of squared heights (= 2 x total sum of squares for any Ward hierarchy,
           so independent of how ties are broken), and the fingerprint of fcluster(Z, k,
           'maxclust') for k = 5, 10 when the cut is not at a tied height.
  ward_small  linkage(Y, 'ward') for the small integer data set of ward_small_data() (also built
           by tests/ward_test.cpp), and AgglomerativeClustering(3, linkage='ward') labels.
"""
import argparse
import json
import os
import sys

import numpy as np
import pandas as pd
import scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sklearn_reference import attributes, load  # noqa: E402

from scipy.cluster.hierarchy import fcluster, linkage  # noqa: E402
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans  # noqa: E402
from sklearn.metrics import (calinski_harabasz_score, davies_bouldin_score,  # noqa: E402
                             silhouette_score)


def fingerprint(labels):
    """FNV-1a 64 of labels renamed by first occurrence (noise -1 kept)."""
    ren, out = {}, []
    for x in labels:
        x = int(x)
        if x < 0:
            out.append(-1)
            continue
        if x not in ren:
            ren[x] = len(ren)
        out.append(ren[x])
    h = 0xCBF29CE484222325
    for v in out:
        for b in int(v & 0xFFFFFFFF).to_bytes(4, "little"):
            h ^= b
            h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def ward_small_data():
    """12 points in 3-D with integer coordinates 0..9, rows 12..14 duplicate rows 0, 0 and 5."""
    rows = [[((i * 31 + j * 17 + 7) * 2654435761) % 1000 // 100 for j in range(3)] for i in range(12)]
    rows += [rows[0], rows[0], rows[5]]
    return np.array(rows, dtype=np.float64)


def min_gap(Xu, eps, metric):
    """Smallest |d - eps| over pairs of distinct binary rows, exact up to one float64 rounding."""
    a = Xu.sum(axis=1)
    inter = Xu @ Xu.T
    if metric == "cosine":
        d = 1.0 - inter / np.sqrt(np.outer(a, a))
    else:
        d = np.sqrt(np.maximum(a[:, None] + a[None, :] - 2 * inter, 0))
    return float(np.min(np.abs(d - eps)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--catalogue", required=True)
    ap.add_argument("--ward", action="store_true", help="also run scipy's Ward on all rows (minutes)")
    args = ap.parse_args()
    df = load(args.catalogue)
    X = attributes(df).astype(np.float64)
    Xs = sp.csr_matrix(X)
    out = {"rows": X.shape[0], "cols": X.shape[1]}
    Xu = np.unique(X, axis=0)
    out["distinct_rows"] = Xu.shape[0]

    out["kmeans"] = {}
    for k in range(2, 13):
        km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(Xs)
        out["kmeans"][k] = repr(float(km.inertia_))
        print("kmeans", k, out["kmeans"][k], file=sys.stderr, flush=True)

    out["metrics"] = {}
    for col in ("library_name", "pipeline_tag"):
        lab, _ = pd.factorize(df[col], use_na_sentinel=False)
        out["metrics"][col] = {
            "n_labels": int(len(set(lab))),
            "silhouette": repr(float(silhouette_score(Xs, lab))),
            "davies_bouldin": repr(float(davies_bouldin_score(X, lab))),
            "calinski_harabasz": repr(float(calinski_harabasz_score(X, lab))),
        }

    out["dbscan"] = []
    for metric, eps in (("cosine", 0.3), ("cosine", 0.45), ("cosine", 0.2), ("euclidean", 1.2)):
        lab = DBSCAN(eps=eps, min_samples=5, metric=metric).fit(Xs).labels_
        sizes = sorted(np.bincount(lab[lab >= 0]).tolist(), reverse=True)
        out["dbscan"].append({
            "metric": metric, "eps": eps, "min_samples": 5, "clusters": len(sizes),
            "noise": int((lab < 0).sum()), "sizes": sizes, "fingerprint": fingerprint(lab),
            "min_gap": min_gap(Xu, eps, metric)})

    Y = ward_small_data()
    Z = linkage(Y, "ward")
    out["ward_small"] = {
        "Z": [[int(r[0]), int(r[1]), repr(float(r[2])), int(r[3])] for r in Z],
        "agglomerative_3": fingerprint(AgglomerativeClustering(n_clusters=3, linkage="ward").fit(Y).labels_),
        "fcluster_3": fingerprint(fcluster(Z, 3, "maxclust")),
    }
    if args.ward:
        Z = linkage(X, "ward")
        h = Z[:, 2]
        out["ward"] = {"top_heights": [repr(float(x)) for x in sorted(h)[::-1][:12]], "cuts": {},
                       "sum_sq_heights": repr(float((h ** 2).sum()))}
        n = X.shape[0]
        for k in (5, 10):
            hs = np.sort(h)
            if hs[n - k - 1] != hs[n - k]:
                out["ward"]["cuts"][k] = fingerprint(fcluster(Z, k, "maxclust"))
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
