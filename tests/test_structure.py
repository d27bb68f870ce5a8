"""Structure: sentence spans, heading detection (incl. lost numbering), passages and their periods, on
texts written here. The same checks over the real reports are in tests/test_structure_reports.py."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.ingest.structure import (
    Section,
    build_passages,
    parse_sections,
    section_at,
    section_path_at,
    section_periods,
    split_sentences,
)
from tests.conftest import check_passages, make_doc, passage_with


def _texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


# --- sentences -----------------------------------------------------------------------------


def test_sentences_split_on_terminators_and_line_ends():
    text = "财政总收入1.6亿元,比增8.8%;规上工业产值26.62亿元。真的吗?是的！\n新的一行"
    assert _texts(text, split_sentences(text)) == [
        "财政总收入1.6亿元,比增8.8%;",
        "规上工业产值26.62亿元。",
        "真的吗?",
        "是的！",
        "新的一行",
    ]


def test_sentences_keep_closers_and_quotations():
    text = "他说：“我们要努力。再努力！”然后走了。（完）这是括号。）结束"
    assert _texts(text, split_sentences(text)) == [
        "他说：“我们要努力。再努力！”",
        "然后走了。",
        "（完）这是括号。）",
        "结束",
    ]


def test_sentences_do_not_end_inside_brackets():
    text = (
        "氨碱法（Solvay process；又称“索尔维制碱法”）是1861年发明的。"
        "安哥拉匡撒(符号: Kz; ISO: AOA)是货币。读《谁动了我的奶酪？》吧。"
    )
    assert _texts(text, split_sentences(text)) == [
        "氨碱法（Solvay process；又称“索尔维制碱法”）是1861年发明的。",
        "安哥拉匡撒(符号: Kz; ISO: AOA)是货币。",
        "读《谁动了我的奶酪？》吧。",
    ]


def test_sentences_pair_each_closing_mark_with_its_opening_one():
    # An unclosed bracket inside a quotation closes with it; a bracketed note after a sentence is a
    # sentence of its own.
    text = "他说：“见（附件。”然后。经济增长5%。（数据来源：统计局。）下一句。"
    assert _texts(text, split_sentences(text)) == [
        "他说：“见（附件。”",
        "然后。",
        "经济增长5%。",
        "（数据来源：统计局。）",
        "下一句。",
    ]


def test_sentences_split_a_very_long_quotation():
    text = "“" + "很长的引语。" * 40 + "”完"
    spans = split_sentences(text)
    assert len(spans) > 5  # an unbalanced or very long quote must not swallow the paragraph
    assert "".join(_texts(text, spans)) == text


def test_sentences_trim_whitespace_and_use_absolute_offsets():
    text = "前文。  \n\u3000 第一句。 第二句！\n\n   \n末尾"
    start = text.index("\u3000")
    spans = split_sentences(text, start, len(text) - 2)
    assert _texts(text, spans) == ["第一句。", "第二句！"]
    assert all(s >= start for s, _ in spans)
    assert split_sentences("   \n \u3000\n") == []
    assert split_sentences("") == []


@given(st.text(alphabet=st.sampled_from(list("。！？；!?;，“”「」（）)” \n\u3000甲乙丙1."))) | st.text())
def test_sentences_cover_every_visible_character(text):
    spans = split_sentences(text)
    covered = set()
    last_end = 0
    for s, e in spans:
        assert last_end <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert "\n" not in text[s:e]
        covered.update(range(s, e))
        last_end = e
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


# --- headings -------------------------------------------------------------------------------

KINDS_DOC = """政府工作报告
各位代表：
现在，我代表市人民政府向大会报告工作。
一、2022年工作回顾
过去一年，全市经济稳中向好。一是稳增长，二是促改革。
（一）扩大国内需求。推动消费恢复，社会消费品零售总额增长5%。
1. 稳定就业。城镇新增就业1.2万人。
（1）加强培训。开展职业技能培训3000人次。
（2）兜牢底线。发放补贴。
2. 稳定物价。居民消费价格涨幅2%。
1.6亿元的财政收入全部用于民生。
2022年是极不平凡的一年。
(二)强化科技创新
研发投入增长10%。
二、2023年工作安排
2023年地区生产总值增长6%左右。
第一，坚持稳中求进
稳是大局，进是方向。
第二，坚持改革开放
改革是动力。
"""


def test_heading_kinds_and_paths():
    sections = parse_sections(KINDS_DOC)
    paths = [s.path for s in sections]
    assert ("一、2022年工作回顾",) in paths
    assert ("一、2022年工作回顾", "（一）扩大国内需求") in paths  # title = first sentence only
    assert ("一、2022年工作回顾", "（一）扩大国内需求", "1. 稳定就业", "（1）加强培训") in paths
    assert ("一、2022年工作回顾", "（一）扩大国内需求", "2. 稳定物价") in paths
    assert ("一、2022年工作回顾", "(二)强化科技创新") in paths
    assert ("二、2023年工作安排", "第一，坚持稳中求进") in paths
    assert [s.level for s in sections] == [len(s.path) for s in sections]
    titles = " ".join(s.title for s in sections)
    for not_heading in ("1.6亿元", "2022年是", "一是", "政府工作报告", "各位代表"):
        assert not_heading not in titles


def test_section_spans_nest_and_include_their_heading():
    sections = parse_sections(KINDS_DOC)
    for s in sections:
        assert KINDS_DOC[s.start :].startswith(s.title.split(" ")[0][:2])
        assert s.start < s.end <= len(KINDS_DOC)
    first = sections[0]
    assert KINDS_DOC[first.start : first.end].endswith("(二)强化科技创新\n研发投入增长10%。")
    offset = KINDS_DOC.index("城镇新增就业")
    assert section_path_at(sections, offset)[-1] == "1. 稳定就业"
    assert section_at(sections, KINDS_DOC.index("各位代表")) is None


def test_chapters_articles_and_numeral_lines():
    text = (
        "第一章 总则\n第一节 目的\n第一条 为了规范管理，制定本办法。\n"
        "第二条 本办法适用于全市。\n第二章 附则\n二\n正文。\n"
    )
    paths = [s.path for s in parse_sections(text)]
    assert ("第一章 总则", "第一节 目的", "第一条 为了规范管理，制定本办法") in paths
    assert ("第一章 总则", "第一节 目的", "第二条 本办法适用于全市") in paths
    assert ("第二章 附则", "二") in paths


def test_a_sentence_that_refers_to_a_chapter_is_no_heading():
    text = (
        "第十章 保障措施\n加强组织领导。\n"
        "第十一章所列目标任务，由县发展和改革局会同县人力资源和社会保障局等部门分解落实，纳入年度目标责任考核。\n"
    )
    assert [s.title for s in parse_sections(text)] == ["第十章 保障措施"]


def test_national_style_heading_with_body_on_the_same_line():
    text = (
        "二、2024年政府工作任务\n（一）扩大国内需求。推动消费从疫后恢复转向持续扩大。\n"
        "（二）加快建设现代化产业体系。推动产业升级。\n"
    )
    sections = parse_sections(text)
    assert [s.title for s in sections] == [
        "二、2024年政府工作任务",
        "（一）扩大国内需求",
        "（二）加快建设现代化产业体系",
    ]
    passages = build_passages(make_doc(text))
    assert passages[1].text.startswith("（一）扩大国内需求。推动消费")
    assert all(p.period == "plan" for p in passages)


def test_a_time_or_a_bracket_in_a_heading_does_not_end_its_title():
    text = "一、体检时间\n1. 上午7:30—10:30。\n2. 下午14：30—17:00只办理报告解读。\n二、须知\n注意：空腹。\n"
    titles = [s.title for s in parse_sections(text)]
    assert titles == ["一、体检时间", "1. 上午7:30—10:30", "2. 下午14：30—17:00只办理报告解读", "二、须知"]
    text = "第四条 租金\n1. 月租金为人民币3,800元（大写：叁仟捌佰元整），按月支付。\n"
    assert parse_sections(text)[1].title == "1. 月租金为人民币3,800元"  # not cut inside the brackets


def test_restarted_list_nests_in_the_open_item_and_cycles_stay_shallow():
    text = (
        "一、回顾\n正文。\n二、任务\n要做到：\n"
        "一、节约能源\n二、改革产品结构\n三、利用资源\n"  # a list inside 二、, numbered like it
        "三、继续推进改革\n正文。\n"
    )
    paths = [s.path for s in parse_sections(text)]
    assert ("二、任务", "二、改革产品结构") in paths
    assert ("三、继续推进改革",) in paths
    cycle = "".join(f"（{n}）第{i}项\n正文。\n" for i in range(300) for n in "一二三")
    assert max(s.level for s in parse_sections(cycle)) <= 4


def test_items_of_a_list_ending_in_semicolons_are_no_headings():
    # "一、节约能源；" (1981's report) and "（一）机关、学校、医院；" (a regulation's article) are items
    # of the sentence before them, the last one ending with 。: the list stays in its section's passage.
    text = (
        "一、回顾\n正文。\n二、任务\n要做到：\n"
        "一、节约能源；\n二、改革产品结构；\n三、利用资源。\n"
        "三、继续推进改革\n正文。\n"
        "第十条　禁止携犬进入下列场所：\n（一）机关、学校、医院；\n（二）菜市场、商场等室内公共场所。\n"
    )
    paths = [s.path for s in parse_sections(text)]
    article = ("第十条 禁止携犬进入下列场所",)  # an article is a sibling of 一、 (both rank 2)
    assert paths == [("一、回顾",), ("二、任务",), ("三、继续推进改革",), article]
    passages = build_passages(make_doc(text))
    assert passage_with(passages, "改革产品结构").section == ["二、任务"]
    assert "菜市场" in passage_with(passages, "机关、学校、医院").text


def test_unnumbered_part_headings_and_closing_address():
    text = (
        "某省2026年政府工作报告\n各位代表：\n现在，我代表省人民政府作报告。\n“十四五”时期工作回顾\n"
        "五年来成绩显著。今年经济社会发展的\n主要预期目标\n是：增长5%。\n2026年重点工作\n"
        "今年要做好八方面工作。\n（一）扩大内需\n促进消费。\n各位代表！\n让我们团结奋斗。\n"
    )
    paths = [s.path for s in parse_sections(text)]
    assert paths == [("“十四五”时期工作回顾",), ("2026年重点工作",), ("2026年重点工作", "（一）扩大内需")]
    passages = build_passages(make_doc(text))
    assert passage_with(passages, "五年来成绩显著").period == "review"
    assert passage_with(passages, "促进消费").period == "plan"
    closing = passage_with(passages, "团结奋斗")
    assert (closing.period, closing.section) == ("other", [])


def test_a_label_in_brackets_is_a_heading_even_right_after_the_title():
    # Found by a helper: a guide's first label, 【办理对象】 under its title, had been no heading.
    guide = "青溪市身份证换领指南\n【办理对象】\n本市居民。\n【办理材料】\n户口簿。\n【收费标准】\n不收费。\n"
    assert [s.title for s in parse_sections(guide)] == ["【办理对象】", "【办理材料】", "【收费标准】"]
    # A news dateline, opening a sentence's line or alone under the title, is no heading.
    assert parse_sections("大会开幕\n【新华社北京3月5日电】今天上午，大会开幕。\n代表审议报告。\n") == []
    assert parse_sections("大会开幕\n【新华社北京3月5日电】\n今天上午，大会开幕。\n") == []
    for source in ("【新华社北京3月5日电 记者王某】", "【央视新闻客户端】"):  # found by a reviewer
        assert parse_sections(f"大会开幕\n{source}\n今天上午，大会开幕。\n") == [], source
    report = "某县政府工作报告\n一、2025年工作回顾\n（一）稳增长\n增长5%。\n二、2026年工作安排\n抓落实。\n"
    paths = [("一、2025年工作回顾",), ("一、2025年工作回顾", "（一）稳增长"), ("二、2026年工作安排",)]
    assert [s.path for s in parse_sections(report)] == paths


# The seed report's real lines where the web copy lost heading numbers (shortened bodies).
LOST_DOC = """各位代表、同志们:
现在,我代表紫帽镇人民政府向大会作2022年工作报告,请各位代表审议。
一、2022年工作回顾
一年来,在市委、市政府和镇党委的正确领导下,各项事业取得新的成效。
(一)科学精准,勠力同心,适应疫情防控新常态
慎终如始,全面防控。面对数场输入性聚集性疫情,老年人新冠病毒疫苗接种率居全市前列
提质增量,创新转型,拼出经济发展新效率
打好“政策+服务”组合拳。全年预计完成财政总收入1.6亿元,比增8.8%;规上工业产值26.62亿元。
(三)提速攻坚建管并举,打造城镇建设新样板
片区拓展全面提能。完善镇级国土空间规划。
二、2023年的发展目标和主要工作安排
2023年经济社会发展主要预期目标是:全社会固定资产投资增长8.0%。
、全力建设人民满意政府
各位代表、同志们!重任千钧担当。我们要站稳政治立场。
)旗帜鲜明讲政治。深入学习贯彻习近平新时代中国特色社会主义思想。
)依法行政重法治。坚决贯彻落实习近平法治思想。
各位代表!风劲潮涌,扬帆破浪正当时。
"""


def test_lost_numbering_is_recovered_from_siblings_and_fragments():
    paths = [s.path for s in parse_sections(LOST_DOC)]
    assert ("一、2022年工作回顾", "(二)提质增量,创新转型,拼出经济发展新效率") in paths
    assert ("三、全力建设人民满意政府",) in paths
    assert ("三、全力建设人民满意政府", "(一)旗帜鲜明讲政治") in paths
    assert ("三、全力建设人民满意政府", "(二)依法行政重法治") in paths
    passages = build_passages(make_doc(LOST_DOC))
    fiscal = passage_with(passages, "财政总收入1.6亿元")
    assert fiscal.section[0] == "一、2022年工作回顾" and "提质增量" in fiscal.section[1]
    assert fiscal.period == "review"
    # Offsets point at the real text, not the recovered title.
    sections = parse_sections(LOST_DOC)
    recovered = next(s for s in sections if s.title.startswith("(二)"))
    assert LOST_DOC[recovered.start :].startswith("提质增量")
    assert LOST_DOC[next(s for s in sections if s.title.startswith("三、")).start] == "、"


def test_periods_from_heading_paths():
    passages = build_passages(make_doc(LOST_DOC))
    assert passage_with(passages, "全社会固定资产投资增长8.0%").period == "plan"
    assert passage_with(passages, "片区拓展全面提能").period == "review"
    assert passage_with(passages, "旗帜鲜明讲政治").period == "other"  # the government's self-building
    opening = passage_with(passages, "我代表紫帽镇人民政府")
    assert (opening.period, opening.section) == ("other", [])
    closing = passage_with(passages, "风劲潮涌")
    assert (closing.period, closing.section) == ("other", [])  # the closing address has no section


def test_period_rules_table():
    def periods(*titles: str, work_report: bool = True) -> list[str]:
        sections = [Section(t, 1, i, i + 1, (t,)) for i, t in enumerate(titles)]
        return section_periods(sections, work_report)

    assert periods("一、过去五年工作回顾", "二、2018年经济社会发展总体要求和政策取向") == ["review", "plan"]
    assert periods("一、1999年国内工作回顾", "二、坚持实行扩大内需的方针", "结束语") == [
        "review",
        "plan",
        "other",
    ]
    # A section is a plan by its place only after the report has named what was done: a report that
    # opens on a turn or a task (1979's, 任务 alone) tells of the year done and ahead in each section.
    assert periods("一、伟大的历史性转变", "二、打好第一个战役") == ["review", "other"]
    assert periods("一、当前的基本任务", "二、坚持长期稳定发展经济的方针") == ["plan", "other"]
    # 形势和任务 names the situation reached (1987's first section told of 1986's harvest) and the task.
    assert periods("一、当前国内形势和基本任务", "二、坚持长期稳定发展经济的方针") == ["review", "plan"]
    assert periods("一、关于国际形势和外交工作") == ["review"]  # first, by its place, not by 形势
    assert periods("首先报告２００１年的工作", "一、扩大和培育内需") == ["review", "plan"]  # a year named
    assert periods("四、持续加强政府自身建设") == ["other"]
    mixed = [Section("一、回顾和今年目标", 1, 0, 9, ("一、回顾和今年目标",))]
    mixed.append(Section("（一）今年的主要目标", 2, 5, 9, (*mixed[0].path, "（一）今年的主要目标")))
    assert section_periods(mixed) == ["review", "plan"]  # under a mixed heading, subsections decide
    # Outside a work report there is no review or plan: a notice's articles are no plan, nor is a
    # regulation's chapter on urban planning (规划).
    assert periods("第一条 补贴时间", "第二条 补贴标准", work_report=False) == ["other", "other"]
    assert periods("第一章 总则", "第二章 规划和建设", "三、明年计划", work_report=False) == ["other"] * 3


# --- passages -------------------------------------------------------------------------------


_PIECES = st.sampled_from(
    [
        "一、",
        "二、",
        "（一）",
        "(二)",
        ")",
        "、",
        "1. ",
        "2.",
        "（1）",
        "第一章",
        "第三条",
        "结束语",
        "各位代表！",
        "2022年",
        "1.6亿元",
        "工作回顾",
        "主要任务",
        "提质增量,创新转型",
        "。",
        "；",
        "！",
        "，",
        "“",
        "”",
        "\n",
        "\n\n",
        " ",
        "\u3000",
        "\xa0",
        "经济发展",
        "推动产业升级" * 8,
    ]
)
_TEXTS = st.lists(_PIECES | st.text(max_size=12), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS, st.integers(10, 100), st.integers(20, 300))
def test_passages_are_exact_spans_inside_sections(text, min_chars, max_chars):
    doc = make_doc(text)
    passages = build_passages(doc, min_chars, max(min_chars + 1, max_chars))
    check_passages(doc, passages, min_chars, max(min_chars + 1, max_chars))


def test_long_sentence_is_cut_at_clauses():
    sentence = "，".join(["推动经济高质量发展"] * 80) + "。"
    doc = make_doc("一、2023年工作安排\n" + sentence + "\n")
    passages = build_passages(doc)
    check_passages(doc, passages, 80, 250)
    assert len(passages) >= 3 and max(len(p.text) for p in passages) <= 250 + 80


def test_short_tail_joins_the_passage_before():
    body = "".join(f"第{i}项工作按计划推进并取得积极成效。" for i in range(12)) + "完毕。"
    passages = build_passages(make_doc("一、工作回顾\n" + body + "\n"))
    assert len(passages[-1].text) >= 80
