"""Indicator series (qa.facts.series) against targets read off the report texts by hand.

    python -m benchmarks.series [--reports-dir DIR] [--out benchmarks/SERIES.md]

Four series over ``shared/datasets/gov_reports``, built as ``report-qa facts --docs`` builds facts (no
index, no model): the State Council's annual targets 2005-2025 for GDP growth, CPI and new urban jobs
(2020 is not in the set: 20 reports), and the 2026 GDP growth targets of the 31 provinces. The expected
values were written by reading each report's plan section (grep 国内生产总值增长, 居民消费价格, 城镇新增
就业, 地区生产总值增长 / 经济增长 in the 预期目标 sentence), not by running the code. A point is right when
its figure, as written (width and dash style folded), is the target the report states.
"""

from __future__ import annotations

import argparse
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import DEFAULT_REPORTS_DIR, ROOT
from qa.api import PASSAGE_CHARS
from qa.facts import Fact, collect_facts
from qa.facts.series import indicator_series
from qa.ingest.loader import load_paths
from qa.ingest.structure import build_passages
from qa.schema import DocumentInfo

NATIONAL_YEARS = [y for y in range(2005, 2026) if y != 2020]

# file stem -> the target as the report writes it
GDP_NATIONAL = dict(
    zip(
        (f"{y}_national" for y in NATIONAL_YEARS),
        ["8%"] * 7 + ["7.5%"] * 3 + ["7%", "6.5%-7%", "6.5%", "6.5%", "6%-6.5%", "6%", "5.5%"] + ["5%"] * 3,
        strict=True,
    )
)
CPI_NATIONAL = dict(
    zip(
        (f"{y}_national" for y in NATIONAL_YEARS),
        ["4%", "3%", "3%", "4.8%", "4%", "3%", "4%", "4%", "3.5%", "3.5%"] + ["3%"] * 9 + ["2%"],
        strict=True,
    )
)
JOBS_NATIONAL = dict(
    zip(
        (f"{y}_national" for y in NATIONAL_YEARS),
        [f"{n}万人" for n in (900, 900, 900, 1000, 900, 900, 900, 900, 900, 1000, 1000, 1000, 1100, 1100,
                              1100, 1100, 1100, 1200, 1200, 1200)],
        strict=True,
    )
)  # fmt: skip
GDP_PROVINCES_2026 = {
    f"2026_province_{name}": target
    for name, target in {
        "anhui": "5%-5.5%", "beijing": "5%", "chongqing": "5%", "fujian": "5%", "gansu": "5.5%",
        "guangdong": "4.5%-5%", "guangxi": "5%", "guizhou": "5%", "hainan": "6%", "hebei": "5%",
        "heilongjiang": "4.5-5%", "henan": "5%", "hubei": "5.5%", "hunan": "5%", "jiangsu": "5%",
        "jiangxi": "5%-5.5%", "jilin": "5%", "liaoning": "4.5%", "neimenggu": "5%", "ningxia": "5%",
        "qinghai": "4.5%", "shaanxi": "5%", "shandong": "5%", "shanghai": "5%", "shanxi": "4.5%-5%",
        "sichuan": "5.5%", "tianjin": "4.5%", "xinjiang": "5.5%-6%", "xizang": "7%", "yunnan": "4.5%",
        "zhejiang": "5%-5.5%",
    }.items()
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One series: the call's arguments and the expected figure per report (by file stem)."""

    name: str
    indicator: str
    filters: dict[str, Any]
    expected: dict[str, str]


NATIONAL = {"level": "national", "year": NATIONAL_YEARS}
CASES = (
    Case("GDP growth target, State Council 2005-2025", "国内生产总值", NATIONAL, GDP_NATIONAL),
    Case("CPI target, State Council 2005-2025", "居民消费价格涨幅", NATIONAL, CPI_NATIONAL),
    Case("new urban jobs target, State Council 2005-2025", "城镇新增就业", NATIONAL, JOBS_NATIONAL),
    Case("GDP growth target, 31 provinces 2026", "地区生产总值", {"level": "province", "year": 2026},
         GDP_PROVINCES_2026),
)  # fmt: skip


@dataclass(frozen=True)
class Library:
    """The facts of the reports, with what a series needs beside them."""

    facts: list[Fact]
    documents: list[DocumentInfo]
    texts: dict[str, str]

    def stem(self, doc_id: str) -> str:
        return next(Path(d.source).stem for d in self.documents if d.doc_id == doc_id)

    def series(
        self, indicator: str, period: str = "plan", filters: dict[str, Any] | None = None
    ) -> list[Fact]:
        """``ReportQA.series`` over these reports."""
        return indicator_series(self.facts, self.documents, self.texts, indicator, period, filters)


def load_library(reports_dir: Path) -> Library:
    """Load every report and extract its facts, as ``report-qa facts --docs`` does."""
    documents = load_paths([reports_dir])
    infos = [d.info for d in documents]
    texts = {d.doc_id: d.text for d in documents}
    passages = [p for d in documents for p in build_passages(d, *PASSAGE_CHARS)]
    return Library(collect_facts(infos, texts, passages), infos, texts)


def figure(text: str) -> str:
    """A figure as written, with full-width characters, spaces and dash styles folded: 6.5%－7% -> 6.5%-7%."""
    folded = unicodedata.normalize("NFKC", text).replace(" ", "")
    return folded.translate(str.maketrans({"—": "-", "–": "-", "―": "-", "~": "-", "～": "-"}))


def measure(library: Library, case: Case) -> dict[str, Any]:
    """Precision (right points / points given) and recall (right points / reports with a target)."""
    points = library.series(case.indicator, "plan", case.filters)
    got = {library.stem(f.doc_id): f for f in points}
    right = [s for s, f in got.items() if case.expected.get(s) == figure(f.value_text)]
    wrong = {s: (f.value_text, f.indicator) for s, f in got.items() if s not in right}
    missing = sorted(set(case.expected) - set(got))
    return {
        "name": case.name,
        "indicator": case.indicator,
        "expected": len(case.expected),
        "points": len(points),
        "right": len(right),
        "precision": len(right) / len(points) if points else 0.0,
        "recall": len(right) / len(case.expected),
        "wrong": wrong,
        "missing": missing,
    }


def report(results: list[dict[str, Any]], seconds: float) -> str:
    lines = [
        "# Indicator series",
        "",
        '`ReportQA.series(indicator, period="plan", filters=...)` (qa/facts/series.py) over the 88',
        "reports of `shared/datasets/gov_reports`, against the targets written down from the texts",
        "(benchmarks/series.py; read by hand from each report's plan section, not by the code).",
        f"Reports loaded and facts extracted in {seconds:.1f} s (no model, no index).",
        "Not held out: the selection rules were written while reading these reports (2011's plan",
        "section quotes 2010's results, which made the 目标 cue and the review-word check).",
        "",
        "`python -m benchmarks.series`",
        "",
        "| series | indicator | reports | points | right | precision | recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['indicator']} | {r['expected']} | {r['points']} | {r['right']} "
            f"| {r['precision']:.2f} | {r['recall']:.2f} |"
        )
    lines.append("")
    for r in results:
        if r["wrong"] or r["missing"]:
            lines.append(f"- {r['name']}: wrong {r['wrong'] or 'none'}; missing {r['missing'] or 'none'}")
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--reports-dir", type=Path, default=DEFAULT_REPORTS_DIR)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "SERIES.md")
    args = parser.parse_args()
    started = time.perf_counter()
    library = load_library(args.reports_dir)
    seconds = time.perf_counter() - started
    results = [measure(library, case) for case in CASES]
    text = report(results, seconds)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
