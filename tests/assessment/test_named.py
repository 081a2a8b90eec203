"""An explained assessment named for its reader: the policy version's own names beside the codes."""

from __future__ import annotations

import pytest

from talentgate.assessment import selectors
from talentgate.assessment.models import PolicyVersion

pytestmark = pytest.mark.django_db


def _explanation(stored: PolicyVersion, **changes):
    return {
        "policy": stored.policy_id,
        "version": stored.version,
        "factors": [{"group": "knowledge"}, {"group": "no_such_group"}],
        "categories": ["space_industry_specialist"],
        "missing": ["granted_patents", "no_such_input"],
        **changes,
    }


def test_the_policy_names_its_groups_categories_and_inputs_in_the_readers_language():
    version = PolicyVersion.objects.get(policy_id="programme-merit", version="2026-01-01")
    russian = selectors.named(_explanation(version), "ru")
    assert [f["group_name"] for f in russian["factors"]] == ["Знания", "no_such_group"]
    assert russian["category_names"] == ["Специалист космической отрасли с предложением из приоритетной отрасли"]
    assert russian["missing_names"] == ["выданные патенты", "no_such_input"]
    assert selectors.named(_explanation(version), "de")["missing_names"][0] == "granted patents"


def test_a_version_no_longer_stored_keeps_the_codes():
    version = PolicyVersion.objects.get(policy_id="programme-merit", version="2026-01-01")
    named = selectors.named(_explanation(version, version="1999-01-01"), "en")
    assert [f["group_name"] for f in named["factors"]] == ["knowledge", "no_such_group"]
    assert named["missing_names"] == ["granted_patents", "no_such_input"]
