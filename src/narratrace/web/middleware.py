"""ETags on every GET, the security headers of every response and the Host check, as plain ASGI middleware.

The ETag is a hash of the body, so it changes exactly when what a client would
see changes, whatever stage wrote to the store; a client that sends it back in
If-None-Match gets a 304 without the body.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No page of ours runs inline code, and article text must never run at all.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 weak comparison: a GET revalidates with W/ and strong tags alike."""
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))


class ETags:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        body: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if not message.get("more_body", False):
                await _finish(send, start, b"".join(body), if_none_match)

        await self.app(scope, receive, buffered)


async def _finish(send: Send, start: Message, body: bytes, if_none_match: str | None) -> None:
    headers = MutableHeaders(scope=start)
    if start["status"] == 200:
        etag = headers.get("etag") or f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        headers["etag"] = etag
        headers.setdefault("cache-control", "no-cache")
        if if_none_match and matches(if_none_match, etag):
            del headers["content-length"]
            if "content-type" in headers:
                del headers["content-type"]
            await send({"type": "http.response.start", "status": 304, "headers": start["headers"]})
            await send({"type": "http.response.body", "body": b""})
            return
    await send(start)
    await send({"type": "http.response.body", "body": body})



class TrustedHosts:
    """Refuse requests whose Host header names a host this server was not started for.

    A page on a site whose DNS name is made to rebind to 127.0.0.1 would otherwise
    reach the server from the user's browser, as same-origin, and read the store;
    its requests carry the attacker's name in Host, so checking the name stops it.
    """

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(h.lower().strip("[]") for h in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or "*" in self.hosts:
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host", "")
        try:
            name = urlsplit(f"//{host}").hostname or ""
        except ValueError:
            name = ""
        if name in self.hosts:
            await self.app(scope, receive, send)
            return
        body = json.dumps({"error": {"code": "untrusted_host", "message": (
            "this server answers only to the host names it was started for "
            "(narratrace serve --allow-host NAME adds one)")}}).encode()
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
