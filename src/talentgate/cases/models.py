"""Tables of relocation cases: the case and its stage history, checklists, documents, family, permits and decisions.

``RelocationCase.stage`` is a django-fsm-2 state machine (``protected=True``) whose guards live
in ``cases.guards``; ``cases.services`` runs every transition and writes, in the same
transaction, the :class:`CaseTransition` history row, the :class:`Decision` where the
transition decides something, and the entry on the case's audit chain.

Two officers acting on one case at once never lose an update: ``ConcurrentTransitionMixin``
refuses a save when the stage changed since the row was read, and ``version`` (bumped by every
save) refuses it when anything else did; the services also lock the row on PostgreSQL.

Permit and family identity numbers are encrypted at rest and shown only through
``common.crypto.mask`` unless a staff member reveals one field (``services.reveal_field``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, ConcurrentTransition, ConcurrentTransitionMixin, FSMField, transition

from talentgate.cases import guards
from talentgate.common.crypto import EncryptedCharField, mask


class CaseKind(models.TextChoices):
    SPECIALIST = "specialist", _("specialist")
    RESEARCHER = "researcher", _("researcher")
    STUDENT = "student", _("student")
    ACADEMIC_MOBILITY = "academic_mobility", _("academic mobility")
    ACHIEVER = "achiever", _("achiever in sport or culture")
    ENTREPRENEUR = "entrepreneur", _("entrepreneur")


class CaseSource(models.TextChoices):
    OFFER = "offer", _("accepted offer")
    AWARD = "award", _("competition award")


class Stage(models.TextChoices):
    # The context keeps a case's stages apart from same-named states of applications and offers.
    OPENED = "opened", pgettext_lazy("case stage", "opened")
    PREPARED = "prepared", pgettext_lazy("case stage", "prepared")
    APPROVED = "approved", pgettext_lazy("case stage", "approved")
    SUBMITTED = "submitted", pgettext_lazy("case stage", "submitted to the authority")
    PERMIT_GRANTED = "permit_granted", pgettext_lazy("case stage", "permit granted")
    PERMIT_REFUSED = "permit_refused", pgettext_lazy("case stage", "permit refused")
    RELOCATING = "relocating", pgettext_lazy("case stage", "relocating")
    ARRIVED = "arrived", pgettext_lazy("case stage", "arrived")
    FOLLOW_UP_6M = "follow_up_6m", pgettext_lazy("case stage", "6-month follow-up done")
    FOLLOW_UP_12M = "follow_up_12m", pgettext_lazy("case stage", "12-month follow-up done")
    CLOSED = "closed", pgettext_lazy("case stage", "closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("case stage", "withdrawn")
    REJECTED = "rejected", pgettext_lazy("case stage", "rejected")


# The happy path, in order; a case at any of these but the last is open.
MAIN_PATH = [
    Stage.OPENED,
    Stage.PREPARED,
    Stage.APPROVED,
    Stage.SUBMITTED,
    Stage.PERMIT_GRANTED,
    Stage.RELOCATING,
    Stage.ARRIVED,
    Stage.FOLLOW_UP_6M,
    Stage.FOLLOW_UP_12M,
    Stage.CLOSED,
]
OPEN_STAGES = MAIN_PATH[:-1]
TERMINAL_STAGES = [Stage.CLOSED, Stage.WITHDRAWN, Stage.REJECTED, Stage.PERMIT_REFUSED]
# Stages in which the person holds a permit and may change host or leave early.
PERMIT_HELD_STAGES = [Stage.PERMIT_GRANTED, Stage.RELOCATING, Stage.ARRIVED, Stage.FOLLOW_UP_6M, Stage.FOLLOW_UP_12M]


class ProgrammeCaseSettings(models.Model):
    """How one programme runs its relocation cases; a programme without a row gets the defaults."""

    programme = models.OneToOneField("programmes.Programme", on_delete=models.CASCADE, related_name="case_settings")
    four_eyes_approval = models.BooleanField(
        default=True,
        help_text=_(
            "When set, a case is approved by a supervisor or by an officer other than the one who prepared it."
        ),
    )
    legal_ground = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The legal ground cited by approvals that name no policy (e.g. the governing decree)."),
    )

    class Meta:
        verbose_name_plural = "programme case settings"

    def __str__(self) -> str:
        return f"case settings of {self.programme_id}"


class RelocationCase(ConcurrentTransitionMixin, models.Model):
    """One person's relocation, opened from an accepted offer or a competition award."""

    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    source = models.CharField(max_length=10, choices=CaseSource.choices)
    profile = models.ForeignKey("candidates.Profile", on_delete=models.PROTECT, related_name="cases")
    offer = models.OneToOneField(
        "hosts.Offer", null=True, blank=True, on_delete=models.PROTECT, related_name="relocation_case"
    )
    application = models.ForeignKey(
        "programmes.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    # An award lives in an app that may not exist yet (competitions), hence a generic link.
    award_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    award_id = models.PositiveBigIntegerField(null=True, blank=True)
    award = GenericForeignKey("award_type", "award_id")
    award_reference = models.CharField(
        max_length=120, blank=True, help_text=_("The award's reference as the competition gives it.")
    )
    organisation = models.ForeignKey(
        "hosts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relocation_cases",
        help_text=_("The current host (changes with a recorded change of host)."),
    )
    sector = models.ForeignKey(
        "programmes.PrioritySector", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    destination_country = models.ForeignKey(
        "reference.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_country = models.CharField(
        max_length=2, blank=True, db_index=True, help_text=_("The candidate's country of residence when it opened.")
    )
    stage = FSMField(default=Stage.OPENED, choices=Stage.choices, protected=True, db_index=True)
    version = models.PositiveIntegerField(default=1, help_text=_("Bumped by every save; callers send it back."))
    opened_at = models.DateTimeField(default=timezone.now)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True, help_text=_("When it reached a terminal stage."))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    arrived_on = models.DateField(null=True, blank=True)
    departed_on = models.DateField(null=True, blank=True, help_text=_("Left the country before the case closed."))
    departure_reason = models.TextField(blank=True)
    end_reason = models.TextField(blank=True, help_text=_("Why it was withdrawn or rejected."))

    class Meta:
        ordering = ["-opened_at", "-pk"]
        # Officer queues filter on a stage and sort by how long the case has waited in it.
        indexes = [models.Index(fields=["stage", "stage_entered_at"], name="case_stage_entered")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=CaseSource.OFFER) | Q(offer__isnull=False),
                name="case_offer_source_has_offer",
                violation_error_code="required",
                violation_error_message=_("A case opened from an offer links to the offer."),
            ),
            models.CheckConstraint(
                condition=Q(award_type__isnull=True, award_id__isnull=True)
                | Q(award_type__isnull=False, award_id__isnull=False),
                name="case_award_link_complete",
                violation_error_code="award_link",
                violation_error_message=_("An award link needs both its type and its id."),
            ),
            models.CheckConstraint(
                condition=~Q(source=CaseSource.AWARD) | Q(award_id__isnull=False) | ~Q(award_reference=""),
                name="case_award_source_has_award",
                violation_error_code="required",
                violation_error_message=_("A case opened from an award names the award."),
            ),
            models.CheckConstraint(
                condition=Q(departed_on__isnull=True) | ~Q(departure_reason=""),
                name="case_departure_has_reason",
                violation_error_code="required",
                violation_error_message=_("An early departure needs its reason."),
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_positive"),
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._version_in_db = self.version

    def __str__(self) -> str:
        return f"case {self.pk} ({self.stage})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every save of a stored case is a new version; the update below only matches the version read.
        if self.pk is not None and not self._state.adding:
            self.version = self._version_in_db + 1
        super().save(*args, **kwargs)
        self._version_in_db = self.version

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._version_in_db = self.version
        self._update_initial_state()

    def _do_update(self, base_qs: Any, using: Any, pk_val: Any, values: Any, *args: Any, **kwargs: Any) -> bool:
        updated = bool(
            super()._do_update(base_qs.filter(version=self._version_in_db), using, pk_val, values, *args, **kwargs)
        )
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise ConcurrentTransition("Cannot save the case: someone else changed it since it was read.")
        return updated

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    def _entered(self, stage_terminal: bool = False) -> None:
        self.stage_entered_at = timezone.now()
        if stage_terminal:
            self.closed_at = self.stage_entered_at

    # --- the state machine (guards in cases.guards, run by cases.services) ----------------------------------

    @transition(
        field=stage,
        source=Stage.OPENED,
        target=Stage.PREPARED,
        permission=guards.BY_OFFICER,
        conditions=[guards.CASE_CHECKLIST_COMPLETE],
    )
    def prepare(self, by: Any = None) -> None:
        self.prepared_by = by
        self._entered()

    @transition(field=stage, source=Stage.PREPARED, target=Stage.APPROVED, permission=guards.BY_APPROVER)
    def approve(self) -> None:
        self._entered()

    @transition(
        field=stage,
        source=Stage.APPROVED,
        target=Stage.SUBMITTED,
        permission=guards.BY_OFFICER,
        conditions=[guards.DOCUMENTS_VERIFIED, guards.DOCUMENTS_NOT_EXPIRED, guards.HANDOFF_CONSENT],
    )
    def submit_to_authority(self) -> None:
        self._entered()

    @transition(
        field=stage,
        source=Stage.SUBMITTED,
        target=Stage.PERMIT_GRANTED,
        permission=guards.BY_AUTHORITY,
        conditions=[guards.PERMIT_RECORDED],
    )
    def grant_permit(self) -> None:
        self._entered()

    @transition(field=stage, source=Stage.SUBMITTED, target=Stage.PERMIT_REFUSED, permission=guards.BY_AUTHORITY)
    def refuse_permit(self) -> None:
        self._entered(stage_terminal=True)

    @transition(
        field=stage,
        source=Stage.PERMIT_GRANTED,
        target=Stage.RELOCATING,
        permission=guards.BY_OFFICER,
        conditions=[guards.PERMIT_VALID],
    )
    def start_relocation(self) -> None:
        self._entered()

    @transition(
        field=stage,
        source=Stage.RELOCATING,
        target=Stage.ARRIVED,
        permission=guards.BY_OFFICER,
        conditions=[guards.RELOCATION_CHECKLIST_COMPLETE],
    )
    def record_arrival(self, arrived_on: Any = None) -> None:
        self.arrived_on = arrived_on or timezone.localdate()
        self._entered()

    @transition(
        field=stage,
        source=Stage.ARRIVED,
        target=Stage.FOLLOW_UP_6M,
        permission=guards.BY_OFFICER,
        conditions=[guards.SIX_MONTHS_SINCE_ARRIVAL],
    )
    def record_follow_up_6m(self) -> None:
        self._entered()

    @transition(
        field=stage,
        source=Stage.FOLLOW_UP_6M,
        target=Stage.FOLLOW_UP_12M,
        permission=guards.BY_OFFICER,
        conditions=[guards.TWELVE_MONTHS_SINCE_ARRIVAL],
    )
    def record_follow_up_12m(self) -> None:
        self._entered()

    @transition(field=stage, source=Stage.FOLLOW_UP_12M, target=Stage.CLOSED, permission=guards.BY_OFFICER)
    def close(self) -> None:
        self._entered(stage_terminal=True)

    @transition(field=stage, source=PERMIT_HELD_STAGES, target=Stage.CLOSED, permission=guards.BY_OFFICER)
    def record_departure(self, departed_on: Any = None, reason: str = "") -> None:
        self.departed_on = departed_on
        self.departure_reason = reason
        self._entered(stage_terminal=True)

    @transition(field=stage, source=OPEN_STAGES, target=Stage.WITHDRAWN, permission=guards.BY_CANDIDATE_OR_OFFICER)
    def withdraw(self, reason: str = "") -> None:
        self.end_reason = reason
        self._entered(stage_terminal=True)

    @transition(field=stage, source=OPEN_STAGES, target=Stage.REJECTED, permission=guards.BY_OFFICER)
    def reject(self, reason: str = "") -> None:
        self.end_reason = reason
        self._entered(stage_terminal=True)

    @transition(
        field=stage,
        source=[Stage.REJECTED, Stage.PERMIT_REFUSED],
        target=RETURN_VALUE(Stage.OPENED, Stage.APPROVED),
        permission=guards.BY_RECONSIDERING_OFFICER,
    )
    def reopen(self) -> str:
        # A rejection is reconsidered from the start; a refused permit goes back to be resubmitted.
        target = Stage.APPROVED if self.stage == Stage.PERMIT_REFUSED else Stage.OPENED
        self.end_reason = ""
        self.closed_at = None
        self.stage_entered_at = timezone.now()
        return str(target)


class CaseTransition(models.Model):
    """One move of one case: how long it sat in the stage it left (clock pauses excluded), who moved it, why.

    ``version`` is the case's version after the move, unique per case, so a lost update or a
    fork in the history cannot be stored; the first row (transition ``open``) has no ``from_stage``.
    """

    case = models.ForeignKey(RelocationCase, on_delete=models.CASCADE, related_name="history")
    transition = models.CharField(max_length=40)
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(help_text=_("When the case entered the stage it left."))
    left_at = models.DateTimeField(db_index=True)
    active_seconds = models.PositiveBigIntegerField(default=0, help_text=_("Time in the stage, pauses excluded."))
    paused_seconds = models.PositiveBigIntegerField(default=0)
    version = models.PositiveIntegerField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "version"]
        indexes = [models.Index(fields=["to_stage", "left_at"], name="case_transition_to_left")]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="case_transition_one_per_version"),
            models.CheckConstraint(
                condition=Q(left_at__gte=F("entered_at")), name="case_transition_left_after_entered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.version}: {self.from_stage or '-'} -> {self.to_stage}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # History is evidence: rows are written once and never rewritten.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Case history rows are never changed.")
        super().save(*args, **kwargs)


class ClockPause(models.Model):
    """A stretch of time the case's stage clock stands still (e.g. waiting on an answer from the candidate).

    ``source`` optionally points at what caused it (an information request); ``ended_at`` is
    empty while the pause lasts.
    """

    case = models.ForeignKey(RelocationCase, on_delete=models.CASCADE, related_name="clock_pauses")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        ordering = ["case", "started_at", "pk"]
        indexes = [models.Index(fields=["case", "ended_at"], name="case_pause_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="case_pause_ends_after_start",
                violation_error_code="end_before_start",
                violation_error_message=_("A pause cannot end before it started."),
            ),
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="case_pause_source_complete",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="case_pause_has_reason"),
        ]

    def __str__(self) -> str:
        return f"pause of case {self.case_id} from {self.started_at:%Y-%m-%d}"


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("spouse")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")


class FamilyMember(models.Model):
    """A family member relocating with the case's candidate; their identity number is encrypted."""

    case = models.ForeignKey(RelocationCase, on_delete=models.CASCADE, related_name="family")
    source = models.ForeignKey(
        "candidates.FamilyMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    relation = models.CharField(max_length=8, choices=Relation.choices)
    given_names_latin = models.CharField(max_length=150)
    family_name_latin = models.CharField(max_length=150, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    identity_number = EncryptedCharField(max_length=40, blank=True, null=True)

    class Meta:
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(relation=Relation.CHILD) | Q(date_of_birth__isnull=False),
                name="case_family_child_birth_date",
                violation_error_code="required",
                violation_error_message=_("A child needs a date of birth."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relation} {self.given_names_latin}"

    @property
    def identity_number_masked(self) -> str:
        return mask(self.identity_number)


class ItemCategory(models.TextChoices):
    DOCUMENT = "document", _("document")
    PERMIT = "permit", _("permit")
    TRAVEL = "travel", _("travel")
    HOUSING = "housing", _("housing")
    FAMILY = "family", _("family")
    LANGUAGE = "language", _("language course")


class ChecklistItem(models.Model):
    """One thing to do or provide for a case (or for one family member), declared in ``cases.checklists``.

    ``due_before`` names the transition it must be done before (``prepare`` or ``record_arrival``);
    that transition's guard refuses while a required item is open.
    """

    case = models.ForeignKey(RelocationCase, on_delete=models.CASCADE, related_name="checklist")
    family_member = models.ForeignKey(
        FamilyMember, null=True, blank=True, on_delete=models.CASCADE, related_name="checklist"
    )
    code = models.CharField(max_length=40)
    category = models.CharField(max_length=10, choices=ItemCategory.choices)
    document_kind = models.CharField(max_length=30, blank=True, help_text=_("Set when the item is a document."))
    due_before = models.CharField(max_length=30)
    required = models.BooleanField(default=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "family_member", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "code"], condition=Q(family_member__isnull=True), name="case_checklist_code_unique"
            ),
            models.UniqueConstraint(
                fields=["case", "family_member", "code"],
                condition=Q(family_member__isnull=False),
                name="case_checklist_member_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({'done' if self.completed_at else 'open'})"

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None

    @property
    def label(self) -> str:
        from talentgate.cases.checklists import label_for

        return label_for(self.code, self.family_member.relation if self.family_member is not None else "")


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("passport")
    PHOTO = "photo", _("photograph")
    DIPLOMA = "diploma", _("diploma")
    EMPLOYMENT_CONTRACT = "employment_contract", _("employment contract")
    HOSTING_AGREEMENT = "hosting_agreement", _("hosting agreement")
    ADMISSION_LETTER = "admission_letter", _("admission letter")
    EXCHANGE_AGREEMENT = "exchange_agreement", _("exchange agreement")
    AWARD_EVIDENCE = "award_evidence", _("award evidence")
    BUSINESS_PLAN = "business_plan", _("business plan")
    PROOF_OF_FUNDS = "proof_of_funds", _("proof of funds")
    MEDICAL = "medical", _("medical certificate")
    POLICE_CLEARANCE = "police_clearance", _("police clearance")
    HEALTH_INSURANCE = "health_insurance", _("health insurance")
    MARRIAGE_CERTIFICATE = "marriage_certificate", _("marriage or partnership certificate")
    BIRTH_CERTIFICATE = "birth_certificate", _("birth certificate")
    OTHER = "other", _("other")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")


def case_document_upload_to(document: CaseDocument, filename: str) -> str:
    # Grouped by case pk, so a path reveals nothing personal.
    return f"cases/{document.case_id}/{filename}"


class CaseDocument(models.Model):
    """A document provided for a case (for the candidate or one family member), verified by an officer, with expiry."""

    case = models.ForeignKey(RelocationCase, on_delete=models.CASCADE, related_name="documents")
    checklist_item = models.ForeignKey(
        ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    family_member = models.ForeignKey(
        FamilyMember, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    source_document = models.ForeignKey(
        "candidates.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The profile document it was taken from, if any."),
    )
    file = models.FileField(upload_to=case_document_upload_to, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING, db_index=True
    )
    rejection_reason = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="case_document_expiry_after_issue",
                violation_error_code="end_before_start",
                violation_error_message=_("The expiry date must be after the issue date."),
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.REJECTED, rejection_reason__gt="")
                | (~Q(status=DocumentStatus.REJECTED) & Q(rejection_reason="")),
                name="case_document_rejection_has_reason",
                violation_error_code="rejection_reason",
                violation_error_message=_("A rejected document needs the reason, and only a rejected one has it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"


class PermitType(models.TextChoices):
    WORK_PERMIT = "work_permit", _("work permit")
    HIGHLY_QUALIFIED = "highly_qualified", _("highly qualified specialist permit")
    RESEARCH_PERMIT = "research_permit", _("researcher permit")
    STUDY_PERMIT = "study_permit", _("study permit")
    TEMPORARY_RESIDENCE = "temporary_residence", _("temporary residence permit")
    RESIDENCE_PERMIT = "residence_permit", _("residence permit")
    FAMILY_RESIDENCE = "family_residence", _("family member's residence permit")


class PermitStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUPERSEDED = "superseded", _("superseded")
    ENDED = "ended", _("ended")


class Decision(models.Model):
    """A decision on a case: the programme's approval or rejection, the authority's grant or refusal.

    The basis is a policy (id and version) or a legal ground; ``officer`` is empty when the
    authority's integration (a system actor) decided.
    """

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("approval")
        REJECTION = "rejection", _("rejection")
        GRANT = "grant", _("permit granted")
        REFUSAL = "refusal", _("permit refused")

    case = models.ForeignKey(RelocationCase, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    transition = models.OneToOneField(
        CaseTransition, null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    policy_id = models.CharField(max_length=80, blank=True)
    policy_version = models.CharField(max_length=40, blank=True)
    legal_ground = models.CharField(max_length=300, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(~Q(policy_id="") & ~Q(policy_version="")) | ~Q(legal_ground=""),
                name="case_decision_has_basis",
                violation_error_code="basis",
                violation_error_message=_("A decision needs its basis: a policy id and version, or a legal ground."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["approval", "grant"]) | ~Q(reasons=""),
                name="case_decision_negative_has_reasons",
                violation_error_code="reasons",
                violation_error_message=_("A rejection or refusal states its reasons."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of case {self.case_id}"

    @property
    def basis(self) -> str:
        if self.policy_id:
            return f"{self.policy_id} v{self.policy_version}"
        return self.legal_ground


class Permit(models.Model):
    """A permit the authority granted, to the candidate (no family member) or to one family member.

    The number is encrypted; a renewal supersedes the old permit, an early departure ends it.
    """

    case = models.ForeignKey(RelocationCase, on_delete=models.PROTECT, related_name="permits")
    family_member = models.ForeignKey(
        FamilyMember, null=True, blank=True, on_delete=models.PROTECT, related_name="permits"
    )
    permit_type = models.CharField(max_length=24, choices=PermitType.choices)
    number = EncryptedCharField(max_length=40)
    issued_on = models.DateField()
    valid_from = models.DateField()
    valid_until = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=PermitStatus.choices, default=PermitStatus.ACTIVE, db_index=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="permits")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "family_member", "-valid_until", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")),
                name="case_permit_valid_until_after_from",
                violation_error_code="end_before_start",
                violation_error_message=_("A permit's validity must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status=PermitStatus.ACTIVE, ended_on__isnull=True) | ~Q(status=PermitStatus.ACTIVE),
                name="case_permit_active_not_ended",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(family_member__isnull=True, status=PermitStatus.ACTIVE),
                name="case_permit_one_active_for_candidate",
                violation_error_code="unique",
                violation_error_message=_("The candidate already holds an active permit on this case."),
            ),
            models.UniqueConstraint(
                fields=["case", "family_member"],
                condition=Q(family_member__isnull=False, status=PermitStatus.ACTIVE),
                name="case_permit_one_active_per_member",
                violation_error_code="unique",
                violation_error_message=_("This family member already holds an active permit on this case."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.permit_type} {mask(self.number)}"

    @property
    def number_masked(self) -> str:
        return mask(self.number)


class HostChange(models.Model):
    """A move of a permit holder to a new host: requires a new offer from that host, accepted by the candidate."""

    case = models.ForeignKey(RelocationCase, on_delete=models.PROTECT, related_name="host_changes")
    from_organisation = models.ForeignKey(
        "hosts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey("hosts.Organisation", on_delete=models.PROTECT, related_name="+")
    new_offer = models.OneToOneField("hosts.Offer", on_delete=models.PROTECT, related_name="host_change")
    effective_on = models.DateField()
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "effective_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_organisation__isnull=True) | ~Q(from_organisation=F("to_organisation")),
                name="case_host_change_to_another_host",
                violation_error_code="same_host",
                violation_error_message=_("A change of host moves to a different organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id}: host {self.from_organisation_id} -> {self.to_organisation_id}"


# --- requests for information, the case's messages, stage deadlines and reconsideration ---------------------------
# Written by cases.requests, cases.sla and cases.reconsideration.


class Audience(models.TextChoices):
    """Whom programme staff talk to in a message or a request: the candidate or the host organisation."""

    CANDIDATE = "candidate", _("the candidate")
    HOST = "host", _("the host organisation")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    WITHDRAWN = "withdrawn", _("withdrawn")


class InformationRequest(models.Model):
    """An officer asks the candidate or the host for something by a due date; the stage clock stands still
    (``pause``) until it is answered or withdrawn."""

    case = models.ForeignKey(RelocationCase, on_delete=models.CASCADE, related_name="information_requests")
    addressee = models.CharField(max_length=10, choices=Audience.choices)
    question = models.TextField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    pause = models.OneToOneField(
        ClockPause, null=True, blank=True, on_delete=models.SET_NULL, related_name="information_request"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True, help_text=_("When it was answered or withdrawn."))
    withdrawal_reason = models.CharField(max_length=500, blank=True)
    reminded_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the addressee was reminded that the due date is near.")
    )

    class Meta:
        ordering = ["case", "-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="case_request_status_due")]
        constraints = [
            models.CheckConstraint(condition=~Q(question=""), name="case_request_has_question"),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.OPEN, closed_at__isnull=True)
                | (~Q(status=RequestStatus.OPEN) & Q(closed_at__isnull=False)),
                name="case_request_closed_when_not_open",
            ),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.WITHDRAWN, withdrawal_reason__gt="")
                | (~Q(status=RequestStatus.WITHDRAWN) & Q(withdrawal_reason="")),
                name="case_request_withdrawal_has_reason",
                violation_error_code="withdrawal_reason",
                violation_error_message=_("A withdrawn request needs the reason, and only a withdrawn one has it."),
            ),
        ]

    def __str__(self) -> str:
        return f"request {self.pk} to {self.addressee} on case {self.case_id} ({self.status})"


def message_attachment_upload_to(message: CaseMessage, filename: str) -> str:
    # Grouped by case pk, so a path reveals nothing personal.
    return f"cases/{message.case_id}/messages/{filename}"


class CaseMessage(models.Model):
    """One message in a case's conversation thread, between programme staff and the candidate or the host.

    ``audience`` says which side of the thread it belongs to: host staff see only the host's side;
    the candidate and programme staff see the whole thread. A message that asks or answers a request
    for information points at it.
    """

    case = models.ForeignKey(RelocationCase, on_delete=models.CASCADE, related_name="messages")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(blank=True)
    attachment = models.FileField(upload_to=message_attachment_upload_to, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True, help_text=_("Name of the file as uploaded."))
    attachment_type = models.CharField(max_length=40, blank=True)
    information_request = models.ForeignKey(
        InformationRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["case", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body="") | ~Q(attachment=""),
                name="case_message_not_empty",
                violation_error_code="required",
                violation_error_message=_("A message needs a text or an attachment."),
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} on case {self.case_id}"


class StageDeadline(models.Model):
    """How many days a case may spend in a stage, and how many days before that it counts as due soon.

    A row without a programme applies to every programme that has no row of its own for the stage;
    without either, ``cases.sla.DEFAULT_STAGE_DEADLINES`` applies.
    """

    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="stage_deadlines"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    days = models.PositiveSmallIntegerField(help_text=_("Calendar days in the stage, clock pauses excluded."))
    warning_days = models.PositiveSmallIntegerField(help_text=_("Due soon this many days before the deadline."))

    class Meta:
        ordering = ["programme", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "stage"],
                condition=Q(programme__isnull=False),
                name="case_stage_deadline_unique",
                violation_error_code="unique",
                violation_error_message=_("This programme already has a deadline for this stage."),
            ),
            models.UniqueConstraint(
                fields=["stage"],
                condition=Q(programme__isnull=True),
                name="case_stage_deadline_default_unique",
                violation_error_code="unique",
                violation_error_message=_("There already is a deadline for this stage for every programme."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[str(s) for s in OPEN_STAGES]),
                name="case_stage_deadline_open_stage",
                violation_error_code="open_stage",
                violation_error_message=_("Only open stages have deadlines."),
            ),
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=730),
                name="case_stage_deadline_days_range",
                violation_error_code="days_range",
                violation_error_message=_("A stage deadline is between 1 and 730 days."),
            ),
            models.CheckConstraint(
                condition=Q(warning_days__lt=F("days")),
                name="case_stage_deadline_warning_before_end",
                violation_error_code="warning_days",
                violation_error_message=_("The due-soon warning must start before the deadline (fewer days)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage}: {self.days} days ({self.programme_id or 'every programme'})"


class SlaEscalation(models.Model):
    """A case found overdue in a stage and escalated to supervisors: once per stay in a stage."""

    case = models.ForeignKey(RelocationCase, on_delete=models.CASCADE, related_name="sla_escalations")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    stage_entered_at = models.DateTimeField()
    due_at = models.DateTimeField()
    escalated_at = models.DateTimeField(default=timezone.now, db_index=True)
    notified = models.PositiveIntegerField(default=0, help_text=_("How many supervisors were told."))

    class Meta:
        ordering = ["-escalated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "stage", "stage_entered_at"], name="case_sla_escalation_once_per_stay"
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} overdue in {self.stage}"


class ReconsiderationWindow(models.Model):
    """How many days after a rejection or refusal the candidate may ask for reconsideration, per programme.

    A programme without a row gets ``cases.reconsideration.DEFAULT_WINDOW_DAYS``.
    """

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="reconsideration_window"
    )
    days = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=365),
                name="case_reconsideration_window_range",
                violation_error_code="days_range",
                violation_error_message=_("A reconsideration window is between 1 and 365 days."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.days} days ({self.programme_id})"


class ReconsiderationStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    UPHELD = "upheld", _("upheld")
    OVERTURNED = "overturned", _("overturned")


class Reconsideration(models.Model):
    """The candidate's request to reconsider a rejection or refusal, and its review by a different officer.

    The review is itself a decision (``outcome``): the original kind again when upheld, an
    approval when overturned (the case then reopens).
    """

    case = models.ForeignKey(RelocationCase, on_delete=models.PROTECT, related_name="reconsiderations")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="reconsideration")
    grounds = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ReconsiderationStatus.choices, default=ReconsiderationStatus.PENDING, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="reconsideration_outcome"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(grounds=""), name="case_reconsideration_has_grounds"),
            models.CheckConstraint(
                condition=Q(status=ReconsiderationStatus.PENDING, reviewed_at__isnull=True, outcome__isnull=True)
                | (
                    ~Q(status=ReconsiderationStatus.PENDING)
                    & Q(reviewed_at__isnull=False, outcome__isnull=False, reviewed_by__isnull=False)
                ),
                name="case_reconsideration_reviewed_when_decided",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(outcome=F("decision")),
                name="case_reconsideration_outcome_is_new",
            ),
        ]

    def __str__(self) -> str:
        return f"reconsideration of decision {self.decision_id} ({self.status})"
