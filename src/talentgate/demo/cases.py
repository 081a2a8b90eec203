"""The demo's relocation cases: one per accepted offer, at every stage, with their back-dated histories.

:func:`plan_case` decides (deterministically from the candidate and the acceptance time) how far
a case has come by the demo date: the usual gaps between stages, an occasional rejection,
withdrawal, refused permit or early departure, and the 6- and 12-month follow-ups only once
that much time has passed since arrival. :func:`insert_cases` writes a batch's cases in bulk,
as the rest of the demo loader does: the case rows, their history (time in stage), checklists
(done as far as the stage implies), documents (verified once the case went to the authority),
the family from the profile, decisions, permits, and the entries of each case's audit chain.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.candidates.models import FamilyMember as ProfileFamilyMember
from talentgate.candidates.models import Profile
from talentgate.cases import checklists
from talentgate.cases.guards import FOLLOW_UP_6M_DAYS, FOLLOW_UP_12M_DAYS
from talentgate.cases.models import (
    CaseDocument,
    CaseSource,
    CaseTransition,
    ChecklistItem,
    Decision,
    FamilyMember,
    Permit,
    ProgrammeCaseSettings,
    RelocationCase,
    Stage,
)
from talentgate.cases.services import KIND_FOR_OPPORTUNITY, case_chain
from talentgate.common import audit
from talentgate.demo.bulk import TableWriter, ids_by
from talentgate.hosts.models import Offer

# The demo programme's own wording of the grounds its decisions cite (not a quotation of any law).
PROGRAMME_GROUND = "Talent attraction programme rules, section 4 (relocation support)"
PERMIT_GROUND = "Governing decree on qualified foreign specialists: permit route for programme participants"
REFUSAL_REASONS = (
    "Security screening not passed",
    "Annual quota for the permit category exhausted",
    "Documents inconsistent with the authority's records",
)
REJECTION_REASONS = (
    "Host withdrew the position before the hand-off",
    "Candidate did not provide the required documents in time",
)
WITHDRAWAL_REASONS = ("Family reasons", "Accepted a position elsewhere", "Health reasons")
DEPARTURE_REASONS = ("Returned home to care for a relative", "Contract ended early by mutual agreement")
PERMIT_TYPES = {
    "specialist": "highly_qualified",
    "researcher": "research_permit",
    "academic_mobility": "study_permit",
    "student": "study_permit",
    "achiever": "work_permit",
    "entrepreneur": "temporary_residence",
}

# (transition, from, to, who, days after the previous step)
_PATH: tuple[tuple[str, str, str, str, tuple[int, int]], ...] = (
    ("prepare", "opened", "prepared", "officer", (2, 20)),
    ("approve", "prepared", "approved", "supervisor", (1, 10)),
    ("submit_to_authority", "approved", "submitted", "officer", (1, 7)),
    ("grant_permit", "submitted", "permit_granted", "authority", (10, 60)),
    ("start_relocation", "permit_granted", "relocating", "officer", (3, 20)),
    ("record_arrival", "relocating", "arrived", "officer", (10, 45)),
    ("record_follow_up_6m", "arrived", "follow_up_6m", "officer", (FOLLOW_UP_6M_DAYS, FOLLOW_UP_6M_DAYS + 20)),
    (
        "record_follow_up_12m",
        "follow_up_6m",
        "follow_up_12m",
        "officer",
        (FOLLOW_UP_12M_DAYS - FOLLOW_UP_6M_DAYS, FOLLOW_UP_12M_DAYS - FOLLOW_UP_6M_DAYS + 5),
    ),
    ("close", "follow_up_12m", "closed", "officer", (1, 20)),
)
_BEFORE_HANDOFF = {"opened", "prepared", "approved"}


@dataclass(frozen=True)
class CaseStep:
    transition: str
    from_stage: str
    to_stage: str
    at: datetime
    by: str  # officer, supervisor, authority, candidate
    reason: str = ""


@dataclass(frozen=True)
class CasePlan:
    opened_at: datetime
    steps: tuple[CaseStep, ...]

    @property
    def stage(self) -> str:
        return self.steps[-1].to_stage if self.steps else Stage.OPENED.value

    @property
    def arrived_at(self) -> datetime | None:
        return next((s.at for s in self.steps if s.to_stage == "arrived"), None)


def plan_case(candidate_index: int, opened_at: datetime, now: datetime) -> CasePlan:
    """How far the case of candidate ``candidate_index``, opened at ``opened_at``, has come by ``now``."""
    rng = random.Random(f"case:{candidate_index}:{opened_at.isoformat()}")  # nosec B311  # demo data, reproducible by seed
    steps: list[CaseStep] = []
    at, stage = opened_at, "opened"
    for name, source, target, by, (low, high) in _PATH:
        at = at + timedelta(days=rng.randint(low, high), hours=rng.randint(0, 7), minutes=rng.randint(0, 59))
        roll = rng.random()
        if source in _BEFORE_HANDOFF and roll < 0.03:
            name, target, by, reason = "reject", "rejected", "officer", rng.choice(REJECTION_REASONS)
        elif source in _BEFORE_HANDOFF and roll < 0.05:
            name, target, by, reason = "withdraw", "withdrawn", "candidate", rng.choice(WITHDRAWAL_REASONS)
        elif name == "grant_permit" and roll < 0.1:
            name, target, reason = "refuse_permit", "permit_refused", rng.choice(REFUSAL_REASONS)
        elif source in ("arrived", "follow_up_6m") and roll < 0.06:
            name, target, reason = "record_departure", "closed", rng.choice(DEPARTURE_REASONS)
            at = at - timedelta(days=rng.randint(30, 150))
        else:
            reason = ""
        if at >= now:
            break
        steps.append(CaseStep(name, stage, target, at, by, reason))
        stage = target
        if target not in {t for _, _, t, _, _ in _PATH} or target == "closed":
            break
    return CasePlan(opened_at, tuple(steps))


def _actors(programme_id: int, officer_id: int, supervisor_id: int) -> dict[str, int | None]:
    authority = User.objects.filter(role=Role.AUTHORITY).order_by("pk").values_list("pk", flat=True).first()
    ProgrammeCaseSettings.objects.get_or_create(programme_id=programme_id, defaults={"legal_ground": PROGRAMME_GROUND})
    return {"officer": officer_id, "supervisor": supervisor_id, "authority": authority}


def insert_cases(
    candidate_index_by_profile: Mapping[int, int],
    user_by_profile: Mapping[int, int],
    application_by_profile: Mapping[int, int],
    *,
    programme_id: int,
    officer_id: int,
    supervisor_id: int,
    now: datetime,
) -> int:
    """Write the cases of the batch's accepted offers (caller's transaction); return how many."""
    offers = list(
        Offer.objects.filter(profile_id__in=list(candidate_index_by_profile), status="accepted")
        .exclude(relocation_case__isnull=False)
        .values_list(
            "pk",
            "profile_id",
            "decided_at",
            "opportunity__kind",
            "opportunity__organisation_id",
            "opportunity__sector_id",
            "opportunity__organisation__sector_id",
            "opportunity__country_id",
        )
        .order_by("pk")
    )
    if not offers:
        return 0
    actors = _actors(programme_id, officer_id, supervisor_id)
    origin = dict(Profile.objects.filter(pk__in=[o[1] for o in offers]).values_list("pk", "residence_country"))
    plans: dict[int, tuple[CasePlan, str]] = {}
    cases = TableWriter(RelocationCase)
    for offer_id, profile_id, decided_at, opp_kind, org_id, sector_id, org_sector_id, country in offers:
        if profile_id in plans:
            continue  # one case under way per person, as the services keep it
        plan = plan_case(candidate_index_by_profile[profile_id], decided_at, now)
        kind = str(KIND_FOR_OPPORTUNITY.get(opp_kind, "specialist"))
        plans[profile_id] = (plan, kind)
        last = plan.steps[-1] if plan.steps else None
        terminal = plan.stage in ("closed", "withdrawn", "rejected", "permit_refused")
        arrived = plan.arrived_at
        departure = next((s for s in plan.steps if s.transition == "record_departure"), None)
        cases.add(
            {
                "programme_id": programme_id,
                "kind": kind,
                "source": CaseSource.OFFER.value,
                "profile_id": profile_id,
                "offer_id": offer_id,
                "application_id": application_by_profile.get(profile_id),
                "organisation_id": org_id,
                "sector_id": sector_id or org_sector_id,
                "destination_country_id": country,
                "origin_country": origin.get(profile_id, ""),
                "stage": plan.stage,
                "version": len(plan.steps) + 1,
                "opened_at": decided_at,
                "stage_entered_at": last.at if last else decided_at,
                "closed_at": last.at if terminal and last else None,
                "prepared_by_id": officer_id if any(s.to_stage == "prepared" for s in plan.steps) else None,
                "arrived_on": arrived.date() if arrived else None,
                "departed_on": departure.at.date() if departure else None,
                "departure_reason": departure.reason if departure else "",
                "end_reason": last.reason if last and last.to_stage in ("withdrawn", "rejected") else "",
            }
        )
    written = cases.flush()
    case_ids = ids_by(RelocationCase, "profile_id", list(plans))
    _insert_history(plans, case_ids, user_by_profile, actors)
    _insert_parts(plans, case_ids, actors)
    _insert_decisions_and_permits(plans, case_ids, actors)
    _record_audit(plans, case_ids, user_by_profile, actors)
    return written


def _actor_id(step: CaseStep, profile_id: int, user_by_profile: Mapping[int, int], actors: Mapping[str, Any]) -> Any:
    return user_by_profile.get(profile_id) if step.by == "candidate" else actors[step.by]


def _insert_history(
    plans: Mapping[int, tuple[CasePlan, str]],
    case_ids: Mapping[int, int],
    user_by_profile: Mapping[int, int],
    actors: Mapping[str, Any],
) -> None:
    history = TableWriter(CaseTransition)
    for profile_id, (plan, _) in plans.items():
        case_id = case_ids[profile_id]
        history.add(
            {
                "case_id": case_id,
                "transition": "open",
                "from_stage": "",
                "to_stage": "opened",
                "actor_id": user_by_profile.get(profile_id),
                "entered_at": plan.opened_at,
                "left_at": plan.opened_at,
                "version": 1,
                "reason": "offer",
            }
        )
        entered = plan.opened_at
        for version, step in enumerate(plan.steps, start=2):
            history.add(
                {
                    "case_id": case_id,
                    "transition": step.transition,
                    "from_stage": step.from_stage,
                    "to_stage": step.to_stage,
                    "actor_id": _actor_id(step, profile_id, user_by_profile, actors),
                    "entered_at": entered,
                    "left_at": step.at,
                    "active_seconds": int((step.at - entered).total_seconds()),
                    "paused_seconds": 0,
                    "version": version,
                    "reason": step.reason,
                }
            )
            entered = step.at
    history.flush()


def _reached(plan: CasePlan, stage: str) -> CaseStep | None:
    return next((s for s in plan.steps if s.to_stage == stage), None)


def _insert_parts(
    plans: Mapping[int, tuple[CasePlan, str]], case_ids: Mapping[int, int], actors: Mapping[str, Any]
) -> None:
    """Family, checklist items and documents, as complete as each case's stage implies."""
    members = TableWriter(FamilyMember)
    relations: dict[int, list[tuple[int, str]]] = defaultdict(list)  # case id -> [(source id, relation)]
    for source_id, profile_id, relation, given, family, born in ProfileFamilyMember.objects.filter(
        profile_id__in=list(plans)
    ).values_list("pk", "profile_id", "relation", "given_names_latin", "family_name_latin", "date_of_birth"):
        case_id = case_ids[profile_id]
        members.add(
            {
                "case_id": case_id,
                "source_id": source_id,
                "relation": relation,
                "given_names_latin": given,
                "family_name_latin": family,
                "date_of_birth": born,
                "identity_number": None,
            }
        )
        relations[case_id].append((source_id, relation))
    members.flush()
    member_ids = ids_by(FamilyMember, "source_id", [s for pairs in relations.values() for s, _ in pairs])
    items = TableWriter(ChecklistItem)
    for profile_id, (plan, kind) in plans.items():
        case_id = case_ids[profile_id]
        prepared = _reached(plan, "prepared")
        arrived = _reached(plan, "arrived")
        specs: list[tuple[int | None, checklists.ItemSpec]] = [
            (None, spec) for spec in checklists.checklist_for_case(kind)
        ]
        specs += [
            (member_ids[source], spec)
            for source, relation in relations.get(case_id, [])
            for spec in checklists.checklist_for_member(relation)
        ]
        rng = random.Random(f"items:{case_id}")  # nosec B311  # demo data, reproducible by seed
        for member_id, spec in specs:
            done_at = None
            if spec.due_before == "prepare":
                done_at = (
                    (prepared.at - timedelta(days=1)) if prepared else (plan.opened_at if rng.random() < 0.5 else None)
                )
            elif spec.due_before == "record_arrival" and arrived is not None:
                done_at = arrived.at - timedelta(days=2)
            items.add(
                {
                    "case_id": case_id,
                    "family_member_id": member_id,
                    "code": spec.code,
                    "category": spec.category,
                    "document_kind": spec.document_kind,
                    "due_before": spec.due_before,
                    "required": spec.required,
                    "completed_at": done_at,
                    "completed_by_id": actors["officer"] if done_at else None,
                }
            )
    items.flush()
    documents = TableWriter(CaseDocument)
    plan_by_case = {case_ids[p]: plan for p, (plan, _) in plans.items()}
    for item_id, case_id, member_id, kind, done_at in (
        ChecklistItem.objects.filter(case_id__in=list(plan_by_case), completed_at__isnull=False)
        .exclude(document_kind="")
        .values_list("pk", "case_id", "family_member_id", "document_kind", "completed_at")
    ):
        assert done_at is not None  # filtered on above
        ticked: datetime = done_at
        plan = plan_by_case[case_id]
        submitted = _reached(plan, "submitted")
        verified = submitted is not None or _reached(plan, "approved") is not None
        documents.add(
            {
                "case_id": case_id,
                "checklist_item_id": item_id,
                "family_member_id": member_id,
                "kind": kind,
                "file_name": f"{kind}.pdf",
                "issued_on": (ticked - timedelta(days=200)).date(),
                "expires_on": (ticked + timedelta(days=1500)).date(),
                "status": "verified" if verified else "pending",
                "uploaded_at": ticked,
                "verified_by_id": actors["officer"] if verified else None,
                "verified_at": ticked + timedelta(days=1) if verified else None,
            }
        )
    documents.flush()


def _insert_decisions_and_permits(
    plans: Mapping[int, tuple[CasePlan, str]], case_ids: Mapping[int, int], actors: Mapping[str, Any]
) -> None:
    deciding = {"approve": "approval", "reject": "rejection", "grant_permit": "grant", "refuse_permit": "refusal"}
    transition_ids: dict[tuple[int, int], int] = {
        (case_id, version): pk
        for pk, case_id, version in CaseTransition.objects.filter(
            case_id__in=list(case_ids.values()), transition__in=list(deciding)
        ).values_list("pk", "case_id", "version")
    }
    decisions = TableWriter(Decision)
    permits = TableWriter(Permit)
    for profile_id, (plan, kind) in plans.items():
        case_id = case_ids[profile_id]
        for version, step in enumerate(plan.steps, start=2):
            if step.transition not in deciding:
                continue
            authority = step.transition in ("grant_permit", "refuse_permit")
            decisions.add(
                {
                    "case_id": case_id,
                    "kind": deciding[step.transition],
                    "transition_id": transition_ids[(case_id, version)],
                    "legal_ground": PERMIT_GROUND if authority else PROGRAMME_GROUND,
                    "officer_id": actors[step.by],
                    "decided_at": step.at,
                    "reasons": step.reason,
                }
            )
            if step.transition == "grant_permit":
                departure = _reached(plan, "closed") if plan.stage == "closed" else None
                early = departure is not None and departure.transition == "record_departure"
                granted = step.at.date()
                permits.add(
                    {
                        "case_id": case_id,
                        "permit_type": PERMIT_TYPES.get(kind, "work_permit"),
                        "number": f"{77 + case_id % 20:02d}-{1_000_000 + case_id * 7919 % 9_000_000:07d}",
                        "issued_on": granted,
                        "valid_from": granted,
                        "valid_until": granted + timedelta(days=3 * 365),
                        "status": "ended" if early else "active",
                        "ended_on": departure.at.date() if early and departure else None,
                        "end_reason": "early departure" if early else "",
                        "recorded_by_id": actors["authority"],
                        "recorded_at": step.at,
                    }
                )
    decisions.flush()
    permits.flush()


def _record_audit(
    plans: Mapping[int, tuple[CasePlan, str]],
    case_ids: Mapping[int, int],
    user_by_profile: Mapping[int, int],
    actors: Mapping[str, Any],
) -> None:
    """One entry per opening and per move on each case's own chain, in the order they happened.

    ``record_many`` takes one actor per call. Each call takes, from every chain, the run of next
    entries by the actor most chains are waiting on, so every chain receives its entries in order
    in a handful of calls (about as many as a case changes hands).
    """
    pending: list[deque[tuple[Any, audit.AuditEvent]]] = []
    for profile_id, (plan, _) in plans.items():
        case_id = case_ids[profile_id]
        stub, chain = RelocationCase(pk=case_id), case_chain(case_id)
        queue: deque[tuple[Any, audit.AuditEvent]] = deque(
            [(None, audit.AuditEvent("case.opened", stub, chain, ["stage", "offer"], "demo load"))]
        )
        for step in plan.steps:
            event = audit.AuditEvent(f"case.{step.transition}", stub, chain, ["stage", "version"], step.reason)
            queue.append((_actor_id(step, profile_id, user_by_profile, actors), event))
        pending.append(queue)
    users = {u.pk: u for u in User.objects.filter(pk__in=[a for a in actors.values() if a])}
    while pending:
        actor_id = Counter(queue[0][0] for queue in pending).most_common(1)[0][0]
        events: list[audit.AuditEvent] = []
        for queue in pending:
            while queue and queue[0][0] == actor_id:
                events.append(queue.popleft()[1])
        actor = users.get(actor_id) or (User(pk=actor_id) if actor_id else None)
        audit.record_many(actor, events)
        pending = [queue for queue in pending if queue]


def case_time(day: date, hour: int = 18) -> datetime:
    """The demo's "now" on ``day`` (the generator's clock)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)
