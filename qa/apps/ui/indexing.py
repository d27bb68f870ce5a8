"""What is being added to the index right now, shared by every page of one server.

Adding a report takes seconds to minutes (it is embedded sentence by sentence) while questions are
still answered from the index as it was. The upload handler says here what it is doing; the chat
reads it, so a question asked meanwhile says plainly that the new report is not searched yet.
"""

from __future__ import annotations

import threading


class Indexing:
    """The upload in progress (its progress line), or None; safe to use from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status: str | None = None

    def update(self, status: str | None) -> None:
        """Say what is being done now (``文件 1/2 · 正在建立索引 …``); None when nothing is."""
        with self._lock:
            self._status = status

    def chat_note(self) -> str | None:
        """The chat's note while a report is being added, or None."""
        with self._lock:
            status = self._status
        if status is None:
            return None
        return f"正在加入新报告（{status}），这次的回答只来自已经加入的报告。"
