"""A figure asked in a unit (多少亿元) is not answered by the asked thing's growth rate
(qa.pipeline.asked.figure_in_another_unit, refused with the clause as its reason), nor a deputy by
the post it is deputy to, exports by the total of trade (other_thing_told)."""

from __future__ import annotations

import pytest

from qa.apps.messages import not_found_reason
from qa.pipeline.answering import in_another_unit, other_thing
from qa.pipeline.asked import figure_in_another_unit, other_thing_told
from qa.pipeline.query import analyze
from qa.text.normalize import normalize
from tests.conftest import bot_of

# Sentences written for these tests in the manner of a report's review of the year.
RATES = "全县地区生产总值386亿元、增长5.5%，规上工业增加值增长9.4%，一般公共预算收入增长2.9%。"
AMOUNT_AFTER = "规上工业增加值增长9.4%，总量达到120亿元。"
INCOME = "城镇、农村常住居民人均可支配收入分别增长4.4%、5.9%。"


@pytest.mark.parametrize(
    ("question", "sentence", "found"),
    [
        ("去年规上工业增加值总量是多少亿元？", RATES, ("规上工业增加值增长9.4%", "亿元")),
        ("去年城镇居民人均可支配收入是多少元？", INCOME, (INCOME.rstrip("。"), "元")),
        (
            "What was the county's general public budget revenue in yuan?",
            RATES,
            ("一般公共预算收入增长2.9%", "元"),
        ),
        # The amount in the clause after (…增长9.4%，总量达到120亿元), or in the clause itself: answered.
        ("去年规上工业增加值总量是多少亿元？", AMOUNT_AFTER, None),
        ("去年全县地区生产总值是多少亿元？", RATES, None),
        # No unit asked, two figures asked (a two-part question), or no figure in the clause: not read.
        ("去年规上工业增加值增长多少？", RATES, None),
        ("去年规上工业增加值多少亿元？增长多少？", RATES, None),
        ("去年规上工业增加值是多少亿元？", "规上工业增加值稳步提升。", None),
        # Found by a reviewer: thousands grouped with commas, an amount whose unit is left to the reader.
        ("去年一般公共预算收入是多少万元？", "全年完成一般公共预算收入1,256,300万元，同比增长3.1%。", None),
        ("去年财政总收入是多少亿元？", "全年财政总收入1.6亿，比增8.8%。", None),
        ("去年城镇新增就业多少万人？", "城镇新增就业1244万，调查失业率5.1%。", None),
        ("去年粮食产量是多少亿元？", "粮食产量1.2亿斤，增长2%。", ("粮食产量1.2亿斤", "亿元")),
        # A total asked without its unit is left to the scorer.
        ("去年规上工业企业利润总额是多少？", "规上工业企业利润增长6%，营收增长3%。", None),
        # A sum of money asked: a count of people is none.
        ("育儿补贴每个孩子发多少钱？", "育儿补贴惠及124万名婴幼儿。", ("育儿补贴惠及124万名婴幼儿", "money")),
        ("育儿补贴每个孩子发多少钱？", "育儿补贴每孩每年3600元，惠及124万名婴幼儿。", None),
        # Found by a reviewer: a price in another currency, or none to pay, is a sum.
        ("成人门票多少钱？", "一、成人门票150港元，小童门票75港元。", None),
        ("70岁老人坐公交要多少钱？", "70周岁以上老年人乘坐公交车免费。", None),
    ],
)
def test_the_clause_naming_the_asked_thing_gives_no_figure_in_its_unit(
    question: str, sentence: str, found: tuple[str, str] | None
) -> None:
    assert figure_in_another_unit(analyze(question), normalize(sentence)) == found


def test_the_reason_quotes_the_clause() -> None:
    reason = in_another_unit(analyze("去年规上工业增加值总量是多少亿元？"), normalize(RATES))
    assert reason == "the sentence found gives “规上工业增加值增长9.4%”, not a figure in 亿元"
    assert (
        not_found_reason({"not_found_because": reason})
        == "找到的句子给的是“规上工业增加值增长9.4%”，没有以亿元计的数。"
    )
    money = in_another_unit(analyze("育儿补贴每个孩子发多少钱？"), "育儿补贴惠及124万名婴幼儿。")
    assert (
        not_found_reason({"not_found_because": money})
        == "找到的句子给的是“育儿补贴惠及124万名婴幼儿”，没有金额。"
    )


def test_a_clause_quoting_a_name_is_given_in_chinese() -> None:
    # Found by a helper: the reason had been shown in English (the clause's own quotation marks).
    reason = in_another_unit(analyze("云岭县茶叶产量多少吨？"), "“云岭毛尖”茶叶综合产值突破40亿元。")
    assert not_found_reason({"not_found_because": reason}) == (
        "找到的句子给的是““云岭毛尖”茶叶综合产值突破40亿元”，没有以吨计的数。"
    )


def test_a_report_refuses_an_amount_it_gives_only_as_a_growth_rate(tmp_path, real_embedder) -> None:
    text = (
        "青山县2026年政府工作报告\n一、2025年工作回顾\n"
        "2025年，全县地区生产总值386亿元、增长5.5%，规上工业增加值增长9.4%，一般公共预算收入增长2.9%。"
        "全年新建农村公路120公里，改造老旧小区35个。\n"
    )
    bot = bot_of(tmp_path, text, "qingshan.txt", real_embedder)
    refused = bot.ask("去年规上工业增加值总量是多少亿元？")
    assert not refused.found and "没有以亿元计的数" in not_found_reason(refused.reason)
    assert "386亿元" in (bot.ask("去年全县地区生产总值是多少亿元？").answer or "")
    assert "9.4%" in (bot.ask("去年规上工业增加值增长多少？").answer or "")


def test_a_deputy_or_a_measure_asked_is_not_the_one_quoted() -> None:
    # Found by a helper: "…领导小组副组长是谁？" had been answered with the 组长 at 0.97.
    leader = "成立由常务副市长周文涛任组长的市城市更新工作领导小组。"
    assert other_thing_told("领导小组副组长是谁？", leader) == ("组长", "副组长")
    assert other_thing_told("县委副书记是谁？", "县委书记：向东升；") == ("书记", "副书记")
    assert other_thing_told("副院长是谁？", "院长王建国，副院长李四。") is None  # the deputy is named
    assert other_thing_told("领导小组组长是谁？", leader) is None
    # Found by a reviewer: 农副产品 names no deputy, and 全市长期 no 市长.
    assert other_thing_told("农副产品增长了多少？", "全市农产品增长5%。") is None
    assert other_thing_told("副市长是谁？", "全市长期护理保险覆盖10万人。") is None
    assert other_thing_told("副市长是谁？", "全市长者食堂达到120家。") is None
    assert other_thing_told("指挥部副指挥长是谁？", "指挥长：王五。") == ("指挥长", "副指挥长")
    assert other_thing_told("副州长是谁？", "州长：张三。") == ("州长", "副州长")
    assert other_thing_told("进出口总额是多少？", "推进口岸建设，扩大开放。") is None  # a port
    # Found by a helper: exports asked of a total of trade, a nominal growth of a real one.
    trade = "全年进出口总额2.2万亿美元，其中出口1.2万亿美元。"
    assert other_thing_told("2009年进口总额是多少？", trade) == ("进出口", "进口")
    assert other_thing_told("2009年出口总额是多少？", trade) is None  # 出口 is given
    assert other_thing_told("湖南外贸进出口总额是多少？", "“新三样”出口增长88%。") == ("出口", "进出口")
    real = "城镇居民人均可支配收入实际增长9.8%。"
    assert other_thing_told("城镇居民人均可支配收入名义增长多少？", real) == ("实际增长", "名义增长")
    assert other_thing_told("城镇居民人均可支配收入增长多少？", real) is None
    surveyed = "城镇调查失业率5.5%左右。"
    assert other_thing_told("2021年城镇登记失业率目标是多少？", surveyed) == ("调查失业率", "登记失业率")
    assert other_thing_told("2021年失业率目标是多少？", surveyed) is None
    reason = other_thing(analyze("县人民医院的副院长是谁？"), "院长：王建国；")
    assert not_found_reason({"not_found_because": reason}) == "找到的句子说的是院长，不是副院长。"


def test_no_english_reason_reaches_the_page_even_quoting_chinese() -> None:
    # A reason of the pipeline that no pattern reads yet is shown as the generic Chinese one, not as
    # English with Chinese words in it (as the unit reason quoting “云岭毛尖” had been).
    shown = not_found_reason({"not_found_because": "the sentence found says “云岭” in a new way"})
    assert shown == "报告里没有找到能回答这个问题的句子。"
