"""Unit tests of the places a question names (qa.pipeline.places): Chinese place names, the words
that only look like them, and the divisions that hold a place."""

from __future__ import annotations

from qa.pipeline.places import containing, named_places
from qa.pipeline.query import analyze


def test_place_names_are_not_taken_from_ordinary_words() -> None:
    assert named_places(analyze("今年城市更新和乡镇建设有什么安排？")) == []
    assert named_places(analyze("成都市和重庆市的GDP")) == ["重庆", "成都市"]
    assert named_places(analyze("今年市政设施和县政府办公楼投入多少？")) == []


def test_the_divisions_holding_a_place() -> None:
    assert containing("晋江市") == ["泉州市", "福建省"]
    assert containing("洛阳") == ["河南省"]
    assert containing("紫帽镇") == [] and containing("河南省") == []
    assert containing("丰都县") == ["重庆市"]  # the table's grouping 县 is no place
    assert containing("潜江市") == ["湖北省"]


def test_policy_words_ending_like_a_place_name_are_no_places() -> None:
    for question in (
        "为了推动家电、农机、汽车下乡，中央财政拿出多少补贴？",
        "统筹城乡发展有什么措施？",
        "农民工返乡创业有什么政策？",
        "今年，特色小镇建设多少个？",
        "怎样建设鱼米之乡？",
    ):
        assert named_places(analyze(question), cities=True) == [], question
    assert named_places(analyze("今年，晋江市GDP目标是多少？")) == ["晋江市"]
    # Townships that end the same way are places: jieba reads 古城/乡, and 王 or 石 is too short a word.
    for township in ("古城乡", "清水乡", "王家乡", "石下乡"):
        assert named_places(analyze(f"今年，{township}财政收入多少？")) == [township]


def test_a_city_named_by_its_governments_report_is_a_place() -> None:
    # 市政 is a word (市政设施), 市政府 the city's government: "苏州市政府工作报告" names 苏州市.
    assert named_places(analyze("苏州市政府工作报告里财政收入是多少？")) == ["苏州市"]
    assert named_places(analyze("2025年义乌市政府工作报告提出了什么目标")) == ["义乌市"]
