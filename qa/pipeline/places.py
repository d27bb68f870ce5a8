"""Places a question names: provinces by their short names, and cities, counties and towns; and
the divisions that hold a city or county (晋江市 lies in 泉州市, 福建省).

Read by the coverage check (a place the collection lacks is refused as such, and the reports of
the province that holds it are offered first) and by retrieval (a report year named without any
place means the State Council's report).
"""

from __future__ import annotations

import csv
import importlib.util
import re
from functools import cache, lru_cache
from pathlib import Path

from qa.errors import QuestionError
from qa.pipeline.query import Query, analyze
from qa.text.normalize import CJK_RANGES
from qa.text.words import cut_words

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
    rf"[{CJK_RANGES}]{{2,4}}?(?:市|县|镇|乡)(?![场长委民级区镇村城圈])(?!政(?!府))"
)

# An English word, with its apostrophes (Luoyang's, Xi'an, Xi’an).
_ENGLISH_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)*")
# A character before 市/县/镇/乡 that makes a word for "this level" rather than a name: 全市, 本县, 我镇,
# 这个县; and characters no place's name holds, which mark a phrase: 的, the 不/没 of a question
# asked as A-not-A (能不能找县医院, 有没有), and verbs of going (病人送到县医院, 去县里, 找县医院: it had
# been refused as 没有病人送到县的报告). cpca's table has none of them.
_LEVEL_SAYERS = frozenset("全本我该此各咱每个些两三四五六七八九十")  # 沪深两市, 苏浙三省: counts, no names
# The question words of 哪些县, 什么市, 多少个乡 mark a phrase too (哪些州市入选…？ had been refused as
# 没有哪些州市的报告).
_PHRASE_MARKS = frozenset("的不没到送往去找哪啥么几少")
# Words that end like a place name and are none: 城市, 乡镇, 股市, 上市 (公司计划上市) … (no division's
# name ends in any of them; 门市, 集市, 花市 and 都市 do: 厦门市, 辛集市, 攀枝花市, 成都市)
_NOT_PLACES = (
    "城市", "城镇", "乡镇", "集镇", "村镇", "县市", "省市", "超市", "股市", "楼市", "县乡",
    "上市", "夜市", "菜市", "早市", "闹市", "车市", "债市", "黑市", "牛市", "熊市",
)  # fmt: skip
# Where the asker is, not what the question asks about: "我在芜湖上班，请问今年全省…" had been refused
# as 没有芜湖的报告. A place named right after these (a few characters on, within the clause: 我在安徽
# 芜湖) is the asker's, unless the question names it again.
_ASKERS_PLACE = re.compile(
    r"我们?(?:现在|目前|一直|平时)?(?:在|是|住在?|家在|家住|老家(?:在|是)?|来自|从|回)[^，,。；;？?！!]{0,4}$"
)
# Words that end like one and are policy words after a word of two or more characters (统筹城乡,
# 家电下乡, 农民工返乡, 特色小镇, 工业重镇) or as an idiom of their own (江南水乡, 鱼米之乡), but end
# township names after one character or a two-character name (王家乡, 石下乡, 古城乡: jieba reads 古城/乡).
_POLICY_ENDINGS = (
    "城乡", "下乡", "返乡", "回乡", "还乡", "家乡", "故乡", "老乡", "之乡", "水乡", "小镇", "重镇",
)  # fmt: skip
# Prefecture-level cities whose English name is not pypinyin's reading of their characters.
_ENGLISH_NAMES = {
    "harbin": "哈尔滨", "hohhot": "呼和浩特", "urumqi": "乌鲁木齐", "lhasa": "拉萨", "ordos": "鄂尔多斯",
    "qiqihar": "齐齐哈尔", "changzhi": "长治", "chaoyang": "朝阳", "changdu": "昌都", "luohe": "漯河",
    "lvliang": "吕梁", "luliang": "吕梁",
}  # fmt: skip
# The names cpca's table gives its groupings, which are no places (重庆's 县, 湖北's 省直辖县级行政区划).
_GROUPINGS = re.compile(r"^(?:县|市辖区)$|直辖县级行政区划$")


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
def _division_names() -> frozenset[str]:
    """The full names of every division in cpca's table (天全县, 洛阳市, 河南省)."""
    return frozenset(_divisions().values())


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
    pypinyin; Harbin, Urumqi and a few others by their English names); a spelling two cities share
    (suzhou: 苏州, 宿州) or a province's (jilin) names none."""
    # Imported here: only an English question naming a place needs it (its tables are ~50 MB).
    from pypinyin import lazy_pinyin

    spellings: dict[str, list[str]] = {}
    for name in prefecture_cities():
        spellings.setdefault("".join(lazy_pinyin(name)), []).append(name)
    provinces = {"".join(lazy_pinyin(p)) for p in PROVINCES}
    unique = {s: names[0] for s, names in spellings.items() if len(names) == 1 and s not in provinces}
    return unique | _ENGLISH_NAMES


def _english_places(query: Query) -> list[str]:
    """Provinces and prefecture-level cities an English question names: the provinces from its
    glossary terms (Henan -> 河南), the cities by their pinyin (Luoyang's, Xi'an)."""
    if query.has_cjk:  # a question in Chinese names its places in Chinese; its "GDP" needs no pinyin
        return []
    places = [term for term in query.translated if term in PROVINCES]
    words = _ENGLISH_WORD.findall(query.normalized)
    cities = english_cities() if words else {}
    for word in words:
        name = cities.get(re.sub(r"['’]s$", "", word).replace("'", "").replace("’", ""))
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
    held_by = [names[c] for c in [*parents, code[:2] + "0" * 10] if c in names]
    return [name for name in held_by if not _GROUPINGS.search(name)]


def _is_place(name: str) -> bool:
    """Whether a name the locality pattern took is a place, not a word (城市, 统筹城乡, 鱼米之乡,
    谁负责全市: 全市, 本县, 我镇, 这个县 say which level, not which place; 天全县 is a county all the
    same; 补贴的钱县, 能不能找县: no place's name holds 的 or 不)."""
    if name.endswith(_NOT_PLACES):
        return False
    if (name[-2] in _LEVEL_SAYERS or _PHRASE_MARKS.intersection(name)) and name not in _division_names():
        return False  # 全市, 这个县 say which level; 补贴的钱县, 能不能找县(医院) are phrases
    ending = next((e for e in _POLICY_ENDINGS if name.endswith(e)), None)
    if ending is None:
        return True
    parts = cut_words(name)
    return not (parts == [name] or (parts[-1] == ending and len(name) - len(ending) >= 2))


@lru_cache(maxsize=256)
def _words(text: str) -> frozenset[str]:
    """The words of ``text`` as jieba reads them (once per text: a question names several cities)."""
    return frozenset(cut_words(text))


def names_as_word(text: str, place: str) -> bool:
    """Whether ``text`` names ``place`` (洛阳) as a word of its own, as jieba reads it: 洛阳 or 洛阳市,
    or its port (岳阳港, one word to jieba: a library had quoted Guangdong's ports for it), not the 长治
    of 长治久安 nor the 中山 of 中山装."""
    return place in text and not {place, place + "市", place + "港"}.isdisjoint(_words(text))


def named_places(query: Query, cities: bool = False) -> list[str]:
    """Places the question names: provinces by their short names, and cities, counties, towns;
    with ``cities``, also prefecture-level cities by their bare names (洛阳, not only 洛阳市), each a
    word of its own as jieba reads the question (长治久安 does not name 长治), and the provinces and
    cities an English question names (Henan, Luoyang), by their Chinese names."""
    text = query.normalized
    places = [p for p in PROVINCES if p in text]
    for match in _LOCALITY.finditer(text):
        name = match.group(0)
        if _is_place(name) and "年" not in name and not any(p in name for p in places):
            places.append(name)
    if not cities:
        return places
    bare = [c for c in prefecture_cities() if c in text]
    if bare:
        named = [c for c in sorted(bare) if names_as_word(text, c)]
        places += [c for c in named if not any(c in p for p in places)]
    places += [p for p in _english_places(query) if p not in places]
    return [p for p in places if not _askers_own(text, p)]


def _askers_own(text: str, place: str) -> bool:
    """Whether every time ``text`` names ``place`` it says where the asker is (我在芜湖上班)."""
    starts = [m.start() for m in re.finditer(re.escape(place), text)]
    return bool(starts) and all(_ASKERS_PLACE.search(text, 0, start) for start in starts)


def places_in(text: str, cities: bool = False) -> list[str]:
    """``named_places`` of any text (a sentence, a title, a word), [] for one a question could not be
    (谢谢, a sentence over the question limit)."""
    try:
        return named_places(analyze(text), cities=cities)
    except QuestionError:
        return []


# Asked of every word of a chat's earlier question, once for its readings and once more to remember it.
@lru_cache(maxsize=4096)
def names_a_place(text: str) -> bool:
    """Whether ``text`` (a word or a short phrase: 湖北, Guangdong, 晋江市) names a place."""
    return bool(places_in(text, cities=True))
