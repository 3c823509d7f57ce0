"""The replies about a trade's money: what it made or lost (/pnl) and what funding costs (/funding).

A PnL is shown as a sum a member can check by eye (gross, fees, funding, net), followed by the
exit that pays it all back and the return on the margin posted, as venues display it.
"""

from __future__ import annotations

from decimal import Decimal

from chatbot.engine.models import ContractKind, FundingResult, PnlResult, Rules
from chatbot.render.html import bold as _bold
from chatbot.render.html import code as _code
from chatbot.render.html import escape as _e
from chatbot.render.i18n import Translator
from chatbot.render.pieces import contracts, header, leverage, plural_n, units, word


def pnl_sections(tr: Translator, r: PnlResult, rules: Rules, private: bool) -> list[list[str]]:
    quote = r.instrument.quote
    move = {
        "entry": tr.price(r.entry, quote),
        "exit": tr.price(r.exit, quote),
        "move": tr.percent(abs(r.move_pct)),
    }
    if r.move_pct >= 0:
        moved = tr.gettext("Entry {entry} → exit {exit}: {move} in your favour", **move)
    else:
        moved = tr.gettext("Entry {entry} → exit {exit}: {move} against you", **move)
    size = units(tr, r.quantity, r.instrument.base)
    if r.contract.kind is not ContractKind.STEP or r.instrument.inverse:
        size = f"{size} = {contracts(tr, r.instrument, r.contract, r.contracts)}"
    lines = [
        header(r.instrument, word(tr, r.side.value)),
        moved,
        tr.gettext(
            "Size {size} · position value {notional}",
            size=size,
            notional=tr.money(r.notional, quote),
        ),
        _pnl_net(tr, r),
        _pnl_break_even(tr, r),
    ]
    if r.initial_margin:
        lines.append(_pnl_roe(tr, r))
    if r.gross_coin is not None:
        lines.append(
            tr.gettext(
                "Settled in {coin}: {amount} before fees",
                coin=_e(r.instrument.base),
                amount=tr.signed_money(r.gross_coin, r.instrument.base),
            )
        )
    if r.r_multiple is not None and r.risk_at_stop is not None:
        lines.append(
            tr.gettext(
                "That is {r} R (risk at stop incl. fees {risk})",
                r=tr.number(r.r_multiple, 0, 2),
                risk=tr.money(r.risk_at_stop, quote),
            )
        )
    return [lines]


def _pnl_net(tr: Translator, r: PnlResult) -> str:
    """Gross, fees and funding to net, each with its sign, so the sum can be checked by eye."""
    quote = r.instrument.quote
    values = {
        "gross": tr.signed_money(r.gross, quote),
        "fees": tr.money(r.fees, quote),
        "funding": tr.money(abs(r.funding), quote),
        "net": _bold(tr.signed_money(r.net, quote)),
    }
    if r.funding > 0:
        return tr.gettext(
            "Gross {gross} − fees {fees} + funding received {funding} = net {net}", **values
        )
    if r.funding < 0:
        return tr.gettext(
            "Gross {gross} − fees {fees} − funding paid {funding} = net {net}", **values
        )
    return tr.gettext("Gross {gross} − fees {fees} = net {net}", **values)


def _pnl_break_even(tr: Translator, r: PnlResult) -> str:
    """The exit that pays back both fees (and the funding), not the entry price."""
    quote = r.instrument.quote
    if r.break_even is None:
        return tr.gettext("No exit price pays back the funding this position paid.")
    values = {
        "price": _bold(tr.price(r.break_even, quote)),
        "opening": tr.money(r.opening_fee, quote),
        "closing": tr.money(r.closing_fee, quote),
    }
    if r.funding:
        return tr.gettext(
            "Break-even exit {price}: it pays back the fees ({opening} to open, {closing} to "
            "close) and the funding.",
            **values,
        )
    return tr.gettext(
        "Break-even exit {price}: it pays back the fees ({opening} to open, {closing} to close).",
        **values,
    )


def _signed_percent(tr: Translator, fraction: Decimal) -> str:
    shown = tr.percent(fraction)
    return f"+{shown}" if fraction > 0 else shown


def _pnl_roe(tr: Translator, r: PnlResult) -> str:
    """The return on the margin posted, as venues show it (before fees), then after them."""
    assert r.initial_margin and r.roe is not None and r.net_roe is not None
    values = {
        "margin": tr.money(r.initial_margin, r.instrument.quote),
        "leverage": leverage(tr, r.notional / r.initial_margin),
        "roe": _bold(_signed_percent(tr, r.roe)),
        "net_roe": _signed_percent(tr, r.net_roe),
    }
    if r.funding:
        return tr.gettext(
            "ROE on {margin} margin ({leverage}): {roe} before fees, {net_roe} after fees and "
            "funding",
            **values,
        )
    return tr.gettext(
        "ROE on {margin} margin ({leverage}): {roe} before fees, {net_roe} after fees", **values
    )


def funding_sections(
    tr: Translator, r: FundingResult, rules: Rules, private: bool
) -> list[list[str]]:
    quote = r.instrument.quote
    period = tr.ngettext(
        "{notional} at {rate} per {interval} h, for {hours} h ({count} funding interval)",
        "{notional} at {rate} per {interval} h, for {hours} h ({count} funding intervals)",
        plural_n(r.intervals),
        notional=tr.money(r.notional, quote),
        rate=tr.percent(r.rate),
        interval=tr.number(r.interval_hours),
        hours=tr.number(r.hours),
        count=tr.number(r.intervals),
    )
    amount = _funding_amount(tr, r)
    if r.amount == 0:
        outcome = tr.gettext("Nothing to pay or receive: the rate is zero.")
    elif r.pays:
        outcome = tr.gettext("You pay {amount}.", amount=amount)
    else:
        outcome = tr.gettext("You receive {amount}.", amount=amount)
    title = header(r.instrument, tr.gettext("funding"), word(tr, r.side.value))
    lines = [title, period, outcome]
    if r.instrument.inverse and r.amount_coin is None and r.amount:
        lines.append(
            "ℹ️ "
            + tr.gettext(
                "{venue} charges it in {coin}, at the mark price: add {example} to see it in "
                "{coin}.",
                venue=_e(r.instrument.venue_name),
                coin=_e(r.instrument.base),
                example=_code("price 72000"),
            )
        )
    return [lines]


def _funding_amount(tr: Translator, r: FundingResult) -> str:
    """Coin-margined contracts pay funding in the coin: that amount first, its value after."""
    money = tr.money(r.amount, r.instrument.quote)
    if r.amount_coin is None:
        return _bold(money)
    return f"{_bold(tr.money(r.amount_coin, r.instrument.base))} ({money})"
