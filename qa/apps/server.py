"""The HTTP server: a JSON API under ``/api`` and the Gradio interface at ``/``, in one FastAPI app.

``create_app(bot)`` builds the app (tests use it with TestClient); ``serve(bot, host, port)`` runs it
with uvicorn. Bad input always gets a 4xx with ``{"error": "<中文说明>", "code": "<stable code>"}``
(qa.apps.http): a readable line, never a trace.

On a public server (any host but loopback, see qa.apps.guard) the page is read-only for visitors:
changes need the admin token (qa.apps.admin for the HTTP routes, the 管理 login in the UI), questions
are rate limited per client, and every response carries the security headers.

Filters with values that match no document (an unknown ``doc_id``, a year no report has) are not
an error: they leave nothing to search, so the answer is ``found: false`` with no passages, the
same as a search that finds nothing (an empty list matches nothing, too). Unknown filter *keys*
are a 422.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import anyio
import gradio as gr
import uvicorn
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from qa.api import ReportQA
from qa.apps.admin import add_admin_routes
from qa.apps.freshness import SeesOtherWriters
from qa.apps.guard import Guard, Policy, is_loopback, security_headers
from qa.apps.http import LenientHttpToolsProtocol, error_json, validation_error
from qa.apps.messages import explain_error
from qa.apps.models import (
    ERRORS,
    AnswerModel,
    AskRequest,
    DocumentsResponse,
    DocumentTextModel,
    ErrorResponse,
    FactsQuery,
    FactsResponse,
    Health,
    SeriesQuery,
)
from qa.apps.ui import build_ui, ui_assets
from qa.apps.ui.language import ChinesePage
from qa.apps.workers import AskWorkers, ask_with
from qa.embed.onnx import default_threads
from qa.errors import ReportQAError
from qa.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
UI_CONCURRENCY = 8  # Gradio events (chat replies, /ask) running at once
UI_QUEUE_SIZE = 256  # Gradio events waiting at most; more get "queue full"
# Idle keep-alive connections are closed after this long. uvicorn's 5 s equals httpx's own expiry, so
# a client reusing a connection at 5 s raced the server's close and got "connection reset" (seen under
# load); a longer server side leaves the closing to the client.
KEEP_ALIVE_SECONDS = 75
HTTP_MESSAGES = {404: "没有这个地址。", 405: "不支持这个请求方法。", 413: "请求太大。"}


# ---------------------------------------------------------------- app


def create_app(
    bot: ReportQA,
    *,
    ui: bool = True,
    settings: Settings | None = None,
    public: bool = False,
    workers: AskWorkers | None = None,
) -> FastAPI:
    """The FastAPI app: JSON API, health check, and (unless ``ui=False``) the Gradio UI at "/".

    ``settings`` (default ``Settings.from_env()``) holds the admin token, the rate limit, the body cap
    and the frame policy, and names the model cache, which the UI never serves. ``public`` says
    whether the server faces visitors (``serve`` decides it from the host; ``Settings.public`` wins).
    ``workers``: processes that answer ``POST /api/ask`` (qa.apps.workers) instead of this one.
    """
    settings = settings or Settings.from_env()
    policy = Policy.build(settings, public)
    app = FastAPI(
        title="report-qa",
        summary="Answers from Chinese government work reports, quoted from the source.",
        version="1",
        # FastAPI's Swagger/ReDoc pages load their scripts from a CDN, which an offline install
        # cannot reach; the schema itself is served at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    _add_error_handlers(app, policy)
    _add_routes(app, bot, asks_at_once(settings), workers)
    add_admin_routes(app, bot, policy)
    _add_unknown_api_route(app)
    app.add_middleware(NoRemoteFiles)
    app.add_middleware(SeesOtherWriters, bot=bot)
    if ui:
        app.add_middleware(ChinesePage)  # Gradio's own words in Chinese, whatever the browser's language
    app.add_middleware(Guard, policy=policy)  # added last: outermost, so its headers go on everything
    if ui:
        # Mounted last: routes declared above take precedence over the catch-all "/" mount.
        app = gr.mount_gradio_app(
            app,
            # Gradio runs one event at a time by default: with several users (or gradio_client
            # callers) each chat reply waited for every other one. bot.ask is thread-safe, as the
            # JSON API's thread pool already relies on; the queue is bounded so a flood is refused.
            build_ui(bot, policy).queue(default_concurrency_limit=UI_CONCURRENCY, max_size=UI_QUEUE_SIZE),
            path="/",
            ssr_mode=False,  # SSR needs a Node server; the plain client-rendered page is enough
            max_file_size=settings.max_upload_bytes,  # REPORT_QA_MAX_UPLOAD_MB, default 50
            # Gradio serves its own assets and its upload cache, nothing more: the index (documents,
            # uploads) and the model cache are never files it hands out.
            allowed_paths=[],
            blocked_paths=[str(Path(bot.index_dir).resolve()), str(settings.cache_dir.resolve())],
            enable_monitoring=False,  # /gradio_api/monitoring/summary would list event timings
            mcp_server=False,
            # No Gradio footer: its API page, settings panel (a screen recorder, a PWA notice) and run
            # history are for developers, in English; the HTTP API is documented in README and /docs.
            footer_links=[],
            run_history=False,
            show_error=False,  # gr.Error messages still show; other exceptions do not leak internals
            **ui_assets(),
        )
        gradio = next(r.app for r in app.routes if isinstance(r, Mount) and isinstance(r.app, FastAPI))
        # Gradio's own 404 for a path that is neither the page nor the API was {"detail": "Not Found"}.
        gradio.add_exception_handler(404, _http_error)
    return app


def asks_at_once(settings: Settings) -> int:
    """How many questions the JSON API answers at the same time: two per core.

    An ask is ~70% ONNX Runtime (which releases the GIL) and ~30% Python: two per core keep every
    core busy, while FastAPI's default of 40 threads only fight over the GIL. 32 clients on 2 cores
    (bundled report): 131 -> 157 answers/s, p95 378 -> 229 ms; 2, 3 and 4 at once are within noise
    of each other. Further requests wait on the event loop, which costs them nothing.
    """
    return 2 * (settings.threads or default_threads())


def _add_routes(app: FastAPI, bot: ReportQA, at_once: int, workers: AskWorkers | None) -> None:
    # Blocking work runs in worker threads, so the CPU-bound search does not block the event loop
    # that also serves the Gradio page; questions take at most ``at_once`` of them.
    asking = anyio.CapacityLimiter(at_once)

    @app.post("/api/ask", response_model=AnswerModel, responses=ERRORS, tags=["api"])
    async def ask(request: AskRequest) -> Any:
        """Answer a question with the exact sentence from the report and up to ``k`` cited passages."""
        filters = request.filters.to_query() if request.filters else None
        earlier = request.earlier_questions
        if workers is not None:  # the worker writes the reply's JSON: nothing left to do here
            body = await workers.ask(request.question, request.k, filters, earlier)
            return Response(body, media_type="application/json")
        # Made a dict in the worker thread too: the event loop only sends it.
        return await anyio.to_thread.run_sync(
            lambda: ask_with(bot, request.question, request.k, filters, earlier).to_dict(), limiter=asking
        )

    @app.get("/api/documents", response_model=DocumentsResponse, tags=["api"])
    def documents() -> dict[str, Any]:
        """The indexed documents with their metadata."""
        return {"documents": [d.to_dict() for d in bot.documents]}

    no_document = {404: {"model": ErrorResponse, "description": "No such document"}}

    @app.get(
        "/api/documents/{doc_id}",
        response_model=DocumentTextModel,
        responses={**ERRORS, **no_document},
        tags=["api"],
    )
    def document(doc_id: str) -> Any:
        """One indexed document: its metadata and its stored text, so a citation can be checked."""
        info = next((d for d in bot.documents if d.doc_id == doc_id), None)
        if info is None:
            return error_json(404, "not_found", f"没有这份文档：{doc_id}")
        return {**info.to_dict(), "text": bot.document_text(doc_id)}

    @app.get("/api/facts", response_model=FactsResponse, responses=ERRORS, tags=["api"])
    def facts(query: Annotated[FactsQuery, Query()]) -> dict[str, Any]:
        """Key figures (指标, 数值, 变化) of the indexed reports; a doc_id no report has gives none."""
        found = bot.facts(doc_id=query.doc_id, indicator=query.indicator, period=query.period)
        return {"facts": [f.to_dict() for f in found]}

    @app.get("/api/series", response_model=FactsResponse, responses=ERRORS, tags=["api"])
    def series(query: Annotated[SeriesQuery, Query()]) -> dict[str, Any]:
        """One headline figure of an indicator per report, by year (qa.facts.series)."""
        found = bot.series(query.indicator, period=query.period or "plan", filters=query.filters())
        return {"facts": [f.to_dict() for f in found]}

    # HEAD too: uptime monitors and `curl -I` check with it (it fell through to the page's English 404).
    @app.api_route("/healthz", methods=["GET", "HEAD"], response_model=Health, tags=["ops"])
    def healthz() -> dict[str, Any]:
        """Liveness and what is loaded."""
        return {
            "status": "ok",
            "documents": len(bot.documents),
            "passages": bot.passage_count,
            "store": bot.store,
        }


def _add_unknown_api_route(app: FastAPI) -> None:
    # Without this, an unknown /api/... path would fall through to the Gradio mount's HTML 404.
    @app.api_route(
        "/api/{path:path}",
        methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"],
        include_in_schema=False,
    )
    def unknown_api(path: str, request: Request) -> JSONResponse:
        # A full match here beats the partial (wrong-method) match of a real route, so say 405 here:
        # for a templated path too (GET of /api/documents/{doc_id} when only DELETE was served).
        methods = {
            method
            for route in app.routes
            if isinstance(route, APIRoute)
            and route.path != "/api/{path:path}"
            and route.matches(request.scope)[0] is Match.PARTIAL
            for method in route.methods
        }
        if methods:
            allowed = ", ".join(sorted(methods))
            message = f"这个接口不支持 {request.method} 方法，请用 {allowed}。"
            return error_json(405, "method_not_allowed", message, headers={"Allow": allowed})
        return error_json(404, "no_such_endpoint", f"没有这个接口：/api/{path}")


async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    """An HTTP error Starlette or Gradio raised, as the API's error JSON in Chinese."""
    if exc.status_code == 400 and "parsing the body" in str(exc.detail):  # a body not in UTF-8, say
        # A malformed body, as one cut short is: 422 (it had been a 400, unlike README's promise).
        message = "请求体不是有效的 JSON（应为 UTF-8 编码）。"
        return error_json(422, "invalid_json", message, str(exc.detail))
    message = HTTP_MESSAGES.get(exc.status_code, "请求无法处理。")
    return error_json(exc.status_code, f"http_{exc.status_code}", message, str(exc.detail), exc.headers)


def _add_error_handlers(app: FastAPI, policy: Policy) -> None:
    @app.exception_handler(ReportQAError)
    async def bad_input(_: Request, exc: ReportQAError) -> JSONResponse:
        code, message = explain_error(exc)
        return error_json(400, code, message, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_error(exc)

    app.add_exception_handler(StarletteHTTPException, _http_error)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        # A bug, not bad input: log the trace for us, show the client one line and no internals.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        # Starlette answers this outside every middleware, so the security headers are added here.
        return error_json(
            500, "internal_error", "服务器内部错误，请稍后再试。", headers=security_headers(policy)
        )


_REMOTE_FILE = re.compile(r"/file[=/]\s*https?:", re.IGNORECASE)


class NoRemoteFiles:
    """Refuse Gradio's ``/gradio_api/file=<http(s) URL>``, which makes the server fetch that URL.

    An offline server has no business fetching the web for its clients (Gradio would, for public
    addresses); local files there are Gradio's own business (``blocked_paths`` above).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and _REMOTE_FILE.search(scope.get("path", "")):
            await error_json(403, "file_not_allowed", "不允许读取其他网站的文件。")(scope, receive, send)
            return
        await self.app(scope, receive, send)


def serve(
    bot: ReportQA, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, settings: Settings | None = None
) -> None:
    """Run the server until interrupted (the CLI's ``report-qa serve`` calls this). No share link.

    Public unless ``host`` is a loopback address (or ``Settings.public`` says otherwise).
    """
    settings = settings or Settings.from_env()
    policy = Policy.build(settings, not is_loopback(host))
    with ask_workers(bot, settings) as workers:
        app = create_app(bot, settings=settings, public=policy.public, workers=workers)
        print(
            f"report-qa: serving on http://{host}:{port}/  (JSON API: /api/ask, schema: /openapi.json)",
            flush=True,
        )
        print(f"report-qa: {describe(policy)}", flush=True)
        if workers is not None:
            print(f"report-qa: {workers.count} processes answer /api/ask", flush=True)
        uvicorn.run(app, host=host, port=port, **_uvicorn_options(settings))


@contextmanager
def ask_workers(bot: ReportQA, settings: Settings) -> Iterator[AskWorkers | None]:
    """``Settings.ask_workers`` processes answering ``bot``'s JSON API questions for the block (None
    when 0); they stop when it ends."""
    workers = AskWorkers(bot, settings.ask_workers) if settings.ask_workers else None
    try:
        yield workers
    finally:
        if workers is not None:
            workers.close()


def describe(policy: Policy) -> str:
    """One line on who may do what (printed at start; never shows the token)."""
    if policy.open_changes:
        access = "anyone who can reach it may upload and remove reports (loopback, no admin token)"
    elif policy.admin_token:
        access = "read-only for visitors; uploads and removals need the admin token"
    else:
        access = "read-only: no admin token is set (REPORT_QA_ADMIN_TOKEN), so nobody can change the index"
    rate = (
        f"{policy.rate_limit:g} questions/s per client, bursts of {policy.rate_burst}"
        if policy.rate_limit
        else "no rate limit"
    )
    return f"{'public' if policy.public else 'local'}: {access}; {rate}"


def _uvicorn_options(settings: Settings) -> dict[str, Any]:
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told otherwise; here it is trusted from
    # the configured proxies only, and then uvicorn puts the real client into every request.
    proxies = list(settings.trusted_proxies)
    return {
        "log_level": "warning",  # no access log: nothing per request is written anywhere
        "http": LenientHttpToolsProtocol,  # takes unencoded Chinese in a query string (qa.apps.http)
        "loop": "auto",  # uvloop (libuv) where installed: less CPU per request than asyncio's loop
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or None,
    }


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port that is free on ``host`` right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(
    bot: ReportQA, host: str = DEFAULT_HOST, port: int | None = None, settings: Settings | None = None
) -> Iterator[str]:
    """Serve ``bot`` from a background thread for the ``with`` block; yields the base URL.

    For tests and notebooks: the server stops (and its thread ends) when the block exits. Public or
    not as in ``serve``.
    """
    port = port or free_port(host)
    settings = settings or Settings.from_env()
    with ask_workers(bot, settings) as workers:
        app = create_app(bot, settings=settings, public=not is_loopback(host), workers=workers)
        # A short graceful shutdown: Gradio's event streams would otherwise keep the server open.
        config = uvicorn.Config(
            app, host=host, port=port, timeout_graceful_shutdown=2, **_uvicorn_options(settings)
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name=f"report-qa-{port}", daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server on {host}:{port} did not start")
            time.sleep(0.05)
        try:
            yield f"http://{host}:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=15)
