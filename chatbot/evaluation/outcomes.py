"""What a reported outcome means for the record: R, liquidation, and the loss beyond the rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from chatbot.engine.models import PnlInput, SizeResult
from chatbot.engine.trade import profit_and_loss
from chatbot.language.requests import Outcome


class OutcomeFigures(BaseModel):
    """What a reported outcome means for the record: R, liquidation, loss beyond the rule."""

    model_config = ConfigDict(frozen=True)

    result: Literal["win", "loss", "be"]
    r_multiple: Decimal | None
    liquidated: bool
    loss_beyond_budget: Decimal | None


def outcome_figures(
    sized: SizeResult, outcome: Outcome, exit_price: Decimal | None, rule: Decimal
) -> OutcomeFigures:
    """R = net result / loss at stop (both fees included); a loss without an exit price is
    taken at the stop (−1 R), a liquidation without one at the whole isolated margin.

    The loss beyond budget measures against the member's rule (account × max risk), so an
    oversized trade shows what breaking the rule cost, not only that it was broken.
    """
    liquidated = outcome == "liq"
    if exit_price is None and liquidated:
        exit_price = sized.liquidation_price
    net: Decimal | None = None
    if exit_price is not None and sized.quantity > 0:
        inverse = sized.instrument.inverse
        pnl = profit_and_loss(
            PnlInput(
                instrument=sized.instrument,
                contract=sized.contract,
                side=sized.side,
                entry=sized.entry,
                exit=exit_price,
                quantity=sized.contracts if inverse else sized.quantity,
                fee_rate=sized.fee_rate,
            )
        )
        net = pnl.net
    elif outcome in {"loss", "liq"}:
        net = -(sized.initial_margin if liquidated else sized.loss_at_stop)
    elif outcome == "be":
        net = Decimal(0)
    r_multiple = None if net is None or not sized.loss_at_stop else net / sized.loss_at_stop
    beyond = None
    if net is not None and net < 0:
        beyond = max(-net - sized.account * rule, Decimal(0))
    result: Literal["win", "loss", "be"] = "loss" if liquidated else outcome  # type: ignore[assignment]
    return OutcomeFigures(
        result=result, r_multiple=r_multiple, liquidated=liquidated, loss_beyond_budget=beyond
    )
