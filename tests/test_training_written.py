"""The written training questions (training/data/written_questions.jsonl) stay apart from every
question set and point at text their reports really hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.examples import TRAIN_REPORTS, WRITTEN_QUESTIONS, written_examples

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "gov_reports"
SETS = Path(__file__).resolve().parent / "data"


def test_written_questions_are_on_training_reports_only() -> None:
    examples = list(written_examples())
    assert len({e.qid for e in examples}) == len(examples) >= 300
    assert {e.doc for e in examples} <= {f"{name}.txt" for name in TRAIN_REPORTS}
    assert all(e.filters_docs == "only" and e.answerable == bool(e.answers) for e in examples)
    assert any(not e.answerable for e in examples)


def test_no_written_question_is_in_a_question_set() -> None:
    written = {e.question for e in written_examples()}
    for path in SETS.glob("*.jsonl"):
        asked = {json.loads(line).get("question") for line in path.read_text(encoding="utf-8").splitlines()}
        assert not written & asked, path.name


@pytest.mark.skipif(not REPORTS.is_dir(), reason="needs ../shared/datasets/gov_reports")
def test_gold_strings_are_verbatim_in_their_report() -> None:
    texts: dict[str, str] = {}
    for line in WRITTEN_QUESTIONS.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        text = texts.setdefault(item["report"], (REPORTS / item["report"]).read_text(encoding="utf-8"))
        assert all(answer in text for answer in item["answers"]), item["id"]
