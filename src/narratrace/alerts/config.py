"""The alert rules file (YAML): where the UI is, where alerts go, and the rules.

    ui: http://127.0.0.1:8000
    deliver:
      - stdout
      - webhook: https://hooks.example.org/narratrace
      - email: {host: smtp.example.org, port: 587, starttls: true, from: watch@example.org,
                to: [desk@example.org], username: watch, password_env: NARRATRACE_SMTP_PASSWORD}
    rules:
      - {name: nightwater, type: saved_search, query: "Project Nightwater leak", min_score: 0.35}
      - {name: laundering, type: registry_copy, outlets: [Sputnik, golos-valdorii.news]}
      - {name: spread, type: narrative, events: [new_language, new_outlet, reemergence]}
      - {name: surge, type: narrative, events: [growth], thresholds: {growth_documents: 10, growth_days: 3}}
      - {name: debunked-again, type: factcheck, min_score: 0.7, confirmed_only: false}

A mistake in the file is reported with the rule it is in, before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from narratrace.alerts.delivery import Channel, EmailChannel, StdoutChannel, WebhookChannel
from narratrace.alerts.narrative_events import THRESHOLDS
from narratrace.alerts.rules import (
    DEFAULT_UI,
    NARRATIVE_EVENTS,
    FactCheckRule,
    NarrativeRule,
    RegistryCopyRule,
    Rule,
    SavedSearchRule,
)


class ConfigError(ValueError):
    """The rules file says something that cannot be run; the message names where."""


@dataclass(slots=True)
class AlertConfig:
    rules: list[Rule]
    channels: list[Channel]
    ui: str = DEFAULT_UI
    source: str = ""


def load_alerts(path: Path) -> AlertConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the alert rules: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with 'rules' (and 'deliver', 'ui')")
    rules = [_rule(path, n, item) for n, item in enumerate(_list(path, data, "rules"), 1)]
    names = [rule.name for rule in rules]
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: rule names must be unique (they key what was already alerted)")
    channels = [_channel(path, item) for item in (_list(path, data, "deliver") or ["stdout"])]
    return AlertConfig(rules, channels, str(data.get("ui") or DEFAULT_UI), str(path))


def _list(path: Path, data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ConfigError(f"{path}: '{key}' must be a list")
    return value


def _saved_search(where: str, name: str, item: dict[str, Any]) -> Rule:
    if not str(item.get("query") or "").strip():
        raise ConfigError(f"{where}: a saved_search needs a query")
    return SavedSearchRule(name, str(item["query"]), float(item.get("min_score", 0.35)), item.get("lang"))


def _registry_copy(where: str, name: str, item: dict[str, Any]) -> Rule:
    outlets = item.get("outlets") or []
    if not isinstance(outlets, list) or not (outlets or item.get("state_affiliated")):
        raise ConfigError(f"{where}: a registry_copy needs a list of outlets or state_affiliated: true")
    return RegistryCopyRule(name, tuple(str(o) for o in outlets), bool(item.get("state_affiliated")))


def _narrative(where: str, name: str, item: dict[str, Any]) -> Rule:
    events = tuple(item.get("events") or NARRATIVE_EVENTS)
    unknown = [e for e in events if e not in NARRATIVE_EVENTS]
    if unknown:
        raise ConfigError(f"{where}: unknown narrative events {unknown}; known: {', '.join(NARRATIVE_EVENTS)}")
    given = item.get("thresholds") or {}
    if not isinstance(given, dict) or set(given) - set(THRESHOLDS):
        raise ConfigError(f"{where}: narrative thresholds are a mapping of {', '.join(THRESHOLDS)}")
    try:
        thresholds = {str(k): float(v) for k, v in given.items()}
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: narrative thresholds must be numbers") from None
    return NarrativeRule(name, events, thresholds)


def _factcheck(where: str, name: str, item: dict[str, Any]) -> Rule:
    score = float(item.get("min_score", 0.7))
    if not 0 <= score <= 1:
        raise ConfigError(f"{where}: min_score is a fused retrieval score in [0, 1]")
    return FactCheckRule(name, score, bool(item.get("confirmed_only", False)))


RULE_TYPES: dict[str, Callable[[str, str, dict[str, Any]], Rule]] = {
    SavedSearchRule.kind: _saved_search,
    RegistryCopyRule.kind: _registry_copy,
    NarrativeRule.kind: _narrative,
    FactCheckRule.kind: _factcheck,
}


def _rule(path: Path, n: int, item: Any) -> Rule:
    where = f"{path}: rule {n}"
    if not isinstance(item, dict) or not item.get("name"):
        raise ConfigError(f"{where}: each rule is a mapping with a name and a type")
    build = RULE_TYPES.get(str(item.get("type")))
    if build is None:
        raise ConfigError(f"{where} ({item['name']}): unknown type {item.get('type')!r}; "
                          f"known: {', '.join(RULE_TYPES)}")
    try:
        return build(f"{where} ({item['name']})", str(item["name"]), item)
    except ConfigError:
        raise
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{where} ({item['name']}): {exc}") from None


def _channel(path: Path, item: Any) -> Channel:
    if item == "stdout":
        return StdoutChannel()
    if isinstance(item, dict) and "webhook" in item:
        hook = item["webhook"]
        if isinstance(hook, str):
            return WebhookChannel(hook)
        if not isinstance(hook, dict) or not hook.get("url"):
            raise ConfigError(f"{path}: a webhook is a URL, or a mapping with url (and headers)")
        return WebhookChannel(str(hook["url"]), {str(k): str(v) for k, v in (hook.get("headers") or {}).items()})
    if isinstance(item, dict) and isinstance(item.get("email"), dict):
        mail = item["email"]
        to = mail.get("to") or []
        to = [to] if isinstance(to, str) else to
        if not mail.get("host") or not mail.get("from") or not to:
            raise ConfigError(f"{path}: an email channel needs host, from and to")
        return EmailChannel(
            str(mail["host"]), str(mail["from"]), tuple(str(t) for t in to), int(mail.get("port", 25)),
            bool(mail.get("starttls")), bool(mail.get("ssl")), mail.get("username"), mail.get("password_env"),
        )
    raise ConfigError(f"{path}: unknown delivery {item!r}; use stdout, webhook: URL or email: {{...}}")
