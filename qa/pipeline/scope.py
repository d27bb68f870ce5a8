"""Which reports a question is about, in a collection of many: comparisons and "this year" questions.

- A question naming several reports (two years, two provinces: "2023年和2025年…分别", "江苏和山东…")
  is a comparison: it is answered once per named report (``named_groups``).
- A question naming no report is looked for first in the reports of the level of government it
  names (镇里, 全省, 我市; ``asked_level``), and when it says 今年/去年, in the newest of them (by
  default the newest national report); the answer says which ones it used (``preferred_documents``).
"""

from __future__ import annotations

import re

from qa.index.catalog import NATIONAL_REGION, Catalog, covers_years, short_region
from qa.pipeline.coverage import compared_without_report
from qa.pipeline.query import NATIONAL_WORDS, Query
from qa.pipeline.retrieval import named_documents, prefer_national
from qa.schema import DocumentInfo, Level, Period
from qa.text.normalize import normalize

# Words that ask for the same thing of several reports (or which of them: 湖北还是安徽, Hubei or Anhui).
_COMPARE = re.compile(
    r"分别|各是|各为|各自|和|与|跟|及|、|相比|对比|比较|变化|从.+到|还是|或者|compare|and|versus|vs\.?|\bor\b|\bwith\b",
    re.I,
)
# The State Council's reports as a comparison names them beside a place's: 全国 (not 全国各地, 全国第一,
# 全国平均) and the words naming them anywhere (query.NATIONAL_WORDS: 国务院, 中央政府).
_NATIONAL_NAMED = re.compile(
    rf"全国(?!各|第|平均|范围|人民|性|前列|领先)|{NATIONAL_WORDS.pattern}|\bnational\b", re.I
)
# Years listed together ("2023年和2025年", "2014、2015、2016年", "从2013年到2017年"): each names a report.
# A lone year beside a report's title year ("2024年报告里2023年的…") is the period asked about.
_YEAR_RUN = re.compile(
    r"(?<!\d)(?:19|20)\d{2}\s*年?(?:\s*(?:和|与|跟|及|、|，|,|至|到|-|—|–|~|～|还是|或|and|to|or|with|vs\.?)\s*(?:19|20)\d{2}(?!\d)\s*年?)+"
)
_RUN_PART = re.compile(r"((?:19|20)\d{2})|(至|到|-|—|–|~|～|to)")
MAX_RANGE = 10  # years a range ("2013年到2017年") is read out to; a longer one names its ends


# Words asking of each year of a range ("2013年到2017年…历年/分别"); without them a range names its
# two ends ("从2019年到2024年，GDP增长目标有什么变化？" compares 2019's and 2024's).
_EACH_YEAR = re.compile(r"历年|每年|各年|逐年|分别|各是|各自|每一年|each year|every year", re.I)
# A run of years that names reports: "2019年和2024年的政府工作报告".
_REPORTS_AFTER = re.compile(r"\s*的?\s*(?:政府工作)?报告")


def _listed_years(text: str) -> tuple[set[int], set[int]]:
    """The years ``text`` lists together (a range read out year by year when it asks of each, else its
    ends), and those of them that name reports; a lone year is none."""
    listed: set[int] = set()
    reports: set[int] = set()
    each = _EACH_YEAR.search(text) is not None
    for run in _YEAR_RUN.finditer(text):
        years, ranged = [], False
        for year, to in _RUN_PART.findall(run.group()):
            if to:
                ranged = True
            elif each and years and ranged and 0 < int(year) - years[-1] <= MAX_RANGE:
                years += range(years[-1] + 1, int(year) + 1)
                ranged = False
            else:
                years.append(int(year))
                ranged = False
        listed.update(years)
        if _REPORTS_AFTER.match(text, run.end()):
            reports.update(years)
    return listed, reports


def asked_aspect(query: Query) -> Period | None:
    """What a question asks of its years: done ("review") or intended ("plan"), by its words
    (``Query.aspect``: 增长了, 目标; 今年/去年). None without them: a year beside a figure names its
    report ("2019年和2023年赤字率分别是多少？" asks each report's, set in its plan), though "2005年和
    2008年国内生产总值分别增长多少？" may mean the years' results (tried: the library benchmark's
    comparisons, which name reports by their years, fell from 0.85 to 0.75 of parts answered)."""
    return query.aspect or query.relative


def named_groups(query: Query, catalog: Catalog) -> list[tuple[str, list[DocumentInfo]]]:
    """(label, reports) per report a comparison names, no reports for a place or year the collection
    lacks; [] when the question is no comparison."""
    if not _COMPARE.search(query.normalized):
        return []
    regions: dict[str, list[DocumentInfo]] = {}
    for info in catalog.named_in(query.named_text):
        regions.setdefault(info.region or "", []).append(info)
    # The State Council's reports named beside a place's (江苏和全国…各是多少): a part of their own, not
    # a question about 江苏 alone (6 of 6 such comparisons had quoted one report).
    if regions and catalog.national and _NATIONAL_NAMED.search(query.named_text):
        regions.setdefault(NATIONAL_REGION, catalog.national)
    listed, named_reports = _listed_years(query.normalized)
    years = tuple(sorted(set(query.report_years) | listed))
    titles = set(query.report_years) | named_reports  # a report named by its year is that report
    # A place compared with one the collection has, and of which it has no report, is a part too:
    # it says so (广东和浙江…分别 had been refused whole, as 没有浙江的报告).
    lacking = compared_without_report(query, catalog.documents) if regions else []
    if len(regions) + len(lacking) >= 2:
        groups = []
        for region, infos in regions.items():
            fitting = [d for d in infos if covers_years(d, years)] if years else infos
            groups.append((region, _newest(fitting or infos)))
        groups += [(place, []) for place in lacking]
        # In the order the question names them (浙江和广东… answers 浙江 first).
        return sorted(groups, key=lambda group: _named_at(query.named_text, group[0]))
    if len(years) >= 2:
        pool = next(iter(regions.values()), None) or catalog.documents
        region = next(iter(regions), "")
        place = "" if region == NATIONAL_REGION else short_region(region)  # "2005年河南": one place's years
        groups = []
        aspect = asked_aspect(query)
        for year in sorted(set(years)):
            # A year's result is told in the report after it, its target in the report of the year;
            # asked which, a year no report tells is a part of its own that says so ("2007年和2008年…
            # 目标" had quoted the 2008 report's target for 2007).
            titled = (
                [d for d in pool if year not in titles and _tells(d, year, aspect)]
                or [d for d in pool if d.year == year]
                or [d for d in pool if aspect is None and covers_years(d, (year,))]
            )
            groups.append((f"{year}年{place}", prefer_national(titled)))
        return groups
    return []


def _named_at(text: str, region: str) -> int:
    """Where ``text`` first names ``region`` by its full or short name (the State Council's reports by
    their words: 国务院, 全国); after everything if nowhere."""
    national = _NATIONAL_NAMED.search(text) if region == NATIONAL_REGION else None
    if national:
        return national.start()
    found = [at for at in (text.find(region), text.find(short_region(region))) if at >= 0]
    return min(found, default=len(text))


def _tells(info: DocumentInfo, year: int, aspect: Period | None) -> bool:
    """Whether a report tells what ``aspect`` asks of ``year``: reviews it (a result) or plans it."""
    if info.review_year is None or aspect is None:
        return False
    return year == (info.review_year if aspect == "review" else info.review_year + 1)


def group_year(label: str) -> int | None:
    """The year a comparison's part is labelled with ("2013年", "2005年河南"), None for a place's."""
    found = re.match(r"(\d{4})年", label)
    return int(found.group(1)) if found else None


def part_years(
    query: Query, infos: list[DocumentInfo], aspect: Period | None, year: int | None = None
) -> tuple[int, ...]:
    """The years one part of a comparison asks its reports about: the question's years these
    reports tell what it asks of (``aspect``, as ``asked_aspect`` reads it: a result, the year they
    review), else their own title years ("2022年和2023年…目标各是多少": 2022 for the 2022 report),
    else all of them. The other parts'
    years would otherwise turn this report's search to the wrong part: the 2023 report reviews 2022,
    so "2022" pulled its review passages for a question about its plan. Years that name reports
    ("2002年和2009年政府工作报告中，…") ask about none: each report is asked as "2009年政府工作报告中…"
    would be (asked about 2009, its 财政收入 of 2008 had been refused)."""
    if year is not None and year in query.years:  # the part's own year (``group_year``), of its reports
        return (year,)
    asked = sorted(set(query.years))
    for own in (lambda d, y: _tells(d, y, aspect), lambda d, y: d.year == y):
        years = tuple(y for y in asked if any(own(d, y) for d in infos))
        if years:
            return years
    return query.years


def _newest(infos: list[DocumentInfo], earliest: bool = False) -> list[DocumentInfo]:
    years = [(d.year or 0) for d in infos]
    chosen = min(years) if earliest else max(years)
    return [d for d in infos if (d.year or 0) == chosen]


# A report named by its place in time: 最新的报告, 最近一份政府工作报告, 最早的报告 (the newest or the
# earliest of the reports the question could be about, as for 今年/去年; a helper had got 14 of 15
# such questions answered from another year's report).
_BY_TIME = re.compile(
    r"(?P<when>最新|最近|最早)(?:的|一份|一次|一年)*的?(?:政府)?(?:工作)?报告"
    r"|\b(?P<english>latest|newest|most recent|earliest|first)\s+(?:government\s+)?(?:work\s+)?report",
    re.I,
)


def asked_by_time(query: Query) -> str | None:
    """ "newest" or "earliest" when the question names its report so (最新的报告), else None."""
    named = _BY_TIME.search(query.normalized)
    if named is None:
        return None
    word = (named.group("when") or named.group("english")).lower()
    return "earliest" if word in ("最早", "earliest", "first") else "newest"


# How people say which level of government they mean without naming its place: 镇里, 全省, 我市,
# 全国. Not 城镇里, 乡镇, 城市里, 超市里, 全市场 or 国家级: those name no level of government.
_LEVEL_WORDS: dict[Level, re.Pattern[str]] = {
    "town": re.compile(r"(?<![城乡村集])镇(?:里|上|政府)|(?:全|本|我|咱|俺|我们|咱们|俺们)(?:镇|乡)|乡政府"),
    "county": re.compile(r"县(?:里|上|政府)|(?:全|本|我|咱|俺|我们|咱们|俺们)县"),
    "city": re.compile(r"(?<![城都超股上])市(?:里|政府)|(?:全|本|我|咱|俺|我们|咱们|俺们)市(?!场)"),
    "province": re.compile(r"省(?:里|上|政府)|(?:全|本|我|咱|俺|我们|咱们|俺们)省"),
    "national": re.compile(r"全国|国家(?!级)"),
}


# The levels whose absence from the collection is a fact the reply states ("没有省一级的报告"). Not a
# city (a municipality's report, province level, says 全市 of itself) nor the nation (国家 is asked of
# every report: a soft word, issue 11).
LACKING_NOTED: frozenset[Level] = frozenset({"town", "county", "province"})


def _named_level(text: str) -> tuple[Level, str] | None:
    """The one level of government ``text`` names and the words naming it; None for none or several."""
    found = {level: words.search(text) for level, words in _LEVEL_WORDS.items()}
    named = [(level, match.group(0)) for level, match in found.items() if match]
    return named[0] if len(named) == 1 else None


def asked_level(query: Query) -> Level | None:
    """The one level of government the question's words name (镇里 → town), else None (none, or
    several: "全省在全国排第几")."""
    named = _named_level(query.normalized)
    return named[0] if named else None


def level_words(question: str) -> str:
    """The words by which ``question`` names its one level of government ("镇里"), else ""."""
    named = _named_level(normalize(question))
    return named[1] if named else ""


def preferred_documents(query: Query, catalog: Catalog) -> tuple[list[DocumentInfo], Level | None]:
    """Where to look first for a question that names no year, and the level that chose them.

    For a question naming a place with reports of several years ("青山县去年…"), the newest of them
    when it says 今年/去年. Otherwise the reports of the level the question names (``asked_level``;
    "镇里有几所学校" in a library of a town's and the State Council's reports); for a 今年/去年
    question the newest work reports among them, by default the newest national reports (else of any
    level); other documents are never the newest. A soft choice: the caller searches everything when
    nothing there answers. ([], None) when the question names a year, or the choice would be every
    report it could be about; ([], level) when the collection has no report of a town, county or
    province level the question names (``LACKING_NOTED``), which the reply then says."""
    documents = catalog.documents
    if query.years or query.report_years or len(documents) < 2:
        return [], None
    by_time = asked_by_time(query)
    dated = query.relative is not None or by_time is not None
    earliest = by_time == "earliest"
    named = named_documents(query, catalog)
    if named:  # "福建省…去年…" names its reports; of several years', 今年/去年 means the newest
        reports = [d for d in documents if d.doc_id in named and catalog.kind(d.doc_id) == "work_report"]
        chosen = _newest(reports, earliest) if reports and dated else []
        return (chosen, None) if chosen and len(chosen) < len(named) else ([], None)
    # 镇里, 全省 name a level of government's work reports: of none in a library of other documents
    # (镇政府每年给他多少补贴？ of a news story had been noted as 资料库里没有乡镇一级的报告).
    reported = any(catalog.kind(d.doc_id) == "work_report" for d in documents)
    level = asked_level(query) if reported else None
    if level is None and not dated:
        return [], None
    pool = [d for d in documents if d.level == level] if level is not None else documents
    if not pool:
        return [], level if level in LACKING_NOTED else None
    chosen = pool if level is not None else []
    if dated:
        # 今年/去年 means the newest of the reports, which review one year and plan the next; an
        # article, a plan of several years or a contract has no year of its own in that sense.
        reports = [d for d in pool if catalog.kind(d.doc_id) == "work_report"]
        if reports:
            chosen = _newest(reports if level is not None else prefer_national(reports), earliest)
    return (chosen, level) if chosen and len(chosen) < len(documents) else ([], None)
