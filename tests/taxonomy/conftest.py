"""The SemEval-2025 Task 10 taxonomy, a classifier trained on its articles, and the seeds and demo
corpus after the project's pipeline stages.

Training reads sentence vectors of the 626 articles through the benchmark's cache
(`benchmarks/.cache/`, shared with `benchmarks/taxonomy.py`): the first run encodes
them (e5 reads ~20 sentences/s here, so that run takes several minutes), later ones
read the cache.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from narratrace.ingest import read_inputs
from narratrace.model import Document
from narratrace.pipeline import build_stages
from narratrace.settings import Settings
from narratrace.taxonomy.classifier import TaxonomyClassifier
from narratrace.taxonomy.model import Taxonomy

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "corpus"


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("taxonomy_benchmark", ROOT / "benchmarks" / "taxonomy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def enriched(path: Path) -> list[Document]:
    docs = [d for d in read_inputs([str(path)]) if isinstance(d, Document)]
    for _, stage in build_stages(Settings()):
        docs = stage(docs)
    return docs


@pytest.fixture(scope="session")
def semeval(shared_data: Path) -> Path:
    return shared_data / "semeval2025-task10"


@pytest.fixture(scope="session")
def trained(semeval: Path) -> tuple[Taxonomy, TaxonomyClassifier]:
    benchmark = _benchmark()
    taxonomy, articles, docs = benchmark.load(Settings().e5_char_budget)
    model = TaxonomyClassifier(taxonomy, e5_char_budget=Settings().e5_char_budget)
    return taxonomy, model.fit(docs, articles, describe=True)


@pytest.fixture(scope="session")
def seed_docs(seeds: Path) -> dict[str, Document]:
    return {Path(d.origin).name[:3]: d for d in enriched(seeds)}


@pytest.fixture(scope="session")
def demo_docs() -> list[Document]:
    return enriched(DEMO)
