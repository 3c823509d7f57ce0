"""The `riskbot` command line: offline checks, a console over the same path as the bot, the bot
itself, and its maintenance (backup, migrate, doctor)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chatbot.cli_refresh import add_refresh_command
from chatbot.core import Check, evaluate
from chatbot.language.errors import CommandError
from chatbot.language.parser import parse_command
from chatbot.render.replies import render, render_error, to_plain

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def run_check(text: str) -> Check:
    """Parse and evaluate one command with the global defaults; raises `CommandError`."""
    return evaluate(parse_command(text))


def check_as_json(check: Check) -> dict[str, Any]:
    """The result model as JSON: decimals as strings, the instrument named rather than dumped."""
    result = check.result
    data: dict[str, Any] = result.model_dump(mode="json", exclude={"instrument"})
    data["command"] = check.request.command
    data["venue"] = result.instrument.venue_name
    data["symbol"] = result.instrument.symbol
    data["tiers_as_of"] = result.instrument.tiers_as_of
    contract = data.get("contract")
    if contract is not None:
        data["contract_size"] = contract["size"]
    data["defaults"] = [default.model_dump(mode="json") for default in check.defaults]
    return data


def _check(text: str, lang: str, as_json: bool) -> int:
    try:
        check = run_check(text)
    except CommandError as error:
        print(to_plain(render_error(error, lang)), file=sys.stderr)
        return EXIT_BAD_INPUT
    if as_json:
        print(json.dumps(check_as_json(check), indent=2, ensure_ascii=False))
    else:
        print(to_plain(render(check, lang)))
    return 0


def _console(lang: str) -> int:
    """Read commands line by line until end of input; errors answer and the loop goes on."""
    print("riskbot console: type a command such as /size BTC 72000 stop 71500 acct 1000 lev 20")
    for line in sys.stdin:
        text = line.strip()
        if text in {"exit", "quit"}:
            break
        if text:
            _check(text, lang, as_json=False)
            print()
    return 0


def _run(webhook_url: str | None, listen: str | None) -> int:
    """Polling or webhook until SIGINT or SIGTERM; a bad configuration is one line, status 2."""
    from chatbot.bot.app import build_application
    from chatbot.bot.config import ConfigError, load_settings
    from chatbot.bot.logs import configure_logging
    from chatbot.bot.serve import ServeError, serve, webhook_of

    try:
        settings = load_settings()
        webhook = webhook_of(settings, webhook_url, listen)
    except (ConfigError, ServeError) as error:
        print(f"riskbot: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    secrets = [settings.token.get_secret_value(), *([webhook.secret] if webhook else [])]
    configure_logging(settings.log_level, *secrets, fmt=settings.log_format)
    serve(build_application(settings), webhook)
    return 0


def _backup(target: str) -> int:
    """Copy the member log to `target` while the bot may be running."""
    from chatbot.bot.config import StorageSettings
    from chatbot.storage.maintenance import MaintenanceError, backup, backup_file

    source, copy = StorageSettings().db, backup_file(Path(target), datetime.now(UTC))
    try:
        state = asyncio.run(backup(source, copy))
    except MaintenanceError as error:
        print(f"riskbot: {error}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"backed up {source} to {copy} (schema version {state.version}, integrity ok)")
    return 0


def _migrate() -> int:
    """Bring the member log's schema up to date; running it again changes nothing."""
    from chatbot.bot.config import StorageSettings
    from chatbot.storage.maintenance import MaintenanceError, migrate_file

    path = StorageSettings().db
    try:
        before, after = asyncio.run(migrate_file(path))
    except MaintenanceError as error:
        print(f"riskbot: {error}", file=sys.stderr)
        return EXIT_FAILURE
    done = f"migrated from {before} to {after}" if before != after else "already up to date"
    print(f"{path}: schema version {after} ({done})")
    return 0


def _doctor() -> int:
    """One line per check; status 0 only when every check passed."""
    from chatbot.bot.doctor import diagnose, healthy

    findings = asyncio.run(diagnose())
    for finding in findings:
        print(finding.line())
    return 0 if healthy(findings) else EXIT_FAILURE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="riskbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="run one command offline and print the reply")
    check.add_argument("text", help='for example "/size BTC 72000 stop 71500 acct 1000 lev 20"')
    check.add_argument("--lang", default="en", help="reply language (en, de, ...)")
    check.add_argument("--json", action="store_true", help="print the result model as JSON")
    console = commands.add_parser("console", help="type commands, read replies")
    console.add_argument("--lang", default="en")
    run = commands.add_parser("run", help="run the Telegram bot (polling, or --webhook)")
    run.add_argument("--webhook", metavar="URL", help="receive updates at this HTTPS address")
    run.add_argument("--listen", metavar="HOST:PORT", help="webhook server (127.0.0.1:8080)")
    backup = commands.add_parser("backup", help="copy the database safely while the bot runs")
    backup.add_argument("path", help="a file to write (replaced), or a folder for a dated file")
    commands.add_parser("migrate", help="bring the database schema up to date")
    commands.add_parser("doctor", help="check configuration, database, data and Telegram")
    markets = commands.add_parser("markets", help="the venues' instruments and tier tables")
    add_refresh_command(markets.add_subparsers(dest="markets_command", required=True))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if hasattr(args, "func"):
        status: int = args.func(args)
        return status
    if args.command == "check":
        return _check(args.text, args.lang, args.json)
    if args.command == "run":
        return _run(args.webhook, args.listen)
    if args.command == "backup":
        return _backup(args.path)
    if args.command == "migrate":
        return _migrate()
    if args.command == "doctor":
        return _doctor()
    return _console(args.lang)
