"""Policy versions: shipped ones loaded as published, drafts validated, draft -> reviewed -> published by two
different people after an impact preview, and no two published versions in force on one date."""

from __future__ import annotations

import pytest

from talentgate.assessment import selectors, services
from talentgate.assessment.models import PolicyStatus, PolicyVersion
from talentgate.common.errors import PermissionRefused, TransitionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.engines.rules.registry import shipped_policies

pytestmark = pytest.mark.django_db


def _next_merit_text(version="2027-01-01", effective_from="2027-01-01", priority_points=20):
    shipped = PolicyVersion.objects.get(policy_id="programme-merit", version="2026-01-01")
    text = shipped.yaml_text.replace('version: "2026-01-01"', f'version: "{version}"')
    text = text.replace("effective_from: 2026-01-01", f"effective_from: {effective_from}")
    return text.replace("values: [priority], points: 20,", f"values: [priority], points: {priority_points},")


def test_every_shipped_policy_file_is_stored_as_published_and_loading_again_adds_nothing():
    stored = {(v.policy_id, v.version): v for v in PolicyVersion.objects.all()}
    shipped = {(s.policy.id, s.policy.version) for s in shipped_policies()}
    assert shipped <= set(stored)
    assert {stored[key].status for key in shipped} == {PolicyStatus.PUBLISHED}
    assert stored[("canada-crs", "2020-10-27")].source == "shipped:canada-crs/policy-2020-10-27.yaml"
    assert services.load_shipped_policy_versions() == 0
    assert PolicyVersion.objects.count() == len(stored)


def test_a_draft_is_validated_and_its_errors_name_line_path_and_rule(officer):
    text = _next_merit_text().replace("max_total: 100", "max_total: -5")
    with pytest.raises(ValidationFailed) as refused:
        services.create_policy_draft(officer, text)
    error = refused.value.errors[0]
    assert (error.field, error.rule) == ("yaml_text", "policy_invalid")
    assert "max_total" in error.message
    assert error.message.startswith("line ")
    assert not PolicyVersion.objects.filter(version="2027-01-01").exists()


def test_a_draft_cannot_reuse_a_stored_version(officer):
    shipped = PolicyVersion.objects.get(policy_id="programme-merit", version="2026-01-01")
    with pytest.raises(ValidationFailed) as refused:
        services.create_policy_draft(officer, shipped.yaml_text)
    assert refused.value.errors[0].rule == "unique"


def test_candidates_may_not_write_policies(make_user):
    from talentgate.accounts.roles import Role

    with pytest.raises(PermissionRefused):
        services.create_policy_draft(make_user(Role.CANDIDATE), _next_merit_text())


def test_review_needs_someone_other_than_the_author(officer, second_officer):
    draft = services.create_policy_draft(officer, _next_merit_text())
    with pytest.raises(PermissionRefused) as refused:
        services.review_policy_version(officer, draft.pk)
    assert refused.value.errors[0].rule == "four_eyes"
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.DRAFT
    reviewed = services.review_policy_version(second_officer, draft.pk)
    assert (reviewed.status, reviewed.reviewed_by) == (PolicyStatus.REVIEWED, second_officer)


def test_publishing_needs_an_impact_preview_and_a_supervisor_who_did_not_review(
    officer, supervisor, second_supervisor, make_application
):
    make_application()
    draft = services.create_policy_draft(officer, _next_merit_text(effective_from="2026-12-01"))
    services.review_policy_version(supervisor, draft.pk)
    with pytest.raises(TransitionRefused) as refused:
        services.publish_policy_version(second_supervisor, draft.pk)
    assert refused.value.errors[0].rule == "impact_previewed"
    services.impact_preview(officer, draft.pk)
    with pytest.raises(PermissionRefused) as refused:
        services.publish_policy_version(supervisor, draft.pk)
    assert refused.value.errors[0].rule == "four_eyes"
    with pytest.raises(PermissionRefused):
        services.publish_policy_version(officer, draft.pk)
    # The shipped 2026-01-01 version is open-ended: the new one overlaps it until it is retired.
    with pytest.raises(TransitionRefused) as refused:
        services.publish_policy_version(second_supervisor, draft.pk)
    assert refused.value.errors[0].rule == "effective_dates_overlap"
    shipped = PolicyVersion.objects.get(policy_id="programme-merit", version="2026-01-01")
    services.retire_policy_version(second_supervisor, shipped.pk)
    published = services.publish_policy_version(second_supervisor, draft.pk)
    assert (published.status, published.published_by) == (PolicyStatus.PUBLISHED, second_supervisor)
    actions = list(AuditEntry.objects.filter(chain="policy:programme-merit").values_list("action", flat=True))
    assert actions == [
        "policy_version.create",
        "policy_version.review",
        "policy_version.impact_preview",
        "policy_version.retire",
        "policy_version.publish",
    ]


def test_impact_preview_counts_changes_against_the_published_version(officer, make_application):
    for years in (1, 3, 12):
        make_application(years=years)
    make_application(sector="banking", years=5)
    # 30 instead of 20 points for a priority profession, under the profession group's cap of 30: the
    # space engineers had 20 + 4, 20 + 7 and 20 + 12 (capped 30), so they gain 6, 3 and 0; the banker 0.
    draft = services.create_policy_draft(officer, _next_merit_text(effective_from="2026-12-01", priority_points=30))
    impact = services.impact_preview(officer, draft.pk)
    assert impact["pool"] == 4
    assert impact["baseline"] == "programme-merit 2026-01-01"
    assert (impact["became_eligible"], impact["became_ineligible"], impact["category_changes"]) == (0, 0, 0)
    shifts = impact["score_shift"]
    assert (shifts["min"], shifts["median"], shifts["mean"], shifts["max"]) == (0.0, 1.5, 2.25, 6.0)
    assert sum(b["count"] for b in shifts["histogram"]) == 4
    draft.refresh_from_db()
    assert draft.impact == impact
    assert draft.impact_at is not None


def test_non_staff_see_only_published_versions(officer, make_user):
    from talentgate.accounts.roles import Role

    draft = services.create_policy_draft(officer, _next_merit_text())
    candidate = make_user(Role.CANDIDATE)
    assert draft not in selectors.policy_versions_visible_to(candidate)
    assert draft in selectors.policy_versions_visible_to(officer)
    assert selectors.policy_versions_visible_to(None).count() == 0


def test_an_erased_person_leaves_the_pool_and_the_impact_preview(officer, make_application):
    """Erasure keeps the application row (the counts stay true) but overwrites the profile with placeholders
    that no policy can read: the pool, the preview and the reassessment leave the person out."""
    from talentgate.privacy.services import erase_person

    kept, _ = make_application(years=3)
    erased, _ = make_application(years=12)
    erase_person(officer, erased.profile_id)

    assert list(services.pool_applications(kept.programme_id)) == [kept]
    draft = services.create_policy_draft(officer, _next_merit_text(effective_from="2026-12-01", priority_points=30))
    impact = services.impact_preview(officer, draft.pk)
    assert impact["pool"] == 1
