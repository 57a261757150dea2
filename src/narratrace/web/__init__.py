"""`narratrace serve`: the web UI and the REST API on one FastAPI app (see `../shared/CLI.md`).

The factory is `narratrace.web.app.create_app`; this package imports nothing
itself, so the other commands do not pay for loading FastAPI.
"""
