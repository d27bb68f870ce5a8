"""A year or place the collection lacks is named with the right noun: 报告 of work reports, 文档 when
the documents are not all reports (``qa.pipeline.coverage.Missing.noun``)."""

from __future__ import annotations

from qa.index.catalog import Catalog
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
