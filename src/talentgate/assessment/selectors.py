"""Every read of policy versions, assessments and selection rounds that leaves the app, with its access check.

Who sees what: programme staff (officers, supervisors, administrators) see every policy version,
assessment and round; any other signed-in person sees published policy versions only (a policy
is public law or published programme rules); a candidate sees the assessments of their own
applications; nobody else sees assessments or rounds.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from talentgate.accounts.roles import Role
from talentgate.assessment.models import Assessment, PolicyStatus, PolicyVersion, RoundInvitation, SelectionRound
from talentgate.common.access import is_programme_staff, role_of
from talentgate.common.errors import NotFound, PermissionRefused

LANGUAGES = ("en", "ru")


def policy_versions_visible_to(actor: Any) -> QuerySet[PolicyVersion]:
    """Policy versions ``actor`` may see: all for programme staff, published ones for anyone else signed in."""
    if is_programme_staff(actor):
        return PolicyVersion.objects.all()
    if role_of(actor) is not None:
        return PolicyVersion.objects.filter(status=PolicyStatus.PUBLISHED)
    return PolicyVersion.objects.none()


def get_policy_version_for(actor: Any, version_id: int) -> PolicyVersion:
    version = policy_versions_visible_to(actor).filter(pk=version_id).first()
    if version is None:
        raise NotFound("policy version")
    return version


def published_overlapping(version: PolicyVersion) -> QuerySet[PolicyVersion]:
    """Other published versions of the same policy whose dates overlap ``version``'s."""
    overlapping = PolicyVersion.objects.filter(policy_id=version.policy_id, status=PolicyStatus.PUBLISHED).exclude(
        pk=version.pk
    )
    overlapping = overlapping.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=version.effective_from))
    if version.effective_to is not None:
        overlapping = overlapping.filter(effective_from__lte=version.effective_to)
    return overlapping


def assessments_visible_to(actor: Any) -> QuerySet[Assessment]:
    """Assessments ``actor`` may see: all for programme staff, a candidate's own applications' for them."""
    if is_programme_staff(actor):
        return Assessment.objects.all()
    if role_of(actor) is Role.CANDIDATE:
        return Assessment.objects.filter(application__profile__user=actor)
    return Assessment.objects.none()


def get_assessment_for(actor: Any, assessment_id: int) -> Assessment:
    found = assessments_visible_to(actor).select_related("application__programme").filter(pk=assessment_id).first()
    if found is None:
        raise NotFound("assessment")
    return found


def assessments_of_application(actor: Any, application_id: int) -> QuerySet[Assessment]:
    """The assessments of one application ``actor`` may see, newest first (``NotFound`` when it is not visible)."""
    from talentgate.programmes.selectors import get_application_for

    application = get_application_for(actor, application_id)
    return assessments_visible_to(actor).filter(application=application).order_by("-created_at", "-pk")


def latest_assessment(actor: Any, application_id: int) -> Assessment:
    """The newest assessment of an application ``actor`` may see; ``NotFound`` when it has none."""
    found = assessments_of_application(actor, application_id).first()
    if found is None:
        raise NotFound("assessment")
    return found


def explained(assessment: Assessment, lang: str) -> dict[str, Any]:
    """An assessment with its reasons in ``lang`` (``en`` or ``ru``; anything else reads English)."""
    lang = lang if lang in LANGUAGES else "en"
    return {
        "id": assessment.pk,
        "application_id": assessment.application_id,
        "policy": assessment.policy_id,
        "version": assessment.version,
        "on": assessment.on,
        "eligible": assessment.eligible,
        "total": assessment.total,
        "groups": assessment.groups,
        "categories": assessment.categories,
        "gates": [{**g, "reason": g["reason"][lang]} for g in assessment.gates],
        "factors": [{**f, "reason": f["reason"][lang]} for f in assessment.factors],
        "missing": assessment.missing,
        "notes": assessment.notes,
        "inputs_hash": assessment.inputs_hash,
        "created_at": assessment.created_at,
    }


def named(explanation: dict[str, Any], lang: str) -> dict[str, Any]:
    """An :func:`explained` assessment with the names its policy version gives, in ``lang``, beside the codes:
    each factor's ``group_name``, ``category_names`` and ``missing_names`` (a code the policy does not name,
    or a version no longer stored, keeps its code), for pages a candidate reads."""
    from talentgate.assessment import policies

    lang = lang if lang in LANGUAGES else "en"
    stored = PolicyVersion.objects.filter(policy_id=explanation["policy"], version=explanation["version"]).first()
    groups: dict[str, str] = {}
    categories: dict[str, str] = {}
    inputs: dict[str, str] = {}
    if stored is not None:
        policy = policies.policy_of(stored)
        groups = {group.id: getattr(group.label, lang) for group in policy.groups}
        categories = {category.id: getattr(category.label, lang) for category in policy.categories}
        inputs = {spec.name: getattr(spec.label, lang) for spec in policy.inputs}
    return {
        **explanation,
        "factors": [{**f, "group_name": groups.get(f["group"], f["group"])} for f in explanation["factors"]],
        "category_names": [categories.get(code, code) for code in explanation["categories"]],
        "missing_names": [inputs.get(code, code) for code in explanation["missing"]],
    }


def rounds_visible_to(actor: Any) -> QuerySet[SelectionRound]:
    """Selection rounds: programme staff only."""
    if is_programme_staff(actor):
        return SelectionRound.objects.select_related("programme")
    return SelectionRound.objects.none()


def rounds_listed_for(actor: Any) -> QuerySet[SelectionRound]:
    """The rounds list: programme staff only (anyone else is refused, 403, rather than shown an empty list)."""
    if not is_programme_staff(actor):
        raise PermissionRefused("Selection rounds are for programme staff.", rule="role")
    return rounds_visible_to(actor)


def get_round_for(actor: Any, round_id: int) -> SelectionRound:
    found = rounds_visible_to(actor).filter(pk=round_id).first()
    if found is None:
        raise NotFound("selection round")
    return found


def invitations_of_round(actor: Any, round_id: int) -> QuerySet[RoundInvitation]:
    """The invitations a round made, by rank."""
    selection_round = get_round_for(actor, round_id)
    return RoundInvitation.objects.filter(round=selection_round).select_related("application").order_by("rank")
