"""The engine alone: parse + evaluate + render, the work of one calculator reply, no I/O."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from chatbot.evaluation.calculators import evaluate
from chatbot.language.errors import CommandError
from chatbot.language.parser import parse_command
from chatbot.render.errors import render_error
from chatbot.render.results import render

# What members type, weighted towards /size as in the bot's log; one mistake among them.
MIX: tuple[str, ...] = (
    "/size BTC 72000 stop 71500 acct 1000 lev 20",
    "/size eth 3,2k sl=3150 acct $2500 x10 risk 0.5% tp 3400",
    "/size BTC 72000 stop 1% acct 1000 lev 5 short",
    "/size BTC 72000 stop 71500 acct 10000 lev 5 venue cme micro",
    "/size SOL 150 stop 148.5 acct 500 lev 3 venue bybit",
    "/size BTC 72000 stop 71500 acct 1000 lev 20 cross",
    "/liq BTC 72000 lev 20",
    "/pnl BTC 72000 73500 qty 0.017 stop 71500",
    "/hedge BTC 5000 price 72000 ratio 50%",
    "/funding BTC 1224 rate 0.01% hours 24",
    "/size BTC 72000 stpo 71500 acct 1000",
)

# What a member, or an attacker, may paste instead of a command: each is refused with its own
# precise error, the parser checking lengths before it reads any word.
FLOODS: tuple[tuple[str, str], ...] = (
    ("/size BTC 999… (100,000 digits)", "/size BTC " + "9" * 100_000),
    ("/size aaa… (1,000,000 letters)", "/size " + "a" * 1_000_000),
    ("xxx… (1,000,000 letters, no command)", "x" * 1_000_000),
    ("/ssss… (a 1,000,000-letter command)", "/" + "s" * 1_000_000),
    ("/size BTC 72000 stop stop … (200,000 words)", "/size BTC 72000 " + "stop " * 200_000),
    ("/size BTC 72000 stop 111… (a 4,000-digit stop)", "/size BTC 72000 stop " + "1" * 4000),
)


def answer(text: str, lang: str) -> str:
    """The reply text a member gets for `text`, as the bot builds it (without the log line)."""
    try:
        return render(evaluate(parse_command(text)), lang)
    except CommandError as error:
        return render_error(error, lang)


def per_second(work: Callable[[], object], seconds: float) -> float:
    """How many times `work` runs in a second, over at least `seconds` of repetition."""
    done = 0
    started = time.perf_counter()
    deadline = started + seconds
    while (now := time.perf_counter()) < deadline:
        work()
        done += 1
    return done / (now - started)


def run(seconds: float) -> list[tuple[str, str]]:
    """Rows: each command alone, the whole mix in English and in German, then each flood."""
    for text in MIX:  # first use loads catalogs and venue tables: keep it out of the figures
        answer(text, "en")
        answer(text, "de")
    share = seconds / (len(MIX) + 2 + len(FLOODS))
    rows = [(text, f"{per_second(partial(answer, text, 'en'), share):,.0f}") for text in MIX]
    for lang in ("en", "de"):

        def mix(lang: str = lang) -> None:
            for text in MIX:
                answer(text, lang)

        rows.append((f"the mix above ({lang})", f"{per_second(mix, share) * len(MIX):,.0f}"))
    for label, text in FLOODS:
        rows.append((label, f"{per_second(partial(answer, text, 'en'), share):,.1f}"))
    return rows


HEADER = ("command", "answers per second")
