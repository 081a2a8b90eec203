"""Tables of the cooperation registry: sources, blocs and organisations with dated memberships, agreements,
mega-science facilities and their collaboration programmes, exchange programmes with quotas per country.

Countries are ``reference.Country`` (UN M49, keyed by ISO 3166-1 alpha-2); this app never copies them.

Every registry record may carry:

* ``data_key``: the identity of a row that came from the shipped files (``None`` for rows added here),
  so the loader finds it again even after its dates were corrected;
* ``locally_edited``: set when an administrator changes the row, so that reloading the shipped files
  never overwrites their edit;
* ``uncertain``: what the sources could not confirm (shown beside the value, never hidden);
* ``sources``: at least one :class:`Source` (``talentgate registry check`` reports rows without one).

Dates the sources give only to the year or month are stored as the period's first day with a
precision (see ``partial_dates``). A membership holds on day *d* when ``start_date <= d`` and
(``end_date`` is empty or ``d < end_date``): ``end_date`` is the first day it no longer held.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentgate.cooperation.partial_dates import DAY, MONTH, YEAR, format_partial_date
from talentgate.reference.models import Country


class Precision(models.TextChoices):
    DAY = DAY, _("day")
    MONTH = MONTH, _("month")
    YEAR = YEAR, _("year")


class Source(models.Model):
    """A document a registry fact comes from: an official page, a decision, an agency report."""

    key = models.SlugField(max_length=80, unique=True, help_text=_("Stable short name used by the data files."))
    citation = models.TextField(help_text=_("Who published what, and when."))
    url = models.URLField(max_length=500, blank=True)
    as_of = models.CharField(
        max_length=10,
        blank=True,
        help_text=_("The day the facts taken from it were current (YYYY, YYYY-MM or YYYY-MM-DD)."),
    )
    data_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    locally_edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class RegistryRecord(models.Model):
    """The columns every sourced registry row shares (see the module docstring)."""

    notes = models.TextField(blank=True)
    uncertain = models.TextField(blank=True, help_text=_("What the sources could not confirm."))
    data_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    locally_edited = models.BooleanField(
        default=False, help_text=_("Changed here: reloading the shipped data leaves this row as it is.")
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="+")

    class Meta:
        abstract = True


class ScienceArea(models.Model):
    """A field of science and technology (OECD Fields of Science and Technology, Frascati Manual)."""

    code = models.CharField(max_length=8, primary_key=True, help_text=_("OECD FOS code, e.g. 1.3."))
    name_en = models.CharField(max_length=120)
    name_ru = models.CharField(max_length=160, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"


class GroupingKind(models.TextChoices):
    INFORMAL_GROUPING = "informal_grouping", _("informal grouping")
    FORUM = "forum", _("intergovernmental forum")
    INTERGOVERNMENTAL = "intergovernmental", _("intergovernmental organisation")
    ECONOMIC_UNION = "economic_union", _("economic integration organisation")
    CONTINENTAL = "continental", _("continental organisation")


class Bloc(RegistryRecord):
    """A political or economic bloc or grouping of states (BRICS, SCO, the EAEU, the CIS, G20...)."""

    code = models.SlugField(max_length=40, unique=True)
    acronym_en = models.CharField(max_length=20)
    acronym_ru = models.CharField(max_length=20, blank=True)
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=24, choices=GroupingKind.choices)
    kind_detail = models.CharField(max_length=250, blank=True, help_text=_("The grouping's status in words."))
    founded = models.DateField(null=True, blank=True)
    founded_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    description = models.TextField(blank=True)
    as_of = models.CharField(max_length=10, blank=True, help_text=_("Newest source consulted for this bloc."))

    class Meta:
        ordering = ["acronym_en"]

    def __str__(self) -> str:
        return self.acronym_en

    @property
    def founded_text(self) -> str:
        return format_partial_date(self.founded, self.founded_precision)


class OrganisationKind(models.TextChoices):
    UN_AGENCY = "un_agency", _("UN specialized agency")
    UN_BODY = "un_body", _("UN body or office")
    RESEARCH = "research", _("intergovernmental research organisation")
    INTERGOVERNMENTAL = "intergovernmental", _("intergovernmental organisation")
    ACADEMY = "academy", _("academy or institute")
    DEVELOPMENT_BANK = "development_bank", _("development bank")
    BLOC_BODY = "bloc_body", _("body of a bloc")


class Organisation(RegistryRecord):
    """An international organisation relevant to science cooperation (UNESCO, UNIDO, IAEA, WHO, JINR...)."""

    code = models.SlugField(max_length=40, unique=True)
    acronym = models.CharField(max_length=20, blank=True)
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=250, blank=True)
    kind = models.CharField(max_length=24, choices=OrganisationKind.choices)
    kind_detail = models.CharField(max_length=250, blank=True, help_text=_("The organisation's status in words."))
    founded = models.DateField(null=True, blank=True)
    founded_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    headquarters = models.CharField(max_length=200, blank=True)
    headquarters_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="hosted_organisations"
    )
    url = models.URLField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    relevance = models.TextField(blank=True, help_text=_("Why it matters to a talent-attraction programme."))
    bloc = models.ForeignKey(
        Bloc,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        help_text=_("A body of this bloc."),
    )
    as_of = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.acronym or self.name_en

    @property
    def founded_text(self) -> str:
        return format_partial_date(self.founded, self.founded_precision)


class MembershipKind(models.TextChoices):
    MEMBER = "member", _("member")
    ASSOCIATE = "associate", _("associate member")
    PARTNER = "partner", _("partner")
    DIALOGUE_PARTNER = "dialogue_partner", _("dialogue partner")
    OBSERVER = "observer", _("observer")
    PARTICIPANT = "participant", _("participant (not a member state)")
    INVITED = "invited", _("invited")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    WITHDRAWING = "withdrawing", _("withdrawal in progress")
    DORMANT = "dormant", _("dormant")
    UNCONFIRMED = "unconfirmed", _("not confirmed")


class Membership(RegistryRecord):
    """A country's (or a non-state entity's) place in a bloc or organisation over a period.

    Exactly one party: a ``country``, a ``member_bloc`` (the African Union in the G20) or a named
    ``entity`` without an M49 row (the European Union, coded ``EU``). ``status`` (suspended,
    withdrawing...) applies from ``status_since``; before that day the membership was active.
    ``start_attested_only`` marks a start that is the date a source *attests* the membership
    (the accession date is not in the sources): the party was a member on that day at the latest.
    """

    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    member_bloc = models.ForeignKey(Bloc, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entity_code = models.CharField(max_length=8, blank=True, help_text=_("e.g. EU (ISO 3166-1 reserved code)."))
    entity_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=MembershipKind.choices, default=MembershipKind.MEMBER)
    status = models.CharField(max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE)
    status_since = models.DateField(null=True, blank=True)
    status_since_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    start_attested_only = models.BooleanField(
        default=False, help_text=_("The start is the date a source attests membership; the accession date is unknown.")
    )
    end_date = models.DateField(null=True, blank=True, help_text=_("The first day it no longer held."))
    end_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)

    class Meta:
        abstract = True

    @property
    def party_code(self) -> str:
        if self.country_id:
            return str(self.country_id)
        if self.member_bloc_id:
            return self.member_bloc.acronym_en if self.member_bloc else ""
        return self.entity_code

    @property
    def party_name(self) -> str:
        if self.country_id and self.country is not None:
            return self.country.name_en
        if self.member_bloc_id and self.member_bloc is not None:
            return self.member_bloc.name_en
        return self.entity_name

    @property
    def start_text(self) -> str:
        return format_partial_date(self.start_date, self.start_precision)

    @property
    def end_text(self) -> str:
        return format_partial_date(self.end_date, self.end_precision)

    @property
    def status_since_text(self) -> str:
        return format_partial_date(self.status_since, self.status_since_precision)

    def holds_on(self, day: dt.date) -> bool:
        """Whether the membership held on ``day`` (undated memberships never do)."""
        if self.start_date is None or self.start_date > day:
            return False
        return self.end_date is None or day < self.end_date

    def status_on(self, day: dt.date) -> str:
        """The status on ``day``: the recorded one from ``status_since`` on, active before it."""
        if self.status != MembershipStatus.ACTIVE and self.status_since is not None and day < self.status_since:
            return str(MembershipStatus.ACTIVE)
        return str(self.status)


def _one_party(prefix: str) -> models.CheckConstraint:
    country = Q(country__isnull=False, member_bloc__isnull=True, entity_name="")
    bloc = Q(country__isnull=True, member_bloc__isnull=False, entity_name="")
    entity = Q(country__isnull=True, member_bloc__isnull=True) & ~Q(entity_name="")
    return models.CheckConstraint(condition=country | bloc | entity, name=f"{prefix}_one_party")


def _ends_after_start(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
        name=f"{prefix}_ends_after_start",
    )


class BlocMembership(Membership):
    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        ordering = ["bloc", "start_date", "pk"]
        constraints = [_one_party("bloc_membership"), _ends_after_start("bloc_membership")]
        indexes = [models.Index(fields=["bloc", "kind", "start_date"]), models.Index(fields=["country", "bloc"])]

    def __str__(self) -> str:
        return f"{self.bloc}: {self.party_code or self.party_name} ({self.kind} {self.start_text}..{self.end_text})"


class OrganisationMembership(Membership):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        ordering = ["organisation", "start_date", "pk"]
        constraints = [_one_party("organisation_membership"), _ends_after_start("organisation_membership")]
        indexes = [models.Index(fields=["organisation", "kind", "start_date"])]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.party_code or self.party_name} ({self.kind} {self.start_text}..{self.end_text})"


class AgreementKind(models.TextChoices):
    TREATY = "treaty", _("treaty or founding agreement")
    COOPERATION = "cooperation", _("cooperation agreement")
    DECLARATION = "declaration", _("declaration of intent")
    ACTION_PLAN = "action_plan", _("action plan or roadmap")
    CONVENTION = "convention", _("convention")


class Agreement(RegistryRecord):
    """A cooperation agreement between countries and/or organisations, with its areas of science and technology."""

    title_en = models.CharField(max_length=300)
    title_ru = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=16, choices=AgreementKind.choices, default=AgreementKind.COOPERATION)
    signed_on = models.DateField(null=True, blank=True)
    signed_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    in_force_from = models.DateField(null=True, blank=True)
    in_force_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    ends_on = models.DateField(null=True, blank=True, help_text=_("The first day it no longer applied."))
    ends_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    areas = models.ManyToManyField(ScienceArea, blank=True, related_name="agreements")
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["signed_on", "title_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(signed_on__isnull=True) | Q(ends_on__gt=models.F("signed_on")),
                name="agreement_ends_after_signature",
            )
        ]

    def __str__(self) -> str:
        return self.title_en

    @property
    def signed_text(self) -> str:
        return format_partial_date(self.signed_on, self.signed_precision)

    @property
    def in_force_text(self) -> str:
        return format_partial_date(self.in_force_from, self.in_force_precision)

    @property
    def ends_text(self) -> str:
        return format_partial_date(self.ends_on, self.ends_precision)


class AgreementParty(models.Model):
    """One party to an agreement: a country, an organisation, or a named entity (the EU through Euratom)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entity_code = models.CharField(max_length=8, blank=True)
    entity_name = models.CharField(max_length=200, blank=True)
    represented_by = models.CharField(max_length=200, blank=True, help_text=_("e.g. the national science council."))

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name_plural = "agreement parties"
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False, organisation__isnull=True, entity_name="")
                | Q(country__isnull=True, organisation__isnull=False, entity_name="")
                | (Q(country__isnull=True, organisation__isnull=True) & ~Q(entity_name="")),
                name="agreement_party_one_party",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.name}"

    @property
    def name(self) -> str:
        if self.country_id and self.country is not None:
            return self.country.name_en
        if self.organisation_id and self.organisation is not None:
            return str(self.organisation)
        return self.entity_name


class FacilityKind(models.TextChoices):
    COLLIDER = "collider", _("accelerator or collider")
    NEUTRON_SOURCE = "neutron_source", _("neutron source")
    LIGHT_SOURCE = "light_source", _("synchrotron light source")
    TELESCOPE = "telescope", _("telescope or observatory")
    FUSION = "fusion", _("fusion device")
    NUCLEAR_PHYSICS = "nuclear_physics", _("nuclear physics facility")
    COMPUTING = "computing", _("computing centre")


class FacilityStatus(models.TextChoices):
    OPERATING = "operating", _("operating")
    CONSTRUCTION = "construction", _("under construction")
    UNKNOWN = "unknown", _("not stated by the sources")


class Facility(RegistryRecord):
    """A mega-science research facility (a collider, a neutron source, a synchrotron, a telescope...)."""

    code = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=250, blank=True)
    kind = models.CharField(max_length=20, choices=FacilityKind.choices)
    status = models.CharField(max_length=12, choices=FacilityStatus.choices, default=FacilityStatus.UNKNOWN)
    operator = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="facilities"
    )
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    site = models.CharField(max_length=200, blank=True)
    operating_since = models.DateField(null=True, blank=True)
    operating_since_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    areas = models.ManyToManyField(ScienceArea, blank=True, related_name="facilities")
    description = models.TextField(blank=True)
    url = models.URLField(max_length=300, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name_en

    @property
    def operating_since_text(self) -> str:
        return format_partial_date(self.operating_since, self.operating_since_precision)


class CollaborationKind(models.TextChoices):
    USER_PROGRAMME = "user_programme", _("user programme (beam time, access)")
    CONTRIBUTION = "contribution", _("in-kind contribution to construction")
    MEMBERSHIP_PROGRAMME = "membership_programme", _("programme for member states")
    TRAINING = "training", _("training and education")


class CollaborationProgramme(RegistryRecord):
    """How partners take part in a facility: a user programme, in-kind contributions, grants for member states."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="programmes")
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=250, blank=True)
    kind = models.CharField(max_length=24, choices=CollaborationKind.choices)
    partner_countries = models.ManyToManyField(Country, blank=True, related_name="+")
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    end_date = models.DateField(null=True, blank=True)
    end_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["facility", "name_en"]

    def __str__(self) -> str:
        return f"{self.facility}: {self.name_en}"

    @property
    def start_text(self) -> str:
        return format_partial_date(self.start_date, self.start_precision)


class ExchangeKind(models.TextChoices):
    ACADEMIC_MOBILITY = "academic_mobility", _("academic mobility")
    SCIENTIFIC_EXCHANGE = "scientific_exchange", _("scientific exchange")
    FELLOWSHIP = "fellowship", _("fellowship or scholarship")
    VISITING_RESEARCHER = "visiting_researcher", _("visiting researchers")


class ExchangeProgramme(RegistryRecord):
    """An exchange or academic-mobility programme; quotas per partner country live in :class:`ExchangeQuota`."""

    code = models.SlugField(max_length=60, unique=True)
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=250, blank=True)
    kind = models.CharField(max_length=24, choices=ExchangeKind.choices)
    operator = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="exchange_programmes"
    )
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="exchange_programmes"
    )
    bloc = models.ForeignKey(
        Bloc,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_programmes",
        help_text=_("The bloc whose countries the programme is open to, if any."),
    )
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    end_date = models.DateField(null=True, blank=True)
    end_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    areas = models.ManyToManyField(ScienceArea, blank=True, related_name="exchange_programmes")
    description = models.TextField(blank=True)
    url = models.URLField(max_length=300, blank=True)

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name_en

    @property
    def start_text(self) -> str:
        return format_partial_date(self.start_date, self.start_precision)


class ExchangeQuota(models.Model):
    """Places a programme offers one partner country in one year.

    ``tracks_use``: the places are allocated on this platform (``QuotaAllocation`` rows), so the
    places used and remaining are computed; otherwise only the quota is known.
    """

    programme = models.ForeignKey(ExchangeProgramme, on_delete=models.CASCADE, related_name="quotas")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    places = models.PositiveIntegerField()
    tracks_use = models.BooleanField(default=False, help_text=_("Places are allocated here, so use is computed."))
    notes = models.TextField(blank=True)
    data_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    locally_edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["programme", "year", "country"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "country", "year"], name="exchange_quota_unique"),
            models.CheckConstraint(condition=Q(year__gte=1900) & Q(year__lte=2200), name="exchange_quota_year"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.country_id} {self.year}: {self.places}"

    @property
    def used(self) -> int | None:
        """Places taken, when the quota tracks its use here (``None`` otherwise: only the quota is known)."""
        if not self.tracks_use:
            return None
        allocated = getattr(self, "allocated", None)  # annotated by the selectors, counted here otherwise
        return int(allocated) if allocated is not None else self.allocations.count()

    @property
    def remaining(self) -> int | None:
        used = self.used
        return None if used is None else max(self.places - used, 0)


class QuotaAllocation(models.Model):
    """One place of a quota taken (by an award, an admission...); ``reference`` says what took it."""

    quota = models.ForeignKey(ExchangeQuota, on_delete=models.PROTECT, related_name="allocations")
    reference = models.CharField(max_length=120, help_text=_("What took the place, e.g. 'award:17'."))
    allocated_at = models.DateTimeField(auto_now_add=True)
    allocated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["quota", "allocated_at"]
        constraints = [models.UniqueConstraint(fields=["quota", "reference"], name="quota_allocation_unique")]

    def __str__(self) -> str:
        return f"{self.quota}: {self.reference}"


class RegistryLoad(models.Model):
    """One load of the shipped registry files that changed something (a load that changes nothing leaves no row)."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data_digest = models.CharField(max_length=64, help_text=_("SHA-256 of the shipped files loaded."))
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    kept_local_edits = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"load {self.at:%Y-%m-%d %H:%M} (+{self.created} ~{self.updated})"
