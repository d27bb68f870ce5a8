"""Indicators: what a figure measures, read from the words in front of it (财政总收入|1.6亿元).

The indicator is the noun phrase right before the figure in its clause (from the last ，、；： or the
previous figure), with fillers stripped from the front (全年 预计 完成 …) and connecting verbs from the
back (达到 为 超过 …). The patterns for change verbs (增长 比增 下降 …), years and quotations that the
extraction needs live here too: they are all about the words around a figure.
"""

from __future__ import annotations

import re

from qa.facts.figures import DIGITS, QUALIFIER_BEFORE, RUN

__all__ = [
    "ABSOLUTE_CHANGE",
    "CHANGE",
    "CLAUSE_BREAK",
    "COUNT_VERBS",
    "NEGATIVE",
    "QUOTE",
    "RELATIVE",
    "WIDE_CLAUSE_BREAK",
    "YEAR",
    "noun_after",
    "split_subjects",
    "strip_indicator",
]

# A bare number (a unit lost in a web copy: 广告牌83整治) ends a clause too; a date and an age
# (3岁以下婴幼儿托位数) do not.
CLAUSE_BREAK = re.compile(
    rf"[，,；;：:。！？!?、（(）)\n]|{RUN}(?: ?[.．] ?{RUN})?(?! ?[{DIGITS}.．年月日岁A-Za-z])"
)
WIDE_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?（(）)\n]")  # without 、, to see a 分别 list whole
QUOTE = re.compile(r"“[^“”]{1,30}”|「[^「」]{1,30}」")
_CN_YEAR_DIGITS = "〇○零一二三四五六七八九"
YEAR = re.compile(
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
# Words between an indicator and its figure (达到 为 超过 …), stripped from the back, repeatedly; not
# the 及 of a verb (惠及90%的在校生 had been filed as 惠).
_TRAILING = re.compile(
    r"(?:(?:将|可以|可)?(?:等于|相当于)[^，,；;]*|分别为|平均为|均为|约为|分别|平均|均超|均达|年均|均|每年|实际"
    r"|达到了?|达|(?<![行作成因认以])为|(?:由|从)(?:[0-9０-９一二〇○零]|上年|去年)[^，,；;]*|由|从|就|已经"
    r"|调整到|调整为|调整至"
    r"|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增长至|增至|扩大到|扩大至|降至|降到|下降到|下降至"
    r"|减少到|减少至|降低到|降低至|现在|目前|当前|如今|保持在|控制在|稳定在|稳定|保持|继续|持续|全年|实现|完成|累计|共计|合计|总计|共|拟按|按|安排"
    r"|拟|已|将|要|是|了|到|至|在|占|只|仅|又|也|还|和|与|(?<![惠涉普波顾企])及|有|的|约|近|超过|超|逾|突破|不低于|不少于|不超过"
    r"|\s|[\-—－:：“\"])+$"
)
# A change right before the figure: 增长 比增 同比下降 比上年增加 比上年年初预算增加 年均增长 …
CHANGE = re.compile(
    r"(?P<change>(?:同比|(?:比|较)(?:上年|去年|上一年|同期|年初|\d{4}年|“|[一二三四五六七八九十])[^，,；;、]{0,8}?"
    r"|年均|分别)?(?P<verb>比增|比降|比减|调增|调减|增长|增加|提高|提升|上涨|上升|下降|降低|减少|下滑|回落"
    r"|收窄|缩小|下跌|递增|递减)了?)$"
)
RELATIVE = frozenset({"%", "‰", "百分点", "倍"})
# Verbs that make a change of an absolute figure (增加1000亿元); 提升/提高 an amount reached or treated.
ABSOLUTE_CHANGE = frozenset(
    {"比增", "比降", "比减", "增长", "增加", "下降", "减少", "降低", "调增", "调减", "递增", "递减"}
)
NEGATIVE = re.compile(r"比降|比减|调减|递减|下降|降低|减少|下滑|回落|收窄|缩小|下跌")
# A short verb that counts what follows it: 新增9家国家级工厂 -> the indicator is 新增 + 国家级工厂.
_AFTER_NOUN_END = re.compile(
    r"[，,；;：:。！？!?、（(）)\n]|[0-9０-９](?![0-9０-９.]*[A-Za-z])|的|等|和|与|及|在|完成|实现|达到|获评|获|被|均"
    r"|全面|正式|稳步|(?:约|近|超过|超|逾)(?=[0-9０-９一二三四五六七八九])"  # 惠及80个乡镇近300万群众
)
COUNT_VERBS = re.compile(
    r"(?:新增|新建|建成|新认定|认定|引进|落地|组建|成立|办成|办好|办结|实施|改造|创建|培育|新开|开通|开工|建设|打造"
    r"|举办|完成)$"
)
MAX_INDICATOR = 24


def strip_indicator(raw: str) -> tuple[str, str | None]:
    """(indicator, qualifier before the figure) from the clause text in front of a figure."""
    qualifier = None
    text = raw.rstrip()
    q = QUALIFIER_BEFORE.search(text)
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


def noun_after(text: str, at: int, end: int) -> str:
    """The noun right after a counter (9家|国家级智能工厂), up to a clause mark or verb, at most 16 chars."""
    m = _AFTER_NOUN_END.search(text, at, end)
    return text[at : m.start() if m else end][:16].strip()


def split_subjects(phrase: str, count: int) -> list[str] | None:
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
