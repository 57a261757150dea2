"""`narratrace watch`, and the fetch options `ingest` shares with it."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the client imports httpx; `narratrace --help` should not pay for it
    from narratrace.fetch.client import FetchConfig


def add_fetch_options(p: argparse.ArgumentParser, urls: bool = False) -> None:
    if urls:
        p.add_argument("--urls", metavar="FILE", help="also fetch the URLs in FILE (one a line, # comments)")
    p.add_argument("--delay", type=float, default=1.0, metavar="SECONDS",
                   help="at least this long between two requests to one host (default 1; robots.txt may ask more)")
    p.add_argument("--user-agent", help="the User-Agent sent (robots.txt rules for 'narratrace' apply anyway)")
    p.add_argument("--allow-private", action="store_true",
                   help="let the fetcher reach private, loopback and link-local addresses (tests only)")


def fetch_config(args: argparse.Namespace, user_agent: str | None = None) -> FetchConfig:
    from narratrace.fetch.client import FetchConfig
    from narratrace.fetch.guard import AddressPolicy

    config = FetchConfig(delay=args.delay, policy=AddressPolicy(allow_private=args.allow_private))
    config.user_agent = args.user_agent or user_agent or config.user_agent
    return config


def register_watch(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("watch", parents=[common], help="poll feeds and sitemaps, ingest what is new, alert")
    p.add_argument("sources", metavar="SOURCES", help="YAML or OPML file listing RSS/Atom feeds and sitemaps")
    p.add_argument("--once", action="store_true", help="run one cycle and exit (cron, tests)")
    p.add_argument("--alerts", metavar="RULES", help="YAML file of alert rules and where to deliver them")
    p.add_argument("--interval", default="15m", help="poll interval of sources that set none (default 15m)")
    p.add_argument("--log", metavar="FILE", help="append the log to FILE too")
    p.add_argument("--threads", type=int, default=2)
    add_fetch_options(p)
    p.set_defaults(run=cmd_watch)


def cmd_watch(args: argparse.Namespace) -> int:
    from narratrace.alerts import Alerter, ConfigError, load_alerts
    from narratrace.cli import EXIT_OK
    from narratrace.errors import UsageError
    from narratrace.fetch.sources import SourcesError, load_sources, parse_duration
    from narratrace.fetch.state import FetchState
    from narratrace.fetch.watch import Watcher
    from narratrace.settings import Settings
    from narratrace.store import open_store

    try:
        watched = load_sources(Path(args.sources), parse_duration(args.interval))
        alerts = load_alerts(Path(args.alerts)) if args.alerts else None
    except (SourcesError, ConfigError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    log = _logger(args.log)
    settings = Settings(db=args.db, threads=args.threads)
    with open_store(settings.db) as store:
        state = FetchState.beside(settings.db)
        try:
            alerter = Alerter(alerts, store, state, log) if alerts else None
        except ConfigError as exc:
            state.close()
            raise UsageError(str(exc)) from None
        watcher = Watcher(watched.sources, settings, store, state, fetch_config(args, watched.user_agent),
                          alerter, log)
        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, lambda *_: watcher.stop.set()) if main_thread else None
        log.info("watching %d sources into %s%s", len(watched.sources), settings.db, " (one cycle)" if args.once else "")
        try:
            watcher.run(once=args.once)
        finally:
            if main_thread:
                signal.signal(signal.SIGTERM, previous)
            watcher.close()
            state.close()
    return EXIT_OK


def _logger(path: str | None) -> logging.Logger:
    log = logging.getLogger("narratrace.watch")
    log.setLevel(logging.INFO)
    log.propagate = False
    log.handlers.clear()
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if path:
        handlers.append(logging.FileHandler(path, encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    return log
