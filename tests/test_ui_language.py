"""The page is Chinese whatever the browser's language: the script ChinesePage puts into html pages."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from qa.apps.ui.language import ChinesePage, with_chinese_script

PAGE = "<!doctype html><html lang='en'><head><title>t</title></head><body>正文</body></html>"


def test_the_script_goes_first_into_the_head() -> None:
    page = with_chinese_script(PAGE.encode()).decode()
    head = page.index("<head>") + len("<head>")
    assert page[head:].startswith("<script>") and "zh-CN" in page
    assert page.index("</script>") < page.index("<title>")
    assert page.replace(page[head : page.index("</script>") + len("</script>")], "") == PAGE
    assert with_chinese_script(b'{"a": 1}') == b'{"a": 1}'  # no head: left alone


def _client() -> TestClient:
    async def chunks():  # an html page sent in pieces
        for piece in (PAGE[:20], PAGE[20:]):
            yield piece.encode()

    app = Starlette(
        routes=[
            Route("/", lambda _: HTMLResponse(PAGE)),
            Route("/streamed", lambda _: StreamingResponse(chunks(), media_type="text/html")),
            Route("/json", lambda _: JSONResponse({"head": "<head>"})),
            Route("/", lambda _: HTMLResponse(PAGE), methods=["POST"], name="post"),
        ]
    )
    return TestClient(ChinesePage(app))


def test_html_pages_carry_the_script_with_their_length_right() -> None:
    client = _client()
    for path in ("/", "/streamed"):
        response = client.get(path)
        assert response.status_code == 200
        assert "navigator" not in PAGE and "Navigator.prototype" in response.text
        assert int(response.headers["content-length"]) == len(response.content)
        assert response.text.endswith("<body>正文</body></html>")
    head = client.head("/")  # the length a GET gets, without the body
    assert head.content == b"" and int(head.headers["content-length"]) == len(client.get("/").content)


def test_other_answers_pass_untouched() -> None:
    client = _client()
    assert client.get("/json").json() == {"head": "<head>"}
    assert client.post("/").text == PAGE
