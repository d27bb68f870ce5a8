"""A FAQ's 问/答 pairs: each 问 line opens a section of its own (qa.ingest.headings), and the document's
own question asked is answered with the 答 under it (qa.pipeline.faq)."""

from __future__ import annotations

from qa.ingest.structure import parse_sections
from qa.pipeline.faq import asked_pair
from qa.pipeline.looked_up import looked_up
from qa.schema import Answer, Passage
from tests.conftest import bot_of

# Written for these tests in the manner of a bureau's FAQ.
FAQ = """青溪市居民医保常见问题解答

一、参保缴费

问：居民医保每年什么时候缴费？
答：每年9月1日至12月31日集中缴纳下一年度的居民医保费。

问：办卡要交钱吗？
答：首次申领社保卡免收工本费。因丢失、损坏补办的，按每张20元收取工本费。

问：卡里的钱能取出来吗？
答：医保个人账户的资金不能提取现金；金融账户中的存款可以正常存取。

二、待遇享受

问：卡丢了怎么办？
答：请立即拨打12333办理临时挂失。
5天内需携带身份证到网点办理正式挂失和补卡。

问：在哪里可以办理？
答：可以到各区政务服务中心医保窗口办理。
"""


def test_each_question_line_of_a_faq_opens_a_section_inside_its_part() -> None:
    paths = [s.path for s in parse_sections(FAQ) if s.kind == "asked"]
    assert paths[0] == ("一、参保缴费", "问：居民医保每年什么时候缴费？")
    assert ("二、待遇享受", "问：卡丢了怎么办？") in paths
    # One 问 line alone makes no FAQ: an article quoting a single question stays as it was.
    single = "某报道\n\n记者问：这项政策何时实施？\n局长表示，明年起实施。\n"
    assert not [s for s in parse_sections(single) if s.kind == "asked"]


def test_the_documents_own_question_is_answered_with_its_answer_whole(tmp_path) -> None:
    # Found by a helper: "办卡要交钱吗？", the FAQ's own question, had been answered with another
    # pair's 答 (社保卡金融账户里的钱…), and the section path was empty.
    bot = bot_of(tmp_path, FAQ, "faq.txt")
    for question in ("办卡要交钱吗？", "请问办卡要交钱吗", "医保卡丢了怎么办？"):
        answer = bot.ask(question)
        assert answer.outcome == "answer" and answer.confidence == 1.0, question
    answer = bot.ask("办卡要交钱吗？")
    assert answer.answer == "答：首次申领社保卡免收工本费。因丢失、损坏补办的，按每张20元收取工本费。"
    cited = answer.passages[0]
    assert cited.section == ["一、参保缴费", "问：办卡要交钱吗？"] and cited.text.startswith(
        "问：办卡要交钱吗？"
    )
    assert cited.text[slice(*cited.highlight)] == answer.answer
    lost = bot.ask("医保卡丢了怎么办？")  # two lines under it, both quoted
    assert lost.answer.endswith("5天内需携带身份证到网点办理正式挂失和补卡。")


def test_a_question_holding_a_faqs_question_with_words_it_never_uses_asks_something_else() -> None:
    sections = parse_sections(FAQ)
    assert asked_pair("医保在哪里可以办理？", FAQ, sections).title == "问：在哪里可以办理？"
    assert asked_pair("护照在哪里可以办理？", FAQ, sections) is None  # 护照: not this FAQ's
    assert asked_pair("怎么办？", FAQ, sections) is None  # holds none; none is held by it


def test_a_scored_clause_of_an_answer_is_widened_to_the_whole_answer() -> None:
    # Found by a helper: "社保卡里的钱能取现金吗" quoted 医保个人账户的资金不能提取现金； alone, a flat no,
    # without 金融账户中的存款可以正常存取 after it.
    clause = "答：医保个人账户的资金不能提取现金；"
    start = FAQ.index(clause)
    pair = FAQ.index("问：卡里的钱能取出来吗？")
    end = start + 40
    scored = Passage("faq", "青溪市居民医保常见问题解答", [], "other", pair, end, FAQ[pair:end],
                     passage_id="faq:0003", highlight=(start - pair, start - pair + len(clause)))  # fmt: skip
    answer = Answer("钱能取现金吗？", True, clause, [scored], {}, 0.71, "answer")
    widened = looked_up("钱能取现金吗？", answer, lambda _: FAQ, lambda _: ())
    assert widened is not None and widened.answer == clause + "金融账户中的存款可以正常存取。"
    assert (widened.confidence, widened.outcome) == (0.71, "answer")  # as sure as scored
    assert len(widened.passages) == 1 and widened.passages[0].section[-1] == "问：卡里的钱能取出来吗？"
