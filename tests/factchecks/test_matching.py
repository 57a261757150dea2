"""Claims of the demo corpus matched against OstraCheck's ClaimReview, through the commands an analyst runs.

demo/truth.json says which articles carry the claim OstraCheck reviewed (its
`matches`) and which are unrelated (a tram line, a book festival, a post), so the
suggestions can be checked for where they land, in every language of the corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narratrace.cli import main
from narratrace.factchecks.claimreview import read_claimreview
from narratrace.factchecks.records import FactCheck, FieldMap

DEMO = Path(__file__).resolve().parents[2] / "demo"
FACTCHECK_PAGE = DEMO / "corpus" / "html" / "ostracheck-kastrel-lab-false.html"


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    capsys.readouterr()
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def matched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("matching") / "demo.db"
    assert main(["ingest", str(DEMO / "corpus"), "--db", str(db), "--quiet"]) == 0
    assert main(["factchecks", "import", str(FACTCHECK_PAGE), "--db", str(db), "--quiet"]) == 0
    assert main(["factchecks", "match", "--db", str(db), "--quiet"]) == 0
    return db


def _truth_by_origin() -> tuple[dict[str, str], dict]:
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    return {a["location"]: a["id"] for a in truth["articles"]}, truth


def test_suggestions_land_on_the_articles_carrying_the_reviewed_claim(
        matched: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = _json(capsys, "export", "--db", str(matched))
    article_of, truth = _truth_by_origin()
    origin = {d["id"]: d["origin"].removeprefix(f"{DEMO}/").removeprefix("demo/") for d in exported["documents"]}
    document_of = {c["id"]: c["document"] for c in exported["claims"]}
    matched_articles = {article_of[origin[document_of[m["claim"]]]] for m in exported["factcheck_matches"]}
    check = truth["fact_checks"][0]
    carriers = set(check["matches"])
    fact_check_articles = {check["id"], "A27"}  # OstraCheck's page and its German translation
    assert matched_articles <= carriers | fact_check_articles
    assert len(matched_articles & carriers) >= 10
    assert {m["state"] for m in exported["factcheck_matches"]} == {"suggested"}
    languages = {d["language"] for d in exported["documents"]
                 if article_of[origin[d["id"]]] in matched_articles & carriers}
    assert len(languages) >= 4, languages
    assert {"claims", "factcheck_matches"} <= exported.keys()
    claim = exported["claims"][0]
    assert set(claim) == {"id", "document", "text", "score", "start", "end", "group"}


def test_a_confirmed_match_exports_as_claimreview_that_imports_again(
        matched: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(matched)
    best = _json(capsys, "factchecks", "review", "--db", db)["matches"][0]
    assert best["evidence"]["claim"] and best["evidence"]["factcheck_claim"] and best["evidence"]["dense"]
    assert main(["factchecks", "review", best["claim"], best["factcheck"], "--confirm", "--db", db]) == 0
    confirmed = _json(capsys, "factchecks", "review", "--state", "confirmed", "--db", db)["matches"]
    assert [(m["claim"], m["factcheck"]) for m in confirmed] == [(best["claim"], best["factcheck"])]
    assert main(["factchecks", "review", "nope", best["factcheck"], "--reject", "--db", db]) == 2

    out = tmp_path / "confirmed.jsonld"
    assert main(["factchecks", "review", "--claimreview", str(out), "--db", db]) == 0
    [review] = json.loads(out.read_text(encoding="utf-8"))
    assert review["itemReviewed"]["appearance"][0]["text"] == best["evidence"]["claim"]
    [back] = [r for r in read_claimreview(out.read_text(encoding="utf-8"), str(out), FieldMap())
              if isinstance(r, FactCheck)]
    assert (back.claim, back.rating) == (review["claimReviewed"], "False")


def test_claims_of_one_document_carry_groups_shared_with_its_translation(
        matched: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(matched)
    german = _json(capsys, "claims", str(DEMO / "corpus" / "text" / "ostra-bote-faktencheck-kastrel.txt"),
                   "--db", db, "--quiet")["claims"]
    english = _json(capsys, "claims", str(FACTCHECK_PAGE), "--db", db, "--quiet")["claims"]
    assert german and english and all(c["group"] for c in german + english)
    assert {c["language"] for c in german} == {"de"}
    shared = {c["group"] for c in german} & {c["group"] for c in english}
    assert len(shared) >= len(german) // 2
    assert main(["claims", "no-such-thing", "--db", db, "--quiet"]) == 2
