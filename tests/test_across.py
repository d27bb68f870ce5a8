"""Questions across the library answered from the indicator series: one cited part per report."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import ReportQA
from qa.apps.messages import not_found_reason, scope_notes
from tests.conftest import HashEmbedder

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "gov_reports"
pytestmark = pytest.mark.skipif(not REPORTS.is_dir(), reason="../shared/datasets/gov_reports is absent")


@pytest.fixture(scope="module")
def provinces(tmp_path_factory) -> ReportQA:
    paths = sorted(REPORTS.glob("2026_province_*.txt"))
    return ReportQA.from_paths(paths, tmp_path_factory.mktemp("provinces"), embedder=HashEmbedder())


def test_each_province_answers_with_its_own_sentence(provinces: ReportQA) -> None:
    answer = provinces.ask("各省2026年地区生产总值增长目标是多少？", k=5)
    series = provinces.series("地区生产总值", period="plan", filters={"level": "province", "year": 2026})
    assert answer.found and answer.outcome == "answer" and len(answer.parts) == len(series) == 31
    texts = {d.doc_id: provinces.document_text(d.doc_id) for d in provinces.documents}
    for part, fact in zip(answer.parts, series, strict=True):
        top = part.passages[0]
        assert part.answer == fact.sentence and fact.value_text in part.answer
        assert part.reason["series"]["qualifier"] == fact.qualifier  # 5%以上 is not 5% (a helper found)
        assert texts[top.doc_id][top.start : top.end] == top.text  # cited from the source
        assert top.text[slice(*top.highlight)] == part.answer
    assert len(answer.passages) == 5


def test_a_threshold_keeps_the_reports_above_it(provinces: ReportQA) -> None:
    answer = provinces.ask("哪些省份的地区生产总值增长目标高于5%？")
    series = provinces.series("地区生产总值", period="plan", filters={"level": "province", "year": 2026})
    above = [f for f in series if f.value > 5]
    assert 0 < len(answer.parts) == len(above) < len(series)
    # A bound after the figure (a helper: "…是5%以上？" had kept every province).
    at_least = provinces.ask("哪些省份的地区生产总值增长目标是5%以上？")
    assert len(at_least.parts) == len([f for f in series if f.value >= 5]) < len(series)
    # None above: refused with how many state it, each figure cited (it had been refused as stated
    # by no report, with no passage).
    highest = max(f.value for f in series)
    answer = provinces.ask(f"哪些省份的地区生产总值增长目标高于{highest:g}%？", k=5)
    assert answer.outcome == "not_found" and len(answer.passages) == 5
    assert not_found_reason(answer.reason) == f"{len(series)}份报告给出了这个数字，没有一个高于{highest:g}%。"


def test_an_ordinary_question_is_not_a_series_look_up(provinces: ReportQA) -> None:
    answer = provinces.ask("广东今年地区生产总值增长目标是多少？")
    assert "series" not in answer.reason


def test_a_year_is_looked_for_in_the_reports_covering_it(tmp_path) -> None:
    """2009 is planned by the 2009 report and reviewed by the 2010 one; the 2026 Fujian report,
    which speaks of retail sales too, is not searched, and the answer says where it looked. What
    2009 achieved is told by the 2010 report only."""
    names = ("2009_national.txt", "2010_national.txt", "2026_province_fujian.txt")
    bot = ReportQA.from_paths([REPORTS / n for n in names], tmp_path / "index", embedder=HashEmbedder())
    covering = {d.doc_id for d in bot.documents if d.year in (2009, 2010)}
    answer = bot.ask("2009年社会消费品零售总额是多少？", k=5)
    assert answer.passages and {p.doc_id for p in answer.passages} <= covering
    scope = answer.reason["years_scope"]
    assert scope["years"] == [2009] and len(scope["reports"]) == 2
    achieved = bot.ask("2009年社会消费品零售总额增长了多少？", k=5)
    assert achieved.reason["years_scope"]["reports"] == ["2010年国务院政府工作报告"]
    assert "years_scope" not in bot.ask("社会消费品零售总额增长了多少？", k=5).reason


def test_a_named_report_is_searched_for_the_question_without_its_name(provinces: ReportQA) -> None:
    answer = provinces.ask("广东省2026年政府工作报告里，今年地区生产总值增长目标是多少？", k=5)
    guangdong = {d.doc_id for d in provinces.documents if d.region == "广东省"}
    assert answer.passages and {p.doc_id for p in answer.passages} <= guangdong
    assert answer.reason["searched_for"] == "今年地区生产总值增长目标是多少?"
    assert "searched_for" not in provinces.ask("地区生产总值增长目标是多少？", k=5).reason


def test_the_two_provinces_of_a_library_are_asked_alike(tmp_path) -> None:
    # Found by a helper: "两个省今年…分别是多少？" was answered from the State Council's report alone.
    paths = [REPORTS / f"2026_province_{name}.txt" for name in ("jiangsu", "guangdong")]
    two = ReportQA.from_paths(
        [*paths, REPORTS / "2025_national.txt"], tmp_path / "ix", embedder=HashEmbedder()
    )
    answer = two.ask("两个省今年地区生产总值增长目标分别是多少？")
    provinces = {d.doc_id for d in two.documents if d.level == "province"}
    assert answer.found and {p.passages[0].doc_id for p in answer.parts} == provinces


def test_a_report_year_of_several_places_says_whose_report_is_quoted(provinces: ReportQA) -> None:
    # Found by a helper: "2026年政府工作报告里…" quoted one province, no note, in a library of several.
    answer = provinces.ask("2026年政府工作报告里，城镇新增就业目标是多少？", k=5)
    assert answer.found
    places = answer.reason["other_places"]
    regions = {d.doc_id: d.region for d in provinces.documents}
    assert places["quoted"] == regions[answer.passages[0].doc_id]
    assert len(places["others"]) == 30
    named = provinces.ask("2026年江苏省政府工作报告里，城镇新增就业目标是多少？", k=5)
    assert "other_places" not in named.reason


def test_a_places_years_are_that_places_reports(provinces: ReportQA) -> None:
    # Found by a helper: 广东历年… answered with the State Council's series.
    answer = provinces.ask("江苏历年地区生产总值增长目标是多少？", k=5)
    jiangsu = [d.doc_id for d in provinces.documents if d.region == "江苏省"]
    assert answer.reason["series"]["filters"] == {"doc_id": jiangsu}
    assert [p.passages[0].doc_id for p in answer.parts] == jiangsu


def test_a_two_part_reply_says_where_it_looked(tmp_path) -> None:
    # Found by a helper: each part said which report it used when asked alone; together, nothing.
    from qa.ingest.loader import bundled_report_path

    paths = [bundled_report_path(), REPORTS / "2026_province_jiangsu.txt"]
    bot = ReportQA.from_paths(paths, tmp_path / "ix", embedder=HashEmbedder())
    answer = bot.ask("去年规上工业产值多少？今年增长目标是多少？", k=5)
    first, second = answer.parts
    assert "2026年江苏省" in first.reason["scope"]  # the newest report, first
    same = first.passages[0].doc_id == second.passages[0].doc_id
    assert answer.reason.get("scope") == (first.reason["scope"] if same else None)


def test_which_province_asks_every_province(provinces: ReportQA) -> None:
    # Found by a helper: 哪个省…更高？ quoted one province's sentence.
    answer = provinces.ask("哪个省2026年地区生产总值增长目标更高？", k=5)
    assert answer.reason["series"]["filters"]["level"] == "province" and len(answer.parts) == 31


def test_a_growth_question_is_answered_with_changes_and_an_amount_question_with_levels(
    provinces: ReportQA,
) -> None:
    # Found by a helper: "各省去年地区生产总值增长多少？" quoted Henan's 生产总值6.66万亿元 (no change).
    answer = provinces.ask("各省去年地区生产总值增长多少？")
    assert answer.parts and all(
        p.reason["series"]["value"].endswith("%") or "增长" in p.answer for p in answer.parts
    )
    filters = {"level": "province", "year": 2026}
    levels = provinces.series("地区生产总值", "review", filters, measure="amount")
    assert levels and all(f.kind == "amount" for f in levels)
    changes = provinces.series("地区生产总值", "review", filters, measure="growth")
    assert changes and all(f.kind == "growth" or f.change_pct is not None for f in changes)


def test_an_across_question_no_key_figure_matches_is_searched_as_any_question(provinces: ReportQA) -> None:
    # Found by a helper: "历年居民消费价格涨幅目标是多少？" (the reports write 居民消费价格总水平) was refused
    # at once, with no passage shown.
    answer = provinces.ask("历年居民消费价格涨幅目标是多少？")  # no State Council report here
    assert "series" not in answer.reason and answer.passages


def test_the_highest_or_the_lowest_figure_is_that_reports_own(provinces: ReportQA) -> None:
    # Found by a helper: "哪一年的GDP增长目标最低？" had been refused in 4 of 4 wordings.
    series = provinces.series("地区生产总值", period="plan", filters={"level": "province", "year": 2026})
    values = [f.value for f in series]
    for question, chosen in [
        ("哪个省2026年地区生产总值增长目标最高？", max),
        ("哪个省的GDP增长目标最低？", min),
    ]:
        answer = provinces.ask(question)
        assert answer.found and answer.parts and answer.reason["series"]["of"] == len(series)
        kept = [f for f in series if f.value == chosen(values)]
        assert [p.answer for p in answer.parts] == [f.sentence for f in kept]
    assert "以下是其中最低的" in " ".join(scope_notes(answer.reason))


def test_a_rate_named_as_a_change_is_the_change_asked_for(provinces: ReportQA) -> None:
    # Found by a helper: 各省居民消费价格涨幅目标 listed one province, 各省CPI目标 five.
    worded = provinces.ask("各省居民消费价格涨幅目标是多少？")
    assert len(worded.parts) > 10 and [p.answer for p in worded.parts] == [
        p.answer for p in provinces.ask("各省CPI目标是多少？").parts
    ]


def test_a_bound_in_units_is_compared_in_those_units(provinces: ReportQA) -> None:
    # Found by a helper: "超过60万人" was compared as 60 with figures counted in people, and kept all.
    series = provinces.series("城镇新增就业", period="plan", filters={"level": "province", "year": 2026})
    above = [f for f in series if f.value > 600_000]
    answer = provinces.ask("哪些省份的城镇新增就业目标超过60万人？")
    assert 0 < len(answer.parts) == len(above) < len(series)


def test_a_comparison_of_a_year_the_reports_review_quotes_their_reviews(provinces: ReportQA) -> None:
    # Found by a helper: "湖北和云南2025年…分别是多少？" of their 2026 reports had quoted both 2026 targets.
    answer = provinces.ask("湖北和云南2025年地区生产总值分别是多少？")
    assert len(answer.parts) == 2 and {p.passages[0].period for p in answer.parts} == {"review"}


def test_the_state_councils_report_beside_a_province_is_a_part_of_its_own(tmp_path) -> None:
    # Found by a helper: 6 of 6 comparisons of 全国/国务院 with 江苏 had quoted one report.
    paths = [REPORTS / "2017_national.txt", REPORTS / "2026_province_jiangsu.txt"]
    bot = ReportQA.from_paths(paths, tmp_path / "ix", embedder=HashEmbedder())
    titles = ["2017年国务院政府工作报告", "2026年江苏省政府工作报告"]
    asked = ("2017年全国和2026年江苏的CPI涨幅目标分别是多少？", "国务院报告和江苏报告的GDP增长目标各是多少？")
    for question in asked:
        assert [p.reason["report"] for p in bot.ask(question).parts] == titles, question
    jiangsu_first = bot.ask("江苏和全国的城镇新增就业目标各是多少？")
    assert [p.reason["report"] for p in jiangsu_first.parts] == titles[::-1]


def test_years_no_report_is_titled_with_are_asked_of_the_reports_reviewing_them(tmp_path) -> None:
    # Found by a helper: "2013年和2015年城镇新增就业分别是多少？" of the 2014 and 2016 reports (none of
    # 2013 or 2015) had quoted both reports' targets (1000万人以上) at 1.0; they review those years.
    paths = [REPORTS / "2014_national.txt", REPORTS / "2016_national.txt", REPORTS / "2015_national.txt"]
    bot = ReportQA.from_paths(paths[:2], tmp_path / "ix", embedder=HashEmbedder())
    reviewed = bot.ask("2013年和2015年城镇新增就业分别是多少？")
    assert len(reviewed.parts) == 2 and {p.passages[0].period for p in reviewed.parts} == {"review"}
    assert all("1000万人以上" not in (p.answer or "") for p in reviewed.parts)
    # Years the reports are of still name the reports: each one's target.
    titled = bot.ask("2014年和2016年城镇新增就业目标分别是多少？")
    assert len(titled.parts) == 2 and {p.passages[0].period for p in titled.parts} == {"plan"}
    # Each part by its own year (a reviewer: 2013年和2014年… had quoted the 2014 report's target twice,
    # its title year being one of the years asked).
    both = ReportQA.from_paths(paths, tmp_path / "ix3", embedder=HashEmbedder())
    mixed = both.ask("2013年和2014年城镇新增就业分别是多少？")
    assert [p.passages[0].period for p in mixed.parts] == ["review", "plan"]
