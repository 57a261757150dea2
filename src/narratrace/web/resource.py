"""A router and the store methods it reads: the unit in which the app grows with the pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter


@dataclass(frozen=True, slots=True)
class Resource:
    router: APIRouter
    requires: tuple[str, ...] = ()


def offered(store: object, resource: Resource) -> bool:
    """Whether the store implements every method the resource reads."""
    return all(callable(getattr(store, name, None)) for name in resource.requires)
