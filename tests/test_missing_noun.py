"""A year or place the collection lacks is named with the right noun: 报告 of work reports, 文档 when
the documents are not all reports (``qa.pipeline.coverage.Missing.noun``)."""

from __future__ import annotations

from qa.index.catalog import Catalog, years_covered
from qa.pipeline.coverage import missing_report
from qa.pipeline.query import analyze
from qa.schema import DocumentInfo

REPORTS = [
    DocumentInfo("n23", "《2023年国务院政府工作报告》", "2023.txt", region="全国", year=2023,
                 level="national", review_year=2022),
    DocumentInfo("js", "《2026年江苏省政府工作报告》", "js.txt", region="江苏省", year=2026,
                 level="province", review_year=2025),
]  # fmt: skip


def test_a_year_no_document_covers_is_called_a_document_when_they_are_no_reports() -> None:
    # Found among the left-alone items: a library of notices had been told "没有2019年的报告".
    notices = [
        DocumentInfo("p23", "2023年停车收费标准的通知", "p23.txt", year=2023),
        DocumentInfo("p24", "2024年停车收费标准的通知", "p24.txt", year=2024),
    ]
    missing = missing_report(analyze("2019年的停车费是多少？"), Catalog(notices), "收费标准如下。")
    assert missing is not None and missing.reason.startswith("没有2019年的文档；有：")
    reports = missing_report(analyze("2019年的GDP是多少？"), Catalog(REPORTS), "地区生产总值增长5%。")
    assert reports is not None and reports.reason.startswith("没有2019年的报告")


def test_a_document_that_is_no_report_covers_its_own_year() -> None:
    # Found by a helper: a notice of February 2025 on 2025's subsidies had been searched for 2024 (as a
    # report given then reviews 2024), and a yearbook's entry shown as 石门县概况（2024年）（2024–2025年）.
    notice = DocumentInfo("n", "临川市关于开展2025年加装电梯补贴申报工作的通知", "n.txt", year=2025,
                          date="2025-02-10", review_year=2024)  # fmt: skip
    entry = DocumentInfo("e", "石门县概况（2024年）", "e.txt", year=2024, review_year=2024)
    assert years_covered(notice) == {2025} and years_covered(entry) == {2024}
    # Every year its title names (a reviewer: the plan's year had been dropped).
    plan = DocumentInfo("p", "青山镇2024年工作总结和2025年工作计划", "p.txt", year=2024, review_year=2024)
    assert years_covered(plan) == {2024, 2025}
    report = REPORTS[1]  # a report given in 2026 reviews 2025 and plans 2026
    assert years_covered(report) == {2025, 2026}
    missing = missing_report(analyze("2023年的补贴是多少？"), Catalog([notice, entry]), "每部补贴20万元。")
    assert missing is not None and missing.spans == ("2024年", "2025年")


def test_a_title_naming_two_years_apart_shows_both_not_a_span() -> None:
    # A second reviewer: "（1998–2025年）" had named a span holding the year refused.
    hall = DocumentInfo("h", "青山县1998年特大洪灾纪念馆2025年开放公告", "h.txt", year=2025)
    guide = DocumentInfo("g", "纪念馆参观指南（2024年版）", "g.txt", year=2024)
    missing = missing_report(analyze("2010年纪念馆参观人数是多少？"), Catalog([hall, guide]), "纪念馆开放。")
    assert missing is not None and dict(zip(missing.available, missing.spans, strict=True)) == {
        hall.title: "1998、2025年",
        guide.title: "2024年",
    }
