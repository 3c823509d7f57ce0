"""Every inline button's data, declared once: what it holds, how it is written, how it is read.

A button's data is its prefix and its fields joined by ":" (`outcome:12:win`). Telegram hands
the data back as the member's client sends it, so it can be forged: each `Button` derives from
its model the pattern that `CallbackQueryHandler` checks the whole data against, and the one
typed reading of it, so a handler only ever sees data its own button could have written.
Data on messages already sent stays readable: the format of a button never changes silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Generic, Literal, TypeVar, get_args, get_origin

from telegram import CallbackQuery, InlineKeyboardButton, Update
from telegram.constants import InlineKeyboardButtonLimit
from telegram.ext import CallbackQueryHandler

from chatbot.bot.context import BotContext
from chatbot.engine.models import Frozen
from chatbot.evaluation.discipline import TradeResult
from chatbot.service.members import Member

SEPARATOR = ":"
# Check ids are SQLite rowids: positive, at most 19 digits; 18 keeps them within int64.
ID_SHAPE = r"[1-9]\d{0,17}"


@dataclass(frozen=True)
class Shape:
    """The regular expression one field's text must match, for fields whose type says too
    little (a free-form key)."""

    pattern: str


class ButtonData(Frozen):
    """The fields of one button's data, in the order they are written."""


D = TypeVar("D", bound=ButtonData)


def _shape(annotation: Any, metadata: list[Any]) -> str:
    """The pattern of one field: from its `Shape`, else its type (ids, flags, fixed words)."""
    shapes = [item.pattern for item in metadata if isinstance(item, Shape)]
    if shapes:
        return shapes[0]
    if get_origin(annotation) is Literal:
        return "|".join(re.escape(str(value)) for value in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "|".join(re.escape(str(member.value)) for member in annotation)
    if annotation is bool:
        return "[01]"
    if annotation is int:
        return ID_SHAPE
    raise TypeError(f"no data shape for a field of type {annotation!r}")


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


class Button(Generic[D]):
    """One kind of button: `prefix` names it, `model` says what its data holds."""

    def __init__(self, prefix: str, model: type[D]) -> None:
        self.prefix = prefix
        self.model = model
        self.fields = tuple(model.model_fields)
        parts = [re.escape(prefix)] + [
            f"(?:{_shape(field.annotation, field.metadata)})"
            for field in model.model_fields.values()
        ]
        # \Z, not $: a `$` would let "chart:12\n" through `re.match`, which PTB uses.
        self.pattern = "^" + re.escape(SEPARATOR).join(parts) + r"\Z"
        self._compiled = re.compile(self.pattern)

    def data(self, value: D) -> str:
        """The callback data for `value`, refused if it could not be read back."""
        text = SEPARATOR.join([self.prefix, *(_text(getattr(value, name)) for name in self.fields)])
        if not self._compiled.match(text):
            raise ValueError(f"{self.prefix} button data out of shape: {text!r}")
        if len(text.encode()) > InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
            raise ValueError(f"{self.prefix} button data longer than Telegram allows")
        return text

    def key(self, text: str, value: D) -> InlineKeyboardButton:
        """An inline button labelled `text` that sends `value` back when pressed."""
        return InlineKeyboardButton(text, callback_data=self.data(value))

    def parse(self, data: object) -> D | None:
        """The model the data holds, or None for anything this button could not have written."""
        if not isinstance(data, str) or not self._compiled.match(data):
            return None
        values = data.split(SEPARATOR)[1:]
        try:
            return self.model.model_validate(dict(zip(self.fields, values, strict=True)))
        except ValueError:
            return None


class CheckButton(ButtonData):
    check_id: int


class Explore(ButtonData):
    """Mark a check as just exploring (`exploring`), or count it again."""

    check_id: int
    exploring: bool


class OlderChecks(ButtonData):
    """The next page of /journal (or of `/journal all`): the checks before `before_id`."""

    before_id: int


class ForgetAnswer(ButtonData):
    answer: Literal["yes", "no"]


class RunExample(ButtonData):
    """Run a command's example, or a lesson's command, by its key."""

    key: Annotated[str, Shape(r"[\w-]{1,60}")]


class OutcomeOfCheck(ButtonData):
    """How a check's trade ended, from a reminder's buttons."""

    check_id: int
    result: TradeResult


EXPLORE = Button("explore", Explore)
CHART = Button("chart", CheckButton)
# The rest of a /size reply, added to the message itself.
DETAILS = Button("details", CheckButton)
OLDER = Button("journal", OlderChecks)
OLDER_ALL = Button("journalall", OlderChecks)
FORGET = Button("forget", ForgetAnswer)
RUN = Button("run", RunExample)
OUTCOME = Button("outcome", OutcomeOfCheck)


ButtonCallback = Callable[[CallbackQuery, BotContext, Member, D], Coroutine[Any, Any, None]]


def pressed(
    button: Button[D], handler: ButtonCallback[D]
) -> CallbackQueryHandler[BotContext, None]:
    """The PTB handler of `button`: only data matching its pattern reaches it, read once, with
    the member who pressed; anything else stops the spinner and does nothing."""

    async def callback(update: Update, context: BotContext) -> None:
        query = update.callback_query
        if query is None:
            return
        data = button.parse(query.data)
        member = await context.member(update)
        if data is None or member is None:
            await query.answer()
            return
        await handler(query, context, member, data)

    return CallbackQueryHandler(callback, pattern=button.pattern)
