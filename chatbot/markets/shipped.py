"""The snapshots shipped inside the package, so the bot works offline and on its first start.

`scripts/build_market_snapshot.py` writes one file per venue from public sources (freqtrade's
Binance bracket file, ccxt's recorded market fixtures, cited static figures); each file is read
and validated only when its venue is first needed.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import TypeAdapter

from chatbot.markets.models import VenueSnapshot

DATA_PACKAGE = "chatbot.markets"
DATA_FOLDER = "data"

_SNAPSHOT = TypeAdapter(VenueSnapshot)


def data_file(venue: str) -> str:
    """The shipped file's name inside the package, for messages that tell an operator where."""
    return f"{DATA_FOLDER}/{venue}.json"


@cache
def shipped(venue: str) -> VenueSnapshot:
    """The venue's shipped snapshot, parsed once per process; raises if the file is damaged."""
    text = resources.files(DATA_PACKAGE).joinpath(data_file(venue)).read_bytes()
    snapshot = _SNAPSHOT.validate_json(text)
    if snapshot.venue != venue:
        raise ValueError(f"{data_file(venue)} holds venue {snapshot.venue!r}")
    return snapshot


def encode(snapshot: VenueSnapshot) -> bytes:
    """A snapshot as the shipped files hold it, so the build script and tests agree."""
    return _SNAPSHOT.dump_json(snapshot, indent=1) + b"\n"
