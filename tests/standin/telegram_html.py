"""Telegram's HTML parse mode, checked as the Bot API checks it before sending a message.

The rules are the Bot API's "HTML style" (https://core.telegram.org/bots/api#html-style): only
the listed tags, each closed in order, `<span>` only as a spoiler, only the named entities
&lt; &gt; &amp; &quot; (numeric ones are fine), and every other `<`, `>` or `&` escaped. A text
that breaks them gets Telegram's "Bad Request: can't parse entities".
"""

import re
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "code",
        "del",
        "em",
        "i",
        "ins",
        "pre",
        "s",
        "span",
        "strike",
        "strong",
        "tg-emoji",
        "tg-spoiler",
        "u",
    }
)
NAMED_ENTITIES = frozenset({"lt", "gt", "amp", "quot"})
# An `&` that does not start one of the entities Telegram knows, closed by its `;`.
_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"unsupported start tag <{tag}>")
        elif tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self.problems.append("a <span> that is not a tg-spoiler")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing tag <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"can't find start tag for </{tag}>")
            return
        self.open.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in NAMED_ENTITIES:
            self.problems.append(f"unsupported entity &{name};")

    def handle_data(self, data: str) -> None:
        for char in "<>&":
            if char in data:
                self.problems.append(f"unescaped {char!r}")

    def handle_comment(self, data: str) -> None:
        self.problems.append("a comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("a declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("a processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("a declaration")


def html_problem(text: str) -> str | None:
    """Why Telegram would refuse `text` in HTML parse mode, or None when it parses."""
    if _BARE_AMPERSAND.search(text):
        return "unescaped '&'"
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.rawdata:
        checker.problems.append(f"unfinished markup {checker.rawdata[:20]!r}")
    if checker.open:
        checker.problems.append(f"unclosed <{checker.open[-1]}>")
    return checker.problems[0] if checker.problems else None
