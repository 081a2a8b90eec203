"""The platform's policy registry: policy versions stored in the database, parsed once, and which is in force.

The engine's own registry (``engines.rules.registry``) reads the files shipped with the code;
the platform assesses only with *published* :class:`~talentgate.assessment.models.PolicyVersion`
rows (the shipped files are loaded as published on migrate), so a version written and published
in the platform takes effect without a release.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

from django.conf import settings
from django.db.models import Q

from talentgate.assessment.models import PolicyStatus, PolicyVersion, ProgrammePolicy
from talentgate.common.errors import NotFound
from talentgate.engines.rules.loader import load_policy
from talentgate.engines.rules.policy_inputs import DEFAULT_CONTEXT, DerivationContext
from talentgate.engines.rules.schema import Policy

#: The policy a programme without its own :class:`ProgrammePolicy` assesses with (the demo programme's).
DEFAULT_POLICY_ID = getattr(settings, "ASSESSMENT_DEFAULT_POLICY", "programme-merit")


@functools.lru_cache(maxsize=64)
def _parse(text_hash: str, text: str, name: str) -> Policy:
    return load_policy(name, text=text, name=name)


def parse_policy_text(text: str, name: str = "policy.yaml") -> Policy:
    """Validate and parse policy YAML; raises ``PolicyInvalid`` naming the line, path and rule."""
    return _parse(hashlib.sha256(text.encode()).hexdigest(), text, name)


def policy_of(version: PolicyVersion) -> Policy:
    """The parsed policy of a stored version (cached by the text's hash: versions are never edited)."""
    return parse_policy_text(version.yaml_text, f"{version.policy_id}/policy-{version.version}.yaml")


def published_version(policy_id: str, on: dt.date) -> PolicyVersion:
    """The published version of ``policy_id`` in force on ``on``; ``NotFound`` when there is none."""
    found = (
        PolicyVersion.objects.filter(policy_id=policy_id, status=PolicyStatus.PUBLISHED, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .first()
    )
    if found is None:
        # The noun is translated (context "object"); the policy id and the day are what the caller asked for.
        raise NotFound("policy version in force")
    return found


def published_in_force(on: dt.date) -> list[PolicyVersion]:
    """One published version per policy id, the one in force on ``on``, ordered by policy id."""
    rows = (
        PolicyVersion.objects.filter(status=PolicyStatus.PUBLISHED, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("policy_id", "-effective_from")
    )
    chosen: dict[str, PolicyVersion] = {}
    for row in rows:
        chosen.setdefault(row.policy_id, row)
    return list(chosen.values())


def policy_id_for_programme(programme_id: int) -> str:
    """The policy a programme assesses with: its :class:`ProgrammePolicy`, else :data:`DEFAULT_POLICY_ID`."""
    link = ProgrammePolicy.objects.filter(programme_id=programme_id).first()
    return link.policy_id if link else DEFAULT_POLICY_ID


def derivation_context() -> DerivationContext:
    """The programme configuration the derivations read: the priority sectors configured in the platform."""
    from talentgate.programmes.models import PrioritySector

    codes = tuple(PrioritySector.objects.order_by("code").values_list("code", flat=True))
    if not codes:
        return DEFAULT_CONTEXT
    return DerivationContext(priority_sectors=codes)
