"""Fixtures over `web_samples`: one store built per session (the encoders dominate the cost) and its server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from web_samples import Demo, Live, build_demo, serve


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build_demo(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="session")
def live(demo: Demo) -> Iterator[Live]:
    yield from serve(demo.db)


@pytest.fixture()
def client(live: Live) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=120) as c:
        yield c
