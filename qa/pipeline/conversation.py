"""Follow-up questions: "那今年的目标呢？" or "它什么时候建成？" asked after an earlier question.

A question after an earlier one can be read several ways: as it stands, with the earlier topic (its
subject, without time words or the question itself) put in for a pronoun (它, 该项目, this) or in
front of an elliptical question (那……呢, what about ...), or simply with the topic in front; an
elliptical question that names something ("农民呢？" after "城里人收入涨了多少？") is also read as the
earlier question with one of its words replaced by that name ("农民收入涨了多少？"). Each
reading is answered and the most confident answer wins, so a complete new question is answered
as if asked alone and a real follow-up gets its topic; a reading that put words in wins only when
its answer quotes something the question itself names (``qa.pipeline.reading_choice``). The
answer keeps the user's own words and records the reading used in its reason.
"""

from __future__ import annotations

import re

from qa.pipeline.english_follow_ups import (
    chinese_follow_up,
    chinese_pointing,
    english_naming_words,
    english_of_chinese,
    english_readings,
    in_chinese,
)
from qa.pipeline.glossary import report_terms
from qa.pipeline.mentions import mention_follow_up
from qa.pipeline.places import names_a_place, places_in
from qa.pipeline.pronouns import pronoun_in
from qa.pipeline.query import DIVISION_ENDS
from qa.settings import MAX_QUESTION_CHARS
from qa.text.normalize import has_cjk, normalize
from qa.text.tiers import amount_swapped
from qa.text.words import cut_words, parts_of
from qa.text.years import WRITTEN_YEAR, YEARS_AWAY

_ELLIPSIS_START = re.compile(r"^(?:那么|那|还有|另外|and\b|what about\b|how about\b)", re.I)
_SENTENCE_END = "？?。.！!…"
# 呢 at the end, whatever ends the sentence after it: "农民呢？", "农民呢 ?", "农民呢。", "农民呢？！".
_ELLIPSIS_END = re.compile(rf"呢[\s{_SENTENCE_END}]*$")
# Where the subject of a question ends: the first verb, time word or question word after it.
_SUBJECT_END = re.compile(
    r"去年|今年|明年|\d{4}年|是|有|投了|投入|花了|完成|增长|下降|达到|要|会|能|将|计划|打算|准备|"
    r"多少|几|什么|哪|怎么|如何|吗|呢|[？?,，。]"
)
_COUNTED = re.compile(r"(?:多少|几)(?:个|项|万|亿|吨|元|人|户)?([一-鿿]{2,8})(?:[？?。，,]|$)")
_OPENING_VERB = re.compile(r"^(?:要|会|能|将|计划|打算|准备)+(?!不)")  # not 要不要: it asks
_LEADING_CONTEXT = re.compile(
    r"^(?:\d{4}年|去年|今年|明年|前年|上一年|上年|下一年|比上年|比去年|同比|镇里|全镇|全省|全国|我们|请问)+"
)
# When a question asks, wherever it says it: "白石镇去年财政总收入多少？" is about 白石镇财政总收入.
_WHEN = re.compile(r"(?:19|20)\d{2}年(?:度)?|去年|今年|明年|前年|上一年|上年|下一年")
# Times joined go with the word joining them (2014年和2015年的…: the topic had been 和的城镇新增就业目标分别).
_JOINED_WHEN = re.compile(rf"(?:{_WHEN.pattern})(?:[和与及、至到](?:{_WHEN.pattern}))+")
# Words that ask about a topic without naming one: time, aspect and measure words and question words
# ("今年计划多少？", "增长了多少？", "今年的目标是多少？"), and the words that ask for more of it
# ("具体措施呢？" asks the topic's measures: it had replaced 教育 in "今年教育方面有什么打算？").
_NAMES_NOTHING = re.compile(
    r"(?:19|20)\d{2}年|去年|今年|明年|前年|上一年|下一年|上年|那么|那|的|是|有|了|预计|预期|计划|打算|准备|目标|达到|增长|"
    r"增加|下降|减少|完成|实现|要|将|多少|几|什么|哪些|哪个|怎么样|怎样|如何|呢|吗|安排|部署|举措|措施|情况|进展|"
    r"具体|主要|重点|详细|其他|其它|方面|成效|效果|分别|各|"
    # How to do it, what it came to: "具体怎么做？", "怎么落实？", "完成得怎样？", "实际增长了多少？",
    # "这个目标完成了吗？" had been answered as they stood, with whatever sentence said 具体举措 or 目标.
    r"怎么|做|干|办|落实|得|实际|这个|这项|这些|"
    r"[？?,，。\s]"
)
# Words asking how something named before went or is done ("完成了吗？", "具体怎么做？"): about the earlier
# topic, while "今年的目标是多少？" may ask the year's targets anew.
_MORE = re.compile(r"具体|怎么做|怎样做|如何做|怎么办|措施|落实|效果|成效|进展")
_WITHIN = "其中"  # a drill-down into the turn before ("其中中央财政赤字多少？")
_REFERS_BACK = re.compile(r"完成|落实|怎么做|怎样做|如何做|怎么办|效果|成效|进展|具体|这个|这项|这些|实际")
SHORT_QUESTION = 6  # characters; shorter questions lean on the conversation for their topic
SUBSTITUTED_WORDS = 3  # an elliptical name is put in for each of the earlier question's first words
MAX_NAME_CHARS = 12  # longer than this after 那…呢 is a question of its own, not a name
LONG_NAME = 4  # characters; a name this long may stand for a name of several words (居民消费价格)


def topic_of(question: str) -> str:
    """The subject of a question: "紫湖郊野公园投了多少钱？" -> "紫湖郊野公园"; of an English one, the
    words that name something ("How many new urban jobs were created last year?" -> "new urban jobs
    created")."""
    if not has_cjk(question):
        return " ".join(english_naming_words(question))
    # "那医疗呢？" is about 医疗: 那 had led every later reading (那医疗具体有哪些措施？).
    when = _WHEN.sub("", _JOINED_WHEN.sub("", normalize(question)))
    text = _LEADING_CONTEXT.sub("", _ELLIPSIS_START.sub("", when.strip())).lstrip("的")  # 2015年的GDP
    # A question opening with its verb names its subject after it: "2018年要减税多少？" is about 减税.
    text = _OPENING_VERB.sub("", text)
    cut = _subject_end(text)
    words = cut_words(text[: cut.start()] if cut else text)
    # And what it counts, named after 多少 ("2017年要压减多少钢铁产能？" is about 压减钢铁产能, not 压减).
    counted = _COUNTED.match(text, cut.start()) if cut else None
    if counted and not names_nothing(counted.group(1)):
        words += cut_words(counted.group(1))
    # Without the aspect words after it: "教育方面具体措施呢？" is about 教育 (they had piled up turn after
    # turn: 医疗方面具体措施具体有哪些措施？); "今年预计增长多少？" has none (预计 names nothing).
    while words and names_nothing(words[-1]):
        words.pop()
    subject = "".join(words)
    return subject if len(subject) >= 2 and not names_nothing(subject) else ""


def _subject_end(text: str) -> re.Match[str] | None:
    """Where the subject of ``text`` ends: the first verb, time or question word (``_SUBJECT_END``)
    that starts a word, not one inside a word (the 能 of 产能: 压减钢铁产能 had been 压减钢铁产)."""
    starts, at = set(), 0
    for word in cut_words(text):
        starts.add(at)
        at += len(word)
    return next((m for m in _SUBJECT_END.finditer(text) if m.start() in starts), None)


def in_front(context: str, question: str) -> str:
    """``question`` with ``context`` put in front of it, its opening 那/那么/还有 left out; an English
    question with the context after it ("what is the target for this year, new urban jobs created?")."""
    rest = _ELLIPSIS_START.sub("", question.strip()).lstrip(" ,，")
    if not has_cjk(rest) and not has_cjk(context):
        return f"{rest.rstrip(' ?.!')}, {context}?"
    return context + rest


def _elliptical(text: str) -> bool:
    """Whether ``text`` (stripped) opens with 那/还有/what about or ends with 呢."""
    return bool(_ELLIPSIS_START.match(text) or _ELLIPSIS_END.search(text))


def _fits_in(topic: str, question: str) -> bool:
    """Whether ``topic`` can be put into ``question``: of its script, or an acronym (GDP) in a Chinese
    one. An English topic had been run into a Chinese turn: what was gdp growth last year去年完成得怎样？"""
    same = has_cjk(topic) == has_cjk(question)
    known = _ACRONYM.fullmatch(topic.upper()) is not None and bool(report_terms(topic))  # not "met"
    return same or (has_cjk(question) and known)


def resolve(question: str, previous_topic: str) -> str:
    """The standalone form of ``question`` given the topic of the conversation so far."""
    if not previous_topic:
        return question
    if pronoun := pronoun_in(question):
        return question[: pronoun.start()] + previous_topic + question[pronoun.end() :]
    stripped = question.strip()
    elliptical = _elliptical(stripped)
    alone = elliptical or len(stripped) <= SHORT_QUESTION or not topic_of(stripped)
    if alone and _fits_in(previous_topic, stripped):
        return in_front(previous_topic, stripped)
    return question


# A report named by its year after the time words ("2008年的报告呢？"): a time follow-up too; it had
# replaced a word of the earlier question (2009年2008年的报告工作报告里…).
_REPORT_AFTER_TIME = re.compile(r"^的?(?:政府工作)?报告(?:里|中)?")


def _after_time(question: str) -> str:
    """``question`` without its opening 那/还有 and the time and level words after it."""
    return _LEADING_CONTEXT.sub("", _ELLIPSIS_START.sub("", normalize(question).strip()).lstrip(" ,，"))


def _names_a_report_by_time(question: str) -> bool:
    """Whether ``question`` names nothing but a report by its time ("2008年的报告呢？")."""
    return bool(_REPORT_AFTER_TIME.match(_after_time(question))) and only_context(question)


def only_context(question: str) -> bool:
    """Whether ``question`` holds nothing but time words around an ellipsis ("今年呢？", "那明年呢",
    "2008年的报告呢？", "2011年的呢？": its 的 too): it asks nothing on its own, only "and then?" of the
    earlier topic."""
    text = _REPORT_AFTER_TIME.sub("", _after_time(question)).removeprefix("的")
    return bool(_ELLIPSIS_END.search(text)) and not _ELLIPSIS_END.sub("", text).strip(" ？?,，")


def names_nothing(question: str) -> bool:
    """Whether a question names nothing to ask about, only when and how much ("今年计划多少？")."""
    text = normalize(question)
    if not has_cjk(text):
        return any(ch.isalpha() for ch in text) and not english_naming_words(text)
    return not _NAMES_NOTHING.sub("", text)


def points_back_only(question: str) -> bool:
    """Whether ``question`` names nothing and points back at an earlier one ("完成了吗？", "具体怎么做？",
    "Was it achieved?"): asked on its own, it asks about nothing (it had been answered at 0.88 with
    whatever sentence said 完成了)."""
    text = normalize(question)
    return names_nothing(text) and bool(_REFERS_BACK.search(text) or pronoun_in(text))


def asks_nothing_alone(question: str) -> bool:
    """Whether ``question`` only points back (``points_back_only``), names only a time ("去年呢？") or
    only a place ("广东呢？"): asked with no earlier question it asks about nothing (each had been
    answered with an arbitrary sentence while "那江苏呢？" was refused)."""
    name = elliptical_name(question)
    return points_back_only(question) or only_context(question) or bool(name and _only_a_place(name))


def _only_a_place(name: str) -> bool:
    """Whether ``name`` is a place and nothing more (广东, 江苏省, 全国; not 广东今年GDP目标)."""
    rest = name
    for place in places_in(name, cities=True):
        rest = rest.replace(place, "")
    return _COUNTRY.fullmatch(name) is not None or not rest.strip(DIVISION_ENDS)


def drills_down(question: str) -> bool:
    """Whether ``question`` asks within the turn before ("其中中央财政赤字多少？")."""
    return normalize(question).startswith(_WITHIN)


def asks_for_more(question: str) -> bool:
    """Whether a turn that only points back asks for more than was said ("具体怎么做？", "效果怎么样？"),
    not what it said ("完成了吗？", "实际是多少？")."""
    return points_back_only(question) and _MORE.search(normalize(question)) is not None


def elliptical_name(question: str) -> str:
    """What an elliptical question names ("农民呢？" -> "农民", "那医疗呢" -> "医疗"); "" when it is not
    elliptical, is not Chinese, names nothing ("今年呢？") or is too long to be a name."""
    text = question.strip()
    if not _elliptical(text) or not has_cjk(text) or _names_a_report_by_time(text):
        return ""
    # Whatever ends the sentence goes, with or without 呢: "那农民。" names 农民 as "那农民呢？" does.
    name = _ELLIPSIS_END.sub("", _ELLIPSIS_START.sub("", text)).strip(f" ,，{_SENTENCE_END}")
    name = name.removesuffix("的")  # "那中央的呢？" names 中央 (of the earlier thing)
    return name if 2 <= len(name) <= MAX_NAME_CHARS and not names_nothing(name) else ""


_ACRONYM = re.compile(r"[A-Z][A-Z0-9]+")  # GDP, CPI, M2: names of things in a Chinese question
# Words that ask rather than name ("那学校呢？" after "长者食堂开在哪里？" is not 长者食堂开在学校？).
_ASKING = re.compile(r"哪里|哪儿|哪些|哪个|什么|怎么|怎样|如何|为何|为什么|是否|有没有|多大|多长|多久|几时")


def names_a_thing(word: str) -> bool:
    """A word an elliptical name can stand in for: Chinese or an acronym (GDP), two or more
    characters, not a time or question word (去年, 多少, 哪里) nor a word of address (请问)."""
    named = has_cjk(word) or bool(_ACRONYM.fullmatch(word))
    asks = names_nothing(word) or _ASKING.fullmatch(word) is not None
    return len(word) >= 2 and named and not asks and not _LEADING_CONTEXT.fullmatch(word)


def places_whole(words: list[str]) -> list[str]:
    """``words`` with a place's one-character ending put back on it (紫帽 镇 -> 紫帽镇): "新增学位呢？"
    had replaced 紫帽 and been refused as 没有新增学位镇的报告, and "白石镇呢？" read 白石镇镇…."""
    whole: list[str] = []
    for word in words:
        ending = len(word) == 1 and word in DIVISION_ENDS
        if whole and ending and has_cjk(whole[-1]) and names_a_place(whole[-1] + word):
            whole[-1] += word
        else:
            whole.append(word)
    return whole


# The country as a place a follow-up names (全国呢？ after 山东去年…: 全国 had replaced 城镇新增就业), and the
# country or province an earlier question names so, which a place replaces (河南呢？ after 我国… or 全省…).
_COUNTRY = re.compile(r"全国|国家|中国|我国|中央(?:政府)?|国务院(?:的?(?:政府工作)?报告)?|[全本我][省市县区]")


def _place_like(word: str) -> bool:
    return names_a_place(word) or _COUNTRY.fullmatch(word) is not None


def substitutions(question: str, previous: str) -> list[str]:
    """``previous`` with one of its words replaced by what an elliptical ``question`` names:
    "农民呢？" after "城里人收入涨了多少？" -> ["农民收入涨了多少？", "城里人农民涨了多少？"]. The words
    replaced are Chinese, of two or more characters, and name something (not 去年, 多少); only the
    first ``SUBSTITUTED_WORDS`` of them, since each reading is answered in full. [] when the question
    names nothing elliptically or the earlier question already holds the name ("收入呢？")."""
    name = elliptical_name(question)
    earlier = previous.strip()  # as typed: the reading is shown in the answer's reason
    if not name or name in earlier or not in_chinese(earlier):  # not into an English question's words
        return []
    if swapped := amount_swapped(name, earlier):  # "满20年呢？" after "工作满12年有几天年假？"
        return [swapped]
    # A place stands in for a place, and a thing for a thing: "湖北呢？" after "江苏今年GDP…" is not
    # 江苏今年湖北…, nor "那居民消费价格呢？" after "山东今年地区生产总值…" 居民消费价格今年….
    place = _place_like(name)
    words = [part for word in places_whole(cut_words(earlier)) for part in parts_of(word)]
    named = [names_a_thing(word) or (place and _COUNTRY.fullmatch(word) is not None) for word in words]
    replaceable = [n for n, word in enumerate(words) if named[n] and word not in name]
    replaceable = [n for n in replaceable if _place_like(words[n]) == place] or replaceable
    # A kind of one of its words, none before which is replaced (农民收入 for 城里人 收入 is): "农村居民呢？"
    # after "去年云南居民人均可支配收入…" asks 云南农村居民人均… (人均 and 支配收入 had been replaced).
    kinds = [n for n, w in enumerate(words) if named[n] and name.endswith(w) and n - 1 not in replaceable]
    if kinds and not place:
        return ["".join([*words[: kinds[0]], name, *words[kinds[0] + 1 :]])]
    if place and not any(_place_like(words[n]) for n in replaceable):
        # A place where the earlier question named none is asked of it ("河南呢？" after "今年GDP增长目标是
        # 多少？": 河南今年GDP…, not 今年河南增长目标…; after "有没有时间表？" it had read 有没有河南？).
        return [name + earlier] if len(name + earlier) <= MAX_QUESTION_CHARS else []
    forms = []
    for n in replaceable[:SUBSTITUTED_WORDS]:
        end = n + 1
        while end < len(words) and len(words[end]) >= 2 and words[end] in name:  # "农民收入" for 城里人 收入
            end += 1
        run = end
        while len(name) >= LONG_NAME and run in replaceable:  # or the name it begins: 地区 生产总值
            run += 1
        forms += ["".join([*words[:n], name, *words[stop:]]) for stop in dict.fromkeys((end, run))]
    if not place:
        forms += _of_the_subject(name, question, earlier)
    return [form for form in dict.fromkeys(forms) if len(form) <= MAX_QUESTION_CHARS]


def _of_the_subject(name: str, question: str, earlier: str) -> list[str]:
    """The earlier question with its whole subject replaced by ``name``, when the subject is words
    that name things ("那医疗呢？" after "2018年国内生产总值增长目标是多少？": 2018年医疗增长目标是多少？,
    where one word's part had been replaced: 2018年国内医疗总值…); and the name asked at the earlier
    question's time (2018年医疗呢？), which no reading had asked."""
    subject = topic_of(earlier)
    whole = len(subject) > len(name) and all(names_a_thing(word) for word in cut_words(subject))
    # And the name as a kind of the subject: "那中央的呢？" after "2016年财政赤字是多少？" asks 中央财政赤字.
    forms = [earlier.replace(subject, name, 1), earlier.replace(subject, name + subject, 1)] if whole else []
    # The earlier question's places too: "那医疗呢？" after "安徽今年地区生产总值增长目标是多少？" asks
    # 安徽今年医疗呢？ (read 今年医疗呢？, 10 of 10 such turns had been answered from the State Council's).
    places = [p for p in places_in(earlier, cities=True) if p not in name]
    when = _WHEN.findall(normalize(earlier))
    context = "".join(places) + "".join(when[:1])  # one time: 2015年去年… asked of neither
    return forms + ([in_front(context, question)] if context else [])


def retimed(question: str, previous: str) -> list[str]:
    """``previous`` asked of the time a time-only follow-up names ("2016年呢？" after "2015年GDP增长目标
    是多少？" -> "2016年GDP增长目标是多少？"; "今年呢？" after "白石镇去年财政总收入多少？" -> "白石镇今年
    财政总收入多少？"; "去年呢？" after "2010年财政赤字多少？" -> "2009年财政赤字多少？"): its time words
    replaced, or the new one put in front. [] for any other question."""
    when = _WHEN.findall(normalize(question))
    earlier = previous.strip()
    if not (when and in_chinese(earlier) and only_context(question)):  # 去年 is put in no English question
        return []
    asked, year = when[0], WRITTEN_YEAR.search(normalize(earlier))
    if asked in YEARS_AWAY and year:  # of the year the conversation is about, not of today
        asked = f"{int(year.group(1)) + YEARS_AWAY[asked]}年"
    if not _WHEN.search(earlier):
        return [asked + earlier]
    return [_WHEN.sub(asked, earlier, count=1)]


def named_readings(question: str, previous: str, last: str = "") -> list[str]:
    """The earlier question asked of what a follow-up names instead: one of its words replaced
    (``substitutions``; an English place after a Chinese question as its Chinese name), or, in
    English, the turn before (``last``, else ``previous``) of another place, time or thing."""
    chinese = chinese_follow_up(question, previous)
    earlier = last or previous
    english = english_readings(question, earlier) + english_of_chinese(question, earlier)
    return substitutions(chinese or question, previous) + english


def _elsewhere(question: str, topic: str) -> bool:
    """Whether ``question`` names a place and ``topic`` another, none of the question's: the topic
    put in front asks of two ("安徽去年粮食产量怎么样？" after a 云南 question had been read and shown as
    云南地区生产总值安徽去年粮食产量怎么样？ and its second part answered from 云南's report)."""
    asked = places_in(question, cities=True)
    earlier = places_in(topic, cities=True) if asked and topic else []
    return bool(earlier) and not set(asked) & set(earlier)


def readings(
    question: str, topic: str, same_question: bool = False, previous: str = "", last: str = ""
) -> list[str]:
    """The ways to read ``question`` after a turn about ``topic``, the question as it stands first
    (unless it asks nothing on its own: ``only_context``). ``same_question``: ``question`` is the
    second part of one question whose first part is about ``topic`` ("去年粮食产量多少，今年计划
    多少？"); if it names nothing itself, it can only be about that topic. ``previous``: the earlier
    question itself, for the readings that replace one of its words (``substitutions``); ``last``,
    how the turn before was read (``previous`` when not given), for the one that changes its time
    (``retimed``: "去年呢？" after "那江苏呢？" asks of 江苏, as that turn was read). A name replacing a
    word of the earlier question is not also put in front of its topic ("那江苏呢？" after "广东今年…"
    asks of 江苏). An English one ("What about Guangdong?") asks the turn before, as it was read, of
    that place or time (``english_readings``)."""
    question = chinese_pointing(question, previous) or mention_follow_up(question) or question
    replaced = named_readings(question, previous, last)
    forms = [question]
    if not replaced and not _elsewhere(question, topic):
        forms.append(resolve(question, topic))
        # Not a topic in another script: "What is …2018?" put in front of a Chinese question asks nothing.
        if topic and topic not in normalize(question) and has_cjk(topic) == has_cjk(question):
            forms.append(in_front(topic, question) if not has_cjk(question) else topic + question.strip())
    timed = retimed(chinese_follow_up(question, previous) or question, last or previous)
    forms = timed or forms + replaced  # "去年呢？" asks the turn before of that time, nothing else
    # "湖北呢？", "今年目标呢？" ask nothing as they stand (湖北呢？ had quoted a dateline naming 湖北).
    asks_nothing = names_nothing(question) and (
        same_question or _elliptical(question.strip()) or _REFERS_BACK.search(question) is not None
    )
    # "其中中央财政赤字多少？" asks within the turn before: of its time, not as it stands (the newest report).
    within = drills_down(question)
    if topic and (only_context(question) or asks_nothing or replaced or within):
        forms = [form for form in forms if form != question]
    # Of the earlier question's time too, and only so ("完成了吗？" after "2014年GDP增长目标是多少？": the
    # topic alone had won with another year's figure, 2014's 1322万 for "实际是多少？" on 2015).
    pointing = (asks_nothing or within) and topic and has_cjk(question)  # not "What about 2016?"
    when = _WHEN.findall(normalize(previous)) if pointing else []
    # A drill-down is of the earlier question's place too ("其中出口呢？" after "广东去年货物进出口总额…"
    # had been read "去年出口呢？" and answered from the State Council's report: 4 of 5 such turns).
    places = places_in(previous, cities=True) if within and pointing else []
    place = "".join(p for p in places if p not in question)
    if (when or place) and not _WHEN.search(normalize(question)):
        asked = question.strip()[len(_WITHIN) :] if within else resolve(question, topic)
        forms = [in_front(place + (when[0] if when else ""), asked)]
    # Each reading is a question of its own: none longer than a question may be.
    return [form for form in dict.fromkeys(forms) if len(form) <= MAX_QUESTION_CHARS] or [question]
