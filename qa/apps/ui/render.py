"""What the web interface shows: answer cards, passages, the document list and the filters' choices,
the key-figure table and chart.

Pure functions of the records in ``qa.schema`` and ``qa.facts``; ``qa.apps.ui.app`` wires them to
Gradio. Every piece of document text is HTML-escaped here before it reaches the page: uploaded
documents are untrusted, and Gradio's own sanitizer is a second line of defence, not the first.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import pandas as pd

from qa.facts import Fact
from qa.schema import PERIOD_LABELS, Answer, DocumentInfo, Passage

NOT_FOUND = "报告中没有找到可靠的答案"
LEVEL_LABELS = {"national": "国家", "province": "省级", "city": "市级", "county": "县级", "town": "乡镇"}
FACT_HEADERS = ["编号", "指标", "数值", "变化", "变化率(%)", "时期", "年份", "出处"]
FACT_TYPES = ["number", "str", "str", "str", "number", "str", "number", "str"]
MAX_CHART_BARS = 30  # more bars than this are unreadable at laptop width
FACTS_HINT = '<p class="rq-side-note">点选表格中的一行，可在这里看到该数据的原文出处。</p>'


# ---------------------------------------------------------------- answers and passages


def _escape(text: str) -> str:
    """HTML-escape document text and keep its line breaks (as <br>, never a raw newline).

    A raw newline could end the HTML block in the chat's Markdown renderer, after which the rest of
    the document text would be read as Markdown; one line of HTML stays HTML.
    """
    return html.escape(text).replace("\r", "").replace("\n", "<br>")


def mark_span(text: str, span: tuple[int, int] | None) -> str:
    """``text`` as escaped HTML with ``span`` (character offsets) wrapped in <mark>."""
    if not span:
        return _escape(text)
    start, end = max(0, span[0]), min(len(text), span[1])
    if start >= end:
        return _escape(text)
    return f"{_escape(text[:start])}<mark>{_escape(text[start:end])}</mark>{_escape(text[end:])}"


def section_path(passage: Passage) -> str:
    """The passage's section headings joined with " › " (empty for text before any heading)."""
    return " › ".join(s for s in passage.section if s)


def _context_html(passage: Passage, context: str) -> str:
    """The surrounding text, with the passage itself set apart so the eye finds it."""
    at = context.find(passage.text)
    if at < 0:  # a context that does not contain the passage verbatim: show it plain
        return _escape(context)
    end = at + len(passage.text)
    return (
        f'{_escape(context[:at])}<span class="rq-here">{_escape(passage.text)}</span>{_escape(context[end:])}'
    )


def render_passage(number: int, passage: Passage, context: str | None = None) -> str:
    """One cited passage as a card: title, period, score, section path, text, context on demand."""
    period = passage.period if passage.period in PERIOD_LABELS else "other"
    path = section_path(passage)
    parts = [
        '<div class="rq-card">',
        '<div class="rq-card-head">',
        f'<span class="rq-num">[{number}]</span>',
        f'<span class="rq-doc">{_escape(passage.document)}</span>',
        f'<span class="rq-badge rq-period-{period}">{PERIOD_LABELS[period]}</span>',
        f'<span class="rq-score" title="检索得分">得分 {passage.score:.4f}</span>',
        "</div>",
        f'<div class="rq-path">{_escape(path)}</div>' if path else "",
        f'<div class="rq-text">{mark_span(passage.text, passage.highlight)}</div>',
    ]
    if context:
        parts += [
            "<details>",
            f"<summary>查看上下文 · 原文第 {passage.start}–{passage.end} 字</summary>",
            f'<div class="rq-context">{_context_html(passage, context)}</div>',
            "</details>",
        ]
    parts.append("</div>")
    return "".join(parts)


def _answer_source(passage: Passage) -> str:
    """ "—— 《title》 › section · period", the line under the quoted answer."""
    where = " › ".join([f"《{passage.document}》", *[s for s in passage.section if s]])
    period = PERIOD_LABELS.get(passage.period, PERIOD_LABELS["other"])
    return f'<div class="rq-source">—— {_escape(where)} · {period} · 见 [1]</div>'


def render_answer(answer: Answer, context: Callable[[Passage], str] | None = None) -> str:
    """A whole reply as one line of HTML: the quoted answer (or the plain "not found"), then cards.

    ``context(passage)`` gives the surrounding text shown under each card; None leaves it out.
    """
    passages = list(answer.passages)
    parts = ['<div class="rq-reply">']
    if answer.found and answer.answer and passages:
        parts += [
            '<div class="rq-lead">答案（原文摘录）</div>',
            f'<blockquote class="rq-quote"><mark>{_escape(answer.answer)}</mark></blockquote>',
            _answer_source(passages[0]),
        ]
        title = "出处"
    else:
        parts.append(f'<div class="rq-none">{NOT_FOUND}。</div>')
        if passages:
            parts.append('<div class="rq-hint">以下是最相近的段落，仅供参考：</div>')
        else:
            parts.append('<div class="rq-hint">当前检索范围内没有段落，可以放宽「检索范围」的筛选。</div>')
        title = "最相近的段落"
    cards = [render_passage(n, p, context(p) if context else None) for n, p in enumerate(passages, start=1)]
    if cards:
        parts += [f'<div class="rq-cards-title">{title}</div>', cards[0]]
    if len(cards) > 1:
        # The rest fold away: a reply of five full passages would push the answer off the screen.
        parts += [
            '<details class="rq-more">',
            f"<summary>另外 {len(cards) - 1} 个相关段落</summary>",
            *cards[1:],
            "</details>",
        ]
    parts.append("</div>")
    return "".join(parts)


def render_error(message: str) -> str:
    """A bad question's reply: the one-line reason, escaped (it may quote the input)."""
    return f'<div class="rq-reply rq-error">这个问题无法处理：{_escape(message)}</div>'


# ---------------------------------------------------------------- documents


def render_documents(documents: Sequence[DocumentInfo]) -> str:
    """The 文档 list: one card per indexed document with its metadata (wraps at phone width)."""
    if not documents:
        return '<div class="rq-docs-empty">索引中还没有报告。</div>'
    cards = []
    for d in documents:
        facts = [
            ("地区", d.region),
            ("年份", str(d.year) if d.year is not None else None),
            ("级别", LEVEL_LABELS.get(d.level or "")),
            ("发布机构", d.issuer),
            ("日期", d.date),
            ("字数", f"{d.chars:,}"),
            ("文件", d.source),
        ]
        chips = "".join(
            f'<span class="rq-fact"><span class="rq-fact-key">{key}</span>{_escape(value)}</span>'
            for key, value in facts
            if value
        )
        cards.append(
            '<div class="rq-doc-card">'
            f'<div class="rq-doc-title">{_escape(d.title)}</div>'
            f'<div class="rq-facts">{chips}</div>'
            f'<div class="rq-doc-id">ID {_escape(d.doc_id)}</div>'
            "</div>"
        )
    return f'<div class="rq-doc-list">{"".join(cards)}</div>'


def document_choices(documents: Sequence[DocumentInfo]) -> list[tuple[str, str]]:
    """(label, doc_id) for the document filter; a repeated title gets its file name to tell them apart."""
    titles = [d.title for d in documents]
    return [
        (d.title if titles.count(d.title) == 1 else f"{d.title}（{d.source}）", d.doc_id) for d in documents
    ]


def year_choices(documents: Sequence[DocumentInfo]) -> list[int]:
    """The years of the year filter, newest first."""
    return sorted({d.year for d in documents if d.year is not None}, reverse=True)


def region_choices(documents: Sequence[DocumentInfo]) -> list[str]:
    """The regions of the region filter, sorted."""
    return sorted({d.region for d in documents if d.region})


def header_html(documents: Sequence[DocumentInfo]) -> str:
    """The page header: the title, the promise, and which reports are indexed."""
    if not documents:
        indexed = "索引中还没有报告，请在「文档」页上传。"
    elif len(documents) == 1:
        indexed = f"当前报告：《{_escape(documents[0].title)}》"
    else:
        indexed = f"当前共 {len(documents)} 份报告，最新加入：《{_escape(documents[-1].title)}》"
    return (
        '<div id="rq-header"><h1>政府工作报告问答</h1>'
        "<p>答案逐字摘自报告原文并注明出处；报告里没有的，就直说没有。</p>"
        f'<p class="rq-docs">{indexed}</p></div>'
    )


def md_escape(text: str) -> str:
    """Text for a Markdown line: HTML-escaped, and Markdown punctuation neutralized."""
    escaped = html.escape(text.replace("\n", " "), quote=False)
    for char in "\\`*_[]()#!|~":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


# ---------------------------------------------------------------- 关键数据 (key figures)


def _fact_value(fact: Fact) -> str:
    """The figure as written, with a qualifier (左右, 以上, 超过 …) that is not part of it already."""
    if fact.qualifier and fact.qualifier not in fact.value_text:
        return f"{fact.value_text}（{fact.qualifier}）"
    return fact.value_text


def facts_table(facts: Sequence[Fact]) -> pd.DataFrame:
    """The 关键数据 table: one row per fact, numbered from 1 in ``facts`` order.

    The number is what a selected row is looked up by, so it stays right when the table is sorted.
    The source names the document only when the table holds more than one.
    """
    several = len({f.doc_id for f in facts}) > 1
    rows = []
    for number, f in enumerate(facts, start=1):
        where = f.section[-1] if f.section else "（开头或结尾）"
        rows.append(
            [
                number,
                f.indicator,
                _fact_value(f),
                f.change or "",
                f.change_pct,
                PERIOD_LABELS.get(f.period, PERIOD_LABELS["other"]),
                f.year,
                f"《{f.document}》 {where}" if several else where,
            ]
        )
    return pd.DataFrame(rows, columns=FACT_HEADERS)


def growth_chart(facts: Sequence[Fact]) -> pd.DataFrame:
    """Growth rates by indicator, review next to plan: one bar per (indicator, period), the first one.

    Indicators with both a review and a plan rate come first (the comparison the chart is for),
    then the rest in text order, up to ``MAX_CHART_BARS``. The x label carries the period, so
    review and plan bars of one indicator stand side by side instead of stacking into a sum.
    """
    first: dict[tuple[str, str], Fact] = {}
    for f in facts:
        if f.change_pct is not None and f.period in ("review", "plan"):
            first.setdefault((f.indicator, f.period), f)
    indicators = list(dict.fromkeys(indicator for indicator, _ in first))
    both = [i for i in indicators if (i, "review") in first and (i, "plan") in first]
    chosen: list[tuple[str, str]] = []
    for indicator in both + [i for i in indicators if i not in both]:
        chosen += [key for key in ((indicator, "review"), (indicator, "plan")) if key in first]
    rows = []
    for indicator, period in chosen[:MAX_CHART_BARS]:
        label = PERIOD_LABELS[period]
        rows.append(
            {"指标": f"{indicator}·{label}", "增速(%)": first[indicator, period].change_pct, "时期": label}
        )
    return pd.DataFrame(rows, columns=["指标", "增速(%)", "时期"])


def render_fact_source(fact: Fact) -> str:
    """The fact's sentence with the figure marked, and where it stands (document, section, period, year)."""
    span = (fact.start - fact.sentence_start, fact.end - fact.sentence_start)
    where = " › ".join([f"《{fact.document}》", *fact.section])
    period = PERIOD_LABELS.get(fact.period, PERIOD_LABELS["other"])
    year = f" · {fact.year}年" if fact.year else ""
    return (
        f'<div class="rq-fact-sentence">{mark_span(fact.sentence, span)}</div>'
        f'<div class="rq-fact-where">{_escape(where)} · {period}{year} · '
        f"原文第 {fact.start}–{fact.end} 字</div>"
    )
