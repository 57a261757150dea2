"""Import a taxonomy in the SemEval-2025 Task 10 layout: a folder or a list of files.

The layout, as the organisers and participants publish it:

- label lists: a CSV with one column (`narrative`), one label a row. A label with
  two separators ("URW: Discrediting Ukraine: Ukraine is associated with nazism")
  is fine, one with fewer is coarse, so the files are told apart by content, not name;
- descriptions: TSVs `Narrative <TAB> Subnarrative <TAB> Description`, the names
  without their domain prefix ("URW: ", "CC: "), one example sentence a row. The
  domain of a file is the one whose coarse names its rows match most (both domains
  have a "Hidden plots by secret schemes of powerful groups");
- labelled articles (optional): a CSV with a `text` column and one 0/1 column per
  label (multi-hot), headed by the label itself.

Label strings are compared after Unicode and quote normalisation ("Ukraine’s" and
"Ukraine's" are one label) but kept as the taxonomy file writes them.
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from narratrace.taxonomy.model import NONE_LABEL, SEPARATOR, LabelledArticle, Taxonomy

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_ID_COLUMNS = ("id", "file", "filename", "article_id")


class TaxonomyError(ValueError):
    """A file that is not in the layout, with the file named."""


def normal(label: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", label).translate(_QUOTES).casefold().split())


def import_semeval(paths: Iterable[str | Path], name: str | None = None) -> tuple[Taxonomy, list[LabelledArticle]]:
    """The taxonomy and its labelled articles from a folder or files in the SemEval-2025 Task 10 layout."""
    files = _files(paths)
    csv.field_size_limit(sys.maxsize)
    labels: list[str] = []
    article_files: list[Path] = []
    description_files: list[Path] = []
    for path in files:
        suffix = path.suffix.lower()
        if suffix == ".tsv":
            description_files.append(path)
        elif suffix == ".csv":
            header = _header(path)
            if "text" in header:
                article_files.append(path)
            elif len(header) == 1:
                labels.extend(_label_list(path))
    if not labels:
        raise TaxonomyError(f"no label list (a one-column CSV of labels) among {', '.join(map(str, files))}")
    taxonomy = _taxonomy(name or _name(paths), labels)
    for path in description_files:
        _add_descriptions(taxonomy, path)
    articles = [a for path in article_files for a in _articles(taxonomy, path)]
    return taxonomy, articles


def _files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in (".csv", ".tsv")))
        elif p.is_file():
            files.append(p)
        else:
            raise TaxonomyError(f"{p}: no such file or folder")
    return files


def _name(paths: Iterable[str | Path]) -> str:
    first = Path(next(iter(paths)))
    return first.name if first.is_dir() else first.parent.name


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), [])


def _label_list(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return [row[0].strip() for row in rows[1:] if row and row[0].strip()]


def _taxonomy(name: str, labels: list[str]) -> Taxonomy:
    unique = list(dict.fromkeys(labels))
    coarse = [label for label in unique if label.count(SEPARATOR) < 2]
    fine = [label for label in unique if label.count(SEPARATOR) >= 2]
    if NONE_LABEL in unique:
        fine.append(NONE_LABEL)
    parent = {}
    for label in fine:
        matches = [c for c in coarse if label.startswith(c + SEPARATOR)]
        parent[label] = max(matches, key=len) if matches else NONE_LABEL
    return Taxonomy(name, coarse, fine, parent)


def _add_descriptions(taxonomy: Taxonomy, path: Path) -> None:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = [row for row in csv.reader(f, delimiter="\t") if len(row) >= 3]
    if not rows:
        raise TaxonomyError(f"{path}: no description rows (Narrative<TAB>Subnarrative<TAB>Description)")
    rows = rows[1:] if normal(rows[0][0]) == "narrative" else rows
    domain = _domain(taxonomy, [row[0] for row in rows])
    coarse_of = {normal(c): c for c in taxonomy.coarse}
    fine_of = {normal(f): f for f in taxonomy.fine}
    for narrative, sub, description, *_ in rows:
        coarse_key = normal(f"{domain}{SEPARATOR}{narrative}" if domain else narrative)
        label = fine_of.get(normal(f"{coarse_key}{SEPARATOR}{sub}")) or coarse_of.get(coarse_key)
        if label and description.strip():
            taxonomy.descriptions.setdefault(label, []).append(description.strip())


def _domain(taxonomy: Taxonomy, narratives: list[str]) -> str:
    """The prefix ("URW") whose coarse labels the file's narrative names match most; "" without prefixes."""
    votes: Counter[str] = Counter()
    for narrative in narratives:
        for c in taxonomy.coarse:
            prefix, _, rest = c.partition(SEPARATOR)
            if rest and normal(rest) == normal(narrative):
                votes[prefix] += 1
    return votes.most_common(1)[0][0] if votes else ""


def _articles(taxonomy: Taxonomy, path: Path) -> list[LabelledArticle]:
    coarse, fine = set(taxonomy.coarse), set(taxonomy.fine)
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        text_at = header.index("text")
        id_at = next((i for i, h in enumerate(header) if h.strip().casefold() in _ID_COLUMNS), None)
        columns = [(i, h.strip()) for i, h in enumerate(header) if h.strip() in coarse or h.strip() in fine]
        if not columns:
            raise TaxonomyError(f"{path}: a text column but no label columns named after the taxonomy's labels")
        articles = []
        for n, row in enumerate(reader, start=2):
            on = {label for i, label in columns if i < len(row) and row[i].strip() in ("1", "1.0", "True", "true")}
            article_id = row[id_at].strip() if id_at is not None else f"{path.name}:{n}"
            articles.append(LabelledArticle(
                id=article_id,
                text=row[text_at],
                coarse=[c for c in taxonomy.coarse if c in on],
                fine=[f for f in taxonomy.fine if f in on],
            ))
    return articles
