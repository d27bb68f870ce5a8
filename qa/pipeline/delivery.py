"""Who delivered a report and when: the lines under its title (——2017年3月5日在第十二届全国人民代表大会
第五次会议上 / 国务院总理　李克强), quoted when a question asks for them ("这份报告是谁作的？", "报告是哪天作
的？", "Who delivered the report?"); and who wrote an article: its byline (本报讯（记者 林晓雯 通讯员 孙丽娜）
…, 作者：…) for "记者是谁？" or "这篇文章是谁写的？". They are no sentence the scorer reads well: such
questions had been refused while "总理是谁？" was answered."""

from __future__ import annotations

import re

from qa.ingest.cleaning import SALUTATION, SPEECH_DATE
from qa.schema import Passage
from qa.text.sentences import split_sentences

# The verbs of giving a report or speech, and the questions asking who gave it or when.
_GIVE = r"(?:作|做|发表|宣读|所作|讲|念)"
_ASKS_WHO = re.compile(
    rf"(?:谁|哪位|什么人)(?:代表[^，,。？?]{{1,8}}?)?{_GIVE}了?的?(?:这份|这个|该|这次)?(?:报告|讲话)?|{_GIVE}(?:这份|这个|该)?(?:报告|讲话)的(?:人)?是(?:谁|哪位)|"
    rf"报告人是|(?:报告|讲话)(?:是)?(?:由)?(?:谁|哪位){_GIVE}|"
    r"\bwho (?:gave|delivered|presented|made|read)\b"
)
_ASKS_WHEN = re.compile(
    rf"(?:哪天|哪一天|什么时候|何时|几月几[日号]|什么日子|什么日期)(?:在\w{{0,12}})?{_GIVE}的?(?:这份|这个|该)?"
    rf"(?:[\u4e00-\u9fff]{{0,6}}报告|讲话)?$|"
    rf"(?:报告|讲话)(?:是)?(?:在)?(?:哪天|哪一天|什么时候|何时|几月几[日号]){_GIVE}|"
    rf"(?:在)?(?:什么|哪个|哪次|哪一次)[^，,。？?]{{0,6}}?会(?:议)?上{_GIVE}|"
    r"\bwhen was (?:the|this|that) (?:\w+ )*?(?:report|speech) (?:given|delivered|presented|made|read)\b|"
    r"\bat (?:what|which) (?:meeting|session)\b"
)
# Who wrote an article: its byline's roles, asked by name or as 谁写的.
_ROLES = r"记者|通讯员|作者|编辑|撰稿人?|撰文|摄影"
_ASKS_WRITER = re.compile(
    rf"^(?:这篇|这条|该|本)?(?:新闻|文章|报道|稿件|稿子)?的?(?:{_ROLES})(?:是谁|叫什么|是哪位|有谁)|"
    r"(?:新闻|文章|报道|稿件|稿子)(?:是)?(?:由)?(?:谁|哪位|哪个记者|哪位记者)(?:写|撰写|采写|报道)的?|"
    r"谁(?:写|撰写|采写)的(?:这篇|这条|该)?(?:新闻|文章|报道|稿件|稿子)|"
    r"\bwho (?:wrote|reported|authored)\b"
)
_WRITERS = r"记者|通讯员|作者|撰稿人?|撰文"  # who wrote it, when the question names no role (谁写的)
_NAME_AFTER = r"[\s　：:]*[\u4e00-\u9fff]{2,4}"
_NAMES_REPORT = re.compile(r"报告|讲话|\breport\b|\bspeech\b")
_HEAD_CHARS = 600  # the title, its date line and speaker come before the first part
_SPEAKER_CHARS = 40  # "河南省人民政府省长 王凯": a short line


def asks_delivery(normalized: str) -> str | None:
    """ "who" or "when" when a question asks who delivered the document or when and where (at which
    meeting), "writer" when it asks who wrote it (记者是谁？), else None. 报告提出什么时候建成… asks
    about the report's contents, not its delivery."""
    text = normalized.rstrip("？?。.！! ")
    if _ASKS_WRITER.search(text):
        return "writer"
    if not _NAMES_REPORT.search(text):  # 这项工程是谁做的？ asks about the work, not the report
        return None
    if _ASKS_WHO.search(text):
        return "who"
    return "when" if _ASKS_WHEN.search(text) else None


def delivery_lines(top: Passage, text: str, asked: str) -> list[Passage]:
    """The document's line saying when and where it was delivered (two lines where its meeting's name
    wraps), and for "who" the speaker's line after it, as cited passages of ``top``'s document; [] when
    the document has no such line (a report printed without its header); ``asked`` is "who" or "when"
    (an article's byline: ``byline_lines``)."""
    head = text[:_HEAD_CHARS]
    date = SPEECH_DATE.search(head)
    if date is None:
        return []
    start = head.rfind("\n", 0, date.start()) + 1
    end = _line_end(text, date.end())
    if not text[start:end].rstrip().endswith("上") and len(text[end + 1 : _line_end(text, end + 1)]) <= 20:
        end = _line_end(text, end + 1)  # "…在广东省第十四届" / "人民代表大会第五次会议上"
    lines = [line_passage(top, text, start, end)]
    speaker_end = _line_end(text, end + 1)
    speaker = text[end + 1 : speaker_end].strip()
    if asked == "who" and speaker and len(speaker) <= _SPEAKER_CHARS and not SALUTATION.match(speaker):
        lines.append(line_passage(top, text, end + 1, speaker_end))
    return lines


def asked_role(normalized: str) -> str | None:
    """The byline's role a question names (这篇新闻的编辑是谁？ -> 编辑), or None (谁写的)."""
    found = re.search(_ROLES, normalized)
    return found.group() if found else None


def byline_lines(top: Passage, text: str, role: str | None) -> list[Passage]:
    """The sentence holding the byline that names ``role`` (any writer's when None: 本报讯（记者 林晓雯）
    10月8日上午，…), in the opening or the closing lines ((编辑：何静) ends a story), as a cited passage of
    ``top``'s document; [] when none does (the byline's sentence had answered 编辑是谁？ at 1.0)."""
    # A byline's shape: the role opening a line or after （ 【 or a space, the name closed by ） 】, a
    # space or the line's end (各位记者朋友, 第一作者为, 摄影大赛 are none).
    pattern = re.compile(rf"(?:^|(?<=[（(【\s]))(?:{role or _WRITERS}){_NAME_AFTER}(?=[）)】\s]|$)", re.M)
    tail = max(_HEAD_CHARS, len(text) - _HEAD_CHARS)
    byline = pattern.search(text, 0, _HEAD_CHARS) or pattern.search(text, tail)
    if byline is None:
        return []
    start = text.rfind("\n", 0, byline.start()) + 1
    spans = split_sentences(text, start, _line_end(text, byline.end()))
    return [line_passage(top, text, s, e) for s, e in spans if s <= byline.start() < e][:1]


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def line_passage(top: Passage, text: str, start: int, end: int) -> Passage:
    """``text[start:end]``, a line of ``top``'s document, as a cited passage of no section."""
    return top.with_(
        section=[],
        start=start,
        end=end,
        text=text[start:end],
        highlight=(0, end - start),
        passage_id=f"{top.doc_id}:line:{start}",
        period="other",
    )
