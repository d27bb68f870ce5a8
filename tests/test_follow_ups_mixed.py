"""Follow-ups in other forms: a Chinese one of an English question, and an English one after it
(english_follow_ups); whether another place's report mentions it too (mentions.mention_follow_up)."""

from __future__ import annotations

from qa.pipeline.chat import Conversation
from qa.pipeline.conversation import readings, retimed
from qa.pipeline.english_follow_ups import english_of_chinese, in_english
from qa.pipeline.mentions import asked_topic, mention_follow_up
from qa.pipeline.substitutions import substitutions
from qa.pipeline.turn_words import topic_of
from tests.test_conversation import _ConfidentAbout

HENAN = "What is Henan's GDP growth target this year?"
NO_PLACE = "What is the GDP growth target this year?"


def test_a_chinese_place_or_time_asks_the_english_question_of_it() -> None:
    # Found by a helper: "那山东呢？" after an English question was refused as naming nothing (HTTP 400).
    assert english_of_chinese("那山东呢？", HENAN) == ["What is 山东's GDP growth target this year?"]
    assert english_of_chinese("河南呢？", NO_PLACE) == ["What is the GDP growth target this year in 河南?"]
    assert english_of_chinese("去年呢？", HENAN) == ["What is Henan's GDP growth target last year?"]
    assert english_of_chinese("2021年呢？", HENAN) == ["What is Henan's GDP growth target in 2021?"]
    # Found by a reviewer: 去年 of the conversation's year, not today's; a province with its 省.
    assert english_of_chinese("去年呢？", "What was GDP growth in 2016?") == ["What was GDP growth in 2015?"]
    assert english_of_chinese("那湖北省的呢？", HENAN) == ["What is 湖北省's GDP growth target this year?"]
    assert english_of_chinese("那全国呢？", HENAN) == ["What is 全国's GDP growth target this year?"]
    # Not a name of a thing (the reports' words would not fit the English), nor after a Chinese turn.
    assert english_of_chinese("那就业呢？", HENAN) == []
    assert english_of_chinese("山东呢？", "河南今年GDP增长目标是多少？") == []
    assert readings("那山东呢？", topic_of(HENAN), previous=HENAN) == [
        "What is 山东's GDP growth target this year?"
    ]


def test_an_english_question_with_a_chinese_place_is_still_english() -> None:
    mixed = "What is 山东's GDP growth target this year?"
    assert in_english(mixed) and not in_english("山东今年GDP增长目标是多少？")
    assert not in_english("河南") and not in_english("河南 湖北")  # places alone are Chinese
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


def test_whether_another_places_report_mentions_it_asks_the_turn_before_of_that_place() -> None:
    # Found by a helper: 河南有没有提到？ after a question on 老旧小区 quoted ten sentences naming 河南.
    assert asked_topic("河南有没有提到？") is None and asked_topic("2014年有没有提到？") is None
    assert asked_topic("老旧小区有没有提到？") == "老旧小区"  # a topic still is one
    assert mention_follow_up("河南有没有提到？") == "河南呢？"
    assert mention_follow_up("2014年的有没有提到？") == "2014年呢？"
    assert mention_follow_up("老旧小区有没有提到？") == ""
    # Found by a reviewer: a place after the verb is what is asked about, alone or in a chat.
    assert asked_topic("有没有提到香港？") == asked_topic("报告里提到香港了吗？") == "香港"
    assert mention_follow_up("有没有提到香港？") == ""
    assert mention_follow_up("2014年的报告有没有提到？") == "2014年呢？"
    earlier = "山东今年要改造多少个老旧小区？"
    assert readings("河南有没有提到？", topic_of(earlier), previous=earlier) == [
        "河南今年要改造多少个老旧小区？"
    ]


def test_a_place_where_the_earlier_question_named_none_is_asked_of_that_place() -> None:
    # Found by a helper: "河南呢？" after "有没有时间表？" was read 有没有河南？ and answered with a line of
    # a speech naming 河南; after a question naming no place, the place had replaced a thing (GDP).
    assert substitutions("河南呢？", "今年GDP增长目标是多少？") == ["河南今年GDP增长目标是多少？"]
    assert substitutions("河南呢？", "有没有时间表？") == ["河南有没有时间表？"]
    assert substitutions("河南呢？", "山东今年GDP增长目标是多少？") == ["河南今年GDP增长目标是多少？"]
    assert (
        substitutions("医疗呢？", "今年GDP增长目标是多少？")[0] == "今年医疗增长目标是多少？"
    )  # a thing for a thing
    # Found by a reviewer: the country or the asker's own province is a place that the new one replaces.
    assert substitutions("河南呢？", "我国GDP增长多少？") == ["河南GDP增长多少？"]
    assert substitutions("河南呢？", "全省今年GDP增长目标是多少？") == ["河南今年GDP增长目标是多少？"]
