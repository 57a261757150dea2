"""`/docs` without a network: Swagger UI from the `fastapi-offline` package, started by our own script.

FastAPI's default page loads Swagger UI from a CDN and starts it with an inline
script; both are refused here (offline use, and a CSP that allows no inline code).
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from narratrace.web.templates import templates

SWAGGER_ASSETS = str(files("fastapi_offline") / "static")


def install_docs(app: FastAPI) -> None:
    app.mount("/docs/assets", StaticFiles(directory=SWAGGER_ASSETS), name="swagger-assets")

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "docs.html", {"title": app.title})
