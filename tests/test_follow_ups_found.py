"""Chat readings found by helpers using the app (qa.pipeline.conversation, qa.pipeline.reading_choice;
no model needed): the topic of a question joining two times, a name that is a kind of the earlier
question's word, and a question of its own kept as it stands when answered in parts or refused for a
fact."""

from __future__ import annotations

from qa.pipeline.answering import NOT_LIKELY
from qa.pipeline.conversation import retimed
from qa.pipeline.reading_choice import _named_words, best_reading, stands_alone
from qa.pipeline.substitutions import substitutions
from qa.pipeline.turn_words import topic_of
from qa.schema import Answer


def test_the_topic_of_a_question_joining_two_times_is_what_it_asks_about() -> None:
    # It had been 和的城镇新增就业目标分别, glued in front of the next question and answered at 1.0.
    assert topic_of("2014年和2015年的城镇新增就业目标分别是多少？") == "城镇新增就业"
    assert topic_of("2014年、2015年财政赤字各是多少？") == "财政赤字"
    assert topic_of("2015年的GDP目标是多少？") == "gdp"
    assert topic_of("的确有哪些措施？") != "确有"  # a word starting with 的 keeps it


def test_a_name_that_is_a_kind_of_the_earlier_questions_word_takes_its_place() -> None:
    # "农村居民呢？" had been read 去年云南居民人均可农村居民增长多少？ (支配收入 replaced).
    earlier = "去年云南居民人均可支配收入增长多少？"
    assert substitutions("农村居民呢？", earlier) == ["去年云南农村居民人均可支配收入增长多少？"]
    assert substitutions("城镇居民呢？", earlier) == ["去年云南城镇居民人均可支配收入增长多少？"]
    # Found by a reviewer: the kind of a run of words replaces the run; a word before it naming a thing
    # (税收 of 税收收入) makes 非税收入 no kind of 收入.
    gdp = substitutions("人均地区生产总值呢？", "去年地区生产总值是多少？")
    assert gdp == ["去年人均地区生产总值是多少？"]
    assert substitutions("规上工业增加值呢？", "去年工业增加值增长多少？") == ["去年规上工业增加值增长多少？"]
    assert "去年税收非税收入多少？" not in substitutions("非税收入呢？", "去年税收收入多少？")
    # A name running over a word before (农民收入 for 城里人 收入) still replaces that word.
    assert "农民收入涨了多少？" in substitutions("农民收入呢？", "城里人收入涨了多少？")


def test_a_question_of_its_own_answered_in_parts_or_refused_for_a_fact_is_not_read_otherwise() -> None:
    question = "湖南和山东的城镇化率分别是多少？"
    assert stands_alone(question, "城镇新增就业")
    part = Answer("山东的城镇化率是多少？", True, "城镇化率达到67.5%。", confidence=0.9, outcome="answer")
    own = Answer(question, True, part.answer, confidence=0.84, outcome="uncertain", parts=[part])
    glued = Answer(question, True, "城镇新增就业70万人；", confidence=1.0, outcome="answer")
    answered = [(question, own), ("城镇新增就业" + question, glued)]
    assert best_reading(question, answered, alone=True) is own
    # Refused for want of a 2018 report: a fact, which no reading with words put in overrides.
    asked = "2018年的经济增长目标是多少？"
    missing = Answer(asked, False, None, confidence=0.01, reason={"not_found_because": "没有2018年的报告"})
    unlikely = Answer(asked, False, None, confidence=0.2, reason={"not_found_because": NOT_LIKELY})
    target = Answer(asked, True, "经济增长预期目标是5%左右。", confidence=1.0, outcome="answer")
    assert best_reading(asked, [(asked, missing), ("城镇新增就业" + asked, target)], alone=True) is missing
    # Refused as unlikely, the readings still compete.
    assert best_reading(asked, [(asked, unlikely), ("经济增长" + asked, target)], alone=True) is target


def test_a_turn_naming_nothing_is_not_read_with_the_conversations_level_alone() -> None:
    # "完成了吗？" after a 全国 target had been answered as 全国完成了吗？ with whatever said 完成.
    from qa.pipeline.chat import Conversation
    from tests.test_conversation import _ConfidentAbout

    chat = Conversation(_ConfidentAbout("全国"))  # type: ignore[arg-type]
    chat.ask("全国2013年城镇新增就业目标是多少？")
    assert chat.level == "全国" and "全国完成了吗？" not in chat._readings("完成了吗？")
    assert "全国医疗呢？" in chat._readings("那医疗呢？")  # a turn naming something still is


def test_a_name_inside_a_longer_word_of_the_earlier_question_replaces_that_word():
    # Found by a helper: "那出口呢？" after "2009年全年进出口总额是多少？" had been read as the earlier
    # question (出口 is in 进出口) and answered with 进出口总额 at 0.97.
    assert "2009年全年出口总额是多少？" in substitutions("那出口呢？", "2009年全年进出口总额是多少？")


def test_a_time_with_a_bare_how_much_asks_the_earlier_question_of_that_time():
    assert retimed("2009年是多少？", "2010年城镇登记失业率控制在多少？") == [
        "2009年城镇登记失业率控制在多少？"
    ]


def test_verbs_and_counters_name_nothing_a_topic_reading_must_quote() -> None:
    # Found by a helper: "要花多少钱？" after "青石大道西段什么时候开工？" had been read as it stood (its
    # reading with the topic discarded for not quoting 要花), "今年还要建吗？" the same (还要).
    assert _named_words("要花多少钱？") == set() and _named_words("今年还要建吗？") == set()
    assert _named_words("今年要建消防站吗？") == {"消防站"}
    assert _named_words("投资多少？") == {"投资"}
    assert _named_words("今年要建几个？") == set() and _named_words("个人所得税多少？") == {"个人所得税"}


def test_a_phase_stands_for_a_phase_or_follows_the_project() -> None:
    # Found by a helper: "二期呢？" after "宏达新材料项目什么时候投产的？" had been read 宏达新二期项目….
    earlier = "宏达新材料项目什么时候投产的？"
    assert substitutions("二期呢？", earlier) == ["宏达新材料项目二期什么时候投产的？"]
    assert substitutions("那二期呢？", "正极材料项目一期什么时候投产？") == ["正极材料项目二期什么时候投产？"]
