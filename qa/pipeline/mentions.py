"""A question about what a document says of a topic ("关于教育说了什么？", "教育方面讲了什么？"): no one
sentence answers it, and it was refused (8 of 8 such questions of reports that speak of 教育 17–35
times, a helper found). The document's sentences that name the topic, in order, are what it says: they
are quoted as the answer's items, each cited, with a note that they are its mentions, not a summary.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.ingest.structure import Section, section_at
from qa.pipeline.glossary import phrase_terms
from qa.pipeline.lists import item_passage
from qa.pipeline.places import places_in
from qa.schema import Passage
from qa.text.normalize import normalize, normalized_document
from qa.text.sentences import split_sentences
from qa.text.words import word_bounds

# Which document, when said: "报告里", "这份报告中", or one named ("河南的报告", "08年的报告里", "安徽报告",
# whose name keeps the search to it): a helper's 河南的报告有没有提到比亚迪？ had been refused.
_WHERE = r"(?:[^，,。？?\s]{0,8}?的?(?:政府工作报告|报告|文件|文档|通知|文章))?(?:里|中|上)?"
# Before a verb of mentioning, a place alone names the document too ("湖北有没有提到北斗？").
_BEFORE = rf"(?:{_WHERE}|[^，,。？?\s]{{0,8}}?)"
# Any or which of the library's documents: "哪些报告", "哪份文件", "有没有报告", or by their years or
# places: "哪几年的报告", "哪些省的报告" (哪几年的报告提到了脱贫攻坚？ had been refused; a helper found).
_EVERY = (
    r"(?:哪些|哪几份|哪[一]?份|有没有|是否有|有哪些|"
    r"哪(?:几|些|一)?(?:年份?|个?省份?|个?(?:市|县|区|地区|地方|城市))的?)"
    r"(?:政府工作)?(?:报告|文件|文档|文章)"
)
# "关于教育说了什么？", "教育方面讲了哪些内容？", "对教育是怎么说的？": a topic, and what is said of it.
_ABOUT = re.compile(
    rf"^{_WHERE}(?:关于|对于?)(?P<a>[^，,。？?]{{2,12}}?)(?:方面)?(?:都|是)?"
    r"(?:说|讲|提|写)了?(?:些|哪些)?(?:什么|啥|哪些)(?:内容)?[?？。!！\s]*$"
    rf"|^{_WHERE}(?P<b>[^，,。？?]{{2,12}}?)方面(?:都)?(?:说|讲|提|写)了?(?:些|哪些)?(?:什么|啥|哪些)(?:内容)?[?？。!！\s]*$"
    rf"|^{_WHERE}(?:对|关于)(?P<c>[^，,。？?]{{2,12}}?)(?:是)?怎么说的[?？。!！\s]*$"
    # Which of the documents do: "哪些报告提到了“一带一路”？", "有没有报告提到低空经济？".
    rf"|^{_EVERY}(?:里|中)?(?:都)?(?:提到|提及|说到|讲到|写到|涉及)(?:了|过)?(?P<g>[^，,。？?]{{2,12}}?)了?(?:吗)?[?？。!！\s]*$"
    # Whether it mentions the topic at all: "有没有提到人工智能？", "报告里提到房地产了吗？", "湘超有没有
    # 提到？" (11 of 40 such questions about a topic the report names word for word had been refused).
    rf"|^{_BEFORE}(?:有没有|是否|有无)(?:提到|提及|说到|讲到|写到|涉及)过?(?P<d>[^，,。？?]{{2,12}}?)(?:的内容|的事)?[?？。!！\s]*$"
    rf"|^{_BEFORE}(?:提到|提及|说到|讲到|涉及)了?(?P<e>[^，,。？?]{{2,12}}?)了?吗[?？。!！\s]*$"
    rf"|^{_WHERE}(?P<f>[^，,。？?]{{2,12}}?)(?:有没有|是否|有无)(?:被)?(?:提到|提及|说到|讲到)[?？。!！\s]*$"
)
_QUOTES = "“”‘’「」『』\"'《》"
MAX_MENTIONS = 10  # sentences quoted; the note says how many there are in all


def asked_topic(question: str) -> str | None:
    """The topic ``question`` (normalized) asks what the document says of, or None; None too when a
    place or a time stands before the verb with nothing after it ("山东有没有提到？" names where to
    look, not what; "有没有提到香港？" asks of 香港)."""
    found = _topic_words(question)
    return None if found is None or _names_where(*found) else found[0]


# The same in English: "Which reports mention the low-altitude economy?", "Does any report mention X?"
_MENTION = r"\s+(?:mention|mentioned|talk about|refer to)\s+(?:the\s+)?(?P<{}>[^?.!]{{2,60}})[?.!\s]*$"
_EVERY_ENGLISH = re.compile(
    r"^(?:which|what)\s+(?:of\s+the\s+)?(?:reports|documents|files)" + _MENTION.format("t")
    + r"|^(?:does|do|did|has|have)\s+any\s+(?:report|document|file)s?" + _MENTION.format("u"),
    re.I,
)  # fmt: skip


def english_every_document(question: str) -> list[str] | None:
    """The topic an English ``question`` (normalized) asks which documents mention, then its report
    terms (qa.pipeline.glossary): "Which reports mention smog?" -> [smog, 雾霾, 重污染天气]; None when
    it asks no such thing or no one glossary phrase is the whole topic."""
    found = _EVERY_ENGLISH.match(question.strip())
    topic = (found.group("t") or found.group("u")) if found else None
    terms = phrase_terms(topic) if topic else ()
    return [topic, *terms] if topic and terms else None


def asks_every_document(question: str) -> bool:
    """Whether ``question`` (normalized) asks which of the library's documents mention a topic."""
    found = _topic_words(question)
    return found is not None and found[1] == "g"


def _topic_words(question: str) -> tuple[str, str] | None:
    """The topic's words and the pattern's group that found them (f: before the verb)."""
    found = _ABOUT.match(question)
    group = next((name for name, topic in found.groupdict().items() if topic), None) if found else None
    if found is None or group is None:
        return None
    start, end = found.span(group)
    # A topic starts on a word: 过渡期 of 提到过渡期 and 对外开放 of 对外开放是怎么说的 are not 渡期, 外开放
    # (the 过 and 对 before them had been read as the question's own).
    bounds = word_bounds(question)
    start = max((b for b in bounds if b <= start), default=start)
    topic = question[start:end].strip(_QUOTES)  # 提到“苏超”了吗: the word, not its marks
    return (topic, group) if topic else None


_TIME = re.compile(r"(?P<time>(?:19|20)\d{2}年?|今年|去年|明年|前年)(?:的)?(?:报告)?")


def _names_where(words: str, group: str) -> bool:
    """Whether ``words``, found before the verb (group f), are only a place or a time (山东, 2014年的
    报告): of a document, not a topic."""
    where = words.removesuffix("的")
    return group == "f" and (_TIME.fullmatch(where) is not None or places_in(where, cities=True) == [where])


def mention_follow_up(question: str) -> str:
    """ "山东呢？" for "山东有没有提到？" ("2014年呢？" for "2014年的报告有没有提到？"): in a chat, whether
    another place's or year's report says it too asks the turn before of that place or time; a
    helper's 河南有没有提到？ after a question on 老旧小区 had quoted ten sentences naming 河南. ""
    for any other question ("有没有提到香港？" asks of 香港)."""
    found = _topic_words(normalize(question))
    if found is None or not _names_where(*found):
        return ""
    where = found[0].removesuffix("的")
    time = _TIME.fullmatch(where)
    return f"{time.group('time') if time else where}呢？"


def as_written(question: str, topic: str) -> str:
    """``topic`` as ``question`` writes it (AI, where normalizing had lower-cased it), or ``topic``."""
    found = re.search(re.escape(topic), question, re.IGNORECASE)
    return found.group() if found else topic


def names_topic(text: str, topic: str) -> bool:
    """Whether the document ``text`` holds ``topic`` at all: as written, or normalized (a quick test
    before its sentences are read: 哪些报告提到了…？ asks it of every document)."""
    return topic in text or normalize(topic) in normalized_document(text)


@lru_cache(maxsize=256)
def _mention_spans(text: str, topic: str) -> tuple[tuple[int, int], ...]:
    """The sentences of ``text`` naming ``topic``: kept, as a question across a library reads every
    document that names it (2–3 s a question over 88 reports, read afresh each time)."""
    wanted = normalize(topic)
    spans = split_sentences(text, 0, len(text)) if names_topic(text, topic) else []
    return tuple((s, e) for s, e in spans if _names(normalize(text[s:e]), wanted))


def mentions(text: str, topic: str, top: Passage, sections: list[Section]) -> tuple[list[Passage], int]:
    """The first ``MAX_MENTIONS`` sentences of the document ``text`` naming ``topic``, cited as items of
    ``top``'s document, and how many name it in all."""
    spans = _mention_spans(text, topic)
    items = []
    for start, end in spans[:MAX_MENTIONS]:
        section = section_at(sections, start)
        items.append(item_passage(top, text, start, end, section.path if section else (), marked=True))
    return items, len(spans)


def _names(sentence: str, topic: str) -> bool:
    """Whether ``sentence`` names ``topic`` as a word or a word's start or end (基础教育, 教育改革), not
    across two words (民生 in 人民生活)."""
    if topic not in sentence:
        return False
    bounds = word_bounds(sentence)
    found = (m.start() for m in re.finditer(re.escape(topic), sentence))
    return any(start in bounds or start + len(topic) in bounds for start in found)
