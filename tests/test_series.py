"""Indicator series (qa.facts.series, ReportQA.series) against the report texts; no model needed.

The expected targets live in benchmarks/series.py (read off the texts by hand); the same measurement
writes benchmarks/SERIES.md.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from benchmarks.series import CASES, GDP_NATIONAL, NATIONAL_YEARS, Library, figure, load_library, measure
from qa.apps.cli import main
from qa.errors import QuestionError
from qa.facts.series import indicator_series, normalize_indicator
from qa.index.catalog import FILTER_KEYS

GOV_REPORTS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "gov_reports"
pytestmark = pytest.mark.skipif(
    not (GOV_REPORTS / "2024_national.txt").exists(),
    reason="shared/datasets/gov_reports is not beside the project",
)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(GOV_REPORTS)


@pytest.mark.parametrize("case", CASES, ids=[c.indicator for c in CASES])
def test_precision_and_recall_against_the_texts(library: Library, case) -> None:
    result = measure(library, case)
    print(f"\n{case.name}: precision {result['precision']:.2f} recall {result['recall']:.2f}")
    assert result["precision"] >= 0.95 and result["recall"] >= 0.95, (result["wrong"], result["missing"])


def test_national_gdp_target_one_point_per_report_citing_its_sentence(library: Library) -> None:
    points = library.series("国内生产总值", "plan", {"level": "national"})
    scoped = [f for f in points if library.stem(f.doc_id) in GDP_NATIONAL]
    assert [library.stem(f.doc_id) for f in scoped] == [
        f"{y}_national" for y in NATIONAL_YEARS
    ]  # sorted by year
    for f in scoped:
        text = library.texts[f.doc_id]
        assert text[f.start : f.end] == f.value_text and text[f.sentence_start : f.sentence_end] == f.sentence
        assert f.indicator == "国内生产总值" and f.period == "plan" and f.kind == "growth"
        assert figure(f.value_text) == GDP_NATIONAL[library.stem(f.doc_id)]
    years = [next(d.year for d in library.documents if d.doc_id == f.doc_id) for f in points]
    assert years == sorted(years)


def test_an_indicator_named_in_traditional_characters_is_the_same_series(library: Library) -> None:
    simplified = library.series("国内生产总值", "plan", {"level": "national"})
    assert simplified and library.series("國內生產總值", "plan", {"level": "national"}) == simplified


def test_provincial_cross_section_one_point_per_province(library: Library) -> None:
    points = library.series(
        "地区生产总值",
        "plan",
        {"level": "provincial", "year": 2026},
    )
    regions = [next(d.region for d in library.documents if d.doc_id == f.doc_id) for f in points]
    assert len(points) == 31 and len(set(regions)) == 31
    # A region as people write it, as ask() reads it (江苏 had kept nothing, 江苏省 one report).
    jiangsu = library.series("地区生产总值", "plan", {"region": "江苏", "year": 2026})
    assert len(jiangsu) == 1 and jiangsu == library.series(
        "地区生产总值", "plan", {"region": "江苏省", "year": 2026}
    )
    assert all("年均" not in (f.change or "") and "比重" not in f.indicator for f in points)


def test_five_year_shares_and_sub_indicators_stay_out(library: Library) -> None:
    everything = library.series("国内生产总值", "plan")
    for f in everything:
        named = normalize_indicator(f.indicator)
        assert named in ("国内生产总值", "地区生产总值", "生产总值", "经济增长"), f.indicator
        assert "年均" not in (f.change or "") and "五年" not in f.sentence[: f.start - f.sentence_start]
    assert normalize_indicator("提出国内生产总值") == "国内生产总值"
    # Found by a helper: the 2004 report's 7% (中央提出今年经济增长预期目标为7%左右) was missing from the
    # GDP series, and 2008's deficit (中央财政赤字预算拟安排1800亿元) from the deficit's.
    assert normalize_indicator("中央提出今年经济增长预期目标") == "经济增长"
    assert normalize_indicator("中央财政赤字预算") == "中央财政赤字"
    assert normalize_indicator("一般公共预算") == "一般公共预算"
    growth = indicator_series(
        library.facts, library.documents, library.texts, "国内生产总值", "plan", {"year": 2004}, "growth"
    )
    assert [f.value_text for f in growth] == ["7%"]  # a rate whose name says growth is a growth
    # The level this year's change reaches, after last year's (赤字率从去年的2.1%提高到2.3%).
    deficits = library.series("赤字率", "plan", {"level": "national", "year": [2015, 2016]})
    assert [f.value_text for f in deficits] == ["2.3%", "3%"]


def test_review_series_is_never_marked_plan(library: Library) -> None:
    review = library.series(
        "国内生产总值",
        "review",
        {"level": "national", "year": 2024},
    )
    assert len(review) == 1 and review[0].period == "review" and review[0].change == "增长5.2%"


def test_bad_filters_and_periods_are_refused(library: Library) -> None:
    with pytest.raises(QuestionError, match="unknown filter"):
        library.series("国内生产总值", "plan", {"province": "x"})
    with pytest.raises(QuestionError, match="period"):
        library.series("国内生产总值", "target")
    with pytest.raises(QuestionError, match="indicator"):
        library.series(" ")
    assert "level" in FILTER_KEYS  # ask takes the same report filters


def test_cli_series() -> None:
    out = io.StringIO()
    docs = [str(GOV_REPORTS / f"{y}_national.txt") for y in (2024, 2025)]
    code = main(
        ["facts", "--series", "--indicator", "国内生产总值", "--period", "plan", "--docs", *docs], out
    )
    text = out.getvalue()
    assert code == 0 and "《2024年国务院政府工作报告》" in text and "《2025年国务院政府工作报告》" in text
    assert text.count("国内生产总值  ") >= 2 and "5%" in text


def test_api_and_http_series(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from qa import ReportQA
    from qa.apps.server import create_app
    from tests.conftest import HashEmbedder

    files = [
        GOV_REPORTS / name
        for name in ("2024_national.txt", "2025_national.txt", "2026_province_guangdong.txt")
    ]
    bot = ReportQA.from_paths(files, index_dir=tmp_path / "index", embedder=HashEmbedder())
    national = bot.series("国内生产总值", filters={"level": "national"})
    assert [(f.year, f.value_text) for f in national] == [(2024, "5%"), (2025, "5%")]
    assert [
        f.value_text for f in bot.series("地区生产总值", filters={"level": "province", "year": 2026})
    ] == ["4.5%—5%"]
    assert {d.title for d in bot.documents} >= {"2024年国务院政府工作报告", "2026年广东省政府工作报告"}
    with TestClient(create_app(bot), raise_server_exceptions=False) as client:
        body = client.get(
            "/api/series", params={"indicator": "国内生产总值", "period": "plan", "level": "national"}
        )
        assert body.status_code == 200, body.text
        assert [f["value_text"] for f in body.json()["facts"]] == ["5%", "5%"]
        assert (
            client.get("/api/series", params={"indicator": "国内生产总值", "period": "x"}).status_code == 422
        )
        # An unknown level is refused as /api/ask refuses it, not answered with an empty list.
        assert (
            client.get("/api/series", params={"indicator": "国内生产总值", "level": "xyz"}).status_code == 422
        )
        guangdong = client.get("/api/series", params={"indicator": "地区生产总值", "region": "广东"})
        assert [f["value_text"] for f in guangdong.json()["facts"]] == ["4.5%—5%"]
        assert client.get("/api/documents").json()["documents"][0]["raw_title"]
