"""Shared fixtures: where `../shared/data` is, and a skip that says why when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} absent: the shared benchmark data lives beside the checkout")
    return SHARED_DATA


@pytest.fixture(scope="session")
def seeds(shared_data: Path) -> Path:
    return shared_data / "seeds"
