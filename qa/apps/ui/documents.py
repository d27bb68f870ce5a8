"""The 文档 tab: the indexed reports, and (for whoever may change the index) upload and removal.

Who may change the index is the server's ``Policy`` (qa.apps.guard). On a laptop (loopback, no admin
token) the upload and remove controls are simply there. Otherwise they are built hidden, behind a
管理 login: the token typed there is checked in constant time and kept in the session's ``gr.State``
(held on the server, never sent back to the browser), and every upload or removal checks it again,
so an event sent by hand without a login changes nothing. With no admin token configured on a
public server the controls are not built at all.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from qa.api import ReportQA
from qa.apps.guard import Policy
from qa.apps.messages import explain_error, namesake_note
from qa.apps.ui.assets import PRIVATE
from qa.apps.ui.indexing import Indexing
from qa.apps.ui.render import (
    banner,
    document_choices,
    header_html,
    md_escape,
    region_choices,
    render_documents,
    year_choices,
)
from qa.errors import ReportQAError
from qa.ingest.uploads import add_upload, namesakes, replaced
from qa.schema import DocumentInfo

PROGRESS_SECONDS = 0.5  # how often the progress line is renewed while a file is indexed
REFRESHED = 6  # outputs of _refresh: list, header, three filters, the removal choice


def documents_tab(
    bot: ReportQA,
    policy: Policy,
    demo: gr.Blocks,
    header: gr.HTML,
    filters: tuple[gr.Dropdown, ...],
    chat_note: gr.HTML,
    indexing: Indexing,
) -> None:
    """The list of indexed reports and, where allowed, the controls that change it.

    ``chat_note`` is the chat tab's line that says what is being added (and what was); ``indexing``
    tells every page's chat the same while it lasts.
    """
    gr.Markdown("已索引的文档。上传新文档后即可在「问答」页提问，也可以用「检索范围」只问其中一份。")
    listing = gr.HTML(render_documents(bot.documents), elem_id="rq-documents", padding=False)
    shown = [listing, header, *filters]

    # The page as built shows the reports of start-up; each new page asks for what is indexed now,
    # so a report the admin added or removed since shows for every visitor who opens the page.
    if not policy.admin_possible:
        demo.load(lambda: _refresh(bot)[: len(shown)], None, shown, **PRIVATE)
        gr.Markdown("本站对访客只读：文档由管理员维护。", elem_id="rq-readonly")
        return
    token = gr.State("")  # this session's admin token: server-side only
    with gr.Column(visible=policy.open_changes, elem_id="rq-admin") as controls:
        upload = gr.File(
            label="上传文档（.txt .md .html .pdf .docx，可多选）",
            file_count="multiple",
            # No file_types: Gradio's own check refuses other types in English ("Invalid file type:
            # …"); the server's says so in Chinese, in the status line, beside the files it did add.
            type="filepath",
            elem_id="rq-upload",
        )
        status = gr.Markdown("", elem_id="rq-upload-status")
        with gr.Row(equal_height=True):
            chosen = gr.Dropdown(
                choices=document_choices(bot.documents),
                value=None,
                label="移除文档",
                scale=4,
                elem_id="rq-remove-doc",
            )
            remove = gr.Button("移除所选文档", variant="stop", scale=1, elem_id="rq-remove")
    if not policy.open_changes:
        _login(policy, token, controls)
    refreshed = [*shown, chosen]

    def add(paths: list[str] | None, session_token: str, request: gr.Request) -> Iterator[tuple]:
        refusal = policy.refusal(session_token)
        if refusal is not None:  # an event sent without logging in
            yield None, refusal.message, "", *_refresh(bot)
            return
        yield from _add_files(bot, paths, _client(request), indexing)

    def drop(doc_id: str | None, session_token: str, request: gr.Request) -> tuple:
        refusal = policy.refusal(session_token)
        if refusal is not None:
            return refusal.message, *_refresh(bot)
        return _remove(bot, doc_id, _client(request))

    # The status line and the chat's note say how far it is (PRIVATE hides Gradio's English one).
    upload.upload(add, [upload, token], [upload, status, chat_note, *refreshed], **PRIVATE)
    demo.load(lambda: _refresh(bot), None, refreshed, **PRIVATE)  # as above, with the removal choice
    remove.click(drop, [chosen, token], [status, *refreshed], **PRIVATE)


def _login(policy: Policy, token: gr.State, controls: gr.Column) -> None:
    """The 管理 login: the right token shows the controls for the rest of the session."""
    with gr.Accordion("管理", open=False, elem_id="rq-admin-login") as box:
        typed = gr.Textbox(
            type="password", label="管理员令牌", max_lines=1, elem_id="rq-admin-token", show_label=True
        )
        enter = gr.Button("登录", elem_id="rq-admin-enter")
        message = gr.Markdown("", elem_id="rq-admin-message")

    def login(value: str) -> tuple:
        refusal = policy.refusal(value or None)
        if refusal is not None:
            # The typed text is cleared either way: it never stays in the page.
            return "", "", refusal.message, gr.Accordion(visible=True), gr.Column(visible=False)
        return value, "", "", gr.Accordion(visible=False), gr.Column(visible=True)

    for trigger in (enter.click, typed.submit):
        trigger(login, [typed], [token, typed, message, box, controls], **PRIVATE)


def _client(request: gr.Request | None) -> str:
    """The address the audit log records (uvicorn has applied a trusted proxy's X-Forwarded-For)."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or "unknown"


def _refresh(bot: ReportQA) -> tuple:
    """New values for the list, the header, the three filters and the removal choice."""
    documents = bot.documents
    return (
        render_documents(documents),
        header_html(documents),
        gr.Dropdown(choices=document_choices(documents)),
        gr.Dropdown(choices=year_choices(documents)),
        gr.Dropdown(choices=region_choices(documents)),
        gr.Dropdown(choices=document_choices(documents), value=None),
    )


@dataclass
class _Batch:
    """One upload's files as its worker gets through them: what it said of each, what it added."""

    paths: list[str]
    lines: list[str] = field(default_factory=list)
    added: list[DocumentInfo] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)


def _index_batch(bot: ReportQA, batch: _Batch, client: str, indexing: Indexing) -> None:
    """Index the batch's files one by one (one bad file does not keep the good ones out). It runs to
    the end whatever the page does: a reload or a closed tab mid-batch had dropped the files after
    the one being indexed, and left the chat's note standing."""
    try:
        for number, path in enumerate(batch.paths, start=1):
            name = Path(path).name
            indexing.begin(name, number, len(batch.paths))
            held = bot.documents
            try:
                new = add_upload(bot, path, name, client=client)
            except ReportQAError as exc:
                batch.lines.append(f"✗ {md_escape(_upload_error(exc, path, name))}")
                continue
            if new:
                batch.added += new
                older = "，替换了旧版本" if replaced(held, bot) else ""
                batch.lines += [f"✓ 已加入《{md_escape(d.title)}》（{md_escape(name)}{older}）" for d in new]
                if twins := namesakes(new, bot):
                    batch.lines.append(f"・ {md_escape(namesake_note(twins))}")
            else:
                batch.lines.append(f"・ {md_escape(name)} 已在索引中，未重复加入")
    finally:
        indexing.finish()
        batch.done.set()


def _add_files(bot: ReportQA, paths: list[str] | None, client: str, indexing: Indexing) -> Iterator[tuple]:
    """Index uploaded files in a worker of their own, saying how far it is in the status line and in
    the chat's note as it goes; yields the outputs of the upload."""
    batch = _Batch(list(paths or []))
    keep = [gr.skip()] * REFRESHED  # the list, header and filters change only at the end
    worker = threading.Thread(
        target=_index_batch, args=(bot, batch, client, indexing), name="report-qa-upload"
    )
    worker.start()
    while not batch.done.wait(PROGRESS_SECONDS):
        current = indexing.current()
        if current is not None:
            name, status = current
            note = banner(f"正在加入《{name}》（{status}）。现在提问，答案只来自已经加入的文档。")
            yield gr.skip(), _lines([*batch.lines, f"⏳ {md_escape(name)}：{status}"]), note, *keep
    titles = "、".join(f"《{d.title}》" for d in batch.added)
    note = banner(f"已加入：{titles}。现在提问会同时检索它。") if batch.added else ""
    yield None, _lines(batch.lines), note, *_refresh(bot)


def _lines(lines: list[str]) -> str:
    return "  \n".join(lines)  # Markdown hard line breaks


def _upload_error(exc: ReportQAError, path: str, name: str) -> str:
    """The refusal in Chinese, naming the file as the user knows it (never the temporary path)."""
    message = explain_error(exc)[1].replace(str(path), name)
    return message if name in message else f"{name}：{message}"


def _remove(bot: ReportQA, doc_id: str | None, client: str) -> tuple:
    """Remove the chosen report; a refusal (none chosen, the last report) is shown, not raised."""
    if not doc_id:
        return "请先选择要移除的文档。", *_refresh(bot)
    try:
        info = bot.remove_document(doc_id, client=client)
    except ReportQAError as exc:
        return f"✗ {md_escape(explain_error(exc)[1])}", *_refresh(bot)
    return f"✓ 已移除《{md_escape(info.title)}》", *_refresh(bot)
