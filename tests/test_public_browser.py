"""The public page in a real browser (Debian's headless Chromium): a visitor sees no upload or remove
control, the admin logs in with the token (管理) and uploads and removes a report, and the page works
under the server's Content-Security-Policy with nothing loaded from outside.

The server listens on 127.0.0.2 with ``Settings.public=True`` (see tests/test_public.py). Screenshots
go to a temporary folder only.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qa import ReportQA
from qa.apps.server import running
from qa.settings import Settings
from tests.conftest import bundled_index
from tests.test_ui_browser import CHROMIUM, FAKE_REPORT, FAKE_TITLE, NO_CHROMIUM, REPLY_TIMEOUT_MS, ask

TOKEN = "browser-admin-token-9876543210"
LAPTOP = {"width": 1366, "height": 900}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    index = tmp_path_factory.mktemp("public-browser") / "index"
    shutil.copytree(bundled_index(tmp_path_factory, real_embedder), index)
    bot = ReportQA(index_dir=index, embedder=real_embedder)
    settings = dataclasses.replace(Settings(), public=True, admin_token=TOKEN)
    with running(bot, host="127.0.0.2", settings=settings) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(url: str, browser):
    """Opens the app in a fresh context (a new visitor); records outside requests and CSP refusals."""
    contexts = []

    def opener():
        context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.outside, page.refused = [], []  # type: ignore[attr-defined]

        def guard(route) -> None:
            if route.request.url.startswith((url, "data:", "blob:")):
                route.continue_()
            else:
                page.outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.on(
            "console",
            lambda m: page.refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(url + "/")
        page.wait_for_selector("#rq-question textarea")
        page.get_by_role("tab", name="文档").click()
        page.wait_for_selector("#rq-documents")
        return page

    yield opener
    for context in contexts:
        context.close()


def test_visitor_sees_no_controls_and_the_page_works_under_the_csp(open_page, tmp_path: Path) -> None:
    page = open_page()
    assert page.locator("input[type=file]").count() == 0
    assert not page.locator("#rq-upload").is_visible()
    assert not page.locator("#rq-remove").is_visible()
    assert page.get_by_text("管理", exact=True).is_visible()  # the login, folded
    page.screenshot(path=str(tmp_path / "visitor-documents.png"))
    page.get_by_role("tab", name="问答").click()
    assert "1.6亿元" in ask(page, "2022年财政总收入是多少？")
    page.get_by_role("tab", name="关键数据").click()
    page.wait_for_selector("#rq-facts-table")
    assert page.refused == [] and page.outside == []


def test_admin_logs_in_uploads_and_removes(open_page, url: str, tmp_path: Path) -> None:
    page = open_page()
    page.get_by_text("管理", exact=True).click()
    box = page.locator("#rq-admin-token input")
    box.fill("not-the-token")
    page.locator("#rq-admin-enter").click()
    page.locator("#rq-admin-message").get_by_text("不正确").wait_for()
    assert not page.locator("#rq-upload").is_visible()

    box.fill(TOKEN)
    page.locator("#rq-admin-enter").click()
    page.locator("#rq-upload").wait_for(state="visible")
    assert TOKEN not in page.content()  # the typed token is cleared from the page

    report = tmp_path / f"{FAKE_TITLE}.txt"
    report.write_text(FAKE_REPORT, encoding="utf-8")
    page.locator("#rq-upload input[type=file]").set_input_files([str(report)])
    page.locator("#rq-upload-status").get_by_text("已加入").wait_for(timeout=REPLY_TIMEOUT_MS)
    page.screenshot(path=str(tmp_path / "admin-documents.png"))

    visitor = open_page()  # a new page shows the new report (its list fills in as the page loads)
    visitor.locator("#rq-documents").get_by_text(FAKE_TITLE).first.wait_for(timeout=REPLY_TIMEOUT_MS)
    assert not visitor.locator("#rq-upload").is_visible()

    page.locator("#rq-remove-doc input").click()
    page.get_by_role("option", name=FAKE_TITLE).click()
    page.locator("#rq-remove").click()
    page.locator("#rq-upload-status").get_by_text("已移除").wait_for(timeout=REPLY_TIMEOUT_MS)
    assert FAKE_TITLE not in page.locator("#rq-documents").inner_text()
    assert FAKE_TITLE not in open_page().locator("#rq-documents").inner_text()
    assert page.refused == [] and page.outside == []

    changes = httpx.get(f"{url}/api/changes", headers={"Authorization": f"Bearer {TOKEN}"}).json()["changes"]
    mine = [c for c in changes if FAKE_TITLE in c["title"]]
    assert [c["action"] for c in mine] == ["add", "remove"]
    assert all(c["client"] == "127.0.0.1" for c in mine)
