"""What a question asks for, read from its words, and whether a text holds it.

A question asks for a kind of thing (a date, a list, a percentage, an amount of money, any figure),
sometimes in a named unit (多少亿元, 几公里, in yuan), and leaves a gap whose neighbouring words an
answering sentence repeats ("该公司[哪一年]成立" -> "该公司于1990年成立"). The answer scorer's features
(``qa.pipeline.features``) measure each candidate sentence against these.
"""

from __future__ import annotations

import re

from qa.index.lexical import tokenize
from qa.pipeline.query import Query

# Digits grouped by thousands as budgets and tenders write them (3,560,000.00), or not.
_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_CHINESE_DIGITS = "一二两三四五六七八九十百千万"
# 零 stands inside a numeral for a skipped place (一千零四十四万, 二百零四个), never at its start.
_CHINESE_NUMBER = f"[{_CHINESE_DIGITS}][{_CHINESE_DIGITS}零〇]*"
# Not inside a longer Chinese numeral, nor an ordinal (第四条, 第3条).
_NUMERAL_START = f"(?<![第零〇{_CHINESE_DIGITS}])"
# A number in Chinese characters as laws and articles write amounts (二百元, 三株): it starts with a
# digit, not with 百 or 万 (每万元 is a rate's base, not an amount), and is more than a lone 一
# (一次性, 一头连着: words, not amounts).
_LONE_ONE = f"(?!一(?![{_CHINESE_DIGITS}]))"
_CHINESE_AMOUNT = _NUMERAL_START + _LONE_ONE + f"[一二两三四五六七八九十][{_CHINESE_DIGITS}零〇]*"
# An amount in the financial numerals contracts, tenders and receipts write (叁佰陆拾万, 壹拾叁万陆仟捌佰):
# with a place (拾, 佰, 仟, 万, 亿), so that the 伍 of 队伍 and the 陆 of 大陆 are no amounts.
_FINANCIAL_DIGITS = "壹贰叁肆伍陆柒捌玖"
_FINANCIAL_PLACES = "拾佰仟万亿"
_FINANCIAL_AMOUNT = (
    f"[{_FINANCIAL_DIGITS}拾][{_FINANCIAL_DIGITS}零]*"  # 叁, 壹拾, 叁零
    f"[{_FINANCIAL_PLACES}][{_FINANCIAL_DIGITS}{_FINANCIAL_PLACES}零]*"  # a place, then the rest: 万伍仟
)
# A sum in a currency's sign (¥3,600,000.00; NFKC makes the full-width ￥ this one).
_CURRENCY_SIGN = r"(?:¥|RMB|rmb)\s*"
# Units of measure and counting words a figure is given in (general usage: lengths, areas, weights,
# volumes, power, durations, counts). Not the classifiers 个, 项, 家 after a Chinese numeral: 一个中心
# and 两项制度 are words as often as counts, so they make a figure (FIGURE) but not one in a unit.
_MEASURES = (
    "(?:人次|人|名|亩|公里|千米|平方米|立方米|厘米|毫米|米|吨|千克|公斤|克|斤|毫升|升|千瓦|瓦|小时|分钟|秒|"
    "天|周|个月|岁|分贝|张|套|户|辆|座|台|部|件|枚|株|棵|只|头|次|倍)"
)
# "More than" between a number and its magnitude or unit, as amounts are given: 300余人, 两万三千余人,
# 3000多万元.
_ABOUT = "(?:余|多)?"
# A figure, not a year ("2022年" dates a sentence, it answers no "how much") nor an ordinal.
FIGURE = re.compile(
    r"(?<![0-9.第])" + _NUMBER + r"(?![0-9.]|\s*年)|"
    + _NUMERAL_START + _CHINESE_NUMBER + _ABOUT + "[个项家所条座人件名]|"
    + _CHINESE_AMOUNT + _ABOUT + "(?:万亿|亿|万|千)?" + _ABOUT + "(?:元|" + _MEASURES + ")|"
    + _FINANCIAL_AMOUNT + "|"
    + "百分之" + _CHINESE_NUMBER
)  # fmt: skip
_PERCENT = re.compile(_NUMBER + r"\s*%|百分之|个百分点")
_MONEY = re.compile(
    f"(?:{_NUMBER}|{_CHINESE_AMOUNT}|{_FINANCIAL_AMOUNT})" + r"\s*" + _ABOUT + "(?:万亿|亿|万|千)?" + _ABOUT
    + "(?:元|美元)|" + _CURRENCY_SIGN + f"(?:{_NUMBER})"
)  # fmt: skip
_DATE = re.compile(r"\d{1,4}\s*(?:年|月|日|号)|年底|月底|年内|上半年|下半年|季度|之前|前完成|以来")
_LIST = re.compile(r"、|等\d*[个项家所条座类]?")
_UNIT = re.compile(
    _NUMBER + r"\s*" + _ABOUT + "(?:万|亿)?" + _ABOUT + "(?:个|家|所|项|" + _MEASURES + ")|"
    + _CHINESE_AMOUNT + _ABOUT + "(?:万|亿)?" + _ABOUT + _MEASURES
)  # fmt: skip
# What a sentence holds of each kind a question asks for ("figure": any of a unit, percent, money).
_HOLDS = {"date": _DATE, "list": _LIST, "percent": _PERCENT, "money": _MONEY}

# What a question asks for, read from its question words (language-independent cues only).
_ASKS_DATE = re.compile(
    r"什么时候|何时|哪天|哪一天|哪年|哪一年|几月|什么时间|\bwhen\b|what date|what year", re.I
)
_ASKS_LIST = re.compile(r"哪些|哪几|有哪|包括|有什么|\bwhich\b|what are|\blist\b|what measures", re.I)
_ASKS_PERCENT = re.compile(
    r"增长多少|增长了多少|增幅|增速|涨了多少|涨幅|降了多少|降幅|下降多少|百分之|比例|比重|率|"
    r"percent|percentage|growth|\bgrow|\brate\b|\brise\b|\bfall\b",
    re.I,
)
_ASKS_MONEY = re.compile(
    r"多少钱|多少元|几元|花了?多少|投入多少|投资多少|资金|金额|收入多少|"
    r"how much money|spend|spent|cost|budget|invest",
    re.I,
)
_ASKS_FIGURE = re.compile(r"多少|几|多大|多长|how (?:much|many|long|big|large)|what percentage", re.I)
# The unit of measure a question wants its figure in ("多少亿元", "几公里", "in yuan"): a sentence that
# gives the topic's growth rate, or a figure in another unit, does not give it. Measures only: a
# count's classifier (个, 家, 项) varies with the noun and is often left out of the answer.
_MAGNITUDE = r"(?:万亿|亿|万|千|百)?"
_ASKS_UNIT = re.compile(
    r"(?:多少|几)\s*" + _MAGNITUDE
    + r"(美元|元|人次|人|名|公里|千米|吨|亩|户|辆|平方米|立方米|微克|千瓦时|千瓦)"
)  # fmt: skip
_COUNT = f"(?:{_NUMBER}|{_CHINESE_NUMBER})"
_ENGLISH_UNITS = (
    (re.compile(r"\b(?:us dollars|dollars|usd)\b", re.I), "美元"),
    (re.compile(r"\b(?:yuan|rmb)\b", re.I), "元"),
    (re.compile(r"\b(?:kilometers|kilometres|km)\b", re.I), "公里"),
    (re.compile(r"\b(?:tons|tonnes)\b", re.I), "吨"),
    (re.compile(r"\bmicrograms\b", re.I), "微克"),
)
# Where a question leaves its gap: the words beside it are what an answering sentence holds around
# the answer ("该公司[哪一年]成立" -> "该公司于1990年成立"). Particles and yes/no tails left out.
_GAP = re.compile(
    r"哪(?:一|两|几)?(?:个|些|位|种|家|年|天|里|儿|国|所|座|条|部|名)?|什么(?:时候|地方|时间)?|"
    r"多少(?:个|年|次|人|种)?|几(?:个|年|月|天|次|项|家|种|位|名)?|谁|何(?:时|地|处|人)?|"
    r"怎么|怎样|如何|多大|多长|多久|多高|多远"
)
_GAP_CONTEXT = 6  # characters on each side of the gap
_CLAUSE_END = re.compile(r"[，,。；;：:？?！!\s]")  # the gap's words stay within its clause


def asks_for(query: Query) -> str | None:
    """What kind of thing the question asks for: "date", "list", "percent", "money", "figure" or None."""
    text = query.normalized
    for kind, pattern in (("date", _ASKS_DATE), ("list", _ASKS_LIST), ("percent", _ASKS_PERCENT)):
        if pattern.search(text):
            return kind
    if _ASKS_MONEY.search(text):
        return "money"
    return "figure" if _ASKS_FIGURE.search(text) else None


def _unit_asked(text: str) -> tuple[str, str] | None:
    """(the unit, as the question writes it with its magnitude) of the figure ``text`` asks for:
    ("元", "亿元") for 多少亿元, ("元", "元") for "in yuan"; None when it names none."""
    found = _ASKS_UNIT.search(text)
    if found:
        return found.group(1), re.sub(r"^(?:多少|几)\s*", "", found.group(0))
    unit = next((u for p, u in _ENGLISH_UNITS if p.search(text)), None)
    return (unit, unit) if unit else None


def asked_unit(query: Query) -> re.Pattern[str] | None:
    """A figure in the unit the question asks for (多少亿元 -> a number with 元, not 美元), or None
    when it names none."""
    asked = _unit_asked(query.normalized)
    if asked is None:
        return None
    unit = asked[0]
    unit = {"千米": "公里", "名": "人"}.get(unit, unit)
    after = {"元": "(?<!美)元", "人": "(?:人(?!次)|名)", "公里": "(?:公里|千米)"}.get(unit, re.escape(unit))
    return re.compile(_COUNT + r"\s*" + _ABOUT + _MAGNITUDE + _ABOUT + after)


# Where a clause ends: not at 、 (a list goes on under the words before it), nor at the comma grouping a
# number's thousands (1,256,300万元 had been cut into 1 / 256 / 300万元).
_CLAUSE = re.compile(r"[，；;：:。]|,(?!(?<=\d,)\d{3}(?!\d))")
# An amount with its magnitude and no measure after it (财政总收入1.6亿，城镇新增就业1244万): a report
# leaves the unit to its reader, whatever the question asks it in.
_BARE_AMOUNT = re.compile(_NUMBER + r"\s*" + _ABOUT + r"(?:万亿|亿|万)(?![\u4e00-\u9fff%A-Za-z/])")


# Money asked in so many words ("每个孩子发多少钱？"): a count of people or a rate is no sum of money.
_ASKS_SUM = re.compile(r"多少钱|几块钱|金额|多少资金")
# A sum in any currency, or none to pay: what answers it (150港元, 100美金, 每位300块, 免费, 不收费).
_SUM = re.compile(
    _NUMBER + r"\s*" + _ABOUT + r"(?:万亿|亿|万|千)?" + _ABOUT
    + r"(?:港元|港币|港幣|澳门元|澳門元|美金|欧元|日元|英镑|块|元)"
    + r"|(?:hk\$|mop|us\$|\$|€|£)\s*" + _NUMBER + r"|免费|免收|不收费|不收取|不另收"
)  # fmt: skip


def figure_in_another_unit(query: Query, sentence: str) -> tuple[str, str] | None:
    """(the clause, what was asked) when the question asks for one figure in a unit (多少亿元: "亿元")
    or a sum of money ("money": 每个孩子发多少钱？), and the clause of ``sentence`` (normalized) that
    names most of the question's words gives a figure, but neither it nor the clause after it gives
    one in that unit or a sum: 规上工业增加值增长9.4% for 规上工业增加值总量是多少亿元 (the sentence's
    5.3万亿元 being the GDP's). None otherwise: the words are in the quote, so the user can check the
    reason. (A total asked without its unit, 利润总额是多少？, was tried the same way: it refused an
    answered question of the library's dev set, and is left to the scorer.)"""
    text = query.normalized
    asked = _unit_asked(text)
    if asked is not None:
        wanted = asked[1]
    elif _ASKS_SUM.search(text):
        wanted = "money"
    else:
        return None
    if len(_ASKS_FIGURE.findall(text)) > 1:  # two figures asked: two parts
        return None
    unit = asked_unit(query)

    def gives(clause: str) -> bool:
        found = unit.search(clause) if unit is not None else _MONEY.search(clause) or _SUM.search(clause)
        return found is not None or _BARE_AMOUNT.search(clause) is not None

    told = asked_clauses(query, sentence)
    if not told or not FIGURE.search(told[0]) or any(gives(c) for c in told):
        return None
    return told[0].strip(), wanted


# An amount written in words, no digit in it: a multiple or share (翻一番, 两成, 三分之一, 过半, 一半), a
# half (半小时, 半个月; not 上半年), a magnitude with its qualifier (数千亩, 万余亩, 上百家; not the 万元 of
# 万元地区生产总值能耗), none (零发生, 清零) or nothing to pay (免费).
_WORDED_AMOUNT = re.compile(
    r"翻[一两]?番|[一二两三四五六七八九]成(?![为功立本果员绩效])|分之|过半|半数|一半|倍|"
    r"(?<![上下前后])半(?:个)?(?:小时|月|天|年|日)|(?:[数几上近约逾][十百千万亿]+[余多]?|[十百千万亿]+[余多])(?:"
    + _MEASURES[3:-1]
    + r"|个|家|所|项|元)|"
    r"零(?:发生|事故|伤亡|死亡|增长|投诉)|实现零|为零|清零|" + _SUM.pattern
)
# A question that asks whether as well (…会提高吗？多少？): a sentence without a figure may answer it.
_ASKS_WHETHER = re.compile(
    r"吗|是否|是不是|有没有|会不会|能不能|能否|可否|有无|"
    r"^\s*(?:will|is|are|does|do|did|can|has|have)\b",
    re.I,
)
# Question words of a figure that ask none: 几乎 (almost), 多大程度 (to what extent), 多少年来 (for years).
_NO_FIGURE_ASKED = re.compile(r"几乎|多大程度|多少年来")
_ARABIC_DIGIT = re.compile(r"[0-9]")
_CHINESE_WORDED = re.compile(_CHINESE_AMOUNT)  # a count in Chinese numerals of any word: 二十二字, 学制四年


# One counted with its classifier (每户限养一只犬, 一天内发放): a count, where 一 alone is a word as often;
# not 一年 or 一季度 (过去一年, 一季度经济运行…: words of time, in nearly every review).
_ONE_COUNTED = re.compile(
    r"一(?:个|只|条|头|匹|张|本|块|位|种|次|遍|批|套|辆|台|座|间|户|名|人|件|所|家|项|"
    r"天|日|周|星期|小时|分钟|个月)"
)
# A time in words, no digit in it: 明年, 年底前, 下半年, 第三季度, 下学期, 第二周, 春节前, 始建于唐代, 农历
# 正月, 自发布之日起, "十四五"期间; not 时期 or 期间 alone (进入新时期), nor the 汉代 of 武汉代表团.
_WORDED_TIME = re.compile(
    r"[今明去前后当次同本上下每]一?个?(?:年|月|季度|周|星期|学期|天)|[上下]半年|年[初中底末内]|月[初中底末]|"
    r"[一二三四五六七八九十]+个?(?:月|日|号|周|天|年)|周[一二三四五六日末]|年代|世纪|季度|"
    r"于[秦汉晋隋唐宋元明清][代朝]|[秦汉晋隋唐宋元明清]朝(?:[初末]|年间|时期)?|年间|农历|正月|腊月|之日|"
    r"十[一二三四五六]五”?(?:期间|时期)|当天|当日|次日|今天|明天|昨天|春节|元旦|国庆|暑假|寒假|即日|近期|"
    r"已经|已于|随时|届时"
)


def gives_none_asked(query: Query, sentence: str) -> str | None:
    """What the sentence lacks of what is asked: "figure" when the question asks for one figure in so
    many words (多少, 几, how many) and ``sentence`` (normalized) holds none beyond the figures the
    question itself writes (no digit, no amount in Chinese numerals, no amount in words); "date" when
    it asks when and the sentence holds no time (no digit, no 明年, 年底, 下半年, 五月, 之日); None
    otherwise. 继续提高退休人员基本养老金标准。 gives no 几个百分点, 适时启动“深港通”。 no 哪天: the user sees
    that in the quote. A yes/no question (…会提高吗？, 能否…) or one asking two figures is not read this
    way."""
    text = query.normalized
    kind = asks_for(query)
    if _ASKS_WHETHER.search(text):
        return None
    if kind == "date" and len(_ASKS_DATE.findall(text)) == 1:
        timed = _ARABIC_DIGIT.search(sentence) or _WORDED_TIME.search(sentence)
        return None if timed else "date"
    asked = _ASKS_FIGURE.findall(_NO_FIGURE_ASKED.sub(" ", text))
    if len(asked) != 1 or kind not in ("figure", "percent", "money"):
        return None
    stated = stated_figures(text)
    beyond = stated.sub(" ", sentence) if stated is not None else sentence
    given = (
        _ARABIC_DIGIT.search(beyond)
        or FIGURE.search(beyond)
        or _PERCENT.search(beyond)
        or _MONEY.search(beyond)
        # In words, and not the question's own (一季度 of 一季度…增长多少？, 千亿斤 of 千亿斤粮食产能…).
        or any(
            m.group(0) not in text
            for pattern in (_CHINESE_WORDED, _ONE_COUNTED, _WORDED_AMOUNT)  # 二十二字; 一只, 一天; 数千亩
            for m in pattern.finditer(beyond)
        )
    )
    return None if given else "figure"


# A deputy's title (副组长, 副院长, 县委副书记): the title it is deputy to is another post.
# Posts only: 农副产品 and 家庭副业 name no deputy (their 产品增长 had been read as a title).
_DEPUTY = re.compile(
    r"副((?:[\u4e00-\u9fff]{0,2}?(?:组|院|市|县|镇|乡|区|省|州|盟|旗|部|局|厅|处|科|司|署|校|园|会|理事|秘书|"
    r"行|社|所|站|队|村|团|委员|班|馆|台|庭|厂|检察|指挥))?长|书记|主任|经理|主席|总监|总裁|总经理|主编|总编)"
)
# A post's name followed by these is another word (全市长期护理保险: no 市长).
_NOT_A_POST_AFTER = "期远效足江城久达度寿途沙春者三征廊跑"
# Measures that exclude each other by definition: exports or imports are not their total (进出口), a
# nominal growth is not a real one, the registered unemployment rate is not the surveyed one.
_TRADE = "进出口"
_PARTS_OF_TRADE = ("出口", "进口")
_KINDS_OF = ((("名义", "实际"), "增长"), (("登记", "调查"), "失业率"))


def other_thing_told(question: str, sentence: str) -> tuple[str, str] | None:
    """(what ``sentence`` speaks of, what the question asks) when the quote speaks of another post or
    measure than the one asked, by words the user sees in it: a deputy (副组长) asked and only the post
    it is deputy to named (组长: "…领导小组副组长是谁？" had been answered with 周文涛任组长 at 0.97);
    exports asked and only the total of trade named (进出口: "2009年出口总额是多少？" had quoted
    全年进出口总额2.2万亿美元), or the reverse; a nominal growth asked and only the real one given
    (实际增长9.8% for 名义增长多少？ at 0.95), or the reverse; the registered unemployment rate asked and
    only the surveyed one given (a helper's 2021年城镇登记失业率目标是多少？), or the reverse."""
    for asked in _DEPUTY.finditer(question):
        title = asked.group(1)
        named = re.search(re.escape(title) + f"(?![{_NOT_A_POST_AFTER}])", sentence)
        if named and asked.group(0) not in sentence:
            return title, asked.group(0)
    # Not the 进口 of 推进口岸: a port is no import.
    asked_parts = [p for p in _PARTS_OF_TRADE if re.search(p + "(?!岸)", question.replace(_TRADE, ""))]
    told_parts = [p for p in _PARTS_OF_TRADE if re.search(p + "(?!岸)", sentence.replace(_TRADE, ""))]
    if (
        len(asked_parts) == 1
        and _TRADE not in question
        and _TRADE in sentence
        and asked_parts[0] not in told_parts
    ):
        return _TRADE, asked_parts[0]
    if _TRADE in question and not asked_parts and _TRADE not in sentence and len(told_parts) == 1:
        return told_parts[0], _TRADE
    for pair, measure in _KINDS_OF:
        for asked_word, other in (pair, pair[::-1]):
            if (
                asked_word in question
                and asked_word not in sentence
                and other in sentence
                and other not in question
                and (measure in sentence or measure == "增长")  # 实际增长 may be written 实际增加
            ):
                return f"{other}{measure}", f"{asked_word}{measure}"
    return None


def asked_clauses(query: Query, sentence: str) -> list[str]:
    """The clause of ``sentence`` (normalized) that names most of the question's words, and the one
    after it (the figure may follow there: …增长9%，达到120亿元); [] when no clause names any."""
    terms = {t for t in tokenize(query.lexical_text) if len(t) >= 2}
    clauses = _CLAUSE.split(sentence)
    named = [len(terms & set(tokenize(clause))) for clause in clauses]
    at = max(range(len(clauses)), key=named.__getitem__)
    return clauses[at : at + 2] if named[at] else []


_DIGIT = re.compile(f"[0-9一二两三四五六七八九十{_FINANCIAL_DIGITS}拾]")


def stated_figures(question: str) -> re.Pattern[str] | None:
    """The figures a question itself writes ("那2.9万所乡镇卫生院每所有多少张床位？": 2.9), each as a
    whole number, or None when it writes none: a sentence holding only those gives no figure the
    question asks for."""
    # A figure with a digit: 多少万所 and 几百人 ask for one, their 万所 and 百人 state none.
    numbers = {m.group(0) for m in FIGURE.finditer(question) if _DIGIT.search(m.group(0))}
    if not numbers:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
    # The same value with zero decimals (3,560,000.00 for 3,560,000), and with the magnitude after it:
    # what is left of 2.9万所 must not read as a figure of its own (万所).
    return re.compile(
        rf"(?<![0-9.,{_CHINESE_DIGITS}{_FINANCIAL_DIGITS}零])(?:{alternatives})(?:\.0+)?(?![0-9.,])(?:万亿|亿|万|千|百)?"
    )


def fits(kind: str | None, sentence: str) -> bool:
    """Whether ``sentence`` holds a thing of the ``kind`` asked for (``asks_for``): a date, a list,
    a percentage, an amount of money, or any figure with its unit; False when nothing is asked."""
    if kind == "figure":
        return bool(_UNIT.search(sentence) or _PERCENT.search(sentence) or _MONEY.search(sentence))
    pattern = _HOLDS.get(kind or "")
    return pattern is not None and pattern.search(sentence) is not None


def longest_run(needle: str, haystack: str) -> int:
    """Length of the longest substring of ``needle`` that occurs in ``haystack``."""
    best, start, size = 0, 0, len(needle)
    while start + best < size:  # a later start has no room for a longer run
        if needle[start] in haystack:  # most characters are not: skip them without slicing
            length = best + 1
            while start + length <= size and needle[start : start + length] in haystack:
                best = length
                length += 1
        start += 1
    return best


def gap_context(question: str) -> tuple[str, str]:
    """The words just before and just after the first question word (within its clause)."""
    found = _GAP.search(question)
    if found is None:
        return "", ""
    before = _CLAUSE_END.split(question[: found.start()])[-1]
    after = _CLAUSE_END.split(question[found.end() :])[0]
    return before[-_GAP_CONTEXT:], after[:_GAP_CONTEXT]


def gap_share(context: tuple[str, str], sentence: str) -> float:
    """How much of ``context`` the sentence holds: the longest run of the words before the gap and
    of the words after it found in the sentence, over their lengths."""
    before, after = context
    if not before and not after:
        return 0.0
    return (longest_run(before, sentence) + longest_run(after, sentence)) / (len(before) + len(after))
