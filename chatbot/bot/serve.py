"""How the bot receives updates: long polling by default, or a webhook behind a reverse proxy.

Polling needs no public address and suits a small server. A webhook needs an HTTPS address
Telegram can reach (a reverse proxy terminating TLS and forwarding to `listen`), and anyone who
finds that address could post forged updates to it. So webhook mode always sets Telegram's
`secret_token`: the configured `RISKBOT_WEBHOOK_SECRET`, else a random one made at each start
and registered with setWebhook. PTB then refuses (403) every request whose
X-Telegram-Bot-Api-Secret-Token header is missing or different.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from chatbot.bot.config import Settings

log = logging.getLogger(__name__)

SECRET_BYTES = 32  # token_urlsafe(32): 43 characters, within Telegram's 1-256 of [A-Za-z0-9_-]
# setWebhook at start-up is retried this often before the bot gives up (a network blip).
BOOTSTRAP_RETRIES = 3
MAX_PORT = 65_535


class ServeError(ValueError):
    """A webhook address or listen address that cannot work, worded for the operator."""


class StartupError(RuntimeError):
    """Telegram refused or could not be reached while starting, worded for the operator.

    PTB's own messages quote the token (`The token `123:AA…` was rejected`), so they are never
    passed on: the operator reads which setting to check instead.
    """


@dataclass(frozen=True)
class Webhook:
    """Where Telegram posts updates (`url`) and where the bot listens for them."""

    url: str
    host: str
    port: int
    secret: str

    @property
    def path(self) -> str:
        """The URL's path, served as is, so a proxy can forward without rewriting."""
        return urlsplit(self.url).path.strip("/")

    def options(self) -> dict[str, Any]:
        """Arguments for PTB's `run_webhook` and `Updater.start_webhook` alike."""
        return {
            "listen": self.host,
            "port": self.port,
            "url_path": self.path,
            "webhook_url": self.url,
            "secret_token": self.secret,
            "bootstrap_retries": BOOTSTRAP_RETRIES,
        }


def parse_listen(text: str) -> tuple[str, int]:
    """`HOST:PORT`, `:PORT` (all IPv4 interfaces) or `[::]:PORT` (IPv6) into host and port."""
    host, colon, port = text.strip().rpartition(":")
    if not colon or not port.isdigit() or not 0 < int(port) <= MAX_PORT:
        raise ServeError(f"listen address {text!r}: use HOST:PORT, for example 127.0.0.1:8080")
    return host.strip("[]") or "0.0.0.0", int(port)


def check_url(url: str) -> str:
    """A webhook URL must name a host; Telegram itself insists on https (ports 443/80/88/8443)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise ServeError(
            f"webhook address {url!r}: use a full address such as https://bot.example.org/tg"
        )
    if parts.query or parts.fragment:
        raise ServeError(f"webhook address {url!r}: it may not carry ?query or #fragment")
    return url.strip()


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def webhook_of(settings: Settings, url: str | None, listen: str | None) -> Webhook | None:
    """Webhook mode from the flags, else from the settings; None means long polling."""
    address = url or settings.webhook_url
    if not address:
        return None
    host, port = parse_listen(listen or settings.listen)
    configured = settings.webhook_secret
    secret = configured.get_secret_value() if configured is not None else new_secret()
    return Webhook(check_url(address), host, port, secret)


def serve(application: Application, webhook: Webhook | None) -> None:  # type: ignore[type-arg]
    """Run until SIGINT or SIGTERM; a token Telegram rejects or an unreachable Bot API is a
    `StartupError` naming the setting to check."""
    quiet = _StartupFailuresReported(application)
    logging.getLogger("telegram.ext").addFilter(quiet)
    try:
        _run(application, webhook)
    except InvalidToken:
        raise StartupError(
            "Telegram rejected the token in RISKBOT_TOKEN: copy it again from @BotFather"
        ) from None
    except NetworkError as error:
        raise StartupError(
            f"cannot reach the Bot API ({type(error).__name__}): check RISKBOT_API_URL and the "
            "network"
        ) from None
    finally:
        logging.getLogger("telegram.ext").removeFilter(quiet)


class _StartupFailuresReported(logging.Filter):
    """Drop PTB's own traceback of a failed start-up, which `serve` reports in one line.

    Only while the application is not yet running, and only for the two failures `serve`
    words itself; every later network error is logged as usual.
    """

    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        super().__init__()
        self.application = application

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        starting = not self.application.running
        return not (starting and isinstance(error, InvalidToken | NetworkError))


def _run(application: Application, webhook: Webhook | None) -> None:  # type: ignore[type-arg]
    """PTB registers the webhook (or removes it for polling) and runs until a signal."""
    if webhook is None:
        log.info("receiving updates by long polling")
        application.run_polling()
        return
    log.info(
        "receiving updates by webhook %s on %s:%s (secret token checked)",
        webhook.url,
        webhook.host,
        webhook.port,
    )
    application.run_webhook(**webhook.options())
