"""Who sees which organisations, opportunities and offers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from talentgate.accounts.roles import Role
from talentgate.common.errors import NotFound
from talentgate.hosts import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_org, make_staff, make_opportunity, make_candidate, in_a_week):
    """Two verified organisations (each with a draft and a published opportunity), one pending organisation,
    and one offer from the first organisation to a candidate."""
    org_a, admin_a = make_org(name="A")
    staff_a = make_staff(org_a, admin_a)
    org_b, admin_b = make_org(name="B")
    pending, pending_admin = make_org(verified=False, name="Pending")
    candidate, profile = make_candidate()
    a_draft, a_published = make_opportunity(staff_a, publish=False), make_opportunity(staff_a)
    b_draft, b_published = make_opportunity(admin_b, publish=False), make_opportunity(admin_b)
    offer = services.make_offer(
        staff_a, opportunity_id=a_published.pk, profile_id=profile.pk, terms="t", expires_at=in_a_week
    )
    return locals()


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_another_organisations_draft_is_invisible(world):
    w = world
    assert _ids(selectors.opportunities_visible_to(w["staff_a"])) == {
        w["a_draft"].pk,
        w["a_published"].pk,
        w["b_published"].pk,
    }
    with pytest.raises(NotFound):
        selectors.get_opportunity_for(w["staff_a"], w["b_draft"].pk)
    assert selectors.get_opportunity_for(w["staff_a"], w["b_published"].pk) == w["b_published"]


def test_candidates_see_published_opportunities_and_programme_staff_see_all(world, officer, make_user):
    w = world
    assert _ids(selectors.opportunities_visible_to(w["candidate"])) == {w["a_published"].pk, w["b_published"].pk}
    assert _ids(selectors.opportunities_visible_to(officer)) == {
        w[k].pk for k in ("a_draft", "a_published", "b_draft", "b_published")
    }
    assert not selectors.opportunities_visible_to(AnonymousUser()).exists()
    assert not selectors.opportunities_visible_to(None).exists()


def test_rejecting_an_organisation_hides_its_published_opportunities_from_outsiders(world, officer):
    w = world
    services.reject_organisation(officer, w["org_b"].pk, reason="fraudulent registration")
    assert w["b_published"].pk not in _ids(selectors.opportunities_visible_to(w["candidate"]))
    assert w["b_published"].pk in _ids(selectors.opportunities_visible_to(w["admin_b"]))


def test_pending_organisations_are_seen_only_by_themselves_and_programme_staff(world, officer):
    w = world
    assert _ids(selectors.organisations_visible_to(w["candidate"])) == {w["org_a"].pk, w["org_b"].pk}
    assert w["pending"].pk in _ids(selectors.organisations_visible_to(w["pending_admin"]))
    assert w["pending"].pk not in _ids(selectors.organisations_visible_to(w["admin_a"]))
    assert w["pending"].pk in _ids(selectors.organisations_visible_to(officer))
    with pytest.raises(NotFound):
        selectors.get_organisation_for(w["candidate"], w["pending"].pk)


def test_offers_are_seen_by_their_candidate_their_organisation_and_officers_only(
    world, officer, make_candidate, make_user
):
    w = world
    offer_id = w["offer"].pk
    assert _ids(selectors.offers_visible_to(w["candidate"])) == {offer_id}
    assert _ids(selectors.offers_visible_to(w["staff_a"])) == {offer_id}
    assert _ids(selectors.offers_visible_to(officer)) == {offer_id}
    other_candidate, _ = make_candidate()
    for outsider in (other_candidate, w["admin_b"], make_user(Role.ANALYST), make_user(Role.REVIEWER)):
        assert not selectors.offers_visible_to(outsider).exists()
        with pytest.raises(NotFound):
            selectors.get_offer_for(outsider, offer_id)


def test_memberships_and_invitations_stay_inside_the_organisation(world, officer):
    w = world
    services.invite_staff(w["admin_a"], w["org_a"].pk, email="next@example.test")
    assert set(selectors.memberships_visible_to(w["staff_a"]).values_list("organisation_id", flat=True)) == {
        w["org_a"].pk
    }
    assert not selectors.invitations_visible_to(w["staff_a"]).exists()  # staff are not admins
    assert selectors.invitations_visible_to(w["admin_a"]).count() == 2  # the staff member's and the new one
    assert not selectors.invitations_visible_to(w["admin_b"]).exists()
    assert not selectors.memberships_visible_to(w["candidate"]).exists()
    assert selectors.membership_of(w["candidate"]) is None
    assert selectors.membership_of(w["staff_a"]).organisation == w["org_a"]


def test_unparseable_ids_are_not_found(world):
    with pytest.raises(NotFound):
        selectors.get_opportunity_for(world["staff_a"], "abc")
