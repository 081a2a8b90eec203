"""Forms of the officers' pages: queue filters, transitions, document decisions, bulk actions, organisation decisions.

Each form can be re-validated one field at a time by the live-validation view
(``views.validate_field``): ``FORMS`` maps the key used in its URL to a factory. Several
copies of one form on a page (one per document, one per organisation) differ by ``scope``,
which prefixes their element ids so that labels, errors and ``aria-describedby`` stay unique.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from talentgate.portal.live import ScopedLiveForm
from talentgate.programmes import selectors
from talentgate.programmes.models import ApplicationStatus
from talentgate.programmes.services import BULK_TRANSITIONS, MAX_BULK_APPLICATIONS, MAX_REASON_LENGTH

#: What each staff transition is called on a button.
TRANSITION_LABELS = {
    "start_screening": _("Start screening"),
    "mark_assessed": _("Mark assessed"),
    "invite": _("Invite"),
    "mark_matched": _("Mark matched"),
    "reject": _("Reject"),
}
STAGE_CHOICES = [(stage, ApplicationStatus(stage).label) for stage in selectors.QUEUE_STAGES + selectors.ARCHIVE_STAGES]
DEFAULT_STAGE = ApplicationStatus.SUBMITTED.value
SORT_CHOICES = [
    ("submitted", _("Submitted, oldest first")),
    ("-submitted", _("Submitted, newest first")),
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("country", _("Country of residence, A to Z")),
    ("-country", _("Country of residence, Z to A")),
]


class OfficerForm(ScopedLiveForm):
    """A form of these pages, re-validated live through this app's view."""

    validate_view = "portal:officer:validate"


class QueueFilterForm(OfficerForm):
    """The queue's filters and sort order (sent by GET)."""

    validation_key = "queue"

    stage = forms.ChoiceField(label=_("Stage"), choices=STAGE_CHOICES, required=False)
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=selectors.NAME_QUERY_MAX_LENGTH,
        help_text=_("In any script: Ivanov also finds Иванов."),
    )
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int, required=False, empty_value=None)
    sector = forms.TypedChoiceField(label=_("Priority sector"), coerce=int, required=False, empty_value=None)
    country = forms.ChoiceField(label=_("Country of residence"), required=False)
    submitted_from = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.DateField(
        label=_("Submitted until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Both dates are included."),
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    live_fields = ("submitted_from", "submitted_to")
    field_aliases: ClassVar[dict[str, str]] = {
        "programme_id": "programme",
        "sector_id": "sector",
        "residence_country": "country",
    }

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything: list[tuple[Any, Any]] = [("", _("Any"))]
        programmes = selectors.programmes_visible_to(actor)
        sectors = selectors.sectors_visible_to(actor)
        countries = selectors.residence_countries_of_applicants(actor)
        #: Country names by code, for the queue's rows.
        self.country_names = dict(countries)
        choices: dict[str, list[tuple[Any, Any]]] = {
            "programme": [(p.pk, f"{p.code}: {p.name_en}") for p in programmes],
            "sector": [(s.pk, f"{s.code}: {s.name_en}") for s in sectors],
            "country": countries,
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = anything + options

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", _("The end of the date range is before its start."))
        return cleaned

    def query(self) -> selectors.ApplicationQuery:
        """The selector's query for the cleaned filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        return selectors.ApplicationQuery(
            stages=(data.get("stage") or DEFAULT_STAGE,),
            programme_id=data.get("programme"),
            sector_id=data.get("sector"),
            residence_country=data.get("country") or "",
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            sort=data.get("sort") or "submitted",
            name=data.get("name") or "",
        )


class TransitionForm(OfficerForm):
    """One transition's button: the status the officer saw, and the reason (required to reject)."""

    validation_key = "transition"
    live_fields = ("reason",)

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, transition: str = "reject", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition == "reject":
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _("Give the reason for rejecting the application.")
            self.fields["reason"].help_text = _("The candidate sees this reason.")
        else:
            self.fields["reason"].label = _("Note (optional)")


class DocumentRejectForm(OfficerForm):
    """Why a document is rejected (the candidate sees it)."""

    validation_key = "reject-document"
    live_fields = ("rejection_reason",)

    rejection_reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=500,
        error_messages={"required": _("Say why the document is rejected.")},
        widget=forms.TextInput,
    )


class _ApplicationIdsField(forms.Field):
    """The ticked applications of a queue page: a list of ids sent as repeated ``application`` values."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one application."),
        "invalid": _("The selection holds something that is not an application number."),
        "too_many": _("Select at most %(limit)s applications at a time."),
    }

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value: list[int]) -> None:
        super().validate(value)
        if len(set(value)) > MAX_BULK_APPLICATIONS:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_BULK_APPLICATIONS}
            )


class BulkActionForm(OfficerForm):
    """An action on the ticked applications of a queue page, with one reason for all (required to reject)."""

    validation_key = "bulk"

    application = _ApplicationIdsField(label=_("Selected applications"))
    action = forms.ChoiceField(
        label=_("Action"), choices=[(name, TRANSITION_LABELS[name]) for name in BULK_TRANSITIONS]
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject; recorded for every selected application."),
    )
    live_fields = ("reason",)
    field_aliases: ClassVar[dict[str, str]] = {"application_ids": "application", "transition": "action"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for rejecting the applications."))
        return cleaned


class OrganisationVerifyForm(OfficerForm):
    """Verifying a host organisation, with an optional note."""

    validation_key = "verify-organisation"
    live_fields = ("note",)

    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=1000, widget=forms.TextInput)


class OrganisationRejectForm(OfficerForm):
    """Rejecting a host organisation (or withdrawing its verification), with the reason."""

    validation_key = "reject-organisation"
    live_fields = ("reason",)

    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=1000,
        error_messages={"required": _("Give the reason for rejecting the organisation.")},
        widget=forms.TextInput,
    )


#: Live validation: URL key -> factory(data, actor, scope).
FORMS: dict[str, Callable[[Any, Any, str], OfficerForm]] = {
    QueueFilterForm.validation_key: lambda data, actor, scope: QueueFilterForm(data, actor=actor, scope=scope),
    TransitionForm.validation_key: lambda data, actor, scope: TransitionForm(data, scope=scope),
    DocumentRejectForm.validation_key: lambda data, actor, scope: DocumentRejectForm(data, scope=scope),
    BulkActionForm.validation_key: lambda data, actor, scope: BulkActionForm(data, scope=scope),
    OrganisationVerifyForm.validation_key: lambda data, actor, scope: OrganisationVerifyForm(data, scope=scope),
    OrganisationRejectForm.validation_key: lambda data, actor, scope: OrganisationRejectForm(data, scope=scope),
}
