"""Reads of programmes, sectors, targets and applications, each filtered to what the actor may see.

Applications are personal data: a candidate sees their own, programme officers,
supervisors and administrators see all, and nobody else sees any row (analysts read
aggregates through the analytics app, never personal rows).

Also the reads behind the officers' work: application queues (filters, sort orders and
counts per stage), the application page (profile, documents, history, the transitions open
from its status) and the queue of host organisations awaiting the programme's verification.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet
from django.utils.translation import gettext

from talentgate.accounts.roles import Role
from talentgate.candidates.identity_keys import name_search_filter
from talentgate.candidates.models import Document
from talentgate.common.access import is_programme_staff, role_of
from talentgate.common.errors import DomainError, FieldError, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.workflow import check_transition
from talentgate.hosts.models import MemberRole, Membership, Organisation, Verification
from talentgate.hosts.selectors import organisations_visible_to
from talentgate.programmes.models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    PrioritySector,
    Programme,
    SectorTarget,
)
from talentgate.reference.models import Country


def programmes_visible_to(actor: Any) -> QuerySet[Programme]:
    """Anyone logged in sees active programmes; programme staff also see inactive ones."""
    if role_of(actor) is None:
        return Programme.objects.none()
    if is_programme_staff(actor):
        return Programme.objects.all()
    return Programme.objects.filter(active=True)


def get_programme_for(actor: Any, programme_id: int) -> Programme:
    try:
        return programmes_visible_to(actor).get(pk=programme_id)
    except (Programme.DoesNotExist, ValueError, TypeError):
        raise NotFound("programme") from None


def sectors_visible_to(actor: Any) -> QuerySet[PrioritySector]:
    """Priority sectors are public to anyone logged in (they describe what the programme seeks)."""
    if role_of(actor) is None:
        return PrioritySector.objects.none()
    return PrioritySector.objects.select_related("parent")


def get_sector_for(actor: Any, sector_id: int) -> PrioritySector:
    try:
        return sectors_visible_to(actor).get(pk=sector_id)
    except (PrioritySector.DoesNotExist, ValueError, TypeError):
        raise NotFound("sector") from None


def targets_visible_to(actor: Any) -> QuerySet[SectorTarget]:
    """Targets are planning figures: programme staff and analysts see them."""
    if is_programme_staff(actor) or role_of(actor) == Role.ANALYST:
        return SectorTarget.objects.select_related("programme", "sector")
    return SectorTarget.objects.none()


def applications_visible_to(actor: Any) -> QuerySet[Application]:
    """A candidate: their own applications; officers, supervisors and administrators: all; anyone else: none."""
    base = Application.objects.select_related("profile", "programme", "sector_preference")
    role = role_of(actor)
    if role is None:
        return base.none()
    if is_programme_staff(actor):
        return base.all()
    if role == Role.CANDIDATE:
        return base.filter(profile__user=actor)
    return base.none()


def get_application_for(actor: Any, application_id: int) -> Application:
    try:
        return applications_visible_to(actor).get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("application") from None


def application_history_for(actor: Any, application_id: int) -> QuerySet[ApplicationTransition]:
    """The transitions of one application the actor may see, oldest first."""
    application = get_application_for(actor, application_id)
    return application.history.select_related("actor").order_by("at", "pk")


# --- officers' work queues -------------------------------------------------------------------------------------

#: The stages an officer works, in lifecycle order, and the closed ones kept as archives.
QUEUE_STAGES: tuple[str, ...] = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SCREENING,
    ApplicationStatus.ASSESSED,
    ApplicationStatus.INVITED,
    ApplicationStatus.MATCHED,
)
ARCHIVE_STAGES: tuple[str, ...] = (ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED)

#: The transitions programme staff run (the owner's are ``submit`` and ``withdraw``), in lifecycle order.
OFFICER_TRANSITIONS: tuple[str, ...] = ("start_screening", "mark_assessed", "invite", "mark_matched", "reject")

# Every ordering ends on the primary key so that pages never repeat or skip a row between requests.
_SUBMITTED_ASC = (F("submitted_at").asc(nulls_last=True), F("pk").asc())
_SUBMITTED_DESC = (F("submitted_at").desc(nulls_last=True), F("pk").desc())
APPLICATION_SORTS: dict[str, tuple[Any, ...]] = {
    "submitted": _SUBMITTED_ASC,
    "-submitted": _SUBMITTED_DESC,
    "name": ("profile__family_name_latin", "profile__given_names_latin", "pk"),
    "-name": ("-profile__family_name_latin", "-profile__given_names_latin", "-pk"),
    "country": ("profile__residence_country", *_SUBMITTED_ASC),
    "-country": ("-profile__residence_country", *_SUBMITTED_ASC),
}
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class ApplicationQuery:
    """What a queue or the API list asks for. Empty values mean "any"; dates are whole days (UTC) inclusive."""

    stages: tuple[str, ...] = ()
    programme_id: int | None = None
    sector_id: int | None = None
    residence_country: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    sort: str = "submitted"
    #: Words of the candidate's name in any script ("Ivanov" finds "Иванов"); each must start a name word.
    name: str = ""


#: The longest name search accepted.
NAME_QUERY_MAX_LENGTH = 200


def _may_list_applications(actor: Any) -> None:
    # Hosts, reviewers, the authority and analysts never read personal application rows: refuse
    # them outright rather than answer with an empty list that looks like "no applications".
    if not (is_programme_staff(actor) or role_of(actor) == Role.CANDIDATE):
        raise PermissionRefused(
            gettext("Only candidates (their own) and programme staff may list applications."), rule="role"
        )


def _query_errors(actor: Any, query: ApplicationQuery) -> list[FieldError]:
    errors: list[FieldError] = []
    valid_statuses = set(ApplicationStatus.values)
    for stage in query.stages:
        if stage not in valid_statuses:
            choices = ", ".join(ApplicationStatus.values)
            errors.append(
                FieldError(
                    "status",
                    "choice",
                    gettext("'%(value)s' is not a status; use one of: %(choices)s.")
                    % {"value": stage, "choices": choices},
                )
            )
    if query.sort not in APPLICATION_SORTS:
        choices = ", ".join(APPLICATION_SORTS)
        errors.append(
            FieldError(
                "sort",
                "choice",
                gettext("'%(value)s' is not a sort order; use one of: %(choices)s.")
                % {"value": query.sort, "choices": choices},
            )
        )
    if query.residence_country and not _COUNTRY_CODE.match(query.residence_country):
        errors.append(
            FieldError(
                "residence_country", "country_code", gettext("Give the country as two capital letters (ISO 3166-1).")
            )
        )
    if query.submitted_from and query.submitted_to and query.submitted_from > query.submitted_to:
        errors.append(
            FieldError("submitted_to", "date_order", gettext("The end of the date range is before its start."))
        )
    if len(query.name) > NAME_QUERY_MAX_LENGTH:
        errors.append(
            FieldError(
                "name",
                "max_length",
                gettext("Search with at most %(limit)d characters.") % {"limit": NAME_QUERY_MAX_LENGTH},
            )
        )
    elif query.name.strip() and name_search_filter(query.name) is None:
        errors.append(FieldError("name", "no_letters", gettext("Search for a name with at least one letter or digit.")))
    if query.programme_id is not None and not programmes_visible_to(actor).filter(pk=query.programme_id).exists():
        errors.append(FieldError("programme_id", "not_found", gettext("There is no such programme.")))
    if query.sector_id is not None and not sectors_visible_to(actor).filter(pk=query.sector_id).exists():
        errors.append(FieldError("sector_id", "not_found", gettext("There is no such priority sector.")))
    return errors


def sector_with_descendants(sector_id: int) -> set[int]:
    """The sector and every sector under it (the tree is small: one query, walked in memory)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in PrioritySector.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = set(), [sector_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def applications_matching(actor: Any, query: ApplicationQuery) -> QuerySet[Application]:
    """The applications ``actor`` may see that match ``query``, in its sort order.

    A candidate gets their own, programme staff get all; other roles are refused (403).
    A query that breaks a rule is refused with every broken rule named (400). A priority
    sector matches its sub-sectors too. A name matches across scripts and romanisations through
    the profile's stored search key. The date range compares whole UTC days, written as
    a range on ``submitted_at`` so that the (status, submitted_at) index serves it.
    """
    _may_list_applications(actor)
    errors = _query_errors(actor, query)
    if errors:
        raise ValidationFailed(errors)
    applications = applications_visible_to(actor)
    if query.stages:
        applications = applications.filter(status__in=query.stages)
    if query.programme_id is not None:
        applications = applications.filter(programme_id=query.programme_id)
    if query.sector_id is not None:
        applications = applications.filter(sector_preference_id__in=sector_with_descendants(query.sector_id))
    if query.residence_country:
        applications = applications.filter(profile__residence_country=query.residence_country)
    if query.submitted_from:
        applications = applications.filter(submitted_at__gte=_start_of_day(query.submitted_from))
    if query.submitted_to:
        applications = applications.filter(submitted_at__lt=_start_of_day(query.submitted_to + timedelta(days=1)))
    by_name = name_search_filter(query.name, "profile__name_search_key") if query.name.strip() else None
    if by_name is not None:
        applications = applications.filter(by_name)
    return applications.order_by(*APPLICATION_SORTS[query.sort])


def application_stage_counts(actor: Any, query: ApplicationQuery) -> dict[str, int]:
    """How many applications match ``query`` in each status (the query's own stages ignored), every status present."""
    rows = (
        applications_matching(actor, replace(query, stages=(), sort="submitted"))
        .order_by()
        .values("status")
        .annotate(count=Count("pk"))
    )
    counts = dict.fromkeys(ApplicationStatus.values, 0)
    counts.update({row["status"]: row["count"] for row in rows})
    return counts


def residence_countries_of_applicants(actor: Any) -> list[tuple[str, str]]:
    """``(code, English name)`` of every country of residence among the applications the actor sees, by name."""
    _may_list_applications(actor)
    codes = set(
        applications_visible_to(actor)
        .exclude(profile__residence_country="")
        .order_by()
        .values_list("profile__residence_country", flat=True)
        .distinct()
    )
    names = dict(Country.objects.filter(iso_alpha2__in=codes).values_list("iso_alpha2", "name_en"))
    return sorted(((code, names.get(code, code)) for code in codes), key=lambda pair: pair[1])


def get_application_detail_for(actor: Any, application_id: int) -> Application:
    """One application with everything its page shows loaded up front: the profile's parts, documents and history."""
    details = (
        applications_visible_to(actor)
        .select_related("profile__user")
        .prefetch_related(
            "profile__identity_documents",
            "profile__education",
            "profile__work_history",
            "profile__skills",
            "profile__language_tests",
            "profile__publications",
            "profile__achievements",
            "profile__family",
            "profile__consents",
            Prefetch("profile__documents", queryset=Document.objects.select_related("verified_by").order_by("pk")),
            Prefetch("history", queryset=ApplicationTransition.objects.select_related("actor").order_by("at", "pk")),
        )
    )
    try:
        return details.get(pk=application_id)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound("application") from None


@dataclass(frozen=True)
class TransitionOption:
    """A transition possible from the application's current status; ``refusal`` says why the actor may not run it now."""

    name: str
    target: str
    rule: str = ""
    refusal: str = ""

    @property
    def allowed(self) -> bool:
        return not self.refusal


def transition_options_for(actor: Any, application: Application) -> list[TransitionOption]:
    """The staff transitions leaving the current status, each checked with its guards as ``actor`` would meet them."""
    options = []
    for name in OFFICER_TRANSITIONS:
        meta = getattr(application, name)._django_fsm
        fsm_transition = meta.get_transition(application.status) if meta.has_transition(application.status) else None
        if fsm_transition is None:
            continue
        try:
            check_transition(application, name, actor)
        except DomainError as refusal:
            first = refusal.errors[0]
            options.append(TransitionOption(name, str(fsm_transition.target), first.rule, first.message))
        else:
            options.append(TransitionOption(name, str(fsm_transition.target)))
    return options


# --- documents of an application's profile ---------------------------------------------------------------------


def application_documents_for(actor: Any, application_id: int) -> QuerySet[Document]:
    """The documents of the applicant's profile, oldest first, for whoever may see the application."""
    application = get_application_for(actor, application_id)
    return Document.objects.filter(profile_id=application.profile_id).select_related("verified_by").order_by("pk")


def get_application_document_for(actor: Any, application_id: int, document_id: int) -> Document:
    """One document of the applicant's profile; a document of anyone else is answered as missing (404)."""
    documents = application_documents_for(actor, application_id).select_related("profile")
    try:
        return documents.get(pk=document_id)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise NotFound("document") from None


# --- host organisations awaiting the programme's verification ----------------------------------------------------


def _organisations_with_details(actor: Any) -> QuerySet[Organisation]:
    """Organisations with what the verification queue shows: sector, country, who decided, the active admins."""
    admins = Membership.objects.filter(role=MemberRole.ADMIN, active=True).select_related("user").order_by("pk")
    return (
        organisations_visible_to(actor)
        .select_related("sector", "country", "verified_by")
        .prefetch_related(Prefetch("memberships", queryset=admins, to_attr="admin_memberships"))
    )


def organisations_for_verification(actor: Any, verification: str = Verification.PENDING) -> QuerySet[Organisation]:
    """Host organisations in one verification state, oldest registration first, with their admins loaded.

    Programme staff only (403 otherwise): the queue shows organisations nobody else may see yet.
    """
    if not is_programme_staff(actor):
        raise PermissionRefused(gettext("Only programme staff work the organisation verification queue."), rule="role")
    if verification not in Verification.values:
        choices = ", ".join(Verification.values)
        raise ValidationFailed.single(
            "verification",
            "choice",
            gettext("'%(value)s' is not a verification state; use one of: %(choices)s.")
            % {"value": verification, "choices": choices},
        )
    return _organisations_with_details(actor).filter(verification=verification).order_by("created_at", "pk")


def get_organisation_for_verification(actor: Any, organisation_id: int) -> Organisation:
    """One host organisation, whatever its verification state, as the verification queue shows it (staff only)."""
    if not is_programme_staff(actor):
        raise NotFound("organisation")
    try:
        return _organisations_with_details(actor).get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise NotFound("organisation") from None
