"""Known narratives: import a published narrative taxonomy and label documents and narratives with it."""

from narratrace.taxonomy.classifier import (
    TaxonomyClassifier,
    from_state,
    samples_f1,
    to_state,
)
from narratrace.taxonomy.model import Label, LabelledArticle, Taxonomy
from narratrace.taxonomy.semeval import TaxonomyError, import_semeval
from narratrace.taxonomy.stage import TaxonomyStage, labels_of, narrative_labels
from narratrace.taxonomy.train import article_documents, train

__all__ = [
    "Label", "LabelledArticle", "Taxonomy", "TaxonomyClassifier", "TaxonomyError", "TaxonomyStage",
    "article_documents", "from_state", "import_semeval", "labels_of", "narrative_labels", "samples_f1", "to_state",
    "train",
]
