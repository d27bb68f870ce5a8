"""A report laying out a five-year plan sets its goals for the plan's last year (到2030年… of a 2026
report): that year is no report the collection lacks, nor a year it does not cover, when the answer
is from its plans (qa.text.years.planned_year, qa.pipeline.coverage.lays_out)."""

from __future__ import annotations

from qa.index.catalog import Catalog
from qa.pipeline.answering import uncovered_year
from qa.pipeline.coverage import lays_out, missing_report
from qa.pipeline.query import analyze
from qa.schema import DocumentInfo
from qa.text.years import planned_year

# Written for these tests in the manner of a 2026 provincial report.
TEXT = (
    "2026年江苏省政府工作报告\n一、“十四五”时期发展成就\n“十四五”时期，全省地区生产总值年均增长5.7%。\n"
    "二、“十五五”时期主要目标\n“十五五”时期，地区生产总值年均增长5%左右。\n"
)
JIANGSU = DocumentInfo(
    "js", "2026年江苏省政府工作报告", "js.txt", region="江苏省", year=2026, level="province", review_year=2025
)


def test_the_plan_a_report_lays_out_sets_its_goals_for_its_last_year() -> None:
    assert planned_year(TEXT, 2026) == 2030  # 十五五 begins in the year the report plans
    assert planned_year(TEXT, 2021) == 2025 and planned_year(TEXT, 2027) is None  # 十四五 is reviewed
    assert planned_year("没有规划。", 2026) is None
    texts = {"js": TEXT}
    assert lays_out(JIANGSU, texts, (2030,)) and not lays_out(JIANGSU, texts, (2028,))


def test_the_goal_year_is_no_missing_report_and_no_uncovered_year() -> None:
    asked = analyze("到2030年江苏地区生产总值年均增长多少？")
    catalog = Catalog([JIANGSU])
    # It had been refused as 没有2030年江苏的报告 (and, of the report alone, as 报告涵盖2025–2026年).
    assert missing_report(asked, catalog, "地区生产总值年均增长5%左右", texts={"js": TEXT}) is None
    assert missing_report(asked, catalog, "地区生产总值年均增长5%左右") is not None  # no plan in the text
    assert uncovered_year(asked, 2025, "地区生产总值年均增长5%左右", planned=True) is None
    assert uncovered_year(asked, 2025, "地区生产总值年均增长5%左右") is not None
    inside = analyze("2028年江苏地区生产总值是多少？")
    assert missing_report(inside, catalog, "地区生产总值年均增长5%左右", texts={"js": TEXT}) is not None
