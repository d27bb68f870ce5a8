"""The English glossary that gives English questions a lexical query (no model needed)."""

from __future__ import annotations

import re

from qa.pipeline.glossary import GLOSSARY_PATH, report_terms, without_phrases
from qa.pipeline.query import analyze


def test_phrases_map_to_report_terms_and_win_over_their_words():
    terms = report_terms("what was the town's total fiscal revenue in 2022?")
    assert "财政收入" in terms and "一般公共预算收入" in terms
    assert "收入" not in terms  # "revenue" alone is not looked up again inside "fiscal revenue"


def test_starred_terms_match_longer_words_plain_terms_only_whole_words():
    assert "出口" in report_terms("exports grew")  # export*
    assert report_terms("a rates table") == []  # "rate" is not starred: "rates" is another word
    assert report_terms("gdp") == report_terms("GDP".lower())
    # Found by a helper: English questions on 5G base stations, academicians and key labs had no
    # lexical query at all.
    assert {"5G", "基站", "院士", "重点实验室"} <= set(
        report_terms("5g base stations, academicians, key laboratories")
    )


def test_every_glossary_row_has_an_english_term_and_chinese_terms():
    rows = [
        line for line in GLOSSARY_PATH.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"
    ]
    assert len(rows) >= 80
    for row in rows:
        english, chinese = row.split("\t")
        assert english == english.lower() and english.strip() == english, row
        terms = chinese.split()
        # Chinese terms, and the Latin ones reports print as they are (5G, PM2.5) beside a Chinese one.
        assert any(all("\u4e00" <= c <= "\u9fff" for c in t) for t in terms), row
        assert all(
            all("\u4e00" <= c <= "\u9fff" for c in t) or re.fullmatch(r"[A-Z0-9.]+", t) for t in terms
        ), row


def test_english_questions_get_a_lexical_query_chinese_ones_are_unchanged():
    english = analyze("What is the 2023 target for fixed-asset investment growth?")
    assert english.uses_lexical and "固定资产投资" in english.translated
    assert "固定资产投资" in english.lexical_text
    chinese = analyze("2023年固定资产投资增长多少？")
    assert chinese.translated == () and chinese.uses_lexical
    assert not analyze("What colour is a quokka?").uses_lexical  # nothing in the glossary: dense search only


def test_english_words_inside_a_chinese_question_are_looked_up() -> None:
    mixed = analyze("今年GDP增长目标定在多少？")
    assert "国内生产总值" in mixed.translated and "国内生产总值" in mixed.lexical_text
    assert analyze("今年5G基站建多少？").translated == ()  # no glossary word


def test_phrases_of_given_report_terms_are_blanked_in_any_case() -> None:
    text = without_phrases("What is Guangdong's GDP target?", {"广东"})
    assert "Guangdong" not in text and "GDP target" in text
    assert without_phrases("What is Guangdong's GDP target?", {"江苏"}) == "What is Guangdong's GDP target?"
