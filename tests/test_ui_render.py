"""What the page shows, without a browser: the three outcomes, reasons and errors in Chinese, the copy
text, key figures (headlines first, signed, report names), the series chart, upload progress and the
chat's note while a report is being added."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import gradio as gr
import pytest

from qa import Answer, Passage
from qa.apps.http import _encode_request_line
from qa.apps.messages import explain_error, not_found_reason, scope_notes
from qa.apps.terminal import format_answer
from qa.apps.ui.answers import citation, copy_text, render_answer
from qa.apps.ui.app import (
    EXAMPLE_QUESTIONS,
    _reply,
    _take_question,
    api_answer,
    example_questions,
    make_filters,
    welcome,
)
from qa.apps.ui.documents import _add_files
from qa.apps.ui.facts import fact_value, growth_chart, headline_first, series_chart, short_name
from qa.apps.ui.indexing import Indexing
from qa.apps.ui.render import header_html, mark_span, page_title
from qa.errors import DocumentError, QuestionError
from qa.facts import Fact
from qa.ingest.loader import load_bundled
from qa.schema import DocumentInfo
from qa.settings import Settings


def _passage(text: str, highlight: tuple[int, int] | None = None, **changes) -> Passage:
    fields = {
        "doc_id": "d1",
        "document": "<i>某县</i>报告",
        "section": ["一、回顾", "(一)<b>经济</b>"],
        "period": "review",
        "start": 10,
        "end": 10 + len(text),
        "text": text,
        "score": 0.0321,
        "highlight": highlight,
        "passage_id": "d1:0001",
    }
    return Passage(**{**fields, **changes})


def _answer(outcome: str, **changes) -> Answer:
    text = "前文<script>x</script>。财政收入1.6亿元。\n\n后文"
    span = (text.index("财政"), text.index("后文") - 2)
    found = outcome != "not_found"
    fields = {
        "question": "q",
        "found": found,
        "answer": text[span[0] : span[1]] if found else None,
        "passages": [_passage(text, span), _passage("乙", passage_id="d1:0002")],
        "reason": {},
        "confidence": 0.83,
        "outcome": outcome,
    }
    return Answer(**{**fields, **changes})


def test_an_answer_is_marked_escaped_cited_and_scores_are_folded() -> None:
    html = render_answer(_answer("answer"), context=lambda p: "上文" + p.text + "下文<img src=x>")
    assert "答案（原文摘录）" in html and "<mark>财政收入1.6亿元。</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img" not in html
    assert "<i>" not in html and "<b>" not in html
    assert "一、回顾 › (一)&lt;b&gt;经济&lt;/b&gt;，第 " in html
    assert '<details class="rq-details"><summary>评分细节</summary>' in html and "0.0321" in html
    assert html.index("0.0321") > html.index("评分细节")  # the score only behind the toggle
    assert "\n" not in html  # one line of HTML, so the chat's Markdown cannot take over


def test_only_review_and_plan_are_named_with_a_citation() -> None:
    # Found by a helper: every sentence of an article, a recipe or a leaflet was tagged 其他.
    answer = _answer("answer")
    assert "· 回顾</div>" in render_answer(answer) and "回顾 · 得分" in format_answer(answer)
    other = replace(answer, passages=[p.with_(period="other") for p in answer.passages])
    assert "其他" not in render_answer(other) and "其他" not in format_answer(other)


def test_uncertain_is_shown_as_such_not_as_an_answer() -> None:
    html = render_answer(_answer("uncertain"))
    assert "可能相关（请核对原文）" in html and "答案（原文摘录）" not in html
    assert "<mark>" not in html and "<u>财政收入1.6亿元。</u>" in html


def test_a_refusal_has_its_reason_and_no_highlight() -> None:
    reason = {"not_found_because": "no sentence of the report is likely to answer the question"}
    refused = _answer("not_found", reason=reason)
    refused.passages = [p.with_(document="某县2023年政府工作报告") for p in refused.passages]
    html = render_answer(refused)
    assert "报告中没有" in html and "报告里没有哪一句话能可靠地回答这个问题" in html
    # A document that is no work report is called so (a contract had been "报告中没有").
    other = render_answer(_answer("not_found", reason=reason))
    assert "文档中没有" in other and "报告中没有" not in other
    assert "文档里没有哪一句话能可靠地回答这个问题" in other
    assert "<mark>" not in html and "<u>" not in html and "rq-copy" not in html
    assert "最相近的段落（仅供参考，不是答案）" in html and "另外 1 个相关段落" in html
    empty = render_answer(
        Answer("q", False, None, [], {"not_found_because": "nothing indexed matches the filters"})
    )
    assert "所选筛选条件下没有文档" in empty and "rq-card" not in empty


def test_reasons_in_chinese() -> None:
    assert not_found_reason({"not_found_because": "the report covers 2022–2023, not 2019"}) == (
        "报告涵盖2022–2023年，不含2019年。"
    )
    missing = {"not_found_because": "没有2025年广东省的报告；有：2026年广东省", "missing_report": {}}
    assert not_found_reason(missing) == "没有2025年广东省的报告；有：2026年广东省。"  # ends as a sentence
    unnamed = {"not_found_because": "the document never speaks of 2023/2024"}
    assert not_found_reason(unnamed) == "文档中没有提到2023/2024年。"
    other = {"not_found_because": "the sentences found tell of 2023, not 2022"}
    assert not_found_reason(other) == "找到的句子说的是2023年的情况，不是2022年的。"
    place = {"not_found_because": "the sentence found speaks of 临川市, not 南州市"}
    assert not_found_reason(place) == "找到的句子说的是临川市，不是南州市。"
    assert not_found_reason({"not_found_because": "something new"}).startswith("报告里没有")
    notes = scope_notes({"scope": "the newest report: 2026年国务院政府工作报告"})
    assert notes == ["问题没有指明哪份报告，按最新的报告回答：2026年国务院政府工作报告。"]
    assert scope_notes({"parts_not_found": [2]}) == ["第2问没有找到答案，见下文。"]
    national = {"scope": "the newest report: 2026年国务院政府工作报告", "scope_level": "national"}
    assert scope_notes(national) == [
        "问题没有指明哪份报告，按最新的国务院报告回答：2026年国务院政府工作报告。"
    ]
    earliest = {"scope": "the earliest report: 2002年国务院政府工作报告", "scope_level": "national"}
    assert scope_notes(earliest | {"scope_asked": True}) == [
        "按最早的国务院报告回答：2002年国务院政府工作报告。"
    ]
    town = {"scope": "the reports: 紫帽镇人民政府2022年工作报告", "scope_level": "town"}
    assert scope_notes(town) == ["问题没有指明哪份报告，按乡镇一级报告回答：紫帽镇人民政府2022年工作报告。"]
    # 省里… in a library of several provinces quotes one: the note names it and the others.
    provinces = {"scope": "the newest report: 2026年江苏省政府工作报告、2026年广东省政府工作报告"}
    provinces |= {"scope_level": "province", "other_places": {"quoted": "江苏省", "others": ["广东省"]}}
    assert scope_notes(provinces)[1] == (
        "以下回答出自江苏省的报告；广东省的报告可能另有说法，在问题里写明地名可只查那里。"
    )
    assert scope_notes({"level_lacking": "province"}) == ["资料库里没有省一级的报告，以下回答来自其他报告。"]
    assert scope_notes({"scope_missed": town}) == [
        "乡镇一级报告（紫帽镇人民政府2022年工作报告）里没有找到，以下回答来自其他报告。"
    ]
    # A refusal answers nothing: what comes from the other reports is its nearest passage.
    refused = {"scope_missed": town, "not_found_because": "no sentence of the report is likely to answer"}
    assert scope_notes(refused) == [
        "乡镇一级报告（紫帽镇人民政府2022年工作报告）里没有找到，最相近的段落来自其他报告。"
    ]
    years = {"years": [2009], "reports": [f"《{y}年国务院政府工作报告》" for y in (2009, 2010, 2011, 2012)]}
    assert scope_notes({"years_scope": years}) == [
        "问题问的是2009年，只在涵盖这一时间的报告中查找："
        "《2009年国务院政府工作报告》、《2010年国务院政府工作报告》、《2011年国务院政府工作报告》等4份。"
    ]
    # Documents of no year were searched beside them (a news article may be the one that answers).
    with_undated = {"years": [2026], "reports": ["《2025年参保政策问答》"], "undated": 2}
    assert scope_notes({"years_scope": with_undated}) == [
        "问题问的是2026年，只在涵盖这一时间的文档中查找：《2025年参保政策问答》，以及没有写明年份的文档。"
    ]


def test_parts_one_block_each_and_copy_text_with_citations() -> None:
    first = _answer("answer", reason={"report": "2023年"})
    second = _answer("not_found", reason={"report": "2030年", "not_found_because": "没有2030年的报告"})
    whole = _answer("uncertain", parts=[first, second])
    html = render_answer(whole)
    assert html.count('class="rq-part ') == 2 and "2023年" in html and "没有2030年的报告" in html
    text = copy_text(whole)
    assert text == f"2023年：财政收入1.6亿元。\n——{citation(first.passages[0])}"
    assert citation(first.passages[0]) == "《<i>某县</i>报告》 › 一、回顾 › (一)<b>经济</b>，第 31–41 字"


def test_errors_in_chinese_with_stable_codes() -> None:
    assert explain_error(QuestionError("the question is empty")) == ("empty_question", "问题不能为空。")
    # A report another page removed: no internal id shown (a helper saw 没有这份报告：96edb4c9df0a76f4。).
    gone = explain_error(DocumentError("no document with id '96edb4c9df0a76f4' in /ix"))
    assert gone == ("not_found", "索引里没有这份文档（可能已被移除）。")
    code, message = explain_error(QuestionError("the question has no words, only punctuation or symbols"))
    assert code == "no_words" and message == "问题里只有标点或符号，请写出想问的事。"
    code, message = explain_error(
        DocumentError("bad.pdf is not a PDF (no %PDF- header): the file is corrupt")
    )
    assert code == "not_pdf" and message.startswith("bad.pdf：不是 PDF 文件")
    assert explain_error(
        DocumentError("x.docx is 60.0 MB; the upload limit is 50 MB (set A to change it)")
    ) == (
        "file_too_large",
        "x.docx：文件大小 60.0 MB，超过了 50 MB 的上传上限。",
    )
    assert explain_error(DocumentError("something else entirely")) == (
        "bad_document",
        "这个文件无法加入索引。",
    )


def test_unencoded_chinese_request_line_is_percent_encoded() -> None:
    raw = "GET /api/facts?indicator=财政 HTTP/1.1\r\nHost: a\r\n\r\n".encode()
    assert _encode_request_line(raw).startswith(b"GET /api/facts?indicator=%E8%B4%A2%E6%94%BF HTTP/1.1\r\n")
    assert _encode_request_line(b"GET / HTTP/1.1\r\n\r\n") == b"GET / HTTP/1.1\r\n\r\n"


def _fact(indicator: str, value_text: str, change: str | None, pct: float | None, **changes) -> Fact:
    fields = dict(
        indicator=indicator, value=1.0, unit="%", value_text=value_text, kind="growth", change=change,
        change_pct=pct, qualifier=None, period="review", year=2022, doc_id="d1",
        document="2024年国务院政府工作报告", section=["一、回顾"], sentence=f"{indicator}{change}。",
        start=5, end=9, sentence_start=0, sentence_end=12,
    )  # fmt: skip
    return Fact(**{**fields, **changes})


def test_key_figures_headlines_first_signed_and_named() -> None:
    facts = [
        _fact("防控专班", "16个", None, None, kind="amount"),
        _fact("财政总收入", "3.3%", "下降3.3%", -3.3),
    ]
    assert [f.indicator for f in headline_first(facts)] == ["财政总收入", "防控专班"]
    assert fact_value(facts[1]) == "-3.3%" and fact_value(_fact("投资", "8%", "增长8%", 8.0)) == "+8%"
    assert fact_value(facts[0]) == "16个"
    other = _fact("财政总收入", "5%", "增长5%", 5.0, doc_id="d2", document="2025年国务院政府工作报告")
    labels = list(growth_chart([facts[1], other])["指标"])
    assert labels == ["2024年国务院·财政总收入·回顾", "2025年国务院·财政总收入·回顾"]
    assert short_name("《2026年广东省政府工作报告》") == "2026年广东省"


def test_series_chart_labels_every_point_and_carries_its_sentence() -> None:
    points = [
        _fact("国内生产总值", "5%", "增长5%", 5.0, year=y, document=f"{y}年国务院政府工作报告")
        for y in (2024, 2025)
    ]
    svg = series_chart(points, "国内生产总值")
    assert (
        svg.count("data-rq-point=") == 2 and ">2024年国务院</text>" in svg and ">2025年国务院</text>" in svg
    )
    assert svg.count('class="rq-series-source"') == 2 and "<mark>" in svg
    assert "没有找到「国内生产总值」" in series_chart([], "国内生产总值")
    # A line joins one place's points only (found by a helper: the State Council's, a town's and a
    # province's targets were drawn as one trend).
    mixed = [
        _fact("国内生产总值", f"{v}%", f"增长{v}%", v, year=y, doc_id=d, document=f"{y}年{name}政府工作报告")
        for v, y, d, name in (
            (6.5, 2018, "n18", "国务院"),
            (6.0, 2025, "town", "青石镇"),
            (5.0, 2019, "n19", "国务院"),
        )
    ]
    svg = series_chart(mixed, "国内生产总值", {"n18": "全国", "n19": "全国", "town": "青石镇"})
    assert svg.count("<polyline") == 1 and svg.count("data-rq-point=") == 3


class _SlowBot:
    """Enough of ReportQA for add_upload: indexing takes a while, then adds one report."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir, self.settings, self.documents = index_dir, Settings(), []
        self.added = 0

    def add_documents(self, paths, client=None):
        time.sleep(1.2)
        self.added += 1
        info = type("Info", (), {"title": "某县2023年政府工作报告", "doc_id": "a1"})()
        return [info]


def test_upload_progress_and_the_chat_note(tmp_path: Path, monkeypatch) -> None:
    good, bad = tmp_path / "a.txt", tmp_path / "b.pdf"
    good.write_text("某县2023年政府工作报告\n正文。", encoding="utf-8")
    bad.write_bytes(b"no pdf")
    indexing = Indexing()
    monkeypatch.setattr("qa.apps.ui.documents._refresh", lambda bot: ("list", "header", 1, 2, 3, 4))
    steps = list(_add_files(_SlowBot(tmp_path / "index"), [str(good), str(bad)], "127.0.0.1", indexing))
    during = [s for s in steps if "正在建立索引" in s[1]]
    assert during and "文件 1/2 · 正在建立索引 · 已用 " in during[0][1] and "总进度 0%" in during[0][1]
    assert "现在提问，答案只来自已经加入的文档" in during[0][2]
    final = steps[-1]
    assert "✓ 已加入《某县2023年政府工作报告》（a.txt）" in final[1] and "✗ b.pdf：不是 PDF 文件" in final[1]
    assert (
        final[2] == '<div class="rq-banner">已加入：《某县2023年政府工作报告》。现在提问会同时检索它。</div>'
    )
    assert indexing.chat_note() is None


def test_a_batch_goes_on_when_its_page_is_reloaded_or_closed(tmp_path: Path) -> None:
    # Found by a helper: F5 or a closed tab mid-batch dropped the files after the one being indexed,
    # and the chat's note (正在加入新报告…) stood for every later answer of every user.
    paths = [tmp_path / f"{n}.txt" for n in "abc"]
    for path in paths:
        path.write_text("某县2023年政府工作报告\n正文。", encoding="utf-8")
    bot, indexing = _SlowBot(tmp_path / "index"), Indexing()
    page = _add_files(bot, [str(p) for p in paths], "127.0.0.1", indexing)  # type: ignore[arg-type]
    next(page)  # the first progress line: then the page goes away
    page.close()
    deadline = time.monotonic() + 30
    while indexing.chat_note() is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert bot.added == 3 and indexing.chat_note() is None


def test_a_question_asked_while_indexing_says_so(hash_embedder, tmp_path: Path) -> None:
    from qa import ReportQA

    bot = ReportQA(index_dir=tmp_path / "index", embedder=hash_embedder)
    indexing = Indexing()
    indexing.begin("新报告.pdf", 1, 1)
    [_, reply] = _reply(bot, "财政收入多少？", [{"role": "user", "content": "财政收入多少？"}], [], [], [], 5,
                        indexing.chat_note())  # fmt: skip
    assert (
        "正在加入新文档（《新报告.pdf》，文件 1/1 · 正在建立索引 · 已用 0 秒 · 总进度 0%），"
        "这次的回答只来自已经加入的文档。" in reply["content"]
    )


def test_example_questions_and_welcome_fit_the_library(hash_embedder, tmp_path: Path) -> None:
    # Found by helpers: the bundled report's examples were offered on any library, where they were
    # refused or answered from another report, under 问问这份报告 for three reports (and no count: a
    # report added later left 这5份 for six); and a question over the limit pasted into the box was cut
    # short there without a word (now refused, saying so).
    from qa import ReportQA

    bundled = load_bundled()
    other = DocumentInfo("other", "2026年安徽省政府工作报告", "anhui.txt")
    assert example_questions([bundled.info]) == EXAMPLE_QUESTIONS
    assert example_questions([other]) == [] and example_questions([bundled.info, other]) == []
    assert "问问这份报告" in welcome([other]) and "问问这些报告" in welcome([bundled.info, other])
    bot = ReportQA(index_dir=tmp_path / "index", embedder=hash_embedder)
    long = "背景" * 1000 + "财政收入多少？"
    [_, reply] = _reply(bot, long, [{"role": "user", "content": long}], [], [], [], 5)
    assert "超过了 2000 字的上限" in reply["content"]
    # Typed into the box, it is refused at once and stays there to be shortened (it had been emptied).
    kept, history, pending = _take_question(long, [])
    assert kept == long and pending == "" and "超过了 2000 字的上限" in history[-1]["content"]


def test_mark_span_clamps_and_escapes() -> None:
    assert mark_span("a<b", (1, 99)) == "a<mark>&lt;b</mark>"
    assert mark_span("a<b", None) == "a&lt;b"
    assert mark_span("ab", (2, 1)) == "ab"
    assert mark_span("ab", (0, 1), "u") == "<u>a</u>b"


def test_make_filters_drops_empty_selections() -> None:
    assert make_filters([], [], []) is None
    assert make_filters(["d1"], ["2022"], None) == {"doc_id": ["d1"], "year": [2022]}


def test_a_confidence_is_shown_rounded_down() -> None:
    # 0.4974 next to 可能相关 read 把握 50%, the floor of an answer.
    from qa.apps.messages import shown_confidence
    from qa.apps.terminal import format_answer

    assert shown_confidence(0.4974) == 0.49 and shown_confidence(0.5) == 0.5 and shown_confidence(1.0) == 1.0
    near = _answer("uncertain", confidence=0.4974)
    assert "把握 49%" in format_answer(near) and "置信度 0.49" in render_answer(near)


def test_a_refused_part_in_the_terminal_leads_to_no_passages_of_its_own() -> None:
    # Found by a helper: 【山东省】 报告中没有：…最相近的段落： and nothing followed it.
    from qa.apps.terminal import format_answer

    refused = _answer("not_found", reason={"report": "山东省", "not_found_because": "没有山东的报告"})
    answered = _answer("answer", reason={"report": "湖南省"})
    text = format_answer(_answer("uncertain", parts=[answered, refused]))
    part_line = next(line for line in text.splitlines() if "【山东省】" in line)
    assert "没有山东的报告" in part_line and "最相近的段落" not in part_line


def test_a_series_answer_shows_no_search_score() -> None:
    # Found by a helper: a series answer's passages read 得分 0.0000 in the terminal.
    from qa.apps.terminal import format_answer

    series = _answer("answer", reason={"series": {"indicator": "地区生产总值"}})
    assert "得分" not in format_answer(series) and "检索得分" not in render_answer(series)
    assert "得分" in format_answer(_answer("answer")) and "检索得分" in render_answer(_answer("answer"))


def test_the_gradio_api_replies_as_http_does(hash_embedder, tmp_path: Path) -> None:
    # Found by a helper: gradio_client's /ask gave no why_not_found or notes, which /api/ask gives.
    from qa import ReportQA

    bot = ReportQA(index_dir=tmp_path / "index", embedder=hash_embedder)
    reply = api_answer(bot, "浙江今年GDP目标是多少？", 3)
    assert reply["why_not_found"] and reply["why_not_found"].startswith("没有浙江的报告") and "notes" in reply
    with pytest.raises(gr.Error):
        api_answer(bot, "财政收入", 0)


def test_the_header_counts_reports_or_documents() -> None:
    reports = [DocumentInfo(f"r{n}", f"{2020 + n}年政府工作报告", f"r{n}.txt") for n in range(2)]
    assert "当前共 2 份报告" in header_html(reports)
    guide = DocumentInfo("g", "青州市第二人民医院门诊就医指南", "g.txt")  # had been counted as a 报告
    assert "当前共 3 份文档" in header_html([*reports, guide]) and "当前文档：" in header_html([guide])
    assert "问问这份文档" in welcome([guide]) and "问问这些报告" in welcome(reports)
    # …and names the page after them (a library of guides had been headed 政府工作报告问答).
    assert "<h1>政府工作报告问答</h1>" in header_html(reports)
    assert "<h1>文档问答</h1>" in header_html([*reports, guide]) and page_title([guide]) == "文档问答"
