"""Who sees which cases, and the officers' queue filters (stage, kind, sector, country, host) with their errors."""

from __future__ import annotations

import pytest

from case_documents import provide_documents
from talentgate.accounts.roles import Role
from talentgate.cases import selectors
from talentgate.cases.selectors import CaseQuery
from talentgate.common.errors import NotFound, PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db


def test_visibility_by_role(make_case, drive, officer, authority, make_user):
    mine, user = make_case()
    other, _ = make_case()
    drive(other, "submitted")
    assert set(selectors.cases_visible_to(officer)) == {mine, other}
    assert list(selectors.cases_visible_to(user)) == [mine]
    # The authority sees a case once it was handed to it.
    assert list(selectors.cases_visible_to(authority)) == [other]
    host_staff = mine.organisation.memberships.get().user
    assert list(selectors.cases_visible_to(host_staff)) == [mine]
    assert list(selectors.cases_visible_to(make_user(Role.ANALYST))) == []
    with pytest.raises(NotFound):
        selectors.get_case_for(user, other.pk)
    with pytest.raises(NotFound):
        selectors.get_case_for(officer, "not-a-number")


def test_queue_filters_by_stage_kind_host_and_countries(make_case, officer, sector):
    a, _ = make_case()
    b, _ = make_case(kind="fellowship")
    provide_documents(a, officer)
    from talentgate.cases import services

    services.prepare(officer, a.pk)

    def ids(**query):
        return [c.pk for c in selectors.cases_matching(officer, CaseQuery(**query))]

    assert ids(stages=("prepared",)) == [a.pk]
    assert ids(kinds=("researcher",)) == [b.pk]
    assert ids(organisation_id=b.organisation_id) == [b.pk]
    assert set(ids(sector_id=sector.pk)) == {a.pk, b.pk}
    assert set(ids(country="NG")) == {a.pk, b.pk}
    assert ids(country="FR") == []
    assert set(ids(destination_country="RU", open_only=True)) == {a.pk, b.pk}
    counts = selectors.case_stage_counts(officer, CaseQuery())
    assert counts["prepared"] == 1
    assert counts["opened"] == 1
    assert counts["closed"] == 0


def test_a_bad_query_names_every_broken_field(officer):
    with pytest.raises(ValidationFailed) as excinfo:
        selectors.cases_matching(officer, CaseQuery(stages=("limbo",), country="nigeria", sort="random"))
    assert {(e.field, e.rule) for e in excinfo.value.errors} == {
        ("stage", "choice"),
        ("country", "country_code"),
        ("sort", "choice"),
    }


def test_roles_without_cases_are_refused_the_list(make_user):
    with pytest.raises(PermissionRefused):
        selectors.cases_matching(make_user(Role.ANALYST), CaseQuery())


def test_time_in_current_stage_runs_while_the_clock_runs(make_case):
    case, _ = make_case()
    active, paused = selectors.time_in_current_stage(case)
    assert active >= 0
    assert paused == 0
