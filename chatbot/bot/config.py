"""Typed configuration from the environment (and a `.env` file): pydantic checks every value, so
a mistake is named at start with the variable it came from, and secrets stay `SecretStr`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, HttpUrl, SecretStr, ValidationError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from chatbot.markets.settings import MarketSettings

TOKEN_SHAPE = r"^\d{3,}:[A-Za-z0-9_-]{8,}$"
# Telegram's rule for a webhook's secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
WEBHOOK_SECRET_SHAPE = r"^[A-Za-z0-9_-]{1,256}$"


def _shaped(pattern: str, hint: str) -> AfterValidator:
    """A secret that must match `pattern`; the hint, not the pattern, tells the person what to
    fix, and the value itself is never echoed."""
    shape = re.compile(pattern)

    def check(value: SecretStr) -> SecretStr:
        if not shape.fullmatch(value.get_secret_value()):
            raise ValueError(hint)
        return value

    return AfterValidator(check)


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


def _words(value: object) -> object:
    """`RISKBOT_ADMIN_IDS=1,2 3` as typed in a shell or an env file; pydantic makes the ints."""
    return value.replace(",", " ").split() if isinstance(value, str) else value


BotToken = Annotated[
    SecretStr, _shaped(TOKEN_SHAPE, "does not look like a bot token from @BotFather (123456:ABC…)")
]
WebhookSecret = Annotated[
    SecretStr, _shaped(WEBHOOK_SECRET_SHAPE, "use 1 to 256 characters: letters, digits, _ and -")
]
# Written in any case in the environment ("debug" works too).
LogLevel = Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(_upper)]
AdminIds = Annotated[frozenset[int], NoDecode, BeforeValidator(_words)]


class StorageSettings(BaseSettings):
    """Where the member log lives: all that `riskbot backup` and `riskbot migrate` need, so
    maintenance works on a server where the token is not at hand."""

    model_config = SettingsConfigDict(
        env_prefix="RISKBOT_", env_file=".env", extra="ignore", frozen=True
    )

    db: Path = Path("riskbot.sqlite3")


class Settings(StorageSettings, MarketSettings):
    """`RISKBOT_TOKEN` is required; everything else has a default that works on one server.

    The exchanges' addresses and the optional read-only Binance key come from the market
    layer's settings; every SecretStr among all of them is kept out of the logs.
    """

    token: BotToken
    api_url: HttpUrl = HttpUrl("https://api.telegram.org")
    log_level: LogLevel = "INFO"
    log_format: Literal["text", "json"] = "text"
    # Webhook mode when set (or given as `riskbot run --webhook URL`); long polling otherwise.
    webhook_url: str | None = None
    listen: str = "127.0.0.1:8080"
    # Checked on every webhook request; a random one is made at each start when unset.
    webhook_secret: WebhookSecret | None = None
    admin_ids: AdminIds = Field(default_factory=frozenset)
    # How many updates are processed at once; 0 or 1 = one after another. One after another
    # waits a full round trip to Telegram per answer (about 17 a second over a 50 ms link, below
    # Telegram's own 30): benchmarks/ measured both, README "Performance".
    concurrent_updates: int = Field(default=256, ge=0)
    # Telegram's pace (30 messages/s overall, 20 a minute per group) and retries after a flood
    # wait. Off only to measure the bot's own speed in a benchmark: never in production.
    rate_limit: bool = True

    @property
    def base_url(self) -> str:
        return f"{str(self.api_url).rstrip('/')}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{str(self.api_url).rstrip('/')}/file/bot"

    def secret_values(self) -> tuple[str, ...]:
        """Every secret that is set, found by type, so a secret added later is redacted from
        the logs without anyone remembering to list it."""
        fields = (getattr(self, name) for name in type(self).model_fields)
        return tuple(
            value.get_secret_value()
            for value in fields
            if isinstance(value, SecretStr) and value.get_secret_value()
        )


def load_settings() -> Settings:
    """The settings, or one plain line saying what is wrong (the caller exits with status 2)."""
    try:
        return Settings()
    except ValidationError as error:
        raise ConfigError(_problems(error)) from None


def _problems(error: ValidationError) -> str:
    """Each problem under the variable's name, without the value (it may be a secret); a list's
    entry is counted from 1 as a person reads it."""
    problems = []
    for issue in error.errors(include_input=False, include_url=False):
        name, *inner = issue["loc"]
        where = "".join(f", entry {part + 1}" for part in inner if isinstance(part, int))
        problems.append(f"RISKBOT_{str(name).upper()}{where}: {issue['msg']}")
    return "; ".join(problems)


class ConfigError(ValueError):
    """A configuration problem, worded for the person starting the bot."""
