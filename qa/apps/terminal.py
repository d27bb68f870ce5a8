"""Replies and figures as terminal text: the CLI's ``ask`` and ``facts`` output."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from qa.apps.messages import not_found_reason, scope_notes, search_scored, shown_confidence
from qa.facts import Fact
from qa.schema import PERIOD_LABELS, SHOWN_PERIODS, Answer, document_noun


def _verdict(answer: Answer, passages_follow: bool = True) -> str:
    """The first line of a reply: the outcome in words, how sure, the quoted sentence or the reason
    (and, when ``passages_follow``, the words that lead to the nearest passages)."""
    sure = f"把握 {shown_confidence(answer.confidence):.0%}"
    if answer.outcome == "answer" and answer.answer:
        return f"答案 ({sure}): {answer.answer}"
    if answer.outcome == "uncertain" and answer.answer:
        return f"可能相关 ({sure}，请核对原文): {answer.answer}"
    noun = document_noun(p.document for p in answer.passages[:1])
    lead = "最相近的段落：" if passages_follow else ""
    return f"{noun}中没有：{not_found_reason(answer.reason, noun)}{lead}"


def _item_lines(answer: Answer) -> list[str]:
    """The headings the quoted sentence announces, one line each with where it stands."""
    return [f"  · {item.text} (字符 {item.start}–{item.end})" for item in answer.items]


def format_answer(answer: Answer) -> str:
    """A reply as readable text: the quoted answer, then the cited passages with the span marked.

    The headings a quoted sentence announces follow it, one line each with their offsets. A
    comparison or two-part question shows one verdict line per part first."""
    lines = [_verdict(answer), *_item_lines(answer)]
    lines += [f"  ({note})" for note in scope_notes(answer.reason)]
    for part in answer.parts:
        label = part.reason.get("report") or part.question
        lines += [f"  【{label}】 {_verdict(part, passages_follow=False)}", *_item_lines(part)]
    for number, p in enumerate(answer.passages, start=1):
        path = " › ".join([p.document, *p.section])
        lines.append(f"\n[{number}] {path}")
        score = f"得分 {p.score:.4f} · " if search_scored(answer, p) else ""
        period = f"{PERIOD_LABELS[p.period]} · " if p.period in SHOWN_PERIODS else ""
        lines.append(f"    {period}{score}字符 {p.start}–{p.end}")
        text = p.text
        if p.highlight:
            s, e = p.highlight
            text = f"{text[:s]}【{text[s:e]}】{text[e:]}"
        lines.append("    " + text.replace("\n", "\n    "))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str, width: int) -> str:
    """``text`` clipped (with …) and padded to ``width`` terminal columns."""
    if _width(text) > width:
        while text and _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _width(text))


FACT_COLUMNS = (("指标", 30), ("数值", 18), ("变化", 18), ("时期", 6), ("年份", 6), ("章节", 0))


def format_facts(facts: Sequence[Fact]) -> str:
    """Facts as a table, one block per document: indicator, value as written, change, period,
    year and section (its innermost heading)."""
    if not facts:
        return "没有找到数据。"
    header = "  ".join(_cell(name, width) if width else name for name, width in FACT_COLUMNS)
    lines: list[str] = []
    for i, fact in enumerate(facts):
        if i == 0 or fact.doc_id != facts[i - 1].doc_id:
            count = sum(f.doc_id == fact.doc_id for f in facts)
            lines += [""] if i else []
            lines += [f"《{fact.document}》 {fact.doc_id} · {count} 项数据", header]
        value = fact.value_text
        if fact.qualifier and fact.qualifier not in value:  # 多/余 are part of the figure already
            value += f"（{fact.qualifier}）"
        cells = (fact.indicator, value, fact.change or "", PERIOD_LABELS[fact.period], str(fact.year or ""))
        section = fact.section[-1] if fact.section else ""
        lines.append("  ".join(_cell(c, w) for c, (_, w) in zip(cells, FACT_COLUMNS, strict=False)) + section)
    return "\n".join(lines)
