"""From ranked passages to an answer: the sentence that answers, highlighted by its offsets."""

from __future__ import annotations

import re

from qa.lexical import tokenize
from qa.retrieval import Query
from qa.schema import Passage
from qa.structure import split_sentences

_NUMERIC_INTENT = re.compile(r"多少|几|百分之|比例|增长|how (?:much|many)|what percentage|percent", re.I)
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?|[一二三四五六七八九十百千万亿两]+[个项家所条座人]")


def best_sentence(query: Query, passage: Passage) -> tuple[int, int] | None:
    """Offsets (inside ``passage.text``) of the sentence that best covers the question's terms.

    Score = weighted overlap of the question's character n-grams with the sentence (bigrams count
    double: they carry the words), plus a bonus for a figure when the question asks for one.
    """
    terms = set(tokenize(query.lexical_text))
    wants_number = bool(_NUMERIC_INTENT.search(query.normalized))
    best: tuple[float, tuple[int, int]] | None = None
    for start, end in split_sentences(passage.text):
        tokens = set(tokenize(passage.text[start:end]))
        score = sum(2.0 if len(t) == 2 else 1.0 for t in terms & tokens)
        if wants_number and _NUMBER.search(passage.text[start:end]):
            score += 2.0
        if best is None or score > best[0]:
            best = (score, (start, end))
    return best[1] if best else None
