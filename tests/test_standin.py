"""The Telegram stand-in server works with PTB's real HTTP stack (no mocks, loopback only)."""

import asyncio
import contextlib
import struct
import sys
import textwrap
import zlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import (
    Bot,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.standin import DEFAULT_USER_ID, FaultKind, StandIn, UploadedFile, command_entities
from tests.standin.botapi import STRING_PARAMS, decode_param

USER = DEFAULT_USER_ID
AnyApp = Application[Any, Any, Any, Any, Any, Any]


@pytest.fixture
async def api() -> AsyncIterator[StandIn]:
    async with StandIn() as server:
        yield server


@pytest.fixture
async def bot(api: StandIn) -> AsyncIterator[Bot]:
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client


@contextlib.asynccontextmanager
async def polling(app: AnyApp) -> AsyncIterator[AnyApp]:
    """Run `app` with long-polling for the duration of the block."""
    assert app.updater is not None
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


def png(width: int, height: int) -> bytes:
    """A valid RGB PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    rows = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# ------------------------------------------------------------------ PTB end-to-end


async def test_echo_command_through_polling_application() -> None:
    """A CommandHandler app polling the stand-in receives a pushed command and replies."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("echo: " + " ".join(context.args or []))

    async with StandIn() as api:
        app = (
            ApplicationBuilder()
            .token(api.token)
            .base_url(f"{api.url}/bot")
            .base_file_url(f"{api.url}/file/bot")
            .build()
        )
        app.add_handler(CommandHandler("echo", echo))
        async with polling(app):
            api.push_message("/echo hello world", user_id=42, first_name="Bob")
            (reply,) = await api.wait_for_messages(1, chat_id=42)

    assert reply.params["text"] == "echo: hello world"
    assert reply.result["from"]["username"] == "riskbot_test_bot"
    assert api.sent(chat_id=42) == [reply.params]


async def test_duplicate_delivery_via_push_raw(api: StandIn) -> None:
    """Re-pushing an update dict redelivers the same update_id to a running app."""
    seen: list[int] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)
        assert update.message is not None
        await update.message.reply_text("ok")

    app = api.application_builder().build()
    app.add_handler(CommandHandler("start", record))
    async with polling(app):
        update = api.push_message("/start")
        await api.wait_for_messages(1)
        api.push_raw(update)
        await api.wait_for_messages(2)

    assert seen == [update["update_id"], update["update_id"]]
    assert api.pending_updates == []


async def test_inline_button_press_answer_and_edit(api: StandIn) -> None:
    """A button press on the bot's keyboard can be answered and the message edited."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = [[InlineKeyboardButton("VaR", callback_data="var")]]
        assert update.message is not None
        await update.message.reply_text("Pick", reply_markup=InlineKeyboardMarkup(keyboard))

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("computing")
        await query.edit_message_text(f"chose {query.data}")

    app = api.application_builder().build()
    app.add_handlers([CommandHandler("start", start), CallbackQueryHandler(pressed)])
    async with polling(app):
        api.push_message("/start")
        (menu,) = await api.wait_for_messages(1)
        press = api.push_callback("var")
        await api.wait_for(lambda call: call.method == "editMessageText" and call.ok)

    assert press["callback_query"]["message"]["message_id"] == menu.result["message_id"]
    (answer,) = [c for c in api.calls if c.method == "answerCallbackQuery"]
    assert answer.params["callback_query_id"] == press["callback_query"]["id"]
    bot_message = api.history(USER)[-1]
    assert bot_message["text"] == "chose var"
    assert "reply_markup" not in bot_message  # editing without markup drops the keyboard


async def test_topic_reply_in_supergroup(api: StandIn, bot: Bot) -> None:
    """Replies keep message_thread_id and carry reply_to_message when reply_parameters is set."""
    update = api.push_message(
        "/risk", chat_type="supergroup", message_thread_id=7, is_topic_message=True
    )
    (received,) = await bot.get_updates()
    assert received.message is not None
    sent = await received.message.reply_text("VaR 1.2%", do_quote=True)

    assert received.message.is_topic_message
    assert sent.message_thread_id == 7
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.message_id == update["message"]["message_id"]
    assert sent.chat.type == "supergroup"


async def test_subprocess_bot_uses_standin(api: StandIn) -> None:
    """A bot in another process reaches the stand-in over real HTTP."""
    script = textwrap.dedent(
        """
        import asyncio, sys
        from telegram import Bot

        async def main():
            async with Bot(sys.argv[1], base_url=sys.argv[2]) as bot:
                await bot.send_message(int(sys.argv[3]), "hello from a subprocess")

        asyncio.run(main())
        """
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, api.token, api.base_url, str(USER)
    )
    (call,) = await api.wait_for_messages(1, chat_id=USER)
    assert await proc.wait() == 0
    assert call.params["text"] == "hello from a subprocess"


# ----------------------------------------------------------------------- files


async def test_send_document_upload_round_trip(api: StandIn, bot: Bot) -> None:
    """An uploaded document keeps its bytes and name and can be downloaded back via getFile."""
    content = b"ticker,weight\nAAPL,0.6\nMSFT,0.4\n"
    message = await bot.send_document(USER, content, filename="portfolio.csv", caption="report")

    (params,) = api.sent(USER)
    upload = params["document"]
    assert isinstance(upload, UploadedFile)
    assert (upload.filename, upload.content) == ("portfolio.csv", content)
    assert params["caption"] == "report"
    assert message.document is not None
    assert message.document.file_name == "portfolio.csv"
    assert message.document.file_size == len(content)

    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == content


async def test_send_photo_reports_png_size(api: StandIn, bot: Bot) -> None:
    """A PNG upload is stored and the returned PhotoSize has the image's dimensions."""
    message = await bot.send_photo(USER, png(3, 2), filename="chart.png")

    assert api.sent()[0]["photo"].filename == "chart.png"
    assert (message.photo[0].width, message.photo[0].height) == (3, 2)


async def test_user_uploaded_file_can_be_downloaded(api: StandIn, bot: Bot) -> None:
    """add_file + push_message(document=...) lets the bot fetch a user's upload."""
    api.push_message(None, document=api.add_file(b"a,b\n", "positions.csv", "text/csv"))
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.document is not None

    file = await update.message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"a,b\n"


# ---------------------------------------------------------------------- faults


async def test_429_raises_retry_after(api: StandIn, bot: Bot) -> None:
    """An injected 429 surfaces as RetryAfter; the next call goes through."""
    api.fail_next("sendMessage", "429", retry_after=3)
    with pytest.raises(RetryAfter, match="Retry in 3 seconds"):
        await bot.send_message(USER, "first")
    await bot.send_message(USER, "second")

    assert [p["text"] for p in api.sent()] == ["second"]
    assert [c.fault for c in api.calls if c.method == "sendMessage"] == ["429", None]


async def test_429_with_zero_retry_after_is_network_error(api: StandIn, bot: Bot) -> None:
    """retry_after=0 is allowed, but PTB then raises NetworkError instead of RetryAfter."""
    api.fail_next("sendMessage", "429", retry_after=0)
    with pytest.raises(NetworkError, match="retry after 0"):
        await bot.send_message(USER, "x")


@pytest.mark.parametrize("kind", ["500", "drop"])
async def test_server_error_and_drop_raise_network_error(
    api: StandIn, bot: Bot, kind: FaultKind
) -> None:
    """A 500 or a dropped connection is a NetworkError, and nothing was sent."""
    api.fail_next("sendMessage", kind)
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "x")
    assert api.sent() == []


async def test_drop_after_acts_but_loses_the_answer(api: StandIn, bot: Bot) -> None:
    """drop_after delivers the message yet the bot sees a NetworkError (retry duplicates)."""
    api.fail_next("sendMessage", "drop_after")
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "x")
    assert [p["text"] for p in api.sent()] == ["x"]


async def test_hang_makes_client_time_out(api: StandIn, bot: Bot) -> None:
    """A hanging call ends in PTB's TimedOut after the client's read timeout."""
    api.fail_next("sendMessage", "hang")
    with pytest.raises(TimedOut):
        await bot.send_message(USER, "x", read_timeout=0.1)


async def test_fault_limited_to_one_chat(api: StandIn, bot: Bot) -> None:
    """A chat-scoped 403 hits only that chat (a user who blocked the bot)."""
    api.fail_next("sendMessage", "403", count=5, chat_id=2)
    await bot.send_message(1, "a")
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(2, "b")
    await bot.send_message(3, "c")
    assert [p["chat_id"] for p in api.sent()] == [1, 3]


async def test_outage_and_recovery(api: StandIn, bot: Bot) -> None:
    """stop()/start() simulates an outage: calls fail meanwhile, then work on the same URL."""
    url = api.url
    await api.stop()
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "during outage")
    await api.start()
    await bot.send_message(USER, "after outage")
    assert api.url == url
    assert [p["text"] for p in api.sent()] == ["after outage"]


async def test_wrong_token_is_unauthorized(api: StandIn) -> None:
    """A bot with another token gets 401, which PTB reports as InvalidToken."""
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=api.base_url):
            pass
    assert [(c.method, c.error) for c in api.calls] == [("getMe", "Unauthorized")]


async def test_unknown_method_is_404(api: StandIn, bot: Bot) -> None:
    """Unknown methods answer Telegram's 404 body; PTB raises EndPointNotFound."""
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("getRiskReport")
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{api.base_url}{api.token}/getRiskReport")
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }


# ------------------------------------------------------------------ getUpdates


async def test_long_poll_answers_as_soon_as_an_update_arrives(api: StandIn, bot: Bot) -> None:
    """getUpdates(timeout=3600) returns with a pushed update instead of waiting out the hour.

    The guard only turns a poll that waits out its timeout into a failure, not an hour's hang.
    """
    poll = asyncio.create_task(bot.get_updates(timeout=3600, read_timeout=3700))
    await api.wait_for("getUpdates")
    api.push_message("hello")
    async with asyncio.timeout(60):
        (update,) = await poll
    assert update.message is not None
    assert update.message.text == "hello"


async def test_get_updates_honours_offset_and_limit(api: StandIn, bot: Bot) -> None:
    """limit caps a batch; offset confirms earlier updates so they are not sent again."""
    ids = [api.push_message(str(n))["update_id"] for n in range(3)]

    first = await bot.get_updates(limit=2)
    again = await bot.get_updates(limit=2)
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    empty = await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0)

    assert [u.update_id for u in first] == ids[:2] == [u.update_id for u in again]
    assert [u.update_id for u in rest] == ids[2:]
    assert empty == ()
    assert ids == sorted(ids) and len(set(ids)) == 3


async def test_second_poller_conflicts(api: StandIn, bot: Bot) -> None:
    """A newer getUpdates terminates a waiting one with 409, like a second bot instance."""
    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await api.wait_for("getUpdates")
    async with Bot(api.token, base_url=api.base_url) as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await waiting


async def test_webhook_blocks_polling_and_can_drop_updates(api: StandIn, bot: Bot) -> None:
    """With a webhook set getUpdates conflicts; deleteWebhook can drop pending updates."""
    api.push_message("old")
    await bot.set_webhook("https://example.invalid/hook")
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://example.invalid/hook", 1)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()

    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == ()


async def test_update_kinds_reach_ptb(api: StandIn, bot: Bot) -> None:
    """Edited messages, channel posts and inline queries de-json in PTB."""
    api.push_message("draft")
    api.push_edited_message("final")
    api.push_channel_post("/report")
    api.push_inline_query("var 99")

    edited, post, inline = (await bot.get_updates())[1:]
    assert edited.edited_message and post.channel_post and inline.inline_query
    assert post.channel_post.sender_chat and post.channel_post.entities
    assert edited.edited_message.text == "final"
    assert edited.edited_message.message_id == 1
    assert post.channel_post.sender_chat.type == "channel"
    assert post.channel_post.entities[0].type == "bot_command"
    assert inline.inline_query.query == "var 99"
    await inline.inline_query.answer(
        [InlineQueryResultArticle("1", "VaR", InputTextMessageContent("VaR is 1.2%"))]
    )
    assert api.calls[-1].method == "answerInlineQuery"


async def test_chat_member_updates_need_allowed_updates(api: StandIn) -> None:
    """Like Telegram, chat_member updates are only delivered when explicitly allowed."""
    url = f"{api.base_url}{api.token}/getUpdates"
    async with httpx.AsyncClient() as client:
        api.push_raw({"chat_member": {"chat": {"id": -1}}})
        assert (await client.get(url)).json() == {"ok": True, "result": []}
        api.push_raw({"chat_member": {"chat": {"id": -1}}})
        body = (await client.post(url, json={"allowed_updates": ["chat_member"]})).json()
    assert [list(u) for u in body["result"]] == [["chat_member", "update_id"]]


# --------------------------------------------------------------- other methods


async def test_message_ids_increase_per_chat(api: StandIn, bot: Bot) -> None:
    """message_id counts per chat and is shared between user and bot messages."""
    api.push_message("hi", user_id=1)
    ids = [(await bot.send_message(chat, "x")).message_id for chat in (1, 2, 1, 2)]
    assert ids == [2, 1, 3, 2]


async def test_edit_and_delete_errors_match_telegram(api: StandIn, bot: Bot) -> None:
    """Unchanged edits, missing messages and bad callback_data fail with Telegram's wording."""
    message = await bot.send_message(USER, "VaR 1%")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await message.edit_text("VaR 1%")
    edited = await message.edit_text("VaR 2%")
    assert isinstance(edited, Message) and edited.text == "VaR 2%"
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=99)
    assert await message.delete()
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await message.delete()
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER, " ")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "x" * 4097)
    button = InlineKeyboardButton("x", callback_data="x" * 65)
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "x", reply_markup=InlineKeyboardMarkup([[button]]))


async def test_edit_reply_markup(api: StandIn, bot: Bot) -> None:
    """editMessageReplyMarkup swaps the keyboard and returns the updated message."""
    first = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]])
    second = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="b")]])
    message = await bot.send_message(USER, "pick", reply_markup=first)
    edited = await message.edit_reply_markup(second)
    assert isinstance(edited, Message) and edited.reply_markup == second
    assert api.history(USER)[0]["reply_markup"] == second.to_dict()


async def test_commands_and_menu_button(api: StandIn, bot: Bot) -> None:
    """Commands are stored per scope/language; invalid names are rejected."""
    await bot.set_my_commands([("risk", "Portfolio risk")])
    await bot.set_my_commands([("risiko", "Risiko")], language_code="de")
    assert [c.command for c in await bot.get_my_commands()] == ["risk"]
    assert [c.command for c in await bot.get_my_commands(language_code="de")] == ["risiko"]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Risk", "capitalised")])

    await bot.set_chat_menu_button()
    assert api.calls[-1].method == "setChatMenuButton"
    assert (await bot.get_chat_menu_button()).type == "default"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        ("creator", ChatMemberOwner),
        ("administrator", ChatMemberAdministrator),
        ("member", ChatMemberMember),
        ("restricted", ChatMemberRestricted),
        ("left", ChatMemberLeft),
        ("kicked", ChatMemberBanned),
    ],
)
async def test_get_chat_member_statuses(api: StandIn, bot: Bot, status: str, cls: type) -> None:
    """Configured statuses come back as the matching PTB ChatMember subclass."""
    api.push_message("hi", chat_type="group", user_id=5, first_name="Eve")
    api.chat_members[(-4001, 5)] = status
    member = await bot.get_chat_member(-4001, 5)
    assert isinstance(member, cls)
    assert member.user.first_name == "Eve"
    assert isinstance(await bot.get_chat_member(-4001, 6), ChatMemberMember)


async def test_get_chat(api: StandIn, bot: Bot) -> None:
    """getChat returns a ChatFullInfo PTB can parse, using what pushes told the server."""
    api.push_message("hi", chat_type="supergroup", chat_id=-1005)
    chat = await bot.get_chat(-1005)
    assert (chat.type, chat.title) == ("supergroup", "Test group")


async def test_raw_http_json_body_and_get(api: StandIn) -> None:
    """JSON bodies and GET query strings work too, and string params stay strings."""
    base = f"{api.base_url}{api.token}"
    async with httpx.AsyncClient() as client:
        me = (await client.get(f"{base}/getMe")).json()
        sent = await client.post(f"{base}/sendMessage", json={"chat_id": 7, "text": "42"})
        by_query = await client.get(f"{base}/sendMessage", params={"chat_id": 7, "text": "true"})
    assert me["result"]["username"] == "riskbot_test_bot"
    assert sent.json()["result"]["text"] == "42"
    assert by_query.json()["result"]["text"] == "true"
    assert [p["text"] for p in api.sent(7)] == ["42", "true"]


@pytest.mark.parametrize("text", ["42", "true", "null", '{"a": 1}', "[1]", "-1.5e3"])
async def test_json_like_text_arrives_unchanged(api: StandIn, bot: Bot, text: str) -> None:
    """Texts that look like JSON are not decoded (PTB sends str params raw)."""
    message = await bot.send_message(USER, text)
    assert api.sent()[0]["text"] == text == message.text


async def test_wait_for_timeout_lists_received_calls(api: StandIn, bot: Bot) -> None:
    """A timed-out wait fails with an AssertionError that shows what the bot did send."""
    await bot.send_message(USER, "only this")
    with pytest.raises(AssertionError, match=r"(?s)got 1\..*sendMessage\(.*'only this'"):
        await api.wait_for_messages(2, timeout=0.05)


# ------------------------------------------------------------------------ pure


@settings(max_examples=50)
@given(st.text())
def test_string_params_are_never_decoded(text: str) -> None:
    """Any value of a string-typed parameter is kept verbatim."""
    assert all(decode_param(name, text) == text for name in STRING_PARAMS)


@given(st.integers() | st.booleans() | st.lists(st.integers()))
def test_json_params_are_decoded(value: object) -> None:
    """Non-string parameters arrive JSON-encoded and are decoded."""
    import json

    assert decode_param("chat_id", json.dumps(value)) == value


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("/start", 6),
        ("/start@riskbot_test_bot now", 23),
        ("/var_99 1d", 7),
        ("hello /start", None),
        ("/", None),
    ],
)
def test_command_entities(text: str, length: int | None) -> None:
    """A bot_command entity is added only for a leading /command (incl. @botname)."""
    expected = [] if length is None else [{"type": "bot_command", "offset": 0, "length": length}]
    assert command_entities(text) == expected


@pytest.mark.parametrize(
    "text", ["<b>open", "a < b", "R&D", "<br>", "<i><b>x</i></b>", "&nbsp;", "<span>x</span>"]
)
async def test_html_that_telegram_cannot_parse_is_refused(
    api: StandIn, bot: Bot, text: str
) -> None:
    """Telegram refuses a whole message whose HTML does not parse; so does the stand-in."""
    with pytest.raises(BadRequest, match="parse entities"):
        await bot.send_message(USER, text, parse_mode="HTML")
    await bot.send_message(USER, text)  # the same text without a parse mode is plain text
    await bot.send_message(USER, "<b>R&amp;D</b> &lt;x&gt; &#x27;", parse_mode="HTML")
    assert len(api.sent()) == 2


async def test_an_outage_lasts_until_cleared(api: StandIn, bot: Bot) -> None:
    """`count=None` fails every call of the method until `clear_faults`; others still work."""
    api.fail_next("sendMessage", "502", count=None)
    for _ in range(3):
        with pytest.raises(NetworkError):
            await bot.send_message(USER, "lost")
    await bot.get_me()
    api.clear_faults()
    await bot.send_message(USER, "back")
    assert [params["text"] for params in api.sent()] == ["back"]
