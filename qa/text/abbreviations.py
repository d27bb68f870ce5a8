"""Provinces by their one-character abbreviations (皖 for 安徽, 湘 for 湖南) and years by their last two
digits (08年 for 2008年), spelled out."""

from __future__ import annotations

import re

from qa.text.words import cut_words

# The official abbreviations whose character, as a word of its own, means nothing else (a fact
# list; 京, 苏, 新, 宁, 青, 云, 贵, 黑, 吉, 蒙, 藏, 甘, 秦, 港, 澳, 台 are everyday words or names too).
_PROVINCE_OF = {
    "津": "天津", "冀": "河北", "晋": "山西", "辽": "辽宁", "沪": "上海", "浙": "浙江", "皖": "安徽",
    "闽": "福建", "赣": "江西", "鲁": "山东", "豫": "河南", "鄂": "湖北", "湘": "湖南", "粤": "广东",
    "桂": "广西", "琼": "海南", "渝": "重庆", "川": "四川", "蜀": "四川", "黔": "贵州", "滇": "云南",
    "陕": "陕西", "陇": "甘肃",
}  # fmt: skip
# An abbreviation opening a clause (皖去年粮食产量多少？, 问一下，湘今年…) or after 和 (鄂和鲁分别…).
_OPENING = re.compile(rf"(?:^|(?<=[,，。、；;？?！!\s和与跟]))[{''.join(_PROVINCE_OF)}]")
# The one-character words that may follow a province's name: 鄂呢？, 鲁的, 鄂和鲁 (沪/深 may not).
_AFTER = frozenset("呢的和与跟省")


def provinces_spelled_out(text: str) -> str:
    """``text`` with a province's one-character abbreviation that opens a clause and is a word of
    its own before a longer one (皖/去年, 湘/今年) or 呢, 的, 和 in full: 皖去年粮食产量多少？ ->
    安徽去年粮食产量多少？ (it had been answered from the State Council's report). 沪深两市 (沪/深) and
    川藏铁路 (one word) stay."""
    for match in reversed(list(_OPENING.finditer(text))):
        words = cut_words(text[match.start() : match.start() + 12])
        if len(words) > 1 and words[0] == match.group() and (len(words[1]) > 1 or words[1] in _AFTER):
            text = text[: match.start()] + _PROVINCE_OF[match.group()] + text[match.end() :]
    return text


# A year by its last two digits, as people write it: with a leading zero (08年GDP…), naming a
# report (98年的政府工作报告, 18年报告) or as a chat's turn (11年的呢？); "10年" alone may be ten years
# and stays.
# After 近, 过去, 满, 了, 前, 后, 多, 第, 几, 这 it is a number of years (近10年的报告, 建了17年呢).
_SHORT_YEAR = re.compile(
    r"(?<![\d.．近去这满了前后多第几])(?:0\d年(?!代)|\d\d年(?=的?(?:(?:政府)?(?:工作)?报告|呢)))"
)
# 50年 to 99年 are of the 1900s (the earliest reports are of 1954), 00年 to 49年 of the 2000s.
CENTURY_TURN = 50


def years_spelled_out(text: str) -> str:
    """``text`` with a year written by its last two digits in full: 08年的报告 -> 2008年的报告 (it had
    not been read as a year, and another year's report answered)."""

    def full(match: re.Match[str]) -> str:
        short = int(match.group()[:2])
        return f"{1900 + short if short >= CENTURY_TURN else 2000 + short}年"

    return _SHORT_YEAR.sub(full, text)
