"""The admin routes of the JSON API: upload and remove documents, read the record of changes.

``POST /api/documents`` (multipart, field ``file``), ``DELETE /api/documents/{doc_id}`` and
``GET /api/changes`` need ``Authorization: Bearer <REPORT_QA_ADMIN_TOKEN>`` whenever the server's
``Policy`` says changes are not open to everyone (qa.apps.guard). A refused request changes nothing
and gets ``{"error": "<Chinese message>", "code": "<stable code>"}`` with 401 or 403. The token is
read from that header only (never from the URL) and never logged.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Query, Request, UploadFile
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from qa.api import ReportQA
from qa.apps.guard import Policy, Refusal, error_response
from qa.apps.messages import namesake_note
from qa.apps.models import (
    ADMIN_ERRORS,
    ERRORS,
    AddedResponse,
    ChangesResponse,
    RefusalResponse,
    RemovedResponse,
)
from qa.errors import DocumentError
from qa.index import audit
from qa.ingest.uploads import add_upload, namesakes, replaced

MAX_CHANGES = 1000  # lines of the audit log one GET returns at most

# auto_error=False: a missing header is answered by Policy.refusal (in Chinese, with a code), not by
# FastAPI's English 403. The scheme still puts "bearer" into the OpenAPI schema.
_bearer = HTTPBearer(auto_error=False, description="REPORT_QA_ADMIN_TOKEN")


class AdminRefused(Exception):
    """Raised by the admin check; ``add_admin_routes`` turns it into the JSON refusal."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.code)
        self.refusal = refusal


def client_address(request: Request) -> str:
    """The client as the audit log records it: its IP address (a trusted proxy's X-Forwarded-For
    already applied by uvicorn)."""
    return request.client.host if request.client else "unknown"


async def one_file(request: Request) -> None:
    """Refuse an upload of several ``file`` fields: the endpoint adds one (a second had been added
    alone, the first dropped without a word). The form is parsed once; the route reads it again."""
    sent = len((await request.form()).getlist("file"))
    if sent > 1:
        raise DocumentError(f"upload one file per request; {sent} were sent")


def add_admin_routes(app: FastAPI, bot: ReportQA, policy: Policy) -> None:
    """Add the admin routes to ``app``; ``policy`` decides who may use them."""

    def admin(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> None:
        refusal = policy.refusal(credentials.credentials if credentials else None)
        if refusal is not None:
            raise AdminRefused(refusal)

    @app.exception_handler(AdminRefused)
    async def refused(_: Request, exc: AdminRefused) -> Response:
        extra = {"www-authenticate": "Bearer"} if exc.refusal.status == 401 else None
        return _response(*error_response(exc.refusal, extra))

    # Open to everyone (a laptop without a token): no check, and the schema then asks for no token.
    guarded = [] if policy.open_changes else [Depends(admin)]
    common: dict[str, Any] = {
        "responses": {**ERRORS, **ADMIN_ERRORS},
        "dependencies": guarded,
        "tags": ["admin"],
    }

    # Plain ``def``: indexing a report embeds it, which must not block the event loop.
    @app.post(
        "/api/documents",
        response_model=AddedResponse,
        **(common | {"dependencies": [*guarded, Depends(one_file)]}),
    )
    def upload(request: Request, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
        """Add a report (.txt .md .html .pdf .docx): the checks and limits of the web upload."""
        with tempfile.TemporaryDirectory(prefix="report-qa-upload-") as folder:
            source = Path(folder) / "upload"
            with open(source, "wb") as out:
                shutil.copyfileobj(file.file, out)
            held = bot.documents
            added = add_upload(bot, source, file.filename or "upload", client=client_address(request))
        older = "、".join(f"《{d.title}》" for d in replaced(held, bot))
        note = f"已替换{older}的旧版本。" if older else None
        if twins := namesakes(added, bot):
            note = namesake_note(twins)
        note = note if added else f"《{file.filename or 'upload'}》的内容已在索引中，未重复加入。"
        return {"added": [d.to_dict() for d in added], "note": note}

    not_found = {404: {"model": RefusalResponse, "description": "No such document"}}

    @app.delete(
        "/api/documents/{doc_id}",
        response_model=RemovedResponse,
        **{**common, "responses": {**common["responses"], **not_found}},
    )
    def remove(request: Request, doc_id: str) -> Any:
        """Remove a document and its passages from the index (not the last one)."""
        if doc_id not in {d.doc_id for d in bot.documents}:
            refusal = Refusal(404, "not_found", f"没有这份文档：{doc_id}")
            return _response(*error_response(refusal))
        info = bot.remove_document(doc_id, client=client_address(request))
        return {"removed": info.to_dict()}

    @app.get("/api/changes", response_model=ChangesResponse, **common)
    def changes(limit: Annotated[int, Query(ge=1, le=MAX_CHANGES)] = 100) -> dict[str, Any]:
        """The newest ``limit`` documents added or removed, oldest first (the audit log)."""
        return {"changes": audit.read(bot.index_dir, limit)}


def _response(status: int, body: bytes, headers: dict[str, str]) -> Response:
    return Response(content=body, status_code=status, headers=headers)
