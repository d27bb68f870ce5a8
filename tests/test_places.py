"""Unit tests of the places a question names (qa.pipeline.places): Chinese place names, the words
that only look like them, and the divisions that hold a place."""

from __future__ import annotations

from types import SimpleNamespace

from qa.index.catalog import Catalog
from qa.pipeline.answering import decide
from qa.pipeline.coverage import missing_report, other_place
from qa.pipeline.places import containing, named_places, names_as_word
from qa.pipeline.query import analyze
from qa.pipeline.scorer import Scored
from qa.schema import DocumentInfo, Passage


def test_place_names_are_not_taken_from_ordinary_words() -> None:
    assert named_places(analyze("今年城市更新和乡镇建设有什么安排？")) == []
    assert named_places(analyze("成都市和重庆市的GDP")) == ["重庆", "成都市"]
    assert named_places(analyze("今年市政设施和县政府办公楼投入多少？")) == []
    # 全市, 本县, 我镇 say which level, not which place; 天全县 is a county all the same.
    assert named_places(analyze("谁负责全市的绿化？")) == []
    assert named_places(analyze("请问我们本县有多少学校？")) == []
    assert named_places(analyze("天全县今年GDP目标是多少？")) == ["天全县"]
    assert named_places(analyze("补贴的钱县里和省里各出多少？")) == []
    assert named_places(analyze("这个县面积有多大？")) == []
    assert named_places(analyze("能不能找县医院专家在网上会诊？")) == []
    # A verb of going before 县 makes a phrase: it had been refused as 没有病人送到县的报告.
    assert named_places(analyze("病人送到县医院现在要多长时间？")) == []
    assert named_places(analyze("进贤县今年修路吗？")) == ["进贤县"]  # a county's name may hold 进
    # A question word before 县/市 asks which place: it had been refused as 没有哪些州市的报告.
    assert named_places(analyze("哪些州市入选国家碳达峰试点？")) == []
    assert named_places(analyze("哪些县要发展成中等城市？")) == []
    assert named_places(analyze("多少个乡通了公路？")) == []
    assert named_places(analyze("沪深两市去年新增上市公司多少家？")) == []  # a count, no city
    assert named_places(analyze("什邡市今年GDP目标是多少？")) == ["什邡市"]  # a city's name may hold 什
    assert named_places(analyze("公司今年计划上市吗？"), cities=True) == []  # 上市: to go public
    assert named_places(analyze("成都市今年GDP目标是多少？")) == ["成都市"]  # ends in 都市, a place
    # A 都市圈 is no city (a helper saw 没有武汉都市的报告); the city in it is named by itself.
    assert named_places(analyze("长株潭都市圈发展怎么样？")) == []
    assert named_places(analyze("武汉都市圈经济总量是多少？"), cities=True) == ["武汉"]


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


def test_a_place_is_named_as_a_word_of_its_own():
    assert names_as_word("支持洛阳建设副中心城市", "洛阳")
    assert names_as_word("洛阳市新增就业5万人", "洛阳")
    assert not names_as_word("维护社会长治久安", "长治")
    assert not names_as_word("新增就业5万人", "洛阳")
    assert names_as_word("岳阳港去年集装箱吞吐量是多少？", "岳阳")  # its port
    assert not names_as_word("穿中山装", "中山")


JIANGSU = DocumentInfo(
    "js", "2026年江苏省政府工作报告", "js.txt", region="江苏省", year=2026, level="province"
)
SHANDONG = DocumentInfo(
    "sd", "2026年山东省政府工作报告", "sd.txt", region="山东省", year=2026, level="province"
)
SENTENCE = "全年完成投资1200亿元"


def _missing(question: str, doc_id: str, text: str):
    quoted = Passage(doc_id, "报告", ["一、"], "review", 0, len(text), text)
    return missing_report(analyze(question), Catalog([JIANGSU, SHANDONG]), SENTENCE, passage=quoted)


def test_a_city_the_quoted_passage_of_its_provinces_report_names_is_a_topic():
    # 郑州航空港-like: the city named in the sentence before the figure, in its province's report.
    assert _missing("苏州去年完成投资多少？", "js", "苏州加快建设。" + SENTENCE) is None
    assert _missing("苏州去年完成投资多少？", "js", SENTENCE) is not None  # the passage does not name it
    assert (
        _missing("苏州去年完成投资多少？", "sd", "苏州加快建设。" + SENTENCE) is not None
    )  # not its province
    assert _missing("洛阳去年完成投资多少？", "js", "洛阳加快建设。" + SENTENCE) is not None  # 河南's
    # Named sentences before, in a list of cities: the figure is the province's, not the city's.
    assert _missing("苏州去年完成投资多少？", "js", "支持苏州建设。创新能力提升。" + SENTENCE) is not None


def test_a_refused_question_on_a_city_its_provinces_passage_names_is_no_missing_report() -> None:
    # Found by a helper: "What are Changsha's plans this year?" on Hunan's report, refused by the
    # score, said 没有长沙的报告 though the passage shown names 长沙.
    text = "支持南京建设创新高地。" + SENTENCE
    quoted = Passage("js", "报告", ["一、"], "plan", 0, len(text), text)
    retrieved = SimpleNamespace(
        query=analyze("What are Nanjing's plans this year?"),
        passages=[quoted],
        candidates=[SimpleNamespace(passage=0, text=SENTENCE)],
    )
    data = SimpleNamespace(catalog=Catalog([JIANGSU, SHANDONG]), texts={"js": text})
    refusing = SimpleNamespace(score=lambda candidates, kind, calibrated: Scored(0, 0.05, "not_found"))
    decision = decide(retrieved, data, refusing)  # type: ignore[arg-type]
    assert decision.scored is not None and decision.scored.outcome == "not_found"
    assert decision.missing is None and "南京" not in (decision.not_found_because or "")
    # The passage not naming the city, the library's lack of its report is the reason.
    retrieved.passages = [Passage("js", "报告", ["一、"], "plan", 0, len(SENTENCE), SENTENCE)]
    assert decide(retrieved, data, refusing).missing is not None  # type: ignore[arg-type]


def test_an_answer_that_speaks_of_another_place_only_is_no_answer() -> None:
    # Found by a helper: "南州市的常住人口是多少？" quoted 临川市's population at 0.78.
    article = DocumentInfo("a", "临川市", "city.txt")
    sentence = "截至2023年末，临川市常住人口为412.5万人。"
    assert other_place(analyze("南州市的常住人口是多少？"), sentence, article) == (
        "the sentence found speaks of 临川市, not 南州市"
    )
    assert other_place(analyze("临川市的常住人口是多少？"), sentence, article) is None
    assert other_place(analyze("常住人口是多少？"), sentence, article) is None  # no place asked
    # A place within the one asked, or holding it, is the same place's news.
    report = DocumentInfo("js", "2026年江苏省政府工作报告", "js.txt", region="江苏省")
    assert other_place(analyze("江苏今年要建什么？"), "支持苏州市建设创新高地。", report) is None
    assert other_place(analyze("苏州市今年要建什么？"), "全省建设创新高地。", report) is None
    # The document of the place asked speaks of it in every sentence: 紫帽镇's report names 晋江市.
    town = DocumentInfo("z", "紫帽镇人民政府2022年工作报告", "z.txt", region="紫帽镇")
    assert other_place(analyze("紫帽镇去年财政收入多少？"), "完成晋江市下达的财政任务。", town) is None
    # So does a passage that names it: a story's 云南省…福贡县 before "他从上海飞到这里".
    story = DocumentInfo("s", "山村里的候鸟医生", "s.txt")
    flies = "此后每年11月，他都会从上海飞到这里住上五个月。"
    asked = analyze("他每年什么时候去云南？")
    assert other_place(asked, flies, story) is not None
    assert other_place(asked, flies, story, "清晨，云南省怒江州福贡县匹河乡。" + flies) is None


def test_a_place_asked_of_a_document_that_is_no_report_is_its_topic() -> None:
    # Found by a helper: "陈国平在新疆待了几年？" of a news story was refused as 没有新疆的报告.
    story = DocumentInfo("s", "山村里的候鸟医生", "s.txt")
    text = "我年轻时在新疆支边行医八年。"
    quoted = Passage("s", story.title, [], "other", 0, len(text), text)
    catalog = Catalog([story])
    asked = analyze("陈国平在四川待了几年？")
    assert missing_report(asked, catalog, text, passage=quoted) is None
    assert missing_report(asked, catalog, text, refused=True, passage=quoted) is None
    # Of a work report's passage, a province the library lacks is still a missing report.
    report = Passage("js", "报告", ["一、"], "plan", 0, len(SENTENCE), SENTENCE)
    assert missing_report(analyze("四川去年完成投资多少？"), Catalog([JIANGSU]), SENTENCE, passage=report)


def test_a_place_named_beside_one_the_library_has_is_that_reports_topic() -> None:
    # Found by a helper: "广东和香港、澳门怎么合作？" was refused with 没有香港的报告, though the Guangdong
    # report answers it.
    docs = [
        DocumentInfo(p, f"2026年{name}政府工作报告", f"{p}.txt", region=name, year=2026, level="province",
                     review_year=2025)
        for p, name in (("gd", "广东省"), ("js", "江苏省"), ("hn", "河南省"))
    ]  # fmt: skip
    catalog = Catalog(docs)

    def lacks(question: str) -> str | None:
        missing = missing_report(analyze(question), catalog, "无关的一句话。")
        return missing.asked if missing else None

    assert lacks("广东和香港、澳门怎么合作？") is None
    assert lacks("江苏和浙江、上海怎么推进一体化？") is None  # provinces acting together
    assert lacks("推进苏州与上海同城化发展了吗？") in (None, "苏州")  # 苏州: its passage decides
    # Still lacking: the place asked about alone, a city of the province (the quoted passage may name
    # it: ``_names_within``), two provinces side by side, and places compared.
    assert lacks("香港今年GDP多少？") == "香港"
    assert lacks("河南洛阳今年GDP目标是多少？") == "洛阳"
    assert lacks("河南省政府工作报告里，洛阳市去年地区生产总值是多少？") == "洛阳市"
    assert lacks("江苏和浙江今年GDP目标是多少？") == "浙江"
    assert lacks("广东和香港哪个GDP高？") == "香港"


def test_a_plan_of_several_years_is_not_refused_for_a_year_its_title_lacks() -> None:
    # Found by a helper: a county's 规划 titled with its 二〇三五年 vision was read as a 2035 document,
    # and every "2030年…" question refused with 没有2030年安平县的报告.
    def county(doc_id: str, title: str, year: int, review_year: int) -> DocumentInfo:
        return DocumentInfo(doc_id, title, f"{doc_id}.txt", region="安平县", year=year, level="county",
                            review_year=review_year)  # fmt: skip

    plan = county("p", "安平县国民经济和社会发展第十五个五年规划和二〇三五年远景目标纲要", 2035, 2035)
    reports = [
        county("r", "2026年安平县政府工作报告", 2026, 2025),
        county("o", "2024年安平县政府工作报告", 2024, 2023),
    ]
    question = analyze("安平县2030年城镇化率目标是多少？")
    for documents in ([plan], [plan, *reports]):
        assert missing_report(question, Catalog(documents), "无关。") is None
    # Reports alone still cover only their own years.
    lacking = missing_report(question, Catalog(reports), "无关。")
    assert lacking is not None and lacking.asked == "2030年安平县"


def test_a_quoted_sentence_no_question_could_be_names_no_place() -> None:
    # Found in review: other_place read a sentence as a question, and 谢谢 or a sentence over the
    # question limit raised QuestionError from inside the answer step.
    asked = analyze("南州市的常住人口是多少？")
    assert other_place(asked, "谢谢", None) is None
    assert other_place(asked, "临川市" * 800, None) is None
