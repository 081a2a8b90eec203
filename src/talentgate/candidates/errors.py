"""Turning canonical-format validation failures into the platform's domain errors."""

from __future__ import annotations

from pydantic import ValidationError

from talentgate.canonical.interchange import dotted_path
from talentgate.common.errors import FieldError, ValidationFailed


def validation_failed(error: ValidationError, prefix: str = "") -> ValidationFailed:
    """A ``ValidationFailed`` with one ``FieldError`` per pydantic error: the path, the rule (error type) and the message."""
    errors = []
    for item in error.errors(include_url=False):
        path = dotted_path(item["loc"])
        errors.append(FieldError(f"{prefix}.{path}" if prefix and path else prefix or path, item["type"], item["msg"]))
    return ValidationFailed(errors)
