"""A place or facility the question names that its document never names is a fact the reply shows
(qa.pipeline.names): "县城南环路什么时候通车？" of a report that builds 东环路 had been answered with
东环路's "2025年6月建成通车" at 0.95 (found by a helper asking about its own town reports)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa.apps.messages import not_found_reason
from qa.index.catalog import Catalog
from qa.pipeline.answering import decide
from qa.pipeline.names import unnamed_reason, unnamed_things
from qa.pipeline.query import analyze
from qa.pipeline.scorer import Scored
from qa.schema import DocumentInfo, Passage
from qa.text.normalize import normalize

REPORT = (
    "建设县城东环路，全长6.5公里，2025年6月建成通车。新建第二人民医院，床位300张。"
    "实施下坪村至河口村道路改造工程。新建桃溪镇第二幼儿园，新增学位180个。加快农村公路建设。"
)


@pytest.mark.parametrize(
    ("question", "unnamed"),
    [
        ("县城南环路什么时候通车？", ["南环路"]),
        ("县城东环路什么时候通车？", []),
        ("中坪村有什么项目？", ["中坪村"]),
        ("下坪村有什么项目？", []),
        ("第三幼儿园有多少学位？", ["第三幼儿园"]),  # the ordinal alone is no name: 第二 is there
        ("第二幼儿园有多少学位？", []),
        ("镇里今年修哪条路？", []),  # no name: a question word
        ("今年农村公路修多少公里？", []),  # 农村 is the report's own word
        ("我们村有没有项目？", []),
        ("夏天景区几点开门？", []),  # two words side by side are no name
    ],
)
def test_a_name_the_document_never_names(question: str, unnamed: list[str]) -> None:
    assert unnamed_things(normalize(question), REPORT) == unnamed


def test_the_reason_names_what_the_report_does_not_mention() -> None:
    reason = unnamed_reason(normalize("县城南环路什么时候通车？"), REPORT)
    assert reason == "the document never names 南环路"
    assert not_found_reason({"not_found_because": reason}) == "报告里没有提到南环路。"
    assert unnamed_reason(normalize("东环路什么时候通车？"), REPORT) is None
    # A name another document of the library holds is no name the library lacks.
    assert unnamed_reason(normalize("县城南环路什么时候通车？"), REPORT, ["南环路通车了。"]) is None


def test_a_confident_answer_about_another_road_is_refused_with_the_reason() -> None:
    text = "建设县城东环路，全长6.5公里，2025年6月建成通车。"
    quoted = Passage("d", "梅江县政府工作报告", ["二、"], "plan", 0, len(text), text)
    retrieved = SimpleNamespace(
        query=analyze("县城南环路什么时候通车？"),
        passages=[quoted],
        candidates=[SimpleNamespace(passage=0, text=text)],
    )
    data = SimpleNamespace(
        catalog=Catalog([DocumentInfo("d", "梅江县政府工作报告", "d.txt")]), texts={"d": REPORT}
    )
    sure = SimpleNamespace(score=lambda candidates, kind, calibrated: Scored(0, 0.95, "answer"))
    decision = decide(retrieved, data, sure)  # type: ignore[arg-type]
    assert decision.scored is not None and decision.scored.outcome == "not_found"
    assert decision.not_found_because == "the document never names 南环路"


def test_an_ordinal_before_a_named_kind_names_one_of_several() -> None:
    # Found by a helper: 江州市第一人民医院挂号费多少？ had been answered from the 第二人民医院's fee list.
    fees = "江州市第二人民医院收费公示\n挂号不另收费。"
    assert unnamed_things("江州市第一人民医院挂号费多少？", fees) == ["第一人民医院"]
    assert unnamed_things("江州市第二人民医院挂号费多少？", fees) == []
