"""Builders for incoming updates (plain Bot API dicts), mixed into `StandIn` as `push_*`.

Every builder registers the user/chat/message it invents, so the bot can later reply to,
edit or look up exactly what it received (reply_parameters, editMessageText, getChatMember).
"""

import copy
import re
import time
from html.parser import HTMLParser
from typing import Any, Literal

from .botapi import (
    DEFAULT_CHANNEL_ID,
    DEFAULT_GROUP_ID,
    DEFAULT_SUPERGROUP_ID,
    DEFAULT_USER_ID,
    JSON,
    StoredFile,
    World,
    utf16_len,
)

ChatType = Literal["private", "group", "supergroup"]

DEFAULT_FIRST_NAME = "Alice"
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,})?")


def command_entities(text: str) -> list[JSON]:
    """The bot_command entity Telegram adds when a text starts with a command."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}]


_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-spoiler": "spoiler",
}


class _Entities(HTMLParser):
    """Telegram's reading of an HTML message: the plain text and its formatting entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.entities: list[JSON] = []
        self._open: list[tuple[str, int, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open.append((tag, utf16_len(self.text), dict(attrs).get("href")))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            name, start, href = self._open.pop()
            if name == tag:
                break
        else:
            return
        kind = _ENTITY_TYPES.get(tag)
        length = utf16_len(self.text) - start
        if kind is None or length == 0:
            return
        entity: JSON = {"type": kind, "offset": start, "length": length}
        if kind == "text_link":
            entity["url"] = href
        self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.text += data


def as_delivered(message: JSON, parse_mode: str | None) -> JSON:
    """A stored message as Telegram hands it to a bot (in a callback query, say): a message
    sent with parse_mode HTML comes back as plain text with entities, never with its tags."""
    if (parse_mode or "").upper() != "HTML" or "text" not in message:
        return message
    reading = _Entities()
    reading.feed(message["text"])
    reading.close()
    delivered = dict(message, text=reading.text)
    entities = sorted(reading.entities, key=lambda entity: (entity["offset"], -entity["length"]))
    if entities:
        delivered["entities"] = entities
    return delivered


class UpdatePusher:
    """`push_*` helpers: build an update, queue it for getUpdates and return the dict."""

    world: World

    def push_raw(self, update: JSON) -> JSON:
        """Queue `update` as is; adds update_id in place if missing.

        Pushing the same dict again redelivers the same update_id (duplicate delivery).
        """
        return self.world.updates.push(update)

    def push_message(
        self,
        text: str | None = None,
        *,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        chat_type: ChatType = "private",
        first_name: str = DEFAULT_FIRST_NAME,
        username: str | None = None,
        language_code: str | None = "en",
        message_thread_id: int | None = None,
        is_topic_message: bool = False,
        entities: list[JSON] | None = None,
        **fields: Any,
    ) -> JSON:
        """A user's message; entities=None auto-detects a leading /command.

        Extra keyword fields go into the Message as is (e.g. document=api.add_file(...)).
        """
        message = self._user_message(
            text,
            user_id=user_id,
            chat_id=chat_id,
            chat_type=chat_type,
            first_name=first_name,
            username=username,
            language_code=language_code,
            message_thread_id=message_thread_id,
            is_topic_message=is_topic_message,
            entities=entities,
            fields=fields,
        )
        return self.push_raw({"message": message})

    def push_edited_message(
        self,
        text: str,
        *,
        message_id: int | None = None,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        chat_type: ChatType = "private",
        first_name: str = DEFAULT_FIRST_NAME,
        username: str | None = None,
        entities: list[JSON] | None = None,
        **fields: Any,
    ) -> JSON:
        """The user edits their message `message_id` (default: their latest in that chat)."""
        user = self._user(user_id, first_name, username, "en")
        chat = self._chat(user, chat_id, chat_type, is_forum=False)
        if message_id is None:
            latest = self.world.last_message(chat["id"], user_id)
            if latest is None:
                raise ValueError(f"user {user_id} has no message in chat {chat['id']} to edit")
            message_id = latest["message_id"]
        original = self.world.messages.get((chat["id"], message_id))
        if original is None:
            original = self.world.new_message(chat, user, message_id=message_id)
        edited = copy.deepcopy(original) | fields
        edited |= {"text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        found = command_entities(text) if entities is None else entities
        if found:
            edited["entities"] = found
        self.world.messages[chat["id"], message_id] = copy.deepcopy(edited)
        return self.push_raw({"edited_message": edited})

    def push_channel_post(
        self,
        text: str,
        *,
        chat_id: int = DEFAULT_CHANNEL_ID,
        title: str = "Test channel",
        username: str | None = None,
        entities: list[JSON] | None = None,
        **fields: Any,
    ) -> JSON:
        """A post in a channel the bot is admin of (sender_chat is the channel, no from)."""
        chat: JSON = {"id": chat_id, "type": "channel", "title": title}
        if username:
            chat["username"] = username
        chat = self.world.register_chat(chat)
        found = command_entities(text) if entities is None else entities
        content: JSON = {"text": text, **({"entities": found} if found else {}), **fields}
        return self.push_raw({"channel_post": self.world.new_message(chat, None, **content)})

    def push_callback(
        self,
        data: str,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        message_id: int | None = None,
        *,
        first_name: str = DEFAULT_FIRST_NAME,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> JSON:
        """A button press on `message_id` (default: the bot's latest message in the chat).

        An unknown message is created as a bot message so the bot can edit it afterwards.
        """
        user = self._user(user_id, first_name, username, language_code)
        chat = self.world.chat(user_id if chat_id is None else chat_id)
        if message_id is None:
            message = self.world.last_message(chat["id"], self.world.bot["id"])
        else:
            message = self.world.messages.get((chat["id"], message_id))
        if message is None:
            message = self.world.new_message(chat, None, message_id=message_id, text="…")
        parse_mode = self.world.parse_modes.get((chat["id"], message["message_id"]))
        query = {
            "id": str(4_000_000_000_000_000_000 + self.world.next_id()),
            "from": user,
            "message": as_delivered(copy.deepcopy(message), parse_mode),
            "chat_instance": str(abs(chat["id"]) * 31 + 7),
            "data": data,
        }
        return self.push_raw({"callback_query": query})

    def push_inline_query(
        self,
        query: str,
        user_id: int = DEFAULT_USER_ID,
        *,
        offset: str = "",
        chat_type: str | None = None,
        first_name: str = DEFAULT_FIRST_NAME,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> JSON:
        """An inline query "@bot <query>" typed by `user_id`."""
        inline: JSON = {
            "id": str(5_000_000_000_000_000_000 + self.world.next_id()),
            "from": self._user(user_id, first_name, username, language_code),
            "query": query,
            "offset": offset,
        }
        if chat_type is not None:
            inline["chat_type"] = chat_type
        return self.push_raw({"inline_query": inline})

    def add_file(self, content: bytes, file_name: str, mime_type: str | None = None) -> JSON:
        """Register a user-sent file; returns a Document to pass as push_message(document=...).

        The bot can then getFile it and download the bytes from the file URL.
        """
        stored: StoredFile = self.world.add_file(content, file_name, mime_type, "documents")
        return stored.as_document()

    # ------------------------------------------------------------------ helpers

    def _user(
        self, user_id: int, first_name: str, username: str | None, language_code: str | None
    ) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return self.world.register_user(user)

    def _chat(self, user: JSON, chat_id: int | None, chat_type: ChatType, is_forum: bool) -> JSON:
        if chat_type == "private":
            chat: JSON = {"id": user["id"] if chat_id is None else chat_id, "type": "private"}
            chat |= {k: user[k] for k in ("first_name", "username") if k in user}
            return self.world.register_chat(chat)
        default_id = DEFAULT_GROUP_ID if chat_type == "group" else DEFAULT_SUPERGROUP_ID
        chat_id = default_id if chat_id is None else chat_id
        chat = {"id": chat_id, "type": chat_type}
        if chat_id not in self.world.chats:
            chat["title"] = "Test group"
        if is_forum:
            chat["is_forum"] = True
        return self.world.register_chat(chat)

    def _user_message(
        self,
        text: str | None,
        *,
        user_id: int,
        chat_id: int | None,
        chat_type: ChatType,
        first_name: str,
        username: str | None,
        language_code: str | None,
        message_thread_id: int | None,
        is_topic_message: bool,
        entities: list[JSON] | None,
        fields: JSON,
    ) -> JSON:
        user = self._user(user_id, first_name, username, language_code)
        chat = self._chat(user, chat_id, chat_type, is_forum=is_topic_message)
        content: JSON = {}
        if message_thread_id is not None:
            content["message_thread_id"] = message_thread_id
        if is_topic_message:
            content["is_topic_message"] = True
        if text is not None:
            content["text"] = text
            found = command_entities(text) if entities is None else entities
            if found:
                content["entities"] = found
        return self.world.new_message(chat, user, **content, **fields)
