"""`/api/narratives` and `/api/stories`: the clusters, each with its members' evidence and its history.

A merged id keeps answering: it resolves to the cluster that absorbed it, so an id
a client saved before a merge still leads somewhere.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from narratrace.web.context import WebContext, context
from narratrace.web.errors import ERROR_RESPONSES
from narratrace.web.records import MEMBERS_PAGE, cluster_detail, cluster_summary, get_cluster
from narratrace.web.schemas import ClusterDetail, ClusterList

router = APIRouter(prefix="/api", tags=["narratives and stories"], responses=ERROR_RESPONSES)
ClusterId = Annotated[str, Path(min_length=1, max_length=200)]


def _add_routes(level: str, plural: str, what: str) -> None:
    def list_clusters(ctx: Annotated[WebContext, Depends(context)]) -> dict[str, Any]:
        with ctx.store() as store:
            return {"clusters": cluster_summary(store.clusters(level))}

    def get_one(
        cluster_id: ClusterId,
        ctx: Annotated[WebContext, Depends(context)],
        limit: Annotated[int, Query(ge=1, le=500, description="members per page")] = MEMBERS_PAGE,
        cursor: Annotated[str | None, Query(max_length=300, description="`next` of the previous page")] = None,
    ) -> dict[str, Any]:
        with ctx.store() as store:
            return cluster_detail(store, get_cluster(store, level, cluster_id), cursor, limit)

    router.add_api_route(f"/{plural}", list_clusters, response_model=ClusterList, summary=f"{plural}, largest first",
                         operation_id=f"list_{plural}")
    router.add_api_route(f"/{plural}/{{cluster_id}}", get_one, response_model=ClusterDetail,
                         summary=f"one {level}: {what}", operation_id=f"get_{level}")


_add_routes("narrative", "narratives", "members with why each joined, timeline, events, stories, copies among them")
_add_routes("story", "stories", "members with why each joined, timeline, events, copies among them")
