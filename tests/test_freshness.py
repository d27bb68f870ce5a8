"""A running server answers from the index as saved now: a document removed or added by another
process (``report-qa remove`` beside the server) shows in its list and answers (qa.apps.freshness),
and an edited file uploaded again replaces its earlier version."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from qa import ReportQA
from qa.apps.freshness import CHECK_EVERY_SECONDS
from qa.apps.server import create_app
from tests.conftest import HashEmbedder, write

TOWN = "白石镇2025年政府工作报告\n各位代表：\n一、2024年工作回顾\n财政总收入完成2.35亿元，增长4.6%。\n"
COUNTY = "青山县2026年政府工作报告\n各位代表：\n一、2025年工作回顾\n全年接待游客680万人次。\n"


def test_a_document_another_process_removes_or_adds_leaves_the_servers_answers(tmp_path: Path) -> None:
    paths = [write(tmp_path / "town.txt", TOWN), write(tmp_path / "county.txt", COUNTY)]
    bot = ReportQA.from_paths(paths, tmp_path / "index", embedder=HashEmbedder())
    county = next(d.doc_id for d in bot.documents if d.source == "county.txt")
    with TestClient(create_app(bot, ui=False)) as client:
        assert len(client.get("/api/documents").json()["documents"]) == 2
        # Another process (the CLI) removes a document from the same folder.
        ReportQA(index_dir=tmp_path / "index", embedder=HashEmbedder()).remove_document(county, client="cli")
        time.sleep(CHECK_EVERY_SECONDS + 0.1)
        listed = client.get("/api/documents").json()["documents"]
        assert [d["doc_id"] for d in listed] == [d.doc_id for d in bot.documents] and len(listed) == 1
        passages = client.post("/api/ask", json={"question": "去年接待游客多少人次？"}).json()["passages"]
        assert all(p["doc_id"] != county for p in passages)
        assert client.get("/healthz").json()["documents"] == 1
        # And adds it again.
        ReportQA(index_dir=tmp_path / "index", embedder=HashEmbedder()).add_documents([paths[1]])
        time.sleep(CHECK_EVERY_SECONDS + 0.1)
        assert client.get("/healthz").json()["documents"] == 2


def test_an_edited_upload_replaces_its_earlier_version_and_says_so(tmp_path: Path) -> None:
    # Found by a helper: an edited file added again kept both versions, and answers quoted the old one.
    bot = ReportQA.from_paths(
        [write(tmp_path / "county.txt", COUNTY)], tmp_path / "ix", embedder=HashEmbedder()
    )

    def town(seats: int) -> bytes:
        return f"青石镇人民政府2025年工作报告\n\n一、回顾\n\n新增学位{seats}个。".encode()

    with TestClient(create_app(bot, ui=False)) as client:
        first = client.post("/api/documents", files={"file": ("town.txt", town(480))})
        assert first.status_code == 200 and first.json()["note"] is None
        edited = client.post("/api/documents", files={"file": ("town.txt", town(500))}).json()
        assert edited["note"] == "已替换《青石镇人民政府2025年工作报告》的旧版本。"
        # Under another name both stay, and the upload says so (a helper's answers had quietly worsened).
        renamed = client.post("/api/documents", files={"file": ("town_修订版.txt", town(520))}).json()
        assert renamed["note"].startswith("索引里已有同标题的文档（town.txt）")
    texts = [bot.document_text(d.doc_id) for d in bot.documents if d.source == "town.txt"]
    assert len(texts) == 1 and texts[0].endswith("新增学位500个。")


def test_an_upload_of_several_files_is_refused_and_adds_none(tmp_path: Path) -> None:
    # Found by a helper: two ``file`` fields added the second alone, the first dropped without a word.
    bot = ReportQA.from_paths(
        [write(tmp_path / "county.txt", COUNTY)], tmp_path / "ix", embedder=HashEmbedder()
    )
    files = [
        ("file", ("town.txt", TOWN.encode())),
        ("file", ("other.txt", COUNTY.replace("青山", "青水").encode())),
    ]
    with TestClient(create_app(bot, ui=False)) as client:
        refused = client.post("/api/documents", files=files)
        assert refused.status_code in (400, 422) and refused.json()["code"] == "one_file"
        assert refused.json()["error"] == "一次只能上传一个文件，这次收到了 2 个。"
        assert len(client.get("/api/documents").json()["documents"]) == 1
