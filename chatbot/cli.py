"""The `riskbot` command line: offline checks and a small console over the same path as the bot."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from chatbot.core import Check, evaluate
from chatbot.language.errors import CommandError
from chatbot.language.parser import parse_command
from chatbot.render.replies import render, render_error, to_plain

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


def _run() -> int:
    """Long polling until SIGINT or SIGTERM; a bad configuration is one line and status 2."""
    from chatbot.bot.app import build_application
    from chatbot.bot.config import ConfigError, load_settings
    from chatbot.bot.logs import configure_logging

    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"riskbot: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    configure_logging(settings.log_level, settings.token.get_secret_value())
    build_application(settings).run_polling()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="riskbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="run one command offline and print the reply")
    check.add_argument("text", help='for example "/size BTC 72000 stop 71500 acct 1000 lev 20"')
    check.add_argument("--lang", default="en", help="reply language (en, de, ...)")
    check.add_argument("--json", action="store_true", help="print the result model as JSON")
    console = commands.add_parser("console", help="type commands, read replies")
    console.add_argument("--lang", default="en")
    commands.add_parser("run", help="run the Telegram bot (long polling); see README")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "check":
        return _check(args.text, args.lang, args.json)
    if args.command == "run":
        return _run()
    return _console(args.lang)
