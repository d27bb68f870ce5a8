"""Answer ``POST /api/ask`` in worker processes, so every core answers questions.

One server process answers questions in threads, and the Python half of each answer holds the GIL:
under load it used ~1.65 of 2 cores (benchmarks/RESULTS.md, "Serving on both cores"). With
``AskWorkers`` the server process only parses requests and sends replies; ``count`` processes each
open the same index folder (read-only: FAISS and BM25 from disk, the model from the cache) and answer,
returning the reply's JSON bytes ready to send, so the server process does not validate or
serialize answers either.

Each worker follows the index: before every question it reads the folder's CURRENT pointer (a few
bytes) and, when another process (an upload in the page, ``report-qa index``) has saved a new
generation, opens it. A worker that dies (killed, out of memory) is replaced, and the question it
had is answered in the server process. Local store only: Milvus Lite's file takes one process.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import anyio

from qa.api import ReportQA
from qa.errors import IndexStoreError
from qa.schema import Answer
from qa.settings import Settings

log = logging.getLogger(__name__)

# The worker process's own bot (set by _open_index, per process).
_bot: ReportQA | None = None


def ask_with(
    bot: ReportQA, question: str, k: int, filters: dict[str, Any] | None, earlier: Sequence[str] = ()
) -> Answer:
    """``bot``'s answer to ``question``, read as a chat's next turn when ``earlier`` questions came
    before it (HTTP's ``earlier_questions``), else as a standalone question."""
    asker = bot.chat(earlier) if earlier else bot
    return asker.ask(question, k=k, filters=filters)


def answer_json(
    bot: ReportQA, question: str, k: int, filters: dict[str, Any] | None, earlier: Sequence[str] = ()
) -> bytes:
    """The body of ``POST /api/ask``'s reply: the answer as ``AnswerModel`` JSON, as FastAPI would
    write it from the route's ``response_model``. ``earlier``: the chat's earlier questions."""
    from fastapi.responses import JSONResponse

    from qa.apps.models import answer_json as as_json

    return bytes(JSONResponse(as_json(ask_with(bot, question, k, filters, earlier).to_dict())).body)


def _exit_with_parent() -> None:
    """End this worker when the server process ends, however it ends: uvicorn re-raises SIGTERM
    after its shutdown, so the server dies before it can stop the pool, and a worker waiting for
    work holds its own end of the queue's pipe, so it would wait for ever (~0.6 GB each)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="report-qa-parent-watch", daemon=True).start()


def _open_index(index_dir: str, settings: Settings) -> None:
    global _bot
    _exit_with_parent()
    _bot = ReportQA(index_dir=index_dir, settings=settings)
    _bot.scorer  # noqa: B018  -- loaded lazily: at start, not at the first question


def _ask_in_worker(question: str, k: int, filters: dict[str, Any] | None, earlier: Sequence[str]) -> bytes:
    if _bot is None:
        raise RuntimeError("ask worker used before its index was opened")
    _bot.refresh()  # a few bytes read unless another process saved a new index
    return answer_json(_bot, question, k, filters, earlier)


def _ready() -> bool:
    return _bot is not None


class AskWorkers:
    """``count`` processes answering questions on ``bot``'s index folder; ``bot`` answers in this
    process only when a worker died. ``close()`` stops them."""

    def __init__(self, bot: ReportQA, count: int) -> None:
        if count < 1:
            raise ValueError(f"ask workers must be at least 1, not {count}")
        if bot.store != "local":
            raise IndexStoreError(f"ask workers need the local store; this index is in {bot.store}")
        self.bot, self.count = bot, count
        self._lock = threading.Lock()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # spawn, not fork: the server process has threads (uvicorn, ONNX Runtime) a fork would copy
        # mid-state. Every worker opens the index before the server takes its first request.
        pool = ProcessPoolExecutor(
            self.count,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_open_index,
            initargs=(str(self.bot.index_dir), self.bot.settings),
        )
        for future in [pool.submit(_ready) for _ in range(self.count)]:
            future.result()
        return pool

    async def ask(
        self, question: str, k: int, filters: dict[str, Any] | None, earlier: Sequence[str] = ()
    ) -> bytes:
        """The reply body of one question (``earlier``: its chat's earlier questions), from whichever
        worker is free. When the worker died, new ones are started and it is answered in this process."""
        pool = self._pool  # replaced only under the lock, by _recover
        try:  # submit raises too, once the pool knows it is broken
            return await asyncio.wrap_future(pool.submit(_ask_in_worker, question, k, filters, earlier))
        except BrokenProcessPool:
            log.warning("an ask worker died; starting new ones")
            return await anyio.to_thread.run_sync(self._recover, pool, question, k, filters, earlier)

    def _recover(
        self,
        broken: ProcessPoolExecutor,
        question: str,
        k: int,
        filters: dict[str, Any] | None,
        earlier: Sequence[str],
    ) -> bytes:
        with self._lock:
            if self._pool is broken:  # not replaced yet by another question that saw it break
                broken.shutdown(wait=False, cancel_futures=True)
                self._pool = self._start()
        return answer_json(self.bot, question, k, filters, earlier)

    def close(self) -> None:
        """Stop the workers (questions in flight finish first)."""
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=True)
