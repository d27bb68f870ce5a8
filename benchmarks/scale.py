"""Scale runs: the dense index (qa.index.local.build_dense_index) and BM25 far beyond the bundled corpus.

Dense: random unit vectors (no cluster structure: the worst case for any approximate index) and
"real-like" vectors (each the normalized mean of 3-6 random sentence vectors of one real report, the
way a passage vector is made; the questions are the dev-set questions' real embeddings).
"""

from __future__ import annotations

import time
from typing import Any

import faiss
import numpy as np

from benchmarks.common import log, pct
from qa.index.faiss_dense import build_dense_index, recall_at_k, search_index

DIMENSION = 384
LATENCY_QUERIES = 100


def random_unit(n: int, rng: np.random.Generator, dimension: int = DIMENSION) -> np.ndarray:
    out = np.empty((n, dimension), dtype=np.float32)
    for lo in range(0, n, 100_000):
        block = rng.standard_normal((min(n, lo + 100_000) - lo, dimension), dtype=np.float32)
        out[lo : lo + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def real_like(n: int, sentences: np.ndarray, doc_ranges: list[tuple[int, int]], seed: int = 1) -> np.ndarray:
    """``n`` passage-like vectors: each the normalized mean of 3-6 random sentences of one document."""
    rng = np.random.default_rng(seed)
    ranges = np.array(doc_ranges, dtype=np.int64)
    out = np.empty((n, sentences.shape[1]), dtype=np.float32)
    for lo in range(0, n, 50_000):
        m = min(n, lo + 50_000) - lo
        docs = ranges[rng.integers(0, len(ranges), size=m)]
        counts = rng.integers(3, 7, size=m)
        sums = np.zeros((m, sentences.shape[1]), dtype=np.float32)
        for j in range(6):
            picks = docs[:, 0] + (rng.random(m) * (docs[:, 1] - docs[:, 0])).astype(np.int64)
            use = counts > j
            sums[use] += sentences[picks[use]]
        out[lo : lo + m] = sums / np.linalg.norm(sums, axis=1, keepdims=True)
    return out


def _latency(index: faiss.Index, queries: np.ndarray) -> dict[str, float]:
    seconds = []
    for q in queries[:LATENCY_QUERIES]:
        start = time.perf_counter()
        search_index(index, q[None, :], 10)  # as qa.index.local.IndexData.dense_search does
        seconds.append(time.perf_counter() - start)
    return pct(seconds)


def dense_scale(
    label: str,
    vectors: np.ndarray,
    queries: np.ndarray,
    probes: np.ndarray,
    flat_max: int | None = None,
    with_flat: bool = True,
) -> dict[str, Any]:
    """Exact flat search vs the automatic choice of qa.index.local on the same vectors and questions."""
    n = len(vectors)
    log(f"dense scale {label}: {n:,} vectors")
    _, truth = faiss.knn(queries, vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
    out: dict[str, Any] = {"label": label, "n": n, "queries": len(queries)}
    if with_flat:
        start = time.perf_counter()
        flat = faiss.IndexFlatIP(vectors.shape[1])
        flat.add(vectors)
        out["flat"] = {
            "build_s": round(time.perf_counter() - start, 2),
            "memory_mb": round(n * vectors.shape[1] * 4 / 2**20, 1),
            **_latency(flat, queries),
            "recall_at_10": 1.0,
        }
        del flat
    kwargs = {} if flat_max is None else {"flat_max": flat_max}
    start = time.perf_counter()
    index, info = build_dense_index(vectors, probes, **kwargs)
    build_s = time.perf_counter() - start
    found = index.search(queries, 10)[1]
    out["auto"] = {
        "choice": info,
        "build_s": round(build_s, 2),
        "memory_mb": round(len(faiss.serialize_index(index)) / 2**20, 1),
        **_latency(index, queries),
        "recall_at_10": round(recall_at_k(truth, found), 4),
    }
    log(f"  -> {out}")
    return out
