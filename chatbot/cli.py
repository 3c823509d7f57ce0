"""The `riskbot` command line: offline checks, a console over the same path as the bot, the bot
itself, and its maintenance (backup, migrate, doctor)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chatbot.cli_markets import add_markets_commands
from chatbot.cli_refresh import add_refresh_command
from chatbot.engine.models import Instrument
from chatbot.evaluation.calculators import Check, evaluate
from chatbot.evaluation.defaults import MarketQuote
from chatbot.evaluation.market import market_wanted
from chatbot.language.errors import CommandError
from chatbot.language.parser import parse_command
from chatbot.markets.prices import MarkPrices
from chatbot.markets.settings import MarketSettings
from chatbot.render.errors import render_error
from chatbot.render.html import to_plain
from chatbot.render.results import render
from chatbot.service.checks import quote

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def run_check(text: str, lang: str | None = None) -> Check:
    """Parse (numbers as `lang` writes them) and evaluate with the global defaults; raises
    `CommandError`. A command that leaves its entry or funding rate to the venue asks the
    venue's public API (RISKBOT_BINANCE_URL and friends) for the mark price."""
    request = parse_command(text, lang=lang)
    wanted = market_wanted(request)
    market = asyncio.run(_quote(wanted)) if wanted is not None else None
    return evaluate(request, market=market)


async def _quote(instrument: Instrument) -> MarketQuote:
    """The bot's own quote, from a client that lives for this one command."""
    prices = MarkPrices(MarketSettings())
    try:
        return await quote(prices, instrument)
    finally:
        await prices.aclose()


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


def _answer(text: str, lang: str, as_json: bool) -> int:
    try:
        check = run_check(text, lang)
    except CommandError as error:
        print(to_plain(render_error(error, lang)), file=sys.stderr)
        return EXIT_BAD_INPUT
    if as_json:
        print(json.dumps(check_as_json(check), indent=2, ensure_ascii=False))
    else:
        print(to_plain(render(check, lang)))
    return 0


def _check(args: argparse.Namespace) -> int:
    return _answer(args.text, args.lang, args.json)


def _console(args: argparse.Namespace) -> int:
    """Read commands line by line until end of input; errors answer and the loop goes on."""
    print("riskbot console: type a command such as /size BTC 72000 stop 71500 acct 1000 lev 20")
    for line in sys.stdin:
        text = line.strip()
        if text in {"exit", "quit"}:
            break
        if text:
            _answer(text, args.lang, as_json=False)
            print()
    return 0


def _run(args: argparse.Namespace) -> int:
    """Polling or webhook until SIGINT or SIGTERM; a bad configuration is one line, status 2."""
    from chatbot.bot.app import build_application
    from chatbot.bot.config import ConfigError, load_settings
    from chatbot.bot.logs import configure_logging
    from chatbot.bot.serve import ServeError, StartupError, serve, webhook_of
    from chatbot.storage.maintenance import MaintenanceError, check_database

    try:
        settings = load_settings()
        webhook = webhook_of(settings, args.webhook, args.listen)
    except (ConfigError, ServeError) as error:
        print(f"riskbot: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    secrets = [*settings.secret_values(), *([webhook.secret] if webhook else [])]
    configure_logging(settings.log_level, *secrets, fmt=settings.log_format)
    try:
        check_database(settings.db)
        serve(build_application(settings), webhook)
    except (MaintenanceError, StartupError) as error:
        print(f"riskbot: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def _backup(args: argparse.Namespace) -> int:
    """Copy the member log to `args.path` while the bot may be running."""
    from chatbot.bot.config import StorageSettings
    from chatbot.storage.maintenance import MaintenanceError, backup, backup_file

    source, copy = StorageSettings().db, backup_file(Path(args.path), datetime.now(UTC))
    try:
        state = asyncio.run(backup(source, copy))
    except MaintenanceError as error:
        print(f"riskbot: {error}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"backed up {source} to {copy} (schema version {state.version}, integrity ok)")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    """Bring the member log's schema up to date and recompute the members' standings from the
    rows; running it again changes nothing."""
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


def _doctor(args: argparse.Namespace) -> int:
    """One line per check; status 0 only when every check passed."""
    from chatbot.bot.doctor import diagnose, healthy

    findings = asyncio.run(diagnose())
    for finding in findings:
        print(finding.line())
    return 0 if healthy(findings) else EXIT_FAILURE


def build_parser() -> argparse.ArgumentParser:
    """Each sub-command names the function that runs it, so adding one is one parser entry."""
    parser = argparse.ArgumentParser(prog="riskbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="run one command offline and print the reply")
    check.add_argument("text", help='for example "/size BTC 72000 stop 71500 acct 1000 lev 20"')
    check.add_argument("--lang", default="en", help="reply language (en, de, ...)")
    check.add_argument("--json", action="store_true", help="print the result model as JSON")
    check.set_defaults(func=_check)
    console = commands.add_parser("console", help="type commands, read replies")
    console.add_argument("--lang", default="en")
    console.set_defaults(func=_console)
    run = commands.add_parser("run", help="run the Telegram bot (polling, or --webhook)")
    run.add_argument("--webhook", metavar="URL", help="receive updates at this HTTPS address")
    run.add_argument("--listen", metavar="HOST:PORT", help="webhook server (127.0.0.1:8080)")
    run.set_defaults(func=_run)
    backup = commands.add_parser("backup", help="copy the database safely while the bot runs")
    backup.add_argument("path", help="a file to write (replaced), or a folder for a dated file")
    backup.set_defaults(func=_backup)
    migrate = commands.add_parser(
        "migrate", help="bring the database schema up to date, recompute members' records"
    )
    migrate.set_defaults(func=_migrate)
    doctor = commands.add_parser("doctor", help="check configuration, database, data and Telegram")
    doctor.set_defaults(func=_doctor)
    add_refresh_command(add_markets_commands(commands))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.func
    return command(args)
