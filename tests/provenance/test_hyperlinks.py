from __future__ import annotations

from narratrace.provenance import hyperlink_citations


def test_external_links_become_hyperlink_citations(registry) -> None:
    text = "As Sputnik reported, the base was used. Read our earlier piece."
    links = [("Sputnik reported", "https://sputniknews.com/20220701/x.html"),
             ("earlier piece", "https://example-blog.org/2022/earlier"),
             ("home", "https://example-blog.org/")]
    out = hyperlink_citations(links, registry, text=text, own_domain="example-blog.org")
    assert [(c.source, c.canonical, c.kind) for c in out] == [("Sputnik reported", "Sputnik", "hyperlink")]
    assert text[out[0].start : out[0].end] == "Sputnik reported"


def test_anchor_missing_from_text_has_no_offsets(registry) -> None:
    out = hyperlink_citations([("TASS", "https://tass.com/politics/1")], registry, text="")
    assert (out[0].canonical, out[0].start, out[0].end) == ("TASS", -1, -1)
