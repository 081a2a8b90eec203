"""Turning canonical-format validation failures into the platform's domain errors, in the visitor's language.

The canonical format (``talentgate.canonical``) is framework-free, so its messages, and pydantic's own,
are English. Each known message shape is a gettext msgid below whose English text is exactly the
message the canonical model or pydantic writes, with ``%(name)s`` where it varies. A message that
matches a shape is rendered in the active language with the values it carried; one that matches none
is passed on as written. English output is therefore unchanged, and the rule and path never change.
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.translation import gettext, gettext_noop
from pydantic import ValidationError

from talentgate.canonical.interchange import dotted_path
from talentgate.common.errors import FieldError, ValidationFailed

#: The message shapes, English as written by talentgate.canonical (profile.py, codes.py) and pydantic.
MESSAGE_SHAPES = (
    # canonical.profile
    gettext_noop("date of birth is in the future"),
    gettext_noop("date of birth is more than 120 years ago"),
    gettext_noop("a citizenship is listed twice"),
    gettext_noop("expiry date must be after the issue date"),
    gettext_noop("give an ESCO occupation URI or an ISCO-08 code"),
    gettext_noop("end date must not be before the start date"),
    gettext_noop("say which language was assessed (ISO 639-1)"),
    gettext_noop("%(test)s tests '%(expected)s', not '%(given)s'"),
    gettext_noop("the test date is in the future"),
    gettext_noop("a child needs a date of birth"),
    gettext_noop("a rejected document needs the reason"),
    gettext_noop("only a rejected document has a rejection reason"),
    gettext_noop("graduation year must be %(year)s or later (born %(born)s, minimum age %(age)s)"),
    gettext_noop("a job cannot start before age %(age)s (%(date)s)"),
    gettext_noop("test date is before the date of birth"),
    gettext_noop("year must be %(year)s or later"),
    gettext_noop("only one spouse or partner relocates with the candidate"),
    gettext_noop("a child is born after the candidate"),
    gettext_noop("consent for '%(purpose)s' is already active (entry %(entry)s); withdraw it first"),
    gettext_noop("extension names are snake_case, e.g. 'provincial_nomination'"),
    # canonical.codes
    gettext_noop("'%(value)s' is not an ISO 3166-1 alpha-2 country code (e.g. 'KZ', 'IN', 'BR')"),
    gettext_noop("'%(value)s' is not an ISO 4217 currency code (e.g. 'EUR', 'USD', 'RUB')"),
    gettext_noop("'%(value)s' is not an ISO 639-1 language code (e.g. 'en', 'ru', 'zh')"),
    gettext_noop(
        "'%(value)s' is not an ISCED-F 2013 field code (2-digit broad, 3-digit narrow or 4-digit detailed, "
        "starting with a broad field 00-10 or 99)"
    ),
    # pydantic's own messages for the constraints the canonical model uses
    gettext_noop("Field required"),
    gettext_noop("Extra inputs are not permitted"),
    gettext_noop("String should have at most %(limit)s characters"),
    gettext_noop("String should have at least %(limit)s characters"),
    gettext_noop("String should match pattern '%(pattern)s'"),
    gettext_noop("Input should be greater than %(limit)s"),
    gettext_noop("Input should be greater than or equal to %(limit)s"),
    gettext_noop("Input should be less than %(limit)s"),
    gettext_noop("Input should be less than or equal to %(limit)s"),
    gettext_noop("Input should be a valid integer"),
    gettext_noop("Input should be a valid number"),
    gettext_noop("Input should be a valid boolean"),
    gettext_noop("Input should be a valid string"),
    gettext_noop("Input should be a valid list"),
    gettext_noop("Input should be %(expected)s"),
    gettext_noop("Decimal input should have no more than %(limit)s decimal places"),
)

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@cache
def _matchers() -> tuple[tuple[re.Pattern[str], str], ...]:
    """One anchored pattern per shape; placeholders match any text (the shortest that completes the match)."""
    matchers = []
    for shape in MESSAGE_SHAPES:
        parts = _PLACEHOLDER.split(shape)
        # split() alternates literal text and placeholder names: even indexes are text, odd are names.
        pattern = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
        matchers.append((re.compile(f"^{pattern}$", re.DOTALL), shape))
    return tuple(matchers)


def translated_message(message: str) -> str:
    """``message`` in the active language when it has a known shape; otherwise as written."""
    for pattern, shape in _matchers():
        found = pattern.match(message)
        if found is not None:
            return gettext(shape) % found.groupdict()
    return message


def validation_failed(error: ValidationError, prefix: str = "") -> ValidationFailed:
    """A ``ValidationFailed`` with one ``FieldError`` per pydantic error: the path, the rule (error type) and the message."""
    errors = []
    for item in error.errors(include_url=False):
        path = dotted_path(item["loc"])
        field = f"{prefix}.{path}" if prefix and path else prefix or path
        errors.append(FieldError(field, item["type"], translated_message(item["msg"])))
    return ValidationFailed(errors)
