"""The page speaks Chinese whatever language the browser is set to.

Gradio words its own controls (the upload box, the footer links, its settings panel) in the
language the browser reports, which it reads once as its script starts: with an English or French
browser they came out in English or French beside the page's Chinese. ``ChinesePage`` puts a small
script (``static/chinese.js``) first into the page's ``<head>``, ahead of Gradio's own, so that the
browser's language reads as Chinese, and marks the page itself as Chinese (Gradio's says
``lang="en"``). Gradio's ``head=`` option is no help: Gradio adds that html itself, after it has
chosen its language.

Gradio's page template also opens its head with link-preview tags of its own (og:title "Gradio",
"Click to try out the app!", an image on github.com): a link to the page shared in a chat showed
them. They are taken out, and the page's own preview tags (its title) get a Chinese description.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

_SCRIPT = resources.files("qa.apps.ui").joinpath("static", "chinese.js").read_text(encoding="utf-8")
_TAG = f"<script>{_SCRIPT}</script>".encode()
_HEAD = b"<head>"
# Gradio's template's own preview tags: its name, its slogan, its account, its site, its image.
_GRADIO_PREVIEW = re.compile(
    rb'\s*<meta\s+(?:property|name)="(?:og|twitter):\w+"\s+content="(?:Gradio|Click to try out the app!'
    rb'|@Gradio|@teamGradio|https://gradio\.app/|\{url\}|https://raw\.githubusercontent\.com/gradio-app/[^"]*)"\s*/>'
)
_EMPTY_DESCRIPTION = re.compile(rb'(<meta\s+(?:property|name)="(?:og|twitter):description"\s+content=)""')
DESCRIPTION = "用平常的话提问，答案逐字引自文档原文，附所在章节和出处。"


def as_chinese_page(page: bytes) -> bytes:
    """``page`` (html) with the script right after its ``<head>``, Gradio's own preview tags taken
    out and an empty preview description given in Chinese; unchanged without a head."""
    at = page.find(_HEAD)
    if at < 0:
        return page
    at += len(_HEAD)
    head_end = page.find(b"</head>", at)
    head_end = len(page) if head_end < 0 else head_end
    head = _GRADIO_PREVIEW.sub(b"", page[at:head_end])
    head = _EMPTY_DESCRIPTION.sub(rb'\1"' + DESCRIPTION.encode() + b'"', head)
    return page[:at] + _TAG + head + page[head_end:]


class ChinesePage:
    """ASGI middleware: every html page it sends is ``as_chinese_page``.

    Only html answers to GET are held back until complete (Gradio's page, about 100 KB); a HEAD of a
    page says no length (its length is known only from the rewritten body, which a HEAD never reads);
    everything else streams through untouched."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        parts: list[bytes] = []

        async def send_page(message: dict) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if not html or b"content-encoding" in headers:
                    await send(message)
                elif scope["method"] == "HEAD":
                    await send(_with_length(message, None))
                else:
                    start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            parts.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = as_chinese_page(b"".join(parts))
            await send(_with_length(start, len(body)))
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_page)


def _with_length(start: dict, length: int | None) -> dict:
    """The response's start message with its content-length set to ``length`` (none when None)."""
    headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
    said = [(b"content-length", str(length).encode())] if length is not None else []
    return {**start, "headers": [*headers, *said]}
