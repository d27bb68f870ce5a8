"""Whether the chosen sentence answers the question, or the report holds no reliable answer.

The evidence is measured, not guessed: how close the sentence is to the question in meaning
(embedding similarity) and in wording (IDF-weighted share of the question's key terms), whether the
report mentions those terms at all, whether it holds a figure of the asked-for kind, and whether the
question names another year or place than the report covers. The thresholds come from the sweep in
``benchmarks/abstention.py`` (one dev set chosen on, the other confirming; benchmarks/ABSTENTION.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from qa.index.lexical import tokenize
from qa.pipeline.answer import Choice
from qa.pipeline.query import Query
from qa.schema import DocumentInfo, Passage
from qa.text.normalize import CJK_CHAR, normalize

# Support = cosine + SUPPORT_COVERAGE * coverage; below the embedder's ``min_support`` the best
# sentence is about something else. Cosine scales differ per model, so that threshold belongs to
# the model (qa.embed.embedder); one without a calibrated threshold skips the rule.
SUPPORT_COVERAGE = 0.1
# Below this IDF-weighted share of the question's key terms found anywhere in the answering report,
# the report does not talk about the thing asked (出生人口 in a town report without births).
MIN_KEY_IN_DOCUMENT = 0.05
# When the sentence holds none of the asked-for entity (the noun phrase at the question word) and
# less than this share of the question's key terms, it answers a neighbouring question.
ENTITY_MISSING_MAX_KEY = 0.2

# Words that carry the question's grammar, not its topic: removed before taking key terms, so that
# bigrams such as 镇有 or 里北 (across a function word) are not counted as missing topics.
_FUNCTION_WORDS = re.compile(
    r"(?:政府工作|工作)?报告(?:里|中)?|国务院|提到|提出|说|的|了|是|有|在|和|与|及|把|被|对|给|让|从|"
    r"\d+\s*[年月日号]|去年|今年|明年|当年|全年|年底|计划|打算|目标|要|将|"
    r"(?:多少|几)[个家所座张名位条件项处户株宗起吨间]?|什么|哪些|哪个|哪|谁|吗|呢|叫|名字|"
    r"全国|全省|全镇|全市|各|一共|总共|大约|约|[,，。、？?!！\s]"
)
# The asked-for entity: the noun after 多少/几 and a measure word ("多少张床位" -> 床位), else the
# words before the question word without trailing verbs ("紫帽镇居民平均工资是多少" -> …平均工资).
_ASK = re.compile(r"多少|几|什么|哪|谁|多大|多长|多高|怎么样|如何|吗|呢")
_NOUN_AFTER = re.compile(
    r"(?:多少|几)[个家所座张名位条件项处户株宗起吨间元钱人次亩公里平方米岁]?(?:万|亿)?([\u4e00-\u9fff]+)"
)
_NOUN_BEFORE = re.compile(r"([\u4e00-\u9fff]+)$")
_TRAILING_VERBS = re.compile(
    r"(?:是|有|为|达到|达|到|在|了|的|增长|提高|下降|完成|投入|投|花|拿|拆|办|定|设|计划|打算|要)*$"
)
_REPORT_NAME = re.compile(
    r"(?:\d{4}年)?(?:的|国务院)?(?:政府)?工作报告(?:里|中|说|提到|提出|对|把|定的|安排的)*"
)
# A place the question names: two or three characters before 省/市, at the start, after a pause or
# after 年 ("去年广东省"), not starting with a function word ("30年的整省试点" names no place).
_PLACE = re.compile(
    r"(?:^|(?<=[,，。、？?\s年]))(?![的了在和与及是有对把被从到])([\u4e00-\u9fff]{2,3}?)(?:省|市)"
)


@dataclass(frozen=True)
class Evidence:
    """What the abstention rules look at, for one question and its chosen sentence."""

    support: float  # cosine + SUPPORT_COVERAGE * coverage
    cosine: float
    key_terms: tuple[str, ...]  # the question's topic bigrams (Chinese, or glossary terms of English)
    key_in_document: float  # IDF-weighted share of key terms anywhere in the answering report
    key_in_sentence: float  # IDF-weighted share of key terms in the answer sentence
    entity: str  # the asked-for entity ("" when the question has no question word)
    entity_in_sentence: float  # share of the entity's character pairs in the answer sentence
    other_place: str | None  # a place the question names that is neither the report's nor in the sentence

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, shares and similarities rounded to 4 places (shown in ``Answer.reason``)."""
        return asdict(self) | {k: round(v, 4) for k, v in asdict(self).items() if isinstance(v, float)}


def key_terms(query: Query, document: DocumentInfo) -> tuple[str, ...]:
    """Character bigrams naming what the question is about, without its grammar or the report's name."""
    own_name = normalize(f"{document.title} {document.region or ''}")
    text = " ".join(query.translated) if query.translated else query.normalized
    terms = []
    for token in tokenize(_FUNCTION_WORDS.sub(" ", text)):
        if len(token) == 2 and CJK_CHAR.match(token) and token not in own_name and token not in terms:
            terms.append(token)
    return tuple(terms)


def asked_entity(question: str) -> str:
    """The noun phrase a (Chinese) question asks about, from the words around its question word."""
    text = _REPORT_NAME.sub(" ", normalize(question))
    ask = _ASK.search(text)
    if ask is None:
        return ""
    after = _NOUN_AFTER.match(text, ask.start())
    if after and len(after.group(1)) >= 2:
        return after.group(1)
    before = _NOUN_BEFORE.search(text[: ask.start()])
    return _TRAILING_VERBS.sub("", before.group(1)) if before else ""


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


# A report's normalized text, made once per report instead of once per question (NFKC over a
# national report costs ~5 ms). The index hands over the same str object each time, whose hash
# Python keeps, so a lookup costs nothing next to that.
_normalized_document = functools.lru_cache(maxsize=256)(normalize)


def _share(terms: tuple[str, ...], weights: dict[str, float], text: str) -> float:
    total = sum(weights[t] for t in terms)
    return sum(weights[t] for t in terms if t in text) / total if total > 0 else 1.0


def gather(
    query: Query,
    choice: Choice,
    passage: Passage,
    document: DocumentInfo,
    document_text: str,
    idf: Callable[[set[str]], dict[str, float]],
    unseen_idf: float,
) -> Evidence:
    """Measure the evidence for ``choice`` (a sentence of ``passage``, from ``document``)."""
    sentence = normalize(passage.text[choice.span[0] : choice.span[1]])
    terms = key_terms(query, document)
    # A term never indexed is as rare as a term can be; its IDF of 0 would hide exactly that.
    weights = {t: w or unseen_idf for t, w in idf(set(terms)).items()}
    own_name = f"{document.title} {document.region or ''}"
    places = [p for p in _PLACE.findall(query.normalized) if p not in own_name and p not in sentence]
    entity = asked_entity(query.text) if query.has_cjk else ""
    pairs = _pairs(entity)
    return Evidence(
        support=choice.cosine + SUPPORT_COVERAGE * choice.coverage,
        cosine=choice.cosine,
        key_terms=terms,
        key_in_document=_share(terms, weights, _normalized_document(document_text)),
        key_in_sentence=_share(terms, weights, sentence),
        entity=entity,
        entity_in_sentence=sum(p in sentence for p in pairs) / len(pairs) if pairs else 1.0,
        other_place=places[0] if places else None,
    )


def judge(
    query: Query,
    choice: Choice,
    passage: Passage,
    evidence: Evidence,
    review_year: int | None,
    min_support: float | None = None,
    min_english_cosine: float | None = None,
) -> str | None:
    """Why the chosen sentence does not answer the question, or None when it does.

    The first rules are concrete mismatches a reader would see (another year, place or period, no
    figure or time of the asked kind, a topic the report never mentions, nothing of the asked-for
    entity); the last are the model's calibrated floors on closeness in meaning (qa.embed.embedder).
    """
    sentence = passage.text[choice.span[0] : choice.span[1]]
    if query.years and review_year is not None:
        covered = {review_year, review_year + 1}
        if not covered & set(query.years) and not any(str(y) in sentence for y in query.years):
            return f"the report covers {review_year}–{review_year + 1}, not {'/'.join(map(str, query.years))}"
    if evidence.other_place:
        return f"the question asks about {evidence.other_place}, which the closest sentence does not mention"
    asked = query.period_for(review_year) if (query.years or query.relative) else None
    if asked and passage.period in ("review", "plan") and passage.period != asked:
        return f"the question asks about the {asked}, the closest sentence is from the {passage.period}"
    if choice.wants == "figure" and not choice.fits:
        return "the question asks for a figure that the closest sentence does not give"
    # A plan's sentence needs no date (it is the plan year); a result or a fact without one gives none.
    if choice.wants == "date" and not choice.fits and passage.period != "plan":
        return "the question asks when, and the closest sentence gives no time"
    if evidence.key_in_document < MIN_KEY_IN_DOCUMENT:
        return "the report does not mention what the question asks about"
    if evidence.entity_in_sentence == 0 and evidence.key_in_sentence < ENTITY_MISSING_MAX_KEY:
        return f"the closest sentence does not mention {evidence.entity}"
    if query.has_cjk:
        if min_support is not None and evidence.support < min_support:
            return "the closest sentence is not about what the question asks"
    else:  # cross-lingual cosines sit lower: English has its own floor, and its glossary terms
        if evidence.key_terms and evidence.key_in_sentence == 0:
            return "the closest sentence holds none of the report terms of the question"
        if min_english_cosine is not None and evidence.cosine < min_english_cosine:
            return "the closest sentence is not about what the question asks"
    return None
