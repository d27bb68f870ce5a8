"""What the page shows under an answer's quote (qa.apps.ui.answers)."""

from __future__ import annotations

from dataclasses import replace

from qa.apps.ui.answers import render_answer
from tests.test_ui_render import _answer


def test_one_item_that_is_the_quote_itself_is_not_listed_again() -> None:
    # Found by a helper: a mention counted once showed its sentence, then 包括： the same sentence.
    answer = _answer("answer")
    once = replace(answer, items=[answer.passages[0].with_(text=answer.answer)])
    assert "包括：" not in render_answer(once)
    assert "包括：" in render_answer(replace(answer, items=[answer.passages[1]]))
