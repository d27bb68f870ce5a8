"""The benchmark's helpers, on tiny data (no model, no timing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.baselines import BM25Baseline, Corpus, score_rankings
from benchmarks.common import pct, write_results
from benchmarks.report import headline, render


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
