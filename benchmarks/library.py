"""Many reports as one library: the blind library set against all 88 reports indexed together.

    python -m benchmarks.library [--index-dir DIR] [--out benchmarks/LIBRARY.md]

tests/data/blind_library.jsonl (written by a helper that never saw the code, committed before any
tuning; never tuned on) by group:
- named / unscoped: hit@1 and hit@5 from the right report, answer@1;
- compare: every named report among the first five passages (or the parts' passages), and every
  part answered from its own report;
- missing: refused (found false) with the missing report named in the reason;
- named_unanswerable: refused.
Also the ask p50 on this index against the bundled report's (the same process, taking turns).

Issue 12 sets its hit@1 / hit@5 bars on the many-report dev set extended by the blind writer's
questions, so the named group is also reported together with tests/data/dev_gov.jsonl's answerable
questions (each names its report), scored the same way; the blind group alone stays the honest check.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.ablation import ROOT
from qa import Answer, ReportQA
from qa.embed.embedder import load_embedder
from qa.evaluation import load_questions
from qa.ingest.loader import bundled_report_path
from qa.text.normalize import normalize

SHARED = ROOT.parent / "shared" / "datasets" / "gov_reports"


def _holds(text: str | None, strings: list[str]) -> bool:
    return text is not None and any(normalize(s) in normalize(text) for s in strings)


def _score(item: dict[str, Any], answer: Answer, source: dict[str, str]) -> dict[str, Any]:
    group, gold = item["group"], item.get("answers_by_doc") or {}
    if group in ("named", "unscoped"):
        ((doc, strings),) = gold.items()
        ranks = [
            i for i, p in enumerate(answer.passages, 1) if source[p.doc_id] == doc and _holds(p.text, strings)
        ]
        top = answer.passages[0] if answer.passages else None
        right_doc = top is not None and source[top.doc_id] == doc
        return {
            "hit@1": bool(ranks and ranks[0] == 1),
            "hit@5": bool(ranks),
            "answer@1": right_doc and _holds(answer.answer, strings),
        }
    if group == "compare":
        passages = answer.passages[:5] + [p for part in answer.parts for p in part.passages[:5]]
        every = all(
            any(source[p.doc_id] == doc and _holds(p.text, s) for p in passages) for doc, s in gold.items()
        )

        def from_doc(part: Answer, doc: str, strings: list[str]) -> bool:
            return (
                bool(part.passages)
                and source[part.passages[0].doc_id] == doc
                and _holds(part.answer, strings)
            )

        answered = all(
            any(from_doc(part, doc, s) for part in answer.parts or [answer]) for doc, s in gold.items()
        )
        return {"every named report in top 5": every, "every part answered": answered}
    if group == "missing":
        why = json.dumps(answer.reason, ensure_ascii=False)
        return {
            "refused": not answer.found,
            "refused with the reason": not answer.found and "missing_report" in why,
        }
    return {"refused": not answer.found}


def _dev_named() -> list[dict[str, Any]]:
    """dev_gov's answerable questions in the blind set's form: each names its one report."""
    return [
        {"group": "named", "question": item["question"], "answers_by_doc": {item["doc"]: item["answers"]}}
        for item in load_questions(ROOT / "tests" / "data" / "dev_gov.jsonl")
        if item["answers"]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index-dir", type=Path, default=Path("/tmp/report-qa-all88"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "LIBRARY.md")
    args = parser.parse_args()
    embedder = load_embedder()
    started = time.time()
    bot = ReportQA.from_paths([SHARED], args.index_dir, embedder=embedder)
    built = time.time() - started
    # The bundled report's index beside it is this benchmark's own scratch: built anew each run (a
    # second), so one left by an older version is never refused.
    beside = args.index_dir.with_name(args.index_dir.name + "-z")
    small = ReportQA.from_paths([bundled_report_path()], beside, embedder=embedder, rebuild=True)
    source = {d.doc_id: d.source for d in bot.documents}
    items = [
        json.loads(line)
        for line in (ROOT / "tests/data/blind_library.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    by_group: dict[str, list[dict[str, Any]]] = {}
    big_ms, small_ms = [], []
    for item in items:
        t = time.perf_counter()
        answer = bot.ask(item["question"], k=5)
        big_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        small.ask(item["question"], k=5)
        small_ms.append((time.perf_counter() - t) * 1000)
        by_group.setdefault(item["group"], []).append(_score(item, answer, source))
    dev_rows = [_score(item, bot.ask(item["question"], k=5), source) for item in _dev_named()]
    by_group["named, with dev_gov's"] = by_group["named"] + dev_rows
    lines = [
        "# Many reports as one library: tests/data/blind_library.jsonl on all 88 reports",
        "",
        f"`python -m benchmarks.library` on {time.strftime('%Y-%m-%d')} (2 shared cores); "
        f"{len(bot.documents)} documents, {bot.passage_count} passages (index ready after {built:.0f} s).",
        "",
        "| group | questions | measure | share |",
        "|---|---|---|---|",
    ]
    for group, rows in by_group.items():
        for measure in rows[0]:
            share = sum(r[measure] for r in rows) / len(rows)
            lines.append(f"| {group} | {len(rows)} | {measure} | {share:.3f} |")
    p50_big, p50_small = statistics.median(big_ms), statistics.median(small_ms)
    lines += ["", f"ask p50: {p50_big:.1f} ms on the 88 reports, {p50_small:.1f} ms on the bundled report "
              f"({p50_big / p50_small:.2f}x), the same questions taking turns in one process."]  # fmt: skip
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print("wrote", args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
