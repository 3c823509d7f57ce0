"""The stand-in Bot API server of the tests, also timing every answer against its message.

An answer in a private chat does not name the message it answers, so each chat's answers are
matched to that chat's messages first in, first out; the floods give every member at most a
few messages in flight, one after another.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque

from tests.standin import Call, StandIn


class Meter(StandIn):
    """`send` pushes a member's message; `expect` + `reached` wait for a phase's answers."""

    def __init__(self) -> None:
        super().__init__()
        self._sent_at: defaultdict[int, deque[float]] = defaultdict(deque)
        self.latencies: list[float] = []
        self.first_sent_at = 0.0
        self.last_answer_at = 0.0
        self._goal = 0
        self._reached = asyncio.Event()

    def send(self, text: str, member: int) -> None:
        """A private message from `member`, timed from just before it is queued."""
        self._sent_at[member].append(time.monotonic())
        self.push_message(text, user_id=member, first_name=f"m{member}")

    def expect(self, count: int) -> None:
        """Start a phase: forget earlier samples, then `reached` waits for `count` answers."""
        self.latencies = []
        self.first_sent_at = time.monotonic()
        self._goal = count
        self._reached = asyncio.Event()

    async def reached(self, timeout: float) -> None:
        """Wait until the phase's answers all arrived; TimeoutError names how many did."""
        try:
            async with asyncio.timeout(timeout):
                await self._reached.wait()
        except TimeoutError:
            got = len(self.latencies)
            raise TimeoutError(f"{got} of {self._goal} answers after {timeout:.0f} s") from None

    def _record(self, call: Call) -> None:
        """The stand-in's single point where every handled request passes (see server.py)."""
        super()._record(call)
        if call.method != "sendMessage" or not call.ok:
            return
        sent = self._sent_at[call.params["chat_id"]].popleft()
        self.latencies.append(call.at - sent)
        self.last_answer_at = call.at
        if len(self.latencies) >= self._goal:
            self._reached.set()
