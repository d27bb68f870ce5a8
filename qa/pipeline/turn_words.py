"""What the words of a chat turn say: its subject ("紫湖郊野公园投了多少钱？" is about 紫湖郊野公园), whether
it is elliptical (那……呢, what about …) and what it then names, whether it names nothing but a time
("今年呢？") or points back ("完成了吗？", "具体怎么做？"), or drills into the turn before ("其中…").
``qa.pipeline.conversation`` reads a turn by them; ``qa.pipeline.substitutions`` replaces words with them.
"""

from __future__ import annotations

import re

from qa.pipeline.english_follow_ups import english_naming_words
from qa.pipeline.pronouns import pronoun_in
from qa.text.normalize import has_cjk, normalize
from qa.text.words import cut_words

ELLIPSIS_START = re.compile(r"^(?:那么|那|还有|另外|and\b|what about\b|how about\b)", re.I)
_SENTENCE_END = "？?。.！!…"
# 呢 at the end, whatever ends the sentence after it: "农民呢？", "农民呢 ?", "农民呢。", "农民呢？！".
_ELLIPSIS_END = re.compile(rf"呢[\s{_SENTENCE_END}]*$")
# "And then?" after a time: 呢, or the bare how-much or how of it ("2009年是多少？" after a question on
# 2010's unemployment rate had been answered as it stood, with 2009's public investment at 0.88).
_AND_THEN = re.compile(rf"(?:呢|(?:又)?(?:是)?(?:多少|怎么样|如何)(?:呢)?)[\s{_SENTENCE_END}]*$")
# Where the subject of a question ends: the first verb, time word or question word after it.
_SUBJECT_END = re.compile(
    r"去年|今年|明年|\d{4}年|是|有|投了|投入|花了|完成|增长|下降|达到|要|会|能|将|计划|打算|准备|"
    r"多少|几|什么|哪|怎么|如何|吗|呢|[？?,，。]"
)
_COUNTED = re.compile(r"(?:多少|几)(?:个|项|万|亿|吨|元|人|户)?([一-鿿]{2,8})(?:[？?。，,]|$)")
_OPENING_VERB = re.compile(r"^(?:要|会|能|将|计划|打算|准备)+(?!不)")  # not 要不要: it asks
LEADING_CONTEXT = re.compile(
    r"^(?:\d{4}年|去年|今年|明年|前年|上一年|上年|下一年|比上年|比去年|同比|镇里|全镇|全省|全国|我们|请问)+"
)
# When a question asks, wherever it says it: "白石镇去年财政总收入多少？" is about 白石镇财政总收入.
WHEN = re.compile(r"(?:19|20)\d{2}年(?:度)?|去年|今年|明年|前年|上一年|上年|下一年")
# Times joined go with the word joining them (2014年和2015年的…: the topic had been 和的城镇新增就业目标分别).
_JOINED_WHEN = re.compile(rf"(?:{WHEN.pattern})(?:[和与及、至到](?:{WHEN.pattern}))*的?")  # and 2015年的…
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
WITHIN = "其中"  # a drill-down into the turn before ("其中中央财政赤字多少？")
REFERS_BACK = re.compile(r"完成|落实|怎么做|怎样做|如何做|怎么办|效果|成效|进展|具体|这个|这项|这些|实际")
MAX_NAME_CHARS = 12  # longer than this after 那…呢 is a question of its own, not a name


def topic_of(question: str) -> str:
    """The subject of a question: "紫湖郊野公园投了多少钱？" -> "紫湖郊野公园"; of an English one, the
    words that name something ("How many new urban jobs were created last year?" -> "new urban jobs
    created")."""
    if not has_cjk(question):
        return " ".join(english_naming_words(question))
    # "那医疗呢？" is about 医疗: 那 had led every later reading (那医疗具体有哪些措施？).
    when = _JOINED_WHEN.sub("", normalize(question))
    text = LEADING_CONTEXT.sub("", ELLIPSIS_START.sub("", when.strip()))
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
    rest = ELLIPSIS_START.sub("", question.strip()).lstrip(" ,，")
    if not has_cjk(rest) and not has_cjk(context):
        return f"{rest.rstrip(' ?.!')}, {context}?"
    return context + rest


def elliptical(text: str) -> bool:
    """Whether ``text`` (stripped) opens with 那/还有/what about or ends with 呢."""
    return bool(ELLIPSIS_START.match(text) or _ELLIPSIS_END.search(text))


# A report named by its year after the time words ("2008年的报告呢？"): a time follow-up too; it had
# replaced a word of the earlier question (2009年2008年的报告工作报告里…).
_REPORT_AFTER_TIME = re.compile(r"^的?(?:政府工作)?报告(?:里|中)?")


def _after_time(question: str) -> str:
    """``question`` without its opening 那/还有 and the time and level words after it."""
    return LEADING_CONTEXT.sub("", ELLIPSIS_START.sub("", normalize(question).strip()).lstrip(" ,，"))


def _names_a_report_by_time(question: str) -> bool:
    """Whether ``question`` names nothing but a report by its time ("2008年的报告呢？")."""
    return bool(_REPORT_AFTER_TIME.match(_after_time(question))) and only_context(question)


def only_context(question: str) -> bool:
    """Whether ``question`` holds nothing but time words around an ellipsis ("今年呢？", "那明年呢",
    "2008年的报告呢？", "2011年的呢？": its 的 too; "2009年是多少？", "去年又是多少呢？"): it asks nothing on
    its own, only "and then?" of the earlier topic."""
    after = _after_time(question)
    # After a report's name only 呢: "2010年的政府工作报告怎么样？" asks about that report (a reviewer).
    ending = _ELLIPSIS_END if _REPORT_AFTER_TIME.match(after) else _AND_THEN
    text = _REPORT_AFTER_TIME.sub("", after).removeprefix("的")
    return bool(ending.search(text)) and not ending.sub("", text).strip(" ？?,，")


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
    return names_nothing(text) and bool(REFERS_BACK.search(text) or pronoun_in(text))


def drills_down(question: str) -> bool:
    """Whether ``question`` asks within the turn before ("其中中央财政赤字多少？")."""
    return normalize(question).startswith(WITHIN)


def asks_for_more(question: str) -> bool:
    """Whether a turn that only points back asks for more than was said ("具体怎么做？", "效果怎么样？"),
    not what it said ("完成了吗？", "实际是多少？")."""
    return points_back_only(question) and _MORE.search(normalize(question)) is not None


def elliptical_name(question: str) -> str:
    """What an elliptical question names ("农民呢？" -> "农民", "那医疗呢" -> "医疗"); "" when it is not
    elliptical, is not Chinese, names nothing ("今年呢？") or is too long to be a name."""
    text = question.strip()
    if not elliptical(text) or not has_cjk(text) or _names_a_report_by_time(text):
        return ""
    # Whatever ends the sentence goes, with or without 呢: "那农民。" names 农民 as "那农民呢？" does.
    name = _ELLIPSIS_END.sub("", ELLIPSIS_START.sub("", text)).strip(f" ,，{_SENTENCE_END}")
    name = name.removesuffix("的")  # "那中央的呢？" names 中央 (of the earlier thing)
    return name if 2 <= len(name) <= MAX_NAME_CHARS and not names_nothing(name) else ""
