"""The web interface: a Chinese chat over the indexed reports, built with Gradio.

``build_ui(bot)`` returns the ``gr.Blocks``; ``qa.apps.ui.assets.ui_assets()`` the theme and CSS that
go with it (Gradio 6 takes those at launch or mount time, not in ``gr.Blocks``). ``qa.apps.server``
mounts both.
This module wires components to event handlers; the HTML comes from ``qa.apps.ui.render``, the
theme, CSS and scroll script from ``qa.apps.ui.assets``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gradio as gr

from qa.api import ReportQA
from qa.apps.guard import Policy
from qa.apps.messages import explain_error
from qa.apps.models import answer_json
from qa.apps.ui.answers import render_answer, render_error
from qa.apps.ui.assets import FOCUS_QUESTION_JS, PRIVATE, scroll_js
from qa.apps.ui.documents import documents_tab
from qa.apps.ui.facts import facts_tab
from qa.apps.ui.indexing import Indexing
from qa.apps.ui.render import document_choices, header_html, page_title, region_choices, year_choices
from qa.errors import QuestionError, ReportQAError
from qa.ingest.loader import load_bundled
from qa.pipeline.query import check_text
from qa.schema import DocumentInfo, document_noun
from qa.settings import MAX_K, MAX_QUESTION_CHARS, Settings

DEFAULT_K = 5
CONTEXT_CHARS = 200  # characters of surrounding text shown under "上下文"

# Questions the bundled report answers: shown only when it is the library (on another library they
# had been refused or answered from another report).
EXAMPLE_QUESTIONS = [
    "2022年财政总收入是多少？",
    "今年要建消防站吗？",
    "去年规上工业产值多少？今年增长目标是多少？",
    "今年新增学位多少个？",
]


def example_questions(documents: Sequence[DocumentInfo]) -> list[str]:
    """The example questions for a library: the bundled report's when it is the only document."""
    alone = len(documents) == 1 and documents[0].doc_id == load_bundled().doc_id
    return EXAMPLE_QUESTIONS if alone else []


def welcome(documents: Sequence[DocumentInfo]) -> str:
    """The empty chat's greeting, naming the library as one report or several (no count: reports are
    added while the page is open)."""
    noun = document_noun(d.title for d in documents)
    which = f"这份{noun}" if len(documents) == 1 else f"这些{noun}"
    return f"**问问{which}**<br>用中文或英文提问，答案会逐字引自{noun}原文，并附上出处段落。"


# ---------------------------------------------------------------- filters


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


# ---------------------------------------------------------------- the Blocks


def build_ui(bot: ReportQA, policy: Policy | None = None) -> gr.Blocks:
    """The whole web interface for ``bot``: 问答, 文档 and 关键数据 tabs and the ``/ask`` API endpoint.

    ``policy`` (qa.apps.guard) says who may upload and remove reports on the 文档 tab; by default
    anyone, as on a laptop.

    A new tab goes into the ``gr.Tabs`` below as one more ``_xxx_tab(bot)`` function, returning
    whatever components other tabs need to refresh.
    """
    policy = policy or Policy.build(Settings(), public=False)
    indexing = Indexing()
    with gr.Blocks(title=page_title(bot.documents), analytics_enabled=False) as demo:
        header = gr.HTML(header_html(bot.documents), padding=False)
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                note = gr.HTML("", elem_id="rq-chat-note", padding=False)
                filters = _chat_tab(bot, demo, indexing)
            with gr.Tab("文档", id="documents"):
                documents_tab(bot, policy, demo, header, filters, note, indexing)
            with gr.Tab("关键数据", id="facts") as tab:
                facts_tab(bot, tab)
        _api_endpoints(bot)
    return demo


def _chat_tab(bot: ReportQA, demo: gr.Blocks, indexing: Indexing) -> tuple[gr.Dropdown, ...]:
    """The chat with its filter panel; returns the filter dropdowns so uploads can refresh them.

    A page opened as ``/?q=问题`` asks that question at once (a shared answer).
    """
    documents = bot.documents
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            chatbot = gr.Chatbot(
                label="问答",
                show_label=False,
                height="62vh",
                min_height=380,
                elem_id="rq-chat",
                placeholder=welcome(documents),
                examples=[{"text": q} for q in example_questions(documents)] or None,
                latex_delimiters=[],  # report text is not LaTeX; "$" must stay a dollar sign
                feedback_options=None,
                buttons=[],  # each answer has its own copy button, with its citation
                layout="bubble",
                autoscroll=False,  # static/scroll.js shows the start of a reply, not its last card
            )
            with gr.Row(equal_height=True):
                question = gr.Textbox(
                    label="问题",  # read out by screen readers (Gradio's default is "Textbox")
                    show_label=False,
                    placeholder="输入问题，回车发送",  # short: a phone shows it whole
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
            doc_filter = _filter(document_choices(documents), "文档", "rq-filter-doc", info="不选即全部")
            year_filter = _filter(year_choices(documents), "年份", "rq-filter-year")
            region_filter = _filter(region_choices(documents), "地区", "rq-filter-region")
            k = gr.Slider(1, 10, value=DEFAULT_K, step=1, label="引用段落数", elem_id="rq-k")
            gr.HTML(
                '<p class="rq-side-note">「回顾」是报告总结的上一年工作，「计划」是对今年的安排。'
                "点开段落下方的「查看上下文」可读前后原文。</p>",
                padding=False,
            )

    pending = gr.State("")  # the question being answered, between the two steps below
    answer_inputs = [pending, chatbot, doc_filter, year_filter, region_filter, k]

    def reply(q: str, history: list, docs: list, years: list, regions: list, count: float) -> list:
        return _reply(bot, q, history, docs, years, regions, count, indexing.chat_note())

    # Two steps, so the question shows in the chat at once and the answer follows when ready.
    for step in (
        question.submit(_take_question, [question, chatbot], [question, chatbot, pending], **PRIVATE),
        chatbot.example_select(_take_example, [chatbot], [question, chatbot, pending], **PRIVATE),
    ):
        # fn=None: the scroll steps run in the browser only, with no round trip to the server.
        step.then(None, js=scroll_js("bottom"), **PRIVATE).then(
            reply, answer_inputs, chatbot, **PRIVATE
        ).then(None, js=scroll_js("reply"), **PRIVATE).then(_ready, None, question, **PRIVATE).then(
            None, js=FOCUS_QUESTION_JS, **PRIVATE
        )

    def shared(
        history: list, docs: list, years: list, regions: list, count: float, request: gr.Request
    ) -> list:
        # One step: a page load is one event, and most pages have no question to ask.
        params = getattr(request, "query_params", None) or {}
        q = str(params.get("q", "")).strip()[:MAX_QUESTION_CHARS]
        if not q:
            return history
        history = [*(history or []), {"role": "user", "content": q}]
        return reply(q, history, docs, years, regions, count)

    demo.load(shared, answer_inputs[1:], chatbot, **PRIVATE).then(None, js=scroll_js("reply"), **PRIVATE)
    return doc_filter, year_filter, region_filter


def _filter(choices: Sequence[Any], label: str, elem_id: str, **extra: Any) -> gr.Dropdown:
    """A filter of the 检索范围 panel: pick any number of values; none picked means all."""
    return gr.Dropdown(choices=choices, value=[], multiselect=True, label=label, elem_id=elem_id, **extra)


# Shown at once under a question, replaced by the reply: the page says in Chinese that it is working.
PENDING = {"role": "assistant", "content": '<div class="rq-pending">正在从文档中查找……</div>'}


def _take_question(q: str, history: list | None) -> tuple[Any, list, str]:
    """Move the typed question into the chat; clears the box and locks it until the answer is in
    (``_ready``): a question sent while another was answered had replaced it, or lost its own
    answer. Blank input changes nothing."""
    history = list(history or [])
    if not q or not q.strip():
        return q, history, ""
    try:
        check_text(q)
    except QuestionError as exc:  # too long, or only punctuation: said at once, the text kept to mend
        return q, [*history, {"role": "assistant", "content": render_error(explain_error(exc)[1])}], ""
    return gr.Textbox(value="", interactive=False), [*history, {"role": "user", "content": q}, PENDING], q


def _ready() -> Any:
    """The question box, open again once the answer is in."""
    return gr.Textbox(interactive=True)


def _take_example(history: list | None, evt: gr.SelectData) -> tuple[Any, list, str]:
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
    note: str | None = None,
) -> list:
    """Ask the bot and append its reply (answer and cards, or the reason the question was refused).

    ``note`` is said first: that a report is being added and not searched yet.
    """
    history = [m for m in history or [] if _message_text(m) != PENDING["content"]]
    if not q:
        return history
    k = max(1, min(MAX_K, int(count or DEFAULT_K)))
    # The chat's earlier questions give follow-ups ("那今年的目标呢？") their topic.
    earlier = [_message_text(m) for m in history if m.get("role") == "user"]
    try:
        answer = bot.chat(earlier[:-1]).ask(q, k=k, filters=make_filters(docs, years, regions))
        content = render_answer(
            answer, lambda p: bot.context(p, chars=CONTEXT_CHARS), [note] if note else None
        )
    except ReportQAError as exc:
        content = render_error(explain_error(exc)[1])
    return [*history, {"role": "assistant", "content": content}]


def api_answer(bot: ReportQA, question: str, k: int = DEFAULT_K) -> dict:
    """The reply of ``/ask`` for gradio_client: the Answer as HTTP /api/ask gives it (with
    ``why_not_found`` and ``notes`` in Chinese; they had been missing here), or a gr.Error in Chinese."""
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
        raise gr.Error(f"k 必须是 1 到 {MAX_K} 的整数")
    try:
        return answer_json(bot.ask(question, k=k).to_dict())
    except ReportQAError as exc:
        raise gr.Error(explain_error(exc)[1]) from None


def _api_endpoints(bot: ReportQA) -> None:
    """``/ask`` for gradio_client: (question, k) -> the Answer dict."""

    def ask(question: str, k: int = DEFAULT_K) -> dict:
        """Answer a question from the indexed reports, with up to k cited passages (1-20)."""
        return api_answer(bot, question, k)

    gr.api(ask, api_name="ask")
