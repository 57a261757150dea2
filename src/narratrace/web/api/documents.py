"""`/api/documents`: the stored documents, filtered and paged with an opaque cursor.

The cursor names the last document of the previous page, so paging stays
correct while documents are being added (they arrive at the end of the order).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from narratrace.export import document_record
from narratrace.model import Document
from narratrace.store.base import Store
from narratrace.web.context import WebContext, context
from narratrace.web.cursors import decode_cursor, encode_cursor
from narratrace.web.errors import ERROR_RESPONSES, ApiError
from narratrace.web.records import document_detail, get_document
from narratrace.web.schemas import DocumentDetail, DocumentPage

router = APIRouter(prefix="/api/documents", tags=["documents"], responses=ERROR_RESPONSES)

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def date_span(value: str) -> tuple[str, str]:
    """The first and last day a partial date ("2021", "2021-03") can mean, as comparable strings."""
    parts = value.split("-")
    first = "-".join(parts + ["01"] * (3 - len(parts)))
    last = "-".join(parts + ["12", "31"][len(parts) - 1:]) if len(parts) < 3 else value
    return first, last


def in_range(doc: Document, since: str | None, until: str | None) -> bool:
    """A document whose date may fall in the range is in it; an undated one is not when a bound is set."""
    if since is None and until is None:
        return True
    if doc.published is None:
        return False
    first, last = date_span(doc.published.value)
    return (since is None or last >= date_span(since)[0]) and (until is None or first <= date_span(until)[1])


def _after(store: Store, language: str | None, cursor: str | None) -> Iterator[Document]:
    try:
        yield from store.documents(language, after=None if cursor is None else decode_cursor(cursor))
    except KeyError:
        raise ApiError(400, "invalid_cursor", "the cursor names no stored document") from None


@router.get("", response_model=DocumentPage, summary="stored documents, in ingestion order")
def list_documents(
    ctx: Annotated[WebContext, Depends(context)],
    lang: Annotated[str | None, Query(max_length=16, description="ISO 639-1 language")] = None,
    outlet: Annotated[str | None, Query(max_length=300, description="outlet, exactly as stored")] = None,
    since: Annotated[str | None, Query(pattern=DATE, description="published on or after (YYYY[-MM[-DD]])")] = None,
    until: Annotated[str | None, Query(pattern=DATE, description="published on or before (YYYY[-MM[-DD]])")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    page: list[Document] = []
    more = False
    with ctx.store() as store:
        for doc in _after(store, lang, cursor):
            if (outlet is None or doc.outlet == outlet) and in_range(doc, since, until):
                if len(page) == limit:
                    more = True
                    break
                page.append(doc)
    return {
        "documents": [document_record(d) for d in page],
        "next": encode_cursor(page[-1].id) if more else None,
    }


@router.get("/{doc_id}", response_model=DocumentDetail, summary="one document with its sentences and links")
def read_document(doc_id: str, ctx: Annotated[WebContext, Depends(context)]) -> dict[str, Any]:
    with ctx.store() as store:
        return document_detail(store, get_document(store, doc_id))
