"""`/narratives/{id}` and `/stories/{id}`: who carried it, in which languages, when, why each joined,
and which of its claims fact-checkers already checked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from narratrace.web.context import WebContext, context
from narratrace.web.records import cluster_detail, get_cluster
from narratrace.web.templates import templates

router = APIRouter(include_in_schema=False)


def _page(level: str, cluster_id: str, request: Request, ctx: WebContext, cursor: str | None) -> HTMLResponse:
    with ctx.store() as store:
        found = get_cluster(store, level, cluster_id)
        cluster = cluster_detail(store, found, cursor)
        titles = {m["document"]["id"]: m["document"]["title"] or m["document"]["origin"] for m in cluster["members"]}
        story_ids = (cluster["details"].get("stories") or []) if level == "narrative" else []
        stories = [{"id": s.id, "label": s.label, "size": len(s.documents)}
                   for s in (store.clusters("story", story_ids) if story_ids else [])]
        members = set(found.documents)
        matches = [m for m in store.matches() if m.document in members and m.state != "rejected"]
    timeline = cluster["details"].get("timeline", {})
    languages = sorted({lang for counts in timeline.values() for lang in counts})
    peak = max((n for counts in timeline.values() for n in counts.values()), default=1)
    return templates.TemplateResponse(request, "cluster.html", {
        "cluster": cluster, "titles": titles, "stories": stories, "timeline": timeline,
        "timeline_languages": languages, "peak": peak, "matches": matches,
    })


@router.get("/narratives/{cluster_id}", response_class=HTMLResponse)
def narrative_page(
    cluster_id: str, request: Request, ctx: Annotated[WebContext, Depends(context)], cursor: str | None = None
) -> HTMLResponse:
    return _page("narrative", cluster_id, request, ctx, cursor)


@router.get("/stories/{cluster_id}", response_class=HTMLResponse)
def story_page(
    cluster_id: str, request: Request, ctx: Annotated[WebContext, Depends(context)], cursor: str | None = None
) -> HTMLResponse:
    return _page("story", cluster_id, request, ctx, cursor)
