"""A store holding every valid fixture fact-check, encoded by both encoders once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratrace.enrich.embeddings import encoders
from narratrace.factchecks.importer import FactCheckImporter, read_factchecks
from narratrace.factchecks.records import FieldMap
from narratrace.store.sqlite import SQLiteStore

FIXTURES = Path(__file__).parent / "fixtures"
# The fixtures holding valid fact-checks, and the mapping each needs.
VALID = {
    "claimreview_single.json": FieldMap(),
    "claimreview_list.json": FieldMap(),
    "claimreview_graph.jsonld": FieldMap(),
    "page_with_claimreview.html": FieldMap(),
    "gfc_response.json": FieldMap(),
    "mapped.tsv": FieldMap(id="check_id", claim="statement", rating="verdict", url="link"),
}


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def factcheck_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("factchecks") / "fc.db"
    with SQLiteStore(path) as store:
        importer = FactCheckImporter(store, encoders())
        for name, mapping in VALID.items():
            importer.run(read_factchecks(FIXTURES / name, mapping))
    return path
