"""`/api/claims` and `/api/factcheck-matches`: check-worthy claims, the fact-checks suggested for them,
and the analyst's decision on each suggestion (a write: it needs the token)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from narratrace.claims.run import stored_claims
from narratrace.web.auth import TOKEN_SCHEMES, WriteRoute
from narratrace.web.context import WebContext, context
from narratrace.web.errors import ERROR_RESPONSES, ApiError, ErrorBody
from narratrace.web.records import get_cluster, get_document
from narratrace.web.schemas import ClaimList, MatchList, MatchRecord, Review

router = APIRouter(prefix="/api", tags=["claims and fact-checks"], responses=ERROR_RESPONSES)
writes = APIRouter(
    prefix="/api", tags=["claims and fact-checks"], route_class=WriteRoute, dependencies=TOKEN_SCHEMES,
    responses={**ERROR_RESPONSES, 401: {"model": ErrorBody, "description": "no or wrong token"}},
)
Key = Annotated[str | None, Query(max_length=2000)]


@router.get("/claims", response_model=ClaimList, summary="check-worthy claims, with their groups and evidence")
def list_claims(
    ctx: Annotated[WebContext, Depends(context)],
    document: Annotated[str | None, Query(max_length=2000, description="one document's (id or origin)")] = None,
    narrative: Key = None,
) -> dict[str, Any]:
    with ctx.store() as store:
        if document:
            docs = [get_document(store, document)]
        elif narrative:
            members = get_cluster(store, "narrative", narrative).documents
            docs = [doc for doc_id in members if (doc := store.get(doc_id)) is not None]
        else:
            docs = None
        claims = stored_claims(store, docs)
    return {"claims": [c.record() | {"language": c.language, "evidence": c.evidence} for c in claims]}


@router.get("/factcheck-matches", response_model=MatchList, summary="fact-checks suggested for stored claims")
def list_matches(
    ctx: Annotated[WebContext, Depends(context)],
    state: Annotated[Literal["suggested", "confirmed", "rejected"] | None, Query()] = None,
    document: Annotated[str | None, Query(max_length=2000, description="one document's (id or origin)")] = None,
) -> dict[str, Any]:
    with ctx.store() as store:
        doc_id = get_document(store, document).id if document else None
        return {"matches": [_match(m) for m in store.matches(state=state, document=doc_id)]}


@writes.post("/factcheck-matches/review", response_model=MatchRecord,
             summary="confirm or reject a suggested fact-check (or set it back to suggested)")
def review(body: Review, ctx: Annotated[WebContext, Depends(context)]) -> dict[str, Any]:
    with ctx.store() as store:
        if not store.review_match(body.claim, body.factcheck, body.state):
            raise ApiError(404, "not_found", f"no match of claim {body.claim!r} with fact-check {body.factcheck!r}")
        found = [m for m in store.matches() if (m.claim, m.factcheck) == (body.claim, body.factcheck)]
    return _match(found[0])


def _match(m: Any) -> dict[str, Any]:
    return m.record() | {"document": m.document, "evidence": m.evidence}
