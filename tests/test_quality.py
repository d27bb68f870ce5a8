"""Answer quality on the bundled report with the real model and the development question set.

These are the acceptance bars (README lists the measured numbers); the set is deterministic, so a
drop below a bar is a regression, not noise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa import ReportQA
from qa.apps.messages import scope_notes
from qa.evaluation import evaluate, load_questions
from qa.ingest.loader import bundled_report_path
from tests.conftest import GOV_REPORTS

DEV_SET = Path(__file__).parent / "data" / "dev_zimao.jsonl"


@pytest.fixture(scope="module")
def bot(tmp_path_factory, real_embedder):
    return ReportQA(index_dir=tmp_path_factory.mktemp("quality-index"), embedder=real_embedder)


@pytest.fixture(scope="module")
def result(bot):
    sources = {d.doc_id: d.source for d in bot.documents}
    return evaluate(lambda q, k: bot.ask(q, k=k), load_questions(DEV_SET), k=5, sources=sources)


def test_retrieval_bars(result):
    metrics = result["metrics"]  # measured 0.992 / 0.959 / 0.935 (README)
    assert metrics["hit@5"] >= 0.97
    assert metrics["mrr@10"] >= 0.94
    assert metrics["hit@1"] >= 0.92


def test_answer_sentence_bar(result):
    assert result["metrics"]["answer@1"] >= 0.87  # measured 0.927 (benchmarks/ANSWERING.md)


def test_abstention_bars(result):
    # measured 89.5% answered, 80.4% refused (benchmarks/ANSWERING.md). 0.90 until the embedding
    # adapter: with it more right sentences come first (hit@1 0.935 -> 0.952) and more answerable
    # questions fall under the floor (91.9% -> 89.5% answered); training/README.md weighs the trade.
    metrics = result["metrics"]
    assert metrics["found_rate_answerable"] >= 0.88
    assert metrics["abstain_rate_unanswerable"] >= 0.50


def test_confidence_separates_right_answers_from_unanswerable_questions(result):
    assert result["metrics"]["confidence_auc"] >= 0.85  # measured 0.90
    assert all(0.0 <= row["confidence"] <= 1.0 for row in result["items"])


@pytest.mark.parametrize(
    ("question", "because"),
    [
        ("紫帽镇2021年的GDP是多少？", "2022–2023"),  # a year the report does not cover
        ("二〇一九年紫帽镇的财政收入是多少？", "2019年"),  # the same, the year written in characters
        ("晋江市2022年财政总收入是多少？", "没有晋江市的报告"),  # a place the collection has no report of
    ],
)
def test_facts_the_collection_shows_refuse_with_their_reason(bot, question, because):
    answer = bot.ask(question, k=3)
    assert not answer.found and answer.answer is None and answer.outcome == "not_found"
    assert because in answer.reason["not_found_because"]
    assert len(answer.passages) == 3  # the nearest passages are still listed


def test_outcomes_follow_the_confidence_floors(bot, result):
    floors = bot.scorer.floors["work_report"]  # the bundled report is a work report
    for row in result["items"]:
        if row["found"]:
            assert row["confidence"] >= floors.uncertain


def test_a_two_part_question_gets_both_answers(bot):
    answer = bot.ask("去年规上工业产值多少？今年增长目标是多少？")
    assert len(answer.parts) == 2 and answer.found
    assert "规上工业产值26.62亿元" in answer.answer and "规上工业产值增长7.6%" in answer.answer
    assert {p.period for p in answer.passages[:2]} == {"review", "plan"}


def test_a_new_question_after_another_is_answered_as_if_asked_alone(bot):
    chat = bot.chat()
    chat.ask("去年财政总收入多少？")
    alone = bot.ask("今年要建消防站吗？")
    follow = chat.ask("今年要建消防站吗？")
    assert follow.answer == alone.answer and "消防救援站" in follow.answer


@pytest.fixture(scope="module")
def town_and_nation(tmp_path_factory, real_embedder):
    """A library of the town's report and a newer report of the State Council."""
    paths = [bundled_report_path(), GOV_REPORTS / "2024_national.txt"]
    return ReportQA.from_paths(paths, tmp_path_factory.mktemp("town-nation"), embedder=real_embedder)


def test_a_new_question_in_a_library_is_not_read_with_the_last_topic(town_and_nation):
    # With a newer report beside it, "财政收入今年要建消防站吗？" finds a confident revenue sentence in
    # that report (searched first for 今年); the question names 消防站, which that sentence lacks.
    chat = town_and_nation.chat()
    chat.ask("镇里去年财政收入多少？")
    follow = chat.ask("今年要建消防站吗？")
    assert "消防救援站" in follow.answer and follow.answer == town_and_nation.ask("今年要建消防站吗？").answer
    # 今年 naming no level looked in the State Council's report first, and the reply says whose.
    assert follow.reason["scope_missed"]["scope_level"] == "national"


def test_a_level_of_government_named_in_a_library_chooses_its_reports(town_and_nation):
    town = next(d.doc_id for d in town_and_nation.documents if d.level == "town")
    revenue = town_and_nation.ask("镇里去年财政收入多少？")
    assert revenue.passages[0].doc_id == town and revenue.reason["scope_level"] == "town"
    assert "财政总收入" in revenue.answer
    # The town's report gives no grain output, and the nation's figure (0.77 before) answers nothing
    # about the town: at most 可能相关, and when quoted, with a note that the town's report lacks it.
    grain = town_and_nation.ask("全镇去年粮食产量多少？")
    assert grain.outcome != "answer"
    from_town = grain.passages[0].doc_id == town
    assert from_town == ("scope_missed" not in grain.reason)
    # A level the library has no report of: the nation's target is shown as 可能相关, and why.
    province = town_and_nation.ask("省里今年GDP目标多少？")
    assert province.reason["level_lacking"] == "province" and province.outcome != "answer"
    # A year no report of the level named covers: the town's figure is no answer about the nation.
    nation = town_and_nation.ask("2022年全国财政总收入是多少？")
    assert nation.outcome != "answer" and nation.reason["level_not_covering"] == "national"
    assert "资料库里国务院的报告都不涵盖问的年份" in "".join(scope_notes(nation.reason))
    assert town_and_nation.ask("2022年镇里财政总收入是多少？").outcome == "answer"
    # In a chat, a follow-up naming no level keeps the town's (before: the newest national report's).
    chat = town_and_nation.chat()
    chat.ask("镇里去年财政收入多少？")
    assert chat.ask("那医疗呢？").passages[0].doc_id == town


def test_review_and_plan_pairs_come_from_the_right_period(bot):
    items = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
    pairs = [i for i in items if i.get("pair")]
    assert len(pairs) >= 10
    for item in pairs:
        top = bot.ask(item["question"], k=5).passages[0]
        assert top.period == item["period"], item["question"]


def test_fiscal_revenue_question_cites_its_section(bot):
    answer = bot.ask("2022年财政总收入是多少？")
    top = answer.passages[0]
    assert "财政总收入1.6亿元" in answer.answer
    assert top.section[0] == "一、2022年工作回顾" and "提质增量" in top.section[1]
    assert top.period == "review"
    assert bot.context(top, chars=0) == top.text  # offsets point at the stored document text


def test_a_question_in_traditional_characters_is_answered_like_its_simplified_form(bot):
    traditional, simplified = bot.ask("2022年財政總收入是多少？"), bot.ask("2022年财政总收入是多少？")
    assert traditional.found and "财政总收入1.6亿元" in traditional.answer
    assert traditional.answer == simplified.answer
    assert abs(traditional.confidence - simplified.confidence) < 0.05  # only the embedding differs


def test_english_question_is_answered_from_the_chinese_report(bot):
    answer = bot.ask("What was the town's total fiscal revenue in 2022?")
    assert any("财政总收入1.6亿元" in p.text for p in answer.passages[:3])


def test_english_question_searches_the_report_with_glossary_terms(bot):
    answer = bot.ask("What was the industrial investment in 2022?")
    assert answer.reason["lexical_used"]  # "industrial investment" -> 工业投资 for BM25
    assert answer.reason["passages"][0]["lexical_rank"] is not None
    assert answer.found and "工业投资1.49亿元" in answer.answer


def test_follow_up_target_comes_from_the_plan(bot):
    chat = bot.chat()
    first = chat.ask("规上工业产值去年增长多少？")
    assert "规上工业产值26.62亿元" in first.answer and first.passages[0].period == "review"
    follow = chat.ask("那今年的目标呢？")
    assert follow.question == "那今年的目标呢？"
    assert "规上工业产值增长7.6%" in follow.answer and follow.passages[0].period == "plan"


def test_follow_up_pronoun_refers_to_the_park(bot):
    chat = bot.chat()
    chat.ask("紫湖郊野公园投了多少钱？")
    follow = chat.ask("它什么时候建成？")
    assert "全面建成紫湖郊野公园" in follow.answer
