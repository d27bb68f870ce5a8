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

from qa.pipeline.english_follow_ups import (
    chinese_follow_up,
    chinese_pointing,
    english_of_chinese,
    english_readings,
    in_chinese,
)
from qa.pipeline.glossary import report_terms
from qa.pipeline.mentions import mention_follow_up
from qa.pipeline.places import places_in
from qa.pipeline.pronouns import pronoun_in
from qa.pipeline.substitutions import ACRONYM, only_a_place, substitutions
from qa.pipeline.turn_words import (
    REFERS_BACK,
    WHEN,
    WITHIN,
    drills_down,
    elliptical,
    elliptical_name,
    in_front,
    names_nothing,
    only_context,
    points_back_only,
    topic_of,
)
from qa.settings import MAX_QUESTION_CHARS
from qa.text.normalize import has_cjk, normalize
from qa.text.years import WRITTEN_YEAR, YEARS_AWAY

SHORT_QUESTION = 6  # characters; shorter questions lean on the conversation for their topic


def _fits_in(topic: str, question: str) -> bool:
    """Whether ``topic`` can be put into ``question``: of its script, or an acronym (GDP) in a Chinese
    one. An English topic had been run into a Chinese turn: what was gdp growth last year去年完成得怎样？"""
    same = has_cjk(topic) == has_cjk(question)
    known = ACRONYM.fullmatch(topic.upper()) is not None and bool(report_terms(topic))  # not "met"
    return same or (has_cjk(question) and known)


def resolve(question: str, previous_topic: str) -> str:
    """The standalone form of ``question`` given the topic of the conversation so far."""
    if not previous_topic:
        return question
    if pronoun := pronoun_in(question):
        return question[: pronoun.start()] + previous_topic + question[pronoun.end() :]
    stripped = question.strip()
    alone = elliptical(stripped) or len(stripped) <= SHORT_QUESTION or not topic_of(stripped)
    if alone and _fits_in(previous_topic, stripped):
        return in_front(previous_topic, stripped)
    return question


def asks_nothing_alone(question: str) -> bool:
    """Whether ``question`` only points back (``points_back_only``), names only a time ("去年呢？") or
    only a place ("广东呢？"): asked with no earlier question it asks about nothing (each had been
    answered with an arbitrary sentence while "那江苏呢？" was refused)."""
    name = elliptical_name(question)
    return points_back_only(question) or only_context(question) or bool(name and only_a_place(name))


def retimed(question: str, previous: str) -> list[str]:
    """``previous`` asked of the time a time-only follow-up names ("2016年呢？" after "2015年GDP增长目标
    是多少？" -> "2016年GDP增长目标是多少？"; "今年呢？" after "白石镇去年财政总收入多少？" -> "白石镇今年
    财政总收入多少？"; "去年呢？" after "2010年财政赤字多少？" -> "2009年财政赤字多少？"): its time words
    replaced, or the new one put in front. [] for any other question."""
    when = WHEN.findall(normalize(question))
    earlier = previous.strip()
    if not (when and in_chinese(earlier) and only_context(question)):  # 去年 is put in no English question
        return []
    asked, year = when[0], WRITTEN_YEAR.search(normalize(earlier))
    if asked in YEARS_AWAY and year:  # of the year the conversation is about, not of today
        asked = f"{int(year.group(1)) + YEARS_AWAY[asked]}年"
    if not WHEN.search(earlier):
        return [asked + earlier]
    return [WHEN.sub(asked, earlier, count=1)]


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
        same_question or elliptical(question.strip()) or REFERS_BACK.search(question) is not None
    )
    # "其中中央财政赤字多少？" asks within the turn before: of its time, not as it stands (the newest report).
    within = drills_down(question)
    if topic and (only_context(question) or asks_nothing or replaced or within):
        forms = [form for form in forms if form != question]
    # Of the earlier question's time too, and only so ("完成了吗？" after "2014年GDP增长目标是多少？": the
    # topic alone had won with another year's figure, 2014's 1322万 for "实际是多少？" on 2015).
    pointing = (asks_nothing or within) and topic and has_cjk(question)  # not "What about 2016?"
    when = WHEN.findall(normalize(previous)) if pointing else []
    # A drill-down is of the earlier question's place too ("其中出口呢？" after "广东去年货物进出口总额…"
    # had been read "去年出口呢？" and answered from the State Council's report: 4 of 5 such turns).
    places = places_in(previous, cities=True) if within and pointing else []
    place = "".join(p for p in places if p not in question)
    if (when or place) and not WHEN.search(normalize(question)):
        asked = question.strip()[len(WITHIN) :] if within else resolve(question, topic)
        forms = [in_front(place + (when[0] if when else ""), asked)]
    # Each reading is a question of its own: none longer than a question may be.
    return [form for form in dict.fromkeys(forms) if len(form) <= MAX_QUESTION_CHARS] or [question]
