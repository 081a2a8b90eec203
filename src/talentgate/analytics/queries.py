"""One function per dashboard figure, each counted by the database (aggregates over the domain tables).

Counting rules, the same for every figure:

* A stage or status "reached in the period" is a history row (``ApplicationTransition.at``,
  ``CaseTransition.left_at``: the moment the case entered its new stage) inside the period; each
  application or case counts once per stage however often it re-entered it.
* Inflow is arrivals (``RelocationCase.arrived_on`` in the period), by the case's country of origin,
  that country's UN M49 region, the blocs it belonged to on the period's last day, and the case's sector
  set against the programmes' yearly targets (whole-country targets, ``SectorTarget.region == ""``).
* Filters: the sector matches the sector or its parent; the bloc keeps people whose country (the
  case's origin, else the profile's residence) was a member on the period's last day; the host keeps
  the host's offers and cases, and the applications of people it made an offer to.
* Percentiles are nearest-rank (the value at rank ⌈p·n⌉ in ascending order), fetched with an
  ordered, offset query so they come out of the database the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from talentgate.analytics.filters import Filters
from talentgate.cases.models import MAIN_PATH, CaseTransition, Decision, RelocationCase, Stage
from talentgate.cooperation.models import Bloc
from talentgate.cooperation.selectors import countries_in_bloc
from talentgate.hosts.models import Offer, OfferStatus
from talentgate.programmes.models import Application, ApplicationStatus, ApplicationTransition, SectorTarget
from talentgate.reference.models import Country

#: Application statuses in funnel order (draft is never "reached": an application starts there).
APPLICATION_FUNNEL = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SCREENING,
    ApplicationStatus.ASSESSED,
    ApplicationStatus.INVITED,
    ApplicationStatus.MATCHED,
]
#: Case stages in funnel order: the main path, then the refusal and the two exits.
CASE_FUNNEL = [*MAIN_PATH, Stage.PERMIT_REFUSED, Stage.WITHDRAWN, Stage.REJECTED]
#: Statuses whose stay ends with another transition, for the applications' time in status.
APPLICATION_STAYS = [ApplicationStatus.DRAFT, *APPLICATION_FUNNEL]
SECONDS_PER_DAY = 86_400
_SECONDS_PER_TENTH_DAY = 8_640


def tenths_of_day(seconds: int) -> int:
    """``seconds`` in tenths of a day, rounded half up (whole-number arithmetic, the same in every database).

    The dashboard shows durations in days to one decimal; the summaries keep stays in these units, and
    since rounding keeps order, the median of the rounded stays is the rounded median.
    """
    return (int(seconds) + _SECONDS_PER_TENTH_DAY // 2) // _SECONDS_PER_TENTH_DAY


@dataclass(frozen=True)
class Spread:
    """How long something stayed: how many stays, and the nearest-rank median and 90th percentile (seconds)."""

    count: int
    median_seconds: int | None
    p90_seconds: int | None


# --- filters as querysets ---------------------------------------------------------------------------------------------


def _bloc_countries(filters: Filters) -> QuerySet[Country, Any]:
    return countries_in_bloc(filters.bloc, on=filters.end).values("iso_alpha2")


def _sector_q(filters: Filters, field: str) -> Q:
    return Q(**{f"{field}__code": filters.sector}) | Q(**{f"{field}__parent__code": filters.sector})


def filtered_cases(filters: Filters) -> QuerySet[RelocationCase]:
    """Cases matching the sector, bloc (origin country) and host filters; the period is each figure's own."""
    cases = RelocationCase.objects.all()
    if filters.sector:
        cases = cases.filter(_sector_q(filters, "sector"))
    if filters.bloc:
        cases = cases.filter(origin_country__in=_bloc_countries(filters))
    if filters.host is not None:
        cases = cases.filter(organisation_id=filters.host)
    return cases


def filtered_applications(filters: Filters) -> QuerySet[Application]:
    """Applications matching the sector (preferred sector), bloc (residence) and host (an offer from it) filters."""
    applications = Application.objects.all()
    if filters.sector:
        applications = applications.filter(_sector_q(filters, "sector_preference"))
    if filters.bloc:
        applications = applications.filter(profile__residence_country__in=_bloc_countries(filters))
    if filters.host is not None:
        offered = Offer.objects.filter(profile_id=OuterRef("profile_id"), opportunity__organisation_id=filters.host)
        applications = applications.filter(Exists(offered))
    return applications


def filtered_offers(filters: Filters) -> QuerySet[Offer]:
    """Offers matching the sector (the opportunity's), bloc (residence) and host filters."""
    offers = Offer.objects.all()
    if filters.sector:
        offers = offers.filter(_sector_q(filters, "opportunity__sector"))
    if filters.bloc:
        offers = offers.filter(profile__residence_country__in=_bloc_countries(filters))
    if filters.host is not None:
        offers = offers.filter(opportunity__organisation_id=filters.host)
    return offers


def _in_period(filters: Filters, field: str) -> Q:
    first, after = filters.bounds()
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


def _arrived(filters: Filters) -> QuerySet[RelocationCase]:
    return filtered_cases(filters).filter(arrived_on__gte=filters.start, arrived_on__lte=filters.end)


# --- the funnel ---------------------------------------------------------------------------------------------------------


def applications_by_status_reached(filters: Filters) -> dict[str, int]:
    """Distinct applications that reached each funnel status in the period."""
    rows = (
        ApplicationTransition.objects.filter(
            _in_period(filters, "at"),
            to_state__in=APPLICATION_FUNNEL,
            application__in=filtered_applications(filters).values("pk"),
        )
        .values("to_state")
        .annotate(n=Count("application_id", distinct=True))
    )
    counts = {row["to_state"]: row["n"] for row in rows}
    return {str(status): counts.get(status, 0) for status in APPLICATION_FUNNEL}


def offers_made(filters: Filters) -> int:
    """Offers made in the period."""
    return filtered_offers(filters).filter(_in_period(filters, "created_at")).count()


def offers_accepted(filters: Filters) -> int:
    """Offers accepted in the period (the acceptance is the offer's decision time)."""
    return filtered_offers(filters).filter(_in_period(filters, "decided_at"), status=OfferStatus.ACCEPTED).count()


def cases_by_stage_reached(filters: Filters) -> dict[str, int]:
    """Distinct cases that entered each stage in the period (opening included)."""
    rows = (
        CaseTransition.objects.filter(
            _in_period(filters, "left_at"),
            to_stage__in=CASE_FUNNEL,
            case__in=filtered_cases(filters).values("pk"),
        )
        .values("to_stage")
        .annotate(n=Count("case_id", distinct=True))
    )
    counts = {row["to_stage"]: row["n"] for row in rows}
    return {str(stage): counts.get(stage, 0) for stage in CASE_FUNNEL}


# --- time in stage -------------------------------------------------------------------------------------------------------


def nearest_rank(count: int, fraction: float) -> int:
    """The 1-based rank of the ``fraction`` percentile among ``count`` sorted values (nearest-rank method)."""
    return max(1, math.ceil(fraction * count))


def _spread(values: QuerySet[Any], field: str, count: int) -> Spread:
    if count == 0:
        return Spread(0, None, None)

    def at_rank(fraction: float) -> int:
        rank = nearest_rank(count, fraction)
        value = values.order_by(field).values_list(field, flat=True)[rank - 1]
        return int(value.total_seconds()) if isinstance(value, dt.timedelta) else int(value)

    return Spread(count, at_rank(0.5), at_rank(0.9))


def case_time_in_stage(filters: Filters) -> dict[str, Spread]:
    """For each stage a case left in the period: how many stays, median and p90 active time (pauses excluded)."""
    stays = CaseTransition.objects.filter(
        _in_period(filters, "left_at"),
        case__in=filtered_cases(filters).values("pk"),
    ).exclude(from_stage="")
    counts = {row["from_stage"]: row["n"] for row in stays.values("from_stage").annotate(n=Count("pk"))}
    return {
        str(stage): _spread(stays.filter(from_stage=stage), "active_seconds", counts.get(stage, 0))
        for stage in CASE_FUNNEL
        if stage in counts
    }


def _application_stays(filters: Filters) -> QuerySet[ApplicationTransition]:
    # A stay in a status runs from the transition into it to the application's next transition (the next
    # by time, then by id for transitions stamped in the same instant). A correlated subquery rather than
    # a window function, so filtering the rows by status does not cut the windows short.
    following = (
        ApplicationTransition.objects.filter(application_id=OuterRef("application_id"))
        .filter(Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk")))
        .order_by("at", "pk")
        .values("at")[:1]
    )
    first, after = filters.bounds()
    return (
        ApplicationTransition.objects.filter(application__in=filtered_applications(filters).values("pk"))
        .annotate(left_at=Subquery(following))
        .filter(left_at__gte=first, left_at__lt=after)
        .annotate(stay=ExpressionWrapper(F("left_at") - F("at"), output_field=DurationField()))
    )


def application_time_in_status(filters: Filters) -> dict[str, Spread]:
    """For each status an application left in the period: how many stays, median and p90 time in it."""
    result: dict[str, Spread] = {}
    for status in APPLICATION_STAYS:
        stays = _application_stays(filters).filter(to_state=status)
        count = stays.count()
        if count:
            result[str(status)] = _spread(stays, "stay", count)
    return result


# --- inflow against targets ------------------------------------------------------------------------------------------------


def arrivals(filters: Filters) -> int:
    """Cases whose person arrived in the period."""
    return _arrived(filters).count()


def arrivals_by_country(filters: Filters) -> dict[str, int]:
    """Arrivals in the period by country of origin (ISO alpha-2; ``""`` when unknown), largest first."""
    rows = _arrived(filters).values("origin_country").annotate(n=Count("pk")).order_by("-n", "origin_country")
    return {row["origin_country"]: row["n"] for row in rows}


def arrivals_by_region(filters: Filters) -> dict[str, int]:
    """Arrivals in the period by the UN M49 region of the country of origin (``""`` when unknown)."""
    region = Subquery(Country.objects.filter(iso_alpha2=OuterRef("origin_country")).values("region")[:1])
    rows = (
        _arrived(filters)
        .annotate(m49_region=Coalesce(region, Value("")))
        .values("m49_region")
        .annotate(n=Count("pk"))
        .order_by("-n", "m49_region")
    )
    return {row["m49_region"] or "": row["n"] for row in rows}


def arrivals_by_bloc(filters: Filters) -> dict[str, int]:
    """Arrivals in the period from each bloc's member countries as of the period's last day (one query per bloc)."""
    arrived = _arrived(filters)
    result: dict[str, int] = {}
    for code in Bloc.objects.order_by("code").values_list("code", flat=True):
        members = countries_in_bloc(code, on=filters.end).values("iso_alpha2")
        result[code] = arrived.filter(origin_country__in=members).count()
    return result


def arrivals_by_sector(filters: Filters) -> dict[str, int]:
    """Arrivals in the period by the case's priority sector code (``""`` when the case has none)."""
    rows = _arrived(filters).values("sector__code").annotate(n=Count("pk")).order_by("sector__code")
    return {row["sector__code"] or "": row["n"] for row in rows}


def sector_targets(filters: Filters) -> dict[str, int]:
    """The programmes' whole-country yearly targets summed over the years the period touches, by sector code."""
    targets = SectorTarget.objects.filter(year__in=filters.years, region="")
    if filters.sector:
        targets = targets.filter(_sector_q(filters, "sector"))
    rows = targets.values("sector__code").annotate(total=Sum("target_count")).order_by("sector__code")
    return {row["sector__code"]: row["total"] for row in rows}


def sector_targets_by_year(filters: Filters) -> dict[str, dict[int, int]]:
    """The whole-country yearly targets of the years the period touches, by sector code and year."""
    targets = SectorTarget.objects.filter(year__in=filters.years, region="")
    if filters.sector:
        targets = targets.filter(_sector_q(filters, "sector"))
    result: dict[str, dict[int, int]] = {}
    for row in targets.values("sector__code", "year").annotate(total=Sum("target_count")).order_by():
        result.setdefault(row["sector__code"], {})[row["year"]] = int(row["total"])
    return result


def days_of_year_in_period(filters: Filters, year: int) -> tuple[int, int]:
    """(days of ``year`` inside the period, days in ``year``)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    covered = (min(last, filters.end) - max(first, filters.start)).days + 1
    return max(0, covered), (last - first).days + 1


def prorated_target(target: int, covered_days: int, year_days: int) -> int:
    """A yearly target's share for ``covered_days`` of the year's ``year_days``, rounded half up.

    >>> prorated_target(825, 181, 365)  # 1 January to 30 June 2026
    409
    >>> prorated_target(10, 365, 365)
    10
    """
    return (2 * target * covered_days + year_days) // (2 * year_days)


def prorated_sector_targets(filters: Filters) -> dict[str, int]:
    """Each sector's targets for the period: the share of each yearly target for the days the period covers."""
    shares: dict[str, int] = {}
    for code, by_year in sector_targets_by_year(filters).items():
        shares[code] = sum(
            prorated_target(target, *days_of_year_in_period(filters, year)) for year, target in by_year.items()
        )
    return shares


# --- outcomes ----------------------------------------------------------------------------------------------------------------


def permit_outcomes(filters: Filters) -> dict[str, int]:
    """Permit decisions made in the period: ``granted`` and ``refused``."""
    rows = (
        Decision.objects.filter(
            _in_period(filters, "decided_at"),
            kind__in=[Decision.Kind.GRANT, Decision.Kind.REFUSAL],
            case__in=filtered_cases(filters).values("pk"),
        )
        .values("kind")
        .annotate(n=Count("pk"))
    )
    counts = {row["kind"]: row["n"] for row in rows}
    return {"granted": counts.get(Decision.Kind.GRANT, 0), "refused": counts.get(Decision.Kind.REFUSAL, 0)}


@dataclass(frozen=True)
class Retention:
    """Of the people who arrived in the period: how many are due a follow-up, and how many stayed to it."""

    months: int
    arrived: int
    due: int
    retained: int

    @property
    def rate(self) -> float | None:
        return None if self.due == 0 else round(100 * self.retained / self.due, 1)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day when it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


def retention(filters: Filters, months: int, *, today: dt.date) -> Retention:
    """Arrivals in the period due their ``months`` follow-up by ``today`` and those who reached it still here.

    "Still here" means no recorded departure before the day the follow-up was recorded.
    """
    stage = {6: Stage.FOLLOW_UP_6M, 12: Stage.FOLLOW_UP_12M}[months]
    arrived = _arrived(filters)
    due = arrived.filter(arrived_on__lte=months_before(today, months))
    followed_up = CaseTransition.objects.filter(case_id=OuterRef("pk"), to_stage=stage).filter(
        Q(case__departed_on__isnull=True) | Q(case__departed_on__gte=TruncDate("left_at"))
    )
    return Retention(
        months=months,
        arrived=arrived.count(),
        due=due.count(),
        retained=due.filter(Exists(followed_up)).count(),
    )
