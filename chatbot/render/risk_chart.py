"""The member's risk per check for /stats: each check against the rule, streaks and breaks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from babel.dates import format_skeleton

from chatbot.evaluation.discipline import DisciplineRow, Streaks, streaks_of
from chatbot.render.charts import (
    DETAIL_PT,
    ENTRY,
    FONT,
    GRID,
    LIQ,
    MAX_DATE_TICKS,
    MAX_POINTS,
    MUTED,
    NOTE_PT,
    RENDER_LOCK,
    RISK_SIZE,
    TARGET,
    TITLE_PT,
    drawable,
    new_figure,
    place_text,
    png_bytes,
)
from chatbot.render.i18n import Translator, translator

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


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
        drawable(
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
        drawable(caption),
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
    place_text(
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
        label=drawable(tr.gettext("within your rules")),
    )
    ax.scatter(
        [x for x, _ in broken],
        [y for _, y in broken],
        s=170,
        marker="X",
        color=LIQ,
        zorder=4,
        label=drawable(tr.gettext("rule broken")),
    )


def _rule_line(ax: Axes, tr: Translator, rule: Decimal) -> None:
    level = float(rule) * 100
    label = tr.gettext("your rule: {rule}", rule=tr.percent(rule, exact=True))
    ax.axhline(level, color=ENTRY, lw=2.2, ls="--", zorder=1, label=drawable(label))


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
    with RENDER_LOCK:
        return png_bytes(risk_chart_figure(points, rule, lang, streaks, total))


def risk_chart_figure(
    points: Sequence[DisciplineRow],
    rule: Decimal,
    lang: str,
    streaks: Streaks | None = None,
    total: int | None = None,
) -> Figure:
    """The risk chart before it is encoded, so that what it draws can be read back."""
    tr = translator(lang)
    counted = _counted(points)
    shown = counted[-MAX_POINTS:]
    streaks = streaks or streaks_of(points)
    total = len(counted) if total is None else total
    highest = max([float(row.risk_fraction or 0) for row in shown] + [float(rule)]) * 100
    with RENDER_LOCK:
        figure = new_figure(RISK_SIZE)
        ax = figure.add_axes((0.1, 0.2, 0.86, 0.62))
        _risk_axes(ax, tr, shown, highest * 1.3, capped=total > len(shown))
        _streak_band(ax, tr, streaks.checks, len(shown))
        _risk_marks(ax, tr, shown)
        _rule_line(ax, tr, rule)
        place_text(
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
        place_text(figure, 0.04, 0.895, subtitle, va="top", fontsize=DETAIL_PT, color=MUTED)
        figure.legend(
            loc="lower center",
            ncol=3,
            frameon=False,
            prop={"family": FONT, "size": NOTE_PT},
            bbox_to_anchor=(0.5, 0.005),
        )
        return figure


def risk_caption(rule: Decimal, lang: str) -> str:
    """The photo's caption under /stats."""
    tr = translator(lang)
    return tr.gettext(
        "📈 Your risk per check against your {rule} rule", rule=tr.percent(rule, exact=True)
    )
