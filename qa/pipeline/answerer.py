"""Answering a question: once, once per part, or once per named report; the pipeline put together.

``Answerer`` holds what every question needs (the index snapshot, the query encoder, the scorer,
the settings). ``answer`` decides the shape of the reply: a comparison of named reports gets one
part per report, a question asking two things one part per question, a question naming no report
the reports of the level it names or, for 今年/去年, the newest report first; ``answer_one``
answers a standalone question (from the reports it names, if any).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from qa.errors import QuestionError
from qa.index.base import IndexStore
from qa.index.catalog import kept_documents
from qa.pipeline.answering import NOT_LIKELY, QueryEncoder, answer_from, decide, explain, retrieve
from qa.pipeline.asked import asks_for
from qa.pipeline.conversation import asks_nothing_alone, readings
from qa.pipeline.coverage import lacking
from qa.pipeline.everyday import official_readings
from qa.pipeline.lists import announced_items
from qa.pipeline.looked_up import looked_up
from qa.pipeline.parts import split_parts, term_in_answer
from qa.pipeline.query import NAMES_NOTHING, Query, analyze
from qa.pipeline.reading_choice import answer_readings, most_confident
from qa.pipeline.retrieval import named_documents
from qa.pipeline.scope import (
    asked_aspect,
    asked_by_time,
    asked_level,
    group_year,
    named_groups,
    part_years,
    preferred_documents,
)
from qa.pipeline.scorer import AnswerScorer
from qa.pipeline.turn_words import names_nothing, topic_of
from qa.schema import Answer, DocumentInfo, Passage
from qa.settings import Settings
from qa.text.normalize import normalize


def combined(question: str, parts: list[Answer], k: int, reason: dict[str, Any]) -> Answer:
    """One Answer made of parts: each part's best passage first, the parts' sentences joined."""
    passages: list[Passage] = []
    for passage in [p.passages[0] for p in parts if p.passages] + [x for p in parts for x in p.passages[1:]]:
        if all(passage.passage_id != q.passage_id for q in passages):
            passages.append(passage)
    found = [p for p in parts if p.found]
    outcome = (
        "not_found" if not found else "answer" if all(p.outcome == "answer" for p in parts) else "uncertain"
    )
    # One sentence answering both parts (首班车…，末班车…) is quoted once.
    text = "\n".join(dict.fromkeys(p.answer for p in found if p.answer)) or None
    # How sure the quoted sentences are: the least sure of them; with nothing quoted, how near the
    # best part came (below the floor, as a single refused answer's).
    confidence = min(p.confidence for p in found) if found else max(p.confidence for p in parts)
    # Which parts went unanswered, when others did not: the whole reply is found, and a reader of its
    # outcome alone had no sign that half the question was not (an integrator's finding).
    asked_two = found and "parts" in reason  # a comparison's part names its report, and says why
    unanswered = [n for n, p in enumerate(parts, start=1) if not p.found] if asked_two else []
    reason = reason | ({"parts_not_found": unanswered} if unanswered else {})
    return Answer(question, bool(found), text, passages[:k], reason, confidence, outcome, parts)


# The notes of where a question was looked for (``in_scope``), as ``qa.apps.messages.scope_notes`` reads them.
_WHERE = ("scope", "scope_level", "other_places")


@dataclass
class Answerer:
    """The pipeline over one index snapshot."""

    data: IndexStore
    encoder: QueryEncoder
    scorer: AnswerScorer
    settings: Settings
    # Each text embedded once per question: a comparison asks it of every named report, and an
    # unscoped 今年 question the newest report then all (an embedding is most of a question's cost).
    _vectors: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    # And analysed once: the API, ``answer`` and ``answer_one`` each need the Query of the same text.
    _queries: dict[str, Query] = field(default_factory=dict, repr=False)

    def _vector(self, text: str) -> np.ndarray:
        if text not in self._vectors:
            self._vectors[text] = self.encoder.encode_queries([text])[0]
        return self._vectors[text]

    def query(self, text: str) -> Query:
        """``text`` analysed (``qa.pipeline.query.analyze``); QuestionError on bad input."""
        if text not in self._queries:
            self._queries[text] = analyze(text, self.settings.retrieval.use_glossary)
        return self._queries[text]

    def answer_one(
        self,
        question: str,
        k: int,
        filters: Mapping[str, Any] | None,
        part_years: tuple[int, ...] | None = None,
    ) -> Answer:
        """Answer one standalone question. ``part_years``: for one part of a comparison, the
        years it asks its report about (``scope.part_years``); the year check of ``decide`` is
        then skipped, as the question names the other reports' years too.

        A question in everyday words that no sentence is likely to answer as asked is asked again in
        the report's terms (``qa.pipeline.everyday``: 幼儿园 -> 学前教育); a reading's answer is taken
        when it is found, more confident, and its sentence holds the term put in. A refusal for a
        stated reason (a year, a report, a name the document lacks) stands, and so does a 可能相关
        answer (a reading's more confident sentence had replaced a right one)."""
        answer = self._as_asked(question, k, filters, part_years)
        if answer.reason.get("not_found_because") != NOT_LIKELY:
            return answer
        for reading, term in official_readings(question):
            other = self._as_asked(reading, k, filters, part_years)
            if other.found and other.confidence > answer.confidence and term in normalize(other.answer or ""):
                other.question, answer = question, other
                other.reason["reading"] = reading
        return answer

    def _as_asked(
        self, question: str, k: int, filters: Mapping[str, Any] | None, part_years: tuple[int, ...] | None
    ) -> Answer:
        """``answer_one`` for the question in its own words."""
        data, settings = self.data, self.settings
        query = self.query(question)
        if part_years is not None:
            mine = tuple(y for y in query.report_years if y in part_years)
            query = replace(query, years=part_years, report_years=mine)
        retrieved = retrieve(data, self.encoder, query, k, filters, settings, embed=self._vector)
        calibrated = self.scorer.calibrated_for(self.encoder.identity())
        decision = decide(retrieved, data, self.scorer, calibrated, years=part_years is None)
        reason: dict[str, Any] = {} if calibrated else {"calibrated": False}
        # A report the question names and that does not answer is refused as such: another
        # report's sentence is not its answer (on dev_gov over all 88 reports, searching every
        # report after such a refusal answered 14 questions, all wrongly).
        answer = answer_from(question, retrieved, decision, reason | explain(data, retrieved, decision))
        top = answer.passages[0] if answer.found and answer.passages else None
        if top is not None and top.doc_id in data.texts:
            listing = asks_for(query) == "list"
            answer.items = announced_items(data.texts[top.doc_id], top, self._outline(top.doc_id), listing)
        return self._part_answer(question, answer, filters) or answer

    def _part_answer(self, question: str, answer: Answer, filters: Mapping[str, Any] | None) -> Answer | None:
        """The answer looked up in the structure of the first passage's document, when the question
        asks for a part, the parts, a heading's list or a topic's mentions (``qa.pipeline.looked_up``);
        which of the documents ``filters`` keep mention a topic, for 哪些报告提到了…？."""
        if not answer.passages:
            return None
        texts = self.data.texts
        library = kept_documents(self.data.documents, filters) if filters else self.data.documents
        return looked_up(question, answer, lambda doc_id: texts.get(doc_id, ""), self._outline, library)

    def _outline(self, doc_id: str) -> tuple[tuple[int, int], ...]:
        """The heading levels of a document's markup, as its passages were cut with them."""
        info = self.data.catalog.info(doc_id)
        return info.outline if info else ()

    def _missing_part(self, question: str, label: str) -> Answer:
        missing = lacking(label, self.data.documents)
        reason = {
            "not_found_because": missing.reason,
            "missing_report": {"asked": label, "available": missing.available},
        }
        return Answer(question, False, None, [], reason, 0.0, "not_found")

    def answer(self, question: str, k: int, filters: Mapping[str, Any] | None) -> Answer:
        """Answer ``question``: once per named report for a comparison, once per part for a
        question asking two things (``Answer.parts``), each part as ``in_scope`` answers it."""
        query = self.query(question)  # bad input fails here, whole
        if asks_nothing_alone(
            question
        ):  # "完成了吗？", "去年呢？" ask of an earlier question, which a chat has
            raise QuestionError(NAMES_NOTHING)
        documents = self.data.documents
        if filters is None and len(documents) > 1:
            groups = named_groups(query, self.data.catalog)
            if len(groups) >= 2:
                aspect = asked_aspect(query)
                # A report's part is asked without the places (or years) compared with it that the
                # collection has no report of: they have their own part, which says so.
                asked = _without(question, [label for label, infos in groups if not infos])
                years = [part_years(query, infos, aspect, group_year(label)) for label, infos in groups]
                parts = [self.answer_one(asked, k, _only(infos), part) if infos
                         else self._missing_part(question, label)
                         for (label, infos), part in zip(groups, years, strict=True)]  # fmt: skip
                for (label, _), part in zip(groups, parts, strict=True):
                    part.reason["report"] = label
                return combined(question, parts, k, {"compared": [label for label, _ in groups]})
        pieces = split_parts(question)
        if len(pieces) == 2:
            first_filters, second_filters = (self._part_filters(query, piece, filters) for piece in pieces)
            first = self.in_scope(pieces[0], k, first_filters)
            forms = readings(pieces[1], topic_of(pieces[0]), same_question=True, previous=pieces[0])
            # The first part's answer names its figure in the report's own words (城镇新增就业 for
            # "新增工作岗位"): a second part that names nothing of its own is read with that term too.
            term = term_in_answer(first.answer, pieces[0]) if first.found and first.answer else ""
            if term and names_nothing(pieces[1]):
                forms = list(dict.fromkeys([*forms, *readings(pieces[1], term, same_question=True)]))
            same = self._first_parts_report(first, pieces[1], second_filters)

            def ask_second(form: str) -> Answer:
                answer = self.in_scope(form, k, same) if same is not None else None
                return (
                    answer if answer is not None and answer.found else self.in_scope(form, k, second_filters)
                )

            answered = answer_readings(ask_second, forms)
            second = most_confident([answer for _, answer in answered])
            second.question = pieces[1]
            # Where the first part looked (the newest report, …), when the second part was answered
            # from the same report: the whole reply says so, as the page shows its notes (it had none).
            same = (
                bool(first.passages and second.passages)
                and first.passages[0].doc_id == second.passages[0].doc_id
            )
            where = {key: first.reason[key] for key in _WHERE if key in first.reason} if same else {}
            return combined(question, [first, second], k, {"parts": pieces} | where)
        return self.in_scope(question, k, filters)

    def _part_filters(
        self, whole: Query, part: str, filters: Mapping[str, Any] | None
    ) -> Mapping[str, Any] | None:
        """Where one part of a two-part question is looked for: a part that names no report is
        about the ones the whole question names ("2014年报告中，去年…，今年增长目标是多少？" asks its
        second part of the 2014 report, not of the newest); else as the question is."""
        if filters is not None or len(self.data.documents) < 2:
            return filters
        named = named_documents(whole, self.data.catalog)
        if named and not self._names_elsewhere(part, named):
            return {"doc_id": sorted(named)}
        return filters

    def _first_parts_report(
        self, first: Answer, part: str, filters: Mapping[str, Any] | None
    ) -> dict[str, Any] | None:
        """Where the second part of a two-part question is looked for first: the report its first
        part was answered from, when neither the user nor the part names any ("去年规上工业产值多少？
        今年增长目标是多少？" asks one town's target, not the newest State Council report's)."""
        if filters is not None or not (first.found and first.passages) or len(self.data.documents) < 2:
            return None
        doc_id = first.passages[0].doc_id
        return None if self._names_elsewhere(part, {doc_id}) else {"doc_id": [doc_id]}

    def _names_elsewhere(self, part: str, doc_ids: set[str]) -> bool:
        """Whether one part of a question names a report, or a level of government none of ``doc_ids``
        is of ("…？全国今年城镇新增就业目标是多少？" after a county's question)."""
        query = self.query(part)
        levels = {info.level for info in map(self.data.catalog.info, doc_ids) if info is not None}
        level = asked_level(query)
        return bool(named_documents(query, self.data.catalog)) or (level is not None and level not in levels)

    def in_scope(self, question: str, k: int, filters: Mapping[str, Any] | None) -> Answer:
        """Answer one question first from the reports ``preferred_documents`` chooses (the level
        named, the newest report for 今年/去年), then, when nothing there answers, from all."""
        query = self.query(question)
        preferred, level = preferred_documents(query, self.data.catalog) if filters is None else ([], None)
        if not preferred:
            answer = self.answer_one(question, k, filters)
            if answer.found and filters is None:
                # A report year with no place, and several places' reports of it ("2026年政府工作报告
                # 里…" and no State Council report of 2026): the note says whose is quoted.
                named = map(self.data.catalog.info, named_documents(query, self.data.catalog))
                answer.reason |= _other_places([d for d in named if d is not None], answer)
            # A level the collection has no report of: whatever report answers is another level's (a
            # document that is no report is of none: the note had said 资料库里没有乡镇一级的报告 on a
            # news story's answer about that very town).
            if level is not None and (not answer.found or self._of_a_report(answer)):
                answer.reason["level_lacking"] = level
                self._another_levels(answer)
            elif filters is None:
                self._level_not_covering(query, answer)
            return answer
        asked = asked_by_time(query)  # the question's own words (最新的报告), not a default
        by_time = asked or ("newest" if query.relative is not None else None)
        kind = f"the {by_time} report" if by_time else "the reports"
        scope: dict[str, Any] = {"scope": f"{kind}: " + "、".join(d.title for d in preferred)}
        scope |= {"scope_asked": True} if asked else {}
        # Named or, for 今年/去年 in a library of several levels, the State Council's by default: the
        # note says which ("最新的国务院报告"), as the newest of all may be a town's.
        shown = level or ("national" if all(d.level == "national" for d in preferred) else None)
        scope |= {"scope_level": shown} if shown is not None else {}
        answer = self.answer_one(question, k, _only(preferred))
        if answer.found:
            surer = self._surer_elsewhere(question, k, preferred)
            if surer is not None and surer.confidence > answer.confidence:
                return surer
            answer.reason |= scope | _other_places(preferred, answer)
            return answer
        # Nothing there answers: every report is searched, and the reply says so.
        answer = self.answer_one(question, k, None)
        # A report the library lacks is the whole reason of its refusal: where it looked first is no news.
        missed = answer.passages and answer.passages[0].doc_id not in {d.doc_id for d in preferred}
        if missed and "missing_report" not in answer.reason and self._of_a_report(answer):
            answer.reason["scope_missed"] = scope
            if level is not None:
                self._another_levels(answer)
        return answer

    def _surer_elsewhere(self, question: str, k: int, preferred: list[DocumentInfo]) -> Answer | None:
        """The answer of the documents that are no work report, when one answers surely: 今年 or 国家
        chose the reports, and says nothing against a notice or a FAQ ("今年一共招多少本科生？" of an
        admissions rule beside a State Council report had quoted the report at 可能相关; "今年医院门诊
        几点开始？" the report's 分级诊疗 at 0.64 over a hospital guide's 0.93). The caller keeps the
        more confident."""
        catalog = self.data.catalog
        chosen = {d.doc_id for d in preferred}
        others = [
            d for d in catalog.documents if catalog.kind(d.doc_id) == "other" and d.doc_id not in chosen
        ]
        answer = self.answer_one(question, k, _only(others)) if others else None
        return answer if answer is not None and answer.outcome == "answer" else None

    def _another_levels(self, answer: Answer) -> None:
        """Show ``answer``, quoted from another level of government than the one the question named,
        as 可能相关 at most: it may be what the user wants, but it answers nothing about what they
        asked. A document that is no work report is of no level: its answer stands."""
        if answer.outcome == "answer" and self._of_a_report(answer):
            answer.outcome = "uncertain"

    def _level_not_covering(self, query: Query, answer: Answer) -> None:
        """A question naming a year and a level of government ("2025年全国GDP增长多少？") is looked for
        in the reports covering the year; when none of that level's does, an answer quoted from
        another level's report is 可能相关 at most, and the reply says why (Yunnan's GDP growth had
        answered it at 0.81 beside State Council reports of other years)."""
        catalog = self.data.catalog
        if not (query.years and answer.found and self._of_a_report(answer)):
            return
        level = asked_level(query)
        quoted = catalog.info(answer.passages[0].doc_id)
        if (
            level is None
            or quoted is None
            or quoted.level in (None, level)
            or named_documents(query, catalog)
        ):
            return
        if any(d.level == level for d in catalog.documents):
            answer.reason["level_not_covering"] = level
            self._another_levels(answer)

    def _of_a_report(self, answer: Answer) -> bool:
        """Whether ``answer``'s first passage is of a work report (the levels and years of the scope
        notes are work reports'; a notice or a story has none)."""
        return bool(answer.passages) and self.data.catalog.kind(answer.passages[0].doc_id) == "work_report"


def _other_places(preferred: list[DocumentInfo], answer: Answer) -> dict[str, Any]:
    """``{"other_places": {"quoted": place, "others": [...]}}`` when the reports looked in are of
    several places (省里 in a library of three provinces) and the answer quotes one of them: the
    others may say otherwise."""
    regions = {d.doc_id: d.region for d in preferred if d.region}
    quoted = regions.get(answer.passages[0].doc_id) if answer.passages else None
    others = sorted(set(regions.values()) - {quoted})
    return {"other_places": {"quoted": quoted, "others": others}} if quoted and others else {}


def _without(question: str, places: list[str]) -> str:
    """``question`` with ``places`` taken out ("广东和浙江…" without 浙江: "广东…")."""
    for place in places:
        name = re.escape(place) + "(?:省|市)?"
        question = re.sub(rf"[和与及、，,]{name}|{name}[和与及、，,]?", "", question, count=1)
    return question


def _only(documents: list[DocumentInfo]) -> dict[str, Any]:
    """Filters that keep the search to ``documents``."""
    return {"doc_id": [d.doc_id for d in documents]}
