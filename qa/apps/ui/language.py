"""The page speaks Chinese whatever language the browser is set to.

Gradio words its own controls (the upload box, the footer links, its settings panel) in the
language the browser reports, which it reads once as its script starts: with an English or French
browser they came out in English or French beside the page's Chinese. ``ChinesePage`` puts a small
script (``static/chinese.js``) first into the page's ``<head>``, ahead of Gradio's own, so that the
browser's language reads as Chinese, and marks the page itself as Chinese (Gradio's says
``lang="en"``). Gradio's ``head=`` option is no help: Gradio adds that html itself, after it has
chosen its language.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

_SCRIPT = resources.files("qa.apps.ui").joinpath("static", "chinese.js").read_text(encoding="utf-8")
_TAG = f"<script>{_SCRIPT}</script>".encode()
_HEAD = b"<head>"


def with_chinese_script(page: bytes) -> bytes:
    """``page`` (html) with the script right after its ``<head>``; unchanged without one."""
    at = page.find(_HEAD)
    if at < 0:
        return page
    at += len(_HEAD)
    return page[:at] + _TAG + page[at:]


class ChinesePage:
    """ASGI middleware: every html page it sends carries ``static/chinese.js`` first in its head.

    Only html answers to GET are held back until complete (Gradio's page, about 100 KB); a HEAD
    answer gives the length the GET would have (Gradio's pages all have a head); everything else
    streams through untouched."""

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
                    length = int(headers.get(b"content-length", b"0")) + len(_TAG)
                    await send(_with_length(message, length))
                else:
                    start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            parts.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = with_chinese_script(b"".join(parts))
            await send(_with_length(start, len(body)))
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_page)


def _with_length(start: dict, length: int) -> dict:
    """The response's start message with its content-length set to ``length``."""
    headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
    return {**start, "headers": [*headers, (b"content-length", str(length).encode())]}
