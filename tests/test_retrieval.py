"""Query analysis, tokenization, fusion and filters (no model needed)."""

from __future__ import annotations

import pytest

from qa.errors import QuestionError
from qa.index.lexical import LexicalIndex, tokenize
from qa.pipeline.query import analyze
from qa.pipeline.retrieval import relative_scores, rrf
from qa.settings import MAX_QUESTION_CHARS


def test_tokenize_cjk_unigrams_bigrams_and_whole_numbers():
    tokens = tokenize("财政总收入１.６亿元，GDP增长5%")
    assert {"财", "财政", "收入", "亿元", "1.6", "gdp", "5%"} <= set(tokens)
    assert "政总" in tokens  # bigrams cross word boundaries: no segmenter decides for us


def test_full_width_and_half_width_tokenize_alike():
    assert tokenize("增长８.８％") == tokenize("增长8.8%")


def test_rrf_sums_reciprocal_ranks_and_orders_by_score():
    fused = rrf([[1, 2, 3], [3, 1]], [1.0, 1.0], k=60)
    scores = dict(fused)
    assert scores[1] == pytest.approx(1 / 61 + 1 / 62)
    assert scores[3] == pytest.approx(1 / 63 + 1 / 61)
    assert scores[2] == pytest.approx(1 / 62)
    assert [row for row, _ in fused] == [1, 3, 2]


def test_rrf_weight_zero_ignores_a_channel():
    assert [r for r, _ in rrf([[1, 2], [2, 1]], [1.0, 0.0])] == [1, 2]


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_is_refused(question):
    with pytest.raises(QuestionError, match="empty"):
        analyze(question)


def test_huge_question_is_refused():
    with pytest.raises(QuestionError, match=str(MAX_QUESTION_CHARS)):
        analyze("问" * 100_000)


def test_question_words_are_dropped_from_the_lexical_query():
    q = analyze("2022年财政总收入是多少？")
    assert "多少" not in q.lexical_text and "财政总收入" in q.lexical_text
    assert q.has_cjk and not analyze("How much revenue?").has_cjk


def test_bm25_ranks_the_matching_text_first_and_ignores_unknown_terms():
    index = LexicalIndex.build(["全年财政总收入1.6亿元", "规上工业产值26.62亿元", "建设消防救援站"])
    scores = index.scores(tokenize("消防站"))
    assert scores.argmax() == 2
    assert not index.scores(tokenize("zzzz")).any()


@pytest.mark.parametrize(
    ("question", "review_year", "period"),
    [
        ("2022年财政总收入是多少？", 2022, "review"),
        ("2023年的目标是什么", 2022, "plan"),
        ("去年新增学位多少个", 2022, "review"),
        ("今年要建消防站吗？", 2022, "plan"),
        ("明年计划投资多少", 2023, "plan"),
        ("新垃圾中转站建好了没有？", 2022, "review"),
        ("What did the town spend last year?", 2022, "review"),
        ("What is the growth target?", 2022, "plan"),
        ("消防站", 2022, None),
        ("紫湖郊野公园什么时候建成？", 2022, "plan"),
        ("紫湖郊野公园什么时候建成的？", 2022, None),
        ("2024年政府工作报告说去年粮食产量多少", 2023, "review"),
    ],
)
def test_period_intent_is_resolved_against_the_reports_own_year(question, review_year, period):
    assert analyze(question).period_for(review_year) == period


def _info(doc_id, region, year, review_year):
    from qa.schema import DocumentInfo

    # Titled as work reports: they review one year and plan the next (a document of another kind
    # covers its own year only).
    title = f"{doc_id}政府工作报告" if year else doc_id
    return DocumentInfo(
        doc_id=doc_id, title=title, source=doc_id, region=region, year=year, review_year=review_year
    )


DOCS = [
    _info("nat2024", "全国", 2024, 2023),
    _info("nat2019", "全国", 2019, 2018),
    _info("fj2026", "福建省", 2026, 2025),
    _info("zimao", "紫帽镇", 2022, 2022),
]


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("2024年政府工作报告把GDP目标定在多少", {"nat2024"}),
        ("福建省去年地区生产总值是多少", {"fj2026"}),
        ("福建2026年打算帮多少人就业", {"fj2026"}),
        ("国务院2019年报告提出减税多少", {"nat2019"}),
        ("2018年粮食产量", set()),  # a bare year names no report: year_documents narrows to those covering it
        ("紫帽镇财政收入", {"zimao"}),
        (
            "What was Fujian's regional GDP in 2025?",
            {"fj2026"},
        ),  # English region names via qa.pipeline.glossary
        ("What GDP target did the 2019 government work report set?", {"nat2019"}),
        ("财政收入是多少", set()),
    ],
)
def test_questions_name_reports_by_region_and_year(question, named):
    from qa.index.catalog import Catalog
    from qa.pipeline.retrieval import named_documents

    assert named_documents(analyze(question), Catalog(DOCS)) == named


@pytest.mark.parametrize(
    ("question", "allowed", "scope"),
    [
        ("2018年粮食产量是多少", None, {"nat2019"}),  # the 2019 report reviews 2018
        ("2023年新增就业多少", None, {"nat2024", "zimao"}),  # zimao reviews 2022 and plans 2023
        ("2022年财政收入", None, {"zimao"}),
        ("2025年地区生产总值", None, {"fj2026"}),
        ("2010年粮食产量是多少", None, None),  # no report covers it: the coverage rule answers that
        ("粮食产量是多少", None, None),  # no year
        ("2018年粮食产量是多少", {"nat2019"}, None),  # everything allowed covers it already
        ("2018年粮食产量是多少", {"nat2019", "fj2026"}, {"nat2019"}),
        # The 2024 report reviews 2023, zimao plans it: a result is in the one, a target in the other.
        ("2023年新增就业完成了多少", None, {"nat2024"}),
        ("2023年新增就业目标是多少", None, {"zimao"}),
    ],
)
def test_a_year_narrows_the_search_to_the_reports_covering_it(question, allowed, scope):
    from qa.index.catalog import Catalog
    from qa.pipeline.retrieval import year_documents

    assert year_documents(analyze(question), Catalog(DOCS), allowed) == scope


def test_reports_without_a_year_stay_in_a_year_scoped_search():
    from qa.index.catalog import Catalog
    from qa.pipeline.retrieval import year_documents

    undated = _info("notes", None, None, None)
    assert year_documents(analyze("2018年粮食产量是多少"), Catalog([*DOCS, undated])) == {"nat2019", "notes"}


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("福建省2026年政府工作报告里，今年GDP目标多少？", "今年GDP目标多少?"),
        ("国务院2019年的报告中减税多少", "减税多少"),
        ("2024年政府工作报告提出的赤字率是多少？", "赤字率是多少?"),
        # Years listed before one 报告 all name reports (found by a helper: "2019年和 ,赤字率…" was searched)
        ("2019年和2024年政府工作报告中，赤字率分别是多少？", "赤字率分别是多少?"),
        ("福建的城镇新增就业是多少？", "城镇新增就业是多少?"),
        ("福建省长是谁？", "省长是谁?"),  # 省 goes with 长: the governor (was 长是谁, refused)
        ("福建和紫帽镇的财政收入分别是多少", "财政收入分别是多少"),
        ("2018年粮食产量是多少", "2018年粮食产量是多少"),  # a bare year is what it asks about
        ("该报告的作者是谁", "该报告的作者是谁"),  # names no report: 报告 is a word like any other
        ("福建省2026年政府工作报告", "福建省2026年政府工作报告"),  # nothing but names: kept whole
        # English names its report in English: the place, its possessive and "the … report" go too.
        ("In the Fujian government work report, what was grain output?", "what was grain output?"),
        ("What is Fujian's target for new urban jobs?", "What is target for new urban jobs?"),
        ("In the State Council's 2019 report, what is the target for GDP?", "what is the target for GDP?"),
        ("What was GDP in the 2024 government work report?", "What was GDP?"),
        ("What is the report about?", "What is the report about?"),  # names no report
    ],
)
def test_the_search_leaves_out_the_words_naming_the_report(question, topic):
    from qa.index.catalog import Catalog
    from qa.pipeline.retrieval import search_topic

    query = analyze(question)
    searched = search_topic(query, Catalog(DOCS))
    assert searched.text == topic
    # When and what kind of answer is asked stay those of the whole question.
    assert (searched.years, searched.report_years, searched.relative, searched.aspect) == (
        query.years,
        query.report_years,
        query.relative,
        query.aspect,
    )


def test_one_report_is_searched_for_the_whole_question():
    from qa.index.catalog import Catalog
    from qa.pipeline.retrieval import search_topic

    query = analyze("紫帽镇去年财政收入多少")
    assert search_topic(query, Catalog([d for d in DOCS if d.doc_id == "zimao"])) is query


def test_relative_scores_keep_how_far_ahead_a_row_is():
    dense = [(1, 0.915), (2, 0.914), (6, 0.906), (4, 0.905), (7, 0.900)]  # close together
    lexical = [(4, 20.0), (2, 6.0), (1, 5.5), (5, 5.0)]  # row 4 far ahead: the question's rare name
    fused = relative_scores([dense, lexical], [1.0, 1.0])
    assert fused[0][0] == 4
    by_rank = rrf([[r for r, _ in dense], [r for r, _ in lexical]], [1.0, 1.0])
    assert [r for r, _ in by_rank][:3] == [1, 2, 4]  # ranks alone put the middling rows first
    assert dict(fused)[5] == 0.0 and dict(fused)[7] == 0.0  # each channel's last gets nothing from it
    assert relative_scores([[(7, 3.0)], []], [1.0, 1.0]) == [(7, 1.0)]  # one row: full weight


def test_a_named_place_is_searched_in_the_documents_of_no_place_that_speak_of_it(tmp_path):
    from qa import ReportQA
    from tests.conftest import HashEmbedder, write

    report = "青山县2026年政府工作报告\n各位代表：\n一、2025年工作回顾\n全县地区生产总值达到312.5亿元。\n"
    news = "青山县首条城际公交线路正式开通\n12月28日上午，青山县至临江市的城际公交线路正式开通运营。\n"
    other = "临江市新开一家图书馆\n图书馆每天开放到晚上九点。\n"
    paths = [write(tmp_path / n, t) for n, t in (("r.txt", report), ("news.txt", news), ("o.txt", other))]
    bot = ReportQA.from_paths(paths, tmp_path / "index", embedder=HashEmbedder())
    ids = {d.source: d.doc_id for d in bot.documents}
    scope = bot.retrieve("青山县首条城际公交线路什么时候开通？").scope
    assert scope.doc_ids == {ids["r.txt"], ids["news.txt"]}  # not the library news of 临江市
