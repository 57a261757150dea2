"""`narratrace taxonomy import` and `narratrace taxonomy apply`, as `../shared/CLI.md` fixes them.

Like `narratrace.factchecks.cli`, the shared pieces of the command (consoles, exit
codes) are imported inside the functions, since `narratrace.cli` imports this module;
so is the classifier, whose scikit-learn every other command would pay for at start-up.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Callable
from itertools import islice
from typing import TYPE_CHECKING

import numpy as np
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from narratrace.settings import Settings
from narratrace.store import open_store
from narratrace.taxonomy.semeval import import_semeval

if TYPE_CHECKING:
    from narratrace.store.base import Store
    from narratrace.taxonomy.classifier import TaxonomyClassifier

# Documents labelled and written per transaction: a killed apply keeps what it wrote.
CHUNK = 256


def register_taxonomy(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("taxonomy", help="known narratives: import a taxonomy, label documents with it")
    commands = group.add_subparsers(dest="taxonomy_command", required=True)

    p = commands.add_parser("import", parents=[common],
                            help="import a taxonomy in the SemEval-2025 Task 10 layout, train on its articles, label")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a folder, or its label lists, descriptions, articles")
    p.add_argument("--name", help="the taxonomy's name in labels (default: the folder's name)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.set_defaults(run=cmd_import)

    p = commands.add_parser("apply", parents=[common], help="label every stored document with every imported taxonomy")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.set_defaults(run=cmd_apply)


def cmd_import(args: argparse.Namespace) -> int:
    from narratrace.cli import EXIT_OK, EXIT_REJECTED, err, out
    from narratrace.taxonomy.classifier import to_state
    from narratrace.taxonomy.train import train

    try:
        taxonomy, articles = import_semeval(args.paths, args.name)
    except (ValueError, OSError, csv.Error) as exc:
        err.print(f"narratrace: cannot import the taxonomy: {exc}", markup=False)
        return EXIT_REJECTED
    articles = [a for a in articles if a.text.strip()]
    if not any(a.coarse or a.fine for a in articles):
        err.print(f"narratrace: cannot import the taxonomy: no labelled articles among {', '.join(args.paths)} "
                  "(a CSV with a text column and one 0/1 column per label), so nothing to train on", markup=False)
        return EXIT_REJECTED
    with open_store(args.db) as store, _progress("taxonomy import", args.quiet) as bar:
        task = bar.add_task(f"training on {len(articles)} articles", total=None)
        # The ingest's character budget, so that training and stored documents are read alike.
        model = train(taxonomy, articles, Settings().e5_char_budget, args.threads)
        store.save_taxonomy(taxonomy.name, to_state(model))
        labelled = label_stored(store, _classifiers(store, args.threads), _advance(bar, task, store.count()))
    untrained = sum(all(np.isnan(b[j]) for b in model.intercepts.values()) for j in range(len(model.labels)))
    out.print(f"taxonomy {taxonomy.name}: {len(taxonomy.coarse)} coarse and {len(taxonomy.fine)} fine labels "
              f"({untrained} carried by no article, so never given), trained on {len(articles)} articles; "
              f"labelled {labelled} documents in {args.db}", markup=False)
    return EXIT_OK


def cmd_apply(args: argparse.Namespace) -> int:
    from narratrace.cli import EXIT_OK, EXIT_USAGE, err, out

    with open_store(args.db) as store:
        classifiers = _classifiers(store, args.threads)
        if not classifiers:
            err.print(f"narratrace: no taxonomy imported in {args.db}; run `narratrace taxonomy import PATH` first",
                      markup=False)
            return EXIT_USAGE
        with _progress("taxonomy apply", args.quiet) as bar:
            task = bar.add_task("labelling", total=None)
            labelled = label_stored(store, classifiers, _advance(bar, task, store.count()))
    names = ", ".join(c.taxonomy.name for c in classifiers)
    out.print(f"labelled {labelled} documents in {args.db} with {names}", markup=False)
    return EXIT_OK


def label_stored(store: Store, classifiers: list[TaxonomyClassifier],
                 progress: Callable[[int], None]) -> int:
    """Label every stored document, replacing its labels, one chunk a transaction; the number labelled.

    Stored documents come without vectors, so each chunk reads its own: the classifier
    reads the vectors the ingest stored and encodes nothing. The chunk is written while
    the document cursor is open, which both stores allow: only rows already read change.
    """
    from narratrace.taxonomy.stage import META_KEY, TaxonomyStage

    stage = TaxonomyStage(classifiers)
    documents = store.documents()
    labelled = 0
    while chunk := list(islice(documents, CHUNK)):
        for doc in chunk:
            doc.vectors = store.vectors_of(doc.id)
        stage(chunk)
        store.update_meta([(doc.id, META_KEY, doc.meta[META_KEY]) for doc in chunk])
        labelled += len(chunk)
        progress(labelled)
    return labelled


def _classifiers(store: Store, threads: int) -> list[TaxonomyClassifier]:
    from narratrace.taxonomy.classifier import from_state

    return [from_state(state, threads) for _, state in store.taxonomies()]


def _progress(title: str, quiet: bool) -> Progress:
    from narratrace.cli import err

    return Progress(SpinnerColumn(), TextColumn(f"[bold]{title}"), BarColumn(), TextColumn("{task.description}"),
                    TimeElapsedColumn(), console=err, transient=True, disable=quiet)


def _advance(bar: Progress, task: TaskID, total: int) -> Callable[[int], None]:
    bar.update(task, description=f"labelling 0/{total} documents", total=total, completed=0)
    return lambda done: bar.update(task, description=f"labelling {done}/{total} documents", completed=done)
