"""`POST /api/ingest`: uploaded files through the whole pipeline, as `narratrace ingest` runs it.

Uploads are written under fresh names in a temporary folder (the client's file
name never becomes a path), capped one byte past the reader's size limit so an
oversized file costs only that and is rejected by the pipeline like any other.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, File, UploadFile

from narratrace.ingest.base import Rejection
from narratrace.model import Document
from narratrace.pipeline import IngestSummary, Pipeline
from narratrace.web.auth import TOKEN_SCHEMES, WriteRoute
from narratrace.web.context import WebContext, context
from narratrace.web.errors import ERROR_RESPONSES, ErrorBody
from narratrace.web.schemas import IngestReport

router = APIRouter(
    prefix="/api", tags=["ingest"], route_class=WriteRoute, dependencies=TOKEN_SCHEMES,
    responses={**ERROR_RESPONSES, 401: {"model": ErrorBody, "description": "no or wrong token"}},
)


def safe_name(name: str | None, index: int) -> str:
    """A file name that cannot leave its folder, hide, or collide, keeping what is readable of the original."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", name or ""))[-1]
    base = re.sub(r"[^\w.\-]+", "_", base).lstrip("._-")[:100]
    return f"{index:04d}-{base or 'upload'}"


def _copy_capped(source: IO[bytes], target: Path, cap: int) -> None:
    with target.open("wb") as out:
        remaining = cap
        while remaining > 0 and (chunk := source.read(min(1 << 20, remaining))):
            out.write(chunk)
            remaining -= len(chunk)


def _report(summary: IngestSummary, seen: list[Document | Rejection], names: dict[str, str]) -> dict[str, Any]:
    def file_of(origin: str) -> str:
        return names.get(origin.split("#", 1)[0], origin)

    return {
        "read": summary.read, "new": summary.new, "duplicates": summary.duplicates, "links": summary.links,
        "documents": [{"file": file_of(d.origin), "id": d.id, "title": d.title, "language": d.language}
                      for d in seen if isinstance(d, Document)],
        "rejected": [{"file": file_of(r.origin), "reason": r.reason} for r in seen if isinstance(r, Rejection)],
    }


@router.post("/ingest", response_model=IngestReport, summary="upload files and run the whole pipeline on them")
def ingest(
    ctx: Annotated[WebContext, Depends(context)],
    files: Annotated[list[UploadFile], File(description="text, HTML, WARC, RSS/Atom, JSON Lines, JSON or CSV")],
) -> dict[str, Any]:
    settings = ctx.settings()
    seen: list[Document | Rejection] = []
    with tempfile.TemporaryDirectory(prefix="narratrace-upload-") as folder:
        names: dict[str, str] = {}
        for index, upload in enumerate(files):
            path = Path(folder) / safe_name(upload.filename, index)
            _copy_capped(upload.file, path, settings.read.max_bytes + 1)
            names[str(path)] = upload.filename or path.name
        with ctx.models, ctx.store() as store:
            summary = Pipeline(settings).ingest(list(names), store, lambda _, item: seen.append(item))
    return _report(summary, seen, names)
