"""What is being added to the index right now, shared by every page of one server.

Adding a report takes seconds to minutes (it is embedded sentence by sentence) while questions are
still answered from the index as it was. The upload's worker says here which file it is on; the
chat reads it, so a question asked meanwhile says plainly that the new report is not searched yet.
The worker, not the page that started it, says when it is done: a page reloaded or closed mid-batch
had left the note standing for every later answer.
"""

from __future__ import annotations

import threading
import time


def progress(number: int, total: int, seconds: float) -> str:
    """文件 1/2 · 正在建立索引 · 已用 4 秒 · 总进度 0%: files done so far make the percentage."""
    done = round(100 * (number - 1) / total)
    return f"文件 {number}/{total} · 正在建立索引 · 已用 {int(seconds)} 秒 · 总进度 {done}%"


class Indexing:
    """The file being indexed now (its name, place in the batch, start), or none; safe from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._file: tuple[str, int, int, float] | None = None

    def begin(self, name: str, number: int, total: int) -> None:
        """Say that file ``number`` of ``total`` (``name``) is being indexed from now."""
        with self._lock:
            self._file = (name, number, total, time.monotonic())

    def finish(self) -> None:
        """Say that nothing is being indexed."""
        with self._lock:
            self._file = None

    def current(self) -> tuple[str, str] | None:
        """(file name, 文件 1/2 · 正在建立索引 · 已用 4 秒 · 总进度 0%), or None when nothing is indexed."""
        with self._lock:
            file = self._file
        if file is None:
            return None
        name, number, total, started = file
        return name, progress(number, total, time.monotonic() - started)

    def chat_note(self) -> str | None:
        """The chat's note while a report is being added, or None."""
        current = self.current()
        if current is None:
            return None
        return f"正在加入新文档（《{current[0]}》，{current[1]}），这次的回答只来自已经加入的文档。"
