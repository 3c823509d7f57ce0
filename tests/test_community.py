"""Reminders, lessons, community policy and inline mode, through the stand-in Bot API server."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram.ext import Application

from chatbot.bot.schedules import fire_days, fire_time, jitter
from chatbot.engine.models import SizeResult
from chatbot.evaluation.calculators import evaluate
from chatbot.language.parser import parse_command
from chatbot.render.i18n import translator
from chatbot.render.lessons import LESSONS, find_lesson, render_lesson
from chatbot.storage import Database
from tests.conftest import Chat, running
from tests.standin import StandIn

WITHIN = "/size BTC 72000 stop 71500 acct 1000 lev 5"
WORKED = "/size BTC 72000 stop 71500 acct 1000 lev 20"
GROUP = -1001234567890
ME = 1001


def job(app: Application, name: str):  # type: ignore[no-untyped-def,type-arg]
    assert app.job_queue is not None
    (found,) = app.job_queue.get_jobs_by_name(name)
    return found


def test_jitter_spreads_a_common_time() -> None:
    """Members who all pick 20:00 fire at different moments within five minutes of it."""
    times = {fire_time("20:00", "UTC", jitter(user)) for user in range(1000, 1100)}
    assert len(times) > 50
    assert all(time(20, 0) <= moment.replace(tzinfo=None) < time(20, 5) for moment in times)
    assert jitter(42) == jitter(42) < timedelta(minutes=5)


def test_weekdays_follow_ptb_sunday_first() -> None:
    """Monday (0 here) is 1 for the job queue, Sunday (6) is 0; daily means every day."""
    assert fire_days(0) == (1,)
    assert fire_days(6) == (0,)
    assert fire_days(None) == tuple(range(7))


async def test_reminder_uses_the_members_log(api: StandIn, db_path: Path) -> None:
    """A reminder shows the member's rules, streak, open checks with buttons and breaks."""
    async with running(api, db_path) as app:
        me = Chat(api)
        answer = await me.say("/remind daily 20:00 Europe/Berlin")
        assert "every day at 20:00 (Europe/Berlin)" in answer["text"]
        await me.say(WITHIN)
        await me.say(WITHIN)
        await me.say(WORKED)
        reminder = job(app, f"remind:{ME}:daily")
        before = len(api.sent(ME))
        await reminder.run(app)
        text = api.sent(ME)[before]
        assert "risk at most 1% a trade, leverage at most 10x" in text["text"]
        assert "#1" in text["text"] and "#3" in text["text"]
        assert "leverage above your limit × 1" in text["text"]
        buttons = [
            b["callback_data"] for row in text["reply_markup"]["inline_keyboard"] for b in row
        ]
        assert "outcome:1:win" in buttons and len(buttons) == 9
        answer = await me.press("outcome:1:loss")
        # No exit price: a loss at the stop is −1 R by definition.
        assert "#1" in answer["text"] and "-1 R" in answer["text"]
        assert "loss -1 R" in (await me.say("/journal"))["text"]


async def test_reminder_buttons_give_the_same_r_as_result(api: StandIn, db_path: Path) -> None:
    """A win from the reminder's button is taken at the target, as `/result N win` takes it:
    34 − 0.0005 × 0.017 × 146,000 = 32.759 over the 9.71975 loss at stop, +3.37 R both ways; a
    check without a target asks for the exit price instead of logging a win with no R."""
    async with running(api, db_path) as app:
        me = Chat(api)
        await me.say("/remind daily 20:00 Europe/Berlin")
        for _ in range(2):
            await me.say(WITHIN + " tp 74000")
        await me.say(WITHIN)
        await job(app, f"remind:{ME}:daily").run(app)
        pressed = await me.press("outcome:1:win")
        assert "#1" in pressed["text"] and "+3.37 R" in pressed["text"]
        typed = await me.say("/result 2 win")
        assert "+3.37 R" in typed["text"]
        no_target = await me.press("outcome:3:win")
        assert "no target" in no_target["text"]
        stats = await me.say("/stats")
        assert "Outcomes: 2 won, 0 lost, 0 break-even" in stats["text"]
        assert "Result: +6.74 R in all, +3.37 R a trade" in stats["text"]


async def test_reminder_survives_restart(api: StandIn, db_path: Path) -> None:
    """The reminder lives in SQLite: a new process schedules it again, same time and days."""
    async with running(api, db_path):
        await Chat(api).say("/remind weekly sun 18:30 Europe/Berlin")
    async with running(api, db_path) as app:
        reminder = job(app, f"remind:{ME}:weekly")
        assert reminder.next_t is not None
        local = reminder.next_t.astimezone(ZoneInfo("Europe/Berlin"))
        assert local.weekday() == 6
        assert (local.hour, local.minute) == (18, 30 + jitter(ME).seconds // 60)


async def test_blocked_member_gets_reminders_paused(api: StandIn, db_path: Path) -> None:
    """After a 403 the reminder is paused and unscheduled instead of failing every day."""
    async with running(api, db_path) as app:
        await Chat(api).say("/remind daily 20:00")
        api.fail_next("sendMessage", "403", chat_id=ME)
        await job(app, f"remind:{ME}:daily").run(app)
        assert app.job_queue is not None
        assert app.job_queue.get_jobs_by_name(f"remind:{ME}:daily") == ()
        shown = await Chat(api).say("/remind")
        assert "paused" in shown["text"]
    async with await Database.open(db_path) as db:
        assert await db.active_reminders() == []


def test_lesson_numbers_come_from_the_engine() -> None:
    """The liquidation lesson shows exactly the engine's liquidation price for its example."""
    index = find_lesson("liquidation")
    assert index is not None
    result = evaluate(parse_command(LESSONS[index].try_it)).result
    assert isinstance(result, SizeResult) and result.liquidation_price is not None
    for lang in ("en", "de"):
        shown = translator(lang).price(result.liquidation_price, "USD")
        assert shown in render_lesson(index, lang)
    # By hand with Binance's formula: ≈ 68,674.70 at 20x, so the stop at 68,400 never fires.
    assert "$68,674.70" in render_lesson(index, "en")


def test_every_lesson_renders_and_ends_with_a_command() -> None:
    """Each topic of the curriculum renders in each language and ends with a command to try."""
    assert len(LESSONS) >= 13
    for index, lesson in enumerate(LESSONS):
        for lang in ("en", "de"):
            text = render_lesson(index, lang)
            assert text.rstrip().endswith(f"<code>{lesson.try_it}</code>")


async def test_lesson_commands(api: StandIn, db_path: Path) -> None:
    """/lesson continues the course, /lesson TOPIC opens one, /lessons lists them all."""
    async with running(api, db_path):
        me = Chat(api)
        assert "Lesson 1 of" in (await me.say("/lesson"))["text"]
        assert "Lesson 2 of" in (await me.say("/lesson"))["text"]
        topic = await me.say("/lesson liquidation")
        assert "Liquidation" in topic["text"]
        (button,) = topic["reply_markup"]["inline_keyboard"][0]
        assert button["url"].endswith("?start=try-liquidation")
        tried = await me.say("/start try-liquidation")
        assert "comes first" in tried["text"] and "your stop never fires" in tried["text"]
        assert "13." in (await me.say("/lessons"))["text"]
        assert "I have no lesson" in (await me.say("/lesson astrology"))["text"]


async def test_only_admins_set_policy_and_it_changes_verdicts(api: StandIn, db_path: Path) -> None:
    """A member cannot set policy; an admin can, and 20x is then within the group's limit."""
    async with running(api, db_path):
        member = Chat(api, chat_id=GROUP, chat_type="supergroup")
        admin = Chat(api, user_id=7, chat_id=GROUP, chat_type="supergroup")
        api.chat_members[(GROUP, 7)] = "administrator"
        assert "Rule broken (leverage above your limit)" in (await member.say(WORKED))["text"]
        refused = await member.say("/policy maxlev 25")
        assert "Only the group's admins" in refused["text"]
        saved = await admin.say("/policy maxrisk 2% maxlev 25")
        assert "leverage limit: 25x" in saved["text"]
        answer = await member.say(WORKED)
        assert "Rule broken" not in answer["text"]
        assert "New best" in answer["text"] or "Within your" in answer["text"]
        assert "leverage limit: 25x" in (await member.say("/policy"))["text"]


async def test_lessons_go_to_a_channel_the_bot_administers(api: StandIn, db_path: Path) -> None:
    """The schedule needs the bot as the channel's admin; its job posts the next lesson."""
    async with running(api, db_path) as app:
        admin = Chat(api, user_id=7, chat_id=GROUP, chat_type="supergroup")
        channel = api.world.chat("@riskschool")["id"]
        api.chat_members[(GROUP, 7)] = "administrator"
        api.chat_members[(channel, 7)] = "creator"
        command = "/policy channel @riskschool daily 09:00 Europe/Berlin"
        assert "cannot post in @riskschool" in (await admin.say(command))["text"]
        api.chat_members[(channel, api.bot["id"])] = "administrator"
        saved = await admin.say(command)
        assert "in @riskschool" in saved["text"]
        await job(app, f"lessons:{GROUP}").run(app)
        await job(app, f"lessons:{GROUP}").run(app)
        posted = [params["text"] for params in api.sent("@riskschool")]
        assert ["Lesson 1 of" in posted[0], "Lesson 2 of" in posted[1]] == [True, True]


async def test_inline_query_answers_with_the_members_result(api: StandIn, db_path: Path) -> None:
    """An inline query offers the sized result, personal and uncached; a partial one, a hint."""
    async with running(api, db_path):
        api.push_inline_query("size BTC 72000 stop 71500 acct 1000 lev 20")
        (call,) = await api.wait_for("answerInlineQuery")
        (article,) = call.params["results"]
        assert "0.017 BTC" in article["title"] and "$68,674.70" in article["title"]
        assert "68,674.70" in article["input_message_content"]["message_text"]
        assert call.params["is_personal"] is True and call.params["cache_time"] == 0
        api.push_inline_query("size BTC 72000")
        calls = await api.wait_for("answerInlineQuery", count=2)
        (hint,) = calls[-1].params["results"]
        assert "stop" in hint["title"].lower()


def test_losing_streak_lesson_compounds() -> None:
    """Ten stops in a row: 1 − 0.99¹⁰ = 9.56% at 1% a trade, 1 − 0.9¹⁰ = 65.13% at 10%."""
    index = find_lesson("sizing")
    assert index is not None
    text = render_lesson(index, "en")
    assert "9.56%" in text and "65.13%" in text
