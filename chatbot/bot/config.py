"""Typed configuration from the environment (and a `.env` file), the token kept secret."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TOKEN_SHAPE = r"^\d{3,}:[A-Za-z0-9_-]{8,}$"


class Settings(BaseSettings):
    """`RISKBOT_TOKEN` is required; everything else has a default that works on one server."""

    model_config = SettingsConfigDict(env_prefix="RISKBOT_", env_file=".env", extra="ignore")

    token: SecretStr
    api_url: str = "https://api.telegram.org"
    db: Path = Path("riskbot.sqlite3")
    log_level: str = "INFO"
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        import re

        if not re.fullmatch(TOKEN_SHAPE, value.get_secret_value()):
            raise ValueError("does not look like a bot token from @BotFather (123456:ABC…)")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if not isinstance(logging.getLevelName(level), int):
            raise ValueError("use DEBUG, INFO, WARNING or ERROR")
        return level

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
        return Settings()  # type: ignore[call-arg]
    except ValidationError as error:
        problems = "; ".join(
            f"RISKBOT_{'_'.join(str(part) for part in issue['loc']).upper()}: {issue['msg']}"
            for issue in error.errors(include_input=False, include_url=False)
        )
        raise ConfigError(problems) from None


class ConfigError(ValueError):
    """A configuration problem, worded for the person starting the bot."""
