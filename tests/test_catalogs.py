"""The catalogs match the code: every message is translated, whole, with its placeholders.

Messages are extracted from the `chatbot` package with Babel's own extractor and default
keywords, exactly as `pybabel extract -F babel.cfg` does, so a string added to the code
without a translation fails here rather than showing up in English in a German chat.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import chatbot
from chatbot.render.i18n import available_languages, translator

PACKAGE = Path(chatbot.__file__).resolve().parent
LOCALES = PACKAGE.parent / "locales"
PLACEHOLDER = re.compile(r"{(\w*)}")
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"

MessageId = str | tuple[str, ...]


@cache
def extracted() -> dict[str, MessageId]:
    """Every message the code marks, keyed by its singular form; extracted once per run (a
    third of a second each time), as the code does not change while the tests run."""
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")])
    ids: dict[str, MessageId] = {}
    for _file, _line, message, _comments, _context in found:
        key = message if isinstance(message, str) else message[0]
        ids[key] = message
    return ids


def catalog(lang: str) -> Catalog:
    with (LOCALES / lang / "LC_MESSAGES" / "riskbot.po").open("rb") as po:
        return read_po(po, locale=lang)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def forms(message: Message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string or ())


def source_forms(message_id: MessageId) -> list[str]:
    return [message_id] if isinstance(message_id, str) else list(message_id)


def test_code_marks_messages() -> None:
    """The extractor finds the reply texts (guards against a silently empty extraction)."""
    ids = extracted()
    assert "Example: {example}" in ids
    assert "{count} micro contract of {size}" in ids
    assert len(ids) > 100


def test_english_and_german_ship() -> None:
    """Languages are found by scanning `locales`, and both launch languages are there."""
    assert {"en", "de"} <= set(available_languages())


@pytest.mark.parametrize("lang", available_languages())
def test_header(lang: str) -> None:
    """Each catalog declares its plural rule and is not marked fuzzy as a whole."""
    po = catalog(lang)
    assert not po.fuzzy
    if lang in {"en", "de"}:
        assert po.plural_forms == PLURAL_FORMS


@pytest.mark.parametrize("lang", available_languages())
def test_every_message_translated(lang: str) -> None:
    """Every message the code uses exists, translated, not fuzzy, with all plural forms."""
    po = catalog(lang)
    problems = []
    for key, message_id in extracted().items():
        entry = po.get(key)
        if entry is None:
            problems.append(f"missing: {key!r}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        texts = forms(entry)
        if not all(texts) or (entry.pluralizable and len(texts) != po.num_plurals):
            problems.append(f"untranslated: {key!r}")
        if isinstance(message_id, tuple) != entry.pluralizable:
            problems.append(f"plural mismatch: {key!r}")
    assert problems == []


@pytest.mark.parametrize("lang", available_languages())
def test_placeholders_kept(lang: str) -> None:
    """Each translation has exactly its message's placeholders: none dropped, none invented."""
    po = catalog(lang)
    problems = []
    for key, message_id in extracted().items():
        entry = po.get(key)
        if entry is None:
            continue
        wanted = set().union(*(placeholders(text) for text in source_forms(message_id)))
        for text in forms(entry):
            if placeholders(text) != wanted:
                problems.append(f"{key!r} → {text!r}")
    assert problems == []


def test_template_is_current() -> None:
    """`locales/riskbot.pot` holds every marked message (re-run the extract command if not)."""
    with (LOCALES / "riskbot.pot").open("rb") as pot:
        template = read_po(pot)
    assert set(extracted()) <= {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in template
        if message.id
    }


def test_translations_are_used() -> None:
    """German replies really come from the German catalog, compiled in memory."""
    assert translator("de").gettext("LIQUIDATION COMES FIRST") == "LIQUIDATION KOMMT ZUERST"
    german = translator("de").ngettext(
        "{count} micro contract of {size}",
        "{count} micro contracts of {size}",
        3,
        count=3,
        size="x",
    )
    assert german == "3 Mikro-Kontrakte zu x"
