"""Every write of the assessment domain: policy versions and their governance, assessing applications
(one at submission, a whole pool as a background job), the impact preview, and "where would I qualify?".

Assessments are computed by the framework-free rules engine over columns (``derive_for_policy`` +
``evaluate_columns``), one chunk of a pool at a time, and stored with the policy id, version,
date and inputs hash; the reasons are kept in English and Russian so a stored result reads the
same later whatever the policy texts become. Audit entries go on the candidate's chain for
assessments and on ``policy:<id>`` for policy versions.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from talentgate.accounts.roles import Role
from talentgate.assessment import policies, selectors
from talentgate.assessment.models import Assessment, PolicyStatus, PolicyVersion, ProgrammePolicy
from talentgate.common import audit, jobs
from talentgate.common.access import is_programme_staff, require_role, role_of
from talentgate.common.errors import FieldError, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.workflow import run_transition
from talentgate.engines.rules.loader import PolicyInvalid
from talentgate.engines.rules.policy_inputs import DerivedPool, derive_for_policy
from talentgate.engines.rules.records import record_from_explanation
from talentgate.engines.rules.schema import Policy
from talentgate.engines.rules.vectorized import Assessment as PoolResult
from talentgate.engines.rules.vectorized import evaluate_columns

logger = logging.getLogger(__name__)

#: Application statuses that make up a programme's current pool (submitted and not closed).
POOL_STATUSES = ("submitted", "screening", "assessed", "invited", "matched")
#: Profiles evaluated together when a pool is (re)assessed.
CHUNK_SIZE = 2_000
#: Width of a bin of the score-shift histogram of an impact preview, in points.
SHIFT_BIN = 5
POLICY_AUTHORS = (Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR)
SHIPPED_PREFIX = "shipped:"


def chain_for_policy(policy_id: str) -> str:
    return f"policy:{policy_id}"


def today() -> dt.date:
    return timezone.localdate()


# --- policy versions ----------------------------------------------------------------------------


def _invalid(error: PolicyInvalid) -> ValidationFailed:
    return ValidationFailed(
        [
            FieldError(
                "yaml_text",
                "policy_invalid",
                gettext("line %(line)s: %(path)s: %(rule)s")
                % {"line": p.line, "path": p.path or gettext("(policy)"), "rule": p.rule},
            )
            for p in error.problems
        ]
    )


def create_policy_draft(actor: Any, yaml_text: str) -> PolicyVersion:
    """A new draft version from policy YAML, validated by the engine's schema (errors name line, path and rule)."""
    require_role(actor, *POLICY_AUTHORS)
    text = (yaml_text or "").strip()
    if not text:
        raise ValidationFailed.single("yaml_text", "required", gettext("Paste the policy's YAML text."))
    try:
        policy = policies.parse_policy_text(text + "\n", "uploaded policy")
    except PolicyInvalid as error:
        raise _invalid(error) from None
    if PolicyVersion.objects.filter(policy_id=policy.id, version=policy.version).exists():
        raise ValidationFailed.single(
            "yaml_text",
            "unique",
            gettext("%(policy)s already has a version '%(version)s'; give the new one its own.")
            % {"policy": policy.id, "version": policy.version},
        )
    with transaction.atomic():
        version = PolicyVersion.objects.create(
            policy_id=policy.id,
            version=policy.version,
            title_en=policy.title.en,
            title_ru=policy.title.ru,
            effective_from=policy.effective_from,
            effective_to=policy.effective_to,
            yaml_text=text + "\n",
            source="uploaded",
            author=actor,
        )
        audit.record(actor, "policy_version.create", version, chain=chain_for_policy(policy.id), fields=["yaml_text"])
    return version


def _move_version(
    actor: Any, version_id: int, name: str, fields: list[str], *, signed_by: str | None = None
) -> PolicyVersion:
    """Run transition ``name`` on a policy version and audit it; ``signed_by`` names the field that records the actor."""
    with transaction.atomic():
        version = selectors.get_policy_version_for(actor, version_id)
        if signed_by is not None:
            setattr(version, signed_by, actor if getattr(actor, "is_authenticated", False) else None)
        from_state, to_state = run_transition(version, name, actor)
        audit.record(
            actor,
            f"policy_version.{name}",
            version,
            chain=chain_for_policy(version.policy_id),
            fields=["status", *fields],
            reason=f"{from_state} -> {to_state}",
        )
    return version


def review_policy_version(actor: Any, version_id: int) -> PolicyVersion:
    """A person other than the author marks a draft reviewed."""
    return _move_version(actor, version_id, "review", ["reviewed_by", "reviewed_at"], signed_by="reviewed_by")


def publish_policy_version(actor: Any, version_id: int) -> PolicyVersion:
    """A supervisor who did not review it publishes a reviewed version, once its impact has been previewed."""
    return _move_version(actor, version_id, "publish", ["published_by", "published_at"], signed_by="published_by")


def retire_policy_version(actor: Any, version_id: int) -> PolicyVersion:
    """A supervisor retires a published version: it assesses nobody any more (stored results stay)."""
    return _move_version(actor, version_id, "retire", [])


def load_shipped_policy_versions(using: str = "default") -> int:
    """Store every shipped policy file as a published version unless that version is stored already.

    Idempotent (runs after every ``migrate``); returns how many versions it added. A stored
    version is never overwritten: the database is the record of what assessed people.
    """
    from talentgate.engines.rules.registry import shipped_policies

    added = 0
    for shipped in shipped_policies():
        policy = shipped.policy
        if PolicyVersion.objects.using(using).filter(policy_id=policy.id, version=policy.version).exists():
            continue
        PolicyVersion.objects.using(using).create(
            policy_id=policy.id,
            version=policy.version,
            title_en=policy.title.en,
            title_ru=policy.title.ru,
            effective_from=policy.effective_from,
            effective_to=policy.effective_to,
            yaml_text=shipped.resource.read_text(encoding="utf-8"),
            source=SHIPPED_PREFIX + shipped.file,
            status=PolicyStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        added += 1
    return added


def set_programme_policy(actor: Any, programme_id: int, policy_id: str) -> ProgrammePolicy:
    """Configurers choose the policy a programme assesses its applications with (a published one)."""
    from talentgate.programmes.selectors import get_programme_for

    require_role(actor, Role.ADMINISTRATOR, Role.SUPERVISOR)
    programme = get_programme_for(actor, programme_id)
    if not PolicyVersion.objects.filter(policy_id=policy_id, status=PolicyStatus.PUBLISHED).exists():
        raise ValidationFailed.single(
            "policy_id",
            "not_published",
            gettext("No published policy has the id '%(policy)s'.") % {"policy": policy_id},
        )
    with transaction.atomic():
        link, _ = ProgrammePolicy.objects.update_or_create(programme=programme, defaults={"policy_id": policy_id})
        audit.record(actor, "programme.set_policy", link, chain=f"programme:{programme.pk}", fields=["policy_id"])
    return link


# --- assessing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolRow:
    """One person of a pool being assessed: the application it is stored against and its canonical profile."""

    application_id: int
    profile: Any


def _evaluate(policy: Policy, profiles: Sequence[Any], on: dt.date) -> PoolResult:
    return _derive_and_evaluate(policy, profiles, on)[1]


def _derive_and_evaluate(policy: Policy, profiles: Sequence[Any], on: dt.date) -> tuple[DerivedPool, PoolResult]:
    derived = derive_for_policy(policy, profiles, on, policies.derivation_context())
    return derived, evaluate_columns(derived.columns, policy)


def _stored_fields(
    result: PoolResult, i: int, hash_value: int, on: dt.date, notes: Sequence[str] = ()
) -> dict[str, Any]:
    explanation = result.explanation(i, hash_value)
    english = record_from_explanation(explanation, "", on, "en")
    russian = record_from_explanation(explanation, "", on, "ru")
    return {
        "policy_id": result.policy_id,
        "version": result.version,
        "on": on,
        "eligible": english["eligible"],
        "total": float(english["total"]),
        "groups": english["groups"],
        "categories": english["categories"],
        "gates": [
            {"gate": g["gate"], "passed": g["passed"], "reason": {"en": g["reason"], "ru": r["reason"]}}
            for g, r in zip(english["gates"], russian["gates"], strict=True)
        ],
        "factors": [
            {
                "factor": f["factor"],
                "group": f["group"],
                "points": f["points"],
                "rule": f["rule"],
                "reason": {"en": f["reason"], "ru": r["reason"]},
            }
            for f, r in zip(english["factors"], russian["factors"], strict=True)
        ],
        "missing": english["missing"],
        "notes": list(notes),
        "inputs_hash": english["inputs_hash"],
    }


def _store(
    actor: Any, rows: Sequence[PoolRow], version: PolicyVersion, on: dt.date, audit_each: bool = True
) -> list[Assessment]:
    """Assess ``rows`` together under ``version`` and store each result once (same inputs: the stored row).

    ``audit_each=False`` is for bulk system runs that record one audit entry for the whole run.
    """
    from talentgate.programmes.models import Application
    from talentgate.programmes.services import chain_for_profile

    derived, result = _derive_and_evaluate(policies.policy_of(version), [row.profile for row in rows], on)
    hashes = result.inputs_hash()
    # People with the same derived inputs (and notes) get the same stored fields: explain each once.
    explained: dict[tuple[int, tuple[str, ...]], dict[str, Any]] = {}
    notes = derived.notes_by_row()
    candidates = []
    for i, row in enumerate(rows):
        key = (int(hashes[i]), tuple(notes.get(i, ())))
        if key not in explained:
            explained[key] = _stored_fields(result, i, key[0], on, key[1])
        candidates.append(Assessment(application_id=row.application_id, **explained[key]))
    keys = {(a.application_id, a.inputs_hash) for a in candidates}
    existing = {
        (a.application_id, a.inputs_hash): a
        for a in Assessment.objects.filter(
            policy_id=version.policy_id, version=version.version, application_id__in=[r.application_id for r in rows]
        )
        if (a.application_id, a.inputs_hash) in keys
    }
    new = [a for a in candidates if (a.application_id, a.inputs_hash) not in existing]
    with transaction.atomic():
        Assessment.objects.bulk_create(new, batch_size=500)
        if not audit_each:
            return [existing.get((a.application_id, a.inputs_hash), a) for a in candidates]
        applications = Application.objects.select_related("profile").in_bulk([a.application_id for a in new])
        audit.record_many(
            actor,
            [
                audit.AuditEvent(
                    "assessment.create",
                    a,
                    chain_for_profile(applications[a.application_id].profile),
                    ["total", "eligible", "factors"],
                    f"{a.policy_id} {a.version}",
                )
                for a in new
            ],
        )
    return [existing.get((a.application_id, a.inputs_hash), a) for a in candidates]


def assess_application(actor: Any, application_id: int, on: dt.date | None = None) -> Assessment:
    """Assess one application under its programme's policy in force ``on`` (today); the stored row if unchanged.

    The application's owner (at submission) or programme staff may ask; the candidate's profile
    is read as it stands now.
    """
    from talentgate.candidates.selectors import to_canonical
    from talentgate.programmes.selectors import get_application_for

    application = get_application_for(actor, application_id)
    if not (is_programme_staff(actor) or application.profile.user_id == getattr(actor, "pk", None)):
        raise PermissionRefused(
            gettext("Only the candidate or programme staff may have an application assessed."), rule="role"
        )
    if application.status == "draft":
        raise ValidationFailed.single(
            "status", "not_submitted", gettext("A draft application is assessed once it is submitted.")
        )
    day = on or today()
    version = policies.published_version(policies.policy_id_for_programme(application.programme_id), day)
    (stored,) = _store(actor, [PoolRow(application.pk, to_canonical(application.profile))], version, day)
    return stored


def pool_applications(programme_id: int) -> Any:
    """A programme's current pool: its submitted applications that are still open, erased people left out."""
    from talentgate.programmes.models import Application

    return _without_erased(Application.objects.filter(programme_id=programme_id, status__in=POOL_STATUSES))


def _without_erased(applications: Any) -> Any:
    """Leave out the applications of erased people: their rows stay for the counts, but nothing is left to
    assess (the erasure overwrote the profile) and they must not be ranked or invited."""
    from talentgate.candidates.models import ERASED_EXTERNAL_ID_PREFIX

    return applications.exclude(profile__external_id__startswith=ERASED_EXTERNAL_ID_PREFIX)


def _pool_rows(applications: Any, chunk_size: int) -> Iterable[list[PoolRow]]:
    """The pool's rows in chunks, each chunk's profiles read with one query per profile table."""
    from talentgate.candidates.models import Profile
    from talentgate.candidates.selectors import canonical_profiles

    by_external = dict(applications.values_list("profile__external_id", "pk"))
    profiles = Profile.objects.filter(external_id__in=list(by_external))
    chunk: list[PoolRow] = []
    for profile in canonical_profiles(profiles, chunk_size=min(chunk_size, 1000)):
        chunk.append(PoolRow(by_external[profile.id], profile))
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def reassess_pool(actor: Any, programme_id: int, policy_id: str | None = None) -> Any:
    """Queue the reassessment of a programme's whole pool (officers and supervisors); returns the :class:`Job`.

    ``policy_id`` defaults to the programme's policy; the version is the one in force today.
    The job's ``done`` counts applications assessed; its result says how many new results were stored.
    """
    from talentgate.assessment.tasks import reassess_pool_task
    from talentgate.programmes.selectors import get_programme_for

    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    programme = get_programme_for(actor, programme_id)
    chosen = (policy_id or "").strip() or policies.policy_id_for_programme(programme.pk)
    day = today()
    try:
        policies.published_version(chosen, day)
    except NotFound:
        raise ValidationFailed.single(
            "policy_id",
            "not_published",
            gettext("No published version of '%(policy)s' is in force on %(date)s.")
            % {"policy": chosen, "date": day.isoformat()},
        ) from None
    job = jobs.start_job("assessment.reassess_pool", started_by=actor, total=pool_applications(programme.pk).count())
    audit.record(
        actor, "assessment.reassess_pool", job, chain=f"programme:{programme.pk}", fields=["policy_id"], reason=chosen
    )
    result = reassess_pool_task.enqueue(job.pk, programme.pk, chosen, day.isoformat(), getattr(actor, "pk", None))
    job.task_result_id = str(result.id)
    job.save(update_fields=["task_result_id"])
    return job


def get_reassessment_job(actor: Any, job_id: int) -> Any:
    """A pool reassessment job (programme staff only; any other job or person: ``NotFound``)."""
    from talentgate.common.models import Job

    job = Job.objects.filter(pk=job_id, kind="assessment.reassess_pool").first()
    if job is None or not is_programme_staff(actor):
        raise NotFound("job")
    return job


def run_pool_reassessment(
    job_id: int, programme_id: int, policy_id: str, on: dt.date, actor: Any, chunk_size: int = CHUNK_SIZE
) -> dict[str, Any]:
    """The work of :func:`reassess_pool` (run by the task worker): vectorized per chunk, progress on the job."""
    version = policies.published_version(policy_id, on)
    return _assess_applications(
        actor, pool_applications(programme_id), version, on, chunk_size, lambda n: jobs.advance(job_id, n)
    )


def _assess_applications(
    actor: Any,
    applications: Any,
    version: PolicyVersion,
    on: dt.date,
    chunk_size: int,
    on_chunk: Callable[[int], None] | None = None,
    audit_each: bool = True,
) -> dict[str, Any]:
    """Assess ``applications`` under ``version`` chunk by chunk (vectorized per chunk); what was stored."""
    stored = 0
    before = Assessment.objects.filter(policy_id=version.policy_id, version=version.version).count()
    for chunk in _pool_rows(applications, chunk_size):
        _store(actor, chunk, version, on, audit_each=audit_each)
        stored += len(chunk)
        if on_chunk is not None:
            on_chunk(len(chunk))
    new = Assessment.objects.filter(policy_id=version.policy_id, version=version.version).count() - before
    return {
        "policy": version.policy_id,
        "version": version.version,
        "on": on.isoformat(),
        "assessed": stored,
        "new": new,
    }


def assess_unassessed_pool(programme_id: int, on: dt.date, chunk_size: int = CHUNK_SIZE) -> dict[str, Any]:
    """Assess, as the system, the pool applications of a programme that have no assessment yet.

    For bulk loads that write applications past submission without the submission hook (the
    demo loader): the programme's policy in force ``on``, the same vectorized path as
    :func:`run_pool_reassessment`; running it again assesses nobody twice. One audit entry on the
    programme's chain records the run (one per assessment dominated a bulk load's time).
    """
    from talentgate.programmes.models import Programme

    programme = Programme.objects.get(pk=programme_id)
    version = policies.published_version(policies.policy_id_for_programme(programme_id), on)
    unassessed = pool_applications(programme_id).filter(assessments__isnull=True)
    outcome = _assess_applications(None, unassessed, version, on, chunk_size, audit_each=False)
    with transaction.atomic():
        audit.record(
            None,
            "assessment.assess_pool",
            programme,
            chain=f"programme:{programme_id}",
            fields=["assessments"],
            reason=f"{outcome['new']} new assessments under {version.policy_id} {version.version} on {on.isoformat()}",
        )
    return outcome


# --- impact preview -----------------------------------------------------------------------------


def _all_pool_rows(chunk_size: int) -> Iterable[list[PoolRow]]:
    from talentgate.programmes.models import Application

    return _pool_rows(_without_erased(Application.objects.filter(status__in=POOL_STATUSES)), chunk_size)


def _histogram(shift: np.ndarray) -> list[dict[str, float]]:
    if shift.size == 0:
        return []
    low = int(np.floor(shift.min() / SHIFT_BIN) * SHIFT_BIN)
    high = int(np.floor(shift.max() / SHIFT_BIN) * SHIFT_BIN) + SHIFT_BIN
    edges = np.arange(low, high + SHIFT_BIN, SHIFT_BIN)
    counts, _ = np.histogram(shift, bins=edges)
    return [{"from": float(edges[i]), "to": float(edges[i + 1]), "count": int(c)} for i, c in enumerate(counts) if c]


def impact_preview(actor: Any, version_id: int) -> dict[str, Any]:
    """How publishing a version would move the current pool, against the published version it would replace.

    Counts candidates who become eligible or ineligible and who change category; the score
    shift's mean, median, extremes and a histogram. Stored on the version (publishing needs it).
    """
    require_role(actor, *POLICY_AUTHORS)
    version = selectors.get_policy_version_for(actor, version_id)
    candidate_policy = policies.policy_of(version)
    on = max(today(), version.effective_from)
    if version.effective_to is not None and on > version.effective_to:
        on = version.effective_to
    try:
        baseline_row: PolicyVersion | None = policies.published_version(version.policy_id, on)
    except NotFound:
        baseline_row = None
    if baseline_row is not None and baseline_row.pk == version.pk:
        baseline_row = None
    baseline = policies.policy_of(baseline_row) if baseline_row else None
    shifts, became_eligible, became_ineligible, category_changes, pool = [], 0, 0, 0, 0
    eligible_after = 0
    for chunk in _all_pool_rows(CHUNK_SIZE):
        profiles = [row.profile for row in chunk]
        after = _evaluate(candidate_policy, profiles, on)
        pool += len(chunk)
        eligible_after += int(after.eligible.sum())
        if baseline is None:
            continue
        before = _evaluate(baseline, profiles, on)
        shifts.append(after.total.astype(float) - before.total.astype(float))
        became_eligible += int((after.eligible & ~before.eligible).sum())
        became_ineligible += int((~after.eligible & before.eligible).sum())
        for i in range(len(chunk)):
            now = {c for c, mask in after.categories.items() if mask[i]}
            was = {c for c, mask in before.categories.items() if mask[i]}
            category_changes += now != was
    shift = np.concatenate(shifts) if shifts else np.zeros(0)
    impact: dict[str, Any] = {
        "on": on.isoformat(),
        "pool": pool,
        "baseline": f"{baseline_row.policy_id} {baseline_row.version}" if baseline_row else None,
        "eligible_after": eligible_after,
        "became_eligible": became_eligible,
        "became_ineligible": became_ineligible,
        "category_changes": category_changes,
        "score_shift": {
            "mean": round(float(shift.mean()), 2) if shift.size else 0.0,
            "median": float(np.median(shift)) if shift.size else 0.0,
            "min": float(shift.min()) if shift.size else 0.0,
            "max": float(shift.max()) if shift.size else 0.0,
            "histogram": _histogram(shift),
        },
    }
    with transaction.atomic():
        PolicyVersion.objects.filter(pk=version.pk).update(impact=impact, impact_at=timezone.now())
        audit.record(
            actor,
            "policy_version.impact_preview",
            version,
            chain=chain_for_policy(version.policy_id),
            fields=["impact"],
        )
    return impact


# --- where would I qualify? ---------------------------------------------------------------------


def compare_policies(
    actor: Any, profile_external_id: str | None = None, on: dt.date | None = None
) -> list[dict[str, Any]]:
    """The profile assessed under every published policy in force (``on``, default today), side by side.

    A candidate compares their own profile (``profile_external_id`` omitted); programme staff name
    any profile. Nothing is stored: this is a what-if for the person, not a programme decision.
    """
    from talentgate.candidates.selectors import get_own_profile, get_profile_for, to_canonical

    if profile_external_id is None:
        profile = get_own_profile(actor)
    else:
        if role_of(actor) is Role.CANDIDATE:
            own = get_own_profile(actor)
            if own.external_id != profile_external_id:
                raise NotFound("profile")
        profile = get_profile_for(actor, profile_external_id)
    canonical = to_canonical(profile)
    day = on or today()
    rows = []
    for version in policies.published_in_force(day):
        policy = policies.policy_of(version)
        derived, result = _derive_and_evaluate(policy, [canonical], day)
        fields = _stored_fields(result, 0, int(result.inputs_hash()[0]), day, derived.notes_for(0))
        labels = {c.id: {"en": c.label.en, "ru": c.label.ru} for c in policy.categories}
        rows.append(
            {
                "policy": policy.id,
                "version": policy.version,
                "title": {"en": policy.title.en, "ru": policy.title.ru},
                "max_total": policy.max_total,
                "thresholds": [
                    {"threshold": t.id, "min_total": t.min_total, "reached": bool(result.thresholds[t.id][0])}
                    for t in policy.thresholds
                ],
                "category_labels": [labels[c] for c in fields["categories"]],
                **fields,
            }
        )
    return rows
