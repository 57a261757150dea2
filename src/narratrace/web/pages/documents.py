"""`/documents/{id}`: the text, its metadata, every copy or translation side by side, and the
fact-checks suggested for its claims, which an analyst with the token confirms or rejects here.

The review is a plain form (the token typed into it), so it works without JavaScript
and under the strict CSP; a wrong token changes nothing and says so.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from narratrace.claims.run import stored_claims
from narratrace.export import document_record
from narratrace.web.context import WebContext, context
from narratrace.web.errors import ApiError
from narratrace.web.records import copies, get_document, paragraphs
from narratrace.web.templates import templates

router = APIRouter(include_in_schema=False)
STATES = ("suggested", "confirmed", "rejected")


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(doc_id: str, request: Request, ctx: Annotated[WebContext, Depends(context)]) -> HTMLResponse:
    with ctx.store() as store:
        doc = get_document(store, doc_id)
        claims = {c.id: c for c in stored_claims(store, [doc])}
        matches = [m for m in store.matches(document=doc.id) if m.claim in claims]
        values = {
            "doc": document_record(doc),
            "evidence": doc.published.evidence if doc.published else None,
            "paragraphs": paragraphs(doc),
            "copies": list(copies(store, doc)),
            "matches": [{"match": m, "claim": claims[m.claim]} for m in matches],
            "reviewed": request.query_params.get("reviewed"),
        }
    return templates.TemplateResponse(request, "document.html", values)


@router.post("/documents/{doc_id}/review")
def review(
    doc_id: str,
    ctx: Annotated[WebContext, Depends(context)],
    claim: Annotated[str, Form(max_length=200)],
    factcheck: Annotated[str, Form(max_length=500)],
    state: Annotated[str, Form(max_length=20)],
    token: Annotated[str, Form(max_length=500)],
) -> Response:
    if not hmac.compare_digest(token.encode(), ctx.token.encode()):
        raise ApiError(401, "unauthorized", "wrong token: the review needs the token `narratrace serve` printed")
    if state not in STATES:
        raise ApiError(422, "invalid_request", f"state must be one of {', '.join(STATES)}")
    with ctx.store() as store:
        doc = get_document(store, doc_id)
        if not store.review_match(claim, factcheck, state):
            raise ApiError(404, "not_found", f"no match of claim {claim!r} with fact-check {factcheck!r}")
    return RedirectResponse(f"/documents/{doc.id}?reviewed={state}#factchecks", status_code=303)
