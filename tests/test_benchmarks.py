"""The benchmark's helpers and the size-dependent dense index, on tiny data (no model, no timing)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks.baselines import BM25Baseline, Corpus, score_rankings
from benchmarks.common import pct, write_results
from benchmarks.report import headline, render
from benchmarks.scale import random_unit
from qa.store import IndexData, SentenceTable, build_dense_index, recall_at_k


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
    data = IndexData({}, [], {}, [], None, index, None)  # type: ignore[arg-type]
    rows = np.array([3, 1500, 4999])
    assert {row for row, _ in data.dense_search(queries[0], 3, rows)} == set(rows.tolist())


def test_structureless_vectors_fall_back_to_an_exact_scan() -> None:
    rng = np.random.default_rng(0)
    vectors = random_unit(5000, rng, dimension=64)
    index, info = build_dense_index(vectors, random_unit(100, rng, dimension=64), flat_max=1000)
    assert info["type"] in {"flat-sqfp16", "ivf-sqfp16"} and info["probe_recall_at_10"] >= 0.98
    assert index.ntotal == 5000


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


def test_baseline_scoring_needs_answer_and_document() -> None:
    corpus = Corpus(["财政总收入1.6亿元", "新增学位3600个", "财政总收入1.6亿元"], ["a.txt", "a.txt", "b.txt"])
    items = [
        {"question": "财政收入", "answers": ["1.6亿元"], "doc": "b.txt"},
        {"question": "学位", "answers": ["3600个"]},
        {"question": "没有答案", "answers": []},
    ]
    got = score_rankings(items, [[0, 2], [0, 1], [0]], corpus)
    assert got["answerable"] == 2 and got["hit@1"] == 0.0 and got["hit@3"] == 1.0
    assert got["mrr@10"] == pytest.approx(0.5)
    assert BM25Baseline(corpus).search("新增学位")[0] == 1


def test_results_files_and_headline(tmp_path: Path) -> None:
    lat = {"ask": pct([0.02, 0.03]), "embed": pct([0.01, 0.012]), "http": pct([0.03]), "questions": 2}
    lat["ask_over_embed_p50"] = round(lat["ask"]["p50_ms"] / lat["embed"]["p50_ms"], 2)
    results = {
        "command": "python -m benchmarks --quick",
        "mode": "quick",
        "date": "today",
        "machine": {
            "cpu": "test cpu",
            "cores": 2,
            "ram_gb": 1.0,
            "versions": {"python": "3.11"},
            "env": {"OMP_NUM_THREADS": None},
        },
        "bundled": {"latency": lat, "quality": {"hit@1": 1.0, "hit@5": 1.0, "mrr@10": 1.0, "answer@1": 1.0}},
    }
    rows = headline(results)
    assert rows[0][0].startswith("query p50 in-process") and rows[0][2] == "≤ 1.5x"
    assert rows[0][3] == "**no**"  # 25 ms / 11 ms = 2.27x
    md, js = write_results(results, render(results), tmp_path / "bench" / "RESULTS.md")
    text = md.read_text(encoding="utf-8")
    assert "## Headline" in text and "2.27x" in text and "test cpu" in text
    assert json.loads(js.read_text(encoding="utf-8"))["bundled"]["latency"]["ask_over_embed_p50"] == 2.27
