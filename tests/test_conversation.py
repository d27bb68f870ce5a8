"""Follow-up questions are rewritten with the topic of the conversation (no model needed)."""

from __future__ import annotations

import pytest

from qa.errors import QuestionError
from qa.pipeline.chat import Conversation
from qa.pipeline.conversation import readings, resolve
from qa.pipeline.parts import term_in_answer
from qa.pipeline.query import analyze, names_something
from qa.pipeline.reading_choice import best_reading
from qa.pipeline.substitutions import substitutions
from qa.pipeline.turn_words import elliptical_name, names_nothing, only_context, topic_of
from qa.schema import Answer
from qa.settings import MAX_QUESTION_CHARS
from qa.text.normalize import normalize


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("紫湖郊野公园投了多少钱？", "紫湖郊野公园"),
        ("规上工业产值去年增长多少？", "规上工业产值"),
        ("2022年财政总收入是多少？", "财政总收入"),
        ("白石镇去年财政总收入多少？", "白石镇财政总收入"),  # a place before the time word
        ("青山县2025年新增学位多少个？", "青山县新增学位"),
        ("要不要建消防站", ""),
        # Its subject after an opening verb, with what it counts; not cut inside a word (产能).
        ("2018年要减税多少？", "减税"),
        ("2017年要压减多少钢铁产能？", "压减钢铁产能"),
        ("2017年压减钢铁产能怎么落实？", "压减钢铁产能"),
        ("比上年增长多少？", ""),
        ("今年预计增长多少？", ""),
        ("今年的目标是多少？", ""),
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
        ("去年粮食产量增长多少？", "今年预计增长多少？", "粮食产量今年预计增长多少？"),
        ("白石镇去年财政总收入多少？", "今年呢？", "白石镇财政总收入今年呢？"),
    ],
)
def test_follow_ups_borrow_the_topic(previous, follow_up, standalone):
    assert resolve(follow_up, topic_of(previous)) == standalone


def test_this_year_in_an_english_question_is_no_pronoun():
    topic = topic_of("今年重点抓好哪几个方面的工作？")
    assert resolve("What are the plans for education this year?", topic) == (
        "What are the plans for education this year?"
    )
    assert resolve("When will it be finished?", "消防站") == "When will 消防站 be finished?"
    # An English topic is not run into a Chinese turn (what was gdp growth last year去年完成得怎样？),
    # but an acronym may be.
    assert resolve("去年完成得怎样？", "new urban jobs created") == "去年完成得怎样？"
    assert resolve("去年完成得怎样？", "gdp") == "gdp去年完成得怎样？"


def test_first_question_is_left_alone():
    assert resolve("那今年的目标呢？", "") == "那今年的目标呢？"


def test_resumed_conversation_has_the_same_topic_as_a_live_one():
    resumed = Conversation(bot=None, earlier_questions=["规上工业产值去年增长多少？"])  # type: ignore[arg-type]
    assert resumed.topic == "规上工业产值"


@pytest.mark.parametrize(
    ("question", "alone"),
    [
        ("今年呢？", True),
        ("那明年呢", True),
        ("2024年呢？", True),
        ("那今年的目标呢？", False),  # 目标 is something of its own to ask about
        ("今年要建消防站吗？", False),
        ("今年", False),  # no ellipsis: not a follow-up by its form
        ("明年呢。", True),  # whatever ends the sentence after 呢
        ("那明年呢 ？", True),
        # Found by a helper: a time with a bare how-much or how asks "and then?" too.
        ("2009年是多少？", True),
        ("2009年GDP是多少？", False),
        ("今年计划多少？", False),  # 计划 says what is asked of the topic: read with it
        ("去年又是多少呢？", True),
        ("2009年怎么样？", True),
        ("去年如何？", True),
        ("2010年的政府工作报告怎么样？", False),  # asks about that report (a reviewer)
        ("2009年的报告如何？", False),
    ],
)
def test_a_bare_time_word_with_ellipsis_asks_nothing_on_its_own(question, alone):
    assert only_context(question) is alone


@pytest.mark.parametrize(
    "question",
    ["农民呢？", "农民呢", "农民呢 ？", "农民呢。", "农民呢?!", "那农民呢…", "那农民。", "那农民！"],
)
def test_an_elliptical_name_is_read_whatever_ends_the_sentence(question):
    assert elliptical_name(question) == "农民"
    assert substitutions(question, "城里人收入涨了多少？")[0] == "农民收入涨了多少？"


def test_such_a_question_is_read_only_with_the_topic():
    assert readings("今年呢？", "财政收入") == ["财政收入今年呢？"]
    assert readings("今年要建消防站吗？", "财政收入")[0] == "今年要建消防站吗？"
    assert readings("今年呢？", "") == ["今年呢？"]  # nothing earlier: as it stands


@pytest.mark.parametrize(
    ("part", "names_it"),
    [
        ("今年计划多少？", False),
        ("今年预计增长多少？", False),
        ("今年的目标是多少？", False),
        ("增长了多少？", False),
        ("今年就业计划多少？", True),
        ("整改率是多少？", True),
        ("今年要建消防站吗？", True),
    ],
)
def test_a_second_part_that_names_nothing_is_read_only_with_the_first_parts_topic(part, names_it):
    assert names_nothing(part) is not names_it
    forms = readings(part, "粮食产量", same_question=True)
    assert (part in forms) is names_it
    assert any("粮食产量" in form for form in forms)
    # In a chat the same words may start a new question: read as it stands too.
    assert readings(part, "粮食产量")[0] == part


@pytest.mark.parametrize(
    ("part", "names_it"),
    [
        ("what is the target for this year?", False),
        ("and how many are planned this year?", False),
        ("What is this year's target?", False),
        ("what is the CPI target this year?", True),
        ("Will the province build a new airport?", True),
    ],
)
def test_an_english_second_part_that_names_nothing_is_read_only_with_the_first_parts_topic(part, names_it):
    # It had been answered as it stands, with the GDP target, whatever the first part asked.
    topic = topic_of("How many new urban jobs were created last year")
    assert topic == "new urban jobs created"
    assert names_nothing(part) is not names_it
    forms = readings(part, topic, same_question=True)
    assert (part in forms) is names_it
    assert any(form.endswith(", new urban jobs created?") for form in forms)


@pytest.mark.parametrize(
    ("sentence", "question", "term"),
    [
        ("城镇新增就业1102万人；", "新增工作岗位去年多少？", "城镇新增就业"),  # the report's words for it
        ("生产总值6.66万亿元，社会消费品零售总额2.9万亿元。", "去年消费品零售多少？", "社会消费品零售总额"),
        ("全年预计完成财政总收入1.6亿元,比增8.8%;", "去年财政收入多少？", "全年预计完成财政总收入"),
        ("加快建设紫帽消防救援站。", "要建消防站吗？", ""),  # no figure: nothing to carry over
    ],
)
def test_the_term_an_answer_gives_its_figure(sentence, question, term):
    assert term_in_answer(sentence, question) == term


@pytest.mark.parametrize(
    ("question", "previous", "expected"),
    [
        ("农民呢？", "城里人收入涨了多少？", ["农民收入涨了多少？", "城里人农民涨了多少？"]),
        ("那医疗呢？", "教育投入多少？", ["医疗投入多少？", "教育医疗多少？"]),
        # Time words and words of address stay; a name holding the next word takes its place too.
        (
            "农民呢？",
            "请问2024年城里人收入涨了多少？",
            ["请问2024年农民收入涨了多少？", "请问2024年城里人农民涨了多少？", "2024年农民呢？"],
        ),
        # The whole subject too, and the name at the earlier time: a part of 国内生产总值 had been
        # replaced (2018年国内医疗总值…), and no reading asked 医疗 of 2018 alone.
        (
            "那医疗呢？",
            "2018年国内生产总值增长目标是多少？",
            [
                "2018年医疗生产总值增长目标是多少？",
                "2018年国内医疗总值增长目标是多少？",
                "2018年国内生产医疗增长目标是多少？",
                "2018年医疗增长目标是多少？",
                "2018年医疗国内生产总值增长目标是多少？",  # a kind of the subject (地方财政赤字)
                "2018年医疗呢？",
            ],
        ),
        ("农民收入呢？", "城里人收入涨了多少？", ["农民收入涨了多少？"]),
        # Only the first SUBSTITUTED_WORDS words that name something (教育 is the fourth).
        (
            "工人呢？",
            "城里人的住房、医疗、教育花了多少？",
            [
                "工人的住房、医疗、教育花了多少？",
                "城里人的工人、医疗、教育花了多少？",
                "城里人的住房、工人、教育花了多少？",
            ],
        ),
    ],
)
def test_an_elliptical_name_is_put_in_for_a_word_of_the_earlier_question(question, previous, expected):
    assert substitutions(question, previous) == expected
    assert expected[0] in readings(question, topic_of(previous), previous=previous)


@pytest.mark.parametrize(
    ("question", "previous"),
    [
        ("那今年的目标呢？", "规上工业产值去年增长多少？"),  # names nothing: the topic alone
        ("今年呢？", "财政收入多少？"),
        ("今年要建消防站吗？", "财政收入多少？"),  # not elliptical: a question of its own
        ("What about farmers?", "How much did income grow?"),
        ("农民呢？", "How much did income grow?"),
        ("收入呢？", "城里人收入涨了多少？"),  # the earlier question holds it already
        ("湖北呢？", "湖北省今年GDP目标是多少？"),  # as the start of a word
    ],
)
def test_only_an_elliptical_question_that_names_something_replaces_a_word(question, previous):
    assert substitutions(question, previous) == []


def test_no_reading_is_longer_than_a_question_may_be():
    previous = "城里人" + "收入" * 999  # 2,001 characters once 城里人 becomes 农村居民
    assert all(len(form) <= MAX_QUESTION_CHARS for form in readings("农村居民呢？", "", previous=previous))
    assert all(len(form) <= MAX_QUESTION_CHARS for form in substitutions("农村居民呢？", previous))


class _ConfidentAbout:
    """A bot that is sure only of questions holding ``words`` (a unit-test double)."""

    def __init__(self, words: str) -> None:
        self.words = words

    def ask(self, question: str, k: int = 5, filters=None) -> Answer:
        return Answer(question, True, question, confidence=0.9 if self.words in question else 0.1)


def test_a_conversation_answers_the_most_confident_replacement():
    chat = Conversation(_ConfidentAbout("农民收入"))  # type: ignore[arg-type]
    chat.ask("城里人收入涨了多少？")
    answer = chat.ask("农民呢？")
    assert answer.reason["standalone_question"] == "农民收入涨了多少？" and answer.question == "农民呢？"


def test_a_chain_of_names_replaces_words_of_the_last_full_question_live_and_resumed_alike():
    history = ["城里人收入涨了多少？", "农民呢？"]
    live = Conversation(_ConfidentAbout("农民收入"))  # type: ignore[arg-type]
    for question in history:
        live.ask(question)
    resumed = Conversation(_ConfidentAbout("工人收入"), earlier_questions=history)  # type: ignore[arg-type]
    assert live.previous == resumed.previous == "农民收入涨了多少？"  # what the turn before meant
    live.bot = resumed.bot
    for chat in (live, resumed):
        assert chat.ask("工人呢？").reason["standalone_question"] == "工人收入涨了多少？"


class _RevenueEverywhere:
    """A bot sure of any question about 财政收入 and quoting a revenue sentence, unsure of the rest."""

    def ask(self, question: str, k: int = 5, filters=None) -> Answer:
        if "财政收入" in question:
            return Answer(question, True, "预计今年财政收入继续恢复增长。", confidence=0.92)
        return Answer(question, True, "建设紫帽消防救援站。", confidence=0.76)


def test_words_put_in_do_not_win_a_question_that_names_its_own_thing():
    chat = Conversation(_RevenueEverywhere())  # type: ignore[arg-type]
    chat.ask("镇里去年财政收入多少？")
    answer = chat.ask("今年要建消防站吗？")  # names 消防站: the revenue reading quotes nothing of it
    assert answer.answer == "建设紫帽消防救援站。"
    assert answer.reason["standalone_question"] == "今年要建消防站吗？"


def test_a_reading_that_quotes_what_the_question_names_may_win():
    question = "今年要建消防站吗？"
    alone = Answer(question, True, "建设紫帽消防救援站。", confidence=0.5)
    read = Answer(question, True, "新建紫帽消防站一座。", confidence=0.8)
    assert best_reading(question, [(question, alone), ("紫帽" + question, read)]) is read
    # A question that names nothing of its own ("今年目标是多少？") takes the most confident reading.
    vague = Answer("今年目标是多少？", True, "财政收入增长7.6%。", confidence=0.9)
    assert (
        best_reading("今年目标是多少？", [("今年目标是多少？", alone), ("财政收入今年目标是多少？", vague)])
        is vague
    )


def test_a_turn_naming_no_level_is_also_read_with_the_conversations_level() -> None:
    history = ["镇里去年财政收入多少？", "那医疗呢？"]
    live = Conversation(_ConfidentAbout("镇里医疗"))  # type: ignore[arg-type]
    live.ask(history[0])
    assert live.ask(history[1]).reason["standalone_question"] == "镇里医疗呢？"
    resumed = Conversation(_ConfidentAbout("镇里今年"), earlier_questions=history)  # type: ignore[arg-type]
    assert resumed.level == live.level == "镇里"
    assert resumed.ask("今年要建消防站吗？").reason["standalone_question"] == "镇里今年要建消防站吗？"
    # A turn that names a level is read with its own only, and then the conversation keeps that one.
    assert not any(reading.startswith("镇里") for reading in live._readings("全国今年目标是多少？"))
    live.ask("全国今年目标是多少？")
    assert live.level == "全国"


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("的", False),
        ("a", False),
        ("谢谢", False),  # small talk: answered with the report's thank-you sentence before
        ("hello", False),
        ("aaaaaaa", False),
        ("谢谢，财政收入多少？", True),
        ("是吗？", False),
        ("What is it?", False),
        ("多少？", False),
        ("今年呢？", True),  # a time word: a follow-up's, read with the earlier topic
        ("GDP?", True),
        ("12", False),  # a number alone (a menu choice, a slip): had quoted a sentence holding it
        ("2026", False),
        ("2026年", True),
        ("5G", True),
        ("您好，能帮我查一下吗", False),  # words to the bot, before a question
        ("老师您好，打扰一下可以吗？", True),  # 老师 may be what is asked about
        ("去年财政收入多少？", True),
        ("How much went into river works?", True),
    ],
)
def test_a_question_names_something_to_look_for(question: str, names: bool) -> None:
    assert names_something(normalize(question)) == names


def test_a_follow_up_naming_nothing_itself_is_read_with_the_topic() -> None:
    class Bot:
        def ask(self, question: str, k: int = 5, filters=None) -> Answer:
            analyze(question)  # "多少？" alone names nothing: QuestionError
            return Answer(question, True, question, [], {}, 0.9, "answer")

    chat = Conversation(Bot())  # type: ignore[arg-type]
    chat.ask("紫湖郊野公园投了多少钱？")
    assert chat.ask("多少？").reason["standalone_question"] == "紫湖郊野公园多少？"
    with pytest.raises(QuestionError):
        Conversation(Bot()).ask("多少？")  # type: ignore[arg-type]


def test_a_time_only_follow_up_asks_the_turn_before_as_it_was_read() -> None:
    class Bot:
        def ask(self, question: str, k: int = 5, filters=None) -> Answer:
            return Answer(question, True, question, [], {}, 0.5 + 0.1 * (question[0] == "江"), "answer")

    chat = Conversation(Bot())  # type: ignore[arg-type]
    chat.ask("广东今年地区生产总值增长目标是多少？")
    assert chat.ask("那江苏呢？").reason["standalone_question"] == "江苏今年地区生产总值增长目标是多少？"
    assert "江苏去年地区生产总值增长目标是多少？" in chat._readings("去年呢？")
    earlier = "2015年GDP增长目标是多少？"
    assert readings("2016年呢？", topic_of(earlier), previous=earlier)[-1] == "2016年GDP增长目标是多少？"


def test_an_english_follow_up_is_not_won_by_the_earlier_topic_put_in_front() -> None:
    # "And what about education?" read as "财政总收入what about education?" re-quoted the revenue
    # sentence at 0.92: an English question names its words in English, which no Chinese quote holds.
    question, reading = "And what about education?", "财政总收入what about education?"
    asked = Answer(question, True, "把教育强镇作为发展重要驱动力。", [], {}, 0.62, "answer")
    glued = Answer(reading, True, "全年完成财政总收入1.6亿元。", [], {}, 0.92, "answer")
    assert best_reading(question, [(question, asked), (reading, glued)]) is asked


def test_a_place_a_follow_up_names_may_be_named_by_the_report_quoted() -> None:
    # "白石镇呢？" after "青山县去年新增学位多少个？": 白石镇's report names 白石镇, its sentence need not.
    from qa.schema import Passage

    report = Passage("b", "白石镇2025年政府工作报告", [], "plan", 0, 9, "新增公办幼儿园学位300个。")
    question, reading = "白石镇呢？", "白石镇去年新增学位多少个？"
    asked = Answer(question, True, "白石镇镇长 陈晓东", [], {}, 0.5, "answer")
    read = Answer(reading, True, "新增公办幼儿园学位300个。", [report], {}, 0.6, "answer")
    assert best_reading(question, [(question, asked), (reading, read)]) is read


def test_thanks_in_a_chat_is_no_follow_up() -> None:
    # "谢谢" after "镇里去年财政收入多少？" was read "镇里谢谢" and answered with the report's thanks.
    class Bot:
        def ask(self, question: str, k: int = 5, filters=None) -> Answer:
            return Answer(question, True, question, [], {}, 0.9, "answer")

    chat = Conversation(Bot())  # type: ignore[arg-type]
    chat.ask("镇里去年财政收入多少？")
    for thanks in ("谢谢", "谢谢！", "Thank you!"):
        with pytest.raises(QuestionError):
            chat.ask(thanks)
