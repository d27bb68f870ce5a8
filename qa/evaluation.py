"""Measure answers against a question set: hit@k, MRR@10, answer@1 and abstention accuracy.

A question set is JSON lines: {"question": str, "answers": [verbatim strings]} (more keys allowed).
A passage or answer counts when it contains any of the answers; with an optional "doc" (a file
name) it must also come from that document. An item with "parts" (a list of string lists: a
question that asks two things) counts for answer@1 only when the answer holds a string of every
part. What an answer holds is its quoted sentences and the items they announce (``Answer.items``,
shown as the answer's list). An item with no answers is unanswerable: the right reply is
``found=False``.

hit@k and MRR read the passages as the answer shows them (the chosen sentence's passage first);
``retrieval_mrr@10`` reads them in retrieval's own order, for comparing retrieval alone.
Beside hit@k, MRR and answer@1, the report says how well ``Answer.confidence`` separates questions
whose best sentence answers (quoted or refused) from unanswerable ones (ROC AUC) and how it compares
with what is observed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import ReportQAError
from qa.schema import Answer, Passage
from qa.text.normalize import normalize

CUTOFFS = (1, 3, 5)
MRR_DEPTH = 10


def load_questions(path: str | Path) -> list[dict[str, Any]]:
    """Read and validate a question set; a bad line raises ReportQAError naming it."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportQAError(f"cannot read question set {path}: {exc}") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise ReportQAError(f"{path}:{number}: not a JSON object") from None
        if not (
            isinstance(item, dict)
            and isinstance(item.get("question"), str)
            and isinstance(item.get("answers"), list)
            and all(isinstance(a, str) for a in item["answers"])
        ):
            raise ReportQAError(f'{path}:{number}: expected {{"question": str, "answers": [str, ...]}}')
        items.append(item)
    if not items:
        raise ReportQAError(f"{path} holds no questions")
    return items


def _contains(text: str | None, answers: list[str]) -> bool:
    return text is not None and any(normalize(a) in normalize(text) for a in answers)


def roc_auc(positive: Sequence[float] | np.ndarray, negative: Sequence[float] | np.ndarray) -> float | None:
    """P(a positive scores above a negative), ties counting half; None when a side is empty."""
    if len(positive) == 0 or len(negative) == 0:
        return None
    # Per positive: the negatives below it (left) and those below or equal (right); a tie counts half.
    # Sorted once, so resampling it thousands of times (benchmarks.compare) takes seconds.
    scores = np.asarray(positive, dtype=float)
    ordered = np.sort(np.asarray(negative, dtype=float))
    wins = np.searchsorted(ordered, scores, "left") + np.searchsorted(ordered, scores, "right")
    return float(wins.sum() / 2 / (len(scores) * len(ordered)))


def _best_sentences(answer: Answer) -> str | None:
    """What the answer quotes or, refused, would have quoted: the highlighted sentence of its first
    passage (of each part's, for a question of several parts)."""
    if answer.answer is not None:
        return answer.answer
    quoted = [
        first.text[slice(*first.highlight)]
        for first in (part.passages[0] for part in (answer.parts or [answer]) if part.passages)
        if first.highlight is not None
    ]
    return " ".join(quoted) or None


def _with_items(quoted: str | None, items: list[str]) -> str | None:
    """What an answer quotes (``quoted``) together with the items its sentences announce, which it
    shows as their list ("包括：" and the headings or 一是… that follow "以下几类人群："); None when it
    quotes nothing."""
    return None if quoted is None else " ".join([quoted, *items])


def _retrieval_order(answer: Answer) -> list[Passage]:
    """The answer's passages in the order retrieval ranked them, before the chosen sentence's passage
    was moved first (from ``reason["passages"]``); the shown order when the reason does not say."""
    by_id = {p.passage_id: p for p in answer.passages}
    ids = [r.get("passage_id") for r in answer.reason.get("passages", [])]
    ordered = [by_id[i] for i in ids if i in by_id]
    return ordered if len(ordered) == len(answer.passages) else answer.passages


def binned(
    p: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    weight: Sequence[float] | np.ndarray | None = None,
    bins: int = 5,
) -> list[tuple[float, float, int, float, float]]:
    """(low edge, high edge, count, mean predicted, mean observed) for each equal-width bin of the
    predicted probabilities ``p`` that holds any; the means weighted by ``weight`` when given (the
    training script weighs each source by its share)."""
    p, y = np.asarray(p, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w = np.ones(len(p)) if weight is None else np.asarray(weight, dtype=np.float64)
    table = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = (p >= lo) & ((p < hi) if hi < 1 else (p <= hi))
        if inside.any():
            mean = (float(np.average(v[inside], weights=w[inside])) for v in (p, y))
            table.append((lo, hi, int(inside.sum()), *mean))
    return table


def reliability(rows: list[dict[str, Any]], bins: int = 5) -> list[dict[str, Any]]:
    """Predicted confidence vs the observed share whose best sentence answers, in equal-width bins.

    ``confidence`` predicts that the best sentence answers the question (found or not, so a refused
    question whose best sentence holds the answer counts as answered here); for an unanswerable
    question it never does."""
    predicted = [r["confidence"] for r in rows]
    observed = [float(r["answerable"] and r["sentence_hit"]) for r in rows]
    return [
        {"bin": f"{lo:.1f}–{hi:.1f}", "n": n, "predicted": round(p, 3), "observed": round(o, 3)}
        for lo, hi, n, p, o in binned(predicted, observed, bins=bins)
    ]


def evaluate(
    ask: Callable[[str, int], Answer],
    items: list[dict[str, Any]],
    k: int = 5,
    sources: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Run every question through ``ask(question, k)`` and score the replies.

    ``sources`` maps doc_id to file name, for items that name their document in "doc".
    """
    depth = max(k, MRR_DEPTH)
    rows = []
    for item in items:
        answer = ask(item["question"], depth)

        def counts(passage: Passage, item: dict[str, Any] = item) -> bool:
            right_doc = "doc" not in item or sources is None or sources.get(passage.doc_id) == item["doc"]
            return right_doc and _contains(passage.text, item["answers"])

        rank = next((i for i, p in enumerate(answer.passages, start=1) if counts(p)), None)
        retrieved = _retrieval_order(answer)
        parts = item.get("parts") or [item["answers"]]
        in_right_doc = bool(item["answers"]) and any(counts(p) for p in answer.passages[: len(parts)])
        listed = [entry.text for reply in (answer, *answer.parts) for entry in reply.items]
        best = _with_items(_best_sentences(answer), listed)
        quoted = _with_items(answer.answer, listed)
        rows.append(
            {
                "id": item.get("id"),
                "question": item["question"],
                "answerable": bool(item["answers"]),
                "rank": rank,
                # Retrieval alone: the rank before the scorer put its sentence's passage first.
                "retrieval_rank": next((i for i, p in enumerate(retrieved, start=1) if counts(p)), None),
                "found": answer.found,
                "answer_hit": in_right_doc and all(_contains(quoted, part) for part in parts),
                # The best sentence holds the answer, refused or not: what the confidence predicts.
                "sentence_hit": in_right_doc and all(_contains(best, part) for part in parts),
                "answer": answer.answer,
                "confidence": answer.confidence,
            }
        )
    return summarize(rows, k)


def summarize(rows: list[dict[str, Any]], k: int = 5) -> dict[str, Any]:
    """Metrics, reliability table and the rows themselves, from the item rows of ``evaluate``
    (also of several runs put together, e.g. one per report deployed alone)."""
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    metrics: dict[str, Any] = {"questions": len(rows), "answerable": len(answerable)}
    if answerable:
        n = len(answerable)
        for cutoff in sorted({*CUTOFFS, k}):
            metrics[f"hit@{cutoff}"] = sum(1 for r in answerable if r["rank"] and r["rank"] <= cutoff) / n
        metrics[f"mrr@{MRR_DEPTH}"] = sum(1 / r["rank"] for r in answerable if r["rank"]) / n
        ranked = [r["retrieval_rank"] for r in answerable if r.get("retrieval_rank")]
        metrics[f"retrieval_mrr@{MRR_DEPTH}"] = sum(1 / rank for rank in ranked) / n
        metrics["answer@1"] = sum(1 for r in answerable if r["answer_hit"]) / n
        metrics["found_rate_answerable"] = sum(1 for r in answerable if r["found"]) / n
    metrics["unanswerable"] = len(unanswerable)
    if unanswerable:
        metrics["abstain_rate_unanswerable"] = sum(1 for r in unanswerable if not r["found"]) / len(
            unanswerable
        )
    # Positives: answerable questions whose best sentence answers, refused or not (a right sentence
    # refused for low confidence is a low-confidence positive; leaving it out would flatter the AUC).
    right = [r["confidence"] for r in answerable if r["sentence_hit"]]
    metrics["confidence_auc"] = roc_auc(right, [r["confidence"] for r in unanswerable])
    return {
        "metrics": {key: round(v, 4) if isinstance(v, float) else v for key, v in metrics.items()},
        "reliability": reliability(rows),
        "items": rows,
    }
