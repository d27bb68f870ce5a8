"""Key figures, as extracted: number normalization, indicators, periods and years, filtering, and the
figures of every report in shared/datasets (offsets into the text, headline figures by hand). The
surfaces that show them (ReportQA, CLI, HTTP, the 关键数据 tab) are in tests/test_facts_surfaces.py."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from qa.api import PASSAGE_CHARS
from qa.errors import QuestionError
from qa.facts import Fact, collect_facts, extract_facts, parse_number, select_facts
from qa.ingest.loader import bundled_report_path, load_document, load_paths
from qa.ingest.structure import build_passages
from qa.schema import Document, Passage
from tests.conftest import GOV_REPORTS, facts_of


def only(text: str, period: str = "review") -> Fact:
    facts = facts_of(text, period)
    assert len(facts) == 1, [(f.indicator, f.value_text) for f in facts]
    return facts[0]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1.6", 1.6),
        ("１.６", 1.6),
        ("１２３", 123),
        ("1,234.5", 1234.5),
        ("7 4 7 7 2", 74772),
        ("三", 3),
        ("十", 10),
        ("十五", 15),
        ("两千", 2000),
        ("三千五百万", 35_000_000),
        ("一万三千五百十三", 13513),
        ("三十六点九", 36.9),
        ("二〇二二", 2022),
    ],
)
def test_parse_number(written: str, value: float) -> None:
    assert parse_number(written) == pytest.approx(value)


@pytest.mark.parametrize(
    ("sentence", "value_text", "value", "unit"),
    [
        ("财政总收入1.6亿元。", "1.6亿元", 1.6e8, "元"),
        ("营业额612万元。", "612万元", 6.12e6, "元"),
        ("完成投资额45.94亿元。", "45.94亿元", 4.594e9, "元"),
        ("赤字规模4.06万亿元。", "4.06万亿元", 4.06e12, "元"),
        ("新建学校１２３所。", "１２３所", 123, "所"),
        ("投入资金１.６亿元。", "１.６亿元", 1.6e8, "元"),
        ("城镇调查失业率百分之八。", "百分之八", 8, "%"),
        ("城镇调查失业率百分之8.8。", "百分之8.8", 8.8, "%"),
        ("新增企业三家。", "三家", 3, "家"),
        ("办好十件民生实事。", "十件", 10, "件"),
        ("城镇调查失业率8.8%。", "8.8%", 8.8, "%"),
        ("出生率９．５‰。", "９．５‰", 9.5, "‰"),
        ("电力装机100万千瓦。", "100万千瓦", 1e6, "千瓦"),
        ("实际使用外资7.24亿美元。", "7.24亿美元", 7.24e8, "美元"),
        ("新建道路12千米。", "12千米", 12, "公里"),
        ("复绿山体30余亩。", "30余亩", 30, "亩"),
        ("国内生产总值达到7 4 7 7 2 亿元。", "7 4 7 7 2 亿元", 7.4772e12, "元"),
    ],
)
def test_figures_are_normalized_to_the_base_unit(
    sentence: str, value_text: str, value: float, unit: str
) -> None:
    fact = only(sentence)
    assert (fact.value_text, fact.unit) == (value_text, unit)
    assert fact.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("sentence", "change", "change_pct"),
    [
        ("全年财政总收入1.6亿元,比增8.8%。", "比增8.8%", 8.8),
        ("工业投资1.49亿元，比增142.42%。", "比增142.42%", 142.42),
        ("地区生产总值60199.45亿元、增长5%。", "增长5%", 5.0),
        ("固定资产投资1.2亿元，下降3%。", "下降3%", -3.0),
        ("赤字规模4.06万亿元，比上年年初预算增加1800亿元。", "比上年年初预算增加1800亿元", None),
    ],
)
def test_a_change_after_an_amount_belongs_to_it(sentence: str, change: str, change_pct: float | None) -> None:
    fact = only(sentence)
    assert fact.kind == "amount"
    assert fact.change == change
    assert fact.change_pct == (None if change_pct is None else pytest.approx(change_pct))


@pytest.mark.parametrize(
    ("sentence", "indicator", "change_pct", "qualifier"),
    [
        ("一般公共预算总收入增长7.6%。", "一般公共预算总收入", 7.6, None),
        ("固定资产投资下降3%。", "固定资产投资", -3.0, None),
        ("国内生产总值增长5%左右。", "国内生产总值", 5.0, "左右"),
        ("单位国内生产总值能耗降低2.5%左右。", "单位国内生产总值能耗", -2.5, "左右"),
        ("国内生产总值比上年增长5.2%。", "国内生产总值", 5.2, None),
        ("新三样出口增长近30%。", "新三样出口", 30.0, "近"),
        ("全省生产总值增长5%—5.5%。", "生产总值", 5.0, "—5.5%"),
    ],
)
def test_growth_figures(sentence: str, indicator: str, change_pct: float, qualifier: str | None) -> None:
    fact = only(sentence, period="plan")
    assert (fact.indicator, fact.kind, fact.qualifier) == (indicator, "growth", qualifier)
    assert fact.change_pct == pytest.approx(change_pct)
    assert fact.year == 2023  # a plan figure refers to the year after the one reviewed


def test_qualifiers_are_kept_apart_from_the_value() -> None:
    employment, rate = facts_of("城镇新增就业1200万人以上，城镇调查失业率5.5%左右。", period="plan")
    assert (employment.value_text, employment.qualifier, employment.kind) == ("1200万人", "以上", "amount")
    assert (rate.value_text, rate.qualifier, rate.kind) == ("5.5%", "左右", "rate")
    assert only("城镇调查失业率5%以内。").qualifier == "以内"
    assert only("国内生产总值超过126万亿元。").qualifier == "超过"


# ---------------------------------------------------------------- indicators


@pytest.mark.parametrize(
    ("sentence", "indicator"),
    [
        ("全年预计完成财政总收入1.6亿元,比增8.8%;", "财政总收入"),
        ("新增优质学位3600个。", "新增优质学位"),
        ("2025年全省地区生产总值60199.45亿元。", "地区生产总值"),
        ("1-12月份全镇村集体经济收入421.98万元。", "村集体经济收入"),
        ("城镇调查失业率平均为5.2%。", "城镇调查失业率"),
        ("常住人口城镇化率提高到66.2%。", "常住人口城镇化率"),
        ("赤字率拟按3%安排。", "赤字率"),
        ("新增9家国家卓越级智能工厂。", "新增国家卓越级智能工厂"),
        ("组建16个防控工作专班。", "组建防控工作专班"),
        ("增发1万亿元国债。", "增发国债"),
        ("科林、麦都技改项目完成投资1520万元。", "麦都技改项目完成投资"),
        ("拆除违规广告牌83整治流动摊点569立案查处乱倾乱倒等行为16宗。", "立案查处乱倾乱倒等行为"),
        ("每千人口拥有3岁以下婴幼儿托位数达到4.5个。", "每千人口拥有3岁以下婴幼儿托位数"),  # no break at 3岁
        ("免费教科书惠及90%的在校生。", "免费教科书惠及"),  # not 免费教科书惠: 惠及 is a verb
    ],
)
def test_indicator_is_the_noun_phrase_before_the_figure(sentence: str, indicator: str) -> None:
    assert facts_of(sentence)[-1].indicator == indicator


def test_figures_without_separators_each_get_their_own_indicator() -> None:
    text = (
        "2023年经济社会发展主要预期目标是:"
        "一般公共预算总收入增长7.6%规上工业产值增长7.6%全社会固定资产投资增长8.0%。"
    )
    facts = facts_of(text, period="plan")
    assert [f.indicator for f in facts] == ["一般公共预算总收入", "规上工业产值", "全社会固定资产投资"]
    assert [f.change_pct for f in facts] == [7.6, 7.6, 8.0]


def test_respectively_lists_pair_subjects_with_figures() -> None:
    facts = facts_of("城镇居民、农村居民人均可支配收入分别增长4.5%、5.7%，城镇调查失业率4.7%。")
    assert [(f.indicator, f.change_pct) for f in facts[:2]] == [
        ("城镇居民人均可支配收入", 4.5),
        ("农村居民人均可支配收入", 5.7),
    ]
    assert (facts[2].indicator, facts[2].kind) == ("城镇调查失业率", "rate")
    shared = facts_of("城乡居民人均可支配收入分别增长4.4%、5.6%。")
    assert [f.indicator for f in shared] == ["城镇居民人均可支配收入", "农村居民人均可支配收入"]
    joined = facts_of("电信网络诈骗案件受理数、案损数分别下降16%和36%。")
    assert [(f.indicator, f.change_pct) for f in joined] == [
        ("电信网络诈骗案件受理数", -16.0),
        ("案损数", -36.0),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "举办第九届紫帽山植树节活动。",  # ordinal
        "2022年中考成绩创历史新高。",  # a year
        "面对031308171124等数场输入性聚集性疫情考验。",  # dates run together
        "拨打12345政务服务便民热线。",  # a hotline number, no unit
        "电话13912345678。",  # phone-like digits
        "1. 激活产业升级主引擎。",  # list numbering
        "统筹推进五位一体总体布局，协调推进四个全面战略布局。",  # set phrases
        "支持各村策划“五个美丽”建设项目。",  # a slogan in quotes
        "国产大飞机C919投入商业运营。",  # a model name
        "提高一批企业的效益。",  # 一 as an article
        "确保千家万户用上清洁能源。",  # an idiom
        "连续3年前10名。",  # a rank
        "15岁以上人口平均受教育年限达到9年以上。",  # an age that defines a group (was 人口平 = 15岁)
        "为65岁以上老年人免费体检。",
        *("每天6:30起床，7:00开始训练。", "合同总价：￥136,800元。"),  # a time of day; a mark names nothing
    ],
)
def test_non_figures_are_skipped(sentence: str) -> None:
    assert facts_of(sentence) == []


def test_year_is_explicit_or_the_period_year() -> None:
    assert only("2023年目标是地区生产总值增长6%。", period="review").year == 2023
    assert only("财政收入增长6%。", period="review").year == 2022
    assert only("财政收入增长6%。", period="plan").year == 2023
    assert only("财政收入比2020年增长10%。", period="review").year == 2022  # 2020 is the base, not the year
    assert facts_of("财政收入增长6%。", review_year=None)[0].year is None
    assert only("财政收入增长6%。", period="other").year is None


def test_the_start_of_a_range_is_no_fact_and_several_years_are_no_one_year() -> None:
    # The 2013 report's "从26.6万亿元增加到51.9万亿元" listed 26.6万亿元 (2007's) as 2012's GDP.
    facts = facts_of("国内生产总值从26.6万亿元增加到51.9万亿元；城镇化率由45.9%提高到52.6%。")
    assert [(f.indicator, f.value_text, f.year) for f in facts] == [
        ("国内生产总值", "51.9万亿元", 2022),
        ("城镇化率", "52.6%", 2022),
    ]
    # 年均 behind an indicator goes whole (城镇新增就业年 had been listed), the figure of no one year.
    assert [(f.indicator, f.year) for f in facts_of("就业年均1270多万人。")] == [("就业", None)]
    # One-character verbs (降至, 增至: the 2023 report's 关税总水平 9.8% had been 2022's).
    facts = facts_of("关税总水平从9.8%降至7.4%；装机规模由6.5亿千瓦增至12亿千瓦以上。")
    assert [(f.indicator, f.value_text) for f in facts] == [("关税总水平", "7.4%"), ("装机规模", "12亿千瓦")]
    # 从 a few words before the start, and a new level with a time in front of it (the 2013 report's
    # pension was listed as 提高到现 = 1721元, the 2003 report's figures as 增加到2002年).
    facts = facts_of("企业退休人员基本养老金从2004年人均每月700元提高到现在的1721元。")
    assert [(f.indicator, f.value_text) for f in facts] == [("企业退休人员基本养老金", "1721元")]
    facts = facts_of("发电装机容量由1997年的2.54亿千瓦增加到2002年的3.53亿千瓦。")
    assert [(f.indicator, f.value_text) for f in facts] == [("发电装机容量", "3.53亿千瓦")]
    # A start with no name of its own names nothing, and its new level is named by nothing either.
    assert facts_of("城镇居民家庭人均可支配收入，由1997年的5160元增加到2002年的7703元。") == []
    # A five-year plan's target or a five-year total is of no one year (the 2016 report's 十三五
    # target of 5000万人 stood beside that year's 1000万人 as the plan of 2016).
    assert only("“十三五”时期城镇新增就业5000万人以上。", period="plan").year is None
    assert only("五年累计新增城镇就业5870万人。", period="review").year is None
    assert only("城镇新增就业1000万人以上。", period="plan").year == 2023
    # Nor is a figure of a five-year plan's section (the 2016 report's 实现城镇新增就业5000万人以上。).
    text = "实现城镇新增就业5000万人以上。"
    doc = Document(text=text, title="某县报告", source="t.txt", review_year=2015)
    for heading, year in (("二、“十三五”时期主要目标任务", None), ("三、推动“十三五”开好局", 2016)):
        passage = Passage(doc.doc_id, doc.title, [heading], "plan", 0, len(text), text, passage_id="p")
        assert extract_facts(text, [passage], doc.info)[0].year == year


def test_select_facts_filters_and_rejects_an_unknown_period() -> None:
    facts = facts_of("财政总收入1.6亿元，规上工业产值26.62亿元。")
    assert [f.indicator for f in select_facts(facts, indicator="财政")] == ["财政总收入"]
    assert [f.indicator for f in select_facts(facts, indicator="ＩＮＤ")] == []
    assert select_facts(facts, period="plan") == []
    assert select_facts(facts, doc_id="nope") == []
    with pytest.raises(QuestionError, match="period"):
        select_facts(facts, period="future")


# ---------------------------------------------------------------- all the reports in shared/datasets

# Headline figures read by hand from reports the extractor was tuned on (the bundled one, 2024
# national, Fujian 2026) and from ones it was not (held out; written down before running).
# file, indicator, value_text, change_pct ("-" for none), period, year
TUNED = [
    ("2024_national", "国内生产总值", "126万亿元", 5.2, "review", 2023),
    ("2024_national", "城镇新增就业", "1244万人", "-", "review", 2023),
    ("2024_national", "城镇调查失业率", "5.2%", "-", "review", 2023),
    ("2024_national", "居民消费价格", "0.2%", 0.2, "review", 2023),
    ("2024_national", "粮食产量", "1.39万亿斤", "-", "review", 2023),
    ("2024_national", "国内生产总值", "5%", 5.0, "plan", 2024),
    ("2024_national", "城镇新增就业", "1200万人", "-", "plan", 2024),
    ("2024_national", "城镇调查失业率", "5.5%", "-", "plan", 2024),
    ("2024_national", "居民消费价格涨幅", "3%", "-", "plan", 2024),
    ("2024_national", "粮食产量", "1.3万亿斤", "-", "plan", 2024),
    ("2024_national", "单位国内生产总值能耗", "2.5%", -2.5, "plan", 2024),
    ("2024_national", "赤字率", "3%", "-", "plan", 2024),
    ("2026_province_fujian", "地区生产总值", "60199.45亿元", 5.0, "review", 2025),
    ("2026_province_fujian", "地方一般公共预算收入", "3723.35亿元", 3.0, "review", 2025),
    ("2026_province_fujian", "社会消费品零售总额", "4.4%", 4.4, "review", 2025),
    ("2026_province_fujian", "固定资产投资", "3.3%", -3.3, "review", 2025),
    ("2026_province_fujian", "进出口", "5.4%", -5.4, "review", 2025),
    ("2026_province_fujian", "城镇居民人均可支配收入", "4.5%", 4.5, "review", 2025),
    ("2026_province_fujian", "农村居民人均可支配收入", "5.7%", 5.7, "review", 2025),
    ("2026_province_fujian", "城镇调查失业率", "4.7%", "-", "review", 2025),
    ("2026_province_fujian", "地区生产总值", "5%", 5.0, "plan", 2026),
    ("2026_province_fujian", "城镇调查失业率", "5%", "-", "plan", 2026),
    ("2026_province_fujian", "城镇新增就业", "50万人", "-", "plan", 2026),
    ("2026_province_fujian", "居民消费价格涨幅", "2%", "-", "plan", 2026),
    ("2026_province_fujian", "粮食产量", "513万吨", "-", "plan", 2026),
]
HELD_OUT = [
    ("2025_national", "国内生产总值", "134.9万亿元", 5.0, "review", 2024),
    ("2025_national", "城镇新增就业", "1256万人", "-", "review", 2024),
    ("2025_national", "城镇调查失业率", "5.1%", "-", "review", 2024),
    ("2025_national", "居民消费价格", "0.2%", 0.2, "review", 2024),
    ("2025_national", "国内生产总值", "5%", 5.0, "plan", 2025),
    ("2025_national", "城镇调查失业率", "5.5%", "-", "plan", 2025),
    ("2025_national", "城镇新增就业", "1200万人", "-", "plan", 2025),
    ("2025_national", "居民消费价格涨幅", "2%", "-", "plan", 2025),
    ("2025_national", "粮食产量", "1.4万亿斤", "-", "plan", 2025),
    ("2025_national", "单位国内生产总值能耗", "3%", -3.0, "plan", 2025),
    ("2026_province_zhejiang", "生产总值", "5%—5.5%", 5.0, "plan", 2026),
    ("2026_province_zhejiang", "城镇调查失业率", "5%", "-", "plan", 2026),
    ("2026_province_zhejiang", "居民消费价格涨幅", "2%", "-", "plan", 2026),
    ("2026_province_sichuan", "地区生产总值", "67665亿元", 5.5, "review", 2025),
    ("2026_province_sichuan", "地方一般公共预算收入", "5853.9亿元", 3.9, "review", 2025),
    ("2026_province_sichuan", "城镇居民人均可支配收入", "4.4%", 4.4, "review", 2025),
    ("2026_province_sichuan", "农村居民人均可支配收入", "5.6%", 5.6, "review", 2025),
    ("2026_province_sichuan", "地区生产总值", "5.5%", 5.5, "plan", 2026),
    ("2026_province_sichuan", "城镇新增就业", "85万人", "-", "plan", 2026),
    ("2026_province_sichuan", "城镇调查失业率", "5.5%", "-", "plan", 2026),
    ("2026_province_sichuan", "居民消费价格涨幅", "2%", "-", "plan", 2026),
    ("2026_province_sichuan", "地方一般公共预算收入", "2%", 2.0, "plan", 2026),
    ("2026_province_sichuan", "粮食产量", "730亿斤", "-", "plan", 2026),
    ("2026_province_hubei", "经济", "5.5%", 5.5, "plan", 2026),
    ("2026_province_hubei", "城镇调查失业率", "5.5%", "-", "plan", 2026),
    ("2026_province_hubei", "城镇新增就业", "70万人", "-", "plan", 2026),
    ("2026_province_hubei", "居民消费价格涨幅", "2%", "-", "plan", 2026),
    ("2026_province_hubei", "粮食产量", "500亿斤", "-", "plan", 2026),
    ("2026_province_hubei", "地区生产总值", "62661亿元", "-", "review", 2025),
    ("2022_national", "国内生产总值", "114万亿元", 8.1, "review", 2021),
    ("2022_national", "财政收入", "20万亿元", 10.7, "review", 2021),
    ("2022_national", "城镇新增就业", "1269万人", "-", "review", 2021),
    ("2022_national", "城镇调查失业率", "5.1%", "-", "review", 2021),
    ("2022_national", "居民消费价格", "0.9%", 0.9, "review", 2021),
    ("2022_national", "国内生产总值", "5.5%", 5.5, "plan", 2022),
    ("2022_national", "城镇新增就业", "1100万人", "-", "plan", 2022),
    ("2022_national", "城镇调查失业率", "5.5%", "-", "plan", 2022),
    ("2022_national", "居民消费价格涨幅", "3%", "-", "plan", 2022),
    ("2022_national", "粮食产量", "1.3万亿斤", "-", "plan", 2022),
    ("2019_national", "国内生产总值", "6%－6.5%", 6.0, "plan", 2019),
    ("2019_national", "城镇新增就业", "1100万人", "-", "plan", 2019),
    ("2019_national", "城镇调查失业率", "5.5%", "-", "plan", 2019),
    ("2019_national", "城镇登记失业率", "4.5%", "-", "plan", 2019),
    ("2019_national", "居民消费价格涨幅", "3%", "-", "plan", 2019),
    ("2013_national", "国内生产总值", "7.5%", 7.5, "plan", 2013),
    ("2013_national", "居民消费价格涨幅", "3.5%", "-", "plan", 2013),
    ("2013_national", "城镇新增就业", "900万人", "-", "plan", 2013),
    ("2013_national", "城镇登记失业率", "4.6%", "-", "plan", 2013),
]

needs_reports = pytest.mark.skipif(
    not (GOV_REPORTS / "2024_national.txt").exists(),
    reason="shared/datasets/gov_reports is not beside the project",
)


@pytest.fixture(scope="module")
def report_facts() -> dict[str, list[Fact]]:
    """Facts of every report in shared/datasets/gov_reports, by file stem (no index, no embedding)."""
    out = {}
    for doc in load_paths([GOV_REPORTS]):
        out[Path(doc.source).stem] = extract_facts(doc.text, build_passages(doc, *PASSAGE_CHARS), doc.info)
    return out


def _matches(facts: list[Fact], expected: tuple) -> bool:
    _, indicator, value_text, change_pct, period, year = expected
    return any(
        f.indicator == indicator
        and f.value_text == value_text
        and f.period == period
        and f.year == year
        and (f.change_pct is None if change_pct == "-" else f.change_pct == pytest.approx(change_pct))
        for f in facts
    )


@needs_reports
def test_every_fact_of_every_report_points_into_its_text(report_facts: dict[str, list[Fact]]) -> None:
    texts = {Path(d.source).stem: d.text for d in load_paths([GOV_REPORTS])}
    assert len(report_facts) >= 88
    for name, facts in report_facts.items():
        text = texts[name]
        for f in facts:
            assert text[f.start : f.end] == f.value_text, (name, f)
            assert text[f.sentence_start : f.sentence_end] == f.sentence
            assert f.sentence_start <= f.start < f.end <= f.sentence_end
            assert f.indicator and f.value >= 0 and f.unit
            assert f.kind in ("amount", "rate", "growth") and f.period in ("review", "plan", "other")
    counts = Counter({name: len(facts) for name, facts in report_facts.items()})
    print("\nfacts per report:", ", ".join(f"{n} {c}" for n, c in sorted(counts.items())))
    assert sum(counts.values()) > 8000
    assert min(counts.values()) >= 5, counts.most_common()[-3:]


@needs_reports
@pytest.mark.parametrize("expected", TUNED, ids=[f"{e[0]}-{e[1]}-{e[4]}" for e in TUNED])
def test_headline_figures_of_tuned_reports(report_facts: dict[str, list[Fact]], expected: tuple) -> None:
    assert _matches(report_facts[expected[0]], expected)


@needs_reports
def test_headline_figures_of_held_out_reports(report_facts: dict[str, list[Fact]]) -> None:
    missed = [e for e in HELD_OUT if not _matches(report_facts[e[0]], e)]
    accuracy = 1 - len(missed) / len(HELD_OUT)
    print(f"\nheld-out headline accuracy {accuracy:.0%}; missed: {missed}")
    assert accuracy >= 0.9, missed


def test_collect_facts_groups_passages_by_document() -> None:
    docs = [load_document(bundled_report_path())]
    passages = [p for d in docs for p in build_passages(d, *PASSAGE_CHARS)]
    facts = collect_facts([d.info for d in docs], {d.doc_id: d.text for d in docs}, reversed(passages))
    assert facts == extract_facts(docs[0].text, passages, docs[0].info)
