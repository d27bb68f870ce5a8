"""``ReportQA``: the Python API, and the one place where documents, index and model meet."""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from qa.across import series_answer
from qa.embed.embedder import Embedder, load_embedder
from qa.errors import DocumentError, IndexStoreError, QuestionError
from qa.facts import Fact, collect_facts, indicator_series, select_facts
from qa.facts.series import Measure
from qa.index import audit, factory
from qa.index.base import REBUILD_HINT, IndexStore, SentenceTable, store_kind
from qa.index.factory import StoreConfig
from qa.index.generations import current_generation, read_manifest
from qa.ingest.lead import document_lead, embedding_texts
from qa.ingest.loader import load_bundled, load_paths
from qa.ingest.structure import build_passages, split_sentences
from qa.pipeline.answerer import Answerer
from qa.pipeline.answering import Retrieved, retrieve
from qa.pipeline.chat import Conversation
from qa.pipeline.query import analyze, check_text
from qa.pipeline.scorer import AnswerScorer, default_scorer
from qa.schema import Answer, Document, DocumentInfo, Passage
from qa.settings import MAX_K, Settings

DEFAULT_INDEX_DIR = "index"
PASSAGE_CHARS = (80, 250)  # min, max characters per passage
STRUCTURE_VERSION = 20  # bump when passage splitting, periods or embedding change, so old indexes are rebuilt


class ReportQA:
    """Ask questions of one or more reports; answers quote the source.

    ``ReportQA()`` opens the index in ``./index`` (building it from the bundled report the first
    time); ``ReportQA.from_paths([...])`` indexes exactly the given files, reusing the saved index
    when neither the files nor the model changed.

    ``store`` picks where the index lives: "local" (FAISS + BM25 in the index folder, the default
    for a new index) or "milvus" (a collection at ``milvus_uri``: a Milvus Lite ``.db`` file or
    ``http(s)://host:port``; see qa.index.factory.StoreConfig). None opens whatever the folder holds.

    ``settings`` (qa.settings.Settings) holds the environment's values and the tuning constants;
    by default ``Settings.from_env()``.
    """

    def __init__(
        self,
        index_dir: str | Path = DEFAULT_INDEX_DIR,
        model: str | None = None,
        *,
        embedder: Embedder | None = None,
        store: str | None = None,
        milvus_uri: str | None = None,
        milvus_collection: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        settings = settings or Settings.from_env()
        config = StoreConfig.from_settings(settings, store, milvus_uri, milvus_collection)
        # The index is read (and checked) before the model loads: a bad index fails in a blink.
        data = factory.load(Path(index_dir), config)
        if data is not None and config.kind not in (None, _kind(data)):
            raise IndexStoreError(
                f"{index_dir} holds a {_kind(data)} index; move it with "
                f"`report-qa index --from {index_dir} --index-dir NEW --store {config.kind}`"
            )
        if data is None:
            config.check()  # before the model loads and the bundled report is embedded
        held = None if data is None else data.manifest
        self._setup(index_dir, model, embedder, config.resolved(held), settings)
        if data is None:
            data = self._save([load_bundled()], previous=None)
        self._check_model(data)
        self._data = data

    @classmethod
    def from_paths(
        cls,
        paths: Iterable[str | Path] | str | Path,
        index_dir: str | Path = DEFAULT_INDEX_DIR,
        model: str | None = None,
        *,
        rebuild: bool = False,
        embedder: Embedder | None = None,
        store: str | None = None,
        milvus_uri: str | None = None,
        milvus_collection: str | None = None,
        settings: Settings | None = None,
        client: str | None = None,
    ) -> ReportQA:
        """Index exactly the documents at ``paths`` (files or folders); reuse the index if unchanged.

        Changed or new documents are embedded; unchanged ones keep their vectors (also when the
        index moves to another ``store``). Documents the index held that are not at ``paths`` leave
        it (``add_documents`` adds to an index instead); every document that comes or goes is
        recorded in the audit log with ``client``. An index of another model or format, or a
        damaged one, raises ``IndexStoreError`` unless ``rebuild``.
        """
        settings = settings or Settings.from_env()
        documents = load_paths(paths)  # never empty: no paths raise DocumentError
        config = StoreConfig.from_settings(settings, store, milvus_uri, milvus_collection)
        # Without --rebuild an existing index must be readable and of this model: never replaced silently.
        previous = None if rebuild else factory.load(Path(index_dir), config)
        try:
            held = read_manifest(Path(index_dir)) if previous is None else previous.manifest
        except IndexStoreError:
            held = None  # a damaged index being rebuilt: nothing to keep from it
        config = config.resolved(held)
        config.check()
        self = cls.__new__(cls)
        self._setup(index_dir, model, embedder, config, settings)
        if previous is not None:
            self._check_model(previous)
        # The same texts with the same metadata: reuse as it is. Metadata read anew (a better title,
        # a region found) rebuilds the index from the stored vectors, embedding nothing again.
        if (
            previous is not None
            and self._config.kind == _kind(previous)
            and self._settings() == _settings_of(previous)
            and {d.info for d in documents} == set(previous.documents)
        ):
            self._data = previous
            return self
        with factory.write_lock(self.index_dir):
            self._data = self._save(documents, previous)
            before = {d.content_hash: d for d in previous.documents} if previous is not None else {}
            now = {d.content_hash: d for d in self._data.documents}
            audit.record(self.index_dir, "remove", [d for h, d in before.items() if h not in now], client)
            audit.record(self.index_dir, "add", [d for h, d in now.items() if h not in before], client)
        return self

    # ------------------------------------------------------------ public API

    @property
    def documents(self) -> list[DocumentInfo]:
        """The indexed documents."""
        return list(self._data.documents)

    @property
    def store(self) -> str:
        """Which store holds the index: "local" or "milvus"."""
        return _kind(self._data)

    @property
    def passage_count(self) -> int:
        """How many passages are indexed."""
        return self._data.passage_count

    def ask(self, question: str, k: int = 5, filters: Mapping[str, Any] | None = None) -> Answer:
        """Answer ``question`` from the indexed reports with at most ``k`` cited passages.

        ``Answer.confidence`` is the calibrated probability that the quoted sentence answers;
        ``Answer.outcome`` is "answer", "uncertain" (可能相关) or "not_found" (报告中没有).
        """
        check_text(question)  # a list had raised TypeError (unhashable) from deep inside
        # The page's slider and HTTP stop at MAX_K: the API and the CLI had returned 100 passages.
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
            raise QuestionError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}")
        data = self._data  # one snapshot for the whole question, even if documents are added meanwhile
        answerer = Answerer(data, self.embedder, self.scorer, self.settings)
        if filters is None:
            query = answerer.query(question)
            rows = functools.cache(lambda: {p.passage_id: p for _, p in data.passage_rows()})  # when cited
            across = series_answer(question, query, data.catalog, self.series, lambda pid: rows().get(pid), k)
            if across is not None:
                return across
        return answerer.answer(question, k, filters)

    @functools.cached_property
    def scorer(self) -> AnswerScorer:
        """The answer scorer (qa.pipeline.scorer), read on first use: building an index needs none."""
        path = self.settings.answer.scorer_path
        return default_scorer() if path is None else AnswerScorer.load(path)

    def retrieve(self, question: str, k: int = 5, filters: Mapping[str, Any] | None = None) -> Retrieved:
        """What the answer step sees for one standalone question: passages and candidate sentences
        with their features (for training the scorer and for diagnostics)."""
        query = analyze(question, self.settings.retrieval.use_glossary)
        return retrieve(self._data, self.embedder, query, k, filters, self.settings)

    def document_text(self, doc_id: str) -> str:
        """The stored text of an indexed document (every offset points into it)."""
        return self._data.texts[doc_id]

    def chat(self, earlier_questions: Iterable[str] = ()) -> Conversation:
        """A conversation: follow-up questions ("那今年的目标呢？") lean on the earlier ones (a list of
        questions; QuestionError for one string or what is no text)."""
        return Conversation(self, earlier_questions)

    def add_documents(
        self, paths: Iterable[str | Path] | str | Path, *, client: str | None = None
    ) -> list[DocumentInfo]:
        """Add (or, for the same content, skip) documents; returns the infos of those added.

        A file added again after an edit (same file name and title, other text) replaces its earlier
        version. Each document added or replaced is recorded in the index's audit log with ``client``.
        """
        new = load_paths(paths)
        # The folder's lock for the whole read-modify-write: a writer in another process waits, and
        # what it saved before is read here first, so neither loses the other's documents.
        with self._write_lock, factory.write_lock(self.index_dir):
            data = self._latest()
            known = {d.content_hash for d in data.documents}
            added = list({d.content_hash: d for d in new if d.content_hash not in known}.values())
            # Answers must not quote what an edited file no longer says: its earlier version leaves.
            editions = {(d.source, d.title) for d in added}
            replaced = [old for old in data.documents if (old.source, old.title) in editions]
            if added:
                passages, sentences = self._embed(added, None)
                texts = {d.doc_id: d.text for d in added}
                grown = data.add([d.info for d in added], texts, passages, sentences)
                for old in replaced:
                    grown = grown.delete_document(old.doc_id)
                grown.save(self.index_dir)
                self._data = grown
                audit.record(self.index_dir, "remove", replaced, client)
                audit.record(self.index_dir, "add", [d.info for d in added], client)
        return [d.info for d in added]

    def remove_document(self, doc_id: str, *, client: str | None = None) -> DocumentInfo:
        """Remove a document and its passages from the index; returns its info. Raises ``DocumentError``
        for an unknown id or the index's only document; recorded in the audit log as ``add_documents``."""
        with self._write_lock, factory.write_lock(self.index_dir):
            data = self._latest()
            info = data.catalog.info(doc_id)
            if info is None:
                raise DocumentError(f"no document with id {doc_id!r} in {self.index_dir}")
            if len(data.documents) == 1:
                raise DocumentError(f"{doc_id} is the only document of {self.index_dir}; keep at least one")
            shrunk = data.delete_document(doc_id)
            shrunk.save(self.index_dir)
            self._data = shrunk
            audit.record(self.index_dir, "remove", [info], client)
        return info

    def refresh(self) -> bool:
        """Open the index as saved now, when another process has saved a newer one (an upload in the
        web page while this process answers, a ``report-qa remove`` beside a server); True when it
        changed. While this object is adding or removing documents it does nothing: it opens what it
        saves itself, and an older index read meanwhile must not replace that."""
        if not self._write_lock.acquire(blocking=False):
            return False
        try:
            before = self._data
            return self._latest() is not before
        finally:
            self._write_lock.release()

    def _latest(self) -> IndexStore:
        """The index as saved now: this one, or a newer one that another process saved. The live
        generation's name is read first (a few bytes): the manifest only when it changed."""
        live = current_generation(self.index_dir)
        if live is not None and live == self._seen_generation:
            return self._data
        if read_manifest(self.index_dir) not in (None, self._data.manifest):
            fresh = factory.load(self.index_dir, self._config)
            if fresh is not None:
                self._check_model(fresh)
                self._data = fresh
        self._seen_generation = live  # only once it is open: a failed look is tried again
        return self._data

    def context(self, passage: Passage, chars: int = 200) -> str:
        """The passage with up to ``chars`` characters of its document on each side."""
        text = self._data.texts[passage.doc_id]
        return text[max(0, passage.start - chars) : passage.end + chars]

    def facts(
        self, doc_id: str | None = None, indicator: str | None = None, period: str | None = None
    ) -> list[Fact]:
        """Key figures of the indexed reports (财政总收入 1.6亿元 比增8.8%), in document and text order.

        ``doc_id`` keeps one document, ``indicator`` the facts whose indicator contains it, ``period``
        one of review/plan/other; None means any. Raises QuestionError for another period, or an
        indicator or doc_id that is no text.
        """
        data = self._data  # one snapshot, as in ask()
        cached = self._facts_cache
        if cached is None or cached[0]() is not data:
            # Extracted once per index snapshot: add_documents swaps in a new one, which misses here.
            # A weak reference, so the cache does not keep a replaced snapshot (and its vectors) alive.
            passages = [p for _, p in data.passage_rows()]
            cached = (weakref.ref(data), collect_facts(data.documents, data.texts, passages))
            self._facts_cache = cached
        return select_facts(cached[1], doc_id=doc_id, indicator=indicator, period=period)

    def series(
        self,
        indicator: str,
        period: str = "plan",
        filters: Mapping[str, Any] | None = None,
        measure: Measure | None = None,
    ) -> list[Fact]:
        """One headline figure of ``indicator`` per report, sorted by year (qa.facts.series): the
        annual target (``period="plan"``) or result (``"review"``), never a five-year figure, a share
        or a sub-indicator. ``filters`` keeps reports by doc_id, year, region or level, each a value or
        a list (``{"level": "province", "year": 2026}``: one point per province); ``measure``
        ("growth", "amount") keeps changes or levels only. QuestionError for a bad period or filter."""
        data = self._data
        return indicator_series(self.facts(), data.documents, data.texts, indicator, period, filters, measure)

    def _setup(
        self,
        index_dir: str | Path,
        model: str | None,
        embedder: Embedder | None,
        config: StoreConfig,
        settings: Settings,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.settings = settings
        self._config = config
        self.embedder = embedder or load_embedder(model, settings)
        self._write_lock = threading.Lock()
        self._seen_generation: Path | None = None  # the live generation ``_latest`` last compared
        self._facts_cache: tuple[weakref.ref[IndexStore], list[Fact]] | None = None

    def _settings(self) -> dict[str, Any]:
        return {
            "model": self.embedder.identity(),
            "passages": {
                "min_chars": PASSAGE_CHARS[0],
                "max_chars": PASSAGE_CHARS[1],
                "version": STRUCTURE_VERSION,
            },
        }

    def _check_model(self, data: IndexStore) -> None:
        built_with = data.manifest.get("model", {})
        if built_with != self.embedder.identity():
            # The same name with other weights (an earlier adapter, another backend) is named as such.
            same_name = built_with.get("name") == self.embedder.name
            raise IndexStoreError(
                f"{self.index_dir} was built with model {built_with.get('name')!r} "
                f"({built_with.get('source')}), not "
                + ("this version of it" if same_name else f"{self.embedder.name!r}")
                + f"; pass that model or {REBUILD_HINT}"
            )

    def _save(self, documents: list[Document], previous: IndexStore | None) -> IndexStore:
        """Split, embed (reusing vectors of unchanged documents) and persist ``documents``."""
        unique = list({d.content_hash: d for d in documents}.values())
        passages, sentences = self._embed(unique, previous)
        return factory.create(
            self.index_dir,
            self._config,
            [d.info for d in unique],
            {d.doc_id: d.text for d in unique},
            passages,
            sentences,
            self._settings(),
        )

    def _embed(
        self, documents: list[Document], previous: IndexStore | None
    ) -> tuple[list[Passage], SentenceTable]:
        """The documents' passages and their sentences' embeddings; sentences of passages that
        ``previous`` holds (same model and splitting) are read from it, not embedded again."""
        passages = [p for doc in documents for p in build_passages(doc, *PASSAGE_CHARS)]
        parts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if previous is not None and _settings_of(previous) == self._settings():
            wanted = {p.passage_id for p in passages}
            known = [(row, p.passage_id) for row, p in previous.passage_rows() if p.passage_id in wanted]
            found = previous.sentence_parts([row for row, _ in known])
            parts = {
                pid: (spans, np.asarray(vectors))
                for (_, pid), (spans, vectors) in zip(known, found, strict=True)
            }
        missing = [p for p in passages if p.passage_id not in parts]
        if missing:
            spans = [np.array(split_sentences(p.text) or [(0, len(p.text))], dtype=np.int32) for p in missing]
            wanted = {p.doc_id for p in missing}
            leads = {d.doc_id: document_lead(d) for d in documents if d.doc_id in wanted}
            texts = [
                text
                for p, ss in zip(missing, spans, strict=True)
                for text in embedding_texts(p, ss.tolist(), leads[p.doc_id])
            ]
            encoded = self.embedder.encode_passages(texts)
            at = 0
            for passage, ss in zip(missing, spans, strict=True):
                parts[passage.passage_id] = (ss, encoded[at : at + len(ss)])
                at += len(ss)
        sentences = SentenceTable.from_parts([parts[p.passage_id] for p in passages], self.embedder.dimension)
        return passages, sentences


def _settings_of(data: IndexStore) -> dict[str, Any]:
    return {"model": data.manifest.get("model"), "passages": data.manifest.get("passages")}


def _kind(data: IndexStore) -> str:
    return store_kind(data.manifest)
