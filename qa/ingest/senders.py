"""Who sent a document and when, as its lines say: the sender's line above or under its title and the
date line under it (南州市…统计公报 / 南州市统计局 / 2025年3月18日), the lines an official document closes
with (its 落款: 青山县人民政府办公室 / 2026年1月20日), and a news story's dateline (新华社合肥2月6日电).
``qa.ingest.metadata`` reads them as page-header fields; ``qa.pipeline.signature`` quotes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa.ingest.headings import line_spans
from qa.text.normalize import CJK_RANGES

__all__ = [
    "ORGAN_LINE",
    "closing_fields",
    "closing_lines",
    "dateline_agency",
    "heading_lines",
    "sender_lines",
]

# A closing date line (in digits, as official documents write it since GB/T 9704-2012) and the
# sender's line above it: no sentence (no punctuation), an organ's ending.
_DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
ORGAN_LINE = re.compile(
    r"[^，。；：,;:！？!?]{2,30}(?:政府|办公室|办公厅|委员会|局|厅|委|部|院|署|队|中心|公司|协会|大会)"
)
_NOTE_LINE = re.compile(r"[（(][^（()）]{1,30}[)）]")  # a closing note in brackets: （此件公开发布）


# A news story's dateline (新华社合肥2月6日电, 【中新社北京3月5日电 记者…】): the agency is its issuer.
_DATELINE = re.compile(
    rf"(?m)(?:^|(?<=[【\[（(\s]))(?P<agency>[{CJK_RANGES}]{{1,6}}社)"
    rf"[{CJK_RANGES}]{{1,8}}?\d{{1,2}}月\d{{1,2}}日\s*电(?!话|视|子|脑|力|影|器|网|池|梯|站|价|费|量|商|信|缆|线|台)"
)


def closing_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sender's line and the date line an official document closes with (its 落款:
    青山县人民政府办公室 / 2026年1月20日), the sender's only when a line names an organ there; [] unless
    the last of three lines or more is a date alone."""
    lines = line_spans(text)
    while lines and _NOTE_LINE.fullmatch(text[slice(*lines[-1])].strip()):  # （此件公开发布） after them
        lines = lines[:-1]
    if len(lines) < 3 or not _DATE_LINE.fullmatch(text[slice(*lines[-1])]):
        return []
    return lines[-2:] if ORGAN_LINE.fullmatch(text[slice(*lines[-2])]) else lines[-1:]


def heading_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sender and date lines right under a document's first line (南州市…统计公报 /
    南州市统计局 / 2025年3月18日), else of a news story's dateline; [] without either."""
    lines = line_spans(text)[1:6]
    under = lines[: _signed(text[start:end] for start, end in lines)]
    if under:
        return under
    found = _DATELINE.search(text, 0, 300)
    return [(found.start("agency"), found.end())] if found else []


def sender_lines(head: list[str], title: str) -> dict[str, str]:
    """The sender's line right above a title, else the sender and date lines right under it (南州市…
    统计公报 / 南州市统计局 / 国家统计局南州调查队 / 2025年3月18日), as page-header fields: the first
    sender, the date."""
    at = next((n for n, line in enumerate(head) if line.strip().startswith(title)), len(head))
    above = head[at - 1].strip() if 0 < at < len(head) else ""
    if ORGAN_LINE.fullmatch(above):
        return {"发文机关": above}
    under = [line.strip() for line in head[at + 1 :]]
    fields: dict[str, str] = {}
    for line in under[: _signed(under)]:
        fields.setdefault("成文日期" if _DATE_LINE.fullmatch(line) else "发文机关", line)
    return fields


def _signed(lines: Iterable[str]) -> int:
    """How many of ``lines`` in a row, from the first, are a sender's or a date line."""
    count = 0
    for line in lines:
        if not (_DATE_LINE.fullmatch(line.strip()) or ORGAN_LINE.fullmatch(line.strip())):
            break
        count += 1
    return count


def closing_fields(text: str) -> dict[str, str]:
    """The sender and date an official document closes with, as page-header fields."""
    spans = closing_lines(text)
    fields = {"成文日期": text[slice(*spans[-1])]} if spans else {}
    if len(spans) == 2:
        fields["发文机关"] = text[slice(*spans[0])]
    return fields


def dateline_agency(opening: str) -> str | None:
    """The agency of a news story's dateline in ``opening`` (its first characters), or None."""
    found = _DATELINE.search(opening[:300])
    return found.group("agency") if found else None
