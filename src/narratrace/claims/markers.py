"""What makes a sentence not worth checking, per language, as data.

Check-worthiness rests on language-independent evidence (numbers, dates, names,
attribution), but what pulls a sentence *out* is worded: an opinion ("à mon
avis"), a speculation ("perhaps"), a call to action ("partagez", "baca juga"),
or the reader addressed directly. Each field is a regex alternation matched
case-insensitively on word boundaries; adding a language means adding one
`Markers`, not code. A language without markers is scored on the neutral
evidence alone, which is how it works for every language the corpus adds.

- `opinion`: the writer's judgement or speculation rather than a fact.
- `action`: the reader is told to do something (share, subscribe, read also).
- `personal`: first- and second-person pronouns: the writer or reader speaking,
  which in news prose marks commentary (quotes carry their own attribution,
  which outweighs it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex


@dataclass(frozen=True, slots=True)
class Markers:
    opinion: str
    action: str
    personal: str


MARKERS: dict[str, Markers] = {
    "en": Markers(
        opinion=r"i think|i believe|i feel|in my (?:view|opinion)|we believe|in our view|it seems|perhaps|maybe|"
        r"arguably|hopefully|should|ought to|shameful|disgraceful|outrageous|ridiculous|absurd|wonderful|"
        r"terrible|awful|beautiful|amazing|let us|let's",
        action=r"share (?:this|it)|subscribe|follow us|click (?:here|the)|sign (?:the|our) petition|read (?:also|more)|"
        r"donate|join us|don't miss|do not miss|watch (?:the|this) video|sign up",
        personal=r"i|me|my|we|us|our|you|your",
    ),
    "fr": Markers(
        opinion=r"je pense|je crois|à mon avis|selon moi|nous pensons|il semble|peut-être|sans doute|probablement|"
        r"il faut|il faudrait|devrait|devraient|honteux|honteuse|scandaleux|scandaleuse|ridicule|absurde|"
        r"magnifique|formidable|lamentable",
        action=r"partagez|partager|abonnez-vous|suivez-nous|cliquez|lire aussi|lisez aussi|à lire aussi|en savoir plus|"
        r"lire la suite|signez|faites un don|rejoignez-nous|aller à|ne manquez pas",
        personal=r"je|j|me|moi|mon|ma|mes|nous|notre|nos|vous|votre|vos",
    ),
    "de": Markers(
        opinion=r"ich denke|ich glaube|meiner meinung nach|wir glauben|es scheint|vielleicht|wahrscheinlich|"
        r"sollte|sollten|müsste|müssten|skandalös|lächerlich|absurd|wunderbar|schrecklich|peinlich",
        action=r"teilen sie|abonnieren sie|folgen sie uns|klicken sie|lesen sie auch|mehr zum thema|jetzt spenden|"
        r"unterschreiben sie|verpassen sie nicht",
        personal=r"ich|mich|mir|mein|meine|wir|uns|unser|unsere|du|dich|dein|ihr|euch",
    ),
    "es": Markers(
        opinion=r"creo que|pienso que|en mi opinión|a mi juicio|parece que|quizás|quizá|tal vez|probablemente|"
        r"debería|deberían|hay que|vergonzoso|escandaloso|ridículo|absurdo|maravilloso|terrible",
        action=r"comparte|compártelo|suscríbete|síguenos|haz clic|pincha aquí|lea también|lee también|"
        r"firma la petición|dona|únete",
        personal=r"yo|me|mi|mis|nosotros|nosotras|nuestro|nuestra|nuestros|nuestras|tú|te|tu|tus|usted|ustedes",
    ),
    "it": Markers(
        opinion=r"penso che|credo che|secondo me|a mio avviso|sembra che|forse|probabilmente|dovrebbe|dovrebbero|"
        r"bisogna|vergognoso|scandaloso|ridicolo|assurdo|meraviglioso|terribile",
        action=r"condividi|iscriviti|seguici|clicca|leggi anche|firma la petizione|dona|unisciti",
        personal=r"io|mi|mio|mia|miei|mie|noi|ci|nostro|nostra|nostri|tu|ti|tuo|tua|voi|vostro",
    ),
    "pt": Markers(
        opinion=r"acho que|penso que|creio que|na minha opinião|a meu ver|parece que|talvez|provavelmente|"
        r"deveria|deveriam|é preciso|vergonhoso|escandaloso|ridículo|absurdo|maravilhoso|terrível",
        action=r"compartilhe|partilhe|inscreva-se|siga-nos|clique|leia também|leia mais|assine a petição|doe",
        personal=r"eu|me|meu|minha|meus|minhas|nós|nos|nosso|nossa|você|vocês|te|teu|tua",
    ),
    "ru": Markers(
        opinion=r"я думаю|я считаю|по-моему|на мой взгляд|по моему мнению|кажется|возможно|наверное|вероятно|"
        r"должны бы|следовало бы|позор|позорно|возмутительно|смешно|абсурдно|прекрасно|ужасно",
        action=r"подписывайтесь|поделитесь|читайте также|читайте далее|нажмите|присоединяйтесь|поддержите",
        personal=r"я|меня|мне|мой|моя|мои|мы|нас|нам|наш|наша|наши|ты|тебя|вы|вас|ваш|ваша",
    ),
    "uk": Markers(
        opinion=r"я думаю|я вважаю|на мою думку|мабуть|можливо|ймовірно|варто було б|ганьба|ганебно|абсурдно",
        action=r"підписуйтесь|поділіться|читайте також|натисніть|приєднуйтесь|підтримайте",
        personal=r"я|мене|мені|мій|моя|мої|ми|нас|нам|наш|наша|наші|ти|тебе|ви|вас|ваш|ваша",
    ),
    "pl": Markers(
        opinion=r"myślę że|uważam że|moim zdaniem|wydaje się|może|prawdopodobnie|powinien|powinni|powinno|"
        r"skandaliczne|żenujące|absurdalne|wspaniałe|straszne",
        action=r"udostępnij|subskrybuj|obserwuj nas|kliknij|czytaj także|czytaj też|podpisz petycję|wesprzyj",
        personal=r"ja|mnie|mój|moja|moje|my|nas|nasz|nasza|nasze|ty|ciebie|wy|was|wasz",
    ),
    "tr": Markers(
        opinion=r"bence|bana göre|sanırım|galiba|belki|muhtemelen|olmalı|utanç verici|skandal|saçma|harika|korkunç",
        action=r"paylaşın|abone olun|bizi takip edin|tıklayın|ayrıca okuyun|bunu da okuyun|imzalayın",
        personal=r"ben|beni|bana|benim|biz|bizi|bize|bizim|sen|seni|sana|siz|sizi|size",
    ),
    "ar": Markers(
        opinion=r"أعتقد|أظن|في رأيي|برأيي|ربما|يبدو|من المحتمل|يجب|ينبغي|عار|فضيحة|سخيف|رائع|فظيع",
        action=r"اقرأ أيضا|اقرأ أيضاً|شارك|اشترك|تابعونا|اضغط|انقر|ادعم",
        personal=r"أنا|نحن|أنت|أنتم|لنا|لي",
    ),
    "id": Markers(
        opinion=r"saya pikir|saya rasa|menurut saya|menurut kami|sepertinya|mungkin|barangkali|seharusnya|"
        r"sebaiknya|harus|memalukan|konyol|absurd|luar biasa|mengerikan",
        action=r"baca juga|bagikan|berlangganan|ikuti kami|klik|tanda tangani|dukung kami|jangan lewatkan|simak",
        personal=r"saya|aku|kami|kita|anda|kamu|kalian",
    ),
    "hi": Markers(
        opinion=r"मुझे लगता है|मेरी राय में|मेरे विचार में|शायद|संभवतः|चाहिए|शर्मनाक|बेतुका|अद्भुत|भयानक",
        action=r"शेयर करें|सब्सक्राइब करें|फॉलो करें|क्लिक करें|यह भी पढ़ें|और पढ़ें",
        personal=r"मैं|मुझे|मेरा|मेरी|हम|हमें|हमारा|हमारी|आप|आपका|तुम",
    ),
}
MARKERS["ms"] = MARKERS["id"]


@dataclass(frozen=True, slots=True)
class CompiledMarkers:
    opinion: regex.Pattern[str]
    action: regex.Pattern[str]
    personal: regex.Pattern[str]


def _words(alternation: str) -> regex.Pattern[str]:
    # Latin apostrophes glue "j'ai" and "l'armée": a pronoun followed by an apostrophe is still a word.
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alternation})(?![\p{{L}}\p{{N}}-])", regex.IGNORECASE)


@cache
def markers_for(language: str | None) -> CompiledMarkers | None:
    """The compiled markers of a language (ISO 639-1, region suffixes ignored), or None without any."""
    code = (language or "").split("-")[0].split("_")[0].casefold()
    markers = MARKERS.get(code)
    if markers is None:
        return None
    return CompiledMarkers(_words(markers.opinion), _words(markers.action), _words(markers.personal))
