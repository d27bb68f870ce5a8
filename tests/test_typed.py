"""Questions as people type them on a phone, read as they mean them (found by a helper that typed
223 questions the messy way): spaces between Chinese characters, abbreviations in lower case or typed
apart, a number alone, a greeting or a word to the bot before the question, where the asker lives."""

from __future__ import annotations

import pytest

from qa.errors import QuestionError
from qa.pipeline.parts import split_parts
from qa.pipeline.places import named_places
from qa.pipeline.query import analyze, as_meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("去 年 国 内 生 产 总 值 是 多 少", "去年国内生产总值是多少"),  # "今 年" was no 今年
        ("今\u3000年城镇新增就业", "今年城镇新增就业"),
        ("去年 G D P 是多少", "去年 GDP 是多少"),
        ("今年gdp增长目标", "今年GDP增长目标"),
        ("去年Gdp是多少", "去年GDP是多少"),  # as a phone's keyboard capitalizes it
        ("pm2.5下降多少", "PM2.5下降多少"),
        ("5g基站建了多少", "5G基站建了多少"),
        ("What is the gdp target?", "What is the gdp target?"),  # no Chinese: as typed
        ("今年iPhone出口", "今年iPhone出口"),  # a name in mixed case stays
        ("去年经济增长百分之六点九吗", "去年经济增长6.9%吗"),  # as voice input types it
        # A province by its abbreviation: it had been answered from the State Council's report.
        ("皖去年粮食产量多少？", "安徽去年粮食产量多少？"),
        ("问一下，湘今年要培训多少乡村医生？", "问一下，湖南今年要培训多少乡村医生？"),
        ("去年进出口增长多少，豫呢？", "去年进出口增长多少，河南呢？"),
        ("鄂和鲁分别是多少？", "湖北和山东分别是多少？"),
        ("沪深两市成交额多少？", "沪深两市成交额多少？"),  # 沪/深 are two markets' places
        ("川藏铁路进展如何？", "川藏铁路进展如何？"),  # one word
        ("粤港澳大湾区怎么建？", "粤港澳大湾区怎么建？"),
        # A year by its last two digits: 08年的政府工作报告 had been answered from a 2026 report.
        ("08年的政府工作报告是哪天作的？", "2008年的政府工作报告是哪天作的？"),
        ("98年报告里粮食产量多少？", "1998年报告里粮食产量多少？"),
        ("那11年的呢？", "那2011年的呢？"),
        ("近10年增长多少？", "近10年增长多少？"),  # ten years, no year
        ("近10年的报告里提到几次？", "近10年的报告里提到几次？"),
        ("三峡工程建了17年呢？", "三峡工程建了17年呢？"),
        ("50年代建了多少？", "50年代建了多少？"),
    ],
)
def test_a_chinese_question_typed_on_a_phone_is_read_as_meant(typed: str, meant: str) -> None:
    assert as_meant(typed) == meant
    query = analyze(typed)
    assert query.text == meant and query.relative == analyze(meant).relative


@pytest.mark.parametrize("question", ["1", "12", "2026", "？1", "３"])
def test_a_number_alone_asks_nothing(question: str) -> None:
    # It had been answered with a sentence holding that digit, at up to 1.00.
    with pytest.raises(QuestionError, match="names nothing"):
        analyze(question)
    assert analyze("2026年的GDP目标").years == (2026,)


@pytest.mark.parametrize(
    "question",
    [
        "你好，在吗？今年城镇新增就业目标是多少",  # the greeting had been a part: the whole question refused
        "在吗在吗？今年GDP目标是多少",
        "您好，能帮我查一下吗，今年城镇新增就业目标是多少",  # a part of its own: answered 可能相关
        "喂喂，听得到吗，今年GDP是多少",
        "我儿子投了几十份简历都没回音，想问问今年城镇新增就业目标是多少",  # 几十 asks nothing
    ],
)
def test_a_greeting_or_a_story_before_a_question_is_no_part_of_its_own(question: str) -> None:
    assert split_parts(question) == [question]


def test_two_questions_are_still_two_parts() -> None:
    assert split_parts("去年粮食产量多少？今年目标是多少？") == ["去年粮食产量多少？", "今年目标是多少？"]


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("我在芜湖上班，请问今年全省城镇新增就业目标是多少？", []),  # had been 没有芜湖的报告
        ("我是北京的，今年财政赤字多少", []),
        ("我老家阜阳的，今年安徽有什么项目", ["安徽"]),
        ("我在安徽芜湖工作，今年GDP多少", []),
        ("我在芜湖，芜湖今年有什么项目？", ["芜湖"]),  # named again: asked about
        ("我想问芜湖今年GDP多少", ["芜湖"]),
        ("股市2017年会牛市吗？", []),  # had been 没有会牛市的报告
    ],
)
def test_where_the_asker_is_and_words_ending_in_shi_are_no_place_asked_about(
    question: str, places: list[str]
) -> None:
    assert named_places(analyze(question), cities=True) == places


@pytest.mark.parametrize(
    ("question", "years", "relative"),
    [
        ("我2023年来的深圳 广东去年gdp增长多少", (), "review"),  # had been 没有2023年广东的报告
        ("我去年退休了，今年养老金涨多少？", (), "plan"),
        ("我想知道2022年财政收入", (2022,), None),  # asking, not telling
        ("2023年我们镇财政收入多少？", (2023,), None),  # the question itself
    ],
)
def test_the_years_of_the_askers_story_are_not_the_years_asked(question: str, years: tuple, relative) -> None:
    query = analyze(question)
    assert (query.years, query.relative) == (years, relative)
    assert "来的深圳" in query.text or "来的深圳" not in question  # the story's words stay


@pytest.mark.parametrize("question", ["這是甚麼？", "幾多？", "係咪？", "乜嘢？", "这是甚么"])
def test_hong_kong_and_taiwan_question_words_alone_ask_nothing(question: str) -> None:
    # Found by a helper: 這是甚麼？ and 幾多？ were answered (0.71) where 这是什么？ and 多少？ were refused.
    with pytest.raises(QuestionError, match="names nothing"):
        analyze(question)
    assert analyze("太極班甚麼時候上課？").normalized == analyze("太极班什么时候上课？").normalized
    assert "几" not in analyze("城镇新增就业幾多人？").lexical_text


@pytest.mark.parametrize("question", ["今年是不是要改造危房，改多少户？", "是不是要修路，修多少公里来着？"])
def test_whether_then_how_much_after_a_comma_is_one_question(question: str) -> None:
    # Found by a helper: split in two, the second half (改多少户？) was refused or answered elsewhere.
    assert split_parts(question) == [question]
    assert split_parts("今年是不是要改造农村危房？改多少户？") == ["今年是不是要改造农村危房？", "改多少户？"]
