"""e5 vectors of each document's lead, so that every document can meet every other one.

USE covers all sentences of its 16 languages and e5 only the leads of the others, so a
French and an Indonesian article about one event share no vector space. One e5 pass
over the opening sentences of the USE documents bridges them: the lead is where a news
article states its story, and a few hundred characters cost ~0.1 s. Documents that
already carry e5 vectors are left alone.
"""

from __future__ import annotations

from narratrace.enrich.embeddings import Encoder, e5_encoder, leading_rows
from narratrace.model import Document, Vectors

BRIDGE_MODEL = "e5-small"


class BridgeStage:
    def __init__(self, threads: int = 2, char_budget: int = 400, encoder: Encoder | None = None) -> None:
        self.threads = threads
        self.char_budget = char_budget
        self._encoder = encoder

    def __call__(self, docs: list[Document]) -> list[Document]:
        work = [(doc, leading_rows(doc, self.char_budget)) for doc in docs
                if doc.sentences and BRIDGE_MODEL not in doc.vectors]
        texts = [doc.sentence_text(doc.sentences[r]) for doc, rows in work for r in rows]
        if not texts:
            return docs
        encoder = self._encoder or e5_encoder(self.threads)
        matrix = encoder.passages(texts)
        at = 0
        for doc, rows in work:
            doc.vectors[BRIDGE_MODEL] = Vectors(BRIDGE_MODEL, matrix[at : at + len(rows)].astype("float16"), rows)
            at += len(rows)
        return docs
