"""`riskbot doctor`: is this installation able to run, and if not, what to do about it.

Each check gives one line, ✅ or ❌, and a failing one says in plain words what to change. The
checks only read: the database is opened query-only and never migrated, and Telegram is asked
getMe, which changes nothing. Output is for the operator (English) and never shows the token.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from chatbot.bot.config import ConfigError, Settings, StorageSettings, load_settings
from chatbot.bot.logs import REDACTED
from chatbot.bot.serve import ServeError, webhook_of
from chatbot.markets import catalog
from chatbot.render.i18n import available_languages, translator
from chatbot.storage.maintenance import MaintenanceError, schema_state, stored_snapshots

TELEGRAM_TIMEOUT = 10.0  # seconds for one getMe; a healthy connection answers in well under 1


@dataclass(frozen=True)
class Finding:
    """One line of the report; `ok` None means not checked because an earlier check failed."""

    topic: str
    ok: bool | None
    text: str

    def line(self) -> str:
        mark = {True: "✅", False: "❌", None: "➖"}[self.ok]
        return f"{mark} {self.topic}: {self.text}"


def check_config() -> tuple[Finding, Settings | None]:
    try:
        settings = load_settings()
    except ConfigError as error:
        fix = "set it in the environment or in the .env file riskbot starts from (see README)"
        return Finding("configuration", False, f"{error}. Fix: {fix}."), None
    try:
        webhook_of(settings, None, None)
    except ServeError as error:
        fix = "correct RISKBOT_WEBHOOK_URL or RISKBOT_LISTEN"
        return Finding("configuration", False, f"{error}. Fix: {fix}."), settings
    mode = f"webhook {settings.webhook_url}" if settings.webhook_url else "long polling"
    text = f"token set, database {settings.db}, {mode}, log level {settings.log_level}"
    return Finding("configuration", True, text), settings


def _writable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


async def check_database(path: Path) -> Finding:
    folder = path.parent.resolve()
    if not path.exists():
        if _writable(folder):
            return Finding("database", True, f"none yet at {path}; the bot creates it at start")
        fix = f"create the folder {folder} and let the bot's user write to it"
        return Finding("database", False, f"cannot create {path}. Fix: {fix}.")
    if not _writable(folder) or not os.access(path, os.R_OK | os.W_OK):
        fix = f"let the bot's user read and write {path} and its folder (SQLite adds files there)"
        return Finding("database", False, f"{path} is not writable. Fix: {fix}.")
    try:
        state = await schema_state(path)
    except MaintenanceError as error:
        fix = "restore the latest backup (riskbot backup makes them)"
        return Finding("database", False, f"{error}. Fix: {fix}.")
    if state.version < state.latest:
        fix = "back it up with `riskbot backup FILE`, then run `riskbot migrate`"
        text = f"schema version {state.version}, this riskbot needs {state.latest}. Fix: {fix}."
        return Finding("database", False, text)
    if state.version > state.latest:
        fix = "install the riskbot version that wrote it, or a newer one"
        text = f"schema version {state.version} is newer than this riskbot ({state.latest}). "
        return Finding("database", False, text + f"Fix: {fix}.")
    return Finding("database", True, f"{path}, schema version {state.version}, up to date")


def check_catalogs() -> Finding:
    fix = "reinstall riskbot; the package ships its locales/ folder"
    try:
        languages = available_languages()
        for lang in languages:
            translator(lang)  # compiles the catalog: a broken .po file fails here
    except Exception as error:  # a damaged catalog can fail in many ways; name it and go on
        return Finding("catalogs", False, f"cannot load: {error}. Fix: {fix}.")
    if not languages:
        return Finding("catalogs", False, f"no language catalog found. Fix: {fix}.")
    return Finding("catalogs", True, f"languages {', '.join(languages)}")


async def check_markets(db: Path) -> Finding:
    """Each venue's market data: how many instruments, from where, and how old, so the
    operator sees when `riskbot markets refresh` is due."""
    try:
        for stored in await stored_snapshots(db):
            catalog.install(stored)
        parts = [_venue_line(venue.key) for venue in catalog.venues()]
    except Exception as error:  # a damaged data file or row can fail in many ways
        fix = "reinstall riskbot (the shipped snapshot is part of the package), then run "
        fix += "riskbot markets refresh"
        return Finding("market data", False, f"cannot load: {error}. Fix: {fix}.")
    return Finding("market data", True, "; ".join(parts))


def _venue_line(venue: str) -> str:
    snapshot, days = catalog.snapshot(venue), catalog.snapshot_age(venue).days
    count, dated = len(snapshot.instruments), f"{snapshot.as_of:%Y-%m-%d}"
    return f"{venue} {count} instruments of {dated} ({days} days old)"


async def check_telegram(settings: Settings) -> Finding:
    token = settings.token.get_secret_value()
    request = HTTPXRequest(connect_timeout=TELEGRAM_TIMEOUT, read_timeout=TELEGRAM_TIMEOUT)
    bot = Bot(token, base_url=settings.base_url, request=request)
    try:
        async with bot:
            return Finding("Telegram", True, f"{settings.api_url} answers as @{bot.username}")
    except InvalidToken:
        fix = "copy the token again from @BotFather (/mybots → API Token) into RISKBOT_TOKEN"
        return Finding("Telegram", False, f"the token was refused. Fix: {fix}.")
    except NetworkError as error:
        fix = "check the server's internet access, DNS, firewall or proxy, and RISKBOT_API_URL"
        reason = str(error).replace(token, REDACTED)
        text = f"cannot reach {settings.api_url} ({reason}). Fix: {fix}."
        return Finding("Telegram", False, text)
    except TelegramError as error:
        reason = str(error).replace(token, REDACTED)
        return Finding("Telegram", False, f"{settings.api_url} answered: {reason}.")


def _skipped(topic: str) -> Finding:
    return Finding(topic, None, "not checked until the configuration loads")


async def diagnose() -> list[Finding]:
    """Every check in order; the database is checked even when the token is what is wrong."""
    config, settings = check_config()
    database = await check_database(settings.db if settings else StorageSettings().db)
    telegram = await check_telegram(settings) if settings else _skipped("Telegram")
    markets = await check_markets(settings.db if settings else StorageSettings().db)
    return [config, database, check_catalogs(), markets, telegram]


def healthy(findings: list[Finding]) -> bool:
    return all(finding.ok for finding in findings)
