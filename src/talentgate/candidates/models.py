"""Tables of the canonical candidate profile: one ``Profile`` row plus one child table per list.

The tables mirror ``talentgate.canonical.CandidateProfile`` field for field, so that
``selectors.to_canonical`` and ``services.save_profile`` are plain copies. Children keep
the order of the canonical lists by primary key (they are always inserted in list order).

A relocating family member keeps their own education, language tests and work history as
canonical JSON (``FamilyMember.career``), validated by the canonical model on every write:
no policy filters on a spouse's rows in SQL, and a family is small.

Identity document numbers are encrypted at rest (``EncryptedCharField``, keys from
``settings.FIELD_ENCRYPTION_KEYS``) and only ever shown through ``common.crypto.mask``; exact matching
goes through their blind index (``number_blind_index``, ``candidates.identity_keys``). A profile's
``name_search_key`` holds its names folded across scripts for search (``engines.identity.names``).
Both are derived columns, recomputed by ``save()`` and by the bulk paths of ``canonical_mapping``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from talentgate.candidates import identity_keys
from talentgate.canonical import (
    AchievementField,
    AchievementLevel,
    ConsentPurpose,
    DocumentKind,
    FamilyRelation,
    IdentityDocumentKind,
    LanguageTest,
    PatentStatus,
    SalaryPeriod,
    Sex,
    SkillLevel,
    VerificationStatus,
)
from talentgate.common.crypto import EncryptedCharField, mask

#: An erased person's profile keeps its row (counts stay true) under an external id with this prefix; pools,
#: detection and retention leave such profiles out.
ERASED_EXTERNAL_ID_PREFIX = "erased-"


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in enum]  # type: ignore[attr-defined]


class Profile(models.Model):
    """One candidate's canonical profile (DESIGN.md section 5: one profile, every policy)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="profile"
    )
    external_id = models.CharField(max_length=64, unique=True, help_text="Stable id used by import and export.")
    given_names_latin = models.CharField(_("given names (Latin)"), max_length=150)
    family_name_latin = models.CharField(_("family name (Latin)"), max_length=150, blank=True)
    given_names_native = models.CharField(_("given names (native script)"), max_length=150, blank=True)
    family_name_native = models.CharField(_("family name (native script)"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), db_index=True)
    sex = models.CharField(_("sex"), max_length=12, choices=_choices(Sex))
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True, help_text="ISO 3166-1 alpha-2 codes.")
    residence_country = models.CharField(_("country of residence"), max_length=2, blank=True, db_index=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=16, blank=True)
    h_index = models.PositiveSmallIntegerField(_("h-index"), null=True, blank=True)
    extensions = models.JSONField(_("programme-specific facts"), default=dict, blank=True)
    name_search_key = models.CharField(
        _("name search key"),
        max_length=1000,
        blank=True,
        editable=False,
        help_text="Every name word folded to Latin across scripts, for search; derived on save.",
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_profiles",
        help_text="Set when an officer merged this person into another (the survivor); the row is kept.",
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["external_id"]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=[s.value for s in Sex]), name="candidates_profile_sex_valid"),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True, merged_at__isnull=True)
                | (Q(merged_into__isnull=False, merged_at__isnull=False) & ~Q(merged_into=F("pk"))),
                name="candidates_profile_merge_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.external_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_search_key = identity_keys.profile_search_key(self)
        kwargs["update_fields"] = identity_keys.with_derived_update_fields(
            kwargs.get("update_fields"), identity_keys.NAME_FIELDS, "name_search_key"
        )
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return f"{self.given_names_latin} {self.family_name_latin}".strip()


class _ProfilePart(models.Model):
    """A row of one of the profile's lists (each subclass declares its ``profile`` key); ``pk`` order is list order."""

    class Meta:
        abstract = True
        ordering = ["profile_id", "id"]


class IdentityDocument(_ProfilePart):
    """A passport or similar identifier; the number is encrypted and never filtered or sorted on."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="identity_documents")
    kind = models.CharField(max_length=20, choices=_choices(IdentityDocumentKind))
    number = EncryptedCharField(max_length=40)
    issuing_country = models.CharField(max_length=2)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    number_blind_index = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text="HMAC of the normalised number and issuing country (BLIND_INDEX_KEY); exact lookups use it.",
    )

    class Meta(_ProfilePart.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="candidates_identitydocument_expiry_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {mask(self.number)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.number_blind_index = identity_keys.document_blind_index(self.number, self.issuing_country)
        kwargs["update_fields"] = identity_keys.with_derived_update_fields(
            kwargs.get("update_fields"), ("number", "issuing_country"), "number_blind_index"
        )
        super().save(*args, **kwargs)


class Education(_ProfilePart):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="education")
    level = models.PositiveSmallIntegerField(help_text="ISCED 2011 level 0-8.")
    field_code = models.CharField(max_length=4, blank=True, help_text="ISCED-F 2013 code.")
    field_name = models.CharField(max_length=200, blank=True)
    degree_title = models.CharField(max_length=200, blank=True)
    institution = models.CharField(max_length=200)
    country = models.CharField(max_length=2)
    graduation_year = models.PositiveSmallIntegerField(null=True, blank=True)
    verified = models.BooleanField(default=False)

    class Meta(_ProfilePart.Meta):
        verbose_name_plural = "education"
        constraints = [
            models.CheckConstraint(condition=Q(level__lte=8), name="candidates_education_isced_level"),
            models.CheckConstraint(
                condition=~Q(field_code="") | ~Q(field_name=""), name="candidates_education_field_given"
            ),
        ]

    def __str__(self) -> str:
        return f"ISCED {self.level} {self.institution}"


class Employment(_ProfilePart):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="work_history")
    title = models.CharField(max_length=200, help_text="As written.")
    esco_occupation_uri = models.CharField(max_length=120, blank=True, db_index=True)
    isco08_code = models.CharField(max_length=4, blank=True, db_index=True)
    employer = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    hours_per_week = models.FloatField(default=40.0)

    class Meta(_ProfilePart.Meta):
        verbose_name_plural = "employment"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="candidates_employment_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(esco_occupation_uri="") | ~Q(isco08_code=""),
                name="candidates_employment_occupation_coded",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0, hours_per_week__lte=80), name="candidates_employment_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Skill(_ProfilePart):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills")
    phrase = models.CharField(max_length=200, help_text="As written.")
    esco_skill_uri = models.CharField(max_length=120, blank=True, db_index=True)
    level = models.CharField(max_length=12, blank=True, choices=_choices(SkillLevel), help_text="Self-assessed.")

    def __str__(self) -> str:
        return self.phrase


class LanguageTestResult(_ProfilePart):
    """A test as taken, one column per reported score (the rules engine loads them as arrays)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="language_tests")
    test = models.CharField(max_length=20, choices=_choices(LanguageTest), db_index=True)
    test_date = models.DateField()
    language = models.CharField(max_length=2)
    listening = models.FloatField(null=True, blank=True)
    reading = models.FloatField(null=True, blank=True)
    writing = models.FloatField(null=True, blank=True)
    speaking = models.FloatField(null=True, blank=True)
    overall = models.FloatField(null=True, blank=True)
    level = models.CharField(max_length=8, blank=True)

    def __str__(self) -> str:
        return f"{self.test} {self.test_date}"


class Publication(_ProfilePart):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="publications")
    title = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField()
    venue = models.CharField(max_length=300, blank=True)
    doi = models.CharField(max_length=200, blank=True)
    peer_reviewed = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.title


class Patent(_ProfilePart):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="patents")
    title = models.CharField(max_length=500)
    number = models.CharField(max_length=60, blank=True)
    office = models.CharField(max_length=10, blank=True)
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=_choices(PatentStatus), default=PatentStatus.GRANTED.value)

    def __str__(self) -> str:
        return self.title


class Achievement(_ProfilePart):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="achievements")
    field = models.CharField(max_length=24, choices=_choices(AchievementField))
    level = models.CharField(max_length=16, choices=_choices(AchievementLevel))
    title = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField()
    evidence = models.CharField(max_length=1000, blank=True)

    def __str__(self) -> str:
        return self.title


class SalaryOffer(_ProfilePart):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="salary_offers")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    period = models.CharField(max_length=5, choices=_choices(SalaryPeriod))
    employer = models.CharField(max_length=200, blank=True)
    offered_on = models.DateField(null=True, blank=True)

    class Meta(_ProfilePart.Meta):
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="candidates_salaryoffer_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}/{self.period}"


class FamilyMember(_ProfilePart):
    """A relocating spouse, partner or child. ``career`` holds their canonical education,
    language tests and work history lists (``{"education": [...], "language_tests": [...], "work_history": [...]}``)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="family")
    relation = models.CharField(max_length=8, choices=_choices(FamilyRelation))
    given_names_latin = models.CharField(max_length=150)
    family_name_latin = models.CharField(max_length=150, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    citizenships = models.JSONField(default=list, blank=True)
    career = models.JSONField(default=dict, blank=True)

    class Meta(_ProfilePart.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=Q(relation__in=[FamilyRelation.SPOUSE.value, FamilyRelation.PARTNER.value]),
                name="candidates_familymember_one_partner",
            ),
            models.CheckConstraint(
                condition=~Q(relation=FamilyRelation.CHILD.value) | Q(date_of_birth__isnull=False),
                name="candidates_familymember_child_birth_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relation} {self.given_names_latin}"


def document_upload_to(document: Document, filename: str) -> str:
    # Files are grouped by profile pk (not by name) so a path reveals nothing personal.
    return f"documents/{document.profile_id}/{filename}"


class Document(_ProfilePart):
    """An uploaded document and its verification by an officer (pending, verified or rejected with a reason)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=_choices(DocumentKind))
    file = models.FileField(upload_to=document_upload_to, blank=True)
    file_name = models.CharField(max_length=255, blank=True, help_text="Name of the file as uploaded.")
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=_choices(VerificationStatus), default=VerificationStatus.PENDING.value, db_index=True
    )
    rejection_reason = models.CharField(max_length=500, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta(_ProfilePart.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="candidates_document_expiry_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(status=VerificationStatus.REJECTED.value, rejection_reason__gt="")
                | (~Q(status=VerificationStatus.REJECTED.value) & Q(rejection_reason="")),
                name="candidates_document_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"


class Consent(_ProfilePart):
    """One consent for one purpose under one version of its text. Rows are never edited except to
    set ``withdrawn_at``; a new version is a new row, so the history stays."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=24, choices=_choices(ConsentPurpose))
    version = models.CharField(max_length=20)
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta(_ProfilePart.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="candidates_consent_one_active_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="candidates_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "active"
        return f"{self.purpose} v{self.version} ({state})"
