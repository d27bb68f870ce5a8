"""Rules written in tiers ("已满1年不满10年的，年休假5天；已满10年不满20年的，年休假10天；已满20年的，
年休假15天") and the amount a question states ("工作满12年有几天年假？"): which tier holds it.

Each tier is its own sentence once a rule is split at ；, and they read alike, so the answer scorer
cannot tell them apart: it had quoted the first tier whatever the years asked. Which tier holds 12
years is arithmetic on the quote, a fact the user can check, so ``qa.pipeline.answering`` moves the
answer to that tier among the sentences found beside it.
"""

from __future__ import annotations

import re

from qa.text.normalize import normalize
from qa.text.numerals import parse_numeral

__all__ = ["Tier", "amount_swapped", "asked_amounts", "tier_holding", "tier_of"]

_NUMBER = r"[0-9]+(?:\.[0-9]+)?|[一二两三四五六七八九十百]+"
# The units a tier is counted in; 个月 before 月, so that 8个月 is months.
_UNIT = r"个月|周岁|年|月|周|天|日|岁|小时|次|人|公里|平方米|万元|元"
_AMOUNT = re.compile(rf"({_NUMBER})\s*({_UNIT})")
# A tier's condition: its bounds, as rules write them, before the 的 that ends it.
_FROM_TO = re.compile(
    rf"(?:已?满|超过)?({_NUMBER})\s*({_UNIT})?(?:以上|及以上)?(?:[，,]?(?:不满|未满|不足|以下|至|到|[-—~～]))"
    rf"\s*({_NUMBER})\s*({_UNIT})(?:以下|以内)?"
)
_AT_LEAST = re.compile(
    rf"(?:(?<![不未])已?满|超过|达到)({_NUMBER})\s*({_UNIT})(?:以上)?|({_NUMBER})\s*({_UNIT})(?:以上|及以上)"
)
_BELOW = re.compile(rf"(?:不满|未满|不足)({_NUMBER})\s*({_UNIT})|({_NUMBER})\s*({_UNIT})(?:以下|以内)")
# The condition ends at its 的 (…不满10年的，年休假5天): the amounts after it are the tier's own.
_CONDITION = re.compile(r"^[^；;。]*?的[，,]")

Tier = tuple[str, float, float]  # unit, from (inclusive), to (exclusive)


def _value(number: str) -> float | None:
    try:
        return parse_numeral(number)
    except ValueError:
        return None


def _unit(unit: str) -> str:
    return {"个月": "月", "日": "天", "周岁": "岁"}.get(unit, unit)


def tier_of(sentence: str) -> Tier | None:
    """The tier ``sentence`` states in its condition ("已满10年不满20年的，…" -> ("年", 10, 20);
    "劳动合同期限三年以上…的，…" -> ("年", 3, inf)), or None when it states none."""
    condition = _CONDITION.match(normalize(sentence))
    if condition is None:
        return None
    text = condition.group(0)
    found = _FROM_TO.search(text)
    if found and _unit(found.group(2) or found.group(4)) == _unit(found.group(4)):  # 3至6岁: one unit
        low, high = _value(found.group(1)), _value(found.group(3))
        return None if low is None or high is None else (_unit(found.group(4)), low, high)
    # Below first: the 满1年 of 不满1年 is no lower bound.
    for pattern, at_least in ((_BELOW, False), (_AT_LEAST, True)):
        found = pattern.search(text)
        if found:
            # Either of the pattern's two forms matched: its number and unit are the groups it set.
            number, unit = [group for group in found.groups() if group is not None][:2]
            value = _value(number)
            if value is None:
                return None
            return (_unit(unit), value, float("inf")) if at_least else (_unit(unit), 0.0, value)
    return None


def asked_amounts(question: str) -> list[tuple[str, float]]:
    """The amounts ``question`` (normalized) states, with their units: "签三年合同" -> [("年", 3)]."""
    amounts = []
    for number, unit in _AMOUNT.findall(question):
        value = _value(number)
        if value is not None and not (unit == "年" and 1900 <= value <= 2100):  # 2025年 is a year
            amounts.append((_unit(unit), value))
    return amounts


def tier_holding(question: str, sentences: list[str], original: int) -> int:
    """The index among ``sentences`` (consecutive sentences of one passage; ``original`` the scorer's
    choice) of the tier of a rule that holds an amount the question states, when the chosen sentence
    is a tier of that rule (the run of tiers around it) that does not; ``original`` otherwise (a
    sentence beside a rule, 病假期间…, is no tier of it, whatever years the question names)."""
    chosen = original
    tiers = [tier_of(sentence) for sentence in sentences]
    tier = tiers[chosen]
    asked = [value for unit, value in asked_amounts(normalize(question)) if tier and unit == tier[0]]
    if tier is None or not asked:
        return original
    if any(tier[1] <= value < tier[2] for value in asked):
        return chosen
    first, last = chosen, chosen
    while first > 0 and (before := tiers[first - 1]) is not None and before[0] == tier[0]:
        first -= 1
    while last + 1 < len(tiers) and (after := tiers[last + 1]) is not None and after[0] == tier[0]:
        last += 1
    for n in range(first, last + 1):
        other = tiers[n]
        if other is not None and any(other[1] <= value < other[2] for value in asked):
            return n
    return original


def amount_swapped(name: str, earlier: str) -> str | None:
    """``earlier`` asked of the amount an elliptical ``name`` states ("满20年" after "工作满12年有几天
    年假？" -> "工作满20年有几天年假？"), when ``earlier`` states one amount of that unit; else None."""
    named = _AMOUNT.search(normalize(name))
    if named is None or (named.group(2) == "年" and _value(named.group(1)) in range(1900, 2101)):
        return None  # 那2024年的财政收入呢？ names a year and a thing: no amount
    stated = [m for m in _AMOUNT.finditer(earlier) if _unit(m.group(2)) == _unit(named.group(2))]
    if len(stated) != 1:
        return None
    return earlier[: stated[0].start()] + named.group(0) + earlier[stated[0].end() :]
