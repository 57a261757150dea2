"""Alerts raised by `watch`: delivered to a webhook and an SMTP server on loopback, once per event."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from website import DEMO, Hook, Page, Site, rss, serve_articles

from narratrace.alerts import ConfigError, load_alerts
from narratrace.alerts.delivery import StdoutChannel
from narratrace.cli import main
from narratrace.store import open_store

COPIED, COPY, UNRELATED = "tarvola-ledger-project-nightwater", "valdoriatoday-ostraleaks", "tarvola-ledger-tram-line"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _rules(tmp_path: Path, hook: str, smtp_port: int, extra: str = "") -> str:
    path = tmp_path / "alerts.yaml"
    path.write_text(f"""
deliver:
  - webhook: {hook}
  - email: {{host: 127.0.0.1, port: {smtp_port}, from: watch@localhost, to: [desk@localhost]}}
rules:
  - {{name: nightwater, type: saved_search, query: "Project Nightwater leaked files", min_score: 0.3}}
  - {{name: laundering, type: registry_copy, outlets: [Valdoria Today]}}
{extra}""", encoding="utf-8")
    return str(path)


def _watch(tmp_path: Path, site: Site, rules: str) -> int:
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"interval: 0s\nsources:\n  - {site.url('/feed.xml')}\n", encoding="utf-8")
    return main(["watch", str(sources), "--db", str(tmp_path / "w.db"), "--once", "--allow-private",
                 "--delay", "0", "--alerts", rules])


def test_alerts_reach_webhook_and_email_once_with_evidence(
    site: Site, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, smtp_port = smtp
    serve_articles(site, [COPIED, COPY, UNRELATED])
    site.routes["/feed.xml"] = Page(rss(site, [COPIED, COPY, UNRELATED]), content_type="application/rss+xml")
    down = Hook()
    port, hook_url = down.server.server_address[1], down.url
    down.close()
    rules = _rules(tmp_path, hook_url, smtp_port)

    assert _watch(tmp_path, site, rules) == 0
    mailed = len(inbox.messages)
    with open_store(str(tmp_path / "w.db")) as store:
        ids = {slug: store.get(site.url(f"/articles/{slug}.html")).id for slug in (COPIED, COPY, UNRELATED)}

    hook = Hook(port)
    try:
        assert _watch(tmp_path, site, rules) == 0
        assert _watch(tmp_path, site, rules) == 0
    finally:
        hook.close()
    received = {(alert["rule"], alert["key"]): alert for alert in hook.received}
    assert len(received) == len(hook.received) == mailed
    searched = {key for rule, key in received if rule == "nightwater"}
    assert {ids[COPIED], ids[COPY]} <= searched and ids[UNRELATED] not in searched
    copy = received[("laundering", f"{ids[COPY]}|{ids[COPIED]}")]
    assert copy["link"] == f"http://127.0.0.1:8000/documents/{ids[COPY]}"
    assert copy["evidence"]["listed_outlet"] == "Valdoria Today"
    assert copy["evidence"]["original"]["outlet"] == "The Tarvola Ledger"
    assert copy["evidence"]["link_kind"] == "duplicate" and copy["evidence"]["coverage_copy"] > 0.9
    assert all(alert["evidence"] and alert["document"]["id"] for alert in hook.received)

    message = message_from_bytes(next(m for m in inbox.messages if b"Valdoria Today published" in m))
    assert message["To"] == "desk@localhost" and message["Subject"].startswith("[narratrace] Valdoria Today published")
    body, attachment = [part.get_payload(decode=True) for part in message.walk() if not part.is_multipart()]
    assert f"Open: http://127.0.0.1:8000/documents/{ids[COPY]}" in body.decode()
    assert json.loads(attachment)["key"] == copy["key"]


def test_stdout_channel_writes_one_json_line() -> None:
    stream = io.StringIO()
    StdoutChannel(stream).deliver({"rule": "r", "title": "t"})
    assert stream.getvalue() == '{"rule": "r", "title": "t"}\n'


def test_a_narrative_reaching_a_new_language_alerts_once_with_the_languages_before(
    site: Site, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    english, french, arabic = ("tarvola-ledger-project-nightwater", "courrier-ostra-documents-nightwater",
                               "alufuq-wathaiq-nightwater")
    serve_articles(site, [english, french, arabic])
    hook = Hook()
    rules = _rules(tmp_path, hook.url, smtp[1], "  - {name: spread, type: narrative, events: [new_language]}")
    try:
        site.routes["/feed.xml"] = Page(rss(site, [english, french]), content_type="application/rss+xml")
        assert _watch(tmp_path, site, rules) == 0
        before = [a for a in hook.received if a["rule"] == "spread"]
        site.routes["/feed.xml"] = Page(rss(site, [english, french, arabic]), content_type="application/rss+xml")
        assert _watch(tmp_path, site, rules) == 0
        assert _watch(tmp_path, site, rules) == 0
    finally:
        hook.close()
    spread = [a for a in hook.received if a["rule"] == "spread"]
    assert len({a["key"] for a in spread}) == len(spread), "an event was raised twice"
    (reached,) = [a for a in spread if a not in before]
    assert reached["document"]["language"] == "ar" and reached["key"].endswith("|new_language|ar")
    assert reached["evidence"]["languages_before"] == ["en", "fr"]
    assert reached["link"] == f"http://127.0.0.1:8000/narratives/{reached['evidence']['narrative']}"
    with open_store(str(tmp_path / "w.db")) as store:
        (narrative,) = store.clusters("narrative", [reached["evidence"]["narrative"]])
        assert reached["document"]["id"] in narrative.documents and len(narrative.documents) >= 3


def test_a_debunked_claim_coming_back_alerts_with_the_analysts_confirmation(
    site: Site, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    english, french = "tarvola-ledger-project-nightwater", "courrier-ostra-documents-nightwater"
    serve_articles(site, [english, french])
    db = str(tmp_path / "w.db")
    assert main(["factchecks", "import", str(DEMO / "corpus" / "html" / "ostracheck-kastrel-lab-false.html"), "--db", db,
                 "--quiet"]) == 0
    hook = Hook()
    rules = _rules(tmp_path, hook.url, smtp[1], "  - {name: debunked, type: factcheck, min_score: 0.7}\n"
                   "  - {name: confirmed, type: factcheck, min_score: 0.6, confirmed_only: true}")
    try:
        site.routes["/feed.xml"] = Page(rss(site, [english]), content_type="application/rss+xml")
        assert _watch(tmp_path, site, rules) == 0
        first = [a for a in hook.received if a["rule"] in ("debunked", "confirmed")]
        with open_store(db) as store:
            matched = store.matches(state="suggested")
            assert matched and {m.document for m in matched} == {first[0]["document"]["id"]}
            best = max(matched, key=lambda m: m.score)
            store.review_match(best.claim, best.factcheck, "confirmed")
        site.routes["/feed.xml"] = Page(rss(site, [english, french]), content_type="application/rss+xml")
        assert _watch(tmp_path, site, rules) == 0
        assert _watch(tmp_path, site, rules) == 0
    finally:
        hook.close()
    assert [a["rule"] for a in first] == ["debunked"]
    assert first[0]["evidence"]["rating"] == "False" and first[0]["evidence"]["score"] >= 0.7
    assert first[0]["link"].endswith("#factchecks") and "rated False" in first[0]["title"]
    later = [a for a in hook.received if a["rule"] == "confirmed"]
    assert len(later) == 1 and later[0]["document"]["language"] == "fr"
    assert later[0]["evidence"]["confirmed_on"] == [first[0]["document"]["id"]]
    keys = [(a["rule"], a["key"]) for a in hook.received]
    assert len(keys) == len(set(keys)), "an alert was raised twice"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [{name: a, type: keyword}]", "unknown type 'keyword'"),
        ("rules: [{name: a, type: saved_search}]", "a saved_search needs a query"),
        ("rules: [{name: a, type: factcheck, min_score: 7}]", "min_score is a fused retrieval score in [0, 1]"),
        ("rules: [{name: a, type: registry_copy}]", "needs a list of outlets or state_affiliated: true"),
        ("rules: [{name: a, type: narrative, events: [viral]}]", "unknown narrative events ['viral']"),
        ("rules: [{name: a, type: narrative, thresholds: {speed: 2}}]", "narrative thresholds are a mapping of"),
        ("rules: [{name: a, type: narrative, thresholds: {growth_days: soon}}]", "thresholds must be numbers"),
        ("deliver: [pager]\nrules: []", "unknown delivery 'pager'"),
        ("rules: [{name: a, type: saved_search, query: x}, {name: a, type: saved_search, query: y}]", "unique"),
    ],
)
def test_rule_file_mistakes_name_the_rule(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_alerts(path)
