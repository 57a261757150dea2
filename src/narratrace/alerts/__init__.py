"""Alerts on what newly stored documents mean: rules find events, an outbox delivers each once.

`Alerter.evaluate` runs every rule over a batch of new documents and writes each
event to the outbox (a repeated event is ignored by its key); `Alerter.deliver`
sends what each channel has not yet taken. The two steps are separate so that a
failed delivery is retried next cycle without evaluating anything again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from narratrace.alerts.config import AlertConfig, ConfigError, load_alerts
from narratrace.alerts.delivery import DeliveryError
from narratrace.alerts.rules import Alert, AlertContext, Rule
from narratrace.fetch.state import FetchState
from narratrace.model import Document
from narratrace.provenance.stage import registry_with
from narratrace.store.base import Store


class Alerter:
    def __init__(self, config: AlertConfig, store: Store, state: FetchState, log: logging.Logger) -> None:
        self.config = config
        self.state = state
        self.log = log
        self.context = AlertContext(store, registry_with(store.source_files()), config.ui)

    def evaluate(self, documents: Sequence[Document]) -> int:
        """Write the events these documents raise to the outbox; returns how many were new."""
        raised = 0
        channels = [channel.id for channel in self.config.channels]
        for rule in self.config.rules:
            for alert in rule.evaluate(self.context, documents):
                if self.state.add_alert(alert.rule, alert.key, alert.record(), channels):
                    raised += 1
                    self.log.info("alert %s: %s (%s)", alert.rule, alert.title, alert.link)
        return raised

    def deliver(self) -> int:
        """Send every pending alert; a channel that fails is left for the next cycle."""
        sent = 0
        for channel in self.config.channels:
            for rule, key, payload in self.state.undelivered(channel.id):
                try:
                    channel.deliver(payload)
                except DeliveryError as exc:
                    self.log.warning("delivery failed, will retry next cycle: %s", exc)
                    break
                self.state.delivered(rule, key, channel.id)
                sent += 1
        return sent


__all__ = ["Alert", "AlertConfig", "AlertContext", "Alerter", "ConfigError", "Rule", "load_alerts"]
