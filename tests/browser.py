"""What the browser tests share: Debian's Chromium through Playwright, a page opener that refuses
anything from outside this machine, asking a question as a person does, and the English-word check.

Screenshots go to the test's ``tmp_path`` only: tests leave the work tree as they found it
(``python docs/screenshots.py`` refreshes docs/screenshots/ on purpose).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = "needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"laptop": LAPTOP, "phone": PHONE}
# Two shared cores may be busy with other work: waits are generous, never fixed sleeps for results.
REPLY_TIMEOUT_MS = 120_000
# Latin words a Chinese page may show: file types, abbreviations residents know, the ID of a report.
ALLOWED_LATIN = {"PDF", "GDP", "CPI", "API", "ID", "OCR", "txt", "md", "html", "pdf", "docx"}
# Text that is content, not interface: document text and what the user typed.
CONTENT = (
    ".rq-text, .rq-context, .rq-quote, .rq-fact-sentence, .rq-doc-id, .rq-file, .user-row, .rq-copy-source"
)

_ENGLISH_WORDS = """(content) => {
  const words = [];
  const visible = (el) => el && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!visible(el) || el.closest('script, style, noscript') || el.closest(content)) continue;
    words.push(...(walker.currentNode.textContent.match(/[A-Za-z]{2,}/g) || []));
  }
  // Tooltips and what a screen reader says (aria-label) are interface too.
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
    if (!visible(el) || el.closest(content)) continue;
    const text = ['placeholder', 'title', 'aria-label'].map((name) => el.getAttribute(name) || '').join(' ');
    words.push(...(text.match(/[A-Za-z]{2,}/g) || []));
  }
  return words;
}"""


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, with nothing phoning home."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server_url(bot: Any) -> Iterator[str]:
    """The app of the module's ``bot`` fixture, served on loopback for the module's tests."""
    from qa.apps.server import running

    with running(bot, host="127.0.0.1") as url:
        yield url


@pytest.fixture
def open_page(server_url: str, browser: Any) -> Iterator[Callable[..., Any]]:
    """``open_page(viewport, path="/", locale="zh-CN")``: see ``page_opener``; the pages close after
    the test."""
    opener, contexts = page_opener(browser, server_url)
    yield opener
    for context in contexts:
        context.close()


def page_opener(browser: Any, base_url: str) -> tuple[Callable[..., Any], list[Any]]:
    """``open(viewport, path="/", locale="zh-CN")`` -> a page in a fresh context (a new visitor whose
    browser is set to ``locale``); the contexts to close.

    Requests that leave the machine are recorded in ``page.outside`` and refused; JS dialogs in
    ``page.dialogs``. The clipboard may be written and read (the copy button).
    """
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int], path: str = "/", locale: str = "zh-CN") -> Any:
        context = browser.new_context(viewport=viewport, locale=locale)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
        contexts.append(context)
        page = context.new_page()
        page.outside, page.dialogs = [], []

        def guard(route: Any) -> None:
            if route.request.url.startswith((base_url, "data:", "blob:")):
                route.continue_()
            else:  # the app must work offline
                page.outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base_url + path)
        page.wait_for_selector("#rq-question textarea", timeout=REPLY_TIMEOUT_MS)
        return page

    return open_page, contexts


def ask(page: Any, question: str) -> str:
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
    assert page.locator(".rq-pending").count() == 0  # "正在从文档中查找……" gave way to the reply
    # text_content, not inner_text: it includes the folded "另外 N 个相关段落" cards.
    return replies.nth(before).text_content() or ""


def english_words(page: Any) -> list[str]:
    """Latin-letter words the page shows as interface (not document text), minus ``ALLOWED_LATIN``."""
    return [w for w in page.evaluate(_ENGLISH_WORDS, CONTENT) if w not in ALLOWED_LATIN]


def no_sideways_scroll(page: Any) -> bool:
    """Nothing sticks out sideways (a phone must not scroll horizontally)."""
    width = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return width <= 1


def placeholder_fits(page: Any, selector: str) -> bool:
    """The placeholder of the text box at ``selector`` is shown whole (not cut off)."""
    return page.evaluate(
        """(selector) => {
          const box = document.querySelector(selector);
          const style = getComputedStyle(box);
          const pen = document.createElement('canvas').getContext('2d');
          pen.font = style.font;
          const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
          return pen.measureText(box.placeholder).width + padding <= box.clientWidth;
        }""",
        selector,
    )
