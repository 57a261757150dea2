"""The app factory: the API and the UI on one FastAPI app over one store."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from narratrace import __version__
from narratrace.web import api, pages
from narratrace.web.context import WebContext
from narratrace.web.docs import install_docs
from narratrace.web.errors import install_error_handlers
from narratrace.web.middleware import ETags, SecurityHeaders, TrustedHosts
from narratrace.web.resource import offered

DESCRIPTION = (
    "Documents, cross-lingual search, copies and translations of a narratrace store. "
    "Reads are open; writes need the server's token (`Authorization: Bearer TOKEN` or `X-Token`). "
    'Errors are `{"error": {"code", "message"}}`; GETs carry ETags and answer 304 to If-None-Match.'
)


def create_app(db: str, token: str, threads: int = 2, hosts: Iterable[str] = ("*",)) -> FastAPI:
    """`hosts` are the names the Host header may carry; `narratrace serve` gives loopback and its --host."""
    ctx = WebContext(db=db, token=token, threads=threads)
    app = FastAPI(title="narratrace", version=__version__, description=DESCRIPTION, docs_url=None, redoc_url=None)
    app.state.context = ctx
    install_error_handlers(app)
    with ctx.store() as store:
        for resource in [*api.RESOURCES, *pages.RESOURCES]:
            if offered(store, resource):
                app.include_router(resource.router)
    install_docs(app)
    app.mount("/static", StaticFiles(packages=[("narratrace", "web/static")]), name="static")
    app.add_middleware(ETags)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(TrustedHosts, hosts=hosts)
    return app
