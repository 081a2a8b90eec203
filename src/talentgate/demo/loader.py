"""Writes the demo programme into the database in bulk: accounts, hosts, the programme, candidates and applications.

Scale is the point (100 to 1,000,000 candidates), so this loader does not go through the
per-object services: it validates every generated profile with the canonical model, maps it
with ``candidates.canonical_mapping`` (the same mapping the import service uses) and inserts
rows with ``bulk_create`` in batches, one transaction per batch. Application history rows are
written directly with their back-dated times instead of running each FSM transition, and one
audit entry on the programme's chain records the load instead of one per row.

A load is recorded as a :class:`~talentgate.common.models.Job` of kind ``demo.load`` whose
result holds the seed and the number of candidates; a second load with the same seed adds
only the candidates that are missing (ids ``demo-0000000``... are a prefix of the pool), and
a load with another seed is refused until the data is reset.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.assessment.models import Assessment
from talentgate.assessment.services import assess_unassessed_pool
from talentgate.candidates import canonical_mapping as mapping
from talentgate.candidates.models import Profile
from talentgate.canonical import CandidateProfile
from talentgate.cases.models import RelocationCase
from talentgate.common import audit, jobs
from talentgate.common.errors import Conflict
from talentgate.common.models import Job
from talentgate.demo import cases as demo_cases
from talentgate.demo import catalogue
from talentgate.demo import competition as demo_competition
from talentgate.demo.bulk import TableWriter, ids_by
from talentgate.demo.generator import SHOWCASE_INDEX, DemoCandidate, generate_candidates, generate_opportunities
from talentgate.hosts.models import (
    MemberRole,
    Membership,
    Offer,
    Opportunity,
    OpportunityLanguage,
    OpportunityOccupation,
    OpportunitySkill,
    Organisation,
    Verification,
)
from talentgate.programmes.models import Application, ApplicationTransition, PrioritySector, Programme, SectorTarget
from talentgate.reference.models import Country, Currency

__all__ = ["DEFAULT_BATCH_SIZE", "JOB_KIND", "LoadReport", "demo_state", "load_demo"]

JOB_KIND = "demo.load"
DEFAULT_BATCH_SIZE = 5_000
DEMO_CANDIDATE_PREFIX = "demo-"


@dataclass
class LoadReport:
    """What one load added, and how long it took."""

    seed: int
    candidates_before: int
    candidates_added: int
    applications_added: int = 0
    transitions_added: int = 0
    offers_added: int = 0
    cases_added: int = 0
    assessments_added: int = 0
    seconds: float = 0.0
    base_created: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def candidates_total(self) -> int:
        return self.candidates_before + self.candidates_added


def demo_state() -> dict[str, Any] | None:
    """The last successful demo load (``{"seed", "candidates", "as_of"}``), or ``None`` if none."""
    job = Job.objects.filter(kind=JOB_KIND, status=Job.Status.SUCCEEDED).order_by("-pk").first()
    return dict(job.result) if job else None


@contextlib.contextmanager
def _keeping_timestamps(*model_fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk inserts keep the back-dated ``auto_now``/``auto_now_add`` values the generator chose.

    Django overwrites those fields with "now" on insert; a demo pipeline whose every record
    was created today would show nothing in time-in-stage analytics. The flags are restored
    on exit, and only this process's model metadata is touched.
    """
    saved: list[tuple[models.DateTimeField[Any, Any], bool, bool]] = []
    for model, name in model_fields:
        f = model._meta.get_field(name)
        assert isinstance(f, models.DateTimeField)
        saved.append((f, f.auto_now, f.auto_now_add))
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


_TIMESTAMPS = (
    (Opportunity, "created_at"),
    (Opportunity, "updated_at"),
    (Organisation, "created_at"),
    (Membership, "joined_at"),
)


@dataclass
class _Base:
    """The rows every candidate batch points at."""

    programme: Programme
    sectors: dict[str, PrioritySector]
    officer: User
    supervisor: User
    opportunities_by_sector: dict[str, list[tuple[int, int]]]  # sector code -> [(opportunity id, organisation id)]
    published: list[tuple[int, int]]
    staff_by_org: dict[int, int]  # organisation id -> user id making its offers
    candidate_login: User
    created: bool = False
    # Published opportunities of the printed host logins' organisation: the showcase offer comes from one.
    showcase: list[tuple[int, int]] = field(default_factory=list)
    as_of: date | None = None  # the demo's date: relocation cases have come as far as it allows


def _midday(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _ensure_base(as_of: date, seed: int, candidates: int, password_hash: str) -> _Base:
    """Create (once) the logins, sectors, targets, programme, host organisations and opportunities."""
    spec = catalogue.PROGRAMME
    programme = Programme.objects.filter(code=spec.code).first()
    created = programme is None
    if programme is None:
        programme = Programme.objects.create(
            code=spec.code, name_en=spec.name_en, name_ru=spec.name_ru, description=spec.description, four_eyes=True
        )
        _create_logins(password_hash)
        sectors: dict[str, PrioritySector] = {}
        for sector in catalogue.SECTORS:
            sectors[sector.code] = PrioritySector.objects.create(
                code=sector.code,
                name_en=sector.name_en,
                name_ru=sector.name_ru,
                parent=sectors[sector.parent] if sector.parent else None,
            )
        SectorTarget.objects.bulk_create(
            SectorTarget(
                programme=programme,
                sector=sectors[sector.code],
                year=year,
                # Targets grow year on year, as a national project's do.
                target_count=round(sector.yearly_target * (1 + 0.15 * (year - as_of.year))),
            )
            for sector in catalogue.SECTORS
            if sector.yearly_target
            for year in (as_of.year - 1, as_of.year, as_of.year + 1)
        )
    sectors = {s.code: s for s in PrioritySector.objects.filter(code__startswith="space")}
    logins = {u.email: u for u in User.objects.filter(email__in=[d.email for d in catalogue.DEMO_LOGINS])}
    by_role = {d.role: logins[d.email] for d in catalogue.DEMO_LOGINS}
    officer, supervisor = by_role[Role.OFFICER.value], by_role[Role.SUPERVISOR.value]
    if created:
        _create_hosts(as_of, seed, candidates, sectors, officer, password_hash)
        _grant_admin_viewing(officer, supervisor)
    orgs = {o.pk: o for o in Organisation.objects.all()}
    staff_by_org: dict[int, int] = {}
    for membership in Membership.objects.filter(active=True).order_by("role"):
        # Offers are made by staff; an organisation with only an admin lets the admin make them.
        if membership.role == MemberRole.STAFF or membership.organisation_id not in staff_by_org:
            staff_by_org[membership.organisation_id] = membership.user_id
    by_sector: dict[str, list[tuple[int, int]]] = defaultdict(list)
    published: list[tuple[int, int]] = []
    for opp_id, org_id, sector_id, status in Opportunity.objects.values_list(
        "pk", "organisation_id", "sector__code", "status"
    ).order_by("pk"):
        if status != "published" or org_id not in orgs:
            continue
        by_sector[sector_id].append((opp_id, org_id))
        published.append((opp_id, org_id))
    host_org = Membership.objects.filter(user=by_role[Role.HOST_STAFF.value], active=True).values_list(
        "organisation_id", flat=True
    )
    return _Base(
        programme,
        sectors,
        officer,
        supervisor,
        dict(by_sector),
        published,
        staff_by_org,
        by_role[Role.CANDIDATE.value],
        created,
        [pair for pair in published if pair[1] in set(host_org)],
    )


# Apps whose records programme staff look up in the admin; writes go through the services, so view only.
STAFF_VIEW_APPS = ("accounts", "candidates", "hosts", "programmes", "reference", "common", "django_tasks_database")
STAFF_GROUP = "Programme staff (demo, view only)"


def _grant_admin_viewing(*staff: User) -> None:
    """Give the demo officer and supervisor a group that may view the domain records in the admin."""
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(
        Permission.objects.filter(codename__startswith="view_", content_type__app_label__in=STAFF_VIEW_APPS)
    )
    for user in staff:
        user.groups.add(group)


def _create_logins(password_hash: str) -> None:
    User.objects.bulk_create(
        User(
            email=login.email,
            username=login.email,
            password=password_hash,
            role=login.role,
            first_name=login.first_name,
            last_name=login.last_name,
            is_staff=login.is_staff,
            is_superuser=login.is_superuser,
        )
        for login in catalogue.DEMO_LOGINS
    )


def _create_hosts(
    as_of: date,
    seed: int,
    candidates: int,
    sectors: dict[str, PrioritySector],
    officer: User,
    password_hash: str,
) -> None:
    russia = Country.objects.get(iso_alpha2="RU")
    rouble = Currency.objects.get(code="RUB")
    verified_at = _midday(as_of - timedelta(days=400))
    orgs: dict[str, Organisation] = {}
    with _keeping_timestamps(*_TIMESTAMPS):
        for host in catalogue.HOST_ORGANISATIONS:
            orgs[host.slug] = Organisation(
                name=host.name,
                kind=host.kind,
                sector=sectors[host.sector],
                country=russia,
                region=host.region,
                verification=Verification.VERIFIED,
                verified_by=officer,
                verified_at=verified_at,
                created_at=verified_at - timedelta(days=20),
            )
        Organisation.objects.bulk_create(orgs.values())
        # Each organisation gets an admin and a staff account; the printed host logins belong to one of them.
        login_by_slug: dict[str, dict[str, str]] = defaultdict(dict)
        for login in catalogue.DEMO_LOGINS:
            if login.organisation:
                login_by_slug[login.organisation][login.role] = login.email
        new_users: list[User] = []
        for host in catalogue.HOST_ORGANISATIONS:
            for role in (Role.HOST_ADMIN, Role.HOST_STAFF):
                if role.value in login_by_slug[host.slug]:
                    continue
                email = f"{'admin' if role is Role.HOST_ADMIN else 'staff'}@{host.slug}.hosts.example"
                new_users.append(
                    User(email=email, username=email, password=password_hash, role=role.value, first_name=host.name)
                )
        User.objects.bulk_create(new_users)
        members = []
        for host in catalogue.HOST_ORGANISATIONS:
            for role, member_role in ((Role.HOST_ADMIN, MemberRole.ADMIN), (Role.HOST_STAFF, MemberRole.STAFF)):
                email = login_by_slug[host.slug].get(role.value) or (
                    f"{'admin' if role is Role.HOST_ADMIN else 'staff'}@{host.slug}.hosts.example"
                )
                members.append((email, host.slug, member_role))
        users = {u.email: u.pk for u in User.objects.filter(email__in=[m[0] for m in members])}
        Membership.objects.bulk_create(
            Membership(user_id=users[email], organisation=orgs[slug], role=role, joined_at=verified_at)
            for email, slug, role in members
        )
        specs = generate_opportunities(candidates, seed=seed, as_of=as_of)
        opportunities = [
            Opportunity(
                organisation=orgs[spec.host],
                title=spec.title,
                kind=spec.kind,
                sector=sectors[spec.sector],
                description=spec.description,
                min_education_level=spec.min_education_level,
                min_experience_years=spec.min_experience_years,
                capacity=spec.capacity,
                salary_min=Decimal(spec.salary_min),
                salary_max=Decimal(spec.salary_max),
                salary_currency=rouble,
                salary_period="month",
                country=russia,
                city=spec.city,
                application_deadline=spec.application_deadline,
                start_date=spec.start_date,
                status=spec.status,
                created_by_id=users.get(f"staff@{spec.host}.hosts.example"),
                created_at=(spec.published_at or _midday(as_of)) - timedelta(days=3),
                updated_at=spec.published_at or _midday(as_of),
                published_at=spec.published_at,
            )
            for spec in specs
        ]
        Opportunity.objects.bulk_create(opportunities, batch_size=2000)
    OpportunityOccupation.objects.bulk_create(
        (
            OpportunityOccupation(opportunity=opp, isco08_code=spec.isco08, label=spec.title)
            for opp, spec in zip(opportunities, specs, strict=True)
        ),
        batch_size=2000,
    )
    OpportunitySkill.objects.bulk_create(
        (
            OpportunitySkill(opportunity=opp, label=skill, essential=k < 2)
            for opp, spec in zip(opportunities, specs, strict=True)
            for k, skill in enumerate(spec.skills)
        ),
        batch_size=2000,
    )
    OpportunityLanguage.objects.bulk_create(
        (
            OpportunityLanguage(opportunity=opp, language=language, min_level=level)
            for opp, spec in zip(opportunities, specs, strict=True)
            for language, level in spec.languages
        ),
        batch_size=2000,
    )


def _existing_demo_candidates() -> int:
    return Profile.objects.filter(external_id__startswith=DEMO_CANDIDATE_PREFIX).count()


def load_demo(
    candidates: int,
    *,
    seed: int = 1,
    as_of: date | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[int], None] | None = None,
) -> LoadReport:
    """Load the demo programme with ``candidates`` candidates (adding only those missing).

    Refuses (409) when the database holds a demo loaded with another seed. ``on_progress(n)``
    is called after each batch with the number of candidates it added.
    """
    started = time.perf_counter()
    # Any earlier load, finished or not, fixes the seed and the date: its candidates are in the database.
    earlier = Job.objects.filter(kind=JOB_KIND).exclude(result={}).order_by("-pk").first()
    state = dict(earlier.result) if earlier else None
    if state is not None and int(state.get("seed", seed)) != seed:
        raise Conflict(
            "seed",
            "seed_mismatch",
            f"The database holds a demo generated with seed {state['seed']}; reset it (--reset) to load seed {seed}.",
        )
    as_of = date.fromisoformat(state["as_of"]) if state and state.get("as_of") else (as_of or date.today())
    password_hash = make_password(catalogue.DEMO_PASSWORD)
    with transaction.atomic():
        base = _ensure_base(as_of, seed, candidates, password_hash)
    base.as_of = as_of
    before = _existing_demo_candidates()
    report = LoadReport(seed=seed, candidates_before=before, candidates_added=0, base_created=base.created)
    missing = max(0, candidates - before)
    job = jobs.start_job(JOB_KIND, total=missing)
    try:
        generated = generate_candidates(missing, seed=seed, as_of=as_of, start=before)
        while True:
            batch = [c for _, c in zip(range(batch_size), generated, strict=False)]
            if not batch:
                break
            with transaction.atomic():
                _insert_batch(batch, base, password_hash, report)
            report.candidates_added += len(batch)
            jobs.advance(job.pk, len(batch))
            if on_progress is not None:
                on_progress(len(batch))
        # The demo officer previews and runs rounds at once: applications past submission need their
        # assessment, which the submission hook would have written (bulk inserts skip it).
        report.assessments_added = assess_unassessed_pool(base.programme.pk, as_of)["new"]
        with transaction.atomic():
            demo_competition.ensure_demo_competition(base.officer, as_of, password_hash)
        with transaction.atomic():
            audit.record(
                None,
                "demo.loaded",
                base.programme,
                chain=f"programme:{base.programme.pk}",
                fields=["candidates", "seed"],
                reason=f"demo load: {report.candidates_added} candidates added, {report.candidates_total} in all",
            )
    except BaseException as exc:
        partial = {"seed": seed, "candidates": before + report.candidates_added, "as_of": as_of.isoformat()}
        jobs.finish(job.pk, partial, error=f"{type(exc).__name__}: {exc}")
        raise
    jobs.finish(job.pk, {"seed": seed, "candidates": report.candidates_total, "as_of": as_of.isoformat()})
    report.seconds = time.perf_counter() - started
    report.counts = demo_counts()
    return report


def _insert_batch(batch: list[DemoCandidate], base: _Base, password_hash: str, report: LoadReport) -> None:
    """Users, profiles and their lists, applications, history and offers of one batch (caller's transaction).

    Rows go in through :class:`TableWriter` (one ``executemany`` per table); the few keys
    needed to link children (user, profile, application ids) are read back by unique columns.
    """
    profiles = [CandidateProfile.model_validate(c.profile) for c in batch]
    users = TableWriter(User)
    emails: list[str] = []
    for candidate, profile in zip(batch, profiles, strict=True):
        if candidate.index == SHOWCASE_INDEX:
            # The printed candidate login owns the showcase profile; its name follows the profile.
            login = base.candidate_login
            login.first_name = profile.identity.given_names_latin[:150]
            login.last_name = profile.identity.family_name_latin[:150]
            login.save(update_fields=["first_name", "last_name"])
            emails.append(login.email)
            continue
        email = candidate.email.lower()
        emails.append(email)
        users.add(
            {
                "email": email,
                "username": email,
                "password": password_hash,
                "role": Role.CANDIDATE.value,
                "first_name": profile.identity.given_names_latin[:150],
                "last_name": profile.identity.family_name_latin[:150],
                "date_joined": _profile_created_at(candidate),
            }
        )
    users.flush()
    user_ids = ids_by(User, "email", emails)
    rows = TableWriter(Profile)
    for candidate, profile, email in zip(batch, profiles, emails, strict=True):
        created = _profile_created_at(candidate)
        rows.add(
            {
                "external_id": profile.id,
                "user_id": user_ids[email],
                "created_at": created,
                "updated_at": created,
                **mapping.profile_columns(profile),
            }
        )
    rows.flush()
    profile_ids = ids_by(Profile, "external_id", [p.id for p in profiles])
    writers = {section.name: TableWriter(section.model) for section in mapping.ALL_SECTIONS}
    for profile in profiles:
        profile_id = profile_ids[profile.id]
        for section in mapping.ALL_SECTIONS:
            writer = writers[section.name]
            for item in getattr(profile, section.name):
                writer.add(mapping.part_values(section, profile_id, item))
    for writer in writers.values():
        writer.flush()
    _insert_applications(batch, [profile_ids[p.id] for p in profiles], [user_ids[e] for e in emails], base, report)


def _profile_created_at(candidate: DemoCandidate) -> datetime:
    plan = candidate.application
    if plan is not None:
        return plan.created_at - timedelta(days=2)
    consents = candidate.profile.get("consents") or []
    if consents:
        first: datetime = min(c["given_at"] for c in consents)
        return first
    return datetime.now(UTC) - timedelta(days=30)


def _insert_applications(
    batch: list[DemoCandidate], profile_ids: list[int], user_ids: list[int], base: _Base, report: LoadReport
) -> None:
    planned = [
        (c, profile_id, user_id)
        for c, profile_id, user_id in zip(batch, profile_ids, user_ids, strict=True)
        if c.application is not None
    ]
    applications = TableWriter(Application)
    for candidate, profile_id, _user_id in planned:
        plan = candidate.application
        assert plan is not None
        last_move = plan.steps[-1].at if plan.steps else plan.created_at
        submitted = next((s.at for s in plan.steps if s.transition == "submit"), None)
        applications.add(
            {
                "profile_id": profile_id,
                "programme_id": base.programme.pk,
                "sector_preference_id": base.sectors[plan.sector].pk,
                "status": plan.status,
                "created_at": plan.created_at,
                "submitted_at": submitted,
                "status_changed_at": last_move,
            }
        )
    report.applications_added += applications.flush()
    # One demo application per profile, so the profile id finds it.
    application_ids = ids_by(Application, "profile_id", [p for _, p, _ in planned], programme_id=base.programme.pk)
    actors = {"officer": base.officer.pk, "supervisor": base.supervisor.pk}
    history = TableWriter(ApplicationTransition)
    offers = TableWriter(Offer)
    for candidate, profile_id, user_id in planned:
        plan = candidate.application
        assert plan is not None
        for step in plan.steps:
            history.add(
                {
                    "application_id": application_ids[profile_id],
                    "transition": step.transition,
                    "from_state": step.from_state,
                    "to_state": step.to_state,
                    "actor_id": user_id if step.by == "candidate" else actors[step.by],
                    "at": step.at,
                    "reason": step.reason,
                }
            )
        if plan.offer is not None:
            choices = base.opportunities_by_sector.get(plan.sector) or base.published
            if candidate.index == SHOWCASE_INDEX and base.showcase:
                choices = base.showcase
            if not choices:
                continue
            opportunity_id, organisation_id = choices[plan.offer.pick % len(choices)]
            offer = plan.offer
            offers.add(
                {
                    "opportunity_id": opportunity_id,
                    "profile_id": profile_id,
                    "terms": "Full-time employment contract; relocation support and housing allowance by the programme.",
                    "salary_amount": Decimal(offer.salary_rub_month),
                    "salary_currency_id": "RUB",
                    "salary_period": "month",
                    "start_date": (offer.made_at + timedelta(days=90)).date(),
                    "expires_at": offer.expires_at,
                    "status": offer.status,
                    "made_by_id": base.staff_by_org.get(organisation_id),
                    "created_at": offer.made_at,
                    "decided_at": offer.decided_at,
                    "reason": "Accepted another offer" if offer.status == "declined" else "",
                }
            )
    report.transitions_added += history.flush()
    report.offers_added += offers.flush()
    # Each accepted offer has opened its relocation case (demo.cases: every stage, with its history).
    report.cases_added += demo_cases.insert_cases(
        {profile_id: c.index for c, profile_id, _ in planned},
        {profile_id: user_id for _, profile_id, user_id in planned},
        application_ids,
        programme_id=base.programme.pk,
        officer_id=base.officer.pk,
        supervisor_id=base.supervisor.pk,
        now=demo_cases.case_time(base.as_of or date.today()),
    )


def demo_counts() -> dict[str, int]:
    """Row counts a person checks after a load: users by role, profiles, hosts, applications by status..."""
    counts: dict[str, int] = {}
    for role, n in User.objects.values_list("role").annotate(n=models.Count("pk")).order_by("role"):
        counts[f"users.{role}"] = n
    counts["profiles"] = Profile.objects.count()
    counts["organisations"] = Organisation.objects.count()
    counts["opportunities"] = Opportunity.objects.count()
    for status, n in Application.objects.values_list("status").annotate(n=models.Count("pk")).order_by("status"):
        counts[f"applications.{status}"] = n
    counts["application_transitions"] = ApplicationTransition.objects.count()
    counts["offers"] = Offer.objects.count()
    for stage, n in RelocationCase.objects.values_list("stage").annotate(n=models.Count("pk")).order_by("stage"):
        counts[f"cases.{stage}"] = n
    counts["assessments"] = Assessment.objects.count()
    return counts
