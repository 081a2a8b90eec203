"""Turning a notification's kind and plain-value context into its subject and message, in one language.

The stored context holds codes and both-language names; the words are chosen here, at render
time, so the portal shows a notification in the reader's language and the e-mail goes out in
the recipient's, from the same row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import pgettext

from talentgate.notifications.kinds import Kind, UnknownKind, get_kind


@dataclass(frozen=True)
class RenderedNotification:
    """A notification's words in one language: a one-line subject and a plain-text message."""

    subject: str
    message: str


def language_for(user: Any) -> str:
    """The language a person reads e-mails in: their chosen one, else the site's default."""
    chosen = getattr(user, "preferred_language", "") or ""
    codes = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in codes else settings.LANGUAGE_CODE


def _state_label(model_label: str, field_name: str, state: str) -> str:
    try:
        model = apps.get_model(model_label)
        choices = dict(model._meta.get_field(field_name).flatchoices)
    except (LookupError, ValueError, FieldDoesNotExist):
        return state
    return str(choices.get(state, state))


def _as_date(value: Any) -> Any:
    # Dates travel through the JSON column as ISO text; templates format real dates per language.
    if isinstance(value, str):
        return parse_datetime(value) or parse_date(value) or value
    return value


def template_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """The context a kind's templates see, with labels for the active language derived from the stored values.

    - ``<name>_en`` / ``<name>_ru`` pairs give ``<name>`` in the active language (English when the other is empty);
    - ``object`` gives ``object_name``, the noun translated under the context "object";
    - ``to_state`` / ``from_state`` give ``to_state_label`` / ``from_state_label``: the choice label of the
      ``model``'s state field (``state_field``, default "status") when ``model`` is given, else the code;
    - ``due_date``, ``expires_at`` and ``at`` become dates, so ``|date`` formats them per language.
    """
    ctx = dict(context)
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for key in list(ctx):
        if key.endswith("_en"):
            base = key[: -len("_en")]
            if base not in ctx:
                ctx[base] = ctx.get(f"{base}_{language}") or ctx[key]
    if ctx.get("object"):
        ctx["object_name"] = capfirst(pgettext("object", str(ctx["object"])))
    model_label = ctx.get("model")
    field_name = str(ctx.get("state_field") or "status")
    for key in ("to_state", "from_state"):
        if ctx.get(key):
            state = str(ctx[key])
            ctx[f"{key}_label"] = _state_label(str(model_label), field_name, state) if model_label else state
    for key in ("due_date", "expires_at", "at"):
        if key in ctx:
            ctx[key] = _as_date(ctx[key])
    return ctx


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render(kind: Kind, context: Mapping[str, Any], language: str | None = None) -> RenderedNotification:
    """Render ``kind`` with ``context`` in ``language`` (``None``: the active language)."""
    with translation.override(language) if language else translation.override(translation.get_language()):
        ctx = template_context(context)
        subject = _one_line(render_to_string(kind.subject_template, ctx))
        message = render_to_string(kind.message_template, ctx).strip()
    return RenderedNotification(subject=subject, message=message)


def render_notification(notification: Any, language: str | None = None) -> RenderedNotification:
    """A stored notification's words in ``language`` (default: the active one).

    A kind that is no longer registered still shows, by its code, rather than breaking a person's list.
    """
    try:
        spec = get_kind(notification.kind)
    except UnknownKind:
        return RenderedNotification(subject=notification.kind, message="")
    return render(spec, notification.context, language)
