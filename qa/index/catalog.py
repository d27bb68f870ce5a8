"""The documents of an index snapshot, looked up by the places and years a question names.

Every question asks "which reports are of a region it names?" and "which reports cover a year it
names?". Asked of each report in turn, that is a Python loop per question that grows with the
collection (~2 ms a question at a thousand reports); here region names are dictionary keys, looked
up by the question's substrings, and each year maps to the reports that cover it, so these lookups
cost the same at any collection size.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from qa.errors import QuestionError
from qa.schema import LEVELS, DocumentInfo, DocumentKind, document_kind
from qa.text.normalize import has_cjk, normalize
from qa.text.years import title_span

_REGION_SUFFIX = re.compile(
    r"(?:人民政府|维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|县|区|镇|乡|街道)$"
)
NATIONAL_REGION = "全国"  # the State Council's reports: named by their issuer, not a place


@functools.lru_cache(maxsize=4096)
def short_region(region: str) -> str:
    """广东省 -> 广东, 紫帽镇人民政府 -> 紫帽: the name people use for a region."""
    return _REGION_SUFFIX.sub("", region)


_LATIN_WORD = re.compile(r"[a-z]+")  # a word of an English question, which may spell a region in pinyin
_VOWEL = re.compile(r"[aeiouv]")
FILTER_KEYS = ("doc_id", "year", "region", "level")
_LEVEL_ALIASES = {"provincial": "province", "municipal": "city"}
# The State Council's reports as a region filter names them (their region is 全国): 中国, 国务院, China.
_NATIONAL_NAMES = frozenset(
    ("全国", "中国", "国家", "国务院", "中央", "中央政府", "china", "national", "prc", "state council")
)


def _check_filter(key: str, values: Iterable[Any]) -> None:
    """Raise QuestionError for a value no document can have: a level not among ``LEVELS`` (nor an
    alias of one), a year that is not a whole number. A typo had kept nothing, silently."""
    for value in values:
        if key == "level" and _LEVEL_ALIASES.get(str(value), str(value)) not in LEVELS:
            raise QuestionError(f"unknown level {value!r}; levels are {', '.join(LEVELS)}")
        whole = (isinstance(value, int) and not isinstance(value, bool)) or year_text(value).isdigit()
        if key == "year" and not whole:
            raise QuestionError(f"year must be a whole number such as 2024, not {value!r}")
        if key in ("region", "doc_id") and not isinstance(value, str):  # had kept nothing, silently
            raise QuestionError(f"{key} must be text, not {value!r}")
        if key in ("region", "doc_id") and not value.strip():
            raise QuestionError(f"{key} must not be empty")


def kept_documents(documents: Iterable[DocumentInfo], filters: Mapping[str, Any]) -> list[DocumentInfo]:
    """The documents ``filters`` keep ({"doc_id"|"year"|"region"|"level": a value or a list, any of
    which matches; None = any}): the one reading of a filter for the search and the series alike.
    A region matches as people write it (河南, 河南省, Henan or Henan Province: an English name had kept
    nothing, though questions read it). Raises QuestionError for an unknown key."""
    if not isinstance(filters, Mapping):  # filters="广东" had been read key by key: unknown filter '东'
        raise QuestionError(f"filters must be a mapping such as {{'region': '广东'}}, not {filters!r}")
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise QuestionError(f"unknown filter {sorted(unknown)[0]!r}; filters are {', '.join(FILTER_KEYS)}")
    kept = list(documents)
    for key, value in filters.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple | set) else [value]
        _check_filter(key, values)
        wanted = {str(v) for v in values}
        if key == "region":
            wanted = {NATIONAL_REGION if _spelled(v) in _NATIONAL_NAMES else v for v in wanted}
            spelled = {_spelling(v) for v in wanted if not has_cjk(v)}  # "Guangdong", "Hunan Province"
            kept = [
                d
                for d in kept
                if d.region
                and (
                    {d.region, short_region(d.region)} & wanted or (spelled and _pinyin(d.region) in spelled)
                )
            ]
        elif key == "level":
            wanted = {_LEVEL_ALIASES.get(v, v) for v in wanted}
            kept = [d for d in kept if d.level in wanted]
        else:
            wanted = {year_text(v) for v in wanted} if key == "year" else wanted
            kept = [d for d in kept if str(getattr(d, key)) in wanted]
    return kept


def year_text(value: Any) -> str:
    """A year filter's value as text: 2024, "2024" and "2024年" alike."""
    return str(value).strip().removesuffix("年")


# What an English region name says besides the name: "Guangdong Province", "the City of Wuhan".
_REGION_WORDS = re.compile(r"\b(?:the|of|province|city|municipality|county|town|autonomous|region)\b|[^a-z]")


def _spelled(value: str) -> str:
    """A region filter's value as compared with names: normalized, "the" before a name dropped."""
    return re.sub(r"^the ", "", normalize(value))


def _spelling(value: str) -> str:
    """An English region name as pinyin letters: "Guangdong Province" -> guangdong."""
    return _REGION_WORDS.sub("", value.lower())


def _core(name: str) -> str:
    """A region's shortest name, its suffixes taken off one by one (紫帽镇人民政府 -> 紫帽)."""
    while (shorter := short_region(name)) != name:
        name = shorter
    return name


@functools.cache
def _pinyin(region: str) -> str:
    """A region's shortest name in pinyin letters (广东省 -> guangdong; 陕西 and 山西 are both shanxi)."""
    from pypinyin import lazy_pinyin  # only a filter written in English needs its tables

    return "".join(lazy_pinyin(_core(region)))


# A plan of several years: 规划, 纲要, a vision (远景目标), or a span in its title (2026—2030年).
_PLAN_TITLE = re.compile(r"规划|纲要|远景|(?:19|20)\d{2}\s*年?\s*[—\-–~～至到]+\s*(?:19|20)\d{2}")


def spans_years(title: str) -> bool:
    """Whether a document is a plan of several years by its title (its year is none it covers alone)."""
    return bool(_PLAN_TITLE.search(title))


_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def years_covered(info: DocumentInfo) -> set[int]:
    """The years a report is titled with (each year of a span: 2025—2027年), reviews or plans. A
    document that is no work report neither reviews nor plans: it covers its own year and those its
    title names (a notice of February 2025 on 2025's subsidies had been searched for 2024, as a report
    given then reviews 2024)."""
    if document_kind(info.title) == "other":
        # And every year its title names (青山镇2024年工作总结和2025年工作计划 covers both: a reviewer).
        own = {info.year, *(int(y) for y in _TITLE_YEAR.findall(normalize(info.title)))}
    else:
        own = {info.year, info.review_year, info.review_year + 1 if info.review_year else None}
    return {y for y in own if y is not None} | set(title_span(info.title) or ())


def covers_years(info: DocumentInfo, years: Iterable[int]) -> bool:
    """Whether a report is titled with, reviews or plans one of ``years``."""
    return not years_covered(info).isdisjoint(years)


class Catalog:
    """Lookups over one snapshot's documents; results keep the documents' own order."""

    def __init__(self, documents: Sequence[DocumentInfo]) -> None:
        self.documents: list[DocumentInfo] = list(documents)
        self._by_id: dict[str, DocumentInfo] = {d.doc_id: d for d in self.documents}
        self._kinds: dict[str, DocumentKind] = {d.doc_id: document_kind(d.title) for d in self.documents}
        self._place: dict[str, list[int]] = {}  # a region's full or short name -> its reports
        self._covering: dict[int, list[int]] = {}
        self._titled: dict[int, list[int]] = {}
        # Every document has a year and none is a plan of several years (a 规划 titled with its 2035
        # vision): a year none covers is then a fact.
        self.dated = True
        for i, info in enumerate(self.documents):
            region = info.region or ""
            if region and region != NATIONAL_REGION:
                short = short_region(region)
                for name in {region, short} if len(short) >= 2 else {region}:
                    self._place.setdefault(name, []).append(i)
            covered = years_covered(info)
            self.dated = self.dated and bool(covered) and not spans_years(info.title)
            for year in covered:
                self._covering.setdefault(year, []).append(i)
            if info.year is not None:
                self._titled.setdefault(info.year, []).append(i)
        self._name_lengths = sorted({len(name) for name in self._place})
        self.national = [d for d in self.documents if d.region == NATIONAL_REGION]

    def info(self, doc_id: str) -> DocumentInfo | None:
        """The document of ``doc_id``; None when the snapshot has none."""
        return self._by_id.get(doc_id)

    def kind(self, doc_id: str) -> DocumentKind:
        """Whether the document is a work report or another kind (``qa.schema.document_kind``)."""
        return self._kinds[doc_id]

    def __len__(self) -> int:
        return len(self.documents)

    def _pick(self, positions: Iterable[int]) -> list[DocumentInfo]:
        return [self.documents[i] for i in sorted(set(positions))]

    def place_names_in(self, text: str) -> list[str]:
        """The region names (full, or short of two or more characters) of reports that occur in
        ``text``, or whose pinyin is one of its English words (Qingshi town: 青石), longest first."""
        found = {
            text[start : start + length]
            for length in self._name_lengths
            for start in range(len(text) - length + 1)
            if text[start : start + length] in self._place
        }
        # Only words that could spell a name (qingshi, zimao): a Chinese question's GDP or CPI is none,
        # and must not load pypinyin's tables for every such question.
        words = [w for w in _LATIN_WORD.findall(text.lower()) if len(w) >= 4 and _VOWEL.search(w)]
        found |= {self._spelled[word] for word in words if word in self._spelled} if words else set()
        return sorted(found, key=lambda name: (-len(name), name))

    @functools.cached_property
    def _spelled(self) -> dict[str, str]:
        """The short region names by their pinyin, as English writes them (qingshi: 青石); a spelling
        two names share (shanxi: 山西, 陕西) names none. An English question naming a town or county
        had been answered from another town's report at 0.97."""
        from pypinyin import lazy_pinyin  # its tables are ~50 MB: only an English question needs them

        cores = {name: core for name in self._place if len(core := _core(name)) >= 2}
        spellings: dict[str, set[str]] = {}
        for core in cores.values():
            spellings.setdefault("".join(lazy_pinyin(core)), set()).add(core)
        # The shortest name of each: as a Chinese question names it (青石 of 青石镇).
        named = {core: name for name, core in sorted(cores.items(), key=lambda item: -len(item[0]))}
        return {spelling: named[found.pop()] for spelling, found in spellings.items() if len(found) == 1}

    def named_in(self, text: str) -> list[DocumentInfo]:
        """Reports whose region, or its short name of two or more characters, occurs in ``text``
        (the State Council's reports excepted: a place name does not name them)."""
        return self._pick(i for name in self.place_names_in(text) for i in self._place[name])

    def covering(self, years: Iterable[int]) -> list[DocumentInfo]:
        """Reports titled with, reviewing or planning one of ``years``."""
        return self._pick(i for year in years for i in self._covering.get(year, ()))

    def titled(self, years: Iterable[int]) -> list[DocumentInfo]:
        """Reports whose title year is one of ``years``."""
        return self._pick(i for year in years for i in self._titled.get(year, ()))
