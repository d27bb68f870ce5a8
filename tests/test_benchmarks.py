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


def test_report_variants_get_their_own_issuer_year_and_figures(tmp_path: Path) -> None:
    from benchmarks.thousand import write_collection
    from qa.ingest.loader import load_paths

    real = tmp_path / "real.txt"
    real.write_text(
        "2022年紫帽镇政府工作报告\n一、2021年工作回顾\n全年完成财政总收入1.6亿元,新增学位3600个。\n",
        encoding="utf-8",
    )
    paths = write_collection([real], 3, tmp_path / "variants")
    assert len(paths) == 3 and paths[0] == real
    texts = [p.read_text(encoding="utf-8") for p in paths[1:]]
    assert len(set(texts)) == 2 and all("紫帽镇" not in t.splitlines()[0] for t in texts)
    for text in texts:
        year = int(text.splitlines()[0].split("人民政府")[1][:4])
        assert f"{year - 1}年工作回顾" in text  # every year moved by the same offset
        assert "3600个" not in text  # figures scaled
    documents = load_paths(paths)
    assert len({(d.region, d.year) for d in documents}) == 3


def test_thousand_section_renders_its_goals() -> None:
    from benchmarks.thousand import render_section

    def collection(reports: int, rate: float, p50: float) -> dict:
        lat = {"ask": {"p50_ms": p50, "p95_ms": p50 * 2}, "http": {"p50_ms": p50 + 5, "p95_ms": p50 * 3}}
        index = {"passages": reports * 100, "seconds": reports * 100 / rate, "peak_rss_mb": 800.0}
        return {"reports": reports, "index": index, "passages_per_s": rate, "disk_mb": 12.5} | {
            "serving_peak_rss_mb": 700.0,
            "latency": lat,
        }

    results = {
        "thousand_reports": {
            "bundled_latency": {"ask": {"p50_ms": 10.0, "p95_ms": 20.0}},
            "real": collection(88, 10.0, 15.0),
            "collection": collection(1000, 11.0, 18.0),
        }
    }
    rows, section = render_section(results)
    assert rows[0][-1] == "yes" and "1.8x" in rows[0][1]
    assert section[0] == "## A thousand reports" and "| 1000 |" in "\n".join(section)
    # Built again after the collection, the real reports' rate is the mean of the two builds.
    results["thousand_reports"]["real_after"] = {"passages_per_s": 14.0, "index": {"seconds": 628.6}}
    rows, section = render_section(results)
    assert rows[0][-1] == "**no**" and rows[0][1].endswith("0.92x") and "before and after" in rows[0][0]
    assert "14.0 passages/s" in "\n".join(section)


def test_serving_load_counts_answers_and_refusals(tmp_path: Path) -> None:
    """The serving benchmark's wrk run: every answer counted, a refused request counted as an error."""
    from benchmarks.serving import _load
    from qa import ReportQA
    from qa.apps import server
    from tests.conftest import HashEmbedder
    from tests.index_worker import report_text

    (tmp_path / "r.txt").write_text(report_text(1), encoding="utf-8")
    bot = ReportQA.from_paths([tmp_path / "r.txt"], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    bot.ask("财政收入是多少？")  # the first ask loads the scorer: ~2 s, longer than the runs below
    with server.running(bot) as url:
        answered = _load(url, ["财政收入是多少？", '引号"和\\反斜杠'], clients=2, seconds=1)
        refused = _load(url, [""], clients=2, seconds=1)  # an empty question is a 422
    assert answered["requests"] > 0 and answered["errors"] == 0
    assert answered["per_s"] > 0 and answered["p50_ms"] <= answered["p95_ms"]
    assert answered["client_cpu_ms_per_request"] >= 0
    assert refused["requests"] > 0 and refused["errors"] == refused["requests"]
