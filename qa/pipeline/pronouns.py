"""Pronouns a chat turn points back with (它, 这项工作, 那个, it): the earlier topic stands in for one."""

from __future__ import annotations

import re

from qa.text.words import word_bounds

# Each pronoun its own pattern, so a shorter one counts where a longer one does not end on a word
# (这项工作进展如何？ is 这项 / 工作进展). "this year", "that time" are no pronouns: "What are the plans
# for education this year?" stands alone.
_PRONOUNS = (
    *(
        re.compile(word)
        for word in ("它们", "它", "其", "该项目", "该工程", "这个项目", "这项工作", "这个", "那个", "这项")
    ),
    re.compile(
        r"\b(?:it|this|that|they|them)\b(?!\s+(?:year|month|week|quarter|time|term|period)s?\b)", re.I
    ),
)


def pronoun_in(question: str) -> re.Match[str] | None:
    """The first pronoun of ``question`` that is a word of its own: 那个 of 那个项目呢？, not of
    那个体户登记呢？ (那 / 个体户: it had been read as 护照体户登记呢？, a helper found)."""
    bounds = word_bounds(question)
    found = [m for p in _PRONOUNS for m in p.finditer(question) if {m.start(), m.end()} <= bounds]
    return min(found, key=lambda m: (m.start(), -m.end()), default=None)
