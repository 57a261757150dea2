"""`/search?q=`: the API's search as a page; a form submit, no script needed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from narratrace.web.api.search import run_search
from narratrace.web.context import WebContext, context
from narratrace.web.templates import templates

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    ctx: Annotated[WebContext, Depends(context)],
    q: Annotated[str, Query(max_length=2000)] = "",
    lang: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    query = q.strip()
    results = run_search(ctx, query, lang or None, 20) if query else []
    with ctx.store() as store:
        languages = [code for code, _ in store.stats().get("language", [])]
    return templates.TemplateResponse(
        request, "search.html", {"q": query, "lang": lang, "results": results, "languages": languages})
