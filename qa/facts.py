"""Key figures: numeric facts read out of a report's sentences (财政总收入1.6亿元，比增8.8%).

One job: find each figure (a number with its unit), normalize it, and name what it measures. A
``Fact`` keeps the figure as written and its offsets, so ``document_text[start:end] == value_text``
and every figure can be shown in its source sentence.

How a sentence is read, left to right:

* A *figure* is a number (``1.6``, full-width ``１.６``, ``1,234``, spaced-out ``7 4 7 7 2``, ``百分之八``,
  a range ``5%—5.5%`` read as its lower end, or a Chinese numeral before a counter: ``三家``) with an
  optional multiplier (万 亿 千 百) and a unit from ``UNITS``; 左右/以上/多/约 … go to ``qualifier``.
  Numbers without a unit are skipped, which drops years (2022年), dates, list numbers and code-like
  digit runs; ordinals (第三届), model names (C919, 5G) and slogans in quotes (“四个全面”) are skipped too.
* The *indicator* is the noun phrase right before the figure in its clause (from the last ，、；：
  or the previous figure), with fillers stripped from the front (全年 预计 完成 …) and connecting
  verbs from the back (达到 为 超过 …). When only a short verb is left (新增9家国家级工厂) the noun
  after the counter is used.
* A change verb right before the figure (增长 比增 下降 比上年增加 …) makes it a *growth* figure.
  A growth figure with no indicator of its own (``1.6亿元，比增8.8%``) is the change of the figure
  before it, not a fact of its own.
* ``A、B分别增长4.5%、5.7%`` gives each figure its own subject.

The period and section come from the passage the figure is in; the year is an explicit year in the
sentence before the figure (2023年…目标是) or else the period's year: ``review_year`` for a review,
the year after it for a plan.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from qa.schema import DocumentInfo, Passage, Period
from qa.text.sentences import split_sentences

__all__ = ["UNITS", "Fact", "collect_facts", "extract_facts", "parse_number", "select_facts"]

Kind = Literal["amount", "rate", "growth"]
PERIODS: tuple[Period, ...] = ("review", "plan", "other")


@dataclass(frozen=True)
class Fact:
    """One figure of a report: what it measures, its value, and where it stands.

    ``kind`` is ``amount`` (a quantity: 1.6亿元, 3600个), ``rate`` (a level in percent: 城镇调查失业率
    5.2%) or ``growth`` (a change: 增长7.6%, 比上年增加1.1万亿元). A growth fact's ``value`` is the
    size of the change as written and ``change_pct`` its signed percentage (None for an absolute
    change or percentage points). An amount may carry the change that follows it (``change``).
    """

    indicator: str
    value: float  # in the base unit: 1.6亿元 -> 1.6e8 (unit 元); 8.8% -> 8.8 (unit %); a range's lower end
    unit: str
    value_text: str  # as written, == document text[start:end]
    kind: Kind
    change: str | None  # as written: "比增8.8%", "增长5%左右", "比上年增加1.1万亿元"
    change_pct: float | None  # signed: 下降3% -> -3.0
    qualifier: str | None  # 左右 以上 以内 多 余 约 近 超过 …, as written
    period: Period
    year: int | None  # the year the figure refers to
    doc_id: str
    document: str
    section: list[str]
    sentence: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    passage_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------------------------------- numbers

# Longest first, so 个百分点 wins over 个, 人次 over 人, 千瓦时 over 千瓦.
UNITS = (
    "个百分点", "百分点", "%", "％", "‰",
    "美元", "欧元", "港元", "元",
    "平方公里", "平方千米", "平方米", "立方米", "公里", "千米", "公顷", "亩",
    "千瓦时", "千瓦", "标箱", "吨", "公斤", "千克", "斤",
    "人次", "人", "名", "位", "户", "岁", "倍",
    "个", "家", "所", "件", "项", "条", "座", "台", "辆", "套", "间", "张", "宗", "株", "处",
    "场次", "场", "次", "起", "批", "支", "栋", "幢", "艘", "架", "例", "笔", "种", "部",
)  # fmt: skip
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
_COUNTERS = frozenset(UNITS) - {"%", "％", "‰", "个百分点", "百分点", "元", "美元", "欧元", "港元"}

_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_MULTIPLIER = {"百": 100, "千": 1000, "万": 10**4, "亿": 10**8}

_DIGITS = "0-9０-９"
# Digits may be spaced out one by one (the 1998 report prints "7 4 7 7 2 亿元"); a run allows that.
_RUN = rf"[{_DIGITS}](?: ?[{_DIGITS}])*"
_ARABIC = rf"[{_DIGITS}]{{1,3}}(?:,[0-9]{{3}})+(?![0-9])(?:[.．][{_DIGITS}]+)?|{_RUN}(?: ?[.．] ?{_RUN})?"
_CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
# One figure: arabic (with 多/余 and a multiplier), 百分之…, or a Chinese numeral, then a unit.
# The multiplier is lazy so 100万千瓦 reads 万 + 千瓦 and 5千米 reads 千米.
_FIGURE = re.compile(
    rf"(?<![A-Za-z{_DIGITS}.．第前/\-－—~～])(?<![{_DIGITS}] )"
    rf"(?:(?P<arabic>{_ARABIC})(?P<range>[%％]?[—–\-－~～至到]{{1,2}}(?:{_ARABIC}))?"
    rf" ?(?P<approx>[多余])?(?P<mult>[百千万亿]*?)(?P<approx2>[多余])?(?P<unit>{_UNIT_RE})"
    rf"|百分之(?P<pct>[{_DIGITS}.．]+|[{_CN_NUMERAL}点]+)"
    rf"|(?P<cn>[{_CN_NUMERAL}](?:[{_CN_NUMERAL}点]*[{_CN_NUMERAL}])?)(?P<cn_unit>{_UNIT_RE}))"
    rf"(?![A-Za-z{_DIGITS}])"
)
_QUALIFIER_AFTER = re.compile(r"\s*(左右|以上|以内|以下|上下|之内)")
_QUALIFIER_BEFORE = re.compile(r"(约|近|超过|超|逾|突破|不低于|不少于|不超过|低于|高于)$")


def _cn_int(s: str) -> float:
    """A Chinese numeral: 三 3, 十五 15, 两千 2000, 三千五百万 35,000,000, 二〇二二 2022, 三点五 3.5."""
    whole, _, frac = s.partition("点")
    if whole and all(c in _CN_DIGIT for c in whole) and len(whole) > 1:
        value = float("".join(str(_CN_DIGIT[c]) for c in whole))  # digit by digit: 二〇二二
    else:
        total = section = digit = 0
        for c in whole:
            if c in _CN_DIGIT:
                digit = _CN_DIGIT[c]
            elif c in _CN_SMALL:
                section += (digit or 1) * _CN_SMALL[c]
                digit = 0
            elif c in _CN_BIG:
                total = (total + section + digit) * _CN_BIG[c]
                section = digit = 0
        value = float(total + section + digit)
    if frac:
        value += float("0." + "".join(str(_CN_DIGIT.get(c, 0)) for c in frac))
    return value


def parse_number(text: str) -> float:
    """A number as written: ``1.6``, ``１.６``, ``1,234``, ``三``, ``十五``, ``两千``, ``八点八``."""
    plain = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    try:
        return float(plain)
    except ValueError:
        return _cn_int(text)


def _multiplier(mult: str) -> int:
    factor = 1
    for c in mult:
        factor *= _MULTIPLIER[c]
    return factor


def _unit_of(written: str) -> str:
    """The unit in its canonical spelling: ％ -> %, 个百分点 -> 百分点, 千米 -> 公里."""
    return {"％": "%", "个百分点": "百分点", "平方千米": "平方公里", "千米": "公里"}.get(written, written)


@dataclass
class _Figure:
    """A figure found in the text, before its indicator is known."""

    start: int
    end: int  # end of value_text
    value: float
    unit: str
    approx: str | None  # 多/余 inside the figure (30余亩), or the upper end of a range (5%—5.5%: "—5.5%")
    chinese: bool  # a Chinese-numeral count (三家)


def _figure(m: re.Match[str]) -> _Figure | None:
    """Normalize a ``_FIGURE`` match; None for digit runs that are codes or phone numbers, not figures."""
    if m.group("pct") is not None:
        return _Figure(m.start(), m.end(), parse_number(m.group("pct")), "%", None, False)
    if m.group("cn") is not None:
        cn = m.group("cn")
        # A lone 一 is an article (一批, 一个), and a numeral led by 百/千/万 an idiom (千家万户).
        if cn == "一" or cn[0] in "百千万亿":
            return None
        return _Figure(m.start(), m.end(), _cn_int(cn), _unit_of(m.group("cn_unit")), None, True)
    number = unicodedata.normalize("NFKC", m.group("arabic")).replace(" ", "")
    integer = number.split(".")[0].replace(",", "")
    if len(integer) >= 9 or (len(integer) > 1 and integer.startswith("0")):
        return None  # 031308171124 (dates run together), 12345678901: not quantities
    unit = m.group("unit")
    mult = m.group("mult")
    value = parse_number(number) * (1 if unit in ("%", "％", "‰") else _multiplier(mult))
    approx = m.group("approx") or m.group("approx2")
    if m.group("range"):  # 5%—5.5%, 3至5个: the value is the lower end, the rest is the qualifier
        approx = m.string[m.end("arabic") : m.end()].lstrip("%％")
    return _Figure(m.start(), m.end(), value, _unit_of(unit), approx, False)


# ---------------------------------------------------------------------------------------------- indicators

# A bare number (a unit lost in a web copy: 广告牌83整治) ends a clause too; a date does not.
_CLAUSE_BREAK = re.compile(
    rf"[，,；;：:。！？!?、（(）)\n]|{_RUN}(?: ?[.．] ?{_RUN})?(?! ?[{_DIGITS}.．年月日A-Za-z])"
)
_WIDE_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?（(）)\n]")  # without 、, to see a 分别 list whole
_QUOTE = re.compile(r"“[^“”]{1,30}”|「[^「」]{1,30}」")
_CN_YEAR_DIGITS = "〇○零一二三四五六七八九"
_YEAR = re.compile(
    rf"(?<![比较与同自从\d{_CN_YEAR_DIGITS}])"
    rf"((?:1 ?9|2 ?0) ?\d ?\d|[一二][{_CN_YEAR_DIGITS}]{{3}})\s*年(?!以来|来|的)"
)

# Fillers in front of an indicator: time, place, and verbs that only say a figure was reached.
# 新增 stays: 城镇新增就业 and 新增优质学位 are names of indicators.
_LEADING = re.compile(
    r"^(?:\s|(?:到|至|在)?(?:[0-9０-９](?: ?[0-9０-９]){3}|[一二][〇○零一二三四五六七八九]{3})"
    r" ?年(?:度|底|末)?"
    r"|[0-9０-９]{1,2}(?:[-—~～至到][0-9０-９]{1,2})?月(?:份|末|底)?"
    r"|上半年|下半年|前三季度|全年|今年|去年|上年|当年|年内|年末|年底|初步统计|据统计|其中|此外|同时"
    r"|全国|全省|全市|全区|全县|全镇|全乡|我国|我省|我市|我区|我县|我镇|预计|完成|实现|达到|累计"
    r"|共计|合计|总计|共|力争|确保|争取|努力|计划|拟|安排|预期|主要|目标|年均|平均|包括"
    r"|但是|而且|并且|而|例如|因此|所以|那么|另外|的|和|把|已经|是"
    r"|[\-—－~～.．、，,·]|[0-9０-９]+[.．、])+"
)
# Words between an indicator and its figure (达到 为 超过 …), stripped from the back, repeatedly.
_TRAILING = re.compile(
    r"(?:(?:将|可以|可)?(?:等于|相当于)[^，,；;]*|分别为|平均为|均为|约为|分别|平均|均超|均达|均|每年|实际"
    r"|达到了?|达|(?<![行作成因认以])为|(?:由|从)(?:[0-9０-９一二〇○零]|上年|去年)[^，,；;]*|由|从|就|已经"
    r"|调整到|调整为|调整至"
    r"|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增长至|增至|扩大到|扩大至|降至|降到|下降到|下降至"
    r"|减少到|减少至|降低到|降低至|保持在|控制在|稳定在|稳定|保持|继续|持续|全年|实现|完成|累计|共计|合计|总计|共|拟按|按|安排"
    r"|拟|已|将|要|是|了|到|至|在|占|只|仅|又|也|还|和|与|及|有|的|约|近|超过|超|逾|突破|不低于|不少于|不超过"
    r"|\s|[\-—－:：“\"])+$"
)
# A change right before the figure: 增长 比增 同比下降 比上年增加 比上年年初预算增加 年均增长 …
_CHANGE = re.compile(
    r"(?P<change>(?:同比|(?:比|较)(?:上年|去年|上一年|同期|年初|\d{4}年|“|[一二三四五六七八九十])[^，,；;、]{0,8}?"
    r"|年均|分别)?(?P<verb>比增|比降|比减|调增|调减|增长|增加|提高|提升|上涨|上升|下降|降低|减少|下滑|回落"
    r"|收窄|缩小|下跌|递增|递减)了?)$"
)
_RELATIVE = frozenset({"%", "‰", "百分点", "倍"})
# Verbs that make a change of an absolute figure (增加1000亿元); 提升/提高 an amount reached or treated.
_ABSOLUTE_CHANGE = frozenset(
    {"比增", "比降", "比减", "增长", "增加", "下降", "减少", "降低", "调增", "调减", "递增", "递减"}
)
_NEGATIVE = re.compile(r"比降|比减|调减|递减|下降|降低|减少|下滑|回落|收窄|缩小|下跌")
# A short verb that counts what follows it: 新增9家国家级工厂 -> the indicator is 新增 + 国家级工厂.
_AFTER_NOUN_END = re.compile(
    r"[，,；;：:。！？!?、（(）)\n]|[0-9０-９](?![0-9０-９.]*[A-Za-z])|的|等|和|与|及|在|完成|实现|达到|获评|获|被|均"
    r"|全面|正式|稳步|(?:约|近|超过|超|逾)(?=[0-9０-９一二三四五六七八九])"  # 惠及80个乡镇近300万群众
)
_COUNT_VERBS = re.compile(
    r"(?:新增|新建|建成|新认定|认定|引进|落地|组建|成立|办成|办好|办结|实施|改造|创建|培育|新开|开通|开工|建设|打造"
    r"|举办|完成)$"
)
MAX_INDICATOR = 24


def _strip_indicator(raw: str) -> tuple[str, str | None]:
    """(indicator, qualifier before the figure) from the clause text in front of a figure."""
    qualifier = None
    text = raw.rstrip()
    q = _QUALIFIER_BEFORE.search(text)
    if q:
        qualifier, text = q.group(1), text[: q.start()]
    text = _TRAILING.sub("", text)
    text = _LEADING.sub("", text)
    text = _TRAILING.sub("", text)  # again: 全年预计完成…达到 leaves a verb at either end
    text = text.strip("\"'（()）[]【】《》·—-－ ")
    if text.count("“") != text.count("”"):  # a quotation cut by the clause start
        text = text.replace("“", "").replace("”", "")
    if len(text) > MAX_INDICATOR:
        text = text[-MAX_INDICATOR:]  # Chinese noun phrases end in their head: keep the end
    return text, qualifier


def _noun_after(text: str, at: int, end: int) -> str:
    """The noun right after a counter (9家|国家级智能工厂), up to a clause mark or verb, at most 16 chars."""
    m = _AFTER_NOUN_END.search(text, at, end)
    return text[at : m.start() if m else end][:16].strip()


def _split_subjects(phrase: str, count: int) -> list[str] | None:
    """``城镇居民、农村居民人均可支配收入`` for 2 figures -> 城镇居民人均可支配收入, 农村居民人均可支配收入.

    The shared head noun is written once, after the last subject; it is the part of the last
    subject beyond the length of the first (a guess that holds for parallel subjects).
    """
    subjects = [s for s in phrase.split("、") if s]
    if count == 2 and len(subjects) == 1 and phrase.startswith("城乡"):  # 城乡居民收入分别增长4.4%、5.6%
        return ["城镇" + phrase[2:], "农村" + phrase[2:]]
    if len(subjects) != count:  # 事故起数和死亡人数分别下降49.9%、45%
        subjects = [s for s in re.split("[、和及与]", phrase) if s]
    if len(subjects) != count or count < 2:
        return None
    first, last = subjects[0].removeprefix("对"), subjects[-1]  # 对非洲、拉美市场出口: 对 is no part of it
    head = last[len(first) :] if len(last) > len(first) + 1 else ""
    return [s if s.endswith(head) else s + head for s in subjects[:-1]] + [last]


# ---------------------------------------------------------------------------------------------- extraction


@dataclass
class _Draft:
    figure: _Figure
    indicator: str
    kind: Kind
    change: str | None
    change_pct: float | None
    qualifier: str | None
    year: int | None


@dataclass
class _Listing:
    """The rest of a 分别 list: A、B分别增长4.5%、5.7% leaves [B] for the figure after 、."""

    subjects: list[str]
    verb: str | None  # the change verb shared by the list, None for amounts


def _signed(verb: str | None, value: float) -> float:
    return -value if verb and _NEGATIVE.fullmatch(verb) else value


def _sentence_drafts(text: str, start: int, end: int) -> list[_Draft]:
    """The facts of one sentence ``text[start:end]``, with changes attached to their amounts."""
    quotes = [q.span() for q in _QUOTE.finditer(text, start, end)]
    drafts: list[_Draft] = []
    last_end = start  # where the previous figure (and its qualifier) ended
    listing: _Listing | None = None
    for m in _FIGURE.finditer(text, start, end):
        figure = _figure(m)
        if figure is None or any(qs <= figure.start < qe for qs, qe in quotes):
            continue
        after = _QUALIFIER_AFTER.match(text, figure.end, end)
        fig_end = after.end() if after else figure.end
        breaks = [b.end() for b in _CLAUSE_BREAK.finditer(text, last_end, figure.start)]
        clause_start = max([last_end, *breaks])
        raw = text[clause_start : figure.start]
        if figure.chinese and not _chinese_count_ok(text, raw, fig_end, end):
            continue
        # 出口增长近30%: a qualifier may stand between the change verb and the figure
        near = _QUALIFIER_BEFORE.search(raw)
        change = _CHANGE.search(raw, 0, near.start() if near else len(raw))
        if change and figure.unit not in _RELATIVE and change.group("verb") not in _ABSOLUTE_CHANGE:
            change = None  # 农房风貌提升26.4万户 is how many were improved, not by how many they grew
        verb = change.group("verb") if change else None
        indicator, before_qualifier = _strip_indicator(raw[: change.start()] if change else raw)
        if change and near:
            before_qualifier = near.group(1)
        qualifier = " ".join(q for q in (before_qualifier, figure.approx, after and after.group(1)) if q)
        relative = figure.unit in ("%", "‰")
        adjacent = not text[last_end:clause_start].strip(" ，,、")  # only a comma since the last figure
        change_text = text[clause_start + change.start() : fig_end] if change else None

        previous = drafts[-1] if drafts else None
        if (
            change
            and not indicator
            and adjacent
            and previous
            and previous.kind != "growth"
            and not previous.change
        ):
            # 1.6亿元，比增8.8%: the change of the figure before, not a fact of its own
            previous.change = change_text
            previous.change_pct = _signed(verb, figure.value) if relative else None
            last_end = fig_end
            continue
        if listing and listing.subjects and text[last_end : figure.start].strip() in _LIST_JOINS:
            indicator, verb = listing.subjects.pop(0), listing.verb  # the next item of 分别增长4.5%、5.7%
            if verb:
                change_text = verb + text[figure.start : fig_end]
        elif "分别" in raw:
            listing = _listing(text, start, clause_start + raw.index("分别"), fig_end, end)
            listing.verb = verb
            indicator = listing.subjects.pop(0) or indicator
        else:
            listing = None
            if not indicator and previous and adjacent and raw.rstrip().endswith(("到", "至", "为")):
                indicator = previous.indicator  # 积累率由36.5%调整到29%: the new level of the same thing
        if len(indicator) <= 2 or (figure.unit in _COUNTERS and _COUNT_VERBS.search(indicator)):
            noun = _noun_after(text, fig_end, end)  # 新增9家国家级工厂, 增发1万亿元国债: named after
            if noun:
                indicator = indicator + noun if len(indicator) <= 4 else noun
        last_end = fig_end
        if not indicator:
            continue  # a figure that names nothing is no key figure
        kind: Kind = "growth" if verb else "rate" if relative else "amount"
        pct = _signed(verb, figure.value) if verb and relative else None
        year = _year_before(text, start, figure.start)
        drafts.append(_Draft(figure, indicator, kind, change_text, pct, qualifier or None, year))
    return drafts


def _listing(text: str, start: int, subjects_end: int, fig_end: int, end: int) -> _Listing:
    """The subjects of a 分别 list, one per figure: the 、-joined phrase before 分别, split."""
    wide_start = max([start] + [b.end() for b in _WIDE_CLAUSE_BREAK.finditer(text, start, subjects_end)])
    phrase, _ = _strip_indicator(text[wide_start:subjects_end])
    count = 1 + _following_list_items(text, fig_end, end)
    return _Listing(_split_subjects(phrase, count) or [phrase] * count, None)


_LIST_JOINS = ("、", "和", "及", "与")


def _following_list_items(text: str, at: int, end: int) -> int:
    """How many figures follow ``at`` as a 、-separated list (分别增长4.5%、5.7% -> 1)."""
    count = 0
    while at < end and text[at] in _LIST_JOINS:
        f = _FIGURE.match(text, at + 1, end)
        if not f:
            return count
        count += 1
        q = _QUALIFIER_AFTER.match(text, f.end(), end)
        at = q.end() if q else f.end()
    return count


def _chinese_count_ok(text: str, before: str, after: int, end: int) -> bool:
    """A Chinese-numeral count is a figure only where one is expected: right after a counting verb
    (办好十件…, 新增三家…) or closing its clause (…企业三家。). Elsewhere it is a set phrase (四个全面)."""
    return bool(_COUNT_VERBS.search(before)) or after >= end or bool(_CLAUSE_BREAK.match(text, after))


def _year_before(text: str, start: int, at: int) -> int | None:
    """The last year named before ``at`` in the sentence (2023年…目标是), not a base year (比2020年,
    等于1949年的2倍)."""
    years = _YEAR.findall(text, start, at)
    return int(parse_number(years[-1])) if years else None


def _period_year(period: Period, review_year: int | None) -> int | None:
    if review_year is None or period == "other":
        return None
    return review_year + 1 if period == "plan" else review_year


def extract_facts(text: str, passages: Sequence[Passage], info: DocumentInfo) -> list[Fact]:
    """Every figure of one document, in text order.

    ``passages`` are the document's passages (they give period and section); ``text`` is its
    stored text, which all offsets index. A figure outside every passage is skipped.
    """
    ordered = sorted((p for p in passages if p.doc_id == info.doc_id), key=lambda p: p.start)
    starts = [p.start for p in ordered]
    facts: list[Fact] = []
    for s, e in split_sentences(text):
        for d in _sentence_drafts(text, s, e):
            i = bisect.bisect_right(starts, d.figure.start) - 1
            if i < 0 or ordered[i].end < d.figure.end:
                continue
            passage = ordered[i]
            facts.append(
                Fact(
                    indicator=d.indicator,
                    value=d.figure.value,
                    unit=d.figure.unit,
                    value_text=text[d.figure.start : d.figure.end],
                    kind=d.kind,
                    change=d.change,
                    change_pct=d.change_pct,
                    qualifier=d.qualifier,
                    period=passage.period,
                    year=d.year or _period_year(passage.period, info.review_year),
                    doc_id=info.doc_id,
                    document=info.title,
                    section=list(passage.section),
                    sentence=text[s:e],
                    start=d.figure.start,
                    end=d.figure.end,
                    sentence_start=s,
                    sentence_end=e,
                    passage_id=passage.passage_id,
                )
            )
    return facts


def collect_facts(
    documents: Iterable[DocumentInfo], texts: Mapping[str, str], passages: Iterable[Passage]
) -> list[Fact]:
    """The facts of several documents (an index's documents, texts and passages), document by document."""
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    return [
        fact
        for info in documents
        for fact in extract_facts(texts[info.doc_id], by_doc.get(info.doc_id, []), info)
    ]


def select_facts(
    facts: Iterable[Fact], doc_id: str | None = None, indicator: str | None = None, period: str | None = None
) -> list[Fact]:
    """The facts of one document, whose indicator contains ``indicator`` (width and case ignored),
    of one period; None means any. Raises ValueError for a period that is not review/plan/other."""
    if period is not None and period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    wanted = _fold(indicator) if indicator else None
    return [
        f
        for f in facts
        if (doc_id is None or f.doc_id == doc_id)
        and (period is None or f.period == period)
        and (wanted is None or wanted in _fold(f.indicator))
    ]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()
