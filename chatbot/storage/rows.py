"""What the storage hands out and takes in: frozen models, never sqlite rows.

Amounts are `Decimal` here and TEXT on disk, so a stored 0.0125 reads back as exactly 0.0125
(and 1000.10 keeps its trailing zero). Timestamps are timezone-aware UTC. The log's own models
(checks, outcomes, reminders) are `chatbot.evaluation.log`'s, shared with the renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, SerializerFunctionWrapHandler, model_serializer, model_validator

from chatbot.engine.models import Frozen
from chatbot.evaluation.defaults import Preferences, Profile
from chatbot.evaluation.log import JournalRow
from chatbot.language.requests import RiskSpec, Schedule


class Flattened(BaseModel):
    """A model whose nested parts sit in prefixed columns: `risk` is `risk_fraction` and
    `risk_amount` on disk. Rows are read into the nested model and dumped back into columns,
    both by pydantic, so no column is ever copied by hand."""

    NESTED: ClassVar[Mapping[str, tuple[str, type[BaseModel]]]] = {}

    @model_validator(mode="before")
    @classmethod
    def _from_columns(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        data = dict(data)
        for name, (prefix, model) in cls.NESTED.items():
            columns = [prefix + part for part in model.model_fields]
            if not any(column in data for column in columns):
                continue
            parts = {column.removeprefix(prefix): data.pop(column, None) for column in columns}
            data.setdefault(name, parts if _complete(model, parts) else None)
        return data

    @model_serializer(mode="wrap")
    def _to_columns(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name, (prefix, model) in self.NESTED.items():
            if name in data:
                parts = data.pop(name) or {}
                data |= {prefix + part: parts.get(part) for part in model.model_fields}
        return data


def _complete(model: type[BaseModel], parts: Mapping[str, object]) -> bool:
    """Whether stored parts make a whole model: some set, and every required one."""
    required = [name for name, field in model.model_fields.items() if field.is_required()]
    return any(value is not None for value in parts.values()) and all(
        parts[name] is not None for name in required
    )


class MemberRow(Frozen):
    user_id: int
    first_name: str | None
    username: str | None
    language_code: str | None
    created_at: datetime


class MemberSettings(Preferences, Flattened):
    """A member's saved defaults, the member's layer of defaults as it is; None = "not set"."""

    NESTED = {"risk": ("risk_", RiskSpec)}

    user_id: int
    updated_at: datetime


class GroupPolicy(Profile, Flattened):
    """A community's limits, language and lessons, set by its admins with /policy: the group's
    layer of defaults as it is (only the limits are stored; the rest stays "not set").

    `lessons` is None when the community has none; `lessons_paused` when the bot could not post.
    """

    NESTED = {"lessons": ("lesson_", Schedule)}

    chat_id: int
    title: str | None = None
    lang: str | None = None
    lesson_target: str | None = None
    lessons: Schedule | None = None
    next_lesson: int = 0
    lessons_paused: bool = False
    updated_at: datetime


class MemberExport(Frozen):
    """Everything stored about one member, for /export."""

    member: MemberRow | None
    settings: MemberSettings | None
    checks: tuple[JournalRow, ...]


class LateAnswer(Frozen):
    """An answer Telegram could not take when it was due, kept until it is delivered: where it
    goes (the chat, the question it answers, its forum topic), in which language the member is
    told it is late, and the answer itself with its buttons as Telegram's JSON."""

    check_id: int
    user_id: int
    chat_id: int
    message_id: int
    thread_id: int | None
    lang: str
    text: str
    markup_json: str | None
    queued_at: datetime
