#!/usr/bin/python3
"""The notebook's way, timed: pandas + scikit-learn 1.2 (Debian's python3-sklearn), dense matrices.

One mode per process so each peak RSS belongs to one pipeline:
  cosine      CSV -> soup -> CountVectorizer -> dense cosine_similarity (n x n) -> first top-k
  jaccard     CSV -> get_dummies one-hot -> 1 - pairwise_distances(metric='jaccard') (n x n) -> first top-k
  kmeans      CSV -> one-hot -> KMeans(k, n_init=10) -> cosine within the query's cluster -> first top-k
  silhouette  CSV -> one-hot -> KMeans(k) -> silhouette_score (the silhouette stage timed on its own)

Prints one JSON object: wall seconds per stage, 'total_s' (after imports: CSV file to first
recommendation, or to the silhouette), 'import_s', peak RSS in bytes (ru_maxrss, whole process).

  /usr/bin/python3 scripts/bench-sklearn.py --csv ../shared/data/hf_models_10k.csv --mode cosine
"""
import argparse
import json
import platform
import resource
import string
import sys
import time

T_START = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.feature_extraction.text import CountVectorizer  # noqa: E402
from sklearn.metrics import pairwise_distances, silhouette_score  # noqa: E402
from sklearn.metrics.pairwise import cosine_similarity  # noqa: E402

IMPORT_S = time.perf_counter() - T_START
ATTR_COLS = ["pipeline_tag", "architectures", "model_type", "library_name"]
SOUP_COLS = ["tags", "pipeline_tag", "author", "architectures", "model_type", "library_name"]


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


class Stages:
    def __init__(self):
        self.t = time.perf_counter()
        self.stages = {}
        self.rss = {}

    def mark(self, name):
        now = time.perf_counter()
        self.stages[name] = now - self.t
        self.rss[name] = peak_rss_bytes()
        self.t = now


def read(csv):
    return pd.read_csv(csv)


def one_hot(df):
    # As the notebook: get_dummies of the four columns, architectures str()-ed and stripped of [ ].
    a = df[ATTR_COLS].copy()
    a["architectures"] = a["architectures"].astype(str).str.strip("[]")
    return pd.get_dummies(a)


def soup(df):
    s = df.drop(columns=["lastModified", "datasets"]).copy()
    table = str.maketrans("", "", string.punctuation)
    for c in ("tags", "architectures"):
        s[c] = s[c].apply(lambda x: str(x).translate(table).lower())
    return s[SOUP_COLS].apply(lambda r: " ".join(str(v) for v in r), axis=1)


def top_k(sim_row, idx, k):
    # The notebook's ranking: enumerate, sort by score descending, skip the query itself.
    scores = sorted(enumerate(sim_row), key=lambda x: x[1], reverse=True)
    return [i for i, _ in scores if i != idx][:k]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--mode", choices=["cosine", "jaccard", "kmeans", "silhouette"], default="cosine")
    ap.add_argument("--model", default="bert-base-uncased", help="query model (default: first row if absent)")
    ap.add_argument("-k", type=int, default=10)
    ap.add_argument("--clusters", type=int, default=10)
    a = ap.parse_args()

    st = Stages()
    df = read(a.csv)
    st.mark("read_csv")
    ids = df["modelId"].tolist()
    q = ids.index(a.model) if a.model in ids else 0
    result = None
    extra = {}
    if a.mode == "cosine":
        s = soup(df)
        st.mark("soup")
        X = CountVectorizer().fit_transform(s)
        st.mark("count_vectorizer")
        sim = cosine_similarity(X)  # dense n x n float64, as the notebook
        st.mark("cosine_similarity_nxn")
        result = top_k(sim[q], q, a.k)
        st.mark("first_recommendation")
    elif a.mode == "jaccard":
        X = one_hot(df)
        st.mark("get_dummies")
        sim = 1 - pairwise_distances(X.to_numpy(dtype=bool), metric="jaccard")  # dense n x n
        st.mark("jaccard_nxn")
        result = top_k(sim[q], q, a.k)
        st.mark("first_recommendation")
    else:
        X = one_hot(df).to_numpy(dtype=np.float64)
        st.mark("get_dummies")
        km = KMeans(n_clusters=a.clusters, n_init=10, random_state=0).fit(X)
        st.mark("kmeans")
        extra["inertia"] = float(km.inertia_)
        extra["iterations"] = int(km.n_iter_)
        if a.mode == "kmeans":
            members = np.flatnonzero(km.labels_ == km.labels_[q])
            sim = cosine_similarity(X[q:q + 1], X[members])[0]
            order = sorted(zip(members.tolist(), sim.tolist()), key=lambda x: x[1], reverse=True)
            result = [i for i, _ in order if i != q][:a.k]
            st.mark("first_recommendation")
        else:
            extra["silhouette"] = float(silhouette_score(X, km.labels_, metric="euclidean"))
            st.mark("silhouette")
    total = sum(st.stages.values())
    out = {
        "tool": "sklearn",
        "mode": a.mode,
        "csv": a.csv,
        "rows": len(df),
        "query": ids[q],
        "k": a.k,
        "stages_s": st.stages,
        "peak_rss_after_stage_bytes": st.rss,
        "total_s": total,
        "import_s": IMPORT_S,
        "peak_rss_bytes": peak_rss_bytes(),
        "results": [ids[i] for i in result] if result is not None else None,
        "versions": {"python": platform.python_version(), "sklearn": sklearn.__version__,
                     "pandas": pd.__version__, "numpy": np.__version__},
    }
    if a.mode in ("kmeans", "silhouette"):
        out["clusters"] = a.clusters
    out.update(extra)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
