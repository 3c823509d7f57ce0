"""What is kept about a member's trading: each check, how its trade ended, and the reminders.

Storage hands these out as they are and the renderer words them as they are, so a journal line
or a check-in is never a copy of a row: they live here, below both.

A /size check is kept as columns, not as JSON: the request as it was evaluated (what the member
typed and the defaults that filled the rest), the figures the journal and the export show, and
the rules that judged it. Anything else (the loss at stop, the tier, the warnings) is derived
again by the engine from those inputs. The other calculators keep the request as typed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import AwareDatetime, field_serializer

from chatbot.engine.models import Frozen, MarginMode, RuleOwner, Rules
from chatbot.evaluation.discipline import Codes, LocalDay, TradeResult
from chatbot.language.requests import Schedule

# Computed figures (a liquidation price, a margin at 3x) are kept to 12 significant digits:
# exact for every price a venue quotes, and far from the 28 digits a division leaves.
SIGNIFICANT = 12


def figure(value: Decimal | None) -> Decimal | None:
    """A computed figure as the log keeps it: at most 12 significant digits, no trailing zeros."""
    if value is None or value == 0:
        return value
    if len(value.as_tuple().digits) > SIGNIFICANT:
        value = value.quantize(Decimal(1).scaleb(value.adjusted() - SIGNIFICANT + 1))
    return value.normalize()


class NewCheck(Frozen):
    """One check to log; `update_key` identifies the Telegram update so a redelivery logs once."""

    update_key: str
    user_id: int
    chat_id: int
    command: str
    created_at: AwareDatetime
    local_day: LocalDay
    request: str | None = None
    venue: str | None = None
    symbol: str | None = None
    side: str | None = None
    leverage: Decimal | None = None
    entry: Decimal | None = None
    stop: Decimal | None = None
    target: Decimal | None = None
    account: Decimal | None = None
    risk: Decimal | None = None
    fee: Decimal | None = None
    margin_mode: MarginMode | None = None
    contract: str | None = None
    mmr: Decimal | None = None
    quantity: Decimal | None = None
    notional: Decimal | None = None
    margin: Decimal | None = None
    liquidation: Decimal | None = None
    fees: Decimal | None = None
    max_risk: Decimal | None = None
    max_leverage: Decimal | None = None
    risk_owner: RuleOwner | None = None
    leverage_owner: RuleOwner | None = None
    within_rules: bool
    breaks: Codes = ()
    exploring: bool = False

    @field_serializer("created_at")
    def _unix_seconds(self, moment: datetime) -> int:
        """Unix seconds on disk: a check's time in 4 to 6 bytes instead of 25 characters of ISO
        text, compared as a number. A field serializer of its own, not an annotated type: the
        decimals' serializer for every field (`PlainJson`) overrides annotated ones."""
        return int(moment.timestamp())

    @property
    def risk_fraction(self) -> Decimal | None:
        """The share of the account the trade was sized to risk (its budget over the account)."""
        if self.risk is None or not self.account:
            return None
        return self.risk / self.account

    @property
    def rules(self) -> Rules:
        """The rules that judged the check, as they were then."""
        defaults = Rules()
        return Rules(
            max_risk=self.max_risk if self.max_risk is not None else defaults.max_risk,
            max_leverage=(
                self.max_leverage if self.max_leverage is not None else defaults.max_leverage
            ),
            risk_owner=self.risk_owner or RuleOwner.DEFAULT,
            leverage_owner=self.leverage_owner or RuleOwner.DEFAULT,
        )


class CheckRow(NewCheck):
    id: int


class OutcomeRow(Frozen):
    result: TradeResult
    exit_price: Decimal | None
    r_multiple: Decimal | None
    liquidated: bool
    loss_beyond_budget: Decimal | None
    created_at: datetime


class JournalRow(Frozen):
    """A logged check with its outcome, if the member reported one: one entry of /journal."""

    check: CheckRow
    outcome: OutcomeRow | None


class Reminder(Schedule):
    """A member's discipline reminder: their schedule, with the zone it fires in settled."""

    user_id: int
    tz: str
    paused: bool = False
