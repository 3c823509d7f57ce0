"""Whatever spelling a member picks, the parser reads the request they meant.

Each example draws a request for a calculator and a member's language, prints it as that
member might type it (any spelling of the command word and of each keyword, keyword pairs in
any order, `key=value` or `key value`, any case, any number style their language reads exactly:
`72.000` is 72000 for a German member; the spellings are listed in `tests.spellings`) and
parses it back in that language. A parser that refused valid input, dropped a field or misread
a style fails here with the text it was given and the request it should have read.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatbot.language.parser import parse_command, parse_member_command
from tests.spellings import BOT
from tests.typed_commands import CALCULATIONS, Typed, member_commands


@pytest.mark.parametrize("command", sorted(CALCULATIONS))
@given(data=st.data())
@settings(max_examples=100)
def test_printed_request_parses_back(command: str, data: st.DataObject) -> None:
    """A calculator request printed in any spelling members use parses back to itself."""
    typed = data.draw(CALCULATIONS[command])
    assert parse_command(typed.text, BOT, lang=typed.lang) == typed.request


@given(member_commands)
def test_printed_member_command_parses_back(typed: Typed) -> None:
    """/settings and /result printed in any spelling parse back to what was meant."""
    assert parse_member_command(typed.text, BOT, lang=typed.lang) == typed.request
