"""What keeps a public server safe: who may change the index, how fast a client may ask, how big a
request may be, and the security headers of every response.

Public or not: a server listening on a loopback address (127.0.0.0/8, ::1, ``localhost``) serves one
person on their own machine and works as it always did; any other address (``0.0.0.0``, a LAN or
public IP, a host name) is public. ``Settings.public`` (``REPORT_QA_PUBLIC``, ``report-qa serve
--public``) overrides that, e.g. for a reverse proxy on the same machine, which reaches the server
through 127.0.0.1 on behalf of everyone.

On a public server changes (uploads, removals) need ``Settings.admin_token``; without one there are
none. On a loopback server they are open unless a token is set, which they then need too.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import math
import re
import time
from dataclasses import dataclass
from typing import Any, NamedTuple

from qa.settings import Settings

DEFAULT_RATE_LIMIT = 5.0  # questions per second per client on a public server, unless configured
MAX_TRACKED_CLIENTS = 100_000  # rate-limit buckets kept at most (full ones are dropped first)
MAX_REFUSAL_DELAY = 1.0  # seconds a 429 is held back at most (see Guard)
MULTIPART_SLACK = 1024 * 1024  # an upload's body holds the file plus multipart boundaries and fields

# Requests that cost real work (a question, an upload, a Gradio event) or guess at the token.
_LIMITED = re.compile(
    r"^/(?:api/ask|api/documents(?:/.*)?|api/changes|gradio_api/(?:queue/join|run/|api/|call/|upload))"
)
_UPLOADS = re.compile(r"^/(?:api/documents|gradio_api/upload)/?$")


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach: 127.0.0.0/8, ::1 and ``localhost``."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything, so it counts as public


class Refusal(NamedTuple):
    """Why a change was refused: HTTP status, a stable code, and the message shown (Chinese)."""

    status: int
    code: str
    message: str


ADMIN_DISABLED = Refusal(
    403,
    "admin_disabled",
    "本站对访客只读：服务器没有设置管理员令牌（REPORT_QA_ADMIN_TOKEN），不能上传或删除文档。",
)
TOKEN_REQUIRED = Refusal(
    401, "token_required", "需要管理员令牌：请在 Authorization 请求头中提供 Bearer 令牌。"
)
TOKEN_INVALID = Refusal(403, "token_invalid", "管理员令牌不正确，未做任何更改。")


@dataclass(frozen=True)
class Policy:
    """The access and abuse rules of one server, from its ``Settings`` and whether it is public."""

    public: bool
    admin_token: str
    rate_limit: float  # questions per second per client; 0: off
    rate_burst: int
    max_body_bytes: int
    max_upload_bytes: int
    frame_ancestors: tuple[str, ...]

    @classmethod
    def build(cls, settings: Settings, public: bool) -> Policy:
        """The policy for ``settings``; ``public`` is what the host decided (``Settings.public`` wins)."""
        public = public if settings.public is None else settings.public
        rate = settings.rate_limit
        if rate is None:
            rate = DEFAULT_RATE_LIMIT if public else 0.0
        return cls(
            public=public,
            admin_token=settings.admin_token,
            rate_limit=rate,
            rate_burst=settings.rate_burst,
            max_body_bytes=int(settings.max_body_mb * 1024 * 1024),
            max_upload_bytes=settings.max_upload_bytes + MULTIPART_SLACK,
            frame_ancestors=settings.frame_ancestors,
        )

    @property
    def open_changes(self) -> bool:
        """Anyone may change the index: a loopback server without a token (one person, their laptop)."""
        return not self.public and not self.admin_token

    @property
    def admin_possible(self) -> bool:
        """Whether anyone can ever change the index through this server."""
        return self.open_changes or bool(self.admin_token)

    def refusal(self, token: str | None) -> Refusal | None:
        """None if ``token`` may change the index, else why not. Compared in constant time."""
        if self.open_changes:
            return None
        if not self.admin_token:
            return ADMIN_DISABLED
        if not token:
            return TOKEN_REQUIRED
        if not hmac.compare_digest(token.encode("utf-8"), self.admin_token.encode("utf-8")):
            return TOKEN_INVALID
        return None


def content_security_policy(frame_ancestors: tuple[str, ...]) -> str:
    """The CSP of every response: nothing from another origin.

    Gradio's page needs inline scripts (its config), ``eval`` (event ``js=`` steps such as the chat's
    scroll script), inline styles, and data:/blob: images and workers; it needs no other origin.
    """
    ancestors = " ".join(frame_ancestors) or "'none'"
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        "media-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; "
        f"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
    )


def security_headers(policy: Policy) -> dict[str, str]:
    """The headers every response carries."""
    headers = {
        "Content-Security-Policy": content_security_policy(policy.frame_ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if not policy.frame_ancestors:  # X-Frame-Options cannot name sites: only for "no framing at all"
        headers["X-Frame-Options"] = "DENY"
    return headers


class TokenBuckets:
    """One token bucket per client: ``burst`` questions at once, refilled at ``rate`` per second."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when counted)

    def take(self, client: str, now: float | None = None) -> float:
        """Take a token for ``client``: 0.0 if it had one, else the seconds until it will."""
        now = time.monotonic() if now is None else now
        tokens, then = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > MAX_TRACKED_CLIENTS:
                self._forget_full(now)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled is the same as a new one: forgetting it changes nothing.
        full = [c for c, (t, then) in self._buckets.items() if t + (now - then) * self.rate >= self.burst]
        for client in full:
            del self._buckets[client]


def error_response(refusal: Refusal, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict]:
    """(status, JSON body, headers) of a refusal: ``{"error": message, "code": code}``."""
    body = json.dumps({"error": refusal.message, "code": refusal.code}, ensure_ascii=False).encode()
    return refusal.status, body, {"content-type": "application/json", **(headers or {})}


class Guard:
    """ASGI middleware: request body cap, per-client rate limit, security headers on every response.

    Runs on the event loop only, so the buckets need no lock. The client is the connection's peer
    address, which uvicorn has already replaced by ``X-Forwarded-For`` when (and only when) the peer
    is one of ``Settings.trusted_proxies``.
    """

    def __init__(self, app: Any, policy: Policy) -> None:
        self.app = app
        self.policy = policy
        self.headers = [(k.lower().encode(), v.encode()) for k, v in security_headers(policy).items()]
        self.buckets = TokenBuckets(policy.rate_limit, policy.rate_burst) if policy.rate_limit > 0 else None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(send)
        path = scope.get("path", "")
        # Gradio's GETs fetch the result of an event already counted; GET /api/changes is counted
        # because it checks the token, which must not be guessed at full speed.
        gradio_get = scope["method"] == "GET" and path.startswith("/gradio_api/")
        if self.buckets is not None and not gradio_get and _LIMITED.match(path):
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.buckets.take(client)
            if wait > 0:
                # Answered only once a token would be back (at most a second): a client looping on one
                # connection then costs the server a few requests a second, not hundreds, while the
                # wait holds no thread, just the connection.
                await asyncio.sleep(min(wait, MAX_REFUSAL_DELAY))
                seconds = max(1, math.ceil(wait))
                refusal = Refusal(429, "rate_limited", f"请求太频繁，请 {seconds} 秒后再试。")
                await _respond(send, *error_response(refusal, {"retry-after": str(seconds)}))
                return
        if path.startswith("/gradio_api/upload") and not self.policy.admin_possible:
            # Nothing on a read-only page takes files: Gradio's upload cache stays empty.
            await _respond(send, *error_response(ADMIN_DISABLED))
            return
        cap = self.policy.max_upload_bytes if _UPLOADS.match(path) else self.policy.max_body_bytes
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > cap:
                await _respond(send, *error_response(_too_large(cap)))
                return
        elif scope["method"] in ("POST", "PUT", "PATCH"):
            # No Content-Length (a chunked body): read it here, up to the cap, then hand it on.
            body, complete = await _read_capped(receive, cap)
            if not complete:
                await _respond(send, *error_response(_too_large(cap)))
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send)

    def _with_headers(self, send: Any) -> Any:
        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in self.headers}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + self.headers}
            await send(message)

        return send_with_headers


def _too_large(cap: int) -> Refusal:
    return Refusal(413, "body_too_large", f"请求内容过大：上限 {cap / (1024 * 1024):g} MB。")


async def _respond(send: Any, status: int, body: bytes, headers: dict[str, str]) -> None:
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def _read_capped(receive: Any, cap: int) -> tuple[bytes, bool]:
    """The request body if it is at most ``cap`` bytes: (body, True); else (partial, False)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"", False  # the client went away
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            return b"", False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, receive: Any) -> Any:
    sent = False

    async def replay() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return replay
