"""Where alerts go: standard output (one JSON line each), a JSON webhook, e-mail.

A channel either delivers an alert or raises; the outbox keeps what failed and
tries again next cycle, so a webhook that is down for an hour loses nothing.
Each channel has an `id` under which the outbox records what it delivered.
"""

from __future__ import annotations

import json
import os
import smtplib
import sys
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Protocol, TextIO

import httpx

from narratrace.fetch.client import USER_AGENT


class DeliveryError(Exception):
    """The channel did not take the alert; it stays in the outbox."""


class Channel(Protocol):
    id: str

    def deliver(self, alert: dict[str, Any]) -> None: ...


@dataclass(slots=True)
class StdoutChannel:
    """One JSON object a line, so `narratrace watch ... | jq` and log shippers read it as it comes."""

    stream: TextIO = field(default_factory=lambda: sys.stdout)
    id: str = "stdout"

    def deliver(self, alert: dict[str, Any]) -> None:
        self.stream.write(json.dumps(alert, ensure_ascii=False) + "\n")
        self.stream.flush()


@dataclass(slots=True)
class WebhookChannel:
    """POSTs the alert as JSON; any 2xx is a delivery. The URL is the user's own, so no address guard."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0

    @property
    def id(self) -> str:
        return f"webhook:{self.url}"

    def deliver(self, alert: dict[str, Any]) -> None:
        try:
            response = httpx.post(self.url, json=alert, timeout=self.timeout, trust_env=False,
                                  headers={"User-Agent": USER_AGENT, **self.headers})
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook {self.url}: {type(exc).__name__}: {exc}") from None
        if not response.is_success:
            raise DeliveryError(f"webhook {self.url}: HTTP {response.status_code}")


@dataclass(slots=True)
class EmailChannel:
    """One message per alert over SMTP; the password is read from an environment variable, never from the file."""

    host: str
    sender: str
    to: tuple[str, ...]
    port: int = 25
    starttls: bool = False
    ssl: bool = False
    username: str | None = None
    password_env: str | None = None
    timeout: float = 30.0

    @property
    def id(self) -> str:
        return f"email:{self.host}:{self.port}:{','.join(self.to)}"

    def deliver(self, alert: dict[str, Any]) -> None:
        message = EmailMessage()
        message["Subject"] = f"[narratrace] {alert['title']}"
        message["From"] = self.sender
        message["To"] = ", ".join(self.to)
        message.set_content(email_text(alert))
        message.add_attachment(json.dumps(alert, ensure_ascii=False, indent=2).encode("utf-8"),
                               maintype="application", subtype="json", filename="alert.json")
        try:
            smtp_class = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
            with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, os.environ.get(self.password_env or "", ""))
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"e-mail via {self.host}:{self.port}: {exc}") from None


def email_text(alert: dict[str, Any]) -> str:
    """A plain-text body an analyst can act on without opening the JSON."""
    doc = alert["document"]
    lines = [
        alert["title"], "",
        f"Rule: {alert['rule']} ({alert['kind']})",
        f"Document: {doc.get('title') or doc['id']}",
        (f"Outlet: {doc.get('outlet') or '?'}   Language: {doc.get('language') or '?'}   "
         f"Published: {doc.get('published') or '?'}"),
        f"URL: {doc.get('url') or doc.get('origin')}",
        f"Open: {alert['link']}", "", "Evidence:",
    ]
    for key, value in alert["evidence"].items():
        if key != "link_evidence":
            shown = value if isinstance(value, str | int | float) else json.dumps(value, ensure_ascii=False)
            lines.append(f"  {key}: {shown}")
    return "\n".join(lines) + "\n"
