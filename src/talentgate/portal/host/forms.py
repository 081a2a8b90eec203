"""Forms of the host organisation pages: sign-up, staff invitations, opportunities (with requirement rows) and offers.

The forms check shape (required, lengths, formats, choices, simple cross-field order); the
rules that need the database (a taken e-mail address, an organisation's state, capacity...)
stay in ``hosts.services``, whose errors :func:`show_domain_error` puts next to the field
they name. Fields opt into live validation with ``portal.live.enable_live_validation``: on leaving a changed field,
htmx posts the form to a validation URL and swaps in the one field's re-rendered group.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from talentgate.common.errors import DomainError
from talentgate.hosts.models import Cefr, IscedLevel, MemberRole, OpportunityKind, OrganisationKind, SalaryPeriod
from talentgate.reference.selectors import country_choices, currency_choices

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# A service error's path into a requirement list: "skills[2].label" -> ("skills", 2, "label").
ROW_PATH = re.compile(r"^(occupations|skills|languages)\[(\d+)\](?:\.(\w+))?$")


def _blank(label: Any) -> list[tuple[Any, Any]]:
    return [("", label)]


def _set_choices(form: forms.BaseForm, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def show_domain_error(form: forms.BaseForm, error: DomainError, rename: Mapping[str, str] | None = None) -> None:
    """Put each service error next to the form field it names (``rename``: service name -> form name);
    errors about anything else go to the top of the form."""
    for item in error.errors:
        name = (rename or {}).get(item.field, item.field)
        form.add_error(name if name in form.fields else None, item.message)


class _PasswordPair(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password, to catch a typing mistake."),
    )

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2", "")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ."), code="password_mismatch")
        return second


class _NameFields(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


class OrganisationForm(forms.Form):
    """What a host organisation is: the fields ``hosts.services.register_organisation`` takes."""

    name = forms.CharField(label=_("Organisation name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=_blank(_("Choose…")) + OrganisationKind.choices)
    country = forms.ChoiceField(label=_("Country"))
    region = forms.CharField(
        label=_("Region"), max_length=120, required=False, help_text=_("Region within the country, as written.")
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "country", _blank(_("Choose a country…")) + country_choices())


class OrganisationSignUpForm(_NameFields, _PasswordPair, OrganisationForm):
    """A person signs up as the admin of a new host organisation."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("You sign in with it; we send a link to it to verify it is yours."),
    )
    field_order = ["email", "first_name", "last_name", "password1", "password2", "name", "kind", "country"]


class InviteForm(forms.Form):
    """The admin invites a person by e-mail, as staff or as another admin."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Joins as"), choices=MemberRole.choices, initial=MemberRole.STAFF)


class JoinForm(_NameFields, _PasswordPair):
    """An invited person without an account creates one (the invitation's e-mail address is theirs)."""

    field_order = ["first_name", "last_name", "password1", "password2"]


class OpportunityForm(forms.Form):
    """An opportunity's own fields; its requirements come as rows (see :class:`RequirementRows`)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(_("Choose…")) + OpportunityKind.choices)
    sector = forms.TypedChoiceField(label=_("Priority sector"), required=False, coerce=int, empty_value=None)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    country = forms.ChoiceField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    min_education_level = forms.TypedChoiceField(
        label=_("Lowest level of education"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_blank(_("Any")) + [(value, label) for value, label in IscedLevel.choices],
        help_text=_("ISCED 2011 level."),
    )
    min_experience_years = forms.IntegerField(
        label=_("Years of experience at least"), min_value=0, max_value=60, initial=0
    )
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, initial=1, help_text=_("How many people this opportunity takes.")
    )
    salary_min = forms.DecimalField(
        label=_("Salary from"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    salary_max = forms.DecimalField(
        label=_("Salary up to"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    salary_currency = forms.ChoiceField(label=_("Salary currency"), required=False)
    salary_period = forms.ChoiceField(
        label=_("Salary period"), required=False, choices=_blank(_("Choose…")) + SalaryPeriod.choices
    )
    application_deadline = forms.DateField(
        label=_("Application deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, sectors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "sector", _blank(_("None")) + sectors)
        _set_choices(self, "country", _blank(_("Choose a country…")) + country_choices())
        _set_choices(self, "salary_currency", _blank(_("Choose…")) + currency_choices())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", _("The maximum must not be below the minimum."))
        if (low is not None or high is not None) and not data.get("salary_currency"):
            self.add_error("salary_currency", _("A salary needs its currency."))
        if (low is not None or high is not None) and not data.get("salary_period"):
            self.add_error("salary_period", _("A salary needs its period."))
        deadline, start = data.get("application_deadline"), data.get("start_date")
        if deadline and start and deadline > start:
            self.add_error("application_deadline", _("The application deadline must not be after the start date."))
        return data

    def service_values(self) -> dict[str, Any]:
        """The cleaned values under the names ``hosts.services`` takes."""
        data = dict(self.cleaned_data)
        data["sector_id"] = data.pop("sector")
        data["salary_currency"] = data.get("salary_currency") or ""
        return data


# Service field names that differ from the form's.
OPPORTUNITY_RENAMES = {"sector_id": "sector"}


class OccupationRow(forms.Form):
    label = forms.CharField(
        label=_("Occupation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "occupation-suggestions", "autocomplete": "off"}),
    )
    isco08_code = forms.CharField(
        label=_("ISCO-08 code"),
        max_length=4,
        required=False,
        help_text=_("Filled in for occupations from the list; give it for any other."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
    )

    def to_service(self) -> dict[str, Any]:
        return {"label": self.cleaned_data["label"], "isco08_code": self.cleaned_data["isco08_code"]}


class SkillRow(forms.Form):
    label = forms.CharField(
        label=_("Skill"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "skill-suggestions", "autocomplete": "off"}),
    )
    essential = forms.BooleanField(label=_("Essential"), required=False, initial=True)

    def to_service(self) -> dict[str, Any]:
        return {"label": self.cleaned_data["label"], "essential": self.cleaned_data["essential"]}


class LanguageRow(forms.Form):
    language = forms.CharField(
        label=_("Language"),
        max_length=40,
        required=False,
        help_text=_("ISO 639-1 code, e.g. ru, en."),
        widget=forms.TextInput(attrs={"list": "language-suggestions", "autocomplete": "off", "size": 6}),
    )
    min_level = forms.ChoiceField(label=_("Lowest CEFR level"), required=False, choices=_blank("—") + Cefr.choices)

    def to_service(self) -> dict[str, Any]:
        return {"language": self.cleaned_data["language"], "min_level": self.cleaned_data["min_level"]}


ROW_FORMS: dict[str, type[forms.Form]] = {"occupations": OccupationRow, "skills": SkillRow, "languages": LanguageRow}


class OfferForm(forms.Form):
    """An offer of one opportunity to one candidate (picked by name or external id)."""

    candidate = forms.CharField(
        label=_("Candidate"),
        max_length=64,
        help_text=_(
            "Type a name or the candidate's id and pick from the list. Only candidates who applied to the "
            "programme or agreed to be shown to host organisations are listed."
        ),
        widget=forms.TextInput(attrs={"list": "candidate-suggestions", "autocomplete": "off"}),
    )
    terms = forms.CharField(label=_("Terms"), widget=forms.Textarea(attrs={"rows": 5}))
    salary_amount = forms.DecimalField(label=_("Salary"), required=False, min_value=0, max_digits=12, decimal_places=2)
    salary_currency = forms.ChoiceField(label=_("Salary currency"), required=False)
    salary_period = forms.ChoiceField(
        label=_("Salary period"), required=False, choices=_blank(_("Choose…")) + SalaryPeriod.choices
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    expires_at = forms.DateTimeField(
        label=_("Expires at"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("After this moment the candidate can no longer accept; the offer lapses."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "salary_currency", _blank(_("Choose…")) + currency_choices())

    def clean_candidate(self) -> str:
        # The suggestion list shows "Name (external-id)"; keep only the id when one was picked.
        value = self.cleaned_data["candidate"].strip()
        picked = re.search(r"\(([^()]+)\)\s*$", value)
        return picked.group(1).strip() if picked else value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("salary_amount") is not None:
            if not data.get("salary_currency"):
                self.add_error("salary_currency", _("A salary needs its currency."))
            if not data.get("salary_period"):
                self.add_error("salary_period", _("A salary needs its period."))
        return data


class ReasonForm(forms.Form):
    """A reason given when withdrawing or declining an offer."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
