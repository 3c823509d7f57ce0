"""A check as the log keeps it, and back: the columns of `NewCheck`, and the result revived.

A /size check is stored as the inputs the engine used and the few figures the journal and the
export show; the rest is derived again when needed (a chart, an outcome, the details of a
reply). Tier tables are not stored with every check: a revived result takes the instrument the
market data lists today, so a check whose instrument was delisted cannot be revived.
"""

from __future__ import annotations

from decimal import Decimal

from chatbot.engine.models import (
    Contract,
    ContractKind,
    EngineError,
    MarginMode,
    Risk,
    RuleOwner,
    Rules,
    SizeInput,
    SizeResult,
)
from chatbot.engine.sizing import size_position
from chatbot.evaluation.calculators import Check
from chatbot.evaluation.discipline import judge
from chatbot.evaluation.instruments import default_contract, listed
from chatbot.evaluation.log import NewCheck, figure

SEPARATOR = ":"


def _owner(owner: RuleOwner) -> RuleOwner | None:
    """The default needs no column: an empty one reads as the beginner default."""
    return None if owner is RuleOwner.DEFAULT else owner


def recorded(check: Check, rules: Rules) -> dict[str, object]:
    """The columns of a check, judged by `rules`, but for who asked, where and when."""
    result, request = check.result, check.request
    columns: dict[str, object] = {
        "command": request.command,
        "venue": result.instrument.venue,
        "symbol": result.instrument.symbol,
        "side": getattr(result, "side", None),
        "leverage": getattr(result, "leverage", None),
    }
    if not isinstance(result, SizeResult):
        typed = request.model_dump_json(exclude_none=True, exclude={"command"})
        return columns | {"request": typed, "within_rules": True}
    verdict = judge(result.warnings, rules)
    contract = getattr(request, "contract", None)
    return columns | {
        "entry": result.entry,
        "stop": figure(result.stop),
        "target": result.target,
        "account": result.account,
        "risk": figure(result.risk_budget),
        "fee": result.fee_rate,
        "margin_mode": result.margin_mode if result.margin_mode is MarginMode.CROSS else None,
        "contract": None if contract is None else _contract_text(result.contract),
        "mmr": getattr(request, "mmr", None),
        "quantity": result.quantity,
        "notional": figure(result.notional),
        "margin": figure(result.initial_margin),
        "liquidation": figure(result.liquidation_price),
        "fees": figure(result.fees),
        "max_risk": rules.max_risk,
        "max_leverage": rules.max_leverage,
        "risk_owner": _owner(rules.risk_owner),
        "leverage_owner": _owner(rules.leverage_owner),
        "within_rules": verdict.within_rules,
        "breaks": verdict.breaks,
    }


def _contract_text(contract: Contract) -> str:
    return f"{contract.kind.value}{SEPARATOR}{contract.size}"


def _contract(text: str) -> Contract:
    kind, size = text.split(SEPARATOR)
    return Contract(kind=ContractKind(kind), size=Decimal(size))


def revive_size(check: NewCheck) -> SizeResult | None:
    """A logged /size result, sized again from its stored inputs; None if the venue no longer
    lists the instrument (or no longer takes the size)."""
    instrument = listed(check.venue or "", check.symbol or "")
    inputs = (check.entry, check.stop, check.account, check.leverage, check.risk, check.fee)
    if instrument is None or check.command != "size" or None in inputs:
        return None
    assert check.entry and check.stop and check.account and check.leverage and check.risk
    try:
        return size_position(
            SizeInput(
                instrument=instrument,
                contract=(
                    default_contract(instrument)
                    if check.contract is None
                    else _contract(check.contract)
                ),
                entry=check.entry,
                stop=check.stop,
                target=check.target,
                account=check.account,
                leverage=check.leverage,
                risk=Risk(amount=check.risk),
                fee_rate=check.fee or Decimal(0),
                margin_mode=check.margin_mode or MarginMode.ISOLATED,
                mmr_override=check.mmr,
                rules=check.rules,
            )
        )
    except EngineError:
        return None
