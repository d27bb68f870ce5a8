"""Figures over several years are no answer to a question about one year (qa.text.several_years)."""

from __future__ import annotations

import pytest

from qa.apps.messages import not_found_reason
from qa.pipeline.answering import over_several_years
from qa.pipeline.query import analyze
from qa.text.several_years import asks_several_years, several_years_word
from tests.conftest import bot_of

# Sentences written for these tests in the manner of a report's five-year review and plan.
FIVE_YEAR_TOTAL = "五年来，全县城镇新增就业累计达到12.6万人，实际利用外资增长两倍。"
AVERAGE = "城乡居民人均可支配收入年均增长6.1%，保持较快增长。"
PLAN_GOALS = "“十五五”时期，单位地区生产总值能耗降低10%左右、森林覆盖率达到46%。"


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        (FIVE_YEAR_TOTAL, "五年来"),  # opening the sentence: every figure of it
        (AVERAGE, "年均"),
        (PLAN_GOALS, "“十五五”时期"),  # a list under it, 、 between its items
        ("今后五年，全县新建学校12所，新增学位1.2万个。", "今后五年"),
        ("这五年，全县城镇新增就业12.6万人。", "这五年"),
        ("五年内财政将投入8亿元，改造乡镇卫生院。", "五年内"),  # 年内 here is no one year's
        # A figure outside the words' clauses, a year named, or no figure: not read.
        ("全县地区生产总值达到386亿元，年均增长6.2%。", None),
        ("2025年，全县地区生产总值386亿元，年均增长6.2%。", None),
        ("今年要淘汰落后产能120万吨，确保“十四五”任务完成。", None),
        ("全年城镇新增就业2.1万人，累计培训4000人次。", None),
        ("五年来，我们始终坚持以人民为中心。", None),
        ("粮食连续五年增产，总产量达到82万吨。", None),
        # Found by a reviewer: a year's mean, a total within a year and a level reached are one year's.
        ("细颗粒物年均浓度降至27微克/立方米。", None),
        ("前三季度累计增长5%。", None),
        ("新建绿道137公里、累计达到2136公里。", None),
    ],
)
def test_the_words_putting_every_figure_over_several_years(sentence: str, word: str | None) -> None:
    assert several_years_word(sentence) == word


@pytest.mark.parametrize(
    ("question", "several"),
    [
        ("去年城镇新增就业多少人？", False),
        ("今年森林覆盖率要达到多少？", False),
        ("过去五年城镇新增就业多少人？", True),
        ("“十四五”期间收入年均增长多少？", True),
        ("What was the average growth since 2021?", True),
        ("How many jobs were created last year?", False),
    ],
)
def test_a_question_asking_about_several_years(question: str, several: bool) -> None:
    assert asks_several_years(analyze(question).normalized) is several


def test_a_one_year_question_answered_with_a_five_year_figure_is_refused_with_the_reason() -> None:
    reason = over_several_years(analyze("去年城镇新增就业多少人？"), FIVE_YEAR_TOTAL)
    assert reason == "the sentence found gives figures of 五年来, not of one year"
    assert not_found_reason({"not_found_because": reason}) == "找到的句子给出的是五年来的数字，不是一年的。"
    assert over_several_years(analyze("2025年居民收入增长了多少？"), AVERAGE) is not None
    assert over_several_years(analyze("What is this year's forest coverage target?"), PLAN_GOALS) is not None
    # A question naming no year, or asking about the years themselves, is answered by it.
    assert over_several_years(analyze("城镇新增就业多少人？"), FIVE_YEAR_TOTAL) is None
    assert over_several_years(analyze("过去五年城镇新增就业多少人？"), FIVE_YEAR_TOTAL) is None
    assert over_several_years(analyze("近几年居民收入年均增长多少？"), AVERAGE) is None
    # Found by a reviewer: two years named are a span, not one year.
    for span in ("2021年到2025年城镇新增就业多少人？", "2021-2025年城镇新增就业多少人？"):
        assert over_several_years(analyze(span), FIVE_YEAR_TOTAL) is None, span


def test_a_report_refuses_last_years_figure_it_gives_only_over_five_years(tmp_path, real_embedder) -> None:
    text = (
        "青山县2026年政府工作报告\n一、过去五年工作回顾\n"
        "五年来，全县城镇新增就业累计达到12.6万人，城乡居民人均可支配收入年均增长6.1%。\n"
        "二、2025年工作回顾\n2025年，全县地区生产总值达到386亿元，增长5.2%。"
        "全年新建农村公路120公里，改造老旧小区35个。\n"
    )
    bot = bot_of(tmp_path, text, "qingshan.txt", real_embedder)
    refused = bot.ask("去年全县城镇新增就业多少人？")
    assert not refused.found and "12.6万人" not in (refused.answer or "")
    assert "12.6万人" in (bot.ask("过去五年全县城镇新增就业多少人？").answer or "")
    assert "386亿元" in (bot.ask("去年全县地区生产总值多少？").answer or "")


def test_the_clause_naming_what_is_asked_may_give_an_average_beside_a_figure_of_its_own() -> None:
    # Found by a helper: 去年江苏城镇居民人均可支配收入增长多少？ had quoted 年均增长6% at 0.86, the sentence
    # holding a figure of another clause (城镇新增就业超690万人).
    sentence = "人均可支配收入年均增长6%，城镇新增就业超690万人、稳定在全国1/10以上。"
    refused = over_several_years(analyze("去年城镇居民人均可支配收入增长多少？"), sentence)
    assert refused == "the sentence found gives figures of 年均增长, not of one year"
    # Found by a reviewer: a year's mean (年均气温) is one year's, and an amount asked may follow the
    # average in the next clause (…年均增长6.5%，达到5000亿元).
    assert over_several_years(analyze("去年平均气温多少度？"), "全市年均气温17.8℃，较常年偏高0.6℃。") is None
    amount = "地区生产总值年均增长6.5%，达到5000亿元。"
    assert over_several_years(analyze("去年地区生产总值是多少？"), amount) is None
    assert over_several_years(analyze("去年城镇新增就业多少人？"), sentence) is None  # its own clause
    named = "2025年人均可支配收入年均增长6%。"  # a year named: left to the scorer
    assert over_several_years(analyze("2025年人均可支配收入增长多少？"), named) is None
