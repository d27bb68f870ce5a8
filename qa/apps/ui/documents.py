"""The 文档 tab: the indexed reports, and (for whoever may change the index) upload and removal.

Who may change the index is the server's ``Policy`` (qa.apps.guard). On a laptop (loopback, no admin
token) the upload and remove controls are simply there. Otherwise they are built hidden, behind a
管理 login: the token typed there is checked in constant time and kept in the session's ``gr.State``
(held on the server, never sent back to the browser), and every upload or removal checks it again,
so an event sent by hand without a login changes nothing. With no admin token configured on a
public server the controls are not built at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from qa.api import ReportQA
from qa.apps.guard import Policy
from qa.apps.ui.render import (
    document_choices,
    header_html,
    md_escape,
    region_choices,
    render_documents,
    year_choices,
)
from qa.errors import ReportQAError
from qa.ingest.loader import SUPPORTED_SUFFIXES
from qa.ingest.uploads import add_upload
from qa.schema import DocumentInfo

UPLOAD_TYPES = list(SUPPORTED_SUFFIXES)
PRIVATE: dict[str, Any] = {"api_visibility": "private"}  # UI plumbing, not part of the API


def documents_tab(
    bot: ReportQA, policy: Policy, demo: gr.Blocks, header: gr.HTML, filters: tuple[gr.Dropdown, ...]
) -> None:
    """The list of indexed reports and, where allowed, the controls that change it."""
    gr.Markdown("已索引的报告。上传新报告后即可在「问答」页提问，也可以用「检索范围」只问其中一份。")
    listing = gr.HTML(render_documents(bot.documents), elem_id="rq-documents", padding=False)
    shown = [listing, header, *filters]

    def current() -> tuple:
        return _refresh(bot)[: len(shown)]

    # The page as built shows the reports of start-up; each new page asks for what is indexed now,
    # so a report the admin added or removed since shows for every visitor who opens the page.
    demo.load(current, None, shown, **PRIVATE)
    if not policy.admin_possible:
        gr.Markdown("本站对访客只读：报告由管理员维护。", elem_id="rq-readonly")
        return
    token = gr.State("")  # this session's admin token: server-side only
    with gr.Column(visible=policy.open_changes, elem_id="rq-admin") as controls:
        upload = gr.File(
            label="上传报告（.txt .md .html .pdf .docx，可多选）",
            file_count="multiple",
            file_types=UPLOAD_TYPES,
            type="filepath",
            elem_id="rq-upload",
        )
        status = gr.Markdown("", elem_id="rq-upload-status")
        with gr.Row(equal_height=True):
            chosen = gr.Dropdown(
                choices=document_choices(bot.documents),
                value=None,
                label="移除报告",
                scale=4,
                elem_id="rq-remove-doc",
            )
            remove = gr.Button("移除所选报告", variant="stop", scale=1, elem_id="rq-remove")
    if not policy.open_changes:
        _login(policy, token, controls)
    refreshed = [*shown, chosen]

    def add(paths: list[str] | None, session_token: str, request: gr.Request) -> tuple:
        refusal = policy.refusal(session_token)
        if refusal is not None:  # an event sent without logging in
            return None, refusal.message, *_refresh(bot)
        return _add_files(bot, paths, _client(request))

    def drop(doc_id: str | None, session_token: str, request: gr.Request) -> tuple:
        refusal = policy.refusal(session_token)
        if refusal is not None:
            return refusal.message, *_refresh(bot)
        return _remove(bot, doc_id, _client(request))

    upload.upload(add, [upload, token], [upload, status, *refreshed], **PRIVATE)
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


def _add_files(bot: ReportQA, paths: list[str] | None, client: str) -> tuple:
    """Index uploaded files one by one, so one bad file does not keep the good ones out."""
    added: list[DocumentInfo] = []
    lines: list[str] = []
    for path in paths or []:
        name = Path(path).name
        try:
            new = add_upload(bot, path, name, client=client)  # checked, stored under the index, indexed
        except ReportQAError as exc:
            # The message names the temporary upload path; the user knows the file by its name.
            message = str(exc).replace(str(path), name)
            if name not in message:
                message = f"{name}：{message}"
            gr.Warning(message, title="无法加入")
            lines.append(f"✗ {md_escape(message)}")
            continue
        if new:
            added += new
            lines += [f"✓ 已加入《{md_escape(d.title)}》（{md_escape(name)}）" for d in new]
        else:
            lines.append(f"・ {md_escape(name)} 已在索引中，未重复加入")
    if added:
        gr.Info("、".join(f"《{d.title}》" for d in added), title="已加入索引")
    return None, "  \n".join(lines), *_refresh(bot)  # Markdown hard line breaks


def _remove(bot: ReportQA, doc_id: str | None, client: str) -> tuple:
    """Remove the chosen report; a refusal (none chosen, the last report) is shown, not raised."""
    if not doc_id:
        return "请先选择要移除的报告。", *_refresh(bot)
    try:
        info = bot.remove_document(doc_id, client=client)
    except ReportQAError as exc:
        gr.Warning(str(exc), title="无法移除")
        return f"✗ {md_escape(str(exc))}", *_refresh(bot)
    gr.Info(f"《{info.title}》", title="已移除")
    return f"✓ 已移除《{md_escape(info.title)}》", *_refresh(bot)
