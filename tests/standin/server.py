"""`StandIn`: a real loopback HTTP server speaking the Telegram Bot API, for tests.

It runs on tornado inside the caller's asyncio loop, so the bot under test goes through PTB's
real HTTPXRequest stack (or runs in a subprocess) while the test inspects what it sent.
"""

import json
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

import tornado.http1connection
import tornado.httpserver
import tornado.httputil
import tornado.netutil
import tornado.web
from telegram.ext import ApplicationBuilder

from ._signal import Signal
from .botapi import (
    DEFAULT_BOT_NAME,
    DEFAULT_TOKEN,
    DEFAULT_USERNAME,
    JSON,
    MESSAGE_METHODS,
    ApiError,
    UploadedFile,
    World,
    bad_request,
    decode_param,
)
from .updates import UpdatePusher

if TYPE_CHECKING:
    from telegram.ext._applicationbuilder import InitApplicationBuilder

_log = logging.getLogger(__name__)

FaultKind = Literal["429", "500", "502", "400", "403", "409", "drop", "drop_after", "hang"]
_FAULT_ERRORS: dict[str, tuple[int, str]] = {
    "500": (500, "Internal Server Error"),
    "502": (502, "Bad Gateway"),
    "400": (400, "Bad Request: injected failure"),
    "403": (403, "Forbidden: bot was blocked by the user"),
    "409": (
        409,
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
    ),
}


@dataclass
class Call:
    """One Bot API request as the server saw it.

    `at` is `time.monotonic()` on arrival. `params` holds decoded values; uploaded files appear
    as `UploadedFile`. `result` is the JSON result returned; `error` the error description;
    `fault` the injected fault kind, if any. A getUpdates call is recorded on arrival and its
    result filled in when the long-poll answers.
    """

    method: str
    params: dict[str, Any]
    at: float
    result: Any = None
    error: str | None = None
    fault: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the call took effect on the Telegram side (a lost response still counts)."""
        return self.error is None and self.fault in (None, "drop_after")


@dataclass
class _Fault:
    method: str
    kind: str
    remaining: int | None  # None: until `clear_faults`
    retry_after: int
    description: str | None
    chat_id: int | str | None

    def matches(self, call: Call) -> bool:
        if self.method != "*" and self.method.lower() != call.method.lower():
            return False
        return self.chat_id is None or call.params.get("chat_id") == self.chat_id

    def error(self) -> ApiError:
        if self.kind == "429":
            return ApiError(
                429,
                self.description or f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        code, description = _FAULT_ERRORS[self.kind]
        return ApiError(code, self.description or description)


def parse_params(request: tornado.httputil.HTTPServerRequest) -> JSON:
    """Decode query string, form/multipart fields and files, or a JSON body, into params."""
    params: JSON = {}
    for name, values in request.query_arguments.items():
        params[name] = decode_param(name, values[-1].decode())
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json") and request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            raise bad_request("can't parse JSON") from None
        if not isinstance(body, dict):
            raise bad_request("JSON body must be an object")
        params.update(body)
    for name, values in request.body_arguments.items():
        params[name] = decode_param(name, values[-1].decode())
    for name, files in request.files.items():
        part = files[-1]
        params[name] = UploadedFile(
            part.filename, part.body, part.content_type or "application/octet-stream"
        )
    return params


class _Handler(tornado.web.RequestHandler):
    """Shared plumbing: JSON replies, dropping connections, noticing disconnects."""

    def initialize(self, standin: "StandIn") -> None:
        self.standin = standin
        self.gone = False

    def compute_etag(self) -> None:
        return None

    def on_connection_close(self) -> None:
        self.gone = True
        self.standin._wake_all()

    def reply(self, status: int, payload: JSON) -> None:
        if self.gone:
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload))

    def drop(self) -> None:
        """Close the socket without an answer, as a failing network would."""
        self.gone = True
        connection = self.request.connection
        assert isinstance(connection, tornado.http1connection.HTTP1Connection)
        connection.close()


class _ApiHandler(_Handler):
    async def get(self, token: str, method: str) -> None:
        await self.handle(token, method)

    async def post(self, token: str, method: str) -> None:
        await self.handle(token, method)

    async def handle(self, token: str, method: str) -> None:
        self.standin._in_flight += 1
        try:
            await self._handle(token, method)
        finally:
            self.standin._in_flight -= 1
            self.standin._signal.notify()

    async def _handle(self, token: str, method: str) -> None:
        standin = self.standin
        call = Call(standin.world.canonical(method) or method, {}, time.monotonic())
        try:
            call.params = parse_params(self.request)
        except ApiError as err:
            self.fail(call, err)
            return
        if token != standin.token:  # recorded too, so a misconfigured bot shows up in failures
            self.fail(call, ApiError(401, "Unauthorized"))
            return
        fault = standin._take_fault(call)
        if fault is not None and fault.kind not in ("drop", "hang", "drop_after"):
            self.fail(call, fault.error(), fault.kind)
            return
        if fault is not None and fault.kind in ("drop", "hang"):
            call.fault = fault.kind
            standin._record(call)
            if fault.kind == "hang":
                await standin._signal.wait_until(lambda: self.gone or standin._closing, None)
            self.drop()
            return
        try:
            if call.method == "getUpdates":
                standin._record(call)  # visible while the long-poll waits
                call.result = await standin.world.get_updates(call.params, lambda: self.gone)
            else:
                call.result = standin.world.call(call.method, call.params)
        except ApiError as err:
            self.fail(call, err)
            return
        if fault is not None:
            call.fault = fault.kind
        standin._record(call)
        if fault is not None:  # drop_after: Telegram acted, the answer got lost
            self.drop()
            return
        self.reply(200, {"ok": True, "result": call.result})

    def fail(self, call: Call, err: ApiError, fault: str | None = None) -> None:
        call.error = err.description
        call.fault = fault
        self.standin._record(call)
        self.reply(err.code, err.payload())


class _FileHandler(_Handler):
    async def get(self, token: str, path: str) -> None:
        stored = self.standin.world.file_by_path(path) if token == self.standin.token else None
        if stored is None or stored.content is None:
            self.reply(404, ApiError(404, "Not Found").payload())
            return
        self.set_header("Content-Type", stored.mime_type or "application/octet-stream")
        self.finish(stored.content)


class _NotFoundHandler(_Handler):
    async def get(self) -> None:
        self.reply(404, ApiError(404, "Not Found").payload())

    post = get


def _log_request(handler: tornado.web.RequestHandler) -> None:
    request = handler.request
    _log.debug("%s %s -> %s", request.method, request.path, handler.get_status())


class StandIn(UpdatePusher):
    """A fake Telegram Bot API server on 127.0.0.1 for one test.

    Use as `async with StandIn() as api:`; point PTB at `api.base_url` / `api.base_file_url`.
    Not thread-safe: call it from the event loop it was started in.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        username: str = DEFAULT_USERNAME,
        first_name: str = DEFAULT_BOT_NAME,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        self.world = World(token, username, first_name)
        self.calls: list[Call] = []
        self._recorded: set[int] = set()
        self._host = host
        self._port = port
        self._faults: list[_Fault] = []
        self._signal = Signal()
        self._closing = False
        self._in_flight = 0
        self._server: tornado.httpserver.HTTPServer | None = None

    # --------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Listen on host:port (port 0 = any free port) in the running event loop.

        After `stop()`, starting again reuses the same port and keeps all state, so a test can
        simulate a Telegram outage.
        """
        if self._server is not None:
            return
        self._closing = False
        self.world.updates.reopen()
        app = tornado.web.Application(
            [
                (r"/bot([^/]+)/([A-Za-z0-9_]+)", _ApiHandler, {"standin": self}),
                (r"/file/bot([^/]+)/(.+)", _FileHandler, {"standin": self}),
                (r".*", _NotFoundHandler, {"standin": self}),
            ],
            log_function=_log_request,
        )
        sockets = tornado.netutil.bind_sockets(self._port, self._host, family=socket.AF_INET)
        self._port = sockets[0].getsockname()[1]
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        """Answer pending long-polls, then close the listener and every connection."""
        if self._server is None:
            return
        self._closing = True
        self.world.updates.close()
        self._wake_all()
        self._server.stop()
        # Let woken long-polls write their empty answer before sockets are closed.
        await self._signal.wait_until(lambda: self._in_flight == 0, 1.0)
        await self._server.close_all_connections()
        self._server = None

    # ------------------------------------------------------------- addresses

    @property
    def url(self) -> str:
        """Server root, e.g. http://127.0.0.1:54321."""
        if self._server is None:
            raise RuntimeError("StandIn is not running; use `async with StandIn() as api`")
        return f"http://{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        """Value for ApplicationBuilder.base_url (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ApplicationBuilder.base_file_url."""
        return f"{self.url}/file/bot"

    @property
    def bot(self) -> JSON:
        """The bot's User object as getMe describes it."""
        return dict(self.world.bot)

    @property
    def chat_members(self) -> dict[tuple[int, int], str | JSON]:
        """getChatMember answers: (chat_id, user_id) -> status or ChatMember dict.

        Status is "creator", "administrator", "member", "restricted", "left" or "kicked"; a dict
        (with "status") overrides fields. Pairs not listed are "member".
        """
        return self.world.chat_members

    def application_builder(self) -> "InitApplicationBuilder":
        """An ApplicationBuilder already pointed at this server."""
        return (
            ApplicationBuilder()
            .token(self.token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
        )

    # ------------------------------------------------------------ inspection

    def sent(self, chat_id: int | str | None = None) -> list[JSON]:
        """Params of successful sendMessage/sendDocument/sendPhoto/editMessageText calls."""
        return [call.params for call in self.calls if _is_message(call, chat_id)]

    def history(self, chat_id: int) -> list[JSON]:
        """The chat as a user would see it now (edits applied, deletions removed)."""
        return self.world.history(chat_id)

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates the bot has not confirmed yet (via the next getUpdates offset)."""
        return self.world.updates.pending

    async def wait_for(
        self,
        predicate: str | Callable[[Call], bool],
        *,
        count: int = 1,
        timeout: float = 5.0,
    ) -> list[Call]:
        """Wait until `count` recorded calls match; a str predicate matches the method name.

        Returns all matching calls; raises AssertionError listing the calls seen on timeout.
        """
        if isinstance(predicate, str):
            method = predicate
            return await self._wait(
                lambda call: call.method == method, count, timeout, f"{method!r} call"
            )
        name = getattr(predicate, "__name__", predicate)
        return await self._wait(predicate, count, timeout, f"call matching {name!r}")

    async def wait_for_messages(
        self, count: int = 1, chat_id: int | str | None = None, timeout: float = 5.0
    ) -> list[Call]:
        """Wait until at least `count` successful message calls (see `sent`) were made."""
        where = "" if chat_id is None else f" to chat {chat_id}"
        return await self._wait(
            lambda call: _is_message(call, chat_id), count, timeout, f"message{where}"
        )

    def describe_calls(self) -> str:
        """Human-readable call log for assertion messages (getUpdates calls only counted)."""
        polls = sum(call.method == "getUpdates" for call in self.calls)
        lines = [f"calls received ({polls} getUpdates not shown):"]
        start = self.calls[0].at if self.calls else 0.0
        for call in self.calls:
            if call.method == "getUpdates":
                continue
            params = ", ".join(f"{k}={_short(v)}" for k, v in call.params.items())
            outcome = "ok" if call.ok else f"FAILED ({call.fault or call.error})"
            if call.fault == "drop_after":
                outcome = "ok, response dropped"
            lines.append(f"  +{call.at - start:.3f}s {call.method}({params}) -> {outcome}")
        if len(lines) == 1:
            lines.append("  (none)")
        return "\n".join(lines)

    # ---------------------------------------------------------------- faults

    def fail_next(
        self,
        method: str,
        kind: FaultKind,
        count: int | None = 1,
        *,
        retry_after: int = 1,
        description: str | None = None,
        chat_id: int | str | None = None,
    ) -> None:
        """Make the next `count` calls of `method` ("*" = any) fail; `count=None` makes every
        call fail until `clear_faults` (an outage that lasts as long as the test wants).

        kind: "429" (flood wait with `retry_after`; note PTB only raises RetryAfter when
        retry_after > 0, for 0 it raises NetworkError), "500"/"502" (server error),
        "400"/"403"/"409" (Telegram-worded client errors, e.g. 403 = bot blocked),
        "drop" (close the connection before acting), "drop_after" (act, e.g. really send the
        message, then close the connection: the bot cannot know it succeeded), "hang" (never
        answer; the client times out). `description` overrides the error text; `chat_id`
        limits the fault to calls for that chat.
        """
        if kind not in ("429", "drop", "drop_after", "hang", *_FAULT_ERRORS):
            raise ValueError(f"unknown fault kind {kind!r}")
        self._faults.append(_Fault(method, kind, count, retry_after, description, chat_id))

    def clear_faults(self) -> None:
        """End every fault still pending, outages included."""
        self._faults.clear()

    # -------------------------------------------------------------- internals

    def _take_fault(self, call: Call) -> _Fault | None:
        for fault in self._faults:
            if fault.matches(call):
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                return fault
        return None

    def _record(self, call: Call) -> None:
        """Append `call` once (getUpdates is recorded early and updated later); wake waiters."""
        if id(call) not in self._recorded:
            self._recorded.add(id(call))
            self.calls.append(call)
        self._signal.notify()

    def _wake_all(self) -> None:
        self._signal.notify()
        self.world.updates.wake()

    async def _wait(
        self, match: Callable[[Call], bool], count: int, timeout: float, description: str
    ) -> list[Call]:
        def matching() -> list[Call]:
            return [call for call in self.calls if match(call)]

        if not await self._signal.wait_until(lambda: len(matching()) >= count, timeout):
            raise AssertionError(
                f"timed out after {timeout}s waiting for {count} {description}(s); "
                f"got {len(matching())}.\n{self.describe_calls()}"
            )
        return matching()


def _is_message(call: Call, chat_id: int | str | None) -> bool:
    if not call.ok or call.method not in MESSAGE_METHODS:
        return False
    return chat_id is None or call.params.get("chat_id") == chat_id


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
