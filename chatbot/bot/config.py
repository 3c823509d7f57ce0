"""Typed configuration from the environment (and a `.env` file), the token kept secret."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TOKEN_SHAPE = r"^\d{3,}:[A-Za-z0-9_-]{8,}$"
# Telegram's rule for a webhook's secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
WEBHOOK_SECRET_SHAPE = r"^[A-Za-z0-9_-]{1,256}$"
# The levels the README offers; `info` is read as INFO.
LogLevel = Annotated[
    Literal["DEBUG", "INFO", "WARNING", "ERROR"],
    BeforeValidator(lambda value: value.upper() if isinstance(value, str) else value),
]


class StorageSettings(BaseSettings):
    """Where the member log lives: all that `riskbot backup` and `riskbot migrate` need, so
    maintenance works on a server where the token is not at hand."""

    model_config = SettingsConfigDict(env_prefix="RISKBOT_", env_file=".env", extra="ignore")

    db: Path = Path("riskbot.sqlite3")


class Settings(StorageSettings):
    """`RISKBOT_TOKEN` is required; everything else has a default that works on one server."""

    token: SecretStr
    api_url: str = "https://api.telegram.org"
    log_level: LogLevel = "INFO"
    log_format: Literal["text", "json"] = "text"
    # Webhook mode when set (or given as `riskbot run --webhook URL`); long polling otherwise.
    webhook_url: str | None = None
    listen: str = "127.0.0.1:8080"
    # Checked on every webhook request; a random one is made at each start when unset.
    webhook_secret: SecretStr | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    # How many updates are processed at once; 0 or 1 = one after another. One after another
    # waits a full round trip to Telegram per answer (about 17 a second over a 50 ms link, below
    # Telegram's own 30): benchmarks/ measured both, README "Performance".
    concurrent_updates: int = Field(default=256, ge=0)
    # Telegram's pace (30 messages/s overall, 20 a minute per group) and retries after a flood
    # wait. Off only to measure the bot's own speed in a benchmark: never in production.
    rate_limit: bool = True

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not re.fullmatch(TOKEN_SHAPE, value.get_secret_value()):
            raise ValueError("does not look like a bot token from @BotFather (123456:ABC…)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(WEBHOOK_SECRET_SHAPE, value.get_secret_value()):
            raise ValueError("use 1 to 256 characters: letters, digits, _ and -")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        """`RISKBOT_ADMIN_IDS=1,2 3` as typed in a shell or an env file."""
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(",", " ").split())
        return value

    @property
    def base_url(self) -> str:
        return f"{self.api_url.rstrip('/')}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.api_url.rstrip('/')}/file/bot"


def load_settings() -> Settings:
    """The settings, or one plain line saying what is wrong (the caller exits with status 2)."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"RISKBOT_{'_'.join(str(part) for part in issue['loc']).upper()}: {issue['msg']}"
            for issue in error.errors(include_input=False, include_url=False)
        )
        raise ConfigError(problems) from None


class ConfigError(ValueError):
    """A configuration problem, worded for the person starting the bot."""
