"""Domain errors that carry the field, the rule and a message a person can act on.

Services raise these; the API turns them into the shared error envelope and the
portal shows them next to the field. Nothing else should need to parse a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldError:
    """One broken rule: where (``field``, a dotted path or ``""`` for the whole object), which rule, and what to do."""

    field: str
    rule: str
    message: str

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

    def __init__(self, message: str = "You are not allowed to do this.", rule: str = "permission") -> None:
        super().__init__([FieldError("", rule, message)], status=403)


class NotFound(DomainError):
    """The object does not exist or is not visible to the actor (404): the two are never distinguished."""

    def __init__(self, what: str = "object") -> None:
        super().__init__([FieldError("", "not_found", f"No such {what}.")], status=404)


class Conflict(DomainError):
    """The request conflicts with the object's current state (409)."""

    def __init__(self, field: str, rule: str, message: str) -> None:
        super().__init__([FieldError(field, rule, message)], status=409)


class TransitionRefused(DomainError):
    """A state-machine transition's guard failed; the message names the condition (409)."""

    def __init__(self, transition: str, condition: str, message: str) -> None:
        super().__init__([FieldError("status", condition, message)], status=409)
        self.transition = transition
