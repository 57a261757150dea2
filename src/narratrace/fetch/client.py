"""A polite, bounded HTTP client for pages, feeds and sitemaps.

Monitoring runs unattended against servers we do not control, so every way a
fetch can go wrong has a bound: robots.txt is obeyed, each host gets one request
per `delay` seconds (longer if its robots.txt asks), responses are capped in
size and time, redirects in number (each hop checked again by the address guard
and by robots.txt), and transient failures (429, 5xx, timeouts) are retried a
few times with growing waits. Conditional requests (ETag, Last-Modified) make a
poll of an unchanged feed cost one 304. Every complete response is archived.
"""

from __future__ import annotations

import email.utils
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Protocol, Self

import httpx
from protego import Protego

from narratrace.fetch.guard import AddressPolicy, GuardedTransport, RefusedAddress
from narratrace.fetch.record import Exchange, WarcRecorder

USER_AGENT = f"narratrace/{version('narratrace')} (story monitoring; obeys robots.txt)"
ROBOTS_AGENT = "narratrace"
REDIRECTS = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 500, 502, 503, 504}
ROBOTS_TTL = 3600.0
UNREACHABLE_ROBOTS_TTL = 600.0
MAX_CRAWL_DELAY = 60.0


@dataclass(slots=True)
class FetchConfig:
    user_agent: str = USER_AGENT
    delay: float = 1.0
    timeout: float = 20.0
    max_seconds: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0
    max_backoff: float = 60.0
    robots: bool = True
    policy: AddressPolicy = field(default_factory=AddressPolicy)


class FetchError(Exception):
    """A URL that gave no usable response; `permanent` says whether asking again later can help."""

    def __init__(self, url: str, reason: str, *, permanent: bool, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.permanent = permanent
        self.status = status


class Refused(FetchError):
    """The guard refused the address or the scheme: nothing was sent, and nothing will be."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason, permanent=True)


@dataclass(slots=True)
class Fetched:
    url: str
    final_url: str
    status: int
    headers: httpx.Headers
    body: bytes
    archive: Path | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def content(self, limit: int) -> bytes:
        """The body with any Content-Encoding undone (we ask for none, some servers send it anyway), capped."""
        encoding = self.headers.get("content-encoding", "").strip().lower()
        if encoding not in ("gzip", "x-gzip", "deflate"):
            return self.body
        inflater = zlib.decompressobj(wbits=47 if encoding != "deflate" else 15)
        data = inflater.decompress(self.body, limit + 1)
        if len(data) > limit:
            raise FetchError(self.url, f"decoded response larger than {limit} bytes", permanent=True)
        return data


class Validators(Protocol):
    """ETag and Last-Modified of earlier responses.

    The fetcher only reads them: the caller remembers a response's validators
    once it has kept what the response said, or a process killed in between
    would be told "304 Not Modified" about entries it never stored.
    """

    def validators(self, url: str) -> tuple[str | None, str | None]: ...


class _Capped(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes
    archive: Path | None


@dataclass(slots=True)
class _Robots:
    rules: Protego | None
    expires: float
    problem: str | None = None


class Fetcher:
    """Not thread-safe: one fetcher per thread; the per-host clock lives in it."""

    def __init__(
        self,
        config: FetchConfig | None = None,
        validators: Validators | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config or FetchConfig()
        self._validators = validators
        self._sleep = sleep
        self._client = httpx.Client(
            transport=GuardedTransport(self.config.policy),
            timeout=httpx.Timeout(self.config.timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": self.config.user_agent, "Accept-Encoding": "identity"},
        )
        self._robots: dict[str, _Robots] = {}
        self._next_turn: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, recorder: WarcRecorder | None = None, *, conditional: bool = True) -> Fetched:
        """The 200 or 304 response for `url` after redirects; FetchError otherwise."""
        return self._follow(url, recorder, conditional=conditional, robots=self.config.robots)

    def _follow(self, url: str, recorder: WarcRecorder | None, *, conditional: bool, robots: bool) -> Fetched:
        try:
            current = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise FetchError(url, f"invalid URL: {exc}", permanent=True) from None
        for _ in range(self.config.max_redirects + 1):
            if current.scheme not in ("http", "https") or not current.host:
                raise Refused(url, f"refused: not an http(s) URL: {current}")
            if robots:
                self._check_robots(url, current, recorder)
            headers = self._conditions(str(current)) if conditional else {}
            answer = self._send(url, current, headers, recorder)
            location = answer.headers.get("location")
            if answer.status in REDIRECTS and location:
                try:
                    current = current.join(location)
                except httpx.InvalidURL as exc:
                    raise FetchError(url, f"invalid redirect {location!r}: {exc}", permanent=True) from None
                continue
            if answer.status not in (200, 304):
                permanent = 400 <= answer.status < 500 and answer.status not in RETRY_STATUSES | {408}
                raise FetchError(url, f"HTTP {answer.status}", permanent=permanent, status=answer.status)
            return Fetched(url, str(current), answer.status, answer.headers, answer.body, answer.archive)
        raise FetchError(url, f"more than {self.config.max_redirects} redirects", permanent=True)

    def _conditions(self, url: str) -> dict[str, str]:
        if self._validators is None:
            return {}
        etag, modified = self._validators.validators(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return headers

    def _send(self, asked: str, url: httpx.URL, headers: dict[str, str], recorder: WarcRecorder | None) -> _Answer:
        """One hop, retried on 429, 5xx and timeouts; every complete response is archived."""
        config = self.config
        for attempt in range(config.retries + 1):
            self._wait_turn(url.host)
            wait = min(config.backoff * 2**attempt, config.max_backoff)
            try:
                exchange = self._once(url, headers)
            except RefusedAddress as exc:
                raise Refused(asked, str(exc)) from None
            except _Capped as exc:
                raise FetchError(asked, exc.reason, permanent=True) from None
            except httpx.HTTPError as exc:
                if attempt == config.retries:
                    raise FetchError(asked, f"{type(exc).__name__}: {exc or 'no detail'}", permanent=False) from None
                self._sleep(wait)
                continue
            archive = recorder.record(exchange) if recorder is not None else None
            answer = _Answer(exchange.status, httpx.Headers(exchange.response_headers), exchange.body, archive)
            if answer.status in RETRY_STATUSES and attempt < config.retries:
                self._sleep(min(_retry_after(answer.headers) or wait, config.max_backoff))
                continue
            return answer
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _once(self, url: httpx.URL, headers: dict[str, str]) -> Exchange:
        config = self.config
        deadline = time.monotonic() + config.max_seconds
        request = self._client.build_request("GET", url, headers=headers)
        response = self._client.send(request, stream=True)
        try:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > config.max_bytes:
                raise _Capped(f"response larger than {config.max_bytes} bytes (Content-Length {declared})")
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_raw():
                total += len(chunk)
                if total > config.max_bytes:
                    raise _Capped(f"response larger than {config.max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise _Capped(f"response took longer than {config.max_seconds:g} s")
                chunks.append(chunk)
        finally:
            response.close()
        return Exchange(
            url=str(url),
            method="GET",
            request_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw],
            status=response.status_code,
            reason=response.reason_phrase,
            response_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
            body=b"".join(chunks),
            ip=request.extensions.get("narratrace_ip"),
            http_version=response.http_version,
        )

    def _wait_turn(self, host: str) -> None:
        """One request per host per interval: the later of our delay and the host's Crawl-delay."""
        now = time.monotonic()
        turn = self._next_turn.get(host, now)
        if turn > now:
            self._sleep(turn - now)
        self._next_turn[host] = max(turn, now) + max(self.config.delay, self._crawl_delay.get(host, 0.0))

    def _check_robots(self, asked: str, url: httpx.URL, recorder: WarcRecorder | None) -> None:
        """FetchError unless the site's robots.txt lets us fetch `url`."""
        origin = str(url.copy_with(path="/", query=None, fragment=None, username=None, password=None))
        robots = self._robots.get(origin)
        if robots is None or robots.expires < time.monotonic():
            robots = self._robots[origin] = self._load_robots(origin, recorder)
            asked_delay = robots.rules.crawl_delay(ROBOTS_AGENT) if robots.rules is not None else None
            self._crawl_delay[url.host] = min(float(asked_delay or 0.0), MAX_CRAWL_DELAY)
        if robots.rules is None:
            raise FetchError(asked, f"robots.txt unreachable ({robots.problem}), so nothing is fetched from "
                             f"{origin} for now", permanent=False)
        if not robots.rules.can_fetch(str(url), ROBOTS_AGENT):
            raise FetchError(asked, f"disallowed by robots.txt: {url}", permanent=True)

    def _load_robots(self, origin: str, recorder: WarcRecorder | None) -> _Robots:
        """RFC 9309: a missing robots.txt (4xx) allows everything; an unreachable one (5xx, network) nothing."""
        expires = time.monotonic() + ROBOTS_TTL
        try:
            fetched = self._follow(origin + "robots.txt", recorder, conditional=False, robots=False)
        except Refused:
            raise
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return _Robots(Protego.parse(""), expires)
            return _Robots(None, time.monotonic() + UNREACHABLE_ROBOTS_TTL, exc.reason)
        text = fetched.content(self.config.max_bytes).decode("utf-8", errors="replace")
        return _Robots(Protego.parse(text), expires)


def _retry_after(headers: httpx.Headers) -> float | None:
    """Retry-After as seconds, whether given as a number or an HTTP date."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
