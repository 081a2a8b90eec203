"""Host organisations, their staff and invitations, their opportunities and the offers they make.

Opportunity requirements (occupations, skills, languages) are child tables rather than JSON:
each row is validated by the database and the model, the admin edits them inline, and
matching can query them ("opportunities needing skill X") without parsing documents.
Opportunity and offer statuses are django-fsm-2 state machines (``protected=True``); the
guards live in ``hosts.guards`` and ``hosts.services`` runs them.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from talentgate.hosts import guards


class OrganisationKind(models.TextChoices):
    STATE_CORPORATION = "state_corporation", _("state corporation")
    PRIVATE_COMPANY = "private_company", _("private company")
    RESEARCH_INSTITUTE = "research_institute", _("research institute")
    UNIVERSITY = "university", _("university")
    MEGASCIENCE_FACILITY = "megascience_facility", _("mega-science facility")
    OTHER = "other", _("other")


class Verification(models.TextChoices):
    PENDING = "pending", _("pending")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")


class Organisation(models.Model):
    """A host organisation; it may publish opportunities only once a programme officer has verified it."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    sector = models.ForeignKey(
        "programmes.PrioritySector", null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    region = models.CharField(max_length=120, blank=True, help_text=_("Region within the country, as written."))
    website = models.URLField(blank=True)
    verification = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.PENDING, db_index=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True, help_text=_("When verified or rejected."))
    verification_reason = models.TextField(blank=True, help_text=_("Why it was rejected (or a note on verifying)."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification == Verification.VERIFIED


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("admin")
    STAFF = "staff", _("staff")


class Membership(models.Model):
    """A user working for an organisation. A user has at most one active membership."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.STAFF)
    active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(active=True),
                name="membership_one_active_per_user",
                violation_error_code="unique",
                violation_error_message=_("This person already belongs to an organisation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Invitation(models.Model):
    """An invitation to join an organisation. Only a SHA-256 hash of the token is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.STAFF)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk} to {self.organisation}"


class OpportunityKind(models.TextChoices):
    POSITION = "position", _("position")
    FELLOWSHIP = "fellowship", _("fellowship")
    EXCHANGE_SLOT = "exchange_slot", _("exchange or mobility slot")
    FACILITY_COLLABORATION = "facility_collaboration", _("facility collaboration")


class SalaryPeriod(models.TextChoices):
    HOUR = "hour", _("per hour")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed")


class IscedLevel(models.IntegerChoices):
    """ISCED 2011 levels of education (UNESCO Institute for Statistics, 2012)."""

    EARLY_CHILDHOOD = 0, _("0 Early childhood education")
    PRIMARY = 1, _("1 Primary education")
    LOWER_SECONDARY = 2, _("2 Lower secondary education")
    UPPER_SECONDARY = 3, _("3 Upper secondary education")
    POST_SECONDARY = 4, _("4 Post-secondary non-tertiary education")
    SHORT_CYCLE_TERTIARY = 5, _("5 Short-cycle tertiary education")
    BACHELOR = 6, _("6 Bachelor's or equivalent")
    MASTER = 7, _("7 Master's or equivalent")
    DOCTORAL = 8, _("8 Doctoral or equivalent")


class Cefr(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class Opportunity(ConcurrentTransitionMixin, models.Model):
    """A position, fellowship, exchange slot or facility collaboration offered by one organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="opportunities")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=OpportunityKind.choices)
    sector = models.ForeignKey(
        "programmes.PrioritySector", null=True, blank=True, on_delete=models.PROTECT, related_name="opportunities"
    )
    description = models.TextField(blank=True)
    min_education_level = models.PositiveSmallIntegerField(
        choices=IscedLevel.choices, null=True, blank=True, help_text=_("Lowest ISCED 2011 level accepted.")
    )
    min_experience_years = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(60)])
    capacity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    salary_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_currency = models.ForeignKey(
        "reference.Currency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    salary_period = models.CharField(max_length=10, choices=SalaryPeriod.choices, blank=True)
    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    city = models.CharField(max_length=120, blank=True)
    application_deadline = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    status = FSMField(default=OpportunityStatus.DRAFT, choices=OpportunityStatus.choices, protected=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="opportunity_capacity_positive",
                violation_error_code="min_value",
                violation_error_message=_("Capacity must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="opportunity_salary_range_ordered",
                violation_error_code="salary_range",
                violation_error_message=_("The minimum salary must not exceed the maximum."),
            ),
            models.CheckConstraint(
                condition=(Q(salary_min__isnull=True) & Q(salary_max__isnull=True))
                | (Q(salary_currency__isnull=False) & ~Q(salary_period="")),
                name="opportunity_salary_has_currency_and_period",
                violation_error_code="salary_currency_period",
                violation_error_message=_("A salary needs its currency and period."),
            ),
            models.CheckConstraint(
                condition=Q(application_deadline__isnull=True)
                | Q(start_date__isnull=True)
                | Q(application_deadline__lte=models.F("start_date")),
                name="opportunity_deadline_before_start",
                violation_error_code="deadline_after_start",
                violation_error_message=_("The application deadline must not be after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @transition(
        field=status,
        source=OpportunityStatus.DRAFT,
        target=OpportunityStatus.PUBLISHED,
        permission=guards.BY_ORGANISATION_MEMBER,
        conditions=[guards.ORGANISATION_VERIFIED, guards.DEADLINE_NOT_PASSED],
    )
    def publish(self) -> None:
        self.published_at = timezone.now()

    @transition(
        field=status,
        source=[OpportunityStatus.DRAFT, OpportunityStatus.PUBLISHED],
        target=OpportunityStatus.CLOSED,
        permission=guards.BY_ORGANISATION_MEMBER,
    )
    def close(self) -> None:
        """Stop taking candidates; offers already made stay as they are."""


class OpportunityOccupation(models.Model):
    """An occupation the opportunity asks for: an ESCO occupation URI, an ISCO-08 code, or both, plus a label."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="occupations")
    esco_uri = models.URLField(
        max_length=200,
        blank=True,
        validators=[
            RegexValidator(
                r"^http://data\.europa\.eu/esco/occupation/[0-9a-f-]{36}$",
                _("Give an ESCO occupation URI: http://data.europa.eu/esco/occupation/<uuid>."),
                code="esco_uri",
            )
        ],
    )
    isco08_code = models.CharField(
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{1,4}$", _("An ISCO-08 code has 1 to 4 digits."), code="isco08_code")],
    )
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["opportunity", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(esco_uri="") | ~Q(isco08_code=""),
                name="opportunity_occupation_coded",
                violation_error_code="occupation_code",
                violation_error_message=_("Give an ESCO occupation URI or an ISCO-08 code."),
            )
        ]

    def __str__(self) -> str:
        return self.label


class OpportunitySkill(models.Model):
    """A skill the opportunity asks for, as a label and (where known) its ESCO skill URI."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="skills")
    esco_uri = models.URLField(
        max_length=200,
        blank=True,
        validators=[
            RegexValidator(
                r"^http://data\.europa\.eu/esco/skill/[0-9a-f-]{36}$",
                _("Give an ESCO skill URI: http://data.europa.eu/esco/skill/<uuid>."),
                code="esco_uri",
            )
        ],
    )
    label = models.CharField(max_length=200)
    essential = models.BooleanField(default=True, help_text=_("Essential (else: nice to have)."))

    class Meta:
        ordering = ["opportunity", "pk"]

    def __str__(self) -> str:
        return self.label


class OpportunityLanguage(models.Model):
    """A language the opportunity needs, with the lowest CEFR level accepted."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(max_length=2, help_text=_("ISO 639-1 code, e.g. 'ru', 'en'."))
    min_level = models.CharField(max_length=2, choices=Cefr.choices)

    class Meta:
        ordering = ["opportunity", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "language"],
                name="opportunity_language_once",
                violation_error_code="unique",
                violation_error_message=_("Each language is listed once per opportunity."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} >= {self.min_level}"

    def clean(self) -> None:
        if self.language and not guards.is_iso639_1(self.language):
            raise ValidationError(
                {
                    "language": ValidationError(
                        gettext("'%(code)s' is not an ISO 639-1 code.") % {"code": self.language},
                        code="language_code",
                    )
                }
            )


class OfferStatus(models.TextChoices):
    # The context keeps an offer's states (grammatically neuter in Russian) apart from an application's.
    OFFERED = "offered", pgettext_lazy("offer status", "offered")
    ACCEPTED = "accepted", pgettext_lazy("offer status", "accepted")
    DECLINED = "declined", pgettext_lazy("offer status", "declined")
    LAPSED = "lapsed", pgettext_lazy("offer status", "lapsed")
    WITHDRAWN = "withdrawn", pgettext_lazy("offer status", "withdrawn")


# A live offer still binds the organisation: at most one per (opportunity, profile).
LIVE_OFFER_STATES = [OfferStatus.OFFERED, OfferStatus.ACCEPTED]


class Offer(ConcurrentTransitionMixin, models.Model):
    """An opportunity offered to one candidate profile, until accepted, declined, lapsed or withdrawn."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="offers")
    profile = models.ForeignKey("candidates.Profile", on_delete=models.PROTECT, related_name="offers")
    terms = models.TextField()
    salary_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_currency = models.ForeignKey(
        "reference.Currency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    salary_period = models.CharField(max_length=10, choices=SalaryPeriod.choices, blank=True)
    start_date = models.DateField(null=True, blank=True)
    expires_at = models.DateTimeField()
    status = FSMField(default=OfferStatus.OFFERED, choices=OfferStatus.choices, protected=True, db_index=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True, help_text=_("When it left the 'offered' state."))
    reason = models.TextField(blank=True, help_text=_("Why it was declined or withdrawn."))

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "profile"],
                condition=Q(status__in=LIVE_OFFER_STATES),
                name="offer_one_live_per_opportunity_profile",
                violation_error_code="unique",
                violation_error_message=_("This candidate already has a live offer for this opportunity."),
            ),
            models.CheckConstraint(
                condition=Q(salary_amount__isnull=True) | (Q(salary_currency__isnull=False) & ~Q(salary_period="")),
                name="offer_salary_has_currency_and_period",
                violation_error_code="salary_currency_period",
                violation_error_message=_("A salary needs its currency and period."),
            ),
            models.CheckConstraint(
                condition=Q(salary_amount__isnull=True) | Q(salary_amount__gt=0),
                name="offer_salary_positive",
                violation_error_code="min_value",
                violation_error_message=_("The salary must be positive."),
            ),
        ]

    # The moment the expiry guards judge by; ``None`` means now. Not a column: a batch job
    # lapsing offers "as of" a given time sets it so the guard and the batch agree.
    as_of: datetime | None = None

    def __str__(self) -> str:
        return f"offer {self.pk} ({self.status})"

    def _decided(self, reason: str = "") -> None:
        self.decided_at = timezone.now()
        self.reason = reason

    @transition(
        field=status,
        source=OfferStatus.OFFERED,
        target=OfferStatus.ACCEPTED,
        permission=guards.BY_CANDIDATE,
        conditions=[guards.OFFER_NOT_EXPIRED, guards.CAPACITY_LEFT],
    )
    def accept(self) -> None:
        self._decided()

    @transition(
        field=status,
        source=OfferStatus.OFFERED,
        target=OfferStatus.DECLINED,
        permission=guards.BY_CANDIDATE,
        conditions=[guards.OFFER_NOT_EXPIRED],
    )
    def decline(self, reason: str = "") -> None:
        self._decided(reason)

    @transition(field=status, source=OfferStatus.OFFERED, target=OfferStatus.LAPSED, conditions=[guards.OFFER_EXPIRED])
    def lapse(self) -> None:
        self._decided("expired")

    @transition(
        field=status,
        source=OfferStatus.OFFERED,
        target=OfferStatus.WITHDRAWN,
        permission=guards.BY_OFFER_ORGANISATION_MEMBER,
    )
    def withdraw(self, reason: str = "") -> None:
        self._decided(reason)
