"""The chat page in a real browser (Debian's headless Chromium via Playwright), as a resident uses it,
at laptop (1366 px) and phone (390 px) width, on the bundled report with the real model.

Checked here: the three outcomes in words (答案 / 可能相关 / 报告中没有, a refusal never highlighted as an
answer, its reason in Chinese), scores only behind 评分细节, the copy button, ``/?q=``, new questions vs
follow-ups, two-part questions, the headings a quoted sentence announces, uploads with progress and
the chat's note, document text shown as text, no English in the interface, nothing loaded from
outside. Library-wide views (comparisons, series, a page opened after an upload) are in
tests/test_ui_browser_library.py. Skipped only when /usr/bin/chromium is absent. Screenshots go to
``tmp_path``.
"""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path
from urllib.parse import quote

import pytest

from qa import ReportQA
from tests.browser import (
    CHROMIUM,
    LAPTOP,
    NO_CHROMIUM,
    PHONE,
    REPLY_TIMEOUT_MS,
    VIEWPORTS,
    ask,
    english_words,
    no_sideways_scroll,
    placeholder_fits,
)
from tests.conftest import bundled_index

TITLE = "紫帽镇人民政府2022年工作报告"
FAKE_TITLE = "某某县2023年政府工作报告"
FAKE_REPORT = f"""{FAKE_TITLE}

一、2023年工作回顾

过去一年，全县粮食总产量达到98.76万吨，比上年增长3.2%。全县新建农村公路215公里。
县里修订了《村规民约》，备注：<b>粗体</b>与<script>window.__xss = 1</script>均应按原文显示。

二、2024年工作安排

2024年，全县计划新建标准化菜市场4个，改造老旧小区31个。
"""
__all__ = ["CHROMIUM", "FAKE_REPORT", "FAKE_TITLE", "NO_CHROMIUM", "REPLY_TIMEOUT_MS", "ask"]


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> ReportQA:
    if not CHROMIUM.exists():  # no browser: do not spend ~20 s loading the model for nothing
        pytest.skip(NO_CHROMIUM)
    # A copy of the shared index: this module uploads documents, which must not leak elsewhere.
    index = tmp_path_factory.mktemp("browser") / "index"
    shutil.copytree(bundled_index(tmp_path_factory, real_embedder), index)
    return ReportQA(index_dir=index, embedder=real_embedder)


def last_reply(page):
    return page.locator(".rq-reply").last


@pytest.mark.parametrize("size", VIEWPORTS)
def test_an_answer_in_words_with_its_citation_and_copy(open_page, size: str, tmp_path: Path) -> None:
    page = open_page(VIEWPORTS[size])
    assert page.get_by_text("2022年财政总收入是多少？").first.is_visible()  # example questions
    reply = ask(page, "2022年财政总收入是多少？")
    assert "答案（原文摘录）" in reply and "1.6亿元" in reply
    assert last_reply(page).locator(".rq-quote mark").count() == 1
    assert TITLE in last_reply(page).locator(".rq-card .rq-doc").first.inner_text()
    # Scores read like odds to a resident: only behind the 评分细节 toggle.
    numbers = last_reply(page).locator(".rq-numbers")
    assert not numbers.is_visible() and "得分" not in last_reply(page).inner_text()
    last_reply(page).locator(".rq-details summary").click()
    assert "置信度" in numbers.inner_text() and "检索得分" in numbers.inner_text()
    # The copy button copies the answer with 《报告》 › 章节, 第 X–Y 字.
    last_reply(page).locator(".rq-copy").click()
    page.get_by_text("已复制").wait_for(timeout=10_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("全年预计完成财政总收入1.6亿元"), copied
    assert f"——《{TITLE}》 › 一、2022年工作回顾" in copied and "第 " in copied and " 字" in copied
    # Context on demand; nothing sideways on a phone; the whole placeholder fits in the box.
    last_reply(page).locator(".rq-card summary").first.click()
    assert last_reply(page).locator(".rq-context").first.is_visible()
    assert no_sideways_scroll(page)
    assert placeholder_fits(page, "#rq-question textarea")
    page.screenshot(path=str(tmp_path / f"chat-{size}.png"))
    assert page.outside == []


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_refusal_is_never_styled_as_an_answer(open_page, size: str) -> None:
    page = open_page(VIEWPORTS[size])
    reply = ask(page, "镇里有多少家医院？")
    assert "报告中没有" in reply and "答案（原文摘录）" not in reply
    assert "报告里没有哪一句话能可靠地回答这个问题" in reply  # the reason, in Chinese
    assert "最相近的段落（仅供参考，不是答案）" in reply
    assert last_reply(page).locator("mark, u").count() == 0  # the nearest sentence is not highlighted
    assert last_reply(page).locator(".rq-copy").count() == 0
    # A year the report does not cover: the rule's reason in Chinese.
    reply = ask(page, "2019年财政总收入是多少？")
    assert "报告中没有" in reply and "报告涵盖" in reply and "不含2019年" in reply, reply


def test_new_question_is_answered_as_if_asked_alone_and_follow_ups_work(open_page, bot: ReportQA) -> None:
    page = open_page(LAPTOP)
    ask(page, "去年财政收入多少？")
    ask(page, "今年要建消防站吗？")
    alone = bot.ask("今年要建消防站吗？")
    assert alone.answer and alone.answer in last_reply(page).locator(".rq-quote, .rq-none").first.inner_text()
    assert "消防" in last_reply(page).locator(".rq-quote").inner_text()
    ask(page, "规上工业产值去年增长多少？")
    ask(page, "那今年的目标呢？")
    assert "规上工业产值增长7.6%" in last_reply(page).locator(".rq-quote").inner_text()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_two_part_question_shows_both_answers(open_page, size: str) -> None:
    page = open_page(VIEWPORTS[size])
    ask(page, "去年规上工业产值多少？今年增长目标是多少？")
    parts = last_reply(page).locator(".rq-part")
    assert parts.count() == 2
    assert "26.62亿元" in parts.nth(0).inner_text()
    assert "7.6%" in parts.nth(1).inner_text()
    assert "今年增长目标是多少" in parts.nth(1).locator(".rq-part-label").inner_text()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_sentence_announcing_a_list_shows_its_items(open_page, size: str, bot: ReportQA) -> None:
    question = "今年的工作重点是什么？"
    items = bot.ask(question).items
    assert len(items) >= 2  # the report announces its five task areas: （一）…（五）
    page = open_page(VIEWPORTS[size])
    reply = ask(page, question)
    shown = last_reply(page).locator(".rq-items li")
    assert "包括：" in reply and shown.count() == len(items)
    assert items[0].text in shown.first.inner_text()
    assert f"第 {items[-1].start}–{items[-1].end} 字" in shown.last.inner_text()
    assert no_sideways_scroll(page)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_shared_link_asks_its_question_on_load(open_page, size: str) -> None:
    page = open_page(VIEWPORTS[size], "/?q=" + quote("2022年财政总收入是多少？"))
    page.locator(".rq-reply").first.wait_for(timeout=REPLY_TIMEOUT_MS)
    assert "1.6亿元" in page.locator(".rq-reply").first.inner_text()
    assert "2022年财政总收入是多少？" in page.locator("#rq-chat .user-row").first.inner_text()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_no_english_in_the_interface(open_page, size: str, tmp_path: Path) -> None:
    page = open_page(VIEWPORTS[size])
    ask(page, "2022年财政总收入是多少？")
    last_reply(page).locator(".rq-details summary").click()
    assert english_words(page) == [], "chat"
    for tab, ready, text in (("文档", "#rq-documents", TITLE), ("关键数据", "#rq-facts-table", "财政总收入")):
        page.get_by_role("tab", name=tab).click()
        page.locator(ready).get_by_text(text).first.wait_for()
        assert english_words(page) == [], tab
        page.screenshot(path=str(tmp_path / f"{tab}-{size}.png"), full_page=True)
    assert no_sideways_scroll(page)
    # On a phone the key figures' table scrolls inside its box rather than breaking every word; no
    # Gradio footer (its settings and API panels are in English: found by a helper).
    table = page.evaluate("document.querySelector('#rq-facts-table table').getBoundingClientRect().width")
    assert table >= 700 or size == "laptop"
    columns = page.evaluate(
        """() => [document.querySelectorAll('#rq-facts-table thead th'),
                  document.querySelector('#rq-facts-table .virtual-row').children]
                 .map((cells) => [...cells].map((c) => Math.round(c.getBoundingClientRect().width)))"""
    )
    # The header over its columns (on a phone they had come apart); a border may add a pixel.
    assert len(columns[0]) == len(columns[1]) and all(abs(a - b) <= 2 for a, b in zip(*columns, strict=True))
    assert page.evaluate("[...document.querySelectorAll('footer a, footer button')].length") == 0


@pytest.mark.parametrize("locale", ["en-US", "fr-FR"])
def test_the_interface_is_chinese_whatever_the_browser_language(open_page, locale: str) -> None:
    # Gradio words its own controls (upload box, footer) in the browser's language unless told.
    page = open_page(LAPTOP, locale=locale)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    # What a link preview shows: the page's own title and a Chinese description, none of Gradio's.
    previews = page.evaluate(
        '[...document.querySelectorAll(\'meta[property^="og:"], meta[name^="twitter:"]\')]'
        ".map((m) => m.content).filter((c) => c && !/^(website|summary_large_image)$/.test(c))"
    )
    assert "政府工作报告问答" in previews and not [c for c in previews if re.search(r"[A-Za-z]{3}", c)]
    ask(page, "2022年财政总收入是多少？")
    assert english_words(page) == [], "chat"
    page.get_by_role("tab", name="文档").click()
    page.locator("#rq-documents").get_by_text(TITLE).first.wait_for()
    assert english_words(page) == [], "documents"


def test_blank_question_is_ignored(open_page) -> None:
    page = open_page(LAPTOP)
    box = page.locator("#rq-question textarea")
    box.fill("   ")
    box.press("Enter")
    page.wait_for_timeout(1000)
    assert page.locator("#rq-chat .message").count() == 0


def test_the_box_is_locked_while_a_question_is_answered(open_page) -> None:
    # Found by a helper: a question sent while another was being answered replaced it in the chat, or
    # was left without an answer.
    page = open_page(LAPTOP)
    locked = "() => document.querySelector('#rq-question textarea').disabled"
    box = page.locator("#rq-question textarea")
    box.fill("今年要建消防站吗？")
    box.press("Enter")
    page.wait_for_function(locked, timeout=REPLY_TIMEOUT_MS)  # while the answer is looked for
    page.wait_for_function(f"() => !({locked})()", timeout=REPLY_TIMEOUT_MS)  # open again after it
    assert page.locator(".rq-reply").count() == 1 and page.locator(".rq-pending").count() == 0
    assert "今年要建消防站吗" in page.locator("#rq-chat").inner_text()
    # And the focus is back in the box for the next question (a helper needed 17 Tab presses).
    page.wait_for_function(
        "() => document.activeElement === document.querySelector('#rq-question textarea')",
        timeout=REPLY_TIMEOUT_MS,
    )


def test_upload_shows_progress_and_the_chat_says_what_is_searched(
    open_page, bot: ReportQA, tmp_path: Path
) -> None:
    report = tmp_path / f"{FAKE_TITLE}.txt"
    report.write_text(FAKE_REPORT, encoding="utf-8")
    broken = tmp_path / "损坏.pdf"
    broken.write_bytes(b"not a pdf at all")
    picture = tmp_path / "图片.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    page = open_page(LAPTOP)
    # Indexing is held up until the chat has been asked meanwhile: the note must not depend on timing.
    release, original = threading.Event(), bot.add_documents

    def held(*args, **kwargs):
        release.wait(REPLY_TIMEOUT_MS / 1000)
        return original(*args, **kwargs)

    bot.add_documents = held  # type: ignore[method-assign]
    try:
        page.get_by_role("tab", name="文档").click()
        page.locator("#rq-upload input[type=file]").set_input_files([str(report), str(broken), str(picture)])
        status = page.locator("#rq-upload-status")
        status.get_by_text("文件 1/3 · 正在建立索引").wait_for(timeout=REPLY_TIMEOUT_MS)
        page.get_by_role("tab", name="问答").click()
        note = page.locator("#rq-chat-note")
        assert "现在提问，答案只来自已经加入的文档" in note.inner_text()
        other = open_page(PHONE)  # another visitor asks meanwhile
        reply = ask(other, "某某县粮食总产量是多少？")
        assert "正在加入新文档" in reply and "只来自已经加入的文档" in reply
    finally:
        release.set()
        bot.add_documents = original  # type: ignore[method-assign]
    note.get_by_text("已加入：").wait_for(timeout=REPLY_TIMEOUT_MS)
    assert FAKE_TITLE in note.inner_text()
    page.get_by_role("tab", name="文档").click()
    text = status.inner_text()
    assert f"✓ 已加入《{FAKE_TITLE}》" in text
    assert "✗ 损坏.pdf：不是 PDF 文件" in text  # the refusal in Chinese, naming the file
    assert "✗ 图片.png：不支持这种文件类型" in text  # Gradio's own check said so in English
    # The one Latin word left is the user's own file name's (图片.png).
    assert "/tmp" not in text and english_words(page) == ["png"]
    assert FAKE_TITLE in page.locator("#rq-documents").inner_text()
    page.screenshot(path=str(tmp_path / "documents.png"))

    page.get_by_role("tab", name="问答").click()
    reply = ask(page, "某某县粮食总产量是多少？")
    assert "98.76万吨" in reply and FAKE_TITLE in reply and "正在加入" not in reply
    # Document text is shown as text: the tags appear literally and nothing ran.
    assert "<b>粗体</b>" in reply or "<script>" in reply
    assert page.evaluate("window.__xss") is None
    assert page.locator(".rq-reply script, .rq-reply b").count() == 0
    assert page.dialogs == [] and page.outside == []


def test_gradios_notice_of_a_file_over_the_limit_is_in_chinese(open_page) -> None:
    # Found by a helper: an upload over 50 MB was refused by Gradio's own script in English.
    page = open_page(LAPTOP)
    refused = 'File(s) exceed the maximum allowed size of 50.0 Mb: "huge.txt"'
    page.evaluate(
        """(refused) => { const box = document.createElement('div'); box.className = 'toast-body';
        box.innerHTML = '<div>Error</div><div></div>'; box.lastChild.textContent = refused;
        document.body.appendChild(box); }""",
        refused,
    )
    page.wait_for_function("() => document.querySelector('.toast-body').innerText.includes('上传上限')")
    text = page.locator(".toast-body").inner_text()
    assert "错误" in text and "文件超过 50.0 MB 的上传上限" in text and "exceed" not in text
