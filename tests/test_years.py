"""The years a document speaks of, and the years a question asks about (qa.text.years)."""

from __future__ import annotations

import pytest

from qa.apps.messages import not_found_reason
from qa.pipeline.answering import other_years, uncovered_year, unnamed_year
from qa.pipeline.query import analyze
from qa.schema import DocumentInfo
from qa.text.years import asked_years, years_spoken_of, years_told


@pytest.mark.parametrize(
    ("text", "spoken", "not_spoken"),
    [
        ("2025年全县地区生产总值386亿元。", {2025}, {2024, 2026}),
        ("二〇二三年工作回顾。二○二二年也是。", {2022, 2023}, {2024}),
        ("全年完成２０２４年度目标。", {2024}, {2023}),
        ("2021—2025年累计投入5亿元。", {2021, 2023, 2025}, {2020, 2026}),
        ("2021年至2025年每年补贴500元。", {2022, 2024}, {2026}),
        ("“十四五”时期，全县新增就业2万人。", {2021, 2025}, {2020, 2026}),
        ("十三五规划目标全面完成。", {2016, 2020}, {2021}),
        ("1998-1600年", {1998}, {1999}),  # no span runs backwards
        ("农村居民人均可支配收入23,875元。", set(), {2023, 2387}),
    ],
)
def test_years_a_text_names_or_spans(text: str, spoken: set[int], not_spoken: set[int]) -> None:
    years = years_spoken_of(text, ())
    assert spoken <= years
    assert not (not_spoken & years)


def test_a_year_counted_from_runs_to_the_latest_year_spoken_of() -> None:
    text = "自2021年起，每年为老人发放补贴。"
    assert years_spoken_of(text, (2024,)) >= {2021, 2022, 2023, 2024, 2025}
    assert years_spoken_of("2021年至今未变。", ()) == {2021}  # nothing later is spoken of


def test_a_documents_own_year_covers_its_last_and_next_year() -> None:
    assert years_spoken_of("去年全县GDP增长5%。", (2025,)) >= {2024, 2025, 2026}
    assert 2023 not in years_spoken_of("去年全县GDP增长5%。", (2025,))


def test_a_chinese_question_asks_about_the_years_written_as_years() -> None:
    q = analyze("2024年全县GDP是多少？")
    assert asked_years(q.normalized, q.years) == (2024,)
    q = analyze("每户补贴2000元是真的吗？")  # an amount, not a year
    assert asked_years(q.normalized, q.years) == ()
    q = analyze("What was the county's GDP in 2024?")
    assert asked_years(q.normalized, q.years) == (2024,)
    q = analyze("Is the 2000 yuan subsidy paid every year?")
    assert asked_years(q.normalized, q.years) == ()
    # A year named twice is asked about once (a scope note had said 问题问的是2022年、2022年).
    assert analyze("2022年的财政总收入和2022年的工业投资各是多少？").years == (2022,)
    assert analyze("2023年和2021年的GDP分别是多少？").years == (2023, 2021)


def test_a_year_the_document_never_speaks_of_is_the_reason_to_refuse() -> None:
    text = "青溪县2025年国民经济和社会发展统计公报\n全年地区生产总值386.52亿元，比上年增长5.8%。"
    info = DocumentInfo("d", "青溪县统计公报", "qingxi.txt", year=2025)
    assert unnamed_year(analyze("2022年青溪县GDP是多少？"), text, info) == "the document never speaks of 2022"
    assert unnamed_year(analyze("2024年青溪县GDP是多少？"), text, info) is None  # 上年 of a 2025 bulletin
    assert unnamed_year(analyze("2025年青溪县GDP是多少？"), text, info) is None
    assert unnamed_year(analyze("青溪县GDP是多少？"), text, info) is None
    undated = DocumentInfo("d", "公报", "gongbao.txt")
    assert (
        unnamed_year(analyze("2024年青溪县GDP是多少？"), text, undated) == "the document never speaks of 2024"
    )


@pytest.mark.parametrize(
    ("sentence", "told"),
    [
        ("截至2023年末，临川市常住人口为412.5万人。", {2023}),
        ("2024年高考中，学校本科上线率为98.6%。", {2024}),
        ("二〇二三年全年粮食产量稳定。", {2023}),
        ("2021—2025年累计完成投资。", {2021, 2022, 2023, 2024, 2025}),
        ("城镇化率从2020年的53.2%提升到2025年的57.7%。", {2020, 2025}),  # each year's figure
        ("全省地区生产总值比2020年增长30%。", set()),  # a base year only
        ("经济总量占全国比重由2020年的7.2%提升至7.4%。", set()),  # and the present's, of no year named
        ("自2021年以来累计投资50亿元。", set()),  # counted from: any year since
        ("力争2025年前建成。", set()),  # a deadline
        ("每户补贴2000元。", set()),  # an amount
    ],
)
def test_the_years_a_sentence_tells_of(sentence: str, told: set[int]) -> None:
    assert years_told(sentence) == told


def test_a_sentence_with_the_start_of_a_rise_answers_its_years() -> None:
    # Found by a helper: "2020年地区生产总值是多少？" was refused as 找到的句子说的是2025年的情况 for the
    # sentence that gives it: 从2020年的186.5亿元增加到2025年的258.3亿元.
    sentence = "全县地区生产总值从2020年的186.5亿元增加到2025年的258.3亿元，年均增长6.7%。"
    assert other_years(analyze("2020年地区生产总值是多少？"), sentence) is None
    assert other_years(analyze("2023年地区生产总值是多少？"), sentence) is not None


def test_a_sentence_telling_of_another_year_answers_nothing_of_the_year_asked(
    tmp_path, real_embedder
) -> None:
    # Found by a helper: "临川2022年的常住人口是多少？" was answered 96% sure with 截至2023年末… .
    from qa import ReportQA
    from tests.conftest import write

    text = (
        "临川市概况\n临川市位于江南丘陵地带，是区域性中心城市。"
        "截至2023年末，临川市常住人口为412.5万人，城镇化率为63.8%。"
        "2023年全市地区生产总值为3256亿元，比上年增长5.6%。2022年全市接待游客3000万人次。\n"
    )
    bot = ReportQA.from_paths(
        [write(tmp_path / "linchuan.txt", text)], tmp_path / "index", embedder=real_embedder
    )
    asked = bot.ask("临川2022年的常住人口是多少？")
    assert "412.5万人" not in (asked.answer or "")
    assert "412.5万人" in (bot.ask("临川2023年的常住人口是多少？").answer or "")
    assert "412.5万人" in (bot.ask("临川的常住人口是多少？").answer or "")
    # Every sentence near it tells of another year: the reason says so.
    assert bot.ask("临川2022年的城镇化率是多少？").reason["not_found_because"] in (
        "the sentences found tell of 2023, not 2022",
        "no sentence of the report is likely to answer the question",
    )


def test_what_a_year_only_planned_achieved_is_not_in_the_report() -> None:
    # Found by a helper: "2023年国内生产总值增长了多少？" quoted the 2023 report's target at 0.84.
    target = "今年发展主要预期目标是：国内生产总值增长5%左右；"
    reason = uncovered_year(analyze("2023年国内生产总值增长了多少？"), 2022, target)
    assert reason == "the report reviews 2022, and plans 2023 only"
    assert (
        not_found_reason({"not_found_because": reason}) == "报告回顾的是2022年；2023年只有目标，还没有结果。"
    )
    assert uncovered_year(analyze("2023年国内生产总值增长目标是多少？"), 2022, target) is None  # its plan
    assert uncovered_year(analyze("2022年国内生产总值增长了多少？"), 2022, "增长3%。") is None  # its review


def test_a_years_target_is_not_in_the_report_that_only_reviews_the_year() -> None:
    # Found by a helper: "2012年国内生产总值增长目标是多少？" of a library lacking the 2012 report had
    # quoted 2012's result from the 2013 report at 0.99.
    result = "2012年，全面实现年初确定的主要目标，国内生产总值增长7.8%。"
    reason = uncovered_year(analyze("2012年国内生产总值增长目标是多少？"), 2012, result)
    assert not_found_reason({"not_found_because": reason}) == (
        "报告回顾的是2012年的结果；2012年的目标要看2012年的政府工作报告。"
    )
    stated = "国内生产总值增长7.8%，超过7.5%的预期目标。"  # the review states the target
    assert uncovered_year(analyze("2012年国内生产总值增长目标是多少？"), 2012, stated) is None
    assert uncovered_year(analyze("2012年国内生产总值增长了多少？"), 2012, result) is None


def test_a_number_of_a_quoted_name_is_no_year_asked_about() -> None:
    # Found by a helper: "中国制造2025" kept the search to the reports covering 2025.
    assert analyze("哪份报告提到了“中国制造2025”？").years == ()
    assert analyze("《健康中国2030》规划纲要提出了什么？").years == ()
    assert analyze("“2025年”的目标是多少？").years == (2025,)  # written with 年: a year
    assert analyze("“2024”年GDP增长多少？").years == (2024,)  # 年 after the quote
    assert analyze("湖南2025年GDP多少？").years == (2025,)
