"""The command language: text in, a request or one precise error out.

Parsing runs in three passes, so that each error names the first real problem:
1. the command word (`/size`, `/size@bot`, `size` in private chats) and the size limits;
2. the positionals (SYMBOL, then ENTRY, EXIT, SPOT_VALUE or NOTIONAL), a command's list of
   values (`/avg`'s fills) and the keyword pairs, flags and bare tokens (`20x`, `8h`)
   collected as typed, with duplicates and unknown words refused;
3. the values, each read and range-checked on its own, then checked against each other
   (stop vs entry vs side, target), by the command's own builder.

Every command is one `Grammar` entry in `calculators.py` or `member_commands.py`; this module
only runs them. Error `params["what"]` names the missing or wrong part the way members type it:
a positional's name (`symbol`, `entry`, …) or a keyword's first spelling (`stop`, `acct`, …).
Every `CommandError` carries the example of its command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from difflib import get_close_matches
from functools import partial
from typing import TypeVar

from chatbot.language import schedule
from chatbot.language.calculators import CALCULATORS, Calculation
from chatbot.language.errors import CommandError, ErrorCode
from chatbot.language.grammar import BARE_TOKENS, FLAGS, KEYWORDS, Grammar, Parts, Typed
from chatbot.language.member_commands import MEMBER_COMMANDS, MemberRequest
from chatbot.language.numbers import NumberStyle, style_for
from chatbot.language.values import symbol

MAX_WORDS = 30
MAX_CHARS = 4096

GRAMMARS: dict[str, Grammar[Calculation] | Grammar[MemberRequest]] = {
    **{grammar.name: grammar for grammar in CALCULATORS},
    **{grammar.name: grammar for grammar in MEMBER_COMMANDS},
}
EXAMPLES: dict[str, str] = {name: grammar.example for name, grammar in GRAMMARS.items()}

_KEY_VALUE = re.compile(r"[=:]")
_HEAD_GROUP = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})*")
_GROUP = re.compile(r"[0-9]{3}(?:,[0-9]+)?")
_SEPARATORS = ("=", ":")
_VALUE_START = re.compile(r"[0-9$+\-−.,@]")
R = TypeVar("R")


def calculator_words() -> tuple[str, ...]:
    """Every word that starts a calculator, aliases included (`size`, `calc`, `rr`, …)."""
    return tuple(word for grammar in CALCULATORS for word in grammar.words)


def calculator_text_pattern() -> str:
    """A private-chat message that starts with a calculator word typed without the slash."""
    return r"(?i)^\s*(" + "|".join(map(re.escape, calculator_words())) + r")\b"


@dataclass(frozen=True)
class _Reading:
    """How this member's numbers read: their style, and prices known per base asset."""

    style: NumberStyle
    marks: Mapping[str, Decimal]


def parse_command(
    text: str,
    bot_username: str | None = None,
    *,
    lang: str | None = None,
    marks: Mapping[str, Decimal] | None = None,
) -> Calculation:
    """Parse one calculator command; raise `CommandError` (and nothing else) otherwise.

    `bot_username` is this bot's name: `/size@other_bot` in a group is meant for another bot
    and is refused rather than answered twice. `lang` decides how grouping marks read
    (`72.000` is 72000 in German); `marks` are prices known per base asset (`BTC`), which
    settle a price typed in a form that could mean two numbers.
    """
    reading = _Reading(style_for(lang), marks or {})
    return _parse(text, bot_username, CALCULATORS, reading)


def parse_member_command(
    text: str, bot_username: str | None = None, *, lang: str | None = None
) -> MemberRequest:
    """Parse `/settings`, `/result`, `/remind` or `/policy`: commands that change stored state."""
    return _parse(text, bot_username, MEMBER_COMMANDS, _Reading(style_for(lang), {}))


def _parse(
    text: str, bot_username: str | None, grammars: tuple[Grammar[R], ...], reading: _Reading
) -> R:
    grammar = grammars[0]
    try:
        words = text.split()
        if not words:
            raise CommandError(ErrorCode.EMPTY)
        grammar = _command(words[0], bot_username, grammars)
        _check_length(text, words)
        tokens = _tokens(text)
        when: list[str] = []
        if grammar.scheduled:
            tokens, when = schedule.split(tokens)
        typed, listed = _collect(grammar, tokens, reading)
        return grammar.build(Parts(typed, tuple(when), listed))
    except CommandError as error:
        if error.example:
            raise
        raise CommandError(
            error.code, word=error.word, example=grammar.example, **error.params
        ) from None


# --- pass 1: the command word and the limits --------------------------------------------------


def _command(head: str, bot_username: str | None, grammars: tuple[Grammar[R], ...]) -> Grammar[R]:
    """The grammar of the first word, refusing commands addressed to other bots."""
    name, _, addressee = head.removeprefix("/").partition("@")
    name = name.lower()
    by_word = {word: grammar for grammar in grammars for word in grammar.words}
    if addressee and bot_username and addressee.lower() != bot_username.lstrip("@").lower():
        example = by_word.get(name, grammars[0]).example
        raise CommandError(
            ErrorCode.UNKNOWN_COMMAND, word=head, example=example, other_bot=addressee
        )
    if name not in by_word:
        raise CommandError(ErrorCode.UNKNOWN_COMMAND, word=head, suggestion=_closest(name, by_word))
    return by_word[name]


def _check_length(text: str, words: list[str]) -> None:
    """Refuse floods before doing any work on them."""
    if len(text) > MAX_CHARS:
        raise CommandError(ErrorCode.TOO_MANY_WORDS, limit=str(MAX_WORDS), max_chars=str(MAX_CHARS))
    if len(words) > MAX_WORDS:
        raise CommandError(ErrorCode.TOO_MANY_WORDS, word=words[MAX_WORDS], limit=str(MAX_WORDS))


def _tokens(text: str) -> list[str]:
    """The words after the command word, with `key = value`, `key= value` and a fill such as
    `0.01 @ 72000` glued together."""
    glued: list[str] = []
    for word in text.split()[1:]:
        if glued and _glues(glued[-1], word):
            glued[-1] += word
        else:
            glued.append(word)
    return glued


def _glues(previous: str, word: str) -> bool:
    """A separator at either side joins two words; `@` joins two values only, so that
    `0.01@ lev 5` leaves `lev` a keyword (and the fill visibly incomplete) and
    `channel @name` stays a keyword and its value."""
    if previous.endswith(_SEPARATORS) or word.startswith(_SEPARATORS):
        return True
    if word.startswith("@"):
        return _VALUE_START.match(previous) is not None
    return previous.endswith("@") and _VALUE_START.match(word) is not None


def _closest(word: str, choices: Iterable[str]) -> str:
    """The closest known word for a "did you mean", or "" when nothing is close."""
    matches = get_close_matches(word[:32], list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else ""


# --- pass 2: positionals, keywords, flags -----------------------------------------------------


def _collect(
    grammar: Grammar[R], tokens: list[str], reading: _Reading
) -> tuple[dict[str, Typed], tuple[Typed, ...]]:
    """Every part of the command as typed, keyed by canonical name, and the values of its
    list in order; syntax errors refused."""
    raw: dict[str, Typed] = {}
    listed: list[Typed] = []
    typed = partial(Typed, style=reading.style)
    index = 0
    for position, name in enumerate(grammar.positionals):
        if index < len(tokens) and not _is_clause(grammar, tokens[index]):
            last = position == len(grammar.positionals) - 1
            value, index = _value(tokens, index, reading.style, glue=last)
            raw[name] = typed(value, value)
            if name == "symbol":  # `/size 72000 …`: name the symbol, not the entry
                typed = partial(typed, reference=reading.marks.get(symbol(raw[name], name)))
        elif not (grammar.optional_last and position == len(grammar.positionals) - 1):
            word = tokens[index] if index < len(tokens) else ""
            raise CommandError(ErrorCode.MISSING_ARGUMENT, word=word, what=name)
    while index < len(tokens):
        if grammar.listed and _in_list(grammar, tokens[index]):
            listed.append(typed(tokens[index], tokens[index]))
            index += 1
        else:
            index = _clause(grammar, tokens, index, raw, typed, reading.style)
    return raw, tuple(listed)


def _in_list(grammar: Grammar[R], token: str) -> bool:
    """A word that starts like a number and is no clause (`20x` is leverage) joins the list;
    anything else is read as a keyword, so a misspelt one still gets its "did you mean"."""
    return _VALUE_START.match(token) is not None and not _is_clause(grammar, token)


def _value(tokens: list[str], index: int, style: NumberStyle, *, glue: bool) -> tuple[str, int]:
    """The value at `index` and the index after it; `72 000` is one number for members whose
    language groups thousands with a space or a dot (it becomes `72.000`), unless the next
    word could be a value of its own (`/pnl BTC 100 200`: entry 100, exit 200)."""
    token = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    if glue and style.group == "." and _HEAD_GROUP.fullmatch(token) and _GROUP.fullmatch(following):
        return f"{token}.{following}", index + 2
    return token, index + 1


def _clause(
    grammar: Grammar[R],
    tokens: list[str],
    index: int,
    raw: dict[str, Typed],
    typed: Callable[[str, str], Typed],
    style: NumberStyle,
) -> int:
    """Read the flag, bare token or keyword pair at `index`; return the index after it."""
    token = tokens[index]
    lowered = token.lower()
    flag = _flag(grammar, lowered)
    if flag is not None:
        _set_flag(raw, flag[0], typed(token, flag[1]))
        return index + 1
    bare = _bare(grammar, lowered)
    if bare is not None:
        _set_keyword(raw, bare, typed(token, token))
        return index + 1
    key, inline = _split_pair(token)
    name = _keyword(grammar, key.lower())
    if name is None:
        raise CommandError(
            ErrorCode.UNKNOWN_KEYWORD, word=key or token, suggestion=_suggestion(grammar, key)
        )
    if inline:
        _set_keyword(raw, name, typed(key, inline))
        return index + 1
    following = index + 1
    if following >= len(tokens) or _starts_other_clause(grammar, name, tokens[following]):
        raise CommandError(ErrorCode.MISSING_VALUE, word=key, what=name)
    value, after = _value(tokens, following, style, glue=True)
    _set_keyword(raw, name, typed(key, value))
    return after


def _split_pair(token: str) -> tuple[str, str]:
    """`stop=71500` or `stop:71500` into its key and value (empty for a lone `stop`)."""
    key, _, value = _KEY_VALUE.sub("=", token, count=1).partition("=")
    return key, value


def _keyword(grammar: Grammar[R], key: str) -> str | None:
    """The canonical name of a keyword spelling, if this command accepts it."""
    for name in grammar.keywords:
        if key in KEYWORDS[name]:
            return name
    return None


def _flag(grammar: Grammar[R], word: str) -> tuple[str, str] | None:
    """The (field, value) a bare flag such as `short` or `iso` sets, if this command has it."""
    for group in grammar.flags:
        if word in FLAGS[group]:
            return group, FLAGS[group][word]
    return None


def _bare(grammar: Grammar[R], word: str) -> str | None:
    """The keyword a bare token such as `20x` or `8h` stands for, if this command has it."""
    for name, pattern in BARE_TOKENS.items():
        if name in grammar.keywords and pattern.fullmatch(word):
            return name
    return None


def _is_clause(grammar: Grammar[R], token: str) -> bool:
    """Whether a token starts a keyword pair, is a flag or a bare token: not a positional."""
    lowered = token.lower()
    key, _ = _split_pair(lowered)
    return (
        _keyword(grammar, key) is not None
        or _flag(grammar, lowered) is not None
        or _bare(grammar, lowered) is not None
    )


def _starts_other_clause(grammar: Grammar[R], name: str, token: str) -> bool:
    """Whether the word after a keyword is another keyword or flag, i.e. the value is missing.

    `contract micro` is the one keyword whose values are also flags.
    """
    lowered = token.lower()
    if name == "contract" and lowered in FLAGS["contract"]:
        return False
    key, _ = _split_pair(lowered)
    return _keyword(grammar, key) is not None or _flag(grammar, lowered) is not None


def _suggestion(grammar: Grammar[R], key: str) -> str:
    """The "did you mean" among this command's own keywords and flags only."""
    words = [alias for name in grammar.keywords for alias in KEYWORDS[name]]
    words += [flag for group in grammar.flags for flag in FLAGS[group]]
    return _closest(key.lower(), words)


def _set_keyword(raw: dict[str, Typed], name: str, typed: Typed) -> None:
    """A keyword given twice is ambiguous: which value did the member mean?"""
    if name in raw:
        raise CommandError(ErrorCode.DUPLICATE_KEYWORD, word=typed.word, what=name)
    raw[name] = typed


def _set_flag(raw: dict[str, Typed], name: str, typed: Typed) -> None:
    """Repeating a flag is harmless; contradicting an earlier one is an error."""
    earlier = raw.get(name)
    if earlier is not None and earlier.value != typed.value:
        raise CommandError(ErrorCode.CONFLICTING_WORDS, word=typed.word, other=earlier.word)
    raw[name] = typed
