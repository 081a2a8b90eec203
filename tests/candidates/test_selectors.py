"""Who sees which profile: candidates their own, programme staff all, everyone else none."""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates import selectors, services
from talentgate.canonical import CandidateProfile
from talentgate.canonical.examples import example_profile
from talentgate.common.errors import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_candidates(make_user):
    owners = [make_user(Role.CANDIDATE), make_user(Role.CANDIDATE)]
    for index, owner in enumerate(owners):
        services.save_profile(owner, CandidateProfile.model_validate(example_profile(index)))
    return owners


def test_candidate_sees_only_own_profile(two_candidates):
    first, _ = two_candidates
    assert list(selectors.profiles_visible_to(first).values_list("external_id", flat=True)) == ["example-0000"]
    assert selectors.get_profile_for(first, "example-0000").user == first


def test_candidate_cannot_get_another_candidates_profile(two_candidates):
    first, _ = two_candidates
    with pytest.raises(NotFound) as caught:
        selectors.get_profile_for(first, "example-0001")
    assert caught.value.status == 404
    with pytest.raises(NotFound):
        selectors.get_profile_for(first, "no-such-id")


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_programme_staff_see_every_profile(two_candidates, make_user, role):
    assert selectors.profiles_visible_to(make_user(role)).count() == 2
    assert selectors.get_profile_for(make_user(role), "example-0001").external_id == "example-0001"


@pytest.mark.parametrize("role", [Role.ANALYST, Role.HOST_ADMIN, Role.HOST_STAFF, Role.REVIEWER, Role.AUTHORITY])
def test_other_roles_see_no_personal_profile(two_candidates, make_user, role):
    actor = make_user(role)
    assert selectors.profiles_visible_to(actor).count() == 0
    assert selectors.documents_visible_to(actor).count() == 0
    with pytest.raises(NotFound):
        selectors.get_profile_for(actor, "example-0000")


def test_anonymous_and_inactive_users_see_nothing(two_candidates):
    from django.contrib.auth.models import AnonymousUser

    first, _ = two_candidates
    first.is_active = False
    first.save()
    assert selectors.profiles_visible_to(AnonymousUser()).count() == 0
    assert selectors.profiles_visible_to(first).count() == 0
    assert selectors.profiles_visible_to(None).count() == 0


def test_candidate_sees_only_own_documents(two_candidates):
    first, _ = two_candidates
    visible = selectors.documents_visible_to(first)
    assert visible.count() == 2
    assert {d.profile.external_id for d in visible} == {"example-0000"}
    other_document = selectors.documents_visible_to(two_candidates[1]).first()
    with pytest.raises(NotFound):
        selectors.get_document_for(first, other_document.pk)
