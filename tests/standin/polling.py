"""The pending-update queue behind getUpdates, with Telegram's long-poll semantics."""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._signal import Signal

JSON = dict[str, Any]

FIRST_UPDATE_ID = 1000
MAX_LIMIT = 100
# What Telegram delivers until a client asks otherwise via `allowed_updates`.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class _Pending:
    update: JSON
    delivered: bool = False


def update_type(update: JSON) -> str:
    """The update's kind, e.g. "message" or "callback_query"."""
    return next((key for key in update if key != "update_id"), "")


class UpdateQueue:
    """Updates waiting for the bot, confirmed by the `offset` of the next getUpdates.

    Deviation from Telegram, on purpose: an update that was never delivered is delivered even if
    its update_id is below the confirmed offset. That is how `push_raw(old_update)` simulates
    Telegram redelivering an update (e.g. after a crash before confirmation).
    """

    def __init__(self, first_update_id: int = FIRST_UPDATE_ID) -> None:
        self._pending: list[_Pending] = []
        self._next_id = first_update_id
        self._allowed: frozenset[str] | None = None  # None = Telegram's default set
        self._active_poll: object | None = None
        self._closed = False
        self._signal = Signal()

    @property
    def pending(self) -> list[JSON]:
        """Copies of the updates not yet confirmed by the bot."""
        return [copy.deepcopy(entry.update) for entry in self._pending]

    def push(self, update: JSON) -> JSON:
        """Queue `update`, assigning the next update_id (in place) if it has none."""
        if "update_id" not in update:
            update["update_id"] = self._next_id
        self._next_id = max(self._next_id, update["update_id"] + 1)
        self._pending.append(_Pending(copy.deepcopy(update)))
        self._signal.notify()
        return update

    def set_allowed(self, allowed_updates: list[str]) -> None:
        """Remember `allowed_updates` like Telegram does; an empty list restores the default."""
        self._allowed = frozenset(allowed_updates) or None

    def drop_pending(self) -> None:
        """Forget all queued updates (deleteWebhook/setWebhook with drop_pending_updates)."""
        self._pending.clear()

    def wake(self) -> None:
        """Make waiting polls re-check their state (e.g. after a client disconnected)."""
        self._signal.notify()

    def close(self) -> None:
        """End all long polls with an empty result; used on server shutdown."""
        self._closed = True
        self._signal.notify()

    def reopen(self) -> None:
        """Serve polls again after `close` (server restarted); pending updates are kept."""
        self._closed = False

    async def poll(
        self,
        *,
        offset: int,
        limit: int,
        timeout: float,
        allowed_updates: list[str] | None,
        is_gone: Callable[[], bool],
    ) -> list[JSON] | None:
        """Answer one getUpdates; returns None if a newer getUpdates superseded this one."""
        if allowed_updates is not None:
            self.set_allowed(allowed_updates)
        self._confirm(offset)
        me = object()
        self._active_poll = me
        self._signal.notify()  # an older poll still waiting must now answer 409

        def ready() -> bool:
            self._prune_disallowed()
            return self._closed or is_gone() or self._active_poll is not me or bool(self._pending)

        await self._signal.wait_until(ready, max(timeout, 0.0))
        if self._active_poll is not me:
            return None
        self._active_poll = None
        if self._closed or is_gone():
            return []
        batch = self._pending[: max(1, min(limit, MAX_LIMIT))]
        for entry in batch:
            entry.delivered = True
        return [copy.deepcopy(entry.update) for entry in batch]

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset > 0:
            self._pending = [
                entry
                for entry in self._pending
                if not (entry.delivered and entry.update["update_id"] < offset)
            ]

    def _prune_disallowed(self) -> None:
        """Telegram never stores updates of kinds the bot did not ask for."""

        def allowed(entry: _Pending) -> bool:
            kind = update_type(entry.update)
            if self._allowed is None:
                return kind not in DEFAULT_EXCLUDED_UPDATES
            return kind in self._allowed

        self._pending = [entry for entry in self._pending if allowed(entry)]
