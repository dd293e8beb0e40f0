"""Parse untrusted JSON into the model, turning validation errors into one plain sentence.

The error names the JSON path of the first problem as it appears in the document
(``credentialSubject.achievement.name: field required``,
``credentialSubject.identifier[0].hashed: input should be a valid boolean``), not pydantic's
internal location (which also names union branches and list wrappers).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_camel
from pydantic_core import ErrorDetails

from microcred.core.errors import InputError
from microcred.core.model.credential import AchievementCredential, EndorsementCredential

M = TypeVar("M", bound=BaseModel)


def _document_path(document: Any, loc: Sequence[int | str], missing: bool) -> list[int | str]:
    """The part of ``loc`` that walks through ``document`` (drops union branch names)."""
    path: list[int | str] = []
    current = document
    for position, step in enumerate(loc):
        if _has_step(current, step):
            current = current[step]
        elif missing and position == len(loc) - 1 and isinstance(step, str):
            # pydantic names defaults validated by validate_default by the Python name.
            step = to_camel(step)
        else:
            continue  # a union branch ("str", "Profile") or a single value held as a list
        path.append(step)  # a step into the document, or the required field that is absent
    return path


def _has_step(current: Any, step: int | str) -> bool:
    if isinstance(step, int):
        return isinstance(current, list) and 0 <= step < len(current)
    return isinstance(current, dict) and step in current


def format_path(path: Sequence[int | str]) -> str:
    """``["a", 0, "b"]`` -> ``"a[0].b"``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _plain(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message[:1].lower() + message[1:]


def _pick(document: Any, errors: list[ErrorDetails]) -> tuple[list[int | str], str]:
    """The first problem; among union alternatives for it, the one that goes deepest."""
    first_root = errors[0]["loc"][:1]
    best: tuple[list[int | str], str] | None = None
    for error in errors:
        if error["loc"][:1] != first_root:
            continue
        path = _document_path(document, error["loc"], error["type"] == "missing")
        if best is None or len(path) > len(best[0]):
            best = (path, _plain(error["msg"]))
    assert best is not None  # errors[0] itself matches first_root
    return best


def validation_error_to_input_error(document: Any, exc: ValidationError) -> InputError:
    """One :class:`InputError` naming the path and the problem in plain words."""
    errors = exc.errors(include_url=False)
    path, message = _pick(document, errors)
    return InputError(message, where=format_path(path) or "document")


def parse_model(model: type[M], document: Any) -> M:
    """Validate ``document`` as ``model`` or raise :class:`InputError` with a JSON path."""
    if not isinstance(document, dict):
        raise InputError(f"expected a JSON object, got {type(document).__name__}", where="document")
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        raise validation_error_to_input_error(document, exc) from None


def parse_credential(doc: dict[str, Any]) -> AchievementCredential:
    """An Open Badges 3.0 AchievementCredential (VC 2.0, or VC 1.1 shaped) from JSON."""
    return parse_model(AchievementCredential, doc)


def parse_endorsement(doc: dict[str, Any]) -> EndorsementCredential:
    """An Open Badges 3.0 EndorsementCredential from JSON."""
    return parse_model(EndorsementCredential, doc)
