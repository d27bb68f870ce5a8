"""Display titles: every report named with its year and issuer (qa.ingest.metadata.display_title)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.ingest.loader import load_document
from qa.ingest.metadata import display_title
from qa.schema import DocumentInfo

GOV_REPORTS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "gov_reports"
needs_reports = pytest.mark.skipif(
    not (GOV_REPORTS / "index.jsonl").exists(), reason="shared/datasets/gov_reports is not beside the project"
)


@pytest.mark.parametrize(
    ("raw", "year", "region", "level", "expected"),
    [
        ("政府工作报告", 2024, "全国", "national", "2024年国务院政府工作报告"),
        ("1955_national", 1955, "全国", "national", "1955年国务院政府工作报告"),  # no title printed
        ("1989年政府工作报告", 1989, "全国", "national", "1989年国务院政府工作报告"),
        ("政府工作报告", 2026, "广东省", "province", "2026年广东省政府工作报告"),
        ("2026年政府工作报告", 2026, "云南省", "province", "2026年云南省政府工作报告"),
        ("广东省政府工作报告", 2026, "广东省", "province", "2026年广东省政府工作报告"),
        ("紫帽镇人民政府2022年工作报告", 2022, "紫帽镇", "town", "紫帽镇人民政府2022年工作报告"),
        ("陕西省2026年政府工作报告", 2026, "陕西省", "province", "陕西省2026年政府工作报告"),
        (
            "1955年中华人民共和国国务院政府工作报告",
            1955,
            "全国",
            "national",
            "1955年中华人民共和国国务院政府工作报告",
        ),
        (
            "关于印发实施方案的通知",
            2024,
            "广东省",
            "province",
            "关于印发实施方案的通知",
        ),  # not a bare report title
        (
            "安吉县市场监督管理局个体工商户设立登记办事指南",
            2026,
            "安吉县",
            "county",
            "安吉县市场监督管理局个体工商户设立登记办事指南",
        ),
        ("政府工作报告", None, "广东省", "province", "政府工作报告"),  # no year: nothing is guessed
        ("政府工作报告", 2024, None, None, "政府工作报告"),  # no issuer
    ],
)
def test_display_title(raw: str, year: int | None, region: str | None, level, expected: str) -> None:
    assert display_title(raw, year, region, level) == expected


def test_manifest_written_before_raw_title_still_loads() -> None:
    old = {"doc_id": "0" * 16, "title": "政府工作报告", "source": "a.txt", "year": 2024, "chars": 3}
    info = DocumentInfo(**old)
    assert info.raw_title is None and info.title == "政府工作报告"


def test_raw_title_kept_and_display_title_used(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(
        "政府工作报告\n——2026年1月26日在广东省第十四届人民代表大会第五次会议上\n广东省省长 某某\n各位代表：\n"
        "现在，我代表省人民政府，向大会报告工作，请予审议。\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert (doc.title, doc.raw_title) == ("2026年广东省政府工作报告", "政府工作报告")
    assert doc.info.title == doc.title and doc.info.raw_title == "政府工作报告"


@needs_reports
def test_all_88_reports_titled_with_year_and_issuer() -> None:
    truth = [
        json.loads(line) for line in (GOV_REPORTS / "index.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(truth) == 88
    for t in truth:
        doc = load_document(GOV_REPORTS / t["file"])
        assert (doc.year, doc.region, doc.level) == (t["year"], t["region"], t["level"]), t["file"]
        issuer = "国务院" if t["level"] == "national" else t["region"]
        assert f"{t['year']}年" in doc.title and issuer in doc.title, (t["file"], doc.title)
        assert doc.title != doc.source.removesuffix(".txt") and doc.raw_title
        if t["level"] != "national":  # the reference titles of the provinces are the display titles
            assert doc.title == t["title"], t["file"]


def test_a_plan_titled_with_a_span_is_of_its_first_year_and_covers_each(tmp_path: Path) -> None:
    # Found by a helper: "…实施方案（2025—2027年）" was of 2027, and questions on 2026 left it out.
    from qa.index.catalog import covers_years

    path = tmp_path / "plan.md"
    title = "清河县农村生活污水治理三年行动实施方案（2025—2027年）"
    path.write_text(f"{title}\n\n到2026年，完成38个行政村生活污水治理。\n", encoding="utf-8")
    doc = load_document(path)
    assert doc.title == title and doc.year == 2025
    assert all(covers_years(doc.info, [year]) for year in (2025, 2026, 2027))
    assert not covers_years(doc.info, [2028])
