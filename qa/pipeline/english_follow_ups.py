"""English follow-ups: "What about Guangdong?", "And in 2008?", "What was it in 2008?" after an English
question. Each asks the earlier question again, of another place or another time; read as they stand,
they were answered with whatever sentence names 2008 or Guangdong ("2008年是极不平凡的一年。"). And
"And the CPI target?" asks of another thing at the earlier question's place and time."""

from __future__ import annotations

import re

from qa.pipeline.glossary import report_terms
from qa.pipeline.places import names_a_place, places_in
from qa.pipeline.query import FUNCTION_WORDS
from qa.text.normalize import has_cjk
from qa.text.years import WRITTEN_YEAR, YEARS_AWAY

_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+|^\s*and\s+", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_RELATIVE = re.compile(r"\b(?:this|last|next)\s+year\b", re.I)
_WHEN = re.compile(rf"(?:\b(?:in|for|of)\s+)?(?:{_YEAR.pattern}|{_RELATIVE.pattern})", re.I)
# What a time-only follow-up says besides its time: "What was it in 2008?", "And in 2008?".
_FILLER = re.compile(r"\b(?:what|how|about|and|in|for|of|was|is|were|it|that|then|the)\b|[?.!,\s]", re.I)
_CHINESE_TIME = {"this": "今年", "last": "去年", "next": "明年"}
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*")
_PLACE_WORDS = {"the", "province", "city", "municipality", "region", "autonomous"}

# The same in English: question, function, time and aspect words ("what is the target for this year?",
# "and how many are planned?"): the second part of "How many new urban jobs were created last year
# and what is the target for this year?" had been answered alone, with the GDP target.
_ENGLISH_NAMES_NOTHING = FUNCTION_WORDS | frozenset(
    " ".join(
        (
            "whats s then so last next coming current year years target targets goal goals plan plans",
            "planned planning aim aims expected expect set figure number growth increase rise reached reach",
            "achieved achieve result results progress measures specific details met meet hit done",
        )
    ).split()
)
_ENGLISH_WORD = re.compile(r"[a-z][a-z&]*")  # R&D is one word


def english_naming_words(question: str) -> list[str]:
    """The words of an English question that name something: none of ``_ENGLISH_NAMES_NOTHING``
    ("How many new urban jobs were created last year?" -> new, urban, jobs, created)."""
    return [w for w in _ENGLISH_WORD.findall(question.lower()) if w not in _ENGLISH_NAMES_NOTHING]


def in_english(text: str) -> bool:
    """Whether ``text`` is an English question, its places perhaps in Chinese (the 山东 a Chinese
    follow-up put into an English question: "What is 山东's GDP growth target this year?")."""
    for place in places_in(text, cities=True):
        text = text.replace(place, " ")
    return not has_cjk(text) and _ENGLISH_WORD.search(text.lower()) is not None  # not "河南" alone


def in_chinese(text: str) -> bool:
    """Whether ``text`` is a Chinese question: some Chinese, and not ``in_english`` (nor empty)."""
    return has_cjk(text) and not in_english(text)


def english_readings(question: str, previous: str) -> list[str]:
    """``previous`` (an English question) asked of the time or place an English follow-up names;
    [] for any other question."""
    if has_cjk(question) or not previous or not in_english(previous):
        return []
    times = [m.group(0) for m in _WHEN.finditer(question)]
    if times and not _FILLER.sub("", _WHEN.sub("", question)):
        return [_retimed(previous, times[0])]
    about = _ABOUT.match(question)
    name = question[about.end() :].strip(" ?.!") if about else ""
    if not name:
        return []
    place = _place_span(previous)
    if not _only_a_place(name):
        return _of_another_thing(name, previous, previous[slice(*place)] if place else None)
    return [previous[: place[0]] + name + previous[place[1] :]] if place else []


def _place_span(question: str) -> tuple[int, int] | None:
    """Where an English question names its place: an English word (Henan's), or the Chinese name a
    Chinese follow-up put in ("What is 山东's GDP growth target this year?")."""
    word = next((w for w in _WORD.finditer(question) if names_a_place(w.group(0))), None)
    if word:
        return word.span()
    chinese = places_in(question, cities=True)
    return (question.index(chinese[0]), question.index(chinese[0]) + len(chinese[0])) if chinese else None


def chinese_follow_up(question: str, previous: str) -> str:
    """ "安徽呢？" for "And Anhui?" or "What about Anhui?" after a Chinese question: the place asked of
    as a Chinese follow-up would ask it (the Yunnan question before had been answered again), and
    "2016年呢？" or "去年呢？" for "What about 2016?" or "And last year?"; "" otherwise."""
    about = _ABOUT.match(question)
    if has_cjk(question) or not in_chinese(previous) or not about:
        return ""
    name = question[about.end() :].strip(" ?.!")
    # Or the time: "What about 2016?" had been read 2015年2016, gdp? after a 2015 question.
    year, relative = _YEAR.fullmatch(name.removeprefix("in ").strip()), _RELATIVE.fullmatch(name)
    if year:
        return f"{year.group(0)}年呢？"
    if relative:
        return f"{_CHINESE_TIME[relative.group(0).split()[0].lower()]}呢？"
    if not _only_a_place(name):
        # Or a thing, in the report's words: "And the CPI target?" after "2015年GDP增长目标是多少？" asks
        # 2015年居民消费价格…; read as "the CPI target, gdp?", it had quoted the GDP target again.
        terms = report_terms(name.lower())
        return f"{max(terms, key=len)}呢？" if terms and not names_a_place(name) else ""
    places = places_in(name, cities=True)
    return f"{places[0]}呢？" if len(places) == 1 else ""


# A Chinese follow-up of an English question: "那山东呢？", "去年呢？", "2016年呢？".
_CHINESE_ABOUT = re.compile(r"^(?:那么?|还有)?\s*(?P<name>[^呢?？]+?)的?\s*呢?\s*[?？]?$")
_CHINESE_TIMES = {"今年": "this year", "去年": "last year", "上年": "last year", "明年": "next year"}
_NATION = frozenset({"全国", "国家", "中国", "我国"})


def english_of_chinese(question: str, previous: str) -> list[str]:
    """``previous`` (an English question) asked of the place or time a Chinese follow-up names:
    "那山东呢？" after "What is Henan's GDP growth target this year?" -> "What is 山东's GDP growth
    target this year?" (it had been refused as naming nothing), "去年呢？" -> "… last year?"; [] for
    any other question."""
    about = _CHINESE_ABOUT.match(question.strip())
    if not about or not has_cjk(question) or not previous or not in_english(previous):
        return []
    name = about.group("name").strip()
    year, earlier = WRITTEN_YEAR.fullmatch(name), _YEAR.search(previous)
    if name in _CHINESE_TIMES and name in YEARS_AWAY and earlier:  # of the conversation's year, not today's
        return [_retimed(previous, str(int(earlier.group(0)) + YEARS_AWAY[name]))]
    if year or name in _CHINESE_TIMES:
        return [_retimed(previous, year.group(1) if year else _CHINESE_TIMES[name])]
    places = places_in(name, cities=True)
    whole = len(places) == 1 and name in (places[0], places[0] + "省", places[0] + "市")  # 湖北省呢？
    if not whole and name not in _NATION:  # 那全国呢？ asks the nation's (it had been an HTTP 400)
        return []
    place = _place_span(previous)
    if place:
        return [previous[: place[0]] + name + previous[place[1] :]]
    return [previous.rstrip(" ?.!") + f" in {name}?"]


# "Was it achieved?", "Was the target met?" after a Chinese question: its 完成了吗？ (read as it stood,
# it had been answered from the town report's boilerplate, 3 of 3).
_DONE = re.compile(r"\b(?:achieved|met|reached|hit|completed|accomplished|fulfilled|done)\b", re.I)


def chinese_pointing(question: str, previous: str) -> str:
    """ "完成了吗？" for an English turn that only asks whether the earlier Chinese question's target
    was met; "" otherwise."""
    if has_cjk(question) or not in_chinese(previous) or english_naming_words(question):
        return ""
    return "完成了吗？" if _DONE.search(question) else ""


def _only_a_place(name: str) -> bool:
    """Whether ``name`` is a place and nothing else ("Guangdong", "Hong Kong", "Hubei province"; not
    "Hubei's CPI", which asks a thing of its own place)."""
    words = [w.group(0) for w in _WORD.finditer(name) if w.group(0).lower() not in _PLACE_WORDS]
    at = 0
    while at < len(words):
        if at + 1 < len(words) and names_a_place(f"{words[at]} {words[at + 1]}"):
            at += 2
        elif names_a_place(words[at]):
            at += 1
        else:
            return False
    return bool(words)


def _of_another_thing(thing: str, previous: str, place: str | None) -> list[str]:
    """ "And the CPI target?" after "How many new jobs does Hubei plan for 2026?": the new thing, of
    the earlier question's place and time (read as it stands, it was answered from another report).
    [] when the thing names a place or the earlier question names neither place nor time."""
    if names_a_place(thing):
        return []
    when = _WHEN.search(previous) if not _WHEN.search(thing) else None
    qualifiers = ([f"in {place}"] if place else []) + ([_spoken(when.group(0))] if when else [])
    return [f"What about {thing} {' '.join(qualifiers)}?"] if qualifiers else []


def _retimed(previous: str, when: str) -> str:
    """``previous`` of the time ``when`` ("in 2008", "last year"), its own time replaced or added."""
    spoken = _spoken(when)
    if _WHEN.search(previous):
        return _WHEN.sub(spoken, previous, count=1)
    return previous.rstrip(" ?.!") + f" {spoken}?"


def _spoken(when: str) -> str:
    """A time as a question says it: "2008" -> "in 2008"; "for 2026", "last year" as they are."""
    when = when.strip()
    return f"in {when}" if _YEAR.fullmatch(when) else when
