"""A Chinese follow-up of an English question, and an English one after it (english_follow_ups)."""

from __future__ import annotations

from qa.pipeline.chat import Conversation
from qa.pipeline.conversation import readings, retimed, substitutions, topic_of
from qa.pipeline.english_follow_ups import english_of_chinese, in_english
from tests.test_conversation import _ConfidentAbout

HENAN = "What is Henan's GDP growth target this year?"
NO_PLACE = "What is the GDP growth target this year?"


def test_a_chinese_place_or_time_asks_the_english_question_of_it() -> None:
    # Found by a helper: "那山东呢？" after an English question was refused as naming nothing (HTTP 400).
    assert english_of_chinese("那山东呢？", HENAN) == ["What is 山东's GDP growth target this year?"]
    assert english_of_chinese("河南呢？", NO_PLACE) == ["What is the GDP growth target this year in 河南?"]
    assert english_of_chinese("去年呢？", HENAN) == ["What is Henan's GDP growth target last year?"]
    assert english_of_chinese("2021年呢？", HENAN) == ["What is Henan's GDP growth target in 2021?"]
    # Not a name of a thing (the reports' words would not fit the English), nor after a Chinese turn.
    assert english_of_chinese("那就业呢？", HENAN) == []
    assert english_of_chinese("山东呢？", "河南今年GDP增长目标是多少？") == []
    assert readings("那山东呢？", topic_of(HENAN), previous=HENAN) == [
        "What is 山东's GDP growth target this year?"
    ]


def test_an_english_question_with_a_chinese_place_is_still_english() -> None:
    mixed = "What is 山东's GDP growth target this year?"
    assert in_english(mixed) and not in_english("山东今年GDP增长目标是多少？")
    # So the turns after it read it as English: no 去年 glued in front, no word of it replaced.
    assert retimed("去年呢？", mixed) == [] and substitutions("那医疗呢？", mixed) == []
    assert english_of_chinese("去年呢？", mixed) == ["What is 山东's GDP growth target last year?"]
    assert readings("What about Jiangsu?", topic_of(mixed), previous=mixed) == [
        "What is Jiangsu's GDP growth target this year?"
    ]


def test_a_conversation_switching_language_keeps_its_question() -> None:
    chat = Conversation(_ConfidentAbout("target"))  # type: ignore[arg-type]
    chat.ask(NO_PLACE)
    assert (
        chat.ask("河南呢？").reason["standalone_question"]
        == "What is the GDP growth target this year in 河南?"
    )
    assert chat.ask("What about Shandong?").reason["standalone_question"] == (
        "What is the GDP growth target this year in Shandong?"
    )
