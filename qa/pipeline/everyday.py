"""Everyday words for what reports call otherwise: "孩子上幼儿园免费吗？" asks about 学前教育.

A question in residents' words shares few characters with the report's sentence, and the answer
scorer, which reads how much of the question a sentence holds, refused such questions at 0.01–0.2
while the right passage was found. The mapping is data (``qa/data/everyday.tsv``): general usage.
``official_readings`` gives the question with each report term in place of the everyday word; the
answerer asks them only when the question as asked is not answered, and takes a reading's answer
only when its sentence holds the term put in.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from qa.pipeline.glossary import term_rows
from qa.settings import MAX_QUESTION_CHARS
from qa.text.normalize import normalize

EVERYDAY_PATH = Path(__file__).parents[1] / "data" / "everyday.tsv"
MAX_READINGS = 3  # each one costs a search


@cache
def _entries() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(everyday word, its report terms), longest word first so 看病报销 wins over 看病."""
    rows = [(normalize(word), tuple(map(normalize, terms))) for word, terms in term_rows(EVERYDAY_PATH)]
    return tuple(sorted(rows, key=lambda row: -len(row[0])))


def official_readings(question: str) -> list[tuple[str, str]]:
    """(the question with a report term in place of its everyday word, that term), at most
    ``MAX_READINGS``; none for a word whose terms the question already names."""
    text = normalize(question)
    readings: list[tuple[str, str]] = []
    read: list[str] = []
    for word, terms in _entries():
        # A shorter word inside one read already (看病 in 看病报销) is not read again.
        if word not in text or any(term in text for term in terms) or any(word in w for w in read):
            continue
        read.append(word)
        readings += [(text.replace(word, term), term) for term in terms]
    # No reading longer than a question may be: a long question's reading had raised "too long".
    return [(reading, term) for reading, term in readings if len(reading) <= MAX_QUESTION_CHARS][
        :MAX_READINGS
    ]
