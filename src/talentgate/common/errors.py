"""Domain errors that carry the field, the rule and a message a person can act on.

Services raise these; the API turns them into the shared error envelope and the
portal shows them next to the field. Nothing else should need to parse a message.

Messages are written for people, so they are translated (gettext) in the language active
when the error is raised, i.e. the visitor's; ``field`` and ``rule`` are machine names and
never are. A lazy translation given as a message is rendered at construction for the same
reason, so an error never changes language after it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, pgettext, pgettext_lazy

#: The nouns services pass to :class:`NotFound`, declared here so makemessages collects them
#: (context "object"); a noun missing from this list is shown untranslated, never refused.
OBJECT_NAMES = (
    pgettext_lazy("object", "object"),
    pgettext_lazy("object", "API token"),
    pgettext_lazy("object", "agreement"),
    pgettext_lazy("object", "application"),
    pgettext_lazy("object", "assessment"),
    pgettext_lazy("object", "bloc"),
    pgettext_lazy("object", "call"),
    pgettext_lazy("object", "candidate"),
    pgettext_lazy("object", "case"),
    pgettext_lazy("object", "case document"),
    pgettext_lazy("object", "checklist item"),
    pgettext_lazy("object", "country"),
    pgettext_lazy("object", "couple"),
    pgettext_lazy("object", "decision"),
    pgettext_lazy("object", "document"),
    pgettext_lazy("object", "erasure request"),
    pgettext_lazy("object", "exchange programme"),
    pgettext_lazy("object", "facility"),
    pgettext_lazy("object", "family member"),
    pgettext_lazy("object", "file"),
    pgettext_lazy("object", "information request"),
    pgettext_lazy("object", "invitation"),
    pgettext_lazy("object", "job"),
    pgettext_lazy("object", "legal hold"),
    pgettext_lazy("object", "membership"),
    pgettext_lazy("object", "message"),
    pgettext_lazy("object", "notification"),
    pgettext_lazy("object", "offer"),
    pgettext_lazy("object", "opportunity"),
    pgettext_lazy("object", "organisation"),
    pgettext_lazy("object", "permit"),
    pgettext_lazy("object", "policy version"),
    pgettext_lazy("object", "policy version in force"),
    pgettext_lazy("object", "profile"),
    pgettext_lazy("object", "programme"),
    pgettext_lazy("object", "quota"),
    pgettext_lazy("object", "reconsideration"),
    pgettext_lazy("object", "run"),
    pgettext_lazy("object", "sector"),
    pgettext_lazy("object", "selection round"),
    pgettext_lazy("object", "submission"),
    pgettext_lazy("object", "suspected duplicate"),
)


@dataclass
class FieldError:
    """One broken rule: where (``field``, a dotted path or ``""`` for the whole object), which rule, and what to do."""

    field: str
    rule: str
    message: str

    def __post_init__(self) -> None:
        # A gettext_lazy proxy (module-level guard wording) becomes text in the active language now.
        self.message = str(self.message)

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule, "message": self.message}


@dataclass
class DomainError(Exception):
    """Base of every refusal a service makes; ``status`` is the HTTP status the API answers with."""

    errors: list[FieldError] = field(default_factory=list)
    status: int = 400

    def __post_init__(self) -> None:
        super().__init__("; ".join(f"{e.field or '(object)'}: {e.message} [{e.rule}]" for e in self.errors))

    @classmethod
    def single(cls, field: str, rule: str, message: str) -> DomainError:
        return cls([FieldError(field, rule, message)])


class ValidationFailed(DomainError):
    """Input broke one or more rules (400)."""


class PermissionRefused(DomainError):
    """The actor may not do this (403)."""

    def __init__(self, message: Any = None, rule: str = "permission") -> None:
        text = gettext("You are not allowed to do this.") if message is None else message
        super().__init__([FieldError("", rule, text)], status=403)


class NotFound(DomainError):
    """The object does not exist or is not visible to the actor (404): the two are never distinguished."""

    def __init__(self, what: Any = "object") -> None:
        # ``what`` is an English noun ("application"); its translation, if the catalogue has one,
        # is under the context "object" (see OBJECT_NAMES), so callers pass the plain noun.
        noun = pgettext("object", str(what))
        super().__init__([FieldError("", "not_found", gettext("No such %(what)s.") % {"what": noun})], status=404)


class Conflict(DomainError):
    """The request conflicts with the object's current state (409)."""

    def __init__(self, field: str, rule: str, message: str) -> None:
        super().__init__([FieldError(field, rule, message)], status=409)


class TransitionRefused(DomainError):
    """A state-machine transition's guard failed; the message names the condition (409)."""

    def __init__(self, transition: str, condition: str, message: str) -> None:
        super().__init__([FieldError("status", condition, message)], status=409)
        self.transition = transition
