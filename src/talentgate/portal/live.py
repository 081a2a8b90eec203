"""Live validation of portal forms with htmx: a field posts its form when it is left changed, and the answer
(the field's group re-rendered with its errors) replaces the group."""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from django import forms
from django.urls import reverse

from talentgate.common.errors import DomainError

#: On leaving a changed field, never on "change": a date or a select fires "change" while it is still being
#: typed into or arrowed through, and swapping the focused input threw a keyboard user out of it.
LIVE_TRIGGER = "blur changed"

_SCOPE = re.compile(r"^[a-z0-9-]{1,40}$")


def is_valid_scope(scope: str) -> bool:
    """Whether ``scope`` may prefix a form's element ids (it travels in a URL's query)."""
    return bool(_SCOPE.match(scope))


def live_attrs(url: str, target: str) -> dict[str, str]:
    """The htmx attributes of an input validated live: post the whole form to ``url``, swap ``target``."""
    return {
        "hx-post": url,
        "hx-trigger": LIVE_TRIGGER,
        "hx-target": target,
        "hx-swap": "outerHTML",
        "hx-include": "closest form",
    }


def enable_live_validation(form: forms.BaseForm, url: str) -> None:
    """Make every visible field of ``form`` post it to ``url`` when left changed (with ``_field``: its name) and
    swap in its own re-rendered ``#group-<name>``. Passwords are left out: they are never sent back in a
    fragment."""
    for name, field in form.fields.items():
        if field.widget.is_hidden or isinstance(field.widget, forms.PasswordInput):
            continue
        attrs = live_attrs(url, f"#group-{form.add_prefix(name)}")
        field.widget.attrs.update({**attrs, "hx-vals": json.dumps({"_field": name})})


def field_group_target(form: forms.BaseForm, name: str) -> str:
    """The CSS selector of field ``name``'s group (``#<input id>_field``), the id made as BoundField.auto_id
    makes it: asking ``form[name]`` instead would cache a bound field before a subclass sets its help text."""
    auto_id = form.auto_id
    html_name = form.add_prefix(name)
    element_id = auto_id % html_name if isinstance(auto_id, str) and "%s" in auto_id else html_name
    return f"#{element_id}_field"


class ScopedLiveForm(forms.Form):
    """A staff form that knows its live-validation key and scope (the prefix of its element ids).

    Several copies of one form on a page (one per document, one per organisation) differ by ``scope``, which
    keeps their labels, errors and ``aria-describedby`` unique. Each field of ``live_fields`` is re-validated
    through the view named ``validate_view``, which answers the field's ``<div id="…_field">`` group.
    """

    #: The URL name of the app's live-validation view (arguments: the form's key and the field's name).
    validate_view: ClassVar[str] = ""
    validation_key = ""
    #: The fields re-validated as they are filled in (a choice from a list cannot be wrong; text and dates can).
    live_fields: tuple[str, ...] = ()
    #: Field names a service uses in its refusals that this form calls otherwise.
    field_aliases: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, scope: str = "", **kwargs: Any) -> None:
        if scope and not is_valid_scope(scope):
            raise ValueError(f"bad form scope {scope!r}")
        self.scope = scope
        kwargs.setdefault("auto_id", f"{scope}-%s" if scope else "id_%s")
        super().__init__(*args, **kwargs)
        for name in self.live_fields:
            if name not in self.fields:
                continue
            url = reverse(self.validate_view, args=[self.validation_key, name])
            if scope:
                url += f"?scope={scope}"
            self.fields[name].widget.attrs.update(live_attrs(url, field_group_target(self, name)))

    def add_domain_errors(self, refusal: DomainError) -> None:
        """Show a service's refusal next to the field it names (its own name, an alias, or the last part of a
        dotted path such as ``permit.valid_until``), else above the form."""
        for error in refusal.errors:
            name = self.field_aliases.get(error.field, error.field)
            if name not in self.fields and "." in name:
                name = name.rsplit(".", 1)[-1]
            self.add_error(name if name in self.fields else None, error.message)
