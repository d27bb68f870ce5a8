"""English follow-ups: "What about Guangdong?", "And in 2008?", "What was it in 2008?" after an English
question. Each asks the earlier question again, of another place or another time; read as they stand,
they were answered with whatever sentence names 2008 or Guangdong ("2008年是极不平凡的一年。")."""

from __future__ import annotations

import re

from qa.pipeline.places import names_a_place
from qa.text.normalize import has_cjk

_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+|^\s*and\s+", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_RELATIVE = re.compile(r"\b(?:this|last|next)\s+year\b", re.I)
_WHEN = re.compile(rf"(?:\b(?:in|for|of)\s+)?(?:{_YEAR.pattern}|{_RELATIVE.pattern})", re.I)
# What a time-only follow-up says besides its time: "What was it in 2008?", "And in 2008?".
_FILLER = re.compile(r"\b(?:what|how|about|and|in|for|of|was|is|were|it|that|then|the)\b|[?.!,\s]", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*")


def english_readings(question: str, previous: str) -> list[str]:
    """``previous`` (an English question) asked of the time or place an English follow-up names;
    [] for any other question."""
    if has_cjk(question) or not previous or has_cjk(previous):
        return []
    times = [m.group(0) for m in _WHEN.finditer(question)]
    if times and not _FILLER.sub("", _WHEN.sub("", question)):
        return [_retimed(previous, times[0])]
    about = _ABOUT.match(question)
    name = question[about.end() :].strip(" ?.!") if about else ""
    if not name or not names_a_place(name):
        return []
    for word in _WORD.finditer(previous):
        if names_a_place(word.group(0)):
            return [previous[: word.start()] + name + previous[word.end() :]]
    return []


def _retimed(previous: str, when: str) -> str:
    """``previous`` of the time ``when`` ("in 2008", "last year"), its own time replaced or added."""
    when = when.strip()
    spoken = when if not _YEAR.fullmatch(when) else f"in {when}"
    if _WHEN.search(previous):
        return _WHEN.sub(spoken, previous, count=1)
    return previous.rstrip(" ?.!") + f" {spoken}?"
