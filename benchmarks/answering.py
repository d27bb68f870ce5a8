"""How well questions are answered: the blind set, both dev sets and CMRC 2018's held-out trial split.

    python -m benchmarks.answering [--work DIR] [--out benchmarks/ANSWERING.md]
        [--sets blind,dev,generic,mixed,cmrc]

- blind: tests/data/blind_single.jsonl, written by a helper that never saw the code, on four reports
  no dev set uses; each report indexed alone, as a town or province deploys it. Never tuned on.
- dev: tests/data/dev_zimao.jsonl (bundled report), dev_gov.jsonl (three reports together) and
  dev_written.jsonl (222 questions in people's words on nine reports no other set or training
  question uses, each report alone; written 2026-12-04 by helpers that read only the reports) and
  dev_written_2.jsonl and dev_written_3.jsonl (248 and 244 more, each on ten other reports, written
  the same way on 2026-12-05) and dev_written_4.jsonl (238 more on ten State Council reports of
  1980-1997, written on 2026-12-06);
  the first two again with their questions in traditional characters (OpenCC s2t).
- generic: tests/data/dev_generic.jsonl, 200 questions on 18 documents that are no report (news, an
  encyclopedia article, a company's announcement, notices, manuals, summaries, a biography, a
  statistical bulletin, minutes, a contract …; tests/data/dev_generic/), written by four helpers that
  saw no code; validation like the dev sets, kept out of their mean.
- mixed: the bundled report and those 18 documents in one library, asked dev_zimao's and the
  generic set's questions: a library of both kinds, where each kind's rankers score its own
  documents' sentences; an answer counts only from the question's own document.
- cmrc: the 1,002 questions of CMRC 2018's trial split (never a training row) against all 1,104
  paragraphs, each indexed as one document with ``ReportQA.from_paths``: R@1, R@5 (the gold
  paragraph among the passages) and whether the answer sentence holds a gold span.
Indexes are kept in ``--work`` and reused when unchanged. ``--items FILE`` also writes every
question's outcome, which ``benchmarks.compare`` reads to set two runs side by side.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import opencc

from benchmarks.ablation import ROOT, dev_set_bots
from qa import ReportQA
from qa.embed.embedder import Embedder, load_embedder
from qa.evaluation import evaluate, load_questions, summarize
from qa.ingest.loader import bundled_report_path
from qa.text.normalize import normalize
from training.examples import write_cmrc_paragraphs

DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared" / "datasets"
COLUMNS = ("answer@1", "hit@1", "hit@5", "refused answerable", "refused unanswerable", "confidence AUC")


def _row(metrics: dict[str, Any]) -> dict[str, float | None]:
    return {
        "answer@1": metrics.get("answer@1"),
        "hit@1": metrics.get("hit@1"),
        "hit@5": metrics.get("hit@5"),
        "refused answerable": round(1 - metrics["found_rate_answerable"], 4),
        "refused unanswerable": metrics.get("abstain_rate_unanswerable"),
        "confidence AUC": metrics.get("confidence_auc"),
    }


def _subset(result: dict[str, Any], items: list[dict[str, Any]], keep: Any) -> float | None:
    rows = [r for r, item in zip(result["items"], items, strict=True) if keep(item) and r["answerable"]]
    return round(sum(r["answer_hit"] for r in rows) / len(rows), 4) if rows else None


# The question sets written on reports each asked alone, and how the results name them.
WRITTEN_DEV_SETS = (
    ("dev_written.jsonl", "written (9 reports, each alone)"),
    ("dev_written_2.jsonl", "written 2 (10 reports, each alone)"),
    ("dev_written_3.jsonl", "written 3 (10 reports, each alone)"),
    ("dev_written_4.jsonl", "written 4 (10 reports, each alone)"),
)


def each_report_alone(questions: Path, work: Path, embedder: Embedder, reports: Path) -> dict[str, Any]:
    """Each report of a question file indexed alone (as a town or province deploys it); all its
    questions asked of it. Adds English answer@1 and two-part both answered to the metrics."""
    items = load_questions(questions)
    results, ordered = [], []
    for doc in sorted({item["doc"] for item in items}):
        mine = [item for item in items if item["doc"] == doc]
        bot = ReportQA.from_paths([reports / doc], work / f"alone-{doc}", embedder=embedder)
        sources = {d.doc_id: d.source for d in bot.documents}
        results.append(evaluate(lambda q, k, bot=bot: bot.ask(q, k=k), mine, k=5, sources=sources))
        ordered.extend(mine)
    merged_items = [row for result in results for row in result["items"]]
    combined = summarize(merged_items)
    combined["metrics"]["english answer@1"] = _subset(combined, ordered, lambda i: i.get("lang") == "en")
    combined["metrics"]["two-part both answered"] = _subset(combined, ordered, lambda i: "parts" in i)
    return combined


def mixed(work: Path, embedder: Embedder) -> dict[str, Any]:
    """The bundled report and the generic set's 18 documents indexed together, each set's questions
    asked of all 19: an answer counts only from the question's own document."""
    generic = DATA / "dev_generic"
    bundled = bundled_report_path()
    bot = ReportQA.from_paths([bundled, *sorted(generic.iterdir())], work / "mixed", embedder=embedder)
    items = [item | {"doc": bundled.name} for item in load_questions(DATA / "dev_zimao.jsonl")]
    items += load_questions(DATA / "dev_generic.jsonl")
    sources = {d.doc_id: d.source for d in bot.documents}
    return evaluate(lambda q, k: bot.ask(q, k=k), items, k=5, sources=sources)


def cmrc(work: Path, embedder: Embedder) -> dict[str, Any]:
    """CMRC 2018's trial split against every paragraph: retrieval and answer-sentence accuracy."""
    docs = write_cmrc_paragraphs(SHARED / "cmrc2018", work / "cmrc-docs")
    bot = ReportQA.from_paths([docs], work / "ix-cmrc", embedder=embedder)
    gold = dict(line.split("\t")[:2] for line in (SHARED / "cmrc2018" / "qrels.tsv").read_text().splitlines())
    source = {d.doc_id: d.source for d in bot.documents}
    r1 = r5 = held = n = 0
    for line in (SHARED / "cmrc2018" / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["split"] != "trial" or not item["text"].strip():
            continue
        n += 1
        answer = bot.ask(item["text"], k=5)
        ranks = [i for i, p in enumerate(answer.passages, 1) if source[p.doc_id] == f"{gold[item['id']]}.txt"]
        r1 += bool(ranks and ranks[0] == 1)
        r5 += bool(ranks)
        first = answer.passages[0] if answer.passages else None
        sentence = None if first is None or first.highlight is None else first.text[slice(*first.highlight)]
        held += bool(
            answer.found
            and sentence
            and source[first.doc_id] == f"{gold[item['id']]}.txt"
            and any(normalize(a) in normalize(sentence) for a in item["answers"])
        )
    return {"metrics": {"questions": n, "R@1": round(r1 / n, 4), "R@5": round(r5 / n, 4),
                        "answer sentence holds the span": round(held / n, 4)}}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/report-qa-answering"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "ANSWERING.md")
    parser.add_argument("--sets", default="blind,dev,generic,mixed,cmrc")
    parser.add_argument("--reports-dir", type=Path, default=SHARED / "gov_reports")
    parser.add_argument("--items", type=Path, help="also write each question's outcome here (JSON)")
    args = parser.parse_args()
    wanted = set(args.sets.split(","))
    embedder = load_embedder()
    started = time.time()
    sets: dict[str, dict[str, Any]] = {}
    if "blind" in wanted:
        blind = each_report_alone(DATA / "blind_single.jsonl", args.work, embedder, args.reports_dir)
        sets["blind (4 reports, each alone)"] = blind
    if "dev" in wanted:
        for file, label in WRITTEN_DEV_SETS:
            sets[f"dev: {label}"] = each_report_alone(DATA / file, args.work, embedder, args.reports_dir)
        traditional = opencc.OpenCC("s2t")
        for name, (bot, items) in dev_set_bots(args.reports_dir, args.work, embedder).items():
            sources = {d.doc_id: d.source for d in bot.documents}
            sets[f"dev: {name}"] = evaluate(
                lambda q, k, bot=bot: bot.ask(q, k=k), items, k=5, sources=sources
            )
            # The same questions typed in traditional characters (繁體), the reports as they are.
            asked = [item | {"question": traditional.convert(item["question"])} for item in items]
            result = evaluate(lambda q, k, bot=bot: bot.ask(q, k=k), asked, k=5, sources=sources)
            sets[f"dev: {name}, asked in traditional characters"] = result | {"reliability": None}
    if "generic" in wanted:  # validation like the dev sets, but no report: not in their mean
        generic = each_report_alone(DATA / "dev_generic.jsonl", args.work, embedder, DATA / "dev_generic")
        sets["generic: 18 documents that are no report, each alone"] = generic
    if "mixed" in wanted:  # both kinds in one library: which document's sentence wins
        sets["mixed: the bundled report and the 18 generic documents in one library"] = mixed(
            args.work, embedder
        )
    if "cmrc" in wanted:
        sets["CMRC 2018 trial"] = cmrc(args.work, embedder)
    report = _render(sets, embedder, time.time() - started)
    args.out.write_text(report, encoding="utf-8")
    summary = {k: {"metrics": v["metrics"], "reliability": v.get("reliability")} for k, v in sets.items()}
    args.out.with_suffix(".json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    if args.items:
        args.items.write_text(
            json.dumps(question_outcomes(sets), ensure_ascii=False) + "\n", encoding="utf-8"
        )
    print(report)
    print("wrote", args.out, file=sys.stderr)


def question_outcomes(sets: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per set, per question: what ``benchmarks.compare`` needs to recompute answer@1 and the AUC."""
    keep = ("id", "answerable", "answer_hit", "sentence_hit", "found", "confidence")
    return {
        name: [{key: row[key] for key in keep} for row in result["items"]]
        for name, result in sets.items()
        if result.get("items")
    }


def metrics_table(sets: Iterable[tuple[str, dict[str, Any]]]) -> list[str]:
    """A Markdown table of question sets' metrics (``COLUMNS``), one row per (name, metrics)."""
    lines = ["| set | questions | " + " | ".join(COLUMNS) + " |", "|---|---|" + "---|" * len(COLUMNS)]
    for name, metrics in sets:
        row = _row(metrics)
        cells = " | ".join("–" if row[c] is None else f"{row[c]:.3f}" for c in COLUMNS)
        lines.append(f"| {name} | {metrics['questions']} | {cells} |")
    return lines


def _render(sets: dict[str, dict[str, Any]], embedder: Embedder, seconds: float) -> str:
    lines = [
        "# Answering: blind set, dev sets, CMRC 2018",
        "",
        f"`python -m benchmarks.answering` on {time.strftime('%Y-%m-%d')} ({seconds:.0f} s, 2 shared cores); "
        f"model {embedder.name} ({embedder.source}); answer scorer qa/data/answer_scorer.json.",
        "",
        *metrics_table((name, r["metrics"]) for name, r in sets.items() if "answer@1" in r["metrics"]),
    ]
    for name, result in sets.items():
        extra = {
            k: v for k, v in result["metrics"].items() if k in ("english answer@1", "two-part both answered")
        }
        if extra:
            lines += ["", f"{name}: " + ", ".join(f"{k} {v}" for k, v in extra.items())]
    if "CMRC 2018 trial" in sets:
        m = sets["CMRC 2018 trial"]["metrics"]
        held = m["answer sentence holds the span"]
        lines += ["", f"CMRC 2018 trial ({m['questions']} questions, 1,104 paragraphs): R@1 {m['R@1']:.3f}, "
                  f"R@5 {m['R@5']:.3f}, answer given and its sentence holds the gold span "
                  f"{held:.3f}."]  # fmt: skip
    for name, result in sets.items():
        if result.get("reliability"):
            title = (
                f"Reliability of `confidence`, {name} (predicted vs observed share answered by the sentence):"
            )
            lines += ["", title, "", "| confidence | questions | predicted | observed |", "|---|---|---|---|"]
            lines += [
                f"| {b['bin']} | {b['n']} | {b['predicted']} | {b['observed']} |"
                for b in result["reliability"]
            ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
