"""A broadcast wake-up used by long-polls and test waiters instead of sleep loops."""

import asyncio
from collections.abc import Callable


class Signal:
    """Wakes every waiter when something changed; waiters re-check their own predicate.

    `notify` is synchronous so plain (non-async) code such as `push_message` can call it.
    Must only be used from the event loop thread.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake all current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float | None) -> bool:
        """Wait until `predicate()` is true; return False if `timeout` seconds pass first."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not predicate():
            event = self._event
            if deadline is None:
                await event.wait()
                continue
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                async with asyncio.timeout(remaining):
                    await event.wait()
            except TimeoutError:
                return predicate()
        return True
