"""Shared pieces of the Open Badges 3.0 model: the base class, list coercion, date checks.

Every model class inherits :class:`OBModel`, so the camelCase aliases are declared once
(``alias_generator=to_camel``) and every dump is ``by_alias=True, exclude_none=True``.
Open Badges lets a single value stand where an array is allowed ("array-compacted"): the
model accepts both and always holds a list, so callers never branch on the shape.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

T = TypeVar("T")


class OBModel(BaseModel):
    """Base of every OB 3.0 class: camelCase aliases, extensions allowed, compact dumps."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        serialize_by_alias=True,
    )

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready dict of this object (aliases, no ``None`` values)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class ClosedOBModel(OBModel):
    """A class whose published JSON Schema says ``additionalProperties: false``."""

    model_config = ConfigDict(extra="forbid")


def as_list(value: Any) -> Any:
    """Wrap a single value in a list (OB 3.0 "array-compacted" properties)."""
    if value is None or isinstance(value, list):
        return value
    return [value]


def _check_datetime(value: str, *, zone: bool) -> str:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time") from None
    if "T" not in value.upper():
        raise ValueError(f"{value!r} is a date, a date-time is required")
    if zone and parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone (e.g. 'Z' or '+01:00')")
    return value


def _check_datetime_z(value: str) -> str:
    return _check_datetime(value, zone=True)


def _check_datetime_any(value: str) -> str:
    return _check_datetime(value, zone=False)


def _check_types(value: list[str]) -> list[str]:
    if not value:
        raise ValueError("at least one type is required")
    return value


#: A list that also accepts a single value (kept as a list).
ListOf = Annotated[list[T], BeforeValidator(as_list)]

#: ``type``: a string or a non-empty list of strings, always held as a list.
TypeList = Annotated[list[str], BeforeValidator(as_list), AfterValidator(_check_types)]

#: OB ``DateTimeZ`` / VC ``dateTimeStamp``: ISO 8601 date-time with a time zone, kept verbatim.
DateTimeZ = Annotated[str, AfterValidator(_check_datetime_z)]

#: OB ``DateTime``: the time zone is optional.
DateTime = Annotated[str, AfterValidator(_check_datetime_any)]

#: A URI: kept verbatim; only emptiness is refused (OB allows URNs, DIDs and data: URIs).
URI = Annotated[str, Field(min_length=1)]


def require_type(types: list[str], *needed: str) -> None:
    """Raise ``ValueError`` unless ``types`` contains one of ``needed``."""
    if not any(name in types for name in needed):
        wanted = " or ".join(repr(name) for name in needed)
        raise ValueError(f"must include {wanted}")
