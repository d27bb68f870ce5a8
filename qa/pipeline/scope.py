"""Which reports a question is about, in a collection of many: comparisons and "this year" questions.

- A question naming several reports (two years, two provinces: "2023年和2025年…分别", "江苏和山东…")
  is a comparison: it is answered once per named report (``named_groups``).
- A question saying 今年/去年 without naming any report means the newest report of its level
  (``latest_documents``); the answer says which one it used.
"""

from __future__ import annotations

import re

from qa.index.catalog import Catalog, covers_years
from qa.pipeline.query import Query
from qa.pipeline.retrieval import named_documents, prefer_national
from qa.schema import DocumentInfo

# Words that ask for the same thing of several reports.
_COMPARE = re.compile(
    r"分别|各是|各为|各自|和|与|跟|及|、|相比|对比|比较|变化|从.+到|compare|and|versus|vs\.?", re.I
)
# Years listed together ("2023年和2025年", "从2010年到2015年", "2016、2017"): each names a report.
# A lone year beside a report's title year ("2024年报告里2023年的…") is the period asked about.
_LISTED_YEARS = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*年?\s*(?:和|与|跟|及|、|至|到|-|—|and|to)\s*((?:19|20)\d{2})(?!\d)"
)


def named_groups(query: Query, catalog: Catalog) -> list[tuple[str, list[DocumentInfo]]]:
    """(label, reports) per report a comparison names; [] when the question is no comparison."""
    if not _COMPARE.search(query.normalized):
        return []
    regions: dict[str, list[DocumentInfo]] = {}
    for info in catalog.named_in(query.named_text):
        regions.setdefault(info.region or "", []).append(info)
    listed = {int(y) for pair in _LISTED_YEARS.findall(query.normalized) for y in pair}
    years = tuple(sorted(set(query.report_years) | listed))
    if len(regions) >= 2:
        groups = []
        for region, infos in regions.items():
            fitting = [d for d in infos if covers_years(d, years)] if years else infos
            groups.append((region, _newest(fitting or infos)))
        return groups
    if len(years) >= 2:
        pool = next(iter(regions.values()), None) or catalog.documents
        groups = []
        for year in sorted(set(years)):
            titled = [d for d in pool if d.year == year] or [d for d in pool if covers_years(d, (year,))]
            groups.append((f"{year}年", prefer_national(titled)))
        return groups
    return []


def part_years(query: Query, infos: list[DocumentInfo]) -> tuple[int, ...]:
    """The years one part of a comparison asks its reports about: the question's years that are
    these reports' own title years ("2022年和2023年…各是多少": 2022 for the 2022 report), else all
    of them. The other parts' years would otherwise turn this report's search to the wrong part: the
    2023 report reviews 2022, so "2022" pulled its review passages for a question about its plan."""
    asked = sorted(set(query.years) | set(query.report_years))
    return tuple(y for y in asked if any(d.year == y for d in infos)) or query.years


def _newest(infos: list[DocumentInfo]) -> list[DocumentInfo]:
    newest = max((d.year or 0) for d in infos)
    return [d for d in infos if (d.year or 0) == newest]


def latest_documents(query: Query, catalog: Catalog) -> list[DocumentInfo]:
    """The newest reports of the national level (else of any level) for an unscoped 今年/去年 question;
    [] when the question names a year or a report, or there is nothing to choose."""
    documents = catalog.documents
    if query.years or query.report_years or query.relative is None or len(documents) < 2:
        return []
    if named_documents(query, catalog):  # "福建省…去年…" names its report
        return []
    pool = prefer_national(documents)
    newest = _newest(pool)
    return newest if len(newest) < len(documents) else []
