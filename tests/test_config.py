"""Settings from the environment: pydantic names every bad value under its variable, and every
secret (the bot token, the webhook secret, a Binance key and secret) stays out of the logs."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from chatbot.bot.config import ConfigError, Settings, load_settings
from chatbot.bot.logs import REDACTED, install_redaction
from chatbot.cli import main

TOKEN = "123456:ABCDEFGHIJK"
KEY, SECRET = "binancekeyVq3Lr8", "binancesecretZt7Wm2"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No RISKBOT_ variable and no .env from the developer's shell; cwd is a fresh folder."""
    for name in list(os.environ):
        if name.startswith("RISKBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def record_factory() -> Iterator[None]:
    """Tests that install redaction put the process's record factory back afterwards."""
    factory = logging.getLogRecordFactory()
    yield
    logging.setLogRecordFactory(factory)


def problems(monkeypatch: pytest.MonkeyPatch, **variables: str) -> str:
    monkeypatch.setenv("RISKBOT_TOKEN", TOKEN)
    for name, value in variables.items():
        monkeypatch.setenv(f"RISKBOT_{name.upper()}", value)
    with pytest.raises(ConfigError) as refused:
        load_settings()
    return str(refused.value)


def test_log_level_in_any_case(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`debug` and `Warning` are read as DEBUG and WARNING."""
    monkeypatch.setenv("RISKBOT_TOKEN", TOKEN)
    for typed, level in (("debug", "DEBUG"), ("Warning", "WARNING")):
        monkeypatch.setenv("RISKBOT_LOG_LEVEL", typed)
        assert load_settings().log_level == level


def test_unknown_log_level_and_format_list_the_choices(
    environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A level and a format riskbot does not know are both named, each with the values it
    accepts, in one line."""
    assert problems(monkeypatch, log_level="verbose", log_format="xml") == (
        "RISKBOT_LOG_LEVEL: Input should be 'DEBUG', 'INFO', 'WARNING' or 'ERROR'; "
        "RISKBOT_LOG_FORMAT: Input should be 'text' or 'json'"
    )


def test_admin_ids_as_typed_in_a_shell(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commas, spaces or both separate ids; a word that is not a number is pointed at."""
    monkeypatch.setenv("RISKBOT_TOKEN", TOKEN)
    monkeypatch.setenv("RISKBOT_ADMIN_IDS", "11111, 22222 33333")
    assert load_settings().admin_ids == {11111, 22222, 33333}
    assert problems(monkeypatch, admin_ids="11111,alice").startswith(
        "RISKBOT_ADMIN_IDS, entry 2: Input should be a valid integer"
    )


def test_exchange_addresses_default_to_the_public_endpoints(environment: Path) -> None:
    """The base endpoints each exchange publishes: Binance USDⓈ-M Futures 'General Info',
    Bybit V5 'Integration Guidance' (mainnet), OKX API v5 'REST API' (production)."""
    settings = Settings(token=TOKEN)
    assert str(settings.binance_url) == "https://fapi.binance.com/"
    assert str(settings.bybit_url) == "https://api.bybit.com/"
    assert str(settings.okx_url) == "https://www.okx.com/"
    assert settings.binance_api_key is None and settings.binance_api_secret is None


def test_exchange_address_from_the_environment(
    environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RISKBOT_BINANCE_URL points at another server (a testnet); a bare host name is refused."""
    monkeypatch.setenv("RISKBOT_TOKEN", TOKEN)
    monkeypatch.setenv("RISKBOT_BINANCE_URL", "https://testnet.binancefuture.com")
    assert load_settings().binance_url.host == "testnet.binancefuture.com"
    assert problems(monkeypatch, bybit_url="api.bybit.com") == (
        "RISKBOT_BYBIT_URL: Input should be a valid URL, relative URL without a base"
    )


def test_secrets_are_masked_and_listed_for_redaction(
    environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The settings' text shows no secret; `secret_values` holds each one that is set."""
    for name, value in (("token", TOKEN), ("binance_api_key", KEY), ("binance_api_secret", SECRET)):
        monkeypatch.setenv(f"RISKBOT_{name.upper()}", value)
    settings = load_settings()
    shown = f"{settings!r} {settings}"
    assert not [value for value in (TOKEN, KEY, SECRET) if value in shown]
    assert sorted(settings.secret_values()) == sorted([TOKEN, KEY, SECRET])


def test_a_bad_secret_is_never_echoed(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A malformed webhook secret is described, not repeated."""
    assert problems(monkeypatch, webhook_secret="has space q7x") == (
        "RISKBOT_WEBHOOK_SECRET: Value error, use 1 to 256 characters: letters, digits, _ and -"
    )


def test_binance_key_and_secret_are_redacted(
    environment: Path, monkeypatch: pytest.MonkeyPatch, record_factory: None
) -> None:
    """A log line or exception holding the Binance key or secret shows the redaction mark."""
    settings = Settings(token=TOKEN, binance_api_key=KEY, binance_api_secret=SECRET)
    install_redaction(*settings.secret_values())
    try:
        raise RuntimeError(f"signature for {KEY} with {SECRET} refused")
    except RuntimeError as error:
        record = logging.getLogger("riskbot.test").makeRecord(
            "riskbot.test", logging.ERROR, __file__, 1, "key %s: %s", (KEY, error), None
        )
    assert (
        record.getMessage() == f"key {REDACTED}: signature for {REDACTED} with {REDACTED} refused"
    )


def test_run_hands_every_secret_to_the_log_redaction(
    environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`riskbot run` redacts the token, the webhook secret and the Binance key and secret."""
    env = {"token": TOKEN, "binance_api_key": KEY, "binance_api_secret": SECRET}
    for name, value in env.items():
        monkeypatch.setenv(f"RISKBOT_{name.upper()}", value)
    monkeypatch.setenv("RISKBOT_WEBHOOK_SECRET", "hooksecret_9")
    redacted: list[str] = []

    def configure_logging(level: str, *secrets: str, fmt: str) -> None:
        redacted.extend(secrets)

    monkeypatch.setattr("chatbot.bot.logs.configure_logging", configure_logging)
    monkeypatch.setattr("chatbot.bot.app.build_application", lambda settings: settings)
    monkeypatch.setattr("chatbot.bot.serve.serve", lambda *args: None)
    assert main(["run", "--webhook", "https://bot.example.org/riskbot"]) == 0
    assert set(redacted) == {TOKEN, KEY, SECRET, "hooksecret_9"}
