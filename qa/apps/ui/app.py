"""The web interface: a Chinese chat over the indexed reports, built with Gradio.

``build_ui(bot)`` returns the ``gr.Blocks``; ``ui_assets()`` the theme and CSS that go with it
(Gradio 6 takes those at launch or mount time, not in ``gr.Blocks``). ``qa.apps.server`` mounts both.

Every piece of document text is HTML-escaped here before it reaches the page: uploaded documents
are untrusted, and Gradio's own sanitizer is a second line of defence, not the first.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from qa.api import ReportQA
from qa.errors import ReportQAError
from qa.facts import Fact
from qa.ingest.uploads import add_upload
from qa.schema import Answer, DocumentInfo, Passage
from qa.settings import MAX_QUESTION_CHARS

DEFAULT_K = 5
MAX_K = 20
CONTEXT_CHARS = 200  # characters of surrounding text shown under "上下文"
UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".pdf", ".docx"]

NOT_FOUND = "报告中没有找到可靠的答案"
PERIOD_LABELS = {"review": "回顾", "plan": "计划", "other": "其他"}
LEVEL_LABELS = {"national": "国家", "province": "省级", "city": "市级", "county": "县级", "town": "乡镇"}
EXAMPLE_QUESTIONS = [
    "2022年财政总收入是多少？",
    "今年要建消防站吗？",
    "去年规上工业产值有多少？",
    "How much went into river works?",
]

# System fonts only: the page must work offline, so nothing may come from a font CDN.
# Latin faces first (nicer digits and letters), then the usual CJK faces of each platform.
SANS_FONTS = [
    "Segoe UI",
    "Helvetica Neue",
    "Arial",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "sans-serif",
]
MONO_FONTS = ["SFMono-Regular", "Consolas", "Liberation Mono", "Noto Sans Mono CJK SC", "monospace"]

CSS = """
.gradio-container { width: 100% !important; max-width: 1180px !important; margin: 0 auto !important; }
#rq-header { padding: 6px 2px 2px; }
#rq-header h1 { font-size: 1.55rem; margin: 0 0 4px; font-weight: 700; letter-spacing: .02em; }
#rq-header p { margin: 0; color: var(--body-text-color-subdued); font-size: .95rem; }
#rq-header .rq-docs { margin-top: 4px; font-size: .85rem; }
.rq-reply { line-height: 1.7; overflow-wrap: anywhere; }
#rq-chat .message-wrap .prose.chatbot.md { opacity: 1; }  /* Gradio dims message text to .8 */
/* Replies carry cards: let them use the chat's width instead of a narrow chat bubble. */
#rq-chat .message-row.bot-row { max-width: calc(100% - 24px) !important; }
#rq-chat .message-row.user-row { margin-right: 44px !important; }  /* clear of the 🗑 button */
.rq-lead { font-size: .8rem; font-weight: 600; color: var(--body-text-color-subdued); margin-bottom: 2px; }
.rq-reply .rq-quote { font-size: 1.05rem; margin: 2px 0 4px !important; padding: 8px 12px;
  border-left: 4px solid #f5b300;
  background: var(--background-fill-secondary); border-radius: 0 8px 8px 0; }
.rq-source { font-size: .82rem; color: var(--body-text-color-subdued); margin-bottom: 10px; }
.rq-none { font-weight: 600; font-size: 1.02rem; margin-bottom: 4px; }
.rq-hint { font-size: .85rem; color: var(--body-text-color-subdued); margin-bottom: 8px; }
.rq-cards-title { font-size: .8rem; font-weight: 600; color: var(--body-text-color-subdued);
  margin: 8px 0 4px; }
.rq-card { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 8px 12px;
  margin: 6px 0; background: var(--background-fill-primary); }
.rq-card-head { display: flex; flex-wrap: wrap; gap: 6px; align-items: baseline; font-size: .85rem; }
.rq-num { font-weight: 700; color: var(--color-accent); }
.rq-doc { font-weight: 600; }
.rq-badge { font-size: .72rem; padding: 0 7px; border-radius: 999px; border: 1px solid currentColor; }
.rq-period-review { color: #2563eb; }
.rq-period-plan { color: #059669; }
.rq-period-other { color: #6b7280; }
.rq-score { margin-left: auto; font-size: .75rem; color: var(--body-text-color-subdued);
  font-variant-numeric: tabular-nums; }
.rq-path { font-size: .8rem; color: var(--body-text-color-subdued); margin: 2px 0 4px; }
.rq-text { font-size: .92rem; }
.rq-reply mark { background: #ffe58f; color: #1f2937; padding: 0 2px; border-radius: 3px; }
.rq-card details { margin-top: 4px; font-size: .85rem; }
.rq-reply summary { cursor: pointer; color: var(--color-accent); font-size: .8rem; }
.rq-more { margin-top: 6px; }
.rq-more > summary { font-weight: 600; padding: 2px 0; }
.rq-context { margin-top: 4px; padding: 6px 8px; border-radius: 6px; color: var(--body-text-color-subdued);
  background: var(--background-fill-secondary); }
.rq-context .rq-here { color: var(--body-text-color); text-decoration: underline dotted; }
.rq-error { color: var(--error-text-color, #b91c1c); }
#rq-side .rq-side-note { font-size: .8rem; color: var(--body-text-color-subdued); }
#rq-upload-status { font-size: .9rem; }
.rq-doc-list { display: grid; gap: 10px;
  grid-template-columns: repeat(auto-fill, minmax(min(300px, 100%), 1fr)); }
.rq-doc-card { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 10px 14px;
  background: var(--block-background-fill); }
.rq-doc-title { font-weight: 600; font-size: 1rem; margin-bottom: 6px; }
.rq-facts { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: .85rem; overflow-wrap: anywhere; }
.rq-fact-key { color: var(--body-text-color-subdued); margin-right: 4px; }
.rq-doc-id { margin-top: 6px; font-size: .75rem; color: var(--body-text-color-subdued);
  font-family: var(--font-mono); }
#rq-facts-source .rq-fact-sentence { font-size: 1rem; line-height: 1.8; padding: 8px 12px;
  border-left: 4px solid #f5b300; background: var(--background-fill-secondary); border-radius: 0 8px 8px 0; }
#rq-facts-source mark { background: #ffe58f; color: #1f2937; padding: 0 2px; border-radius: 3px; }
#rq-facts-source .rq-fact-where { font-size: .82rem; color: var(--body-text-color-subdued); margin-top: 4px; }
@media (max-width: 640px) {
  #rq-header h1 { font-size: 1.25rem; }
  .gradio-container { padding: 0 6px !important; }
  #rq-chat .message-row.bot-row { max-width: 100% !important; margin: 12px 4px 8px !important; }
  .rq-score { margin-left: 0; }
  .rq-card { padding: 6px 8px; }
  .rq-reply .rq-quote { padding: 6px 8px; }
}
"""


# Scrolls the chat after each step: to the bottom when a question goes in, and to the start of
# the new reply when it arrives (the answer is at its top; Gradio's autoscroll would show the last
# card instead). Relies on Gradio's .bubble-wrap scroller and does nothing if that is not there.
SCROLL_JS = """() => { setTimeout(() => {
  const wrap = document.querySelector('#rq-chat .bubble-wrap');
  if (!wrap) return;
  const mode = '%s';
  const replies = wrap.querySelectorAll('.rq-reply');
  const last = replies[replies.length - 1];
  if (mode === 'bottom' || !last) { wrap.scrollTop = wrap.scrollHeight; return; }
  const asked = wrap.querySelectorAll('.user-row');
  const top = asked[asked.length - 1] || last;  // the question, with the answer right below it
  wrap.scrollTop += top.getBoundingClientRect().top - wrap.getBoundingClientRect().top - 8;
}, 80); }"""


# ---------------------------------------------------------------- rendering (pure functions)


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
    period = PERIOD_LABELS.get(passage.period, "其他")
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


# ---------------------------------------------------------------- documents and filters


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
    return sorted({d.year for d in documents if d.year is not None}, reverse=True)


def region_choices(documents: Sequence[DocumentInfo]) -> list[str]:
    return sorted({d.region for d in documents if d.region})


def make_filters(
    doc_ids: Sequence[str] | None, years: Sequence[Any] | None, regions: Sequence[str] | None
) -> dict[str, list[Any]] | None:
    """The chat's filter selections as ``bot.ask`` filters; an empty selection means "all"."""
    filters: dict[str, list[Any]] = {}
    if doc_ids:
        filters["doc_id"] = list(doc_ids)
    if years:
        filters["year"] = [int(y) for y in years]
    if regions:
        filters["region"] = list(regions)
    return filters or None


def _header_html(documents: Sequence[DocumentInfo]) -> str:
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


# ---------------------------------------------------------------- the Blocks


def build_ui(bot: ReportQA) -> gr.Blocks:
    """The whole web interface for ``bot``: a 问答 tab, a 文档 tab and the ``/ask`` API endpoint.

    New tabs (e.g. 关键数据 once ``bot.facts()`` exists) go into the ``gr.Tabs`` below as one more
    ``_xxx_tab(bot)`` function, returning whatever components other tabs need to refresh.
    """
    with gr.Blocks(title="政府工作报告问答", analytics_enabled=False) as demo:
        header = gr.HTML(_header_html(bot.documents), padding=False)
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                filters = _chat_tab(bot)
            with gr.Tab("文档", id="documents"):
                _documents_tab(bot, header, filters)
            with gr.Tab("关键数据", id="facts") as facts_tab:
                _facts_tab(bot, facts_tab)
        _api_endpoints(bot)
    return demo


def _chat_tab(bot: ReportQA) -> tuple[gr.Dropdown, gr.Dropdown, gr.Dropdown]:
    """The chat with its filter panel; returns the filter dropdowns so uploads can refresh them."""
    documents = bot.documents
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            chatbot = gr.Chatbot(
                label="问答",
                show_label=False,
                height="62vh",
                min_height=380,
                elem_id="rq-chat",
                placeholder=(
                    "**问问这份报告**<br>用中文或英文提问，答案会逐字引自报告原文，并附上出处段落。"
                ),
                examples=[{"text": q} for q in EXAMPLE_QUESTIONS],
                latex_delimiters=[],  # report text is not LaTeX; "$" must stay a dollar sign
                feedback_options=None,
                buttons=["copy"],
                layout="bubble",
                autoscroll=False,  # SCROLL_JS shows the start of a reply, not its last card
            )
            with gr.Row(equal_height=True):
                question = gr.Textbox(
                    show_label=False,
                    placeholder="输入问题，按 Enter 发送，例如：2022年财政总收入是多少？",
                    max_length=MAX_QUESTION_CHARS,
                    lines=1,
                    max_lines=4,
                    autofocus=True,
                    scale=5,
                    min_width=200,
                    elem_id="rq-question",
                    submit_btn="发送",
                )
        with gr.Column(scale=1, min_width=240, elem_id="rq-side"):
            gr.Markdown("#### 检索范围")
            doc_filter = gr.Dropdown(
                choices=document_choices(documents),
                value=[],
                multiselect=True,
                label="报告",
                info="不选即全部",
                elem_id="rq-filter-doc",
            )
            year_filter = gr.Dropdown(
                choices=year_choices(documents),
                value=[],
                multiselect=True,
                label="年份",
                elem_id="rq-filter-year",
            )
            region_filter = gr.Dropdown(
                choices=region_choices(documents),
                value=[],
                multiselect=True,
                label="地区",
                elem_id="rq-filter-region",
            )
            k = gr.Slider(1, 10, value=DEFAULT_K, step=1, label="引用段落数", elem_id="rq-k")
            gr.HTML(
                '<p class="rq-side-note">「回顾」是报告总结的上一年工作，「计划」是对今年的安排。'
                "点开段落下方的「查看上下文」可读前后原文。</p>",
                padding=False,
            )

    private: dict[str, Any] = {"api_visibility": "private"}  # UI plumbing, not part of the API
    pending = gr.State("")  # the question being answered, between the two steps below
    answer_inputs = [pending, chatbot, doc_filter, year_filter, region_filter, k]

    def reply(q: str, history: list, docs: list, years: list, regions: list, count: float) -> list:
        return _reply(bot, q, history, docs, years, regions, count)

    # Two steps, so the question shows in the chat at once and the answer follows when ready.
    for step in (
        question.submit(_take_question, [question, chatbot], [question, chatbot, pending], **private),
        chatbot.example_select(_take_example, [chatbot], [question, chatbot, pending], **private),
    ):
        # fn=None: the scroll steps run in the browser only, with no round trip to the server.
        step.then(None, js=SCROLL_JS % "bottom", **private).then(
            reply, answer_inputs, chatbot, **private
        ).then(None, js=SCROLL_JS % "reply", **private)
    return doc_filter, year_filter, region_filter


def _take_question(q: str, history: list | None) -> tuple[str, list, str]:
    """Move the typed question into the chat; clears the box. Blank input changes nothing."""
    history = list(history or [])
    if not q or not q.strip():
        return q, history, ""
    return "", [*history, {"role": "user", "content": q}], q


def _take_example(history: list | None, evt: gr.SelectData) -> tuple[str, list, str]:
    """A click on an example question asks it, as if typed."""
    value = evt.value
    text = value.get("text", "") if isinstance(value, dict) else str(value)
    return _take_question(text, history)


def _message_text(message: dict) -> str:
    """A chat message's text: Gradio hands content back as a string or as a list of typed parts."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    parts = content if isinstance(content, list) else []
    return "".join(p.get("text", "") for p in parts if isinstance(p, dict))


def _reply(
    bot: ReportQA,
    q: str,
    history: list | None,
    docs: list | None,
    years: list | None,
    regions: list | None,
    count: float | None,
) -> list:
    """Ask the bot and append its reply (answer and cards, or the reason the question was refused)."""
    history = list(history or [])
    if not q:
        return history
    k = max(1, min(MAX_K, int(count or DEFAULT_K)))
    # The chat's earlier questions give follow-ups ("那今年的目标呢？") their topic.
    earlier = [_message_text(m) for m in history if m.get("role") == "user"]
    try:
        answer = bot.chat(earlier[:-1]).ask(q, k=k, filters=make_filters(docs, years, regions))
        content = render_answer(answer, lambda p: bot.context(p, chars=CONTEXT_CHARS))
    except ReportQAError as exc:
        content = render_error(str(exc))
    return [*history, {"role": "assistant", "content": content}]


def _documents_tab(
    bot: ReportQA, header: gr.HTML, filters: tuple[gr.Dropdown, gr.Dropdown, gr.Dropdown]
) -> None:
    """The list of indexed reports and the upload that adds more."""
    gr.Markdown("已索引的报告。上传新报告后即可在「问答」页提问，也可以用「检索范围」只问其中一份。")
    listing = gr.HTML(render_documents(bot.documents), elem_id="rq-documents", padding=False)
    upload = gr.File(
        label="上传报告（.txt .md .html .pdf .docx，可多选）",
        file_count="multiple",
        file_types=UPLOAD_TYPES,
        type="filepath",
        elem_id="rq-upload",
    )
    status = gr.Markdown("", elem_id="rq-upload-status")

    def add(paths: list[str] | None) -> tuple:
        return _add_files(bot, paths)

    upload.upload(add, [upload], [upload, status, listing, header, *filters], api_visibility="private")


def _add_files(bot: ReportQA, paths: list[str] | None) -> tuple:
    """Index uploaded files one by one, so one bad file does not keep the good ones out."""
    added: list[DocumentInfo] = []
    lines: list[str] = []
    for path in paths or []:
        name = Path(path).name
        try:
            new = add_upload(bot, path, name)  # checked, stored under the index, then indexed
        except ReportQAError as exc:
            # The message names the temporary upload path; the user knows the file by its name.
            message = str(exc).replace(str(path), name)
            if name not in message:
                message = f"{name}：{message}"
            gr.Warning(message, title="无法加入")
            lines.append(f"✗ {_md_escape(message)}")
            continue
        if new:
            added += new
            lines += [f"✓ 已加入《{_md_escape(d.title)}》（{_md_escape(name)}）" for d in new]
        else:
            lines.append(f"・ {_md_escape(name)} 已在索引中，未重复加入")
    if added:
        gr.Info("、".join(f"《{d.title}》" for d in added), title="已加入索引")
    documents = bot.documents
    return (
        None,
        "  \n".join(lines),  # Markdown hard line breaks
        render_documents(documents),
        _header_html(documents),
        gr.Dropdown(choices=document_choices(documents)),
        gr.Dropdown(choices=year_choices(documents)),
        gr.Dropdown(choices=region_choices(documents)),
    )


# ---------------------------------------------------------------- 关键数据 (key figures)

FACT_HEADERS = ["编号", "指标", "数值", "变化", "变化率(%)", "时期", "年份", "出处"]
FACT_TYPES = ["number", "str", "str", "str", "number", "str", "number", "str"]
ALL_DOCUMENTS = ""  # the document filter's "all" value
MAX_CHART_BARS = 30  # more bars than this are unreadable at laptop width
FACTS_HINT = '<p class="rq-side-note">点选表格中的一行，可在这里看到该数据的原文出处。</p>'


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
                PERIOD_LABELS.get(f.period, "其他"),
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
    period = PERIOD_LABELS.get(fact.period, "其他")
    year = f" · {fact.year}年" if fact.year else ""
    return (
        f'<div class="rq-fact-sentence">{mark_span(fact.sentence, span)}</div>'
        f'<div class="rq-fact-where">{_escape(where)} · {period}{year} · '
        f"原文第 {fact.start}–{fact.end} 字</div>"
    )


def _fact_document_choices(documents: Sequence[DocumentInfo]) -> list[tuple[str, str]]:
    return [("全部报告", ALL_DOCUMENTS), *document_choices(documents)]


def _default_fact_document(documents: Sequence[DocumentInfo]) -> str:
    # With many reports the table of all of them is long and the chart a crowd: start with one.
    return ALL_DOCUMENTS if len(documents) <= 3 else documents[0].doc_id


def _facts_view(bot: ReportQA, doc_id: str | None, period: str | None) -> tuple[list[dict], Any, Any, str]:
    """(facts shown, table, chart, source hint) for the chosen document and period."""
    periods = {"回顾": "review", "计划": "plan"}
    facts = bot.facts(doc_id=doc_id or None, period=periods.get(period or ""))
    return [f.to_dict() for f in facts], facts_table(facts), growth_chart(facts), FACTS_HINT


def _facts_tab(bot: ReportQA, tab: gr.Tab) -> None:
    """A sortable table of the reports' figures, a chart of growth rates, and the source of a chosen row."""
    documents = bot.documents
    default = _default_fact_document(documents)
    shown, table, chart, hint = _facts_view(bot, default, None)
    with gr.Row(equal_height=True):
        doc = gr.Dropdown(
            choices=_fact_document_choices(documents),
            value=default,
            label="报告",
            scale=3,
            elem_id="rq-facts-doc",
        )
        period = gr.Radio(
            ["全部", "回顾", "计划"], value="全部", label="时期", scale=2, elem_id="rq-facts-period"
        )
    facts_state = gr.State(shown)  # the facts behind the rows, by row number - 1
    grid = gr.Dataframe(
        table,
        headers=FACT_HEADERS,
        datatype=FACT_TYPES,
        interactive=False,
        wrap=True,
        max_height=460,
        column_widths=["7%", "22%", "14%", "16%", "9%", "7%", "7%", "18%"],
        show_search="search",
        label="关键数据（表头的 ⋮ 菜单可排序，点一行看原文）",
        elem_id="rq-facts-table",
    )
    source = gr.HTML(hint, elem_id="rq-facts-source", padding=False)
    plot = gr.BarPlot(
        chart,
        x="指标",
        y="增速(%)",
        color="时期",
        color_map={"回顾": "#2563eb", "计划": "#059669"},
        title="增速：回顾与计划",
        x_label_angle=-40,
        sort=None,
        height=360,
        elem_id="rq-facts-chart",
    )

    private: dict[str, Any] = {"api_visibility": "private"}
    outputs = [facts_state, grid, plot, source]

    def show(doc_id: str | None, chosen_period: str | None) -> tuple[list[dict], Any, Any, str]:
        return _facts_view(bot, doc_id, chosen_period)

    def refresh(doc_id: str | None, chosen_period: str | None) -> tuple:
        # Reports may have been uploaded on the 文档 tab since the page was built.
        current = bot.documents
        known = {d.doc_id for d in current}
        doc_id = doc_id if doc_id in known or doc_id == ALL_DOCUMENTS else _default_fact_document(current)
        return gr.Dropdown(choices=_fact_document_choices(current), value=doc_id), *show(
            doc_id, chosen_period
        )

    doc.change(show, [doc, period], outputs, **private)
    period.change(show, [doc, period], outputs, **private)
    tab.select(refresh, [doc, period], [doc, *outputs], **private)
    grid.select(_select_fact, [facts_state], source, **private)


def _select_fact(shown: list[dict] | None, evt: gr.SelectData) -> str:
    """The source of the row clicked: found by its number, which sorting does not change."""
    row = evt.row_value or []
    try:
        fact = Fact(**(shown or [])[int(row[0]) - 1])
    except (IndexError, TypeError, ValueError):
        return FACTS_HINT
    return render_fact_source(fact)


def _md_escape(text: str) -> str:
    """Text for a Markdown line: HTML-escaped, and Markdown punctuation neutralized."""
    escaped = html.escape(text.replace("\n", " "), quote=False)
    for char in "\\`*_[]()#!|~":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def _api_endpoints(bot: ReportQA) -> None:
    """``/ask`` for gradio_client: (question, k) -> the Answer dict."""

    def ask(question: str, k: int = DEFAULT_K) -> dict:
        """Answer a question from the indexed reports, with up to k cited passages (1-20)."""
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
            raise gr.Error(f"k must be an integer from 1 to {MAX_K}")
        try:
            return bot.ask(question, k=k).to_dict()
        except ReportQAError as exc:
            raise gr.Error(str(exc)) from None

    gr.api(ask, api_name="ask")


def ui_assets() -> dict[str, Any]:
    """Theme and CSS for ``gr.mount_gradio_app`` / ``Blocks.launch`` (Gradio 6 takes them there)."""
    theme = gr.themes.Soft(
        primary_hue="amber", secondary_hue="blue", neutral_hue="slate", font=SANS_FONTS, font_mono=MONO_FONTS
    )
    return {"theme": theme, "css": CSS}
