"""The catalog answers what checking every report in turn would: regions named, years covered."""

from __future__ import annotations

import pytest

from qa.errors import QuestionError
from qa.index.catalog import Catalog, covers_years, kept_documents, short_region
from qa.schema import DocumentInfo


def _info(doc_id: str, region: str, year: int | None = None, review_year: int | None = None) -> DocumentInfo:
    return DocumentInfo(doc_id, doc_id, doc_id, region=region, year=year, review_year=review_year)


DOCS = [
    _info("n24", "全国", 2024, 2023),
    _info("fj", "福建省", 2026, 2025),
    _info("zm", "紫帽镇人民政府", 2022, 2022),
    _info("jj", "晋江市", 2021, 2020),
    _info("x", "X省"),  # a one-character short name: only the full name names it
    _info("fj25", "福建省", 2025, 2024),
]


def _names_region_one_by_one(text: str, info: DocumentInfo) -> bool:
    region = info.region or ""
    short = short_region(region)
    return region not in ("", "全国") and (region in text or (len(short) >= 2 and short in text))


@pytest.mark.parametrize(
    "text",
    ["福建2025年GDP是多少", "紫帽镇财政收入", "晋江和福建省", "X省的人口", "X的人口", "全国粮食产量", "无关"],
)
def test_named_in_equals_checking_every_report(text: str) -> None:
    catalog = Catalog(DOCS)
    assert catalog.named_in(text) == [d for d in DOCS if _names_region_one_by_one(text, d)]


def test_place_names_in_are_the_names_found_longest_first() -> None:
    catalog = Catalog(DOCS)
    assert catalog.place_names_in("福建省和晋江的产值") == ["福建省", "晋江", "福建"]
    assert catalog.place_names_in("全国粮食产量") == []


@pytest.mark.parametrize("years", [(), (2024,), (2023,), (2025, 2021), (1999,)])
def test_covering_and_titled_equal_checking_every_report(years: tuple[int, ...]) -> None:
    catalog = Catalog(DOCS)
    assert catalog.covering(years) == [d for d in DOCS if covers_years(d, years)]
    assert catalog.titled(years) == [d for d in DOCS if d.year in years]
    assert catalog.national == [DOCS[0]]


def test_a_document_is_looked_up_by_its_id() -> None:
    docs = [DocumentInfo("a", "甲", "a.txt"), DocumentInfo("b", "乙", "b.txt")]
    catalog = Catalog(docs)
    assert catalog.info("b") is docs[1] and catalog.info("c") is None


def test_an_english_question_names_a_report_by_its_regions_pinyin() -> None:
    # Found by a helper: "What was Qingshi town's fiscal revenue last year?" was answered from another
    # town's report at 0.97; 山西 and 陕西 are both "shanxi" to pinyin, so that spelling names neither.
    catalog = Catalog([*DOCS, _info("qs", "青石镇", 2024), _info("sx", "山西省"), _info("sn", "陕西省")])
    assert catalog.place_names_in("what was qingshi town's fiscal revenue?") == ["青石"]
    assert [d.doc_id for d in catalog.named_in("how much did zimao spend on roads?")] == ["zm"]
    assert catalog.place_names_in("what is shanxi's gdp target?") == []


def test_a_region_filter_may_name_the_region_in_english() -> None:
    # Found by a helper: {"region": "Guangdong"} kept nothing, though questions read Guangdong.
    docs = [_info("gd", "广东省"), _info("sd", "山东省"), _info("qs", "青石镇")]
    for value in ("Guangdong", "guangdong province", "广东", "广东省"):
        assert [d.doc_id for d in kept_documents(docs, {"region": value})] == ["gd"]
    assert [d.doc_id for d in kept_documents(docs, {"region": ["Qingshi", "Shandong"]})] == ["sd", "qs"]
    assert kept_documents(docs, {"region": "Hunan"}) == []


def test_a_region_filter_names_the_state_councils_reports_as_people_do() -> None:
    # Found by a helper: only "全国" kept the national report; 中国, 国务院, China and national kept nothing.
    for value in ("全国", "中国", "国务院", "China", "national", "The State Council"):
        assert [d.doc_id for d in kept_documents(DOCS, {"region": value})] == ["n24"], value
    with pytest.raises(QuestionError, match="must not be empty"):  # had kept nothing, silently
        kept_documents(DOCS, {"region": " "})


def test_a_year_filter_may_be_written_with_its_year_character() -> None:
    assert [d.doc_id for d in kept_documents(DOCS, {"year": "2024年"})] == ["n24"]
    assert [d.doc_id for d in kept_documents(DOCS, {"year": ["2025", 2024]})] == ["n24", "fj25"]
