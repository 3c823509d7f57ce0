"""Charts a member takes in faster than a paragraph: a /size price ladder and the risk record.

Drawn with matplotlib's object API on the Agg canvas only: no pyplot, so no global figure
registry to leak memory in a long-running bot. matplotlib is imported inside the functions, so
starting the bot neither loads it nor pays for it until the first chart is asked for. Rendering
takes a fraction of a second of CPU, so the bot runs these functions in a worker thread
(`asyncio.to_thread`); a lock keeps two renders from sharing matplotlib's font caches at once.

Every word goes through the member's Translator and every number through its locale (German
gets 68.674,70 $). The same data gives the same bytes: no timestamp or software name is written
into the PNG, and the bundled DejaVu Sans font is named, so the picture does not depend on the
fonts a server happens to have.
"""

from __future__ import annotations

import functools
import io
import textwrap
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from babel.dates import format_skeleton

from chatbot.engine.models import LiquidationModel, MarginMode, Side, SizeResult, WarningCode
from chatbot.evaluation.discipline import DisciplineRow, Streaks, streaks_of
from chatbot.render.i18n import Translator, translator

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 150
LADDER_SIZE = (1080, 1350)  # portrait: fills a phone screen
RISK_SIZE = (1200, 900)
FONT = "DejaVu Sans"  # ships with matplotlib; covers Latin, Turkish and Cyrillic
TITLE_PT, NAME_PT, DETAIL_PT, NOTE_PT = 21, 17, 14, 13
TITLE_CHARS = 34
WRAP = 58  # characters per line of the ladder's header and footer
BAR = 0.3  # the share of the ladder's width its price bar takes; labels sit to the right
LABEL_X = BAR + 0.07
LABEL_GAP = 0.115  # the share of the ladder's height one two-line label needs
MAX_POINTS = 50  # the latest checks shown, so markers stay tappable-large on a phone
MAX_DATE_TICKS = 5  # dates under the risk chart; more overlap at a phone's font size

INK, MUTED, GRID = "#1d2733", "#5b6675", "#e3e7ec"
ENTRY, STOP, TARGET, LIQ = "#1f5fbf", "#d9822b", "#2e8b57", "#c0392b"

_RENDER = threading.Lock()

# --- shared drawing helpers -------------------------------------------------------------------


def _figure(size: tuple[int, int]) -> Figure:
    """A white figure of `size` pixels on its own Agg canvas (matplotlib imported here, lazily)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = size
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    """The figure as PNG bytes without metadata, so equal data gives equal bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


@functools.cache
def _glyphs() -> frozenset[int]:
    """The characters the chart font can draw."""
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=FONT))
    return frozenset(font_manager.get_font(path).get_charmap())


def _drawable(text: str) -> str:
    """Text the font can draw: the Ⓢ of "USDⓈ-M" becomes its plain form S, and anything
    without a plain form (emoji) is left out rather than drawn as an empty box."""
    glyphs = _glyphs()

    def plain(char: str) -> str:
        if char.isspace() or ord(char) in glyphs:
            return char
        return "".join(c for c in unicodedata.normalize("NFKC", char) if ord(c) in glyphs)

    return "".join(plain(char) for char in text)


def _text(where: Figure | Axes, x: float, y: float, text: str, **style: Any) -> None:
    """Text drawn literally: `$` in a price is not matplotlib math, and the font is fixed."""
    color = style.pop("color", INK)
    where.text(x, y, _drawable(text), parse_math=False, family=FONT, color=color, **style)


def _signed_percent(tr: Translator, fraction: Decimal) -> str:
    """A move from entry with its direction: +2.08% above, -0.69% below."""
    shown = tr.percent(fraction)
    return f"+{shown}" if fraction > 0 else shown


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
        return _signed_percent(tr, (price - r.entry) / r.entry)

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
    _text(
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
        _text(
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
        _text(
            ax, LABEL_X, label_y, level.detail, va="top", fontsize=DETAIL_PT, color=MUTED, **style
        )


def _ladder_header(figure: Figure, tr: Translator, r: SizeResult) -> None:
    """What was sized, on which venue, with which budget; long venue names wrap."""
    side = tr.gettext("long") if r.side is Side.LONG else tr.gettext("short")
    margin = tr.gettext("cross") if r.margin_mode is MarginMode.CROSS else tr.gettext("isolated")
    title = f"{r.instrument.symbol} · {side} · {tr.number(r.leverage, 0, 2)}x · {margin}"
    # About 34 wide title characters fit; longer ones (a long symbol in Russian) shrink.
    size = TITLE_PT * min(1.0, TITLE_CHARS / len(title))
    _text(figure, 0.05, 0.965, title, va="top", fontsize=size, weight="bold")
    budget = tr.gettext(
        "risk {budget} ({percent} of {account})",
        budget=tr.money(r.risk_budget),
        percent=tr.percent(r.risk_fraction, exact=True),
        account=tr.money(r.account),
    )
    _text(
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
    _text(
        figure,
        0.05,
        0.025,
        textwrap.fill(note, WRAP),
        va="bottom",
        fontsize=NOTE_PT,
        color=LIQ if loud else MUTED,
        weight="bold" if loud else "normal",
    )


def price_ladder_png(result: SizeResult, lang: str) -> bytes:
    """Entry, stop, target and liquidation on one price scale, with the distance of each from
    entry and the band beyond liquidation shaded as the danger zone: a beginner sees at a glance
    whether the stop sits safely before liquidation or inside the red."""
    tr = translator(lang)
    levels = ladder_levels(result, lang)
    limits = _ladder_range(result, [level.price for level in levels])
    low, high = limits
    heights = [(level.price - low) / (high - low) for level in levels]
    danger = _danger_height(result, limits)
    placed = _spread(heights if danger is None else [*heights, danger], LABEL_GAP)
    with _RENDER:
        figure = _figure(LADDER_SIZE)
        ax = figure.add_axes((0.05, 0.14, 0.9, 0.71))
        ax.set_axis_off()
        ax.set_ylim(*limits)
        _zones(ax, result, limits)
        _rungs(ax, levels, heights, placed[: len(levels)])
        if danger is not None:
            _danger_label(ax, tr, placed[-1])
        _ladder_header(figure, tr, result)
        _ladder_footer(figure, tr, result)
        return _png(figure)


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


# --- the member's risk per check, for /stats ----------------------------------------------------


def _counted(points: Sequence[DisciplineRow]) -> list[DisciplineRow]:
    """Checks in the record with a risk to plot; "just exploring" ones are not part of it."""
    return [row for row in points if not row.exploring and row.risk_fraction is not None]


def _date_ticks(tr: Translator, shown: Sequence[DisciplineRow]) -> tuple[list[int], list[str]]:
    """A date under the first check of a day, thinned so at most a few dates crowd the axis."""
    starts = [
        i for i, row in enumerate(shown, 1) if i == 1 or row.local_day != shown[i - 2].local_day
    ]
    step = max(1, -(-len(starts) // MAX_DATE_TICKS))
    ticks = starts[::step]
    labels = [
        _drawable(
            format_skeleton("MMMd", date.fromisoformat(shown[i - 1].local_day), locale=tr.locale)
        )
        for i in ticks
    ]
    return ticks, labels


def _risk_axes(
    ax: Axes, tr: Translator, shown: Sequence[DisciplineRow], top: float, capped: bool
) -> None:
    """Percent on the left, dates below, and a caption saying when older checks are left out."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.set_xlim(0.5 - len(shown) * 0.02, max(len(shown), 1) + 0.5)
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: tr.percent(Decimal(repr(round(float(v), 4))) / 100, exact=True))
    )
    ticks, labels = _date_ticks(tr, shown)
    ax.set_xticks(ticks, labels)
    ax.tick_params(labelsize=DETAIL_PT, labelfontfamily=FONT, colors=MUTED, length=0, pad=8)
    ax.grid(axis="y", color=GRID, lw=1)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GRID)
    if capped:
        caption = tr.ngettext(
            "your last {count} check, oldest to newest",
            "your last {count} checks, oldest to newest",
            len(shown),
            count=len(shown),
        )
    else:
        caption = tr.gettext("your checks, oldest to newest")
    ax.set_xlabel(
        _drawable(caption),
        fontsize=NOTE_PT,
        family=FONT,
        color=MUTED,
        parse_math=False,
    )


def _streak_band(ax: Axes, tr: Translator, count: int, total: int) -> None:
    """The current run of checks within the rules, shaded green up to the latest check."""
    if count == 0:
        return
    start = total - min(count, total) + 0.5
    ax.axvspan(start, total + 0.5, color=TARGET, alpha=0.12, lw=0)
    label = tr.ngettext("streak: {count} check", "streak: {count} checks", count, count=count)
    _text(
        ax,
        total + 0.45,
        0.97,
        label,
        transform=ax.get_xaxis_transform(),
        ha="right",
        va="top",
        fontsize=DETAIL_PT,
        weight="bold",
        color=TARGET,
    )


def _risk_marks(ax: Axes, tr: Translator, shown: Sequence[DisciplineRow]) -> None:
    """Each check's risk, green within the rules and a red cross (on a red band) when broken."""
    xs = list(range(1, len(shown) + 1))
    ys = [float(row.risk_fraction or 0) * 100 for row in shown]
    ax.plot(xs, ys, color=MUTED, lw=1.2, alpha=0.6, zorder=2)
    kept = [(x, y) for x, y, row in zip(xs, ys, shown, strict=True) if row.within_rules]
    broken = [(x, y) for x, y, row in zip(xs, ys, shown, strict=True) if not row.within_rules]
    for x, _ in broken:
        ax.axvspan(x - 0.5, x + 0.5, color=LIQ, alpha=0.1, lw=0)
    ax.scatter(
        [x for x, _ in kept],
        [y for _, y in kept],
        s=90,
        color=TARGET,
        zorder=3,
        label=_drawable(tr.gettext("within your rules")),
    )
    ax.scatter(
        [x for x, _ in broken],
        [y for _, y in broken],
        s=170,
        marker="X",
        color=LIQ,
        zorder=4,
        label=_drawable(tr.gettext("rule broken")),
    )


def _rule_line(ax: Axes, tr: Translator, rule: Decimal) -> None:
    level = float(rule) * 100
    label = tr.gettext("your rule: {rule}", rule=tr.percent(rule, exact=True))
    ax.axhline(level, color=ENTRY, lw=2.2, ls="--", zorder=1, label=_drawable(label))


def risk_chart_png(
    points: Sequence[DisciplineRow],
    rule: Decimal,
    lang: str,
    streaks: Streaks | None = None,
    total: int | None = None,
) -> bytes:
    """Risk % of each counted check in order against the member's rule line, rule breaks marked
    in red and the current streak shaded, so the record reads as a picture and not a counter.

    Only the latest `MAX_POINTS` checks are drawn; the streak is that of the whole record
    (`streaks`, read from the standing, else those of `points`), and `total` the number of
    counted checks in it, so the caption says when older ones are left out."""
    tr = translator(lang)
    counted = _counted(points)
    shown = counted[-MAX_POINTS:]
    streaks = streaks or streaks_of(points)
    total = len(counted) if total is None else total
    highest = max([float(row.risk_fraction or 0) for row in shown] + [float(rule)]) * 100
    with _RENDER:
        figure = _figure(RISK_SIZE)
        ax = figure.add_axes((0.1, 0.2, 0.86, 0.62))
        _risk_axes(ax, tr, shown, highest * 1.3, capped=total > len(shown))
        _streak_band(ax, tr, streaks.checks, len(shown))
        _risk_marks(ax, tr, shown)
        _rule_line(ax, tr, rule)
        _text(
            figure,
            0.04,
            0.96,
            tr.gettext("Risk per check"),
            va="top",
            fontsize=TITLE_PT,
            weight="bold",
        )
        subtitle = tr.gettext(
            "Checks in a row within your rules: {current} (best {best})",
            current=streaks.checks,
            best=streaks.best_checks,
        )
        _text(figure, 0.04, 0.895, subtitle, va="top", fontsize=DETAIL_PT, color=MUTED)
        figure.legend(
            loc="lower center",
            ncol=3,
            frameon=False,
            prop={"family": FONT, "size": NOTE_PT},
            bbox_to_anchor=(0.5, 0.005),
        )
        return _png(figure)


def risk_caption(rule: Decimal, lang: str) -> str:
    """The photo's caption under /stats."""
    tr = translator(lang)
    return tr.gettext(
        "📈 Your risk per check against your {rule} rule", rule=tr.percent(rule, exact=True)
    )


def chart_unavailable(lang: str) -> str:
    """Said when a logged check can no longer be drawn (its venue is no longer listed)."""
    return translator(lang).gettext("This check can no longer be drawn.")
