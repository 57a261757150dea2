"""Which language a text is written in, as an ISO 639-1 code and a confidence.

pycld2 ships its model and answers in ~0.03 ms a sentence, so every document
(and every sentence, where a stage needs it) can afford it. CLD2 speaks its own
codes (iw, jw, zh-Hant, sr-ME); they are mapped to ISO 639-1 so that they
compare equal to HTML lang attributes and record fields. CLD2 reads most
Indonesian news as Malay: a count of words that only one of the two standards
uses settles that pair (see `_malay_or_indonesian`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import pycld2

from narratrace.model import Document

# CLD2 refuses to name the language of short texts unless asked for its best effort.
SHORT_TEXT_BYTES = 300
# Below this many letters an answer is closer to a guess; the confidence says so.
# A Han, kana or Hangul character carries about as much as a short word and counts double.
FULL_CONFIDENCE_LETTERS = 40
_WIDE_LETTERS_FROM = 0x3000
# The marker-word count needs a sample, not a whole book.
MARKER_SAMPLE_CHARS = 20_000

_NOISE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|[#@][\w-]+")
# pycld2 rejects C0/C1 controls and lone surrogates as "invalid UTF-8".
_UNENCODABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

_CLD2_CODES = frozenset(code for _, code in pycld2.LANGUAGES)
_CLD2_NAMES = {name.lower(): code for name, code in pycld2.LANGUAGES}
_TO_CLD2 = {
    "he": "iw", "jv": "jw", "fil": "tl", "nb": "no", "in": "id",
    "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-hant": "zh-Hant",
}
# BCP 47 says "undetermined", "several", "no linguistic content", "uncoded".
_NOT_A_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})
_TO_ISO = {"iw": "he", "jw": "jv", "in": "id", "ji": "yi", "fil": "tl", "nb": "no", "zh-Hant": "zh", "sr-ME": "sr"}
# Close relatives: when a hint picks one of these over CLD2's plain answer, the hint is believable.
_RELATIVES = (
    frozenset({"id", "ms"}),
    frozenset({"hr", "bs", "sr", "sr-ME"}),
    frozenset({"no", "nn", "da"}),
    frozenset({"zh", "zh-Hant"}),
    frozenset({"pt", "gl"}),
    frozenset({"cs", "sk"}),
)

# Frequent words that one standard uses and the other does not (or spells differently).
# "pejabat" is deliberately absent: it means "office" in Malay but "official" in Indonesian news.
_INDONESIAN_ONLY = frozenset(
    """karena bisa uang serikat kantor bahwa yaitu mobil kendaraan kursi coba mencoba dicoba
    sesudah kemarin besok gratis berhasil persen miliar triliun informasi kebijakan pemilu
    tentara kasus kesehatan perusahaan pengadilan pengacara parlemen partai sekretaris
    mantan kecelakaan proyek kampanye musik nuklir teroris kualitas aktivitas universitas
    komunitas identitas mayoritas minoritas prioritas telepon berbeda ujar ujarnya tuturnya
    agustus maret juni juli desember jepang prancis inggris suriah tiongkok mau resmi
    diperkirakan perserikatan karyawan bandara provinsi kabupaten kalian bapak nggak enggak
    banget sih otomatis pajak menewaskan tewas penghargaan internasional pidana unjuk sedikitnya
    kerusuhan pertandingan putra putranya putri topan terluka pasokan swedia selandia""".split()
)
_MALAY_ONLY = frozenset(
    """kerana boleh wang syarikat bahawa iaitu kenderaan kerusi cuba mencuba dicuba selepas
    percuma berjaya peratus bilion trilion maklumat tentera kes kesihatan mahkamah peguam
    parlimen parti setiausaha kemalangan projek kempen muzik nuklear pengganas kualiti
    aktiviti universiti komuniti identiti majoriti minoriti telefon berbeza ogos mac julai
    disember jepun inggeris mahu rasmi dijangka pertubuhan kakitangan hospital polis sahaja
    manakala semasa mengikut sekiranya menerusi bagaimanapun jurucakap naib cukai undi
    mengundi belanjawan peperiksaan kanak-kanak mangsa bomba lebuhraya automatik agensi terkorban
    sekurang-kurangnya rusuhan tercedera mencederakan kesemua komanwel putera puteranya puteri taufan
    antarabangsa jenayah bekalan""".split()
)


class _Guess(NamedTuple):
    code: str
    percent: int
    reliable: bool


def normalise_language_tag(tag: str | None) -> str | None:
    """ISO 639-1 (ISO 639-3 where no two-letter code exists) from a BCP 47 tag, a CLD2 code or an English name."""
    if not tag or not tag.strip():
        return None
    raw = tag.strip().replace("_", "-")
    if raw in _TO_ISO:
        return _TO_ISO[raw]
    lowered = raw.lower()
    primary = lowered.split("-")[0]
    if primary in _NOT_A_LANGUAGE:
        return None
    if primary.isalpha() and 2 <= len(primary) <= 3:
        return _TO_ISO.get(primary, primary)
    code = _CLD2_NAMES.get(lowered)
    return _iso(code) if code else None


def detect_language(text: str, hint: str | None = None) -> tuple[str | None, float]:
    """The language of `text` and a confidence in [0, 1]; `(None, 0.0)` when there is nothing to read.

    `hint` (an HTML lang attribute, a record's lang field) is passed to CLD2 as a
    prior. Templates often declare the wrong language, so a hint only wins when
    CLD2 is unsure without it or when it picks a close relative of CLD2's answer.
    """
    clean = _UNENCODABLE.sub(" ", _NOISE.sub(" ", text))
    letters = _count_letters(clean, FULL_CONFIDENCE_LETTERS)
    if not letters:
        return None, 0.0
    best_effort = len(clean.encode("utf-8")) < SHORT_TEXT_BYTES
    try:
        guess = _choose(_cld2(clean, None, best_effort), clean, _cld2_hint(hint), best_effort)
    except pycld2.error:
        return None, 0.0
    language = _iso(guess.code)
    if language is None:
        return None, 0.0
    if language in ("id", "ms"):
        language = _malay_or_indonesian(clean, language)
    confidence = guess.percent / 100 * (1.0 if guess.reliable else 0.5) * letters / FULL_CONFIDENCE_LETTERS
    return language, round(min(1.0, confidence), 3)


@dataclass(slots=True)
class LanguageStage:
    """Sets `doc.language`; the declared language fills in where the detector is unsure.

    `doc.meta["language_confidence"]` keeps the detector's confidence and
    `doc.meta["language_source"]` says whether the text or the declaration decided.
    """

    min_confidence: float = 0.5

    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            declared = normalise_language_tag(doc.meta.get("declared_language"))
            language, confidence = detect_language(doc.text or doc.title or "", hint=declared)
            source = "text"
            if declared and (language is None or confidence < self.min_confidence):
                language, source = declared, "declared"
            doc.language = language
            doc.meta["language_confidence"] = confidence
            doc.meta["language_source"] = source if language else None
        return docs


def _count_letters(text: str, enough: int) -> int:
    count = 0
    for match in _LETTER.finditer(text):
        count += 2 if ord(match.group()) >= _WIDE_LETTERS_FROM else 1
        if count >= enough:
            return enough
    return count


def _cld2(text: str, hint: str | None, best_effort: bool) -> _Guess:
    options: dict[str, object] = {"isPlainText": True, "bestEffort": best_effort}
    if hint:
        options["hintLanguage"] = hint
    reliable, _, details = pycld2.detect(text, **options)
    return _Guess(details[0][1], details[0][2], bool(reliable))


def _choose(plain: _Guess, text: str, hint: str | None, best_effort: bool) -> _Guess:
    if hint is None:
        return plain
    hinted = _cld2(text, hint, best_effort)
    if plain.reliable and plain.code != "un" and hinted.code != plain.code:
        return hinted if any({plain.code, hinted.code} <= group for group in _RELATIVES) else plain
    return hinted


def _cld2_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    code = _TO_CLD2.get(hint.strip().replace("_", "-").lower())
    if code is None:
        iso = normalise_language_tag(hint)
        code = _TO_CLD2.get(iso, iso) if iso else None
    return code if code in _CLD2_CODES else None


def _iso(code: str) -> str | None:
    if code in ("un", "xxx", "tlh") or code.startswith(("xx-", "zz")):
        return None
    return _TO_ISO.get(code, code)


def _malay_or_indonesian(text: str, guess: str) -> str:
    """Indonesian and Malay share most of their vocabulary; their spellings and a few everyday words differ.

    Count the words only one standard uses: the side with more of them wins, and
    a tie (often: no marker at all) keeps CLD2's answer.
    """
    words = _WORD.findall(text[:MARKER_SAMPLE_CHARS].casefold())
    indonesian = sum(word in _INDONESIAN_ONLY for word in words)
    malay = sum(word in _MALAY_ONLY for word in words)
    if indonesian > malay:
        return "id"
    if malay > indonesian:
        return "ms"
    return guess
