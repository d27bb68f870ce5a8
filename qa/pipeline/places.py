"""Places a question names: provinces by their short names, and cities, counties and towns; and
the divisions that hold a city or county (晋江市 lies in 泉州市, 福建省).

Read by the coverage check (a place the collection lacks is refused as such, and the reports of
the province that holds it are offered first) and by retrieval (a report year named without any
place means the State Council's report).
"""

from __future__ import annotations

import csv
import importlib.util
import logging
import re
from functools import cache
from pathlib import Path

import jieba
from pypinyin import lazy_pinyin

from qa.pipeline.query import Query
from qa.text.normalize import CJK_RANGES

jieba.setLogLevel(logging.WARNING)  # not its dictionary-loading chatter on every first question

# The provincial-level divisions, by the short names people use (a fact list, complete).
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)  # fmt: skip
# A named city, county or town: two to four characters before 市/县/镇/乡 (not 区: 开发区, 示范区
# and 自贸区 are programmes, not places), at the start or after a pause or a year ("2025年深圳市"),
# not beginning with a function word, and not 市场/市长/县委/镇长/乡镇/乡村/县城/市政…; but
# 市政府/县政府 ("苏州市政府工作报告") is the place's government.
_LOCALITY = re.compile(
    rf"(?:^|(?<=[,，。、？?\s年的]))(?![的了在和与及是有对把被从到各全本我])"
    rf"[{CJK_RANGES}]{{2,4}}?(?:市|县|镇|乡)(?![场长委民级区镇村城])(?!政(?!府))"
)

# An English word, with its apostrophes (Luoyang's, Xi'an).
_ENGLISH_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
# Words that end like a place name and are none: 城市, 乡镇, 股市; 城乡, 下乡 (家电下乡), 返乡
# (农民工返乡), 之乡 (鱼米之乡), 水乡, 小镇 (特色小镇 is a programme) …
_NOT_PLACES = (
    "城市", "城镇", "乡镇", "集镇", "村镇", "县市", "省市", "超市", "股市", "楼市", "县乡",
    "城乡", "下乡", "返乡", "回乡", "还乡", "家乡", "故乡", "老乡", "之乡", "水乡", "小镇", "重镇",
)  # fmt: skip


@cache
def _divisions() -> dict[str, str]:
    """China's provinces, prefectures and counties by code (PPCCDD000000: province PP, prefecture
    CC, county DD), from cpca's table of administrative divisions (a fact list, complete; read from
    the file, without importing cpca and its pandas)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("cpca, a dependency of report-qa, is not installed: pip install -e .")
    table = Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    with table.open(encoding="utf-8") as rows:
        return {row["adcode"]: row["name"] for row in csv.DictReader(rows)}


@cache
def prefecture_cities() -> frozenset[str]:
    """The short names of China's prefecture-level cities (洛阳, 张家界, 深圳). Names shared with a
    province (吉林) are the province's."""
    # A prefecture's code is PPCC00000000, CC not 00; only those named …市 are cities.
    names = {
        name[:-1]
        for code, name in _divisions().items()
        if code[2:4] != "00" and set(code[4:]) == {"0"} and name.endswith("市")
    }
    return frozenset(name for name in names if len(name) >= 2 and name not in PROVINCES)


@cache
def english_cities() -> dict[str, str]:
    """Prefecture-level cities by their pinyin as English writes them (luoyang -> 洛阳, from
    pypinyin); a spelling two cities share (suzhou: 苏州, 宿州) or a province's (jilin) names none."""
    spellings: dict[str, list[str]] = {}
    for name in prefecture_cities():
        spellings.setdefault("".join(lazy_pinyin(name)), []).append(name)
    provinces = {"".join(lazy_pinyin(p)) for p in PROVINCES}
    return {s: names[0] for s, names in spellings.items() if len(names) == 1 and s not in provinces}


def _english_places(query: Query) -> list[str]:
    """Provinces and prefecture-level cities an English question names: the provinces from its
    glossary terms (Henan -> 河南), the cities by their pinyin (Luoyang's, Xi'an)."""
    places = [term for term in query.translated if term in PROVINCES]
    cities = english_cities()
    for word in _ENGLISH_WORD.findall(query.normalized):
        name = cities.get(word.removesuffix("'s").replace("'", ""))
        if name and name not in places:
            places.append(name)
    return places


def containing(place: str) -> list[str]:
    """The divisions that hold a city or county, nearest first (晋江市 -> 泉州市, 福建省; 洛阳 ->
    河南省); empty when the name is not one division's (紫帽镇, or a county name two provinces share)."""
    names = _divisions()
    codes = [c for c, n in names.items() if n == place or (n[:-1] == place and n.endswith("市"))]
    if len(codes) != 1 or codes[0][2:] == "0" * 10:
        return []
    code = codes[0]
    parents = [code[:4] + "0" * 8] if code[4:6] != "00" else []
    return [names[c] for c in [*parents, code[:2] + "0" * 10] if c in names]


def named_places(query: Query, cities: bool = False) -> list[str]:
    """Places the question names: provinces by their short names, and cities, counties, towns;
    with ``cities``, also prefecture-level cities by their bare names (洛阳, not only 洛阳市), each a
    word of its own as jieba reads the question (长治久安 does not name 长治), and the provinces and
    cities an English question names (Henan, Luoyang), by their Chinese names."""
    text = query.normalized
    places = [p for p in PROVINCES if p in text]
    for match in _LOCALITY.finditer(text):
        name = match.group(0)
        if not name.endswith(_NOT_PLACES) and "年" not in name and not any(p in name for p in places):
            places.append(name)
    if not cities:
        return places
    bare = [c for c in prefecture_cities() if c in text]
    if bare:
        words = set(jieba.lcut(text))
        named = [c for c in sorted(bare) if c in words or c + "市" in words]
        places += [c for c in named if not any(c in p for p in places)]
    return places + [p for p in _english_places(query) if p not in places]
