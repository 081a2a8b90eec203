"""The canonical candidate profile ("one profile, every policy"): pydantic models and cross-field rules.

Import/export, the demo generator, the API and the rules engine all read this one format.
Field names are part of the published JSON Schema (:func:`profile_json_schema`); change
them only with a new ``format_version``.

Every error carries a ``loc`` that is the path inside the profile and a ``type`` that
names the rule:

>>> from pydantic import ValidationError
>>> data = {
...     "id": "cand-0001",
...     "identity": {"given_names_latin": "Aigerim", "family_name_latin": "Seitkali",
...                  "date_of_birth": "1990-05-17", "sex": "female", "citizenships": ["KZ"]},
...     "language_tests": [{"test": "ielts_general", "test_date": "2024-03-02",
...                         "listening": 9.5, "reading": 7.0, "writing": 6.5, "speaking": 7.0}],
... }
>>> try:
...     CandidateProfile.model_validate(data)
... except ValidationError as error:
...     print(error.errors()[0]["loc"], error.errors()[0]["type"])
('language_tests', 0, 'listening') score_out_of_scale
>>> data["language_tests"][0]["listening"] = 8.0
>>> CandidateProfile.model_validate(data).language_tests[0].language
'en'
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from talentgate.canonical.codes import (
    ISCED_2011_LEVELS,
    CountryCode,
    CurrencyCode,
    EscoOccupationUri,
    EscoSkillUri,
    IscedFieldCode,
    IscoCode,
    LanguageCode,
)
from talentgate.canonical.language_tests import TEST_SPECS, LanguageTest, scale_problems

__all__ = [
    "FORMAT_VERSION",
    "MIN_WORKING_AGE_YEARS",
    "Achievement",
    "AchievementField",
    "AchievementLevel",
    "CandidateProfile",
    "Consent",
    "ConsentPurpose",
    "DocumentKind",
    "DocumentMeta",
    "Education",
    "Employment",
    "FamilyMember",
    "FamilyRelation",
    "Identity",
    "IdentityDocument",
    "IdentityDocumentKind",
    "LanguageTestResult",
    "Patent",
    "PatentStatus",
    "Publication",
    "SalaryOffer",
    "SalaryPeriod",
    "Sex",
    "Skill",
    "SkillLevel",
    "VerificationStatus",
    "profile_json_schema",
]

FORMAT_VERSION: Literal[1] = 1
# Degrees and jobs are refused before this age: a rule of plausibility, not of law.
MIN_WORKING_AGE_YEARS = 14


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _to_cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2), AfterValidator(_to_cents)]
ShortText = Annotated[str, Field(max_length=200)]
Year = Annotated[int, Field(ge=1900, le=2100)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False)


def _refuse(title: str, problems: list[tuple[tuple[str | int, ...], str, str, Any]]) -> None:
    """Raise one ValidationError whose entries carry their own ``loc``; nested models prefix it."""
    if problems:
        raise ValidationError.from_exception_data(
            title,
            [
                InitErrorDetails(type=PydanticCustomError(rule, message), loc=loc, input=value)
                for loc, rule, message, value in problems
            ],
        )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, day=28)


# ---------------------------------------------------------------------------- identity


class Sex(StrEnum):
    """Sex as in the travel document; ``unspecified`` is the 'X' of ICAO 9303. Never a scoring input."""

    FEMALE = "female"
    MALE = "male"
    UNSPECIFIED = "unspecified"


class Identity(_Part):
    """Who the person is and how to reach them.

    >>> Identity(given_names_latin="Ravi", family_name_latin="Kumar", given_names_native="रवि",
    ...          date_of_birth=date(1988, 1, 9), sex="male", citizenships=["in"]).citizenships
    ['IN']
    """

    given_names_latin: str = Field(
        min_length=1, max_length=150, description="Given names in Latin script, as in the passport."
    )
    family_name_latin: str = Field(
        default="", max_length=150, description="Family name in Latin script; empty for mononyms."
    )
    given_names_native: str = Field(default="", max_length=150, description="Given names in the native script.")
    family_name_native: str = Field(default="", max_length=150, description="Family name in the native script.")
    date_of_birth: date
    sex: Sex
    citizenships: list[CountryCode] = Field(default_factory=list, description="ISO 3166-1 alpha-2; empty if stateless.")
    residence_country: CountryCode | None = Field(default=None, description="Country of current residence.")
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, pattern=r"^\+[1-9]\d{6,14}$", description="E.164, e.g. '+77011234567'.")

    @model_validator(mode="after")
    def _check(self) -> Identity:
        problems: list[tuple[tuple[str | int, ...], str, str, Any]] = []
        today = date.today()
        if self.date_of_birth > today:
            problems.append(
                (("date_of_birth",), "date_in_future", "date of birth is in the future", self.date_of_birth)
            )
        elif self.date_of_birth < _add_years(today, -120):
            problems.append(
                (("date_of_birth",), "date_implausible", "date of birth is more than 120 years ago", self.date_of_birth)
            )
        if len(set(self.citizenships)) != len(self.citizenships):
            problems.append((("citizenships",), "duplicate", "a citizenship is listed twice", self.citizenships))
        _refuse("Identity", problems)
        return self


class IdentityDocumentKind(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    RESIDENCE_PERMIT = "residence_permit"
    TRAVEL_DOCUMENT = "travel_document"


class IdentityDocument(_Part):
    """A passport or similar identifier. ``number`` is sensitive: stored encrypted, shown masked."""

    kind: IdentityDocumentKind
    number: str = Field(min_length=3, max_length=40, json_schema_extra={"x-sensitive": True})
    issuing_country: CountryCode
    issued_on: date | None = None
    expires_on: date | None = None

    @model_validator(mode="after")
    def _check(self) -> IdentityDocument:
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            _refuse(
                "IdentityDocument",
                [(("expires_on",), "end_before_start", "expiry date must be after the issue date", self.expires_on)],
            )
        return self


# ---------------------------------------------------------------------------- career


class Education(_Part):
    """One completed or ongoing qualification.

    ``level`` is the ISCED 2011 level (0-8: 6 bachelor's, 7 master's, 8 doctoral);
    ``field_code`` an ISCED-F 2013 code (broad ``"07"``, narrow ``"071"`` or detailed ``"0715"``)
    and/or ``field_name`` as written. ``graduation_year`` is empty while studies continue.

    >>> Education(level=7, field_code="0716", institution="Bauman MSTU", country="RU", graduation_year=2014).field_code
    '0716'
    """

    level: int = Field(
        ge=0, le=8, description="ISCED 2011 level: " + "; ".join(f"{k} {v}" for k, v in ISCED_2011_LEVELS.items())
    )
    field_code: IscedFieldCode | None = None
    field_name: str = Field(default="", max_length=200, description="Field of study as written on the diploma.")
    degree_title: str = Field(
        default="", max_length=200, description="Degree as written, e.g. 'MSc Aerospace Engineering'."
    )
    institution: str = Field(min_length=1, max_length=200)
    country: CountryCode
    graduation_year: Year | None = None
    verified: bool = Field(default=False, description="An officer checked the diploma.")

    @model_validator(mode="after")
    def _check(self) -> Education:
        if self.field_code is None and not self.field_name:
            _refuse(
                "Education",
                [
                    (
                        ("field_code",),
                        "field_missing",
                        "give an ISCED-F 2013 field code or the field as written (field_name)",
                        None,
                    )
                ],
            )
        return self


class Employment(_Part):
    """One job. ``end_date`` empty means current.

    The occupation is the title as written plus at least one code: an ESCO occupation URI
    and/or an ISCO-08 unit group.

    >>> Employment(title="Propulsion engineer", isco08_code="2144", employer="Energia", country="RU",
    ...            start_date=date(2015, 9, 1)).hours_per_week
    40.0
    """

    title: str = Field(min_length=1, max_length=200, description="Job title as written.")
    esco_occupation_uri: EscoOccupationUri | None = None
    isco08_code: IscoCode | None = None
    employer: str = Field(default="", max_length=200)
    sector: str = Field(default="", max_length=100, description="Economic sector or programme priority sector code.")
    country: CountryCode
    start_date: date
    end_date: date | None = None
    hours_per_week: float = Field(default=40.0, gt=0, le=80)

    @model_validator(mode="after")
    def _check(self) -> Employment:
        problems: list[tuple[tuple[str | int, ...], str, str, Any]] = []
        if self.esco_occupation_uri is None and self.isco08_code is None:
            problems.append(
                (("isco08_code",), "occupation_code_missing", "give an ESCO occupation URI or an ISCO-08 code", None)
            )
        if self.end_date is not None and self.end_date < self.start_date:
            problems.append(
                (("end_date",), "end_before_start", "end date must not be before the start date", self.end_date)
            )
        _refuse("Employment", problems)
        return self


class SkillLevel(StrEnum):
    BASIC = "basic"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


class Skill(_Part):
    """A skill as the candidate wrote it, with its ESCO skill URI where known."""

    phrase: str = Field(min_length=1, max_length=200)
    esco_skill_uri: EscoSkillUri | None = None
    level: SkillLevel | None = Field(default=None, description="Self-assessed.")


class LanguageTestResult(_Part):
    """One language test exactly as taken, on the test's own scale.

    Scores are checked against the real scale of the test on its date (IELTS bands 0-9
    in half bands, PTE 10-90, TEF 0-699, TOEFL 0-30 before 2026-01-21 and 1-6 bands after...).
    ``language`` defaults to the tested language; it is required for ``cefr_self``.

    >>> LanguageTestResult(test="pte_core", test_date=date(2025, 1, 10), listening=71, reading=69,
    ...                    writing=79, speaking=76).language
    'en'
    """

    test: LanguageTest
    test_date: date
    language: LanguageCode | None = None
    listening: float | None = None
    reading: float | None = None
    writing: float | None = None
    speaking: float | None = None
    overall: float | None = Field(default=None, description="Overall band or total, where the test reports one.")
    level: str | None = Field(
        default=None, max_length=8, description="Level certified (CEFR A1-C2, JLPT N1-N5, HSK1-HSK9, BJT J5-J1+)."
    )

    @model_validator(mode="after")
    def _check(self) -> LanguageTestResult:
        spec = TEST_SPECS[self.test]
        problems: list[tuple[tuple[str | int, ...], str, str, Any]] = []
        if self.language is None:
            if spec.language is None:
                problems.append(
                    (("language",), "language_missing", "say which language was assessed (ISO 639-1)", None)
                )
            else:
                self.language = spec.language
        elif spec.language_fixed and spec.language is not None and self.language != spec.language:
            problems.append(
                (
                    ("language",),
                    "language_mismatch",
                    f"{spec.name} tests '{spec.language}', not '{self.language}'",
                    self.language,
                )
            )
        if self.test_date > date.today():
            problems.append((("test_date",), "date_in_future", "the test date is in the future", self.test_date))
        scores = {name: getattr(self, name) for name in ("listening", "reading", "writing", "speaking", "overall")}
        for name, rule, message in scale_problems(self.test, self.test_date, scores, self.level):
            loc: tuple[str | int, ...] = (name,) if name else ()
            problems.append((loc, rule, message, getattr(self, name) if name else None))
        _refuse("LanguageTestResult", problems)
        return self


# ---------------------------------------------------------------------------- merit


class Publication(_Part):
    title: str = Field(min_length=1, max_length=500)
    year: Year
    venue: str = Field(default="", max_length=300)
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    peer_reviewed: bool = True


class PatentStatus(StrEnum):
    FILED = "filed"
    GRANTED = "granted"


class Patent(_Part):
    title: str = Field(min_length=1, max_length=500)
    number: str = Field(default="", max_length=60, description="Publication or grant number as issued.")
    office: str = Field(default="", max_length=10, description="Issuing office: a country code, 'EP', 'WO', 'EA'...")
    year: Year
    status: PatentStatus = PatentStatus.GRANTED


class AchievementField(StrEnum):
    SCIENCE_TECHNOLOGY = "science_technology"
    EDUCATION = "education"
    SPORT = "sport"
    CREATIVE_INDUSTRIES = "creative_industries"
    CULTURE_HUMANITARIAN = "culture_humanitarian"


class AchievementLevel(StrEnum):
    INTERNATIONAL = "international"
    NATIONAL = "national"
    REGIONAL = "regional"


class Achievement(_Part):
    """A prize, medal or distinction; ``evidence`` is a URL or a short description of the proof."""

    field: AchievementField
    level: AchievementLevel
    title: str = Field(min_length=1, max_length=300)
    year: Year
    evidence: str = Field(default="", max_length=1000)


class SalaryPeriod(StrEnum):
    YEAR = "year"
    MONTH = "month"
    HOUR = "hour"


class SalaryOffer(_Part):
    """A salary offered (by a host or elsewhere), in its own currency and period."""

    amount: Money
    currency: CurrencyCode
    period: SalaryPeriod
    employer: str = Field(default="", max_length=200)
    offered_on: date | None = None


# ---------------------------------------------------------------------------- family


class FamilyRelation(StrEnum):
    SPOUSE = "spouse"
    PARTNER = "partner"
    CHILD = "child"


class FamilyMember(_Part):
    """A family member who relocates with the candidate.

    A spouse or partner may carry citizenships, education, language tests and work history
    (policies score them); a child needs a date of birth.
    """

    relation: FamilyRelation
    given_names_latin: str = Field(min_length=1, max_length=150)
    family_name_latin: str = Field(default="", max_length=150)
    date_of_birth: date | None = None
    citizenships: list[CountryCode] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    language_tests: list[LanguageTestResult] = Field(default_factory=list)
    work_history: list[Employment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> FamilyMember:
        problems: list[tuple[tuple[str | int, ...], str, str, Any]] = []
        if self.relation is FamilyRelation.CHILD and self.date_of_birth is None:
            problems.append((("date_of_birth",), "missing", "a child needs a date of birth", None))
        if self.date_of_birth is not None:
            problems += _career_problems(self.date_of_birth, self.education, self.language_tests, self.work_history)
        _refuse("FamilyMember", problems)
        return self


# ---------------------------------------------------------------------------- documents and consent


class DocumentKind(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    DIPLOMA = "diploma"
    TRANSCRIPT = "transcript"
    LANGUAGE_CERTIFICATE = "language_certificate"
    EMPLOYMENT_RECORD = "employment_record"
    AWARD_EVIDENCE = "award_evidence"
    CV = "cv"
    PHOTO = "photo"
    MEDICAL = "medical"
    POLICE_CLEARANCE = "police_clearance"
    OTHER = "other"


class VerificationStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class DocumentMeta(_Part):
    """An uploaded document's metadata (the file itself travels separately)."""

    kind: DocumentKind
    file_name: str = Field(default="", max_length=255)
    issued_on: date | None = None
    expires_on: date | None = None
    status: VerificationStatus = VerificationStatus.PENDING
    rejection_reason: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _check(self) -> DocumentMeta:
        problems: list[tuple[tuple[str | int, ...], str, str, Any]] = []
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            problems.append(
                (("expires_on",), "end_before_start", "expiry date must be after the issue date", self.expires_on)
            )
        if self.status is VerificationStatus.REJECTED and not self.rejection_reason:
            problems.append((("rejection_reason",), "missing", "a rejected document needs the reason", None))
        if self.status is not VerificationStatus.REJECTED and self.rejection_reason:
            problems.append(
                (
                    ("rejection_reason",),
                    "not_allowed",
                    "only a rejected document has a rejection reason",
                    self.rejection_reason,
                )
            )
        _refuse("DocumentMeta", problems)
        return self


class ConsentPurpose(StrEnum):
    MATCHED_HOSTS = "matched_hosts"
    AUTHORITY_HANDOFF = "authority_handoff"
    ANONYMISED_ANALYTICS = "anonymised_analytics"


class Consent(_Part):
    """One consent given for one purpose under one version of its text; withdrawn by setting ``withdrawn_at``.

    The list on a profile is the history: a new version is a new entry, never an edit.
    """

    purpose: ConsentPurpose
    version: str = Field(min_length=1, max_length=20)
    given_at: UtcDatetime
    withdrawn_at: UtcDatetime | None = None

    @model_validator(mode="after")
    def _check(self) -> Consent:
        if self.withdrawn_at is not None and self.withdrawn_at < self.given_at:
            _refuse(
                "Consent",
                [
                    (
                        ("withdrawn_at",),
                        "end_before_start",
                        "a consent cannot be withdrawn before it was given",
                        self.withdrawn_at,
                    )
                ],
            )
        return self


# ---------------------------------------------------------------------------- the profile


def _career_problems(
    born: date,
    education: list[Education],
    language_tests: list[LanguageTestResult],
    work_history: list[Employment],
    prefix: tuple[str | int, ...] = (),
) -> list[tuple[tuple[str | int, ...], str, str, Any]]:
    """Dates that contradict the date of birth (degrees and jobs before age 14, tests before birth)."""
    problems: list[tuple[tuple[str | int, ...], str, str, Any]] = []
    earliest_year = born.year + MIN_WORKING_AGE_YEARS
    for i, item in enumerate(education):
        if item.graduation_year is not None and item.graduation_year < earliest_year:
            problems.append(
                (
                    (*prefix, "education", i, "graduation_year"),
                    "before_minimum_age",
                    f"graduation year must be {earliest_year} or later (born {born.year}, minimum age {MIN_WORKING_AGE_YEARS})",
                    item.graduation_year,
                )
            )
    earliest_job = _add_years(born, MIN_WORKING_AGE_YEARS)
    for i, job in enumerate(work_history):
        if job.start_date < earliest_job:
            problems.append(
                (
                    (*prefix, "work_history", i, "start_date"),
                    "before_minimum_age",
                    f"a job cannot start before age {MIN_WORKING_AGE_YEARS} ({earliest_job.isoformat()})",
                    job.start_date,
                )
            )
    for i, result in enumerate(language_tests):
        if result.test_date <= born:
            problems.append(
                (
                    (*prefix, "language_tests", i, "test_date"),
                    "before_birth",
                    "test date is before the date of birth",
                    result.test_date,
                )
            )
    return problems


class CandidateProfile(_Part):
    """One candidate's whole profile: what every policy, the matcher and import/export read.

    ``id`` is the stable external id (letters, digits, ``.``, ``_``, ``:``, ``-``).
    Lists keep their order; ``consents`` is the full history.
    """

    format_version: Literal[1] = FORMAT_VERSION
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")
    identity: Identity
    identity_documents: list[IdentityDocument] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    work_history: list[Employment] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    language_tests: list[LanguageTestResult] = Field(default_factory=list)
    publications: list[Publication] = Field(default_factory=list)
    patents: list[Patent] = Field(default_factory=list)
    h_index: int | None = Field(default=None, ge=0, le=500)
    achievements: list[Achievement] = Field(default_factory=list)
    salary_offers: list[SalaryOffer] = Field(default_factory=list)
    family: list[FamilyMember] = Field(default_factory=list)
    documents: list[DocumentMeta] = Field(default_factory=list)
    consents: list[Consent] = Field(default_factory=list)
    extensions: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict,
        description="Facts only some programmes ask about (e.g. 'provincial_nomination': true), keyed by snake_case names.",
    )

    @model_validator(mode="after")
    def _check(self) -> CandidateProfile:
        born = self.identity.date_of_birth
        problems = _career_problems(born, self.education, self.language_tests, self.work_history)
        for i, item in enumerate(self.achievements):
            if item.year < born.year:
                problems.append(
                    (("achievements", i, "year"), "before_birth", f"year must be {born.year} or later", item.year)
                )
        for i, pub in enumerate(self.publications):
            if pub.year < born.year + MIN_WORKING_AGE_YEARS:
                problems.append(
                    (
                        ("publications", i, "year"),
                        "before_minimum_age",
                        f"year must be {born.year + MIN_WORKING_AGE_YEARS} or later",
                        pub.year,
                    )
                )
        partners = [
            i for i, m in enumerate(self.family) if m.relation in (FamilyRelation.SPOUSE, FamilyRelation.PARTNER)
        ]
        for i in partners[1:]:
            problems.append(
                (
                    ("family", i, "relation"),
                    "duplicate",
                    "only one spouse or partner relocates with the candidate",
                    self.family[i].relation.value,
                )
            )
        for i, member in enumerate(self.family):
            if (
                member.relation is FamilyRelation.CHILD
                and member.date_of_birth is not None
                and member.date_of_birth <= born
            ):
                problems.append(
                    (
                        ("family", i, "date_of_birth"),
                        "before_parent",
                        "a child is born after the candidate",
                        member.date_of_birth,
                    )
                )
        active: dict[ConsentPurpose, int] = {}
        for i, consent in enumerate(self.consents):
            if consent.withdrawn_at is None:
                if consent.purpose in active:
                    problems.append(
                        (
                            ("consents", i),
                            "duplicate",
                            f"consent for '{consent.purpose.value}' is already active (entry {active[consent.purpose]}); withdraw it first",
                            consent.purpose.value,
                        )
                    )
                active[consent.purpose] = i
        for key in self.extensions:
            if not key.replace("_", "").isalnum() or not key[:1].isalpha() or key != key.lower():
                problems.append(
                    (
                        ("extensions", key),
                        "key_format",
                        "extension names are snake_case, e.g. 'provincial_nomination'",
                        key,
                    )
                )
        _refuse("CandidateProfile", problems)
        return self

    def active_consent(self, purpose: ConsentPurpose) -> Consent | None:
        """The consent currently given for ``purpose``, if any."""
        return next((c for c in self.consents if c.purpose is purpose and c.withdrawn_at is None), None)


def profile_json_schema() -> dict[str, Any]:
    """The published JSON Schema (draft 2020-12) of :class:`CandidateProfile`, as validated on input."""
    schema = CandidateProfile.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://talentgate.example/schemas/candidate-profile/v{FORMAT_VERSION}.json"
    return schema
