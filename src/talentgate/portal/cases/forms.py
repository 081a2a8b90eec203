"""Forms of the relocation-case pages: queue filters, bulk actions, transitions (each carrying the case version
the person saw), documents, the audited reveal, requests for information, the thread and reconsideration.

Each form can be re-validated one field at a time by ``views.validate_field``: ``FORMS`` maps the key used in
its URL to a factory. Several copies of one form on a page (one per transition, per document, per request)
differ by ``scope``, which prefixes their element ids so that labels, errors and ``aria-describedby`` stay unique.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentgate.cases.models import CaseKind, DocumentKind, PermitType, Relation, Stage
from talentgate.cases.services import MAX_BULK_CASES
from talentgate.portal.live import ScopedLiveForm

#: What each transition is called on a button.
TRANSITION_LABELS: dict[str, Any] = {
    "prepare": pgettext_lazy("case action", "Mark prepared"),
    "approve": pgettext_lazy("case action", "Approve"),
    "submit_to_authority": pgettext_lazy("case action", "Submit to the authority"),
    "grant_permit": pgettext_lazy("case action", "Grant the permit"),
    "refuse_permit": pgettext_lazy("case action", "Refuse the permit"),
    "start_relocation": pgettext_lazy("case action", "Start relocation"),
    "record_arrival": pgettext_lazy("case action", "Record arrival"),
    "record_follow_up_6m": pgettext_lazy("case action", "Record the 6-month follow-up"),
    "record_follow_up_12m": pgettext_lazy("case action", "Record the 12-month follow-up"),
    "close": pgettext_lazy("case action", "Close the case"),
    "record_departure": pgettext_lazy("case action", "Record an early departure"),
    "reopen": pgettext_lazy("case action", "Reopen"),
    "reject": pgettext_lazy("case action", "Reject"),
    "withdraw": pgettext_lazy("case action", "Withdraw"),
}
#: The bulk actions of the queue (transitions that need nothing but an optional note or one reason for all).
BULK_ACTIONS = (
    "prepare",
    "approve",
    "submit_to_authority",
    "start_relocation",
    "record_follow_up_6m",
    "record_follow_up_12m",
    "close",
    "reject",
)
#: Transitions whose reason is required (the others keep it as an optional note).
REASON_REQUIRED = frozenset({"reject", "withdraw", "reopen", "record_departure"})
#: Transitions that record a decision's basis or the authority's legal ground.
LEGAL_GROUND = frozenset({"approve", "reject", "grant_permit", "refuse_permit"})
DEADLINE_CHOICES = [("", _("Any")), ("due_soon", _("Due soon")), ("overdue", _("Overdue"))]
SORT_CHOICES = [
    ("waiting", _("Longest in its stage first")),
    ("-waiting", _("Newest in its stage first")),
    ("opened", _("Opened, oldest first")),
    ("-opened", _("Opened, newest first")),
    ("name", _("Name, A to Z")),
]
DATE = forms.DateInput(attrs={"type": "date"})


class CaseForm(ScopedLiveForm):
    """A form of these pages, re-validated live through this app's view."""

    validate_view = "portal:cases:validate"


class QueueFilterForm(CaseForm):
    """The staff queue's filters and sort order (sent by GET)."""

    validation_key = "queue"

    stage = forms.ChoiceField(label=_("Stage"), required=False)
    deadline = forms.ChoiceField(label=_("Deadline"), choices=DEADLINE_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Kind of case"), required=False)
    sector = forms.TypedChoiceField(label=_("Priority sector"), coerce=int, required=False, empty_value=None)
    country = forms.CharField(
        label=_("Candidate's country of residence"),
        required=False,
        help_text=_("Two letters, e.g. IN."),
    )
    organisation = forms.TypedChoiceField(label=_("Host"), coerce=int, required=False, empty_value=None)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    live_fields = ("country",)
    field_aliases: ClassVar[dict[str, str]] = {"sector_id": "sector", "organisation_id": "organisation"}

    def __init__(self, *args: Any, sectors: Any = (), organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything: list[tuple[Any, Any]] = [("", _("Any"))]
        cast(forms.ChoiceField, self.fields["stage"]).choices = anything + list(Stage.choices)
        cast(forms.ChoiceField, self.fields["kind"]).choices = anything + list(CaseKind.choices)
        cast(forms.ChoiceField, self.fields["sector"]).choices = anything + [
            (s.pk, f"{s.code}: {s.name_en}") for s in sectors
        ]
        cast(forms.ChoiceField, self.fields["organisation"]).choices = anything + [
            (o.pk, o.name) for o in organisations
        ]

    def clean_country(self) -> str:
        value = (self.cleaned_data.get("country") or "").strip().upper()
        if value and not re.fullmatch(r"[A-Z]{2}", value):
            raise forms.ValidationError(
                _("Give the country as two letters (ISO 3166-1), e.g. IN."), code="country_code"
            )
        return value


class _CaseIdsField(forms.Field):
    """The ticked cases of a queue page: a list of ids sent as repeated ``case`` values."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one case."),
        "invalid": _("The selection holds something that is not a case number."),
        "too_many": _("Select at most %(limit)s cases at a time."),
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
        if len(set(value)) > MAX_BULK_CASES:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_BULK_CASES}
            )


class BulkActionForm(CaseForm):
    """One action on the ticked cases of a queue page, with one reason for all (required to reject)."""

    validation_key = "bulk"

    case = _CaseIdsField(label=_("Selected cases"))
    action = forms.ChoiceField(label=_("Action"), choices=[(name, TRANSITION_LABELS[name]) for name in BULK_ACTIONS])
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject; recorded for every selected case."),
    )
    live_fields = ("reason",)
    field_aliases: ClassVar[dict[str, str]] = {"case_ids": "case", "transition": "action"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") in REASON_REQUIRED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason; every selected case records it."))
        return cleaned


class TransitionForm(CaseForm):
    """One transition's button: the case version the person saw, and what the transition needs."""

    validation_key = "transition"
    live_fields = ("reason", "legal_ground", "number")

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_ground = forms.CharField(label=_("Legal ground or policy"), required=False, max_length=300)
    arrived_on = forms.DateField(label=_("Arrival date"), required=False, widget=DATE)
    departed_on = forms.DateField(label=_("Departure date"), required=False, widget=DATE)
    permit_type = forms.ChoiceField(label=_("Permit type"), choices=PermitType.choices, required=False)
    number = forms.CharField(label=_("Permit number"), required=False, max_length=40)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    field_aliases: ClassVar[dict[str, str]] = {"reasons": "reason", "version": "expected_version"}

    #: The fields each transition shows besides the hidden version (reason always).
    EXTRA_FIELDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "approve": ("legal_ground",),
        "reject": ("legal_ground",),
        "grant_permit": ("legal_ground", "permit_type", "number", "issued_on", "valid_from", "valid_until"),
        "refuse_permit": ("legal_ground",),
        "record_arrival": ("arrived_on",),
        "record_departure": ("departed_on",),
    }

    def __init__(self, *args: Any, transition: str = "prepare", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.transition = transition
        shown = {"expected_version", "reason", *self.EXTRA_FIELDS.get(transition, ())}
        for name in list(self.fields):
            if name not in shown:
                del self.fields[name]
        if transition in REASON_REQUIRED or transition == "refuse_permit":
            self.fields["reason"].required = True
            self.fields["reason"].label = _("Reason")
            self.fields["reason"].error_messages["required"] = _("Give the reason; the candidate reads it.")
        if transition in ("grant_permit", "refuse_permit"):
            self.fields["legal_ground"].required = True
            self.fields["legal_ground"].help_text = _("The article of the law the decision rests on.")
        elif "legal_ground" in self.fields:
            self.fields["legal_ground"].help_text = _(
                "Leave empty to cite the assessment policy or the programme's legal ground."
            )
        if transition == "grant_permit":
            for name in ("permit_type", "number", "issued_on", "valid_from", "valid_until"):
                self.fields[name].required = True
        if transition == "record_departure":
            self.fields["departed_on"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", _("A permit's validity must end after it starts."))
        return cleaned

    @property
    def visible_fields_list(self) -> list[Any]:
        return [self[name] for name in self.fields if name != "expected_version"]


class DocumentUploadForm(CaseForm):
    """A document for the case: its kind, whose it is, the file and its dates."""

    validation_key = "document"
    live_fields = ("expires_on",)

    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    family_member = forms.TypedChoiceField(label=_("Whose document"), coerce=int, required=False, empty_value=None)
    file = forms.FileField(label=_("File (PDF, PNG or JPEG)"))
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)
    field_aliases: ClassVar[dict[str, str]] = {"family_member_id": "family_member"}

    def __init__(self, *args: Any, family: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["family_member"]).choices = [("", _("The candidate"))] + [
            (m.pk, f"{m.given_names_latin} {m.family_name_latin}".strip()) for m in family
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued and expires and expires <= issued:
            self.add_error("expires_on", _("The expiry date must be after the issue date."))
        return cleaned


class DocumentRejectForm(CaseForm):
    """Why a document is rejected (the candidate reads it)."""

    validation_key = "reject-document"
    live_fields = ("reason",)

    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=500,
        error_messages={"required": _("Say why the document is rejected.")},
    )


class RequestForm(CaseForm):
    """An officer's request for information: to whom, what, by when."""

    validation_key = "request"
    live_fields = ("question", "due_on")

    addressee = forms.ChoiceField(label=_("Ask"), choices=[("candidate", _("the candidate")), ("host", _("the host"))])
    question = forms.CharField(
        label=_("What is needed"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what you need.")},
    )
    due_on = forms.DateField(label=_("Answer by"), widget=DATE, error_messages={"required": _("Give the date.")})


class AnswerForm(CaseForm):
    """The answer to a request for information: a message, a file, or both."""

    validation_key = "answer"
    live_fields = ("body",)

    body = forms.CharField(
        label=_("Your answer"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label=_("Attach a file (optional)"), required=False)
    field_aliases: ClassVar[dict[str, str]] = {"attachment": "file"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("body") or "").strip() and not cleaned.get("file") and "body" not in self.errors:
            self.add_error("body", _("Write an answer or attach a file."))
        return cleaned


class MessageForm(CaseForm):
    """A message in the case's thread; programme staff say which side they write to."""

    validation_key = "message"
    live_fields = ("body",)

    audience = forms.ChoiceField(
        label=_("To"), choices=[("candidate", _("the candidate")), ("host", _("the host"))], required=False
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the message.")},
    )

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["audience"].required = True
        else:
            del self.fields["audience"]


class ReconsiderationForm(CaseForm):
    """The candidate's request to reconsider a rejection or refusal."""

    validation_key = "reconsideration"
    live_fields = ("grounds",)

    grounds = forms.CharField(
        label=_("Why the decision should change"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain why the decision should change.")},
    )


class ReconsiderationReviewForm(CaseForm):
    """A different officer's review of a reconsideration: uphold or overturn, with reasons (overturning reopens)."""

    validation_key = "reconsideration-review"
    live_fields = ("reasons",)

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("upheld", _("Uphold the decision")), ("overturned", _("Overturn it and reopen the case"))],
        error_messages={"required": _("Choose whether the decision stands.")},
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reasons for the outcome; the candidate reads them.")},
    )
    legal_ground = forms.CharField(
        label=_("Legal ground or policy"),
        required=False,
        max_length=300,
        help_text=_("Leave empty to cite the basis of the decision reviewed."),
    )
    field_aliases: ClassVar[dict[str, str]] = {"version": "expected_version", "policy_id": "legal_ground"}


class _PermitDatesForm(CaseForm):
    """A permit's number and dates, as the authority issued it."""

    live_fields = ("valid_until",)

    number = forms.CharField(
        label=_("Permit number"), max_length=40, error_messages={"required": _("Give the permit number.")}
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", _("A permit's validity must end after it starts."))
        return cleaned


class FamilyPermitForm(_PermitDatesForm):
    """A family member's permit, recorded once the candidate's is granted (staff)."""

    validation_key = "family-permit"

    family_member = forms.TypedChoiceField(
        label=_("Whose permit"), coerce=int, error_messages={"required": _("Say whose permit it is.")}
    )
    permit_type = forms.ChoiceField(label=_("Permit type"), choices=PermitType.choices)
    field_aliases: ClassVar[dict[str, str]] = {"family_member_id": "family_member"}
    field_order = ("family_member", "permit_type", "number", "issued_on", "valid_from", "valid_until")

    def __init__(self, *args: Any, family: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["family_member"]).choices = [("", "—")] + [
            (m.pk, f"{m.given_names_latin} {m.family_name_latin}".strip()) for m in family
        ]


class PermitRenewalForm(_PermitDatesForm):
    """The renewal of an active permit: the new number and dates (the old permit is superseded)."""

    validation_key = "permit-renewal"


class HostChangeForm(CaseForm):
    """A change of host: the offer the candidate accepted from another verified host, and from when."""

    validation_key = "host-change"
    live_fields = ("new_offer",)

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    new_offer = forms.IntegerField(
        label=_("Number of the new host's accepted offer"),
        min_value=1,
        help_text=_("An offer the candidate accepted from another, verified host."),
        error_messages={"required": _("Give the number of the accepted offer.")},
    )
    effective_on = forms.DateField(
        label=_("Takes effect on"), widget=DATE, error_messages={"required": _("Give the date.")}
    )
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_aliases: ClassVar[dict[str, str]] = {"new_offer_id": "new_offer", "version": "expected_version"}


class IdentityNumberForm(CaseForm):
    """A family member's passport or identity number (staff); stored encrypted, shown masked."""

    validation_key = "identity-number"

    identity_number = forms.CharField(
        label=_("Passport or identity number"),
        max_length=40,
        error_messages={"required": _("Give the identity number.")},
    )


class FamilyMemberForm(CaseForm):
    """A family member relocating with the candidate; their own checklist is added to the case."""

    validation_key = "family"
    live_fields = ("date_of_birth",)

    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    given_names_latin = forms.CharField(label=_("Given names (Latin script)"), max_length=150)
    family_name_latin = forms.CharField(label=_("Family name (Latin script)"), max_length=150, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    identity_number = forms.CharField(
        label=_("Passport or identity number"),
        max_length=40,
        required=False,
        help_text=_("Stored encrypted and shown masked."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("relation") == Relation.CHILD and not cleaned.get("date_of_birth"):
            self.add_error("date_of_birth", _("A child needs a date of birth."))
        return cleaned


class WithdrawRequestForm(CaseForm):
    """Why a request for information is no longer needed (staff)."""

    validation_key = "withdraw-request"
    live_fields = ("reason",)

    reason = forms.CharField(
        label=_("Why it is no longer needed"),
        max_length=500,
        error_messages={"required": _("Say why the request is withdrawn.")},
    )


class RevealForm(CaseForm):
    """Which protected field a staff member reveals (the reveal is audited)."""

    validation_key = "reveal"

    field = forms.ChoiceField(
        choices=[("permit_number", "permit_number"), ("family_identity_number", "family_identity_number")]
    )
    object_id = forms.IntegerField(required=False, widget=forms.HiddenInput)


#: Live validation: URL key -> factory(data, scope).
FORMS: dict[str, Callable[[Any, str], CaseForm]] = {
    QueueFilterForm.validation_key: lambda data, scope: QueueFilterForm(data, scope=scope),
    BulkActionForm.validation_key: lambda data, scope: BulkActionForm(data, scope=scope),
    DocumentRejectForm.validation_key: lambda data, scope: DocumentRejectForm(data, scope=scope),
    DocumentUploadForm.validation_key: lambda data, scope: DocumentUploadForm(data, scope=scope),
    RequestForm.validation_key: lambda data, scope: RequestForm(data, scope=scope),
    AnswerForm.validation_key: lambda data, scope: AnswerForm(data, scope=scope),
    MessageForm.validation_key: lambda data, scope: MessageForm(data, scope=scope, staff=True),
    ReconsiderationForm.validation_key: lambda data, scope: ReconsiderationForm(data, scope=scope),
    ReconsiderationReviewForm.validation_key: lambda data, scope: ReconsiderationReviewForm(data, scope=scope),
    FamilyMemberForm.validation_key: lambda data, scope: FamilyMemberForm(data, scope=scope),
    WithdrawRequestForm.validation_key: lambda data, scope: WithdrawRequestForm(data, scope=scope),
    FamilyPermitForm.validation_key: lambda data, scope: FamilyPermitForm(data, scope=scope),
    PermitRenewalForm.validation_key: lambda data, scope: PermitRenewalForm(data, scope=scope),
    HostChangeForm.validation_key: lambda data, scope: HostChangeForm(data, scope=scope),
    IdentityNumberForm.validation_key: lambda data, scope: IdentityNumberForm(data, scope=scope),
}


def transition_form_factory(name: str) -> Callable[[Any, str], CaseForm]:
    return lambda data, scope: TransitionForm(data, scope=scope, transition=name)
