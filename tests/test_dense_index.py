"""The dense index by size: exact flat, IVF tuned to its recall target, extended when documents are added."""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from benchmarks.scale import random_unit
from qa.index.base import SentenceTable
from qa.index.faiss_dense import (
    REFINED,
    build_dense_index,
    decodes_by_id,
    filtered_params,
    read_dense,
    recall_at_k,
    search_index,
    search_rows,
    write_dense,
)
from qa.index.local import IndexData
from qa.schema import Passage


def test_recall_at_k() -> None:
    truth = np.array([[1, 2, 3, 4], [5, 6, 7, 8]])
    found = np.array([[4, 3, 2, 1], [5, 6, 0, 9]])
    assert recall_at_k(truth, found) == pytest.approx((1.0 + 0.5) / 2)
    assert recall_at_k(truth[:0], found[:0]) == 1.0


def _clustered(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, 32)).astype(np.float32)
    x = centres[rng.integers(0, 40, n)] + 0.3 * rng.standard_normal((n, 32)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_small_corpus_gets_exact_flat_index() -> None:
    vectors = _clustered(500)
    index, info = build_dense_index(vectors)
    assert info == {"type": "flat", "exact": True} and index.ntotal == 500


def test_large_corpus_gets_ivf_meeting_the_recall_target() -> None:
    vectors = _clustered(6000)
    probes, queries = _clustered(200, seed=1), _clustered(100, seed=2)
    index, info = build_dense_index(vectors, probes, flat_max=1000)
    assert info["type"] == "ivf-sqfp16" and info["probe_recall_at_10"] >= 0.98
    assert 1 <= info["nprobe"] <= info["nlist"] // 4
    exact = (queries @ vectors.T).argsort(axis=1)[:, ::-1][:, :10]
    assert recall_at_k(exact, index.search(queries, 10)[1]) >= 0.95  # held-out questions
    # A filter must find its rows even when they sit in lists the question is far from.
    rows = {3, 1500, 4999}
    passages = [_passage("far" if row in rows else "near", str(row)) for row in range(len(vectors))]
    data = IndexData({}, [], {}, passages, None, index, None)  # type: ignore[arg-type]
    assert {row for row, _ in data.dense_search(queries[0], 3, {"far"})} == rows


def test_structureless_vectors_get_a_refined_fast_scan_meeting_the_target(tmp_path) -> None:
    rng = np.random.default_rng(0)
    vectors = random_unit(20_000, rng, dimension=64)
    index, info = build_dense_index(vectors, random_unit(100, rng, dimension=64), flat_max=1000)
    assert info["type"] == REFINED and info["probe_recall_at_10"] >= 0.98
    assert index.ntotal == 20_000
    queries = random_unit(100, rng, dimension=64)  # not the probes it was tuned on
    _, truth = faiss.knn(queries, vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
    write_dense(index, tmp_path / "dense.faiss")
    loaded = read_dense(tmp_path / "dense.faiss", info)
    assert recall_at_k(truth, search_index(loaded, queries, 10)[1]) >= 0.95
    rows = np.arange(0, 20_000, 9, dtype=np.int64)
    scores, ids = search_index(loaded, queries[:3], 5, filtered_params(loaded, rows))
    assert np.all(ids % 9 == 0)  # a filter is scanned exactly over the allowed rows
    exact = vectors[rows] @ queries[:3].T
    assert np.allclose(scores[:, 0], exact.max(axis=0), atol=1e-3)


@pytest.mark.parametrize("kind", ["flat", "ivf", "ivf saved without a direct map", "refined"])
def test_a_small_filter_decoded_by_id_equals_the_filtered_scan(kind: str, tmp_path, monkeypatch) -> None:
    rng = np.random.default_rng(1)
    if kind == "refined":
        vectors = random_unit(20_000, rng, dimension=64)
        index, _ = build_dense_index(vectors, random_unit(100, rng, dimension=64), flat_max=1000)
    else:
        vectors = _clustered(6000)
        index, _ = build_dense_index(
            vectors, _clustered(200, seed=1), flat_max=10_000 if kind == "flat" else 1000
        )
    if kind == "ivf saved without a direct map":
        faiss.extract_index_ivf(index).set_direct_map_type(faiss.DirectMap.NoMap)
        assert decodes_by_id(index) is None
        write_dense(index, tmp_path / "dense.faiss")
        index = read_dense(tmp_path / "dense.faiss", {})
    query = vectors[:1] + 0.1
    query /= np.linalg.norm(query)
    rows = np.sort(rng.choice(len(vectors), 300, replace=False)).astype(np.int64)
    want_scores, want_ids = search_index(index, query, 10, filtered_params(index, rows))
    exact = np.sort(vectors[rows] @ query[0])[::-1][:10]
    np.testing.assert_allclose(want_scores[0], exact, atol=2e-3)  # float16 codes, exact over the rows
    assert decodes_by_id(index) is not None  # every kind built or read here can decode by id

    def no_scan(*_):
        raise AssertionError("the filtered scan ran")

    monkeypatch.setattr("qa.index.faiss_dense.DECODE_SHARE", 1)  # 300 rows: decoded by id
    monkeypatch.setattr("qa.index.faiss_dense.filtered_params", no_scan)
    scores, ids = search_rows(index, query, rows, 10)
    assert ids.tolist() == want_ids.tolist()
    np.testing.assert_allclose(scores, want_scores, atol=1e-4)
    monkeypatch.setattr("qa.index.faiss_dense.DECODE_SHARE", 10**6)  # too many rows: the filtered scan
    with pytest.raises(AssertionError, match="filtered scan ran"):
        search_rows(index, query, rows, 10)


def test_passage_vectors_in_chunks_match_all_at_once() -> None:
    rng = np.random.default_rng(0)
    parts = [
        (np.zeros((k, 2), np.int32), rng.standard_normal((k, 8)).astype(np.float32)) for k in (1, 3, 2, 5, 1)
    ]
    table = SentenceTable.from_parts(parts, 8)
    whole = table.passage_vectors(chunk=100)
    np.testing.assert_allclose(table.passage_vectors(chunk=2), whole, atol=1e-6)
    mean = parts[1][1].astype(np.float16).astype(np.float32).mean(axis=0)
    np.testing.assert_allclose(whole[1], mean / np.linalg.norm(mean), atol=1e-5)


def _passage(doc_id: str, passage_id: str) -> Passage:
    return Passage(doc_id, "doc", [], "other", 0, 1, "x", passage_id=passage_id)


def _exact_top10(queries: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    return (queries @ vectors.T).argsort(axis=1)[:, ::-1][:, :10]


def test_flat_index_is_extended_with_the_new_rows() -> None:
    vectors = _clustered(800)
    first = build_dense_index(vectors[:500])
    index, info = build_dense_index(vectors, previous=first)
    assert info == {"type": "flat", "exact": True} and index.ntotal == 800
    assert first[0].ntotal == 500  # the previous index is copied, never changed under its readers
    queries = _clustered(20, seed=3)
    np.testing.assert_array_equal(index.search(queries, 10)[1], _exact_top10(queries, vectors))


def test_ivf_takes_added_rows_without_retraining_and_keeps_its_recall() -> None:
    vectors = _clustered(9000)
    probes, queries = _clustered(200, seed=1), _clustered(100, seed=2)
    first = build_dense_index(vectors[:6000], probes, flat_max=1000)
    assert first[1]["type"] == "ivf-sqfp16" and first[1]["trained_rows"] == 6000
    index, info = build_dense_index(vectors, probes, flat_max=1000, previous=first)
    assert info["type"] == "ivf-sqfp16" and info["trained_rows"] == 6000  # not retrained
    assert index.ntotal == 9000 and first[0].ntotal == 6000
    assert info["probe_recall_at_10"] >= 0.98  # nprobe re-tuned over all rows
    assert recall_at_k(_exact_top10(queries, vectors), index.search(queries, 10)[1]) >= 0.95


def test_ivf_is_retrained_once_the_corpus_outgrows_it() -> None:
    vectors = _clustered(7000)
    probes = _clustered(200, seed=1)
    first = build_dense_index(vectors[:3000], probes, flat_max=1000)
    _, info = build_dense_index(vectors, probes, flat_max=1000, previous=first)
    assert info["trained_rows"] == 7000


def test_index_data_extends_only_when_old_passages_come_first() -> None:
    def passages(ids: list[str]) -> list[Passage]:
        return [_passage("d", i) for i in ids]

    rng = np.random.default_rng(0)
    part = {i: (np.zeros((1, 2), np.int32), rng.standard_normal((1, 8)).astype(np.float32)) for i in "abcd"}

    def build(ids: str, previous: IndexData | None = None) -> IndexData:
        table = SentenceTable.from_parts([part[i] for i in ids], 8)
        return IndexData.build([], {}, passages(list(ids)), table, {"model": "m"}, previous=previous)

    old = build("ab")
    for data in (build("abcd", old), build("cabd", old)):  # extended, and rebuilt after a reorder
        vectors = data.sentences.passage_vectors()
        for row in range(4):  # every row is found by its own vector: rows and vectors agree
            assert data.dense_search(vectors[row], 1)[0][0] == row


def test_large_ivf_scans_split_over_cores_give_the_same_answers(monkeypatch) -> None:
    from qa.index import faiss_dense as store

    vectors = _clustered(6000)
    queries = _clustered(20, seed=4)
    index, _ = build_dense_index(vectors, _clustered(200, seed=1), flat_max=1000)
    serial = [store.search_index(index, q[None, :], 10) for q in queries]
    monkeypatch.setattr(store, "PARALLEL_SCAN_MIN", 1)  # every scan counts as large
    split = [store.search_index(index, q[None, :], 10) for q in queries]
    for (s_scores, s_ids), (p_scores, p_ids) in zip(serial, split, strict=True):
        np.testing.assert_array_equal(s_ids, p_ids)
        np.testing.assert_allclose(s_scores, p_scores, rtol=1e-6)
