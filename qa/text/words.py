"""Chinese words as jieba segments them: the one place jieba is imported and quietened."""

from __future__ import annotations

import logging

import jieba

jieba.setLogLevel(logging.WARNING)  # not its dictionary-loading chatter on every first question


def cut_words(text: str) -> list[str]:
    """The words of ``text`` in order, as jieba's default (precise) mode cuts them."""
    return jieba.lcut(text)
