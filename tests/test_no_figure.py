"""A question asking how much or how many (or when), answered only uncertainly by a sentence that
gives no figure (or time) at all, is refused with that reason (qa.pipeline.asked.gives_none_asked):
"今年退休人员基本养老金上调几个百分点？" had been shown 继续提高退休人员基本养老金标准。 as 可能相关,
"深港通具体哪天开通？" 适时启动“深港通”。 (found among the training written questions the reports do not
answer)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa.apps.messages import not_found_reason
from qa.index.catalog import Catalog
from qa.pipeline.answering import NOT_LIKELY, Decision, decide, none_asked
from qa.pipeline.asked import gives_none_asked
from qa.pipeline.query import analyze
from qa.pipeline.scorer import Scored
from qa.schema import DocumentInfo, Passage
from qa.text.normalize import normalize
from tests.conftest import bot_of

# Sentences written for these tests in the manner of a report's plans.
PENSION = "继续提高退休人员基本养老金标准。"


@pytest.mark.parametrize(
    ("question", "sentence", "missing"),
    [
        ("今年退休人员基本养老金上调几个百分点？", PENSION, "figure"),
        ("今年各地最低工资标准要上调多少？", "合理调整最低工资标准。", "figure"),
        ("By what percentage will pensions rise this year?", PENSION, "figure"),
        ("How much is the pension rise this year?", PENSION, "figure"),
        # Any figure answers it: digits, Chinese numerals, a multiple or share in words.
        ("今年退休人员基本养老金上调几个百分点？", "退休人员基本养老金上调2%。", None),
        ("去年钢产量多少？", "钢产量达到二千三百万吨。", None),
        ("居民收入要增长多少？", "城乡居民收入比2010年翻一番。", None),
        ("参保率提高了多少？", "参保人数增加了两成。", None),
        # Found by a reviewer: amounts in words (一天, 半个月, 数千亩, 零发生, 免费).
        ("营业执照几天能拿到？", "材料齐全的，一天内发放营业执照。", None),
        ("补领要几天？", "半个月内补领。", None),
        ("种了多少亩？", "种植茶园数千亩。", None),
        ("去年发生了多少起重大安全事故？", "全年重大安全事故零发生。", None),
        ("办证要多少钱？", "免费办理。", None),
        # Found by a second reviewer: words of time and of a unit are no amount (过去一年, 下半年, 一季度
        # of the question itself, 万元地区生产总值).
        ("去年GDP增长多少？", "过去一年，我们坚持稳中求进，经济运行总体平稳。", "figure"),
        ("今年GDP增长多少？", "下半年经济将持续回升。", "figure"),
        ("一季度GDP增长多少？", "一季度经济运行开局良好。", "figure"),
        ("单位GDP能耗下降多少？", "万元地区生产总值能耗持续下降。", "figure"),
        # Nor is 几乎 or 多大程度 a figure asked, nor 能否 a question of its own.
        ("为什么说几乎所有行政村都通了公路？", "所有行政村都通了公路。", None),
        ("今年养老金能否上调？上调多少？", PENSION, None),
        ("底座上刻了多少个字？", "承盘底部刻有铭文二十二字。", None),
        ("一户最多能养几只狗？", "每户限养一只犬。", None),
        # A figure the question writes itself is none it asks for.
        ("那2.9万所乡镇卫生院每所有多少张床位？", "全面完成2.9万所乡镇卫生院建设任务。", "figure"),
        # A yes/no question, or one asking two figures, may be answered without one.
        ("今年养老金会提高吗？提高多少？", PENSION, None),
        ("Will pensions rise this year, and by how much?", PENSION, None),
        ("去年养老金涨了多少？今年涨多少？", PENSION, None),
        # Not a figure asked: a way, a list.
        ("养老金怎么调整？", PENSION, None),
        ("今年要做好哪几项工作？", PENSION, None),
        # When asked: a sentence with no time gives none; a date, a year, 明年 or 年底 gives one.
        ("深港通具体哪天开通？", "适时启动“深港通”。", "date"),
        ("When will the new line open?", "适时启动“深港通”。", "date"),
        ("深港通具体哪天开通？", "“深港通”将于12月5日开通。", None),
        ("农业税什么时候能全部免掉？", "明年将在全国全部免征农业税。", None),
        ("新馆什么时候开放？", "新馆年底前对外开放。", None),
        ("新馆什么时候开放？", "新馆已经对外开放。", None),
        ("深港通什么时候开通？", "深港通将于下半年开通。", None),
        ("这座寺什么时候建的？", "始建于唐代。", None),
        ("办法什么时候施行？", "本办法自发布之日起施行。", None),
        # No time: a period, a name holding 汉代, 以来 or 之前 (a second reviewer).
        ("新馆什么时候开放？", "进入新时期，发展更好。", "date"),
        ("大桥什么时候通车？", "武汉代表团建议加快大桥建设。", "date"),
        ("地铁什么时候开通？", "长期以来，群众盼望开通地铁。", "date"),
        ("深港通会不会在年内开通？什么时候？", "适时启动“深港通”。", None),
    ],
)
def test_a_figure_or_time_asked_of_a_sentence_without_any(
    question: str, sentence: str, missing: str | None
) -> None:
    assert gives_none_asked(analyze(question), normalize(sentence)) == missing


def test_the_reason_says_no_figure_or_time_is_given() -> None:
    reason = none_asked(analyze("今年养老金上调几个点？"), PENSION)
    assert reason == "the sentence found gives no figure"
    assert not_found_reason({"not_found_because": reason}) == "找到的句子没有给出数字。"
    when = none_asked(analyze("深港通具体哪天开通？"), "适时启动“深港通”。")
    assert not_found_reason({"not_found_because": when}) == "找到的句子没有给出时间。"


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
    # Found by a reviewer: one refused by its score keeps that reason (a missing report's had been hidden).
    refused = _decided("今年养老金上调几个点？", "not_found")
    assert refused.not_found_because == NOT_LIKELY


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
