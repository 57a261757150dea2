"""URLs on the `ingest` command line: fetched, archived, then read like any WARC file.

The pages go into one WARC file of the run, which the existing readers turn into
Documents (their origin being `FILE#URL`); a first stage, `OriginStage`, gives
each Document the URL the user asked for as its origin, and keeps the archive
location in its metadata so the bytes it came from can always be found again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from narratrace.fetch.client import FetchConfig, Fetcher, FetchError
from narratrace.fetch.record import WarcRecorder
from narratrace.fetch.state import FetchState, fetch_folder
from narratrace.ingest.sniff import looks_like_html
from narratrace.model import Document
from narratrace.pipeline import Pipeline, build_stages
from narratrace.settings import Settings
from narratrace.store.base import Store

URL_START = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_SNIFF = 4096

Say = Callable[[str], None]


def is_url(text: str) -> bool:
    return bool(URL_START.match(text))


class OriginStage:
    """Documents read from the run's archive get the URL as asked as their origin."""

    name = "origin"

    def __init__(self, origins: dict[str, str] | None = None) -> None:
        self.origins: dict[str, str] = origins if origins is not None else {}

    def __call__(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            asked = self.origins.get(doc.origin)
            if asked is not None:
                doc.meta["archive"] = doc.origin
                doc.origin = asked
        return docs


def pipeline_with_origins(settings: Settings, stage: OriginStage) -> Pipeline:
    return Pipeline(settings, [(stage.name, stage), *build_stages(settings)])


@dataclass(slots=True)
class Prepared:
    """What the pipeline should read, the pipeline to read it with, and how many URLs gave nothing to read."""

    inputs: list[str]
    pipeline: Pipeline
    refused: list[tuple[str, str]] = field(default_factory=list)


def prepare_inputs(
    inputs: Iterable[str],
    urls_file: str | None,
    settings: Settings,
    store: Store,
    config: FetchConfig,
    warn: Say,
    status: Say,
) -> Prepared:
    """Fetch the URLs among `inputs` and in `urls_file`; every other input passes through unchanged."""
    inputs = list(inputs)
    urls = [item for item in inputs if is_url(item)]
    prepared = Prepared([item for item in inputs if not is_url(item)], Pipeline(settings))
    if urls_file:
        try:
            urls += read_url_list(Path(urls_file))
        except (OSError, UnicodeDecodeError) as exc:
            prepared.refused.append((urls_file, f"cannot read the URL list: {exc}"))
    stage = OriginStage()
    if urls:
        folder = fetch_folder(settings.db)
        archive = _fetch_all(list(dict.fromkeys(urls)), folder, store, config, stage, prepared, warn, status)
        if archive is not None and stage.origins:
            prepared.inputs.append(str(archive))
            prepared.pipeline = pipeline_with_origins(settings, stage)
    for origin, reason in prepared.refused:
        warn(f"narratrace: rejected {origin}: {reason}")
    if prepared.refused:
        store.record_rejections(prepared.refused)
    return prepared


def read_url_list(path: Path) -> list[str]:
    """One URL a line; blank lines and lines starting with # are skipped."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _fetch_all(
    urls: list[str],
    folder: Path,
    store: Store,
    config: FetchConfig,
    stage: OriginStage,
    prepared: Prepared,
    warn: Say,
    status: Say,
) -> Path | None:
    state = FetchState(folder / "state.sqlite")
    recorder = WarcRecorder(folder / "warc", "ingest")
    try:
        with Fetcher(config, state) as fetcher:
            for n, url in enumerate(urls, 1):
                status(f"fetching {n}/{len(urls)}: {url}")
                problem = _fetch_one(fetcher, recorder, store, state, stage, url)
                if problem == "not modified":
                    warn(f"narratrace: not modified since it was last fetched, nothing new: {url}")
                elif problem:
                    prepared.refused.append((url, problem))
    finally:
        recorder.close()
        state.close()
    return recorder.path


def _fetch_one(
    fetcher: Fetcher, recorder: WarcRecorder, store: Store, state: FetchState, stage: OriginStage, url: str
) -> str | None:
    """None when the page was archived for reading, else why not.

    Validators are sent only for a URL the store already holds a document from,
    so a run killed before storing fetches the page in full next time.
    """
    if not url.lower().startswith(("http://", "https://")):
        return f"unsupported URL scheme (only http and https): {url.split(':', 1)[0]}"
    try:
        fetched = fetcher.fetch(url, recorder, conditional=store.get(url) is not None)
    except FetchError as exc:
        return exc.reason
    if fetched.not_modified:
        return "not modified"
    kind = fetched.content_type
    if kind not in HTML_TYPES and (kind or not looks_like_html(fetched.body[:MAX_SNIFF])):
        return f"not an HTML page (Content-Type {kind or 'missing'}); feeds and sitemaps are followed by `watch`"
    stage.origins[f"{fetched.archive}#{fetched.final_url}"] = url
    state.remember(fetched.final_url, fetched.etag, fetched.last_modified)
    return None
