"""What the collection holds: a question about a report it lacks is refused with that reason.

This is a rule about facts the user can check on the 文档 list, not a guess: the question names a
report by year (2025年政府工作报告, 2025年广东…) or a place (广东省, 深圳市, 晋江市), and no indexed
document is of that year or place. The reply names what is there instead (the same place in other
years, or that year's other reports).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import zip_longest

from qa.index.catalog import Catalog, covers_years, spans_years, years_covered
from qa.pipeline.places import PROVINCES, containing, named_places, names_as_word, places_in
from qa.pipeline.query import NATIONAL_WORDS, Query
from qa.schema import DocumentInfo, Passage, document_noun
from qa.text.normalize import normalize
from qa.text.sentences import split_sentences
from qa.text.years import asked_years, planned_year

_LISTED = 5  # reports a refusal names of those the collection has instead


@dataclass(frozen=True)
class Missing:
    """A report the question asks about that the collection lacks, and what it has instead."""

    asked: str  # "2025年广东省", "深圳市", "2020年"
    available: list[str]  # display titles of the nearest documents
    spans: tuple[str, ...] = ()  # the years each of them covers ("2022–2023年"), when the year was asked
    total: int = 0  # how many documents there are to name, when more than ``available``
    noun: str = "报告"  # 文档 when the documents it speaks of are not all work reports (``document_noun``)

    @property
    def reason(self) -> str:
        """One line for users, in the page's language."""
        shown = [f"{t}（{s}）" if s else t for t, s in zip_longest(self.available, self.spans, fillvalue="")]
        more = f"等{self.total}份" if self.total > len(shown) else ""  # not all of them: say how many
        there = "、".join(shown) + more
        return f"没有{self.asked}的{self.noun}" + (f"；有：{there}" if there else "")


def _by_place(asked: str, documents: list[DocumentInfo]) -> Missing:
    """A place the collection lacks, with the reports it has, the nearest first."""
    nearest = [d.title for d in _by_nearness(documents, asked)]
    return Missing(asked, nearest[:_LISTED], total=len(nearest), noun=document_noun(nearest))


def _span(info: DocumentInfo) -> str:
    """The years a document covers, as users read them: 2022–2023年 of a report reviewing 2022, 2024年
    of a yearbook's entry (it had read 石门县概况（2024年）（2024–2025年））."""
    years = sorted(years_covered(info))
    if not years:
        return ""
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}年" if len(years) == 1 else f"{years[0]}–{years[-1]}年"
    return "、".join(map(str, years)) + "年"  # 1998、2025年: no span between a title's two years


def _is_of(info: DocumentInfo, core: str) -> bool:
    """Whether the document is a report of the place ``core`` (广东, 深圳) by its region or title."""
    return core in (info.region or "") + info.title


# Words that compare the places a question names, rather than ask one about the other.
_COMPARES = re.compile(
    r"哪个|哪一个|哪里|谁的|谁更|比较|相比|对比|分别|各是|各自|高于|低于|更高|更低|更多|更少|差距|排名|\bor\b|versus"
)
_PEERS = frozenset(PROVINCES) - {"香港", "澳门", "台湾"}  # provinces with work reports of their own
# Words of provinces acting together (湖北和湖南、江西怎么合作？): one report's plans with the others.
_TOGETHER = re.compile(r"合作|协同|协作|一体化|联动|共建|对接|互联互通|同城化|\bcooperat|\bwith\b")


def compared_without_report(query: Query, documents: list[DocumentInfo]) -> list[str]:
    """The places a question compares (广东和浙江…分别, 哪个高) that no document is of, nor of a
    place holding them: each is a part of the comparison that says what the collection lacks."""
    if not _COMPARES.search(query.normalized):
        return []
    places = named_places(query, cities=any(d.region for d in documents))
    return [p for p in places if not _has_report(p, documents)]


def _has_report(place: str, documents: list[DocumentInfo]) -> bool:
    """Whether a document is of ``place`` or of the city or province that holds it (苏州: 江苏's)."""
    names = [name for name in (place.rstrip("市县镇乡"), *_holders(place)) if name]  # looked up once
    return any(_is_of(d, name) for d in documents for name in names)


def _holders(place: str) -> list[str]:
    """The short names of the city and province that hold ``place``, nearest first (洛阳: 河南)."""
    return [next((p for p in PROVINCES if d.startswith(p)), d.rstrip("市")) for d in containing(place)]


def _by_nearness(documents: list[DocumentInfo], place: str) -> list[DocumentInfo]:
    """The documents, those of the city or province that holds ``place`` first (洛阳: 河南省's
    report), then the newest."""
    holders = _holders(place)

    def nearness(info: DocumentInfo) -> int:
        return next((n for n, core in enumerate(holders) if _is_of(info, core)), len(holders))

    return sorted(documents, key=lambda d: (nearness(d), -(d.year or 0), d.title))


def lacking(label: str, documents: list[DocumentInfo]) -> Missing:
    """A comparison's part that no document is (``scope.named_groups``: a year, "2020年", or one
    place's year, "2005年河南"): the reports of the nearest years (of that place), with the years they
    cover; of the nearest place, for a place."""
    year = re.fullmatch(r"(\d{4})年(.*)", label)  # "2005年", or "2005年河南" for one place's reports
    if year:
        place = year.group(2)
        pool = [d for d in documents if _is_of(d, place)] if place else documents
        return _by_year(label, pool or documents, [int(year.group(1))])
    return _by_place(label, documents)


def _nearest(documents: list[DocumentInfo], years: Iterable[int], count: int = 3) -> list[DocumentInfo]:
    """The ``count`` documents whose title years are closest to any of ``years``."""
    wanted = list(years)
    return sorted(documents, key=lambda d: min(abs((d.year or 0) - y) for y in wanted))[:count]


def _by_year(asked: str, documents: list[DocumentInfo], years: Iterable[int]) -> Missing:
    """A year the collection lacks, with the reports of the nearest years and the years they cover,
    and how many there are in all (a list of three of five had read as the whole library)."""
    nearest = _nearest(documents, years)
    noun = document_noun(d.title for d in documents)
    return Missing(asked, [d.title for d in nearest], tuple(map(_span, nearest)), len(documents), noun)


def _asked(query: Query) -> tuple[int, ...]:
    return query.report_years or query.years


def _years(query: Query) -> str:
    return "/".join(map(str, _asked(query)))


def _fitting(documents: list[DocumentInfo], query: Query, texts: Mapping[str, str]) -> list[DocumentInfo]:
    """The documents a question's years can be about: "2024年江苏省政府工作报告" names a report by its
    title year; "江苏2024年…" asks about a year, which the report must cover (review or plan it, or
    set its five-year plan's goals for it: ``lays_out``)."""
    if query.report_years:
        return [d for d in documents if d.year in query.report_years]
    return [d for d in documents if covers_years(d, query.years) or lays_out(d, texts, query.years)]


def lays_out(info: DocumentInfo, texts: Mapping[str, str], years: Iterable[int]) -> bool:
    """Whether ``years`` are the year the goals of the five-year plan the report ``info`` lays out
    are set for: its text names the plan beginning in the year it plans ("十五五" in a 2026 report:
    到2030年… had been refused as 没有2030年江苏的报告). Not a year inside the plan (2028年…): no
    report gives a year's figure before it."""
    asked = set(years)
    # One year asked, after the year planned: only then is the text read (once per document, cached).
    if len(asked) != 1 or info.review_year is None or min(asked) <= info.review_year + 1:
        return False
    goals = planned_year(texts.get(info.doc_id, ""), info.review_year + 1)
    return goals is not None and asked == {goals}


def _names_within(
    place: str, core: str, passage: Passage | None, catalog: Catalog, sentence: str = ""
) -> bool:
    """Whether ``passage`` is of the report of the city or province that holds ``place`` (洛阳:
    河南's) and names it as a word of its own (郑州航空港, not the 长治 of 长治久安): in ``sentence``
    or the one just before it, when given (宜昌 in a list of cities three sentences on had let
    Hubei's GDP answer "What was Yichang's GDP last year?" at 0.66), else anywhere."""
    if passage is None:
        return False
    info = catalog.info(passage.doc_id)
    held = info is not None and any(_is_of(info, holder) for holder in _holders(place))
    text = normalize(passage.text)
    at = text.find(sentence) if sentence else -1
    if at >= 0:
        before = split_sentences(text, 0, at)
        text = (text[before[-1][0] : before[-1][1]] if before else "") + sentence
    return held and names_as_word(text, core)


def missing_report(
    query: Query,
    catalog: Catalog,
    sentence: str,
    refused: bool = False,
    passage: Passage | None = None,
    texts: Mapping[str, str] | None = None,
) -> Missing | None:
    """The report a question names that no indexed document is, or None.

    A place counts as named-and-missing only when no document is of that place and the answer
    sentence does not speak of it either (a national report speaks of provinces); a place the
    collection has, with a year none of its reports covers, names a missing report too, as does a
    year no report of a collection covers. ``refused``: the question is refused anyway, so a
    province or year the sentence speaks of no longer makes it a topic, and the reason says what
    the collection lacks (a city or county still needs the sentence's exemption: the place pattern
    also takes words such as 贫困县 for places). ``passage``, the answer's passage: a city that the
    quoted passage of its province's report names is that report's topic too (郑州航空港 named in
    the sentence before the figure), and so is any place asked of a document that is no work report.
    """
    documents, texts = catalog.documents, texts or {}
    # A place asked of a document that is no work report is its topic (陈国平在新疆待了几年？ of a news
    # story), not a report the collection lacks: it had been refused as 没有新疆的报告.
    of_other = passage is not None and catalog.kind(passage.doc_id) != "work_report"
    # A city named without 市 is a place only among reports of places: in other texts (an
    # encyclopedia's articles) it is a topic, whatever the sentence calls it.
    places = named_places(query, cities=any(d.region for d in documents))
    # A question naming a place the library has asks that place's report about the others it names
    # ("广东和香港怎么合作？", "推进苏州与上海同城化发展了吗？"), unless it compares them (江苏和浙江哪个高).
    about = [p for p in places if _has_report(p, documents)]
    partners = bool(about) and not _COMPARES.search(query.normalized)
    for place in places:
        core = place.rstrip("市县镇乡")
        ours = [d for d in documents if core and _is_of(d, core)]
        # Two provinces side by side are asked alike (江苏和浙江今年…), not one of the other, unless they
        # act together (湖北和湖南、江西怎么合作？). A city of the named province is no partner:
        # "福建省政府工作报告里，福州市…是多少？" asks the city's figure.
        peers = place in _PEERS and any(a in _PEERS for a in about) and not _TOGETHER.search(query.normalized)
        partner = partners and place not in about and not peers
        topic = (core in sentence and not (refused and place in PROVINCES)) or partner
        # The quoted passage is read (jieba) only when nothing else decides it.
        near = "" if refused else sentence  # a refusal's reason may point at the passage shown
        if not ours and not topic and not of_other and not _names_within(place, core, passage, catalog, near):
            return _by_place(place, documents)
        # A plan of several years (a 规划 of 2026—2030 titled with its 2035 vision) covers the years it
        # names, which the answer step checks; the year of a report, a summary or a bulletin is a fact.
        dated = not any(spans_years(d.title) for d in ours)
        # A year the quoted sentence names is its report's to tell ("…2027年建成津潍高铁"), as below.
        told = not refused and not query.report_years and any(str(y) in sentence for y in query.years)
        asks_years = bool(query.report_years or query.years)
        if ours and dated and asks_years and not told and not _fitting(ours, query, texts):
            titles, spans = [d.title for d in ours], tuple(map(_span, ours))
            return Missing(f"{_years(query)}年{place}", titles, spans, noun=document_noun(titles))
    if NATIONAL_WORDS.search(query.normalized) and (query.report_years or query.years):
        national = [d for d in documents if d.level == "national"]
        if not _fitting(national, query, texts):
            return _by_year(f"{_years(query)}年国务院", national, _asked(query))
    if query.report_years and not catalog.titled(query.report_years):
        years = "/".join(map(str, query.report_years))
        return _by_year(f"{years}年", documents, query.report_years)
    # Years written as years ("2030年", not the 2000 of "2000亿元"), unless the sentence names them
    # ("到2035年…" may answer); undated reports could cover any year.
    asked = [y for y in asked_years(query.normalized, query.years) if refused or str(y) not in sentence]
    uncovered = asked and len(asked) == len(query.years) and catalog.dated and not catalog.covering(asked)
    uncovered = uncovered and not any(lays_out(d, texts, asked) for d in documents)
    if len(documents) > 1 and not query.report_years and uncovered:
        # No report of the collection reviews or plans the year asked about. (One report alone
        # says the same with the years it covers: ``answering.uncovered_year``.)
        return _by_year(f"{'/'.join(map(str, asked))}年", documents, asked)
    return None


def other_place(query: Query, sentence: str, info: DocumentInfo | None, passage: str = "") -> str | None:
    """The reason when the question names a place and the answer speaks of others only: its sentence
    names places (else its document's title does), none of them the one asked, within it or holding it
    (临川市's population for "南州市的常住人口是多少？"). A fact the user can check in the quote; not
    when the ``passage`` around the sentence names the place asked (a story's 云南省…福贡县 before
    "他从上海飞到这里": "他每年什么时候去云南？" had been refused as speaking of 上海)."""
    asked = named_places(query)
    if not asked:
        return None
    title = info.title if info else ""
    told = places_in(sentence) or places_in(title)
    if not told:
        return None
    cores = {p.rstrip("市县镇乡省") for p in asked}
    related = cores | {h for p in asked for h in _holders(p)}
    for place in told:
        core = place.rstrip("市县镇乡省")
        if core in related or any(c in core or core in c for c in cores) or set(_holders(place)) & cores:
            return None
    if any(c in title or c in passage for c in cores):  # the document or passage is of the place asked
        return None
    return f"the sentence found speaks of {'、'.join(told)}, not {'、'.join(asked)}"
