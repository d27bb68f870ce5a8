"""What the embedding model reads of a passage's sentences: each sentence, and in a document's lead
paragraph the document's subject before it (an article's sentences leave it out: "它分布在…")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.ingest.cleaning import is_byline
from qa.schema import Document, Passage
from qa.text.normalize import to_simplified
from qa.text.sentences import TERMINATORS

__all__ = ["Lead", "document_lead", "embedding_texts"]

_SUBJECT_END = re.compile(r"[，,。；;：:（(\n]")
SUBJECT_CHARS = 20  # a subject, not a sentence: a longer one would outweigh the sentence in its vector
TITLE_CHARS = 40  # a first line longer than this is a paragraph, not a title
_NON_BLANK = re.compile(r"\S")


@dataclass(frozen=True)
class Lead:
    """A document's lead paragraph, whose sentences may leave its subject out: ``subject`` is the
    document's first clause (an article's "黄鞍鹦嘴鱼"), ``end`` the offset where the paragraph ends."""

    subject: str
    end: int


def document_lead(doc: Document) -> Lead:
    """The lead paragraph of ``doc`` and its subject. The lead is the first paragraph (to the first
    line break after the text begins), or the one after a title line (a first line that ends no
    sentence and addresses no one: "黄鞍鹦嘴鱼", "# 黄鞍鹦嘴鱼"; not "各位代表："), as an article is
    laid out (its byline, 作者：…, passed over). The subject is the first clause of the first line.
    In an article of one paragraph, every sentence is in the lead; in a report, its title and the
    line after it."""
    text = doc.text
    begin = _text_from(text, 0)
    line_end = _line_end(text, begin)
    first = text[begin:line_end].strip()
    if line_end < len(text) and _is_title(first):
        start = _text_from(text, line_end)
        while start < len(text) and is_byline(text[start : _line_end(text, start)]):
            start = _text_from(text, _line_end(text, start))  # the byline between title and lead
        line_end = _line_end(text, start)
    head = first.lstrip("#=*> ")[: SUBJECT_CHARS * 2]
    cut = _SUBJECT_END.search(head)
    return Lead((head[: cut.start()] if cut else head)[:SUBJECT_CHARS].strip(), line_end)


def _text_from(text: str, start: int) -> int:
    """Where the text resumes after the blanks at ``start``."""
    found = _NON_BLANK.search(text, start)
    return found.start() if found else len(text)


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _is_title(line: str) -> bool:
    """A first line that names the text rather than starting it: short, no sentence ended in it,
    not an address ending in a colon."""
    return 0 < len(line) <= TITLE_CHARS and not any(c in TERMINATORS for c in line) and line[-1] not in "：:"


def embedding_texts(passage: Passage, spans: list[tuple[int, int]], lead: Lead) -> list[str]:
    """The texts ``passage``'s sentences (``spans`` in its text) are embedded as. A sentence of the
    document's lead paragraph follows the document's subject: such a sentence often leaves it out
    ("牠们主要聚居于…" in an article on a fish), and its vector would not show what it is about. Past
    the lead, a sentence is embedded alone: the subject of a long text is not every sentence's (with
    a title line before every sentence of a report without headings, their vectors grew alike), and
    with its heading before it the dev sets did no better (training/README.md). Each text is in the
    form questions are embedded in (simplified characters), so a simplified question meets a report
    in 繁體."""
    texts = []
    for start, end in spans:
        sentence = passage.text[start:end]
        in_lead = not passage.section and passage.start + start < lead.end
        texts.append(f"{lead.subject}：{sentence}" if in_lead and lead.subject not in sentence else sentence)
    return [to_simplified(text) for text in texts]
