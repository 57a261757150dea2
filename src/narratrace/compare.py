"""Two documents side by side, sentence by sentence: what a copy kept, dropped and added."""

from __future__ import annotations

from dataclasses import dataclass

from narratrace.link.align import Alignment
from narratrace.model import Document


@dataclass(slots=True)
class Row:
    """One line of the side-by-side view; `mark` is "=" aligned, "-" only in a, "+" only in b."""

    mark: str
    a: str
    b: str
    similarity: float | None


def side_by_side(a: Document, b: Document, alignment: Alignment) -> list[Row]:
    """Rows in a's order; b's unaligned sentences are placed after the b sentence they follow."""
    texts_a, texts_b = a.sentence_texts(), b.sentence_texts()
    block_of_a = {p.a[0]: p for p in alignment.pairs}
    inside_a = {i for p in alignment.pairs for i in p.a}
    added_after: dict[int, list[int]] = {}
    aligned_b = sorted(j for p in alignment.pairs for j in p.b)
    for j in alignment.unaligned_b:
        before = [k for k in aligned_b if k < j]
        added_after.setdefault(before[-1] if before else -1, []).append(j)
    rows = [Row("+", "", texts_b[j], None) for j in added_after.get(-1, [])]
    for i in range(len(texts_a)):
        if i in block_of_a:
            pair = block_of_a[i]
            rows.append(Row("=", " ".join(texts_a[k] for k in pair.a),
                            " ".join(texts_b[k] for k in pair.b), pair.similarity))
            for j in (j for k in pair.b for j in added_after.get(k, [])):
                rows.append(Row("+", "", texts_b[j], None))
        elif i not in inside_a:
            rows.append(Row("-", texts_a[i], "", None))
    return rows
