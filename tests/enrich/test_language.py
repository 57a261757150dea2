from __future__ import annotations

import json
from pathlib import Path

import pytest

from narratrace.enrich.language import LanguageStage, detect_language, normalise_language_tag
from narratrace.model import Document

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

NEWS_SENTENCES = {
    "en": "The European Commission announced on Tuesday a new package of sanctions against Russian banks and energy companies.",
    "fr": "Le gouvernement a annoncé mardi un nouveau plan de soutien aux agriculteurs touchés par la sécheresse de l'été dernier.",
    "de": "Die Bundesregierung will die Förderung für Elektroautos im kommenden Jahr deutlich kürzen, wie das Finanzministerium am Montag mitteilte.",
    "es": "El presidente del Gobierno anunció este martes un paquete de medidas para frenar la subida de los precios de la energía.",
    "it": "Il ministro dell'Economia ha presentato ieri in Parlamento la nuova legge di bilancio, che prevede tagli alle tasse per le famiglie.",
    "pt": "O governo brasileiro anunciou nesta segunda-feira um novo programa de investimentos em infraestrutura nas regiões mais pobres do país.",
    "nl": "Het kabinet heeft dinsdag besloten om de steun aan huishoudens met hoge energierekeningen ook volgend jaar voort te zetten.",
    "pl": "Rząd przyjął we wtorek projekt ustawy, która ma obniżyć ceny energii dla gospodarstw domowych i małych firm.",
    "ru": "Министерство иностранных дел России заявило во вторник, что Москва готова продолжить переговоры о поставках зерна.",
    "uk": "Президент України заявив у вівторок, що уряд підготує нову програму відновлення зруйнованих міст до кінця року.",
    "bg": "Правителството одобри в сряда нов план за подкрепа на земеделските производители, засегнати от сушата през лятото.",
    "ar": "أعلنت وزارة الخارجية يوم الثلاثاء أن المفاوضات بين الجانبين ستستأنف الأسبوع المقبل في العاصمة القطرية الدوحة.",
    "fa": "وزارت امور خارجه ایران روز سه‌شنبه اعلام کرد که مذاکرات هسته‌ای هفته آینده در وین از سر گرفته خواهد شد.",
    "tr": "Dışişleri Bakanlığı salı günü yaptığı açıklamada, iki ülke arasındaki müzakerelerin gelecek hafta yeniden başlayacağını duyurdu.",
    "id": "Pemerintah Indonesia mengumumkan pada hari Selasa bahwa harga bahan bakar minyak akan naik mulai bulan depan karena subsidi membengkak.",
    "ms": "Kerajaan Malaysia mengumumkan pada hari Selasa bahawa harga minyak akan dinaikkan mulai bulan hadapan kerana kos subsidi semakin meningkat.",
    "hi": "विदेश मंत्रालय ने मंगलवार को कहा कि दोनों देशों के बीच बातचीत अगले सप्ताह नई दिल्ली में फिर से शुरू होगी।",
    "bn": "পররাষ্ট্র মন্ত্রণালয় মঙ্গলবার জানিয়েছে যে দুই দেশের মধ্যে আলোচনা আগামী সপ্তাহে ঢাকায় আবার শুরু হবে।",
    "zh": "中国外交部发言人周二表示，双方将于下周在北京恢复贸易谈判，并讨论关税问题。",
    "ja": "外務省は火曜日、両国間の交渉が来週東京で再開されると発表した。",
    "ko": "외교부는 화요일 양국 간 협상이 다음 주 서울에서 재개될 것이라고 밝혔다.",
    "el": "Το υπουργείο Εξωτερικών ανακοίνωσε την Τρίτη ότι οι διαπραγματεύσεις μεταξύ των δύο χωρών θα συνεχιστούν την επόμενη εβδομάδα.",
    "he": "משרד החוץ הודיע ביום שלישי כי המשא ומתן בין שתי המדינות יתחדש בשבוע הבא בירושלים.",
    "vi": "Bộ Ngoại giao cho biết hôm thứ Ba rằng các cuộc đàm phán giữa hai nước sẽ được nối lại vào tuần tới tại Hà Nội.",
    "sv": "Regeringen meddelade på tisdagen att stödet till hushåll med höga elräkningar förlängs även under nästa år.",
    "cs": "Vláda ve středu schválila nový plán na podporu zemědělců, které letos postihlo sucho.",
    "ro": "Guvernul a aprobat miercuri un nou plan de sprijin pentru fermierii afectați de secetă în această vară.",
    "hu": "A kormány szerdán új tervet fogadott el a szárazság által sújtott gazdák támogatására.",
    "fi": "Hallitus hyväksyi keskiviikkona uuden suunnitelman kuivuudesta kärsineiden maanviljelijöiden tukemiseksi.",
    "da": "Regeringen har onsdag vedtaget en ny plan for at støtte de landmænd, der er ramt af tørken i sommer.",
    "th": "กระทรวงการต่างประเทศแถลงเมื่อวันอังคารว่าการเจรจาระหว่างสองประเทศจะเริ่มขึ้นอีกครั้งในสัปดาห์หน้า",
    "ur": "وزارت خارجہ نے منگل کو کہا کہ دونوں ممالک کے درمیان مذاکرات اگلے ہفتے اسلام آباد میں دوبارہ شروع ہوں گے۔",
    "tl": "Inanunsyo ng pamahalaan noong Martes na magpapatuloy ang negosasyon sa pagitan ng dalawang bansa sa susunod na linggo.",
}

INDONESIAN = [
    "Presiden Joko Widodo mengatakan pemerintah akan mengalokasikan anggaran sebesar Rp2 triliun untuk membantu usaha "
    "kecil dan menengah yang terdampak banjir. Hal itu disampaikannya dalam konferensi pers setelah rapat kabinet di "
    "Istana Negara, Jakarta, Senin. Menurut dia, bantuan tersebut akan disalurkan melalui kementerian terkait sebelum "
    "akhir Desember karena banyak warga yang kehilangan tempat tinggal.",
    "Kepolisian Daerah Metro Jaya menangkap tiga orang yang diduga terlibat dalam kasus penipuan investasi dengan "
    "kerugian mencapai Rp50 miliar. Para pelaku menjanjikan keuntungan 10 persen per bulan kepada korban. Polisi masih "
    "mendalami kemungkinan adanya tersangka lain, ujar juru bicara Polda Metro Jaya di kantornya, Rabu.",
    "Menteri Luar Negeri Retno Marsudi bertemu dengan mitranya dari Amerika Serikat di Washington untuk membahas kerja "
    "sama ekonomi dan keamanan kawasan. Dalam pertemuan itu, kedua pihak sepakat memperkuat kerja sama di bidang "
    "energi bersih, kesehatan, dan pendidikan.",
    "Bulan lalu, juru bicara Kementerian Pertahanan Rusia Igor Konashenkov mengatakan bahwa tentara bayaran asing "
    "terus berdatangan ke Ukraina.",
]
MALAY = [
    "Perdana Menteri berkata kerajaan akan memperuntukkan RM2 bilion bagi membantu syarikat kecil dan sederhana yang "
    "terjejas akibat banjir. Beliau berkata demikian semasa sidang media selepas mesyuarat Kabinet di Putrajaya hari "
    "ini. Menurut beliau, bantuan itu akan disalurkan menerusi agensi kerajaan sebelum hujung bulan Disember kerana "
    "ramai penduduk kehilangan tempat tinggal.",
    "Polis Diraja Malaysia menahan tiga individu yang dipercayai terlibat dalam kes penipuan pelaburan dengan kerugian "
    "mencecah RM50 juta. Suspek menjanjikan pulangan 10 peratus sebulan kepada mangsa. Jurucakap polis berkata "
    "siasatan masih diteruskan bagi mengesan suspek lain yang mungkin terlibat.",
    "Menteri Luar Negeri bertemu rakan sejawatannya dari Amerika Syarikat di Washington bagi membincangkan kerjasama "
    "ekonomi dan keselamatan serantau. Dalam pertemuan itu, kedua-dua pihak bersetuju untuk mengukuhkan kerjasama "
    "dalam bidang tenaga bersih, kesihatan dan pendidikan.",
    "Tentera Rusia dilaporkan telah berundur dari wilayah utara Ukraine. Menurut pegawai Amerika Syarikat, "
    "pengunduran itu dibuat kerana tentera Rusia kehabisan bekalan dan bahan api.",
]


def test_the_sentences_cover_at_least_24_languages() -> None:
    assert len(NEWS_SENTENCES) >= 24


@pytest.mark.parametrize(("expected", "sentence"), sorted(NEWS_SENTENCES.items()))
def test_news_sentence_languages(expected: str, sentence: str) -> None:
    language, confidence = detect_language(sentence)
    assert language == expected
    assert 0.5 < confidence <= 1.0


def test_traditional_chinese_is_zh() -> None:
    assert detect_language("台灣行政院週二宣布，將投入更多預算協助受颱風影響的農民恢復生產。")[0] == "zh"


@pytest.mark.parametrize("paragraph", INDONESIAN)
def test_indonesian_paragraphs(paragraph: str) -> None:
    assert detect_language(paragraph)[0] == "id"


@pytest.mark.parametrize("paragraph", MALAY)
def test_malay_paragraphs(paragraph: str) -> None:
    assert detect_language(paragraph)[0] == "ms"


def test_marker_words_overrule_cld2_reading_indonesian_as_malay() -> None:
    sentence = "Ini adalah laporan terbaru yang datang dari Suriah karena perang belum usai."
    assert detect_language(sentence)[0] == "id"


@pytest.mark.parametrize("text", ["", "   \n\t", "12 345 678 — 2024-06-18 !!!", "https://example.com/a/b?c=1 #2024 @x"])
def test_text_without_letters_has_no_language(text: str) -> None:
    assert detect_language(text) == (None, 0.0)


def test_urls_hashtags_and_emails_do_not_vote() -> None:
    text = (
        "Le ministre a confirmé la nouvelle hier soir. https://www.example.com/breaking-news-today-world-update "
        "#BreakingNews #WorldNews contact: newsroom@example.com"
    )
    assert detect_language(text)[0] == "fr"


def test_a_hint_decides_between_close_relatives() -> None:
    text = "Pemindahan dilakukan dengan dalih melakukan penyelidikan tambahan."
    assert detect_language(text, hint="id")[0] == "id"
    assert detect_language(text, hint="ms")[0] == "ms"


def test_a_wrong_hint_does_not_override_clear_text() -> None:
    assert detect_language(NEWS_SENTENCES["fr"], hint="en")[0] == "fr"
    assert detect_language("Le ministre a parlé.", hint="en-US")[0] == "fr"


@pytest.mark.parametrize("hint", ["he", "iw", "he-IL", "Hebrew"])
def test_hebrew_is_he_whatever_the_hint_spelling(hint: str) -> None:
    assert detect_language(NEWS_SENTENCES["he"], hint=hint)[0] == "he"


def test_unknown_hints_are_ignored() -> None:
    assert detect_language(NEWS_SENTENCES["de"], hint="klingon-xx")[0] == "de"
    assert detect_language(NEWS_SENTENCES["de"], hint="")[0] == "de"


def test_short_text_has_lower_confidence_than_a_sentence() -> None:
    short = detect_language("Hello world")
    assert short[0] == "en"
    assert short[1] < detect_language(NEWS_SENTENCES["en"])[1]


def test_control_characters_do_not_break_detection() -> None:
    assert detect_language("Der Minister\x00 sagte\x85 am Montag\ud800, dass die Regierung handeln werde.")[0] == "de"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("fr-FR", "fr"), ("pt_BR", "pt"), ("iw", "he"), ("in", "id"), ("fil", "tl"), ("zh-Hant", "zh"), ("zh-TW", "zh"), ("nb", "no"), ("French", "fr"), ("und", None), ("", None), (None, None)],
)
def test_normalise_language_tag(tag: str | None, expected: str | None) -> None:
    assert normalise_language_tag(tag) == expected


def test_stage_sets_language_and_confidence() -> None:
    docs = [Document(origin="a", text=NEWS_SENTENCES["uk"]), Document(origin="b", text=NEWS_SENTENCES["ko"])]
    assert LanguageStage()(docs) is docs
    assert [doc.language for doc in docs] == ["uk", "ko"]
    assert all(doc.meta["language_confidence"] > 0.5 for doc in docs)
    assert all(doc.meta["language_source"] == "text" for doc in docs)


def test_stage_falls_back_to_the_declared_language_when_unsure() -> None:
    unsure = Document(origin="a", text="OK 2024", meta={"declared_language": "pt-BR"})
    clear = Document(origin="b", text=NEWS_SENTENCES["es"], meta={"declared_language": "pt"})
    empty = Document(origin="c", text="", meta={"declared_language": "fr"})
    LanguageStage()([unsure, clear, empty])
    assert (unsure.language, unsure.meta["language_source"]) == ("pt", "declared")
    assert unsure.meta["language_confidence"] < 0.5
    assert (clear.language, clear.meta["language_source"]) == ("es", "text")
    assert (empty.language, empty.meta["language_confidence"]) == ("fr", 0.0)


def test_stage_leaves_language_unset_without_text_or_declaration() -> None:
    doc = Document(origin="a", text="— 42 —")
    LanguageStage()([doc])
    assert doc.language is None and doc.meta["language_source"] is None


def _wmt21_documents() -> list[tuple[str, str]]:
    folder = SHARED_DATA / "wmt21-parallel"
    if not folder.is_dir():
        pytest.skip(f"WMT21 data absent: {folder} does not exist (shared/data sits beside the repository)")
    documents = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            documents.append((record["src_lang"], "\n".join(record["src_segments"])))
            documents.append((record["tgt_lang"], "\n".join(record["ref_segments"])))
    return documents


def test_wmt21_documents_get_their_language() -> None:
    documents = _wmt21_documents()
    wrong = [(expected, text[:80]) for expected, text in documents if detect_language(text)[0] != expected]
    assert len(documents) > 100
    assert 1 - len(wrong) / len(documents) >= 0.99, wrong


def test_seed_languages() -> None:
    folder = SHARED_DATA / "seeds"
    if not folder.is_dir():
        pytest.skip(f"seed articles absent: {folder} does not exist (shared/data sits beside the repository)")
    languages = {path.name[:3]: detect_language(path.read_text(encoding="utf-8"))[0] for path in folder.glob("*.txt")}
    assert languages == {"000": "fr", "001": "fr", "002": "fr", "003": "fr", "004": "id"}
