"""Assessment refusals are marked for translation: guard texts are lazy, raised messages are plain text."""

from __future__ import annotations

import pytest
from django.utils.functional import Promise

from talentgate.assessment import guards, services
from talentgate.common.errors import PermissionRefused, TransitionRefused, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "rule",
    [
        guards.REVIEWER_ROLE,
        guards.NOT_THE_AUTHOR,
        guards.SUPERVISOR_ROLE,
        guards.PUBLISHER_ROLE,
        guards.NOT_THE_REVIEWER,
        guards.IMPACT_PREVIEWED,
        guards.NO_PUBLISHED_OVERLAP,
        guards.ROUND_OFFICER_ROLE,
        guards.NOT_THE_DEFINER,
        guards.APPROVER_ROLE,
    ],
)
def test_guard_texts_are_lazy_translations(rule):
    assert isinstance(rule.needs, Promise)


def test_a_guard_refusal_renders_its_lazy_text_when_raised(make_user, administrator, programme):
    from talentgate.accounts.roles import Role
    from talentgate.assessment.models import PolicyVersion

    shipped = PolicyVersion.objects.get(policy_id="programme-merit", version="2026-01-01")
    text = shipped.yaml_text.replace("id: programme-merit", "id: refusal-merit", 1)
    draft = services.create_policy_draft(administrator, text)
    with pytest.raises((PermissionRefused, TransitionRefused)) as refused:
        services.review_policy_version(administrator, draft.pk)
    [error] = refused.value.errors
    assert type(error.message) is str
    assert "a reviewer who is not the author of this version" in error.message
    with pytest.raises(ValidationFailed) as bad:
        services.set_programme_policy(make_user(Role.SUPERVISOR), programme.pk, "nope")
    assert type(bad.value.errors[0].message) is str


def test_service_refusals_are_plain_text_with_their_values_filled_in(administrator):
    with pytest.raises(ValidationFailed) as empty:
        services.create_policy_draft(administrator, "  ")
    [error] = empty.value.errors
    assert (error.field, error.rule, error.message) == ("yaml_text", "required", "Paste the policy's YAML text.")
