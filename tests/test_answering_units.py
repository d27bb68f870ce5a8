"""Unit tests of the answer step's parts: two-part questions, coverage, scope, features, the scorer file."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from qa.apps.messages import scope_notes
from qa.index.catalog import Catalog
from qa.pipeline.answering import uncovered_year
from qa.pipeline.coverage import lacking, missing_report
from qa.pipeline.features import FEATURES, candidates, lead_tokens, rarest_term
from qa.pipeline.parts import split_parts
from qa.pipeline.places import named_places
from qa.pipeline.query import analyze
from qa.pipeline.retrieval import Hit, named_documents, named_scope
from qa.pipeline.scope import named_groups, part_years
from qa.schema import DocumentInfo, Passage
from qa.text.normalize import normalize


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("去年粮食产量多少？今年目标是多少？", 2),
        ("城镇新增就业去年完成多少，今年计划多少？", 2),
        ("How much was GDP last year and what is this year's target?", 2),
        ("今年要建消防站吗？", 1),
        ("2022年财政总收入是多少？", 1),
        ("紫帽镇，也就是我们镇，去年财政收入多少？", 1),  # a comma inside one question
        ("多少？", 1),
        ("城镇新增就业去年多少？今年呢？", 2),  # an elliptical second question
        ("粮食产量是多少？呢？", 1),
        ("今年经济增长目标定的多少？失业率目标？", 2),  # a question by its question mark alone
        ("农业税什么时候取消？国债发行规模多大？", 2),
        ("去年粮食产量多少？请直接回答。", 1),  # no question after the mark
    ],
)
def test_two_part_questions_are_split(question: str, count: int) -> None:
    assert len(split_parts(question)) == count


def test_parts_keep_the_askers_own_characters() -> None:
    # The parts are cut where the normalized text would be, but shown as typed.
    assert split_parts("去年糧食產量多少？今年目標是多少？") == ["去年糧食產量多少？", "今年目標是多少？"]
    assert split_parts("ＧＤＰ去年增長多少﹖今年目標呢﹖") == ["ＧＤＰ去年增長多少﹖", "今年目標呢﹖"]
    assert split_parts("GDP去年增长多少 ，今年计划多少？") == ["GDP去年增长多少", "今年计划多少？"]


DOCS = [
    DocumentInfo("n23", "《2023年国务院政府工作报告》", "2023.txt", region="全国", year=2023,
                 level="national", review_year=2022),
    DocumentInfo("n25", "《2025年国务院政府工作报告》", "2025.txt", region="全国", year=2025,
                 level="national", review_year=2024),
    DocumentInfo("js", "《2026年江苏省政府工作报告》", "js.txt", region="江苏省", year=2026, level="province",
                 review_year=2025),
    DocumentInfo("sd", "《2026年山东省政府工作报告》", "sd.txt", region="山东省", year=2026, level="province",
                 review_year=2025),
]  # fmt: skip
CATALOG = Catalog(DOCS)


def test_comparisons_are_grouped_per_named_report() -> None:
    by_year = named_groups(analyze("2023年和2025年的政府工作报告分别把GDP增长目标定为多少？"), CATALOG)
    assert [(label, [d.doc_id for d in infos]) for label, infos in by_year] == [
        ("2023年", ["n23"]),
        ("2025年", ["n25"]),
    ]
    by_region = named_groups(analyze("江苏和山东2026年的地区生产总值增长目标各是多少？"), CATALOG)
    assert sorted(label for label, _ in by_region) == ["山东省", "江苏省"]
    assert named_groups(analyze("江苏今年地区生产总值增长目标是多少？"), CATALOG) == []


def test_each_part_of_a_comparison_asks_its_own_year() -> None:
    """The 2025 report reviews 2024; a part must not search it for the other part's year."""
    query = analyze("2023年和2025年的GDP增长目标分别是多少？")
    n23, n25 = (next(d for d in DOCS if d.doc_id == i) for i in ("n23", "n25"))
    assert part_years(query, [n23], query.aspect) == (2023,)
    assert part_years(query, [n25], query.aspect) == (2025,)
    regions = analyze("江苏和山东2026年的地区生产总值增长目标各是多少？")
    assert part_years(regions, [d for d in DOCS if d.doc_id == "js"], regions.aspect) == (2026,)
    # A part whose reports carry none of the years as their own keeps the question's years.
    assert set(part_years(analyze("2024年和2022年的GDP分别是多少？"), [n25], None)) == {2022, 2024}
    # Years naming reports ask about no year: the 2025 report is asked as "2025年政府工作报告中…" is.
    assert part_years(analyze("2023年和2025年政府工作报告中，财政收入分别是多少？"), [n25], None) == ()


def test_a_year_the_collection_lacks_is_a_group_without_reports() -> None:
    groups = named_groups(analyze("2020年和2025年的政府工作报告分别提出了什么目标？"), CATALOG)
    assert [(label, len(infos)) for label, infos in groups] == [("2020年", 0), ("2025年", 1)]
    # One place's years: the part it lacks names the place and offers its reports (found by a helper:
    # "没有2005年的报告；有：2005年国务院…" contradicted itself and left out Henan's own report).
    groups = named_groups(analyze("2020年和2026年江苏的地区生产总值目标分别是多少？"), CATALOG)
    assert [(label, len(infos)) for label, infos in groups] == [("2020年江苏", 0), ("2026年江苏", 1)]
    assert lacking("2025年江苏", DOCS).reason.startswith(
        "没有2025年江苏的报告；有：《2026年江苏省政府工作报告》"
    )


def test_a_report_year_without_a_place_means_the_state_councils_report() -> None:
    docs = [*DOCS, DocumentInfo("n26", "《2026年国务院政府工作报告》", "2026.txt", region="全国", year=2026,
                                level="national", review_year=2025)]  # fmt: skip
    catalog = Catalog(docs)
    bare = analyze("2026年政府工作报告里GDP增长目标是多少？")
    assert named_documents(bare, catalog) == {"n26"}
    assert named_scope(bare, catalog) == ({"n26"}, True)
    # With a place, the place decides; a place the collection lacks keeps every 2026 report (the
    # coverage check then refuses it); without a national report of that year, all of them.
    named = analyze("江苏2026年政府工作报告里GDP增长目标是多少？")
    assert named_documents(named, catalog) == {"js"}
    assert named_scope(named, catalog) == ({"js"}, False)
    assert named_documents(analyze("上海2026年政府工作报告里GDP增长目标是多少？"), catalog) == {
        "js",
        "sd",
        "n26",
    }
    assert named_documents(bare, CATALOG) == {"js", "sd"}
    assert named_scope(bare, CATALOG) == ({"js", "sd"}, False)
    note = scope_notes({"national_by_title": ["《2026年国务院政府工作报告》"]})
    assert note and "国务院" in note[0] and "《2026年国务院政府工作报告》" in note[0]


def test_reports_the_collection_lacks_are_named_with_what_it_has() -> None:
    missing = missing_report(analyze("2025年广东省的GDP增长目标是多少？"), CATALOG, "国内生产总值增长5%左右")
    assert missing is not None and missing.asked == "广东"
    question = analyze("2024年江苏省政府工作报告提出GDP增长多少？")
    missing = missing_report(question, CATALOG, "地区生产总值增长5%")
    assert (
        missing is not None
        and missing.asked == "2024年江苏"
        and missing.available == ["《2026年江苏省政府工作报告》"]
    )
    assert missing_report(analyze("江苏今年GDP目标是多少？"), CATALOG, "地区生产总值增长5%") is None
    # A year the place's reports do not cover (the 2026 report reviews 2025 and plans 2026).
    missing = missing_report(analyze("江苏2023年GDP增长多少？"), CATALOG, "地区生产总值增长5%")
    assert missing is not None and missing.asked == "2023年江苏"
    assert missing_report(analyze("江苏2025年GDP增长多少？"), CATALOG, "地区生产总值增长5.8%") is None
    # Unless the place's report names the year in the sentence quoted (a plan: 2027年建成…).
    assert missing_report(analyze("2027年江苏要建成什么高铁？"), CATALOG, "2027年建成南沿江高铁。") is None
    # The State Council named with a year no national report plans or reviews.
    missing = missing_report(analyze("国务院2020年的GDP目标是多少？"), CATALOG, "国内生产总值增长5%")
    assert missing is not None and missing.asked == "2020年国务院"
    assert missing.available[0] == "《2023年国务院政府工作报告》"
    assert missing_report(analyze("国务院2024年的GDP增长多少？"), CATALOG, "国内生产总值增长5%") is None
    # 乡镇 and 乡村 are words, not places.
    assert named_places(analyze("2025年的报告中乡镇卫生院有多少？")) == []
    assert named_places(analyze("报告中乡村振兴有哪些举措？")) == []
    # A place the answer sentence speaks of is a topic, not a missing report.
    assert missing_report(analyze("对香港有什么政策？"), CATALOG, "支持香港更好融入国家发展大局") is None
    assert "没有2020年的报告" in missing_report(analyze("2020年政府工作报告说了什么？"), CATALOG, "x").reason
    # A year no report of the collection reviews or plans, unless the sentence names it ("到2030年…").
    missing = missing_report(analyze("2030年GDP增长目标是多少？"), CATALOG, "国内生产总值增长5%")
    assert missing is not None and missing.asked == "2030年"
    assert missing.available[0] == "《2026年江苏省政府工作报告》"  # the nearest years first
    assert missing_report(analyze("2030年要实现什么？"), CATALOG, "到2030年基本实现") is None
    assert missing_report(analyze("2025年GDP增长多少？"), CATALOG, "国内生产总值增长5%") is None
    # Refused anyway: a province the collection lacks is the reason given, a word like 贫困县 is not.
    sentence = "支持香港更好融入国家发展大局"
    refused = missing_report(analyze("对香港有什么政策？"), CATALOG, sentence, refused=True)
    assert refused is not None and refused.asked == "香港"
    assert missing_report(analyze("贫困县摘帽了多少？"), CATALOG, "贫困县全部摘帽", refused=True) is None


def test_a_city_named_without_its_suffix_is_a_place_among_reports_of_places() -> None:
    question = analyze("洛阳今年GDP增长目标是多少？")
    assert named_places(question) == []  # retrieval's reading is unchanged
    assert named_places(question, cities=True) == ["洛阳"]
    missing = missing_report(question, CATALOG, "地区生产总值增长5%")
    assert missing is not None and missing.asked == "洛阳" and missing.reason.startswith("没有洛阳的报告")
    # The reports listed instead start with the province that holds the city.
    missing = missing_report(analyze("苏州今年GDP增长目标是多少？"), CATALOG, "地区生产总值增长5%")
    assert missing is not None and missing.available[0] == "《2026年江苏省政府工作报告》"
    missing = missing_report(analyze("淄博今年GDP增长目标是多少？"), CATALOG, "地区生产总值增长5%")
    assert missing is not None and missing.available[0] == "《2026年山东省政府工作报告》"
    # The sentence speaks of it: a topic of the report, not a report the collection lacks.
    assert missing_report(analyze("广州新机场今年开工吗？"), CATALOG, "推进广州新机场建设") is None
    # Inside a longer word it names no city; a city that is also a province is the province.
    assert named_places(analyze("如何保障社会长治久安？"), cities=True) == []
    assert named_places(analyze("吉林今年GDP目标是多少？"), cities=True) == ["吉林"]
    # Texts that are not reports of places (no document has a region): a city is a topic there.
    encyclopedia = Catalog([DocumentInfo("w1", "洛阳", "w1.txt"), DocumentInfo("w2", "龙门石窟", "w2.txt")])
    assert missing_report(question, encyclopedia, "该市地处中原") is None


def test_an_english_question_names_provinces_and_cities_by_their_english_names() -> None:
    assert named_places(analyze("How many tourists did Luoyang receive last year?"), cities=True) == ["洛阳"]
    assert named_places(analyze("What is Xi'an's GDP target?"), cities=True) == ["西安"]
    assert named_places(analyze("What is Xi’an’s GDP target?"), cities=True) == ["西安"]
    assert named_places(analyze("How cold is Harbin in winter?"), cities=True) == ["哈尔滨"]
    assert named_places(analyze("What is Henan's GDP target?"), cities=True) == ["河南"]
    assert named_places(analyze("How much did the country spend on defense?"), cities=True) == []
    assert named_places(analyze("How many tourists did Luoyang receive last year?")) == []  # retrieval's
    missing = missing_report(analyze("How many new jobs did Hefei create?"), CATALOG, "城镇新增就业")
    assert missing is not None and missing.reason.startswith("没有合肥的报告")
    assert missing_report(analyze("What is Jiangsu's GDP target?"), CATALOG, "地区生产总值增长5%") is None


def test_a_missing_year_in_a_comparison_lists_the_nearest_years() -> None:
    missing = lacking("2020年", DOCS)
    assert missing.available[0] == "《2023年国务院政府工作报告》" and missing.spans[0] == "2022–2023年"


def test_a_year_the_answer_sentence_names_in_full_width_digits_is_covered() -> None:
    question = analyze("Will the government work on Shanghai's bid to host the 2010 World Expo?")
    assert uncovered_year(question, 2001, normalize("做好我国申办２０１０年上海世界博览会的工作。")) is None
    reason = uncovered_year(question, 2001, "做好申办世界博览会的工作。")
    assert reason == "the report covers 2001–2002, not 2010"


def test_candidate_features_follow_the_declared_columns() -> None:
    text = "全年财政总收入1.6亿元，比增8.8%。新建公园，环境更美。"
    passage = Passage("d", "《报告》", ["一、回顾"], "review", 0, len(text), text, passage_id="p")
    cut = text.index("。") + 1
    spans = np.array([[0, cut], [cut, len(text)]], dtype=np.int32)
    vectors = np.eye(2, 4, dtype=np.float16)
    query = analyze("去年财政总收入多少？")
    found = candidates(
        query, [Hit(row=0, score=1.0, dense=0.8, lexical=3.0)], [passage], [(spans, vectors)],
        np.array([1, 0, 0, 0], dtype=np.float32), lambda terms: dict.fromkeys(terms, 1.0),
        lambda doc_id, terms: terms & {"财政", "收入"}, {"d": 2022}, 3, lambda doc_id: frozenset(),
    )  # fmt: skip
    assert [c.span for c in found] == [(0, cut), (cut, len(text))]
    first = dict(zip(FEATURES, found[0].features, strict=True))
    second = dict(zip(FEATURES, found[1].features, strict=True))
    assert first["cosine"] == 1.0 and first["cosine_gap"] == 0.0 and second["cosine_gap"] == -1.0
    assert first["coverage"] > second["coverage"] and first["fits"] == 1.0 and second["misses_figure"] == 1.0
    assert first["period_match"] == 1.0 and first["rank_inverse"] == 1.0
    assert first["clause_coverage"] >= first["coverage"] and first["clause_fits"] == 1.0


def test_a_sentence_is_covered_with_the_subject_its_passage_and_its_neighbour_name() -> None:
    text = "黑尾前肛鳗是通鳃鳗科的一种。体长可达十公分。本鱼分布于台湾西南海域。"
    cuts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "。")]
    found = _candidates_of(
        "黑尾前肛鳗分布在哪里？", Passage("d", "《鱼类》", [], None, 0, len(text), text), cuts
    )
    rows = [dict(zip(FEATURES, c.features, strict=True)) for c in found]
    opening, middle, answer = rows
    assert opening["coverage"] > answer["coverage"]  # the subject's characters weigh most alone
    assert answer["context_coverage"] > opening["context_coverage"] >= opening["coverage"]
    assert answer["context_coverage"] > middle["context_coverage"]  # 分布 is in the answer only
    assert all(r["context_coverage"] >= r["coverage"] for r in rows)
    # What the question asks of its subject (分布) is in the answer alone.
    assert answer["focus_coverage"] > max(opening["focus_coverage"], middle["focus_coverage"])
    assert answer["gap_context"] > middle["gap_context"]  # 分布 beside the gap of 分布在[哪里]
    # 本鱼… points back to the sentences before it for its subject.
    assert [r["points_back"] for r in rows] == [0.0, 0.0, 1.0]
    assert [r["previous_coverage"] for r in rows] == [0.0, opening["coverage"], middle["coverage"]]


def test_a_passage_from_further_in_takes_its_subject_from_the_documents_first_sentence() -> None:
    document = "黑尾前肛鳗是通鳃鳗科的一种。体长可达十公分。本鱼分布于台湾西南海域。"
    start = document.index("体长")
    text = document[start:]
    passage = Passage("d", "《鱼类》", [], None, start, len(document), text, passage_id="d:0001")
    spans = np.array([[0, text.index("。") + 1], [text.index("。") + 1, len(text)]], dtype=np.int32)

    def answer_features(lead: dict[str, str]) -> dict[str, float]:
        found = candidates(
            analyze("黑尾前肛鳗分布在哪里？"), [Hit(row=0, score=1.0, dense=0.8, lexical=3.0)], [passage],
            [(spans, np.eye(2, 4, dtype=np.float16))], np.array([1, 0, 0, 0], dtype=np.float32),
            lambda terms: dict.fromkeys(terms, 1.0), lambda doc_id, terms: terms, {}, 3,
            lambda doc_id: lead_tokens(lead.get(doc_id, "")),
        )  # fmt: skip
        return dict(zip(FEATURES, found[1].features, strict=True))

    alone, led = answer_features({}), answer_features({"d": document})
    assert lead_tokens(document) == lead_tokens("黑尾前肛鳗是通鳃鳗科的一种。")
    # The subject named in the document's first sentence counts as the answer's context, and what
    # is asked of it (分布) is all the focus holds.
    assert led["context_coverage"] > alone["context_coverage"]
    assert led["focus_coverage"] > alone["focus_coverage"]
    assert led["coverage"] == alone["coverage"]


def test_a_sentence_is_placed_among_its_neighbours_by_cosine() -> None:
    text = "黑尾前肛鳗是通鳃鳗科的一种。体长可达十公分。本鱼分布于台湾西南海域。"
    passage = Passage("d", "《鱼类》", [], None, 0, len(text), text, passage_id="p")
    cuts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "。")]
    spans = np.array(list(itertools.pairwise(cuts)), dtype=np.int32)
    vectors = np.array([[0.6, 0.8], [0.0, 1.0], [1.0, 0.0]], dtype=np.float16)  # cosines 0.6, 0, 1
    rarer = {"台湾": 5.0}  # the question's rarest term is in the last sentence alone
    found = candidates(
        analyze("黑尾前肛鳗在台湾吗？"), [Hit(row=0, score=1.0, dense=0.8, lexical=3.0)], [passage],
        [(spans, vectors)], np.array([1, 0], dtype=np.float32),
        lambda terms: {t: rarer.get(t, 1.0) for t in terms}, lambda doc_id, terms: terms, {}, 3,
        lambda doc_id: frozenset(),
    )  # fmt: skip
    rows = [dict(zip(FEATURES, c.features, strict=True)) for c in found]
    assert [r["cosine_rank"] for r in rows] == [0.5, 1.0, 0.0]  # the nearest sentence is 0
    assert [r["neighbour_cosine"] for r in rows] == pytest.approx([0.0, 1.0, 0.0])
    assert [r["rarest_term"] for r in rows] == [0.0, 0.0, 1.0]


def test_the_rarest_term_is_the_same_whatever_order_the_terms_come_in() -> None:
    weights = {"消": 9.0, "防站": 9.0, "站": 9.0, "建": 2.0, "消防": 9.0}
    orders = [dict(sorted(weights.items())), dict(sorted(weights.items(), reverse=True)), weights]
    assert {rarest_term(w) for w in orders} == {"防站"}  # the longer among the heaviest, then the greater
    assert rarest_term({"建": 2.0, "站": 3.0}) == "站"
    assert rarest_term({}) == ""


def test_a_two_part_answers_confidence_is_that_of_what_it_quotes() -> None:
    from qa.pipeline.answerer import combined
    from qa.schema import Answer

    answered = Answer("网格有多少个？", True, "全镇划分网格42个。", [], {}, 0.77, "answer")
    refused = Answer("网格员有多少人？", False, None, [], {}, 0.09, "not_found")
    both = combined("全镇划了多少个网格，网格员有多少人？", [answered, refused], 5, {})
    assert both.found and both.outcome == "uncertain" and both.answer == "全镇划分网格42个。"
    assert both.confidence == 0.77  # the quoted sentence's, not the refused part's
    two = combined("网格有多少个？网格员有多少人？", [answered, refused], 5, {"parts": ["网格", "网格员"]})
    assert two.reason["parts_not_found"] == [2] and "parts_not_found" not in both.reason  # noted as 第2问
    once = Answer("末班车几点？", True, "首班车6时整，末班车22时30分。", [], {}, 0.8, "answer")
    twice = combined("首班车几点？末班车几点？", [once, once], 5, {})
    assert twice.answer == "首班车6时整，末班车22时30分。"  # one sentence answering both, quoted once
    nearer = Answer("网格员有多少人？", False, None, [], {}, 0.05, "not_found")
    neither = combined("网格员和志愿者各有多少人？", [refused, nearer], 5, {})
    assert not neither.found and neither.confidence == 0.09  # how near the best part came


def test_a_heading_that_asks_and_the_question_of_a_pair_are_no_candidates() -> None:
    text = "三、哪些人更容易得高血压？\n高盐饮食的人。\n问：低保户要交钱吗？\n答：由政府全额资助。"
    passage = Passage("d", "《问答》", ["三、哪些人更容易得高血压"], None, 0, len(text), text)
    cuts = [0, text.index("\n") + 1, text.index("问"), text.index("答"), len(text)]
    found = _candidates_of("哪些人容易得高血压？", passage, cuts)
    assert [c.text.strip() for c in found] == ["高盐饮食的人。", "答：由政府全额资助。"]


@pytest.mark.parametrize(
    "asking",
    ["5.问：新生儿怎么参保？", "（五）问：新生儿怎么参保？", "Q5：新生儿怎么参保？", "新生儿怎么参保？"],
)
def test_a_numbered_question_line_and_a_line_that_only_asks_are_no_candidates(asking: str) -> None:
    # A FAQ's numbered 问 line had been quoted back as the answer to its own question at 0.90.
    text = f"{asking}\n答：出生后90天内办理参保登记的，自出生之日起享受待遇。"
    passage = Passage("d", "《问答》", [], None, 0, len(text), text)
    found = _candidates_of("新生儿怎么参保？", passage, [0, text.index("答"), len(text)])
    assert [c.text.strip() for c in found] == ["答：出生后90天内办理参保登记的，自出生之日起享受待遇。"]


def test_a_question_inside_a_paragraph_stays_a_candidate() -> None:
    text = "为什么要这样做？因为群众需要。"
    passage = Passage("d", "《讲话》", [], None, 0, len(text), text)
    found = _candidates_of("为什么要这样做？", passage, [0, text.index("因"), len(text)])
    assert len(found) == 2


def test_a_heading_the_title_and_the_address_alone_are_no_candidates() -> None:
    # "今年的发展目标是什么？" chose the heading and refused it; "aaaaaaa" was answered "各位代表！".
    text = "二、2023年的发展目标\n各位代表！\n2023年主要预期目标是：财政总收入增长7.6%。"
    passage = Passage("d", "《某镇报告》", ["二、2023年的发展目标"], "plan", 0, len(text), text)
    cuts = [0, text.index("各"), text.index("2023年主"), len(text)]
    found = _candidates_of("今年的发展目标是什么？", passage, cuts)
    assert [c.text.strip() for c in found] == ["2023年主要预期目标是：财政总收入增长7.6%。"]


def test_a_figure_the_question_states_is_no_figure_it_asks_for() -> None:
    # "那2.9万所…每所有多少张床位？": the sentence restating 2.9万所 gives no figure asked for.
    text = "今年要全面完成2.9万所乡镇卫生院建设任务。每所卫生院床位不少于20张。"
    passage = Passage("d", "《报告》", [], "plan", 0, len(text), text)
    cut = text.index("。") + 1
    restating, giving = _candidates_of("那2.9万所乡镇卫生院每所有多少张床位？", passage, [0, cut, len(text)])
    features = [dict(zip(FEATURES, c.features, strict=True)) for c in (restating, giving)]
    assert features[0]["misses_figure"] == 1.0 and features[0]["fits"] == 0.0
    assert features[1]["fits"] == 1.0 and features[1]["has_figure"] == 1.0
    # Asked without the figure, the same sentence holds one.
    alone = _candidates_of("乡镇卫生院有多少所？", passage, [0, cut, len(text)])[0]
    assert dict(zip(FEATURES, alone.features, strict=True))["fits"] == 1.0


def _candidates_of(question: str, passage: Passage, cuts: list[int]) -> list:
    """The candidates of one passage cut into sentences at ``cuts``: the first sentence nearest the
    question, each term weighing 1, every term found in the document."""
    spans = np.array(list(itertools.pairwise(cuts)), dtype=np.int32)
    return candidates(
        analyze(question), [Hit(row=0, score=1.0, dense=0.8, lexical=3.0)], [passage],
        [(spans, np.eye(len(spans), 4, dtype=np.float16))], np.array([1, 0, 0, 0], dtype=np.float32),
        lambda terms: dict.fromkeys(terms, 1.0), lambda doc_id, terms: terms, {}, 3,
        lambda doc_id: frozenset(),
    )  # fmt: skip


def test_a_refusal_naming_what_the_collection_has_says_how_many_when_it_lists_some() -> None:
    provinces = ["广东", "江苏", "山东", "河南", "湖北", "安徽", "湖南", "云南"]
    titled = [(p, f"《2026年{p}省政府工作报告》") for p in provinces]
    many = Catalog(
        [DocumentInfo(p, t, f"{p}.txt", region=f"{p}省", year=2026, level="province") for p, t in titled]
    )
    question = analyze("北京今年的经济增长目标是多少？")
    missing = missing_report(question, many, "地区生产总值增长5%", refused=True)
    assert missing is not None and len(missing.available) == 5
    assert missing.reason.endswith("等8份")
    # A year the library lacks lists its three nearest reports, and says how many it holds.
    missing = missing_report(analyze("2014年地区生产总值是多少？"), many, "地区生产总值增长5%", refused=True)
    assert missing is not None and len(missing.available) == 3 and missing.reason.endswith("等8份")
