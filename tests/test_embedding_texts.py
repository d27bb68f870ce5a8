"""The text a sentence is embedded as: a document's lead paragraph after its subject
(qa.ingest.structure.document_lead, embedding_texts)."""

from __future__ import annotations

from qa.ingest.lead import Lead, document_lead, embedding_texts
from qa.ingest.loader import load_bundled
from qa.ingest.structure import build_passages, split_sentences
from tests.conftest import make_doc, passage_with


def test_a_documents_lead_is_its_first_paragraph_and_its_subject_the_first_clause():
    text = "黄鞍鹦嘴鱼，又名姬鹦哥鱼，为辐鳍鱼纲的一种。牠们主要聚居于珊瑚礁。\n第二段。"
    lead = document_lead(make_doc("\n" + text))
    assert lead.subject == "黄鞍鹦嘴鱼"
    assert lead.end == 1 + text.index("\n")
    assert len(document_lead(make_doc("很" * 100)).subject) == 20  # a subject, never a whole paragraph


def test_after_a_title_line_the_lead_is_the_next_paragraph():
    text = "# 黄鞍鹦嘴鱼\n\n牠们主要聚居于珊瑚礁。又名姬鹦哥鱼。\n第二段。"
    lead = document_lead(make_doc(text))
    assert lead.subject == "黄鞍鹦嘴鱼"  # the title, without its markdown mark
    assert lead.end == text.index("\n第二段")


def test_the_lead_after_a_title_passes_over_the_byline():
    byline = "作者：阿禾的灶台　　发布日期：2024年10月12日"
    text = f"# 梅干菜烧肉家常做法\n\n{byline}\n\n梅干菜烧肉是传统家常菜。\n第二段。"
    assert document_lead(make_doc(text)).end == text.index("\n第二段")


def test_an_address_or_a_sentence_is_no_title():
    for first in ("各位代表：", "黄鞍鹦嘴鱼是一种鱼。"):
        text = f"{first}\n牠们主要聚居于珊瑚礁。\n第二段。"
        assert document_lead(make_doc(text)).end == len(first)


def test_a_reports_lead_is_its_title_and_the_line_after_it():
    report = load_bundled()  # the real file, through the loader
    lead = document_lead(report)
    title, after = report.text[: lead.end].strip().split("\n", 1)
    assert title == report.title and lead.subject == report.title
    assert "\n" not in after.strip()  # one line (the date of the session), not the report's body


def test_sentences_of_the_lead_are_embedded_after_the_documents_subject():
    text = "黄鞍鹦嘴鱼，又名姬鹦哥鱼。牠们主要聚居于珊瑚礁。"
    [passage] = build_passages(make_doc(text))
    spans = split_sentences(passage.text)
    texts = embedding_texts(passage, spans, document_lead(make_doc(text)))
    # The first sentence names the subject already; the second leaves it out and gets it.
    assert texts == ["黄鞍鹦嘴鱼，又名姬鹦哥鱼。", "黄鞍鹦嘴鱼：牠们主要聚居于珊瑚礁。"]


def test_sentences_are_embedded_in_the_form_questions_are():
    # A 繁體 report's sentence reads like the simplified question asking of it.
    text = "一、工作回顧\n全年完成財政總收入1.6億元。"
    passage = passage_with(build_passages(make_doc(text)), "財政")
    spans = split_sentences(passage.text)
    texts = embedding_texts(passage, spans, Lead("某鎮", len(text)))
    assert "全年完成财政总收入1.6亿元。" in texts and not any("財" in t for t in texts)


def test_sentences_past_the_lead_paragraph_are_embedded_alone():
    text = "政府工作报告\n——2023年1月16日在第三次会议上\n全年完成财政总收入1.6亿元。新建消防站一座。"
    doc = make_doc(text)
    [passage] = build_passages(doc)
    assert not passage.section
    spans = split_sentences(passage.text)
    past = [passage.text[s:e] for s, e in spans if passage.start + s >= text.index("全年")]
    texts = embedding_texts(passage, spans, document_lead(doc))
    assert "政府工作报告：——2023年1月16日在第三次会议上" in texts  # the lead: the line after the title
    assert len(past) == 2 and all(t in texts for t in past)


def test_sentences_under_a_heading_are_embedded_alone():
    text = "一、2022年工作回顾\n全年完成财政总收入1.6亿元。新建消防站一座。"
    passage = passage_with(build_passages(make_doc(text)), "新建消防站")
    assert passage.section
    spans = split_sentences(passage.text)
    assert embedding_texts(passage, spans, Lead("紫帽镇", len(text))) == [passage.text[s:e] for s, e in spans]
