"""The page over a library of reports, in a real browser at 1366 px and 390 px: a comparison shows one
card per report, the 关键数据 tab puts headline indicators first with signed changes and a source per
row, the series chart draws one labelled point per report whose click opens its sentence, and a
page opened after a report was added shows it everywhere (header, 文档, filters, 关键数据).

Four State Council reports of ``../shared/datasets/gov_reports`` with the test double embedder
(``HashEmbedder``): what is checked here is routing, facts and the page, not retrieval quality.
Screenshots go to ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from qa import ReportQA
from qa.apps.ui.facts import headline_first
from tests.browser import (
    CHROMIUM,
    LAPTOP,
    NO_CHROMIUM,
    VIEWPORTS,
    ask,
    english_words,
    no_sideways_scroll,
)
from tests.conftest import GOV_REPORTS, HashEmbedder

YEARS = (2019, 2023, 2024, 2025)
CLICK_TRIES = 5
ADDED = "2026_province_fujian.txt"
SCROLL_TABLE = "document.querySelector('#rq-facts-table .virtual-table-viewport').scrollTop += 120"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> ReportQA:
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    if not GOV_REPORTS.is_dir():
        pytest.skip(f"needs the reports in {GOV_REPORTS}")
    paths = [GOV_REPORTS / f"{year}_national.txt" for year in YEARS]
    index = tmp_path_factory.mktemp("library") / "index"
    return ReportQA.from_paths(paths, index_dir=index, embedder=HashEmbedder())


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_comparison_shows_one_card_per_report(open_page, size: str) -> None:
    page = open_page(VIEWPORTS[size])
    ask(page, "2023年和2024年国内生产总值增长目标分别是多少？")
    labels = page.locator(".rq-reply").last.locator(".rq-part .rq-part-label")
    texts = labels.all_inner_texts()
    assert len(texts) == 2 and "2023年" in texts[0] and "2024年" in texts[1], texts
    # A report the library lacks is said so, with what it has instead.
    reply = ask(page, "2030年的报告说了什么？")
    assert "报告中没有" in reply and "没有2030年的报告；有：" in reply
    assert no_sideways_scroll(page)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_key_figures_headlines_first_signed_and_sourced(
    open_page, size: str, bot: ReportQA, tmp_path: Path
) -> None:
    page = open_page(VIEWPORTS[size])
    page.get_by_role("tab", name="关键数据").click()
    table = page.locator("#rq-facts-table")
    first = table.locator('[data-testid="cell-0-1"]')
    first.wait_for()
    assert any(word in first.inner_text() for word in ("生产总值", "经济", "财政")), first.inner_text()
    # A figure that is itself a fall is shown with its sign (下降… -> -…). The table renders only the
    # rows in view: scroll until that row is drawn.
    shown = headline_first(bot.facts(doc_id=bot.documents[0].doc_id))
    row = next(n for n, f in enumerate(shown) if f.kind == "growth" and (f.change or "").startswith("下降"))
    value = table.locator(f'[data-testid="cell-{row}-2"]')
    for _ in range(100):
        if value.count():
            break
        page.evaluate(SCROLL_TABLE)
    assert value.inner_text().startswith("-"), value.inner_text()
    # A row click shows its source sentence, with the report's name. The table redraws its rows after
    # the scroll back; a click that lands while it does selects nothing (seen on a loaded machine), so
    # the click is repeated until the source shows.
    page.evaluate("document.querySelector('#rq-facts-table .virtual-table-viewport').scrollTop = 0")
    source = page.locator("#rq-facts-source .rq-fact-where")
    for _ in range(CLICK_TRIES):
        first.click()
        try:
            source.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    source.wait_for()
    assert "国务院政府工作报告》" in source.inner_text()
    assert english_words(page) == []
    page.screenshot(path=str(tmp_path / f"facts-{size}.png"), full_page=True)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_series_chart_points_name_their_report_and_open_the_sentence(
    open_page, size: str, bot: ReportQA, tmp_path: Path
) -> None:
    page = open_page(VIEWPORTS[size])
    page.get_by_role("tab", name="关键数据").click()
    chart = page.locator("#rq-series")
    points = chart.locator("[data-rq-point]")
    points.first.wait_for()
    expected = bot.series("国内生产总值", period="plan")
    assert points.count() == len(expected) >= 3
    names = chart.locator(".rq-point-name").all_text_contents()  # SVG text has no innerText
    assert names == [f.document.replace("政府工作报告", "") for f in expected]
    points.last.locator("circle").click()
    shown = chart.locator(".rq-series-source:not([hidden])")
    assert shown.count() == 1
    assert expected[-1].sentence[:20] in shown.inner_text()
    assert shown.locator("mark").inner_text() == expected[-1].value_text
    page.screenshot(path=str(tmp_path / f"series-{size}.png"), full_page=True)


def test_a_page_opened_after_an_upload_shows_it_everywhere(open_page, bot: ReportQA) -> None:
    before = open_page(LAPTOP)
    assert f"当前共 {len(YEARS)} 份报告" in before.locator("#rq-header").inner_text()
    [info] = bot.add_documents([GOV_REPORTS / ADDED])  # as an admin's upload (or the CLI) does
    page = open_page(LAPTOP)
    header = page.locator("#rq-header")
    header.get_by_text(f"当前共 {len(YEARS) + 1} 份报告").wait_for()
    assert info.title in header.inner_text()
    page.locator("#rq-filter-region input").click()
    page.get_by_role("option", name=info.region).wait_for()
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="文档").click()
    assert info.title in page.locator("#rq-documents").inner_text()
    page.get_by_role("tab", name="关键数据").click()
    page.locator("#rq-facts-doc input").click()
    page.get_by_role("option", name=info.title).wait_for()
