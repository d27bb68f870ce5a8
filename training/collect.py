"""Run training questions through the real pipeline and label every candidate sentence.

The features come from ``ReportQA.retrieve``, the same call ``ask`` makes, so the scorer is trained
on exactly what it sees when it answers.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from qa import ReportQA
from qa.pipeline.features import FEATURES
from qa.pipeline.scorer import AnswerScorer
from qa.schema import DocumentKind
from qa.text.normalize import normalize
from training.examples import Example

CONFIDENCE_INPUTS = ["best_score", "lead", *FEATURES]
K = 5


@dataclass
class Rows:
    """Candidates of many questions: features ``x``, label ``y`` (the sentence answers), question ids."""

    qid: np.ndarray
    x: np.ndarray
    y: np.ndarray
    answerable: np.ndarray  # per candidate: its question is answerable

    def __add__(self, other: Rows) -> Rows:
        return Rows(*(np.concatenate([a, b]) for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[np.ndarray, ...]:
        return self.qid, self.x, self.y, self.answerable

    @cached_property
    def _spans(self) -> dict[str, slice]:
        """Each question's rows (contiguous, as collected): found once, not by a scan per question."""
        starts = np.flatnonzero(np.r_[True, self.qid[1:] != self.qid[:-1]])
        ends = np.r_[starts[1:], len(self.qid)]
        return {str(self.qid[s]): slice(int(s), int(e)) for s, e in zip(starts, ends, strict=True)}

    def confidence_row(
        self, qid: str, scorer: AnswerScorer, kind: DocumentKind
    ) -> tuple[list[float], int, bool]:
        """The confidence inputs of question ``qid`` under ``scorer``'s rankers of ``kind`` (the kind
        of the documents it was asked of), whether its best candidate answers, and whether the
        question is answerable."""
        mask = self._spans[qid]
        x, y = self.x[mask], self.y[mask]
        scores = scorer.sentence_scores(x, kind)
        best = int(np.argmax(scores))
        inputs = scorer.confidence_inputs_of([_Row(row) for row in x], scores)
        return [inputs[name] for name in CONFIDENCE_INPUTS], int(y[best]), bool(self.answerable[mask][0])


@dataclass
class _Row:
    features: np.ndarray


def _filters(bot: ReportQA, example: Example) -> dict[str, list[str]] | None:
    if example.filters_docs == "all":
        return None
    doc_id = next(d.doc_id for d in bot.documents if d.source == example.doc)
    if example.filters_docs == "only":
        return {"doc_id": [doc_id]}
    return {"doc_id": [d.doc_id for d in bot.documents if d.doc_id != doc_id]}


def collect(bot: ReportQA, examples: Iterable[Example]) -> Rows:
    """Features and labels of the candidates of every example (questions without candidates skipped)."""
    source_of = {d.doc_id: d.source for d in bot.documents}
    qids, xs, ys, answerable = [], [], [], []
    for n, example in enumerate(examples, start=1):
        retrieved = bot.retrieve(example.question, k=K, filters=_filters(bot, example))
        answers = [normalize(a) for a in example.answers]
        for candidate in retrieved.candidates:
            passage = retrieved.passages[candidate.passage]
            label = False
            if example.answerable and source_of[passage.doc_id] == example.doc:
                if example.span is not None:
                    start, end = passage.start + candidate.span[0], passage.start + candidate.span[1]
                    label = start <= example.span[0] < end
                else:
                    label = any(a and a in normalize(candidate.text) for a in answers)
            qids.append(example.qid)
            xs.append(candidate.features)
            ys.append(label)
            answerable.append(example.answerable)
        if n % 500 == 0:
            print(f"  {n} questions", file=sys.stderr, flush=True)
    return Rows(np.array(qids), np.array(xs, dtype=np.float32), np.array(ys), np.array(answerable))
