"""Does the English glossary (qa.pipeline.glossary) help?

The English questions of both dev sets, with and without.

    python -m benchmarks.glossary [--reports-dir DIR] [--work DIR] [--out benchmarks/GLOSSARY.md]

Without the glossary an English question is searched by its embedding alone; with it, BM25 also
searches the report terms of its phrases, and those terms feed the answer choice and abstention.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.ablation import METRICS, ROOT, dev_set_bots
from qa import ReportQA
from qa.embed.embedder import load_embedder
from qa.evaluation import evaluate
from qa.settings import RetrievalSettings, Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--reports-dir", type=Path, default=ROOT.parent / "shared" / "datasets" / "gov_reports"
    )
    parser.add_argument("--work", type=Path, default=None, help="index folder to (re)use")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "GLOSSARY.md")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="report-qa-glossary-"))
    embedder = load_embedder()
    sets = dev_set_bots(args.reports_dir, work, embedder)
    lines = [
        "# The English glossary: English questions with and without it",
        "",
        f"`python -m benchmarks.glossary` on {time.strftime('%Y-%m-%d')}; model {embedder.name}. Only the "
        "questions of kind `english` of each dev set.",
        "",
        "| glossary | set | answerable | unanswerable | " + " | ".join(METRICS) + " |",
        "|---|---|---|---|" + "---|" * len(METRICS),
    ]
    for use in (False, True):
        settings = Settings(retrieval=RetrievalSettings(use_glossary=use))
        for name, (built, items) in sets.items():
            bot = ReportQA(built.index_dir, embedder=embedder, settings=settings)
            english = [item for item in items if item.get("kind") == "english"]
            sources = {d.doc_id: d.source for d in bot.documents}
            metrics = evaluate(lambda q, k, bot=bot: bot.ask(q, k=k), english, k=5, sources=sources)[
                "metrics"
            ]
            lines.append(
                f"| {'on' if use else 'off'} | {name} | {metrics['answerable']} "
                f"| {metrics['unanswerable']} | " + " | ".join(f"{metrics[m]:.3f}" for m in METRICS) + " |"
            )
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print("wrote", args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
