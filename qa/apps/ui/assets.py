"""How the web interface looks and behaves in the browser: the theme, the CSS, the chat's scroll
script and the page script (copy buttons, series chart points).

The CSS and the script are real files in ``static/`` (shipped as package data), read once when this
module is imported.
"""

from __future__ import annotations

from importlib import resources
from typing import Any, Literal

import gradio as gr

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

# Every UI event: kept out of the public API, and with Gradio's own status text hidden (it reads
# "In queue: 1 of 2" / "processing | 6.4s" in English); the page says what is going on itself.
PRIVATE: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}

# The key figures' table's columns (qa.apps.ui.facts), as shares of its width (%):
# 编号 指标 数值 变化 变化率 时期 年份 出处.
COLUMN_WIDTHS = (7, 22, 14, 16, 9, 7, 7, 18)
PHONE_TABLE_PX = 760  # the table's width on a phone, where it scrolls sideways in its box


def phone_table_css() -> str:
    """On a phone the table keeps ``PHONE_TABLE_PX`` and scrolls sideways, so that words stay whole:
    Gradio sizes each column as a share of the box, and the header and the rows came apart. (No
    ``:is()``: Gradio scopes each selector of a rule, split at its commas.)"""
    cells = ("#rq-facts-table thead th", "#rq-facts-table .virtual-row > *")
    sized = "flex: 0 0 var(--rq-w) !important; width: var(--rq-w) !important;"
    sized += " min-width: var(--rq-w) !important; max-width: var(--rq-w) !important;"
    columns = "".join(
        f"{cells[0]}:nth-child({n}), {cells[1]}:nth-child({n}) {{ --rq-w: {w * PHONE_TABLE_PX // 100}px; }}"
        for n, w in enumerate(COLUMN_WIDTHS, start=1)
    )
    return (
        "@media (max-width: 640px) {"
        f"#rq-facts-table table, #rq-facts-table .virtual-body {{ min-width: {PHONE_TABLE_PX}px; }}"
        f"{', '.join(cells)} {{ {sized} }}{columns}}}"
    )


_STATIC = resources.files("qa.apps.ui").joinpath("static")
CSS = _STATIC.joinpath("ui.css").read_text(encoding="utf-8") + phone_table_css()
# (mode) => ...: scrolls the chat to the bottom ("bottom") or to the start of the new reply ("reply").
_SCROLL = _STATIC.joinpath("scroll.js").read_text(encoding="utf-8").strip()
PAGE_JS = _STATIC.joinpath("page.js").read_text(encoding="utf-8").strip()


def scroll_js(mode: Literal["bottom", "reply"]) -> str:
    """The browser-only event step that scrolls the chat (``mode`` "bottom" or "reply")."""
    return f"() => ({_SCROLL})({mode!r})"


# Back to the question box once an answer is in, for keyboard users (the focus had dropped to the
# page: 17 Tab presses back after one answer, 21 after two); not on a touch screen, where it would
# bring up the keyboard over the answer, nor when the reader has moved the focus somewhere.
FOCUS_QUESTION_JS = (
    "() => { if (matchMedia('(pointer: fine)').matches && document.activeElement === document.body)"
    " document.querySelector('#rq-question textarea')?.focus(); }"
)


def ui_assets() -> dict[str, Any]:
    """Theme, CSS and page script for ``gr.mount_gradio_app`` / ``Blocks.launch`` (Gradio 6 takes
    them there)."""
    theme = gr.themes.Soft(
        primary_hue="amber", secondary_hue="blue", neutral_hue="slate", font=SANS_FONTS, font_mono=MONO_FONTS
    )
    return {"theme": theme, "css": CSS, "js": PAGE_JS}
