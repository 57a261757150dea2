"""`narratrace serve`: the web UI and the REST API, bound to loopback unless told otherwise."""

from __future__ import annotations

import argparse
import secrets

from narratrace.store import open_store

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from narratrace.web.app import create_app

    open_store(args.db).close()  # an unusable --db fails here, as one line, before the server starts
    token = args.token or secrets.token_urlsafe(24)
    if not args.token:
        print(f"narratrace: write token (POST /api/ingest): {token}", flush=True)
    print(f"narratrace: serving {args.db} on http://{args.host}:{args.port}/ (API docs at /docs)", flush=True)
    app = create_app(args.db, token, threads=args.threads, hosts=served_hosts(args.host, args.allow_host))
    uvicorn.run(app, host=args.host, port=args.port,
                log_level="debug" if args.debug else "warning", server_header=False)
    return 0


def served_hosts(bind: str, allowed: list[str]) -> list[str]:
    """Loopback names, the bound address and --allow-host; any name when bound to every interface and none given."""
    if bind in ("0.0.0.0", "::") and not allowed:
        return ["*"]
    return sorted({*LOOPBACK_NAMES, bind, *allowed})


def register_serve(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common], help="web UI and REST API")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="a host name clients may use besides loopback and --host (e.g. behind a proxy); repeatable")
    p.add_argument("--token", help="token for write endpoints (default: a fresh one, printed at start)")
    p.add_argument("--threads", type=int, default=2, help="encoder threads for search and ingest")
    p.set_defaults(run=cmd_serve)
