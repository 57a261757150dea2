"""The web tests' data and server: part of the demo corpus plus hostile articles, a fact-check matched
against their claims, and a real uvicorn.

Every server runs the app exactly as `narratrace serve` does, on a free port of
127.0.0.1, in a thread of the test process so it shares the loaded encoders.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from narratrace.enrich.embeddings import encoders
from narratrace.factchecks.importer import FactCheckImporter, read_factchecks
from narratrace.factchecks.matching import match_claims
from narratrace.factchecks.records import FieldMap
from narratrace.pipeline import Pipeline
from narratrace.settings import Settings
from narratrace.store import open_store
from narratrace.web.app import create_app

DEMO = Path(__file__).resolve().parents[2] / "demo" / "corpus"
CORPUS = {
    "A06": DEMO / "html" / "tarvola-ledger-project-nightwater.html",  # en, source of A09 and A12
    "A09": DEMO / "html" / "courrier-ostra-documents-nightwater.html",  # fr translation dropping paragraph 4
    "A12": DEMO / "text" / "kabar-benua-misteri-nightwater.txt",  # id, partial translated copy of A06
    "A01": DEMO / "text" / "valdoria-today-merensk-fish-kill.txt",  # en, source of A02
    "A02": DEMO / "text" / "courrier-ostra-merensk-poissons-morts.txt",  # fr, full translation
    "A30": DEMO / "text" / "merensk-festival-livre-jeunesse.txt",  # fr, undated distractor
}
# OstraCheck's review of the claim A06, A09 and A01 carry; imported as a fact-check, not ingested.
FACTCHECK = DEMO / "html" / "ostracheck-kastrel-lab-false.html"
TOKEN = "test-token-7f3a"
DENIAL_MARK = "Halden BioLabs flatly denied the claims"  # paragraph 4 of A06, the one A09 drops

# Everything in these must reach the page as text: markup, handlers, script URLs, template
# syntax. Records of structured inputs hold the metadata; a plain text file keeps its markup.
HOSTILE = {
    "title": "<script>window.__pwned = 'title'</script>Kastrel <b>exposed</b>",
    "outlet": "<img src=x onerror=\"window.__pwned = 'outlet'\">",
    "url": "javascript:window.__pwned='url'",
    "date": "2024-02-03",
    "lang": "en",
    "text": "Researchers at the Kastrel station released a statement about the river on Monday. "
            "The statement said the water samples were clean, and local fishermen disputed it.",
}
HOSTILE_TEXT = (
    "<script>window.__pwned = 'heading'</script>Kastrel station: a report\n\n"
    "The station's website quoted <script>window.__pwned = 'text'</script> in its press release. "
    "Its page also carried <img src=x onerror=\"window.__pwned = 'img'\"> as an image.\n\n"
    "Readers were sent to <a href=\"javascript:window.__pwned='link'\">the full report</a> at the town hall. "
    "The mayor promised {{ 7 * 7 }} new tests and {% if true %}more{% endif %} monitoring next year.\n"
)


@dataclass(frozen=True, slots=True)
class Demo:
    db: Path
    ids: dict[str, str]


def build_demo(folder: Path) -> Demo:
    """Ingest the corpus and the hostile files into a fresh store, the way `narratrace ingest` does."""
    hostile, hostile_text = folder / "hostile.jsonl", folder / "hostile.txt"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    hostile_text.write_text(HOSTILE_TEXT, encoding="utf-8")
    db = folder / "demo.db"
    inputs = {**{k: str(v) for k, v in CORPUS.items()}, "hostile": str(hostile), "hostile_text": str(hostile_text)}
    with open_store(str(db)) as store:
        summary = Pipeline(Settings(db=str(db))).ingest(list(inputs.values()), store)
        assert summary.new == len(inputs) and not summary.rejected
        by_file = {d.origin.split("#")[0]: d.id for d in store.documents()}
        imported = FactCheckImporter(store, encoders(2)).run(read_factchecks(FACTCHECK, FieldMap()))
        assert imported.new == 1
        assert match_claims(store, encoders(2)).suggested > 0
    return Demo(db, {key: by_file[path] for key, path in inputs.items()})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True, slots=True)
class Live:
    url: str
    token: str


def serve(db: Path) -> Iterator[Live]:
    """The app on a real uvicorn, until the generator is closed."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(str(db), TOKEN), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield Live(f"http://127.0.0.1:{port}", TOKEN)
    server.should_exit = True
    thread.join(timeout=10)
