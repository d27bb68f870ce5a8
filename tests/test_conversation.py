"""Follow-up questions are rewritten with the topic of the conversation (no model needed)."""

from __future__ import annotations

import pytest

from qa.pipeline.conversation import resolve, topic_of


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("紫湖郊野公园投了多少钱？", "紫湖郊野公园"),
        ("规上工业产值去年增长多少？", "规上工业产值"),
        ("2022年财政总收入是多少？", "财政总收入"),
        ("要不要建消防站", ""),
        ("比上年增长多少？", ""),
    ],
)
def test_topic_is_the_subject_without_time_words(question, topic):
    assert topic_of(question) == topic


@pytest.mark.parametrize(
    ("previous", "follow_up", "standalone"),
    [
        ("规上工业产值去年增长多少？", "那今年的目标呢？", "规上工业产值今年的目标呢？"),
        ("紫湖郊野公园投了多少钱？", "它什么时候建成？", "紫湖郊野公园什么时候建成？"),
        ("2022年财政总收入是多少？", "比上年增长多少？", "财政总收入比上年增长多少？"),
        ("镇里去年财政收入多少？", "新增学位多少个", "新增学位多少个"),  # a new topic stands alone
    ],
)
def test_follow_ups_borrow_the_topic(previous, follow_up, standalone):
    assert resolve(follow_up, topic_of(previous)) == standalone


def test_first_question_is_left_alone():
    assert resolve("那今年的目标呢？", "") == "那今年的目标呢？"


def test_resumed_conversation_has_the_same_topic_as_a_live_one():
    from qa.pipeline.conversation import Conversation

    resumed = Conversation(bot=None, earlier_questions=["规上工业产值去年增长多少？"])  # type: ignore[arg-type]
    assert resumed.topic == "规上工业产值"
