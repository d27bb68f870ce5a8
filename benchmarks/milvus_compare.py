"""The same index in both stores, measured in one run: dev-set quality and query latency.

    python -m benchmarks.milvus_compare [--reports-dir DIR] [--out benchmarks/MILVUS.md]

Indexes the bundled report (tests/data/dev_zimao.jsonl) and the three real reports of
tests/data/dev_gov.jsonl once in the local store, then copies each index (vectors included,
nothing re-embedded) into Milvus Lite twice: with the shipped lexical analyzer (character n-grams,
hex-encoded through the standard tokenizer) and with Milvus's jieba tokenizer. Every store answers
every question through the same ReportQA; quality is measured for the full pipeline and for BM25
alone (dense weight 0, no boosts), latency per ``ask`` (embedding, both searches, fusion, answer).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from milvus_lite.server_manager import server_manager_instance

from qa import ReportQA
from qa.embed.embedder import load_embedder
from qa.evaluation import evaluate, load_questions
from qa.index import factory as index_store
from qa.index import milvus as milvus_store
from qa.index.base import settings_of
from qa.index.milvus import MilvusStore
from qa.ingest.loader import bundled_report_path
from qa.schema import Answer
from qa.settings import RetrievalSettings, Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
METRICS = ("hit@1", "hit@5", "mrr@10", "answer@1")
BM25_ONLY = Settings(retrieval=RetrievalSettings(dense_weight=0.0, period_boost=1.0, named_filter=False))


def milvus_copy(source: index_store.IndexStore, index_dir: Path, uri: str, analyzer: str) -> None:
    """``source`` copied into a Milvus collection with the given lexical analyzer."""
    MilvusStore.build(
        uri,
        f"bench_{index_dir.name.replace('-', '_')}",
        list(source.documents),
        dict(source.texts),
        [p for _, p in source.passage_rows()],
        index_store.all_sentences(source),
        settings_of(source.manifest),
        analyzer=analyzer,
    ).save(index_dir)
    # Milvus Lite serves a file from one process at a time: let the measuring process have it.
    milvus_store._client.cache_clear()
    server_manager_instance.release_server(uri)


def timed(ask: Callable[[str, int], Answer], latencies: list[float]) -> Callable[[str, int], Answer]:
    def run(question: str, k: int) -> Answer:
        started = time.perf_counter()
        answer = ask(question, k)
        latencies.append(time.perf_counter() - started)
        return answer

    return run


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(index_dir: Path, questions: Path) -> list[dict[str, Any]]:
    """Quality and latency of one index, as a server process would see it: opened fresh, warmed."""
    embedder = load_embedder()
    bot = ReportQA(index_dir, embedder=embedder)
    items = load_questions(questions)
    for item in items[:3]:  # warm: the first searches load the collection
        bot.ask(item["question"])
    sources = {d.doc_id: d.source for d in bot.documents}
    rows = []
    for mode, settings in (("hybrid (shipped)", Settings()), ("BM25 only", BM25_ONLY)):
        latencies: list[float] = []
        configured = ReportQA(index_dir, embedder=embedder, settings=settings)
        ask = timed(lambda q, k, bot=configured: bot.ask(q, k=k), latencies)
        metrics = evaluate(ask, items, k=5, sources=sources)["metrics"]
        rows.append(
            {
                "mode": mode,
                **{m: metrics[m] for m in METRICS},
                "p50_ms": 1000 * statistics.median(latencies),
                "p95_ms": 1000 * percentile(latencies, 0.95),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--reports-dir", type=Path, default=ROOT.parent / "shared" / "datasets" / "gov_reports"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "MILVUS.md")
    parser.add_argument(
        "--measure", nargs=2, type=Path, metavar=("INDEX_DIR", "QA_JSONL"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    embedder = load_embedder()
    work = Path(tempfile.mkdtemp(prefix="report-qa-milvus-"))
    gov_items = load_questions(DATA / "dev_gov.jsonl")
    sets = {
        "bundled report": ([bundled_report_path()], DATA / "dev_zimao.jsonl"),
        "3 real reports": (sorted({args.reports_dir / i["doc"] for i in gov_items}), DATA / "dev_gov.jsonl"),
    }
    analyzers = {"milvus ngram (shipped)": "ngram", "milvus jieba": "jieba"}
    rows: list[dict[str, Any]] = []
    for set_name, (paths, questions) in sets.items():
        key = "z" if set_name == "bundled report" else "g"
        ReportQA.from_paths(paths, work / f"local-{key}", embedder=embedder)
        source = index_store.load(work / f"local-{key}")
        assert source is not None
        for analyzer in analyzers.values():  # a Lite file per variant
            milvus_copy(source, work / f"{analyzer}-{key}", str(work / f"{analyzer}-{key}.db"), analyzer)
        # Each store is measured in a fresh process (as a server runs): Milvus Lite serves from
        # Python threads of the same process, so whatever else that process did would skew it.
        for name, folder in (("local", "local"), *analyzers.items()):
            command = [sys.executable, "-m", "benchmarks.milvus_compare", "--measure"]
            done = subprocess.run(
                [*command, str(work / f"{folder}-{key}"), str(questions)],
                capture_output=True, text=True, check=True, cwd=ROOT,
            )  # fmt: skip
            for row in json.loads(done.stdout.splitlines()[-1]):
                rows.append({"set": set_name, "store": name, **row})
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    sizes = {name: len(load_questions(questions)) for name, (_, questions) in sets.items()}
    write_report(args.out, rows, embedder, sizes)
    print("wrote", args.out, file=sys.stderr)


def write_report(out: Path, rows: list[dict[str, Any]], embedder: Any, sizes: dict[str, int]) -> None:
    import faiss
    import milvus_lite
    import pymilvus

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    lines = [
        "# Local store vs Milvus store: quality and latency in one run",
        "",
        f"`python -m benchmarks.milvus_compare` on {time.strftime('%Y-%m-%d')}; {cpu}, "
        f"{os.cpu_count()} cores (shared), Python {platform.python_version()}, faiss {faiss.__version__}, "
        f"pymilvus {pymilvus.__version__}, milvus-lite {milvus_lite.__version__}; "
        f"model {embedder.name} ({embedder.source}).",
        f"Dev sets: bundled report ({sizes['bundled report']} questions), 3 real reports "
        f"({sizes['3 real reports']} questions). Milvus is Milvus Lite (a local .db file, in-process); "
        "the Milvus indexes are copies of the local ones (same vectors), so differences come from the "
        "stores' search alone. Latency: one `ReportQA.ask` per question (embedding, both searches, "
        "fusion, answer), sequential, after three warm-up questions, each store in a fresh process "
        "as a server runs it (Milvus Lite serves from threads of that process).",
        "",
        "| set | store | retrieval | " + " | ".join(METRICS) + " | p50 ms | p95 ms |",
        "|---|---|---|" + "---|" * (len(METRICS) + 2),
    ]
    for r in rows:
        cells = [f"{r[m]:.3f}" for m in METRICS] + [f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}"]
        lines.append(f"| {r['set']} | {r['store']} | {r['mode']} | " + " | ".join(cells) + " |")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
