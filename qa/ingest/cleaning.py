"""Raw text -> clean lines: line ends, spaces, invisible characters, and the chrome of web pages.

The stored text is what every offset downstream points into, so it is cleaned here once and never
again: line ends become ``\\n``, each line is stripped (ASCII, full-width and no-break spaces), zero-width
characters are dropped and runs of blank lines become one. It is *not* NFKC-normalized; matching does
that on its own copy. Web-page chrome that users paste along with a report (the 索引号/发布机构 block on
top, 附件下载/扫一扫/相关解读 and the like at the bottom) is removed; its fields are returned, because
their dates and issuer are metadata (``qa.ingest.metadata``).
"""

from __future__ import annotations

import re

from qa.text.sentences import SEPARATING_COLON

__all__ = ["SALUTATION", "SPEECH_DATE", "clean_lines", "collapse_blank_lines", "is_byline", "strip_chrome"]

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")  # keeps \t and the line breaks


def clean_lines(text: str) -> list[str]:
    """The lines of ``text``, each stripped, with control and zero-width characters removed."""
    # splitlines() also splits on \r, \v, \f (pdf page breaks), \x1c-\x1e, \x85, \u2028 and \u2029.
    text = _CONTROL.sub("", text.translate(_ZERO_WIDTH))
    return [line.strip() for line in text.splitlines()]  # str.strip covers U+3000 and U+00A0


def collapse_blank_lines(lines: list[str]) -> list[str]:
    """``lines`` with each run of blank lines cut to one, and none at the end."""
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
# Fields of an article's byline: who wrote it and where it appeared. Readers ask about them
# ("这篇文章是谁写的？"), so their lines stay in the text; they are metadata as well.
_BYLINE_LABELS = {"作者", "记者", "通讯员", "撰稿", "撰文", "来源", "文章来源", "信息来源"}
# Between the fields of one line: a bar, or a run of spaces (作者：阿禾　　发布日期：2024年10月12日).
_FIELD_SEPARATOR = re.compile(r"\s*[|｜]\s*|[ \t\u3000\xa0]{2,}")
# A colon between digits is a time (上午10:00), not another field.
_FIELD_COLON = re.compile(SEPARATING_COLON)
# "首页 > 政务公开 > …", or its pieces when each link landed on a line of its own.
_BREADCRUMB = re.compile(r"^(?:(?:网站)?首页\s*(?:[>＞»›/]|$)|[>＞»›]$)")
# Markers that start the block of links and buttons below an article.
_FOOTER_MARKERS = (
    "附件下载", "扫一扫", "相关解读", "相关文件", "相关链接", "相关阅读", "相关新闻", "打印本页", "关闭窗口",
    "上一篇", "下一篇", "返回顶部", "网站地图", "责任编辑", "版权所有", "主办单位", "承办单位", "网站标识码",
)  # fmt: skip
_FOOTER_EXACT = {"附件", "打印", "关闭", "分享", "分享到"}  # too common to match as prefixes of a body line
_ATTACHMENT_FILE = re.compile(r"^\S.{0,80}\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar|txt)$", re.I)
# The first lines of a speech's body, which no chrome follows: the salutation to the delegates, and the
# "——2024年3月5日在…会议上" line (metadata reads the delivery date from it).
SALUTATION = re.compile(r"^(?:各位代表|同志们|各位委员)")
SPEECH_DATE = re.compile(
    r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*在"
)


def _header_field(line: str) -> tuple[str, str] | None:
    """``• 发布机构:紫帽镇人民政府`` -> ("发布机构", "紫帽镇人民政府"); None for any other line."""
    m = _HEADER_LINE.match(line)
    if not m:
        return None
    label = re.sub(r"\s+", "", m.group(1))
    if label not in _HEADER_LABELS:
        return None
    return label, m.group(2).strip(" 】]")


def is_byline(line: str) -> bool:
    """Whether ``line`` is an article's byline (作者：…, 来源：…): text to keep, not page chrome."""
    field = _header_field(line)
    return field is not None and field[0] in _BYLINE_LABELS


def _is_footer_marker(line: str) -> bool:
    key = re.sub(r"[\s【】\[\]()（）:：]", "", line)
    if key in _FOOTER_EXACT:
        return True
    return key.startswith(_FOOTER_MARKERS) or ("ICP备" in key and len(key) < 60)


def _is_body_line(line: str) -> bool:
    return bool(SALUTATION.match(line) or len(line) > 40 or SPEECH_DATE.search(line))


def strip_chrome(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Remove page chrome: header fields and breadcrumbs above the report, a repeated title, and the
    links block below it. Returns the remaining lines and the header fields (label -> value).

    Conservative on purpose: only lines above the first body line (salutation, speech line or long
    paragraph) can be header, and a byline (作者, 来源) stays in the text while its fields are read;
    a lone ``时间:…`` line there may be content, so header fields go only when there are two or more;
    and the footer is cut only where every line after its first marker is short.
    """
    zone_end, field_rows = len(lines), []
    for i, line in enumerate(lines):
        if i >= 40 or (line and _is_body_line(line) and not _header_field(line)):
            zone_end = i
            break
        if line and _header_field(line):
            field_rows.append(i)
    if len(field_rows) < 2 and not any(len(_FIELD_COLON.findall(lines[i])) >= 2 for i in field_rows):
        field_rows = []
    fields: dict[str, str] = {}
    for i in field_rows:
        for segment in _FIELD_SEPARATOR.split(lines[i]):  # 作者：陆沉舟 | 发布时间：2025年10月18日
            label, value = _header_field(segment) or ("", "")
            if label:
                fields.setdefault(label, value)

    out: list[str] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if i < zone_end and line:
            key = re.sub(r"\s+", "", line)
            if (i in field_rows and not is_byline(line)) or _BREADCRUMB.match(line) or key in seen:
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
