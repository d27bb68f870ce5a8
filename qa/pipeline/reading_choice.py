"""Which reading of a chat turn answers it: each reading (``qa.pipeline.conversation.readings``) is
asked, and ``best_reading`` keeps the most confident one whose answer quotes what the turn itself
names, so that words put in from the earlier turns never win alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from qa.errors import QuestionError
from qa.pipeline.answering import NOT_LIKELY
from qa.pipeline.conversation import resolve
from qa.pipeline.glossary import report_terms
from qa.pipeline.places import names_a_place
from qa.pipeline.query import names_something
from qa.pipeline.sections import names_title, titled_list
from qa.pipeline.substitutions import names_a_thing, places_whole
from qa.pipeline.turn_words import asks_for_more, only_context
from qa.schema import Answer
from qa.text.normalize import has_cjk, normalize
from qa.text.words import cut_words


def _quotes(text: str, word: str) -> bool:
    """Whether ``text`` names ``word``, or its characters in order with a little between (消防站 in
    建设紫帽消防救援站, 新增学位 in 新增优质学位3600个): a report's fuller name of what a user names."""
    if word in text:
        return True
    gap = f".{{0,{len(word) - 1}}}"
    return len(word) >= 3 and re.search(gap.join(map(re.escape, word)), text) is not None


# Characters of verbs, adverbs and counters that name no thing, alone or together: 要花, 还要, 几个 (a
# helper's "要花多少钱？" after "青石大道西段什么时候开工？" had been read as it stood and refused, its
# topic's reading discarded for not quoting 要花).
_FUNCTION_CHARS = frozenset("要还花建做干办是有会能该再又也都就才几届个次所座第把被给让将已在")


def _named_words(question: str) -> set[str]:
    """The words ``question`` itself names things with (as ``_names_a_thing``), normalized. For an
    English question, the report terms of its phrases (qa.pipeline.glossary); one that names
    something the glossary lacks ("And what about education?") is named by the question itself,
    which no Chinese quote holds: a reading that put the earlier topic in front cannot win for it."""
    if has_cjk(question):
        words = places_whole(cut_words(question))
        return {normalize(word) for word in words if names_a_thing(word) and not set(word) <= _FUNCTION_CHARS}
    english = normalize(question)
    return set(report_terms(english)) or ({english} if names_something(english) else set())


def answer_readings(ask: Callable[[str], Answer], forms: list[str]) -> list[tuple[str, Answer]]:
    """Each reading with its answer. A reading that names nothing on its own ("多少？", "是吗？": a
    QuestionError) is left out while another names something: read with the earlier topic, it does."""
    answered, refused = [], []
    for form in forms:
        try:
            answered.append((form, ask(form)))
        except QuestionError as exc:
            refused.append(exc)
    if not answered:
        raise refused[0]
    return answered


def most_confident(answers: list[Answer]) -> Answer:
    """The answer of highest confidence; on a tie the earlier reading (the question as it stands)."""
    return max(answers, key=lambda answer: answer.confidence)


def stands_alone(question: str, topic: str) -> bool:
    """Whether a chat turn is a question of its own after a turn about ``topic``: no pronoun, no
    ellipsis, long enough and naming its own subject ("去年规上工业产值多少？", not "那医疗呢？")."""
    return resolve(question, topic) == question and not only_context(question)


def best_reading(
    question: str,
    answered: list[tuple[str, Answer]],
    alone: bool = False,
    said: Callable[[], Answer | None] | None = None,
) -> Answer:
    """The most confident answer among the readings of a chat turn ``question`` (reading, its
    answer). A reading that put words in (the earlier topic, a replaced word) counts only when its
    answer quotes something ``question`` names itself, if it names anything: the confidence is the
    reading's, and the words put in must not win alone ("今年要建消防站吗？" read as "财政收入今年要建消防站
    吗？" and answered with a revenue sentence of another report). A turn may start a new topic; the
    second part of one question (``Answerer``) is about its first part's and keeps ``most_confident``.
    A turn that ``stands_alone`` and is answered as it stands is not read otherwise: "去年规上工业产值
    多少？" after "安徽去年地区生产总值多少？" had been answered from Anhui's GDP sentence; unless another
    document answers it and the turn names neither (``_continuing``: it goes on in the one talked about)."""
    own = next((answer for reading, answer in answered if reading == question), None)
    named = _named_words(question)
    asked_heading = titled_list(normalize(question)) or ()

    def backed(reading: str, answer: Answer) -> bool:
        # The report quoted names a place as well as its sentence does ("白石镇呢？" after "青山县去年
        # 新增学位多少个？": 白石镇's report says 新增公办幼儿园学位300个, not 白石镇).
        # Only a place, though: every report's title names 报告 ("作报告的是谁？" after "去年造林多少亩？"
        # was read as 造林作报告的是谁？ and answered with the 造林 sentence).
        # So does its section's heading: a notice's "（二）申请材料" above the sentence listing them
        # ("要带哪些材料？" after "农机补贴什么时候可以申请？" had quoted 原材料 of another report).
        top = answer.passages[0] if answer.found and answer.passages else None
        document = normalize(top.document) if top else ""
        quoted = normalize(answer.answer or "")
        heading = normalize(top.section[-1]) if top and top.section else ""
        return (
            reading == question
            or not named
            or any(_quotes(quoted, term) for word in named for term in (word, *report_terms(word)))
            or any(word in document and names_a_place(word) for word in named)
            or any(word in heading for word in named)
            # A guide's heading the turn asks for ("多久能办好？": 六、办理时限, looked up).
            or any(word in normalize(answer.reason.get("part") or "") for word in asked_heading)
        )

    kept = [answer for reading, answer in answered if backed(reading, answer)]
    if alone and own is not None and own.outcome == "answer":
        return _continuing(question, asked_heading, kept, own, said) or own
    # Nor when it asks of several reports and is answered in parts, or is refused for a fact (a report
    # the library lacks): a comparison answered in one part (可能相关) had lost to the earlier
    # comparison's topic glued in front (…城镇新增就业目标分别湖南和山东的城镇化率…, quoting the jobs
    # targets at 1.0), and "2018年的经济增长目标是多少？", refused for want of a 2018 report, as well.
    because = own.reason.get("not_found_because") if own is not None else None
    if alone and own is not None and (own.parts or because not in (None, NOT_LIKELY)):
        return own
    # A turn that only points back asks for more than was said ("具体怎么做？", "效果怎么样？" had quoted
    # the sentence of the turn before again, at 0.97): that sentence is no answer to it.
    # ("实际是多少？" may be answered by the sentence just quoted: it asks what that said.) A sentence
    # of the turn before's parts counts too (it had been quoted again after a two-part question).
    if kept and said and asks_for_more(question):
        quoted = _quoted(said)
        kept = [answer for answer in kept if not (answer.answer and answer.answer in quoted)]
    if kept:
        best = most_confident(kept)
        return _continuing(question, asked_heading, kept, best, said) or best
    # Nothing quotes what the turn names; the sentence quoted last (``said()``) is then no answer to
    # it either ("新增学位呢？" after "今年要建公厕吗？" had quoted the 公厕 sentence again).
    quoted = _quoted(said) if said else None
    fresh = [answer for _, answer in answered if not (quoted and answer.answer and answer.answer in quoted)]
    if fresh:
        return most_confident(fresh)
    again = most_confident([answer for _, answer in answered])
    because = {"not_found_because": "only the sentence quoted for the question before was found"}
    low = min(again.confidence, 0.01)  # a fact refuses it, as the answer step's facts do
    # Nor are the parts of the answer found: a refusal had shown the turn before's two answers.
    return replace(again, found=False, answer=None, confidence=low, outcome="not_found", items=[], parts=[],
                   reason=again.reason | because)  # fmt: skip


def _quoted(said: Callable[[], Answer | None]) -> str:
    """The sentence the answer before quoted, or ""."""
    last = said()
    return (last.answer if last else None) or ""


def _continuing(
    question: str,
    asked: tuple[str, ...],
    kept: list[Answer],
    best: Answer,
    said: Callable[[], Answer | None] | None,
) -> Answer | None:
    """The most confident answer of ``kept`` from the document the answer before quoted, when ``best``
    comes from another that the turn does not name by its title, and that document answers too: a turn
    goes on in the document being talked about ("需要什么材料？" after "我想办食品小作坊登记证换证" asks that
    notice's materials; another guide's had been quoted at 1.0); None otherwise. ``asked``: the heading
    words the turn asks for (``titled_list``), no words of a title."""
    if not best.passages or names_title(normalize(question), best.passages[0].document, asked):
        return None  # 异地就医备案需要什么材料？ names its guide, whatever was asked before
    doc = best.passages[0].doc_id
    others = [a for a in kept if a.outcome == "answer" and a.passages and a.passages[0].doc_id != doc]
    last = said() if said and others else None  # asked again only when another document answers
    before = last.passages[0].doc_id if last and last.passages else None
    same = [a for a in others if a.passages[0].doc_id == before]
    return most_confident(same) if same else None
