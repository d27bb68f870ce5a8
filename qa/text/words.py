"""Chinese words as jieba segments them: the one place jieba is imported and quietened."""

from __future__ import annotations

import logging

import jieba

jieba.setLogLevel(logging.WARNING)  # not its dictionary-loading chatter on every first question


def cut_words(text: str) -> list[str]:
    """The words of ``text`` in order, as jieba's default (precise) mode cuts them."""
    return jieba.lcut(text)


def word_bounds(text: str) -> set[int]:
    """The offsets in ``text`` where a word (as ``cut_words`` cuts it) starts or ends."""
    bounds, at = {0}, 0
    for word in cut_words(text):
        at += len(word)
        bounds.add(at)
    return bounds


def parts_of(word: str) -> list[str]:
    """``word`` as two words of its own when jieba's search mode reads it so (农民收入 -> 农民, 收入),
    else ``[word]``: a follow-up may replace one of them ("工人呢？" after "农民收入涨了多少？")."""
    parts = [p for p in jieba.cut_for_search(word) if 2 <= len(p) < len(word)]
    return next(
        ([a, word[len(a) :]] for a in parts if word.startswith(a) and word[len(a) :] in parts), [word]
    )
