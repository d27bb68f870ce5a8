"""The embedding adapter's training pairs (training/embedder_adapter.py) stay apart from every
question set, and its folds are the scorer's."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from training.embedder_adapter import fold_documents, training_pairs

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
SETS = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.skipif(not (SHARED / "cmrc2018").is_dir(), reason="needs ../shared/datasets")


def _trial_questions() -> set[str]:
    lines = (SHARED / "cmrc2018" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return {item["text"] for item in map(json.loads, lines) if item["split"] == "trial"}


def test_no_pair_is_a_measured_question() -> None:
    asked = _trial_questions()
    for path in SETS.glob("*.jsonl"):
        asked |= {json.loads(line).get("question") for line in path.read_text(encoding="utf-8").splitlines()}
    pairs = training_pairs(random.Random(0))
    assert len(pairs) > 3000
    assert not {question for question, _, _ in pairs} & asked
    assert all(sentence != negative for _, sentence, negative in pairs)


def test_folds_split_the_documents_and_a_fold_is_left_out() -> None:
    first, second = fold_documents(0), fold_documents(1)
    assert first and second and not first & second
    everything = {q for q, _, _ in training_pairs(random.Random(0))}
    without_first = {q for q, _, _ in training_pairs(random.Random(0), first)}
    without_second = {q for q, _, _ in training_pairs(random.Random(0), second)}
    assert without_first | without_second == everything
    assert 0.3 < len(without_first) / len(everything) < 0.7
    assert len(without_first & without_second) < 0.01 * len(everything)  # the same words, two documents
