"""Decimals as people and spreadsheets read them: digits and one point, never an exponent.

Arithmetic leaves some results with an exponent (`20 / 0.001` is `2E+4`, a fee of nothing
`0E-31`), and `str(Decimal)` prints it, which JSON readers, spreadsheets and members take for
another number or none. Every model's JSON goes through `PlainJson`; CSV cells through `plain`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, SerializerFunctionWrapHandler, field_serializer


def plain(value: Decimal) -> str:
    """`2.5E+3` → `2500`, `1E-8` → `0.00000001`, any zero (`0E-31`) → `0`; the digits a value
    was written with (`0.10`, `1224.000`) stay, so only the notation changes."""
    if value.is_zero():
        return "0"
    return format(value, "f") if value.is_finite() else str(value)


def _all_decimals(values: Sequence[object]) -> bool:
    return all(isinstance(value, Decimal) for value in values)


class PlainJson(BaseModel):
    """A model whose JSON (`model_dump(mode="json")`, `model_dump_json`) writes plain decimals.

    Applies to every field of every subclass, and to a mapping or sequence of decimals held
    in a field; nested models carry their own serializer. It also overrides a serializer
    annotated on a field's type (pydantic 2.14), in every mode: a field that needs its own
    gets a `field_serializer` of its own, which wins (`NewCheck.created_at`).
    """

    @field_serializer("*", mode="wrap", when_used="json")
    def _plain_decimals(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        if isinstance(value, Decimal):
            return plain(value)
        if isinstance(value, Mapping) and _all_decimals(list(value.values())):
            return {str(key): plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple) and value and _all_decimals(value):
            return [plain(item) for item in value]
        return handler(value)
