"""The database's turns: one holder at a time, urgent waiters first, cancellation safe."""

from __future__ import annotations

import asyncio

import pytest

from chatbot.storage.turns import Turns


async def _take(turns: Turns, name: str, order: list[str], urgent: bool = False) -> None:
    async with turns.turn(urgent=urgent):
        order.append(name)


async def test_an_urgent_turn_goes_before_ordinary_ones_that_waited_longer() -> None:
    """While one holds the turn, three ordinary waiters queue, then an urgent one: it is next."""
    turns, order = Turns(), []
    async with turns.turn():
        waiting = [asyncio.create_task(_take(turns, f"ordinary {n}", order)) for n in range(3)]
        await asyncio.sleep(0)  # let them queue (an ordering step, not a wait for time)
        waiting.append(asyncio.create_task(_take(turns, "urgent", order, urgent=True)))
        await asyncio.sleep(0)
    await asyncio.gather(*waiting)
    assert order == ["urgent", "ordinary 0", "ordinary 1", "ordinary 2"]


async def test_a_cancelled_waiter_does_not_keep_the_turn() -> None:
    """A waiter cancelled while queued leaves the queue; the turn goes to the next."""
    turns, order = Turns(), []
    async with turns.turn():
        gone = asyncio.create_task(_take(turns, "gone", order))
        after = asyncio.create_task(_take(turns, "after", order))
        await asyncio.sleep(0)
        gone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gone
    await after
    assert order == ["after"]
    async with turns.turn():  # free again
        order.append("last")
    assert order == ["after", "last"]


async def test_a_waiter_cancelled_as_it_is_handed_the_turn_passes_it_on() -> None:
    """The holder hands the turn over, and the new holder is cancelled before it runs."""
    turns, order = Turns(), []
    async with turns.turn():
        gone = asyncio.create_task(_take(turns, "gone", order))
        after = asyncio.create_task(_take(turns, "after", order))
        await asyncio.sleep(0)
    gone.cancel()  # the turn is already handed to it
    with pytest.raises(asyncio.CancelledError):
        await gone
    await after
    assert order == ["after"]
