"""What the fake Telegram remembers (chats, messages, files, settings) and its Bot API methods.

Method implementations return the JSON `result` or raise `ApiError`. Validation is limited to
the errors that commonly bite bots in production (empty/too long text, oversized callback_data,
editing a missing or unchanged message, invalid commands), with Telegram's wording.
"""

import copy
import html
import itertools
import json
import re
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .polling import UpdateQueue
from .telegram_html import html_problem

JSON = dict[str, Any]

DEFAULT_TOKEN = "123456:TEST-TOKEN"
DEFAULT_USERNAME = "riskbot_test_bot"
DEFAULT_BOT_NAME = "RiskBot Test"
DEFAULT_USER_ID = 1001
DEFAULT_GROUP_ID = -4001
DEFAULT_SUPERGROUP_ID = -1001000000001
DEFAULT_CHANNEL_ID = -1002000000001

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MESSAGE_METHODS = ("sendMessage", "sendDocument", "sendPhoto", "editMessageText")

METHOD_NAMES = (
    "getMe",
    "getUpdates",
    "logOut",
    "close",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "setChatMenuButton",
    "getChatMenuButton",
    "sendMessage",
    "sendDocument",
    "sendPhoto",
    "sendChatAction",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "answerCallbackQuery",
    "answerInlineQuery",
    "getFile",
    "getChat",
    "getChatMember",
)

# Parameters that are strings in the Bot API. PTB sends str values raw and everything else
# JSON-encoded, so without this list a text of "42" or "true" would be decoded to a number/bool.
STRING_PARAMS = frozenset(
    {
        "action",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "custom_title",
        "data",
        "description",
        "emoji",
        "file_id",
        "first_name",
        "inline_message_id",
        "inline_query_id",
        "ip_address",
        "language_code",
        "last_name",
        "message_effect_id",
        "name",
        "next_offset",
        "parse_mode",
        "phone_number",
        "query",
        "secret_token",
        "short_description",
        "switch_pm_parameter",
        "switch_pm_text",
        "text",
        "title",
        "url",
    }
)


class ApiError(Exception):
    """A Bot API error reply (`ok: false`), rendered by the server with HTTP status = code."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        """The response body Telegram would send."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters is not None:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """A 400 with Telegram's "Bad Request: ..." prefix."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, kept in the call's params under its part name."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {len(self.content)} bytes, {self.content_type!r})"


@dataclass
class StoredFile:
    """A file Telegram knows by file_id; downloadable from the file URL if content is known."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes | None
    file_name: str | None = None
    mime_type: str | None = None

    def as_document(self) -> JSON:
        """The Document object for this file."""
        doc: JSON = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        if self.content is not None:
            doc["file_size"] = len(self.content)
        return doc

    def as_file(self) -> JSON:
        """The File object getFile returns."""
        result: JSON = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_path": self.file_path,
        }
        if self.content is not None:
            result["file_size"] = len(self.content)
        return result


def decode_param(name: str, raw: str) -> Any:
    """Undo PTB's form encoding: strings arrive as-is, everything else JSON-encoded."""
    if name in STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), used for entity offsets/lengths."""
    return len(text.encode("utf-16-le")) // 2


def _visible_length(text: str, parse_mode: str | None) -> int | None:
    """Length after markup is removed, or None when we cannot tell (Markdown)."""
    if parse_mode is None:
        return utf16_len(text)
    if parse_mode.upper() == "HTML":
        return utf16_len(html.unescape(re.sub(r"<[^>]*>", "", text)))
    return None


def _check_markup(text: str, parse_mode: str | None) -> None:
    """Telegram refuses the whole message when its HTML does not parse."""
    if parse_mode is not None and parse_mode.upper() == "HTML":
        problem = html_problem(text)
        if problem is not None:
            raise bad_request(f"can't parse entities: {problem}")


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG (enough for charts); (0, 0) for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return 0, 0


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _chat_member(user: JSON, status: str | JSON) -> JSON:
    """A ChatMember object with every field PTB requires for its status."""
    fields: JSON = {"status": status} if isinstance(status, str) else dict(status)
    kind = fields["status"]
    base: JSON = {"user": user}
    if kind == "creator":
        base["is_anonymous"] = False
    elif kind == "administrator":
        base |= {"can_be_edited": False, "is_anonymous": False}
        base |= dict.fromkeys(
            (
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_promote_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
            ),
            True,
        )
    elif kind == "restricted":
        base |= {"is_member": True, "until_date": 0}
        base |= dict.fromkeys(
            (
                "can_change_info",
                "can_invite_users",
                "can_pin_messages",
                "can_send_messages",
                "can_send_polls",
                "can_send_other_messages",
                "can_add_web_page_previews",
                "can_manage_topics",
                "can_send_audios",
                "can_send_documents",
                "can_send_photos",
                "can_send_videos",
                "can_send_video_notes",
                "can_send_voice_notes",
                "can_edit_tag",
                "can_react_to_messages",
            ),
            False,
        )
    elif kind == "kicked":
        base["until_date"] = 0
    elif kind not in ("member", "left"):
        raise ValueError(f"unknown chat member status {kind!r}")
    return base | fields


class World:
    """The fake Telegram's memory plus the synchronous Bot API methods acting on it."""

    def __init__(self, token: str, username: str, first_name: str) -> None:
        bot_id = int(token.split(":", 1)[0])
        self.token = token
        self.bot: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self.updates = UpdateQueue()
        self.users: dict[int, JSON] = {}
        self.chats: dict[int, JSON] = {}
        self.messages: dict[tuple[int, int], JSON] = {}
        # How the bot formatted each message it sent (HTML…), to deliver it back as Telegram
        # does: plain text with entities (see `updates.as_delivered`).
        self.parse_modes: dict[tuple[int, int], str] = {}
        self.chat_members: dict[tuple[int, int], str | JSON] = {}
        self.files: dict[str, StoredFile] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.menu_buttons: dict[int | None, JSON] = {}
        self.webhook: JSON = {}
        self._last_message_id: dict[int, int] = {}
        self._ids = itertools.count(1)
        self._methods: dict[str, tuple[str, Callable[[JSON], Any] | None]] = {
            name.lower(): (name, getattr(self, f"api_{_snake(name)}", None))
            for name in METHOD_NAMES
        }

    # ----------------------------------------------------------------- dispatch

    def canonical(self, method: str) -> str | None:
        """The Bot API spelling of `method` (Telegram matches case-insensitively)."""
        entry = self._methods.get(method.lower())
        return entry[0] if entry else None

    def call(self, method: str, params: JSON) -> Any:
        """Run a synchronous Bot API method; raises ApiError like Telegram would."""
        entry = self._methods.get(method.lower())
        if entry is None or entry[1] is None:
            raise ApiError(404, "Not Found: method not found")
        return entry[1](params)

    async def get_updates(self, params: JSON, is_gone: Callable[[], bool]) -> list[JSON]:
        """getUpdates: long-poll the update queue (409 if a newer poll or a webhook exists)."""
        if self.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        result = await self.updates.poll(
            offset=int(params.get("offset") or 0),
            limit=int(params.get("limit") or 100),
            timeout=float(params.get("timeout") or 0),
            allowed_updates=params.get("allowed_updates"),
            is_gone=is_gone,
        )
        if result is None:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return result

    # ------------------------------------------------------------ state helpers

    def next_id(self) -> int:
        """A fresh number for file ids, query ids and the like."""
        return next(self._ids)

    def register_user(self, user: JSON) -> JSON:
        """Remember a user so later getChatMember calls can name them."""
        self.users[user["id"]] = user
        return user

    def user(self, user_id: int) -> JSON:
        """A known user, or a plausible stand-in for an unknown id."""
        return self.users.get(user_id) or {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User {user_id}",
        }

    def register_chat(self, chat: JSON) -> JSON:
        """Remember (or update) a chat; returns the stored Chat object."""
        stored = self.chats.setdefault(chat["id"], {})
        stored.update(chat)
        return stored

    def chat(self, chat_id: int | str) -> JSON:
        """The chat for a chat_id parameter, invented on first use (ids decide the type)."""
        if isinstance(chat_id, str):
            if chat_id.startswith("@"):
                return self._channel_by_username(chat_id[1:])
            try:
                chat_id = int(chat_id)
            except ValueError:
                raise bad_request("chat not found") from None
        if chat_id in self.chats:
            return self.chats[chat_id]
        if chat_id > 0:
            user = self.user(chat_id)
            chat: JSON = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        elif str(chat_id).startswith("-100"):
            chat = {"id": chat_id, "type": "supergroup", "title": f"Supergroup {chat_id}"}
        else:
            chat = {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}
        return self.register_chat(chat)

    def _channel_by_username(self, username: str) -> JSON:
        for chat in self.chats.values():
            if chat.get("username", "").lower() == username.lower():
                return chat
        chat_id = -1003000000000 - self.next_id()
        return self.register_chat(
            {"id": chat_id, "type": "channel", "title": username, "username": username}
        )

    def new_message(
        self, chat: JSON, sender: JSON | None, *, message_id: int | None = None, **fields: Any
    ) -> JSON:
        """Store a message in `chat`; sender None means the bot (or the channel itself)."""
        chat_id = chat["id"]
        if message_id is None:
            message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), message_id)
        message: JSON = {"message_id": message_id, "date": int(time.time()), "chat": dict(chat)}
        if chat["type"] == "channel":
            message["sender_chat"] = dict(chat)
        else:
            message["from"] = sender or self.bot
        message.update(fields)
        self.messages[chat_id, message_id] = message
        return copy.deepcopy(message)

    def last_message(self, chat_id: int, from_id: int) -> JSON | None:
        """The newest stored message in `chat_id` sent by user `from_id`."""
        candidates = [
            message
            for (cid, _), message in self.messages.items()
            if cid == chat_id and message.get("from", {}).get("id") == from_id
        ]
        return max(candidates, key=lambda m: m["message_id"], default=None)

    def history(self, chat_id: int) -> list[JSON]:
        """Current messages of a chat (after edits and deletions), oldest first."""
        found = [copy.deepcopy(m) for (cid, _), m in self.messages.items() if cid == chat_id]
        return sorted(found, key=lambda m: m["message_id"])

    def add_file(
        self, content: bytes | None, file_name: str | None, mime_type: str | None, folder: str
    ) -> StoredFile:
        """Store a file under a new file_id (not JSON-decodable, so it stays a string)."""
        n = self.next_id()
        suffix = f"_{file_name}" if file_name else ""
        stored = StoredFile(
            file_id=f"F{n:06d}{folder[:3].upper()}",
            file_unique_id=f"U{n:06d}",
            file_path=f"{folder}/file_{n}{suffix}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        """The stored file served at `<base_file_url><token>/<path>`."""
        return next((f for f in self.files.values() if f.file_path == path), None)

    # --------------------------------------------------------------- validation

    def _resolve_chat(self, params: JSON) -> JSON:
        if params.get("chat_id") in (None, ""):
            raise bad_request("chat_id is empty")
        return self.chat(params["chat_id"])

    @staticmethod
    def _check_text(text: Any, parse_mode: str | None, limit: int, too_long: str) -> None:
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        _check_markup(text, parse_mode)
        length = _visible_length(text, parse_mode)
        if length is not None and length > limit:
            raise bad_request(too_long)

    @staticmethod
    def _check_caption(params: JSON) -> None:
        caption = params.get("caption")
        if caption is None:
            return
        _check_markup(str(caption), params.get("parse_mode"))
        length = _visible_length(str(caption), params.get("parse_mode"))
        if length is not None and length > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")

    @staticmethod
    def _inline_markup(params: JSON) -> JSON | None:
        """The inline keyboard to echo back (Telegram never echoes reply keyboards)."""
        markup = params.get("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        for row in markup["inline_keyboard"]:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
        return markup

    def _reply_target(self, chat: JSON, params: JSON) -> JSON | None:
        reply = params.get("reply_parameters")
        if not reply:
            return None
        target_chat = self.chat(reply.get("chat_id", chat["id"]))
        target = self.messages.get((target_chat["id"], reply["message_id"]))
        if target is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return {k: v for k, v in copy.deepcopy(target).items() if k != "reply_to_message"}

    def _send(self, params: JSON, **content: Any) -> JSON:
        """Common part of send* methods: target chat, thread, reply, markup."""
        chat = self._resolve_chat(params)
        fields = {k: v for k, v in content.items() if v is not None}
        if params.get("message_thread_id") is not None:
            fields["message_thread_id"] = params["message_thread_id"]
            if chat.get("is_forum"):
                fields["is_topic_message"] = True
        reply_to = self._reply_target(chat, params)
        if reply_to is not None:
            fields["reply_to_message"] = reply_to
        markup = self._inline_markup(params)
        if markup is not None:
            fields["reply_markup"] = markup
        return self.new_message(chat, None, **fields)

    def _own_message(self, params: JSON, missing: str) -> JSON:
        chat = self._resolve_chat(params)
        message = self.messages.get((chat["id"], int(params.get("message_id") or 0)))
        if message is None:
            raise bad_request(missing)
        return message

    def _store_upload(self, value: Any, folder: str, what: str) -> StoredFile:
        if isinstance(value, UploadedFile):
            return self.add_file(value.content, value.filename, value.content_type, folder)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            name = value.rstrip("/").rsplit("/", 1)[-1] or None
            return self.add_file(None, name, None, folder)
        if value is None:
            raise bad_request(f"there is no {what} in the request")
        raise bad_request("wrong file identifier/HTTP URL specified")

    # ------------------------------------------------------------------ methods

    def api_get_me(self, params: JSON) -> JSON:
        return self.bot | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def api_log_out(self, params: JSON) -> bool:
        return True

    def api_close(self, params: JSON) -> bool:
        return True

    def api_set_webhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self.updates.drop_pending()
        if params.get("allowed_updates") is not None:
            self.updates.set_allowed(params["allowed_updates"])
        url = params.get("url") or ""
        self.webhook = (
            {
                "url": url,
                "has_custom_certificate": "certificate" in params,
                **{
                    key: params[key]
                    for key in ("max_connections", "ip_address", "allowed_updates")
                    if key in params
                },
                "secret_token": params.get("secret_token"),
            }
            if url
            else {}
        )
        return True

    def api_delete_webhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self.updates.drop_pending()
        self.webhook = {}
        return True

    def api_get_webhook_info(self, params: JSON) -> JSON:
        info = {k: v for k, v in self.webhook.items() if k != "secret_token"}
        info.setdefault("url", "")
        info.setdefault("has_custom_certificate", False)
        info["pending_update_count"] = len(self.updates.pending)
        return info

    @staticmethod
    def _commands_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.get("language_code") or ""

    def api_set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be a list of at most 100 BotCommand")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise bad_request("command description is empty or too long")
        self.commands[self._commands_key(params)] = commands
        return True

    def api_get_my_commands(self, params: JSON) -> list[JSON]:
        return self.commands.get(self._commands_key(params), [])

    def api_delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def api_set_chat_menu_button(self, params: JSON) -> bool:
        self.menu_buttons[params.get("chat_id")] = params.get("menu_button") or {"type": "default"}
        return True

    def api_get_chat_menu_button(self, params: JSON) -> JSON:
        return self.menu_buttons.get(params.get("chat_id")) or self.menu_buttons.get(
            None, {"type": "default"}
        )

    def api_send_message(self, params: JSON) -> JSON:
        text = params.get("text")
        self._check_text(text, params.get("parse_mode"), MAX_TEXT_LENGTH, "message is too long")
        sent = self._send(params, text=text, entities=params.get("entities"))
        self._remember_parse_mode(sent, params)
        return sent

    def _remember_parse_mode(self, message: JSON, params: JSON) -> None:
        key = (message["chat"]["id"], message["message_id"])
        mode = params.get("parse_mode")
        if mode:
            self.parse_modes[key] = str(mode)
        else:
            self.parse_modes.pop(key, None)

    def api_send_document(self, params: JSON) -> JSON:
        self._check_caption(params)
        self._resolve_chat(params)  # fail on a missing chat before storing the upload
        stored = self._store_upload(params.get("document"), "documents", "document")
        return self._send(
            params,
            document=stored.as_document(),
            caption=params.get("caption"),
            caption_entities=params.get("caption_entities"),
        )

    def api_send_photo(self, params: JSON) -> JSON:
        self._check_caption(params)
        self._resolve_chat(params)
        stored = self._store_upload(params.get("photo"), "photos", "photo")
        width, height = _image_size(stored.content or b"")
        photo = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": width,
            "height": height,
        }
        if stored.content is not None:
            photo["file_size"] = len(stored.content)
        return self._send(
            params,
            photo=[photo],
            caption=params.get("caption"),
            caption_entities=params.get("caption_entities"),
        )

    def api_send_chat_action(self, params: JSON) -> bool:
        self._resolve_chat(params)
        return True

    def api_edit_message_text(self, params: JSON) -> JSON | bool:
        text = params.get("text")
        self._check_text(text, params.get("parse_mode"), MAX_TEXT_LENGTH, "message is too long")
        if params.get("inline_message_id"):
            return True
        message = self._own_message(params, "message to edit not found")
        if not self._is_own(message):
            raise bad_request("message can't be edited")
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        edited = self._edit(message, params, text=text, entities=params.get("entities"))
        self._remember_parse_mode(edited, params)
        return edited

    def api_edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        if params.get("inline_message_id"):
            return True
        message = self._own_message(params, "message to edit not found")
        if not self._is_own(message):
            raise bad_request("message can't be edited")
        return self._edit(message, params)

    def _is_own(self, message: JSON) -> bool:
        is_channel = message["chat"]["type"] == "channel"
        return is_channel or bool(message.get("from", {}).get("id") == self.bot["id"])

    def _edit(self, message: JSON, params: JSON, **content: Any) -> JSON:
        """Apply an edit; like Telegram, omitting reply_markup removes the inline keyboard."""
        edited = {k: v for k, v in message.items() if k not in ("reply_markup", "edit_date")}
        for key, value in content.items():
            edited.pop(key, None)
            if value is not None:
                edited[key] = value
        markup = self._inline_markup(params)
        if markup is not None:
            edited["reply_markup"] = markup
        unchanged = {k: v for k, v in message.items() if k != "edit_date"}
        if edited == unchanged:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        edited["edit_date"] = int(time.time())
        self.messages[message["chat"]["id"], message["message_id"]] = edited
        return copy.deepcopy(edited)

    def api_delete_message(self, params: JSON) -> bool:
        message = self._own_message(params, "message to delete not found")
        del self.messages[message["chat"]["id"], message["message_id"]]
        return True

    def api_answer_callback_query(self, params: JSON) -> bool:
        if not params.get("callback_query_id"):
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        return True

    def api_answer_inline_query(self, params: JSON) -> bool:
        if not params.get("inline_query_id"):
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if not isinstance(params.get("results"), list):
            raise bad_request("RESULTS_INVALID")
        for result in params["results"]:
            content = result.get("input_message_content") or {}
            if "message_text" in content:
                self._check_text(
                    content["message_text"],
                    content.get("parse_mode"),
                    MAX_TEXT_LENGTH,
                    "MESSAGE_TOO_LONG",
                )
        return True

    def api_get_file(self, params: JSON) -> JSON:
        stored = self.files.get(params.get("file_id", ""))
        if stored is None:
            raise bad_request("invalid file_id")
        return stored.as_file()

    def api_get_chat(self, params: JSON) -> JSON:
        chat = self._resolve_chat(params)
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return chat | {"accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    def api_get_chat_member(self, params: JSON) -> JSON:
        chat = self._resolve_chat(params)
        user_id = int(params.get("user_id") or 0)
        if not user_id:
            raise bad_request("user_id is empty")
        status = self.chat_members.get((chat["id"], user_id), "member")
        user = self.bot if user_id == self.bot["id"] else self.user(user_id)
        return _chat_member(user, status)
