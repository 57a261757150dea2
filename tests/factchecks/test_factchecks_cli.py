"""`narratrace factchecks import|search` as a user runs them: exit codes, stderr lines, output shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def narratrace(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "narratrace.cli", *args],
                          capture_output=True, text=True, timeout=600, check=False)


def test_import_reports_each_rejected_record_and_exits_1(tmp_path: Path, fixtures: Path) -> None:
    db = str(tmp_path / "fc.db")
    proc = narratrace("factchecks", "import", str(fixtures / "claimreview_list.json"), "--db", db, "--quiet")
    assert proc.returncode == 1
    assert "read 2, new 2, already stored 0, rejected 6; 2 fact-checks" in proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 6
    assert lines[0] == f"narratrace: rejected {fixtures / 'claimreview_list.json'}#2: missing claim (field 'claimReviewed')"
    again = narratrace("factchecks", "import", str(fixtures / "claimreview_list.json"), "--db", db, "--quiet")
    assert "new 0, already stored 2" in again.stdout and again.returncode == 1


def test_import_of_a_clean_file_exits_0_and_a_mapping_sets_the_ids(tmp_path: Path, fixtures: Path) -> None:
    db = str(tmp_path / "fc.db")
    proc = narratrace("factchecks", "import", str(fixtures / "simple.csv"), "--db", db, "--quiet",
                      "--date-format", "%Y-%m-%d")
    assert proc.returncode == 1 and "does not match --date-format" in proc.stderr
    proc = narratrace("factchecks", "import", str(fixtures / "claimreview_single.json"), "--db", db, "--quiet",
                      "--id-field", "url")
    assert proc.returncode == 0 and proc.stderr == ""
    found = narratrace("factchecks", "search", "ISIS fighters Al-Tanf Ukraine", "--db", db, "--format", "json")
    ids = [r["factcheck"] for r in json.loads(found.stdout)["results"]]
    assert ids[0] == "https://factcheck.example.org/2023/05/al-tanf-fighters"


def test_usage_errors_exit_2(tmp_path: Path, fixtures: Path) -> None:
    db = str(tmp_path / "fc.db")
    assert narratrace("factchecks", "import", str(fixtures / "simple.csv"), "--db", db, "--format", "xml").returncode == 2
    both = narratrace("factchecks", "search", "text", "--queries", str(fixtures / "simple.csv"), "--db", db)
    assert both.returncode == 2 and both.stderr.strip() == "narratrace: give either TEXT or --queries FILE"
    assert narratrace("factchecks", "search", "--db", db).returncode == 2


def test_search_with_queries_prints_one_ranked_json_line_per_query(factcheck_db: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries.tsv"
    queries.write_text("q1\tDrinking hot water kills the coronavirus\n\nnot a query line\n"
                       "q2\tLe gouvernement va démonter la tour Eiffel en 2025\n", encoding="utf-8")
    proc = narratrace("factchecks", "search", "--queries", str(queries), "--top", "3", "--db", str(factcheck_db))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"narratrace: rejected {queries}#3: not id<TAB>text"
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["q1", "q2"]
    for line in lines:
        scores = [r["score"] for r in line["results"]]
        assert len(scores) == 3 and scores == sorted(scores, reverse=True)
        assert set(line["results"][0]["evidence"]) == {"words", "bm25", "bm25_normalised", "dense"}
    assert lines[0]["results"][0]["url"] == "https://healthcheck.example.com/hot-water"
    assert lines[1]["results"][0]["factcheck"] == "1"
    assert "Eiffel" in lines[1]["results"][0]["evidence"]["words"]
