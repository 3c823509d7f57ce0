"""A bare HTTP/1.1 server for the transport tests: it keeps every request as it arrived and
answers `{}`, or hangs up after each answer, or never answers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


@dataclass
class Served:
    """The server's URL, its "connected", "answered" and "closed" events in order, and each
    request's head and body as received."""

    url: str
    events: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    requests: list[tuple[bytes, bytes]] = field(default_factory=list)

    async def next_events(self, count: int) -> list[str]:
        return [await self.events.get() for _ in range(count)]


@asynccontextmanager
async def http_server(hang_up: bool = False, silent: bool = False) -> AsyncIterator[Served]:
    """With `hang_up` the server closes each connection after its answer, as servers do with
    idle keep-alive connections, without saying so; `silent`, it never answers. On leaving, it
    closes the connections still open and waits until each one's handler is done."""
    served = Served(url="")
    handlers: dict[asyncio.Task[None], asyncio.StreamWriter] = {}

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers[task] = writer
        served.events.put_nowait("connected")
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                served.requests.append((head, await reader.readexactly(_length(head))))
                if silent:
                    await reader.read()
                    break
                writer.write(ANSWER)
                await writer.drain()
                served.events.put_nowait("answered")
                if hang_up:
                    break
        except asyncio.IncompleteReadError:
            pass  # the client closed the connection
        writer.close()
        await writer.wait_closed()
        served.events.put_nowait("closed")

    listening = await asyncio.start_server(serve, "127.0.0.1", 0)
    served.url = f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}/bot123:ABC/"
    async with listening:
        yield served
    for writer in handlers.values():
        writer.close()
    await asyncio.gather(*handlers)


def _length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0
