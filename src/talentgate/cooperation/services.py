"""Every write on the cooperation registry outside the admin: atomic, checked, audited on the ``registry`` chain.

Administrators add sources, bloc memberships and agreements and set exchange quotas; every other role
is refused (403) and nothing changes. A row changed here is marked ``locally_edited``, so reloading
the shipped files leaves the change in place. Programme staff allocate and release quota places (an
award or an admission taking a place of a partner country's quota).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from talentgate.accounts.roles import Role
from talentgate.common import audit
from talentgate.common.access import require_role
from talentgate.common.errors import Conflict, FieldError, NotFound, ValidationFailed
from talentgate.common.workflow import validation_errors
from talentgate.cooperation.loader import REGISTRY_CHAIN
from talentgate.cooperation.models import (
    Agreement,
    AgreementParty,
    Bloc,
    BlocMembership,
    ExchangeProgramme,
    ExchangeQuota,
    MembershipKind,
    MembershipStatus,
    Organisation,
    QuotaAllocation,
    ScienceArea,
    Source,
)
from talentgate.cooperation.partial_dates import PartialDateError, parse_partial_date
from talentgate.reference.models import Country

EDITORS = (Role.ADMINISTRATOR,)
ALLOCATORS = (Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)


def _date(errors: list[FieldError], name: str, text: str | None) -> dict[str, Any]:
    """The model fields of a partial date given as text; a bad one adds an error naming ``name``."""
    day_field, precision_field = {
        "start": ("start_date", "start_precision"),
        "end": ("end_date", "end_precision"),
        "status_since": ("status_since", "status_since_precision"),
        "signed": ("signed_on", "signed_precision"),
        "in_force": ("in_force_from", "in_force_precision"),
        "ends": ("ends_on", "ends_precision"),
    }[name]
    if text is None or str(text).strip() == "":
        return {day_field: None, precision_field: "day"}
    try:
        value = parse_partial_date(str(text))
    except PartialDateError:
        errors.append(
            FieldError(name, "date_format", gettext("Write the date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-01-01)."))
        )
        return {}
    return {day_field: value.day, precision_field: value.precision}


def _sources(errors: list[FieldError], keys: Sequence[str]) -> list[Source]:
    if not keys:
        errors.append(FieldError("sources", "required", gettext("Name at least one source (its key).")))
        return []
    found = {source.key: source for source in Source.objects.filter(key__in=list(keys))}
    for index, key in enumerate(keys):
        if key not in found:
            errors.append(
                FieldError(
                    f"sources.{index}", "unknown_source", gettext("No source with the key '%(key)s'.") % {"key": key}
                )
            )
    return [found[key] for key in keys if key in found]


def _country(errors: list[FieldError], field: str, code: str | None) -> Country | None:
    if not code:
        return None
    country = Country.objects.filter(iso_alpha2=str(code).strip().upper()).first()
    if country is None:
        errors.append(
            FieldError(
                field, "unknown_country", gettext("'%(code)s' is not a country code of the M49 table.") % {"code": code}
            )
        )
    return country


def create_source(actor: Any, *, key: str, citation: str, url: str = "", as_of: str = "") -> Source:
    """Add a source (administrators); ``key`` is the short name entries cite it by."""
    require_role(actor, *EDITORS)
    errors: list[FieldError] = []
    if as_of:
        try:
            parse_partial_date(as_of)
        except PartialDateError:
            errors.append(FieldError("as_of", "date_format", gettext("Write the date as YYYY, YYYY-MM or YYYY-MM-DD.")))
    source = Source(
        key=key.strip(), citation=citation.strip(), url=url.strip(), as_of=as_of.strip(), locally_edited=True
    )
    errors.extend(validation_errors(source))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        source.save()
        audit.record(actor, "source.created", source, chain=REGISTRY_CHAIN, fields=["key", "citation", "url", "as_of"])
    return source


MEMBERSHIP_FIELDS = frozenset(
    {"kind", "start", "end", "status", "status_since", "attested", "notes", "uncertain", "sources"}
)


def _membership_values(errors: list[FieldError], changes: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("start", "end", "status_since"):
        if name in changes:
            values.update(_date(errors, name, changes[name]))
    for name in ("kind", "status", "notes", "uncertain"):
        if name in changes:
            values[name] = (changes[name] or "").strip() if name in ("notes", "uncertain") else changes[name]
    if "attested" in changes:
        values["start_attested_only"] = bool(changes["attested"])
    return values


def _check_membership(errors: list[FieldError], membership: BlocMembership) -> None:
    if membership.kind not in MembershipKind.values:
        errors.append(
            FieldError(
                "kind",
                "invalid_choice",
                gettext("Choose one of: %(kinds)s.") % {"kinds": ", ".join(MembershipKind.values)},
            )
        )
    if membership.status not in MembershipStatus.values:
        errors.append(
            FieldError(
                "status",
                "invalid_choice",
                gettext("Choose one of: %(statuses)s.") % {"statuses": ", ".join(MembershipStatus.values)},
            )
        )
    if membership.start_date is None:
        if any(error.field == "start" for error in errors):
            return  # already refused as malformed
        errors.append(FieldError("start", "required", gettext("Give the date the membership started.")))
    elif membership.end_date is not None and membership.end_date <= membership.start_date:
        errors.append(FieldError("end", "before_start", gettext("The end must come after the start.")))


def add_bloc_membership(
    actor: Any,
    bloc_code: str,
    *,
    country: str = "",
    entity_code: str = "",
    entity_name: str = "",
    **fields: Any,
) -> BlocMembership:
    """Record a membership of a country (or a named non-state entity) in a bloc, with dates and sources."""
    require_role(actor, *EDITORS)
    bloc = Bloc.objects.filter(code=bloc_code).first()
    if bloc is None:
        raise NotFound("bloc")
    errors = [
        FieldError(name, "unknown_field", gettext("'%(name)s' is not a field of a membership.") % {"name": name})
        for name in sorted(set(fields) - MEMBERSHIP_FIELDS)
    ]
    party_country = _country(errors, "country", country)
    if bool(country) == bool(entity_name.strip()):
        errors.append(
            FieldError("country", "one_party", gettext("Give either a country or the name of a non-state entity."))
        )
    values = _membership_values(errors, {"kind": MembershipKind.MEMBER, **fields})
    membership = BlocMembership(
        bloc=bloc,
        country=party_country,
        entity_code="" if country else entity_code.strip(),
        entity_name="" if country else entity_name.strip(),
        locally_edited=True,
        **values,
    )
    _check_membership(errors, membership)
    sources = _sources(errors, list(fields.get("sources") or []))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        membership.save()
        membership.sources.set(sources)
        audit.record(
            actor,
            "bloc_membership.created",
            membership,
            chain=REGISTRY_CHAIN,
            fields=sorted({"bloc", "country", *values, "sources"}),
        )
    return membership


def update_bloc_membership(actor: Any, membership_id: int, **changes: Any) -> BlocMembership:
    """Change a membership's kind, dates, status, notes or sources (administrators); marks it edited here."""
    require_role(actor, *EDITORS)
    with transaction.atomic():
        membership = BlocMembership.objects.select_for_update().filter(pk=membership_id).first()
        if membership is None:
            raise NotFound("membership")
        errors = [
            FieldError(name, "unknown_field", gettext("'%(name)s' is not a field of a membership.") % {"name": name})
            for name in sorted(set(changes) - MEMBERSHIP_FIELDS)
        ]
        values = _membership_values(errors, changes)
        for name, value in values.items():
            setattr(membership, name, value)
        _check_membership(errors, membership)
        sources = _sources(errors, list(changes["sources"] or [])) if "sources" in changes else None
        if errors:
            raise ValidationFailed(errors)
        membership.locally_edited = True
        membership.save()
        if sources is not None:
            membership.sources.set(sources)
        audit.record(actor, "bloc_membership.updated", membership, chain=REGISTRY_CHAIN, fields=sorted(changes))
    return membership


def set_exchange_quota(
    actor: Any, programme_code: str, *, country: str, year: int, places: int, tracks_use: bool = False, notes: str = ""
) -> ExchangeQuota:
    """Create or replace a programme's quota of places for one partner country in one year (administrators)."""
    require_role(actor, *EDITORS)
    programme = ExchangeProgramme.objects.filter(code=programme_code).first()
    if programme is None:
        raise NotFound("exchange programme")
    errors: list[FieldError] = []
    party = _country(errors, "country", country)
    if not 1900 <= int(year) <= 2200:
        errors.append(FieldError("year", "range", gettext("Give a calendar year between 1900 and 2200.")))
    if int(places) < 0:
        errors.append(FieldError("places", "min_value", gettext("Places cannot be negative.")))
    if errors or party is None:
        raise ValidationFailed(errors or [FieldError("country", "required", gettext("Give the partner country."))])
    with transaction.atomic():
        quota = ExchangeQuota.objects.select_for_update().filter(programme=programme, country=party, year=year).first()
        created = quota is None
        if quota is None:
            quota = ExchangeQuota(programme=programme, country=party, year=year, places=places)
        elif quota.tracks_use and places < quota.allocations.count():
            raise Conflict(
                "places",
                "below_allocated",
                gettext("%(count)s places are already allocated; the quota cannot be lower.")
                % {"count": quota.allocations.count()},
            )
        quota.places, quota.tracks_use, quota.notes, quota.locally_edited = places, tracks_use, notes.strip(), True
        quota.save()
        audit.record(
            actor,
            "exchange_quota.created" if created else "exchange_quota.updated",
            quota,
            chain=REGISTRY_CHAIN,
            fields=["places", "tracks_use", "notes"] + (["programme", "country", "year"] if created else []),
        )
    return quota


def create_agreement(
    actor: Any,
    *,
    title_en: str,
    kind: str,
    parties: Iterable[Mapping[str, str]],
    sources: Sequence[str],
    areas: Sequence[str] = (),
    title_ru: str = "",
    signed: str | None = None,
    in_force: str | None = None,
    ends: str | None = None,
    summary: str = "",
    notes: str = "",
) -> Agreement:
    """Record a cooperation agreement with its parties (countries or organisations), areas and sources."""
    require_role(actor, *EDITORS)
    errors: list[FieldError] = []
    values = {**_date(errors, "signed", signed), **_date(errors, "in_force", in_force), **_date(errors, "ends", ends)}
    agreement = Agreement(
        title_en=title_en.strip(),
        title_ru=title_ru.strip(),
        kind=kind,
        summary=summary,
        notes=notes,
        locally_edited=True,
        **values,
    )
    errors.extend(validation_errors(agreement))
    if agreement.signed_on and agreement.ends_on and agreement.ends_on <= agreement.signed_on:
        errors.append(FieldError("ends", "before_signature", gettext("The end must come after the signature.")))
    party_rows: list[AgreementParty] = []
    for index, party in enumerate(parties):
        if party.get("country"):
            found = _country(errors, f"parties.{index}.country", party["country"])
            party_rows.append(AgreementParty(country=found, represented_by=party.get("represented_by", "")))
        elif party.get("organisation"):
            organisation = Organisation.objects.filter(code=party["organisation"]).first()
            if organisation is None:
                errors.append(
                    FieldError(
                        f"parties.{index}.organisation",
                        "unknown_organisation",
                        gettext("No organisation with the code '%(code)s'.") % {"code": party["organisation"]},
                    )
                )
            party_rows.append(AgreementParty(organisation=organisation, represented_by=party.get("represented_by", "")))
        else:
            errors.append(
                FieldError(f"parties.{index}", "one_party", gettext("Give a country or an organisation code."))
            )
    if len(party_rows) < 1:
        errors.append(FieldError("parties", "required", gettext("Name at least one party.")))
    known_areas = set(ScienceArea.objects.filter(code__in=list(areas)).values_list("code", flat=True))
    errors.extend(
        FieldError(
            f"areas.{i}",
            "unknown_area",
            gettext("'%(code)s' is not a field of science (OECD FOS code).") % {"code": code},
        )
        for i, code in enumerate(areas)
        if code not in known_areas
    )
    found_sources = _sources(errors, list(sources))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        agreement.save()
        for row in party_rows:
            row.agreement = agreement
        AgreementParty.objects.bulk_create(party_rows)
        agreement.areas.set(list(ScienceArea.objects.filter(code__in=list(areas))))
        agreement.sources.set(found_sources)
        audit.record(
            actor,
            "agreement.created",
            agreement,
            chain=REGISTRY_CHAIN,
            fields=sorted({"title_en", "kind", "parties", "areas", "sources", *values}),
        )
    return agreement


def allocate_quota_place(actor: Any, quota_id: int, reference: str) -> QuotaAllocation:
    """Take one place of a quota for ``reference`` (e.g. ``award:17``); refused when none remains."""
    require_role(actor, *ALLOCATORS)
    reference = reference.strip()
    if not reference:
        raise ValidationFailed(
            [FieldError("reference", "required", gettext("Say what takes the place (e.g. award:17)."))]
        )
    with transaction.atomic():
        quota = ExchangeQuota.objects.select_for_update().filter(pk=quota_id).first()
        if quota is None:
            raise NotFound("quota")
        if not quota.tracks_use:
            raise Conflict("quota", "not_tracked", gettext("This quota's places are not allocated on this platform."))
        if quota.allocations.filter(reference=reference).exists():
            raise Conflict(
                "reference",
                "unique",
                gettext("'%(reference)s' already holds a place of this quota.") % {"reference": reference},
            )
        if quota.allocations.count() >= quota.places:
            raise Conflict("quota", "quota_exhausted", gettext("No place of this quota remains."))
        try:
            allocation = QuotaAllocation.objects.create(
                quota=quota,
                reference=reference,
                allocated_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        except IntegrityError:  # pragma: no cover - the lock above makes this a race that cannot happen
            raise Conflict("reference", "unique", gettext("This place was just taken.")) from None
        audit.record(actor, "quota_place.allocated", allocation, chain=REGISTRY_CHAIN, fields=["quota", "reference"])
    return allocation


def release_quota_place(actor: Any, quota_id: int, reference: str) -> None:
    """Give back the place ``reference`` holds (a withdrawn award, a cancelled stay)."""
    require_role(actor, *ALLOCATORS)
    with transaction.atomic():
        allocation = QuotaAllocation.objects.select_for_update().filter(quota_id=quota_id, reference=reference).first()
        if allocation is None:
            raise NotFound("quota")
        audit.record(actor, "quota_place.released", allocation, chain=REGISTRY_CHAIN, fields=["reference"])
        allocation.delete()


def mark_locally_edited(obj: Any) -> None:
    """Used by the admin: the row changed here, so reloading the shipped files must not overwrite it."""
    if hasattr(obj, "locally_edited"):
        obj.locally_edited = True
