"""From an imported taxonomy to a fitted classifier: what `narratrace taxonomy import` runs.

The labelled articles go through the same language and sentence stages as any
ingested document and are encoded the way the ingest encodes (`vectors`), so the
classifier reads training and stored documents alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from narratrace.enrich.language import LanguageStage
from narratrace.enrich.sentences import SentenceStage
from narratrace.model import Document
from narratrace.taxonomy.classifier import TaxonomyClassifier
from narratrace.taxonomy.model import LabelledArticle, Taxonomy
from narratrace.taxonomy.vectors import encode_missing


def article_documents(articles: Sequence[LabelledArticle]) -> list[Document]:
    """The articles as Documents with language and sentences (vectors not yet)."""
    docs = [Document(origin=a.id, text=a.text) for a in articles]
    LanguageStage()(docs)
    SentenceStage()(docs)
    for article, doc in zip(articles, docs, strict=True):
        article.language = doc.language
    return docs


def train(taxonomy: Taxonomy, articles: Sequence[LabelledArticle], e5_char_budget: int = 1200,
          threads: int = 2) -> TaxonomyClassifier:
    """A classifier fitted on the taxonomy's labelled articles, with its descriptions encoded for evidence."""
    docs = article_documents(articles)
    encode_missing(docs, e5_char_budget, threads)
    model = TaxonomyClassifier(taxonomy, e5_char_budget=e5_char_budget, threads=threads)
    return model.fit(docs, articles, describe=True)
