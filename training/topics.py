"""Topic questions generated from report sentences: "what is planned for X", "how did X go".

The fact questions of ``training.examples`` all ask for a figure and name an indicator; residents
also ask about a project or a policy in a few words of their own. Here a term is taken from one
sentence of a training report (one or two adjacent nouns as jieba segments them, 3-8 characters,
used once in that report and in at least two other reports, so a term people share), and asked
about in everyday templates for the sentence's period (review or plan): that sentence answers.
The same question asked of a training report that uses neither a specific term (one few reports
use) nor its longer words has no answer there, while that report speaks of neighbouring things:
the hard unanswerable case.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Iterator
from typing import Any

from jieba import posseg

from qa.ingest.structure import parse_sections, section_at, section_periods
from qa.text.normalize import normalize
from qa.text.sentences import split_sentences
from qa.text.words import cut_words
from training.examples import Example, fact_examples

TOPIC_TEMPLATES = {
    "plan": (
        "今年{t}有什么打算？", "{t}方面今年要做什么？", "今年会推进{t}吗？", "关于{t}，今年有什么安排？",
        "今年{t}有哪些举措？", "接下来{t}怎么搞？",
    ),
    "review": (
        "去年{t}做得怎么样？", "去年在{t}方面做了哪些工作？", "{t}去年有什么进展？",
        "去年{t}取得了什么成效？", "过去一年{t}怎么样了？",
    ),
}  # fmt: skip
SPECIFIC_SHARE = 0.25  # a term in at most this share of the reports is specific
_NOUN = ("n", "nz", "vn", "nt", "nr", "ns")  # jieba's tags of nouns and noun-like verbs


def topic_examples(
    texts: dict[str, str], sources: dict[str, str], per_report: int = 24, seed: int = 0
) -> Iterator[Example]:
    """Per report, ``per_report`` topic questions its sentence answers and as many asked of another
    report that never uses the term (unanswerable there)."""
    rng = random.Random(seed)
    normalized = {doc_id: normalize(text) for doc_id, text in texts.items()}
    doc_ids = sorted(texts)
    n = 0
    for doc_id in doc_ids:
        text, norm = texts[doc_id], normalized[doc_id]
        sections = parse_sections(text)
        period_of = dict(zip((s.start for s in sections), section_periods(sections), strict=True))
        spans = [(s, e) for s, e in split_sentences(text) if 15 <= e - s <= 150]
        made = 0
        for start, end in rng.sample(spans, len(spans)):
            if made == per_report:
                break
            section = section_at(sections, start)
            period = period_of.get(section.start) if section else None
            if period not in TOPIC_TEMPLATES or any(text[start:end] in t for t in section.path):
                continue
            term = _term(normalize(text[start:end]), norm, normalized.values())
            if term is None:
                continue
            made += 1
            question = rng.choice(TOPIC_TEMPLATES[period]).format(t=term)
            n += 1
            yield Example(f"T{n}", question, "reports", True, sources[doc_id], "only", span=(start, end))
            parts = [term, *(w for w in cut_words(term) if len(w) >= 3)]
            lacking = [d for d in doc_ids if not any(p in normalized[d] for p in parts)]
            # Only a specific term (in few reports) makes a fair unanswerable twin: a common one
            # (国际贸易) is surely spoken of in other words by a report that lacks the exact term.
            if len(lacking) >= len(doc_ids) * (1 - SPECIFIC_SHARE):
                yield Example(f"T{n}-U", question, "reports", False, sources[rng.choice(lacking)], "only")


def _term(sentence: str, report: str, reports: Iterable[str]) -> str | None:
    """The longest run of one or two nouns of ``sentence`` (3-8 characters) used once in its report
    and in at least two other reports; None when there is none."""
    words = posseg.lcut(sentence)
    runs = {w.word for w in words if w.flag in _NOUN}
    runs |= {a.word + b.word for a, b in itertools.pairwise(words) if a.flag in _NOUN and b.flag in _NOUN}
    for term in sorted((r for r in runs if 3 <= len(r) <= 8), key=lambda r: (-len(r), r)):
        if report.count(term) == 1 and sum(term in text for text in reports) >= 3:
            return term
    return None


def generated_examples(bot: Any) -> list[Example]:
    """Every question generated from the reports of ``bot`` (a ReportQA of the training reports): the
    fact questions of ``training.examples`` and the topic questions above, answerable or not."""
    texts = {d.doc_id: bot.document_text(d.doc_id) for d in bot.documents}
    sources = {d.doc_id: d.source for d in bot.documents}
    return [*fact_examples(bot.facts(), texts, sources), *topic_examples(texts, sources)]
