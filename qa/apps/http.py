"""The HTTP API's errors as its users read them, and the one fix the HTTP parser needs.

Every refused request is ``{"error": "<中文说明>", "code": "<stable code>"}`` (plus ``detail``, the
library's English line, where there is one, for whoever debugs a client). Request validation (a
body that is no JSON, a missing or blank question, a wrong type, an unknown field) is always a 422;
a question the library refuses (qa.errors) a 400.

``LenientHttpToolsProtocol``: a client that sends Chinese in the query string without percent-encoding
it (``curl "http://host/api/facts?indicator=财政"``) got uvicorn's bare "Invalid HTTP request
received"; the request line is percent-encoded before it is parsed, as a browser would have sent it.
It is uvicorn's httptools protocol (the C parser: a third of the per-request cost of h11's pure
Python, benchmarks/RESULTS.md "Serving on both cores").
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from qa.apps.messages import explain_error
from qa.errors import QuestionError
from qa.pipeline.query import check_text
from qa.settings import MAX_K

_NOT_FIELDS = ("body", "query", "int", "str", "bool", "float")


def error_json(
    status: int, code: str, message: str, detail: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The JSON of a refused request (``detail`` only when given)."""
    body: dict[str, Any] = {"error": message, "code": code}
    if detail:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, headers=headers)


def _one(error: dict[str, Any]) -> tuple[str, str]:
    """(code, Chinese message) of one pydantic error."""
    # Union members show up as location steps ("int", "list[int]"): they are not fields.
    location = [str(x) for x in error.get("loc", ()) if x not in _NOT_FIELDS and "[" not in str(x)]
    field = ".".join(location)
    kind = str(error.get("type", ""))
    if kind == "json_invalid":
        return "invalid_json", "请求体不是有效的 JSON。"
    if field == "question" and kind in ("string_too_short", "blank_question"):
        return "empty_question", "问题不能为空。"
    if field == "question" and kind == "string_too_long":  # in the library's words, as ask --json says it
        try:
            check_text(str(error.get("input") or ""))
        except QuestionError as exc:
            return explain_error(exc)
    if kind == "extra_forbidden":  # before k: /api/facts?k=1 takes no k, it is no k out of range
        return "unknown_field", f"不认识的字段：{field}。"
    if field == "k":
        return "invalid_k", f"k 应是 1 到 {MAX_K} 之间的整数。"
    if kind == "missing":
        return "missing_field", f"缺少字段：{field or '请求体'}。"
    if not field:  # plain `curl -d` sends form data, which FastAPI does not read as JSON
        return "invalid_request", "请求体应是一个 JSON 对象（请求头 Content-Type: application/json）。"
    return "invalid_field", f"字段 {field} 的值不对（{_hint(kind, error)}）。"


def _hint(kind: str, error: dict[str, Any]) -> str:
    """What the value should be, in Chinese, from the pydantic error type."""
    ctx = error.get("ctx") or {}
    if "ge" in ctx or "le" in ctx or kind.startswith(("greater", "less")):
        low, high = ctx.get("ge", ctx.get("gt", "")), ctx.get("le", ctx.get("lt", ""))
        return f"应在 {low} 到 {high} 之间" if low != "" and high != "" else "超出允许范围"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return "类型不对"
    if kind in ("literal_error", "enum"):
        # pydantic writes "'review', 'plan' or 'other'": one list, in Chinese punctuation.
        return "只能取：" + re.sub(r", | or ", "、", str(ctx.get("expected", "")))
    if kind.startswith("string_too"):
        return "长度超出限制"
    return "格式不对"


def validation_error(exc: RequestValidationError) -> JSONResponse:
    """A 422 naming the first problem in Chinese; the offending input is never echoed back (it may
    be 100k characters of question)."""
    errors = list(exc.errors())
    code, message = _one(errors[0]) if errors else ("invalid_request", "请求格式不对。")
    detail = "; ".join(
        dict.fromkeys(
            ".".join(str(x) for x in e.get("loc", ()) if x != "body") + ": " + str(e.get("msg", "invalid"))
            for e in errors
        )
    )
    return error_json(422, code, message, detail[:300] or None)


_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _encode_request_line(data: bytes) -> bytes:
    """``data`` with raw non-ASCII bytes of its first line (the request line) percent-encoded."""
    end = data.find(b"\r\n")
    line = data if end < 0 else data[:end]
    if not _NON_ASCII.search(line):
        return data
    fixed = _NON_ASCII.sub(lambda m: b"%%%02X" % m.group()[0], line)
    return fixed if end < 0 else fixed + data[end:]


class LenientHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, taking a request line with unencoded UTF-8 (see the module doc)."""

    _between_messages = True  # no request has started on this connection yet

    def data_received(self, data: bytes) -> None:
        # Only the start of a request holds its request line; later chunks (bodies) pass untouched.
        if self._between_messages:
            data = _encode_request_line(data)
        super().data_received(data)

    def on_message_begin(self) -> None:
        self._between_messages = False
        super().on_message_begin()

    def on_message_complete(self) -> None:
        self._between_messages = True
        super().on_message_complete()
