"""How a reply looks in the chat: the outcome in words, the quote and its citation, the cited
passages, and the raw scores behind a toggle.

Three outcomes (``Answer.outcome``), each styled as what it is: 答案 (the quote, highlighted),
可能相关（请核对原文） (the best sentence, not highlighted as an answer) and 报告中没有 (the reason,
in Chinese; the nearest passages shown for reference, nothing highlighted). A comparison or a
two-part question (``Answer.parts``) shows one block per report or part. Pure functions; every piece
of document text is escaped by ``qa.apps.ui.render``'s helpers before it reaches the page.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from qa.apps.messages import not_found_reason, scope_notes, search_scored, shown_confidence
from qa.apps.ui.render import escape, mark_span, section_path
from qa.schema import PERIOD_LABELS, SHOWN_PERIODS, Answer, Passage, document_noun

# Not found: 报告中没有, or 文档中没有 (``document_noun`` of the nearest passage).
OUTCOME_WORDS = {"answer": "答案", "uncertain": "可能相关（请核对原文）"}


def citation(passage: Passage) -> str:
    """《报告》 › 章节, 第 X–Y 字: where the quoted sentence stands (the passage's span if none)."""
    where = " › ".join([f"《{passage.document}》", *[s for s in passage.section if s]])
    start, end = passage.highlight or (0, passage.end - passage.start)
    return f"{where}，第 {passage.start + start}–{passage.start + end} 字"


def _outcome_block(answer: Answer) -> str:
    """The words for the outcome, then the quote with its citation, or the reason there is none."""
    top = answer.passages[0] if answer.passages else None
    if answer.outcome == "not_found" or not answer.answer or top is None:
        noun = document_noun(p.document for p in answer.passages[:1])
        return (
            f'<div class="rq-none">{noun}中没有</div>'
            f'<div class="rq-hint">{escape(not_found_reason(answer.reason, noun))}</div>'
        )
    # Only 回顾 and 计划 tell a reader something: "其他" had tagged every sentence of an article.
    period = f" · {PERIOD_LABELS[top.period]}" if top.period in SHOWN_PERIODS else ""
    source = f'<div class="rq-source">—— {escape(citation(top))}{period}</div>'
    # One item that is the quote itself lists nothing more (the page had shown the sentence twice).
    listed = [] if [item.text for item in answer.items] == [answer.answer] else answer.items
    below_quote = _items_list(listed) + source
    if answer.outcome == "answer":
        return (
            f'<div class="rq-lead rq-lead-answer">{OUTCOME_WORDS["answer"]}（原文摘录）</div>'
            f'<blockquote class="rq-quote"><mark>{escape(answer.answer)}</mark></blockquote>{below_quote}'
        )
    return (
        f'<div class="rq-lead rq-lead-maybe">{OUTCOME_WORDS["uncertain"]}</div>'
        f'<blockquote class="rq-quote rq-maybe">{escape(answer.answer)}</blockquote>{below_quote}'
    )


def _items_list(items: list[Passage]) -> str:
    """The items the quoted sentence announces (headings, or sentences counting off 一是…), each with
    where it stands in the report."""
    if not items:
        return ""
    rows = "".join(
        f'<li>{escape(item.text)}<span class="rq-item-where">第 {item.start}–{item.end} 字</span></li>'
        for item in items
    )
    return f'<div class="rq-items-lead">包括：</div><ul class="rq-items">{rows}</ul>'


def _part_label(part: Answer) -> str:
    """A comparison's part is labelled by its report; a two-part question's by the part asked."""
    return str(part.reason.get("report") or part.question)


def copy_text(answer: Answer) -> str:
    """What the copy button copies: each quoted answer with its citation, one per line."""
    lines = []
    for part in answer.parts or [answer]:
        if part.found and part.answer and part.passages:
            label = f"{_part_label(part)}：" if answer.parts else ""
            items = "".join(f"\n{item.text}" for item in part.items)
            lines.append(f"{label}{part.answer}{items}\n——{citation(part.passages[0])}")
    return "\n".join(lines)


def render_passage(number: int, passage: Passage, context: str | None, outcome: str) -> str:
    """One cited passage as a card: report, period, section path, text, context on demand.

    The answer span is highlighted only for an answer; for 可能相关 it is underlined, and for a
    refusal it is not marked at all, so the nearest sentence never looks like an answer.
    """
    period, shown = passage.period, passage.period in SHOWN_PERIODS
    path = section_path(passage)
    span = passage.highlight if outcome != "not_found" else None
    tag = "mark" if outcome == "answer" else "u"
    parts = [
        '<div class="rq-card">',
        '<div class="rq-card-head">',
        f'<span class="rq-num">[{number}]</span>',
        f'<span class="rq-doc">{escape(passage.document)}</span>',
        f'<span class="rq-badge rq-period-{period}">{PERIOD_LABELS[period]}</span>' if shown else "",
        "</div>",
        f'<div class="rq-path">{escape(path)}</div>' if path else "",
        f'<div class="rq-text">{mark_span(passage.text, span, tag)}</div>',
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


def _context_html(passage: Passage, context: str) -> str:
    """The surrounding text, with the passage itself set apart so the eye finds it."""
    at = context.find(passage.text)
    if at < 0:  # a context that does not contain the passage verbatim: show it plain
        return escape(context)
    end = at + len(passage.text)
    return f'{escape(context[:at])}<span class="rq-here">{escape(passage.text)}</span>{escape(context[end:])}'


def _details(answer: Answer) -> str:
    """The raw numbers, folded away: they read like odds to a resident, so words come first."""
    rows = [f"置信度 {shown_confidence(answer.confidence):.2f}（模型估计这句话回答了问题的概率）"]
    rows += [f"{_part_label(p)}：置信度 {shown_confidence(p.confidence):.2f}" for p in answer.parts]
    if answer.reason.get("calibrated") is False:
        rows.append("当前模型未经校准，置信度仅供参考。")
    passages = enumerate(answer.passages, start=1)
    rows += [f"[{n}] 检索得分 {p.score:.4f}" for n, p in passages if search_scored(answer, p)]
    body = "".join(f"<div>{escape(row)}</div>" for row in rows)
    numbers = f'<div class="rq-numbers">{body}</div>'
    return f'<details class="rq-details"><summary>评分细节</summary>{numbers}</details>'


def render_answer(
    answer: Answer, context: Callable[[Passage], str] | None = None, notes: list[str] | None = None
) -> str:
    """A whole reply as one line of HTML: notes, the outcome (per part), the copy button, cards.

    ``context(passage)`` gives the surrounding text shown under each card; None leaves it out.
    ``notes`` are said first (e.g. that a report is being added and not yet searched).
    """
    passages = list(answer.passages)
    parts = [f'<div class="rq-reply rq-outcome-{answer.outcome}">']
    parts += [
        f'<div class="rq-note">{escape(n)}</div>' for n in [*(notes or []), *scope_notes(answer.reason)]
    ]
    if answer.parts:
        for part in answer.parts:
            parts.append(
                f'<div class="rq-part rq-outcome-{part.outcome}">'
                f'<div class="rq-part-label">{escape(_part_label(part))}</div>{_outcome_block(part)}</div>'
            )
    else:
        parts.append(_outcome_block(answer))
    copy = copy_text(answer)
    if copy:
        # The text rides along hidden (Gradio's sanitizer drops data-* attributes); static/page.js copies it.
        parts.append(
            f'<span class="rq-copy-source">{html.escape(copy)}</span>'
            '<button type="button" class="rq-copy">复制答案和出处</button>'
        )
    if not passages and answer.outcome == "not_found":
        parts.append('<div class="rq-hint">可以放宽「检索范围」的筛选，或换个说法再问。</div>')
    # A card is styled by the outcome of the part whose best passage it is (one part may be an
    # answer and the other 可能相关).
    outcome_of = {p.passages[0].passage_id: p.outcome for p in answer.parts if p.passages}
    cards = [
        render_passage(n, p, context(p) if context else None, outcome_of.get(p.passage_id, answer.outcome))
        for n, p in enumerate(passages, start=1)
    ]
    title = "出处" if answer.outcome != "not_found" else "最相近的段落（仅供参考，不是答案）"
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
    parts += [_details(answer), "</div>"]
    return "".join(parts).replace("\n", "&#10;")


def render_error(message: str) -> str:
    """A bad question's reply: the Chinese reason, escaped (it may quote the input)."""
    return f'<div class="rq-reply rq-error">这个问题无法处理：{escape(message)}</div>'
