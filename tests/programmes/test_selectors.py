"""Who sees which applications: the candidate their own, programme staff all, everyone else none."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from talentgate.accounts.roles import Role
from talentgate.common.errors import NotFound
from talentgate.programmes import selectors

pytestmark = pytest.mark.django_db


def test_candidates_see_only_their_own_applications(make_application):
    mine, me = make_application(until="submitted")
    theirs, _ = make_application()
    assert list(selectors.applications_visible_to(me)) == [mine]
    with pytest.raises(NotFound):
        selectors.get_application_for(me, theirs.pk)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_programme_staff_see_every_application(make_application, make_user, role):
    first, _ = make_application()
    second, _ = make_application(until="submitted")
    assert set(selectors.applications_visible_to(make_user(role))) == {first, second}


@pytest.mark.parametrize("role", [Role.ANALYST, Role.HOST_ADMIN, Role.HOST_STAFF, Role.REVIEWER, Role.AUTHORITY])
def test_other_roles_see_no_personal_rows(make_application, make_user, role):
    application, _ = make_application(until="submitted")
    actor = make_user(role)
    assert not selectors.applications_visible_to(actor).exists()
    with pytest.raises(NotFound):
        selectors.get_application_for(actor, application.pk)
    with pytest.raises(NotFound):
        selectors.application_history_for(actor, application.pk)


def test_anonymous_and_inactive_users_see_nothing(make_application, make_user):
    make_application()
    inactive = make_user(Role.OFFICER)
    inactive.is_active = False
    inactive.save()
    assert not selectors.applications_visible_to(AnonymousUser()).exists()
    assert not selectors.applications_visible_to(inactive).exists()


def test_history_is_read_through_the_application(make_application):
    application, owner = make_application(until="screening")
    assert [row.to_state for row in selectors.application_history_for(owner, application.pk)] == [
        "submitted",
        "screening",
    ]
