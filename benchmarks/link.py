"""A TCP relay that delays every byte by a fixed time each way: the distance to Telegram.

On loopback a request costs a fraction of a millisecond, so a bot that waits for each answer
before it reads the next update looks fast; over a real link every sendMessage waits a full
round trip. The relay keeps bytes flowing at full speed (each chunk is only held until its
due time), so it adds distance, not a bandwidth limit.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

HOST = "127.0.0.1"
CHUNK = 65536


class Link:
    """`async with Link(port, one_way=0.025) as link:` then connect to `link.url`."""

    def __init__(self, target_port: int, one_way: float) -> None:
        self._target_port = target_port
        self._one_way = one_way
        self._server: asyncio.Server | None = None
        self._relays: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._accept, HOST, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for relay in self._relays:
            relay.cancel()
        await asyncio.gather(*self._relays, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        relay = asyncio.current_task()
        assert relay is not None
        self._relays.add(relay)
        try:
            up_reader, up_writer = await asyncio.open_connection(HOST, self._target_port)
            await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))
        except (ConnectionError, asyncio.IncompleteReadError):
            writer.close()
        except asyncio.CancelledError:
            # The link closes with bytes still in flight: drop them. Not re-raised, because
            # asyncio's stream server would log a cancelled connection task as an error.
            writer.close()
        finally:
            self._relays.discard(relay)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Read as fast as bytes come, write each chunk once its delay has passed."""
        loop = asyncio.get_running_loop()
        due: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                at, data = await due.get()
                await asyncio.sleep(max(0.0, at - loop.time()))
                if not data:
                    break
                writer.write(data)
                await writer.drain()
            writer.close()

        delivery = asyncio.create_task(deliver())
        while True:
            data = await reader.read(CHUNK)
            due.put_nowait((loop.time() + self._one_way, data))
            if not data:
                break
        await delivery
