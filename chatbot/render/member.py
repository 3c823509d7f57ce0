"""The member's own record in words: feedback, settings, journal, stats, streaks and readiness.

Like `replies`, this only turns figures and codes into Telegram HTML in the member's language;
what the figures are is decided by `chatbot.evaluation.discipline`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from babel.dates import format_datetime, get_day_names

from chatbot.engine.models import MarginMode, WarningCode
from chatbot.evaluation.discipline import (
    Criterion,
    Feedback,
    FeedbackCode,
    Readiness,
    ReadinessCode,
    Stats,
    Streaks,
    TradeResult,
)
from chatbot.evaluation.log import JournalRow
from chatbot.language.requests import RiskSpec
from chatbot.render.html import bold, code, escape
from chatbot.render.i18n import N_, Translator, translator

_BREAKS = {
    WarningCode.RISK_ABOVE_RULE.value: N_("risk above your rule"),
    WarningCode.LEVERAGE_ABOVE_LIMIT.value: N_("leverage above your limit"),
    WarningCode.LIQUIDATION_BEFORE_STOP.value: N_("stop beyond liquidation"),
}
_RESULTS = {
    TradeResult.WIN: N_("win"),
    TradeResult.LOSS: N_("loss"),
    TradeResult.BE: N_("break-even"),
}


def _break(tr: Translator, code_: str) -> str:
    known = _BREAKS.get(code_)
    return tr.gettext(known) if known else escape(code_)


def _r(tr: Translator, value: Decimal) -> str:
    """An R multiple with its sign, so +2.5 R and −1 R never look alike."""
    shown = tr.number(value, 0, 2)
    return f"+{shown} R" if value > 0 else f"{shown} R"


def _rule(tr: Translator, rule: object) -> str:
    return tr.percent(rule, exact=True) if isinstance(rule, Decimal) else escape(rule)


# --- the feedback line of a /size reply ---------------------------------------------------


def render_feedback(feedback: Feedback, lang: str) -> str:
    """One line from the member's own log, changing with the record."""
    tr = translator(lang)
    params = feedback.params
    match feedback.code:
        case FeedbackCode.FIRST_CHECK:
            return tr.gettext("📒 First check in your log: within your rules. Keep it that way.")
        case FeedbackCode.NEW_BEST:
            streak = int(params["streak"])
            return tr.ngettext(
                "🏆 New best: {count} check in a row within your rules.",
                "🏆 New best: {count} checks in a row within your rules.",
                streak,
                count=streak,
            )
        case FeedbackCode.STREAK if "rule" in params:
            streak = int(params["streak"])
            return tr.ngettext(
                "✅ Within your {rule} rule, streak {count}.",
                "✅ Within your {rule} rule, streak {count}.",
                streak,
                count=streak,
                rule=_rule(tr, params["rule"]),
            )
        case FeedbackCode.STREAK:
            return tr.gettext("✅ Within your rules, streak {count}.", count=params["streak"])
        case FeedbackCode.BROKEN if int(params["previous"]) == 0:
            return tr.gettext(
                "⛔ Rule broken ({reason}): this check does not count toward a streak.",
                reason=_break(tr, str(params["reason"])),
            )
        case FeedbackCode.BROKEN:
            previous = int(params["previous"])
            return tr.ngettext(
                "⛔ Rule broken ({reason}): your streak of {count} check ends here.",
                "⛔ Rule broken ({reason}): your streak of {count} checks ends here.",
                previous,
                count=previous,
                reason=_break(tr, str(params["reason"])),
            )
    count = int(params["count"])
    return tr.ngettext(
        "⛔ {count} oversized trade this week: the rule is there to keep you in the game.",
        "⛔ {count} oversized trades this week: the rule is there to keep you in the game.",
        count,
        count=count,
    )


# --- settings -----------------------------------------------------------------------------

_SETTING_LABELS = {
    "account": N_("Account"),
    "risk": N_("Risk per trade"),
    "leverage": N_("Leverage"),
    "fee": N_("Taker fee"),
    "venue": N_("Venue"),
    "margin_mode": N_("Margin"),
    "max_risk": N_("Your risk rule"),
    "max_leverage": N_("Your leverage limit"),
    "lang": N_("Language"),
    "tz": N_("Time zone"),
}


def _setting_value(tr: Translator, name: str, value: object) -> str:
    if isinstance(value, RiskSpec):
        if value.fraction is not None:
            return tr.percent(value.fraction, exact=True)
        return tr.money(value.amount or Decimal(0))
    if isinstance(value, Decimal):
        if name in {"fee", "max_risk"}:
            return tr.percent(value, exact=True)
        if name in {"leverage", "max_leverage"}:
            return f"{tr.number(value)}x"
        return tr.money(value)
    if isinstance(value, MarginMode):
        return tr.gettext(value.value)
    return escape(value)


def render_settings(values: Mapping[str, object], defaults: Mapping[str, object], lang: str) -> str:
    """Each setting: the member's own value, else the default that applies, said as such."""
    tr = translator(lang)
    lines = [bold(tr.gettext("Your settings"))]
    for name, label in _SETTING_LABELS.items():
        own = values.get(name)
        if own is not None:
            shown = _setting_value(tr, name, own)
        elif defaults.get(name) is not None:
            shown = tr.gettext("{value} (default)", value=_setting_value(tr, name, defaults[name]))
        else:
            shown = tr.gettext("not set")
        lines.append(f"{tr.gettext(label)}: {shown}")
    lines.append("")
    lines.append(
        tr.gettext(
            "Change them in one line, for example {example}; {clear} clears one.",
            example=code("/settings acct 1000 risk 1% lev 10 tz Europe/Berlin"),
            clear=code("/settings lev off"),
        )
    )
    return "\n".join(lines)


def render_settings_saved(lang: str) -> str:
    return "✅ " + translator(lang).gettext("Saved. Your next checks use these settings.")


# --- the journal --------------------------------------------------------------------------


def _moment(tr: Translator, value: datetime, tz: str) -> str:
    return format_datetime(value, format="short", tzinfo=tz, locale=tr.locale)


def _journal_line(tr: Translator, row: JournalRow, tz: str) -> str:
    entry, outcome = row.check, row.outcome
    parts = [bold(f"#{entry.id}"), _moment(tr, entry.created_at, tz), f"/{entry.command}"]
    if entry.symbol:
        parts.append(escape(entry.symbol))
    if entry.side:
        parts.append(tr.gettext(entry.side))
    if entry.risk_fraction is not None:
        parts.append(tr.gettext("risk {risk}", risk=tr.percent(entry.risk_fraction)))
    if entry.leverage is not None:
        parts.append(f"{tr.number(entry.leverage)}x")
    line = " · ".join(parts)
    if entry.command != "size":
        return line
    if entry.exploring:
        verdict = tr.gettext("🔍 just exploring")
    elif entry.within_rules:
        verdict = tr.gettext("✅ within rules")
    else:
        verdict = "⛔ " + ", ".join(_break(tr, code_) for code_ in entry.breaks)
    ended = ""
    if outcome is not None:
        ended = " · " + tr.gettext(_RESULTS[outcome.result])
        if outcome.liquidated:
            ended += " " + tr.gettext("(liquidated)")
        if outcome.r_multiple is not None:
            ended += f" {_r(tr, outcome.r_multiple)}"
    return f"{line}\n    {verdict}{ended}"


def render_journal(entries: Iterable[JournalRow], total: int, tz: str, lang: str) -> str:
    """The latest checks, newest first, with the numbers /result takes."""
    tr = translator(lang)
    entries = list(entries)
    if not entries:
        return tr.gettext(
            "Your journal is empty. Size a trade with {example} and it lands here.",
            example=code("/size BTC 72000 stop 71500 acct 1000 lev 20"),
        )
    head = tr.ngettext(
        "Your journal: {count} check in all, newest first",
        "Your journal: {count} checks in all, newest first",
        total,
        count=total,
    )
    lines = [bold(head), *(_journal_line(tr, entry, tz) for entry in entries), ""]
    lines.append(
        tr.gettext("Record how a trade ended: {example}", example=code("/result 12 win exit 73500"))
    )
    return "\n".join(lines)


def render_outcome_saved(
    check_id: int, result: TradeResult, r_multiple: Decimal | None, liquidated: bool, lang: str
) -> str:
    tr = translator(lang)
    what = tr.gettext(_RESULTS[result])
    if liquidated:
        what += " " + tr.gettext("(liquidated)")
    if r_multiple is not None:
        what += f", {_r(tr, r_multiple)}"
    return "📒 " + tr.gettext("Check #{id} logged as {outcome}.", id=check_id, outcome=what)


# --- stats, streaks, readiness ------------------------------------------------------------


def _streak_lines(tr: Translator, streaks: Streaks) -> list[str]:
    return [
        tr.gettext(
            "Checks in a row within your rules: {current} (best {best})",
            current=streaks.checks,
            best=streaks.best_checks,
        ),
        tr.gettext(
            "Active days in a row within your rules: {current} (best {best})",
            current=streaks.days,
            best=streaks.best_days,
        ),
    ]


def render_streak(streaks: Streaks, lang: str) -> str:
    """Only days with checks count: a day without trading never breaks the day streak."""
    tr = translator(lang)
    lines = [bold(tr.gettext("Your streaks")), *_streak_lines(tr, streaks)]
    lines.append(tr.gettext("A day without trading does not break a streak; a broken rule does."))
    return "\n".join(lines)


def render_stats(stats: Stats, streaks: Streaks, lang: str) -> str:
    """Adherence, rule breaks by kind, results in R, the cost of broken rules and the trend."""
    tr = translator(lang)
    lines = [bold(tr.gettext("Your discipline"))]
    if stats.counted == 0 or stats.adherence is None:
        lines.append(tr.gettext("No counted checks yet: every /size you run lands in your log."))
        return "\n".join(lines)
    lines.append(
        tr.gettext(
            "Within your rules: {within} of {counted} checks ({adherence})",
            within=stats.within_rules,
            counted=stats.counted,
            adherence=tr.percent(stats.adherence / 100),
        )
    )
    if stats.breaks:
        kinds = ", ".join(
            f"{_break(tr, code_)} × {count}" for code_, count in sorted(stats.breaks.items())
        )
        lines.append(tr.gettext("Rule breaks: {kinds}", kinds=kinds))
    lines.append(
        tr.gettext(
            "Outcomes: {wins} won, {losses} lost, {be} break-even",
            wins=stats.wins,
            losses=stats.losses,
            be=stats.breakeven,
        )
    )
    if stats.average_r is not None:
        lines.append(
            tr.gettext(
                "Result: {total} in all, {average} a trade",
                total=_r(tr, stats.total_r),
                average=_r(tr, stats.average_r),
            )
        )
    lines.append(
        tr.gettext(
            "Cost of broken rules: {cost} lost beyond your budget",
            cost=tr.money(stats.cost_of_broken_rules),
        )
    )
    if stats.trend is not None:
        lines.append(
            tr.gettext(
                "Trend: {recent} of your last 10 checks within rules, {previous} of the 10 before",
                recent=tr.percent(stats.trend.recent / 100),
                previous=tr.percent(stats.trend.previous / 100),
            )
        )
    lines.extend(_streak_lines(tr, streaks))
    return "\n".join(lines)


_CRITERIA = {
    ReadinessCode.MONTHS_WITH_OUTCOMES: N_("Months with logged outcomes: {value} of {threshold}"),
    ReadinessCode.POSITIVE_MONTHS: N_("Positive months: {value} of {threshold}"),
    ReadinessCode.COUNTED_CHECKS: N_("Checks in your log: {value} of {threshold}"),
    ReadinessCode.ADHERENCE: N_("Within your rules: {value} (needs {threshold})"),
    ReadinessCode.LIQUIDATIONS: N_("Liquidations: {value} (needs {threshold})"),
}


def _criterion(tr: Translator, criterion: Criterion) -> str:
    value: object = criterion.value
    threshold: object = criterion.threshold
    if criterion.code is ReadinessCode.ADHERENCE:
        value = "—" if criterion.value is None else tr.percent(Decimal(criterion.value) / 100)
        threshold = tr.percent(Decimal(criterion.threshold) / 100, exact=True)
    mark = "✅" if criterion.met else "❌"
    return f"{mark} " + tr.gettext(_CRITERIA[criterion.code], value=value, threshold=threshold)


def render_ready(readiness: Readiness, lang: str) -> str:
    """Standard contracts multiply every mistake: the answer rests on months of record."""
    tr = translator(lang)
    if readiness.ready:
        head = tr.gettext("Your record supports moving from micro to standard contracts.")
    else:
        head = tr.gettext("Not yet: stay on micro contracts until every line is ✅.")
    lines = [bold(head), *(_criterion(tr, criterion) for criterion in readiness.criteria)]
    return "\n".join(lines)


# --- privacy and chat plumbing ------------------------------------------------------------


def render_private_only(lang: str) -> str:
    return "🔒 " + translator(lang).gettext(
        "Your personal figures stay private: tap below to see them in our chat."
    )


def render_forget_confirm(lang: str) -> str:
    return "⚠️ " + translator(lang).gettext(
        "This erases your settings, every check in your log and every outcome. It cannot be "
        "undone. Erase everything?"
    )


def render_forgotten(lang: str) -> str:
    return "🗑 " + translator(lang).gettext("Done: everything I stored about you is erased.")


def render_kept(lang: str) -> str:
    return translator(lang).gettext("Nothing was erased.")


def render_export_caption(count: int, lang: str) -> str:
    tr = translator(lang)
    return tr.ngettext(
        "Your log: {count} check, with outcomes and your settings.",
        "Your log: {count} checks, with outcomes and your settings.",
        count,
        count=count,
    )


def render_exploring(exploring: bool, lang: str) -> str:
    tr = translator(lang)
    if exploring:
        return tr.gettext("Marked as just exploring: it does not count for your streaks.")
    return tr.gettext("Counted again in your record.")


def render_not_yours(lang: str) -> str:
    return translator(lang).gettext("This button belongs to the member who ran the check.")


def render_failure(lang: str) -> str:
    return "⚠️ " + translator(lang).gettext(
        "Something went wrong on my side. Your message was not lost: please try again in a moment."
    )


def render_text_hint(lang: str) -> str:
    tr = translator(lang)
    return tr.gettext(
        "I read commands such as {example}. {help} lists them all.",
        example=code("/size BTC 72000 stop 71500 acct 1000 lev 20"),
        help="/help",
    )


# --- reminders ------------------------------------------------------------------------------


def _when(tr: Translator, kind: str, weekday: int | None, at: str, tz: str) -> str:
    if kind == "weekly" and weekday is not None:
        day = get_day_names("wide", locale=tr.locale)[weekday]
        return tr.gettext("every {day} at {time} ({zone})", day=day, time=at, zone=escape(tz))
    return tr.gettext("every day at {time} ({zone})", time=at, zone=escape(tz))


def render_reminders(reminders: Iterable[tuple[str, int | None, str, str, bool]], lang: str) -> str:
    """The member's reminders as (kind, weekday, at, tz, paused), or how to set one."""
    tr = translator(lang)
    reminders = list(reminders)
    if not reminders:
        return tr.gettext(
            "No reminders yet. {daily} or {weekly} sets one; {off} stops them.",
            daily=code("/remind daily 20:00 Europe/Berlin"),
            weekly=code("/remind weekly sun 18:00"),
            off=code("/remind off"),
        )
    lines = [bold(tr.gettext("Your reminders"))]
    for kind, weekday, at, tz, paused in reminders:
        line = "⏰ " + _when(tr, kind, weekday, at, tz)
        if paused:
            line += " " + tr.gettext("(paused: send any command to the bot, then set it again)")
        lines.append(line)
    lines.append(tr.gettext("{off} stops them.", off=code("/remind off")))
    return "\n".join(lines)


def render_reminder_set(kind: str, weekday: int | None, at: str, tz: str, lang: str) -> str:
    tr = translator(lang)
    return "⏰ " + tr.gettext(
        "Reminder set: {when}. It will show your rules, your streak and the trades still "
        "waiting for an outcome.",
        when=_when(tr, kind, weekday, at, tz),
    )


def render_reminders_off(lang: str) -> str:
    return translator(lang).gettext("Reminders stopped.")


def render_reminder(
    rules: tuple[Decimal, Decimal],
    streaks: Streaks,
    open_checks: Iterable[JournalRow],
    week_breaks: Mapping[str, int],
    lang: str,
) -> str:
    """The check-in itself: the member's rules, streak, open trades and the week's breaks."""
    tr = translator(lang)
    max_risk, max_leverage = rules
    lines = [
        bold("⏰ " + tr.gettext("Your discipline check-in")),
        tr.gettext(
            "Your rules: risk at most {risk} a trade, leverage at most {leverage}x, the stop "
            "always before liquidation.",
            risk=tr.percent(max_risk, exact=True),
            leverage=tr.number(max_leverage),
        ),
        *_streak_lines(tr, streaks),
    ]
    entries = list(open_checks)
    if entries:
        lines.append("")
        lines.append(tr.gettext("Checks from the last day without an outcome:"))
        lines += [
            f"#{check.id} · {escape(check.symbol or '')} · {tr.gettext(check.side or '')}"
            for check in (row.check for row in entries)
        ]
        lines.append(
            tr.gettext(
                "Tap how each ended, or use {example}.", example=code("/result 12 win exit 73500")
            )
        )
    if week_breaks:
        kinds = ", ".join(
            f"{_break(tr, code_)} × {count}" for code_, count in sorted(week_breaks.items())
        )
        lines.append("")
        lines.append(tr.gettext("Rule breaks this week: {kinds}", kinds=kinds))
    else:
        lines.append(tr.gettext("No rule broken this week. Keep it that way."))
    return "\n".join(lines)


def outcome_button_label(check_id: int, result: TradeResult, lang: str) -> str:
    marks = {TradeResult.WIN: "✅", TradeResult.LOSS: "❌", TradeResult.BE: "➖"}
    return f"#{check_id} {marks[result]} {translator(lang).gettext(_RESULTS[result])}"


# --- community policy ---------------------------------------------------------------------


def render_policy(
    limits: Mapping[str, Decimal | str | None],
    schedule: tuple[str, int | None, str, str] | None,
    target: str | None,
    lang: str,
) -> str:
    """The community's limits (its own or the defaults) and its lesson schedule."""
    tr = translator(lang)
    max_risk, max_leverage = limits.get("max_risk"), limits.get("max_leverage")
    lines = [bold(tr.gettext("Community policy"))]
    lines.append(
        tr.gettext(
            "Risk rule: {risk} · leverage limit: {leverage}",
            risk=tr.percent(Decimal(str(max_risk)), exact=True),
            leverage=f"{tr.number(Decimal(str(max_leverage)))}x",
        )
    )
    if limits.get("lang"):
        lines.append(tr.gettext("Language: {lang}", lang=escape(limits["lang"])))
    if schedule is None:
        lines.append(tr.gettext("Lessons: off"))
    else:
        where = escape(target) if target else tr.gettext("this group")
        lines.append(
            tr.gettext(
                "Lessons: {when}, in {where}",
                when=_when(tr, *schedule),
                where=where,
            )
        )
    lines.append("")
    lines.append(
        tr.gettext(
            "Admins change it with {limits} or {lessons}.",
            limits=code("/policy maxrisk 1% maxlev 10 lang de"),
            lessons=code("/policy channel @name daily 09:00 Europe/Berlin"),
        )
    )
    return "\n".join(lines)


def render_admins_only(lang: str) -> str:
    return translator(lang).gettext(
        "Only the group's admins can change its policy. Ask one of them, or see it with /policy."
    )


def render_policy_in_groups(lang: str) -> str:
    return translator(lang).gettext(
        "/policy sets a community's limits and lessons: use it in your group, as an admin."
    )


def render_channel_not_ready(channel: str, lang: str) -> str:
    return "❌ " + translator(lang).gettext(
        "I cannot post in {channel}: add me to the channel as an admin who may post, then "
        "send the command again.",
        channel=escape(channel),
    )


# --- inline mode ----------------------------------------------------------------------------


def render_inline_hint(lang: str) -> tuple[str, str]:
    """Title and description of the article shown before a query says anything."""
    tr = translator(lang)
    return (
        tr.gettext("Type a check, for example: size BTC 72000 stop 71500 acct 1000 lev 20"),
        tr.gettext("Your saved settings fill in what you leave out."),
    )


def render_unknown_lesson(word: str, lang: str) -> str:
    return "❌ " + translator(lang).gettext(
        "I have no lesson on {word}. {lessons} lists them all.",
        word=code(word),
        lessons="/lessons",
    )
