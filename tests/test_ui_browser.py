"""The chat page in a real browser (Debian's headless Chromium via Playwright), as a person uses it.

Asks about the bundled report, uploads a small made-up report and asks about that, checks that
document text is shown as text (never run as HTML) and that the page loads nothing from outside
this machine. Saves screenshots to docs/screenshots/. Skipped only when /usr/bin/chromium is absent
(``apt-get install chromium``; Playwright's own browser download is not used).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa import Answer, Passage, ReportQA
from qa.apps.server import running
from qa.apps.ui.app import make_filters
from qa.apps.ui.render import NOT_FOUND, mark_span, render_answer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
TITLE = "紫帽镇人民政府2022年工作报告"
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
REPLY_TIMEOUT_MS = 90_000

FAKE_TITLE = "某某县2023年政府工作报告"
FAKE_REPORT = f"""{FAKE_TITLE}

一、2023年工作回顾

过去一年，全县粮食总产量达到98.76万吨，比上年增长3.2%。全县新建农村公路215公里。
县里修订了《村规民约》，备注：<b>粗体</b>与<script>window.__xss = 1</script>均应按原文显示。

二、2024年工作安排

2024年，全县计划新建标准化菜市场4个，改造老旧小区31个。
"""

NO_CHROMIUM = "needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"


def bundled_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """The bundled report's index, built once per session and shared (see tests/test_server.py)."""
    path = tmp_path_factory.getbasetemp() / "bundled-index"
    if not path.exists():
        ReportQA(index_dir=path, embedder=embedder)
    return path


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Iterator[str]:
    if not CHROMIUM.exists():  # no browser: do not spend ~20 s loading the model for nothing
        pytest.skip(NO_CHROMIUM)
    # A copy of the shared index: this module uploads a document, which must not leak elsewhere.
    index = tmp_path_factory.mktemp("browser") / "index"
    shutil.copytree(bundled_index(tmp_path_factory, real_embedder), index)
    bot = ReportQA(index_dir=index, embedder=real_embedder)
    with running(bot, host="127.0.0.1") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page_factory(server_url: str, browser):
    """Opens the app in a fresh page; records requests that leave the machine and any JS dialog."""
    opened = []

    def open_page(viewport: dict[str, int]):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        page.outside = []  # type: ignore[attr-defined]
        page.dialogs = []  # type: ignore[attr-defined]

        def guard(route) -> None:
            url = route.request.url
            if url.startswith((server_url, "data:", "blob:")):
                route.continue_()
            else:  # the app must work offline: anything else is recorded and refused
                page.outside.append(url)
                route.abort()

        page.route("**/*", guard)
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server_url + "/")
        page.wait_for_selector("#rq-question textarea")
        opened.append(context)
        return page

    yield open_page
    for context in opened:
        context.close()


def ask(page, question: str) -> str:
    """Type a question, press Enter, and return the text of the reply that answers it."""
    replies = page.locator(".rq-reply")
    before = replies.count()
    box = page.locator("#rq-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.rq-reply').length > n", arg=before, timeout=REPLY_TIMEOUT_MS
    )
    assert box.input_value() == ""  # the question moved into the chat
    # text_content, not inner_text: it includes the folded "另外 N 个相关段落" cards.
    return replies.nth(before).text_content() or ""


def test_ask_on_a_laptop(page_factory) -> None:
    page = page_factory(LAPTOP)
    # First-time visitors see example questions.
    assert page.get_by_text("2022年财政总收入是多少？").first.is_visible()
    reply = ask(page, "2022年财政总收入是多少？")
    assert "1.6亿元" in reply
    cards = page.locator(".rq-reply").last.locator(".rq-card .rq-doc")
    assert cards.first.inner_text() == TITLE
    assert page.locator(".rq-reply").last.locator("mark").count() >= 1
    # Surrounding context opens on demand.
    summary = page.locator(".rq-reply").last.locator(".rq-card summary").first
    summary.click()
    assert page.locator(".rq-reply").last.locator(".rq-context").first.is_visible()
    summary.click()
    page.wait_for_timeout(500)  # the chat scrolls to the start of the reply just after it arrives
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "chat.png"))
    assert page.outside == []


def test_ask_at_phone_width(page_factory) -> None:
    page = page_factory(PHONE)
    reply = ask(page, "今年要建消防站吗？")
    assert "消防" in reply
    # Nothing may stick out sideways at phone width.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "chat-mobile.png"))
    assert page.outside == []


def test_follow_up_question_uses_the_conversation(page_factory) -> None:
    page = page_factory(LAPTOP)
    first = ask(page, "规上工业产值去年增长多少？")
    assert "26.62亿元" in first
    follow = ask(page, "那今年的目标呢？")
    answer = page.locator(".rq-reply").last.locator("mark").first.inner_text()
    assert "规上工业产值增长7.6%" in answer, follow


def test_blank_question_is_ignored(page_factory) -> None:
    page = page_factory(LAPTOP)
    box = page.locator("#rq-question textarea")
    box.fill("   ")
    box.press("Enter")
    page.wait_for_timeout(1000)
    assert page.locator("#rq-chat .message").count() == 0


def test_key_figures_tab(page_factory) -> None:
    page = page_factory(LAPTOP)
    page.get_by_role("tab", name="关键数据").click()
    table = page.locator("#rq-facts-table")
    table.get_by_text("财政总收入").first.wait_for(timeout=REPLY_TIMEOUT_MS)
    assert "比增8.8%" in table.inner_text()
    # Selecting a row shows its source sentence with the figure marked.
    table.get_by_text("财政总收入").first.click()
    source = page.locator("#rq-facts-source")
    source.locator("mark").get_by_text("1.6亿元").wait_for(timeout=10_000)
    assert "全年预计完成财政总收入1.6亿元" in source.inner_text()
    assert "一、2022年工作回顾" in source.inner_text()
    # Only plan figures: the 2023 targets.
    page.locator("#rq-facts-period").get_by_text("计划").click()
    table.get_by_text("全社会固定资产投资").first.wait_for(timeout=10_000)
    assert "财政总收入" not in table.inner_text()
    page.locator("#rq-facts-period").get_by_text("全部").click()
    table.get_by_text("财政总收入").first.wait_for(timeout=10_000)
    table.get_by_text("财政总收入").first.click()
    source.locator("mark").get_by_text("1.6亿元").wait_for(timeout=10_000)
    # Sorted by growth rate (the header's ⋮ menu), a clicked row still shows its own sentence.
    table.locator("[data-testid=header-4]").hover()
    table.locator("[data-testid=header-4] button.cell-menu-button").click()
    page.get_by_text("降序排序").first.click()
    table.get_by_text("工业投资", exact=True).first.click()
    source.locator("mark").get_by_text("1.49亿元").wait_for(timeout=10_000)
    assert "比增142.42%" in source.inner_text()
    chart = page.locator("#rq-facts-chart")
    chart.locator("svg, canvas").first.wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "facts.png"), full_page=True)
    assert page.outside == []


def test_upload_a_report_and_ask_about_it(page_factory, tmp_path: Path) -> None:
    report = tmp_path / f"{FAKE_TITLE}.txt"
    report.write_text(FAKE_REPORT, encoding="utf-8")
    empty = tmp_path / "空白报告.txt"
    empty.write_text("", encoding="utf-8")
    page = page_factory(LAPTOP)
    page.get_by_role("tab", name="文档").click()
    page.locator("#rq-upload input[type=file]").set_input_files([str(report), str(empty)])
    status = page.locator("#rq-upload-status")
    status.get_by_text("已加入").wait_for(timeout=REPLY_TIMEOUT_MS)
    # One bad file is reported by name, and does not keep the good one out.
    assert FAKE_TITLE in status.inner_text()
    assert "✗ 空白报告.txt" in status.inner_text()
    assert status.inner_text().count("空白报告.txt") == 1
    assert "/tmp" not in status.inner_text()  # no temporary upload paths in messages
    assert FAKE_TITLE in page.locator("#rq-documents").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "documents.png"))

    page.get_by_role("tab", name="问答").click()
    reply = ask(page, "某某县粮食总产量是多少？")
    assert "98.76万吨" in reply
    assert FAKE_TITLE in reply
    # Document text is shown as text: the tags appear literally and nothing ran.
    assert "<b>粗体</b>" in reply or "<script>" in reply
    assert page.evaluate("window.__xss") is None
    assert page.locator(".rq-reply script, .rq-reply b").count() == 0
    assert page.dialogs == []
    assert page.outside == []


# ---------------------------------------------------------------- rendering, without a browser


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


def test_render_answer_escapes_and_marks() -> None:
    text = "前文<script>x</script>。财政收入1.6亿元。\n\n后文"
    span = (text.index("财政"), text.index("后文") - 2)
    answer = Answer("q", True, text[span[0] : span[1]], [_passage(text, span)], {})
    html = render_answer(answer, context=lambda p: "上文" + p.text + "下文<img src=x>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img src=x&gt;" in html
    assert "<i>" not in html and "<b>" not in html
    assert "<mark>财政收入1.6亿元。</mark>" in html
    assert "一、回顾 › (一)&lt;b&gt;经济&lt;/b&gt;" in html
    assert "回顾" in html and "0.0321" in html
    assert "<details>" in html and "上文" in html
    assert "\n" not in html  # one line of HTML, so the chat's Markdown cannot take over


def test_render_not_found_shows_nearest_passages() -> None:
    answer = Answer("q", False, None, [_passage("甲"), _passage("乙", passage_id="d1:0002")], {})
    html = render_answer(answer)
    assert NOT_FOUND in html
    assert "最相近的段落" in html and "另外 1 个相关段落" in html
    assert "<mark>" not in html


def test_render_not_found_without_passages() -> None:
    html = render_answer(Answer("q", False, None, [], {}))
    assert NOT_FOUND in html and "rq-card" not in html


def test_mark_span_clamps_and_escapes() -> None:
    assert mark_span("a<b", (1, 99)) == "a<mark>&lt;b</mark>"
    assert mark_span("a<b", None) == "a&lt;b"
    assert mark_span("ab", (2, 1)) == "ab"


def test_make_filters_drops_empty_selections() -> None:
    assert make_filters([], [], []) is None
    assert make_filters(["d1"], ["2022"], None) == {"doc_id": ["d1"], "year": [2022]}
