from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narratrace.enrich.sentences import MAX_SENTENCE_CHARS, SentenceStage, split_sentences
from narratrace.model import Document, Sentence

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


SCRIPT_CASES = {
    "english": (
        "Mr. Johnson met Dr. Smith at St. Paul's on Tuesday. Sales rose 3.5 percent to $1,000.50 million! "
        "Was it enough? J. K. Rowling did not comment.",
        ["Mr. Johnson met Dr. Smith at St. Paul's on Tuesday.", "Sales rose 3.5 percent to $1,000.50 million!", "Was it enough?", "J. K. Rowling did not comment."],
    ),
    "french": (
        "M. Macron a reçu Mme Dupont et le Prof. Martin à l'Élysée. La réunion a duré 2 h. "
        "« Nous ne céderons pas. » Le porte-parole a ajouté : « Rien n'est décidé. » selon l'AFP.",
        ["M. Macron a reçu Mme Dupont et le Prof. Martin à l'Élysée.", "La réunion a duré 2 h.", "« Nous ne céderons pas. »", "Le porte-parole a ajouté : « Rien n'est décidé. » selon l'AFP."],
    ),
    "german": (
        "Am 18. Juni 2024 traf sich die Regierung, u.a. mit Vertretern der Länder. Die Zahl der Teilnehmer stieg auf 1.000. "
        "Das sagte Nr. 2 der Partei, Dr. Weber, z.B. in Berlin.",
        ["Am 18. Juni 2024 traf sich die Regierung, u.a. mit Vertretern der Länder.", "Die Zahl der Teilnehmer stieg auf 1.000.", "Das sagte Nr. 2 der Partei, Dr. Weber, z.B. in Berlin."],
    ),
    "russian": (
        "Встреча прошла в г. Москве на ул. Тверской. Проф. Иванов и А. С. Петров выступили с докладом. "
        "Контракт подписан в 2020 г. Затем стороны разошлись.",
        ["Встреча прошла в г. Москве на ул. Тверской.", "Проф. Иванов и А. С. Петров выступили с докладом.", "Контракт подписан в 2020 г.", "Затем стороны разошлись."],
    ),
    "greek": (
        "Τι συνέβη στη σύνοδο; Ο κ. Μητσοτάκης μίλησε για την οικονομία. Η συζήτηση συνεχίζεται.",
        ["Τι συνέβη στη σύνοδο;", "Ο κ. Μητσοτάκης μίλησε για την οικονομία.", "Η συζήτηση συνεχίζεται."],
    ),
    "arabic": (
        "قال وزير الخارجية إن المفاوضات ستستأنف الأسبوع المقبل. هل ستنجح هذه الجولة؟ لا أحد يعرف!",
        ["قال وزير الخارجية إن المفاوضات ستستأنف الأسبوع المقبل.", "هل ستنجح هذه الجولة؟", "لا أحد يعرف!"],
    ),
    "urdu": (
        "وزیر اعظم نے کہا کہ حکومت نئی پالیسی لائے گی۔ اجلاس کل ہوگا۔",
        ["وزیر اعظم نے کہا کہ حکومت نئی پالیسی لائے گی۔", "اجلاس کل ہوگا۔"],
    ),
    "hebrew": (
        "ראש הממשלה נפגש היום עם שר החוץ. הפגישה נמשכה שעתיים. מה הוחלט?",
        ["ראש הממשלה נפגש היום עם שר החוץ.", "הפגישה נמשכה שעתיים.", "מה הוחלט?"],
    ),
    "chinese": (
        "外交部发言人周二表示，双方将恢复谈判。“我们希望取得进展。”他说。谈判何时开始？尚不清楚！",
        ["外交部发言人周二表示，双方将恢复谈判。", "“我们希望取得进展。”", "他说。", "谈判何时开始？", "尚不清楚！"],
    ),
    "japanese": (
        "外務省は火曜日に声明を発表した。「交渉は来週再開される」と述べた。詳細は明らかではない。",
        ["外務省は火曜日に声明を発表した。", "「交渉は来週再開される」と述べた。", "詳細は明らかではない。"],
    ),
    "hindi": (
        "सरकार ने नई नीति की घोषणा की। प्रधानमंत्री ने कहा कि यह ऐतिहासिक कदम है॥ क्या यह सफल होगा?",
        ["सरकार ने नई नीति की घोषणा की।", "प्रधानमंत्री ने कहा कि यह ऐतिहासिक कदम है॥", "क्या यह सफल होगा?"],
    ),
    "bengali": (
        "সরকার নতুন নীতি ঘোষণা করেছে। প্রধানমন্ত্রী বলেছেন এটি একটি ঐতিহাসিক পদক্ষেপ।",
        ["সরকার নতুন নীতি ঘোষণা করেছে।", "প্রধানমন্ত্রী বলেছেন এটি একটি ঐতিহাসিক পদক্ষেপ।"],
    ),
    "korean": (
        "외교부는 화요일 성명을 발표했다. 협상은 다음 주에 재개된다.",
        ["외교부는 화요일 성명을 발표했다.", "협상은 다음 주에 재개된다."],
    ),
    "indonesian": (
        "Menurut Prof. Dr. Hadi, harga naik 2,5 persen. Pemerintah belum berkomentar.",
        ["Menurut Prof. Dr. Hadi, harga naik 2,5 persen.", "Pemerintah belum berkomentar."],
    ),
}


@pytest.mark.parametrize("case", sorted(SCRIPT_CASES))
def test_sentences_in_each_script(case: str) -> None:
    text, expected = SCRIPT_CASES[case]
    assert texts(text) == expected


def test_offsets_round_trip_and_exclude_whitespace() -> None:
    text = "  First sentence here.   Second one!  \n\n\t Third line without stop  \n"
    sentences = split_sentences(text)
    assert texts(text) == ["First sentence here.", "Second one!", "Third line without stop"]
    assert sentences[0] == Sentence(2, 22, 0)
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == text[sentence.start : sentence.end].strip()


def test_every_non_empty_line_is_a_paragraph() -> None:
    text = "Title line\nFirst paragraph. Still first.\n\n\nSecond paragraph.\n   \nThird"
    assert [(text[s.start : s.end], s.paragraph) for s in split_sentences(text)] == [
        ("Title line", 0),
        ("First paragraph.", 1),
        ("Still first.", 1),
        ("Second paragraph.", 2),
        ("Third", 3),
    ]


def test_newlines_of_every_kind_are_hard_boundaries() -> None:
    assert texts("one without stop\r\ntwo\rthree\u2028four\u2029five") == ["one without stop", "two", "three", "four", "five"]


def test_urls_and_emails_stay_whole() -> None:
    text = "Read https://example.com/a.b?c=d.e and write to press.office@gov.example.org. Then call us."
    assert texts(text) == ["Read https://example.com/a.b?c=d.e and write to press.office@gov.example.org.", "Then call us."]


def test_ellipses() -> None:
    assert texts("He hesitated… and then left. Silence... Nobody spoke.") == ["He hesitated… and then left.", "Silence...", "Nobody spoke."]


def test_closing_quotes_stay_with_their_sentence() -> None:
    assert texts("He said: “We will win.” The crowd cheered.") == ["He said: “We will win.”", "The crowd cheered."]
    assert texts("«Nous partirons.» Puis il se tut.") == ["«Nous partirons.»", "Puis il se tut."]
    assert texts("»Wir bleiben.« Dann ging er.") == ["»Wir bleiben.«", "Dann ging er."]
    assert texts("“We will win.” she said. (It was late.) Everyone left.") == ["“We will win.” she said.", "(It was late.)", "Everyone left."]


def test_enumerators_and_month_abbreviations() -> None:
    assert texts("1. Introduction to the case\nII. Background") == ["1. Introduction to the case", "II. Background"]
    assert texts("It happened on Jan. 6 at noon. Art. 5 applies.") == ["It happened on Jan. 6 at noon.", "Art. 5 applies."]


def test_stray_punctuation_joins_the_sentence_before() -> None:
    assert texts("The end. . And more.") == ["The end. .", "And more."]


def test_long_sentences_are_cut_near_a_comma_or_space() -> None:
    clause = "the committee reviewed the evidence submitted by the parties"
    text = ", ".join([clause] * 60) + "."
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(text[s.start : s.end].endswith((",", ".")) for s in sentences)
    assert _non_space(text) == "".join(_non_space(text[s.start : s.end]) for s in sentences)


def test_long_text_without_any_space_is_cut_hard() -> None:
    text = "字" * 2500
    assert [s.end - s.start for s in split_sentences(text)] == [1000, 1000, 500]


def test_stage_sets_sentences() -> None:
    docs = [Document(origin="a", text="One. Two."), Document(origin="b", text="")]
    assert SentenceStage()(docs) is docs
    assert docs[0].sentence_texts() == ["One.", "Two."]
    assert docs[1].sentences == []


def _non_space(text: str) -> str:
    return "".join(character for character in text if not character.isspace())


ALPHABET = st.sampled_from(list("aZé Я字 .!?…。！।؟;\n\r\t«»“”\"')(1M") + ["Dr.", "z.B.", "18. Juni", " \u00a0", "\u2028"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=300).map("".join) | st.text(max_size=400))
def test_split_properties(text: str) -> None:
    sentences = split_sentences(text)
    previous_end = 0
    previous_paragraph = -1
    for sentence in sentences:
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert sentence.paragraph >= previous_paragraph
        chunk = text[sentence.start : sentence.end]
        assert chunk.strip() == chunk and chunk
        assert sentence.end - sentence.start <= MAX_SENTENCE_CHARS
        previous_end, previous_paragraph = sentence.end, sentence.paragraph
    assert "".join(_non_space(text[s.start : s.end]) for s in sentences) == _non_space(text)


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ,.")), min_size=1500, max_size=4000))
def test_long_random_lines_respect_the_cap(text: str) -> None:
    sentences = split_sentences(text)
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in sentences)
    assert "".join(_non_space(text[s.start : s.end]) for s in sentences) == _non_space(text)


NEWS_PARAGRAPHS = (
    "The European Commission announced on Tuesday a new package of sanctions against Russian banks and energy "
    "companies, the eleventh since the start of the war. Officials said the measures would target firms that help "
    "Moscow evade existing restrictions, including shipping companies registered in third countries. The package "
    "still needs the unanimous approval of the 27 member states, which diplomats expect before the summer.\n\n"
    "Selon une source informée qui s’est entretenue avec l’agence, l’armée transfère les militants vers la base "
    "d’Al-Tanf, dans le sud du pays, pour leur fournir la formation nécessaire. Les transferts ont lieu sous le "
    "prétexte de « mener des enquêtes supplémentaires ». M. Dupont, porte-parole du ministère, n’a pas souhaité "
    "commenter ces informations lors de son point de presse du 18 juin.\n"
)


def test_splits_at_least_two_megabytes_per_second() -> None:
    sample = NEWS_PARAGRAPHS + "\n\n".join(text for text, _ in SCRIPT_CASES.values())
    text = (sample + "\n") * (2_000_000 // len(sample.encode("utf-8")) + 1)
    best = min(_timed(text) for _ in range(3))
    assert len(text.encode("utf-8")) / best >= 2_000_000


def _timed(text: str) -> float:
    started = time.perf_counter()
    split_sentences(text)
    return time.perf_counter() - started


def test_seed_sentences() -> None:
    folder = SHARED_DATA / "seeds"
    if not folder.is_dir():
        pytest.skip(f"seed articles absent: {folder} does not exist (shared/data sits beside the repository)")
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sentences = split_sentences(text)
        assert _non_space(text) == "".join(_non_space(text[s.start : s.end]) for s in sentences)
        for before, sentence in zip(sentences, sentences[1:]):
            if sentence.paragraph == before.paragraph:
                first_letter = next(c for c in text[sentence.start : sentence.end] if c.isalpha())
                assert not first_letter.islower(), (path.name, text[before.start : sentence.end])
    seed = next(folder.glob("000_*.txt")).read_text(encoding="utf-8")
    assert len(split_sentences(seed)) >= 15
    story = texts(next(folder.glob("003_*.txt")).read_text(encoding="utf-8"))
    ends_with_date = [i for i, sentence in enumerate(story) if sentence.endswith("le 18 juin 2024.")]
    assert len(ends_with_date) == 1 and story[ends_with_date[0] + 1].startswith("La délégation ukrainienne")
