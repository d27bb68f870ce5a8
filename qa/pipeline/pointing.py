"""A chat turn that points into the answer before it: an item of the list it quoted ("其中第二个方面
是什么？", "第一件呢？") or a part of the document it quoted from ("第三部分讲了什么？" after
"江苏政府工作报告分为哪几个部分？").

Asked as they stand, such turns went to whichever document the search found first (a helper found 10
of 15 structure follow-ups answered from another report, at confidence 1.0) and never to the item
itself. The list and the document are facts of the answer before: the item is quoted from it, and a
list shorter than the number asked is said to be so.
"""

from __future__ import annotations

import re

from qa.pipeline.places import places_in
from qa.pipeline.sections import asked_part, asks_outline
from qa.schema import Answer
from qa.text.numerals import parse_numeral

# "第二个方面是什么？", "其中第一件呢？", "那第三点呢": an item by its number and nothing else.
_ITEM = re.compile(
    r"^(?:那么?)?(?:其中)?的?(?:第(?P<n>[一二两三四五六七八九十\d]{1,3})|(?P<last>最后一))(?:个方面|方面|个|件|项|点|条|类)"
    r"(?:是什么|是啥|讲了?什么|说了?什么|指什么|具体是什么|的内容是什么|呢)?[?？。!！\s]*$"
)
# "第二部分呢？": a part by its number and nothing else is asked what it holds.
_PART_ALONE = re.compile(r"^(?:那么?)?(?P<part>第[一二两三四五六七八九十\d]{1,3}(?:部分|章|节))呢[?？。\s]*$")
_YEAR = re.compile(r"(?:19|20)\d\d")


LAST = -1  # the item "最后一个" asks for


def asked_item(question: str) -> int | None:
    """The number of the item ``question`` (normalized) asks for (``LAST`` for 最后一个), or None."""
    found = _ITEM.match(question)
    if found is None:
        return None
    return LAST if found["last"] else int(parse_numeral(found["n"]))


def lists_nothing(answer: Answer) -> bool:
    """Whether ``answer`` is one a turn pointing at a list looks past: an item, or "the list is shorter"."""
    because = str(answer.reason.get("not_found_because") or "")
    return not answer.items and ("item" in answer.reason or because.startswith("the answer before lists"))


def part_question(question: str) -> str | None:
    """``question`` (normalized) as a question about a part or the whole of the document the chat is
    about ("第二部分呢？" -> "第二部分讲了什么？"), when it names no document of its own (no place, no
    year); else None."""
    alone = _PART_ALONE.match(question)
    asked = f"{alone['part']}讲了什么？" if alone else question
    if not (asked_part(asked) or asks_outline(asked)):
        return None
    return None if places_in(asked, cities=True) or _YEAR.search(asked) else asked


def item_answer(question: str, before: Answer, number: int) -> Answer:
    """Item ``number`` of the list ``before`` quoted, cited; refused, saying how many there are, when
    the list is shorter."""
    items = before.items
    number = len(items) if number == LAST and items else number
    if not 1 <= number <= len(items):
        reason = {"not_found_because": f"the answer before lists only {len(items)} items"}
        return Answer(question, False, None, before.passages[:1], reason, 0.0, "not_found")
    item = items[number - 1]
    passage = item.with_(highlight=(0, len(item.text)))
    reason = {"item": number, "not_found_because": None}
    return Answer(question, True, item.text, [passage], reason, 1.0, "answer")
