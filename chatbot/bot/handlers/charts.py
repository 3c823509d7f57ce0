"""Charts as photos: the price ladder behind a /size reply's button, the risk chart of /stats."""

from __future__ import annotations

from telegram import CallbackQuery, InputFile, MaybeInaccessibleMessage

from chatbot.bot.buttons import CheckButton
from chatbot.bot.context import BotContext
from chatbot.bot.replying import visible
from chatbot.service import charts
from chatbot.service.charts import Picture
from chatbot.service.members import Member


async def send_picture(
    context: BotContext,
    member: Member,
    target: MaybeInaccessibleMessage | None,
    picture: Picture,
    *,
    quote: bool,
) -> None:
    """Reply with the picture where the update came from (PTB keeps the forum topic); a message
    too old for the bot to see gets the picture in the chat instead."""
    photo = InputFile(picture.png, filename="chart.png")
    message = visible(target)
    if message is not None:
        await message.reply_photo(photo, caption=picture.caption, do_quote=quote)
        return
    await context.bot.send_photo(member.chat_id, photo, caption=picture.caption)


async def on_chart(
    query: CallbackQuery, context: BotContext, member: Member, data: CheckButton
) -> None:
    """Send the price ladder of a check; only the member who ran it may ask (their figures)."""
    picture = await charts.price_ladder(context.db, member, data.check_id)
    if isinstance(picture, str):
        await query.answer(picture, show_alert=True)
        return
    await send_picture(context, member, query.message, picture, quote=True)
    await query.answer()
