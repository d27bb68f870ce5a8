"""Bytes of a text file -> str: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5.

``MAGIC`` lists the binary formats a misnamed text file most often is; ``decode_text`` refuses them
by it, and so does ``qa.ingest.uploads`` before anything is stored.
"""

from __future__ import annotations

import re
from pathlib import Path

from qa.errors import DocumentError
from qa.text.normalize import CJK_RANGES

__all__ = ["MAGIC", "decode_text"]

# Signatures of binary formats that a misnamed .txt is most often.
MAGIC = {
    b"%PDF-": "a PDF",
    b"PK\x03\x04": "a zip archive (e.g. .docx or .xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc or .xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
}


def decode_text(data: bytes, path: Path) -> str:
    """Decode text bytes: BOMs, then strict UTF-8, then GB18030 or Big5, then charset-normalizer's guess."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                break
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            raise DocumentError(f"{path} looks like a binary file, not text (it starts like {kind})")
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{path} looks like a binary file, not text")
    try:
        return data.decode("utf-8")  # the common case, and unambiguous when it succeeds
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
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


MOSTLY_UTF8 = 0.95  # share of a text's lines that must be UTF-8 for the others to be read one by one


def _mostly_utf8(data: bytes) -> str | None:
    """A UTF-8 text with a few bad lines (a stray byte, a line pasted from a GBK file, a download cut
    mid-character): each bad line read as GB18030 when that reads as Chinese, else with the bad bytes
    as U+FFFD. None when too few lines are UTF-8 for it to be a UTF-8 text."""
    lines = data.split(b"\n")
    out, bad = [], 0
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            bad += 1
        legacy = line.decode("gb18030", errors="replace")
        out.append(legacy if _cjk_plausibility(legacy) >= 0.9 and "\ufffd" not in legacy
                   else line.decode("utf-8", errors="replace"))  # fmt: skip
    filled = sum(1 for line in lines if line.strip())
    # One bad line passes in a short text too (a 12-line notice with one stray byte had been "binary").
    return "\n".join(out) if bad <= max(1, (1 - MOSTLY_UTF8) * filled) and bad < filled else None


def _cjk_plausibility(text: str) -> float:
    """Share of the non-ASCII characters that Chinese text is made of (ideographs, CJK and full-width
    punctuation, common symbols); 1.0 when there are none."""
    chars = [c for c in text if ord(c) > 0x7F and not c.isspace()]
    if not chars:
        return 1.0
    return sum(1 for c in chars if _CHINESE_TEXT_CHAR.match(c)) / len(chars)


# What Chinese text is made of besides ideographs: CJK punctuation (U+3000-303F), full-width forms,
# general punctuation (— … “ ” ‘ ’), letterlike symbols and numerals (℃ № Ⅰ Ⅱ), enclosed numbers
# (① ⑴ ⒈), enclosed CJK and squared units (㈠ ㎡ ㎞) and a few Latin-1 symbols.
_CHINESE_TEXT_CHAR = re.compile(
    rf"[{CJK_RANGES}\u3000-\u303f\uff00-\uffef\u2000-\u206f\u2100-\u218f\u2460-\u24ff\u3200-\u33ff·×÷°±§¨]"
)


def _control_ratio(text: str) -> float:
    bad = sum(
        1 for c in text if c == "\ufffd" or (ord(c) < 0x20 and c not in "\t\n\r\f\v") or 0x7F <= ord(c) < 0xA0
    )
    return bad / max(1, len(text))
