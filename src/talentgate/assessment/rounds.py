"""Selection rounds: define, preview as a what-if, approve (a second person), run once; and the fairness report.

A round ranks a programme's *assessed* applications by their stored assessment under the round's
policy version (eligible only, in the round's category if it names one), highest total first,
ties broken by submission time (earlier first), then invites the first ``invitations`` of them or
everyone at or above ``cutoff``. Running writes one :class:`RoundInvitation` per application
together with its move to "invited" (``programmes.services.invite_applicant``), each in its own
savepoint: an application the programme refuses to invite (e.g. four-eyes) is reported and
skipped, never half-invited. A round runs once; a second run is refused, and an application is
never invited by two rounds (a unique constraint), so running twice invites nobody twice.

The fairness report shows score distributions of the ranked pool and of those invited by UN M49
world region (of residence) and by sex. Neither is ever an input of a shipped policy; the report
exists to show that.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext

from talentgate.accounts.roles import Role
from talentgate.assessment import policies, selectors
from talentgate.assessment.models import (
    Assessment,
    PolicyStatus,
    PolicyVersion,
    RoundInvitation,
    RoundStatus,
    SelectionRound,
)
from talentgate.common import audit
from talentgate.common.access import require_role
from talentgate.common.errors import Conflict, DomainError, FieldError, ValidationFailed
from talentgate.common.workflow import run_transition, validation_errors

#: Bins of the score histogram of a preview.
HISTOGRAM_BINS = 12
UNKNOWN = "unknown"
ROUND_FIELDS = frozenset({"programme_id", "name", "policy_id", "version", "category", "invitations", "cutoff"})


def chain_for_round(selection_round: SelectionRound) -> str:
    return f"programme:{selection_round.programme_id}"


def define_round(actor: Any, **fields: Any) -> SelectionRound:
    """An officer defines a round: programme, name, policy (and version: the one in force today by default),
    optional category, and either a number of invitations or a cutoff score."""
    from talentgate.programmes.selectors import get_programme_for

    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    errors = [
        FieldError(k, "unknown_field", gettext("'%(field)s' is not a field of a round.") % {"field": k})
        for k in sorted(set(fields) - ROUND_FIELDS)
    ]
    values = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items() if k in ROUND_FIELDS}
    programme_id = values.get("programme_id")
    if programme_id in (None, ""):
        errors.append(FieldError("programme_id", "required", gettext("Choose the programme the round draws from.")))
    policy_id = values.get("policy_id") or ""
    version_name = values.get("version") or ""
    version: PolicyVersion | None = None
    if not policy_id:
        errors.append(FieldError("policy_id", "required", gettext("Choose the policy the round ranks by.")))
    elif version_name:
        version = PolicyVersion.objects.filter(
            policy_id=policy_id, version=version_name, status=PolicyStatus.PUBLISHED
        ).first()
        if version is None:
            errors.append(
                FieldError(
                    "version",
                    "not_published",
                    gettext("%(policy)s has no published version '%(version)s'.")
                    % {"policy": policy_id, "version": version_name},
                )
            )
    else:
        try:
            version = policies.published_version(policy_id, policies_today())
        except DomainError:
            errors.append(
                FieldError(
                    "policy_id",
                    "not_published",
                    gettext("No published version of '%(policy)s' is in force today.") % {"policy": policy_id},
                )
            )
    category = values.get("category") or ""
    if version is not None and category:
        known = [c.id for c in policies.policy_of(version).categories]
        if category not in known:
            errors.append(
                FieldError(
                    "category",
                    "unknown_category",
                    gettext("%(policy)s has no category '%(category)s' (it has: %(known)s).")
                    % {"policy": policy_id, "category": category, "known": ", ".join(known) or gettext("none")},
                )
            )
    invitations, cutoff = values.get("invitations"), values.get("cutoff")
    if invitations in ("", None) and cutoff in ("", None):
        errors.append(
            FieldError(
                "invitations", "invitations_or_cutoff", gettext("Give a number of invitations or a cutoff score.")
            )
        )
    elif invitations not in ("", None) and cutoff not in ("", None):
        errors.append(
            FieldError(
                "cutoff", "invitations_or_cutoff", gettext("Give a number of invitations or a cutoff score, not both.")
            )
        )
    if errors:
        raise ValidationFailed(errors)
    programme = get_programme_for(actor, int(programme_id))  # type: ignore[arg-type]
    assert version is not None
    selection_round = SelectionRound(
        programme=programme,
        name=values.get("name") or "",
        policy_id=version.policy_id,
        version=version.version,
        category=category,
        invitations=None if invitations in ("", None) else invitations,
        cutoff=None if cutoff in ("", None) else cutoff,
        defined_by=actor,
    )
    problems = validation_errors(selection_round, exclude=["defined_by", "programme"])
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        selection_round.save()
        audit.record(
            actor,
            "round.define",
            selection_round,
            chain=chain_for_round(selection_round),
            fields=sorted(ROUND_FIELDS - {"programme_id"}),
        )
    return selection_round


def policies_today() -> Any:
    from talentgate.assessment.services import today

    return today()


def ranked_pool(selection_round: SelectionRound) -> tuple[list[dict[str, Any]], int]:
    """The round's ranked pool (eligible, in the category) and how many assessed applications had no result
    under its version. Each entry: application id, total, categories, sector code, submitted_at."""
    from talentgate.programmes.models import Application

    latest = Assessment.objects.filter(
        application=OuterRef("pk"), policy_id=selection_round.policy_id, version=selection_round.version
    ).order_by("-created_at", "-pk")
    applications = (
        Application.objects.filter(programme_id=selection_round.programme_id, status="assessed")
        .annotate(assessment_id=Subquery(latest.values("pk")[:1]))
        .values("pk", "submitted_at", "assessment_id", "sector_preference__code")
    )
    rows = list(applications)
    results = Assessment.objects.in_bulk([r["assessment_id"] for r in rows if r["assessment_id"]])
    pool, not_assessed = [], 0
    for row in rows:
        found = results.get(row["assessment_id"])
        if found is None:
            not_assessed += 1
            continue
        if not found.eligible or (selection_round.category and selection_round.category not in found.categories):
            continue
        pool.append(
            {
                "application": row["pk"],
                "total": found.total,
                "categories": list(found.categories),
                "sector": row["sector_preference__code"] or UNKNOWN,
                "submitted_at": row["submitted_at"],
            }
        )
    # Highest total first; ties go to the earlier submission, then the older application.
    pool.sort(key=lambda r: (-r["total"], r["submitted_at"] is None, r["submitted_at"], r["application"]))
    return pool, not_assessed


def _selected(selection_round: SelectionRound, pool: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if selection_round.invitations is not None:
        return pool[: selection_round.invitations]
    cutoff = selection_round.cutoff if selection_round.cutoff is not None else float("inf")
    return [row for row in pool if row["total"] >= cutoff]


def _counts(rows: list[dict[str, Any]], key: str) -> Counter[str]:
    counter: Counter[str] = Counter()
    for row in rows:
        values = row[key] if isinstance(row[key], list) else [row[key]]
        counter.update(values or ["none"])
    return counter


def _histogram(pool: list[dict[str, Any]], invited: set[int]) -> list[dict[str, Any]]:
    if not pool:
        return []
    low, high = min(r["total"] for r in pool), max(r["total"] for r in pool)
    width = max((high - low) / HISTOGRAM_BINS, 1.0)
    bins = [
        {"from": low + i * width, "to": low + (i + 1) * width, "pool": 0, "invited": 0} for i in range(HISTOGRAM_BINS)
    ]
    for row in pool:
        index = min(int((row["total"] - low) / width), HISTOGRAM_BINS - 1)
        bins[index]["pool"] += 1
        bins[index]["invited"] += row["application"] in invited
    return bins


def what_if(selection_round: SelectionRound) -> dict[str, Any]:
    """The round's outcome if it ran now: invited count, cutoff, distributions by sector and category, histogram."""
    pool, not_assessed = ranked_pool(selection_round)
    chosen = _selected(selection_round, pool)
    invited_ids = {row["application"] for row in chosen}
    by_sector_pool, by_sector_invited = _counts(pool, "sector"), _counts(chosen, "sector")
    by_category_pool, by_category_invited = _counts(pool, "categories"), _counts(chosen, "categories")
    return {
        "pool": len(pool),
        "not_assessed": not_assessed,
        "invited": len(chosen),
        "cutoff": chosen[-1]["total"] if chosen else None,
        "by_sector": [
            {"sector": key, "pool": by_sector_pool[key], "invited": by_sector_invited.get(key, 0)}
            for key in sorted(by_sector_pool)
        ],
        "by_category": [
            {"category": key, "pool": by_category_pool[key], "invited": by_category_invited.get(key, 0)}
            for key in sorted(by_category_pool)
        ],
        "histogram": _histogram(pool, invited_ids),
    }


def _move(actor: Any, selection_round: SelectionRound, name: str, fields: list[str]) -> None:
    from_state, to_state = run_transition(selection_round, name, actor)
    audit.record(
        actor,
        f"round.{name}",
        selection_round,
        chain=chain_for_round(selection_round),
        fields=["status", *fields],
        reason=f"{from_state} -> {to_state}",
    )


def preview_round(actor: Any, round_id: int) -> SelectionRound:
    """Compute and keep the what-if of a draft (or previewed) round; it is then ready for approval."""
    selection_round = selectors.get_round_for(actor, round_id)
    with transaction.atomic():
        selection_round.preview = what_if(selection_round)
        _move(actor, selection_round, "mark_previewed", ["preview", "previewed_at"])
    return selection_round


def approve_round(actor: Any, round_id: int) -> SelectionRound:
    """A supervisor who did not define the round approves its previewed what-if."""
    selection_round = selectors.get_round_for(actor, round_id)
    selection_round.approved_by = actor
    with transaction.atomic():
        _move(actor, selection_round, "approve", ["approved_by", "approved_at"])
    return selection_round


def run_round(actor: Any, round_id: int) -> SelectionRound:
    """Run an approved round once: invite the selected applications, recording each invitation with its move."""
    from talentgate.programmes.services import invite_applicant

    selection_round = selectors.get_round_for(actor, round_id)
    if selection_round.status == RoundStatus.RUN:
        raise Conflict(
            "status", "already_run", gettext("This round has already run; running it again would invite nobody.")
        )
    with transaction.atomic():
        pool, not_assessed = ranked_pool(selection_round)
        chosen = _selected(selection_round, pool)
        selection_round.run_by = actor
        _move(actor, selection_round, "mark_run", ["run_by", "run_at", "result"])
        invited, skipped = [], []
        for rank, row in enumerate(chosen, start=1):
            try:
                with transaction.atomic():
                    RoundInvitation.objects.create(
                        round=selection_round, application_id=row["application"], rank=rank, total=row["total"]
                    )
                    invite_applicant(actor, row["application"])
            except IntegrityError:
                skipped.append(
                    {
                        "application": row["application"],
                        "rule": "already_invited",
                        "message": "already invited by a round",
                    }
                )
            except DomainError as error:
                first = error.errors[0] if error.errors else FieldError("", "refused", str(error))
                skipped.append({"application": row["application"], "rule": first.rule, "message": first.message})
            else:
                invited.append(row["application"])
        selection_round.result = {
            "invited": len(invited),
            "skipped": skipped,
            "not_assessed": not_assessed,
            "cutoff": chosen[-1]["total"] if chosen else None,
            "pool": [[row["application"], row["total"], row["application"] in set(invited)] for row in pool],
        }
        selection_round.save(update_fields=["result"])
    return selection_round


def _distribution(totals: list[float]) -> dict[str, Any]:
    if not totals:
        return {"count": 0, "mean": None, "min": None, "q1": None, "median": None, "q3": None, "max": None}
    ordered = sorted(totals)
    quartiles = statistics.quantiles(ordered, n=4, method="inclusive") if len(ordered) > 1 else [ordered[0]] * 3
    return {
        "count": len(ordered),
        "mean": round(statistics.fmean(ordered), 2),
        "min": ordered[0],
        "q1": quartiles[0],
        "median": quartiles[1],
        "q3": quartiles[2],
        "max": ordered[-1],
    }


def _groups(pool: list[list[Any]], key_of: Mapping[int, str]) -> list[dict[str, Any]]:
    keys = sorted({key_of.get(app, UNKNOWN) for app, _, _ in pool})
    out = []
    for key in keys:
        rows = [(total, invited) for app, total, invited in pool if key_of.get(app, UNKNOWN) == key]
        chosen = [total for total, invited in rows if invited]
        out.append(
            {
                "group": key,
                "pool": _distribution([total for total, _ in rows]),
                "invited": _distribution(chosen),
                "invited_share": round(len(chosen) / len(rows), 4) if rows else 0.0,
            }
        )
    return out


def round_fairness(actor: Any, round_id: int) -> dict[str, Any]:
    """Score distributions of a run round's ranked pool and invitees by world region (of residence) and by sex."""
    from talentgate.programmes.models import Application
    from talentgate.reference.models import Country

    selection_round = selectors.get_round_for(actor, round_id)
    if selection_round.status != RoundStatus.RUN:
        raise Conflict(
            "status", "not_run", gettext("The fairness report is made from a round that has run; run it first.")
        )
    pool = selection_round.result.get("pool", [])
    people = Application.objects.filter(pk__in=[row[0] for row in pool]).values_list(
        "pk", "profile__sex", "profile__residence_country"
    )
    regions = dict(Country.objects.values_list("iso_alpha2", "region"))
    by_sex = {pk: sex or UNKNOWN for pk, sex, _ in people}
    by_region = {pk: regions.get(country or "", "") or UNKNOWN for pk, _, country in people}
    return {
        "round": selection_round.pk,
        "policy": selection_round.policy_id,
        "version": selection_round.version,
        "by_region": _groups(pool, by_region),
        "by_sex": _groups(pool, by_sex),
        "note": "World region and sex are never inputs of a shipped policy; this report shows how scores fall across them.",
    }
