"""Integrity of the second development question set, tests/data/dev_gov.jsonl.

The set asks about three real reports from the shared data set (2024 national, 2026 Fujian and
2019 national). It checks the data, not the bot. Every answer is a verbatim substring of the
report named in ``doc``. Ids are unique, fields and kinds are valid, there are enough answerable
and unanswerable items, and review/plan pairs come in twos.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"  # the same place tests/conftest.py uses
GOV_REPORTS = SHARED / "datasets" / "gov_reports"
DEV_SET = ROOT / "tests" / "data" / "dev_gov.jsonl"

if not GOV_REPORTS.is_dir():
    pytest.skip(
        f"the shared gov_reports data set is not available at {GOV_REPORTS}; "
        "dev_gov.jsonl can only be checked against those report texts",
        allow_module_level=True,
    )

DOCS = ("2024_national.txt", "2026_province_fujian.txt", "2019_national.txt")
KINDS = {"figure", "name", "plan", "paraphrase", "keyword", "english", "date", "yesno"}
PERIODS = {"review", "plan", "other", None}
REQUIRED = {"id", "question", "answers", "doc", "period", "kind", "answerable"}


def _load_items() -> list[dict]:
    items = []
    with DEV_SET.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    items.append(json.loads(line))
                except json.JSONDecodeError as e:  # pragma: no cover - reported as a failure
                    pytest.fail(f"{DEV_SET.name} line {n}: not JSON ({e})")
    return items


ITEMS = _load_items()


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    missing = [d for d in DOCS if not (GOV_REPORTS / d).exists()]
    if missing:
        pytest.skip(f"report files missing from {GOV_REPORTS}: {missing}")
    return {d: (GOV_REPORTS / d).read_text(encoding="utf-8") for d in DOCS}


def test_required_fields_and_types():
    for it in ITEMS:
        missing = REQUIRED - it.keys()
        assert not missing, f"{it.get('id')}: missing {sorted(missing)}"
        assert isinstance(it["id"], str) and re.fullmatch(r"g\d{3}", it["id"]), it["id"]
        assert isinstance(it["question"], str) and it["question"].strip(), it["id"]
        assert isinstance(it["answers"], list), it["id"]
        assert all(isinstance(a, str) for a in it["answers"]), it["id"]
        assert isinstance(it["answerable"], bool), it["id"]
        assert it["doc"] in DOCS, f"{it['id']}: doc {it['doc']!r}"
        assert it["period"] in PERIODS, f"{it['id']}: period {it['period']!r}"
        assert it["kind"] in KINDS, f"{it['id']}: kind {it['kind']!r}"
        if "pair" in it:
            assert isinstance(it["pair"], str) and it["pair"], it["id"]


def test_ids_and_questions_unique():
    ids = [it["id"] for it in ITEMS]
    assert len(ids) == len(set(ids)), sorted(i for i, c in Counter(ids).items() if c > 1)
    qs = [it["question"] for it in ITEMS]
    assert len(qs) == len(set(qs)), sorted(q for q, c in Counter(qs).items() if c > 1)


def test_answerable_items_have_answers_and_unanswerable_have_none():
    for it in ITEMS:
        if it["answerable"]:
            assert it["answers"], f"{it['id']}: answerable but no answers"
        else:
            assert it["answers"] == [], f"{it['id']}: unanswerable but has answers"


def test_counts():
    assert len(ITEMS) >= 90
    assert sum(it["answerable"] for it in ITEMS) >= 75
    assert sum(not it["answerable"] for it in ITEMS) >= 15
    per_doc = Counter(it["doc"] for it in ITEMS)
    for doc in DOCS:
        assert per_doc[doc] >= 25, f"{doc}: only {per_doc[doc]} questions"


def test_answers_are_verbatim_and_unique_in_their_report(texts):
    for it in ITEMS:
        text = texts[it["doc"]]
        for a in it["answers"]:
            assert 4 <= len(a) <= 30, f"{it['id']}: answer length {len(a)}: {a!r}"
            assert "\n" not in a, f"{it['id']}: answer spans a line break: {a!r}"
            n = text.count(a)
            assert n >= 1, f"{it['id']}: answer not in {it['doc']}: {a!r}"
            assert n == 1, f"{it['id']}: answer occurs {n} times in {it['doc']}: {a!r}"


def test_multi_string_answers_come_from_one_sentence(texts):
    for it in ITEMS:
        if len(it["answers"]) < 2:
            continue
        sentences = [s for line in texts[it["doc"]].splitlines() for s in re.split(r"(?<=[。！？])", line)]
        assert any(all(a in s for a in it["answers"]) for s in sentences), (
            f"{it['id']}: answers are not all in one sentence of {it['doc']}"
        )


def test_pairs_come_in_twos_one_review_one_plan():
    pairs: dict[str, list[dict]] = defaultdict(list)
    for it in ITEMS:
        if "pair" in it:
            pairs[it["pair"]].append(it)
    for tag, members in pairs.items():
        assert len(members) == 2, f"pair {tag!r} has {len(members)} items"
        assert sorted(m["period"] for m in members) == ["plan", "review"], f"pair {tag!r}"
        assert all(m["answerable"] for m in members), f"pair {tag!r} has an unanswerable item"
        assert members[0]["doc"] == members[1]["doc"], f"pair {tag!r} spans two reports"
    per_doc = Counter(members[0]["doc"] for members in pairs.values())
    for doc in DOCS:
        assert per_doc[doc] >= 2, f"{doc}: only {per_doc[doc]} review/plan pairs"
