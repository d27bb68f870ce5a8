"""Answers looked up in a document's structure rather than scored: a part asked by its number
("第三部分讲了什么？"), the parts ("报告分为哪几个部分？", "总结一下"), the list a heading names ("今年的重点
工作有哪些？"), the mentions of a topic ("关于教育说了什么？"), who delivered the report and when
("这份报告是谁作的？"). Each quotes the document's own lines, cited;
a part the document lacks is refused as a fact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from qa.pipeline.answering import SCORED_SENTENCE_ONLY
from qa.pipeline.delivery import asked_role, asks_delivery, byline_lines, delivery_lines
from qa.pipeline.faq import asked_pair, pair_passage
from qa.pipeline.lists import (
    announced_items,
    document_sections,
    item_passage,
    opening_list,
    short_body,
    subsection_items,
)
from qa.pipeline.mentions import (
    as_written,
    asked_topic,
    asks_every_document,
    english_every_document,
    mentions,
    names_topic,
)
from qa.pipeline.sections import (
    asked_part,
    asks_label,
    asks_outline,
    asks_the_past,
    fits_years,
    names_a_time,
    names_title,
    part_count,
    part_named,
    part_passage,
    section_titled,
    titled_list,
)
from qa.pipeline.signature import NEWS, asks_number, asks_sender, is_paper, number_lines, signature_lines
from qa.pipeline.substitutions import names_a_thing, places_whole
from qa.schema import Answer, DocumentInfo, Passage, document_kind
from qa.text.normalize import normalize
from qa.text.sentences import split_sentences
from qa.text.words import cut_words

Outline = tuple[tuple[int, int], ...]


def looked_up(
    question: str,
    answer: Answer,
    text_of: Callable[[str], str],
    outline_of: Callable[[str], Outline],
    library: Sequence[DocumentInfo] = (),
) -> Answer | None:
    """The looked-up answer of ``question`` from the document of ``answer``'s first passage (its text
    and its markup's heading levels by doc_id from ``text_of`` and ``outline_of``), or from every
    document of ``library`` for "哪些报告提到了…？"; None when the question asks none of these or the
    answer as scored stands. A refusal for a fact the user can check (a report the library lacks:
    "2030年的报告说了什么？") stands: no part of another report answers it; one for what the sentence
    scored best lacks (no date for 报告是哪天作的？) does not."""
    because = answer.reason.get("not_found_because")
    if not answer.passages or (
        not answer.found and because is not None and because not in SCORED_SENTENCE_ONLY
    ):
        return None
    normalized = normalize(question)
    topic = asked_topic(normalized)
    every = [as_written(question, topic)] if topic and asks_every_document(normalized) else None
    every = every or english_every_document(normalized)
    if every and library:
        return _everywhere_answer(question, answer, text_of, outline_of, library, every)
    delivery = asks_delivery(normalized)
    if delivery == "writer":
        return _byline_answer(question, answer, text_of)
    paper = asks_sender(normalized)
    if paper is not None:
        return _lines_answer(question, answer, text_of, signature_lines, "sender", paper, library)
    if asks_number(normalized):
        return _lines_answer(question, answer, text_of, number_lines, "number")
    pair = _pair_answer(question, answer, text_of, outline_of) or _whole_pair(answer, text_of, outline_of)
    if pair is not None:
        return pair
    doc_id = answer.passages[0].doc_id
    text, outline = text_of(doc_id), outline_of(doc_id)
    if delivery:
        return _delivery_answer(question, answer, text, delivery)
    asked, whole = asked_part(normalized), asks_outline(normalized)
    titled = None if asked or whole else titled_list(normalized)
    if whole:
        return _outline_answer(question, answer, text, outline, whole)
    if titled and asks_label(titled):
        # A guide's label, in the first passage's document, else in the one the question names by a
        # word of its title (注册个体户收费吗？ of a library whose first passage was a report's had quoted
        # the report at 0.83); never a work report's heading (its 单一窗口 had answered 在哪里办理社保？),
        # and not elsewhere for a question of a time, nor at all for one of the past (去年…压缩到几天？
        # asks what a report says happened).
        first = [] if asks_the_past(normalized) else answer.passages[:1]
        others = (
            [] if not first or names_a_time(normalized) else _titled_by(normalized, titled, answer.passages)
        )
        for top in [p for p in first + others if document_kind(p.document) != "work_report"]:
            guide, marks = text_of(top.doc_id), outline_of(top.doc_id)
            if section_titled(document_sections(guide, marks), titled, parents_only=False):
                return _part_answer(question, answer, guide, marks, asked, titled, top)
        return None
    if asked or titled:
        return _part_answer(question, answer, text, outline, asked, titled)
    # What it says of a topic, unless the answer as scored quotes a sentence naming it ("15年的报告提到
    # “互联网+”了吗？" had been answered with a sentence of 移动互联网 at 0.88).
    if topic is None or (answer.outcome == "answer" and normalize(topic) in normalize(answer.answer or "")):
        return None
    return _mentions_answer(question, answer, text, outline, topic)


def _part_answer(
    question: str,
    answer: Answer,
    text: str,
    outline: Outline,
    asked: list[tuple[int, str]],
    titled: tuple[str, ...] | None,
    top: Passage | None = None,
) -> Answer | None:
    """For "第五章讲的是什么？" or "今年的重点工作有哪些？" not answered from inside that part: the part's
    heading line, its subsections (or what its line announces: 严禁下列行为：) as items; of the document
    of ``top`` (the first passage's, unless given)."""
    top = top or answer.passages[0]
    sections = document_sections(text, outline)
    section = section_titled(sections, titled) if titled else part_named(sections, asked)
    listed = section is None and titled is not None
    if listed:  # a guide's 五、所需材料 with its 1.…；2.…； in running text
        section = section_titled(sections, titled, parents_only=False)
    count = part_count(sections, asked) if section is None and asked else None
    if count is not None:  # 第五部分 of a report of three: say so, not another part's sentence
        reason = {"not_found_because": f"the document has only {count} {asked[0][1]}"}
        return Answer(question, False, None, answer.passages, reason, 0.0, "not_found")
    if section is None or (titled and not fits_years(normalize(question), section)):
        return None
    heading = part_passage(top, text, section)
    inside = answer.outcome == "answer" and section.start <= top.start < section.end
    body: list[Passage] = []
    if listed:
        items = opening_list(text, heading, section)
        body = [] if items else short_body(text, heading, section)
        said = answer.answer if answer.outcome == "answer" else None
        if said and any(said.strip() == i.text.strip() for i in body):
            return None  # 办理时限需要多久？ answered by the sentence under 四、办理时限
        items = items or body
        if not items:
            return None
        # A thing the question names, beside the service the document is about, in a label's running
        # text (诊断证明书收费吗？ under 五、其他收费: 病历复印…。诊断证明书不收费。救护车…): the sentence
        # naming it answers, not the heading alone (quoted at 1.0). A counted list is answered whole.
        things = [t for t in _things_named(question, titled or ()) if t not in normalize(top.document)]
        naming = _naming_sentence(body, text, things)
        if naming is not None:
            passages = [naming, *(p for p in answer.passages if p.passage_id != naming.passage_id)]
            return _listing(question, passages, answer, {"part": section.title}, [naming])
    else:
        items = subsection_items(text, section, heading, outline) or announced_items(text, heading, outline)
    # An answer from inside the part stands, unless it quotes the part's heading line or a clause of
    # it (no candidate, but one spaced otherwise than its title: "第三章  项目申报和审批" had been quoted
    # without its 第七条…; an article's line is its text: "第十七条说了什么？" had been answered with
    # its first clause, …给予警告；, without the fine after it).
    # A list asked by its heading's words is that heading's list, unless the answer lists it too
    # ("重点做好十个方面工作。"; the targets sentence inside 三、2026年重点工作 had been quoted for it).
    inside = inside and (not titled or [i.start for i in answer.items] == [i.start for i in items])
    if inside and " ".join((answer.answer or "").split()) not in " ".join(heading.text.split()):
        return None
    passages = [heading, *(p for p in answer.passages if p.passage_id != heading.passage_id)]
    reason = {"part": section.title, "not_found_because": None}
    return _listing(question, passages, answer, reason, items, heading.text)


def _things_named(question: str, titled: tuple[str, ...]) -> list[str]:
    """The words ``question`` names things with, beside the label asked (收费) and words that ask."""
    words = places_whole(cut_words(normalize(question)))
    return [w for w in words if names_a_thing(w) and not any(w in t or t in w for t in titled)]


def _naming_sentence(items: list[Passage], text: str, things: list[str]) -> Passage | None:
    """The one sentence of ``items`` (a label's body lines, several sentences) naming most of
    ``things``, cited as an item; None when none names any, two name as many, or there is but one."""
    spans = [span for item in items for span in split_sentences(text, item.start, item.end)]
    named = [sum(thing in normalize(text[s:e]) for thing in things) for s, e in spans]
    most = max(named, default=0)
    if len(spans) < 2 or not most or named.count(most) > 1:
        return None
    start, end = spans[named.index(most)]
    item = next(i for i in items if i.start <= start < i.end)
    return item_passage(item, text, start, end, tuple(item.section), marked=True)


def _pair_answer(
    question: str, answer: Answer, text_of: Callable[[str], str], outline_of: Callable[[str], Outline]
) -> Answer | None:
    """For a FAQ's own question ("办卡要交钱吗？"): the 答 under its 问 line, whole, from the first of
    the passages' documents (no work report has such pairs) that asks it; None when none does."""
    firsts: dict[str, Passage] = {}
    for passage in answer.passages:
        firsts.setdefault(passage.doc_id, passage)
    for top in firsts.values():
        if document_kind(top.document) == "work_report":
            continue
        text = text_of(top.doc_id)
        section = asked_pair(question, text, document_sections(text, outline_of(top.doc_id)))
        found = pair_passage(top, text, section) if section else None
        if found is not None:
            passage, quoted = found
            return _listing(
                question, _leading(passage, answer.passages), answer, {"part": section.title}, [], quoted
            )
    return None


def _whole_pair(
    answer: Answer, text_of: Callable[[str], str], outline_of: Callable[[str], Outline]
) -> Answer | None:
    """The scored answer, when it is a sentence of a FAQ pair's 答 of up to three lines, widened to
    that whole 答, as sure as scored: a clause cut at ； had dropped what qualifies it (医保个人账户的资金
    不能提取现金…； without 金融账户中的存款可以正常存取)."""
    top = answer.passages[0] if answer.outcome != "not_found" and answer.passages else None
    if top is None or top.highlight is None or document_kind(top.document) == "work_report":
        return None
    text = text_of(top.doc_id)
    at = top.start + top.highlight[0]
    sections = document_sections(text, outline_of(top.doc_id))
    section = next((s for s in sections if s.kind == "asked" and s.start < at < s.end), None)
    found = pair_passage(top, text, section) if section else None
    if found is None or found[1] == answer.answer:
        return None
    passage, quoted = found
    widened = Answer(
        answer.question, answer.found, quoted, _leading(passage, answer.passages), answer.reason,
        answer.confidence, answer.outcome,
    )  # fmt: skip
    widened.parts, widened.items = answer.parts, answer.items
    return widened


def _leading(passage: Passage, passages: list[Passage]) -> list[Passage]:
    """``passage`` first, then the others but those within it (a pair's passage had been listed twice)."""
    within = [
        p
        for p in passages
        if p.doc_id == passage.doc_id and passage.start <= p.start and p.end <= passage.end
    ]
    return [passage, *(p for p in passages if p not in within)][: max(1, len(passages))]


def _lines_answer(
    question: str,
    answer: Answer,
    text_of: Callable[[str], str],
    lines_of: Callable[[Passage, str], list[Passage]],
    asked: str,
    paper: str = "",
    library: Sequence[DocumentInfo] = (),
) -> Answer | None:
    """For "这个通知是谁发的？" (``signature_lines``) or "文号是多少？" (``number_lines``): the lines of the
    first document among the passages' that has them, one that is what the noun asked names (通知 in
    its title, a news story for 新闻) first; None when none has."""
    firsts = _firsts(answer.passages)
    shown = {p.doc_id for p in firsts}
    # The library's news stories, which the search may have missed (这篇新闻… of a library whose first
    # passages were a bulletin's had quoted its date lines); not any notice (another's 落款 at 1.0).
    named = [
        Passage(d.doc_id, d.title, [], "other", 0, 0, "")
        for d in library
        if d.doc_id not in shown and paper in NEWS and is_paper(paper, d.title, text_of(d.doc_id))
    ]
    papers = [p for p in firsts if is_paper(paper, p.document, text_of(p.doc_id))] + named
    for top in papers + [p for p in firsts if p not in papers]:
        lines = lines_of(top, text_of(top.doc_id))
        if lines:
            return _listing(question, [*lines, *answer.passages], answer, {"delivery": asked}, lines)
    return None


def _firsts(passages: list[Passage]) -> list[Passage]:
    """The first passage of each document, in order."""
    firsts: dict[str, Passage] = {}
    for passage in passages:
        firsts.setdefault(passage.doc_id, passage)
    return list(firsts.values())


def _titled_by(question: str, titled: tuple[str, ...], passages: list[Passage]) -> list[Passage]:
    """The first passage of each document but the first passage's that ``question`` (normalized)
    names by its title (``names_title``)."""
    return [p for p in _firsts(passages)[1:] if names_title(question, p.document, titled)]


def _outline_answer(question: str, answer: Answer, text: str, outline: Outline, asked: str) -> Answer | None:
    """For "报告分为哪几个部分？" or "总结一下这份报告": the headings of the document's parts, each
    cited; None when it has no numbered parts."""
    parts = subsection_items(text, None, answer.passages[0], outline)
    if len(parts) < 2:
        return None
    return _listing(question, [parts[0], *answer.passages], answer, {"outline": asked}, parts)


def _delivery_answer(question: str, answer: Answer, text: str, asked: str) -> Answer | None:
    """For "这份报告是谁作的？" / "哪天作的？": the lines under the title saying when, where and by whom
    it was delivered (``qa.pipeline.delivery``); None when the document has none."""
    # Passages of several documents: the question names no report, and the first is no answer
    # ("这份报告是谁作的？" of a library had quoted an arbitrary report's speaker at 1.0).
    lines = delivery_lines(answer.passages[0], text, asked)
    if not lines or len({p.doc_id for p in answer.passages}) > 1:
        return None
    return _listing(question, [*lines, *answer.passages], answer, {"delivery": asked}, lines)


def _byline_answer(question: str, answer: Answer, text_of: Callable[[str], str]) -> Answer | None:
    """For "记者是谁？": the sentence holding the byline of the first document among the passages' that
    has one (an article's byline names the role asked; a library's first passage may be a report's:
    这篇报道是谁写的？ had been refused there); None when none has."""
    role = asked_role(normalize(question))
    for top in _firsts(answer.passages):
        lines = byline_lines(top, text_of(top.doc_id), role)
        if lines:
            return _listing(question, [*lines, *answer.passages], answer, {"delivery": "writer"}, lines)
    return None


def _mentions_answer(question: str, answer: Answer, text: str, outline: Outline, topic: str) -> Answer | None:
    """For "关于教育说了什么？": the document's sentences naming the topic, in order, each cited
    (``qa.pipeline.mentions``); None when none does."""
    items, count = mentions(text, topic, answer.passages[0], document_sections(text, outline))
    if not items:
        return None
    shown = {"topic": as_written(question, topic), "count": count, "document": items[0].document}
    return _listing(question, [items[0], *answer.passages], answer, {"mentions": shown}, items)


def _everywhere_answer(
    question: str,
    answer: Answer,
    text_of: Callable[[str], str],
    outline_of: Callable[[str], Outline],
    library: Sequence[DocumentInfo],
    topics: list[str],
) -> Answer:
    """For "哪些报告提到了“一带一路”？" (``topics``: the topic as asked, then, for an English question, its
    report terms): the first sentence naming it in each document that does, cited, and how many each
    has (it had been refused, or answered from one report); refused with that fact when none does."""
    firsts, counts = [], []
    for info in library:
        text = text_of(info.doc_id)
        for topic in (t for t in topics if names_topic(text, t)):  # most documents: none, unread
            top = Passage(info.doc_id, info.title, [], "other", 0, 0, "")
            items, count = mentions(text, topic, top, document_sections(text, outline_of(info.doc_id)))
            if items:
                firsts.append(items[0])
                counts.append([info.title, count])
                break
    written = topics[0]
    if not firsts:
        because = {"not_found_because": f"no document of the library names {written}"}
        return replace(answer, found=False, answer=None, confidence=min(answer.confidence, 0.01),
                       outcome="not_found", items=[], parts=[], reason=answer.reason | because)  # fmt: skip
    shown = {"topic": written, "count": sum(count for _, count in counts), "documents": counts}
    return _listing(question, [*firsts, *answer.passages], answer, {"mentions": shown}, firsts)


def _listing(
    question: str,
    passages: list[Passage],
    answer: Answer,
    reason: dict,
    items: list[Passage],
    quoted: str | None = None,
) -> Answer:
    """An answer of the document's own lines: ``quoted`` (the items' lines, unless given), as many
    passages as the search gave, and the items."""
    quoted = "\n".join(item.text for item in items) if quoted is None else quoted
    found = Answer(
        question, True, quoted, passages[: len(answer.passages)], reason | {"not_found_because": None}, 1.0,
        "answer",
    )  # fmt: skip
    found.items = items
    return found
