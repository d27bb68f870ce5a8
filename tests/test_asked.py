"""Unit tests of what a question asks for (qa.pipeline.asked): its kind, its unit, its gap."""

from __future__ import annotations

import pytest

from qa.pipeline.asked import FIGURE, asked_unit, asks_for, fits, gap_context, stated_figures
from qa.pipeline.query import analyze


def test_question_kinds() -> None:
    assert asks_for(analyze("去年GDP增长了多少？")) == "percent"
    assert asks_for(analyze("投入多少资金？")) == "money"
    assert asks_for(analyze("什么时候建成？")) == "date"
    assert asks_for(analyze("有哪些民生实事？")) == "list"
    assert asks_for(analyze("今年要建消防站吗？")) is None


@pytest.mark.parametrize(
    ("question", "gives", "does_not"),
    [
        ("2017年进出口总额是多少万亿元？", "进出口总额27.8万亿元", "进出口增长14.2%，实际使用外资1363亿美元"),
        ("实际使用外资多少亿美元？", "实际使用外资1363亿美元", "外资8536亿元"),
        ("去年PM2.5浓度是多少微克？", "平均浓度30微克/立方米", "浓度下降9.1%"),
        ("地铁运营里程有多少公里？", "运营里程1.6万千米", "新增地铁12条"),
        ("接待游客多少万人次？", "接待游客11亿人次", "游客1000万人"),
        ("What was per capita disposable income, in yuan?", "人均可支配收入28000元", "增长5%"),
        ("新增就业多少人？", "城镇新增就业一百二十万名", "新增就业岗位12个"),
    ],
)
def test_the_unit_a_question_asks_its_figure_in(question: str, gives: str, does_not: str) -> None:
    unit = asked_unit(analyze(question))
    assert unit is not None and unit.search(gives) and not unit.search(does_not)


def test_a_question_naming_no_unit_asks_for_none() -> None:
    assert asked_unit(analyze("去年财政收入是多少？")) is None
    assert asked_unit(analyze("How much did GDP grow?")) is None
    assert asked_unit(analyze("建了多少个公园？")) is None  # a classifier, not a measure


@pytest.mark.parametrize(
    ("question", "before", "after"),
    [
        ("该公司在哪一年成立？", "该公司在", "成立"),  # the question word's own measure word is the gap's
        ("《战国无双3》是由哪两个公司合作开发的？", "无双3》是由", "公司合作开发"),
        ("普通鸣冠雉主要以什么为食？", "鸣冠雉主要以", "为食"),
        ("去年，全镇财政收入是多少", "镇财政收入是", ""),  # its clause only, six characters a side
        ("今年要建消防站吗？", "", ""),  # a yes/no question has no gap
    ],
)
def test_the_words_beside_a_questions_gap(question: str, before: str, after: str) -> None:
    assert gap_context(question) == (before, after)


def test_a_sentence_holds_what_is_asked_for() -> None:
    assert fits("percent", "地区生产总值增长5.5%") and not fits("percent", "地区生产总值5.3万亿元")
    assert fits("money", "投入资金24万元") and fits("date", "2025年底前建成")
    assert fits("figure", "新建公园3个") and not fits("figure", "新建公园")
    assert not fits(None, "新建公园3个")


def test_figures_written_in_chinese_numerals_are_figures() -> None:
    # Laws and articles write amounts in characters: 三株, 二百元, 百分之三十.
    assert FIGURE.search("按照砍伐一株补植三株的标准进行补植") and fits("figure", "砍伐一株补植三株")
    assert fits("money", "并处二百元以上五百元以下的罚款") and fits("money", "新增三千万元")
    assert FIGURE.search("绿地面积不得低于总用地面积的百分之三十")
    # An ordinal numbers an article, a rate's base is no amount, and a year is a date.
    for text in ("第四条 本办法自公布之日起施行", "第3条", "每万元GDP能耗下降", "一年来，我们坚持稳中求进"):
        assert not FIGURE.search(text), text
    assert not fits("money", "每万元GDP能耗下降") and not fits("figure", "建设一个中心")


def test_figures_in_units_of_any_kind_fit_a_figure_question() -> None:
    # A manual's table gives 4.5 升 and 28 瓦, a notice 3 天: units of measure, not only a report's.
    for text in ("水箱容量\t4.5 升", "额定功率\t28 瓦", "每 3 天更换一次", "孵化期约14天"):
        assert fits("figure", text), text
    assert not fits("figure", "每天更换清水")


def test_a_figure_given_as_more_than_fits() -> None:
    # 余 and 多 between a number and its magnitude or unit, as amounts are given.
    for sentence in ("现场观众两万三千余人", "带动就业300余人", "全年投入3000多万元", "培训三千多名学员"):
        assert fits("figure", sentence), sentence
    assert fits("money", "全年投入3000多万元") and FIGURE.search("两万三千余人").group(0) == "两万三千余人"
    wanted = asked_unit(analyze("投入了多少万元？"))
    assert wanted is not None and wanted.search("全年投入3000多万元")
    assert not fits("figure", "多方协同推进")  # 多 alone is no figure


def test_amounts_as_contracts_and_tenders_write_them_are_money() -> None:
    # Financial numerals, a currency sign, digits grouped by thousands, 零 for a skipped place.
    for sentence in ("投标保证金：人民币叁万伍仟元整", "预算金额：¥3,600,000.00", "最高限价：3,560,000.00元"):
        assert fits("money", sentence), sentence
    assert FIGURE.search("壹拾叁万陆仟捌佰").group(0) == "壹拾叁万陆仟捌佰"
    assert FIGURE.search("全国共有一千零四十四万人").group(0) == "一千零四十四万人"
    # A lone financial digit is a word's character: the 伍 of 队伍, the 陆 of 大陆 and 陆续.
    for text in ("加强干部队伍建设", "两岸大陆", "项目陆续开工"):
        assert not FIGURE.search(text), text


def test_the_figures_a_question_states_are_read_as_whole_numbers() -> None:
    stated = stated_figures("今年要建好的那2.9万所乡镇卫生院，每所有多少张床位？")
    assert stated is not None and stated.sub(" ", "共2.9万所，床位12.9张") == "共 所，床位12.9张"
    tender = stated_figures("3,560,000元的最高限价里，监理费占多少钱？")
    assert tender is not None and not fits("money", tender.sub(" ", "最高限价：人民币3,560,000.00元"))
    # 多少万所 and 几百人 ask for a figure; they state none.
    assert stated_figures("全国有多少万所学校？") is None and stated_figures("几百人参加？") is None
