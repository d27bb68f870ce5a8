"""A quoted sentence that announces a list (…以下五个方面工作：) brings the headings it announces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa import ReportQA
from qa.ingest.loader import load_paths
from qa.ingest.structure import build_passages, parse_sections
from qa.pipeline.lists import announced_items
from qa.schema import Document, Passage
from qa.text.sentences import split_sentences

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "gov_reports"

REPORT = """某某县人民政府2024年政府工作报告

一、2023年工作回顾

全年完成地区生产总值321.5亿元，增长6.2%。

二、2024年主要工作安排

今年重点抓好以下三个方面工作：

（一）扩大有效投资

建设县消防救援站，改造老旧小区12个。

（二）办好民生实事。新建幼儿园3所，新增学位1200个。

（三）守牢安全底线

开展安全生产专项整治。

三、加强政府自身建设

我们要做到以下几点：坚持依法行政，接受人大监督。
"""


def _marked(doc: Document, sentence: str) -> Passage:
    """The passage of ``doc`` holding ``sentence``, the sentence marked in it as a quote is."""
    start = doc.text.index(sentence)
    passage = next(p for p in build_passages(doc) if p.start <= start < p.end)
    return passage.with_(highlight=(start - passage.start, start - passage.start + len(sentence)))


def _loaded(folder: Path, text: str) -> Document:
    """``text`` written into a file of ``folder`` and loaded as a document."""
    path = folder / "county.txt"
    path.write_text(text, encoding="utf-8")
    [doc] = load_paths([path])
    return doc


def _quoted(folder: Path, sentence: str) -> tuple[str, Passage]:
    """The document text of REPORT and its passage holding ``sentence``, the sentence marked."""
    doc = _loaded(folder, REPORT)
    return doc.text, _marked(doc, sentence)


def test_a_colon_sentence_before_its_sections_subsections_announces_them(tmp_path: Path) -> None:
    text, top = _quoted(tmp_path, "今年重点抓好以下三个方面工作：")
    items = announced_items(text, top)
    # A heading with its text on the same line is cited by its own words, not the paragraph.
    assert [i.text for i in items] == ["（一）扩大有效投资", "（二）办好民生实事。", "（三）守牢安全底线"]
    for item in items:
        assert text[item.start : item.end] == item.text  # every item cites the document
        assert item.doc_id == top.doc_id and item.section[0].startswith("二、")


def test_a_sections_opening_sentence_before_its_subsections_announces_them(tmp_path: Path) -> None:
    # Found by a helper: "今年重点工作有哪些？" quoted 2014's "做好今年政府工作，要…。", the only sentence
    # between 三、2014年重点工作 and its （一）…（九）, with no items.
    doc = _loaded(
        tmp_path, REPORT.replace("今年重点抓好以下三个方面工作：", "做好今年工作，要突出重点，务求实效。")
    )
    items = announced_items(doc.text, _marked(doc, "做好今年工作，要突出重点，务求实效。"))
    assert [i.text for i in items] == ["（一）扩大有效投资", "（二）办好民生实事。", "（三）守牢安全底线"]


@pytest.mark.parametrize(
    ("sentence", "count"), [("重点做好三个方面工作。", 3), ("重点做好四个方面工作。", 0)]
)
def test_a_sentence_telling_how_many_subsections_follow_announces_them(
    tmp_path: Path, sentence: str, count: int
) -> None:
    # Found by a helper: Jiangsu's "重点做好十个方面工作。" (a full stop, after other paragraphs of its
    # section) was quoted with none of its ten subsections. Only as many as it tells are its items.
    text = REPORT.replace("今年重点抓好以下三个方面工作：", f"今年要突出重点。\n{sentence}")
    doc = _loaded(tmp_path, text)
    assert len(announced_items(doc.text, _marked(doc, sentence))) == count


def test_a_colon_inside_running_text_announces_nothing(tmp_path: Path) -> None:
    text, top = _quoted(tmp_path, "我们要做到以下几点：")
    assert announced_items(text, top) == []


def test_a_colons_clauses_ended_by_semicolons_are_its_items(tmp_path: Path) -> None:
    # Found by a helper: "今年主要预期目标有哪些？" was answered with the colon line alone, no targets.
    targets = "国内生产总值增长8％左右；城镇新增就业900万人以上；居民消费价格涨幅3％左右；国际收支状况改善。"
    for layout in ("今年的主要预期目标是：\n{}", "今年的主要预期目标是：{}"):
        text = REPORT.replace("今年重点抓好以下三个方面工作：", layout.format(targets))
        doc = _loaded(tmp_path, text)
        first = (
            "今年的主要预期目标是：" if "\n" in layout else "今年的主要预期目标是：国内生产总值增长8％左右；"
        )
        items = [i.text for i in announced_items(doc.text, _marked(doc, first))]
        expected = [
            "国内生产总值增长8％左右；",
            "城镇新增就业900万人以上；",
            "居民消费价格涨幅3％左右；",
            "国际收支状况改善。",
        ]
        assert items == (expected if "\n" in layout else expected[1:])


def test_a_list_the_next_sentence_opens_is_the_items_of_the_one_before(tmp_path: Path) -> None:
    # Found by a helper: "…还存在不少矛盾和问题。主要是：A；B；C。" had been quoted without its list.
    problems = "我们看到，发展中还存在不少矛盾和问题。主要是：投资增长乏力；企业经营困难；民生短板较多。"
    doc = _loaded(tmp_path, REPORT.replace("今年重点抓好以下三个方面工作：", problems))
    items = [i.text for i in announced_items(doc.text, _marked(doc, problems.split("。")[0] + "。"))]
    assert items == ["投资增长乏力；", "企业经营困难；", "民生短板较多。"]
    # A sentence of full sentences after 主要是： has no end a reader can see: nothing is listed.
    sentences = problems.replace("；", "。")
    doc = _loaded(tmp_path, REPORT.replace("今年重点抓好以下三个方面工作：", sentences))
    assert announced_items(doc.text, _marked(doc, sentences.split("。")[0] + "。")) == []


@pytest.mark.parametrize(
    ("sentence", "lines", "expected"),
    [
        ("重点排查以下部位：", "- 水库大坝\n- 河道堤防\n* 山塘", ["水库大坝", "河道堤防", "山塘"]),
        (
            "突出了以下两个方面。",
            "——坚持创新发展。要素齐全。\n——坚持协调发展。",
            ["坚持创新发展。", "坚持协调发展。"],
        ),
        (
            "明确了以下标准：",
            "（1）首小时3元；\n（2）此后每小时2元。",
            ["（1）首小时3元；", "（2）此后每小时2元。"],
        ),
        ("主要措施有：", "①建立台账；\n②定期回访。", ["①建立台账；", "②定期回访。"]),
    ],
)
def test_lines_a_sentence_announces_are_its_items(
    tmp_path: Path, sentence: str, lines: str, expected
) -> None:
    # Found by helpers: a notice's bullets, a report's —— lines and （1） items were none (the colon
    # line was quoted alone), and "- " stayed in the quote.
    doc = _loaded(
        tmp_path, REPORT.replace("今年重点抓好以下三个方面工作：", f"{sentence}\n{lines}\n后面的话。")
    )
    items = announced_items(doc.text, _marked(doc, sentence))
    assert [i.text for i in items] == expected
    assert all(doc.text[i.start : i.end] == i.text for i in items)


def test_a_list_counted_off_inside_its_sentence_and_bullets_after_blank_lines(tmp_path: Path) -> None:
    # Found by a helper: a 纪要's "会议要求，一是…；二是…；三是…。" quoted 一是 alone, and Markdown's and a
    # web page's bullet lists (a blank line before them, <li> items) brought no items.
    minutes = "会议要求，一是压实防火责任；二是设置检查站86个；三是加强宣传。"
    doc = _loaded(tmp_path, REPORT.replace("今年重点抓好以下三个方面工作：", minutes))
    items = announced_items(doc.text, _marked(doc, "会议要求，一是压实防火责任；"))
    assert [i.text for i in items] == ["一是压实防火责任；", "二是设置检查站86个；", "三是加强宣传。"]
    doc = _loaded(
        tmp_path,
        REPORT.replace("今年重点抓好以下三个方面工作：", "主要任务包括：\n\n* 分类投放\n\n* 分类收运"),
    )
    assert [i.text for i in announced_items(doc.text, _marked(doc, "主要任务包括："))] == [
        "分类投放",
        "分类收运",
    ]
    page = "<html><body><article><p>全年禁止燃放的区域包括：</p><ul><li>学校周边</li><li>医院周边</li></ul>"
    path = tmp_path / "notice.html"
    path.write_text(page + "<p>本通告自发布之日起施行。</p></article></body></html>", encoding="utf-8")
    [doc] = load_paths([path])
    items = announced_items(doc.text, _marked(doc, "全年禁止燃放的区域包括："))
    assert [i.text for i in items] == ["学校周边", "医院周边"]


def test_a_sentence_pointing_to_what_follows_announces_subsections_with_a_full_stop(tmp_path: Path) -> None:
    # Found by a helper: 2006's "今年要着重做好以下几方面的工作。" was quoted without its （一）…（八）.
    doc = _loaded(
        tmp_path, REPORT.replace("今年重点抓好以下三个方面工作：", "今年要着重做好以下几方面的工作。")
    )
    items = announced_items(doc.text, _marked(doc, "今年要着重做好以下几方面的工作。"))
    assert [i.text for i in items] == ["（一）扩大有效投资", "（二）办好民生实事。", "（三）守牢安全底线"]


def test_a_sentence_saying_what_it_goes_on_to_set_out_announces_the_subsections(tmp_path: Path) -> None:
    # Found by a helper: 2023's "…下面简述几项重点。" came without the (一)…(八) right after it.
    doc = _loaded(tmp_path, REPORT.replace("今年重点抓好以下三个方面工作：", "下面简述几项重点。"))
    items = announced_items(doc.text, _marked(doc, "下面简述几项重点。"))
    assert [i.text for i in items] == ["（一）扩大有效投资", "（二）办好民生实事。", "（三）守牢安全底线"]


def test_a_sentence_without_a_colon_announces_nothing(tmp_path: Path) -> None:
    text, top = _quoted(tmp_path, "全年完成地区生产总值321.5亿元，增长6.2%。")
    assert announced_items(text, top) == []
    assert announced_items(text, top.with_(highlight=None)) == []


def test_the_answer_carries_the_items_in_every_form(tmp_path: Path, hash_embedder) -> None:
    path = tmp_path / "county.txt"
    path.write_text(REPORT, encoding="utf-8")
    bot = ReportQA.from_paths([path], index_dir=tmp_path / "ix", embedder=hash_embedder)
    answer = bot.ask("今年重点抓好以下三个方面工作")
    assert answer.found and answer.answer == "今年重点抓好以下三个方面工作："
    assert len(answer.items) == 3 and answer.items[0].text == "（一）扩大有效投资"
    assert answer.to_dict()["items"][2]["text"] == "（三）守牢安全底线"
    assert bot.ask("新增学位多少个").items == []


COUNTED = """某某县人民政府2024年政府工作报告

二、2024年主要工作安排

着力解决群众看病难问题，主要抓好三个方面；一是建设县医院新院区。年内完成主体工程。
二是推进家庭医生签约服务。三是深化医保支付方式改革。同时要加强食品安全监管。

安全生产要抓好两件事。一是排查隐患。二是落实责任。
"""


def test_sentences_counting_off_a_list_are_the_items_of_the_one_before(tmp_path: Path) -> None:
    doc = _loaded(tmp_path, COUNTED)
    items = announced_items(doc.text, _marked(doc, "着力解决群众看病难问题，主要抓好三个方面；"))
    expected = ["一是建设县医院新院区。", "二是推进家庭医生签约服务。", "三是深化医保支付方式改革。"]
    assert [i.text for i in items] == expected  # text between items continues them; a new 一是 ends it
    assert all(doc.text[i.start : i.end] == i.text for i in items)
    # The sentence before 一是's own continuation announces nothing; nor does one item alone.
    assert announced_items(doc.text, _marked(doc, "年内完成主体工程。")) == []
    assert announced_items(doc.text, _marked(doc, "三是深化医保支付方式改革。")) == []


ARTICLES = """青岚市养犬管理条例

第三章　养犬行为规范

第十条　禁止携犬进入下列场所：
（一）机关、学校、医院；
（二）菜市场、商场等室内公共场所；
（三）公共交通工具。
重点管理区内，每日七时至二十一时不得携犬进入城市公园。

第十一条　携犬出户时犬只产生的粪便，携犬人应当立即清除。
"""


def test_numbered_items_of_running_text_are_the_items_of_the_sentence_before(tmp_path: Path) -> None:
    doc = _loaded(tmp_path, ARTICLES)
    items = announced_items(doc.text, _marked(doc, "禁止携犬进入下列场所："))
    expected = ["（一）机关、学校、医院；", "（二）菜市场、商场等室内公共场所；", "（三）公共交通工具。"]
    assert [i.text for i in items] == expected  # no headings (they end with ；), counted off in turn
    assert all(
        doc.text[i.start : i.end] == i.text
        and i.section == ["第三章 养犬行为规范", "第十条 禁止携犬进入下列场所"]
        for i in items
    )


def test_an_item_numbered_like_a_decimal_is_the_next_item(tmp_path: Path) -> None:
    # Found by a helper: "2.65周岁以上的老年人；" was read as 2.65, and 免票对象 came back with no items.
    text = (
        "门票管理规定\n\n三、优惠政策\n\n（一）免票对象：\n"
        "1.身高1.2米以下的儿童；\n2.65周岁以上的老年人；\n3.现役军人。\n"
    )
    doc = _loaded(tmp_path, text)
    items = announced_items(doc.text, _marked(doc, "（一）免票对象："))
    assert [i.text for i in items] == ["1.身高1.2米以下的儿童；", "2.65周岁以上的老年人；", "3.现役军人。"]


@pytest.mark.skipif(not REPORTS.is_dir(), reason="the shared gov_reports dataset is not here")
def test_items_on_the_real_reports_are_headings_that_follow_the_sentence() -> None:
    """Over every sentence of the 88 reports: items cite heading lines right after it, or the
    sentences right after it that count off a list (一是…, or numbered items ending in ；), or the
    clauses after its colon (or the colon of the 主要是： that follows it), each ended by a semicolon
    but the last, or the lines after it that open with a dash (——), each its first sentence."""
    announcing = counting = listing = dashed = 0
    for doc in load_paths(sorted(REPORTS.glob("*.txt"))):
        starts = {s.start for s in parse_sections(doc.text)}
        for passage in build_passages(doc):
            for s, e in split_sentences(passage.text):
                items = announced_items(doc.text, passage.with_(highlight=(s, e)))
                if not items:
                    continue
                gap = doc.text[passage.start + e : items[0].start].strip()
                lead = re.fullmatch(r"(?:主要|具体|集中)(?:是|有|表现为|表现在|体现在)[：:]", gap) is not None
                assert lead or gap in ("", "——", "-", "•", "●", "·")
                numerals = zip("一二三四五六七八九", items, strict=False)
                forms = ("{}是", "第{}", "（{}）", "{}、")  # 一是, 第一, and numbered items ending in ；
                counted = [item.text.startswith(tuple(f.format(n) for f in forms)) for n, item in numerals]
                if not all(counted):  # （1）, ① (Guizhou's 十件民生实事 run (1)…(10) in one paragraph)
                    counted = [
                        item.text.startswith((f"（{n}）", chr(0x245F + n))) for n, item in enumerate(items, 1)
                    ]
                headings = [item.start in starts for item in items]
                colon = lead or any(mark in passage.text[s:e] for mark in "：:")  # its own, or the next's
                clauses = colon and all(item.text.endswith(("；", ";")) for item in items[:-1])
                marks = {
                    doc.text[doc.text.rfind("\n", 0, item.start) + 1 : item.start].strip() for item in items
                }
                bulleted = marks <= {"——", "-", "•", "●", "·"}  # each the first sentence of a dash's line
                counting += all(counted) and not any(headings)
                announcing += all(headings)
                listing += clauses and not all(counted) and not all(headings)
                dashed += bulleted and not all(headings)
                for item in items:
                    assert doc.text[item.start : item.end] == item.text
                    assert all(counted) or all(headings) or clauses or bulleted
                    assert "\n" not in item.text and item.text.strip() == item.text
                    assert len(split_sentences(item.text)) == 1  # the item's own words, not its paragraph
    assert announcing >= 20  # reports announce their task areas this way (56 sentences when written)
    assert counting >= 20  # and count off a sentence's items in running text (一是…二是…)
    assert listing >= 20  # and list their targets after a colon (主要预期目标是：…；…；…。)
    assert dashed >= 5  # and list achievements as lines opening with ——


@pytest.mark.skipif(not REPORTS.is_dir(), reason="the shared gov_reports dataset is not here")
@pytest.mark.parametrize(
    ("report", "sentence", "count"),
    [
        ("2008_national.txt", "今年要着重抓好以下九个方面工作：", 9),
        ("1979_national.txt", "我们要努力达到下列几项主要要求：", 5),
    ],
)
def test_a_deeper_list_at_the_same_level_is_not_an_item(report: str, sentence: str, count: int) -> None:
    """（一）…（九） then 第一…第四 under the last one: the announced list is the first run only."""
    [doc] = load_paths([REPORTS / report])
    items = announced_items(doc.text, _marked(doc, sentence))
    assert len(items) == count and items[0].text.startswith(("（一）", "(一)"))


def test_every_surface_shows_the_items(tmp_path: Path) -> None:
    """The page lists them under the quote (Chinese, with offsets), copy takes them, the CLI prints
    one line each and the HTTP model carries them."""
    from qa.apps.models import AnswerModel
    from qa.apps.terminal import format_answer
    from qa.apps.ui.answers import copy_text, render_answer
    from qa.schema import Answer

    text, quoted = _quoted(tmp_path, "今年重点抓好以下三个方面工作：")
    items = announced_items(text, quoted)
    answer = Answer(
        "今年干什么？", True, "今年重点抓好以下三个方面工作：", [quoted], {}, 0.9, "answer", items=items
    )
    page = render_answer(answer)
    assert "包括：" in page and page.index("（一）扩大有效投资") < page.index("rq-source")
    assert f"第 {items[2].start}–{items[2].end} 字" in page
    assert "（二）办好民生实事" in copy_text(answer)
    assert f"  · （三）守牢安全底线 (字符 {items[2].start}–{items[2].end})" in format_answer(answer)
    assert AnswerModel.model_validate(answer.to_dict()).items[1].text == "（二）办好民生实事。"
    # One part of a two-part question announcing a list: its items follow that part's line.
    both = Answer("去年怎样？今年干什么？", True, answer.answer, [quoted], {}, 0.9, "answer", [answer])
    assert "  · （一）扩大有效投资" in format_answer(both).split("【今年干什么？】")[1]
    assert "（一）扩大有效投资" in render_answer(both)
