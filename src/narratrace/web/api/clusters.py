"""`/api/narratives` and `/api/stories`: the clusters, each with its members' evidence and its history.

A merged id keeps answering: it resolves to the cluster that absorbed it, so an id
a client saved before a merge still leads somewhere.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from narratrace.web.context import WebContext, context
from narratrace.web.errors import ERROR_RESPONSES
from narratrace.web.records import cluster_detail, cluster_summary, get_cluster
from narratrace.web.schemas import ClusterDetail, ClusterList

router = APIRouter(prefix="/api", tags=["narratives and stories"], responses=ERROR_RESPONSES)
ClusterId = Annotated[str, Path(min_length=1, max_length=200)]


@router.get("/narratives", response_model=ClusterList, summary="narratives, largest first")
def list_narratives(ctx: Annotated[WebContext, Depends(context)]) -> dict[str, Any]:
    with ctx.store() as store:
        return {"clusters": cluster_summary(store.clusters("narrative"))}


@router.get("/narratives/{cluster_id}", response_model=ClusterDetail,
            summary="one narrative: members with why each joined, timeline, events, stories")
def get_narrative(cluster_id: ClusterId, ctx: Annotated[WebContext, Depends(context)]) -> dict[str, Any]:
    with ctx.store() as store:
        return cluster_detail(store, get_cluster(store, "narrative", cluster_id))


@router.get("/stories", response_model=ClusterList, summary="stories, largest first")
def list_stories(ctx: Annotated[WebContext, Depends(context)]) -> dict[str, Any]:
    with ctx.store() as store:
        return {"clusters": cluster_summary(store.clusters("story"))}


@router.get("/stories/{cluster_id}", response_model=ClusterDetail,
            summary="one story: members with why each joined, timeline, events")
def get_story(cluster_id: ClusterId, ctx: Annotated[WebContext, Depends(context)]) -> dict[str, Any]:
    with ctx.store() as store:
        return cluster_detail(store, get_cluster(store, "story", cluster_id))
