"""`/`: what the store holds, the latest documents, and a way in (search)."""

from __future__ import annotations

from itertools import islice
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from narratrace.export import document_record
from narratrace.web.context import WebContext, context
from narratrace.web.records import cluster_summary
from narratrace.web.templates import templates

router = APIRouter(include_in_schema=False)
LATEST = 12
NARRATIVES = 20


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ctx: Annotated[WebContext, Depends(context)]) -> HTMLResponse:
    with ctx.store() as store:
        stats = store.stats()
        values = {
            "count": store.count(),
            "links": store.count_links(),
            "languages": stats.get("language", []),
            "outlets": stats.get("outlet", [])[:10],
            "latest": [document_record(d) for d in islice(store.documents(newest_first=True), LATEST)],
            "narratives": cluster_summary(store.clusters("narrative"))[:NARRATIVES],
        }
    return templates.TemplateResponse(request, "home.html", values)
