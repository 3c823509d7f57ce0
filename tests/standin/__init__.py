"""Local stand-in for the Telegram Bot API, for tests that drive the bot through PTB's real HTTP.

async with StandIn() as api:
    app = api.application_builder().build()
"""

from .botapi import (
    DEFAULT_BOT_NAME,
    DEFAULT_CHANNEL_ID,
    DEFAULT_GROUP_ID,
    DEFAULT_SUPERGROUP_ID,
    DEFAULT_TOKEN,
    DEFAULT_USER_ID,
    DEFAULT_USERNAME,
    MESSAGE_METHODS,
    ApiError,
    UploadedFile,
)
from .server import Call, FaultKind, StandIn
from .updates import command_entities

__all__ = [
    "DEFAULT_BOT_NAME",
    "DEFAULT_CHANNEL_ID",
    "DEFAULT_GROUP_ID",
    "DEFAULT_SUPERGROUP_ID",
    "DEFAULT_TOKEN",
    "DEFAULT_USERNAME",
    "DEFAULT_USER_ID",
    "MESSAGE_METHODS",
    "ApiError",
    "Call",
    "FaultKind",
    "StandIn",
    "UploadedFile",
    "command_entities",
]
