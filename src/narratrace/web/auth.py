"""The write token: `Authorization: Bearer T` or `X-Token: T`; reads need none.

Write routes check it before FastAPI reads the request body, so an
unauthenticated upload is refused before it is spooled to disk.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from fastapi import Request, Response, Security
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPBearer

from narratrace.web.errors import ApiError

# Declared as route dependencies so the OpenAPI schema and /docs show both ways to
# send the token; they never refuse anything themselves (WriteRoute does).
bearer = HTTPBearer(auto_error=False, description="the token `narratrace serve` printed or was given")
x_token = APIKeyHeader(name="X-Token", auto_error=False, description="the same token, as a header")
TOKEN_SCHEMES = [Security(bearer), Security(x_token)]


def presented_token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-token")


def check_token(request: Request) -> None:
    given = presented_token(request)
    expected: str = request.app.state.context.token
    if given is None or not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "this endpoint needs the server's token "
                       "(Authorization: Bearer TOKEN or X-Token: TOKEN)", {"WWW-Authenticate": "Bearer"})


class WriteRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            check_token(request)
            return await handler(request)

        return guarded
