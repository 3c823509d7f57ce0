"""Each command is declared once per layer: everything else is derived from those entries."""

from __future__ import annotations

import re
import typing

import pytest

from chatbot.bot.app import CALCULATOR_TEXT
from chatbot.bot.registry import COMMANDS
from chatbot.evaluation.calculators import Result, evaluated_types
from chatbot.language.calculators import CALCULATORS, Calculation
from chatbot.language.member_commands import MEMBER_COMMANDS
from chatbot.language.parser import EXAMPLES, GRAMMARS, parse_command, parse_member_command
from chatbot.render.results import LAYOUTS

CALCULATOR_WORDS = [word for grammar in CALCULATORS for word in grammar.words]
MEMBER_WORDS = [word for grammar in MEMBER_COMMANDS for word in grammar.words]


def matches_private_text(text: str) -> bool:
    """Whether the bot's private-chat text filter sends `text` to the calculator handler."""
    pattern = CALCULATOR_TEXT.pattern
    assert isinstance(pattern, re.Pattern)
    return pattern.search(text) is not None


@pytest.mark.parametrize("word", CALCULATOR_WORDS)
def test_private_text_matcher_takes_every_calculator_word(word: str) -> None:
    """`size …`, `calc …`, `rr …` typed without a slash reach the calculators."""
    assert matches_private_text(f"{word} BTC 72000")
    assert matches_private_text(f"  {word.upper()} BTC 72000")


@pytest.mark.parametrize("word", [*MEMBER_WORDS, "sizes", "liquidity", "hello", "journal"])
def test_private_text_matcher_leaves_other_words_alone(word: str) -> None:
    """Words that start no calculator, or only begin like one, get the plain-text hint."""
    assert not matches_private_text(f"{word} BTC 72000")


def test_every_calculator_word_parses_as_its_command() -> None:
    """The words the matcher admits are exactly the words the parser accepts."""
    for grammar in CALCULATORS:
        for word in grammar.words:
            example = grammar.example.replace(f"/{grammar.name}", f"/{word}", 1)
            assert parse_command(example).command == grammar.name


def test_every_example_parses() -> None:
    """The example shown in errors, /start and /help is itself a valid command."""
    for grammar in CALCULATORS:
        assert parse_command(EXAMPLES[grammar.name]).command == grammar.name
    for grammar in MEMBER_COMMANDS:
        assert parse_member_command(EXAMPLES[grammar.name]).command == grammar.name


def test_every_calculator_has_one_evaluator_and_one_layout() -> None:
    """A request type without an evaluator, or a result without a layout, fails here first."""
    assert evaluated_types() == set(typing.get_args(Calculation))
    assert set(LAYOUTS) == set(typing.get_args(Result))


def test_registry_takes_usage_example_and_aliases_from_the_grammar() -> None:
    """/help and the menu show what the parser accepts, not a second copy of it."""
    for command in COMMANDS:
        grammar = GRAMMARS.get(command.name)
        if grammar is None:
            continue
        assert command.usage == grammar.usage
        assert command.example == grammar.example
        assert command.aliases == grammar.aliases
    registered = {command.name for command in COMMANDS}
    assert set(GRAMMARS) <= registered
