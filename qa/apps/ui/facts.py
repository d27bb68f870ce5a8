"""The 关键数据 tab: the reports' figures as a table (headline indicators first, signed changes, a row
click shows its source sentence), a growth chart naming each bar's report, and an indicator's series
over the years (``ReportQA.series``) drawn as a line whose points open their source sentence.

The series chart is plain SVG in a ``gr.HTML``: every point carries its report's name and its source
sentence is already in the page, so a click (handled by ``static/page.js``) needs no round trip.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import gradio as gr
import pandas as pd

from qa.api import ReportQA
from qa.apps.messages import explain_error
from qa.apps.ui.assets import COLUMN_WIDTHS, PRIVATE
from qa.apps.ui.render import document_choices, escape, mark_span
from qa.errors import ReportQAError
from qa.facts import Fact
from qa.facts.series import FAMILIES
from qa.schema import PERIOD_LABELS, DocumentInfo

FACT_HEADERS = ["编号", "指标", "数值", "变化", "变化率(%)", "时期", "年份", "出处"]
FACT_TYPES = ["number", "str", "str", "str", "number", "str", "number", "str"]
MAX_CHART_BARS = 30  # more bars than this are unreadable at laptop width
FACTS_HINT = '<p class="rq-side-note">点选表格中的一行，可在这里看到该数据的原文出处。</p>'
# What a resident looks for first; everything else (pandemic counts, rooms renovated) follows.
HEADLINES = ("生产总值", "经济", "财政", "一般公共预算", "投资", "消费", "就业", "失业", "居民消费价格",
             "收入", "工业", "进出口", "外贸", "粮食")  # fmt: skip
SERIES_INDICATORS = [family[0] for family in FAMILIES]
ALL_DOCUMENTS = ""  # the document filter's "all" value
FACT_PERIODS = {PERIOD_LABELS[p]: p for p in ("review", "plan")}  # the 时期 choices (and 全部)


def headline_first(facts: Sequence[Fact]) -> list[Fact]:
    """``facts`` with the headline indicators first (in ``HEADLINES`` order), else in text order."""

    def rank(fact: Fact) -> int:
        return next((i for i, word in enumerate(HEADLINES) if word in fact.indicator), len(HEADLINES))

    return sorted(facts, key=rank)  # stable: text order within a rank


def short_name(document: str) -> str:
    """A report's name short enough for a chart label: 《2024年国务院政府工作报告》 -> 2024年国务院."""
    name = document.strip("《》")
    for word in ("政府工作报告", "人民政府", "工作报告"):
        name = name.replace(word, "")
    return name or document


def fact_value(fact: Fact) -> str:
    """The figure as written, signed when it is itself a change (下降3.3% -> -3.3%), with its qualifier."""
    text = fact.value_text
    if fact.kind == "growth" and fact.change_pct is not None and text[:1] not in "+-−":
        text = f"{'-' if fact.change_pct < 0 else '+'}{text}"
    if fact.qualifier and fact.qualifier not in text:
        return f"{text}（{fact.qualifier}）"
    return text


def facts_table(facts: Sequence[Fact]) -> pd.DataFrame:
    """The table: one row per fact, numbered from 1 in ``facts`` order (a clicked row is looked up by
    its number, which sorting does not change). The source names the report when there are several."""
    several = len({f.doc_id for f in facts}) > 1
    rows = []
    for number, f in enumerate(facts, start=1):
        where = f.section[-1] if f.section else "（开头或结尾）"
        period = PERIOD_LABELS.get(f.period, PERIOD_LABELS["other"])
        source = f"《{f.document}》 {where}" if several else where
        rows.append(
            [number, f.indicator, fact_value(f), f.change or "", f.change_pct, period, f.year, source]
        )
    return pd.DataFrame(rows, columns=FACT_HEADERS)


def growth_chart(facts: Sequence[Fact]) -> pd.DataFrame:
    """Growth rates, review next to plan: one bar per (report, indicator, period), the first one.

    Indicators with both a review and a plan rate come first, up to ``MAX_CHART_BARS``. The label
    carries the period and, with several reports, the report, so no bar is anonymous.
    """
    several = len({f.doc_id for f in facts}) > 1
    first: dict[tuple[str, str, str], Fact] = {}
    for f in facts:
        if f.change_pct is not None and f.period in ("review", "plan"):
            first.setdefault((f.doc_id, f.indicator, f.period), f)
    keys = list(dict.fromkeys((doc, indicator) for doc, indicator, _ in first))
    both = [k for k in keys if (*k, "review") in first and (*k, "plan") in first]
    chosen = [(*k, p) for k in both + [k for k in keys if k not in both] for p in ("review", "plan")]
    rows = []
    for key in [k for k in chosen if k in first][:MAX_CHART_BARS]:
        fact, label = first[key], PERIOD_LABELS[key[2]]
        name = f"{short_name(fact.document)}·{fact.indicator}" if several else fact.indicator
        rows.append({"指标": f"{name}·{label}", "增速(%)": fact.change_pct, "时期": label})
    return pd.DataFrame(rows, columns=["指标", "增速(%)", "时期"])


def render_fact_source(fact: Fact) -> str:
    """The fact's sentence with the figure marked, and where it stands (document, section, period, year)."""
    span = (fact.start - fact.sentence_start, fact.end - fact.sentence_start)
    where = " › ".join([f"《{fact.document}》", *fact.section])
    period = PERIOD_LABELS.get(fact.period, PERIOD_LABELS["other"])
    year = f" · {fact.year}年" if fact.year else ""
    return (
        f'<div class="rq-fact-sentence">{mark_span(fact.sentence, span)}</div>'
        f'<div class="rq-fact-where">{escape(where)} · {period}{year} · '
        f"原文第 {fact.start}–{fact.end} 字</div>"
    )


def series_chart(points: Sequence[Fact], indicator: str, regions: Mapping[str, str] | None = None) -> str:
    """An indicator over the reports as SVG: one labelled point per report, each opening its sentence.
    A line joins the points of one place only (``regions``: a document's region by doc_id): the State
    Council's targets and a province's are no one series."""
    if not points:
        return f'<p class="rq-side-note">已索引的文档里没有找到「{escape(indicator)}」的年度数据。</p>'
    step, left, top, plot_h, label_h = 72, 40, 28, 160, 70
    width, height = left + step * len(points), top + plot_h + label_h
    low, high = min(p.value for p in points), max(p.value for p in points)
    spread = (high - low) or 1.0

    def y(value: float) -> float:
        return top + plot_h - (value - low) / spread * (plot_h - 20) - 10

    xy = [(left + step * i + step / 2, y(p.value)) for i, p in enumerate(points)]
    places: dict[str, list[tuple[float, float]]] = {}
    for p, point in zip(points, xy, strict=True):
        places.setdefault((regions or {}).get(p.doc_id, ""), []).append(point)
    lines = "".join(
        '<polyline points="{}"></polyline>'.format(" ".join(f"{x:.0f},{yy:.0f}" for x, yy in own))
        for own in places.values()
        if len(own) > 1
    )
    marks = []
    for i, (p, (x, yy)) in enumerate(zip(points, xy, strict=True)):
        name = short_name(p.document)
        marks.append(
            f'<g class="rq-point" data-rq-point="{i}" tabindex="0" role="button">'
            f"<title>《{escape(p.document)}》 {escape(fact_value(p))}</title>"
            f'<circle cx="{x:.0f}" cy="{yy:.0f}" r="6"></circle>'
            f'<text x="{x:.0f}" y="{yy - 11:.0f}" text-anchor="middle">{escape(fact_value(p))}</text>'
            f'<text class="rq-point-name" x="{x:.0f}" y="{top + plot_h + 14}" text-anchor="end" '
            f'transform="rotate(-35 {x:.0f} {top + plot_h + 14})">{escape(name)}</text></g>'
        )
    sources = "".join(
        f'<div class="rq-series-source" data-i="{i}" hidden>{render_fact_source(p)}</div>'
        for i, p in enumerate(points)
    )
    return (
        f'<div class="rq-series"><div class="rq-series-scroll">'
        f'<svg class="rq-series-svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(indicator)}历年走势">{lines}'
        f"{''.join(marks)}</svg></div>"
        '<p class="rq-side-note">点图上的点，可看到该数据的原文出处。</p>'
        f"{sources}</div>"
    )


# ---------------------------------------------------------------- the tab


def _document_choices(documents: Sequence[DocumentInfo]) -> list[tuple[str, str]]:
    return [("全部文档", ALL_DOCUMENTS), *document_choices(documents)]


def _default_document(documents: Sequence[DocumentInfo]) -> str:
    # With many reports the table of all of them is long and the chart a crowd: start with one.
    return ALL_DOCUMENTS if len(documents) <= 3 else documents[0].doc_id


def _view(bot: ReportQA, doc_id: str | None, period: str | None) -> tuple[list[dict], Any, Any, str]:
    """(facts shown, table, chart, source hint) for the chosen document and period."""
    facts = headline_first(bot.facts(doc_id=doc_id or None, period=FACT_PERIODS.get(period or "")))
    return [f.to_dict() for f in facts], facts_table(facts), growth_chart(facts), FACTS_HINT


def _series(bot: ReportQA, indicator: str | None, period: str | None) -> str:
    indicator = (indicator or "").strip()
    try:
        points = bot.series(indicator, period=FACT_PERIODS.get(period or "", "plan"))
    except ReportQAError as exc:
        return f'<p class="rq-error">{escape(explain_error(exc)[1])}</p>'
    return series_chart(points, indicator, {d.doc_id: d.region or "" for d in bot.documents})


def facts_tab(bot: ReportQA, tab: gr.Tab) -> None:
    """The table, the growth chart, the source of a chosen row, and the series over the years."""
    documents = bot.documents
    default = _default_document(documents)
    shown, table, chart, hint = _view(bot, default, None)
    with gr.Row(equal_height=True):
        doc = gr.Dropdown(
            _document_choices(documents), value=default, label="文档", scale=3, elem_id="rq-facts-doc"
        )
        period = gr.Radio(
            ["全部", *FACT_PERIODS], value="全部", label="时期", scale=2, elem_id="rq-facts-period"
        )
    facts_state = gr.State(shown)  # the facts behind the rows, by row number - 1
    grid = gr.Dataframe(
        table,
        headers=FACT_HEADERS,
        datatype=FACT_TYPES,
        interactive=False,
        wrap=True,
        max_height=460,
        column_widths=[f"{w}%" for w in COLUMN_WIDTHS],
        show_search="none",  # its box and tooltips are English; the 报告/时期 choices narrow instead
        buttons=[],
        label="关键数据（重点指标在前；表头的 ⋮ 菜单可排序，点一行看原文）",
        elem_id="rq-facts-table",
    )
    source = gr.HTML(hint, elem_id="rq-facts-source", padding=False)
    plot = gr.BarPlot(
        chart,
        x="指标",
        y="增速(%)",
        color="时期",
        color_map={PERIOD_LABELS["review"]: "#2563eb", PERIOD_LABELS["plan"]: "#059669"},  # as in ui.css
        title="增速：回顾与计划",
        x_label_angle=-40,
        sort=None,
        height=360,
        buttons=[],
        elem_id="rq-facts-chart",
    )
    gr.Markdown("#### 指标历年走势")
    with gr.Row(equal_height=True):
        indicator = gr.Dropdown(
            SERIES_INDICATORS,
            value=SERIES_INDICATORS[0],
            allow_custom_value=True,
            label="指标（可输入）",
            scale=3,
            elem_id="rq-series-indicator",
        )
        series_period = gr.Radio(list(FACT_PERIODS), value=PERIOD_LABELS["plan"], label="时期", scale=2,
                                 elem_id="rq-series-period")  # fmt: skip
    series = gr.HTML(
        _series(bot, SERIES_INDICATORS[0], PERIOD_LABELS["plan"]), elem_id="rq-series", padding=False
    )
    outputs = [facts_state, grid, plot, source]

    def show(doc_id: str | None, chosen: str | None) -> tuple[list[dict], Any, Any, str]:
        return _view(bot, doc_id, chosen)

    def refresh(doc_id: str | None, chosen: str | None, name: str | None, when: str | None) -> tuple:
        # Reports may have been added or removed since the page was built: read the index again.
        current = bot.documents
        known = {d.doc_id for d in current}
        doc_id = doc_id if doc_id in known or doc_id == ALL_DOCUMENTS else _default_document(current)
        menu = gr.Dropdown(choices=_document_choices(current), value=doc_id)
        return menu, *show(doc_id, chosen), _series(bot, name, when)

    def draw(name: str | None, when: str | None) -> str:
        return _series(bot, name, when)

    doc.change(show, [doc, period], outputs, **PRIVATE)
    period.change(show, [doc, period], outputs, **PRIVATE)
    tab.select(refresh, [doc, period, indicator, series_period], [doc, *outputs, series], **PRIVATE)
    indicator.change(draw, [indicator, series_period], series, **PRIVATE)
    series_period.change(draw, [indicator, series_period], series, **PRIVATE)
    grid.select(_select_fact, [facts_state], source, **PRIVATE)


def _select_fact(shown: list[dict] | None, evt: gr.SelectData) -> str:
    """The source of the row clicked: found by its number, which sorting does not change."""
    row = evt.row_value or []
    try:
        fact = Fact(**(shown or [])[int(row[0]) - 1])
    except (IndexError, TypeError, ValueError):
        return FACTS_HINT
    return render_fact_source(fact)
