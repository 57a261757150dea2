"""Realistic inputs shared by the ingest tests, built as the sources publish them."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from narratrace.ingest import read_inputs
from narratrace.ingest.base import ReadOptions, ReadResult, Rejection
from narratrace.model import Document

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)

PARAGRAPHS = [
    "La CIA s'emploie activement à recruter des militants emprisonnés dans le nord-est de la Syrie "
    "pour qu'ils rejoignent le combat en Ukraine, affirme une source informée citée par Sputnik.",
    "Selon cette source, les militants seraient transférés vers la base d'Al-Tanf, près de la frontière "
    "jordanienne, avant d'être acheminés vers l'Europe de l'Est par des intermédiaires.",
    "Les autorités américaines n'ont pas réagi à ces accusations, qui circulent depuis plusieurs semaines "
    "sur des sites francophones et indonésiens, souvent sans lien vers la source d'origine.",
    "Des chercheurs rappellent que des récits semblables étaient déjà apparus en 2017, à propos d'autres "
    "conflits, avec les mêmes chiffres et les mêmes formulations reprises mot pour mot.",
]

MAIN_MARKER = "base d'Al-Tanf"
BOILERPLATE = ["Accueil", "1 254 partages", "Lire aussi", "Newsletter", "Tous droits réservés", "Les plus lus"]


def news_page(
    canonical: str = "https://www.example-news.fr/monde/2022/07/15/cia-syrie-ukraine",
    lang: str = "fr",
    extra_head: str = "",
) -> str:
    """A French news page with a menu, share counts, a read-also box and a footer around the article."""
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>La CIA recruterait des militants en Syrie pour l'Ukraine | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="og:title" content="La CIA recruterait des militants en Syrie pour l'Ukraine">
<meta property="article:published_time" content="2022-07-15T09:30:00+02:00">
<meta property="article:modified_time" content="2022-07-16T11:00:00+02:00">
<link rel="canonical" href="{canonical}">
{extra_head}
</head>
<body>
<header><nav class="menu"><ul>
<li><a href="/">Accueil</a></li><li><a href="/monde">Monde</a></li>
<li><a href="/politique">Politique</a></li><li><a href="/newsletter">Newsletter</a></li>
</ul></nav></header>
<main>
<article>
<h1>La CIA recruterait des militants en Syrie pour l'Ukraine</h1>
<div class="share-bar"><span class="share-count">1 254 partages</span>
<a class="share facebook" href="#">Facebook</a><a class="share twitter" href="#">Twitter</a></div>
<p class="byline">Par la rédaction, le 15 juillet 2022</p>
<div class="article-body">
{body}
<aside class="read-also related"><h3>Lire aussi</h3><ul>
<li><a href="/a">Les plus lus : dix recettes pour l'été</a></li>
<li><a href="/b">Le prix de l'essence au plus haut</a></li></ul></aside>
</div>
</article>
</main>
<footer><p>© Example News 2022. Tous droits réservés.</p><a href="/contact">Contact</a></footer>
</body>
</html>"""


def rss_feed(pub_date: str = "lun., 15 juil. 2022 09:30:00 +0200", language: str | None = "fr-FR") -> str:
    """RSS 2.0 as French CMSes write it: localised pubDate, full body in content:encoded."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    lang = f"<language>{language}</language>" if language else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Le Veilleur</title><link>https://veilleur.example.fr/</link>{lang}
<description>Actualités</description>
<item>
<title>La CIA recruterait des militants en Syrie</title>
<link>https://veilleur.example.fr/cia-syrie</link>
<pubDate>{pub_date}</pubDate>
<description><![CDATA[<p>Un résumé court.</p>]]></description>
<content:encoded><![CDATA[{body}<p><a href="https://facebook.com/share">Partager sur Facebook</a></p>]]>
</content:encoded>
</item>
<item>
<title>Brève</title>
<link>https://veilleur.example.fr/breve</link>
<pubDate>Tue, 16 Jul 2022 08:00:00 +0200</pubDate>
<description><![CDATA[<p>Une brève de <b>deux lignes</b> seulement.</p>]]></description>
</item>
</channel>
</rss>"""


def atom_feed() -> str:
    return """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
<title>Observatoire Atom</title>
<id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
<updated>2022-07-15T09:30:00Z</updated>
<entry>
<title>Premier article</title>
<link href="https://atom.example.org/premier"/>
<id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
<published>2022-07-14T22:30:00-05:00</published>
<updated>2022-07-15T10:00:00Z</updated>
<content type="html">&lt;p&gt;Selon une source informée, la base d'Al-Tanf servirait de point de transit.&lt;/p&gt;
</content>
</entry>
<entry>
<title>Deuxième article</title>
<id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6b</id>
<updated>mardi 16 juillet 2022</updated>
<summary>Texte brut du résumé, sans balises.</summary>
</entry>
</feed>"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def read(*inputs: Path | str, options: ReadOptions | None = None) -> list[ReadResult]:
    return list(read_inputs([str(item) for item in inputs], options or ReadOptions()))


def documents(results: list[ReadResult]) -> list[Document]:
    return [result for result in results if isinstance(result, Document)]


def rejections(results: list[ReadResult]) -> list[Rejection]:
    return [result for result in results if isinstance(result, Rejection)]


def only_document(results: list[ReadResult]) -> Document:
    assert len(results) == 1 and isinstance(results[0], Document), results
    return results[0]


def only_rejection(results: list[ReadResult]) -> Rejection:
    assert len(results) == 1 and isinstance(results[0], Rejection), results
    return results[0]


def write_warc(path: Path, gzip: bool, pages: list[tuple[str, str]], image_uri: str = "https://ex.fr/logo.png") -> Path:
    """A crawl as a crawler writes it: a request before each response, and an image among the pages."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        for uri, html in pages:
            writer.write_record(_request(writer, uri))
            writer.write_record(_response(writer, uri, html.encode("utf-8"), "text/html; charset=utf-8"))
            if image_uri:
                writer.write_record(_response(writer, image_uri, PNG_1X1, "image/png"))
                image_uri = ""
    return path


def _request(writer: WARCWriter, uri: str) -> object:
    headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "ex.fr")], is_http_request=True)
    return writer.create_warc_record(uri, "request", payload=BytesIO(b""), http_headers=headers)


def _response(writer: WARCWriter, uri: str, body: bytes, content_type: str) -> object:
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=headers)
