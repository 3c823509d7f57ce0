"""The service layer answers without Telegram: the same functions the handlers and jobs call,
run here on a database file and nothing else."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.member_commands import PolicyRequest, ResultRequest, SettingsRequest
from chatbot.language.parser import EXAMPLES, parse_member_command
from chatbot.language.requests import RiskSpec, Schedule
from chatbot.service import checks, journal, policy, privacy, record, reminders, settings
from chatbot.service.members import Member, known_member, load_member
from chatbot.storage import Database

ME, GROUP = 1001, -100123
WITHIN = "/size BTC 72000 stop 71500 acct 1000 lev 5"
BROKEN = "/size BTC 72000 stop 71500 acct 1000 lev 20"  # 20x is above the default 10x limit
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with await Database.open(tmp_path / "service.sqlite3") as database:
        yield database


async def me(db: Database, telegram_code: str | None = "en") -> Member:
    return await load_member(db, ME, chat_id=ME, group=False, telegram_code=telegram_code)


async def log(db: Database, member: Member, text: str, n: int) -> int:
    """Log a check as the handler does, `n` minutes after NOW, and mark it answered."""
    check = await checks.evaluate_for(member, text)
    logged = await checks.log_check(db, member, check, f"{ME}:{n}", NOW + timedelta(minutes=n))
    await checks.answered(db, logged.check_id)
    return logged.check_id


async def test_a_check_is_logged_once_and_answered_once(db: Database) -> None:
    """A redelivered question is logged under the same id, answered again only while its first
    answer is not known to have gone out, and then never again."""
    member = await me(db)
    check = await checks.evaluate_for(member, WITHIN)
    first = await checks.log_check(db, member, check, "1001:7", NOW)
    assert first.sized and first.text is not None
    assert "First check in your log" in first.text
    again = await checks.log_check(db, member, check, "1001:7", NOW)
    assert (again.check_id, again.text is not None) == (first.check_id, True)
    await checks.answered(db, first.check_id)
    assert (await checks.log_check(db, member, check, "1001:7", NOW)).text is None
    assert (await journal.page(db, member)).text.count("#1") == 1


async def test_stats_streak_and_ready_come_from_the_log(db: Database) -> None:
    """Two checks, the second above the leverage limit: 1 of 2 within the rules (50.00%), the
    check streak back to 0 after a best of 1, and 2 of the 30 checks /ready asks for."""
    member = await me(db)
    await log(db, member, WITHIN, 1)
    await log(db, member, BROKEN, 2)
    stats = await record.stats(db, member)
    assert "Within your rules: 1 of 2 checks (50.00%)" in stats.text
    assert "leverage above your limit × 1" in stats.text
    assert stats.standing.tally.counted == 2
    streak = await record.streak(db, member)
    assert "Checks in a row within your rules: 0 (best 1)" in streak
    assert "Checks in your log: 2 of 30" in await record.ready(db, member)


async def test_journal_pages_through_the_log(db: Database) -> None:
    """Twelve checks: ten on the first page (#12 to #3), the button names #3, two on the next."""
    member = await me(db)
    for n in range(12):
        await log(db, member, WITHIN, n)
    first = await journal.page(db, member)
    assert first.older_than == 3
    assert "#12" in first.text and "#3" in first.text and "#2" not in first.text
    second = await journal.page(db, member, first.older_than)
    assert second.older_than is None
    assert "#2" in second.text and "#1" in second.text and "#3" not in second.text


async def test_a_result_is_recorded_only_on_the_members_own_check(db: Database) -> None:
    """No exit price: a loss at the stop is −1 R by definition; another's check is unknown."""
    member = await me(db)
    check_id = await log(db, member, WITHIN, 1)
    loss = ResultRequest(check_id=check_id, outcome="loss")
    assert "-1 R" in await journal.record_result(db, member, loss)
    stranger = await load_member(db, 2002, chat_id=2002, group=False, telegram_code="en")
    with pytest.raises(CommandError) as refused:
        await journal.record_result(db, stranger, loss)
    assert refused.value.code is ErrorCode.UNKNOWN_CHECK


async def test_check_in_lists_open_checks_and_the_weeks_breaks(db: Database) -> None:
    """The job's text and the ids its buttons name, for a member the bot writes to unasked."""
    member = await me(db)
    open_id = await log(db, member, WITHIN, 1)
    closed = await log(db, member, BROKEN, 2)
    await journal.record_result(db, member, ResultRequest(check_id=closed, outcome="loss"))
    reminded = await known_member(db, ME)
    check_in = await reminders.check_in(db, reminded, NOW + timedelta(hours=1))
    assert check_in.open_checks == (open_id,)
    assert "risk at most 1% a trade, leverage at most 10x" in check_in.text
    assert "leverage above your limit × 1" in check_in.text


async def test_reminder_takes_the_members_zone_and_their_locales_clock(db: Database) -> None:
    """A reminder without a zone fires in the member's own; Spanish writes 9:30, not 09:30."""
    await db.save_settings(ME, tz="Europe/Madrid", lang="es")
    member = await me(db)
    saved = await reminders.set_reminder(db, member, Schedule(kind="daily", at="09:30"))
    assert saved.reminder.tz == "Europe/Madrid"
    assert "9:30 (Europe/Madrid)" in saved.text and "09:30" not in saved.text
    assert "9:30" in await reminders.show(db, member)
    assert "Europe/Madrid" in await reminders.show(db, member)
    await reminders.stop(db, member)
    assert await db.reminders(ME) == []


async def test_known_member_speaks_the_language_given_at_start(db: Database) -> None:
    """Unasked, the bot uses the member's chosen language, else the one Telegram gave at /start."""
    await db.upsert_member(ME, "Ana", "ana", "de")
    assert (await known_member(db, ME)).lang == "de"
    await db.save_settings(ME, lang="es")
    assert (await known_member(db, ME)).lang == "es"
    assert (await known_member(db, ME)).tz == "UTC"


async def test_settings_change_answers_in_the_language_just_chosen(db: Database) -> None:
    """`/settings lang de risk 2% maxrisk 2%` answers in German and stores the risk as one
    RiskSpec."""
    member = await me(db)
    request = parse_member_command("/settings lang de risk 2% maxrisk 2%")
    assert isinstance(request, SettingsRequest)
    text = await settings.change(db, member, request)
    assert text.startswith("✅ Gespeichert.")
    stored = await db.member_settings(ME)
    assert stored is not None and stored.risk == RiskSpec(fraction=Decimal("0.02"))
    with pytest.raises(CommandError) as refused:
        await settings.change(db, member, SettingsRequest(changes={"venue": "nowhere"}))
    assert refused.value.code is ErrorCode.UNKNOWN_VENUE


async def test_settings_view_shows_own_values_and_defaults(db: Database) -> None:
    """The member's own account, and the defaults (1% risk, English, UTC) said as such."""
    await db.save_settings(ME, account=Decimal("2000"))
    text = settings.show(await me(db))
    assert "Account: $2,000.00" in text
    assert "Risk per trade: 1% (default)" in text
    assert "Time zone: UTC (default)" in text
    assert EXAMPLES["settings"] in text


async def test_policy_change_and_view(db: Database) -> None:
    """A group's lesson schedule is stored in the default zone and shown in the group's policy."""
    request = parse_member_command("/policy maxlev 5 daily 09:00")
    assert isinstance(request, PolicyRequest)
    saved = await policy.change(db, GROUP, "traders", request, "en")
    assert saved.policy.lessons == Schedule(kind="daily", at="09:00", tz="UTC")
    shown = await policy.show(db, GROUP, "en")
    assert "leverage limit: 5x" in shown
    assert "every day at 09:00 (UTC), in this group" in shown
    off = await policy.change(db, GROUP, "traders", PolicyRequest(lessons_off=True), "en")
    assert off.policy.lessons is None and "Lessons: off" in off.text


async def test_settings_refuse_a_risk_above_the_members_own_rule(db: Database) -> None:
    """With a 2% risk rule, `risk 3%` would break it on every check: refused, naming the rule;
    raising the rule in the same line is a choice, and is saved; so is lowering the risk."""
    await db.save_settings(ME, max_risk=Decimal("0.02"))
    member = await me(db)
    with pytest.raises(CommandError) as refused:
        await settings.change(db, member, parse_settings("/settings risk 3%"))
    assert refused.value.code is ErrorCode.RISK_ABOVE_OWN_RULE
    assert refused.value.params["rule"] == "0.02"
    assert refused.value.example == "/settings risk 3% maxrisk 3%"
    # $25 on a $1,000 account is 2.5%, above the rule too
    with pytest.raises(CommandError) as amount:
        await settings.change(db, member, parse_settings("/settings acct 1000 risk $25"))
    assert amount.value.example == "/settings risk $25 maxrisk 2.5%"
    stored = await db.member_settings(ME)
    assert stored is not None and stored.risk is None
    await settings.change(db, member, parse_settings("/settings risk 3% maxrisk 3%"))
    await settings.change(db, await me(db), parse_settings("/settings risk 1.5%"))
    stored = await db.member_settings(ME)
    assert stored is not None and stored.risk == RiskSpec(fraction=Decimal("0.015"))


def parse_settings(text: str) -> SettingsRequest:
    request = parse_member_command(text)
    assert isinstance(request, SettingsRequest)
    return request


async def test_settings_show_the_language_by_name_and_the_venues_fee(db: Database) -> None:
    """A German member who chose nothing reads "Sprache: Deutsch (von Telegram)", not
    "en (Voreinstellung)"; after `venue bybit` the fee shown is Bybit's 0.06%, the one its
    checks use, not Binance's 0.05%."""
    german = settings.show(await me(db, telegram_code="de"))
    assert "Sprache: Deutsch (von Telegram)" in german
    assert "en (Voreinstellung)" not in german
    await db.save_settings(ME, venue="bybit")
    english = settings.show(await me(db))
    check = await checks.evaluate_for(await me(db), WITHIN)
    assert check.result.fee_rate == Decimal("0.0006")  # type: ignore[union-attr]
    assert "Taker fee: 0.06% (Bybit USDT perpetual's fee)" in english
    assert "Language: English (from Telegram)" in english


async def test_policy_limits_out_of_range_are_refused(db: Database) -> None:
    """A 50% risk rule or a 150x leverage limit is no limit: refused with the range; a change
    within range is confirmed in the group's words."""
    for text, code in (
        ("/policy maxrisk 50%", ErrorCode.PERCENT_OUT_OF_RANGE),
        ("/policy maxlev 150", ErrorCode.LEVERAGE_OUT_OF_RANGE),
    ):
        request = parse_member_command(text)
        assert isinstance(request, PolicyRequest)
        with pytest.raises(CommandError) as refused:
            await policy.change(db, GROUP, "traders", request, "en")
        assert refused.value.code is code
    assert await db.group_policy(GROUP) is None
    request = parse_member_command("/policy maxrisk 2% maxlev 20")
    assert isinstance(request, PolicyRequest)
    saved = await policy.change(db, GROUP, "traders", request, "en")
    assert "judged by this policy" in saved.text
    assert "your next checks" not in saved.text


async def test_export_is_one_column_per_figure_in_the_members_locale(db: Database) -> None:
    """A German member's export: semicolons, decimal commas, R to two decimals, ISO 8601 times
    in their zone, German headers; the settings go to the caption."""
    await db.save_settings(
        ME, tz="Europe/Berlin", lang="de", risk=RiskSpec(fraction=Decimal("0.01"))
    )
    member = await me(db)
    check_id = await log(db, member, WITHIN, 1)
    await journal.record_result(
        db, member, ResultRequest(check_id=check_id, outcome="win", exit=Decimal(73500))
    )
    export = await privacy.export(db, member)
    text = export.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    (row,) = rows
    assert row["Einstieg"] == "72000"
    assert row["Stop"] == "71500"
    # 0.017 × 72000 = 1224; / 5 = 244.8; fees 0.0005 × 0.017 × 143500 = 1.21975
    assert (row["Menge"], row["Positionswert"], row["Margin"]) == ("0,017", "1224", "244,8")
    assert row["Gebühren"] == "1,21975"
    assert row["Risiko %"] == "1"
    # win at 73,500: 25.5 − 0.0005 × 0.017 × 145,500 = 24.26325 over 9.71975 = 2.4963… → 2,50
    assert row["R"] == "2,50"
    assert row["Zeit"] == "2024-05-01T14:01:00+02:00"
    assert "Risiko pro Trade: 1" in export.caption
    await privacy.forget(db, member)
    assert await db.journal(ME, 10) == []


async def test_inline_answers_a_check_a_mistake_and_nothing(db: Database) -> None:
    """An empty query shows the grammar's example; a mistake says what; a check its summary."""
    member = await me(db)
    hint = await checks.inline_article(member, "", None)
    assert EXAMPLES["size"].removeprefix("/") in hint.title
    mistake = await checks.inline_article(member, "size BTC 72000", None)
    assert "stop" in mistake.title.lower() + mistake.description.lower()
    answer = await checks.inline_article(member, WITHIN.removeprefix("/"), None)
    # README's worked example: $10 budget / $571.75 loss per BTC at the stop → 0.017 BTC.
    assert "0.017 BTC" in answer.text
