"""What a typical user would build instead, scored the same way as report-qa.

* LangChain: ``RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)`` over each document's
  text, the same embedding model through plain sentence-transformers (its query/passage prompts),
  ``faiss.IndexFlatIP``: dense retrieval only.
* Plain BM25: bm25s over the character uni+bigrams of qa.index.lexical (the same tokens report-qa uses),
  over those chunks or over report-qa's own passages.

A retrieved chunk is a hit when it contains a gold answer string (normalized as qa.evaluation does)
and comes from the question's document (dev_gov names it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from qa.index.lexical import LexicalIndex, tokenize
from qa.text.normalize import normalize

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50
DEPTH = 10


@dataclass
class Corpus:
    """Retrievable units: their texts and the file name of the document each comes from."""

    texts: list[str]
    docs: list[str]


def langchain_chunks(documents: list[tuple[str, str]]) -> Corpus:
    """Split (file name, text) pairs the way LangChain's docs show, with its default separators."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    texts, docs = [], []
    for name, text in documents:
        for chunk in splitter.split_text(text):
            texts.append(chunk)
            docs.append(name)
    return Corpus(texts, docs)


def score_rankings(
    items: list[dict[str, Any]], rankings: list[list[int]], corpus: Corpus
) -> dict[str, float | int]:
    """hit@1/3/5 and MRR@10 of one ranking (row numbers into ``corpus``) per question."""
    ranks: list[int | None] = []
    for item, ranking in zip(items, rankings, strict=True):
        if not item["answers"]:
            continue
        answers = [normalize(a) for a in item["answers"]]
        rank = None
        for position, row in enumerate(ranking[:DEPTH], start=1):
            right_doc = "doc" not in item or corpus.docs[row] == item["doc"]
            if right_doc and any(a in normalize(corpus.texts[row]) for a in answers):
                rank = position
                break
        ranks.append(rank)
    n = len(ranks)
    out: dict[str, float | int] = {"answerable": n}
    for cutoff in (1, 3, 5):
        out[f"hit@{cutoff}"] = round(sum(1 for r in ranks if r and r <= cutoff) / n, 4)
    out["mrr@10"] = round(sum(1 / r for r in ranks if r) / n, 4)
    return out


class DenseBaseline:
    """Chunks embedded with a sentence-transformers model, searched exactly with FAISS."""

    def __init__(self, model: Any, corpus: Corpus) -> None:
        import faiss

        self.model = model
        self.corpus = corpus
        start = time.perf_counter()
        vectors = model.encode_document(
            corpus.texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True
        )
        self.encode_seconds = time.perf_counter() - start
        self.index = faiss.IndexFlatIP(vectors.shape[1])
        self.index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def search(self, question: str) -> list[int]:
        vector = self.model.encode_query([question], normalize_embeddings=True, convert_to_numpy=True)
        _, ids = self.index.search(np.ascontiguousarray(vector, dtype=np.float32), DEPTH)
        return [int(i) for i in ids[0] if i >= 0]


class BM25Baseline:
    """bm25s over character uni+bigrams, the whole question as the query."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        start = time.perf_counter()
        self.index = LexicalIndex.build(corpus.texts)
        self.build_seconds = time.perf_counter() - start

    def search(self, question: str) -> list[int]:
        scores = self.index.scores(tokenize(question))
        top = np.argpartition(-scores, min(DEPTH, len(scores) - 1))[:DEPTH]
        return [int(r) for r in top[np.argsort(-scores[top], kind="stable")] if scores[r] > 0]


def run_baseline(
    search: Callable[[str], list[int]], items: list[dict[str, Any]], corpus: Corpus
) -> dict[str, Any]:
    """Quality of ``search`` on ``items`` and the latency of each call."""
    rankings, seconds = [], []
    for item in items:
        start = time.perf_counter()
        rankings.append(search(item["question"]))
        seconds.append(time.perf_counter() - start)
    return {"quality": score_rankings(items, rankings, corpus), "seconds": seconds}
