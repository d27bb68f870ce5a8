"""Rules written in tiers: the tier holding the amount a question states is quoted, and a follow-up
naming another amount asks of it (qa.text.tiers). Found by a helper: 工作满12年有几天年假？ had quoted
the first tier (5天) of a handbook whose second (10天) holds 12 years."""

from __future__ import annotations

import pytest

from qa.pipeline.substitutions import substitutions
from qa.text.tiers import amount_swapped, asked_amounts, tier_holding, tier_of
from tests.conftest import bot_of

LEAVE = [
    "第十二条 员工累计工作已满1年不满10年的，年休假5天；",
    "已满10年不满20年的，年休假10天；",
    "已满20年的，年休假15天。",
    "年休假原则上在当年内休完。",
]


@pytest.mark.parametrize(
    ("sentence", "tier"),
    [
        (LEAVE[0], ("年", 1, 10)),
        (LEAVE[2], ("年", 20, float("inf"))),
        ("劳动合同期限三年以上或者无固定期限的，试用期为六个月。", ("年", 3, float("inf"))),
        ("不满1年的，不享受年休假。", ("年", 0, 1)),  # the 满1年 of 不满1年 is no lower bound
        ("社保缴费满8个月的，可以申领。", ("月", 8, float("inf"))),
        ("年满60周岁不满70周岁的，每月发放高龄津贴100元。", ("岁", 60, 70)),  # 周岁, not 周
        ("3至6岁的，门票半价。", ("岁", 3, 6)),  # one unit for both bounds
        ("今年新建学校3所。", None),
        (LEAVE[3], None),
    ],
)
def test_the_tier_a_sentence_states(sentence: str, tier: tuple | None) -> None:
    assert tier_of(sentence) == tier


def test_the_tier_holding_the_asked_amount_is_chosen_within_its_rule() -> None:
    assert asked_amounts("2025年工作满12年的员工年假几天") == [("年", 12.0)]  # 2025年 is a year
    assert tier_holding("工作满12年有几天年假？", LEAVE, 0) == 1
    assert tier_holding("工作25年年假几天", LEAVE, 0) == 2
    # A sentence beside the rule is none of its tiers (a reviewer's 病假 question had been moved to one).
    sick = [*LEAVE[:3], "病假期间，工资按80%发放。"]
    assert tier_holding("工作满25年的老员工病假期间工资怎么发？", sick, 3) == 3
    assert tier_holding("年假怎么休？", LEAVE, 3) == 3  # no amount asked
    assert tier_holding("工作满12个月有几天年假？", LEAVE, 0) == 0  # no tier in months
    # Another rule's tiers in the same passage are not this one's.
    contract = ["劳动合同期限三年以上的，试用期为六个月。", "年休假原则上在当年内休完。", *LEAVE[:3]]
    assert tier_holding("工作满12年有几天年假？", contract, 2) == 3


def test_a_follow_up_naming_another_amount_asks_of_it() -> None:
    assert amount_swapped("满20年", "工作满12年有几天年假？") == "工作满20年有几天年假？"
    assert amount_swapped("医疗", "工作满12年有几天年假？") is None
    assert amount_swapped("2024年的财政收入", "2023年财政收入多少？") is None  # a year, no amount
    assert substitutions("满20年呢？", "工作满12年有几天年假？") == ["工作满20年有几天年假？"]


def test_a_handbook_quotes_the_tier_of_the_years_asked(tmp_path, real_embedder) -> None:
    text = (
        "员工手册\n第三章 休假\n" + "".join(LEAVE[:3]) + LEAVE[3] + "\n第十三条 员工请病假须提供病假证明。\n"
    )
    bot = bot_of(tmp_path, text, "handbook.txt", real_embedder)
    assert "年休假10天" in (bot.ask("工作满12年有几天年假？").answer or "")
    assert "年休假15天" in (bot.ask("工作满25年年假几天？").answer or "")
    assert "年休假10天" in (bot.chat(["工作满3年有几天年假？"]).ask("满12年呢？").answer or "")
