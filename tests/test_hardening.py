"""Server hygiene: loopback by default, no share link, Gradio serves no file outside its own, no
remote fetches, internal errors without internals, and no code-executing formats in the index."""

from __future__ import annotations

import ast
import inspect
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from qa import ReportQA
from qa.apps import server
from qa.apps.cli import build_parser
from qa.errors import IndexStoreError
from qa.index import generations
from qa.index import local as store
from qa.ingest.uploads import add_upload
from tests.conftest import HashEmbedder
from tests.index_worker import report_text

ROOT = Path(__file__).resolve().parents[1]
PASSWD = "root:x:0:0"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> ReportQA:
    folder = tmp_path_factory.mktemp("hardening")
    (folder / "docs").mkdir()
    (folder / "docs" / "r.txt").write_text(report_text(1), encoding="utf-8")
    bot = ReportQA.from_paths([folder / "docs"], index_dir=folder / "ix", embedder=HashEmbedder())
    upload = folder / "incoming.txt"
    upload.write_text(report_text(2), encoding="utf-8")
    add_upload(bot, upload, "上传的报告.txt")
    return bot


@pytest.fixture(scope="module")
def client(bot: ReportQA):
    with TestClient(server.create_app(bot), raise_server_exceptions=False) as c:
        yield c


# ---------------------------------------------------------------- binding and sharing


def test_binds_loopback_unless_told_otherwise() -> None:
    assert server.DEFAULT_HOST == "127.0.0.1"
    assert inspect.signature(server.serve).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(server.running).parameters["host"].default == "127.0.0.1"
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"


def test_the_running_server_listens_on_loopback_only(bot: ReportQA) -> None:
    with server.running(bot) as url:
        port = int(url.rsplit(":", 1)[1])
        listening = []
        for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
            for line in table.read_text().splitlines()[1:] if table.exists() else []:
                local, state = line.split()[1], line.split()[3]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                    listening.append(local.rsplit(":", 1)[0])
    assert listening == ["0100007F"]  # 127.0.0.1, and no 0.0.0.0 or IPv6 socket


def test_no_share_link_and_no_launch() -> None:
    for path in (ROOT / "qa").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr != "launch", (
                    f"{path.name}: Blocks.launch() (share links, its own server)"
                )
            if isinstance(node, ast.keyword) and node.arg == "share":
                raise AssertionError(f"{path.name}: share= argument")


# ---------------------------------------------------------------- files Gradio may serve


def _forbidden_urls(bot: ReportQA) -> list[str]:
    generation = generations.current_generation(bot.index_dir)
    upload = next((Path(bot.index_dir) / "uploads").rglob("*.txt")).resolve()
    index = Path(bot.index_dir).resolve()
    return [
        "/gradio_api/file=/etc/passwd",
        "/gradio_api/file/etc/passwd",  # the older route, still mounted in Gradio 6
        "/gradio_api/file=%2Fetc%2Fpasswd",
        "/gradio_api/file=../../../../../../etc/passwd",
        "/gradio_api/file=/tmp/gradio/../../etc/passwd",
        "/gradio_api/file=/proc/self/environ",
        "/file=/etc/passwd",  # Gradio 3/4 spelling
        f"/gradio_api/file={index}/CURRENT",
        f"/gradio_api/file={generation}/manifest.json",
        f"/gradio_api/file={generation}/passages.jsonl",
        f"/gradio_api/file={upload}",
        f"/gradio_api/file/{str(upload).lstrip('/')}",
        f"/gradio_api/file={ROOT}/qa/server.py",
        f"/gradio_api/file={ROOT}/pyproject.toml",
        "/gradio_api/file=http://127.0.0.1:9/",
        "/gradio_api/file=https://example.com/",
        "/gradio_api/file=HTTP://example.com/",
        "/gradio_api/file/http://example.com/",
    ]


def test_gradio_serves_no_file_outside_its_own(client: TestClient, bot: ReportQA) -> None:
    for url in _forbidden_urls(bot):
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code, response.text[:200])
        assert PASSWD not in response.text and "report-qa-index" not in response.text, url
        assert "Traceback" not in response.text


def test_gradio_still_serves_its_own_uploads_and_assets(client: TestClient) -> None:
    uploaded = client.post("/gradio_api/upload", files={"files": ("note.txt", "一份上传的报告".encode())})
    assert uploaded.status_code == 200
    path = uploaded.json()[0]
    served = client.get(f"/gradio_api/file={path}")
    assert served.status_code == 200 and served.text == "一份上传的报告"
    assert client.get("/").status_code == 200
    assert client.get("/monitoring/summary").status_code == 403  # monitoring is off (it lists events)


# ---------------------------------------------------------------- internal errors


class Broken:
    """A bot whose every call fails the way a bug would, with internals in the message."""

    def __init__(self, bot: ReportQA) -> None:
        self.index_dir = bot.index_dir
        self.documents = bot.documents
        self.passage_count = bot.passage_count

    def ask(self, *args, **kwargs):
        raise RuntimeError("secret detail: /home/user/index at 0xdeadbeef")

    def facts(self, *args, **kwargs):
        return []  # the UI asks for facts while it is built

    def series(self, *args, **kwargs):
        return []  # and for the series chart of the 关键数据 tab

    def refresh(self) -> bool:
        return False  # the server looks for another process's index before a request: none


class BrokenFacts(Broken):
    def facts(self, *args, **kwargs):
        raise KeyError("secret detail")

    def chat(self, *args, **kwargs):
        return self

    def context(self, *args, **kwargs):
        return ""


def _assert_generic_500(response) -> None:
    assert response.status_code == 500
    assert response.json() == {"error": "服务器内部错误，请稍后再试。", "code": "internal_error"}
    assert "secret" not in response.text and "Traceback" not in response.text


def test_internal_error_is_a_generic_json_500(bot: ReportQA) -> None:
    app = server.create_app(BrokenFacts(bot), ui=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        _assert_generic_500(c.post("/api/ask", json={"question": "财政收入是多少"}))
        _assert_generic_500(c.get("/api/facts"))


def test_internal_error_over_real_http_and_gradio_keeps_internals(bot: ReportQA) -> None:
    import httpx
    from gradio_client import Client

    with server.running(Broken(bot)) as url:
        response = httpx.post(f"{url}/api/ask", json={"question": "财政收入是多少"}, timeout=30)
        _assert_generic_500(response)
        client = Client(url + "/", verbose=False)
        with pytest.raises(Exception) as info:
            client.predict("财政收入是多少", 3, api_name="/ask")
        assert "secret" not in str(info.value)


# ---------------------------------------------------------------- no pickles


ALLOWED_INDEX_FILES = {".txt", ".jsonl", ".json", ".faiss", ".npy"}


def test_index_holds_no_code_executing_format(bot: ReportQA, tmp_path: Path) -> None:
    index = Path(bot.index_dir)
    for path in index.rglob("*"):
        if not path.is_file() or path.name in ("CURRENT", ".lock"):
            continue
        assert path.suffix in ALLOWED_INDEX_FILES, path
        data = path.read_bytes()
        assert not data.startswith(b"\x80"), f"{path} starts like a pickle"
        if path.suffix == ".npy":
            array = np.load(path, allow_pickle=False)  # raises for object (pickled) arrays
            assert array.dtype != object
        elif path.suffix == ".json":
            json.loads(data)
        elif path.suffix == ".jsonl":
            for line in data.decode().splitlines():
                json.loads(line)
    # An object array planted in the index, even with a matching checksum, is refused, not unpickled.
    copy = tmp_path / "ix"
    shutil.copytree(index, copy)
    generation = generations.current_generation(copy)
    planted = generation / "sentences" / "offsets.npy"
    np.save(planted, np.array([Path("/"), 1], dtype=object), allow_pickle=True)
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["sentences/offsets.npy"] = {
        "size": planted.stat().st_size,
        "sha256": generations.sha256(planted),
    }
    (generation / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(
        IndexStoreError, match=r"could not be read \(ValueError: Object arrays cannot be loaded"
    ):
        store.load(copy)


def test_every_np_load_refuses_pickles() -> None:
    import bm25s

    assert inspect.signature(bm25s.BM25.load).parameters["allow_pickle"].default is False
    for path in (ROOT / "qa").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not {"pickle", "joblib", "dill", "cloudpickle", "marshal"} & set(names), path.name
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                call = ast.unparse(node.func)
                if call in ("np.load", "numpy.load"):
                    kwargs = {k.arg: ast.unparse(k.value) for k in node.keywords}
                    assert kwargs.get("allow_pickle") == "False", f"{path.name}: {ast.unparse(node)}"
                assert call not in ("torch.load", "pickle.load", "pickle.loads"), f"{path.name}: {call}"
                if call.endswith("BM25.load"):
                    assert "allow_pickle" not in {k.arg for k in node.keywords}, path.name


# ---------------------------------------------------------------- serving several clients


class Slow(Broken):
    """Answers after a pause, to see whether two questions are answered at the same time."""

    def __init__(self, bot: ReportQA) -> None:
        super().__init__(bot)
        self._bot = bot

    def ask(self, *args, **kwargs):
        import time

        time.sleep(1.5)
        return self._bot.ask(*args, **kwargs)


def test_gradio_answers_several_callers_at_once(bot: ReportQA) -> None:
    """Gradio's default runs one event at a time: every chat reply waited for all the others."""
    import threading
    import time

    from gradio_client import Client

    with server.running(Slow(bot)) as url:
        clients = [Client(url + "/", verbose=False) for _ in range(3)]
        errors: list[BaseException] = []

        def ask(client: Client) -> None:
            try:
                client.predict("地区生产总值是多少", 3, api_name="/ask")
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=ask, args=(c,)) for c in clients]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        elapsed = time.monotonic() - started
    assert errors == []
    assert elapsed < 3 * 1.5, f"3 questions of 1.5 s took {elapsed:.1f} s: answered one at a time"


def test_idle_keep_alive_connections_outlive_the_clients_expiry(bot: ReportQA) -> None:
    """httpx drops idle connections after 5 s; a server closing at 5 s too raced it ("connection reset")."""
    import http.client
    import time

    with server.running(bot) as url:
        host, port = url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("GET", "/healthz")
        assert connection.getresponse().read()
        time.sleep(6)
        connection.request("GET", "/healthz")  # the same connection, idle for longer than 5 s
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read())["status"] == "ok"
        connection.close()
