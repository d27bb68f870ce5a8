"""Integrity of the hand-made development question set tests/data/dev_zimao.jsonl.

Checks the data, not the bot: every answer is a verbatim substring of the bundled report,
ids are unique, fields and kinds are valid, and review/plan pairs come in twos.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT / "tests" / "data" / "dev_zimao.jsonl"
BUNDLED = ROOT / "qa" / "data" / "zimao_2022.txt"
SEED = ROOT.parent / "shared" / "seed" / "000_288c1e282cea0f90.txt"

KINDS = {"figure", "name", "plan", "paraphrase", "keyword", "english", "date", "yesno"}
PERIODS = {"review", "plan", "other", None}
REQUIRED = {"id", "question", "answers", "period", "kind", "answerable"}


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


def _report_text() -> str:
    src = BUNDLED if BUNDLED.exists() else SEED
    if not src.exists():
        pytest.skip("neither qa/data/zimao_2022.txt nor the shared seed report is available")
    raw = src.read_text(encoding="utf-8")
    # The web copy indents its lines; answers never span a line break, so strip each line.
    return "\n".join(line.strip() for line in raw.splitlines())


ITEMS = _load_items()


def test_required_fields_and_types():
    for it in ITEMS:
        missing = REQUIRED - it.keys()
        assert not missing, f"{it.get('id')}: missing {sorted(missing)}"
        assert isinstance(it["id"], str) and it["id"]
        assert isinstance(it["question"], str) and it["question"].strip(), it["id"]
        assert isinstance(it["answers"], list), it["id"]
        assert all(isinstance(a, str) for a in it["answers"]), it["id"]
        assert isinstance(it["answerable"], bool), it["id"]
        assert it["period"] in PERIODS, f"{it['id']}: period {it['period']!r}"
        assert it["kind"] in KINDS, f"{it['id']}: kind {it['kind']!r}"


def test_ids_and_questions_unique():
    ids = [it["id"] for it in ITEMS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    qs = [it["question"] for it in ITEMS]
    assert len(qs) == len(set(qs)), sorted({q for q in qs if qs.count(q) > 1})


def test_answerable_items_have_answers_and_unanswerable_have_none():
    for it in ITEMS:
        if it["answerable"]:
            assert it["answers"], f"{it['id']}: answerable but no answers"
        else:
            assert it["answers"] == [], f"{it['id']}: unanswerable but has answers"


def test_counts():
    assert len(ITEMS) >= 80
    assert sum(it["answerable"] for it in ITEMS) >= 50
    assert sum(not it["answerable"] for it in ITEMS) >= 15


def test_answers_are_verbatim_substrings_of_the_report():
    text = _report_text()
    for it in ITEMS:
        for a in it["answers"]:
            assert 4 <= len(a) <= 30, f"{it['id']}: answer length {len(a)}: {a!r}"
            assert "\n" not in a, f"{it['id']}: answer spans a line break: {a!r}"
            assert a in text, f"{it['id']}: answer not in the report: {a!r}"


def test_pairs_come_in_twos_one_review_one_plan():
    pairs: dict[str, list[dict]] = defaultdict(list)
    for it in ITEMS:
        if "pair" in it:
            pairs[it["pair"]].append(it)
    assert len(pairs) >= 5, f"only {len(pairs)} review/plan pairs"
    for tag, members in pairs.items():
        assert len(members) == 2, f"pair {tag!r} has {len(members)} items"
        assert sorted(m["period"] for m in members) == ["plan", "review"], f"pair {tag!r}"
        assert all(m["answerable"] for m in members), f"pair {tag!r} has an unanswerable item"
