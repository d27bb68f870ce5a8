"""The HTTP API's documents and errors as an integrator meets them, with the real model on the bundled
report: one document's stored text (so a citation can be checked), a 405 for a wrong method on a
templated route, Chinese errors outside /api/ too, filters as a query string writes them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from qa import ReportQA
from tests.test_server import REVENUE_QUESTION


def test_one_documents_text_checks_every_citation(bundled_client: TestClient, bundled_bot: ReportQA) -> None:
    # Found by a helper: offsets could not be checked over HTTP (no route served the stored text, and
    # the file's hard line breaks are joined in it).
    answer = bundled_client.post("/api/ask", json={"question": REVENUE_QUESTION}).json()
    doc_id = answer["passages"][0]["doc_id"]
    document = bundled_client.get(f"/api/documents/{doc_id}").json()
    assert document["doc_id"] == doc_id and document["title"] == bundled_bot.documents[0].title
    for passage in answer["passages"]:
        assert document["text"][passage["start"] : passage["end"]] == passage["text"]
    missing = bundled_client.get("/api/documents/nope")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_a_wrong_method_on_a_documents_route_is_a_405(
    bundled_client: TestClient, bundled_bot: ReportQA
) -> None:
    reply = bundled_client.patch(f"/api/documents/{bundled_bot.documents[0].doc_id}")
    assert reply.status_code == 405 and reply.headers["allow"] == "DELETE, GET"
    assert reply.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("path", ["/docs", "/healthz/", "/API/ask"])
def test_an_unknown_path_outside_the_api_is_a_chinese_error(bundled_client: TestClient, path: str) -> None:
    # It had been Gradio's {"detail": "Not Found"}, in English and with no code.
    reply = bundled_client.get(path)
    assert reply.status_code == 404 and reply.json()["error"] == "没有这个地址。"


def test_a_parameter_a_route_does_not_take_is_named_as_unknown(bundled_client: TestClient) -> None:
    # /api/facts?k=1 had said "k 应是 1 到 20 之间的整数", though 1 is.
    reply = bundled_client.get("/api/facts?k=1")
    assert (reply.status_code, reply.json()["code"]) == (422, "unknown_field")


def test_a_year_filter_in_digits_as_text_is_the_year(bundled_client: TestClient) -> None:
    # As the Python API takes it, a query string gives it and people write it; "二〇二二" is no year.
    asked = {"question": REVENUE_QUESTION, "k": 1}
    as_number = bundled_client.post("/api/ask", json={**asked, "filters": {"year": 2022}}).json()
    as_text = bundled_client.post("/api/ask", json={**asked, "filters": {"year": "2022"}}).json()
    as_written = bundled_client.post("/api/ask", json={**asked, "filters": {"year": "2022年"}}).json()
    assert as_text == as_number == as_written and as_text["found"]
    assert bundled_client.post("/api/ask", json={**asked, "filters": {"year": "二〇二二"}}).status_code == 422
