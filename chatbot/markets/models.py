"""What the market-data layer knows: venues, and each venue's instruments as one source gave them.

An instrument is the engine's own `Instrument`: one model per concept, so a snapshot refreshed
from a venue's API feeds the formulas without a copy in between.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from chatbot.engine.models import Frozen, Instrument, LiquidationModel


class Venue(Frozen):
    """A venue as members name it, with the liquidation form and default taker fee it uses."""

    key: str
    name: str
    inverse: bool
    liquidation: LiquidationModel
    taker_fee: Decimal | None
    fee_source: str


class VenueSnapshot(Frozen):
    """Every instrument of one venue as one source published them at one time.

    `source` names where the figures came from (an API and its host, or a public file with its
    commit); `as_of` is when that source gave them, so replies can say how old a table is.
    """

    venue: str
    source: str
    as_of: datetime
    instruments: tuple[Instrument, ...]


PLACEHOLDER_STEP = Decimal("0.00000001")
"""Quantity step and price tick of an instrument whose filters no dated source gives.

Rounding down to the finest step never risks more than the budget; the member then rounds down
to the venue's real step, which only risks less. `Instrument.filters_known` is False beside it.
"""

PLACEHOLDER_MIN_NOTIONAL = Decimal(0)
"""No minimum notional where none is known: the reply says so instead of refusing a size."""
