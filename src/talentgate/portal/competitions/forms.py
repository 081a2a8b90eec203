"""Competition forms: a submission with the call policy's eligibility inputs, a review with one field per criterion,
a declaration; service errors are put next to their fields by :func:`show_errors`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentgate.common.errors import DomainError
from talentgate.competitions.models import Call, DeclarationKind
from talentgate.portal.live import field_group_target, live_attrs

#: Service field prefixes and the form field prefixes that show them.
FIELD_PREFIXES = {"scores.": "score_", "eligibility_inputs.": "input_"}


def show_errors(form: forms.Form, error: DomainError) -> None:
    """Put each of a service's field errors next to the form field that carries it (or on the form)."""
    for item in error.errors:
        name = item.field
        for service_prefix, form_prefix in FIELD_PREFIXES.items():
            if name.startswith(service_prefix):
                name = form_prefix + name[len(service_prefix) :]
        form.add_error(name if name in form.fields else None, item.message)


class SubmissionForm(forms.Form):
    """A candidate's entry: the project, their affiliation, an optional PDF, and the inputs the call's policy asks."""

    title = forms.CharField(label=_("Title"), max_length=300)
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea)
    institution = forms.CharField(label=_("Institution"), max_length=200)
    country = forms.CharField(label=_("Country (ISO code, e.g. BR)"), max_length=2, min_length=2)
    attachment = forms.FileField(label=_("Attachment (PDF, at most 10 MB)"), required=False)

    def __init__(self, *args: Any, policy: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy_inputs = list(policy.inputs) if policy is not None else []
        russian = (get_language() or "en").startswith("ru")
        for spec in self.policy_inputs:
            label = spec.label.ru if russian else spec.label.en
            field: forms.Field
            if spec.type == "boolean":
                field = forms.BooleanField(label=label, required=False)
            elif spec.type == "category":
                field = forms.ChoiceField(label=label, choices=[(v, v) for v in spec.values or []], required=False)
            else:
                field = (
                    forms.DecimalField(label=label, required=spec.default is None)
                    if spec.type == "number"
                    else forms.IntegerField(label=label, required=spec.default is None)
                )
            self.fields[f"input_{spec.name}"] = field

    def eligibility_inputs(self) -> dict[str, Any]:
        """The cleaned policy inputs, left out when not given (the policy's default applies)."""
        values = {}
        for spec in self.policy_inputs:
            value = self.cleaned_data.get(f"input_{spec.name}")
            if value is not None and value != "":
                values[spec.name] = float(value) if spec.type == "number" else value
        return values


class ReviewForm(forms.Form):
    """One score field per rubric criterion, with its range, and a comment; each score is checked live against
    its range through ``validate_score`` of ``submission_id``."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, call: Call, submission_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in call.criteria.order_by("position"):
            name = f"score_{criterion.code}"
            url = reverse("portal:competitions:validate_score", args=[submission_id, name])
            self.fields[name] = forms.DecimalField(
                label=criterion.label,
                help_text=_("From %(low)s to %(high)s; weight %(weight)s.")
                % {"low": criterion.min_score, "high": criterion.max_score, "weight": criterion.weight},
                widget=forms.NumberInput(attrs=live_attrs(url, field_group_target(self, name))),
            )
        self.order_fields([name for name in self.fields if name != "comment"] + ["comment"])

    def scores(self) -> dict[str, Any]:
        return {name[len("score_") :]: self.data.get(name, "") for name in self.fields if name.startswith("score_")}


class DeclarationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DeclarationKind.choices)
    person_email = forms.EmailField(label=_("The person's e-mail"))
    year = forms.IntegerField(label=_("Year (for a co-authorship)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AwardForm(forms.Form):
    submission_id = forms.IntegerField(widget=forms.HiddenInput)
    mobility_slot = forms.CharField(label=_("Mobility slot"), max_length=120, required=False)
