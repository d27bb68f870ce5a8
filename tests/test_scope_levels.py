"""Which reports a question naming none is looked for in first: the level of government it names
(镇里, 全省, 全国) and, for 今年/去年, the newest of them (``qa.pipeline.scope.preferred_documents``)."""

from __future__ import annotations

import pytest

from qa.index.catalog import Catalog
from qa.pipeline.query import analyze
from qa.pipeline.scope import asked_aspect, asked_level, named_groups, part_years, preferred_documents
from qa.schema import DocumentInfo

CATALOG = Catalog(
    [
        DocumentInfo(
            "n23", "《2023年国务院政府工作报告》", "2023.txt", region="全国", year=2023, level="national"
        ),
        DocumentInfo(
            "n25", "《2025年国务院政府工作报告》", "2025.txt", region="全国", year=2025, level="national"
        ),
        DocumentInfo(
            "js", "《2026年江苏省政府工作报告》", "js.txt", region="江苏省", year=2026, level="province"
        ),
        DocumentInfo(
            "sd", "《2026年山东省政府工作报告》", "sd.txt", region="山东省", year=2026, level="province"
        ),
    ]
)


def test_this_year_means_the_newest_work_report_not_the_newest_document() -> None:
    mixed = Catalog(
        [
            DocumentInfo(
                "z", "紫帽镇人民政府2022年工作报告", "z.txt", region="紫帽镇", year=2022, level="town"
            ),
            DocumentInfo("plan", "老旧小区改造实施方案（2025—2027年）", "p.txt", year=2027),
            DocumentInfo(
                "sum", "柳塘乡人民政府2025年工作总结", "s.txt", region="柳塘乡", year=2025, level="town"
            ),
        ]
    )
    for question in ("今年要建消防站吗？", "镇里去年财政收入多少？"):
        assert [d.doc_id for d in preferred_documents(analyze(question), mixed)[0]] == ["z"]
    only_others = Catalog([mixed.documents[1], mixed.documents[2]])
    assert preferred_documents(analyze("今年要建消防站吗？"), only_others) == ([], None)
    # Nor does a level word name anything there: no "资料库里没有乡镇一级的报告" note on a news story.
    assert preferred_documents(analyze("镇政府每年给他多少补贴？"), only_others) == ([], None)


def test_unscoped_this_year_questions_go_to_the_newest_national_report() -> None:
    def preferred(question: str) -> tuple[list[str], str | None]:
        documents, level = preferred_documents(analyze(question), CATALOG)
        return [d.doc_id for d in documents], level

    assert preferred("今年的GDP增长目标是多少？") == (["n25"], None)
    assert preferred("2023年的GDP增长目标是多少？") == ([], None)
    assert preferred("GDP增长目标是多少？") == ([], None)
    # A level of government named without its place: its reports first, the newest for 今年/去年.
    assert preferred("全省今年GDP增长目标是多少？") == (["js", "sd"], "province")
    assert preferred("全国去年GDP增长了多少？") == (["n25"], "national")
    assert preferred("国家对粮食生产有什么支持？") == (["n23", "n25"], "national")
    # No town's report: every report, and the reply says the town's is lacking. A city is never said
    # lacking: a municipality's report (province level) says 全市 of itself.
    assert preferred("镇里今年GDP增长目标是多少？") == ([], "town")
    assert preferred("市里今年GDP增长目标是多少？") == ([], None)
    assert preferred("江苏全省今年GDP增长目标是多少？") == ([], None)  # the place names its report
    # A report named by its place in time (a helper: 14 of 15 answered from another year's report).
    assert preferred("最新的报告里GDP增长目标是多少？") == (["n25"], None)
    assert preferred("最早的一份政府工作报告说了什么？") == (["n23"], None)
    assert preferred("What does the latest report say about GDP?") == (["n25"], None)
    assert preferred("全省最新的报告里GDP增长目标是多少？") == (["js", "sd"], "province")


def test_a_place_with_reports_of_several_years_is_asked_its_newest_for_this_year() -> None:
    two_years = Catalog(
        [
            *CATALOG.documents,
            DocumentInfo(
                "js25",
                "《2025年江苏省政府工作报告》",
                "js25.txt",
                region="江苏省",
                year=2025,
                level="province",
            ),
        ]
    )

    def preferred(question: str) -> list[str]:
        return [d.doc_id for d in preferred_documents(analyze(question), two_years)[0]]

    assert preferred("江苏去年GDP增长了多少？") == ["js"]
    assert preferred("去年江苏GDP增长了多少？") == ["js"]  # wherever the place is named
    assert preferred("江苏GDP增长了多少？") == []  # no 今年/去年: both years' reports alike
    assert preferred("山东去年GDP增长了多少？") == []  # its only report: nothing to choose


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("镇里去年财政收入多少？", "town"),
        ("我们乡今年修几条路？", "town"),
        ("全县有多少所学校？", "county"),
        ("我市今年GDP目标是多少？", "city"),
        ("省里今年给农民多少补贴？", "province"),
        ("咱们省今年新增多少就业？", "province"),  # found by a helper: the State Council's had answered
        ("俺们县今年修几条路？", "county"),
        ("全国粮食产量多少？", "national"),
        ("城镇里新增就业多少？", None),  # 城镇: towns and cities, no level of government
        ("乡镇卫生院有多少家？", None),
        ("超市里菜价涨了吗？", None),
        ("全市场的利率是多少？", None),
        ("有几个国家级开发区？", None),
        ("全省GDP在全国排第几？", None),  # two levels: neither
    ],
)
def test_the_level_of_government_a_question_names(question: str, level: str | None) -> None:
    assert asked_level(analyze(question)) == level


def test_an_answer_from_one_of_several_places_names_the_others() -> None:
    from qa.pipeline.answerer import _other_places
    from qa.schema import Answer, Passage

    provinces = [d for d in CATALOG.documents if d.level == "province"]
    quoted = Passage(
        "sd", "《2026年山东省政府工作报告》", [], "plan", 0, 9, "地区生产总值增长5%。", passage_id="p"
    )
    answer = Answer("全省今年GDP增长目标是多少？", True, quoted.text, [quoted], {}, 0.8, "answer")
    assert _other_places(provinces, answer) == {"other_places": {"quoted": "山东省", "others": ["江苏省"]}}
    assert _other_places(provinces[1:], answer) == {}  # one place: nothing else could be meant
    national = [d for d in CATALOG.documents if d.level == "national"]
    assert _other_places(national, answer) == {}  # the quoted report is none of them: no claim


def test_a_years_result_is_asked_of_the_report_that_reviews_it() -> None:
    # Found by a helper: "2014年和2015年GDP分别增长了多少？" quoted 2013's and 2014's growth, from the
    # reports titled 2014 and 2015, at confidence 1.0.
    docs = [DocumentInfo(f"n{y}", f"《{y}年国务院政府工作报告》", f"{y}.txt", region="全国", year=y,
                         level="national", review_year=y - 1) for y in range(2014, 2018)]  # fmt: skip
    catalog = Catalog(docs)
    results = analyze("2014年和2015年GDP分别增长了多少？")
    groups = named_groups(results, catalog)
    assert [(label, [d.doc_id for d in infos]) for label, infos in groups] == [
        ("2014年", ["n2015"]),
        ("2015年", ["n2016"]),
    ]
    assert part_years(results, groups[0][1], "review") == (2014,)  # the 2015 report's review, not its plan
    # Without 了 or 目标 a year beside a figure names its report (the library benchmark's comparisons ask
    # so: "2019年和2023年赤字率分别是多少？"), though a past year's result may be meant.
    bare = analyze("2014年和2015年赤字率分别是多少？")
    assert asked_aspect(bare) is None
    assert [[d.doc_id for d in infos] for _, infos in named_groups(bare, catalog)] == [["n2014"], ["n2015"]]
    targets = named_groups(analyze("2014年和2015年GDP增长目标分别是多少？"), catalog)
    assert [[d.doc_id for d in infos] for _, infos in targets] == [["n2014"], ["n2015"]]
    # Three years listed, or a range, are each a part (three had lost one, a range its middle).
    for question in (
        "2014年、2015年、2016年城镇新增就业目标分别是多少？",
        "2014年到2016年城镇新增就业目标各是多少？",
    ):
        assert [label for label, _ in named_groups(analyze(question), catalog)] == [
            "2014年",
            "2015年",
            "2016年",
        ]
    # A range without a word asking of each year names its two ends; years naming reports, the reports.
    ends = named_groups(analyze("从2014年到2016年，GDP增长目标有什么变化？"), catalog)
    assert [label for label, _ in ends] == ["2014年", "2016年"]
    named = named_groups(analyze("2015年和2016年的政府工作报告中，国内生产总值分别增长了多少？"), catalog)
    assert [[d.doc_id for d in infos] for _, infos in named] == [["n2015"], ["n2016"]]
    # A target of a year no report plans is a part of its own that says so (a helper: "2007年和2008年…
    # 目标" had quoted the 2008 report's target for 2007); a bare year beside a figure keeps its reviewer.
    gap = named_groups(analyze("2013年和2014年GDP增长目标分别是多少？"), catalog)
    assert [[d.doc_id for d in infos] for _, infos in gap] == [[], ["n2014"]]
    assert named_groups(analyze("2013年和2014年赤字率分别是多少？"), catalog)[0][1][0].doc_id == "n2014"


@pytest.mark.parametrize(
    "question",
    [
        "Which province has a higher GDP growth target, Jiangsu or Shandong?",
        "江苏还是山东的经济增长目标高？",
        "Which has the higher CPI target, 2023 or 2025?",
        "Compare the GDP growth target in 2023 with 2025.",
        "2023年还是2025年的CPI目标高？",
    ],
)
def test_which_of_two_is_a_comparison_too(question: str) -> None:
    # Found by a helper: "…, Hubei or Anhui?" and "…in 2013 with 2018" were answered of one report.
    assert len(named_groups(analyze(question), CATALOG)) == 2


def test_a_compared_place_the_collection_lacks_is_a_part_of_its_own() -> None:
    # Found by a helper: 江苏和浙江…分别 was refused whole (没有浙江的报告) or 浙江 dropped silently.
    from qa.pipeline.answerer import _without

    groups = named_groups(analyze("江苏和浙江今年GDP目标分别是多少？"), CATALOG)
    assert [(label, [d.doc_id for d in infos]) for label, infos in groups] == [
        ("江苏省", ["js"]),
        ("浙江", []),
    ]
    assert (
        _without("浙江、江苏和山东今年GDP目标分别是多少？", ["浙江"]) == "江苏和山东今年GDP目标分别是多少？"
    )
    assert _without("江苏和浙江省哪个高？", ["浙江"]) == "江苏哪个高？"
    # In the order asked (found by a helper: 浙江和广东… answered 广东 first).
    ordered = named_groups(analyze("浙江、山东和江苏今年GDP目标分别是多少？"), CATALOG)
    assert [label for label, _ in ordered] == ["浙江", "山东省", "江苏省"]
    # A place named beside one the collection has, not compared with it, is no part.
    assert named_groups(analyze("江苏和上海怎么合作？"), CATALOG) == []
