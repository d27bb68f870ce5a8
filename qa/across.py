"""Questions across a library, answered from an indicator series: one part per report, each cited.

"各省2026年地区生产总值增长目标是多少？" or "哪些省份的增长目标高于5%？" ask the same figure of every
report of a level; "历年GDP增长目标是多少？" of every State Council report; "2023年和2025年的报告分别把
GDP增长目标定为多少？" of the reports it names. Such a question is a look-up in ``qa.facts.series``
(the headline figure of each report, measured in benchmarks/SERIES.md), not a search: each part
quotes the report's own sentence. A comparison whose reports do not all state the figure is left to
the search.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from qa.facts import Fact
from qa.facts.figures import FIGURE, read_figure
from qa.facts.series import FAMILIES
from qa.index.catalog import Catalog
from qa.pipeline.query import Query
from qa.pipeline.scope import asked_aspect, group_year, named_groups
from qa.schema import Answer, DocumentInfo, Passage

_ACROSS_PROVINCES = re.compile(
    r"各省|各个省|每个省|哪些省|哪几个省|哪个省|哪一个省|所有省|全国各地|31个省|各地区|两个省|两省"
)
_ACROSS_YEARS = re.compile(r"历年|每年|这些年|逐年|哪些年|哪几年|哪一年|哪年|各年")
# The figure compared with, with its magnitude and unit (超过60万人 is 600,000 people, as the facts
# count them: it had been 60) and its percent sign, for the refusal that quotes it.
_BOUND = r"(\d+(?:\.\d+)?\s*(?:[%％]|[百千万亿]*(?:元|人|个|项|家|所|吨|公里|亩|户|辆|套))?)"
_COMPARISON = re.compile(r"(高于|超过|大于|多于|不低于|低于|小于|少于|不高于)\s*" + _BOUND)
_ABOVE = ("高于", "超过", "大于", "多于", "不低于")
# A bound written after the figure: "哪些省份的经济增长目标是5%以上？" (it had kept every province).
_AT_LEAST = re.compile(_BOUND + r"\s*及?(以上|以下)")
# Which report's figure is the highest or the lowest (哪一年的增长目标最低？, 哪个省最高): ties are all kept.
_HIGHEST = re.compile(r"最高|最大|最多|最快|highest|largest|biggest|fastest", re.I)
_LOWEST = re.compile(r"最低|最小|最少|最慢|lowest|smallest|slowest", re.I)
# What a question asks of the figure: its change (增长多少) or its level (多少万亿元).
_GROWTH = re.compile(r"增长|增速|增幅|涨幅|提高了?多少|growth|grow", re.I)
_AMOUNT = re.compile(r"多少(?:万亿|亿|万)?元|总量|规模|how much", re.I)


def _indicator(text: str) -> str | None:
    """The first indicator family the question names (its first, most asked-for name)."""
    return next((names[0] for names in FAMILIES if any(n in text for n in names)), None)


def _period_of(infos: list[DocumentInfo], query: Query, period: str, year: int | None) -> str:
    """The part of these reports a comparison asks: their review when it names the year they review,
    none of them is the report of a year it names, and no verb says otherwise ("湖北和云南2025年地区生产
    总值分别是多少？" of their 2026 reports had quoted both 2026 targets, and so had "2013年和2015年城镇
    新增就业分别是多少？" of the 2014 and 2016 reports, which review those years); else ``period``."""
    asked = {year} if year is not None else set(query.years)  # the part's own year (``group_year``)
    reviewed, titled = {d.review_year for d in infos}, {d.year for d in infos}
    return "review" if asked_aspect(query) is None and reviewed & asked and not titled & asked else period


def _compared_value(fact: Fact) -> float:
    """The number a comparison reads: a rate as stated, else the change when one is given."""
    return fact.change_pct if fact.unit != "%" and fact.change_pct is not None else fact.value


def _extremes(facts: list[Fact], text: str) -> tuple[list[Fact], str | None]:
    """The facts of the highest or the lowest figure when the question asks for it, and which."""
    extreme = "highest" if _HIGHEST.search(text) else "lowest" if _LOWEST.search(text) else None
    if extreme is None or not facts:
        return facts, None
    chosen = (max if extreme == "highest" else min)(map(_compared_value, facts))
    return [f for f in facts if _compared_value(f) == chosen], extreme


def _threshold(match: re.Match[str]) -> tuple[str, str]:
    """(comparison word, figure) of 高于5% or of 5%以上 (as 不低于5%)."""
    first, second = match.groups()
    if second in ("以上", "以下"):
        return ("不低于" if second == "以上" else "不高于"), first
    return first, second


def _bound_value(bound: str) -> float:
    """The number a bound stands for, in the facts' units: 60万人 -> 600000.0, 5% -> 5.0."""
    figure = next((read_figure(m) for m in FIGURE.finditer(bound)), None)
    return figure.value if figure is not None else float(re.match(r"\d+(?:\.\d+)?", bound).group())


def _keeps(fact: Fact, comparison: tuple[str, str] | None) -> bool:
    if comparison is None:
        return True
    word, bound = comparison
    value, limit = _compared_value(fact), _bound_value(bound)
    if word in _ABOVE:
        return value > limit or (word == "不低于" and value == limit)
    return value < limit or (word == "不高于" and value == limit)


def series_answer(
    question: str,
    query: Query,
    catalog: Catalog,
    series: Callable[..., list[Fact]],
    passage_of: Callable[[str], Passage | None],
    k: int,
) -> Answer | None:
    """The answer of an across-reports question from the series, or None when it is none."""
    text = query.normalized
    provinces, years = bool(_ACROSS_PROVINCES.search(text)), bool(_ACROSS_YEARS.search(text))
    indicator = _indicator(text)
    if indicator is None or len(catalog) < 2:
        return None
    period = "review" if asked_aspect(query) == "review" else "plan"
    groups = named_groups(query, catalog)
    filters: dict
    if len(groups) >= 2:  # a comparison: the figure of each named report, or a search if one lacks it
        facts = []
        # A year names the part asked of a report that reviews it; of a report of that year, the report.
        for label, infos in groups:
            asked = _period_of(infos, query, period, group_year(label))
            found = series(indicator, asked, {"doc_id": [d.doc_id for d in infos]})
            if not found:
                return None
            facts.append(found[-1])  # the newest report of the group
        filters = {"doc_id": [f.doc_id for f in facts]}
        stated = facts
        facts, extreme = _extremes(facts, text)
    elif provinces or years:
        # Years of one place ("广东历年…") are that place's reports; else the State Council's.
        named = catalog.named_in(query.named_text) if years and not provinces else []
        filters = (
            {"doc_id": [d.doc_id for d in named]}
            if named
            else {"level": "province" if provinces else "national"}
        )
        if query.report_years or query.years:
            filters["year"] = list(query.report_years or query.years)
        comparison = _COMPARISON.search(text) or _AT_LEAST.search(text)
        threshold = _threshold(comparison) if comparison else None
        # Of every report, its change (增长多少) or its level (多少万亿元) when the question asks one: each
        # part had been the report's first figure, 生产总值6.66万亿元 for 增长多少 (a comparison keeps it:
        # on the generated comparisons, its parts' first passages held the figure less often).
        growth, amount = _GROWTH.search(text) is not None, _AMOUNT.search(text) is not None
        measure = "growth" if growth and not amount else "amount" if amount and not growth else None
        stated = series(indicator, period, filters, measure)
        facts, extreme = _extremes([f for f in stated if _keeps(f, threshold)], text)
        if comparison and stated and not facts:  # "哪些省份…高于5%？" where none is: each figure shows it
            asked = comparison.group(0).replace(" ", "")
            reason = {
                "series": {"indicator": indicator, "period": period, "filters": filters, "reports": 0},
                "not_found_because": f"none of the {len(stated)} figures stated is {asked}",
            }
            passages = [p.passages[0] for p in _cited(stated, catalog, passage_of)]
            return Answer(question, False, None, passages[:k], reason, 0.0, "not_found")
    else:
        return None
    parts = _cited(facts, catalog, passage_of)
    if not parts:
        # No key figure of that name (历年居民消费价格涨幅目标: the reports write 居民消费价格总水平涨幅):
        # the search answers as it can, with the passages it finds; an empty refusal had shown none.
        return None
    reason = {"series": {"indicator": indicator, "period": period, "filters": filters, "reports": len(parts)}}
    if extreme:  # of how many stated figures: the note says so (the quotes are the reports' own)
        reason["series"] |= {"extreme": extreme, "of": len(stated)}
    passages = [p.passages[0] for p in parts]
    answer = "\n".join(f"{p.question}：{p.answer}" for p in parts)
    # A look-up of the reports' own sentences (series precision 1.00 in benchmarks/SERIES.md).
    return Answer(question, True, answer, passages[:k], reason, 1.0, "answer", parts)


def _cited(facts: list[Fact], catalog: Catalog, passage_of: Callable[[str], Passage | None]) -> list[Answer]:
    """One answer per fact: its report's sentence, highlighted in its passage."""
    titles = {d.doc_id: d.title for d in catalog.documents}
    parts = []
    for fact in facts:
        passage = passage_of(fact.passage_id)
        if passage is None:
            continue
        highlight = (fact.sentence_start - passage.start, fact.sentence_end - passage.start)
        reason = {
            "report": titles[fact.doc_id],
            # With its qualifier, as /api/facts gives it: 5%以上 is not 5%.
            "series": {"indicator": fact.indicator, "value": fact.value_text, "qualifier": fact.qualifier},
        }
        parts.append(Answer(titles[fact.doc_id], True, fact.sentence, [passage.with_(highlight=highlight)],
                            reason, 1.0, "answer"))  # fmt: skip
    return parts
