"""Bytes -> text, one reader per file format: ``.txt`` ``.md`` ``.html``/``.htm`` ``.pdf`` ``.docx``.

``READERS`` maps each supported suffix to its reader. A reader returns the raw text of the file (one
line per paragraph, table row or PDF text line); cleaning it is ``qa.ingest.cleaning``'s job. Every
failure is a ``DocumentError`` whose one line names the file.

Text files are decoded by ``qa.ingest.encodings``.
"""

from __future__ import annotations

import copy
import io
import itertools
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qa.errors import DocumentError
from qa.ingest import limits
from qa.ingest.encodings import decode_text
from qa.ingest.outline import marked
from qa.ingest.pdf_pages import strip_page_furniture, unspaced

__all__ = [
    "READERS",
    "one_line",
    "read_docx",
    "read_html",
    "read_markdown",
    "read_pdf",
]


def read_markdown(data: bytes, path: Path) -> str:
    """A Markdown file's text: decoded like a .txt, markup removed, table rows joined by tabs."""
    return _markdown_to_text(decode_text(data, path))


_MD_RULES = [  # [ \t], not \s: a pattern must not run across lines
    # ATX headings keep their marks, closing ones dropped: the loader reads their levels (qa.ingest.outline)
    (re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1 \2"),
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.M), ""),  # horizontal rules
    # table rules (|---|:---|), with their line end so the rows stay together
    (re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*\n?", re.M), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> link text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
]


def _markdown_to_text(text: str) -> str:
    # Only the markup a converted report carries; list markers stay, they can be the numbering.
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return _table_rows_to_tabs(text)


def _table_rows_to_tabs(text: str) -> str:
    """``| a | b |`` (Markdown, and trafilatura's table output) -> ``a<TAB>b``: one table row per line."""

    def row(m: re.Match[str]) -> str:
        return "\t".join(cell.strip() for cell in m.group(1).split("|") if cell.strip())

    return re.sub(r"^[ \t]*\|(.*)\|[ \t]*$", row, text, flags=re.M)


_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
# GB2312 and GBK are declared by pages that use the whole of GBK; GB18030 reads all of them.
_CODEC_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def read_html(data: bytes, path: Path) -> str:
    """A web page's main text (trafilatura), data tables one row per line; the page's own charset
    declaration is tried first, then detection."""
    html = None
    m = _HTML_CHARSET.search(data[:4096])
    if m:
        codec = m.group(1).decode("ascii").lower()
        try:
            html = data.decode(_CODEC_ALIASES.get(codec, codec))
        except (LookupError, UnicodeDecodeError):
            html = None  # a wrong declaration is common; detect instead
    if html is None:
        html = decode_text(data, path)
    # lxml refuses str input that carries an XML encoding declaration.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    import lxml.html
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    # huge_tree: libxml2 otherwise drops the rest of a page after one node over 10 MB (an inline
    # picture as a data: URI, an inlined script), and the page read as its first lines only.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except Exception as exc:  # lxml raises ParserError or ValueError on an empty or non-HTML document
        raise DocumentError(f"{path} could not be parsed as HTML ({one_line(exc)})") from exc
    _flatten_data_tables(tree)
    # favor_recall keeps short lines such as headings and "各位代表："; the pruned elements are chrome
    # that trafilatura still keeps on short pages.
    text = trafilatura.extract(
        copy.deepcopy(tree),
        favor_recall=True,
        include_tables=True,
        include_comments=False,
        deduplicate=False,
        prune_xpath=[f"//{tag}" for tag in ("nav", "header", "footer", "aside", "form")],
    )
    # Its marker for <li> stays, as Markdown's does (a list's items: qa.pipeline.lists), but before a
    # number: a list item may be an "一、…" heading.
    text = _NUMBERED_ITEM.sub("", text or "")
    if not text.strip():
        text = _html_fallback_text(tree)  # trafilatura gives up on very short pages
    return _table_rows_to_tabs(_with_levels(tree, _with_head(tree, text)).replace(_CELL_SEP, "\t"))


_NUMBERED_ITEM = re.compile(
    r"(?m)^- (?=第?[一二三四五六七八九十百\d]+[、.．章节条]|[（(][一二三四五六七八九十\d]+[）)])"
)


def _with_levels(tree: Any, text: str) -> str:
    """``text`` with each line that is a heading of the page (<h1>–<h6>, in order) marked with its level."""
    headings = [
        (int(h.tag[1]), " ".join(h.text_content().split()))
        for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]
    headings = [(level, title) for level, title in headings if title]
    lines = text.split("\n")
    at = 0  # headings before it are placed; one the extraction dropped is skipped
    for i, line in enumerate(lines):
        found = next((j for j in range(at, len(headings)) if headings[j][1] == " ".join(line.split())), None)
        if found is not None:
            lines[i] = marked(*headings[found])
            at = found + 1
    return "\n".join(lines)


# A page's byline under its heading: 发布时间：2026-01-18　来源：… (who issued it and when).
_BYLINE = re.compile(r"(?:发布|印发|发文|成文|更新)(?:时间|日期)|来源[:：]|发布机构|发文机关")
_TITLE_SUFFIX = re.compile(r"\s*[-_|｜—–]\s*[^-_|｜—–]{1,30}$")  # " - 青溪市人民政府网" after a page title


def _with_head(tree: Any, text: str) -> str:
    """``text`` with the page's heading (its first <h1>, else its <title> without the site's name) and
    the byline under it in front, when the extracted text lacks them: trafilatura keeps both as
    metadata only, and a notice's page was titled with its first question and lost its date."""
    h1 = next((" ".join(h.text_content().split()) for h in tree.iter("h1") if h.text_content().strip()), "")
    title = h1 or _TITLE_SUFFIX.sub("", " ".join((tree.findtext(".//title") or "").split()))
    head = [title] if title and title not in text[: len(title) + 200] else []
    # A byline is a short line near the top: the first elements only, and no wrapping <div> (the text
    # of a div holding others is the page's, read again for each one nested in it).
    near_top = itertools.islice(
        (e for e in tree.iter("p", "div", "span", "time") if e.tag != "div" or len(e) == 0), 300
    )
    for element in near_top:
        line = " ".join(element.text_content().split())
        if len(line) <= 120 and _BYLINE.search(line):
            lines = text.split("\n")
            if line not in (" ".join(kept.split()) for kept in lines[:3]):  # trafilatura may keep it last
                text = "\n".join(kept for kept in lines if " ".join(kept.split()) != line)
                head.append(line)
            break
    return "\n".join([*head, text]) if head else text


_HTML_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe")
_HTML_BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tbody",
    "thead", "tr", "section", "article", "main", "blockquote", "pre", "address", "figure", "figcaption",
}  # fmt: skip


# Joins the cells of a flattened table row; trafilatura turns a tab into a space, so a stand-in travels
# through it and becomes the tab afterwards.
_CELL_SEP = "\u241f"


def _flatten_data_tables(tree: Any) -> None:
    """Replace each data table by one ``<p>`` per row, cells joined by a tab.

    trafilatura prints a table's cells sometimes row by row and sometimes one per line; a paragraph per
    row reads the same every time. Layout tables (nested tables, or cells holding whole paragraphs)
    are left alone, or a page laid out in a table would become one line.
    """
    from lxml import etree

    for table in reversed(list(tree.iter("table"))):  # innermost first
        cells = table.xpath(".//td|.//th")
        if table.xpath(".//table") or any(len(cell.text_content()) > 100 for cell in cells):
            continue
        block = etree.Element("div")
        for row in table.xpath(".//tr"):
            texts = [" ".join(cell.text_content().split()) for cell in row.xpath("./td|./th")]
            para = etree.SubElement(block, "p")
            para.text = _CELL_SEP.join(t for t in texts if t)
        block.tail = table.tail
        table.getparent().replace(table, block)


def _html_fallback_text(tree: Any) -> str:
    """Visible text with page chrome elements dropped and each block element on its own line."""
    for el in tree.xpath("|".join(f"//{tag}" for tag in _HTML_DROP)):
        el.drop_tree()
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ("td", "th"):
            el.tail = "\t" + (el.tail or "")
        elif el.tag == "br" or el.tag in _HTML_BLOCKS:
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
    body = tree.find("body")
    return (body if body is not None else tree).text_content()


def read_pdf(data: bytes, path: Path) -> str:
    """The text layer of a PDF, page after page; refuses encrypted, corrupt, over-long and scanned PDFs."""
    if b"%PDF-" not in data[:1024]:
        raise DocumentError(f"{path} is not a PDF (no %PDF- header): the file is corrupt or misnamed")
    from pypdf import PdfReader

    # pypdf logs a warning for every flaw it works around (common in government PDFs); the outcome is
    # reported here as a DocumentError or not at all, so keep its warnings off the user's terminal.
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"{path} is a password-protected PDF; remove the password first")
        limits.check_pdf_pages(len(reader.pages), path)  # before any page is read
        pages = [unspaced(page) for page in strip_page_furniture(_pdf_pages_text(reader, path))]
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many exception types on damaged files; all mean "corrupt"
        raise DocumentError(f"{path} is a corrupt PDF ({one_line(exc)})") from exc
    finally:
        pypdf_logger.setLevel(level)
    # Digits alone are no text either: a PDF whose fonts map no glyph to a character reads back as
    # its figures only (a helper's notice had been added, titled 《202537》).
    if not any(ch.isalpha() for page in pages for ch in page):
        raise DocumentError(
            f"{path} has no text layer: it is probably a scan and needs OCR first (e.g. ocrmypdf)"
        )
    return "\n".join(pages)


def _pdf_pages_text(reader: Any, path: Path) -> list[str]:
    """Each page's text, within ``limits.PDF_SECONDS`` for the whole document."""
    started, total, pages = time.monotonic(), len(reader.pages), []
    for page in reader.pages:
        if len(pages) >= limits.MAX_PDF_PAGES:  # a page tree holding more pages than /Count says
            limits.check_pdf_pages(len(pages) + 1, path)
        if time.monotonic() - started > limits.PDF_SECONDS:
            raise limits.pdf_too_slow(path, len(pages), total)
        pages.append(page.extract_text() or "")
    return pages


def read_docx(data: bytes, path: Path) -> str:
    """A .docx's paragraphs and table rows (cells joined by tabs) in document order; zip bombs refused."""
    limits.check_docx_archive(data, path)  # zip bombs are refused before anything is unpacked
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_docx_table_rows(block))
            else:
                level = _DOCX_HEADING.fullmatch(block.style.name if block.style is not None else "")
                lines.append(
                    marked(int(level.group(1)), block.text) if level and block.text.strip() else block.text
                )
    except Exception as exc:  # a zip without word/document.xml, or malformed XML inside
        raise DocumentError(f"{path} is not a readable .docx file ({one_line(exc)})") from exc
    return "\n".join(lines)


# Word's heading styles by name (Heading 2; 标题 2 where a Chinese Word or WPS names its own).
_DOCX_HEADING = re.compile(r"(?:heading|标题)\s*([1-6])", re.I)


def _docx_table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column it spans
                continue
            seen.add(id(cell._tc))
            text = " ".join(line.strip() for line in cell.text.splitlines() if line.strip())
            if text:
                cells.append(text)
        rows.append("\t".join(cells))
    return rows


READERS: dict[str, Callable[[bytes, Path], str]] = {
    ".txt": decode_text,
    ".md": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def one_line(exc: BaseException) -> str:
    """An exception as one short line for a ``DocumentError`` message: its type, then its text."""
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
