"""The server answers from the index as saved now, whoever saved it.

A ``report-qa remove`` or ``report-qa index`` run beside a running server saves a new index in the
same folder; the server's ask workers open it at their next question (qa.apps.workers), and this
middleware has the server's own ``ReportQA`` (the document list, the page, the facts, and questions
when no workers run) do the same, checking at most once a second.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import anyio

from qa.api import ReportQA
from qa.errors import ReportQAError

log = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 1.0  # a change saved by another process shows within this long


class SeesOtherWriters:
    """ASGI middleware: before a request, when the last look is ``every`` seconds old, open the index
    another process saved since (``ReportQA.refresh``). An index that cannot be opened (another
    model's, a damaged one) is logged and the open one kept: the server goes on answering."""

    def __init__(self, app: Any, bot: ReportQA, every: float = CHECK_EVERY_SECONDS) -> None:
        self.app, self.bot, self.every = app, bot, every
        self._next = 0.0
        self._lock = threading.Lock()  # one look at a time; the others go on with the open index

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and time.monotonic() >= self._next:
            await anyio.to_thread.run_sync(self._look)
        await self.app(scope, receive, send)

    def _look(self) -> None:
        if not self._lock.acquire(blocking=False):
            return
        try:
            if time.monotonic() < self._next:
                return
            if self.bot.refresh():
                log.info("opened the index saved by another process: %d documents", len(self.bot.documents))
        except ReportQAError as exc:
            log.warning("kept the open index: %s", exc)
        finally:
            self._next = time.monotonic() + self.every
            self._lock.release()
