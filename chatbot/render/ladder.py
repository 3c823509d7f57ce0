"""The price ladder of a /size result: entry, stop, target and liquidation on one scale,
with the band where the venue closes the position drawn in red."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from chatbot.engine.models import LiquidationModel, MarginMode, Side, SizeResult, WarningCode
from chatbot.render.charts import (
    BAR,
    DETAIL_PT,
    ENTRY,
    LABEL_GAP,
    LABEL_X,
    LADDER_SIZE,
    LIQ,
    MUTED,
    NAME_PT,
    NOTE_PT,
    RENDER_LOCK,
    STOP,
    TARGET,
    TITLE_CHARS,
    TITLE_PT,
    WRAP,
    new_figure,
    place_text,
    png_bytes,
    signed_percent,
)
from chatbot.render.i18n import Translator, translator

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


# --- the price ladder of a /size result ---------------------------------------------------------


@dataclass(frozen=True)
class LadderLevel:
    """One rung of the ladder: where it is, its colour, and its two lines of text."""

    price: float
    color: str
    name: str
    detail: str


def ladder_levels(r: SizeResult, lang: str) -> list[LadderLevel]:
    """The ladder's rungs in the member's language: entry, stop, target (if given) and
    liquidation (where the venue has one), each with its price, distance and money."""
    tr = translator(lang)
    quote = r.instrument.quote

    def move(price: Decimal) -> str:
        return signed_percent(tr, (price - r.entry) / r.entry)

    qty = f"{tr.qty(r.quantity)} {r.instrument.base}"
    levels = [
        LadderLevel(
            float(r.entry),
            ENTRY,
            tr.gettext("Entry {price}", price=tr.price(r.entry, quote)),
            tr.gettext(
                "{quantity} · position {notional}", quantity=qty, notional=tr.money(r.notional)
            ),
        ),
        LadderLevel(
            float(r.stop),
            STOP,
            tr.gettext("Stop {price}", price=tr.price(r.stop, quote)),
            tr.gettext(
                "{move} · loss {loss}", move=move(r.stop), loss=tr.signed_money(-r.loss_at_stop)
            ),
        ),
    ]
    if r.target is not None and r.reward_at_target is not None and r.r_multiple is not None:
        levels.append(
            LadderLevel(
                float(r.target),
                TARGET,
                tr.gettext("Target {price}", price=tr.price(r.target, quote)),
                tr.gettext(
                    "{move} · gain {gain} · {r} R",
                    move=move(r.target),
                    gain=tr.signed_money(r.reward_at_target),
                    r=tr.number(r.r_multiple, 0, 2),
                ),
            )
        )
    if _has_liquidation(r):
        assert r.liquidation_price is not None
        levels.append(
            LadderLevel(
                float(r.liquidation_price),
                LIQ,
                tr.gettext("Liquidation ≈ {price}", price=tr.price(r.liquidation_price, quote)),
                tr.gettext(
                    "{move} · margin lost {margin}",
                    move=move(r.liquidation_price),
                    margin=tr.signed_money(-r.initial_margin),
                ),
            )
        )
    return levels


def _has_liquidation(r: SizeResult) -> bool:
    """A liquidation price to draw: CME has none, and 0 means the margin covers a fall to zero."""
    return r.liquidation_price is not None and r.liquidation_price > 0


def _spread(heights: Sequence[float], gap: float) -> list[float]:
    """Label heights (0–1) at least `gap` apart and inside the axes, each as near its level as
    the room allows: levels 0.3% apart on a chart spanning 6% would otherwise overprint."""
    order = sorted(range(len(heights)), key=lambda i: heights[i])
    placed = [min(max(heights[i], gap / 2), 1 - gap / 2) for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    for k in range(len(placed) - 1, -1, -1):
        ceiling = 1 - gap / 2 if k == len(placed) - 1 else placed[k + 1] - gap
        placed[k] = min(placed[k], ceiling)
    result = [0.0] * len(heights)
    for k, i in enumerate(order):
        result[i] = placed[k]
    return result


def _ladder_range(r: SizeResult, prices: Sequence[float]) -> tuple[float, float]:
    """Price limits with room around the levels and a visible band beyond liquidation."""
    low, high = min(prices), max(prices)
    pad = (high - low) * 0.08
    danger = (high - low) * 0.22 if _has_liquidation(r) else pad
    if r.side is Side.LONG:
        return low - danger, high + pad
    return low - pad, high + danger


def _zones(ax: Axes, r: SizeResult, limits: tuple[float, float]) -> None:
    """The ladder's bar: risk (entry→stop), reward (entry→target), danger beyond liquidation."""
    entry, stop = float(r.entry), float(r.stop)
    ax.axhspan(min(entry, stop), max(entry, stop), xmax=BAR, color=STOP, alpha=0.22, lw=0)
    if r.target is not None:
        target = float(r.target)
        ax.axhspan(min(entry, target), max(entry, target), xmax=BAR, color=TARGET, alpha=0.2, lw=0)
    if _has_liquidation(r):
        assert r.liquidation_price is not None
        liq = float(r.liquidation_price)
        edge = limits[0] if r.side is Side.LONG else limits[1]
        ax.axhspan(min(liq, edge), max(liq, edge), color=LIQ, alpha=0.16, hatch="//", ec=LIQ, lw=0)


def _danger_height(r: SizeResult, limits: tuple[float, float]) -> float | None:
    """Where the danger words go, as a share of the axes height: inside the band beyond
    liquidation, or None when there is no liquidation price to be beyond."""
    if r.liquidation_price is None or not _has_liquidation(r):
        return None
    low, high = limits
    liq = float(r.liquidation_price)
    edge = low if r.side is Side.LONG else high
    return (liq + (edge - liq) * 0.55 - low) / (high - low)


def _danger_label(ax: Axes, tr: Translator, height: float) -> None:
    """Words in the red band, in the label column so they never cover a level's label."""
    place_text(
        ax,
        LABEL_X,
        height,
        tr.gettext("DANGER ZONE: liquidated"),
        transform=ax.transAxes,
        va="center",
        fontsize=NAME_PT,
        weight="bold",
        color=LIQ,
        bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": LIQ, "lw": 1.5},
    )


def _rungs(
    ax: Axes, levels: Sequence[LadderLevel], heights: Sequence[float], placed: Sequence[float]
) -> None:
    """Each level as a line across the bar, with a leader from its true height (`heights`, a
    share of the axes) to its label's (`placed`)."""
    for level, height, label_y in zip(levels, heights, placed, strict=True):
        ax.axhline(level.price, xmax=BAR, color=level.color, lw=3.5)
        ax.plot(
            [BAR, LABEL_X - 0.015],
            [height, label_y],
            transform=ax.transAxes,
            color=level.color,
            lw=1.5,
        )
        style = {"transform": ax.transAxes}
        place_text(
            ax,
            LABEL_X,
            label_y,
            level.name,
            va="bottom",
            fontsize=NAME_PT,
            weight="bold",
            color=level.color,
            **style,
        )
        place_text(
            ax, LABEL_X, label_y, level.detail, va="top", fontsize=DETAIL_PT, color=MUTED, **style
        )


def _ladder_header(figure: Figure, tr: Translator, r: SizeResult, private: bool) -> None:
    """What was sized, on which venue, with which budget; long venue names wrap. A picture a
    group sees names the budget only, not the member's account."""
    side = tr.gettext("long") if r.side is Side.LONG else tr.gettext("short")
    margin = tr.gettext("cross") if r.margin_mode is MarginMode.CROSS else tr.gettext("isolated")
    title = f"{r.instrument.symbol} · {side} · {tr.number(r.leverage, 0, 2)}x · {margin}"
    # About 34 wide title characters fit; longer ones (a long symbol in Russian) shrink.
    size = TITLE_PT * min(1.0, TITLE_CHARS / len(title))
    place_text(figure, 0.05, 0.965, title, va="top", fontsize=size, weight="bold")
    budget = (
        tr.gettext(
            "risk {budget} ({percent} of {account})",
            budget=tr.money(r.risk_budget),
            percent=tr.percent(r.risk_fraction, exact=True),
            account=tr.money(r.account),
        )
        if private
        else tr.gettext("risk {budget}", budget=tr.money(r.risk_budget))
    )
    place_text(
        figure,
        0.05,
        0.922,
        textwrap.fill(f"{r.instrument.venue_name} · {budget}", WRAP),
        va="top",
        fontsize=DETAIL_PT,
        color=MUTED,
    )


def _footer_note(tr: Translator, r: SizeResult) -> tuple[str, bool] | None:
    """What the picture means for the stop, in the reply's own words, and whether it is loud."""
    quote = r.instrument.quote
    if r.quantity == 0:
        return tr.gettext("No size fits this trade: the reply above says why."), True
    if WarningCode.LIQUIDATION_BEFORE_STOP in r.warnings and r.liquidation_price is not None:
        loud = tr.gettext("LIQUIDATION COMES FIRST")
        reason = tr.gettext(
            "you are liquidated at {liquidation}, before your stop at {stop}: your stop never "
            "fires. Use less leverage or a closer stop.",
            liquidation=tr.price(r.liquidation_price, quote),
            stop=tr.price(r.stop, quote),
        )
        return f"{loud}: {reason}", True
    if r.stop_to_liquidation is not None and _has_liquidation(r):
        gap = {"gap": tr.price(r.stop_to_liquidation, quote)}
        if r.side is Side.LONG:
            return tr.gettext("Stop is {gap} above liquidation: it fires first.", **gap), False
        return tr.gettext("Stop is {gap} below liquidation: it fires first.", **gap), False
    if r.liquidation_price == 0:
        return tr.gettext("No liquidation: your margin covers a fall to zero."), False
    if r.instrument.liquidation is LiquidationModel.NONE:
        note = tr.gettext(
            "{venue} sets no liquidation price: when your account runs short, your broker asks "
            "for more money (a margin call) or closes the position.",
            venue=r.instrument.venue_name,
        )
        return note, False
    return None


def _ladder_footer(figure: Figure, tr: Translator, r: SizeResult) -> None:
    footer = _footer_note(tr, r)
    if footer is None:
        return
    note, loud = footer
    place_text(
        figure,
        0.05,
        0.025,
        textwrap.fill(note, WRAP),
        va="bottom",
        fontsize=NOTE_PT,
        color=LIQ if loud else MUTED,
        weight="bold" if loud else "normal",
    )


def price_ladder_png(result: SizeResult, lang: str, *, private: bool = True) -> bytes:
    """Entry, stop, target and liquidation on one price scale, with the distance of each from
    entry and the band beyond liquidation shaded as the danger zone: a beginner sees at a glance
    whether the stop sits safely before liquidation or inside the red."""
    with RENDER_LOCK:
        return png_bytes(price_ladder_figure(result, lang, private=private))


def price_ladder_figure(result: SizeResult, lang: str, *, private: bool = True) -> Figure:
    """The ladder before it is encoded, so that what it draws can be read back."""
    tr = translator(lang)
    levels = ladder_levels(result, lang)
    limits = _ladder_range(result, [level.price for level in levels])
    low, high = limits
    heights = [(level.price - low) / (high - low) for level in levels]
    danger = _danger_height(result, limits)
    placed = _spread(heights if danger is None else [*heights, danger], LABEL_GAP)
    with RENDER_LOCK:
        figure = new_figure(LADDER_SIZE)
        ax = figure.add_axes((0.05, 0.14, 0.9, 0.71))
        ax.set_axis_off()
        ax.set_ylim(*limits)
        _zones(ax, result, limits)
        _rungs(ax, levels, heights, placed[: len(levels)])
        if danger is not None:
            _danger_label(ax, tr, placed[-1])
        _ladder_header(figure, tr, result, private)
        _ladder_footer(figure, tr, result)
        return figure


def ladder_caption(check_id: int, result: SizeResult, lang: str) -> str:
    """The photo's caption: which check the picture belongs to."""
    tr = translator(lang)
    side = tr.gettext("long") if result.side is Side.LONG else tr.gettext("short")
    return tr.gettext(
        "📈 Check #{id}: {symbol} {side} on a price ladder",
        id=check_id,
        symbol=result.instrument.symbol,
        side=side,
    )
