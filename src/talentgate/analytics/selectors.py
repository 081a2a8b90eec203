"""Reads of analytics, with the access check: analysts, supervisors and administrators only.

Aggregates count everyone. Row-level rows (one per case) leave out people who withdrew their
consent to anonymised analytics and have not given it again (``privacy.selectors`` decides that).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from talentgate.accounts.roles import Role
from talentgate.analytics import queries
from talentgate.analytics.dashboard import Dashboard, local_label
from talentgate.analytics.filters import Filters
from talentgate.analytics.summaries import current_dashboard
from talentgate.canonical.profile import ConsentPurpose
from talentgate.cases.models import RelocationCase
from talentgate.common.access import require_role
from talentgate.cooperation.models import Bloc
from talentgate.hosts.models import Offer, Organisation
from talentgate.privacy.selectors import consent_withdrawn_q
from talentgate.programmes.models import PrioritySector

ANALYTICS_ROLES = (Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR)


def require_analytics_access(actor: Any) -> None:
    """Refuse (403) anyone but an analyst, a supervisor or an administrator."""
    require_role(actor, *ANALYTICS_ROLES)


def dashboard_for(actor: Any, filters: Filters, *, today: dt.date | None = None) -> Dashboard:
    """Every dashboard table for ``filters``, from the latest summaries when they cover the period."""
    require_analytics_access(actor)
    return current_dashboard(filters, today=today)


def case_rows_for(actor: Any, filters: Filters) -> QuerySet[RelocationCase]:
    """One row per case opened or arrived in the period (filters applied), without those who withdrew consent."""
    require_analytics_access(actor)
    first, after = filters.bounds()
    cases = queries.filtered_cases(filters)
    opened = cases.filter(opened_at__gte=first, opened_at__lt=after)
    arrived = cases.filter(arrived_on__gte=filters.start, arrived_on__lte=filters.end)
    return (
        RelocationCase.objects.filter(pk__in=(opened | arrived).values("pk"))
        .exclude(consent_withdrawn_q(ConsentPurpose.ANONYMISED_ANALYTICS, "profile_id"))
        .select_related("sector", "organisation")
        .order_by("pk")
    )


def filter_choices_for(actor: Any) -> dict[str, list[tuple[str, str]]]:
    """The sectors, blocs and hosts the filter form offers, as (value, label in the active language).

    Hosts are those that made at least one offer: the only ones whose filter can count anything.
    """
    require_analytics_access(actor)
    hosts = Organisation.objects.filter(Exists(Offer.objects.filter(opportunity__organisation=OuterRef("pk"))))
    return {
        "sector": [(s.code, local_label(s)) for s in PrioritySector.objects.order_by("code")],
        "bloc": [(b.code, local_label(b, "acronym")) for b in Bloc.objects.order_by("code")],
        "host": [(str(o.pk), o.name) for o in hosts.order_by("name")],
    }
