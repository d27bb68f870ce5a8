"""Which parts of retrieval and answering earn their place: each configuration on both dev sets.

    python -m benchmarks.ablation [--reports-dir DIR] [--out benchmarks/ABLATION.md]

Indexes the bundled report (dev set tests/data/dev_zimao.jsonl) and the three real reports named in
tests/data/dev_gov.jsonl, then switches one knob of qa.pipeline.retrieval / qa.pipeline.answer at a time.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from qa import ReportQA
from qa.embed.embedder import Embedder, load_embedder
from qa.evaluation import evaluate, load_questions
from qa.ingest.loader import bundled_report_path
from qa.settings import RetrievalSettings, Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"

# name -> the settings of that row; each row changes the shipped configuration (the last row).
_OFF = {"period_boost": 1.0, "named_filter": False}
CONFIGURATIONS: dict[str, Settings] = {
    "dense only": Settings(retrieval=RetrievalSettings(lexical_weight=0.0, **_OFF)),
    "BM25 only": Settings(retrieval=RetrievalSettings(dense_weight=0.0, **_OFF)),
    "RRF 1:1, no boosts": Settings(retrieval=RetrievalSettings(fusion="rrf", **_OFF)),
    "RRF 1:2, no boosts": Settings(retrieval=RetrievalSettings(fusion="rrf", lexical_weight=2.0, **_OFF)),
    "RRF 1:2 + boosts (shipped until 2026-12-03)": Settings(
        retrieval=RetrievalSettings(fusion="rrf", lexical_weight=2.0)
    ),
    "scores 1:1, no boosts": Settings(retrieval=RetrievalSettings(**_OFF)),
    "scores 1:1 + period boost": Settings(retrieval=RetrievalSettings(named_filter=False)),
    "shipped": Settings(),
}
METRICS = ("hit@1", "hit@5", "mrr@10", "answer@1", "found_rate_answerable", "abstain_rate_unanswerable")


def dev_set_bots(reports_dir: Path, work: Path, embedder: Embedder) -> dict[str, tuple[ReportQA, list[dict]]]:
    """Both dev sets, each with a bot over its reports indexed in ``work`` (reused when unchanged)."""
    gov_items = load_questions(DATA / "dev_gov.jsonl")
    gov_files = sorted({reports_dir / item["doc"] for item in gov_items})
    return {
        "bundled report": (ReportQA.from_paths([bundled_report_path()], work / "z", embedder=embedder),
                           load_questions(DATA / "dev_zimao.jsonl")),
        "3 real reports": (ReportQA.from_paths(gov_files, work / "g", embedder=embedder), gov_items),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--reports-dir", type=Path, default=ROOT.parent / "shared" / "datasets" / "gov_reports"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "ABLATION.md")
    args = parser.parse_args()
    embedder = load_embedder()
    work = Path(tempfile.mkdtemp(prefix="report-qa-ablation-"))
    sets = dev_set_bots(args.reports_dir, work, embedder)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, settings in CONFIGURATIONS.items():
        results[name] = {}
        for set_name, (built, items) in sets.items():
            bot = ReportQA(
                built.index_dir, embedder=embedder, settings=settings
            )  # same index, these settings
            sources = {d.doc_id: d.source for d in bot.documents}
            metrics = evaluate(lambda q, k, bot=bot: bot.ask(q, k=k), items, k=5, sources=sources)["metrics"]
            results[name][set_name] = {m: metrics[m] for m in METRICS}
        print(name, json.dumps(results[name], ensure_ascii=False), flush=True)
    lines = [
        "# Ablation: what each part of retrieval and answering adds",
        "",
        f"`python -m benchmarks.ablation` on {time.strftime('%Y-%m-%d')}; model {embedder.name} "
        f"({embedder.source}). Dev sets: tests/data/dev_zimao.jsonl (bundled report, "
        f"{len(sets['bundled report'][1])} questions) and tests/data/dev_gov.jsonl (2019 and 2024 national, "
        f"2026 Fujian, indexed together; {len(sets['3 real reports'][1])} questions).",
        "",
        "| configuration | set | " + " | ".join(METRICS) + " |",
        "|---|---|" + "---|" * len(METRICS),
    ]
    for name, per_set in results.items():
        for set_name, metrics in per_set.items():
            lines.append(
                f"| {name} | {set_name} | " + " | ".join(f"{metrics[m]:.3f}" for m in METRICS) + " |"
            )
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("wrote", args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
