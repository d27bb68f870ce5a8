"""The background term counts the answer scorer's weights are measured against (no model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import ReportQA
from qa.ingest.loader import bundled_report_path
from qa.pipeline.background import Background, load_background
from qa.pipeline.features import FEATURES

COVERAGE = [n for n in FEATURES if "coverage" in n]


def test_a_word_the_report_lacks_still_weighs_what_it_weighs_in_reports() -> None:
    background = Background({"地铁": 40, "工作": 3000}, 5000)
    idf = background.idf({"地铁": 0, "工作": 30, "鬣蜥": 0}, 100)
    assert idf["地铁"] > idf["工作"] > 0  # absent from the report, yet it counts
    assert idf["鬣蜥"] == 0  # in neither: a stray character pair, no weight


def test_the_shipped_background_comes_from_reports_no_question_set_asks_about() -> None:
    background = load_background()
    assert background.passages > 1000 and len(background.frequency) > 10_000
    assert min(background.frequency.values()) >= 2
    assert background.frequency["国内"] > background.frequency.get("消防", 0) > 0


@pytest.mark.parametrize("question", ["去年财政总收入是多少？", "今年要建消防站吗？", "地铁一共有多长？"])
def test_a_reports_features_are_the_same_alone_and_in_a_library(
    tmp_path: Path, hash_embedder, question
) -> None:
    other = tmp_path / "other.txt"
    other.write_text(
        "某市2023年政府工作报告\n一、工作回顾\n地铁通车里程达到120公里，消防站新建5座。\n", encoding="utf-8"
    )
    alone = ReportQA.from_paths([bundled_report_path()], tmp_path / "alone", embedder=hash_embedder)
    library = ReportQA.from_paths([bundled_report_path(), other], tmp_path / "lib", embedder=hash_embedder)
    town = next(d.doc_id for d in library.documents if d.source.endswith(bundled_report_path().name))
    one, many = alone.retrieve(question), library.retrieve(question, filters={"doc_id": [town]})
    first = {c.text: c.features for c in one.candidates}
    shared = [c for c in many.candidates if c.text in first]
    assert shared
    for candidate in shared:
        for name in COVERAGE:
            i = FEATURES.index(name)
            assert candidate.features[i] == pytest.approx(first[candidate.text][i]), (name, candidate.text)
