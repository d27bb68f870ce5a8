"""Files -> ``Document``: read a report, clean its text, infer its metadata.

Supported: ``.txt`` and ``.md`` (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030/GBK, Big5), ``.html`` and
``.htm`` (main text only), ``.pdf`` (text layer) and ``.docx`` (paragraphs and table rows).

The stored text is what every offset downstream points into, so it is cleaned here once and never
again: line ends become ``\\n``, each line is stripped (ASCII, full-width and no-break spaces), zero-width
characters are dropped and runs of blank lines become one. It is *not* NFKC-normalized; matching does
that on its own copy. Web-page chrome that users paste along with a report (the 索引号/发布机构 block on
top, 附件下载/扫一扫/相关解读 and the like at the bottom) is removed, its dates and issuer kept as metadata.

Metadata is inferred from the text and may be overridden by a sidecar ``<file>.meta.json`` or
``<stem>.meta.json`` holding any of ``title issuer region year date level``.

``year`` is the year printed in the report's title: ``紫帽镇人民政府2022年工作报告`` -> 2022, and
``2024年政府工作报告`` -> 2024 even though that national report reviews 2023 (it is delivered in March
2024). This follows how reports are titled and cited, and agrees with the ``year`` field of the reference
set in ``shared/datasets/gov_reports``. Without a year in the title the delivery year stands in (it is
what national and provincial titles print): the year of the ``——2024年3月5日在…会议上`` line, else the
year after a ``2023年工作回顾`` heading, else the header's publication date, else a year in the file name.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import logging
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, get_args

from qa.errors import DocumentError
from qa.ingest import limits
from qa.schema import Document, Level

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")

_DATA_DIR = Path(__file__).parents[1] / "data"
_BUNDLED_NAME = "zimao_2022.txt"
_SIDECAR_SUFFIX = ".meta.json"
_META_FIELDS = ("title", "issuer", "region", "year", "date", "level", "review_year")


# ---------------------------------------------------------------------------------------------- public


def bundled_report_path() -> Path:
    """Path of the bundled report (紫帽镇人民政府2022年工作报告, cleaned text) inside the package."""
    return _DATA_DIR / _BUNDLED_NAME


def load_bundled() -> Document:
    """Load the bundled report, with the metadata of its sidecar."""
    return load_document(bundled_report_path())


def load_document(path: str | Path) -> Document:
    """Load one file into a ``Document``: cleaned text plus inferred (or sidecar) metadata.

    Raises ``DocumentError`` with one line naming the file when it is missing, of an unsupported
    type, empty, binary, undecodable, a corrupt or text-less (scanned) PDF, or a .docx that is not one.
    """
    p = Path(path)
    if not p.exists():
        raise DocumentError(f"{p}: no such file")
    if p.is_dir():
        raise DocumentError(f"{p} is a folder; use load_paths to load the files in it")
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"{p}: unsupported file type '{suffix or '(none)'}'; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{p} could not be read: {exc.strerror or exc}") from exc
    if not data:
        raise DocumentError(f"{p} is empty")

    raw = _READERS[suffix](data, p)
    lines, fields = _strip_chrome(_clean_lines(raw))
    text = "\n".join(_collapse_blank_lines(lines))
    if not text:
        raise DocumentError(f"{p} has no text after cleaning")
    meta = _infer_metadata(text, fields, p.stem)
    meta.update(_read_sidecar(p))
    if "review_year" not in meta:
        meta["review_year"] = _review_year(text, meta["date"], meta["year"], meta["level"])
    return Document(text=text, source=p.name, **meta)


def load_paths(paths: Iterable[str | Path]) -> list[Document]:
    """Load files and folders, in the order given; a folder contributes its supported files, recursively,
    sorted by path. Sidecars (``*.meta.json``) and hidden files are skipped; a file named twice loads once.

    Raises ``DocumentError`` for a missing path, a folder with no supported file, or any bad file.
    """
    files: list[Path] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and _is_loadable(f.relative_to(p)))
            if not found:
                raise DocumentError(
                    f"{p}: no supported files in this folder ({', '.join(SUPPORTED_SUFFIXES)})"
                )
            files.extend(found)
        elif not p.name.lower().endswith(_SIDECAR_SUFFIX):
            files.append(p)  # load_document reports a missing or unsupported file
    seen: set[Path] = set()
    docs = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            docs.append(load_document(f))
    return docs


def _is_loadable(rel: Path) -> bool:
    # Hidden files and folders (.git, .DS_Store) and Word's "~$x.docx" lock files are never reports.
    if any(part.startswith((".", "~$")) for part in rel.parts):
        return False
    return rel.suffix.lower() in SUPPORTED_SUFFIXES


# ---------------------------------------------------------------------------------------------- readers

# Signatures of binary formats that a misnamed .txt is most often.
_MAGIC = {
    b"%PDF-": "a PDF",
    b"PK\x03\x04": "a zip archive (e.g. .docx or .xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc or .xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
}


def _read_markdown(data: bytes, path: Path) -> str:
    return _markdown_to_text(_decode_text(data, path))


def _decode_text(data: bytes, path: Path) -> str:
    """Decode text bytes: BOMs, then strict UTF-8, then GB18030 or Big5, then charset-normalizer's guess."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                break
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise DocumentError(f"{path} looks like a binary file, not text (it starts like {kind})")
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{path} looks like a binary file, not text")
    try:
        return data.decode("utf-8")  # the common case, and unambiguous when it succeeds
    except UnicodeDecodeError:
        pass
    # Both Chinese legacy codecs decode most byte soup, so each result must look like Chinese text.
    # GB18030 goes first: Big5 bytes decoded as GB18030 come out as kana, Cyrillic and box drawing and
    # fail the check, while GBK bytes decoded as Big5 would pass it. charset-normalizer alone misjudges
    # short Chinese texts, so it only gets a say for other encodings.
    for codec in ("gb18030", "cp950", "big5hkscs"):  # cp950 and HKSCS: the Big5 of Windows and of Hong Kong
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _cjk_plausibility(text) >= 0.9:
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _control_ratio(text) < 0.01:
            return text
    raise DocumentError(f"{path} looks like a binary file, not text (no UTF-8, GB18030 or Big5 reading fits)")


def _cjk_plausibility(text: str) -> float:
    """Share of the non-ASCII characters that Chinese text is made of (ideographs, CJK and full-width
    punctuation, common symbols); 1.0 when there are none."""
    chars = [c for c in text if ord(c) > 0x7F and not c.isspace()]
    if not chars:
        return 1.0
    return sum(1 for c in chars if _is_chinese_text_char(c)) / len(chars)


def _is_chinese_text_char(c: str) -> bool:
    o = ord(c)
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0x3000 <= o <= 0x303F  # CJK punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2000 <= o <= 0x206F  # general punctuation: — … “ ” ‘ ’
        or 0x2100 <= o <= 0x218F  # ℃ № Ⅰ Ⅱ
        or 0x2460 <= o <= 0x24FF  # ① ⑴ ⒈
        or 0x3200 <= o <= 0x33FF  # ㈠ ㎡ ㎞
        or c in "·×÷°±§¨"
    )


def _control_ratio(text: str) -> float:
    bad = sum(
        1 for c in text if c == "\ufffd" or (ord(c) < 0x20 and c not in "\t\n\r\f\v") or 0x7F <= ord(c) < 0xA0
    )
    return bad / max(1, len(text))


_MD_RULES = [  # [ \t], not \s: a pattern must not run across lines
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),  # ATX heading markers
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


def _read_html(data: bytes, path: Path) -> str:
    html = None
    m = _HTML_CHARSET.search(data[:4096])
    if m:
        codec = m.group(1).decode("ascii").lower()
        try:
            html = data.decode(_CODEC_ALIASES.get(codec, codec))
        except (LookupError, UnicodeDecodeError):
            html = None  # a wrong declaration is common; detect instead
    if html is None:
        html = _decode_text(data, path)
    # lxml refuses str input that carries an XML encoding declaration.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    import lxml.html
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception as exc:  # lxml raises ParserError or ValueError on an empty or non-HTML document
        raise DocumentError(f"{path} could not be parsed as HTML ({_one_line(exc)})") from exc
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
    text = re.sub(r"(?m)^- ", "", text or "")  # its marker for <li>; a list item may be an "一、…" heading
    if not text.strip():
        text = _html_fallback_text(tree)  # trafilatura gives up on very short pages
    return _table_rows_to_tabs(text.replace(_CELL_SEP, "\t"))


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


def _read_pdf(data: bytes, path: Path) -> str:
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
        pages = _pdf_pages_text(reader, path)
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many exception types on damaged files; all mean "corrupt"
        raise DocumentError(f"{path} is a corrupt PDF ({_one_line(exc)})") from exc
    finally:
        pypdf_logger.setLevel(level)
    if not any(page.strip() for page in pages):
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


def _read_docx(data: bytes, path: Path) -> str:
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
                lines.append(block.text)
    except Exception as exc:  # a zip without word/document.xml, or malformed XML inside
        raise DocumentError(f"{path} is not a readable .docx file ({_one_line(exc)})") from exc
    return "\n".join(lines)


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


_READERS = {
    ".txt": _decode_text,
    ".md": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:200]


# ---------------------------------------------------------------------------------------------- cleaning

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")  # keeps \t and the line breaks


def _clean_lines(text: str) -> list[str]:
    # splitlines() also splits on \r, \v, \f (pdf page breaks), \x1c-\x1e, \x85, \u2028 and \u2029.
    text = _CONTROL.sub("", text.translate(_ZERO_WIDTH))
    return [line.strip() for line in text.splitlines()]  # str.strip covers U+3000 and U+00A0


def _collapse_blank_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


# Labels of the metadata block government sites print above an article ("索 引 号:…", "发布机构:…").
_HEADER_LABELS = {
    "索引号", "发布机构", "发文机关", "发文机构", "所属机构", "公文生成日期", "生成日期", "发布日期",
    "成文日期", "发布时间", "时间", "日期", "来源", "信息来源", "文章来源", "文号", "发文字号", "主题分类",
    "分类", "体裁分类", "组配分类", "主题词", "关键词", "有效性", "浏览次数", "点击数", "阅读次数", "访问量",
    "作者", "编辑", "责任编辑", "字号", "字体", "名称", "标题", "公开方式", "公开范围", "信息分类",
    "当前位置", "您的位置", "您当前的位置", "分享到", "分享",
}  # fmt: skip
_HEADER_LINE = re.compile(r"^[•·●▪■◆\-*【\[]*\s*([^:：]{1,16}?)\s*[:：]\s*(.*)$")
# "首页 > 政务公开 > …", or its pieces when each link landed on a line of its own.
_BREADCRUMB = re.compile(r"^(?:(?:网站)?首页\s*(?:[>＞»›/]|$)|[>＞»›]$)")
# Markers that start the block of links and buttons below an article.
_FOOTER_MARKERS = (
    "附件下载", "扫一扫", "相关解读", "相关文件", "相关链接", "相关阅读", "相关新闻", "打印本页", "关闭窗口",
    "上一篇", "下一篇", "返回顶部", "网站地图", "责任编辑", "版权所有", "主办单位", "承办单位", "网站标识码",
)  # fmt: skip
_FOOTER_EXACT = {"附件", "打印", "关闭", "分享", "分享到"}  # too common to match as prefixes of a body line
_ATTACHMENT_FILE = re.compile(r"^\S.{0,80}\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar|txt)$", re.I)
_SALUTATION = re.compile(r"^(?:各位代表|同志们|各位委员)")
_SPEECH_DATE = re.compile(
    r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*在"
)
_DASH_START = re.compile(r"^[—―－\-]{1,2}|^[（(]")


def _header_field(line: str) -> tuple[str, str] | None:
    """``• 发布机构:紫帽镇人民政府`` -> ("发布机构", "紫帽镇人民政府"); None for any other line."""
    m = _HEADER_LINE.match(line)
    if not m:
        return None
    label = re.sub(r"\s+", "", m.group(1))
    if label not in _HEADER_LABELS:
        return None
    return label, m.group(2).strip(" 】]")


def _is_footer_marker(line: str) -> bool:
    key = re.sub(r"[\s【】\[\]()（）:：]", "", line)
    if key in _FOOTER_EXACT:
        return True
    return key.startswith(_FOOTER_MARKERS) or ("ICP备" in key and len(key) < 60)


def _is_body_line(line: str) -> bool:
    return bool(_SALUTATION.match(line) or len(line) > 40 or _SPEECH_DATE.search(line))


def _strip_chrome(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Remove page chrome: header fields and breadcrumbs above the report, a repeated title, and the
    links block below it. Returns the remaining lines and the header fields (label -> value).

    Conservative on purpose: only lines above the first body line (salutation, speech line or long
    paragraph) can be header; a lone ``时间:…`` line there may be content, so header fields go only when
    there are two or more; and the footer is cut only where every line after its first marker is short.
    """
    zone_end, field_rows = len(lines), []
    for i, line in enumerate(lines):
        if i >= 40 or (line and _is_body_line(line) and not _header_field(line)):
            zone_end = i
            break
        if line and _header_field(line):
            field_rows.append(i)
    if len(field_rows) < 2 and not any(len(re.findall("[:：]", lines[i])) >= 2 for i in field_rows):
        field_rows = []
    fields: dict[str, str] = {}
    for i in field_rows:
        label, value = _header_field(lines[i]) or ("", "")
        fields.setdefault(label, value)

    out: list[str] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if i < zone_end and line:
            key = re.sub(r"\s+", "", line)
            if i in field_rows or _BREADCRUMB.match(line) or key in seen:
                continue  # a header field, a breadcrumb, or the title printed a second time
            seen.add(key)
        out.append(line)

    nonblank = [i for i, line in enumerate(out) if line]
    for i in nonblank[-40:]:
        if _is_footer_marker(out[i]) and all(len(out[j]) <= 40 for j in nonblank if j > i):
            out = out[:i]
            break
    while True:  # an attachment's file name (and its label) left just above the links block
        last = next((i for i in range(len(out) - 1, -1, -1) if out[i]), None)
        if last is None or not (_ATTACHMENT_FILE.match(out[last]) or _is_footer_marker(out[last])):
            break
        out = out[:last]
    return out, fields


# ---------------------------------------------------------------------------------------------- metadata

_UNIT = r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|省|市|州|盟|县|区|旗|镇|乡)"
_REGION = rf"[\u4e00-\u9fff]{{1,20}}?{_UNIT}"
# Unit words that the region pattern can match on their own ("自治" + "区"): not a named region.
_BARE_UNITS = {"特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "街道", "新区", "城区", "市区"}
_HEAD_OF = "(?:省长|市长|县长|区长|镇长|乡长|主席|旗长|州长)"  # the speaker line: 福建省人民政府省长 赵龙
_MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
_TITLE_WORDS = ("工作报告", "报告", "规划", "纲要", "意见", "通知", "决定", "方案", "公报", "办法", "讲话")
_NATIONAL = re.compile(
    r"国务院总理|(?:代表|受|根据)[^，。]{0,8}国务院|国务院的?(?:决定|委托)|全国人民代表大会"
)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}


_REVIEW_HEADING = re.compile(r"(?m)^.{0,6}?(\d{4})\s*年(?:国内)?工作(?:的)?回顾")


def _infer_metadata(text: str, fields: dict[str, str], stem: str) -> dict[str, Any]:
    """Title, issuer, region, year, date and level from the text and the page-header fields."""
    lines = [line for line in text.split("\n") if line]
    head = _head(lines)
    head_text = "".join(head)  # a speech line may be broken over two lines
    opening = text[:3000]

    title_found = _infer_title(head)
    title = title_found or stem
    region, level = _infer_region(title_found or "", head, head_text, opening, fields)
    issuer = _infer_issuer(title_found or "", head, opening, fields, region, level)

    speech = _SPEECH_DATE.search(head_text)
    speech_date = _date(speech.group("y"), speech.group("m"), speech.group("d")) if speech else None
    header_date = next(
        (d for label in ("成文日期", "公文生成日期", "发布日期", "生成日期", "发布时间", "日期", "时间")
         if label in fields and (d := _parse_date(fields[label]))),
        None,
    )  # fmt: skip
    date = header_date or speech_date

    year = _year_in(title_found or "")
    if year is None and speech_date:
        year = int(speech_date[:4])
    if year is None:
        review = _REVIEW_HEADING.search(text[:5000])
        year = int(review.group(1)) + 1 if review else None  # a report reviews the year before its own
    if year is None and header_date:
        year = int(header_date[:4])
    if year is None:
        year = _year_in(stem, suffix="")
    return {"title": title, "issuer": issuer, "region": region, "year": year, "date": date, "level": level}


def _review_year(text: str, date: str | None, year: int | None, level: Level | None) -> int | None:
    """The year the report looks back on: its "N年工作回顾" heading, else the year before an
    early-in-the-year delivery date (reports are delivered in January-March), else the year before
    a State Council report's title year (it is titled by delivery), else ``year``."""
    heading = _REVIEW_HEADING.search(text[:20000])
    if heading:
        return int(heading.group(1))
    if date:
        return int(date[:4]) - 1 if int(date[5:7]) <= 6 else int(date[:4])
    if year is not None and level == "national":
        return year - 1
    return year


def _head(lines: list[str]) -> list[str]:
    """The lines above the salutation or the first paragraph: title, speech line, speaker."""
    head = []
    for line in lines[:12]:
        if _SALUTATION.match(line) or (len(line) > 60 and not _SPEECH_DATE.search(line)):
            break
        head.append(line)
    return head


def _infer_title(head: list[str]) -> str | None:
    candidates = [re.split(r"[—―]{2}|--", line)[0].strip() for line in head]
    candidates = [c for c in candidates if c and _is_heading_like(c)]
    for word in _TITLE_WORDS:  # in order of preference, so a "…工作报告" beats a "规划计划" menu entry
        for c in candidates:
            if word in c:
                return c
    return candidates[0] if candidates and head and candidates[0] == head[0] else None


def _is_heading_like(line: str) -> bool:
    return (
        2 <= len(line) <= 60
        and not line.endswith(("。", "；", "：", ":", "，", ",", "！", "？", "!", "?"))
        and not _DASH_START.match(line)
        and not _SPEECH_DATE.search(line)
    )


def _infer_region(
    title: str, head: list[str], head_text: str, opening: str, fields: dict[str, str]
) -> tuple[str | None, Level | None]:
    if re.search(r"国务院|中华人民共和国|全国", title):
        return "全国", "national"
    bare_level: Level | None = None
    stripped_title = re.sub(r"\d{4}\s*年度?", "", title)
    candidates = [
        re.match(rf"(?P<r>{_REGION})(?:人民)?政府", stripped_title),
        re.search(rf"在(?P<r>{_REGION})第?[一二三四五六七八九十百零〇\d]+届", head_text),
        *(re.match(rf"(?P<r>{_REGION})(?:人民政府)?{_HEAD_OF}", line) for line in head),
        re.search(rf"我代表(?P<r>{_REGION}|省|市|县|区|镇|乡)人民政府", opening),
        re.match(rf"(?P<r>{_REGION})人民政府", fields.get("发布机构", "") or fields.get("发文机关", "")),
    ]
    for m in candidates:
        if not m:
            continue
        r = m.group("r")
        if _is_named(r):
            return r, _level_of(r)
        bare_level = bare_level or _level_of(r)
    if bare_level:  # "我代表省人民政府": a level without a name
        return None, bare_level
    if "全国人民代表大会" in head_text or _NATIONAL.search(opening):
        return "全国", "national"
    return None, None


def _level_of(region: str) -> Level | None:
    if region == "全国":
        return "national"
    if region in _MUNICIPALITIES or region.endswith(("省", "自治区", "特别行政区")):
        return "province"
    if region.endswith(("镇", "乡", "街道")):
        return "town"
    if region.endswith(("市", "州", "盟", "地区")):
        return "city"
    if region.endswith(("县", "区", "旗")):
        return "county"
    return None


def _infer_issuer(
    title: str, head: list[str], opening: str, fields: dict[str, str], region: str | None, level: Level | None
) -> str | None:
    explicit = fields.get("发布机构") or fields.get("发文机关") or fields.get("发文机构")
    if explicit:
        return explicit
    named = [
        *(re.match(rf"(?P<r>{_REGION})人民政府", s) for s in (re.sub(r"\d{4}\s*年度?", "", title), *head)),
        re.search(rf"我代表(?P<r>{_REGION})人民政府", opening),
    ]
    for m in named:
        if m and _is_named(m.group("r")):
            return m.group("r") + "人民政府"
    if level == "national":
        return "国务院"
    return f"{region}人民政府" if region else None


def _is_named(region: str) -> bool:
    """False for what the region pattern matches that is no place name: "自治区", "市人民政府…市"."""
    return len(region) > 1 and region not in _BARE_UNITS and "政府" not in region


def _cn_int(s: str) -> int:
    """``2026`` / ``二〇二六`` / ``二十七`` -> int."""
    if s.isdigit():
        return int(s)  # int() also reads full-width digits
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in s))


def _date(y: str, m: str, d: str) -> str | None:
    try:
        return dt.date(_cn_int(y), _cn_int(m), _cn_int(d)).isoformat()
    except (ValueError, KeyError):
        return None


def _parse_date(value: str) -> str | None:
    m = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", value)
    return _date(*m.groups()) if m else None


def _year_in(s: str, suffix: str = "年") -> int | None:
    m = re.search(rf"(?<!\d)(\d{{4}}|[〇○零一二三四五六七八九]{{4}})(?!\d){suffix}", s)
    if not m:
        return None
    year = _cn_int(m.group(1))
    return year if 1900 <= year <= 2100 else None


# ---------------------------------------------------------------------------------------------- sidecar


def _sidecar_path(path: Path) -> Path | None:
    for name in (path.name + _SIDECAR_SUFFIX, path.stem + _SIDECAR_SUFFIX):
        candidate = path.with_name(name)
        if candidate.is_file():
            return candidate
    return None


def _read_sidecar(path: Path) -> dict[str, Any]:
    """Metadata from the file's sidecar, validated; ``{}`` when there is none."""
    sidecar = _sidecar_path(path)
    if sidecar is None:
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(f"{sidecar} is not valid JSON ({_one_line(exc)})") from exc
    if not isinstance(meta, dict):
        raise DocumentError(f"{sidecar} must hold a JSON object")
    unknown = sorted(set(meta) - set(_META_FIELDS))
    if unknown:
        allowed = ", ".join(_META_FIELDS)
        raise DocumentError(f"{sidecar}: unknown field(s) {', '.join(unknown)}; allowed: {allowed}")
    for key, value in meta.items():
        problem = _sidecar_problem(key, value)
        if problem:
            raise DocumentError(f"{sidecar}: '{key}' {problem}")
    return meta


def _sidecar_problem(key: str, value: Any) -> str | None:
    if key == "title":
        return None if isinstance(value, str) and value.strip() else "must be a non-empty string"
    if value is None:
        return None  # an explicit null says "unknown", overriding a wrong inference
    if key in ("issuer", "region"):
        return None if isinstance(value, str) else "must be a string or null"
    if key in ("year", "review_year"):
        ok = isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100
        return None if ok else "must be a year (integer 1900-2100) or null"
    if key == "date":
        try:
            ok = isinstance(value, str) and dt.date.fromisoformat(value).isoformat() == value
        except ValueError:
            ok = False
        return None if ok else "must be an ISO date yyyy-mm-dd or null"
    if key == "level":
        return None if value in get_args(Level) else f"must be one of {', '.join(get_args(Level))} or null"
    return None
