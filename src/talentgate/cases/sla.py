"""Stage deadlines (SLAs) of relocation cases: the arithmetic, the due-soon and overdue queries, escalation.

A case's deadline in its current stage is ``entered_at + SLA + time paused`` since it entered
the stage: while a request for information waits on the candidate or the host, the clock stands
still and the deadline moves with it. Each stage's SLA and its due-soon warning come from a
:class:`~talentgate.cases.models.StageDeadline` row for the case's programme, else a row with no
programme (platform-wide), else :data:`DEFAULT_STAGE_DEADLINES`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.cases import services
from talentgate.cases.clock import paused_seconds
from talentgate.cases.models import (
    OPEN_STAGES,
    CaseTransition,
    ClockPause,
    RelocationCase,
    SlaEscalation,
    Stage,
    StageDeadline,
)
from talentgate.cases.selectors import cases_visible_to
from talentgate.common import audit
from talentgate.common.access import is_programme_staff, role_of
from talentgate.common.errors import PermissionRefused, ValidationFailed
from talentgate.notifications import kinds as notification_kinds
from talentgate.notifications.services import notify_many


@dataclass(frozen=True)
class StageSla:
    """How long a stage may take (``days``) and how many days before the end a case counts as due soon."""

    days: int
    warning_days: int


#: Shipped defaults per stage, in calendar days. They are the programme's service targets, not legal
#: time limits; administrators override them per programme (or for all programmes) with StageDeadline rows.
#: Terminal stages (closed, withdrawn, rejected, permit_refused) have no deadline.
DEFAULT_STAGE_DEADLINES: dict[str, StageSla] = {
    "opened": StageSla(days=14, warning_days=3),  # officer prepares the case (checklist complete)
    "prepared": StageSla(days=5, warning_days=2),  # approval by a second person
    "approved": StageSla(days=5, warning_days=2),  # hand-off to the authority
    "submitted": StageSla(days=60, warning_days=10),  # the authority's decision
    "permit_granted": StageSla(days=30, warning_days=7),  # relocation starts
    "relocating": StageSla(days=90, warning_days=14),  # arrival
    # Follow-ups become possible 182 and 365 days after arrival (cases.guards); two weeks' grace after that.
    "arrived": StageSla(days=200, warning_days=14),  # follow-up at six months
    "follow_up_6m": StageSla(days=200, warning_days=14),  # follow-up at twelve months
    "follow_up_12m": StageSla(days=30, warning_days=7),  # closing the case
}


class DeadlineState(StrEnum):
    """Where a case stands against its stage deadline."""

    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


Interval = tuple[datetime, datetime | None]


@dataclass(frozen=True)
class Deadline:
    """One case's deadline in its current stage, as of ``now``.

    ``paused`` is the clock time excluded so far; while ``is_paused`` the due date keeps moving
    with the clock, so a paused case never becomes overdue while it waits.
    """

    stage: str
    entered_at: datetime
    sla: StageSla
    paused: timedelta
    is_paused: bool
    now: datetime

    @property
    def due_at(self) -> datetime:
        return self.entered_at + timedelta(days=self.sla.days) + self.paused

    @property
    def due_soon_from(self) -> datetime:
        return self.due_at - timedelta(days=self.sla.warning_days)

    @property
    def active_time(self) -> timedelta:
        """Time in the stage with the clock running (the pauses left out)."""
        return self.now - self.entered_at - self.paused

    @property
    def state(self) -> DeadlineState:
        if self.now > self.due_at:
            return DeadlineState.OVERDUE
        if self.now >= self.due_soon_from:
            return DeadlineState.DUE_SOON
        return DeadlineState.ON_TRACK


def deadline_from(
    stage: str, entered_at: datetime, sla: StageSla, pauses: Iterable[Interval], now: datetime
) -> Deadline:
    """The deadline of a case that entered ``stage`` at ``entered_at`` and was paused during ``pauses``."""
    pauses = list(pauses)
    is_paused = any(start <= now and (end is None or end > now) for start, end in pauses)
    return Deadline(
        stage=stage,
        entered_at=entered_at,
        sla=sla,
        paused=timedelta(seconds=paused_seconds(pauses, entered_at, now)),
        is_paused=is_paused,
        now=now,
    )


# --- the SLA table --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlaTable:
    """Every stage's SLA for every programme, read once: programme rows, then platform rows, then the defaults."""

    by_programme: dict[tuple[int, str], StageSla]
    by_stage: dict[str, StageSla]

    def sla_for(self, programme_id: int | None, stage: str) -> StageSla | None:
        """The SLA of ``stage`` in the programme, or ``None`` for a stage without a deadline (a terminal one)."""
        if programme_id is not None and (programme_id, stage) in self.by_programme:
            return self.by_programme[(programme_id, stage)]
        return self.by_stage.get(stage)

    def overrides_of(self, stage: str) -> dict[int, StageSla]:
        """The programmes with their own SLA for ``stage``."""
        return {programme: sla for (programme, name), sla in self.by_programme.items() if name == stage}


def sla_table() -> SlaTable:
    """The SLAs in force now (one query)."""
    by_stage = dict(DEFAULT_STAGE_DEADLINES)
    by_programme: dict[tuple[int, str], StageSla] = {}
    for row in StageDeadline.objects.all():
        sla = StageSla(days=row.days, warning_days=row.warning_days)
        if row.programme_id is None:
            by_stage[row.stage] = sla
        else:
            by_programme[(row.programme_id, row.stage)] = sla
    return SlaTable(by_programme=by_programme, by_stage=by_stage)


# --- deadlines of cases ---------------------------------------------------------------------------------------------


# Ids sent to the database per query, well under SQLite's limit on bound parameters (32,766).
_ID_CHUNK = 5000
CaseClock = tuple[int, str, int | None, datetime]  # (case id, stage, programme id, entered the stage at)


def _deadlines(
    clocks: Iterable[CaseClock], pauses: dict[int, list[Interval]], now: datetime, table: SlaTable
) -> dict[int, Deadline]:
    result: dict[int, Deadline] = {}
    for case_id, stage, programme_id, entered_at in clocks:
        sla = table.sla_for(programme_id, stage)
        if sla is not None:
            result[case_id] = deadline_from(stage, entered_at, sla, pauses.get(case_id, ()), now)
    return result


def _pauses_by_case(rows: QuerySet[ClockPause]) -> dict[int, list[Interval]]:
    pauses: dict[int, list[Interval]] = defaultdict(list)
    for case_id, started_at, ended_at in rows.values_list("case_id", "started_at", "ended_at"):
        pauses[case_id].append((started_at, ended_at))
    return pauses


def deadlines_for(
    cases: Iterable[RelocationCase], now: datetime | None = None, table: SlaTable | None = None
) -> dict[int, Deadline]:
    """The current-stage deadline of each open case, by case id (cases in terminal stages are left out).

    Two queries whatever the number of cases: the SLA table and the pauses. Use it to show due dates
    in a list; use :func:`filter_by_deadline` to filter one.
    """
    now = now or timezone.now()
    table = table or sla_table()
    clocks = [
        (case.pk, case.stage, case.programme_id, case.stage_entered_at) for case in cases if case.stage in OPEN_STAGES
    ]
    earliest = min((entered for *_rest, entered in clocks), default=now)
    pauses = _pauses_by_case(
        ClockPause.objects.filter(case__in=[pk for pk, *_rest in clocks], started_at__lte=now).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=earliest)
        )
    )
    return _deadlines(clocks, pauses, now, table)


def deadline_for(case: RelocationCase, now: datetime | None = None) -> Deadline | None:
    """The case's deadline in its current stage, or ``None`` when the stage has none (the case ended)."""
    return deadlines_for([case], now).get(case.pk)


def _entered_window(
    table: SlaTable,
    now: datetime,
    earliest: Callable[[StageSla], int | None],
    latest: Callable[[StageSla], int],
    *,
    strictly_before: bool = False,
) -> Q:
    """Cases whose stage clock, counted without pauses, lies in a window of days given per SLA.

    ``latest(sla)`` days ago is the latest entry time that qualifies (excluded with ``strictly_before``);
    ``earliest(sla)`` days ago (or no bound when ``None``) the earliest. Built as one condition per stage and per programme override, so the
    database does the work on the (stage, stage_entered_at) index.
    """

    def window(sla: StageSla) -> Q:
        cutoff = now - timedelta(days=latest(sla))
        condition = Q(stage_entered_at__lt=cutoff) if strictly_before else Q(stage_entered_at__lte=cutoff)
        bound = earliest(sla)
        if bound is not None:
            condition &= Q(stage_entered_at__gte=now - timedelta(days=bound))
        return condition

    combined = Q(pk__in=[])
    for stage in OPEN_STAGES:
        general = table.by_stage.get(str(stage))
        overrides = table.overrides_of(str(stage))
        if general is not None:
            rest = Q(stage=stage) & window(general)
            if overrides:
                rest &= ~Q(programme_id__in=list(overrides))
            combined |= rest
        for programme_id, sla in overrides.items():
            combined |= Q(stage=stage, programme_id=programme_id) & window(sla)
    return combined


def filter_by_deadline(
    cases: QuerySet[RelocationCase], state: DeadlineState | str, now: datetime | None = None
) -> QuerySet[RelocationCase]:
    """``cases`` narrowed to those whose current-stage deadline is in ``state`` (due soon, overdue or on track).

    For the officers' queues: it keeps the queryset's other filters and order. Cases never paused in
    their current stage are decided by the database alone; the few with pauses are checked exactly
    (overlapping pauses count once), after the database has left out those that cannot qualify.
    """
    try:
        wanted = DeadlineState(state)
    except ValueError:
        raise ValidationFailed.single(
            "deadline",
            "choice",
            gettext("'%(value)s' is not a deadline state; use one of: %(choices)s.")
            % {"value": state, "choices": ", ".join(s.value for s in DeadlineState)},
        ) from None
    now = now or timezone.now()
    table = sla_table()
    # Cases with a pause in their current stay, as one uncorrelated subquery (pauses joined to their case).
    paused_in_stay = (
        ClockPause.objects.filter(case__stage__in=OPEN_STAGES, started_at__lte=now)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=F("case__stage_entered_at")))
        .values("case_id")
    )
    open_cases = RelocationCase.objects.filter(stage__in=OPEN_STAGES)
    if wanted == DeadlineState.OVERDUE:
        exact = _entered_window(table, now, lambda sla: None, lambda sla: sla.days, strictly_before=True)
        possible = exact
    elif wanted == DeadlineState.DUE_SOON:
        exact = _entered_window(table, now, lambda sla: sla.days, lambda sla: sla.days - sla.warning_days)
        # A pause moves the deadline later, so a paused case may be due soon however long ago it entered.
        possible = _entered_window(table, now, lambda sla: None, lambda sla: sla.days - sla.warning_days)
    else:
        exact = _entered_window(table, now, lambda sla: None, lambda sla: 0) & ~_entered_window(
            table, now, lambda sla: None, lambda sla: sla.days - sla.warning_days
        )
        possible = _entered_window(table, now, lambda sla: None, lambda sla: 0)
    never_paused = Q(stage__in=OPEN_STAGES) & exact & ~Q(pk__in=paused_in_stay)
    # The few cases paused in their current stay are read as plain tuples with their pauses in two
    # queries and decided exactly; their ids go back to the database as a list.
    maybe = open_cases.filter(possible).filter(pk__in=paused_in_stay)
    clocks = list(maybe.values_list("pk", "stage", "programme_id", "stage_entered_at"))
    pauses: dict[int, list[Interval]] = {}
    for start in range(0, len(clocks), _ID_CHUNK):
        chunk = [pk for pk, *_rest in clocks[start : start + _ID_CHUNK]]
        pauses.update(_pauses_by_case(ClockPause.objects.filter(case__in=chunk, started_at__lte=now)))
    decided = [pk for pk, deadline in _deadlines(clocks, pauses, now, table).items() if deadline.state == wanted]
    return cases.filter(never_paused | Q(pk__in=decided))


def _require_staff(actor: Any) -> None:
    if actor is not None and not is_programme_staff(actor):
        raise PermissionRefused(gettext("This needs a programme officer, supervisor or administrator."), rule="role")


def cases_overdue(actor: Any, now: datetime | None = None) -> QuerySet[RelocationCase]:
    """Open cases past their stage deadline (programme staff), the longest waiting first."""
    _require_staff(actor)
    return filter_by_deadline(cases_visible_to(actor), DeadlineState.OVERDUE, now).order_by("stage_entered_at", "pk")


def cases_due_soon(actor: Any, now: datetime | None = None) -> QuerySet[RelocationCase]:
    """Open cases within their stage's due-soon warning (programme staff), the longest waiting first."""
    _require_staff(actor)
    return filter_by_deadline(cases_visible_to(actor), DeadlineState.DUE_SOON, now).order_by("stage_entered_at", "pk")


# --- escalation -----------------------------------------------------------------------------------------------------


def _stage_phrases(stage: str) -> dict[str, str]:
    """``what_<language>`` for the notification: what was due, in each offered language."""
    phrases = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            phrases[f"what_{code}"] = gettext("The stage '%(stage)s'") % {"stage": Stage(stage).label}
    return phrases


def escalate_overdue_cases(now: datetime | None = None) -> int:
    """Escalate each overdue case to the supervisors once per stay in a stage; return how many were escalated.

    Runs as the system. The escalation row is unique per (case, stage, time it entered the stage), so a
    second run (or two workers at once) escalates nothing twice; a case that leaves the stage and comes
    back later can be escalated again for the new stay. Each case commits on its own.
    """
    now = now or timezone.now()
    already = SlaEscalation.objects.filter(
        case=OuterRef("pk"), stage=OuterRef("stage"), stage_entered_at=OuterRef("stage_entered_at")
    )
    overdue = list(
        filter_by_deadline(RelocationCase.objects.all(), DeadlineState.OVERDUE, now)
        .exclude(Exists(already))
        .order_by("pk")
    )
    if not overdue:
        return 0
    deadlines = deadlines_for(overdue, now)
    supervisors = list(User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk"))
    escalated = 0
    for case in overdue:
        deadline = deadlines.get(case.pk)
        if deadline is None:
            continue
        try:
            with transaction.atomic():
                escalation = SlaEscalation.objects.create(
                    case=case,
                    stage=case.stage,
                    stage_entered_at=case.stage_entered_at,
                    due_at=deadline.due_at,
                    escalated_at=now,
                    notified=len(supervisors),
                )
                audit.record(
                    None,
                    "case.sla_escalated",
                    escalation,
                    chain=audit.chain_for_case(case.pk),
                    fields=["stage", "stage_entered_at", "due_at", "notified"],
                )
                notify_many(
                    supervisors,
                    notification_kinds.DEADLINE_PASSED.code,
                    {
                        "object": "case",
                        "object_id": case.pk,
                        "model": "cases.relocationcase",
                        "state_field": "stage",
                        "to_state": case.stage,
                        "due_date": timezone.localdate(deadline.due_at).isoformat(),
                        **_stage_phrases(case.stage),
                    },
                    link=services._link(case),
                )
        except IntegrityError:
            # Another worker escalated this stay between our read and our write.
            continue
        escalated += 1
    return escalated


@task()
def escalate_overdue_cases_task() -> int:
    """Escalate overdue cases to supervisors; meant to run periodically from the task worker."""
    return escalate_overdue_cases()


# --- time in stage for analytics -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageDuration:
    """How long finished stays in one stage took, clock pauses excluded (seconds), over ``count`` stays."""

    stage: str
    count: int
    mean_seconds: float
    median_seconds: float
    p90_seconds: float
    max_seconds: int
    mean_paused_seconds: float


def _percentile(ordered: list[int], fraction: float) -> float:
    """Linear-interpolated percentile of an ascending list (the same definition as numpy's default)."""
    if len(ordered) == 1:
        return float(ordered[0])
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def time_in_stage(
    actor: Any, *, programme_id: int | None = None, since: datetime | None = None, until: datetime | None = None
) -> list[StageDuration]:
    """Durations of finished stays per stage (left between ``since`` and ``until``), in lifecycle order.

    Aggregates only, so analysts may read it besides programme staff. Stays still under way are
    not counted (their length is not known yet).
    """
    if actor is not None and role_of(actor) not in (Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR, Role.ANALYST):
        raise PermissionRefused(gettext("This needs programme staff or an analyst."), rule="role")
    rows = CaseTransition.objects.exclude(from_stage="")
    if programme_id is not None:
        rows = rows.filter(case__programme_id=programme_id)
    if since is not None:
        rows = rows.filter(left_at__gte=since)
    if until is not None:
        rows = rows.filter(left_at__lt=until)
    active: dict[str, list[int]] = defaultdict(list)
    paused: dict[str, int] = defaultdict(int)
    for stage, active_seconds, paused_seconds_ in rows.values_list("from_stage", "active_seconds", "paused_seconds"):
        active[stage].append(int(active_seconds))
        paused[stage] += int(paused_seconds_)
    result = []
    for stage in Stage.values:
        values = sorted(active.get(stage, []))
        if not values:
            continue
        result.append(
            StageDuration(
                stage=stage,
                count=len(values),
                mean_seconds=sum(values) / len(values),
                median_seconds=_percentile(values, 0.5),
                p90_seconds=_percentile(values, 0.9),
                max_seconds=values[-1],
                mean_paused_seconds=paused[stage] / len(values),
            )
        )
    return result
