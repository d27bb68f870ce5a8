"""Key figures on every surface, with the hash test double: the bundled report's headline figures and
the facts API through ReportQA (filters, one extraction per snapshot), the ``report-qa facts`` command
(no model loaded), the /api/facts endpoint, and the 关键数据 tab's table, chart and source view."""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr
import pytest
from fastapi.testclient import TestClient

from qa import ReportQA
from qa.apps.cli import main
from qa.apps.server import create_app
from qa.apps.ui.facts import FACTS_HINT, _select_fact, facts_table, growth_chart, render_fact_source
from qa.errors import QuestionError
from qa.facts.extract import extract_facts
from qa.ingest.loader import bundled_report_path
from qa.schema import DocumentInfo, Passage
from tests.conftest import HashEmbedder, facts_of

TITLE = "紫帽镇人民政府2022年工作报告"


# ---------------------------------------------------------------- the bundled report, through ReportQA


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> ReportQA:
    index = tmp_path_factory.mktemp("facts") / "index"
    return ReportQA.from_paths([bundled_report_path()], index_dir=index, embedder=HashEmbedder())


# indicator, value_text, value, unit, change, change_pct, period, year
HEADLINE = [
    ("财政总收入", "1.6亿元", 1.6e8, "元", "比增8.8%", 8.8, "review", 2022),
    ("规上工业产值", "26.62亿元", 2.662e9, "元", "比增7.6%", 7.6, "review", 2022),
    ("工业投资", "1.49亿元", 1.49e8, "元", "比增142.42%", 142.42, "review", 2022),
    ("限上批发零售业销售额", "53.39亿元", 5.339e9, "元", "比增4.06%", 4.06, "review", 2022),
    ("限上住宿餐饮业营业额", "612万元", 6.12e6, "元", "比增79%", 79.0, "review", 2022),
    ("新增优质学位", "3600个", 3600, "个", None, None, "review", 2022),
    ("一般公共预算总收入", "7.6%", 7.6, "%", "增长7.6%", 7.6, "plan", 2023),
    ("规上工业产值", "7.6%", 7.6, "%", "增长7.6%", 7.6, "plan", 2023),
    ("全社会固定资产投资", "8.0%", 8.0, "%", "增长8.0%", 8.0, "plan", 2023),
]


@pytest.mark.parametrize("expected", HEADLINE, ids=[f"{h[0]}-{h[6]}" for h in HEADLINE])
def test_bundled_report_headline_figures(bot: ReportQA, expected: tuple) -> None:
    indicator, value_text, value, unit, change, change_pct, period, year = expected
    found = [f for f in bot.facts(indicator=indicator, period=period) if f.indicator == indicator]
    assert len(found) == 1, found
    fact = found[0]
    assert (fact.value_text, fact.unit, fact.change, fact.year) == (value_text, unit, change, year)
    assert fact.value == pytest.approx(value)
    assert fact.change_pct == (None if change_pct is None else pytest.approx(change_pct))
    assert fact.kind == ("growth" if period == "plan" else "amount")
    assert fact.document == TITLE
    assert value_text in fact.sentence
    assert fact.section and fact.passage_id


def test_bundled_report_facts_point_into_the_text(bot: ReportQA) -> None:
    facts = bot.facts()
    assert len(facts) >= 80
    text = bot._data.texts[bot.documents[0].doc_id]
    for f in facts:
        assert text[f.start : f.end] == f.value_text
        assert text[f.sentence_start : f.sentence_end] == f.sentence
        assert f.sentence_start <= f.start < f.end <= f.sentence_end
        assert f.indicator and f.period in ("review", "plan")
    revenue = next(f for f in facts if f.indicator == "财政总收入")
    assert revenue.section == ["一、2022年工作回顾", "(二)提质增量,创新转型,拼出经济发展新效率"]
    assert json.loads(json.dumps(revenue.to_dict(), ensure_ascii=False)) == revenue.to_dict()


def test_facts_api_filters_and_caches_per_snapshot(bot: ReportQA, monkeypatch, tmp_path: Path) -> None:
    doc_id = bot.documents[0].doc_id
    assert bot.facts(doc_id=doc_id) == bot.facts()
    assert bot.facts(doc_id="0000000000000000") == []
    assert {f.period for f in bot.facts(period="plan")} == {"plan"}
    with pytest.raises(QuestionError):
        bot.facts(period="next year")
    with pytest.raises(QuestionError, match="indicator"):  # had been a TypeError from normalize()
        bot.facts(indicator=5)  # type: ignore[arg-type]

    import qa.api

    calls = []
    real = qa.api.collect_facts
    monkeypatch.setattr(qa.api, "collect_facts", lambda *a: calls.append(1) or real(*a))
    bot.facts()
    bot.facts(indicator="投资")
    assert calls == []  # the snapshot's facts were extracted once, before

    other = tmp_path / "county.txt"
    other.write_text(
        "某县2023年政府工作报告\n\n一、2023年工作回顾\n\n全县粮食总产量98.76万吨，比上年增长3.2%。\n"
    )
    copy = ReportQA.from_paths([bundled_report_path()], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    before = len(copy.facts())
    copy.add_documents([other])
    grain = copy.facts(indicator="粮食")
    assert [(f.value_text, f.change_pct) for f in grain] == [("98.76万吨", 3.2)]
    assert len(copy.facts()) == before + 1
    assert len(calls) == 2  # once per snapshot of the copy


# ---------------------------------------------------------------- CLI (no model: figures need none)


@pytest.fixture
def no_model(monkeypatch) -> None:
    import qa.api

    def refuse(*_args, **_kwargs):
        raise AssertionError("report-qa facts must not load the embedding model")

    monkeypatch.setattr(qa.api, "load_embedder", refuse)


def test_cli_facts_json_from_an_index(bot: ReportQA, capsys, no_model) -> None:
    assert main(["facts", "--json", "--index-dir", str(bot.index_dir)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == len(bot.facts())
    revenue = next(r for r in rows if r["indicator"] == "财政总收入")
    assert (revenue["value"], revenue["unit"], revenue["change"], revenue["period"]) == (
        1.6e8,
        "元",
        "比增8.8%",
        "review",
    )


def test_cli_facts_table_and_filters(bot: ReportQA, capsys, no_model) -> None:
    doc_id = bot.documents[0].doc_id
    argv = ["facts", "--indicator", "规上工业产值", "--doc", doc_id, "--index-dir", str(bot.index_dir)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"《{TITLE}》 {doc_id} · 2 项数据" in out
    assert "26.62亿元" in out and "比增7.6%" in out and "回顾" in out and "计划" in out
    assert "(二)提质增量" in out  # the section
    assert main(["facts", "--period", "plan", "--json", "--index-dir", str(bot.index_dir)]) == 0
    assert {json.loads(line)["period"] for line in capsys.readouterr().out.splitlines()} == {"plan"}


def test_cli_facts_from_files_without_an_index(tmp_path: Path, capsys, no_model) -> None:
    report = tmp_path / "county.txt"
    report.write_text("某县2023年政府工作报告\n\n一、2023年工作回顾\n\n全县粮食总产量98.76万吨，增长3.2%。\n")
    assert main(["facts", "--json", "--docs", str(report), "--index-dir", str(tmp_path / "ix")]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["indicator"], row["value_text"], row["change_pct"]) == ("粮食总产量", "98.76万吨", 3.2)
    assert not (tmp_path / "ix").exists()  # nothing was indexed


def test_cli_facts_unknown_document_is_one_line_exit_2(bot: ReportQA, capsys, no_model) -> None:
    assert main(["facts", "--doc", "nope", "--index-dir", str(bot.index_dir)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1 and err[0].startswith("report-qa: error: ") and "no document with id 'nope'" in err[0]
    )


# ---------------------------------------------------------------- HTTP


@pytest.fixture(scope="module")
def client(bot: ReportQA):
    with TestClient(create_app(bot, ui=False), raise_server_exceptions=False) as c:
        yield c


def test_api_facts(client: TestClient, bot: ReportQA) -> None:
    body = client.get("/api/facts").json()
    assert len(body["facts"]) == len(bot.facts())
    revenue = client.get("/api/facts", params={"indicator": "财政总收入"}).json()["facts"]
    assert [(f["value_text"], f["change_pct"], f["period"], f["year"]) for f in revenue] == [
        ("1.6亿元", 8.8, "review", 2022)
    ]
    plan = client.get("/api/facts", params={"period": "plan", "doc_id": bot.documents[0].doc_id}).json()
    assert plan["facts"] and {f["period"] for f in plan["facts"]} == {"plan"}
    # Empty values mean "any", as an HTML form sends them; an unknown document has no facts.
    assert len(client.get("/api/facts?doc_id=&indicator=&period=").json()["facts"]) == len(bot.facts())
    assert client.get("/api/facts", params={"doc_id": "0000000000000000"}).json() == {"facts": []}
    assert "/api/facts" in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(
    "query",
    ["period=next", "period=REVIEW", "unknown=1", "doc_id=" + "x" * 65, "indicator=" + "财" * 101],
    ids=["period", "period-case", "unknown-key", "long-doc-id", "long-indicator"],
)
def test_api_facts_bad_params_are_a_422_with_one_line(client: TestClient, query: str) -> None:
    response = client.get("/api/facts?" + query)
    assert response.status_code == 422
    body = response.json()
    assert {"error", "code"} <= set(body) and "\n" not in body["error"]
    if query.startswith("period"):  # the choices in Chinese punctuation (it had mixed ", " and 、)
        assert "只能取：'review'、'plan'、'other'" in body["error"], body["error"]


def test_api_facts_wrong_method(client: TestClient) -> None:
    response = client.post("/api/facts", json={})
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed" and "请用 GET" in response.json()["error"]


# ---------------------------------------------------------------- the 关键数据 tab, without a browser


def test_facts_table_and_chart(bot: ReportQA) -> None:
    facts = bot.facts()
    table = facts_table(facts)
    assert list(table.columns) == ["编号", "指标", "数值", "变化", "变化率(%)", "时期", "年份", "出处"]
    assert list(table["编号"]) == list(range(1, len(facts) + 1))
    row = table[table["指标"] == "财政总收入"].iloc[0]
    assert (row["数值"], row["变化"], row["变化率(%)"], row["时期"], row["年份"]) == (
        "1.6亿元",
        "比增8.8%",
        8.8,
        "回顾",
        2022,
    )
    assert row["出处"].startswith("(二)")
    chart = growth_chart(facts)
    assert {"规上工业产值·回顾", "规上工业产值·计划"} <= set(chart["指标"])
    assert set(chart["时期"]) == {"回顾", "计划"}
    labels = list(chart["指标"])
    # indicators with both a review and a plan rate come first, side by side
    assert labels[:2] == ["规上工业产值·回顾", "规上工业产值·计划"]


def test_selected_row_shows_its_sentence_with_the_figure_marked(bot: ReportQA) -> None:
    facts = bot.facts()
    shown = [f.to_dict() for f in facts]
    number = next(i for i, f in enumerate(facts, start=1) if f.indicator == "财政总收入")
    # The row is found by its number, whatever row the user sees it in after sorting.
    event = gr.SelectData(None, {"index": [0, 1], "value": "财政总收入", "row_value": [number, "财政总收入"]})
    html = _select_fact(shown, event)
    assert "全年预计完成财政总收入<mark>1.6亿元</mark>,比增8.8%;" in html
    assert "回顾 · 2022年" in html
    assert (
        _select_fact(shown, gr.SelectData(None, {"index": [0, 0], "value": None, "row_value": None}))
        == FACTS_HINT
    )
    assert (
        _select_fact(shown, gr.SelectData(None, {"index": [0, 0], "value": 999, "row_value": [999]}))
        == FACTS_HINT
    )


def test_fact_source_is_escaped() -> None:
    (fact,) = facts_of("<b>财政收入</b>增长6%<script>x</script>。")
    html = render_fact_source(fact)
    assert "<b>" not in html and "<script>" not in html
    assert "<mark>6%</mark>" in html


def test_last_years_results_told_in_the_plan_part_are_review_facts() -> None:
    # Found by a helper: the 关键数据 tab listed 2010's 增长10.3% as 2011's plan (三、2011年的工作).
    text = (
        "过去一年，我们取得了很大成绩。国内生产总值增长10.3%。\n今年主要预期目标是：国内生产总值增长8%左右。"
    )
    info = DocumentInfo("d", "2011年政府工作报告", "d.txt", year=2011, review_year=2010)
    plan = Passage("d", info.title, ["三、2011年的工作"], "plan", 0, len(text), text)
    facts = extract_facts(text, [plan], info)
    assert [(f.value_text, f.period, f.year) for f in facts] == [
        ("10.3%", "review", 2010),
        ("8%", "plan", 2011),
    ]


def test_durations_keep_their_unit() -> None:
    # Found by a helper: 合同期限36个月 had been listed as 36个.
    facts = facts_of("劳动合同期限为36个月，年休假5天，面试2小时。")
    assert [f.value_text for f in facts] == ["36个月", "5天", "2小时"]
