"""Languages: the member's choice wins, numbers follow the locale, every catalog is complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.bot.registry import COMMANDS
from chatbot.render.i18n import (
    available_languages,
    match_language,
    resolve_language,
    translator,
)
from chatbot.render.lessons import LESSONS, render_lesson
from tests.conftest import Chat, running
from tests.standin import StandIn

WORKED = "/size BTC 72000 stop 71500 acct 1000 lev 20"
SIX = {"en", "de", "es", "ru", "pt_BR", "tr"}


def test_the_six_languages_have_catalogs() -> None:
    """English, German, Spanish, Russian, Portuguese (Brazil) and Turkish are shipped."""
    assert set(available_languages()) >= SIX


@pytest.mark.parametrize(
    ("code", "catalog"),
    [("pt-br", "pt_BR"), ("pt", "pt_BR"), ("de-AT", "de"), ("DE", "de"), ("xx", None), ("", None)],
)
def test_telegram_codes_find_their_catalog(code: str, catalog: str | None) -> None:
    """Telegram's `pt-br` is the pt_BR catalog; an unknown code has none and falls back."""
    assert match_language(code) == catalog
    assert resolve_language(code) == (catalog or "en")


@pytest.mark.parametrize(
    ("lang", "at", "shown"),
    # CLDR's "Hm" skeleton: English "HH:mm", Spanish "H:mm" (no leading zero), German "HH:mm".
    [("en", "09:30", "09:30"), ("es", "09:30", "9:30"), ("de", "20:00", "20:00")],
)
def test_times_of_day_follow_the_locale(lang: str, at: str, shown: str) -> None:
    """A stored 24-hour time is written as the member's locale writes it, on the same clock."""
    assert translator(lang).time(at) == shown


@pytest.mark.parametrize("lang", sorted(SIX))
def test_every_lesson_renders_in_every_language(lang: str) -> None:
    """Lessons fill every placeholder in every language (a missing one raises KeyError)."""
    for index in range(len(LESSONS)):
        assert "{" not in render_lesson(index, lang)


async def test_german_member_gets_german_reply(api: StandIn, db_path: Path) -> None:
    """A member whose Telegram is German gets German words and German numbers for /size."""
    async with running(api, db_path):
        answer = await Chat(api, language_code="de").say(WORKED)
    text = answer["text"]
    # 68,674.70 in German notation, 0.69% as "0,69 %" with Babel's no-break space.
    assert "68.674,70" in text and "0,69\xa0%" in text and "1.224,00" in text
    assert "Liquidation" in text and "Stop" in text


async def test_german_member_types_german_numbers(api: StandIn, db_path: Path) -> None:
    """`/size BTC 72.000 stop 71.500 acct 1.000 lev 20` from a German member is the worked
    example (72.000 is 72,000 to them), not entry 72 and a size of 17.49 BTC."""
    async with running(api, db_path):
        answer = await Chat(api, language_code="de").say(
            "/size BTC 72.000 stop 71.500 acct 1.000 lev 20"
        )
    text = answer["text"]
    assert "72.000,00" in text and "0,017 BTC" in text and "68.674,70" in text


async def test_english_member_is_asked_about_a_dotted_thousand(api: StandIn, db_path: Path) -> None:
    """From an English member `acct 1.000` could be 1 or 1,000: the bot asks, never guesses."""
    async with running(api, db_path):
        answer = await Chat(api, language_code="en").say(
            "/size BTC 72000 stop 71500 acct 1.000 lev 20"
        )
    assert "could mean 1 or 1,000" in answer["text"]


async def test_settings_language_beats_telegrams(api: StandIn, db_path: Path) -> None:
    """`/settings lang de` makes a member with English Telegram get German replies."""
    async with running(api, db_path):
        me = Chat(api, language_code="en")
        await me.say("/settings lang de")
        assert "68.674,70" in (await me.say(WORKED))["text"]


async def test_menu_registered_in_every_language(api: StandIn, db_path: Path) -> None:
    """setMyCommands runs per language and scope, with descriptions from that catalog."""
    async with running(api, db_path):
        calls = [call for call in api.calls if call.method == "setMyCommands"]
    languages = {call.params.get("language_code") for call in calls}
    assert languages == {None, *available_languages()}
    german = next(
        call
        for call in calls
        if call.params.get("language_code") == "de"
        and call.params["scope"]["type"] == "all_private_chats"
    )
    names = [command["command"] for command in german.params["commands"]]
    assert names == [
        command.name for command in COMMANDS if command.in_menu and not command.groups_only
    ]
    english = next(
        call
        for call in calls
        if call.params.get("language_code") is None
        and call.params["scope"]["type"] == "all_private_chats"
    )
    first = german.params["commands"][0]["description"]
    assert first != english.params["commands"][0]["description"]
