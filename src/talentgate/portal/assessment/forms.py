"""Forms of the assessment pages. They only collect input: the rules live in ``assessment.services`` and
``assessment.rounds``, whose errors are shown next to the field they name (:func:`show_domain_error`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentgate.common.errors import DomainError


def show_domain_error(form: forms.Form, error: DomainError) -> None:
    """Each service error next to the field it names; errors about anything else at the top of the form."""
    for item in error.errors:
        form.add_error(item.field if item.field in form.fields else None, item.message)


class PolicyDraftForm(forms.Form):
    yaml_text = forms.CharField(
        label=_("Policy (YAML)"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100, "spellcheck": "false"}),
        help_text=_(
            "A whole policy version: id, version, dates, source, inputs, groups, factors (English and Russian texts)."
        ),
    )


class ReassessForm(forms.Form):
    policy_id = forms.ChoiceField(label=_("Policy"), required=False, help_text=_("Empty: the programme's own policy."))

    def __init__(self, *args: Any, policy_ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy_id"].choices = [("", _("the programme's policy")), *((p, p) for p in policy_ids)]  # type: ignore[attr-defined]


class ProgrammePolicyForm(forms.Form):
    policy_id = forms.ChoiceField(label=_("Policy"), help_text=_("A published policy; new assessments use it."))

    def __init__(self, *args: Any, policy_ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy_id"].choices = [(p, p) for p in policy_ids]  # type: ignore[attr-defined]


class RoundForm(forms.Form):
    programme_id = forms.TypedChoiceField(label=_("Programme"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=120)
    policy_id = forms.ChoiceField(label=_("Policy"))
    category = forms.CharField(
        label=_("Category"),
        required=False,
        max_length=60,
        help_text=_("Only candidates in this category; empty: all eligible."),
    )
    invitations = forms.IntegerField(
        label=_("Number of invitations"), required=False, help_text=_("Give this or a cutoff score.")
    )
    cutoff = forms.FloatField(
        label=_("Cutoff score"), required=False, help_text=_("Everyone at or above it is invited.")
    )

    def __init__(self, *args: Any, programmes: list[tuple[int, str]], policy_ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme_id"].choices = programmes  # type: ignore[attr-defined]
        self.fields["policy_id"].choices = [(p, p) for p in policy_ids]  # type: ignore[attr-defined]
