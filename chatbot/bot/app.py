"""The python-telegram-bot Application: handlers from the registry, storage opened at start-up."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import (
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    JobQueue,
    MessageHandler,
    TypeHandler,
    filters,
)

from chatbot.bot import alerts, late
from chatbot.bot.alerts import alert, tell_operators
from chatbot.bot.buttons import (
    CHART,
    DETAILS,
    EXPLORE,
    FORGET,
    OLDER,
    OLDER_ALL,
    OUTCOME,
    RUN,
    pressed,
)
from chatbot.bot.config import Settings
from chatbot.bot.context import DB_KEY, PRICES_KEY, BotApp, BotContext
from chatbot.bot.handlers.charts import on_chart
from chatbot.bot.handlers.checks import on_calculation, on_details, on_exploring
from chatbot.bot.handlers.inline import on_inline
from chatbot.bot.handlers.journal import on_journal_all_page, on_journal_page
from chatbot.bot.handlers.lessons import send_lesson
from chatbot.bot.handlers.privacy import on_forget_answer
from chatbot.bot.handlers.reminders import on_outcome_button, send_reminder
from chatbot.bot.handlers.start import on_plain_text, on_run_example, on_unknown_command
from chatbot.bot.late import TICK, deliver_owed
from chatbot.bot.market_jobs import install_stored, schedule_refresh
from chatbot.bot.polling import ConfirmWhenProcessed
from chatbot.bot.registry import COMMANDS, deep_links, guarded, help_entries, menu
from chatbot.bot.schedules import restore
from chatbot.bot.sending import BoundedRequest
from chatbot.bot.throttle import limit_private
from chatbot.language.parser import calculator_text_pattern
from chatbot.markets import catalog
from chatbot.markets.prices import MarkPrices
from chatbot.render.chat import render_failure
from chatbot.render.i18n import available_languages, resolve_language
from chatbot.storage import Database

log = logging.getLogger(__name__)

GC_KEY = "gc_threshold"
YOUNG_COLLECTION = 10_000

# New messages only: an edited message was answered when it was first sent.
NEW = filters.UpdateType.MESSAGE
PRIVATE = filters.ChatType.PRIVATE
CALCULATOR_TEXT = filters.Regex(calculator_text_pattern())


async def set_menus(application: BotApp) -> None:
    """The command menu in every catalog language, private and group scopes apart."""
    bot = application.bot
    for lang in (None, *available_languages()):
        code = resolve_language(lang)
        for scope, groups in (
            (BotCommandScopeAllPrivateChats(), False),
            (BotCommandScopeAllGroupChats(), True),
        ):
            await bot.set_my_commands(menu(code, groups=groups), scope=scope, language_code=lang)


def _post_init(settings: Settings) -> Callable[[BotApp], Coroutine[Any, Any, None]]:
    async def post_init(application: BotApp) -> None:
        """Open the log, install the market data it stores (refreshed every 24 hours by a
        child process), and only then take updates."""
        db = await Database.open(settings.db)
        application.bot_data[DB_KEY] = db
        application.bot_data[PRICES_KEY] = MarkPrices(settings)
        await install_stored(db, catalog.install)
        schedule_refresh(application, settings.db, catalog.install)
        await set_menus(application)
        await restore(application, db, send_reminder, send_lesson)
        schedule_deliveries(application)
        settle_heap(application)

    return post_init


def settle_heap(application: BotApp) -> None:
    """Leave what start-up built (libraries, catalogs, market tables) out of every later
    garbage collection, and collect the young generation every `YOUNG_COLLECTION` new objects
    instead of CPython's default of 700.

    Start-up's objects live as long as the bot, yet each full collection walked all of them
    again (214 ms in four, in a flood of 3,000; 18 ms frozen). Under a flood the young
    objects are mostly the 256 updates in hand, walked again at every young collection: 10,000
    answered a flood of 5,000 about 4% faster (three rounds). `_post_shutdown` undoes both, so
    a process that stops one bot and starts another frees the first."""
    application.bot_data[GC_KEY] = gc.get_threshold()
    # Frozen as it is, without collecting first: a collection then freed nothing measurable
    # (86.7 MiB after start-up either way) and cost a quarter of a second at each start.
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])


def schedule_deliveries(application: BotApp) -> None:
    """What Telegram would not take when it was due, tried again every `TICK` seconds: owed
    answers (also those a previous run left in the database) and the operators' alerts."""
    queue = application.job_queue
    assert queue is not None
    queue.run_repeating(deliver_owed, TICK, first=TICK, name=late.JOB_NAME)
    queue.run_repeating(tell_operators, TICK, first=TICK, name=alerts.JOB_NAME)


async def _post_shutdown(application: BotApp) -> None:
    gc.unfreeze()
    threshold: tuple[int, int, int] | None = application.bot_data.pop(GC_KEY, None)
    if threshold is not None:
        gc.set_threshold(*threshold)
    prices: MarkPrices | None = application.bot_data.pop(PRICES_KEY, None)
    if prices is not None:
        await prices.aclose()
    db: Database | None = application.bot_data.pop(DB_KEY, None)
    if db is not None:
        await db.close()


async def on_error(update: object, context: BotContext) -> None:
    """Log what failed (never the member's text), tell the member without details, and alert
    the operators with the update id and the kind of error only (`chatbot.bot.alerts`).

    It never fails itself: when Telegram is what fails, the apology is lost and the alert
    waits until Telegram is back.
    """
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update %s failed", update_id, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        user = update.effective_user
        lang = resolve_language(user.language_code if user else None)
        try:
            await update.effective_message.reply_text(render_failure(lang))
        except TelegramError as error:
            log.warning("could not apologise for update %s: %s", update_id, error)
    await alert(context, update_id, context.error)


async def on_stale_button(update: Update, context: BotContext) -> None:
    """A button whose data no handler knows (forged, or from an older version): stop the
    spinner and do nothing."""
    if update.callback_query is not None:
        await update.callback_query.answer()


def add_handlers(application: BotApp) -> None:
    # Before every handler: a member flooding a private chat or buttons is held.
    application.add_handler(TypeHandler(Update, limit_private), group=-1)
    for command in COMMANDS:
        names = [command.name, *command.aliases]
        application.add_handler(CommandHandler(names, guarded(command), filters=NEW))
    # Each button's pattern checks its data whole, so forged data never reaches a handler.
    application.add_handlers(
        [
            pressed(EXPLORE, on_exploring),
            pressed(CHART, on_chart),
            pressed(DETAILS, on_details),
            pressed(OLDER, on_journal_page),
            pressed(OLDER_ALL, on_journal_all_page),
            pressed(FORGET, on_forget_answer),
            pressed(RUN, on_run_example),
            pressed(OUTCOME, on_outcome_button),
        ]
    )
    application.add_handler(CallbackQueryHandler(on_stale_button))
    application.add_handler(InlineQueryHandler(on_inline))
    application.add_handler(
        MessageHandler(NEW & PRIVATE & filters.TEXT & CALCULATOR_TEXT, on_calculation)
    )
    application.add_handler(MessageHandler(NEW & PRIVATE & filters.COMMAND, on_unknown_command))
    application.add_handler(MessageHandler(NEW & PRIVATE & filters.TEXT, on_plain_text))
    application.add_error_handler(on_error)
    application.bot_data["help"] = help_entries()
    application.bot_data["deep_links"] = deep_links()


def build_application(
    settings: Settings, *, rate_limiter: BaseRateLimiter[Any] | None = None
) -> BotApp:
    """The bot, ready for `run_polling`; tests pass a looser rate limiter for floods."""
    if rate_limiter is None and settings.rate_limit:
        rate_limiter = AIORateLimiter(max_retries=3)
    updates: asyncio.Queue[object] = asyncio.Queue()
    application = (
        ApplicationBuilder()
        .context_types(ContextTypes(context=BotContext))
        .job_queue(JobQueue[BotContext]())
        .token(settings.token.get_secret_value())
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(rate_limiter)  # type: ignore[arg-type]  # None = unpaced, benchmarks only
        .concurrent_updates(max(settings.concurrent_updates, 1))
        .update_queue(updates)
        .request(BoundedRequest())
        .get_updates_request(ConfirmWhenProcessed(updates))
        .post_init(_post_init(settings))
        .post_shutdown(_post_shutdown)
        .build()
    )
    add_handlers(application)
    application.bot_data["operators"] = settings.admin_ids
    return application
