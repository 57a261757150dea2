"""Bytes in every encoding a news export arrives in come out as the same clean text."""

from __future__ import annotations

import codecs
import os

import pytest

from narratrace.ingest.decode import DecodeError, decode_bytes, repair_text
from ingest_samples import PNG_1X1

FRENCH = "Le café « résumé » – l’été à Noël, déjà reçu par l’hôpital."


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "latin-1"])
def test_western_encodings(encoding: str) -> None:
    text = FRENCH if encoding != "latin-1" else FRENCH.replace("–", "-").replace("’", "'")
    assert decode_bytes(text.encode(encoding)) == text


def test_short_latin1_text_is_not_read_as_a_central_european_code_page() -> None:
    assert decode_bytes("naïve façade".encode("latin-1")) == "naïve façade"


def test_cyrillic_cp1251() -> None:
    text = "Привет, как дела? Это тест кодировки для новостей."
    assert decode_bytes(text.encode("cp1251")) == text


def test_double_encoded_utf8_is_repaired() -> None:
    mojibake = FRENCH.encode("utf-8").decode("cp1252").encode("utf-8")
    assert "Ã©" in mojibake.decode("utf-8")
    assert decode_bytes(mojibake) == FRENCH


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_bom(bom: bytes, encoding: str) -> None:
    assert decode_bytes(bom + FRENCH.encode(encoding)) == FRENCH


def test_utf8_bom_is_dropped() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + b"hello") == "hello"


def test_newlines_and_control_characters() -> None:
    raw = b"one\r\ntwo\rthree\x00\x07\x1b\tfour\x0c\n" + b"a line of ordinary text\n" * 20
    assert decode_bytes(raw).startswith("one\ntwo\nthree\tfour\na line")


def test_quotes_dashes_and_ligatures_are_kept_as_written() -> None:
    text = "“Curly” and \"straight\" -- em—dash ﬁ ＡＢ…"
    assert decode_bytes(text.encode("utf-8")) == text


def test_a_corrupt_byte_in_utf8_costs_only_itself() -> None:
    raw = "Ünïcödé text ü ö ä é è. ".encode("utf-8") * 5 + b"\xff" + "Café".encode("utf-8")
    assert decode_bytes(raw).endswith("\ufffdCafé")


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n "], ids=["empty", "whitespace"])
def test_empty(raw: bytes) -> None:
    with pytest.raises(DecodeError, match="^empty$"):
        decode_bytes(raw)


@pytest.mark.parametrize("raw", [PNG_1X1, os.urandom(4096), bytes(range(256)) * 8], ids=["png", "random", "all-bytes"])
def test_binary_is_not_text(raw: bytes) -> None:
    with pytest.raises(DecodeError, match="binary content, not text"):
        decode_bytes(raw)


def test_declared_charset_is_tried_first() -> None:
    assert decode_bytes("Zażółć gęślą jaźń".encode("iso8859_2"), declared="iso8859_2") == "Zażółć gęślą jaźń"


@pytest.mark.parametrize(
    "text, repaired",
    [
        ("Ã  la maison", "à la maison"),
        ("â€œcitéâ€\x9d", "“cité”"),
        ("été « déjà » – l’hôpital\xa0: oui", "été « déjà » – l’hôpital\xa0: oui"),
        ("SÃO PAULO", "SÃO PAULO"),
    ],
)
def test_repair_text(text: str, repaired: str) -> None:
    assert repair_text(text) == repaired
