"""Dates as sources write them, kept with their precision and evidence, and never invented."""

from __future__ import annotations

import pytest

from narratrace.ingest.dates import language_hint, parse_date


@pytest.mark.parametrize(
    "raw, languages, value, precision",
    [
        ("2022-07-15", None, "2022-07-15", "day"),
        ("2022-07-15T23:30:00+02:00", None, "2022-07-15", "day"),
        ("2022-07-15T10:00:00Z", None, "2022-07-15", "day"),
        ("2022-07", None, "2022-07", "month"),
        ("2017", None, "2017", "year"),
        (2017, None, "2017", "year"),
        ("20220715", None, "2022-07-15", "day"),
        (1657843200, None, "2022-07-15", "day"),
        ("1657843200000", None, "2022-07-15", "day"),
        ("Fri, 15 Jul 2022 10:00:00 +0200", None, "2022-07-15", "day"),
        ("lun., 15 juil. 2022 10:00:00 +0200", ["fr"], "2022-07-15", "day"),
        ("15 juillet 2022", ["fr"], "2022-07-15", "day"),
        ("juillet 2022", ["fr"], "2022-07", "month"),
        ("15/07/2022", ["fr"], "2022-07-15", "day"),
        ("Selasa, 12 Juli 2022", ["id"], "2022-07-12", "day"),
    ],
)
def test_parse_date(raw: object, languages: list[str] | None, value: str, precision: str) -> None:
    published = parse_date(raw, f"field date: {raw}", languages)
    assert published is not None
    assert (published.value, published.precision, published.evidence) == (value, precision, f"field date: {raw}")


@pytest.mark.parametrize("raw", ["", "hier", "15 juillet", "n/a", None, True, "3000-01-01", "2022-13"])
def test_no_date_is_invented(raw: object) -> None:
    assert parse_date(raw, "field date", ["fr"]) is None


def test_unknown_language_hint_falls_back() -> None:
    published = parse_date("15 July 2022", "e", ["zz"])
    assert published is not None and published.value == "2022-07-15"


@pytest.mark.parametrize(
    "lang, hint", [("fr-FR", ["fr"]), ("FR", ["fr"]), ("pt_BR", ["pt"]), ("", None), (None, None), ("12", None)]
)
def test_language_hint(lang: object, hint: list[str] | None) -> None:
    assert language_hint(lang) == hint
