"""Structure over real reports: the seed (or bundled) report's headings, passages and periods, and
every report in shared/datasets/gov_reports: sections found, passages exact and sized, both a review
and a plan part in the reports from 2000 on."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path

import pytest

from qa.ingest.structure import build_passages, parse_sections
from qa.schema import Document
from tests.conftest import GOV_REPORTS, SHARED, check_passages, make_doc, passage_with

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "qa" / "data" / "zimao_2022.txt"
SEED = SHARED / "seed" / "000_288c1e282cea0f90.txt"
NO_HEADINGS = {"1954_national", "1975_national"}  # these two texts have no heading lines at all


# --- real reports ---------------------------------------------------------------------------


def _seed_text() -> str:
    if BUNDLED.exists():
        return BUNDLED.read_text(encoding="utf-8")
    if not SEED.exists():
        pytest.skip("neither qa/data/zimao_2022.txt nor the shared seed report is available")
    lines = []
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.endswith(".pdf"):  # the web page's attachment links and share buttons follow
            break
        if line and not line.startswith(("•", "时间:")):
            lines.append(line)
    return "\n".join(lines) + "\n"


def _stats(lengths: list[int]) -> str:
    share = sum(40 <= n <= 400 for n in lengths) / len(lengths)
    median, low, high = statistics.median(lengths), min(lengths), max(lengths)
    return f"n={len(lengths)} median={median} min={low} max={high} in 40..400: {share:.1%}"


def test_seed_report_structure_and_periods():
    text = _seed_text()
    doc = make_doc(text, "紫帽镇人民政府2022年工作报告")
    passages = build_passages(doc)
    check_passages(doc, passages, 80, 250)
    fiscal = passage_with(passages, "财政总收入1.6亿元")
    assert fiscal.section[0] == "一、2022年工作回顾"
    assert "提质增量" in fiscal.section[1] and "二" in fiscal.section[1][:3]
    assert fiscal.period == "review"
    politics = passage_with(passages, "旗帜鲜明讲政治")
    assert politics.section[0].startswith("三、") and "旗帜鲜明讲政治" in politics.section[-1]
    assert passage_with(passages, "全社会固定资产投资增长8.0%").period == "plan"
    assert passage_with(passages, "规上工业产值26.62亿元").period == "review"
    assert passage_with(passages, "提速景区建设").section[-1].startswith("3.")
    assert passage_with(passages, "风劲潮涌").period == "other"
    lengths = [len(p.text) for p in passages]
    print("seed passages:", _stats(lengths), Counter(p.period for p in passages))
    assert sum(40 <= n <= 400 for n in lengths) >= 0.8 * len(lengths)


def _gov_reports() -> list[tuple[str, Document]]:
    if not GOV_REPORTS.exists():
        pytest.skip("the shared gov_reports data set is not available")
    titles = {}
    index = GOV_REPORTS / "index.jsonl"
    if index.exists():
        for line in index.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            titles[item["file"]] = item["title"]
    return [
        (
            f.stem,
            Document(text=f.read_text(encoding="utf-8"), title=titles.get(f.name, f.stem), source=f.name),
        )
        for f in sorted(GOV_REPORTS.glob("*.txt"))
    ]


def test_gov_reports_sections_passages_and_periods():
    reports = _gov_reports()
    assert len(reports) >= 80
    lengths: list[int] = []
    both: dict[str, bool] = {}
    shares = Counter()
    for name, doc in reports:
        sections = parse_sections(doc.text)
        assert sections or name in NO_HEADINGS, f"{name}: no sections"
        passages = build_passages(doc)
        check_passages(doc, passages, 80, 250)
        lengths += [len(p.text) for p in passages]
        periods = Counter(p.period for p in passages)
        if name[:4] >= "2000":
            both[name] = periods["review"] > 0 and periods["plan"] > 0
            shares.update(periods)
    total = sum(shares.values())
    print("gov_reports passages:", _stats(lengths))
    print("2000+ period shares:", {k: f"{v / total:.1%}" for k, v in shares.items()})
    print("2000+ reports without review and plan:", sorted(k for k, v in both.items() if not v))
    assert sum(40 <= n <= 400 for n in lengths) >= 0.95 * len(lengths)
    assert 180 <= statistics.median(lengths) <= 250
    # Measured: all 57 reports from 2000 on (26 national, 31 provincial) have both.
    assert sum(both.values()) >= 0.9 * len(both)
    national = [k for k in both if k.endswith("national")]
    assert sum(both[k] for k in national) >= 0.9 * len(national)
    assert 0.15 <= shares["review"] / total <= 0.5 and 0.4 <= shares["plan"] / total <= 0.8


def test_a_notices_list_of_attachments_is_no_heading() -> None:
    # Found by a helper: "附件：1.…一览表" then "2.…联系方式" made the second a subsection of 六、工作要求,
    # and the notice's sender and date were cited under it.
    text = (
        "关于做好参保缴费工作的通知\n六、工作要求\n参保率要稳定在95%以上。\n\n"
        "附件：1.2026年度缴费标准一览表\n2.各县（区）医保经办机构联系方式\n\n青溪市人民政府办公室\n2025年9月20日\n\n"
        "附件1\n2026年度缴费标准一览表\n普通居民：个人缴费400元。\n"
    )
    paths = [tuple(s.path) for s in parse_sections(text)]
    assert ("六、工作要求",) in paths and ("附件1",) in paths
    assert not any(path[-1].startswith("2.") for path in paths)


def test_a_paragraph_addressed_to_the_delegates_speaks_at_its_parts_level() -> None:
    # 156 of the 88 reports' 441 such paragraphs had been cited under the subsection before them
    # (各位代表！加强国防和军队建设… under （八）加强民主政治建设); a helper copied such wrong citations.
    text = (
        "某省2026年政府工作报告\n\n一、2025年工作回顾\n\n（一）经济运行稳中有进。地区生产总值增长5.3%。\n\n"
        "（二）民生保障更加有力。城镇新增就业141万人。\n\n"
        "各位代表！过去五年的成绩来之不易，我们也清醒看到，发展还面临不少困难和挑战。\n\n"
        "二、2026年重点工作\n\n（一）扩大有效需求。全年实施重点项目500个。\n"
    )
    doc = make_doc(text)
    passages = build_passages(doc)
    check_passages(doc, passages, 80, 250)
    addressed = passage_with(passages, "各位代表！过去五年")
    assert addressed.section == ["一、2025年工作回顾"] and addressed.period == "review"
    assert passage_with(passages, "城镇新增就业141万人").section[-1] == "（二）民生保障更加有力"
    sections = parse_sections(text)
    assert [s.title for s in sections if s.start < text.index("各位代表") < s.end] == ["一、2025年工作回顾"]
