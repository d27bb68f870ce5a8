"""Topic questions for training the scorer (training/topics.py), on real reports no question set uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.text.normalize import normalize
from training.examples import TRAIN_REPORTS
from training.topics import TOPIC_TEMPLATES, topic_examples

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "gov_reports"
NAMES = TRAIN_REPORTS[:4]


def _term(question: str) -> str:
    """The term a topic question asks about."""
    for templates in TOPIC_TEMPLATES.values():
        for template in templates:
            head, tail = template.split("{t}")
            match = re.fullmatch(re.escape(head) + "(.+)" + re.escape(tail), question)
            if match:
                return match.group(1)
    raise AssertionError(f"no template makes {question!r}")


@pytest.mark.skipif(not REPORTS.is_dir(), reason="needs ../shared/datasets/gov_reports")
def test_topic_questions_point_at_their_sentence_and_their_twins_at_reports_without_the_term() -> None:
    texts = {name: (REPORTS / f"{name}.txt").read_text(encoding="utf-8") for name in NAMES}
    sources = {name: f"{name}.txt" for name in NAMES}
    examples = list(topic_examples(texts, sources, per_report=6))
    answerable = [e for e in examples if e.answerable]
    assert len(answerable) == 6 * len(NAMES)
    assert len({e.qid for e in examples}) == len(examples)
    for example in answerable:
        term = _term(example.question)
        text = texts[example.doc.removesuffix(".txt")]
        assert example.span is not None and term in normalize(text[example.span[0] : example.span[1]])
        assert normalize(text).count(term) == 1  # its sentence is the only one that names it
    for example in (e for e in examples if not e.answerable):
        term = _term(example.question)
        assert example.span is None and example.filters_docs == "only"
        assert term not in normalize(texts[example.doc.removesuffix(".txt")])
    assert examples == list(topic_examples(texts, sources, per_report=6))  # seeded: the same every run
