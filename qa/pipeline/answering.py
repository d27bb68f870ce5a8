"""One question through the pipeline: analyse, search, gather candidate sentences, score, decide.

``retrieve`` runs everything up to the candidates and their features (the training script calls it
too, so the scorer learns from exactly what it sees at answer time); ``decide`` applies the learned
scorer and the rules that state a checkable fact (a year the report does not cover, or that its
document never speaks of); ``qa.pipeline.answerer`` puts them together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np

from qa.index.base import IndexStore
from qa.pipeline.asked import (
    asked_clauses,
    asks_for,
    figure_in_another_unit,
    gives_none_asked,
    other_thing_told,
)
from qa.pipeline.background import BACKGROUND_PATH, load_background
from qa.pipeline.coverage import Missing, lays_out, missing_report, other_place
from qa.pipeline.features import FEATURES, Candidate, candidates, lead_tokens
from qa.pipeline.names import unnamed_reason
from qa.pipeline.query import Query
from qa.pipeline.retrieval import Hit, Scope, search, search_scope, search_topic
from qa.pipeline.scorer import AnswerScorer, Scored
from qa.schema import Answer, DocumentInfo, Passage
from qa.settings import Settings
from qa.text.normalize import normalize, to_simplified
from qa.text.several_years import asks_several_years, average_of, several_years_word
from qa.text.tiers import tier_holding
from qa.text.years import asked_years, years_spoken_of, years_told


class QueryEncoder(Protocol):
    """What retrieval needs of the embedding model."""

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Normalized query vectors, one row per text."""
        ...

    def identity(self) -> dict[str, Any]:
        """Which model this is (name, source, dimension, …)."""
        ...


@dataclass
class Retrieved:
    """Everything known about one question before the answer is chosen."""

    query: Query
    vector: np.ndarray
    hits: list[Hit]
    passages: list[Passage]  # best first, with their fused scores
    candidates: list[Candidate]
    scope: Scope  # the reports searched
    topic: Query  # what they were searched for (``search_topic``: the question without report names)
    shown: int = 5  # passages the answer cites (``k``); ``passages`` holds all that were measured


def retrieve(
    data: IndexStore,
    encoder: QueryEncoder,
    query: Query,
    k: int,
    filters: Mapping[str, Any] | None,
    settings: Settings,
    embed: Callable[[str], np.ndarray] | None = None,
) -> Retrieved:
    """Search ``data`` for ``query`` and measure every sentence of the best passages.

    ``embed``: a text's query vector, when the caller keeps them (else ``encoder`` makes it).
    """
    scope = search_scope(data, query, filters, settings.retrieval)
    topic = search_topic(query, data.catalog, settings.retrieval)
    # The model reads the question as it reads the reports' sentences (qa.ingest.structure.embedding_texts):
    # in simplified characters, so a question typed in 繁體 meets a simplified report and the reverse
    # (the model's tokenizer folds full width itself).
    text = to_simplified(topic.text)
    vector = embed(text) if embed else encoder.encode_queries([text])[0]
    depth = settings.answer.answer_passages
    # The answer is chosen among the same passages however many are to be shown: with k=1 it was
    # chosen from the first passage alone, and came out another sentence at another confidence.
    hits = search(data, topic, vector, max(k, depth), scope, settings.retrieval)
    passages = [data.passage(h.row).with_(score=round(h.score, 6)) for h in hits]
    background = load_background(settings.answer.background_path or BACKGROUND_PATH)
    parts = data.sentence_parts([h.row for h in hits[:depth]])
    found = candidates(
        topic,
        hits,
        passages[:depth],
        parts,
        vector,
        # Weighed over the reports searched and a fixed background, not over the whole index: a
        # report's answers do not depend on which other reports share its index.
        lambda tokens: background.idf(*data.document_frequency(tokens, scope.doc_ids)),
        data.document_terms,
        data.review_years,
        depth,
        lambda doc_id: lead_tokens(data.texts.get(doc_id, "")),
    )
    return Retrieved(query, vector, hits, passages, found, scope, topic, k)


_TARGET_STATED = re.compile(r"目标(?:是|为)|预期(?:目标|增长)|计划(?:增长|完成|投资)|控制在")


def uncovered_year(query: Query, review_year: int | None, sentence: str, planned: bool = False) -> str | None:
    """The reason when the question names only years the report neither reviews nor plans, or asks
    what the year it only plans achieved ("2023年国内生产总值增长了多少？" of the report that sets 2023's
    target), and the answer ``sentence`` (normalized: ２０１０年 is 2010年) names none of them.
    ``planned``: the year asked is the one the report's five-year plan sets goals for (``lays_out``)."""
    if not query.years or review_year is None or planned:
        return None
    asked = "/".join(map(str, query.years))
    # And the reverse: a year's target is set by the report that plans it, not the one that reviews
    # the year ("2012年国内生产总值增长目标是多少？" had quoted 2012's result, 7.8%, at 0.99), unless the
    # sentence states the target (超过7.5%的预期目标).
    if query.aspect == "plan" and set(query.years) == {review_year} and not _TARGET_STATED.search(sentence):
        return f"the report reviews {asked}, and sets no target for it"
    if any(str(y) in sentence for y in query.years):
        return None
    if query.aspect == "review" and set(query.years) == {review_year + 1}:
        return f"the report reviews {review_year}, and plans {asked} only"
    if {review_year, review_year + 1} & set(query.years):
        return None
    return f"the report covers {review_year}–{review_year + 1}, not {asked}"


def unnamed_year(query: Query, text: str, info: DocumentInfo | None) -> str | None:
    """The reason when the question asks about years the answer's document never speaks of
    (``qa.text.years``: written out, spanned, or beside the document's own years): none of its
    sentences can be about them."""
    asked = asked_years(query.normalized, query.years)
    if not asked:
        return None
    own = (info.year, info.review_year, int(info.date[:4]) if info.date else None) if info else ()
    if years_spoken_of(text, own) & set(asked):
        return None
    return f"the document never speaks of {'/'.join(map(str, asked))}"


def other_years(query: Query, sentence: str) -> str | None:
    """The reason when the answer ``sentence`` tells of years and of none the question asks about
    (截至2023年末… for a question on 2022): the document has the figure of those, not of the year asked."""
    asked = set(asked_years(query.normalized, query.years))
    told = years_told(sentence)
    if not asked or not told or told & asked:
        return None
    told_text, asked_text = ("/".join(map(str, sorted(years))) for years in (told, asked))
    return f"the sentences found tell of {told_text}, not {asked_text}"


def over_several_years(query: Query, sentence: str) -> str | None:
    """The reason when the question asks about one year (去年, 今年, 2017年) and every figure of the
    answer ``sentence`` is one over several (五年间…, 年均增长1.9%), or the figure of the clause naming
    what is asked is an average of several years: a report's five-year total is not last year's, its
    five-year goal not this year's target."""
    # Two years named are a span (2008年到2012年…), and a report's year names no year asked.
    asked = set(asked_years(query.normalized, query.years))
    one_year = len(asked) == 1 if query.years else query.relative is not None
    if not one_year or asks_several_years(query.normalized):
        return None
    clause = asked_clauses(query, sentence)
    growth = clause and asks_for(query) == "percent"  # an amount asked may follow: …年均增长6.5%，达到…
    word = several_years_word(sentence) or (average_of(clause[0], sentence) if growth else None)
    return f"the sentence found gives figures of {word}, not of one year" if word else None


def in_another_unit(query: Query, sentence: str) -> str | None:
    """The reason when the question asks for a figure in a unit (多少亿元) or a sum of money and the
    answer ``sentence`` gives the asked thing's figure as none (its growth rate, a count):
    ``figure_in_another_unit``."""
    found = figure_in_another_unit(query, sentence)
    if found is None:
        return None
    wanted = "a sum of money" if found[1] == "money" else f"a figure in {found[1]}"
    return f"the sentence found gives “{found[0]}”, not {wanted}"


def other_thing(query: Query, sentence: str) -> str | None:
    """The reason when the answer ``sentence`` speaks of another post or measure than the one asked
    (``other_thing_told``: 组长 for 副组长, 进出口 for 出口), in the words ``other_place`` reports with."""
    found = other_thing_told(query.normalized, sentence)
    return f"the sentence found speaks of {found[0]}, not {found[1]}" if found else None


NOT_LIKELY = "no sentence of the report is likely to answer the question"
# Refused for what the sentence scored best lacks, not for a fact about the documents: a look-up
# in the document's structure (who delivered a report, and when) may still answer.
SCORED_SENTENCE_LACKS = {
    "figure": "the sentence found gives no figure",
    "date": "the sentence found gives no date",
}
# Refusals about the sentence scored best only (after which a look-up may still answer).
SCORED_SENTENCE_ONLY = frozenset({NOT_LIKELY, *SCORED_SENTENCE_LACKS.values()})


def none_asked(query: Query, sentence: str) -> str | None:
    """The reason when the question asks how much (or when) and the answer ``sentence`` gives no
    figure (or time) at all (``gives_none_asked``)."""
    kind = gives_none_asked(query, sentence)
    return SCORED_SENTENCE_LACKS[kind] if kind else None


@dataclass
class Decision:
    """The chosen sentence (if any), how sure, and why not when refused."""

    scored: Scored | None
    candidate: Candidate | None
    not_found_because: str | None
    missing: Missing | None = None  # the report the question names that the collection lacks


def decide(
    retrieved: Retrieved, data: IndexStore, scorer: AnswerScorer, calibrated: bool = True, years: bool = True
) -> Decision:
    """Score the candidates; a checkable fact (a report the collection lacks, a year the report
    does not cover) refuses whatever the score. ``years`` False skips the year check: a part of a
    comparison asks its own report about the other reports' years too."""
    kinds = data.catalog.kind
    scored = scorer.score(
        retrieved.candidates, lambda c: kinds(retrieved.passages[c.passage].doc_id), calibrated
    )
    if scored is None:  # no sentence to choose: nothing searched, or only headings found
        empty = "nothing indexed matches the filters" if not retrieved.passages else NOT_LIKELY
        return Decision(None, None, empty)
    best = retrieved.candidates[scored.best]
    # A rule in tiers: the tier holding the amount the question states (工作满12年… is 已满10年不满20年的).
    siblings = [n for n, c in enumerate(retrieved.candidates) if c.passage == best.passage]
    tier = tier_holding(retrieved.query.normalized, [retrieved.candidates[n].text for n in siblings],
                        siblings.index(scored.best))  # fmt: skip
    if siblings[tier] != scored.best:
        scored = replace(scored, best=siblings[tier])
        best = retrieved.candidates[scored.best]
    passage = retrieved.passages[best.passage]
    sentence = normalize(best.text)  # as the question is: ２０１０年 names 2010
    missing = missing_report(retrieved.query, data.catalog, sentence, passage=passage, texts=data.texts)
    if missing:
        return Decision(
            Scored(scored.best, min(scored.confidence, 0.01), "not_found"), best, missing.reason, missing
        )
    info = data.catalog.info(passage.doc_id)
    # A work report covers the year it reviews and the next; another document, the years it names.
    covered_from = info.review_year if info and data.catalog.kind(passage.doc_id) == "work_report" else None
    # Or sets the goals of the five-year plan it lays out for the year asked (到2030年… of a 2026 report),
    # in its plans: what its review tells is no 2030 figure.
    planned = bool(info and covered_from is not None and lays_out(info, data.texts, retrieved.query.years))
    planned = planned and passage.period != "review"
    year_reason = (
        uncovered_year(retrieved.query, covered_from, sentence, planned)
        or unnamed_year(retrieved.query, data.texts.get(passage.doc_id, ""), info)
        or unnamed_reason(retrieved.query.normalized, data.texts.get(passage.doc_id, ""), data.texts.values())
        or other_years(retrieved.query, sentence)
        or over_several_years(retrieved.query, sentence)
        or in_another_unit(retrieved.query, sentence)
        # Only of a 可能相关 answer: a sure one stands, one refused by its score keeps that reason (or
        # the missing report's, below).
        or (none_asked(retrieved.query, sentence) if scored.outcome == "uncertain" else None)
        or other_place(retrieved.query, best.text, info, passage.text)
        or other_thing(retrieved.query, sentence)
        if years
        else None
    )
    if year_reason:
        return Decision(Scored(scored.best, min(scored.confidence, 0.01), "not_found"), best, year_reason)
    if scored.outcome == "not_found":
        # Refused by the score: a province or year the collection lacks is then the reason to show,
        # but not a city the quoted passage of its province's report names (Changsha in Hunan's).
        lacks = missing_report(
            retrieved.query, data.catalog, sentence, refused=True, passage=passage, texts=data.texts
        )
        if lacks:
            return Decision(scored, best, lacks.reason, lacks)
        return Decision(scored, best, NOT_LIKELY)
    return Decision(scored, best, None)


def answer_from(question: str, retrieved: Retrieved, decision: Decision, reason: dict[str, Any]) -> Answer:
    """The Answer of one standalone question: the chosen sentence's passage leads the citations."""
    passages = list(retrieved.passages)
    scored, best = decision.scored, decision.candidate
    text = None
    if scored is not None and best is not None:
        chosen = passages.pop(best.passage).with_(highlight=best.span)
        passages.insert(0, chosen)
        text = None if decision.not_found_because else best.text
    confidence = 0.0 if scored is None else scored.confidence
    outcome = "not_found" if scored is None or decision.not_found_because else scored.outcome
    reason = reason | {"not_found_because": decision.not_found_because}
    if decision.missing:
        reason["missing_report"] = {"asked": decision.missing.asked, "available": decision.missing.available}
    shown = passages[: retrieved.shown]
    return Answer(question, outcome != "not_found", text, shown, reason, round(confidence, 4), outcome)


def explain(data: IndexStore, retrieved: Retrieved, decision: Decision) -> dict[str, Any]:
    """Why these passages and this sentence: per-channel scores and ranks, the answer's features."""
    query = retrieved.query

    def passage_reason(hit: Hit) -> dict[str, Any]:
        passage = data.passage(hit.row)
        return {
            "passage_id": passage.passage_id,
            "fused": round(hit.score, 6),
            "dense": None if hit.dense is None else round(hit.dense, 4),
            "lexical": None if hit.lexical is None else round(hit.lexical, 4),
            "dense_rank": hit.dense_rank,
            "lexical_rank": hit.lexical_rank,
            "period_asked": query.period_for(data.review_years.get(passage.doc_id)),
        }

    best = decision.candidate
    features = (
        None
        if best is None
        else {n: round(float(v), 4) for n, v in zip(FEATURES, best.features, strict=True)}
    )
    why: dict[str, Any] = {
        "lexical_used": query.uses_lexical,
        "answer_features": features,
        "passages": [passage_reason(h) for h in retrieved.hits],
    }
    scope = retrieved.scope
    searched = [d for d in data.documents if d.doc_id in scope.doc_ids] if scope.doc_ids else []
    if scope.national_by_title and searched:
        why["national_by_title"] = [d.title for d in searched]
    if retrieved.topic.text != query.text:
        why["searched_for"] = retrieved.topic.text
    # The documents of no year searched beside them (an article, a manual) cover no year: not listed,
    # but said, since one of them may be the one that answers.
    covering = [d.title for d in searched if d.year is not None]
    if scope.by_year and covering:
        undated = len(searched) - len(covering)
        why["years_scope"] = {"years": list(query.years), "reports": covering, "undated": undated}
    return why
