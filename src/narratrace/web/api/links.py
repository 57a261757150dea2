"""`/api/links` and `/api/compare`: copies and translations, and two documents side by side."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from narratrace.export import link_record
from narratrace.web.context import WebContext, context
from narratrace.web.errors import ERROR_RESPONSES
from narratrace.web.records import comparison, get_document
from narratrace.web.schemas import Comparison, LinkList

router = APIRouter(prefix="/api", tags=["links"], responses=ERROR_RESPONSES)


@router.get("/links", response_model=LinkList, summary="copies and translations, with their evidence")
def list_links(
    ctx: Annotated[WebContext, Depends(context)],
    document: Annotated[str | None, Query(max_length=2000, description="only this document's (id or origin)")] = None,
    kind: Annotated[Literal["duplicate", "translation"] | None, Query()] = None,
) -> dict[str, Any]:
    with ctx.store() as store:
        doc_id = get_document(store, document).id if document else None
        return {"links": [link_record(x) for x in store.links(doc_id) if kind is None or x.kind == kind]}


@router.get("/compare", response_model=Comparison, summary="two documents aligned sentence by sentence")
def compare(
    ctx: Annotated[WebContext, Depends(context)],
    a: Annotated[str, Query(min_length=1, max_length=2000, description="id or origin")],
    b: Annotated[str, Query(min_length=1, max_length=2000, description="id or origin")],
) -> dict[str, Any]:
    with ctx.models, ctx.store() as store:
        return comparison(store, get_document(store, a), get_document(store, b), ctx.threads)
