"""Bytes to clean text, whatever the encoding the file was saved in.

News exports arrive in UTF-8, UTF-16 from Windows tools, cp1252 from old CMSes,
cp1251 from Russian sites, and often double-encoded ("Ã©") after a round trip
through a misconfigured database. Everything downstream (ids, fingerprints,
alignment) compares text, so the same article must decode to the same string.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer
import ftfy

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
WESTERN_LETTERS = frozenset("àâäáãåæçèéêëìíîïñòóôõöøùúûüýÿœšžßÀÂÄÁÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸŒŠŽ")
WESTERN_MARKS = frozenset("«»‘’‚“”„–—…•·°€£§©®ªº±×÷¿¡\xa0")
MAX_ACCENTED_SHARE = 0.3
MAX_NUL_RATIO = 0.01
MIN_PRINTABLE_RATIO = 0.95
JUNK = {"Cc", "Co", "Cn", "Cs"}
CRLF = re.compile(r"\r\n?")
NEWLINES = re.compile(r"\r\n?|[\x85\u2028\u2029]")
CONTINUATION = (  # bytes 0x80-0xBF as Latin-1 and as cp1252 reads them
    "\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    "\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
REPAIRABLE = re.compile(f"[\xc2-\xf4][{CONTINUATION}]|\xc3[ \xa0]|[\x80-\x9f\ud800-\udfff]")
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]")

# Only repairs of broken encodings: quotes, dashes, ligatures and widths are
# part of the text as the outlet wrote it and must survive untouched.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
)


class DecodeError(ValueError):
    """The bytes are not usable text; the message is the rejection reason."""


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode, repair and clean `data`; `declared` is a charset the container named (HTML meta, HTTP header).

    Only CR and CRLF become LF here: U+2028 and NEL may sit raw inside JSON
    strings, so they are left for `clean_text` on the extracted text."""
    if not data.strip():
        raise DecodeError("empty")
    text = repair_text(_decode(data, declared))
    if _printable_ratio(text) < MIN_PRINTABLE_RATIO:
        raise DecodeError("binary content, not text")
    text = CONTROLS.sub("", CRLF.sub("\n", text))
    if not text.strip():
        raise DecodeError("empty")
    return text


def repair_text(text: str) -> str:
    """Undo double encoding; also for strings that reach us escaped (JSON "\\u00c3\\u00a9").

    ftfy costs about a millisecond per article, so it runs only where a mojibake
    pair (a UTF-8 lead byte read as Latin-1, then a continuation byte or the
    space an "à" loses), a C1 control or a lone surrogate shows there may be
    something to repair."""
    return ftfy.fix_text(text, FTFY_CONFIG) if REPAIRABLE.search(text) else text


def clean_text(text: str) -> str:
    """Newlines to \\n and control characters out, so offsets and hashes do not depend on the platform."""
    return CONTROLS.sub("", NEWLINES.sub("\n", text))


def _decode(data: bytes, declared: str | None) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise DecodeError("binary content, not text") from None
    if data.count(0) > MAX_NUL_RATIO * len(data):
        raise DecodeError("binary content, not text")
    if declared:
        text = _try_decode(data, declared)
        if text is not None:
            return text
    text = _try_decode(data, "utf-8")
    if text is not None:
        return text
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace")
    return _guess(data)


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few corrupt bytes keeps its thousands of good characters rather than becoming mojibake."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return good >= 10 * bad


def _guess(data: bytes) -> str:
    """cp1252 when it reads as Western text, else charset-normalizer: alone, it takes short French for Baltic."""
    western = _try_decode(data, "cp1252")
    if western is not None and _looks_western(western):
        return western
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DecodeError("binary content, not text")
    return str(best)


def _looks_western(text: str) -> bool:
    """Accented letters and typographic marks only, and few of them: misread Cyrillic or Polish fails one test."""
    non_ascii = [ch for ch in text if not ch.isascii()]
    if any(ch not in WESTERN_LETTERS and ch not in WESTERN_MARKS for ch in non_ascii):
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    accented = sum(1 for ch in non_ascii if ch in WESTERN_LETTERS)
    return accented <= MAX_ACCENTED_SHARE * letters


def _printable_ratio(text: str) -> float:
    """Control, private-use, unassigned and replacement characters are what binary looks like once decoded."""
    sample = text[:100_000]
    if not sample:
        return 1.0
    bad = sum(1 for ch in sample if ch not in "\n\r\t" and (ch == "\ufffd" or unicodedata.category(ch) in JUNK))
    return 1 - bad / len(sample)
