"""What the web interface shows, the shared pieces: escaping and marking text, the page header, the
document list and the filters' choices (answers: ``qa.apps.ui.answers``; key figures:
``qa.apps.ui.facts``).

Pure functions of the records in ``qa.schema``; ``qa.apps.ui.app`` wires them to Gradio. Every
piece of document text is HTML-escaped here before it reaches the page: uploaded documents are
untrusted, and Gradio's own sanitizer is a second line of defence, not the first.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from qa.schema import DocumentInfo, Passage, document_noun

LEVEL_LABELS = {"national": "国家", "province": "省级", "city": "市级", "county": "县级", "town": "乡镇"}


# ---------------------------------------------------------------- text


def escape(text: str) -> str:
    """HTML-escape document text and keep its line breaks (as <br>, never a raw newline).

    A raw newline could end the HTML block in the chat's Markdown renderer, after which the rest of
    the document text would be read as Markdown; one line of HTML stays HTML.
    """
    return html.escape(text).replace("\r", "").replace("\n", "<br>")


def mark_span(text: str, span: tuple[int, int] | None, tag: str = "mark") -> str:
    """``text`` as escaped HTML with ``span`` (character offsets) wrapped in ``<tag>``."""
    if not span:
        return escape(text)
    start, end = max(0, span[0]), min(len(text), span[1])
    if start >= end:
        return escape(text)
    return f"{escape(text[:start])}<{tag}>{escape(text[start:end])}</{tag}>{escape(text[end:])}"


def section_path(passage: Passage) -> str:
    """The passage's section headings joined with " › " (empty for text before any heading)."""
    return " › ".join(s for s in passage.section if s)


# ---------------------------------------------------------------- documents


def render_documents(documents: Sequence[DocumentInfo]) -> str:
    """The 文档 list: one card per indexed document with its metadata (wraps at phone width)."""
    if not documents:
        return '<div class="rq-docs-empty">索引中还没有文档。</div>'
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
        # The file name is the user's own text (content, like the report's): marked rq-file.
        chips = "".join(
            f'<span class="rq-fact{" rq-file" if key == "文件" else ""}">'
            f'<span class="rq-fact-key">{key}</span>{escape(value)}</span>'
            for key, value in facts
            if value
        )
        cards.append(
            '<div class="rq-doc-card">'
            f'<div class="rq-doc-title">{escape(d.title)}</div>'
            f'<div class="rq-facts">{chips}</div>'
            f'<div class="rq-doc-id">ID {escape(d.doc_id)}</div>'
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
    """The years of the year filter, newest first."""
    return sorted({d.year for d in documents if d.year is not None}, reverse=True)


def region_choices(documents: Sequence[DocumentInfo]) -> list[str]:
    """The regions of the region filter, sorted."""
    return sorted({d.region for d in documents if d.region})


def page_title(documents: Sequence[DocumentInfo]) -> str:
    """The page's name: 政府工作报告问答 over work reports, 文档问答 once any other kind is indexed
    (a library of notices and guides had been headed as work reports)."""
    return "文档问答" if document_noun(d.title for d in documents) == "文档" else "政府工作报告问答"


def header_html(documents: Sequence[DocumentInfo]) -> str:
    """The page header: the title, the promise, and which reports are indexed."""
    noun = document_noun(d.title for d in documents)
    if not documents:
        indexed = "索引中还没有文档，请在「文档」页上传。"
    elif len(documents) == 1:
        indexed = f"当前{noun}：《{escape(documents[0].title)}》"
    else:
        indexed = f"当前共 {len(documents)} 份{noun}，最新加入：《{escape(documents[-1].title)}》"
    return (
        f'<div id="rq-header"><h1>{page_title(documents)}</h1>'
        f"<p>答案逐字摘自{noun}原文并注明出处；{noun}里没有的，就直说没有。</p>"
        f'<p class="rq-docs">{indexed}</p></div>'
    )


def banner(text: str) -> str:
    """A one-line notice over the chat (what is being added to the index, what was)."""
    return f'<div class="rq-banner">{escape(text)}</div>'


def md_escape(text: str) -> str:
    """Text for a Markdown line: HTML-escaped, and Markdown punctuation neutralized."""
    escaped = html.escape(text.replace("\n", " "), quote=False)
    for char in "\\`*_[]()#!|~":
        escaped = escaped.replace(char, "\\" + char)
    return escaped
