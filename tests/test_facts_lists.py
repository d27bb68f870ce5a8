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
