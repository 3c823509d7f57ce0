"""What a reported outcome means for the record: R from the check's own figures, always.

Every outcome gets an R, so wins and losses add up: a loss is taken at the exit the member gives,
else at the stop (−1 R); a win at the exit, else at the target; break-even at the exit, else at
0 R. A liquidation takes the whole isolated margin and both fees (entry, and exit at the
liquidation price), or the whole wallet in cross margin, whatever exit is typed; and it never
counts better than the stop the member planned: at least −1 R, even when the venue closed the
position before a stop placed beyond the liquidation price could fire.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from chatbot.engine.models import Frozen, MarginMode, PnlInput, SizeResult
from chatbot.engine.sizing import loss_per_base_unit
from chatbot.engine.trade import profit_and_loss
from chatbot.evaluation.discipline import TradeResult
from chatbot.evaluation.log import figure
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.requests import Outcome

# R and money are kept to four decimals: far below what any reply or export shows (two).
STORED = Decimal("0.0001")
MINUS_ONE_R = Decimal(-1)


class OutcomeFigures(Frozen):
    """How a check's trade ended, in R and money, and what it cost beyond the member's rule."""

    result: TradeResult
    exit_price: Decimal | None
    r_multiple: Decimal
    liquidated: bool
    loss_beyond_budget: Decimal | None


def stored(value: Decimal) -> Decimal:
    return value.quantize(STORED, rounding=ROUND_HALF_EVEN)


def outcome_figures(
    sized: SizeResult,
    outcome: Outcome,
    exit_price: Decimal | None,
    rule: Decimal,
    check_id: int | None = None,
) -> OutcomeFigures:
    """R = net result / loss at stop (both with fees); raises `CommandError` for a win with no
    price to take it at, or a liquidation of a position that has no liquidation price.

    The loss beyond budget measures against `rule` (the max risk that judged the check), so an
    oversized trade shows what breaking the rule cost, not only that it was broken.
    """
    risk = sized.loss_at_stop
    exit_at: Decimal | None
    if outcome == "liq":
        exit_at, net = _liquidation(sized, check_id)
    else:
        exit_at, net = _closed(sized, outcome, exit_price, check_id)
    r_multiple = net / risk if risk else Decimal(0)
    if outcome == "liq":
        r_multiple = min(r_multiple, MINUS_ONE_R)
    beyond = None
    if net < 0:
        beyond = stored(max(-net - sized.account * rule, Decimal(0)))
    result = TradeResult.LOSS if outcome == "liq" else TradeResult(outcome)
    return OutcomeFigures(
        result=result,
        exit_price=figure(exit_at),
        r_multiple=stored(r_multiple),
        liquidated=outcome == "liq",
        loss_beyond_budget=beyond,
    )


def _example(check_id: int | None, outcome: str) -> str:
    return f"/result {check_id or 12} {outcome} exit 73500"


def _closed(
    sized: SizeResult, outcome: Outcome, exit_price: Decimal | None, check_id: int | None
) -> tuple[Decimal | None, Decimal]:
    """The exit and the net result of a trade the member (or the stop, or the target) closed."""
    if exit_price is not None:
        return exit_price, _net_at(sized, exit_price)
    if outcome == "loss":
        return sized.stop, -sized.loss_at_stop
    if outcome == "be":
        return None, Decimal(0)
    if sized.target is None or sized.reward_at_target is None:
        raise CommandError(
            ErrorCode.OUTCOME_NEEDS_EXIT,
            word=str(check_id or ""),
            example=_example(check_id, "win"),
        )
    return sized.target, sized.reward_at_target


def _net_at(sized: SizeResult, exit_price: Decimal) -> Decimal:
    """Profit or loss after both fees at `exit_price`, as the venue settles it."""
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
    return pnl.net


def _liquidation(sized: SizeResult, check_id: int | None) -> tuple[Decimal, Decimal]:
    """The liquidation price and what it took: the isolated margin plus the fee in and the fee
    out at that price (valued as the loss at stop is), or the whole wallet in cross margin."""
    price = sized.liquidation_price
    if price is None or price == 0 or sized.quantity == 0:
        raise CommandError(
            ErrorCode.NO_LIQUIDATION,
            word=str(check_id or ""),
            example=_example(check_id, "loss"),
        )
    if sized.margin_mode is MarginMode.CROSS:
        return price, -sized.account
    instrument, entry, fee = sized.instrument, sized.entry, sized.fee_rate
    fees = sized.quantity * (
        loss_per_base_unit(instrument, entry, price, fee)
        - loss_per_base_unit(instrument, entry, price, Decimal(0))
    )
    return price, -(sized.initial_margin + fees)
