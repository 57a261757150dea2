"""`/documents/{id}`: the text, its metadata, and every copy or translation side by side."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from narratrace.export import document_record
from narratrace.web.context import WebContext, context
from narratrace.web.records import copies, get_document, paragraphs
from narratrace.web.templates import templates

router = APIRouter(include_in_schema=False)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(doc_id: str, request: Request, ctx: Annotated[WebContext, Depends(context)]) -> HTMLResponse:
    with ctx.store() as store:
        doc = get_document(store, doc_id)
        values = {
            "doc": document_record(doc),
            "evidence": doc.published.evidence if doc.published else None,
            "paragraphs": paragraphs(doc),
            "copies": list(copies(store, doc)),
        }
    return templates.TemplateResponse(request, "document.html", values)
