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
from qa.apps.ui.assets import scroll_js
from qa.apps.ui.documents import documents_tab
from qa.apps.ui.render import (
    FACT_HEADERS,
    FACT_TYPES,
    FACTS_HINT,
    document_choices,
    facts_table,
    growth_chart,
    header_html,
    region_choices,
    render_answer,
    render_error,
    render_fact_source,
    year_choices,
)
from qa.errors import ReportQAError
from qa.facts import Fact
from qa.schema import PERIOD_LABELS, DocumentInfo
from qa.settings import MAX_QUESTION_CHARS, Settings

DEFAULT_K = 5
MAX_K = 20
CONTEXT_CHARS = 200  # characters of surrounding text shown under "上下文"

EXAMPLE_QUESTIONS = [
    "2022年财政总收入是多少？",
    "今年要建消防站吗？",
    "去年规上工业产值有多少？",
    "How much went into river works?",
]

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
    with gr.Blocks(title="政府工作报告问答", analytics_enabled=False) as demo:
        header = gr.HTML(header_html(bot.documents), padding=False)
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                filters = _chat_tab(bot)
            with gr.Tab("文档", id="documents"):
                documents_tab(bot, policy, demo, header, filters)
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
                autoscroll=False,  # static/scroll.js shows the start of a reply, not its last card
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
            doc_filter = _filter(document_choices(documents), "报告", "rq-filter-doc", info="不选即全部")
            year_filter = _filter(year_choices(documents), "年份", "rq-filter-year")
            region_filter = _filter(region_choices(documents), "地区", "rq-filter-region")
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
        step.then(None, js=scroll_js("bottom"), **private).then(
            reply, answer_inputs, chatbot, **private
        ).then(None, js=scroll_js("reply"), **private)
    return doc_filter, year_filter, region_filter


def _filter(choices: Sequence[Any], label: str, elem_id: str, **extra: Any) -> gr.Dropdown:
    """A filter of the 检索范围 panel: pick any number of values; none picked means all."""
    return gr.Dropdown(choices=choices, value=[], multiselect=True, label=label, elem_id=elem_id, **extra)


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


# ---------------------------------------------------------------- 关键数据 (key figures)

ALL_DOCUMENTS = ""  # the document filter's "all" value
FACT_PERIODS = {PERIOD_LABELS[p]: p for p in ("review", "plan")}  # the 时期 choices (and 全部)


def _fact_document_choices(documents: Sequence[DocumentInfo]) -> list[tuple[str, str]]:
    return [("全部报告", ALL_DOCUMENTS), *document_choices(documents)]


def _default_fact_document(documents: Sequence[DocumentInfo]) -> str:
    # With many reports the table of all of them is long and the chart a crowd: start with one.
    return ALL_DOCUMENTS if len(documents) <= 3 else documents[0].doc_id


def _facts_view(bot: ReportQA, doc_id: str | None, period: str | None) -> tuple[list[dict], Any, Any, str]:
    """(facts shown, table, chart, source hint) for the chosen document and period."""
    facts = bot.facts(doc_id=doc_id or None, period=FACT_PERIODS.get(period or ""))
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
        color_map={PERIOD_LABELS["review"]: "#2563eb", PERIOD_LABELS["plan"]: "#059669"},  # as in ui.css
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
