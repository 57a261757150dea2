"""`/api/search`: the cross-lingual search of `narratrace search`, with the same result records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from narratrace.search import encode_query, search
from narratrace.web.context import WebContext, context
from narratrace.web.errors import ERROR_RESPONSES
from narratrace.web.schemas import SearchResults

router = APIRouter(prefix="/api/search", tags=["search"], responses=ERROR_RESPONSES)


def run_search(ctx: WebContext, q: str, lang: str | None, top: int) -> list[dict[str, Any]]:
    with ctx.models:
        queries = encode_query(q, ctx.threads)
    with ctx.store() as store:
        hits = search(store, q, top=top, language=lang, threads=ctx.threads, centroids=ctx.centroids, queries=queries)
    return [hit.record() for hit in hits]


@router.get("", response_model=SearchResults, summary="semantic and keyword search across languages")
def search_documents(
    ctx: Annotated[WebContext, Depends(context)],
    q: Annotated[str, Query(min_length=1, max_length=2000, description="the query, in any language")],
    lang: Annotated[str | None, Query(max_length=16, description="only documents in this language")] = None,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:
    return {"results": run_search(ctx, q, lang, top)}
