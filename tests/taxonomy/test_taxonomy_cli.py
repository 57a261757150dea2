"""`narratrace taxonomy import` and `apply` end to end, through `narratrace.cli.main`, on a real SQLite store.

The taxonomy is a small one in the SemEval-2025 Task 10 layout, written here with two
of the shared taxonomy's narratives and their strings: label lists, one description
file per domain, and twenty two-sentence articles in English and French, so training
encodes a few dozen sentences and the module runs in seconds.
"""

from __future__ import annotations

import csv
import json
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pytest

from narratrace.cli import main
from narratrace.store import open_store

URW, CC = "URW: Discrediting Ukraine", "CC: Criticism of climate policies"
NAZISM = f"{URW}: Ukraine is associated with nazism"
GOVERNMENT = f"{URW}: Discrediting Ukrainian government and officials and policies"
INEFFECTIVE = f"{CC}: Climate policies are ineffective"
ECONOMY = f"{CC}: Climate policies have negative impact on the economy"
COARSE = [URW, CC, "Other"]
FINE = [NAZISM, GOVERNMENT, f"{URW}: Other", INEFFECTIVE, ECONOMY, f"{CC}: Other", "Other"]
PARENT = {NAZISM: URW, GOVERNMENT: URW, INEFFECTIVE: CC, ECONOMY: CC, "Other": "Other"}
ARTICLES = [
    (NAZISM, "Ukraine glorifies Nazi collaborators. Kyiv builds monuments to Bandera, a Nazi ally."),
    (NAZISM, "Neo-Nazi battalions march in Ukraine. The Azov regiment wears Nazi symbols."),
    (NAZISM, "L'Ukraine glorifie les collaborateurs nazis. Kiev érige des monuments à Bandera."),
    (NAZISM, "Des bataillons néonazis défilent en Ukraine. Le régiment Azov porte des symboles nazis."),
    (GOVERNMENT, "Zelensky's government is corrupt. Ukrainian officials steal Western aid."),
    (GOVERNMENT, "Kyiv's ministers are puppets of Washington. The Ukrainian government lies to its people."),
    (GOVERNMENT, "Le gouvernement de Zelensky est corrompu. Les responsables ukrainiens volent l'aide occidentale."),
    (GOVERNMENT, "Les ministres de Kiev sont des marionnettes de Washington. Le gouvernement ukrainien ment au peuple."),
    (INEFFECTIVE, "Carbon taxes do nothing for the climate. Emissions keep rising despite the green policies."),
    (INEFFECTIVE, "The Paris agreement failed. Climate policies have not cooled the planet at all."),
    (INEFFECTIVE, "La taxe carbone ne sert à rien pour le climat. Les émissions augmentent malgré les politiques vertes."),
    (INEFFECTIVE, "L'accord de Paris a échoué. Les politiques climatiques n'ont pas refroidi la planète."),
    (ECONOMY, "Net zero will ruin our economy. Green rules destroy jobs and raise energy bills."),
    (ECONOMY, "Farmers go bankrupt because of climate regulations. Electricity prices soar with wind subsidies."),
    (ECONOMY, "Le zéro net va ruiner notre économie. Les règles vertes détruisent des emplois et font grimper les factures."),
    (ECONOMY, "Les agriculteurs font faillite à cause des normes climatiques. Le prix de l'électricité explose."),
    ("Other", "The city opened a new library. Children can borrow books for free."),
    ("Other", "The football team won the cup final. Fans celebrated in the streets."),
    ("Other", "La ville a ouvert une nouvelle bibliothèque. Les enfants empruntent des livres gratuitement."),
    ("Other", "L'équipe de football a gagné la finale. Les supporters ont fêté dans les rues."),
]
DOCUMENTS = {
    "nazi.txt": "Kyiv honours Nazi collaborators\n\nUkraine glorifies Nazi collaborators and neo-Nazi battalions. "
                "Monuments to Bandera stand in Kyiv.\n",
    "taxe.txt": "La taxe carbone\n\nLa taxe carbone ruine notre économie. Les politiques vertes détruisent des emplois.\n",
    "match.txt": "Local team wins\n\nThe local football team won the final. Fans celebrated all night.\n",
}
LATER = ("azov.txt", "Des néonazis en Ukraine\n\nLe régiment Azov porte des symboles nazis. "
                     "Kiev glorifie les collaborateurs nazis.\n")
LABEL_FIELDS = {"document", "taxonomy", "label", "level", "score", "evidence"}


def run(*args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command, run in this process as the console script runs it."""
    stdout, stderr = StringIO(), StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = main(list(args))
    return code, stdout.getvalue(), stderr.getvalue()


def write_taxonomy(folder: Path, articles: bool = True) -> Path:
    """A taxonomy in the SemEval-2025 Task 10 layout; with `articles`, its labelled articles too."""
    folder.mkdir()
    for name, labels in (("coarse.csv", COARSE), ("fine.csv", FINE)):
        with (folder / name).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([["narrative"], *([label] for label in labels)])
    # One description file per domain, as published: rows name narratives without their domain.
    (folder / "descriptions_URW.tsv").write_text(
        "Narrative\tSubnarrative\tDescription\n"
        "Discrediting Ukraine\tUkraine is associated with nazism\tUkraine is ruled by Nazis.\n"
        "Discrediting Ukraine\tDiscrediting Ukrainian government and officials and policies\t"
        "The Ukrainian government is corrupt.\n", encoding="utf-8")
    (folder / "descriptions_CC.tsv").write_text(
        "Narrative\tSubnarrative\tDescription\n"
        "Criticism of climate policies\tClimate policies are ineffective\tClimate policies do not reduce emissions.\n"
        "Criticism of climate policies\tClimate policies have negative impact on the economy\t"
        "Green policies destroy jobs.\n", encoding="utf-8")
    if articles:
        with (folder / "articles.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["id", "text", *COARSE, *FINE])
            for n, (label, text) in enumerate(ARTICLES):
                writer.writerow([f"a{n}", text, *(int(c == PARENT[label]) for c in COARSE),
                                 *(int(f == label) for f in FINE)])
    return folder


def export(db: Path) -> dict:
    code, stdout, _ = run("export", "--db", str(db), "--format", "json")
    assert code == 0
    return json.loads(stdout)


def labels_by_file(data: dict) -> dict[str, list[dict]]:
    names = {d["id"]: Path(d["origin"]).name for d in data["documents"]}
    found: dict[str, list[dict]] = {name: [] for name in names.values()}
    for row in data["labels"]:
        found[names[row["document"]]].append(row)
    return found


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store of three ingested documents, then the taxonomy imported into it; the store and import's stdout."""
    root = tmp_path_factory.mktemp("taxonomy-cli")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in DOCUMENTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    db = root / "store.db"
    assert run("ingest", str(corpus), "--db", str(db), "--quiet")[0] == 0
    code, stdout, stderr = run("taxonomy", "import", str(write_taxonomy(root / "narratives")), "--db", str(db),
                               "--name", "tiny", "--quiet")
    assert code == 0, stderr
    return db, stdout


def test_import_trains_on_the_articles_and_labels_the_stored_documents(imported: tuple[Path, str]) -> None:
    db, stdout = imported
    assert "taxonomy tiny: 3 coarse and 7 fine labels" in stdout
    # The two "<coarse>: Other" sub-narratives are carried by no article.
    assert "(2 carried by no article, so never given), trained on 20 articles; labelled 3 documents" in stdout
    found = {name: rows for name, rows in labels_by_file(export(db)).items() if name in DOCUMENTS}
    assert set(found) == set(DOCUMENTS)
    for name, rows in found.items():
        assert rows, name
        for row in rows:
            assert set(row) == LABEL_FIELDS and row["taxonomy"] == "tiny"
            assert row["label"] in (COARSE if row["level"] == "coarse" else FINE)
            assert 0.0 <= row["score"] <= 1.0
    coarse = {name: {r["label"] for r in rows if r["level"] == "coarse"} for name, rows in found.items()}
    assert coarse == {"nazi.txt": {URW}, "taxe.txt": {CC}, "match.txt": {"Other"}}


def test_evidence_quotes_the_document_and_the_taxonomy(imported: tuple[Path, str]) -> None:
    db, _ = imported
    data = export(db)
    nazism = next(r for r in labels_by_file(data)["nazi.txt"] if r["label"] == NAZISM)
    with open_store(str(db)) as store:
        text = store.get(nazism["document"]).text
    assert nazism["evidence"]
    for item in nazism["evidence"]:
        assert text[item["start"]:item["end"]] == item["text"]
        assert item["description"] == "Ukraine is ruled by Nazis."
    assert all(not r["evidence"] for r in labels_by_file(data)["match.txt"] if r["label"] == "Other")


def test_a_document_ingested_after_the_import_is_labelled(imported: tuple[Path, str], tmp_path: Path) -> None:
    db, _ = imported
    name, text = LATER
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert run("ingest", str(tmp_path / name), "--db", str(db), "--quiet")[0] == 0
    rows = labels_by_file(export(db))[name]
    assert {(r["level"], r["label"]) for r in rows} >= {("coarse", URW)}
    assert all(r["label"] in COARSE + FINE for r in rows)


def test_apply_is_idempotent(imported: tuple[Path, str]) -> None:
    db, _ = imported
    before = export(db)["labels"]
    for _ in range(2):
        code, stdout, _ = run("taxonomy", "apply", "--db", str(db), "--quiet")
        assert code == 0
        assert f"documents in {db} with tiny" in stdout
        assert export(db)["labels"] == before


def test_a_bad_path_is_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    code, stdout, stderr = run("taxonomy", "import", str(tmp_path / "absent"), "--db", str(db), "--quiet")
    assert code != 0 and not stdout
    assert stderr.count("\n") == 1 and "absent: no such file or folder" in stderr


def test_a_taxonomy_without_articles_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    folder = write_taxonomy(tmp_path / "labels-only", articles=False)
    code, _, stderr = run("taxonomy", "import", str(folder), "--db", str(db), "--quiet")
    assert code == 1 and stderr.count("\n") == 1 and "no labelled articles" in stderr
    code, _, stderr = run("taxonomy", "apply", "--db", str(db), "--quiet")
    assert code == 2 and "no taxonomy imported" in stderr


def test_the_shared_label_lists_alone_are_refused(semeval: Path, tmp_path: Path) -> None:
    lists = sorted(str(p) for p in semeval.glob("taxonomy_*.csv"))
    code, _, stderr = run("taxonomy", "import", *lists, "--db", str(tmp_path / "store.db"), "--quiet")
    assert code == 1 and stderr.count("\n") == 1 and "no labelled articles" in stderr
