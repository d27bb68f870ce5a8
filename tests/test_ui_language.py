"""The page is Chinese whatever the browser's language: the script ChinesePage puts into html pages."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from qa.apps.ui.language import DESCRIPTION, ChinesePage, as_chinese_page

PAGE = "<!doctype html><html lang='en'><head><title>t</title></head><body>正文</body></html>"


def test_the_script_goes_first_into_the_head() -> None:
    page = as_chinese_page(PAGE.encode()).decode()
    head = page.index("<head>") + len("<head>")
    assert page[head:].startswith("<script>") and "zh-CN" in page
    assert page.index("</script>") < page.index("<title>")
    assert page.replace(page[head : page.index("</script>") + len("</script>")], "") == PAGE
    assert as_chinese_page(b'{"a": 1}') == b'{"a": 1}'  # no head: left alone


# The head of Gradio's page template as it opens (gradio/templates/frontend/index.html), with the
# preview tags of the page itself after Gradio's own.
GRADIO_HEAD = """<!doctype html><html lang="en"><head>
		<meta charset="utf-8" />
		<meta property="og:title" content="Gradio" />
		<meta property="og:type" content="website" />
		<meta property="og:url" content="{url}" />
		<meta property="og:description" content="Click to try out the app!" />
		<meta
			property="og:image"
			content="https://raw.githubusercontent.com/gradio-app/gradio/main/js/_website/src/lib/assets/img/header-image.jpg"
		/>
		<meta name="twitter:creator" content="@Gradio" />
		<meta name="twitter:title" content="Gradio" />
		<meta property="og:url" content="https://gradio.app/" />
		<meta property="og:title" content="政府工作报告问答" />
		<meta
			property="og:description"
			content=""
		/>
		<meta name="twitter:description" content="" />
</head><body>Gradio</body></html>"""


def test_gradios_own_preview_tags_give_way_to_the_pages_in_chinese() -> None:
    page = as_chinese_page(GRADIO_HEAD.encode()).decode()
    head = page[: page.index("</head>")]
    for gradios in ('"Gradio"', "Click to try", "@Gradio", "githubusercontent", "gradio.app", "{url}"):
        assert gradios not in head
    assert 'property="og:title" content="政府工作报告问答"' in head and 'charset="utf-8"' in head
    assert head.count(DESCRIPTION) == 2 and 'content=""' not in head
    assert page.endswith("<body>Gradio</body></html>")  # the body is the page's own


def _client() -> TestClient:
    async def chunks():  # an html page sent in pieces
        for piece in (PAGE[:20], PAGE[20:]):
            yield piece.encode()

    app = Starlette(
        routes=[
            Route("/", lambda _: HTMLResponse(PAGE)),
            Route("/streamed", lambda _: StreamingResponse(chunks(), media_type="text/html")),
            Route("/json", lambda _: JSONResponse({"head": "<head>"})),
            Route("/gradio", lambda _: HTMLResponse(GRADIO_HEAD)),
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
    for path in ("/", "/gradio"):  # a page's HEAD: no body, and no length it could not know
        head = client.head(path)
        assert head.status_code == 200 and head.content == b"" and "content-length" not in head.headers
    head = client.head("/json")  # anything else as the app answers it
    assert head.content == b"" and int(head.headers["content-length"]) == len(client.get("/json").content)


def test_other_answers_pass_untouched() -> None:
    client = _client()
    assert client.get("/json").json() == {"head": "<head>"}
    assert client.post("/").text == PAGE
