"""The dense (FAISS) index of the local store: chosen by size, tuned at build time, searched.

Up to FLAT_MAX_PASSAGES passages an exact inner-product index; above, IVF with float16 codes whose
nprobe is tuned to RECALL_TARGET against exact search; when IVF would have to visit most of its lists
(data without cluster structure), a 4-bit PQ fast scan re-ranked with float16 codes, its candidate
count tuned the same way (or an exact float16 scan if even that misses the target).
``qa.index.local`` builds, saves and searches it through this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import faiss
import numpy as np

# Below this many passages an exact flat index is used; above it an IVF index with float16 codes,
# whose nprobe is tuned at build time to RECALL_TARGET against exact search. Measured on this
# project's shared 2-core machine (benchmarks/RESULTS.md, "Vector index by size"): a flat search
# costs 0.15 ms per 1,000 passages per question (about 7 ms at 50,000, 15 ms at 100,000), and float16
# codes halve the memory (768 MB at 1M passages of dimension 384 instead of 1.5 GB).
FLAT_MAX_PASSAGES = 50_000
RECALL_TARGET = 0.98
PROBE_QUERIES = 256  # sentence vectors standing in for questions when nprobe is tuned
# An IVF index that must visit more than this share of its lists to reach the recall target is
# replaced by an exact float16 scan: it would save little time and lose the exactness.
MAX_SCAN_SHARE = 0.5
# OpenMP threads for one question's search. On a busy 2-core machine two threads made a small
# search 2-4x slower than one (they wait for each other), and concurrent requests each get a core.
SEARCH_THREADS = 1
# From this many vectors scanned by one question (nprobe lists of an IVF index), the lists are split
# over every core instead: at 1M passages (nprobe 704 of 4096, ~170k vectors) that took p50 from
# 23-27 ms to 13-14 ms on 2 idle cores, where thread overhead no longer matters.
PARALLEL_SCAN_MIN = 100_000
# A filter allowing at most 1/DECODE_SHARE of the rows is searched exactly from those rows' stored
# vectors, decoded by row id, instead of by a scan of every row with a selector. Measured at 97k
# passages (IVF float16): decoding costs ~0.9 us a row, the filtered scan ~7 ns a row of the whole
# index (0.68 ms), so decoding wins below about 1/120 of the rows: one report's few hundred passages
# in a thousand reports take 0.3 ms instead of 0.7.
DECODE_SHARE = 128


def search_index(index: faiss.Index, queries: np.ndarray, k: int, params: Any = None) -> tuple[Any, Any]:
    """``index.search`` in the calling thread with SEARCH_THREADS OpenMP threads, or every core for
    a large IVF scan (see PARALLEL_SCAN_MIN); the thread count is restored after."""
    threads = SEARCH_THREADS
    if params is not None and isinstance(refined := faiss.downcast_index(index), faiss.IndexRefine):
        # A filter: its float16 codes scanned exactly over the allowed rows (the fast scan takes none).
        index = refined.refine_index
    ivf = ivf_of(index)
    if ivf is not None:
        nprobe = getattr(params, "nprobe", 0) or ivf.nprobe
        if nprobe * index.ntotal / ivf.nlist >= PARALLEL_SCAN_MIN:
            threads = faiss.omp_get_max_threads()
    with _omp_threads(threads):
        return index.search(queries, k, params=params)


def search_rows(index: faiss.Index, queries: np.ndarray, rows: np.ndarray, k: int) -> tuple[Any, Any]:
    """The top ``k`` of ``rows`` (sorted int64 row ids) for one query, exactly, in the form of
    ``search_index``: decoded by id when the filter is small and the index can (see
    DECODE_SHARE), else a filtered search."""
    stored = decodes_by_id(index)
    if stored is None or len(rows) * DECODE_SHARE > index.ntotal:
        return search_index(index, queries, k, filtered_params(index, rows))
    with _omp_threads(SEARCH_THREADS):  # faiss decodes over every core from 1,000 rows
        scores = stored.reconstruct_batch(rows) @ queries[0]
    top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    top = top[np.lexsort((rows[top], -scores[top]))]  # by score, ties by row
    return scores[top][None, :], rows[top][None, :]


def decodes_by_id(index: faiss.Index) -> Any:
    """The part of ``index`` that decodes a stored vector by row id (flat codes, a refined fast
    scan's float16 codes, an IVF index with its direct map), or None."""
    index = faiss.downcast_index(index)
    if isinstance(index, faiss.IndexRefine):
        return faiss.downcast_index(index.refine_index)
    ivf = ivf_of(index)
    return None if ivf is not None and ivf.direct_map.type == faiss.DirectMap.NoMap else index


@contextmanager
def _omp_threads(threads: int) -> Iterator[None]:
    """faiss's OpenMP threads for the calling thread only, restored after."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(threads)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def ivf_of(index: faiss.Index) -> Any:
    """The index as an IndexIVF (for nprobe and nlist), or None for a flat one."""
    try:
        return faiss.extract_index_ivf(index)
    except RuntimeError:
        return None


def recall_at_k(truth: np.ndarray, found: np.ndarray) -> float:
    """Mean share of each row of ``truth`` (exact top-k ids) that appears in the same row of ``found``."""
    if len(truth) == 0:
        return 1.0
    k = truth.shape[1]
    return float(
        np.mean([len(set(t.tolist()) & set(f.tolist())) / k for t, f in zip(truth, found, strict=True)])
    )


def build_dense_index(
    vectors: np.ndarray,
    probes: Any = None,
    flat_max: int = FLAT_MAX_PASSAGES,
    recall_target: float = RECALL_TARGET,
    previous: tuple[faiss.Index, dict[str, Any]] | None = None,
) -> tuple[faiss.Index, dict[str, Any]]:
    """The inner-product index for ``vectors`` (normalized float32 rows) and a description of it.

    Up to ``flat_max`` rows: exact ``IndexFlatIP``. Above: ``IVF{nlist},SQfp16`` with nlist about
    4*sqrt(n), trained on a sample, and the smallest nprobe (1, 2, 4, ...) whose recall@10 on
    ``probes`` (query-like vectors, or a callable returning them; default: a sample of the rows)
    reaches ``recall_target`` against exact search. If that needs more than half of the lists, the
    data has no cluster structure worth using: a PQ fast scan re-ranked with float16 codes is used,
    with the smallest candidate count reaching the target, else an exact float16 scan.

    ``previous``: an index and description made by this function for the first rows of
    ``vectors``. It is copied and only the new rows are added (no retraining) while the corpus stays
    within GROWTH_LIMIT times the rows it was trained on and the tuned recall still holds;
    otherwise the index is built afresh.
    """
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dimension = vectors.shape
    if n <= flat_max:
        dense = _extended(previous, vectors) if previous and previous[1]["type"] == "flat" else None
        if dense is None:
            dense = faiss.IndexFlatIP(dimension)
            dense.add(vectors)
        return dense, {"type": "flat", "exact": True}
    rng = np.random.default_rng(0)
    queries = probes() if callable(probes) else probes
    if queries is None or len(queries) == 0:
        queries = vectors[rng.choice(n, size=min(PROBE_QUERIES, n), replace=False)]
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    _, truth = faiss.knn(queries, vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
    trained_rows = (previous[1].get("trained_rows") or 0) if previous else 0
    if previous and previous[1]["type"] != "flat" and n <= GROWTH_LIMIT * trained_rows:
        index = _extended(previous, vectors)
        if index is not None:
            tune = _tune_refine if previous[1]["type"] == REFINED else _describe
            described = tune(index, queries, truth, recall_target, trained_rows)
            if described is not None:
                return index, described
    nlist = int(2 ** round(np.log2(4 * np.sqrt(n))))
    quantizer = faiss.IndexFlatIP(dimension)
    ivf = faiss.IndexIVFScalarQuantizer(
        quantizer, dimension, nlist, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
    )
    train = vectors[np.sort(rng.choice(n, size=min(n, 40 * nlist), replace=False))]
    ivf.train(train)
    ivf.add(vectors)
    # Row id -> stored code, for small filters (search_rows); add, clone and write/read keep it
    # (remove_ids would refuse it: deleting a document rebuilds the index instead).
    ivf.make_direct_map()
    described = _describe(ivf, queries, truth, recall_target, n)
    if described is not None:
        return ivf, described
    del ivf
    if dimension % 2 == 0:
        refined = _fastscan_refined(vectors, train, queries, truth, recall_target)
        if refined is not None:
            return refined
    flat = faiss.IndexScalarQuantizer(dimension, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
    flat.add(vectors)
    described = _describe(flat, queries, truth, 0.0, n)
    assert described is not None  # a flat scan has no recall target to miss
    return flat, described


def _fastscan_refined(
    vectors: np.ndarray, train: np.ndarray, queries: np.ndarray, truth: np.ndarray, recall_target: float
) -> tuple[faiss.Index, dict[str, Any]] | None:
    """For data without cluster structure: a 4-bit PQ fast scan of every row (2 dimensions per
    sub-quantizer, SIMD look-ups) keeps ``k_factor * k`` candidates, re-ranked with float16 codes.
    Measured at 1M random vectors of dimension 384 (2 shared cores, load 5-9): 824 MB; recall@10
    0.971 / 0.986 at k_factor 30 / 50, p50 14-21 ms on one core, where the exact float16 scan took
    95 ms. None if no k_factor of REFINE_FACTORS reaches ``recall_target`` (+ REFINE_MARGIN)."""
    dimension = vectors.shape[1]
    index = faiss.index_factory(
        dimension, f"PQ{dimension // 2}x4fs,Refine(SQfp16)", faiss.METRIC_INNER_PRODUCT
    )
    index.train(train)
    index.add(vectors)
    described = _tune_refine(index, queries, truth, recall_target, len(vectors))
    return None if described is None else (index, described)


def _tune_refine(
    index: faiss.Index, queries: np.ndarray, truth: np.ndarray, recall_target: float, trained_rows: int
) -> dict[str, Any] | None:
    """Set the refined fast scan's k_factor to the first of REFINE_FACTORS reaching ``recall_target``."""
    refine = faiss.downcast_index(index)
    for k_factor in REFINE_FACTORS:
        refine.k_factor = float(k_factor)
        recall = recall_at_k(truth, index.search(queries, 10)[1])
        if recall >= recall_target + REFINE_MARGIN:
            return {
                "type": REFINED,
                "exact": False,
                "k_factor": k_factor,
                "probe_recall_at_10": round(recall, 4),
                "trained_rows": trained_rows,
            }
    return None


REFINED = "pqfs-refine-sqfp16"
# Recall the probes must show above the target: at 1M random vectors k_factor 32 gave 0.983 on the 256
# probes and 0.979 on 200 other questions (a probe sample this small is a few thousandths off).
REFINE_MARGIN = 0.005
# Candidates re-ranked by the refined fast scan, as multiples of k, tried in order at build time.
REFINE_FACTORS = (10, 16, 24, 32, 40, 50, 64, 80, 100)


# A trained IVF index takes new rows without retraining until the corpus has grown this many times
# over the rows it was trained on; past that its lists are too unbalanced to trust, and it is rebuilt.
GROWTH_LIMIT = 2.0


def _extended(previous: tuple[faiss.Index, dict[str, Any]], vectors: np.ndarray) -> faiss.Index | None:
    """A copy of the previous index with the rows of ``vectors`` it lacks added; None if it does not fit."""
    index = previous[0]
    if index.d != vectors.shape[1] or index.ntotal > len(vectors):
        return None
    copy = faiss.clone_index(index)  # readers may still be searching the previous index
    copy.add(vectors[index.ntotal :])
    return copy


def _describe(
    index: faiss.Index, queries: np.ndarray, truth: np.ndarray, recall_target: float, trained_rows: int
) -> dict[str, Any] | None:
    """Tune an IVF index's nprobe to ``recall_target`` and describe it; None if no affordable nprobe
    reaches it. A flat float16 scan is described with the recall it measures."""
    ivf = ivf_of(index)
    if ivf is not None:
        ivf.parallel_mode = 1  # one question's lists may be split over cores (search_index)
    if ivf is None:
        recall = recall_at_k(truth, index.search(queries, 10)[1])
        return {
            "type": "flat-sqfp16",
            "exact": False,
            "probe_recall_at_10": round(recall, 4),
            "trained_rows": trained_rows,
        }

    def recall_at(nprobe: int) -> float:
        ivf.nprobe = nprobe
        return recall_at_k(truth, index.search(queries, 10)[1])

    # Doubling finds the first power of two that reaches the target; a binary search between it and
    # the failing half then narrows nprobe to 1/16 of that (search time grows with nprobe, and a
    # power of two can overshoot the need by almost 2x).
    low, high = 0, 1
    while (recall := recall_at(high)) < recall_target:
        low, high = high, high * 2
        if high > ivf.nlist * MAX_SCAN_SHARE:
            return None
    best = recall
    while high - low > max(1, high // 16):
        middle = (low + high) // 2
        if (recall := recall_at(middle)) >= recall_target:
            high, best = middle, recall
        else:
            low = middle
    ivf.nprobe = high
    return {
        "type": "ivf-sqfp16",
        "nlist": ivf.nlist,
        "nprobe": high,
        "probe_recall_at_10": round(best, 4),
        "trained_rows": trained_rows,
    }


def filtered_params(index: faiss.Index, rows: np.ndarray) -> Any:
    """Search parameters that score only ``rows`` (sorted int64 row ids).

    Filtered questions on an IVF index visit every list (only the allowed rows are scored), so a
    filter never loses rows that sit in lists the question's vector is far from; on a refined fast
    scan ``search_index`` scans the float16 codes of the allowed rows exactly.
    """
    selector = faiss.IDSelectorBatch(rows)
    ivf = ivf_of(index)
    if ivf is None:
        return faiss.SearchParameters(sel=selector)
    return faiss.SearchParametersIVF(sel=selector, nprobe=ivf.nlist)


def read_dense(path: Path, info: dict[str, Any]) -> faiss.Index:
    """The index saved at ``path``, with the nprobe its manifest entry ``info`` records."""
    dense = faiss.read_index(str(path))
    if "k_factor" in info:  # the refined fast scan's tuned candidate count, as recorded
        faiss.downcast_index(dense).k_factor = float(info["k_factor"])
    ivf = ivf_of(dense)
    if ivf is not None:  # the tuned nprobe, as recorded (faiss stores it too; the manifest is the record)
        ivf.nprobe = int(info.get("nprobe", ivf.nprobe))
        ivf.parallel_mode = 1  # as set at build time (see search_index)
        if ivf.direct_map.type == faiss.DirectMap.NoMap:  # saved before search_rows needed one
            ivf.make_direct_map()
    return dense


def write_dense(index: faiss.Index, path: Path) -> None:
    """Save ``index`` at ``path`` (FAISS's own format)."""
    faiss.write_index(index, str(path))
