"""A question asking how much or how many, answered only uncertainly by a sentence that gives no
figure at all, is refused with that reason (qa.pipeline.asked.gives_no_figure): "今年退休人员基本养老金
上调几个百分点？" had been shown 继续提高退休人员基本养老金标准。 as 可能相关 (found among the training
written questions the reports do not answer)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa.apps.messages import not_found_reason
from qa.index.catalog import Catalog
from qa.pipeline.answering import Decision, decide, without_figure
from qa.pipeline.asked import gives_no_figure
from qa.pipeline.query import analyze
from qa.pipeline.scorer import Scored
from qa.schema import DocumentInfo, Passage
from qa.text.normalize import normalize
from tests.conftest import bot_of

# Sentences written for these tests in the manner of a report's plans.
PENSION = "继续提高退休人员基本养老金标准。"


@pytest.mark.parametrize(
    ("question", "sentence", "refused"),
    [
        ("今年退休人员基本养老金上调几个百分点？", PENSION, True),
        ("今年各地最低工资标准要上调多少？", "合理调整最低工资标准。", True),
        ("By what percentage will pensions rise this year?", PENSION, True),
        ("How much is the pension rise this year?", PENSION, True),
        # Any figure answers it: digits, Chinese numerals, a multiple or share in words.
        ("今年退休人员基本养老金上调几个百分点？", "退休人员基本养老金上调2%。", False),
        ("去年钢产量多少？", "钢产量达到二千三百万吨。", False),
        ("居民收入要增长多少？", "城乡居民收入比2010年翻一番。", False),
        ("参保率提高了多少？", "参保人数增加了两成。", False),
        # A figure the question writes itself is none it asks for.
        ("那2.9万所乡镇卫生院每所有多少张床位？", "全面完成2.9万所乡镇卫生院建设任务。", True),
        # A yes/no question, or one asking two figures, may be answered without one.
        ("今年养老金会提高吗？提高多少？", PENSION, False),
        ("Will pensions rise this year, and by how much?", PENSION, False),
        ("去年养老金涨了多少？今年涨多少？", PENSION, False),
        # Not a figure asked: a way, a list.
        ("养老金怎么调整？", PENSION, False),
        ("今年要做好哪几项工作？", PENSION, False),
    ],
)
def test_a_figure_asked_of_a_sentence_without_any(question: str, sentence: str, refused: bool) -> None:
    assert gives_no_figure(analyze(question), normalize(sentence)) is refused


def test_the_reason_says_no_figure_is_given() -> None:
    reason = without_figure(analyze("今年养老金上调几个点？"), PENSION)
    assert reason == "the sentence found gives no figure"
    assert not_found_reason({"not_found_because": reason}) == "找到的句子没有给出数字。"


def _decided(question: str, outcome: str) -> Decision:
    quoted = Passage("d", "青山县2026年政府工作报告", ["二、"], "plan", 0, len(PENSION), PENSION)
    retrieved = SimpleNamespace(
        query=analyze(question), passages=[quoted], candidates=[SimpleNamespace(passage=0, text=PENSION)]
    )
    data = SimpleNamespace(
        catalog=Catalog([DocumentInfo("d", "青山县2026年政府工作报告", "d.txt")]), texts={"d": PENSION}
    )
    confidence = 0.9 if outcome == "answer" else 0.3
    scorer = SimpleNamespace(score=lambda candidates, kind, calibrated: Scored(0, confidence, outcome))
    return decide(retrieved, data, scorer)  # type: ignore[arg-type]


def test_only_an_uncertain_answer_is_refused_for_it() -> None:
    # The scorer unsure (可能相关): the fact decides. Sure: the sentence stands (a target may be a
    # figure-less one, 居民收入增长和经济增长同步).
    uncertain = _decided("今年养老金上调几个点？", "uncertain")
    assert uncertain.scored is not None and uncertain.scored.outcome == "not_found"
    assert uncertain.not_found_because == "the sentence found gives no figure"
    sure = _decided("今年养老金上调几个点？", "answer")
    assert sure.scored is not None and sure.scored.outcome == "answer" and sure.not_found_because is None


def test_a_report_refuses_a_figure_it_does_not_give(tmp_path, real_embedder) -> None:
    text = (
        "青山县2026年政府工作报告\n一、2025年工作回顾\n"
        "2025年，全县地区生产总值386亿元、增长5.5%，城镇新增就业1.2万人。全年新建农村公路120公里，改造老旧小区35个。\n"
        "二、2026年主要工作\n"
        "今年，全县地区生产总值预期增长5%左右。继续提高城乡居民基础养老金标准，合理调整最低工资标准。"
        "新建幼儿园3所，改造农村危房200户。加快县城供水管网改造，推进污水处理厂提标改造。\n"
    )
    bot = bot_of(tmp_path, text, "qingshan.txt", real_embedder)
    refused = bot.ask("今年养老金上调几个点？")
    assert not refused.found and not_found_reason(refused.reason) == "找到的句子没有给出数字。"
    assert "3所" in (bot.ask("今年新建几所幼儿园？").answer or "")
