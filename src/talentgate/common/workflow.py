"""Running django-fsm-2 transitions with named guards, and turning model validation into domain errors.

Shared by every domain with a state machine (applications, opportunities, offers, cases). django-fsm
only says *that* a transition is not allowed; a person needs to know *why*. So every
condition and permission handed to ``@transition`` is a :class:`Guard` or an
:class:`ActorRule` that carries its own rule name and wording, and :func:`check_transition`
evaluates them one by one to name the first that fails.

Refusals are worded in the visitor's language: the sentence frame is translated here, each
guard's ``needs`` may be a lazy translation (guards are declared at import), the transition's
name is looked up under the gettext context "transition" (each guards module declares its
names, e.g. ``pgettext_lazy("transition", "submit")``) and the state is shown by its choice
label. The ``rule`` codes stay machine names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext, pgettext
from django_fsm import ConcurrentTransition, FSMFieldMixin, has_transition_perm

from talentgate.common.errors import Conflict, FieldError, PermissionRefused, TransitionRefused, ValidationFailed


@dataclass(frozen=True)
class Guard:
    """A condition on the object: ``rule`` is its machine name, ``needs`` completes "<transition> needs ..."."""

    rule: str
    needs: Any  # str or a gettext_lazy proxy, rendered when a refusal is raised
    test: Callable[[Any], bool]

    def __call__(self, instance: Any) -> bool:
        return bool(self.test(instance))


@dataclass(frozen=True)
class ActorRule:
    """One part of a transition's permission: who may act, with the wording used when they may not."""

    rule: str
    needs: Any  # str or a gettext_lazy proxy, rendered when a refusal is raised
    test: Callable[[Any, Any], bool]

    def __call__(self, instance: Any, user: Any) -> bool:
        return bool(self.test(instance, user))


@dataclass(frozen=True)
class AllOf:
    """A django-fsm ``permission=`` made of several :class:`ActorRule` parts, all of which must hold."""

    parts: tuple[ActorRule, ...]

    def __call__(self, instance: Any, user: Any) -> bool:
        return all(part(instance, user) for part in self.parts)


def all_of(*parts: ActorRule) -> AllOf:
    return AllOf(tuple(parts))


def _fsm_transition(bound_method: Any) -> Any:
    meta = bound_method._django_fsm
    state = meta.field.get_state(bound_method.__self__)
    return meta, state, meta.get_transition(state) if meta.has_transition(state) else None


def transition_label(name: str) -> str:
    """The transition's name for people: its translation under the context "transition", else the name itself."""
    return pgettext("transition", name)


def state_label(meta: Any, state: Any) -> str:
    """A state as people read it: the state field's choice label (the value itself where there is none)."""
    return str(dict(meta.field.flatchoices).get(state, state))


def _needs(transition: str, needs: Any) -> str:
    return gettext("%(transition)s needs %(condition)s") % {
        "transition": transition_label(transition),
        "condition": str(needs),
    }


def check_transition(instance: models.Model, name: str, actor: Any) -> None:
    """Refuse, naming the reason, unless ``actor`` may run transition ``name`` on ``instance`` now.

    Order: the current state must allow the transition (409), the actor must pass every
    permission part (403), then every condition must hold (409, the condition named).
    """
    bound = getattr(instance, name)
    meta, state, fsm_transition = _fsm_transition(bound)
    if fsm_transition is None:
        message = gettext("%(transition)s is not possible from status '%(state)s'") % {
            "transition": transition_label(name),
            "state": state_label(meta, state),
        }
        raise TransitionRefused(name, "source_state", message)
    permission = fsm_transition.permission
    parts: Iterable[Any] = permission.parts if isinstance(permission, AllOf) else [permission] if permission else []
    for part in parts:
        if not part(instance, actor):
            needs = getattr(part, "needs", None) or gettext("a permission you do not have")
            raise PermissionRefused(_needs(name, needs), rule=getattr(part, "rule", "permission"))
    for condition in fsm_transition.conditions:
        if not condition(instance):
            rule = getattr(condition, "rule", "condition")
            needs = getattr(condition, "needs", getattr(condition, "__name__", None) or gettext("a condition"))
            raise TransitionRefused(name, rule, _needs(name, needs))
    # The checks above mirror django-fsm's own; this keeps the two from drifting apart.
    if not has_transition_perm(bound, actor):  # pragma: no cover - reached only if a guard lacks a name
        message = gettext("%(transition)s is not allowed now") % {"transition": transition_label(name)}
        raise TransitionRefused(name, "condition", message)


def run_transition(instance: models.Model, name: str, actor: Any, *args: Any, **kwargs: Any) -> tuple[str, str]:
    """Check, run and save transition ``name``; return ``(from_state, to_state)``.

    Call inside ``transaction.atomic()``. Models using ``ConcurrentTransitionMixin`` refuse
    the save when someone else moved the object since it was read; that becomes a 409
    Conflict and the surrounding transaction rolls back.
    """
    check_transition(instance, name, actor)
    meta, from_state, _ = _fsm_transition(getattr(instance, name))
    getattr(instance, name)(*args, **kwargs)
    to_state = meta.field.get_state(instance)
    try:
        # A savepoint of its own, so a refused save leaves the caller's transaction usable.
        with transaction.atomic():
            instance.save()
    except ConcurrentTransition as exc:
        message = gettext(
            "Someone else changed this record while you were working on it (it is no longer '%(state)s'); "
            "reload it and try again."
        ) % {"state": state_label(meta, from_state)}
        raise Conflict("status", "concurrent_transition", message) from exc
    return str(from_state), str(to_state)


def refuse_invalid(exc: ValidationError, prefix: str = "") -> ValidationFailed:
    """Translate Django's ``ValidationError`` into our error list, each naming field and rule."""
    errors: list[FieldError] = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.error_dict.items():
            name = "" if field == "__all__" else field
            path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            for error in field_errors:
                errors.extend(FieldError(path, error.code or "invalid", message) for message in error.messages)
    else:
        for error in exc.error_list:
            errors.extend(FieldError(prefix, error.code or "invalid", message) for message in error.messages)
    return ValidationFailed(errors)


def validation_errors(instance: models.Model, prefix: str = "", exclude: Iterable[str] = ()) -> list[FieldError]:
    """The model's own validation (fields, choices, foreign keys, constraints) as a list of errors.

    State-machine fields are always left out: they are protected (``full_clean`` would try
    to assign them) and only transitions set them.
    """
    skipped = set(exclude) | {f.name for f in instance._meta.fields if isinstance(f, FSMFieldMixin)}
    try:
        instance.full_clean(exclude=sorted(skipped))
    except ValidationError as exc:
        return refuse_invalid(exc, prefix).errors
    return []


def clean_or_refuse(instance: models.Model, prefix: str = "", exclude: Iterable[str] = ()) -> None:
    """Refuse with every broken rule of ``instance`` (see :func:`validation_errors`)."""
    errors = validation_errors(instance, prefix, exclude)
    if errors:
        raise ValidationFailed(errors)
