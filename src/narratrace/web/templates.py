"""The Jinja environment of the UI: autoescaping everywhere, and URLs only when they are http(s).

Article text, titles and URLs are hostile; escaping stops markup, but an `href`
still runs a `javascript:` URL, so only web URLs become links.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape


def web_url(value: str | None) -> str | None:
    """The URL if a browser may follow it from our pages, else None (shown as text instead)."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("narratrace", "web/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["web_url"] = web_url
    return env


templates = Jinja2Templates(env=_environment())
