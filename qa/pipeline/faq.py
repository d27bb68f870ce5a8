"""A FAQ's own question, asked as the document asks it ("办卡要交钱吗？" of a FAQ whose 问 line reads
"问：办卡要交钱吗？", or in more words that hold it: "社保卡丢了怎么办？" for "问：卡丢了怎么办？"): its
answer is the 答 under that line, quoted whole. The scorer, which reads
sentences, had quoted another pair's 答 for it (one naming 钱); that the document asks the very
question is a fact the user can check in the section path shown (问：办卡要交钱吗？).
"""

from __future__ import annotations

import re

from qa.ingest.headings import QUESTION_LINE, line_spans
from qa.ingest.structure import Section
from qa.pipeline.lists import SHORT_BODY
from qa.schema import Passage
from qa.text.normalize import normalize
from qa.text.words import cut_words

# What two wordings of one question may differ by: punctuation, spaces, polite and modal endings.
_SLACK = re.compile(r"[\W_]|请问|请|呢|啊|呀|吧")


def _wording(question: str) -> str:
    return _SLACK.sub("", normalize(question))


# A 问 line the question holds word for word is asked by it ("社保卡丢了怎么办？" holds "卡丢了怎么办？")
# when it is at least this long: shorter ones (怎么办) hold no question of their own.
MIN_HELD = 5


def asked_pair(question: str, text: str, sections: list[Section]) -> Section | None:
    """The section of the 问 line ``question`` asks as it is asked, or holds word for word with
    words of its own that the document ``text`` uses too (社保卡 of a social security card's FAQ, not
    护照: "护照在哪里可以办理？" asks no FAQ's "在哪里可以办理？"), punctuation, spaces and 请问/呢 aside;
    the longest such, or None."""
    wanted = _wording(question)
    held = []
    for section in sections:
        asked = _wording(QUESTION_LINE.sub("", section.title)) if section.kind == "asked" else ""
        if asked and (asked == wanted or (len(asked) >= MIN_HELD and asked in wanted)):
            held.append((len(asked), -section.start, asked, section))
    if not held:
        return None
    *_, asked, best = max(held, key=lambda h: h[:2])
    own = [w for part in wanted.split(asked) for w in cut_words(part) if len(w) >= 2]
    document = normalize(text)
    return best if all(w in document for w in own) else None


def pair_passage(top: Passage, text: str, section: Section) -> tuple[Passage, str] | None:
    """The whole pair of ``section`` as a cited passage of ``top``'s document, its answer marked, and
    the answer's lines (the 答 of up to ``SHORT_BODY`` lines); None for a longer or empty one, which
    the scorer's sentence answers better."""
    line_end = text.find("\n", section.start, section.end)
    if line_end < 0:
        return None
    lines = line_spans(text[line_end : section.end])
    if not lines or len(lines) > SHORT_BODY:
        return None
    first, last = line_end + lines[0][0], line_end + lines[-1][1]
    passage = top.with_(
        section=list(section.path),
        start=section.start,
        end=last,
        text=text[section.start : last],
        highlight=(first - section.start, last - section.start),
        passage_id=f"{top.doc_id}:asked:{section.start}",
    )
    return passage, text[first:last]
