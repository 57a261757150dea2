"""The local web server every fetch test talks to (see `website`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from website import Site


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    yield server
    server.close()
