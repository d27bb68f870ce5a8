"""The HTTP server with the real model on the bundled report: JSON API, health, schema, UI, /ask.

Bad input must always be a 4xx with ``{"error": "<one line>"}``. Filter values that match no
document are not an error: the answer is ``found: false`` with no passages.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from qa import ReportQA
from qa.apps.server import asks_at_once, running
from qa.settings import Settings

TITLE = "紫帽镇人民政府2022年工作报告"
REVENUE_QUESTION = "2022年财政总收入是多少？"


@pytest.fixture(scope="module")
def bot(bundled_bot: ReportQA) -> ReportQA:
    return bundled_bot


@pytest.fixture(scope="module")
def client(bundled_client: TestClient) -> TestClient:
    return bundled_client


def _all_passage_text(body: dict) -> str:
    return "\n".join(p["text"] for p in body["passages"])


# ---------------------------------------------------------------- /api/ask


def test_ask_returns_the_cited_answer(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": REVENUE_QUESTION, "k": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["question"] == REVENUE_QUESTION
    assert body["found"] is True
    assert body["answer"]
    assert 1 <= len(body["passages"]) <= 5
    assert "1.6亿元" in _all_passage_text(body)
    for p in body["passages"]:
        assert p["document"] == TITLE
        assert p["period"] in {"review", "plan", "other"}
        assert 0 <= p["start"] < p["end"]
        assert len(p["text"]) == p["end"] - p["start"]
    top = body["passages"][0]
    start, end = top["highlight"]
    assert top["text"][start:end] == body["answer"]


def test_a_refusal_says_why_in_chinese_beside_the_librarys_reason(client: TestClient) -> None:
    # Helpers found the JSON's not_found_because English for two of three kinds of refusal.
    refused = client.post("/api/ask", json={"question": "2021年财政总收入是多少？"}).json()
    assert refused["outcome"] == "not_found" and refused["reason"]["not_found_because"].startswith(
        "the report"
    )
    assert refused["why_not_found"] == "报告涵盖2022–2023年，不含2021年。" and refused["notes"] == []
    answered = client.post("/api/ask", json={"question": REVENUE_QUESTION}).json()
    assert answered["why_not_found"] is None


def test_ask_defaults_k_to_five(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "今年要建消防站吗？"}).json()
    assert len(body["passages"]) == 5


def test_ask_k_limits_passages(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": REVENUE_QUESTION, "k": 1}).json()
    assert len(body["passages"]) == 1


@pytest.mark.parametrize("question", [REVENUE_QUESTION, "今年要建消防站吗？", "镇里有多少人口？"])
def test_k_changes_only_how_many_passages_are_shown(client: TestClient, question: str) -> None:
    # With k=1 the answer was chosen from the first passage alone: another sentence, another confidence.
    one, five = (client.post("/api/ask", json={"question": question, "k": k}).json() for k in (1, 5))
    assert (one["answer"], one["confidence"], one["outcome"]) == (
        five["answer"],
        five["confidence"],
        five["outcome"],
    )
    assert one["passages"] == five["passages"][:1]


def test_ask_english_question(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": "How much went into river works?"})
    assert response.status_code == 200
    assert response.json()["passages"]


def test_ask_with_matching_filters(client: TestClient, bot: ReportQA) -> None:
    info = bot.documents[0]
    # Every filter the library takes: level too (found by a helper: /api/series took it, /api/ask not).
    filters = {"doc_id": info.doc_id, "year": [info.year] if info.year else None, "level": info.level}
    filters = {key: value for key, value in filters.items() if value is not None}
    body = client.post("/api/ask", json={"question": REVENUE_QUESTION, "filters": filters}).json()
    assert body["passages"]
    assert {p["doc_id"] for p in body["passages"]} == {info.doc_id}


@pytest.mark.parametrize(
    "filters",
    [
        {"doc_id": "0000000000000000"},
        {"year": 1900},
        {"region": ["火星"]},
        {"doc_id": []},
        {"level": "national"},
    ],
    ids=["doc_id", "year", "region", "empty-list", "level"],
)
def test_ask_unknown_filter_value_is_an_empty_answer(client: TestClient, filters: dict) -> None:
    response = client.post("/api/ask", json={"question": REVENUE_QUESTION, "filters": filters})
    assert response.status_code == 200
    body = response.json()
    assert body["found"] is False
    assert body["answer"] is None
    assert body["passages"] == []


BAD_REQUESTS = {
    "missing-question": {"k": 5},
    "empty-question": {"question": ""},
    "blank-question": {"question": "   \n\t"},
    "100k-question": {"question": "报告" * 50_000},
    "2001-char-question": {"question": "问" * 2001},
    "question-int": {"question": 123},
    "question-null": {"question": None},
    "question-list": {"question": ["2022年财政总收入是多少？"]},
    "k-string": {"question": REVENUE_QUESTION, "k": "x"},
    "k-numeric-string": {"question": REVENUE_QUESTION, "k": "5"},
    "k-float": {"question": REVENUE_QUESTION, "k": 2.5},
    "k-bool": {"question": REVENUE_QUESTION, "k": True},
    "k-zero": {"question": REVENUE_QUESTION, "k": 0},
    "k-negative": {"question": REVENUE_QUESTION, "k": -3},
    "k-too-big": {"question": REVENUE_QUESTION, "k": 21},
    "unknown-filter-key": {"question": REVENUE_QUESTION, "filters": {"province": "福建"}},
    "filters-not-object": {"question": REVENUE_QUESTION, "filters": "doc_id"},
    "filter-year-string": {"question": REVENUE_QUESTION, "filters": {"year": "abc"}},
    "filter-doc-id-int": {"question": REVENUE_QUESTION, "filters": {"doc_id": 5}},
    "unknown-field": {"question": REVENUE_QUESTION, "top_k": 5},
}


@pytest.mark.parametrize("payload", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_ask_bad_input_is_a_4xx_with_one_error_line(client: TestClient, payload: dict) -> None:
    response = client.post("/api/ask", json=payload)
    _assert_clean_error(response)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'["a list"]', "application/json"),
        (b"", "application/json"),
        ("2022年财政总收入是多少？".encode(), "text/plain"),
        (b"\xff\xfe\x00bad", "application/json"),
    ],
    ids=["broken-json", "json-list", "empty-body", "plain-text", "not-utf8"],
)
def test_ask_malformed_body_is_a_4xx(client: TestClient, content: bytes, content_type: str) -> None:
    response = client.post("/api/ask", content=content, headers={"content-type": content_type})
    _assert_clean_error(response)
    # Found by a helper: a body not in UTF-8 had the vague 请求无法处理 (http_400), and JSON sent as
    # text/plain was told it is no JSON object without a word on the header.
    if content.startswith(b"\xff"):  # and a 422, as a body cut short (it had been a 400)
        assert response.json()["code"] == "invalid_json" and response.status_code == 422
    if content_type == "text/plain":
        assert "Content-Type" in response.json()["error"]


def test_ask_wrong_method_and_unknown_route(client: TestClient) -> None:
    _assert_clean_error(client.get("/api/ask"), status=405)
    _assert_clean_error(client.post("/api/nothing-here", json={}), status=404)
    # Found by a helper: HEAD and OPTIONS fell through to the page's English {"detail": "Not Found"}.
    _assert_clean_error(client.options("/api/ask"), status=405)
    assert client.head("/api/nothing-here").status_code == 404  # a HEAD reply has no body to read
    assert client.head("/healthz").status_code == 200  # what uptime monitors ask


def _assert_clean_error(response, status: int | None = None) -> None:
    assert 400 <= response.status_code < 500, response.text[:300]
    if status is not None:
        assert response.status_code == status
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    assert "\n" not in body["error"]
    # A stable code to act on and a Chinese message to show (English only in ``detail``).
    assert body["code"].isidentifier() and re.search(r"[\u4e00-\u9fff]", body["error"]), body
    assert "Traceback" not in response.text
    # Errors name the problem, they do not echo the input back (it may be 100k characters).
    assert len(response.text) < 1000


@pytest.mark.parametrize("question", ["", "   ", "\u3000\n"], ids=["empty", "blank", "full-width-blank"])
def test_empty_and_blank_questions_are_the_same_422(client: TestClient, question: str) -> None:
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 422
    assert response.json()["code"] == "empty_question" and response.json()["error"] == "问题不能为空。"


def test_a_question_of_only_symbols_is_a_400_in_chinese(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": "？？？😀"})
    assert response.status_code == 400
    assert response.json()["code"] == "no_words" and "标点或符号" in response.json()["error"]
    # An over-long one in the words of `ask --json` (a helper: HTTP said 问题太长，最多 2000 个字。).
    too_long = client.post("/api/ask", json={"question": "问" * 2001}).json()
    assert too_long["error"] == "问题有 2001 个字，超过了 2000 字的上限。"


@pytest.mark.parametrize("question", ["的", "a", "是吗？", "What is it?", "多少？"])
def test_a_question_naming_nothing_to_look_for_is_a_400_in_chinese(client: TestClient, question: str) -> None:
    # Searched anyway, "的" and "a" were answered with the nearest sentence at confidence 0.9.
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 400
    assert response.json()["code"] == "names_nothing" and "没有可以查找的内容" in response.json()["error"]


def test_malformed_json_names_the_problem_in_chinese(client: TestClient) -> None:
    response = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_json" and response.json()["error"] == "请求体不是有效的 JSON。"


# ---------------------------------------------------------------- other routes


def test_documents(client: TestClient, bot: ReportQA) -> None:
    response = client.get("/api/documents")
    assert response.status_code == 200
    documents = response.json()["documents"]
    assert [d["doc_id"] for d in documents] == [d.doc_id for d in bot.documents]
    assert documents[0]["title"] == TITLE
    assert documents[0]["chars"] > 1000


def test_healthz(client: TestClient, bot: ReportQA) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "documents": 1,
        "passages": bot.passage_count,
        "store": "local",
    }


def test_openapi_schema_describes_the_api(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert {"/api/ask", "/api/documents", "/healthz"} <= set(schema["paths"])
    ask = schema["paths"]["/api/ask"]["post"]
    assert ask["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/AskRequest")
    models = schema["components"]["schemas"]
    assert set(models["AskRequest"]["properties"]) == {"question", "k", "filters", "earlier_questions"}
    assert models["AskRequest"]["properties"]["k"]["maximum"] == 20
    assert {"answer", "found", "passages"} <= set(models["AnswerModel"]["properties"])
    assert "422" in ask["responses"]
    assert "400" in ask["responses"]


def test_ui_is_served_at_root_without_external_fonts(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    theme = client.get("/theme.css")
    assert theme.status_code == 200
    for text in (page.text, theme.text):
        assert "fonts.googleapis" not in text
        assert "fonts.gstatic" not in text


# ---------------------------------------------------------------- gradio_client on a real server


@pytest.fixture(scope="module")
def server_url(bot: ReportQA):
    with running(bot, host="127.0.0.1") as url:
        yield url


def test_gradio_client_ask(server_url: str) -> None:
    from gradio_client import Client

    client = Client(server_url + "/", verbose=False)
    result = client.predict(REVENUE_QUESTION, 3, api_name="/ask")
    assert result["question"] == REVENUE_QUESTION
    assert result["found"] is True
    assert len(result["passages"]) == 3
    assert "1.6亿元" in _all_passage_text(result)


def test_gradio_client_bad_input_is_a_clean_error(server_url: str) -> None:
    from gradio_client import Client

    client = Client(server_url + "/", verbose=False)
    with pytest.raises(Exception, match="问题不能为空"):
        client.predict("   ", 5, api_name="/ask")
    with pytest.raises(Exception, match="k 必须是"):
        client.predict(REVENUE_QUESTION, 0, api_name="/ask")


def test_unencoded_chinese_query_string(server_url: str) -> None:
    """curl "http://host/api/facts?indicator=财政总收入" sends the UTF-8 bytes as they are."""
    host, port = server_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        _assert_facts_reply_to_unencoded_query(sock)


def _assert_facts_reply_to_unencoded_query(sock: socket.socket) -> None:
    request = "GET /api/facts?indicator=财政总收入 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    sock.sendall(request.encode())
    reply = b""
    while chunk := sock.recv(65536):
        reply += chunk
    assert reply.startswith(b"HTTP/1.1 200"), reply[:200]
    assert "1.6亿元" in reply.decode("utf-8")


def test_unencoded_chinese_query_string_on_a_kept_alive_connection(server_url: str) -> None:
    """The second request of a connection has its request line percent-encoded too."""
    host, port = server_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200"), first[:200]
        _assert_facts_reply_to_unencoded_query(sock)


def test_real_server_json_api(server_url: str) -> None:
    import httpx

    with httpx.Client(base_url=server_url, timeout=60) as http:
        assert http.get("/healthz").json()["status"] == "ok"
        response = http.post("/api/ask", json={"question": "", "k": 5})
        assert response.status_code in (400, 422)
        assert "error" in response.json()


def test_concurrent_http_answers_equal_sequential_ones(bot: ReportQA, server_url: str) -> None:
    """Asks running at once on both cores (the server's thread pool) answer exactly as one at a time."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    items = [json.loads(line) for line in (Path(__file__).parent / "data" / "dev_zimao.jsonl").open()]
    questions = [item["question"] for item in items[:24]]
    expected = {q: bot.ask(q, k=5).to_dict() for q in questions}

    def over_http(question: str) -> dict:
        with httpx.Client(base_url=server_url, timeout=120) as http:
            response = http.post("/api/ask", json={"question": question, "k": 5})
            assert response.status_code == 200
            return response.json()

    asked = questions * 2  # each question twice, in flight beside the others
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(over_http, asked))
    for question, answer in zip(asked, answers, strict=True):
        want = expected[question]
        assert (answer["found"], answer["outcome"], answer["answer"]) == (
            want["found"],
            want["outcome"],
            want["answer"],
        ), question
        assert answer["confidence"] == pytest.approx(want["confidence"], abs=1e-9), question
        assert [p["passage_id"] for p in answer["passages"]] == [p["passage_id"] for p in want["passages"]]


def test_questions_answered_at_once_follow_the_cores_given() -> None:
    # Two per core: one in ONNX Runtime (GIL released) and one in Python, not FastAPI's 40 threads.
    assert asks_at_once(Settings(threads=3)) == 6
    assert asks_at_once(Settings(threads=1)) == 2
    assert asks_at_once(Settings()) >= 2
