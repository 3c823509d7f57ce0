"""A check's result as the log keeps it, and back: figures only, the instrument by name.

Tier tables are not stored with every check; a revived result takes the instrument the market
data lists today, so a check whose instrument was delisted cannot be revived.
"""

from __future__ import annotations

import json

from chatbot.engine.models import SizeResult
from chatbot.evaluation.calculators import Check
from chatbot.evaluation.instruments import listed


def stored_result(check: Check) -> str:
    """The result as JSON for the log: figures only, the instrument named, not its tier table."""
    result = check.result
    data = result.model_dump(mode="json", exclude={"instrument"})
    data["venue"], data["base"] = result.instrument.venue, result.instrument.base
    return json.dumps(data)


def revive_size(result_json: str) -> SizeResult | None:
    """A logged /size result with its instrument, or None if the venue no longer lists it."""
    data = json.loads(result_json)
    instrument = listed(data.pop("venue"), data.pop("base"))
    if instrument is None:
        return None
    return SizeResult.model_validate({**data, "instrument": instrument})
