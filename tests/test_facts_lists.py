"""Key figures of a sentence listing several amounts, then their changes in the same order
(qa.facts.extract): each change belongs to its own amount (found by a helper in the facts table)."""

from __future__ import annotations

from tests.conftest import facts_of


def test_a_list_of_changes_after_as_many_amounts_pairs_them_in_order() -> None:
    # The first change had been the second amount's, and the second no one's.
    facts = facts_of("城镇居民人均可支配收入15781元，农村居民人均纯收入4761元，实际增长8.4%和8%。")
    assert [(f.indicator, f.value, f.change_pct) for f in facts] == [
        ("城镇居民人均可支配收入", 15781, 8.4),
        ("农村居民人均纯收入", 4761, 8.0),
    ]
    listed = facts_of("城乡居民人均可支配收入分别达6.9万元、3.4万元，增长4.2%、5.3%。")
    assert [(f.indicator, f.change_pct) for f in listed] == [
        ("城镇居民人均可支配收入", 4.2),
        ("农村居民人均可支配收入", 5.3),
    ]
    # One change after an amount is still that amount's, and a rate between breaks the pairing.
    single = facts_of("地区生产总值1.6亿元，比增8.8%，财政收入3亿元，增长5%。")
    assert [f.change_pct for f in single] == [8.8, 5.0]
    mixed = facts_of("财政收入3亿元，城镇化率65%，分别增长5%、2%。")
    assert [f.change_pct for f in mixed if f.kind == "amount"] == [None]


def test_a_labelled_line_names_its_figure_and_a_currency_names_none() -> None:
    # A product sheet's "- 颗粒物洁净空气量（CADR）：600立方米/小时" had been named "/小时", and a fee
    # table's "非牟利團體：港幣150元" 港幣 (found by a helper).
    sheet = facts_of("- 颗粒物洁净空气量（CADR）：600立方米/小时\n- 净重：9.8千克\n", period="other")
    assert [f.indicator for f in sheet] == ["颗粒物洁净空气量（CADR）", "净重"]
    fees = facts_of("非牟利团体：港币150元\n个人申请：港币300元\n", period="other")
    assert [(f.indicator, f.value) for f in fees] == [("非牟利团体", 150), ("个人申请", 300)]
    listed = facts_of("一、挂号费：每人次10元\n（一）成人门票：150元\n", period="other")
    assert [f.indicator for f in listed] == ["挂号费", "成人门票"]  # without their list marks


def test_a_years_bulletin_dates_its_figures_with_its_year() -> None:
    from qa.facts import extract_facts
    from qa.schema import Document, Passage

    text = "一、综合\n初步核算，全年全市地区生产总值5862.4亿元，比上年增长5.6%。"
    cases = (
        ("南州市2024年国民经济和社会发展统计公报", 2024),
        ("南州市生活垃圾分类通告", None),
        ("南州市2024年第一季度国民经济运行情况公报", None),  # a quarter's (a reviewer's)
    )
    for title, year in cases:
        doc = Document(text=text, title=title, source="b.txt", year=2024)
        passage = Passage(doc.doc_id, title, ["一、综合"], "other", 0, len(text), text, passage_id="p0")
        assert [f.year for f in extract_facts(text, [passage], doc.info)] == [year], title
