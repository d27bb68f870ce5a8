"""Refresh docs/screenshots/*.png on purpose: ``python docs/screenshots.py``.

The tests never write here (their screenshots go to a temporary folder, so the work tree stays
clean); this script does, on the bundled report with the real model, in Debian's Chromium
(/usr/bin/chromium) at 1366 px, and at 390 px for the phone view. It builds its index in a
temporary folder. Chromium needs a Chinese font (``apt-get install fonts-noto-cjk``), or every
character comes out as a box.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: the tests' helpers live in the repo

from playwright.sync_api import sync_playwright  # noqa: E402

from qa import ReportQA  # noqa: E402
from qa.apps.server import running  # noqa: E402
from tests.browser import LAPTOP, PHONE, REPLY_TIMEOUT_MS, ask, launch  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SETTLE_MS = 800  # lets fades and the chat's scroll finish, so a shot is never taken mid-fade


def main() -> None:
    """Take the four screenshots the README and the docs show."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        bot = ReportQA(index_dir=Path(folder) / "index")
        with running(bot) as url:
            browser = launch(playwright)

            def open_page(viewport: dict[str, int]):
                page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
                page.goto(url + "/")
                page.wait_for_selector("#rq-question textarea", timeout=REPLY_TIMEOUT_MS)
                return page

            for name, viewport, question in (
                ("chat.png", LAPTOP, "2022年财政总收入是多少？"),
                ("chat-mobile.png", PHONE, "今年要建消防站吗？"),
            ):
                page = open_page(viewport)
                ask(page, question)
                page.wait_for_timeout(SETTLE_MS)
                page.screenshot(path=str(OUT / name))
            page = open_page(LAPTOP)
            page.get_by_role("tab", name="文档").click()
            page.locator("#rq-documents .rq-doc-card").first.wait_for()
            page.wait_for_timeout(SETTLE_MS)
            page.screenshot(path=str(OUT / "documents.png"))
            page.get_by_role("tab", name="关键数据").click()
            chart = page.locator("#rq-facts-chart svg, #rq-facts-chart canvas")
            chart.first.wait_for(timeout=REPLY_TIMEOUT_MS)
            page.wait_for_timeout(SETTLE_MS)
            page.screenshot(path=str(OUT / "facts.png"), full_page=True)
            browser.close()
    print(f"wrote {', '.join(sorted(p.name for p in OUT.glob('*.png')))} to {OUT}")


if __name__ == "__main__":
    main()
