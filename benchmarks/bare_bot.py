"""The baseline of the end-to-end benchmark: a bare python-telegram-bot bot with one fixed answer.

It polls the same stand-in server as riskbot, with the same pacing and concurrency settings, so
riskbot's throughput as a ratio of this one is the cost of riskbot's own work (parsing, the
engine, the member's log, rendering) on top of what python-telegram-bot itself costs.

    python -m benchmarks.bare_bot --api-url http://127.0.0.1:PORT --token 123:ABC
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

ANSWER = "ok"


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every text gets the same answer: no parsing, no storage, no rendering."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(ANSWER)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--concurrent-updates", type=int, default=1)
    parser.add_argument("--rate-limit", choices=("on", "off"), default="on")
    args = parser.parse_args(argv)
    builder = (
        ApplicationBuilder()
        .token(args.token)
        .base_url(f"{args.api_url}/bot")
        .base_file_url(f"{args.api_url}/file/bot")
        .concurrent_updates(max(args.concurrent_updates, 1))
    )
    if args.rate_limit == "on":
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, answer))
    application.run_polling()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
