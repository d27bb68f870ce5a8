"""A quoted sentence that announces a list (…以下五个方面工作：) brings the headings it announces."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import ReportQA
from qa.ingest.loader import load_paths
from qa.ingest.structure import build_passages, parse_sections
from qa.pipeline.lists import announced_items
from qa.text.sentences import split_sentences

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "gov_reports"

REPORT = """某某县人民政府2024年政府工作报告

一、2023年工作回顾

全年完成地区生产总值321.5亿元，增长6.2%。

二、2024年主要工作安排

今年重点抓好以下三个方面工作：

（一）扩大有效投资

建设县消防救援站，改造老旧小区12个。

（二）办好民生实事

新建幼儿园3所，新增学位1200个。

（三）守牢安全底线

开展安全生产专项整治。

三、加强政府自身建设

我们要做到以下几点：坚持依法行政，接受人大监督。
"""


def _top_passage(folder: Path, sentence: str):
    """The document text, the passage holding ``sentence`` and the sentence's offsets in the text."""
    path = folder / "county.txt"
    path.write_text(REPORT, encoding="utf-8")
    [doc] = load_paths([path])
    start = doc.text.index(sentence)
    passage = next(p for p in build_passages(doc) if p.start <= start < p.end)
    return doc.text, passage, start, start + len(sentence)


def test_a_colon_sentence_before_its_sections_subsections_announces_them(tmp_path: Path) -> None:
    text, top, start, end = _top_passage(tmp_path, "今年重点抓好以下三个方面工作：")
    items = announced_items(text, start, end, top)
    assert [i.text for i in items] == ["（一）扩大有效投资", "（二）办好民生实事", "（三）守牢安全底线"]
    for item in items:
        assert text[item.start : item.end] == item.text  # every item cites the document
        assert item.doc_id == top.doc_id and item.section[0].startswith("二、")


def test_a_colon_inside_running_text_announces_nothing(tmp_path: Path) -> None:
    text, top, start, end = _top_passage(tmp_path, "我们要做到以下几点：")
    assert announced_items(text, start, end, top) == []


def test_a_sentence_without_a_colon_announces_nothing(tmp_path: Path) -> None:
    text, top, start, end = _top_passage(tmp_path, "全年完成地区生产总值321.5亿元，增长6.2%。")
    assert announced_items(text, start, end, top) == []


def test_the_answer_carries_the_items_in_every_form(tmp_path: Path, hash_embedder) -> None:
    path = tmp_path / "county.txt"
    path.write_text(REPORT, encoding="utf-8")
    bot = ReportQA.from_paths([path], index_dir=tmp_path / "ix", embedder=hash_embedder)
    answer = bot.ask("今年重点抓好以下三个方面工作")
    assert answer.found and answer.answer == "今年重点抓好以下三个方面工作："
    assert len(answer.items) == 3 and answer.items[0].text == "（一）扩大有效投资"
    assert answer.to_dict()["items"][2]["text"] == "（三）守牢安全底线"
    assert bot.ask("新增学位多少个").items == []


@pytest.mark.skipif(not REPORTS.is_dir(), reason="the shared gov_reports dataset is not here")
def test_items_on_the_real_reports_are_headings_that_follow_the_sentence() -> None:
    """Over every colon sentence of the 88 reports: items cite heading lines right after it."""
    announcing = 0
    for doc in load_paths(sorted(REPORTS.glob("*.txt"))):
        starts = {s.start for s in parse_sections(doc.text)}
        for passage in build_passages(doc):
            for s, e in split_sentences(passage.text):
                items = announced_items(doc.text, passage.start + s, passage.start + e, passage)
                if not items:
                    continue
                announcing += 1
                assert not doc.text[passage.start + e : items[0].start].strip()
                for item in items:
                    assert item.start in starts and doc.text[item.start : item.end] == item.text
                    assert "\n" not in item.text and item.text.strip() == item.text
    assert announcing >= 20  # reports announce their task areas this way (57 sentences when written)


def test_every_surface_shows_the_items(tmp_path: Path) -> None:
    """The page lists them under the quote (Chinese, with offsets), copy takes them, the CLI prints
    one line each and the HTTP model carries them."""
    from qa.apps.models import AnswerModel
    from qa.apps.terminal import format_answer
    from qa.apps.ui.answers import copy_text, render_answer
    from qa.schema import Answer

    text, top, start, end = _top_passage(tmp_path, "今年重点抓好以下三个方面工作：")
    items = announced_items(text, start, end, top)
    quoted = top.with_(highlight=(start - top.start, end - top.start))
    answer = Answer("今年干什么？", True, text[start:end], [quoted], {}, 0.9, "answer", items=items)
    page = render_answer(answer)
    assert "包括：" in page and page.index("（一）扩大有效投资") < page.index("rq-source")
    assert f"第 {items[2].start}–{items[2].end} 字" in page
    assert "（二）办好民生实事" in copy_text(answer)
    assert f"  · （三）守牢安全底线 (字符 {items[2].start}–{items[2].end})" in format_answer(answer)
    assert AnswerModel.model_validate(answer.to_dict()).items[1].text == "（二）办好民生实事"
    # One part of a two-part question announcing a list: its items follow that part's line.
    both = Answer("去年怎样？今年干什么？", True, answer.answer, [quoted], {}, 0.9, "answer", [answer])
    assert "  · （一）扩大有效投资" in format_answer(both).split("【今年干什么？】")[1]
    assert "（一）扩大有效投资" in render_answer(both)
